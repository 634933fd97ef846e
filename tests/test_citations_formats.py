"""Citation formats read back by the libraries that read them (issue 20 item 2, issue 17's injection):
hostile metadata adds no field, a dated witness is cited with its date beside the edition's, names are
family and given, one item type everywhere, the witness in every reference."""

import datetime
import json
import re

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from test_texts_citations import SCHEMA

from reader.texts import citations

HOSTILE_AUTHOR = "X}, url = {http://evil"
HOSTILE_SOURCE = "Printed by J. Murray\nTY  - JOUR\nER  - \r\nUR  - http://evil\n@misc{evil, url = {http://evil}}"


def cited(**changes) -> citations.Cited:
    """Witness B of Darwin's Origin, dated 1860, cited in this edition's revision 3 of 2026-11-20."""
    fields = dict(
        title="On the Origin of Species",
        slug="origin-1860",
        witness="B",
        witness_date="1860",
        authors=("Charles Darwin",),
        source="Charles Darwin, On the Origin of Species, 2nd edition (London: John Murray, 1860)",
        url="http://testserver/texts/origin-1860/p3/?rev=3",
        revision="3",
        revision_date="2026-11-20",
        language="en",
        accessed=datetime.date(2026, 12, 1),
        paragraph_id="p3",
        label="¶ 3",
        section="Variation under Domestication",
    )
    fields.update(changes)
    return citations.Cited(**fields)


def bibtex_fields_as_bibtex_reads_them(text: str) -> list[str]:
    """Field names of the one entry, split the way BibTeX itself does: every brace counts, a backslash
    escapes none (so ``\\}`` alone would close a field and let the rest of the value become fields)."""
    body = text[text.index(",") + 1 : text.rindex("}")]
    names, i = [], 0
    while match := re.compile(r"\s*([A-Za-z]+)\s*=\s*").match(body, i):
        names.append(match.group(1))
        i = match.end()
        if body[i] == "{":  # a braced value ends where its braces balance
            depth, i = 1, i + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(body[i], 0)
                i += 1
        else:  # anything else (a macro name, a stray backslash) runs to the next comma
            i = body.find(",", i) if "," in body[i:] else len(body)
        i = body.find(",", i) + 1 if "," in body[i : i + 3] else len(body)
    return names


BIB_FIELDS = [
    "author",
    "title",
    "organization",
    "publisher",
    "version",
    "note",
    "url",
    "urldate",
    "date",
    "year",
    "origdate",
    "langid",
]


def test_a_hostile_author_adds_no_bibtex_field_and_reads_back_as_written():
    record = cited(authors=(HOSTILE_AUTHOR, "Charles Darwin"), source=HOSTILE_SOURCE, title="A {title} & 50% of $x_1")
    text = citations.bibtex(record)
    assert bibtex_fields_as_bibtex_reads_them(text) == BIB_FIELDS
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.entries) == 1
    (entry,) = library.entries
    assert [f.key for f in entry.fields] == BIB_FIELDS
    assert entry["url"] == record.url
    assert entry["author"] == f"{HOSTILE_AUTHOR} and Darwin, Charles"
    assert entry["title"] == "A {title} & 50% of $x_1, witness B (1860), ¶ 3 in “Variation under Domestication”"
    assert "@misc" in entry["note"] and "\n" not in entry["note"]  # kept as text, on one line


def test_the_naive_escape_would_have_injected_a_field():
    """The fault this guards against: the value escaped with a lone backslash, as before."""
    naive = citations.bibtex(cited()).replace("Darwin, Charles", HOSTILE_AUTHOR.replace("}", r"\}").replace("{", r"\{"))
    assert "url" in bibtex_fields_as_bibtex_reads_them(naive)[:2]


def test_a_line_break_in_a_value_starts_no_ris_tag():
    record = cited(authors=(HOSTILE_AUTHOR, "Charles Darwin"), source=HOSTILE_SOURCE, section="Two\nlines")
    text = citations.ris(record)
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert [line[:2] for line in lines[:-1]].count("TY") == 1 and lines[-2] == "ER  - "
    (entry,) = rispy.loads(text)
    assert set(entry) == {
        "type_of_reference",
        "authors",
        "title",
        "secondary_title",
        "section",
        "edition",
        "year",
        "date",
        "original_publication",
        "publisher",
        "urls",
        "access_date",
        "language",
        "notes",
        "id",
    }
    assert entry["urls"] == [record.url] and entry["type_of_reference"] == "ELEC"
    assert entry["authors"] == [HOSTILE_AUTHOR, "Darwin, Charles"]
    assert entry["section"] == "¶ 3 in “Two lines”"
    assert entry["notes"][1] == "Original source: " + " ".join(HOSTILE_SOURCE.split())


