"""Citations of a document or one of its paragraphs: plain text, BibTeX, RIS, CSL-JSON, meta tags, COinS.

One :class:`Cited` record says what is cited (author, title, witness and its date, this edition as
container, revision, access date, and for a passage its section, ¶ label and id); every format is a
function of it, so the page, the downloads and the tests give the same facts. CSL-JSON is the hub:
the plain text is formatted from it by citeproc-py with a bundled CSL style; BibTeX is written by
bibtexparser (values LaTeX-escaped by pylatexenc's encoder), RIS by rispy (values on one line).

**Item type.** Every format says *web page*: CSL ``webpage``, RIS ``ELEC``, biblatex ``@online``,
COinS ``info:ofi/fmt:kev:mtx:dc`` with ``rft.type=webpage``, and meta tags that Zotero's Embedded
Metadata translator reads as ``webpage`` (``z.itemType=webpage``, ``og:type=website``; no
``citation_journal_title`` / ``citation_inbook_title``, which make a journal article / book section,
and without a type tag ``citation_title`` alone makes a journal article). What a scholar cites here is
this edition's transcription of one witness, at a URL, in a numbered revision, read on a day: its
own pagination is not recorded, a printed witness's publisher and place belong to the witness (they
are in the note), and a ``book``/``chapter`` type would make styles print a publisher and drop the
URL and access date that make the citation checkable. The witness is named in the title
("…, witness B (1860)") so that witnesses of one work never give the same reference, in any format
and in any reader that keeps only the title; its date is the CSL ``original-date`` beside ``issued``
(this edition's revision date), printed "Darwin, C. (2026 [1860])".

**Names.** A person's name is parsed into family and given names by ``nameparser``; an institution,
"Wikipedia contributors", or anything that does not parse as a person stays one literal name
(CSL ``literal``, BibTeX ``{{…}}``, RIS ``AU`` without a comma, which RIS readers take as corporate).
"""

from __future__ import annotations

import datetime
import json
import re
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from nameparser import HumanName
from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

PUBLISHER = "Parallax"
#: The container: this edition.
EDITION = "Parallax: a TEI edition"
#: CSL style for the plain-text citation: Cite Them Right (Harvard) printing the original date.
PLAIN_STYLE = Path(__file__).with_name("csl") / "parallax-harvard.csl"
#: Author of a text taken from Wikipedia, as Wikipedia asks to be cited.
WIKIPEDIA_AUTHOR = "Wikipedia contributors"
#: The one item type, by format (see the module docstring).
CSL_TYPE, RIS_TYPE, BIBTEX_TYPE, ZOTERO_TYPE = "webpage", "ELEC", "online", "webpage"

#: Words that make a name a body, not a person (kept literal).
_BODY_WORDS = re.compile(
    r"\b(contributors|editors|staff|society|university|universit[äé]t|institut[e]?|academy|académie|akademie|"
    r"college|library|museum|archives?|committee|council|commission|ministry|department|office|"
    r"association|foundation|company|corporation|government|project|team|collective|group|inc|ltd)\b",
    re.IGNORECASE,
)
#: Characters a person's name is made of; anything else (digits, braces, '=', '@') is not parsed as one.
_PERSON_CHARS = re.compile(r"[\w\s.'’\-,]+")


@dataclass(frozen=True)
class Name:
    """An author as citation formats want it: family and given parts, or one literal name."""

    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def inverted(self) -> str:
        """ "Family, Given" (the form RIS, Highwire and COinS readers split on the comma)."""
        if self.literal:
            return self.literal
        return ", ".join(p for p in (self.family, self.given, self.suffix) if p)


def parse_name(author: str) -> Name:
    """Family and given names of a person (nameparser); a body, or what does not parse, stays literal."""
    author = " ".join(author.split())
    if author == WIKIPEDIA_AUTHOR or _BODY_WORDS.search(author) or not _PERSON_CHARS.fullmatch(author):
        return Name(literal=author)
    parsed = HumanName(author)
    given = " ".join(p for p in (parsed.first, parsed.middle) if p)
    if not parsed.last or not given:  # "Aristotle", "Royal Society": no family/given to tell apart
        return Name(literal=author)
    return Name(family=parsed.last, given=given, suffix=parsed.suffix)


