"""What a reference manager imports from the reading and permalink pages (issue 20 item 2): the pages'
``citation_*``, Dublin Core and Open Graph tags read by Zotero's Embedded Metadata rules, the COinS span
read by Zotero's OpenURL rules, and the downloads; for the seeds' witnesses A and B and for Darwin's
dated editions (the fixtures of test_texts_citations and test_texts_witnesses)."""

from __future__ import annotations

import json
import re
import urllib.parse

import bibtexparser
import pytest
import rispy
import test_texts_citations
import test_texts_witnesses
from bibtexparser.middlewares import LatexDecodingMiddleware
from lxml import html

from reader.texts import citations
from reader.texts.models import Document

pytestmark = pytest.mark.django_db

seeds_loaded = test_texts_citations.seeds_loaded
origin = test_texts_witnesses.origin

# --- Zotero's rules, ported from zotero/translators "Embedded Metadata.js" (init, processHighwireCreators),
# "RDF.js" (detectType) and zotero/utilities "utilities.js" (cleanAuthor), "openurl.js" (parseContextObject):
# only the branches our tags can reach.

#: Prefixes Embedded Metadata sends to the RDF translator (the rest of its list is not used by us).
RDF_PREFIXES = {"dc", "dcterms", "og", "prism", "eprints", "bib", "bibo", "z", "so"}
HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
OG_TYPES = {"website": "webpage", "book": "book", "video.movie": "videoRecording", "music.song": "audioRecording"}
DC_TYPES = {"webpage": "webpage", "book": "book", "bookitem": "bookSection", "article": "journalArticle"}


def zotero_item_type(tags: list[tuple[str, str]]) -> str:
    hw_type = hw_guess = None
    rdf: dict[str, str] = {}
    for tag, value in tags:
        parts = re.split(r"[.:_]", tag)
        if parts[0].lower() in RDF_PREFIXES:
            rdf.setdefault(f"{parts[0].lower()}:{tag[len(parts[0]) + 1 :]}", value)
            continue
        short = tag[tag.rfind("citation_") :]
        hw_type = HIGHWIRE_TYPES.get(short, hw_type)
        if short in ("citation_title", "citation_series_title"):
            hw_guess = hw_guess or "journalArticle"
        elif short == "citation_isbn":
            hw_guess = "book"
    if not rdf:
        return hw_type or hw_guess
    if hw_type:
        return hw_type
    if rdf.get("z:itemType") in ("webpage", "book", "bookSection", "journalArticle"):  # ZU.itemTypeExists
        return rdf["z:itemType"]
    og = OG_TYPES.get(rdf.get("og:type", ""))
    dc = DC_TYPES.get(rdf.get("dc:type", "").lower().replace(" ", ""))  # DCMI "Text" is only a guess, ranked last
    return og or dc or hw_guess or "webpage"  # then RDF's default: the Highwire guess, else webpage


def clean_author(author: str, use_comma: bool) -> dict:
    author = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", re.sub(r"^[\s\u00a0.,/\[\]:]+", "", author))
    author = re.sub(r"[\s\u00a0]+", " ", author, count=1)
    if use_comma:
        parts = re.split(r"[,،] ?", author)
        return {"lastName": parts[0], "firstName": parts[1] if len(parts) > 1 else ""}
    space = author.rfind(" ")
    return {"lastName": author[space + 1 :], "firstName": author[:space] if space >= 0 else ""}


def zotero_creators(values: list[str]) -> list[dict]:
    creators = []
    for value in values:
        names = re.split(r"\s*;\s*", value)
        if len(names) == 1 and len(values) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in (n.strip() for n in names):
            if name and re.search(r"[^\s,\-.;]", name):
                creators.append(clean_author(name, "," in name))
    return creators


