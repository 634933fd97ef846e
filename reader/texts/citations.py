"""Citations of a paragraph: plain text, BibTeX, RIS, CSL-JSON and meta tags.

Plain functions of a :class:`CitedPassage`, so that the page, the tests and
any future API produce the same strings.
"""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

PUBLISHER = "Parallax"


@dataclass(frozen=True)
class CitedPassage:
    """What a citation of one paragraph says."""

    document_title: str
    document_slug: str
    paragraph_id: str
    label: str  #: "¶ 3" or "heading"
    section: str  #: heading of the enclosing section ('' if none)
    url: str  #: permanent URL (with the revision it quotes)
    revision: str
    revision_date: str  #: ISO date of that revision, may be ''
    language: str
    accessed: datetime.date
    author: str = ""  #: the witness's author(s), from its metadata
    witness: str = ""  #: the witness's siglum and date ("A (1859)"), from its metadata

    @property
    def key(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", f"parallax-{self.document_slug}-{self.paragraph_id}").strip("-")

    @property
    def locator(self) -> str:
        where = f"{self.label}" + (f" in “{self.section}”" if self.section else "")
        witness = f"witness {self.witness}, " if self.witness else ""
        return f"{witness}{where}, id {self.paragraph_id}"

    @property
    def year(self) -> str:
        return self.revision_date[:4]


def plain_text(c: CitedPassage) -> str:
    revision = f", revision {c.revision}" if c.revision else ""
    date = f" ({c.revision_date})" if c.revision_date else ""
    author = f"{c.author}, " if c.author else ""
    return (
        f"{author}“{c.document_title}”, {c.locator}. {PUBLISHER}{revision}{date}. "
        f"{c.url} (accessed {c.accessed.isoformat()})."
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\&%$#_^~])", r"\\\1", text)


def bibtex(c: CitedPassage) -> str:
    fields = [
        ("author", f"{{{_bibtex_escape(c.author)}}}" if c.author else ""),
        ("title", f"{{{_bibtex_escape(c.document_title)}}}"),
        ("note", _bibtex_escape(c.locator + (f", revision {c.revision}" if c.revision else ""))),
        ("publisher", PUBLISHER),
        ("url", c.url),
        ("urldate", c.accessed.isoformat()),
        ("language", c.language),
    ]
    if c.year:
        fields.append(("year", c.year))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{c.key},\n{body}\n}}"


def ris(c: CitedPassage) -> str:
    lines = [
        ("TY", "ELEC"),
        ("AU", c.author),
        ("TI", c.document_title),
        ("T2", c.locator),
        ("PB", PUBLISHER),
        ("UR", c.url),
        ("Y2", c.accessed.strftime("%Y/%m/%d")),
        ("LA", c.language),
        ("ET", f"revision {c.revision}" if c.revision else ""),
        ("PY", c.year),
        ("ID", c.key),
        ("ER", ""),
    ]
    return "\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines if value or tag == "ER")


def _date_parts(iso: str) -> dict | None:
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    return {"date-parts": [parts]} if parts else None


def csl_json(c: CitedPassage) -> str:
    item = {
        "id": c.key,
        "type": "webpage",
        "title": c.document_title,
        "author": [{"literal": c.author}] if c.author else None,
        "container-title": PUBLISHER,
        "publisher": PUBLISHER,
        "section": c.locator,
        "URL": c.url,
        "language": c.language,
        "version": c.revision,
        "accessed": _date_parts(c.accessed.isoformat()),
    }
    issued = _date_parts(c.revision_date)
    if issued:
        item["issued"] = issued
    return json.dumps([{k: v for k, v in item.items() if v}], ensure_ascii=False, indent=2)


def meta_tags(c: CitedPassage) -> list[tuple[str, str]]:
    """(name, content) pairs read by Zotero and other reference managers (Highwire, Dublin Core)."""
    tags = [
        ("citation_title", f"{c.document_title}, {c.locator}"),
        ("citation_author", c.author),
        ("citation_publisher", PUBLISHER),
        ("citation_public_url", c.url),
        ("citation_language", c.language),
        ("citation_publication_date", c.revision_date.replace("-", "/")),
        ("DC.title", f"{c.document_title}, {c.locator}"),
        ("DC.identifier", c.url),
        ("DC.publisher", PUBLISHER),
        ("DC.language", c.language),
        ("DC.date", c.revision_date),
    ]
    return [(name, value) for name, value in tags if value]


FORMATS = (("plain", "Plain text", plain_text), ("bibtex", "BibTeX", bibtex), ("ris", "RIS", ris), ("csl", "CSL-JSON", csl_json))
