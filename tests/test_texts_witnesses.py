"""Six editions of Darwin's Origin, chapter I (1859-1872), with the editor's metadata CSV: ingest --meta,
collate, load, and read them in the reader (issue 9, items 1 and 2). Material: tests/data/origin-ch1/."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from reader.tei.validate import validate_file
from reader.tei.xml import NS, parse_file
from reader.texts.models import Document, Work

pytestmark = pytest.mark.django_db

ORIGIN = Path(__file__).resolve().parent / "data" / "origin-ch1"
ROOT = Path(__file__).resolve().parent.parent
YEARS = ("1859", "1860", "1861", "1866", "1869", "1872")
SIGLA = ("A", "B", "C", "D", "E", "F")
#: Paragraphs of each edition used. The whole chapter crashes the collation engine on this branch
#: (classify.most_significant, issue 9's first bullet; fixed on the collate branch); then use them all.
PARAGRAPHS = 3


@pytest.fixture
def origin(tmp_path):
    """The six editions ingested with their metadata, collated and loaded; returns the TEI folder."""
    src = tmp_path / "src"
    src.mkdir()
    for year in YEARS:
        paragraphs = (ORIGIN / f"origin-ch1-{year}.txt").read_text(encoding="utf-8").split("\n\n")[:PARAGRAPHS]
        (src / f"origin-ch1-{year}.txt").write_text("\n\n".join(paragraphs).rstrip("\n") + "\n", encoding="utf-8")
    shutil.copy(ORIGIN / "witnesses.csv", src / "witnesses.csv")
    out = tmp_path / "tei"
    paths = [str(p) for p in sorted(src.glob("*.txt"))]
    call_command(
        "ingest", "--no-entities", "--meta", str(src / "witnesses.csv"), "--out", str(out), *paths, stdout=StringIO()
    )
    call_command("collate", "--tei-dir", str(out), stdout=StringIO(), stderr=StringIO())
    call_command("load", "--dir", str(out), stdout=StringIO())
    return out


def test_apparatus_is_valid_with_the_csvs_sigla_in_date_order(origin):
    (apparatus,) = [p for p in (origin / "collations").glob("*.xml") if p.name != "reuse.xml"]
    assert apparatus.name == "on-the-origin-of-species-chapter-i.xml"  # the editor's work, not MinHash's guess
    assert validate_file(apparatus) == []
    witnesses = parse_file(apparatus).findall(".//tei:listWit/tei:witness", NS)
    assert [w.get("n") for w in witnesses] == list(SIGLA)
    assert [w.find("tei:origDate", NS).get("when") for w in witnesses] == list(YEARS)
    assert {w.findtext("tei:bibl/tei:author", namespaces=NS) for w in witnesses} == {"Charles Darwin"}
    assert (
        witnesses[5].findtext("tei:bibl/tei:title", namespaces=NS)
        == "The Origin of Species, chapter I: Variation under Domestication"
    )
    assert all(validate_file(p) == [] for p in origin.glob("*.xml"))


def test_rerunning_ingest_and_collate_with_the_same_metadata_changes_no_byte(origin):
    before = {p: p.read_bytes() for p in sorted(origin.rglob("*.xml"))}
    src = origin.parent / "src"
    call_command(
        "ingest",
        "--no-entities",
        "--meta",
        str(src / "witnesses.csv"),
        "--out",
        str(origin),
        *map(str, sorted(src.glob("*.txt"))),
        stdout=StringIO(),
    )
    call_command("collate", "--tei-dir", str(origin), stdout=StringIO(), stderr=StringIO())
    assert {p: p.read_bytes() for p in sorted(origin.rglob("*.xml"))} == before


def test_documents_carry_the_metadata_and_one_work(origin):
    docs = list(Document.objects.in_witness_order())
    assert [(d.siglum, d.date, d.author) for d in docs] == [(s, y, "Charles Darwin") for s, y in zip(SIGLA, YEARS)]
    assert {d.work.slug for d in docs} == {"on-the-origin-of-species-chapter-i"}
    assert list(Work.objects.values_list("title", flat=True)) == ["On the Origin of Species, chapter I"]
    assert docs[0].source.startswith(
        "Charles Darwin, On the Origin of Species, 1st edition (London: John Murray, 1859)"
    )
    assert docs[0].licence == "Public domain"


def test_compare_page_heads_columns_with_the_sigla(client, origin):
    page = client.get("/compare/on-the-origin-of-species-chapter-i/").content.decode()
    headings = re.findall(r'<div class="cell"><strong>([^<]+)</strong>', page)
    assert sorted(headings) == list(SIGLA)
    assert "when-we-look-to-the-individuals" not in page  # no guessed names


def test_home_lists_sigla_author_and_dates_in_date_order(client, origin):
    page = client.get("/").content.decode()
    assert re.findall(r'<td class="siglum"[^>]*>([^<]+)</td>', page) == list(SIGLA)
    assert len(re.findall(r'<span class="witness-meta">Charles Darwin, <time', page)) == 6
    assert [m for m in re.findall(r'<time datetime="(\d{4})">', page)] == list(YEARS)


def test_document_paragraph_search_and_citation_show_the_witness(client, origin):
    doc = Document.objects.get(siglum="C")
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "<dt>Author</dt><dd>Charles Darwin</dd>" in page
    assert '<dt>Date</dt><dd><time datetime="1861">1861</time></dd>' in page
    assert '<dt>Siglum</dt><dd class="siglum">C</dd>' in page
    assert "3rd edition (London: John Murray, 1861)" in page
    unit = doc.paragraphs.filter(kind="p").order_by("position").first()
    response = client.get(unit.get_absolute_url())
    page = response.content.decode()
    elsewhere = page[
        page.index("This passage elsewhere") : page.index("</section>", page.index("This passage elsewhere"))
    ]
    assert re.findall(r">([A-F]) \((\d{4})\), ", elsewhere) == [(s, y) for s, y in zip(SIGLA, YEARS) if s != "C"]
    plain = response.context["citations"][0][2]
    assert (
        plain.startswith("Darwin, C. (")
        and "On the Origin of Species, chapter I: Variation under Domestication" in plain
    )
    assert "witness C (1861)" in plain
    assert '<meta name="citation_author" content="Darwin, Charles">' in page
    results = client.get("/search/", {"q": "cultivated plants"}).content.decode()
    # One hit for the passage the six share, named by its first witness, the others by siglum.
    assert "Variation under Domestication (A), " in results
    named = results[results.index('<p class="witnesses">') :]
    named = named[: named.index("</p>")]
    assert re.findall(r'">([A-F])</a>', named) == list(SIGLA)


def test_seed_metadata_is_valid_and_in_the_committed_corpus():
    from reader.tei.metadata import read_metadata, witness_info

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    rows = read_metadata(ROOT / "corpus" / "witnesses.csv", seeds).rows
    assert {rows[n].siglum for n in ("000_ff49942521f25971.txt", "001_2bb68b4e13b3831c.txt")} == {"A", "B"}
    apparatus = parse_file(ROOT / "corpus" / "tei" / "collations" / "soviet-partisans-in-latvia.xml")
    assert [w.get("n") for w in apparatus.iterfind(".//tei:listWit/tei:witness", NS)] == ["A", "B"]
    info = witness_info(parse_file(ROOT / "corpus" / "tei" / "soviet-partisans-in-latvia-2.xml"))
    assert (info.siglum, info.author) == ("B", "Wikipedia contributors")


def test_a_passage_of_six_witnesses_is_stored_once_with_its_members_not_as_pairs(origin):
    """Storage grows with the witnesses, not with their pairs: a unit is in one row of the alignment."""
    from reader.texts.models import Paragraph, Passage, PassageMember

    work = Document.objects.get(siglum="C").work
    passages = Passage.objects.filter(kind="witness", work=work)
    members = PassageMember.objects.filter(passage__in=passages)
    assert passages.count() > 0
    assert members.count() <= Paragraph.objects.filter(document__work=work).count()
    shared = [p for p in passages if p.members.values("paragraph__document").distinct().count() == 6]
    assert shared  # passages all six editions have: a row per member, where pairs took thirty per two units
