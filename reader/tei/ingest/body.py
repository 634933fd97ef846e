"""Writing the TEI body: blocks become divisions, headings, paragraphs, lists and bibliographies, with
inline noise (tooltips, page chrome) kept as notes and Cyrillic runs marked by language."""

from __future__ import annotations

import re

from lxml import etree

from ..inline import TOOLTIP_END, Seg, mark_joins, split_emphasis
from ..structure import Block, Structure
from ..vocabulary import PIPELINE
from ..xml import XML_LANG, append_text, tei

_CYRILLIC_RUN = re.compile(
    r"[\u0400-\u04FF][\u0400-\u04FF\u0300-\u036F\w.,:;«»\"'()\-–—/ ]*[\u0400-\u04FF\u0300-\u036F.»\"')]"
)


def _append_text(parent: etree._Element, text: str) -> None:
    """Append text to ``parent``, wrapping runs of Cyrillic script in ``foreign``."""
    pos = 0
    for m in _CYRILLIC_RUN.finditer(text):
        if len(re.findall(r"[\u0400-\u04FF]", m.group())) < 2:
            continue
        append_text(parent, text[pos : m.start()])
        foreign = etree.SubElement(parent, tei("foreign"))
        foreign.set(XML_LANG, cyrillic_language(m.group()))
        foreign.text = m.group()
        pos = m.end()
    append_text(parent, text[pos:])


def cyrillic_language(text: str) -> str:
    """Russian unless letters only Ukrainian or Belarusian use say otherwise."""
    if re.search(r"[ўЎ]", text):
        return "be"
    if re.search(r"[іїєґІЇЄҐ]", text):
        return "uk"
    return "ru"


def _fill(el: etree._Element, segs: list[Seg], lang: str | None) -> None:
    """Build a unit's content: running text, wiki emphasis as ``hi``, noise as notes, joins as ``lb``."""
    stack = [el]
    for seg in mark_joins(split_emphasis(segs)):
        parent = stack[-1]
        if seg.kind == "text":
            (append_text if lang else _append_text)(parent, seg.text)
        elif seg.kind == "hi-open":
            stack.append(etree.SubElement(parent, tei("hi"), rend=seg.text))
        elif seg.kind == "hi-close":
            stack.pop()
        elif seg.kind == "join":
            for _ in seg.text:
                etree.SubElement(parent, tei("lb"), {"break": "no"})
        else:
            _noise(parent, seg)


def _noise(parent: etree._Element, seg: Seg) -> None:
    if seg.kind == "gloss":
        note = etree.SubElement(parent, tei("note"), type="gloss", resp=PIPELINE)
        _fill_noise(note, seg.text)
        if TOOLTIP_END.search(seg.text):  # the scraper cut the tooltip's sentence short
            etree.SubElement(note, tei("gap"), reason="truncated", resp=PIPELINE)
    elif seg.kind == "editorial":
        subtype = "citation-needed" if "citation needed" in seg.text.lower() else "maintenance"
        note = etree.SubElement(parent, tei("note"), type="editorial", subtype=subtype, resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "citation":
        note = etree.SubElement(parent, tei("note"), type="citation", place="inline", resp=PIPELINE)
        _fill_noise(etree.SubElement(note, tei("bibl")), seg.text)
    elif seg.kind == "footnote":
        note = etree.SubElement(
            parent, tei("note"), type="citation", subtype="footnote-mark", place="inline", resp=PIPELINE
        )
        etree.SubElement(note, tei("ref")).text = seg.text
    elif seg.kind == "edit-link":
        note = etree.SubElement(parent, tei("note"), type="boilerplate", subtype="edit-link", resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "template":
        note = etree.SubElement(parent, tei("note"), type="boilerplate", subtype="template", resp=PIPELINE)
        note.text = seg.text
    elif seg.kind == "gap":
        etree.SubElement(parent, tei("gap"), reason="truncated", resp=PIPELINE)
    else:
        raise ValueError(f"unknown segment kind {seg.kind!r}")


def _fill_noise(el: etree._Element, text: str) -> None:
    """Text of a note: wiki emphasis as ``hi``, Cyrillic as ``foreign``."""
    stack = [el]
    for seg in split_emphasis([Seg("text", text)]):
        if seg.kind == "text":
            _append_text(stack[-1], seg.text)
        elif seg.kind == "hi-open":
            stack.append(etree.SubElement(stack[-1], tei("hi"), rend=seg.text))
        else:
            stack.pop()


def _unit_language(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return cyrillic_language(text) if letters and cyrillic / len(letters) > 0.5 else None


def build_body(text_el: etree._Element, structure: Structure, blocks: list[Block]) -> None:
    preamble = [b for b in blocks if b.kind == "chrome"]
    if preamble or structure.title_source != "first-sentence":
        front = etree.SubElement(text_el, tei("front"))
        for i, block in enumerate(preamble + [None]):
            if i == structure.title_index and structure.title_source != "first-sentence":
                title_part = etree.SubElement(etree.SubElement(front, tei("docTitle")), tei("titlePart"))
                title_part.text = structure.title
            if block is not None:
                note = etree.SubElement(front, tei("note"), type="boilerplate", subtype=block.subtype or "chrome")
                note.text = block.text.strip()
    body = etree.SubElement(text_el, tei("body"))
    stack: list[tuple[int, etree._Element]] = []  # (level, div)
    container = None  # current list/listBibl
    for block in [b for b in blocks if b.kind != "chrome"]:
        if block.kind in ("head", "division") or not stack:
            level = block.level if block.kind == "head" else 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else body
            div = etree.SubElement(parent, tei("div"), type="section")
            if not stack and block.kind not in ("head", "division"):
                div.set("subtype", "lead")
            if block.kind == "division":
                div.set("resp", PIPELINE)
            stack.append((level, div))
            container = None
            if block.kind == "head":
                head = etree.SubElement(div, tei("head"))
                if block.inferred:
                    head.set("resp", PIPELINE)
                if block.subtype == "supplied":
                    head = etree.SubElement(head, tei("supplied"), reason="heading of the structured version")
                _fill(head, block.segs, None)
                continue
            if block.kind == "division":
                continue
        div = stack[-1][1]
        el = _block_element(div, block, container)
        container = el.getparent() if block.kind in ("item", "bibl") else None
        lang = _unit_language(block.text)
        if lang:
            el.set(XML_LANG, lang)
        if block.inferred:
            el.set("resp", PIPELINE)
        _fill(el, _trim(block.segs), lang)
    for div in body.iter(tei("div")):
        if len(div) == 0 or (len(div) == 1 and div[0].tag == tei("head")):
            etree.SubElement(div, tei("gap"), reason="no-content-in-source")


def _block_element(div: etree._Element, block: Block, container: etree._Element | None) -> etree._Element:
    wrapper = {"item": "list", "bibl": "listBibl"}.get(block.kind)
    if wrapper is None:
        return etree.SubElement(div, tei(block.kind))
    if (
        container is None
        or container.tag != tei(wrapper)
        or container.getparent() is not div
        or div[-1] is not container
    ):
        container = etree.SubElement(div, tei(wrapper))
    return etree.SubElement(container, tei(block.kind))


def _trim(segs: list[Seg]) -> list[Seg]:
    """Leading/trailing whitespace of a unit is layout, not text."""
    segs = list(segs)
    if segs and segs[0].kind == "text":
        segs[0] = Seg("text", segs[0].text.lstrip())
    if segs and segs[-1].kind == "text":
        segs[-1] = Seg("text", segs[-1].text.rstrip())
    return [s for s in segs if s.text or s.kind == "gap"]
