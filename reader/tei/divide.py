"""Editorial division of text the source did not divide.

* :func:`sentence_starts` finds sentence boundaries (initials and common
  abbreviations do not end a sentence).
* :func:`divide_long` cuts a text the source did not divide at all (a
  flattened page with no structured version to follow) into paragraphs of
  about :data:`TARGET_WORDS` words at sentence boundaries. A paragraph the
  source marks is never cut, however long (see :mod:`.structure`).
* :func:`project_structure` divides a flattened text like a structured version
  of the same text (found by word-shingle overlap): the two are aligned word
  by word and the version's paragraph, list-item and reference boundaries are
  carried over. This is what an editor does by hand with a flattened copy.
* :func:`split_references` cuts a run of bibliography entries with no
  separators at the points where one reference ends (a year, page count,
  ISBN) and the next begins (author initials and surname, or a change of
  script).
* :func:`split_bullets` turns inline ``*`` bullets into list items.

All of them work on segment lists (:class:`~.inline.Seg`), cutting only in
running text, never inside a gloss or editorial note.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .folding import fold_word
from .inline import Seg
from .structure import Block

TARGET_WORDS = 110
ABBREVIATIONS = {
    "no",
    "nos",
    "pp",
    "p",
    "ed",
    "eds",
    "vol",
    "st",
    "mr",
    "mrs",
    "dr",
    "etc",
    "cf",
    "ca",
    "c",
    "jr",
    "sr",
    "gen",
    "lt",
    "col",
    "gov",
    "prof",
    "fig",
    "vs",
    "стр",
    "ст",
    "илл",
    "гг",
    "г",
    "т",
    "им",
}
_SENTENCE_GAP = re.compile(r"(?<=[.!?])([\"'”’»)\]]*)(\s+)(?=[\"“«(]?[A-ZА-ЯЁ0-9])")


def sentence_starts(text: str) -> list[int]:
    """Offsets in ``text`` where a new sentence starts (excluding 0)."""
    starts = []
    for m in _SENTENCE_GAP.finditer(text):
        end = m.start(1)  # just after the . ! ?
        before = text[: end - 1].rsplit(None, 1)[-1] if text[: end - 1].strip() else ""
        word = before.rsplit(".", 1)[-1].strip("(\"'«“").lower()
        if len(word) == 1 and word.isalpha():
            continue  # an initial: "A. K. Sproģis", "M.I. Klementjev"
        if word in ABBREVIATIONS:
            continue
        if _inside_brackets(text, m.end()):
            continue  # "(Para. 56)": a full stop inside brackets ends no sentence of the paragraph
        starts.append(m.end())
    return starts


#: How far (characters) around a sentence end a quotation is looked for.
QUOTE_REACH = 600


def _inside_brackets(text: str, offset: int) -> bool:
    """Whether ``offset`` lies inside an unclosed bracket or straight-quoted passage that opened before it."""
    before, after = text[:offset], text[offset:]
    near_before, near_after = before[-QUOTE_REACH:], after[:QUOTE_REACH]
    if near_before.count('"') % 2 == 1 and '"' in near_after:
        return True  # inside a quotation (looked for nearby: a stray quote must not block every cut)
    depth = before.count("(") - before.count(")") + before.count("[") - before.count("]")
    if depth <= 0:
        return False
    return after.count(")") + after.count("]") > after.count("(") + after.count("[")


def cut_segments(segs: list[Seg], cuts: list[int]) -> list[list[Seg]]:
    """Cut a segment list at offsets of its running text (noise stays with what precedes it)."""
    pieces: list[list[Seg]] = [[]]
    pos = 0
    cuts = sorted(set(cuts))
    ci = 0
    for seg in segs:
        if seg.kind != "text":
            pieces[-1].append(seg)
            continue
        text, start = seg.text, pos
        while ci < len(cuts) and cuts[ci] <= start:
            ci += 1  # a cut at a segment boundary: already cut before
            if pieces[-1]:
                pieces.append([])
        offset = 0
        while ci < len(cuts) and cuts[ci] < start + len(text):
            local = cuts[ci] - start
            if local > offset:
                pieces[-1].append(Seg("text", text[offset:local]))
            pieces.append([])
            offset = local
            ci += 1
        if offset < len(text):
            pieces[-1].append(Seg("text", text[offset:]))
        pos += len(text)
    return [p for p in pieces if any(s.text.strip() for s in p if s.kind == "text") or any(s.kind != "text" for s in p)]


def running_text(segs: list[Seg]) -> str:
    return "".join(s.text for s in segs if s.kind == "text")


def divide_long(block: Block, target: int = TARGET_WORDS) -> list[Block]:
    """Divide an over-long paragraph at sentence boundaries into ~``target``-word paragraphs."""
    text = running_text(block.segs)
    starts = sentence_starts(text)
    cuts, words_since, last = [], 0, 0
    for start in starts + [len(text)]:
        words_since += len(text[last:start].split())
        last = start
        if words_since >= target and start < len(text):
            # do not leave a stub at the end
            if len(text[start:].split()) >= target // 3:
                cuts.append(start)
                words_since = 0
    if not cuts:
        return [block]
    return [Block(block.kind, piece, inferred=True) for piece in cut_segments(block.segs, cuts)]


# --- projection from a structured version -------------------------------------------------

_TOKEN = re.compile(r"\S+")


def shingles(text: str, k: int = 5) -> set[int]:
    words = [fold_word(w) for w in text.split()]
    words = [w for w in words if w]
    return {hash(tuple(words[i : i + k])) for i in range(max(0, len(words) - k + 1))}


def resemblance(a: set[int], b: set[int]) -> float:
    """Share of the smaller text's shingles found in the other (containment)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def project_structure(
    segs: list[Seg],
    donor: list[tuple[str, str, str | None]],
    headings: dict[str, list[tuple[str, str, int]]] | None = None,
) -> list[Block]:
    """Divide flat ``segs`` like ``donor``: a list of (kind, text, section key) units.

    ``headings`` maps a donor section key to the path of sections it lies in,
    outermost first, as (key, heading, level). Wherever the donor's section
    changes, the headings of the sections entered are supplied (head blocks
    with subtype ``supplied``); a section without a heading starts with a
    block of kind ``division``.
    """
    text = running_text(segs)
    flat_tokens = [(m.start(), fold_word(m.group())) for m in _TOKEN.finditer(text)]
    donor_tokens: list[str] = []
    unit_starts: list[int] = []
    for _, unit_text, _ in donor:
        unit_starts.append(len(donor_tokens))
        donor_tokens.extend(fold_word(w) for w in unit_text.split())
    matcher = SequenceMatcher(None, donor_tokens, [t for _, t in flat_tokens], autojunk=False)
    to_flat: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for i in range(size):
            to_flat[a + i] = b + i
    starts = set(sentence_starts(text))
    cuts: list[tuple[int, int]] = []  # (offset in text, donor unit index)
    previous = 0
    for index, start in enumerate(unit_starts):
        end = unit_starts[index + 1] if index + 1 < len(unit_starts) else len(donor_tokens)
        matched = next((d for d in range(start, end) if d in to_flat), None)
        if matched is None:
            continue  # this unit is absent from the flat text
        token = to_flat[matched] - (matched - start)
        token = max(token, previous + 1 if cuts else 0)
        if token >= len(flat_tokens):
            continue
        # Prose boundaries fall between sentences; list and reference boundaries need not.
        kind = donor[index][0]
        offset = _snap(flat_tokens, token, starts) if kind == "p" else flat_tokens[token][0]
        if cuts and offset <= cuts[-1][0]:
            continue
        cuts.append((offset, index))
        previous = token
    if not cuts or cuts[0][0] != 0:
        cuts.insert(0, (0, cuts[0][1] if cuts else 0))
    pieces = cut_segments(segs, [offset for offset, _ in cuts[1:]])
    blocks: list[Block] = []
    section = object()
    opened: list[str] = []  # keys of the sections the last block stands in, outermost first
    for piece, (_, index) in zip(pieces, cuts):
        kind, _, section_key = donor[index]
        if section_key != section:
            path = (headings or {}).get(section_key, [])
            common = 0
            while common < min(len(opened), len(path)) and opened[common] == path[common][0]:
                common += 1
            entered = [(key, head, level) for key, head, level in path[common:] if head]
            if entered:
                blocks.extend(
                    Block("head", [Seg("text", head)], level=level, inferred=True, subtype="supplied")
                    for _, head, level in entered
                )
            elif blocks:
                blocks.append(Block("division", []))
            opened = [key for key, _, _ in path]
        section = section_key
        blocks.append(Block(kind, piece, inferred=True))
    return blocks


