"""Citations of a document or one of its paragraphs: plain text, BibTeX, RIS, CSL-JSON, meta tags.

One :class:`Cited` record says what is cited (author, original source, this
edition as container, witness, revision, access date, and for a passage its
section, ¶ label and id); every format is a function of it, so the page, the
downloads and the tests give the same facts. CSL-JSON is the hub: the plain
text is formatted from it by citeproc-py with a bundled CSL style, BibTeX is
written by bibtexparser; RIS is a short tagged format written per its spec.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

PUBLISHER = "Parallax"
#: The container: this edition.
EDITION = "Parallax: a TEI edition"
#: CSL style for the plain-text citation (ships with citeproc-py).
PLAIN_STYLE = "harvard-cite-them-right"
#: Author of a text taken from Wikipedia, as Wikipedia asks to be cited.
WIKIPEDIA_AUTHOR = "Wikipedia contributors"


@dataclass(frozen=True)
class Cited:
    """What a citation of a document, or of one passage of it, says."""

    title: str  #: the document's title
    slug: str
    witness: str  #: siglum of the witness (``Document.label``)
    authors: tuple[str, ...]  #: as written ("Wikipedia contributors" is one literal name)
    source: str  #: the original source (article, website); '' if unknown
    url: str  #: permanent URL, naming the revision quoted (``?rev=``)
    revision: str
    revision_date: str  #: ISO date of that revision, may be ''
    language: str
    accessed: datetime.date
    paragraph_id: str = ""  #: '' for a whole document
    label: str = ""  #: "¶ 7"
    section: str = ""  #: heading of the enclosing section

    @property
    def key(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", "-".join(filter(None, ("parallax", self.slug, self.paragraph_id)))).strip(
            "-"
        )

    @property
    def passage(self) -> str:
        """Where in the document: "¶ 7 in “Background”" ('' for a whole document)."""
        if not self.paragraph_id:
            return ""
        return self.label + (f" in “{self.section}”" if self.section else "")

    @property
    def locator(self) -> str:
        """Passage, witness and revision, the way a footnote names them."""
        parts = [
            self.passage,
            f"witness {self.witness}" if self.witness else "",
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


def _name(author: str) -> dict:
    """CSL name: "Family, Given" is split; anything else (an institution, "Wikipedia contributors") is literal."""
    if author.count(",") == 1:
        family, given = (p.strip() for p in author.split(","))
        return {"family": family, "given": given}
    return {"literal": author}


def csl_item(c: Cited) -> dict:
    item = {
        "id": c.key,
        "type": "webpage",
        "title": c.title,
        "author": [_name(a) for a in c.authors],
        "container-title": EDITION,
        "publisher": PUBLISHER,
        "source": c.source,
        "section": c.passage,
        "version": f"revision {c.revision}" if c.revision else "",
        "genre": f"witness {c.witness}" if c.witness else "",
        "note": c.locator,
        "URL": c.url,
        "language": c.language,
        "accessed": _date_parts(c.accessed.isoformat()),
        "issued": _date_parts(c.revision_date),
    }
    return {k: v for k, v in item.items() if v}


def csl_json(c: Cited) -> str:
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2)


def plain_text(c: Cited) -> str:
    """The reference formatted by citeproc-py in the bundled Harvard style, the passage named in the title."""
    item = csl_item(c)
    if c.locator:
        item["title"] = f"{c.title} ({c.locator})"
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(PLAIN_STYLE, validate=False), CiteProcJSON([item]), formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def bibtex(c: Cited) -> str:
    """A biblatex/BibTeX ``@online`` entry, written by bibtexparser (braces and escapes its way)."""
    fields = [
        ("author", " and ".join(f"{{{a}}}" if "," not in a else a for a in c.authors)),
        ("title", f"{{{c.title}}}"),
        ("organization", EDITION),
        ("publisher", PUBLISHER),
        ("version", f"revision {c.revision}" if c.revision else ""),
        ("note", "; ".join(p for p in (c.locator, f"Original source: {c.source}" if c.source else "") if p)),
        ("url", c.url),
        ("urldate", c.accessed.isoformat()),
        ("date", c.revision_date),
        ("year", c.year),
        ("langid", c.language),
    ]
    entry = Entry(
        "online",
        c.key,
        [Field(k, _bibtex_escape(v) if k not in ("url", "author", "title") else v) for k, v in fields if v],
    )
    library = bibtexparser.Library([entry])
    return bibtexparser.write_string(library).strip() + "\n"


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\&%$#_^~])", r"\\\1", text)


def ris(c: Cited) -> str:
    """An RIS record: ``TAG  - value`` lines (CRLF), ended by ``ER  - `` with its trailing space."""
    lines = [("TY", "ELEC")]
    lines += [("AU", a) for a in c.authors]
    lines += [
        ("TI", c.title),
        ("T2", EDITION),
        ("SE", c.passage),
        ("ET", f"revision {c.revision}" if c.revision else ""),
        ("PY", c.year),
        ("DA", c.revision_date.replace("-", "/")),
        ("PB", PUBLISHER),
        ("UR", c.url),
        ("Y2", c.accessed.strftime("%Y/%m/%d")),
        ("LA", c.language),
        ("N1", c.locator),
        ("N1", f"Original source: {c.source}" if c.source else ""),
        ("ID", c.key),
    ]
    body = "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n"


def meta_tags(c: Cited) -> list[tuple[str, str]]:
    """(name, content) pairs read by Zotero and other reference managers (Highwire, Dublin Core)."""
    title = f"{c.title}, {c.passage}" if c.passage else c.title
    tags = [("citation_title", title)]
    tags += [("citation_author", a) for a in c.authors]
    tags += [
        ("citation_publisher", PUBLISHER),
        ("citation_inbook_title" if c.passage else "citation_journal_title", EDITION),
        ("citation_public_url", c.url),
        ("citation_language", c.language),
        ("citation_publication_date", c.revision_date.replace("-", "/")),
        ("DC.title", title),
    ]
    tags += [("DC.creator", a) for a in c.authors]
    tags += [
        ("DC.source", c.source),
        ("DC.identifier", c.url),
        ("DC.publisher", PUBLISHER),
        ("DC.language", c.language),
        ("DC.date", c.revision_date),
        ("DC.relation.ispartof", EDITION),
    ]
    return [(name, value) for name, value in tags if value]


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