def test_a_dated_witness_is_cited_with_its_date_beside_the_editions():
    record = cited()
    assert citations.plain_text(record).startswith(
        "Darwin, C. (2026 [1860]) On the Origin of Species, witness B (1860), ¶ 3 in “Variation under Domestication”, "
        "revision 3, Parallax: a TEI edition."
    )
    (item,) = json.loads(citations.csl_json(record))
    jsonschema.validate([item], SCHEMA)
    assert item["issued"] == {"date-parts": [[2026, 11, 20]]}
    assert item["original-date"] == {"date-parts": [[1860]]}
    (entry,) = bibtexparser.parse_string(citations.bibtex(record)).entries
    assert (entry["origdate"], entry["date"], entry["year"]) == ("1860", "2026-11-20", "2026")
    (ris,) = rispy.loads(citations.ris(record))
    assert (ris["original_publication"], ris["date"], ris["year"]) == ("1860", "2026/11/20", "2026")
    assert ris["access_date"] == "2026/12/01"


def test_an_undated_witness_has_no_original_date_anywhere():
    record = cited(witness_date="")
    assert citations.plain_text(record).startswith("Darwin, C. (2026) On the Origin of Species, witness B, ")
    assert "original-date" not in json.loads(citations.csl_json(record))[0]
    assert "origdate" not in bibtexparser.parse_string(citations.bibtex(record)).entries[0]
    assert "original_publication" not in rispy.loads(citations.ris(record))[0]


@pytest.mark.parametrize(
    "written, family, given, suffix",
    [
        ("Charles Darwin", "Darwin", "Charles", ""),
        ("Darwin, Charles", "Darwin", "Charles", ""),
        ("Charles Robert Darwin", "Darwin", "Charles Robert", ""),
        ("Jean de La Fontaine", "de La Fontaine", "Jean", ""),
        ("Martin Luther King, Jr.", "King", "Martin Luther", "Jr."),
    ],
)
def test_a_persons_name_is_family_and_given_in_every_format(written, family, given, suffix):
    record = cited(authors=(written,))
    (item,) = json.loads(citations.csl_json(record))
    assert item["author"] == [{k: v for k, v in (("family", family), ("given", given), ("suffix", suffix)) if v}]
    (entry,) = bibtexparser.parse_string(citations.bibtex(record)).entries
    assert entry["author"] == ", ".join(p for p in (family, suffix, given) if p)
    assert rispy.loads(citations.ris(record))[0]["authors"] == [", ".join(p for p in (family, given, suffix) if p)]


@pytest.mark.parametrize("written", ["Wikipedia contributors", "Royal Society", "Aristotle", "UNESCO", HOSTILE_AUTHOR])
def test_a_body_or_a_single_name_stays_literal(written):
    record = cited(authors=(written,))
    assert json.loads(citations.csl_json(record))[0]["author"] == [{"literal": written}]
    library = bibtexparser.parse_string(citations.bibtex(record), append_middleware=[LatexDecodingMiddleware()])
    assert library.entries[0]["author"] == written  # one brace-protected name, not "Family, Given"
    assert re.search(r"author = \{\{.*\}\},", citations.bibtex(record))
    assert rispy.loads(citations.ris(record))[0]["authors"] == [written]  # no comma: corporate in RIS
    assert citations.plain_text(record).startswith(f"{written} (2026 [1860])")


def test_one_item_type_and_one_title_naming_the_witness_in_every_format():
    a, b = cited(witness="A", witness_date="1859"), cited()
    for record in (a, b):
        title = record.full_title
        assert json.loads(citations.csl_json(record))[0]["type"] == "webpage"
        assert json.loads(citations.csl_json(record))[0]["title"] == title
        (entry,) = bibtexparser.parse_string(citations.bibtex(record)).entries
        assert entry.entry_type == "online" and entry["title"] == "{" + title + "}"
        (ris,) = rispy.loads(citations.ris(record))
        assert ris["type_of_reference"] == "ELEC" and ris["title"] == title
        assert ("name", "citation_title", title) in citations.meta_tags(record)
        assert title in citations.plain_text(record)
    assert a.full_title != b.full_title
    for fmt in (citations.plain_text, citations.bibtex, citations.ris, citations.csl_json, citations.coins):
        assert fmt(a) != fmt(b)


def test_the_bundled_style_is_valid_csl():
    """citeproc-py checks a style against the CSL schema only when asked, and then only warns."""
    import warnings

    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CitationStylesStyle(str(citations.PLAIN_STYLE), validate=True)
