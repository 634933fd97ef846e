"""Files Parallax itself wrote (``manage.py export``, ``importtei``, ``collate``): taken as they are.

Such a file already follows the corpus conventions, so converting it as foreign TEI would only lose
what it holds (entity links, ``@resp``/``@cert``, sigla and works, unit ids, front matter). It is
recognised by the responsibility statement every file Parallax writes carries in its
``titleStmt``: ``respStmt[@xml:id='pipeline' or 'importer']`` whose ``name`` starts with
"Parallax" (documents, collations and the register all have one; a foreign project's file has
neither that id nor that name). The register of the same run is merged into the target register
first (by authority id, else by id and name; new ids are minted only on a clash), then each
document and collation is written with its ``@ref="register.xml#…"`` pointers mapped to the target's
entries and, if its slug is taken by another document, renamed ``-2``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..entities.register import KINDS, Register
from ..vocabulary import REGISTER_FILE
from ..xml import NS, XML_ID, parse_file, tei

#: the names the pipeline's and the importer's respStmt give (the recognising signal)
OWN_RESP_IDS = ("pipeline", "importer")
OWN_NAME = "Parallax"
REF_PREFIX = f"{REGISTER_FILE}#"
AUTHORITY_TYPES = ("wikidata", "gnd", "geonames", "viaf")


def is_parallax(root: etree._Element) -> bool:
    """Whether ``root`` was written by Parallax (module docstring: the signal)."""
    if root.tag != tei("TEI"):
        return False
    if root.find("tei:standOff/tei:linkGrp[@type='text-reuse']", NS) is not None:
        # the text-reuse file (reader.tei.reuse) has no respStmt; its publicationStmt names us
        statement = root.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt", NS)
        return statement is not None and " ".join(statement.itertext()).strip().startswith(OWN_NAME)
    for resp in root.iterfind("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt", NS):
        name = (resp.findtext("tei:name", default="", namespaces=NS) or "").strip()
        if resp.get(XML_ID) in OWN_RESP_IDS and name.startswith(OWN_NAME):
            return True
    return False


def kind_of(root: etree._Element) -> str:
    """'register', 'collation' (the files of ``collations/``) or 'document'."""
    if root.find("tei:text", NS) is None and root.find("tei:standOff", NS) is not None:
        return "register"
    if root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:listWit", NS) is not None:
        return "collation"
    if root.find("tei:standOff/tei:linkGrp[@type='text-reuse']", NS) is not None:
        return "collation"
    return "document"


def _authorities(el: etree._Element) -> set[tuple[str, str]]:
    return {
        (idno.get("type"), (idno.text or "").strip())
        for idno in el.iterfind("tei:idno", NS)
        if idno.get("type") in AUTHORITY_TYPES and (idno.text or "").strip()
    }


@dataclass
class RegisterMerge:
    """What merging a Parallax register into the target did: old id -> target id."""

    ids: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)


def merge_register(target: Register, source: Register) -> RegisterMerge:
    """Merge ``source``'s entries into ``target``: an entry with an authority id the target has is that
    entry; else the target's entry of the same id and canonical name is it; else it is added (under its
    own id, or a new one if the id is taken or retired; an entry of the same kind and names under
    another id is taken to be it, so importing the same export twice adds nothing). Target entries
    are never changed."""
    merge = RegisterMerge()
    by_authority = {a: e.id for e in target.entries.values() for a in _authorities(e.element)}
    for ident, entry in source.entries.items():
        found = next((by_authority[a] for a in _authorities(entry.element) if a in by_authority), None)
        same = target.entries.get(ident)
        if found is None and same is not None and same.kind == entry.kind and same.canonical == entry.canonical:
            found = ident
        if found is None and (same is not None or ident in target.retired):
            # the id is another entity's there (or retired): an entry of the same names is this one (imported before)
            found = next((e.id for e in target.by_name(entry.canonical, entry.kind) if e.names == entry.names), None)
        if found is not None:
            merge.ids[ident] = found
            merge.matched.append(ident)
            continue
        new_id = ident
        if ident in target.entries or ident in target.retired:
            new_id = target.mint_id(entry.kind, entry.canonical)
        element = copy.deepcopy(entry.element)
        element.tail = None
        element.set(XML_ID, new_id)
        kind = KINDS[entry.kind]
        target._list(kind.list_tag).append(element)
        target._index(target._entry_from_element(kind, element))
        merge.ids[ident] = new_id
        merge.added.append(new_id)
    # a pointer to a retired id of the source follows its successor there
    for old, successor in source.retired_successor.items():
        survivor = successor.lstrip("#").removeprefix(REF_PREFIX)
        if survivor in merge.ids:
            merge.ids.setdefault(old, merge.ids[survivor])
    return merge


def map_refs(root: etree._Element, ids: dict[str, str]) -> list[str]:
    """Point every ``@ref="register.xml#id"`` of ``root`` at the target's entry; returns the pointers
    that name no entry of the merged register (with their lines)."""
    unknown = []
    for el in root.iter():
        ref = el.get("ref") if isinstance(el.tag, str) else None
        if not ref or not ref.startswith(REF_PREFIX):
            continue
        old = ref[len(REF_PREFIX) :]
        if old in ids:
            el.set("ref", REF_PREFIX + ids[old])
        else:
            unknown.append(f"line {el.sourceline}: @ref {ref!r} names no entry of the register")
    return unknown


def document_identity(root: etree._Element) -> tuple[str, str, str]:
    """What makes a document the same document: its seed or source file, the source's hash, its siglum."""
    bibl = root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl", NS)
    if bibl is None:
        return ("", "", "")

    def idno(kind: str) -> str:
        return bibl.findtext(f"tei:idno[@type='{kind}']", default="", namespaces=NS).strip()

    return (idno("seed") or idno("source-file"), idno("sha256"), idno("siglum"))


def existing_identity(path: Path) -> tuple[str, str, str] | None:
    """The identity of the corpus document at ``path``; None when there is none (or it is unreadable)."""
    try:
        return document_identity(parse_file(path))
    except Exception:  # noqa: BLE001 - an unreadable file is simply another document
        return ("?", "?", "?") if path.exists() else None


def rename_witness_links(root: etree._Element, renamed: dict[str, str]) -> None:
    """A collation's witnesses and readings point at ``../<slug>.xml``; follow documents renamed -2."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("corresp", "target"):
            value = el.get(attr)
            if not value:
                continue
            for old, new in renamed.items():
                for prefix in ("../", ""):
                    if value.startswith(f"{prefix}{old}.xml"):
                        value = f"{prefix}{new}.xml" + value[len(f"{prefix}{old}.xml") :]
                        el.set(attr, value)
                        break
