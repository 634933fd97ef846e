"""Models and the TEI ↔ plain data helpers of reader.texts (mentions, rendering, inline export)."""

from __future__ import annotations

import pytest
from lxml import etree

from reader.tei.document import unit_text
from reader.tei.xml import parse_bytes
from reader.tei.writing import MentionPlacementError, apply_mentions
from reader.texts.loader import CorpusLoader
from reader.tei.parsing import MentionData, parse_mentions
from reader.tei.rendering import UnitRenderer
from reader.texts.models import Document, Paragraph
from texts_tei import write_corpus

TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'


def unit(xml: str) -> etree._Element:
    return parse_bytes(xml.replace("<p", f"<p {TEI}", 1).encode())


def test_mention_offsets_follow_unit_text_across_noise_and_whitespace():
    el = unit(
        '<p xml:id="p1">  In\n  <date when="1941">1941</date>   the <note type="gloss">Latvia Latvia ( ...</note>'
        ' <placeName ref="register.xml#pla-x"> Latvian\n SSR</placeName>.</p>'
    )
    text, mentions = parse_mentions(el)
    assert text == unit_text(el) == "In 1941 the Latvian SSR."
    assert [(m.kind, text[m.start : m.end], m.ref) for m in mentions] == [
        ("date", "1941", ""),
        ("place", "Latvian SSR", "pla-x"),
    ]
    assert mentions[0].when == "1941"


def test_nested_mentions_are_both_kept():
    el = unit('<p><orgName ref="#org-a">Army of <placeName ref="#pla-b">Latvia</placeName></orgName> won.</p>')
    text, mentions = parse_mentions(el)
    assert [(m.kind, m.surface) for m in mentions] == [("org", "Army of Latvia"), ("place", "Latvia")]


def test_apply_mentions_wraps_words_across_noise_and_round_trips():
    el = unit(
        '<p xml:id="p1">Sarkanā <note type="editorial">[x]</note>bulta was <foreign xml:lang="lv">par Dzimteni</foreign>.</p>'
    )
    text = unit_text(el)
    start = text.index("Sarkanā")
    out = apply_mentions(
        el,
        [MentionData("org", start, start + len("Sarkanā bulta"), "Sarkanā bulta", ref="org-sb", resp="#annotator-a")],
    )
    xml = etree.tostring(out, encoding="unicode")
    assert (
        '<orgName ref="register.xml#org-sb" resp="#annotator-a">Sarkanā <note type="editorial">[x]</note>bulta</orgName>'
        in xml
    )
    assert parse_mentions(out)[1][0].surface == "Sarkanā bulta"
    assert unit_text(out) == text


def test_apply_mentions_refuses_a_mention_crossing_an_element():
    el = unit('<p xml:id="p1">fought <foreign xml:lang="lv">par Dzimteni</foreign> well.</p>')
    text = unit_text(el)
    with pytest.raises(MentionPlacementError, match="p1.*cross"):
        apply_mentions(el, [MentionData("place", text.index("fought"), text.index("Dzimteni") + 3, "x")])
    with pytest.raises(MentionPlacementError, match="outside"):
        apply_mentions(el, [MentionData("place", 0, 999, "x")])


def test_renderer_is_a_table_from_element_to_html_and_escapes():
    el = unit(
        '<p>A <persName ref="register.xml#per-a">&lt;b&gt;Ann</persName> <note type="gloss">tip</note>'
        '<gap reason="truncated"/> <foreign xml:lang="ru">да</foreign> <hi rend="italic">it</hi></p>'
    )
    html = UnitRenderer(entity_url=lambda ref: f"/e/{ref}/").render(el)
    assert '<a class="ent ent-person" href="/e/per-a/" data-kind="person" title="person">&lt;b&gt;Ann</a>' in html
    assert '<span class="noise noise-gloss" data-noise="gloss" title="scraped link tooltip">tip</span>' in html
    assert 'class="noise noise-gap"' in html and "[…]" in html
    assert '<span class="foreign" lang="ru">да</span>' in html
    assert '<em class="tei-hi">it</em>' in html


@pytest.mark.django_db
def test_paragraph_and_document_labels_and_urls(tmp_path):
    CorpusLoader(write_corpus(tmp_path)).run()
    doc = Document.objects.get(slug="partisans")
    assert doc.label == "900" and doc.language == "en" and doc.languages == "en,ru"
    assert doc.get_absolute_url() == "/texts/partisans/"
    head = Paragraph.objects.get(document=doc, xml_id="h1")
    p2 = Paragraph.objects.get(document=doc, xml_id="p2")
    assert head.label == "heading" and head.number is None
    assert p2.label == "¶ 2" and p2.section.head == "Background"  # numbered through the document
    assert p2.get_absolute_url() == "/texts/partisans/p2/"
    assert Paragraph.objects.get(document=doc, xml_id="b1").lang == "ru"
    assert doc.work.witnesses.count() == 2
    assert list(doc.paragraphs.text_units().values_list("kind", flat=True)).count("head") == 0


def test_inline_rebuild_reproduces_every_marked_unit_of_the_corpus(corpus_dir):
    """Removing a unit's mentions and writing them back from offsets gives the same TEI."""
    from reader.tei.xml import parse_file
    from reader.tei.document import unit_elements

    for path in sorted(corpus_dir.glob("*.xml")):
        if path.name == "register.xml":
            continue
        root = parse_file(path)
        for el in unit_elements(root.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")):
            _, mentions = parse_mentions(el)
            rebuilt = apply_mentions(el, mentions)
            assert etree.tostring(rebuilt, method="c14n") == etree.tostring(el, method="c14n"), (
                path.name,
                el.get("{http://www.w3.org/XML/1998/namespace}id"),
            )
