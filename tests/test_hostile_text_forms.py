"""Text written in other forms of the same characters: dates in Arabic-Indic (and other) digits get
ASCII values in @when while the text keeps its digits; a name in NFD is recognised where its NFC
form is, at the offsets of the text as written."""

from __future__ import annotations

import unicodedata

import pytest
from lxml import etree

from reader.tei.entities import EntityStage, Register
from reader.tei.entities.dates import find_dates
from reader.tei.entities.recognise import Gazetteer
from reader.tei.xml import NS, parse_bytes

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


@pytest.mark.parametrize(
    "text, when",
    [
        ("In 19٤٠ they came.", "1940"),  # mixed: was written as when="19٤٠"
        ("In ١٩٤٠ they came.", "1940"),  # Arabic-Indic
        ("In ۱۹۴۰ they came.", "1940"),  # Extended Arabic-Indic (Persian)
        ("In १९४२ they came.", "1942"),  # Devanagari
        ("On ٣٠ May ١٩٤٢ they came.", "1942-05-30"),
        ("On ١٩٤١-٠٥-٣٠ they came.", "1941-05-30"),
    ],
)
def test_dates_in_other_digits_get_ascii_values_and_keep_their_text(text, when):
    (date,) = find_dates(text)
    assert date.when == when and date.when.isascii()
    assert text[date.start : date.end] == date.text and not date.text.isascii()


def test_a_range_in_arabic_indic_digits():
    (date,) = find_dates("from ١٩٤١ to ١٩٤٤")
    assert (date.from_, date.to, date.text) == ("1941", "1944", "from ١٩٤١ to ١٩٤٤")


def tei_doc(body: str) -> etree._Element:
    xml = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="fixture"><teiHeader><fileDesc><titleStmt>
<title>Fixture</title><respStmt xml:id="pipeline"><resp>automatic</resp><name>pipeline</name></respStmt></titleStmt>
<publicationStmt><p>test</p></publicationStmt><sourceDesc><p>written for the test</p></sourceDesc></fileDesc>
</teiHeader><text><body><div type="section" xml:id="s1">{body}</div></body></text></TEI>"""
    return parse_bytes(xml.encode("utf-8"), "fixture.xml")


def marked(root, tag):
    return [("".join(el.itertext()), el.get("ref"), el.get("when")) for el in root.iter(f"{{{NS['tei']}}}{tag}")]


def test_the_stage_writes_ascii_when_around_the_texts_own_digits():
    root = tei_doc('<p xml:id="p1">It began in ١٩٤٠ and ended in ۱۹۴۵.</p>')
    EntityStage(Register.seed(), use_spacy=False)(root, None)
    assert marked(root, "date") == [("١٩٤٠", None, "1940"), ("۱۹۴۵", None, "1945")]


def register_with(name: str) -> Register:
    register = Register.seed()
    register.add_entry("person", name, variants=["Zvaigzne"], resp="#annotator-x")
    return register


def test_a_name_in_nfd_is_found_at_the_offsets_of_the_text_as_written():
    gazetteer = Gazetteer(register_with("Jēkabs Zvaigzne"))
    text = NFD("Then Jēkabs Zvaigzne joined.")
    assert len(text) > len("Then Jēkabs Zvaigzne joined.")
    ((start, end, ids),) = [hit for hit in gazetteer.find(text) if hit[1] - hit[0] > len("Zvaigzne")]
    assert text[start:end] == NFD("Jēkabs Zvaigzne") and ids == ["per-jekabs-zvaigzne"]
    # and the other way round: a register name stored decomposed, a text composed
    gazetteer = Gazetteer(register_with(NFD("Jēkabs Zvaigzne")))
    assert [(s, e) for s, e, _ in gazetteer.find("Then Jēkabs Zvaigzne joined.")][0] == (5, 20)


def test_a_name_is_not_found_inside_a_word_with_a_combining_mark():
    gazetteer = Gazetteer(register_with("Jēkabs Zvaigzne"))
    assert gazetteer.find(NFD("Zvaigzné")) == []


def test_the_stage_marks_the_nfd_name_and_keeps_the_text():
    register = register_with("Jēkabs Zvaigzne")
    text = NFD("Jēkabs Zvaigzne joined the unit.")
    root = tei_doc(f'<p xml:id="p1">{text}</p>')
    EntityStage(register, use_spacy=False)(root, None)
    assert marked(root, "persName") == [(NFD("Jēkabs Zvaigzne"), "register.xml#per-jekabs-zvaigzne", None)]
    paragraph = root.find(".//tei:body//tei:p", NS)
    assert "".join(paragraph.itertext()) == text
    assert register.by_name(NFD("Jēkabs Zvaigzne")) == register.by_name("Jēkabs Zvaigzne") != []


def test_an_annotators_date_in_other_digits_is_refused_naming_the_field(corpus, annotator):
    from django.urls import reverse

    from annotating import client_for, suggestion, version_of

    date = suggestion(corpus, "date")
    url = reverse("admin:texts_paragraph_annotate", args=[date.paragraph.pk])
    client = client_for(annotator)
    version = version_of(client.get(url).content.decode(), date.pk)
    prefix = f"m{date.pk}"
    data = {"action": "change", "mention": date.pk, f"{prefix}-mention": date.pk, f"{prefix}-version": version}
    data |= {f"{prefix}-kind": "date", f"{prefix}-when": "١٩٤٠"}
    response = client.post(url, data)
    assert response.status_code == 400
    text = " ".join(str(m) for m in response.context["messages"])
    assert "when:" in text and "digits 0-9" in text
    before = date.when
    date.refresh_from_db()
    assert date.when == before