def zotero_from_coins(context: str) -> dict:
    item: dict = {"creators": []}
    pairs = [part.split("=", 1) for part in context.split("&")]
    formats = {"info:ofi/fmt:kev:mtx:dc": "webpage", "info:ofi/fmt:kev:mtx:book": "book"}
    for key, raw in pairs:
        value = urllib.parse.unquote(re.sub(r"\+|%2[bB]", " ", raw))
        if key == "rft_val_fmt":
            item["itemType"] = formats.get(value)
        elif key == "rft.type" and value in ("webpage", "book", "bookSection", "journalArticle"):
            item["itemType"] = value
        elif key == "rft.title":
            item["title"] = value
        elif key == "rft.au":
            item["creators"].append(clean_author(value, "," in value))
        elif key == "rft.aucorp":
            item["creators"].append({"lastName": value, "isInstitution": True})
        elif key == "rft.date":
            item["date"] = value
        elif key == "rft.source":
            item["publicationTitle"] = value
        elif key == "rft.identifier" and value.startswith(("http://", "https://")):
            item["url"] = value
    return item


def page_citation(client, url: str) -> dict:
    """What Zotero takes from a page: item type, creators, title, date, website; and the COinS item."""
    tree = html.fromstring(client.get(url).content)
    tags = [(m.get("name") or m.get("property"), m.get("content")) for m in tree.iterfind(".//head/meta")]
    tags = [(name, value) for name, value in tags if name and value]
    values = {}
    for name, value in tags:
        values.setdefault(name, []).append(value)
    (coins,) = tree.xpath('//span[@class="Z3988"]/@title')
    schema = tree.xpath('//head/link[@rel="schema.DC"]/@href')
    return {
        "itemType": zotero_item_type(tags),
        "creators": zotero_creators(values.get("citation_author", [])),
        "title": values["citation_title"][0],
        "date": values["citation_date"][0],
        "websiteTitle": values["og:site_name"][0],
        # RDF.js: with a z:itemType (Zotero RDF), dc:description goes to Extra
        "extra": values.get("DC.description", [""])[0] if "z.itemType" in values else "",
        "schema.DC": schema,
        "coins": zotero_from_coins(coins),
        "tags": values,
    }


def test_seed_witnesses_a_and_b_give_different_references_and_wikipedia_contributors_stays_whole(client, seeds_loaded):
    a, b = (Document.objects.get(seed_name__startswith=s) for s in ("000", "001"))
    assert (a.work_id, a.label, b.label) == (b.work_id, "A", "B")
    pages = {}
    for doc in (a, b):
        unit = doc.paragraphs.filter(kind="p", section__head="The partisan warfare").order_by("position").first()
        for url in (doc.get_absolute_url(), unit.get_absolute_url()):
            got = pages[doc.label, url == unit.get_absolute_url()] = page_citation(client, url)
            assert got["itemType"] == "webpage" and got["coins"]["itemType"] == "webpage"
            assert got["extra"] == ""  # an undated witness has no original date
            assert got["creators"] == [{"lastName": citations.WIKIPEDIA_AUTHOR, "firstName": ""}]
            assert got["coins"]["creators"] == [{"lastName": citations.WIKIPEDIA_AUTHOR, "isInstitution": True}]
            assert got["title"].startswith(f"Soviet partisans in Latvia, witness {doc.label}")
            assert got["coins"]["title"] == got["title"] and got["websiteTitle"] == citations.EDITION
            assert got["schema.DC"] == ["http://purl.org/dc/elements/1.1/"]
            assert "citation_journal_title" not in got["tags"] and "citation_inbook_title" not in got["tags"]
        for ext in ("bib", "ris", "json"):
            assert (
                client.get(f"{unit.get_absolute_url()}cite.{ext}").content.decode().count(f"witness {doc.label}") >= 1
            )
    assert re.fullmatch(
        r"Soviet partisans in Latvia, witness A, ¶ \d+ in “The partisan warfare”", pages["A", True]["title"]
    )
    assert pages["A", False]["title"] != pages["B", False]["title"]
    assert pages["A", True]["title"] != pages["B", True]["title"]
    bib_a, bib_b = (client.get(f"{d.get_absolute_url()}cite.bib").content for d in (a, b))
    assert bib_a != bib_b


