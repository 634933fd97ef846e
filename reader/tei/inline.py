"""Inline noise inside a stretch of running text.

A block's content is a list of :class:`Seg` pieces. ``text`` is the source's
running text; every other kind is noise that is kept (never dropped) but is
not part of the document's text:

``gloss``      a link tooltip a scraper inserted after the linked term
``editorial``  a wiki maintenance marker such as ``[citation needed]``
``gap``        the source cut the sentence short here (empty text)
``citation``   an inline citation (a footnote a scraper spliced into the prose)
``template``   wiki template or category code (``{{DEFAULTSORT:...``)
``footnote``   a footnote mark whose note the scrape lost (``[7]``)
``edit-link``  a section's ``[edit]`` link (page chrome)

Within one unit, wiki quote markup becomes ``hi-open``/``hi-close`` markers
and line breaks that are not word spaces become ``join`` segments (see
:func:`split_emphasis`, :func:`mark_joins`).

Scraped tooltips are recognised by their shape, not by their words: a line
that ends in the truncation mark `` ...`` and starts with the linked term,
followed by an encyclopedia-style definition of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .folding import fold_word


@dataclass(frozen=True)
class Seg:
    kind: str  # "text" | "gloss" | "editorial" | "gap" | "citation" | "template"; in a unit also "hi-open" | "hi-close" | "join"
    text: str


TOOLTIP_END = re.compile(r"(?:\s|^)\.\.\.\s*$")
EDITORIAL_MARK = re.compile(
    r"\[(?:citation needed|clarification needed|dubious(?:[^\]]{0,40})|verification needed|"
    r"page needed|better source needed|who\?|when\?|according to whom\?|by whom\?|"
    r"original research\??|failed verification|not in citation given)\]",
    re.IGNORECASE,
)
#: Capitalised words that begin a definition rather than continue a title.
DEFINITION_OPENERS = {"The", "A", "An", "In", "From", "On", "At", "During", "This", "It", "Since", "As"}
_WORD = re.compile(r"\S+")
INFOBOX_FIELD = re.compile(r"\s,\s[a-z_]+\s=\s")


def is_tooltip_line(line: str) -> bool:
    """A scraped link line: the term, then a definition cut off with `` ...``."""
    words = line.split()
    return len(words) >= 5 and bool(TOOLTIP_END.search(line))


def split_tooltip(line: str) -> tuple[str, str]:
    """Split a scraped link line into (linked term, tooltip).

    The term is the line's first 1-8 words; the tooltip is an encyclopedia
    lead about the term, so it usually repeats the term (possibly after an
    article, quoted or inflected: "Latvia Latvia (...", "annexed Annexation
    (...", "Narev The Narew (..."). Where no split point repeats the term, the
    tooltip starts at the first capitalised definition opener, else at the
    first capitalised word after a lower-case one.
    """
    infobox = INFOBOX_FIELD.search(line)
    if infobox:  # a dumped infobox ("X , partof = ..."): the term is what precedes it
        return line[: infobox.start()].rstrip(), line[infobox.start() :]
    spans = [(m.start(), m.group()) for m in _WORD.finditer(line)]
    words = [w for _, w in spans]
    complete, partial = [], []
    for k in range(1, min(12, len(words) - 1) + 1):
        matched, whole = _repeat(words[:k], words[k : k + 16])
        (complete if whole else partial).append((matched, -k)) if matched else None
    if complete:
        k = -max(complete)[1]
    else:
        k = _opener_split(words) or (-max(partial)[1] if partial else _case_split(words))
    cut = spans[k][0]
    return line[:cut].rstrip(), line[cut:]


_ARTICLES = {"the", "a", "an", ""}


def _repeat(term: list[str], rest: list[str]) -> tuple[int, bool]:
    """How many words of ``term`` the tooltip ``rest`` repeats at its start.

    Returns (count, whole term repeated). A tooltip opens with the term's
    first word ("Latvia Latvia (") or, for a disambiguated link, with one of
    its words ("Operation Aster Aster or ASTER may refer to").
    """
    folded_term = [f for f in (fold_word(w) for w in term) if f not in _ARTICLES]
    folded_rest = [f for f in (fold_word(w) for w in rest) if f]
    while folded_rest and folded_rest[0] in _ARTICLES:
        folded_rest.pop(0)
    if not folded_term or not folded_rest:
        return 0, False
    count = 0
    for a, b in zip(folded_term, folded_rest):
        if not _same_word(a, b):
            break
        count += 1
    if count == 0 and folded_rest[0] in (folded_term[0], folded_term[-1]):
        return 1, False
    return count, count == len(folded_term)


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    prefix = len(_common_prefix(a, b))
    return prefix >= 4 or (len(a) >= 4 and Indel.normalized_similarity(a, b) >= 0.8)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def _opener_split(words: list[str]) -> int | None:
    """First capitalised definition opener ("The", "In", "From" ...) after the term."""
    return next((k for k in range(1, min(14, len(words))) if words[k] in DEFINITION_OPENERS), None)


def _case_split(words: list[str]) -> int:
    """First capitalised word after a lower-case one ("constituent republics Administrative")."""
    for k in range(1, min(14, len(words))):
        if words[k][:1].isupper() and words[k - 1][:1].islower():
            return k
    return 1


#: A footnote mark whose note the scrape lost ("[7]", "[a]", "[notes 3]") and a section's "[edit]" link.
FOOTNOTE_MARK = re.compile(r"\[(?:\d{1,3}|[a-z]|notes? \d{1,3}|nb \d{1,3})\]")
EDIT_LINK = re.compile(r"\[edit\]")


def mark_editorial(text: str) -> list[Seg]:
    """Split running text into text and noise marks: ``[citation needed]``-style markers
    (``editorial``), footnote marks (``footnote``), ``[edit]`` links (``edit-link``)."""
    segs: list[Seg] = []
    pos = 0
    marks = [(m, "editorial") for m in EDITORIAL_MARK.finditer(text)]
    marks += [(m, "footnote") for m in FOOTNOTE_MARK.finditer(text)]
    marks += [(m, "edit-link") for m in EDIT_LINK.finditer(text)]
    for m, kind in sorted(marks, key=lambda mk: mk[0].start()):
        if m.start() < pos:
            continue
        if m.start() > pos:
            segs.append(Seg("text", text[pos : m.start()]))
        segs.append(Seg(kind, m.group()))
        pos = m.end()
    if pos < len(text):
        segs.append(Seg("text", text[pos:]))
    return segs


def plain(segs: list[Seg]) -> str:
    """The running text of a list of segments."""
    return "".join(s.text for s in segs if s.kind == "text")


# --- wiki residue in running text: citations, template code, quote markup, line joins -------------

#: An author-date citation with its page ("Mälksoo (2003), p. 193.", "Hiden & Salmon (1994). p. 120.").
_AUTHOR = r"[A-ZÀ-ÖØ-Þ][\w’'-]+"
SHORT_CITATION = re.compile(
    rf"(?<![\w(]){_AUTHOR}(?:\s(?:&|and)\s{_AUTHOR}|\set al\.)?\s\((?:1[5-9]|20)\d{{2}}[a-z]?\)[.,]?\s?"
    r"(?:[^.()\n]{3,100}?,\s)?"  # a short title: "Khudoley (2008), Soviet foreign policy ..., p. 90."
    r"pp?\.\s?[\dxivlc]+(?:\s?[–-]\s?[\dxivlc]+)?\.?"
)
#: A sentence end glued to the next capitalised word: where a scraper dropped a footnote's <ref> tags.
_GLUED = re.compile(r"(?<=[a-z0-9)\"”’])(?:[.!?][\"”’)]?|,)(?=(?:'{2,3})?[A-Z][a-z])")
_PAGE_END = re.compile(r",?\s?(?:\bpp?\.?|[Pp]age)\s?[\dxivlc]+(?:\s?[–-]\s?[\dxivlc]+)?[.,]?(?=\s|$)")
#: A year closing a reference with commas in it ("..., RoutledgeCurzon, 2002, According to ...").
_YEAR_END = re.compile(r"\b(?:1[5-9]|20)\d{2}\b[.,]?(?=\s+[A-Z][a-z])")
_YEAR_THEN_PROSE = re.compile(r"\b(?:1[5-9]|20)\d{2}\b(?=\s+[a-z]{2,}\s)")
_RETRIEVED_END = re.compile(r"\b(?:Retrieved|Accessed|retrieved|accessed)\b[^.\n]{3,40}\b(?:1[5-9]|20)\d{2}\.?")
#: Words that open a sentence of prose after a reference title ("The World Book Encyclopedia This policy").
SENTENCE_OPENERS = {
    "The",
    "This",
    "These",
    "That",
    "In",
    "On",
    "However",
    "After",
    "Before",
    "During",
    "It",
    "They",
    "He",
    "She",
    "According",
    "Although",
    "When",
    "While",
    "By",
    "From",
    "As",
    "Since",
}
_TITLE_WORDS = {"of", "the", "and", "in", "on", "for", "to", "a", "an", "at", "de", "la", "von", "und", "&"}
MAX_CITATION_WORDS = 40


def mark_citations(segs: list[Seg]) -> list[Seg]:
    """Split inline citations (footnotes a scraper spliced into the prose) out of running text."""
    out: list[Seg] = []
    for seg in segs:
        if seg.kind != "text":
            out.append(seg)
            continue
        pos = 0
        for start, end in _citation_spans(seg.text):
            if start > pos:
                out.append(Seg("text", seg.text[pos:start]))
            out.append(Seg("citation", seg.text[start:end]))
            pos = end
        if pos < len(seg.text):
            out.append(Seg("text", seg.text[pos:]))
    return out


def _citation_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in SHORT_CITATION.finditer(text)]
    for m in _GLUED.finditer(text):
        start = m.end()
        if any(a <= start < b for a, b in spans):
            continue
        end = _glued_reference_end(text, start)
        if end:
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _glued_reference_end(text: str, start: int) -> int | None:
    """End of a reference that begins at ``start`` (right after a glued sentence end), or None.

    It ends at its page locator, at a "Retrieved ... 2010." note, at a line break
    before a line that opens prose, or, for a bare title, before a sentence opener.
    """
    window = text[start:]
    words = list(_WORD.finditer(window))[:MAX_CITATION_WORDS]
    if len(words) < 2:
        return None
    limit = words[-1].end()
    ends = []
    for pattern in (_PAGE_END, _RETRIEVED_END):
        m = pattern.search(window, 0, limit + 1)
        if m:
            ends.append(m.end())
    m = _YEAR_END.search(window, 0, limit + 1)
    if m and "," in window[: m.start()]:
        ends.append(m.end())
    m = _YEAR_THEN_PROSE.search(window, 0, limit + 1)
    if m and window[: m.start()].count(",") >= 2:  # "..., Vol. 53, No. 5. 2001 as well as ..."
        ends.append(m.end())
    for m in re.finditer(r"\n(?=[A-Z\"“])", window[:limit]):
        if not window[m.end() :].startswith("at "):
            ends.append(m.start())
    title_end = _bare_title_end(window, words)
    if title_end:
        ends.append(title_end)
    ends = [e for e in ends if len(window[:e].split()) >= 2]
    return start + min(ends) if ends else None


def _bare_title_end(window: str, words) -> int | None:
    """A title-case run ("The World Book Encyclopedia") followed by a sentence opener."""
    for i, w in enumerate(words):
        word = w.group()
        if i >= 2 and word in SENTENCE_OPENERS and words[i - 1].group()[:1].isupper():
            return words[i - 1].end()
        if not (word[:1].isupper() or word.lower() in _TITLE_WORDS):
            return None
    return None


#: Template code and category links left in by a scraper: ``{{DEFAULTSORT:...}}``, ``[[Category:...]]``.
TEMPLATE_OPEN = re.compile(r"\{\{|\[\[Category:", re.IGNORECASE)


def mark_templates(segs: list[Seg]) -> list[Seg]:
    """Template and category code becomes ``template`` noise; an unclosed ``{{`` runs to the end of the block."""
    out: list[Seg] = []
    swallowing = False
    for seg in segs:
        if swallowing:
            out[-1] = Seg("template", out[-1].text + seg.text)
            continue
        if seg.kind != "text":
            out.append(seg)
            continue
        text, pos = seg.text, 0
        while True:
            m = TEMPLATE_OPEN.search(text, pos)
            if not m:
                break
            close = "}}" if m.group() == "{{" else "]]"
            end = text.find(close, m.end())
            if m.start() > pos:
                out.append(Seg("text", text[pos : m.start()]))
            if end < 0:
                out.append(Seg("template", text[m.start() :]))
                swallowing = True
                pos = len(text)
                break
            out.append(Seg("template", text[m.start() : end + len(close)]))
            pos = end + len(close)
        if pos < len(text) and not swallowing:
            out.append(Seg("text", text[pos:]))
    return out


#: Wiki quote markup: ''italic'', '''bold''', '''''both'''''.
QUOTE_MARKUP = re.compile(r"'{5}|'{3}|'{2}(?!')")
EMPHASIS = {2: ("italic",), 3: ("bold",), 5: ("bold", "italic")}


def split_emphasis(segs: list[Seg]) -> list[Seg]:
    """Turn balanced wiki quote markup in text segments into ``hi-open``/``hi-close`` markers.

    Markers carry the rendition (``italic``/``bold``). Pairing runs over the
    text segments of one unit (across noise in between); if the marks do not
    pair up, they are left as characters: nothing is guessed.
    """
    events: list[Seg] = []
    open_stack: list[str] = []
    balanced = True
    for seg in segs:
        if seg.kind != "text":
            events.append(seg)
            continue
        pos = 0
        for m in QUOTE_MARKUP.finditer(seg.text):
            if m.start() > pos:
                events.append(Seg("text", seg.text[pos : m.start()]))
            for rend in EMPHASIS[len(m.group())]:
                if open_stack and open_stack[-1] == rend:
                    open_stack.pop()
                    events.append(Seg("hi-close", rend))
                elif rend in open_stack:
                    balanced = False
                    events.append(Seg("hi-close", rend))
                else:
                    open_stack.append(rend)
                    events.append(Seg("hi-open", rend))
            pos = m.end()
        if pos < len(seg.text):
            events.append(Seg("text", seg.text[pos:]))
    if open_stack or not balanced:
        return segs
    return events


_NEWLINES = re.compile(r"\n+")
_CLOSING = ",.;:!?)]}»”’"
_OPENING = "([{«“„"


def mark_joins(segs: list[Seg]) -> list[Seg]:
    """Source line breaks that are not word spaces become ``join`` segments.

    A scraper breaks lines at link boundaries: "Lithuania␤, adjacent", "(␤Armia
    Krajowa", "Republic␤s". Such a break is kept (the ``join`` segment holds it)
    but does not put a space into the reading text: when the next reading
    character closes (punctuation, a closing quote, a plural "s") or the previous
    one opens (a bracket, an opening quote).
    """
    out: list[Seg] = []
    quotes = 0
    for index, seg in enumerate(segs):
        if seg.kind != "text":
            out.append(seg)
            continue
        pos = 0
        for m in _NEWLINES.finditer(seg.text):
            before = seg.text[: m.start()] or _reading_before(segs, index)
            after = seg.text[m.end() :] or _reading_after(segs, index)
            quotes_before = quotes + seg.text[: m.start()].count('"')
            if _no_space(before, after, quotes_before):
                if m.start() > pos:
                    out.append(Seg("text", seg.text[pos : m.start()]))
                out.append(Seg("join", m.group()))
                pos = m.end()
        if pos < len(seg.text):
            out.append(Seg("text", seg.text[pos:]))
        quotes += seg.text.count('"')
    return out


def _reading_before(segs: list[Seg], index: int) -> str:
    for seg in reversed(segs[:index]):
        if seg.kind == "text" and seg.text:
            return seg.text
        if seg.kind == "hi-open":
            return " "  # markup just opened: what precedes it decides, and it already has its space
    return ""


def _reading_after(segs: list[Seg], index: int) -> str:
    for seg in segs[index + 1 :]:
        if seg.kind == "text" and seg.text:
            return seg.text
    return ""


def _no_space(before: str, after: str, quotes_before: int) -> bool:
    if not before or not after or before[-1:].isspace() or after[:1].isspace():
        return False
    first, last = after[0], before[-1]
    if first in _CLOSING or re.match(r"(?:'s|[b-z])(?![^\W\d_])", after):
        return True  # punctuation, or a suffix after a link ("Republic␤s", "Latvia␤n state", "disperse␤d")
    if first == '"' and quotes_before % 2 == 1:
        return True  # a closing quote
    if last in _OPENING or (last == '"' and quotes_before % 2 == 1):
        return True  # an opening bracket or quote
    return False
