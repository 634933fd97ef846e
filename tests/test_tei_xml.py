"""The one XML parser refuses hostile input; files are written atomically."""

import os

import pytest

from reader.tei.xml import TEIError, parse_bytes, parse_file, write_atomic

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0">&lol3;</TEI>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>&secret;</text></TEI>"""


@pytest.mark.parametrize("data", [BOMB, XXE])
def test_entity_declarations_are_refused(data):
    with pytest.raises(TEIError, match="DOCTYPE/ENTITY declarations are not accepted"):
        parse_bytes(data, "hostile.xml")


def test_malformed_xml_names_file_and_line():
    with pytest.raises(TEIError, match=r"doc.xml: line 3: not well-formed"):
        parse_bytes(b"<TEI>\n<p>\n</div></TEI>", "doc.xml")


def test_non_tei_root_is_refused(tmp_path):
    path = tmp_path / "html.xml"
    path.write_text("<html><body/></html>")
    with pytest.raises(TEIError, match=r"html.xml: line 1: root element is <html>, not TEI"):
        parse_file(path)


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "doc.xml"
    target.write_bytes(b"old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.xml"]


def test_unchanged_content_is_not_rewritten(tmp_path):
    target = tmp_path / "doc.xml"
    assert write_atomic(target, b"same") is True
    mtime = target.stat().st_mtime_ns
    assert write_atomic(target, b"same") is False
    assert target.stat().st_mtime_ns == mtime