def test_a_dated_witness_imports_with_its_date_author_as_family_and_given_and_siglum(client, origin):
    doc = Document.objects.get(siglum="B")
    unit = doc.paragraphs.filter(kind="p").order_by("position").first()
    got = page_citation(client, unit.get_absolute_url())
    assert got["itemType"] == "webpage" and got["creators"] == [{"lastName": "Darwin", "firstName": "Charles"}]
    assert got["coins"]["creators"] == [{"lastName": "Darwin", "firstName": "Charles"}]
    assert got["extra"] == "original-date: 1860"  # the CSL variable Zotero keeps in Extra
    assert f"witness B (1860), {unit.label}" in got["title"] and got["date"] == doc.revision_date.replace("-", "/")
    (item,) = json.loads(client.get(f"{unit.get_absolute_url()}cite.json").content)
    assert item["original-date"] == {"date-parts": [[1860]]} and item["author"] == [
        {"family": "Darwin", "given": "Charles"}
    ]
    assert item["issued"]["date-parts"][0][0] == int(doc.revision_date[:4])
    (entry,) = bibtexparser.parse_string(client.get(f"{unit.get_absolute_url()}cite.bib").content.decode()).entries
    assert entry["origdate"] == "1860" and entry["author"] == "Darwin, Charles"
    (ris,) = rispy.loads(client.get(f"{unit.get_absolute_url()}cite.ris").content.decode())
    assert ris["original_publication"] == "1860" and ris["authors"] == ["Darwin, Charles"]
    response = client.get(unit.get_absolute_url())
    plain = response.context["citations"][0][2]
    assert plain.startswith(f"Darwin, C. ({doc.revision_date[:4]} [1860]) ")
    document_page = page_citation(client, doc.get_absolute_url())
    assert document_page["itemType"] == "webpage" and document_page["title"].endswith("witness B (1860)")
    other = page_citation(client, Document.objects.get(siglum="C").get_absolute_url())
    assert other["title"].endswith("witness C (1861)")


def test_hostile_metadata_is_escaped_in_the_head_and_adds_no_bibtex_or_ris_field(client, seeds_loaded):
    doc = Document.objects.get(seed_name__startswith="000")
    doc.title = 'Partisans"><script>alert(1)</script>'
    doc.author = "X}, url = {http://evil; Ann\nTY  - JOUR"
    doc.save()
    page = client.get(doc.get_absolute_url()).content.decode()
    head = page[: page.index("</head>")]
    assert "<script>alert" not in head and "&lt;script&gt;alert(1)&lt;/script&gt;" in head
    got = page_citation(client, doc.get_absolute_url())
    assert got["title"] == 'Partisans"><script>alert(1)</script>, witness A'
    (hostile, second) = got["tags"]["citation_author"]
    assert hostile == "X}, url = {http://evil," and "\n" not in second
    library = bibtexparser.parse_string(
        client.get(f"{doc.get_absolute_url()}cite.bib").content.decode(), append_middleware=[LatexDecodingMiddleware()]
    )
    (entry,) = library.entries
    assert not library.failed_blocks and entry.fields_dict.keys() >= {"author", "url", "title"}
    assert entry["url"] == f"http://testserver{doc.get_absolute_url()}?rev={doc.revision}"
    assert entry["author"].startswith("X}, url = {http://evil and ") and "\n" not in entry["author"]
    text = client.get(f"{doc.get_absolute_url()}cite.ris").content.decode()
    assert [line[:2] for line in text.splitlines()].count("TY") == 1
    (ris,) = rispy.loads(text)
    assert ris["authors"][0] == "X}, url = {http://evil" and len(ris["authors"]) == 2
