"""The entity kinds are defined once (reader.tei.vocabulary); what is not derived from them is checked here."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from reader.tei.parsing import EntityData, MentionData, parse_entry, parse_mentions
from reader.tei.rendering import UnitRenderer
from reader.tei.validate import validate_tree
from reader.tei.vocabulary import KIND_LABELS, KINDS, MENTION_KIND_OF, mention_kind
from reader.tei.writing import apply_mentions, entry_element, list_for
from reader.tei.xml import NS, XML_ID, tei

STYLESHEET = Path(__file__).resolve().parent.parent / "reader" / "static" / "reader" / "entities.css"


def test_the_stylesheet_has_a_colour_and_a_rule_per_kind():
    css = STYLESHEET.read_text(encoding="utf-8")
    for kind in MENTION_KIND_OF.values():
        assert re.search(rf"--{kind.name}:\s*{re.escape(kind.colour)}\s*;", css), f"--{kind.name} is not {kind.colour}"
        assert re.search(rf"\.{kind.css_class}\s*\{{[^}}]*var\(--{kind.name}\)", css), f"no .{kind.css_class} rule"


def test_the_models_choices_are_the_vocabulary_kinds():
    from reader.entities.models import EntityKind
    from reader.texts.models import Mention

    assert EntityKind.values == list(KINDS)
    assert Mention.Kind.values == list(MENTION_KIND_OF)
    assert dict(Mention.Kind.choices)["org"] == "Organisation"


def test_every_kind_has_its_own_mention_key_and_prefix():
    keys = [k.name_tag for k in MENTION_KIND_OF.values()]
    assert len(set(keys)) == len(keys)
    prefixes = [k.prefix for k in KINDS.values()]
    assert len(set(prefixes)) == len(prefixes) and all(prefixes)
    assert KIND_LABELS["org"] == "organisation"


def _document_with_every_kind() -> tuple[etree._Element, etree._Element]:
    """A minimal TEI document with one mention of every kind and a standOff register with an entry of each."""
    root = etree.fromstring(
        f'<TEI xmlns="{NS["tei"]}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
        '<text><body><p xml:id="p1"/></body></text></TEI>'
    )
    words = [f"Name{i}" for i in range(len(MENTION_KIND_OF))]
    p = root.find(".//tei:p", NS)
    p.text = " and ".join(words) + "."
    mentions, at = [], 0
    for kind, word in zip(MENTION_KIND_OF, words):
        ref = f"{MENTION_KIND_OF[kind].prefix}-x" if kind in KINDS else ""
        when = "1893" if kind == "date" else ""
        mentions.append(MentionData(kind=kind, start=at, end=at + len(word), surface=word, ref=ref, when=when))
        at += len(word) + len(" and ")
    p.getparent().replace(p, apply_mentions(p, mentions))
    for kind in KINDS:
        data = EntityData(f"{KINDS[kind].prefix}-x", kind, f"The {kind}", (("Other", "de", "variant"),), (), "", "")
        list_for(root, kind).append(entry_element(data))
    return root, root.find(".//tei:p", NS)


def test_a_mention_and_an_entry_of_every_kind_are_valid_tei_and_read_back():
    root, p = _document_with_every_kind()
    assert validate_tree(root) == []
    _text, mentions = parse_mentions(p)
    assert [m.kind for m in mentions] == list(MENTION_KIND_OF)
    for entry in root.iter(*(tei(k.entry_tag) for k in KINDS.values())):
        data = parse_entry(entry)
        assert data.name == f"The {data.kind}" and data.variants == (("Other", "de", "variant"),)
        assert entry.get(XML_ID) == f"{KINDS[data.kind].prefix}-x"


def test_every_kind_renders_with_its_class_and_label():
    _root, p = _document_with_every_kind()
    html = UnitRenderer(entity_url=lambda ref: f"/entities/{ref}/").render(p)
    for kind in MENTION_KIND_OF.values():
        assert f'class="ent {kind.css_class}"' in html
        if kind.name in KINDS:
            assert f'title="{kind.label}"' in html


def test_an_rs_of_another_type_is_no_mention():
    el = etree.Element(tei("rs"), type="fn")
    assert mention_kind(el) is None
    p = etree.fromstring(f'<p xmlns="{NS["tei"]}" xml:id="p1">A <rs type="fn">witness</rs> signs.</p>')
    assert parse_mentions(p)[1] == []
    out = apply_mentions(p, [])
    assert out.find("tei:rs", NS) is not None  # kept, not stripped as a mention would be
