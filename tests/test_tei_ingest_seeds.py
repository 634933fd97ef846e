"""The four seeds as TEI: one valid file per seed, faithful to the source, noise kept apart."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from reader.tei.document import citable_units, unit_text
from reader.tei.ingest import seed_name
from reader.tei.xml import NS, XML_LANG, parse_file, tei


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    """seed file name -> TEI root, for every document in corpus/tei."""
    docs = {}
    for path in sorted(corpus_dir.glob("*.xml")):
        root = parse_file(path)
        if root.find("tei:text", NS) is not None:
            docs[seed_name(root)] = root
    return docs


def by_prefix(corpus, prefix):
    return next(root for name, root in corpus.items() if name.startswith(prefix))


def test_one_tei_file_per_seed_with_matching_sha256(corpus, seed_paths):
    assert sorted(corpus) == [p.name for p in seed_paths]
    for path in seed_paths:
        idno = corpus[path.name].find(".//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", NS)
        assert idno.text == hashlib.sha256(path.read_bytes()).hexdigest()


def test_seeds_are_the_originals(seed_paths):
    """seeds/ is the evidence: byte for byte what was received (sums taken from ../shared/seeds)."""
    manifest = Path(__file__).with_name("data") / "seeds.sha256"
    expected = dict(reversed(line.split()) for line in manifest.read_text().splitlines())
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in seed_paths} == expected


def test_every_corpus_file_validates_against_tei_all(corpus_dir, capsys):
    call_command("validate", *[str(p) for p in sorted(corpus_dir.glob("*.xml"))])
    out = capsys.readouterr().out
    assert out.count(": valid") == len(list(corpus_dir.glob("*.xml")))


def test_every_citable_unit_has_a_unique_id(corpus):
    for root in corpus.values():
        body = root.find("tei:text/tei:body", NS)
        elements = [
            el
            for el in body.iter(tei("head"), tei("p"), tei("item"), tei("bibl"))
            if not any(a.tag == tei("note") for a in el.iterancestors())
        ]  # an inline citation is not a unit
        ids = [el.get("{http://www.w3.org/XML/1998/namespace}id") for el in elements]
        assert None not in ids
        assert len(set(ids)) == len(ids)


def test_header_states_editorial_decisions_and_citation_structure(corpus):
    for root in corpus.values():
        header = root.find("tei:teiHeader", NS)
        assert header.find(".//tei:editorialDecl/tei:segmentation/tei:p", NS) is not None
        assert header.find(".//tei:editorialDecl/tei:interpretation/tei:p", NS) is not None
        cite = header.find(".//tei:refsDecl/tei:citeStructure[@unit='section']/tei:citeStructure", NS)
        assert cite.get("unit") == "paragraph" and cite.get("use") == "@xml:id"
        assert header.find(".//tei:profileDesc/tei:langUsage/tei:language[@ident='en']", NS) is not None
        assert header.find(".//tei:revisionDesc/tei:change[@n='1']", NS) is not None


#: The wiki quote markup a ``hi`` stands for (docs/tei-conventions.md).
MARKS = {"italic": "''", "bold": "'''"}


def source_form(el, excluded=lambda el: False, tail=True):
    """The source's characters of ``el``: ``hi`` back to quote marks, ``lb[@break='no']`` back to its line break."""
    parts = []

    def walk(node, with_tail):
        if excluded(node):
            if with_tail and node.tail:
                parts.append(node.tail)
            return
        mark = MARKS.get(node.get("rend"), "") if node.tag == tei("hi") else ""
        parts.append("\n" if node.tag == tei("lb") else mark)
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child, True)
        parts.append(mark)
        if with_tail and node.tail:
            parts.append(node.tail)

    walk(el, tail)
    return "".join(parts)


def text_without(root, *, excluded):
    """Source-order text of front and body, skipping elements for which ``excluded(el)`` holds."""
    return "".join(source_form(part, excluded) for part in root.find("tei:text", NS))


def is_gloss(el):
    return el.tag == tei("note") and el.get("type") == "gloss"


def test_003_tooltips_are_glosses_and_no_article_text_is_lost(corpus, seeds_dir):
    root = by_prefix(corpus, "003")
    seed = (seeds_dir / seed_name(root)).read_text(encoding="utf-8")
    glosses = [source_form(n, tail=False) for n in root.iter(tei("note")) if n.get("type") == "gloss"]
    assert len(glosses) > 60
    # Remove each tooltip from the seed, in order: what remains must be exactly the TEI's text.
    remaining, cursor = [], 0
    for gloss in glosses:
        at = seed.index(gloss, cursor)
        remaining.append(seed[cursor:at])
        cursor = at + len(gloss)
    remaining.append(seed[cursor:])
    seed_words = "".join(remaining).split()
    tei_words = text_without(root, excluded=is_gloss).split()
    # bullets and "::" definition-term marks are list markup (encoded as item/head)
    bullets = lambda words: [w[2:] if w.startswith("::") else w for w in words if w.strip("*")]  # noqa: E731
    assert bullets(tei_words) == bullets(seed_words)


def test_003_linked_terms_stay_in_the_running_text(corpus):
    root = by_prefix(corpus, "003")
    running = " ".join(text_without(root, excluded=is_gloss).split())
    assert "Estonia, Latvia and Lithuania were invaded" in running
    assert "Latvia Latvia (" not in running
    assert "links=no" not in running
    assert not re.search(r"\w \.\.\.\s", running)  # no truncated tooltip left in the text
    assert "is a country in the Baltic region" not in running


