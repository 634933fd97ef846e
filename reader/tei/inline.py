"""Inline noise inside a stretch of running text.

A block's content is a list of :class:`Seg` pieces. ``text`` is the source's
running text; every other kind is noise that is kept (never dropped) but is
not part of the document's text:

``gloss``      a link tooltip a scraper inserted after the linked term
``editorial``  a wiki maintenance marker such as ``[citation needed]``
``gap``        the source cut the sentence short here (empty text)

Scraped tooltips are recognised by their shape, not by their words: a line
that ends in the truncation mark `` ...`` and starts with the linked term,
followed by an encyclopedia-style definition of it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Indel


@dataclass(frozen=True)
class Seg:
    kind: str  # "text" | "gloss" | "editorial" | "gap"
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
_QUOTES = "'\"‘’“”«»"


def fold(word: str) -> str:
    """Lower-case, strip diacritics and surrounding punctuation: for comparing word forms."""
    decomposed = unicodedata.normalize("NFKD", word.strip(_QUOTES + "()[],.;:"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


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
    folded_term = [f for f in (fold(w) for w in term) if f not in _ARTICLES]
    folded_rest = [f for f in (fold(w) for w in rest) if f]
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


def mark_editorial(text: str) -> list[Seg]:
    """Split running text into text and ``[citation needed]``-style markers."""
    segs: list[Seg] = []
    pos = 0
    for m in EDITORIAL_MARK.finditer(text):
        if m.start() > pos:
            segs.append(Seg("text", text[pos : m.start()]))
        segs.append(Seg("editorial", m.group()))
        pos = m.end()
    if pos < len(text):
        segs.append(Seg("text", text[pos:]))
    return segs


def plain(segs: list[Seg]) -> str:
    """The running text of a list of segments."""
    return "".join(s.text for s in segs if s.kind == "text")