@dataclass(frozen=True)
class Cited:
    """What a citation of a document, or of one passage of it, says."""

    title: str  #: the document's title
    slug: str
    witness: str  #: siglum of the witness (``Document.label``)
    authors: tuple[str, ...]  #: as written, one name each
    source: str  #: the original source (article, website, printed edition); '' if unknown
    url: str  #: permanent URL, naming the revision quoted (``?rev=``)
    revision: str
    revision_date: str  #: ISO date of that revision, may be ''
    language: str
    accessed: datetime.date
    paragraph_id: str = ""  #: '' for a whole document
    label: str = ""  #: "¶ 7"
    section: str = ""  #: heading of the enclosing section
    witness_date: str = ""  #: the witness's own date (ISO, "1860"), '' if unknown

    @property
    def key(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", "-".join(filter(None, ("parallax", self.slug, self.paragraph_id)))).strip(
            "-"
        )

    @property
    def names(self) -> list[Name]:
        return [parse_name(a) for a in self.authors]

    @property
    def passage(self) -> str:
        """Where in the document: "¶ 7 in “Background”" ('' for a whole document)."""
        if not self.paragraph_id:
            return ""
        return self.label + (f" in “{self.section}”" if self.section else "")

    @property
    def witness_name(self) -> str:
        """ "witness B (1860)": the siglum and the witness's date, as the pages name a witness."""
        if not self.witness:
            return ""
        return f"witness {self.witness}" + (f" ({self.witness_date})" if self.witness_date else "")

    @property
    def full_title(self) -> str:
        """The title every format gives: the document, the witness, the passage."""
        return ", ".join(p for p in (self.title, self.witness_name, self.passage) if p)

    @property
    def locator(self) -> str:
        """Passage, witness and revision, the way a footnote names them."""
        parts = [
            self.passage,
            self.witness_name,
            f"revision {self.revision}" if self.revision else "",
            f"id {self.paragraph_id}" if self.paragraph_id else "",
        ]
        return ", ".join(p for p in parts if p)

    @property
    def year(self) -> str:
        return self.revision_date[:4]


def _date_parts(iso: str) -> dict | None:
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    return {"date-parts": [parts]} if parts else None


def _csl_name(name: Name) -> dict:
    if name.literal:
        return {"literal": name.literal}
    return {k: v for k, v in (("family", name.family), ("given", name.given), ("suffix", name.suffix)) if v}


def csl_item(c: Cited) -> dict:
    item = {
        "id": c.key,
        "type": CSL_TYPE,
        "title": c.full_title,
        "author": [_csl_name(n) for n in c.names],
        "container-title": EDITION,
        "publisher": PUBLISHER,
        "source": c.source,
        "section": c.passage,
        "version": f"revision {c.revision}" if c.revision else "",
        "note": c.locator,
        "URL": c.url,
        "language": c.language,
        "accessed": _date_parts(c.accessed.isoformat()),
        "issued": _date_parts(c.revision_date),
        "original-date": _date_parts(c.witness_date),
    }
    return {k: v for k, v in item.items() if v}


def csl_json(c: Cited) -> str:
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2)


def plain_text(c: Cited) -> str:
    """The reference formatted by citeproc-py in the bundled Harvard style: "Darwin, C. (2026 [1860]) …"."""
    item = csl_item(c)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(PLAIN_STYLE), validate=False), CiteProcJSON([item]), formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


#: LaTeX escapes of the characters BibTeX and LaTeX give a meaning to. A brace is escaped with a
#: ``\vphantom`` holding its partner, as Zotero's BibTeX export does, because BibTeX counts braces
#: even after a backslash: ``\}`` alone would close the field (``X}, url = {…`` injects a field).
_LATEX_SPECIALS = {
    ord("{"): r"\{\vphantom{\}}",
    ord("}"): r"\vphantom{\{}\}",
    ord("\\"): r"\textbackslash{}",
    ord("&"): r"\&",
    ord("%"): r"\%",
    ord("$"): r"\$",
    ord("#"): r"\#",
    ord("_"): r"\_",
    ord("~"): r"\textasciitilde{}",
    ord("^"): r"\textasciicircum{}",
}
#: Non-ASCII text is kept as it is (biblatex reads UTF-8); only the specials are encoded.
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _LATEX_SPECIALS)],
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


def _tex(text: str) -> str:
    """One BibTeX value: on one line, LaTeX specials escaped by pylatexenc's encoder."""
    return _LATEX.unicode_to_latex(" ".join(text.split()))


def _bibtex_name(name: Name) -> str:
    """ "Family, Given" (a part holding a comma or " and " in braces); a literal name in braces."""
    if name.literal:
        return f"{{{_tex(name.literal)}}}"

    def part(text: str) -> str:
        text = _tex(text)
        return f"{{{text}}}" if "," in text or re.search(r"\band\b", text, re.IGNORECASE) else text

    return ", ".join(part(p) for p in (name.family, name.suffix, name.given) if p)


def _bibtex_url(url: str) -> str:
    """A URL as biblatex's verbatim ``url`` field takes it: characters that could end the field percent-encoded."""
    return urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def bibtex(c: Cited) -> str:
    """A biblatex ``@online`` entry written by bibtexparser; ``origdate`` is the witness's date."""
    note = "; ".join(p for p in (c.locator, f"Original source: {c.source}" if c.source else "") if p)
    fields = [
        ("author", " and ".join(_bibtex_name(n) for n in c.names)),
        ("title", f"{{{_tex(c.full_title)}}}"),
        ("organization", _tex(EDITION)),
        ("publisher", _tex(PUBLISHER)),
        ("version", _tex(f"revision {c.revision}") if c.revision else ""),
        ("note", _tex(note)),
        ("url", _bibtex_url(c.url)),
        ("urldate", c.accessed.isoformat()),
        ("date", _tex(c.revision_date)),
        ("year", _tex(c.year)),
        ("origdate", _tex(c.witness_date)),
        ("langid", _tex(c.language)),
    ]
    entry = Entry(BIBTEX_TYPE, c.key, [Field(k, v) for k, v in fields if v])
    return bibtexparser.write_string(bibtexparser.Library([entry])).strip() + "\n"


