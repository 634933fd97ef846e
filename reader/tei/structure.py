"""Structure recovery: from a plain text to a title and a list of blocks.

General rules, applied to any text (none knows a particular file):

* wiki headings ``= Title =``, ``== Section ==`` give the title and sections;
* without wiki markup, a short line standing alone (no sentence-final
  punctuation, capitalised) is a heading;
* short lines before the first paragraph are the page's preamble: the last
  is the title, the others are page chrome (site name, breadcrumb
  navigation, menu words such as HOME) and are kept as boilerplate;
* ``- `` / ``* `` lines are list items; inside a section named like a
  bibliography (Sources, References, Bibliography, Further reading) they are
  references (``bibl``);
* the source's paragraphs are the units, however long (see :func:`layout`):
  in a text wrapped at a fixed width (a Project Gutenberg file) a paragraph
  is what blank lines, or a deeper indentation of its first line, set
  apart; in a text of long lines each line is a paragraph; in a page whose
  lines a scraper broke at link boundaries, a line that ends a sentence
  followed by a line that starts one is a paragraph break and other line
  breaks are soft;
* scraped link tooltips are split off as glosses (see :mod:`.inline`);
* only a text with no line breaks at all (a flattened page) is divided by
  the editor (see :mod:`.divide`); such blocks are marked ``inferred``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .inline import (
    EDIT_LINK,
    FOOTNOTE_MARK,
    Seg,
    is_tooltip_line,
    mark_citations,
    mark_editorial,
    mark_templates,
    split_tooltip,
)

WIKI_HEADING = re.compile(r"^\s*(=+)\s*(.*?)\s*\1\s*$")
BULLET = re.compile(r"^\s*[-*•]\s+(.*\S)\s*$")
BARE_BULLET = re.compile(r"^\s*[*•]\s*$")
SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
NAV_WORDS = {
    "home",
    "menu",
    "or:",
    "or",
    "search",
    "login",
    "log in",
    "sign in",
    "skip to content",
    "contact",
    "about",
    "next",
    "previous",
    "back",
    "top",
    "share",
    "print",
}
BREADCRUMB = re.compile(r"^(home|start|main page)\s{2,}\S", re.IGNORECASE)
BIBLIOGRAPHY_HEADINGS = re.compile(
    r"^(sources|references|bibliography|further reading|works cited|literature|citations|notes and references)\b",
    re.IGNORECASE,
)
LIST_HEADINGS = re.compile(r"^(see also|external links|related)\b", re.IGNORECASE)
#: Widest line of a text wrapped at a fixed width (Project Gutenberg wraps at about 70 columns; scraped
#: pages, whose line lengths vary, never fill 80% of their inner lines even when they are short).
MAX_WRAP_WIDTH = 200
#: Narrowest: shorter lines are a list or verse, not prose wrapped at a width.
MIN_WRAP_WIDTH = 50
#: Share of a wrapped text's inner lines (followed by another line of their block) that fill its width.
WRAP_FILL = 0.8
#: A line filling the width is at least this share of it (a wrapped line breaks before the next word).
FULL_LINE = 0.7

#: How the source marks its paragraphs (see :func:`layout`), as the header states it.
LAYOUT_RULES = {
    "wrapped": "The source is wrapped at a fixed width: its line breaks inside a paragraph are layout, kept as "
    "whitespace. Its paragraphs are what blank lines set apart, or, inside a block, a line indented deeper than "
    "the lines around it after a line that ends a sentence; a block of nothing but short heading-like lines is "
    "a heading; lines starting with a bullet are list items.",
    "lines": "The source gives one paragraph per line: every line is a paragraph (or a heading, list item or "
    "reference), whatever its length or punctuation.",
    "scraped": "The source is a page whose lines a scraper broke at link boundaries: a paragraph break is a "
    "blank line, or a line end where one sentence ends and the next begins; other line breaks are kept as "
    "whitespace inside the paragraph.",
}
FUNCTION_WORDS = {"the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as"}
MAX_HEADING_WORDS = 14


@dataclass
class Block:
    """One structural unit of the recovered text."""

    kind: str  # "head" | "p" | "item" | "bibl" | "chrome"
    segs: list[Seg]
    level: int = 1  # heading depth: 1 = section, 2 = subsection
    inferred: bool = False  # the editor, not the source, made its boundaries
    subtype: str | None = None  # for chrome: "site-name" | "navigation"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs if s.kind == "text")


@dataclass
class Structure:
    title: str
    title_source: str  # "wiki-heading" | "preamble" | "first-sentence"
    blocks: list[Block] = field(default_factory=list)
    flat: bool = False  # the source had no line structure at all
    title_index: int = 0  # where the title line stood among the preamble blocks
    layout: str = "lines"  # how the source marks paragraphs: a key of LAYOUT_RULES


def recover(text: str) -> Structure:
    """Recover title and blocks from a plain text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _join_detached_ellipses(text.split("\n"))
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) <= 2 and len(text.split()) > 150:
        segs = mark_citations(mark_templates(mark_editorial(text.strip())))
        return Structure(
            title=_title_from_first_sentence(text), title_source="first-sentence", blocks=[Block("p", segs)], flat=True
        )
    text_layout = layout(lines)
    soft_wrapped = text_layout == "scraped"
    title, title_source, blocks = None, "", []
    chunks = _chunks(lines)
    preamble_done = False
    for chunk in chunks:
        if soft_wrapped and blocks and blocks[-1].kind == "p" and _continues(chunk[0]):
            # A blank line inside a sentence (after a tooltip): same paragraph.
            blocks[-1].segs = _merge_text(blocks[-1].segs + [Seg("text", "\n\n")] + _segments(chunk))
            continue
        classify = _classify_wrapped if text_layout == "wrapped" else _classify_chunk
        for kind, payload, level in classify(chunk, soft_wrapped):
            if kind == "title" and title is None:
                title, title_source = payload, "wiki-heading"
                preamble_done = True
                continue
            if not preamble_done and kind in ("head", "short"):
                blocks.append(Block("chrome", [Seg("text", payload)], subtype="preamble"))
                continue
            if kind in ("short", "title"):  # a second title line is a heading like the others
                kind = "head"
            preamble_done = preamble_done or kind in ("p", "item")
            if kind == "head":
                blocks.append(Block("head", mark_editorial(payload), level=level))
            else:
                blocks.append(Block(kind, payload))
    title_index = 0
    if title is None:
        title, title_source, title_index = _title_from_preamble(blocks)
    if title is None:
        first = next((b for b in blocks if b.kind == "p"), None)
        title = _title_from_first_sentence(first.text if first else text)
        title_source = "first-sentence"
    _nest_empty_sections(blocks)
    _mark_bibliographies(blocks)
    _mark_inline_citations(blocks)
    return Structure(title=title, title_source=title_source, blocks=blocks, title_index=title_index, layout=text_layout)