def _snap(tokens: list[tuple[int, str]], token: int, sentence_offsets: set[int], reach: int = 3) -> int:
    """Offset of ``token``, moved to a sentence start within ``reach`` tokens if there is one."""
    for delta in sorted(range(-reach, reach + 1), key=abs):
        t = token + delta
        if 0 <= t < len(tokens) and tokens[t][0] in sentence_offsets:
            return tokens[t][0]
    return tokens[token][0]


# --- bibliographies ------------------------------------------------------------------------

_REF_END = re.compile(
    r"(?:\b(?:1[5-9]|20)\d{2}\)?\.?|стр\.|илл\.|ISBN[\s\d-]+[\dX]|\b\d+\s?[-–]\s?\d+\.?|Machine\.?|\bp\.\s?\d+)\s+$"
)
_REF_START = re.compile(
    r"^(?:"
    r"(?:[A-ZА-ЯЁ]\.\s?){1,3}\s?[A-ZА-ЯЁ][\w’'-]+[.,]"  # initials + surname: "А.К. Рашкевиц."
    r"|[A-ZА-ЯЁ][\w’'-]+,\s(?:[A-ZА-ЯЁ]\.|[A-ZА-ЯЁ][a-zа-яё]+[.,])"  # "Mangulis, V."
    r"|[A-ZА-ЯЁ][a-zа-яё]+\.\s[A-ZА-ЯЁ][a-zа-яё]+\."  # "Strods. Heinrihs."
    r"|[A-Z][a-z]+\s[A-Z][a-z]+,\s"  # "Mark Healy, "
    r"|[А-ЯЁ][а-яё]+\s"  # a Cyrillic title after a Latin reference
    r"|National\s|[A-Z][a-z]+\s[A-Z][a-z]+\s[a-z]+\s"  # a title: capitalised words
    r")"
)


