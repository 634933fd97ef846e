"""Reading foreign TEI safely (reader.tei.foreign.reading): DOCTYPE, entities, namespace, size, not TEI."""

from __future__ import annotations

import pytest

from reader.tei.document import unit_text
from reader.tei.foreign.reading import ForeignError, parse_foreign, read_foreign
from reader.tei.xml import NS, TEI_NS, TEIError

TEI = (
    f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader>'
    "<text><body><p>{}</p></body></text></TEI>"
)


def _p(tree) -> str:
    return unit_text(tree.root.find(".//tei:p", NS))


def test_declared_character_entities_are_expanded_by_our_code():
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n  <!ENTITY mdash "&#8212;">\n  <!ENTITY eacute "é">\n]>\n'
        + TEI.format("caf&eacute; &mdash; ok &amp; more")
    ).encode()
    tree = parse_foreign(data, "ent.xml")
    assert _p(tree) == "café — ok & more"
    assert any("2 character entities" in n for n in tree.notes)
    assert tree.root.sourceline == 6  # the DOCTYPE's lines are kept, so messages name the original lines


def test_external_dtd_is_noted_and_never_fetched():
    data = ('<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei_all.dtd">\n' + TEI.format("a&nbsp;b")).encode()
    tree = parse_foreign(data, "dtd.xml")
    assert "".join(tree.root.find(".//tei:p", NS).itertext()) == "a\u00a0b"
    assert any("external DTD" in n and "not read" in n for n in tree.notes)
    assert any("&nbsp;" in n for n in tree.notes)


@pytest.mark.parametrize(
    "declaration, why",
    [
        ('<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">', "not a plain character"),
        ('<!ENTITY b "<hi>bold</hi>">', "not a plain character"),
        ('<!ENTITY x SYSTEM "file:///etc/passwd">', "external resource"),
        ('<!ENTITY % p "x">', "parameter entity"),
        ('<!ENTITY long "a whole sentence">', "not a plain character"),
    ],
)
def test_other_entity_declarations_are_refused_with_the_entity_and_line(declaration, why):
    data = f'<?xml version="1.0"?>\n<!DOCTYPE TEI [\n{declaration}\n]>\n{TEI.format("x")}'.encode()
    with pytest.raises(ForeignError) as caught:
        parse_foreign(data, "bad.xml")
    assert why in str(caught.value) and "bad.xml: line 3" in str(caught.value)


def test_an_undeclared_entity_is_an_error_naming_it():
    with pytest.raises(ForeignError, match=r"line 1: entity &unknownthing; is used but never declared"):
        parse_foreign(TEI.format("&unknownthing;").encode(), "u.xml")


def test_tei_without_namespace_is_read_as_tei():
    tree = parse_foreign(b"<TEI><teiHeader/><text><body><p>hi</p></body></text></TEI>", "nons.xml")
    assert tree.namespace == "none" and _p(tree) == "hi"
    assert tree.root.tag == f"{{{TEI_NS}}}TEI"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html><body><p>x</p></body></html>", "not TEI: the root element is <html>"),
        (
            b'<TEI xmlns="http://example.org/other"><text/></TEI>',
            "not TEI: <TEI> is in namespace http://example.org/other",
        ),
        (b"<TEI><text><body><p>x</body></text></TEI>", "not well-formed XML"),
    ],
)
def test_xml_that_is_not_tei_is_refused(data, message):
    with pytest.raises(TEIError, match=message):  # ForeignError is a TEIError
        parse_foreign(data, "x.xml")


def test_size_limit_is_stated(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(TEI.format("x" * 5000).encode())
    with pytest.raises(ForeignError, match=r"larger than the 1,000-byte limit"):
        read_foreign(path, max_bytes=1000)
    with pytest.raises(ForeignError, match="no such file"):
        read_foreign(tmp_path / "missing.xml")


def test_other_encodings_are_decoded():
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + TEI.format("Laßberg")).encode("latin-1")
    assert _p(parse_foreign(data, "latin.xml")) == "Laßberg"