class _RisWriter(rispy.RisWriter):
    """rispy's writer as the RIS spec has it: CRLF lines, no record number before ``TY``."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def _ris_value(text: str) -> str:
    """RIS is one tag per line and has no escape: any line break in a value becomes a space."""
    return " ".join(text.split())


def ris(c: Cited) -> str:
    """An RIS record written by rispy: ``PY``/``DA`` this revision, ``OP`` the witness's date, ``Y2`` access."""
    record = {
        "type_of_reference": RIS_TYPE,
        "authors": [n.inverted for n in c.names],
        "title": c.full_title,
        "secondary_title": EDITION,
        "section": c.passage,
        "edition": f"revision {c.revision}" if c.revision else "",
        "year": c.year,
        "date": c.revision_date.replace("-", "/"),
        "original_publication": c.witness_date.replace("-", "/"),
        "publisher": PUBLISHER,
        "urls": [c.url],
        "access_date": c.accessed.strftime("%Y/%m/%d"),
        "language": c.language,
        "notes": [c.locator, f"Original source: {c.source}" if c.source else ""],
        "id": c.key,
    }
    clean = {}
    for key, value in record.items():
        value = [_ris_value(v) for v in value if _ris_value(v)] if isinstance(value, list) else _ris_value(value)
        if value:
            clean[key] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a key rispy does not know would be dropped silently
        return rispy.dumps([clean], implementation=_RisWriter).rstrip("\r\n") + "\r\n"


def _highwire_author(name: Name) -> str:
    """A ``citation_author`` Zotero splits right: "Family, Given"; a literal name with a trailing comma.

    Zotero's Embedded Metadata translator (``ZU.cleanAuthor``) splits a name without a comma at its
    last space ("Wikipedia contributors" → "contributors, Wikipedia"); with a comma it takes what
    precedes the comma as the family name, so "Wikipedia contributors," is one family name, no given.
    """
    return f"{name.literal}," if name.literal else name.inverted


def meta_tags(c: Cited) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the head's meta tags: Highwire ``citation_*``, Dublin Core, Open Graph.

    Read by Zotero's Embedded Metadata rules as a ``webpage`` (see the module docstring) with the
    author as family and given, the revision date, this edition as website title, the witness in the
    title and the witness's date as ``original-date`` in Extra.
    """
    title = c.full_title
    tags = [("name", "citation_title", title)]
    tags += [("name", "citation_author", _highwire_author(n)) for n in c.names]
    tags += [
        ("name", "citation_date", c.revision_date.replace("-", "/")),
        ("name", "citation_publisher", PUBLISHER),
        ("name", "citation_public_url", c.url),
        ("name", "citation_language", c.language),
        ("name", "DC.title", title),
    ]
    tags += [("name", "DC.creator", _highwire_author(n)) for n in c.names]
    tags += [
        # Zotero's own vocabulary: its item type, and then DC.description goes to Extra, where
        # "original-date: 1860" is the CSL variable Zotero has no field for.
        ("name", "z.itemType", ZOTERO_TYPE),
        ("name", "DC.description", f"original-date: {c.witness_date}" if c.witness_date else ""),
        ("name", "DC.type", "Text"),
        ("name", "DC.date", c.revision_date),
        ("name", "DC.identifier", c.url),
        ("name", "DC.publisher", PUBLISHER),
        ("name", "DC.language", c.language),
        ("name", "DC.relation", c.source),
        ("property", "og:type", "website"),
        ("property", "og:title", title),
        ("property", "og:site_name", EDITION),
        ("property", "og:url", c.url),
    ]
    return [(attribute, name, value) for attribute, name, value in tags if value]


def coins(c: Cited) -> str:
    """The OpenURL ContextObject (Z39.88-2004, KEV) of a COinS span, as Zotero writes one for a web page."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rfr_id", "info:sid/parallax"),
        ("rft.type", ZOTERO_TYPE),
        ("rft.title", c.full_title),
        ("rft.source", EDITION),
        ("rft.publisher", PUBLISHER),
        ("rft.identifier", c.url),
        ("rft.date", c.revision_date),
        ("rft.language", c.language),
    ]
    for name in c.names:  # a body as ``aucorp``: Zotero splits an ``au`` without a comma at its last space
        pairs.append(("rft.aucorp", name.literal) if name.literal else ("rft.au", name.inverted))
    return urllib.parse.urlencode([(k, v) for k, v in pairs if v])


#: (key, label, function) for the copy boxes of the page.
FORMATS = (
    ("plain", "Plain text", plain_text),
    ("bibtex", "BibTeX", bibtex),
    ("ris", "RIS", ris),
    ("csl", "CSL-JSON", csl_json),
)
#: Downloadable files: extension -> (function, content type).
DOWNLOADS = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
