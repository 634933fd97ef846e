"""The entity register: ``corpus/tei/register.xml`` read, changed and written.

Shape (see docs/tei-conventions.md, "Entity register")::

    TEI[@xml:id='register']/standOff/
        listPerson/person[@xml:id='per-…'][@resp]/persName (+ persName[@type='variant'|'abbreviation'])
        listPlace/place[@xml:id='pla-…']/placeName …      idno[@type='wikidata'] …
        listOrg/org[@xml:id='org-…']/orgName …
        listAnnotation[@type='rejected']/note[@type='rejected'][@subtype][@target][@resp]  text
        listAnnotation[@type='retired-ids']/note[@type='retired-id'][@n]  canonical name

The lxml tree is the store: entries the pipeline does not own (``@resp`` other
than ``#pipeline``) are kept exactly as read. Ids are derived from canonical
names (``per-arturs-sprogis``), get ``-2``, ``-3`` … when different entities
share a name, and are never given again once retired (merged away, or unused and pruned).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..slugs import NAME, slugify
from ..parsing import entry_names
from ..vocabulary import CURATED, IMPORTED, KINDS, PIPELINE, Kind
from ..xml import NS, NSMAP, XML_ID, XML_LANG, TEIError, parse_bytes, parse_file, serialize, tei, write_atomic

SEED_FILE = Path(__file__).with_name("authority_seed.json")


_HAS_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


class RegisterError(TEIError):
    """A register file that cannot be used; the message names the file and line(s)."""


@dataclass
class Entry:
    """One real-world entity of the register."""

    id: str
    kind: str
    canonical: str
    variants: list[str]
    abbreviations: list[str]
    resp: str | None
    element: etree._Element = field(repr=False)

    @property
    def names(self) -> list[str]:
        return [self.canonical, *self.variants]

    @property
    def owned_by_pipeline(self) -> bool:
        return self.resp == PIPELINE


@dataclass(frozen=True)
class Rejection:
    """A suggestion an annotator (or the curator) said is not a mention.

    ``tag`` None: the phrase names no entity at all, and nothing inside it is
    marked either (titles of works, treaties named after people).
    ``scope`` None: everywhere; else ``<slug>#<unit-id>``.
    """

    text: str
    tag: str | None
    scope: str | None


def _text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


class Register:
    """The corpus-wide entity register (see module docstring)."""

    def __init__(self, root: etree._Element, name: str = "register.xml"):
        self.root = root
        self.name = name
        self.entries: dict[str, Entry] = {}
        self.rejections: list[Rejection] = []
        self.retired: dict[str, str] = {}
        #: retired id -> '#survivor' for ids retired by a merge (the reader redirects them)
        self.retired_successor: dict[str, str] = {}
        self._by_name: dict[str, list[Entry]] = {}
        self._read()

    # ---------------------------------------------------------------- loading
    @classmethod
    def from_file(cls, path: str | Path) -> "Register":
        path = Path(path)
        try:
            root = parse_file(path)
        except TEIError as exc:
            # libxml2 itself refuses a repeated xml:id; say so in the register's terms.
            duplicate = re.search(r"line (\d+): not well-formed XML: ID (\S+) already defined", str(exc))
            if duplicate:
                raise RegisterError(
                    f"{path}: line {duplicate.group(1)}: duplicate xml:id {duplicate.group(2)!r} in the register"
                ) from None
            raise RegisterError(str(exc)) from None
        return cls(root, str(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "register.xml") -> "Register":
        return cls(parse_bytes(data, name), name)

    @classmethod
    def seed(cls) -> "Register":
        """A register holding the curated seed list shipped with the package."""
        register = cls(_empty_register_tree(), "register.xml (curated seed)")
        data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
        for kind in KINDS:
            for item in data.get(kind, []):  # the seed lists no works or events
                register.add_entry(
                    kind,
                    item["name"],
                    variants=item.get("variants", []),
                    resp=CURATED,
                    wikidata=item.get("wikidata"),
                    abbreviations=item.get("abbreviations", []),
                )
        for item in data["rejected"]:
            register.add_rejection(item["text"], item.get("tag"), None, CURATED)
        return register

    def merge_seed(self) -> list[str]:
        """Add the curated seed's entries and rejections this register lacks.

        An entry whose id is present (perhaps edited by an annotator) or
        retired is left alone, so the seed never undoes a human decision.
        Returns the ids added.
        """
        seed = Register.seed()
        added = []
        for ident, entry in seed.entries.items():
            if ident in self.entries or ident in self.retired:
                continue
            self._list(KINDS[entry.kind].list_tag).append(entry.element)
            self._index(self._entry_from_element(KINDS[entry.kind], entry.element))
            added.append(ident)
        known = {(r.text, r.tag, r.scope) for r in self.rejections}
        for r in seed.rejections:
            if (r.text, r.tag, r.scope) not in known:
                self.add_rejection(r.text, r.tag, r.scope, CURATED)
        return added

    def _read(self) -> None:
        if self.root.tag != tei("TEI"):
            raise RegisterError(f"{self.name}: line {self.root.sourceline}: root element is not TEI <TEI>")
        standoff = self.root.find("tei:standOff", NS)
        if standoff is None:
            raise RegisterError(f"{self.name}: line {self.root.sourceline}: no <standOff> holding the register lists")
        problems = self.duplicate_ids()
        for kind in KINDS.values():
            for el in standoff.iterfind(f"tei:{kind.list_tag}/tei:{kind.entry_tag}", NS):
                try:
                    self._index(self._entry_from_element(kind, el))
                except RegisterError as exc:
                    problems.append(str(exc))
        if problems:
            raise RegisterError("\n".join(problems))
        for note in standoff.iterfind("tei:listAnnotation[@type='rejected']/tei:note", NS):
            self.rejections.append(Rejection(_text(note), note.get("subtype"), note.get("target")))
        for note in standoff.iterfind("tei:listAnnotation[@type='retired-ids']/tei:note", NS):
            self.retired[note.get("n")] = _text(note)
            if note.get("corresp"):
                self.retired_successor[note.get("n")] = note.get("corresp")

    def duplicate_ids(self) -> list[str]:
        """Every xml:id used twice in the register tree, with file and lines."""
        seen: dict[str, int] = {}
        problems = []
        for el in self.root.iter():
            ident = el.get(XML_ID) if isinstance(el.tag, str) else None
            if ident is None:
                continue
            if ident in seen:
                problems.append(
                    f"{self.name}: line {el.sourceline}: duplicate xml:id {ident!r} (first used at line {seen[ident]})"
                )
            else:
                seen[ident] = el.sourceline
        return problems

    def _entry_from_element(self, kind: Kind, el: etree._Element) -> Entry:
        ident = el.get(XML_ID)
        where = f"{self.name}: line {el.sourceline}"
        if not ident:
            raise RegisterError(f"{where}: <{kind.entry_tag}> has no xml:id")
        if not ident.startswith(kind.prefix + "-"):
            raise RegisterError(f"{where}: id {ident!r} of a <{kind.entry_tag}> must start with '{kind.prefix}-'")
        canonical, others = entry_names(el)
        if canonical is None or not _text(canonical):
            raise RegisterError(f"{where}: entry {ident!r} has no canonical <{kind.entry_name_tag}>")
        # Any further name that is not an abbreviation is a variant, whatever its @type says.
        return Entry(
            id=ident,
            kind=kind.name,
            canonical=_text(canonical),
            variants=[_text(n) for n in others if n.get("type") != "abbreviation" and _text(n)],
            abbreviations=[_text(n) for n in others if n.get("type") == "abbreviation" and _text(n)],
            resp=el.get("resp"),
            element=el,
        )

    def _index(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        for name in _name_keys(entry):
            self._by_name.setdefault(name, []).append(entry)

    # ---------------------------------------------------------------- queries
    def by_name(self, name: str, kind: str | None = None) -> list[Entry]:
        found = self._by_name.get(unicodedata.normalize("NFC", name), [])  # "ģ" composed or not
        return [e for e in found if kind is None or e.kind == kind]

    def gazetteer_entries(self) -> list[Entry]:
        """Entries whose names are looked for everywhere: curated and annotators' ones.

        Entries the pipeline made itself only serve as link targets, so one
        recognition error is not copied across the corpus and a second run
        sees the same names as the first; so do entries imported with another
        edition's register (thousands of names from another period and place),
        until an annotator adopts one.
        """
        return [e for e in self.entries.values() if not e.owned_by_pipeline and e.resp != IMPORTED]

    def is_rejected(self, text: str, tag: str, scope: str, anywhere: bool = False) -> bool:
        """Whether ``text`` as ``tag`` was rejected here (``scope``) or everywhere; with ``anywhere``,
        a rejection of words as a type made in any paragraph counts too."""
        return any(
            r.text == text and r.tag in (tag, None) and (r.scope in (None, scope) or anywhere and r.tag is not None)
            for r in self.rejections
        )

    def blocking_phrases(self) -> list[str]:
        return [r.text for r in self.rejections if r.tag is None and r.scope is None]

    # ---------------------------------------------------------------- changes
    def mint_id(self, kind: str, canonical: str) -> str:
        base = f"{KINDS[kind].prefix}-{slugify(canonical, NAME)}"
        candidate, n = base, 1
        while candidate in self.entries or candidate in self.retired:  # a retired id is never given again
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def add_entry(
        self,
        kind: str,
        canonical: str,
        *,
        variants: list[str] = (),
        resp: str = PIPELINE,
        cert: str | None = None,
        wikidata: str | None = None,
        abbreviations: list[str] = (),
        geonames: str | None = None,
    ) -> Entry:
        """Create an entry (a new real-world entity) and return it."""
        k = KINDS[kind]
        canonical = " ".join(canonical.split())
        ident = self.mint_id(kind, canonical)
        el = etree.Element(tei(k.entry_tag), nsmap=NSMAP)
        el.set(XML_ID, ident)
        el.set("resp", resp)
        if cert:
            el.set("cert", cert)
        for text, kind_of_name in (
            [(canonical, None)] + [(v, "variant") for v in variants] + [(a, "abbreviation") for a in abbreviations]
        ):
            name = etree.SubElement(el, tei(k.entry_name_tag))
            if kind_of_name:
                name.set("type", kind_of_name)
            if _HAS_CYRILLIC.search(text):
                name.set(XML_LANG, "ru")
            name.text = text
        for authority, value in (("wikidata", wikidata), ("geonames", geonames)):
            if value:
                idno = etree.SubElement(el, tei("idno"), type=authority)
                idno.text = value
        self._list(k.list_tag).append(el)
        entry = self._entry_from_element(k, el)
        self._index(entry)
        return entry

    def add_rejection(self, text: str, tag: str | None, scope: str | None, resp: str) -> None:
        """Record that ``text`` is not a ``tag`` mention (in ``scope``, or anywhere)."""
        note = etree.SubElement(self._annotation_list("rejected"), tei("note"), type="rejected", resp=resp)
        if tag:
            note.set("subtype", tag)
        if scope:
            note.set("target", scope)
        note.text = text
        self.rejections.append(Rejection(text, tag, scope))

    def set_unused_note(self, ident: str, text: str | None) -> None:
        """Say (or stop saying) why an entry has no mention: ``note[@type='unused'][@resp='#pipeline']``.
        A note an annotator or editor wrote is left alone."""
        el = self.entries[ident].element
        for note in el.findall("tei:note[@type='unused']", NS):
            if note.get("resp") == PIPELINE:
                el.remove(note)
        if text and el.find("tei:note[@type='unused']", NS) is None:
            note = etree.SubElement(el, tei("note"), type="unused", resp=PIPELINE)
            note.text = text

    def prune(self, used_ids: set[str]) -> list[str]:
        """Remove entries the pipeline made that no mention uses; remember their ids."""
        removed = []
        for entry in list(self.entries.values()):
            if entry.owned_by_pipeline and entry.id not in used_ids:
                entry.element.getparent().remove(entry.element)
                del self.entries[entry.id]
                for name in _name_keys(entry):
                    self._by_name[name].remove(entry)
                self.retired[entry.id] = entry.canonical
                removed.append(entry.id)
        return removed

    def _standoff(self) -> etree._Element:
        return self.root.find("tei:standOff", NS)

    def _list(self, tag: str) -> etree._Element:
        found = self._standoff().find(f"tei:{tag}", NS)
        return found if found is not None else etree.SubElement(self._standoff(), tei(tag))

    def _annotation_list(self, kind: str) -> etree._Element:
        found = self._standoff().find(f"tei:listAnnotation[@type='{kind}']", NS)
        return found if found is not None else etree.SubElement(self._standoff(), tei("listAnnotation"), type=kind)

    # ---------------------------------------------------------------- writing
    def to_bytes(self) -> bytes:
        """Deterministic TEI: lists in a fixed order, entries sorted by id, indented."""
        standoff = self._standoff()
        retired = self._annotation_list("retired-ids")
        for child in list(retired):
            retired.remove(child)
        for ident, canonical in sorted(self.retired.items()):
            note = etree.SubElement(retired, tei("note"), type="retired-id", n=ident)
            if ident in self.retired_successor:
                note.set("corresp", self.retired_successor[ident])
            note.text = canonical
        order = [k.list_tag for k in KINDS.values()]
        blocks = []
        for tag in order:
            lst = standoff.find(f"tei:{tag}", NS)
            if lst is not None:
                entries = sorted(lst, key=lambda el: el.get(XML_ID) or "")
                for el in entries:
                    lst.append(el)
                blocks.append(lst)
        blocks += [standoff.find(f"tei:listAnnotation[@type='{t}']", NS) for t in ("rejected", "retired-ids")]
        for lst in blocks:
            if lst is not None:
                standoff.remove(lst)
        for lst in blocks:
            if lst is not None and len(lst):
                standoff.append(lst)
        etree.indent(self.root, space="  ")
        return serialize(self.root)

    def save(self, path: str | Path) -> bool:
        return write_atomic(path, self.to_bytes())


def _name_keys(entry: Entry) -> list[str]:
    """The entry's names as :meth:`Register.by_name` keys them: NFC, each once."""
    return list(dict.fromkeys(unicodedata.normalize("NFC", n) for n in entry.names + entry.abbreviations))


def _empty_register_tree() -> etree._Element:
    xml = f"""<TEI xmlns="{NS["tei"]}" xml:id="register">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Parallax entity register</title>
        <respStmt xml:id="pipeline"><resp>automatic entity recognition (spaCy, register names, date rules)</resp>
          <name>Parallax pipeline</name></respStmt>
        <respStmt xml:id="curated"><resp>hand-curated seed list of well-known entities with authority ids;
          entries kept for texts still to come</resp><name>Parallax editors</name></respStmt>
      </titleStmt>
      <publicationStmt><p>Part of the Parallax corpus; one entry per real-world entity.</p></publicationStmt>
      <sourceDesc><p>Compiled from the texts of the corpus; authority ids from Wikidata.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <standOff/>
</TEI>"""
    return parse_bytes(xml.encode("utf-8"), "register seed")
