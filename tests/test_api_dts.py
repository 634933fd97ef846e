"""DTS 1.0 at /api/dts/ on the real corpus: walked as a client does (only the URI templates it
returns), checked against the specification's required properties and its own examples
(tests/data/dts/spec-examples.json), with fixed query counts and hostile parameters."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from lxml import etree
from uritemplate import URITemplate

from reader.tei.dts import DTS_NS
from reader.tei.xml import XML_ID, parse_bytes
from reader.texts.loader import CorpusLoader
from reader.texts.models import Document, Mention, Paragraph

pytestmark = pytest.mark.django_db

EXAMPLES = json.loads((Path(__file__).parent / "data" / "dts" / "spec-examples.json").read_text("utf-8"))
CONTEXT = "https://dtsapi.org/context/v1.0.json"
#: Required properties, from the specification's tables (Entry, Collection/Resource, Navigation, CitableUnit).
REQUIRED = {
    "EntryPoint": {"@id", "@type", "dtsVersion", "collection", "navigation", "document"},
    "Collection": {"@id", "@type", "dtsVersion", "title", "totalParents", "totalChildren", "collection"},
    "Resource": {"@id", "@type", "title", "totalParents", "collection", "navigation", "document", "citationTrees"},
    "Navigation": {"@id", "@type", "dtsVersion", "resource"},
    "CitableUnit": {"identifier", "@type", "level", "parent"},
    "Pagination": {"@id", "@type", "first", "previous", "next", "last"},
}
#: Words of the partisan article's paragraph that the walk ends at (seed 000, "Background and origins").
PARAGRAPH_START = "The war between Germany and the Soviet Union broke out"


@pytest.fixture
def corpus(corpus_dir):
    report = CorpusLoader(corpus_dir).run()
    assert report.failed == []


def get(client, url, status=200):
    parts = urlsplit(url)
    assert parts.netloc in ("", "testserver"), url
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == status, (url, response.content[:300])
    return response


def expand(template: str, **values) -> str:
    t = URITemplate(template)
    assert set(values) <= t.variable_names, (template, values)
    return t.expand(**values)


def same_shape(ours: dict, example: dict, where: str) -> None:
    """Every key of the example that we also give has the same JSON type; nested objects alike."""
    kinds = {str: "string", int: "number", float: "number", list: "array", dict: "object", type(None): "null"}
    for key, value in example.items():
        if key not in ours or key in ("dublinCore", "extensions", "member"):
            continue
        assert kinds[type(ours[key])] == kinds[type(value)], f"{where}.{key}"
        if isinstance(value, dict):
            same_shape(ours[key], value, f"{where}.{key}")
    for key in ("member", "citationTrees", "citeStructure"):
        if ours.get(key) and example.get(key) and isinstance(example[key][0], dict):
            same_shape(ours[key][0], example[key][0], f"{where}.{key}[0]")


def conforms(obj: dict, kind: str | None = None, embedded: bool = False) -> None:
    """``obj`` has the required properties (a member embedded in another answer needs no dtsVersion,
    as in the specification's examples)."""
    kind = kind or obj["@type"]
    assert obj["@type"] == kind
    missing = REQUIRED[kind] - set(obj) - ({"dtsVersion"} if embedded else set())
    assert not missing, (kind, missing)


def test_a_client_walks_from_the_entry_point_to_one_paragraph_of_the_partisan_article(client, corpus):
    entry = get(client, "/api/dts/")
    assert entry["Content-Type"].startswith("application/ld+json")
    entry = entry.json()
    conforms(entry, "EntryPoint")
    assert entry["@context"] == CONTEXT and entry["dtsVersion"] == "1.0"
    same_shape(entry, EXAMPLES["entry"], "entry")
    for name in ("collection", "navigation", "document"):  # RFC 6570, with the specification's variables
        assert URITemplate(entry[name]).variable_names == URITemplate(EXAMPLES["entry"][name]).variable_names, name

    root = get(client, expand(entry["collection"])).json()
    conforms(root)
    same_shape(root, EXAMPLES["collection-root"], "root")
    assert root["totalParents"] == 0 and root["totalChildren"] == len(root["member"]) == 3
    work = next(m for m in root["member"] if m["title"] == "Soviet partisans in Latvia")
    conforms(work, "Collection", embedded=True)
    assert work["totalChildren"] == 2

    work = get(client, expand(work["collection"])).json()
    conforms(work)
    same_shape(work, EXAMPLES["collection-work"], "work")
    assert {m["@type"] for m in work["member"]} == {"Resource"}
    witness = next(m for m in work["member"] if m["description"].startswith("Witness A "))
    conforms(witness, "Resource", embedded=True)
    same_shape(witness, EXAMPLES["collection-work"]["member"][0] | EXAMPLES["resource"], "resource")
    assert witness["dublinCore"]["title"] == [{"lang": "en", "value": "Soviet partisans in Latvia"}]
    assert witness["dublinCore"]["license"] == ["https://creativecommons.org/licenses/by-sa/4.0/"]
    assert witness["dublinCore"]["language"] == ["en", "ru"]
    assert witness["mediaTypes"] == ["application/tei+xml"]

    resource = get(client, expand(witness["collection"])).json()
    assert resource["@id"] == witness["@id"] and resource["citationTrees"] == witness["citationTrees"]

    top = get(client, expand(witness["navigation"], down=1)).json()
    conforms(top)
    same_shape(top, EXAMPLES["navigation-down"], "navigation")
    assert top["@id"].endswith("down=1") and "ref" not in top
    for unit in top["member"]:
        conforms(unit, "CitableUnit", embedded=True)
        assert unit["level"] == 1 and unit["parent"] is None and unit["citeType"] == "section"
    section = next(
        u
        for u in top["member"]
        if u.get("dublinCore", {}).get("title") == [{"lang": "en", "value": "Background and origins"}]
    )

    inside = get(client, expand(top["resource"]["navigation"], ref=section["identifier"], down=1)).json()
    same_shape(inside, EXAMPLES["navigation-ref-down"], "navigation ref")
    assert inside["ref"]["identifier"] == section["identifier"]
    assert inside["member"][0]["identifier"] == section["identifier"]
    paragraphs = [u for u in inside["member"][1:] if u["citeType"] == "paragraph"]
    assert all(u["parent"] == section["identifier"] and u["level"] == 2 for u in paragraphs)

    chosen = None
    for unit in paragraphs:
        tei = get(client, expand(inside["resource"]["document"], ref=unit["identifier"]))
        assert tei["Content-Type"].startswith("application/tei+xml")
        assert 'rel="collection"' in tei["Link"]
        root_el = parse_bytes(tei.content)
        wrapper = root_el.find(f".//{{{DTS_NS}}}wrapper")
        assert root_el.tag == "{http://www.tei-c.org/ns/1.0}TEI" and wrapper is not None
        if "".join(wrapper.itertext()).strip().startswith(PARAGRAPH_START):
            chosen = (unit, wrapper)
            break
    assert chosen, "the walk reached the paragraph"
    unit, wrapper = chosen
    xml_id = [el for el in wrapper.iter("{http://www.tei-c.org/ns/1.0}p")][0].get(XML_ID)
    stored = Paragraph.objects.get(document__slug=witness["@id"], xml_id=xml_id)
    assert unit["@id"] == f"http://testserver/texts/{witness['@id']}/{xml_id}/"
    assert " ".join("".join(wrapper.itertext()).split()) == stored.text


def test_navigation_answers_match_the_examples_of_the_specification(client, corpus):
    base = "/api/dts/navigation/?resource=soviet-partisans-in-latvia"
    ref = get(client, f"{base}&ref=s2").json()
    same_shape(ref, EXAMPLES["navigation-ref"], "navigation ref")
    assert "member" not in ref  # ref without down: information about the unit only
    siblings = get(client, f"{base}&ref=s2.p3&down=0").json()["member"]
    assert {u["parent"] for u in siblings} == {"s2"} and "s2.p3" in [u["identifier"] for u in siblings]
    everything = get(client, f"{base}&down=-1").json()["member"]
    assert [u["identifier"] for u in everything][:3] == ["s1", "s1.p1", "s2"]
    assert (
        len([u for u in everything if u["citeType"] != "section"])
        == Paragraph.objects.filter(document__slug="soviet-partisans-in-latvia").count()
    )
    both = get(client, f"{base}&start=s2.p5&end=s3.p7").json()
    assert (both["start"]["identifier"], both["end"]["identifier"]) == ("s2.p5", "s3.p7") and "member" not in both
    ranged = get(client, f"{base}&start=s2.p5&end=s3.p7&down=1").json()["member"]
    assert [u["identifier"] for u in ranged] == ["s2.p5", "s2.p6", "s3", "s3.h2", "s3.p7"]
    units = get(client, f"{base}&tree=units&ref=p2").json()
    assert units["ref"] == {
        "identifier": "p2",
        "@type": "CitableUnit",
        "level": 1,
        "parent": None,
        "citeType": "paragraph",
        "@id": "http://testserver/texts/soviet-partisans-in-latvia/p2/",
    }


def test_document_returns_a_range_and_the_whole_resource(client, corpus):
    base = "/api/dts/document/?resource=soviet-partisans-in-latvia"
    whole = parse_bytes(get(client, base).content)
    assert whole.find(f".//{{{DTS_NS}}}wrapper") is None and whole.get(XML_ID) == "soviet-partisans-in-latvia"
    span = parse_bytes(get(client, f"{base}&start=s2.p5&end=s3.p7").content)
    ids = [el.get(XML_ID) for el in span.find(f".//{{{DTS_NS}}}wrapper").iter() if el.get(XML_ID)]
    assert ids == ["s2", "p5", "p6", "s3", "h2", "p7"]
    same = parse_bytes(get(client, f"{base}&tree=units&start=p5&end=p7").content)
    assert etree.tostring(same.find(f".//{{{DTS_NS}}}wrapper")) == etree.tostring(span.find(f".//{{{DTS_NS}}}wrapper"))


def test_collection_parents_and_paging(client, corpus):
    parents = get(client, "/api/dts/collection/?id=soviet-partisans-in-latvia&nav=parents").json()
    assert [m["@id"] for m in parents["member"]] == ["work:soviet-partisans-in-latvia"]
    work_parents = get(client, "/api/dts/collection/?id=work:soviet-partisans-in-latvia&nav=parents").json()
    assert [m["@id"] for m in work_parents["member"]] == ["parallax"]
    paged = get(client, "/api/dts/collection/?page=1").json()
    conforms(paged["view"], "Pagination", embedded=True)
    same_shape(paged, EXAMPLES["collection-paginated"], "paged")
    assert paged["view"]["first"] == paged["view"]["last"] == "http://testserver/api/dts/collection/?id=parallax&page=1"
    get(client, "/api/dts/collection/?page=2", status=404)


def test_every_endpoint_runs_a_fixed_number_of_queries(client, corpus, django_assert_num_queries):
    cases = [
        ("/api/dts/", 0),
        ("/api/dts/collection/", 3),
        ("/api/dts/collection/?id=work:soviet-partisans-in-latvia", 2),
        ("/api/dts/collection/?id=soviet-partisans-in-latvia", 2),  # the resource, the entities it mentions
        ("/api/dts/navigation/?resource=soviet-partisans-in-latvia&down=-1", 2),
        ("/api/dts/navigation/?resource=second-soviet-occupation-of-the-baltic-states&down=-1", 2),
        ("/api/dts/document/?resource=soviet-partisans-in-latvia&ref=s2.p3", 5),
        ("/api/dts/document/?resource=second-soviet-occupation-of-the-baltic-states&start=s2&end=s9", 5),
        ("/api/dts/document/?resource=soviet-partisans-in-latvia", 5),
        ("/api/dts/document/?resource=soviet-partisans-in-latvia&tree=units&start=p2&end=p9", 5),
    ]
    for url, queries in cases:
        cache.clear()
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200, url
        if "&" in url:  # the citation index is cached while the file is the one loaded
            with django_assert_num_queries(queries - 1):
                assert client.get(url).status_code == 200, url


def test_the_cached_index_follows_a_new_load(client, corpus, corpus_dir, tmp_path):
    import shutil

    url = "/api/dts/navigation/?resource=soviet-partisans-in-latvia&ref=s2&down=1"
    before = [u["identifier"] for u in get(client, url).json()["member"]]
    changed = tmp_path / "tei"
    shutil.copytree(corpus_dir, changed)
    path = changed / "soviet-partisans-in-latvia.xml"
    path.write_text(path.read_text("utf-8").replace('<p xml:id="p3">', '<p xml:id="p3b">', 1), "utf-8")
    assert CorpusLoader(changed).run().failed == []
    after = [u["identifier"] for u in get(client, url).json()["member"]]
    assert "s2.p3" in before and "s2.p3" not in after and "s2.p3b" in after


HOSTILE = [
    ("navigation/?down=1", 400, "resource"),
    ("navigation/?resource=soviet-partisans-in-latvia", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=0", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=s2&start=s2&end=s3", 400, "ref"),
    ("navigation/?resource=soviet-partisans-in-latvia&start=s2", 400, "end"),
    ("navigation/?resource=soviet-partisans-in-latvia&start=s3&end=s2&down=1", 400, "end"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=s999", 404, "ref"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=p2", 404, "ref"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=s2&tree=pages", 404, "tree"),
    ("navigation/?resource=no-such-text&down=1", 404, "resource"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=many", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=1.5", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=-7", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=99999999999999999999", 400, "down"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=1&page=0", 400, "page"),
    ("navigation/?resource=soviet-partisans-in-latvia&down=1&page=9", 404, "page"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=s2%00", 400, "ref"),
    ("navigation/?resource=soviet%00&down=1", 400, "resource"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=" + "s" * 5000, 400, "ref"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=s2&ref=s3", 400, "ref"),
    ("navigation/?resource=soviet-partisans-in-latvia&ref=%27%5D%2F%2F*%5B%27", 404, "ref"),
    ("document/", 400, "resource"),
    ("document/?resource=soviet-partisans-in-latvia&ref=nowhere", 404, "ref"),
    ("document/?resource=soviet-partisans-in-latvia&start=s2.p2", 400, "end"),
    ("document/?resource=soviet-partisans-in-latvia&start=s3&end=s2", 400, "end"),
    ("document/?resource=soviet-partisans-in-latvia&mediaType=text/html", 404, "mediaType"),
    ("document/?resource=soviet-partisans-in-latvia&ref=s2&tree=%00", 400, "tree"),
    ("collection/?id=work:nothing", 404, "id"),
    ("collection/?id=nothing", 404, "id"),
    ("collection/?nav=sideways", 400, "nav"),
    ("collection/?page=-1", 400, "page"),
    ("collection/?id=%ff%fe", 400, "id"),  # not UTF-8: refused before any view
]


def test_hostile_and_wrong_parameters_get_a_clear_json_error(client, corpus):
    for query, status, parameter in HOSTILE:
        response = client.get("/api/dts/" + query)
        assert response.status_code == status, query
        assert response["Content-Type"].startswith("application/problem+json"), query
        body = response.json()
        assert body["status"] == status and body["parameter"] == parameter and len(body["detail"]) > 10, query


def test_only_get_is_answered(client, corpus):
    response = client.post("/api/dts/navigation/?resource=soviet-partisans-in-latvia&down=1")
    assert response.status_code == 405 and response.json()["status"] == 405


def test_a_document_without_citation_tree_navigates_to_nothing(client, corpus):
    document = Document.objects.get(slug="soviet-partisans-in-latvia")
    header = etree.fromstring(document.tei_header.encode())
    for refs in header.iter("{http://www.tei-c.org/ns/1.0}refsDecl"):
        refs.getparent().remove(refs)
    Document.objects.filter(pk=document.pk).update(tei_header=etree.tostring(header, encoding="unicode"))
    answer = get(client, "/api/dts/navigation/?resource=soviet-partisans-in-latvia&down=1").json()
    assert answer["member"] == [] and answer["resource"]["citationTrees"] == []
    get(client, "/api/dts/document/?resource=soviet-partisans-in-latvia&ref=s2", status=404)


def test_document_answers_carry_the_annotators_latest_changes(client, corpus):
    mention = Mention.objects.get(
        document__slug="soviet-partisans-in-latvia", surface="Moscow", paragraph__section__xml_id="s2"
    )
    unit = f"s2.{mention.paragraph.xml_id}"
    before = get(client, f"/api/dts/document/?resource=soviet-partisans-in-latvia&ref={unit}").content.decode()
    assert ">Moscow</placeName>" in before
    mention.delete()  # as an annotator's deletion in the admin
    after = get(client, f"/api/dts/document/?resource=soviet-partisans-in-latvia&ref={unit}").content.decode()
    assert ">Moscow</placeName>" not in after and "Moscow" in after


def test_navigation_pages_follow_the_view_links(client, corpus, monkeypatch):
    from reader.api import views

    whole = get(client, "/api/dts/navigation/?resource=soviet-partisans-in-latvia&down=-1").json()
    assert "view" not in whole  # one page: not paginated
    monkeypatch.setattr(views, "NAVIGATION_PAGE_SIZE", 10)
    url, seen, pages = "/api/dts/navigation/?resource=soviet-partisans-in-latvia&down=-1&page=1", [], 0
    while True:
        answer = get(client, url).json()
        conforms(answer["view"], "Pagination", embedded=True)
        seen += [u["identifier"] for u in answer["member"]]
        pages += 1
        if answer["view"]["@id"] == answer["view"]["last"]:
            break
        url = answer["view"]["next"]
    assert seen == [u["identifier"] for u in whole["member"]] and pages == -(-len(seen) // 10)
    assert "down=-1" in answer["view"]["first"] and answer["view"]["first"].endswith("page=1")


def test_tree_has_no_effect_on_a_whole_document(client, corpus):
    get(client, "/api/dts/document/?resource=soviet-partisans-in-latvia&tree=nonexistent")
    get(client, "/api/dts/document/?resource=soviet-partisans-in-latvia&tree=nonexistent&ref=s2", status=404)


def test_a_passage_read_alone_is_the_passage_cut_from_the_whole_document(client, corpus):
    """Document answers read only the units they return; the same as cutting them from the whole TEI."""
    from reader.api.corpus_tei import refresh_units, structure_tree
    from reader.tei.dts import CitationIndex, citation_trees, fragment
    from reader.tei.xml import serialize

    slug = "second-soviet-occupation-of-the-baltic-states"
    document = Document.objects.select_related("file").get(slug=slug)
    whole = structure_tree(document)
    trees = citation_trees(whole)
    for tree, start, end in ((0, "s4", "s4"), (0, "s4.s5.p14", "s9.s10"), (0, "s1.p1", "s15.p38"), (1, "p9", "h3")):
        index = CitationIndex(whole, trees[tree])
        expected = fragment(whole, index.by_id[start].element, index.by_id[end].element)
        refresh_units(document, expected)
        query = f"ref={start}" if start == end else f"start={start}&end={end}"
        query += "&tree=units" if tree else ""
        got = get(client, f"/api/dts/document/?resource={slug}&{query}").content
        assert got == serialize(expected), query