def reference_starts(text: str) -> list[int]:
    """Offsets where a new reference begins in a run of references."""
    starts = []
    for m in re.finditer(r"\s+", text):
        before, after = text[: m.end()], text[m.end() :]
        if (_REF_END.search(before) or _script_changes(before, after)) and _REF_START.match(after):
            if len(before.split()) >= 4 and (not starts or len(text[starts[-1] : m.end()].split()) >= 4):
                starts.append(m.end())
    return starts


def _script_changes(before: str, after: str) -> bool:
    """A reference in Latin script followed by one in Cyrillic ("..., Riga Партизанское ...")."""
    last = before.rstrip()[-1:]
    return bool(last) and last.isascii() and last.isalpha() and bool(re.match(r"[А-ЯЁ]", after))


def split_references(block: Block) -> list[Block]:
    cuts = reference_starts(running_text(block.segs))
    if not cuts:
        return [block]
    return [Block("bibl", piece, inferred=True) for piece in cut_segments(block.segs, cuts)]


_BULLET = re.compile(r"(?:^|\s)\*+(?=\s|$)")


def split_bullets(block: Block, kind: str) -> list[Block]:
    """Inline ``*`` bullets ("* Kersten Committee * Battle of ...") become items."""
    text = running_text(block.segs)
    marks = list(_BULLET.finditer(text))
    if not marks:
        return [block]
    cuts = [m.start() for m in marks]
    pieces = cut_segments(block.segs, cuts)
    out = []
    for piece in pieces:
        cleaned = _strip_bullet(piece)
        if any(s.kind != "text" or s.text.strip() for s in cleaned):
            out.append(Block(kind, cleaned))
    return out


def _strip_bullet(piece: list[Seg]) -> list[Seg]:
    if piece and piece[0].kind == "text":
        stripped = re.sub(r"^\s*\*+\s*", "", piece[0].text)
        return ([Seg("text", stripped)] if stripped else []) + piece[1:]
    return piece