def _join_detached_ellipses(lines: list[str]) -> list[str]:
    """A tooltip whose closing `` ...`` fell onto its own line (after blank lines) is one line again."""
    out: list[str] = []
    for line in lines:
        if line.strip() == "..." and out:
            blanks = []
            while out and not out[-1].strip():
                blanks.append(out.pop())
            if out:
                out[-1] = out[-1] + "\n" * (len(blanks) + 1) + line
                continue
            out.extend(blanks)
        out.append(line)
    return out


def layout(lines: list[str]) -> str:
    """How a text marks its paragraphs: ``wrapped`` (lines broken at a fixed width, paragraphs set apart by
    blank lines or indentation), ``scraped`` (lines broken at link boundaries) or ``lines`` (a line each)."""
    if _is_wrapped(lines):
        return "wrapped"
    return "scraped" if _is_soft_wrapped(lines) else "lines"


def _is_wrapped(lines: list[str]) -> bool:
    """Lines broken at a fixed width: nearly every line that has another of its block after it fills the width
    (a scraper's link breaks fall anywhere; a line-per-paragraph text has few lines inside a block)."""
    inner = sorted(
        len(ln.rstrip())
        for chunk in _chunks(lines)
        for ln in chunk[:-1]
        if not WIKI_HEADING.match(ln) and not BULLET.match(ln)
    )
    if len(inner) < 3:
        return False
    width = inner[int(0.95 * (len(inner) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return False
    return sum(1 for n in inner if n >= FULL_LINE * width) >= WRAP_FILL * len(inner)


def _is_soft_wrapped(lines: list[str]) -> bool:
    """Lines broken at link boundaries rather than at paragraph ends."""
    content = [ln for ln in lines if ln.strip() and not WIKI_HEADING.match(ln) and not BULLET.match(ln)]
    if not content:
        return False
    unfinished = sum(1 for ln in content if not SENTENCE_END.search(ln.rstrip()) and not is_tooltip_line(ln))
    tooltips = sum(1 for ln in content if is_tooltip_line(ln))
    return tooltips >= 3 or unfinished / len(content) > 0.5


def _chunks(lines: list[str]) -> list[list[str]]:
    chunks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _classify_chunk(chunk: list[str], soft_wrapped: bool):
    """Yield (kind, payload, level) for the lines of one blank-line-separated chunk.

    Each line is a paragraph unless ``soft_wrapped`` (a scraper's page), where only a line that ends a
    sentence followed by one that starts a sentence ends a paragraph.

    kind is "title", "head", "short" (heading-like line: heading or preamble),
    "item", or "p"/"bibl" with a list of segments as payload.
    """
    if soft_wrapped and all(heading_like(line) for line in chunk):
        for line in chunk:
            yield "short", line.strip(), 1
        return
    para: list[str] = []
    for i, line in enumerate(chunk):
        wiki = WIKI_HEADING.match(line)
        bullet = BULLET.match(line)
        standalone_heading = (
            not soft_wrapped
            and heading_like(line)
            and (
                i == 0
                or _ends_sentence(chunk[i - 1])
                or heading_like(chunk[i - 1])
                or BULLET.match(chunk[i - 1])
                or WIKI_HEADING.match(chunk[i - 1])
            )
        )
        if wiki or bullet or standalone_heading or (para and (not soft_wrapped or _paragraph_break(para[-1], line))):
            if para:
                yield "p", _segments(para), 0
                para = []
        if wiki:
            depth = len(wiki.group(1))
            yield ("title" if depth == 1 else "head"), wiki.group(2), max(1, depth - 1)
        elif bullet and not soft_wrapped:
            yield "item", _segments([bullet.group(1)]), 0
        elif standalone_heading:
            yield "short", line.strip(), 1
        else:
            para.append(line)
    if para:
        yield "p", _segments(para), 0


def _classify_wrapped(chunk: list[str], _soft_wrapped: bool = False):
    """Like :func:`_classify_chunk`, for a text wrapped at a fixed width: a block is one paragraph (its line
    breaks are layout), unless bullets or indentation divide it; a block of short heading-like lines is one
    heading."""
    if len(chunk) <= 3 and all(heading_like(line) for line in chunk):
        yield "short", " ".join(line.strip() for line in chunk), 1
        return
    wiki = WIKI_HEADING.match(chunk[0])
    if len(chunk) == 1 and wiki:
        depth = len(wiki.group(1))
        yield ("title" if depth == 1 else "head"), wiki.group(2), max(1, depth - 1)
        return
    indent = min(_indent(line) for line in chunk)
    starts = _indented_starts(chunk, indent)
    para: list[str] = []
    kind = "p"
    for i, line in enumerate(chunk):
        bullet = _wrapped_bullet(line)
        if para and (bullet or i in starts):
            yield kind, _segments(para), 0
            para = []
        if bullet:
            kind, line = "item", bullet.group(1)
        elif i in starts:
            kind = "p"
        para.append(line.strip() if kind == "item" else line)
    if para:
        yield kind, _segments(para), 0


def _wrapped_bullet(line: str) -> re.Match | None:
    """A bullet line of a wrapped text; not asterisks that stand for an omission ("* * * Utter confusion")
    or a section break ("*  *  *"), nor the side of a box drawn with them ("* It is our duty ... *")."""
    bullet = BULLET.match(line)
    if bullet and (bullet.group(1).startswith("*") or line.rstrip().endswith("*")):
        return None
    return bullet


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _indented_starts(chunk: list[str], indent: int) -> set[int]:
    """Lines that start a paragraph by a deeper indentation than the block's body lines. Typesetting's
    paragraph indent: two or more of them, each after a line that ends a sentence and before a body line;
    verse (lines indented at will) and centred title lines are not cut."""
    starts = {i for i, line in enumerate(chunk) if i and _indent(line) > indent}
    if len(starts) < 2 or any(
        not _ends_sentence(chunk[i - 1]) or i + 1 >= len(chunk) or _indent(chunk[i + 1]) != indent for i in starts
    ):
        return set()
    return starts


def _continues(line: str) -> bool:
    first = line.lstrip()[:1]
    return bool(first) and (first.islower() or first in ",.;:)]'\"”’")


def _ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line.rstrip())) and not is_tooltip_line(line)


def _paragraph_break(previous: str, line: str) -> bool:
    first = line.lstrip()[:1]
    return _ends_sentence(previous) and (first.isupper() or first.isdigit() or first in '"“«')


def heading_like(line: str) -> bool:
    stripped = EDIT_LINK.sub("", FOOTNOTE_MARK.sub("", line)).strip()  # "Germany.[7][8]" ends a sentence
    words = stripped.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(stripped) > 100:
        return False
    if re.search(r"[a-z]{3,}[.!?]\s+[A-Z]", stripped) or "{{" in stripped:
        return False  # two sentences, or template code: not a heading
    if is_tooltip_line(stripped) or SENTENCE_END.search(stripped) or stripped.endswith((",", ";")):
        return stripped.lower().rstrip(":") in NAV_WORDS
    if (
        words[-1].lower() in FUNCTION_WORDS
        and len(words) > 1
        or (len(words) == 1 and words[0].lower() in FUNCTION_WORDS)
    ):
        return False
    return stripped[:1].isupper() or stripped[:1].isdigit()


def _segments(lines: list[str]) -> list[Seg]:
    """Running text and noise of a paragraph made of one or more source lines."""
    segs: list[Seg] = []
    for n, line in enumerate(lines):
        sep = "\n" if n else ""
        if is_tooltip_line(line):
            term, tooltip = split_tooltip(line)
            spacing = line[len(term) : len(line) - len(tooltip)]  # kept with the tooltip: source spacing
            segs.extend(mark_editorial(sep + term))
            segs.append(Seg("gloss", spacing + tooltip))
        else:
            segs.extend(mark_editorial(sep + line))
    return mark_templates(_merge_text(segs))


def _merge_text(segs: list[Seg]) -> list[Seg]:
    out: list[Seg] = []
    for seg in segs:
        if out and seg.kind == out[-1].kind == "text":
            out[-1] = Seg("text", out[-1].text + seg.text)
        elif seg.text or seg.kind == "gap":
            out.append(seg)
    return out


def _title_from_preamble(blocks: list[Block]) -> tuple[str | None, str, int]:
    """The last heading-like line before the first paragraph is the title; the rest is chrome."""
    preamble = [b for b in blocks[: _first_content(blocks)] if b.kind == "chrome"]
    candidates = [b for b in preamble if not _is_navigation(b.text) and not _is_camel_name(b.text.strip())]
    for block in preamble:
        block.subtype = "navigation" if _is_navigation(block.text) else "site-name"
    if not candidates:
        return None, "", 0
    title_block = candidates[-1]
    index = blocks.index(title_block)
    blocks.remove(title_block)
    return title_block.text.strip(), "preamble", index


def _first_content(blocks: list[Block]) -> int:
    return next((i for i, b in enumerate(blocks) if b.kind != "chrome"), len(blocks))


def _is_navigation(text: str) -> bool:
    stripped = text.strip()
    return (
        stripped.lower().rstrip(":") in NAV_WORDS or stripped.lower() in NAV_WORDS or bool(BREADCRUMB.match(stripped))
    )


def _is_camel_name(word: str) -> bool:
    """A one-word site name such as "TheInfoList" (inner capitals, no spaces)."""
    return bool(re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", word))


def _title_from_first_sentence(text: str) -> str:
    """Title from an encyclopedia-style lead: "The X were/is/was ..." gives X."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    m = re.match(r"^(?:The\s+)?(.{3,80}?)\s+(?:is|are|was|were|refers to|has been)\s", first)
    if m:
        return m.group(1).strip()
    return " ".join(first.split()[:8])


def _nest_empty_sections(blocks: list[Block]) -> None:
    """A heading followed directly by another heading opens a section that contains it.

    Back matter (See also, References, External links ...) is never a subsection:
    a heading before it with no text is an empty section of the source.
    """
    for prev, block in zip(blocks, blocks[1:]):
        back_matter = LIST_HEADINGS.match(block.text.strip()) or BIBLIOGRAPHY_HEADINGS.match(block.text.strip())
        if prev.kind == "head" and block.kind == "head" and block.level <= prev.level and not back_matter:
            block.level = prev.level + 1


def _mark_bibliographies(blocks: list[Block]) -> None:
    """Items and paragraphs under a bibliography heading are references."""
    section = None
    for block in blocks:
        if block.kind == "head":
            section = block.text.strip()
            continue
        if section and BIBLIOGRAPHY_HEADINGS.match(section) and block.kind in ("item", "p"):
            block.kind = "bibl"


def _mark_inline_citations(blocks: list[Block]) -> None:
    """Citations spliced into prose are split out of paragraphs (not out of lists or references)."""
    section = ""
    for block in blocks:
        if block.kind == "head":
            section = block.text.strip()
        elif block.kind == "p" and not (LIST_HEADINGS.match(section) or BIBLIOGRAPHY_HEADINGS.match(section)):
            block.segs = mark_citations(block.segs)
