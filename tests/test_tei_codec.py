"""The TEI codec (``reader.tei``): plain Python, one offset map, one register rule."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from reader.tei.entities.register import Register
from reader.tei.parsing import entry_names, parse_entry, parse_mentions
from reader.tei.textmap import TextMap, element_span
from reader.tei.vocabulary import MENTION_TAGS
from reader.tei.writing import apply_mentions
from reader.tei.xml import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
TEI = "http://www.tei-c.org/ns/1.0"


def unit(xml: str) -> etree._Element:
    return parse_bytes(xml.replace("<p>", f'<p xmlns="{TEI}" xml:id="p1">', 1).encode())


def test_importing_every_module_of_reader_tei_loads_no_django():
    script = (
        "import importlib, json, pkgutil, sys\n"
        "import reader.tei\n"
        "names = [m.name for m in pkgutil.walk_packages(reader.tei.__path__, 'reader.tei.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(json.dumps([names, sorted(m for m in sys.modules if m.split('.')[0] == 'django')]))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no DJANGO_SETTINGS_MODULE either
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    names, django = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"reader.tei.parsing", "reader.tei.rendering", "reader.tei.writing", "reader.tei.textmap"} <= set(names)
    assert django == []


@pytest.mark.parametrize(
    "xml, expected",
    [
        ("<p>said <persName>John </persName>then</p>", "John"),  # trailing space belongs to the text, not the name
        ("<p>said<persName> John</persName> then</p>", "John"),
        ("<p>said <persName>John\n   Smith</persName>, then</p>", "John Smith"),
        ("<p><persName>John <note>a tooltip</note> Smith</persName> came</p>", "John Smith"),
    ],
)
def test_a_mention_span_is_its_words_whatever_the_whitespace_and_noise(xml, expected):
    el = unit(xml)
    tmap = TextMap(el)
    ((mention, start, end),) = tmap.elements(MENTION_TAGS)
    assert tmap.text[start:end] == expected
    assert element_span(tmap, mention) == (start, end)
    _, parsed = parse_mentions(el)
    assert [(m.start, m.end, m.surface) for m in parsed] == [(start, end, expected)]


def test_an_empty_mention_stands_where_it_is_and_has_no_span_for_recognition():
    el = unit("<p>a <persName/> b</p>")
    tmap = TextMap(el)
    mention = el[0]
    assert tmap.text == "a b"
    assert tmap.span(mention) == (1, 1)
    assert element_span(tmap, mention) is None


def test_mentions_inside_noise_are_not_in_the_text_map():
    el = unit('<p>Riga <note type="gloss"><placeName>Rīga</placeName></note> fell</p>')
    assert TextMap(el).elements(MENTION_TAGS) == []


def test_mentions_written_back_enclose_a_note_as_they_were_read():
    el = unit('<p><persName ref="register.xml#per-x">John <note>tip</note> Smith</persName> came</p>')
    _, mentions = parse_mentions(el)
    rebuilt = apply_mentions(el, mentions)
    assert etree.tostring(rebuilt) == etree.tostring(el)


def _entry(xml: str) -> etree._Element:
    return parse_bytes(f'<person xmlns="{TEI}" xml:id="per-x">{xml}</person>'.encode())


def test_the_register_and_the_loader_pick_the_same_canonical_name():
    cases = {
        '<persName type="variant">Janis</persName><persName>Jānis Bērziņš</persName>': "Jānis Bērziņš",
        '<persName>J. B.</persName><persName type="main">Jānis Bērziņš</persName>': "Jānis Bērziņš",
        '<persName>Jānis Bērziņš</persName><persName type="abbreviation">J. B.</persName>': "Jānis Bērziņš",
    }
    for xml, canonical in cases.items():
        el = _entry(xml)
        assert entry_names(el)[0].text == canonical
        assert parse_entry(el).name == canonical
        register = Register(
            parse_bytes(
                f'<TEI xmlns="{TEI}" xml:id="register"><standOff><listPerson>{etree.tostring(el, encoding="unicode")}'
                "</listPerson></standOff></TEI>".encode()
            )
        )
        assert register.entries["per-x"].canonical == canonical


def test_every_character_and_mention_of_the_corpus_maps_back_to_its_place():
    """On the real corpus: each character of each unit's text locates the character it came
    from, and each mention's span is the mention's own text."""
    from reader.tei.document import unit_text
    from reader.tei.vocabulary import CITABLE_TAGS

    checked = mentions = 0
    for path in sorted((ROOT / "corpus" / "tei").glob("*.xml")):
        root = parse_bytes(path.read_bytes(), path.name)
        for el in root.iter(*CITABLE_TAGS):
            tmap = TextMap(el)
            assert tmap.text == unit_text(el), (path.name, el.sourceline)
            for p, ch in enumerate(tmap.text):
                slot, offset, _, _ = tmap.locate(p, p + 1)
                raw = slot.value[offset]
                assert raw == ch or (ch == " " and raw.isspace()), (path.name, el.sourceline, p)
                checked += 1
            for m, start, end in tmap.elements(MENTION_TAGS):
                assert tmap.text[start:end] == unit_text(m), (path.name, m.sourceline)
                mentions += 1
    assert checked > 50_000 and mentions > 500
