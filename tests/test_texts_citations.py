"""Citations: CSL-JSON valid against the CSL schema, RIS read by a real RIS parser, BibTeX by bibtexparser,
downloads per paragraph and per document, an unknown revision refused with a message."""

import datetime
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from reader.texts import citations
from reader.texts.loader import CorpusLoader
from texts_tei import write_corpus

SCHEMA = json.loads((Path(__file__).with_name("data") / "csl" / "csl-data.json").read_text())

CITED = citations.Cited(
    title="Soviet partisans in Latvia",
    slug="soviet-partisans-in-latvia-2",
    witness="001",
    authors=("Wikipedia contributors",),
    source="Wikipedia, “Soviet partisans in Latvia”",
    url="http://testserver/texts/soviet-partisans-in-latvia-2/p8/?rev=1",
    revision="1",
    revision_date="2026-11-20",
    language="en",
    accessed=datetime.date(2026, 12, 1),
    paragraph_id="p8",
    label="¶ 8",
    section="The partisan warfare",
)


def test_csl_json_is_valid_against_the_csl_data_schema_and_names_what_it_cites():
    data = json.loads(citations.csl_json(CITED))
    jsonschema.validate(data, SCHEMA)
    item = data[0]
    assert item["author"] == [{"literal": "Wikipedia contributors"}]
    assert item["container-title"] == citations.EDITION and item["source"].startswith("Wikipedia")
    assert item["section"] == "¶ 8 in “The partisan warfare”" and "witness 001" in item["note"]
    assert item["accessed"] == {"date-parts": [[2026, 12, 1]]} and item["version"] == "revision 1"


def test_ris_follows_the_spec_and_a_ris_parser_reads_it_back():
    text = citations.ris(CITED)
    assert text.startswith("TY  - ELEC\r\n") and text.endswith("ER  - \r\n")
    (record,) = rispy.loads(text)
    assert record["authors"] == ["Wikipedia contributors"]
    assert record["title"] == "Soviet partisans in Latvia, witness 001, ¶ 8 in “The partisan warfare”"
    assert record["secondary_title"] == citations.EDITION
    assert record["urls"] == [CITED.url] and record["access_date"] == "2026/12/01"
    assert record["section"] == "¶ 8 in “The partisan warfare”"


def test_bibtex_is_parsed_by_bibtexparser_without_errors():
    library = bibtexparser.parse_string(citations.bibtex(CITED))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online" and entry.key == "parallax-soviet-partisans-in-latvia-2-p8"
    assert entry["author"] == "{Wikipedia contributors}" and entry["url"] == CITED.url
    assert "witness 001" in entry["note"] and entry["urldate"] == "2026-12-01"


def test_plain_text_is_formatted_by_citeproc_and_names_author_passage_edition_and_access():
    text = citations.plain_text(CITED)
    assert text.startswith("Wikipedia contributors (2026)")
    assert "Soviet partisans in Latvia, witness 001, ¶ 8 in “The partisan warfare”, revision 1" in text
    assert citations.EDITION in text and CITED.url in text and "2026" in text.split("Accessed")[-1]


@pytest.fixture
def corpus(tmp_path):
    src = write_corpus(tmp_path / "tei")
    assert CorpusLoader(src).run().failed == []
    return src


@pytest.mark.django_db
def test_paragraph_and_document_citations_download_and_an_unknown_revision_is_refused(client, corpus):
    response = client.get("/texts/partisans/p2/cite.ris")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-research-info-systems")
    assert 'filename="parallax-partisans-p2.ris"' in response["Content-Disposition"]
    assert response.content.decode().endswith("ER  - \r\n")
    data = json.loads(client.get("/texts/partisans/cite.json").content)
    jsonschema.validate(data, SCHEMA)
    assert "section" not in data[0]  # a whole document
    assert not bibtexparser.parse_string(client.get("/texts/partisans/p2/cite.bib").content.decode()).failed_blocks
    assert client.get("/texts/partisans/p2/cite.doc").status_code == 404
    refused = client.get("/texts/partisans/p2/?rev=99")
    assert refused.status_code == 404 and "has no such revision" in refused.content.decode()
    assert client.get("/texts/partisans/p2/?rev=1").status_code == 200


@pytest.fixture
def seeds_loaded():
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "tei"
    assert CorpusLoader(corpus).run().failed == []


@pytest.mark.django_db
def test_flattened_witness_reads_and_cites_like_the_structured_one(client, seeds_loaded):
    """Seed 001 (no line breaks): headings supplied from 000, a working table of contents, ¶ labels and
    permalink titles that name one unit each, citations naming section, ¶ and witness."""
    import re

    from reader.texts.models import Document

    flat = Document.objects.get(seed_name__startswith="001")
    page = client.get(flat.get_absolute_url()).content.decode()
    toc = re.findall(r'<li class="toc-level-\d"><a href="#(s\d+)">([^<]+)</a>', page)
    assert [head for _, head in toc][:2] == ["Background and origins", "The partisan warfare"]
    assert all(f'id="{sid}"' in page for sid, _ in toc)
    labels = [p.label for p in flat.paragraphs.exclude(kind="head")]
    assert len(labels) == 46 and len(set(labels)) == 46
    titles = []
    for unit in flat.paragraphs.all():
        html = client.get(unit.get_absolute_url()).content.decode()
        titles.append(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert len(set(titles)) == len(titles)
    unit = flat.paragraphs.get(kind="p", section__head="The partisan warfare", number=8)
    title = next(t for t in titles if t.startswith("¶ 8 "))
    assert title == f"¶ 8 · The partisan warfare · {flat.label} · Soviet partisans in Latvia · Parallax"
    cited = json.loads(client.get(f"{unit.get_absolute_url()}cite.json").content)[0]
    assert cited["section"] == "¶ 8 in “The partisan warfare”" and f"witness {flat.label}" in cited["note"]
    assert cited["author"] == [{"literal": "Wikipedia contributors"}]
    phrase = '"' + " ".join(unit.text.split()[:6]) + '"'
    results = client.get("/search/", {"q": phrase}).content.decode()
    # The passage both witnesses share is one hit, named by its first witness; B's paragraph is linked by siglum.
    assert "Soviet partisans in Latvia (A), " in results
    assert f'<a href="{unit.get_absolute_url()}">{flat.label}</a>' in results


@pytest.mark.django_db
def test_scraped_page_shows_inline_citations_as_citations_that_can_be_hidden(client, seeds_loaded):
    import re

    from reader.texts.models import Document

    page_doc = Document.objects.get(seed_name__startswith="003")
    page = client.get(page_doc.get_absolute_url()).content.decode()
    assert (
        '<span class="inline-citation" title="inline citation"><span class="tei-bibl">Mälksoo (2003), p. 193.</span></span>'
        in page
    )
    assert 'id="hide-citations"' in page and '<em class="tei-hi">' in page
    texts = list(page_doc.paragraphs.values_list("text", flat=True))
    assert not [t for t in texts if "''" in t or "{{" in t or re.search(r"\w [,.;:)]", t)]