# --- reference and list sections: sub-headings, one entry per line ---------------------------

#: Sub-headings of a reference section that a scraper flattened into its bullet list.
REFERENCE_SUBHEADING = re.compile(
    r"(citations|bibliography|further reading|notes|footnotes|references|sources|works cited|"
    r"primary sources|secondary sources|general references|general sources)",
    re.IGNORECASE,
)
MAX_SUBHEADING_WORDS = 8
_DEFINITION_TERM = re.compile(r"(?:^|\s)::?(?=[A-Z])")


def reference_subheadings(block: Block, level: int) -> list[Block]:
    """A bullet piece made only of sub-heading words ("Citations Bibliography") is headings;
    a ``::Term`` (a wiki definition-list term) inside a piece opens a sub-heading."""
    text = running_text(block.segs).strip()
    words = REFERENCE_SUBHEADING.findall(text)
    if words and REFERENCE_SUBHEADING.sub("", text).strip() == "" and not any(s.kind != "text" for s in block.segs):
        return [Block("head", [Seg("text", w)], level=level, inferred=True) for w in words]
    m = _DEFINITION_TERM.search(running_text(block.segs))
    pieces = cut_segments(block.segs, [m.start()]) if m and m.start() > 0 else []
    if len(pieces) == 2:
        before, after = pieces
        term = running_text(after).strip().lstrip(":").strip()
        if term and len(term.split()) <= MAX_SUBHEADING_WORDS and all(s.kind == "text" for s in after):
            head = Block("head", [Seg("text", term)], level=level, inferred=True)
            return [Block(block.kind, before, inferred=block.inferred), head]
    return [block]


#: End of a reference: a year or full date, pages, an ISBN.
_ENTRY_END = re.compile(r"(?:\b(?:1[5-9]|20)\d{2}|\bpp?\.\s?\d+(?:[–-]\d+)?)[.)]?\s*$")
#: "Mälksoo, Lauri (2000)": an author-date reference's head, its title follows on the next line.
_AUTHOR_YEAR = re.compile(r"\((?:1[5-9]|20)\d{2}[a-z]?\)\s*$")
_UNFINISHED = re.compile(r"(?:\b(?:the|a|an|and|or|of|in|on|at|to|for|by|with|from|as)|[,;:(\-–—])\s*$", re.IGNORECASE)


def split_entry_lines(block: Block) -> list[Block]:
    """Entries a scraper ran together on separate lines of one list item or reference.

    A line break starts a new entry when the line before is plain text (not a
    linked term, whose break is a link boundary) that ends a reference (a
    year, pages) or, in a list, a finished phrase; and the next line starts
    with a capital letter.
    """
    cuts, pos = [], 0
    for i, seg in enumerate(block.segs):
        if seg.kind != "text":
            continue
        for m in re.finditer(r"\n+(?=[A-ZА-ЯЁ])", seg.text):
            line = seg.text[: m.start()].rsplit("\n", 1)[-1]
            if m.start() == 0 or not line.strip():
                continue  # the break follows noise (a linked term's tooltip): a link boundary
            if block.kind == "bibl":
                ends = _ENTRY_END.search(line) and not _AUTHOR_YEAR.search(line)
            else:
                ends = not _UNFINISHED.search(line)
            if ends:
                cuts.append(pos + m.end())
        pos += len(seg.text)
    if not cuts:
        return [block]
    return [Block(block.kind, piece, inferred=True) for piece in cut_segments(block.segs, cuts)]


_LIST_AFTER_PROSE = re.compile(r"(?<=[:.!?])\s+(?=\*+\s)")


def split_trailing_list(block: Block) -> list[Block]:
    """Prose that introduces an inline bullet list ("... all three Baltic States: * Peace treaties * ...")
    is one paragraph, the bullets another block (split into items later)."""
    text = running_text(block.segs)
    m = _LIST_AFTER_PROSE.search(text)
    if not m or not text[: m.start()].strip():
        return [block]
    pieces = cut_segments(block.segs, [m.end()])
    if len(pieces) != 2:
        return [block]
    return [Block(block.kind, pieces[0], inferred=block.inferred), Block(block.kind, pieces[1], inferred=True)]