def test_003_page_chrome_is_boilerplate_and_title_is_the_article(corpus):
    root = by_prefix(corpus, "003")
    chrome = [n.text for n in root.iterfind("tei:text/tei:front/tei:note[@type='boilerplate']", NS)]
    assert chrome == ["HOME", "TheInfoList", "OR:"]
    title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS).text
    assert title == "Second Soviet Occupation Of The Baltic States"
    heads = [unit_text(h) for h in root.iter(tei("head"))]
    assert "Background" in heads and "OR:" not in heads


def test_002_site_name_and_breadcrumb_are_boilerplate(corpus):
    root = by_prefix(corpus, "002")
    chrome = root.findall("tei:text/tei:front/tei:note[@type='boilerplate']", NS)
    assert [n.get("subtype") for n in chrome] == ["site-name", "navigation"]
    assert chrome[1].text.startswith("Home")
    title = root.find("tei:teiHeader//tei:titleStmt/tei:title", NS).text
    assert title.startswith("Soviet Union Invasion and Occupation of the Baltic")
    units = citable_units(root)
    assert [u.text for u in units if u.kind == "head"] == ["Soviet Union Occupation of Latvia in 1940"]
    assert not any("Home" in u.text for u in units)


def test_000_structure_sections_lists_and_sources(corpus):
    root = by_prefix(corpus, "000")
    heads = [unit_text(h) for h in root.iter(tei("head"))]
    assert heads[:2] == ["Background and origins", "The partisan warfare"]
    assert "War crimes" in heads
    items = root.findall(".//tei:list/tei:item", NS)
    assert len(items) == 10 and unit_text(items[-1]) == "Arturs Sproģis"
    bibls = root.findall(".//tei:listBibl/tei:bibl", NS)
    assert len(bibls) == 16
    assert [b.get(XML_LANG) for b in bibls].count("ru") == 13


def test_001_is_divided_into_paragraphs_marked_as_editorial(corpus):
    root = by_prefix(corpus, "001")
    paragraphs = root.findall(".//tei:body//tei:p", NS)
    assert len(paragraphs) >= 10
    assert all(p.get("resp") == "#pipeline" for p in paragraphs)
    segmentation = " ".join(root.find(".//tei:segmentation", NS).itertext())
    assert "no line breaks" in segmentation and "editorial" in segmentation
    longest = max(len(unit_text(p).split()) for p in paragraphs)
    assert longest < 400


def test_001_bibliography_is_one_bibl_per_reference(corpus, seeds_dir):
    flat, structured = by_prefix(corpus, "001"), by_prefix(corpus, "000")
    bibls = [unit_text(b) for b in flat.findall(".//tei:listBibl/tei:bibl", NS)]
    assert len(bibls) == 24  # the 16 of the structured version and 8 more
    for reference in (unit_text(b) for b in structured.findall(".//tei:listBibl/tei:bibl", NS)):
        assert reference in bibls, reference
    for el in flat.findall(".//tei:listBibl/tei:bibl", NS):
        cyrillic = len(re.findall(r"[А-Яа-яЁё]", unit_text(el))) > len(re.findall(r"[A-Za-z]", unit_text(el)))
        assert (el.get(XML_LANG) == "ru") == cyrillic, unit_text(el)


def test_001_citation_needed_markers_are_editorial_notes(corpus, seeds_dir):
    root = by_prefix(corpus, "001")
    seed = (seeds_dir / seed_name(root)).read_text(encoding="utf-8")
    notes = root.findall(".//tei:note[@type='editorial'][@subtype='citation-needed']", NS)
    assert len(notes) == seed.count("[citation needed]") > 0
    assert all("[citation needed]" not in u.text for u in citable_units(root))


def test_reingest_leaves_every_file_byte_identical(tmp_path, seed_paths, ingest_into):
    ingest_into(seed_paths)
    first = {p.name: p.read_bytes() for p in ingest_into.out.glob("*.xml")}
    results = ingest_into(seed_paths, today="2030-12-31")
    assert not any(r.written for r in results)
    assert {p.name: p.read_bytes() for p in ingest_into.out.glob("*.xml")} == first


def test_output_is_deterministic_across_folders(tmp_path, seed_paths):
    from reader.tei.ingest import Ingester

    a = Ingester(tmp_path / "a", today="2026-01-01").run(seed_paths)
    b = Ingester(tmp_path / "b", today="2026-01-01").run(seed_paths)
    for ra, rb in zip(a, b):
        assert ra.path.read_bytes() == rb.path.read_bytes()


def test_any_plain_text_can_be_ingested(tmp_path, ingest_into):
    source = tmp_path / "notes.txt"
    source.write_text(
        "= Field notes =\n\nWe walked to Riga on 3 May 1920. It rained.\n\n== Later ==\n"
        "- first thing\n- second thing\n\n== Sources ==\n- A. Author. A Book. Riga, 1999.\n",
        encoding="utf-8",
    )
    (result,) = ingest_into([source])
    root = etree.parse(str(result.path)).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "field-notes"
    kinds = [(u.kind, u.text) for u in citable_units(root)]
    assert kinds == [
        ("p", "We walked to Riga on 3 May 1920. It rained."),
        ("head", "Later"),
        ("item", "first thing"),
        ("item", "second thing"),
        ("head", "Sources"),
        ("bibl", "A. Author. A Book. Riga, 1999."),
    ]


def test_003_tooltips_cut_short_end_in_a_gap(corpus):
    root = by_prefix(corpus, "003")
    glosses = [n for n in root.iter(tei("note")) if n.get("type") == "gloss"]
    cut = [n for n in glosses if n.xpath("string()").rstrip().endswith(" ...")]
    assert len(cut) > 60
    for note in cut:
        assert note[-1].tag == tei("gap") and note[-1].get("reason") == "truncated"
