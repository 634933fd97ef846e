"""Depth and expansion limits are enforced before any work: a TEI nested too deep is refused at
import and at load with its name and line (the other files go on), a DOCTYPE is refused before the
file is parsed, and a foreign file whose entities would expand past the size limit is refused before
they are expanded."""

from __future__ import annotations

import time

import pytest

from reader.tei.foreign import ForeignImporter
from reader.tei.foreign.reading import ForeignError, parse_foreign
from reader.tei.xml import MAX_DEPTH, TEIError, parse_bytes
from reader.texts.loader import CorpusLoader
from reader.texts.models import Document
from texts_tei import tei_document, write_corpus


def nested(depth: int) -> str:
    """A paragraph holding ``depth`` nested notes (the root, text, body, div and p add five levels)."""
    opening = "".join(f"\n<note>level {n}" for n in range(depth))
    return f'<div type="section" xml:id="s1"><p xml:id="p1">Deep {opening} bottom{"</note>" * depth}.</p></div>'


def first_too_deep(text: str) -> int:
    """The line of the first element past the limit: note number MAX_DEPTH - 5 (counting from 0)."""
    return text[: text.index(f"<note>level {MAX_DEPTH - 5}\n")].count("\n") + 1


def test_elements_nested_too_deep_are_refused_with_the_line():
    text = tei_document("deep", nested(200))
    line = first_too_deep(text)
    with pytest.raises(TEIError, match=rf"^deep.xml: line {line}: elements nested deeper than {MAX_DEPTH}$"):
        parse_bytes(text.encode(), "deep.xml")
    parse_bytes(tei_document("deep", nested(MAX_DEPTH - 5)).encode(), "fine.xml")


@pytest.mark.django_db
def test_load_refuses_the_deep_file_by_name_and_line_and_loads_the_others(tmp_path):
    src = write_corpus(tmp_path / "src")
    (src / "deep.xml").write_text(tei_document("deep", nested(200), "Deep"))
    (src / "deep-but-fine.xml").write_text(tei_document("deep-but-fine", nested(MAX_DEPTH - 10), "Fine"))
    report = CorpusLoader(src).run()
    assert [name for name, _ in report.failed] == ["deep.xml"]
    line = first_too_deep((src / "deep.xml").read_text())
    assert report.failed[0][1] == f"deep.xml: line {line}: elements nested deeper than {MAX_DEPTH}"
    assert {"partisans", "partisans-2", "deep-but-fine"} <= set(Document.objects.values_list("slug", flat=True))
    assert not Document.objects.filter(slug="deep").exists()


def test_importtei_refuses_the_deep_file_and_imports_the_others(tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    (sources / "deep.xml").write_text(tei_document("deep", nested(200), "Deep"))
    (sources / "plain.xml").write_text(tei_document("plain", nested(3), "Plain"))
    reports = ForeignImporter(tmp_path / "tei", tmp_path / "sources", validate=False).run(sorted(sources.iterdir()))
    deep, plain = reports
    assert deep.source.endswith("deep.xml") and not deep.ok
    assert f"deep.xml: line {first_too_deep((sources / 'deep.xml').read_text())}: elements nested deeper" in deep.error
    assert plain.ok, plain.error


def test_a_doctype_is_refused_before_the_file_is_parsed():
    """The rest of the file is not even well-formed: the refusal comes from the prolog, not the parser."""
    data = b'<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE TEI [<!ENTITY a "abcd">]>\n<TEI>&a;' + b"<p>" * 1000
    with pytest.raises(TEIError, match=r"^x.xml: line 3: DOCTYPE/ENTITY declarations are not accepted"):
        parse_bytes(data, "x.xml")
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE TEI SYSTEM "file:///etc/passwd"><TEI/>'
    with pytest.raises(TEIError, match="line 2: DOCTYPE"):
        parse_bytes(utf16.encode("utf-16"), "u.xml")


def test_a_foreign_file_of_one_entity_is_refused_before_expanding_it():
    """A 20 MB file made of one 4-character entity took 26-55 s and 840-900 MB to be refused."""
    head = b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "abcd">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>'
    data = head + b"&a;" * (20 * 1024 * 1024 // 3) + b"</p></body></text></TEI>\n"
    start = time.perf_counter()
    with pytest.raises(ForeignError, match=r"^bomb.xml: line 3: its entities would expand the file to 146,"):
        parse_foreign(data, "bomb.xml")
    assert time.perf_counter() - start < 10  # 0.2 s here; before, the expansion alone took 26 s


def test_a_few_declared_entities_are_still_expanded():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY c "&#x2014;">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a&c;b</p></body></text></TEI>'
    assert "".join(parse_foreign(data, "ok.xml").root.itertext()) == "a\u2014b"
