"""One rule for what a unit is (document.is_unit) and one for its text (document.unit_text, walk_text),
used by the loader, recognition, collation and the text map alike."""

from reader.tei.document import citable_units, element_text, unit_elements, unit_text
from reader.tei.entities.mentions import recognition_units as recognised_units
from reader.tei.parsing import text_outside_units
from reader.tei.textmap import TextMap
from reader.tei.xml import XML_ID, parse_bytes

NESTED = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<p xml:id="p1">As <bibl xml:id="b1">Strods 1996</bibl> shows, the unit fought on.</p>
<note><p xml:id="n1">An editor's note.</p></note>
<list><item xml:id="i1"><p xml:id="p2">Riga</p></item><item>Jelgava</item></list>
<head xml:id="h1">Sources</head>
</body></text></TEI>"""


def test_a_citable_element_inside_a_unit_or_noise_is_no_unit_everywhere():
    root = parse_bytes(NESTED, "nested.xml")
    body = root.find(".//{http://www.tei-c.org/ns/1.0}body")
    expected = ["p1", "i1", "h1"]  # b1 and p2 are inside units, n1 inside a note, the second item has no id
    assert [el.get(XML_ID) for el in unit_elements(body)] == expected
    assert [u.id for u in citable_units(root)] == expected  # collation and ingest
    assert [el.get(XML_ID) for el in recognised_units(root)] == expected  # recognition (it took b1 and p2)
    assert citable_units(root)[0].text == "As Strods 1996 shows, the unit fought on."


def test_comments_and_processing_instructions_are_not_text():
    unit = parse_bytes(
        b'<p xmlns="http://www.tei-c.org/ns/1.0">Riga <!-- checked --> was<?pi x?> taken<note>1</note> in 1944.</p>',
        "p.xml",
    )
    assert unit_text(unit) == "Riga was taken in 1944."
    assert TextMap(unit).text == unit_text(unit)
    assert element_text(unit) == "Riga  was taken in 1944."


def test_words_outside_units_are_counted_by_the_same_walk():
    root = parse_bytes(
        b'<body xmlns="http://www.tei-c.org/ns/1.0">Loose words<p xml:id="p1">kept</p><div>two more'
        b"<note>not these</note></div><!-- nor these --></body>",
        "b.xml",
    )
    assert text_outside_units(root) == {"body": 2, "div": 2}
