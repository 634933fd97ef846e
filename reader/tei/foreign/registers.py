"""A foreign file's registers and entity pointers, taken into the corpus register.

Foreign registers are ``listPerson/person``, ``listPlace/place``,
``listOrg/org`` wherever they stand (header, ``standOff``, ``back``, a
register-only file imported in the same run). A mention points to one with
``@ref``/``@key``: ``#id``, ``id``, ``file.xml#id``; or to an authority by URL
(GND, GeoNames, Wikidata, VIAF) or by a prefixed key (``gnd-118540238``,
``geo-2950159``, ``wd-Q64``, ``viaf-…``).

Each foreign entity becomes (or is matched to) one entry of the corpus
register: matched by authority id first (an entry of the curated seed, an
annotator's or an earlier import's with the same GND or Wikidata id is the
same entity), else by its source id and name from an earlier import; new
entries carry ``@resp='#import'``, their names (first one canonical) and
``idno``s, and ``idno[@type='source-id']`` with the foreign id when they have
no authority id. Existing entries are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..entities.register import Register
from ..parsing import parse_geo
from ..vocabulary import IMPORTED, KINDS
from ..xml import NS, TEI_NS, XML_ID, XML_LANG, tei

#: Foreign entry element -> our kind (ours, and others' such as ``personGrp``).
ENTRY_KINDS = {tei(t): k.name for k in KINDS.values() for t in (k.entry_tag, *k.foreign_entries)}
#: Mention element -> our kind; ``rs`` and ``name`` take theirs from @type.
MENTION_KINDS = {tei(k.mention_tag): k.name for k in KINDS.values() if k.mention_type is None}
RS_KINDS = {t: k.name for k in KINDS.values() for t in (k.name, *k.rs_types)}
#: The elements that name a foreign entry of each kind.
NAME_CHILDREN = {k.name: tuple(dict.fromkeys((k.entry_name_tag, *k.foreign_names))) for k in KINDS.values()}
CANONICAL_TYPES = {"pref", "preferred", "main", "reg", "canonical", "standard", "full", "regularized"}
MAX_VARIANTS = 20
AUTHORITY_PATTERNS = [
    ("gnd", re.compile(r"d-nb\.info/gnd/([0-9X-]+)", re.I)),
    ("geonames", re.compile(r"geonames\.org/(\d+)", re.I)),
    ("wikidata", re.compile(r"wikidata\.org/(?:wiki|entity)/(Q\d+)", re.I)),
    ("viaf", re.compile(r"viaf\.org/viaf/(\d+)", re.I)),
]
KEY_PREFIXES = {
    "gnd": "gnd",
    "geo": "geonames",
    "geonames": "geonames",
    "wd": "wikidata",
    "wikidata": "wikidata",
    "viaf": "viaf",
}
_KEY = re.compile(r"^(gnd|geo|geonames|wd|wikidata|viaf)[-_:](.+)$", re.I)
AUTHORITY_SCHEMES = ("wikidata", "gnd", "geonames", "viaf")


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def authority(value: str) -> tuple[str, str] | None:
    """``https://d-nb.info/gnd/118540238`` or ``gnd-118540238`` -> ('gnd', '118540238')."""
    value = value.strip()
    for scheme, pattern in AUTHORITY_PATTERNS:
        found = pattern.search(value)
        if found:
            return scheme, found.group(1).upper() if scheme == "wikidata" else found.group(1)
    key = _KEY.match(value)
    if key:
        scheme = KEY_PREFIXES[key.group(1).lower()]
        return scheme, key.group(2).upper() if scheme == "wikidata" else key.group(2)
    return None


@dataclass
class ForeignEntry:
    """One entity of a foreign register, as plain data."""

    kind: str
    id: str
    names: list[tuple[str, str]]  #: (name, xml:lang); the first is canonical
    authorities: list[tuple[str, str]]  #: (scheme, value), recognised schemes first
    line: int
    source: str  #: file it came from
    geo: str = ""  #: ``location/geo`` as written (the loader checks it), kept on the new entry

    @property
    def canonical(self) -> str:
        return self.names[0][0] if self.names else self.id


def foreign_entries(root: etree._Element, source: str) -> dict[str, ForeignEntry]:
    """Every register entry with an xml:id in ``root`` (any list, anywhere), by id."""
    found: dict[str, ForeignEntry] = {}
    for el in root.iter(*ENTRY_KINDS):
        ident = (el.get(XML_ID) or "").strip()  # ids with stray spaces occur in real registers
        if not ident:
            continue
        kind = ENTRY_KINDS[el.tag]
        names = _entry_names(el, kind)
        geo = el.find("tei:location/tei:geo", NS)
        geo = _text(geo) if geo is not None and parse_geo(_text(geo)) else ""  # one not a point is left out
        found[ident] = ForeignEntry(kind, ident, names, _entry_authorities(el), el.sourceline or 0, source, geo)
    return found


#: Names of the larger area a place lies in: the place's name only when it has no other.
AREA_NAMES = ("region", "country", "district", "bloc")


def _entry_names(el: etree._Element, kind: str) -> list[tuple[str, str]]:
    wanted = {tei(t) for t in NAME_CHILDREN[kind]}
    types = KINDS[kind].name_types
    candidates = [
        n for n in el if n.tag in wanted and _text(n) and (types is None or (n.get("type") or "main").lower() in types)
    ]
    if not candidates and kind == "place":
        candidates = [n for n in el if n.tag in {tei(t) for t in AREA_NAMES} and _text(n)][:1]
    if not candidates:  # e.g. place/location/placeName, or a name given as desc
        candidates = [n for n in el.iter(*wanted) if _text(n)][:1]
    canonical = next((n for n in candidates if (n.get("type") or "").lower() in CANONICAL_TYPES), None)
    canonical = canonical if canonical is not None else next((n for n in candidates if not n.get("type")), None)
    ordered = ([canonical] if canonical is not None else []) + [n for n in candidates if n is not canonical]
    names = []
    for n in ordered:
        natural = natural_order(n)
        names += [(natural, n.get(XML_LANG, ""))] + ([(_text(n), n.get(XML_LANG, ""))] if natural != _text(n) else [])
    return list(dict.fromkeys(names))[: MAX_VARIANTS + 1]


PARTS_ORDER = ("roleName", "forename", "nameLink", "surname", "genName", "addName")


def natural_order(name: etree._Element) -> str:
    """``<surname>Schnitzler</surname><forename>Arthur</forename>`` -> 'Arthur Schnitzler'.

    Only a name given wholly as forename + surname parts is reordered (the
    inverted order is a register's sorting form); anything else reads as written."""
    parts = [c for c in name if isinstance(c.tag, str)]
    loose = (name.text or "").strip() or any((c.tail or "").strip(" ,\n\t") for c in parts)
    kinds = {etree.QName(c).localname for c in parts}
    if loose or not {"forename", "surname"} <= kinds or not kinds <= set(PARTS_ORDER):
        return _text(name)
    ordered = sorted(parts, key=lambda c: PARTS_ORDER.index(etree.QName(c).localname))
    return " ".join(_text(c) for c in ordered if _text(c))


def _entry_authorities(el: etree._Element) -> list[tuple[str, str]]:
    values = []
    for idno in el.iter(tei("idno")):
        if idno.getparent() is not el:
            continue  # an idno of a place inside a person's birth, or of a located-in place
        text = _text(idno)
        if not text:
            continue
        typed = (idno.get("type") or "").lower()
        found = authority(text) or (
            (KEY_PREFIXES.get(typed, typed), text) if KEY_PREFIXES.get(typed, typed) in AUTHORITY_SCHEMES else None
        )
        if found:
            values.append(found)
        elif text.startswith(("http://", "https://")):
            values.append(((idno.get("subtype") or typed or "uri").lower(), text))
    for attr in ("ref", "sameAs", "corresp", "key"):
        for token in (el.get(attr) or "").split():
            found = authority(token)
            if found:
                values.append(found)
    for name in el:
        for token in (name.get("ref") or "").split() if name.tag != tei("idno") else ():
            found = authority(token)
            if found:
                values.append(found)
    unique = list(dict.fromkeys(values))
    return sorted(
        unique,
        key=lambda a: (
            a[0] not in AUTHORITY_SCHEMES,
            AUTHORITY_SCHEMES.index(a[0]) if a[0] in AUTHORITY_SCHEMES else 0,
        ),
    )


@dataclass
class Resolution:
    """What a mention's pointer resolved to: a register id, or why not."""

    register_id: str | None
    problem: str = ""


@dataclass
class RegisterLink:
    """Links foreign entities to the corpus register, creating entries as needed.

    ``lists`` are the foreign entries visible to the file (its own, then the
    other files of the run); ``register`` is the corpus register, changed in place.
    """

    register: Register
    lists: dict[str, ForeignEntry]
    created: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    _done: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_authority: dict[tuple[str, str], str] = {}
        self.by_source: dict[tuple[str, str, str], str] = {}
        for entry in self.register.entries.values():
            for idno in entry.element.iterfind("tei:idno", NS):
                value = _text(idno)
                scheme = (idno.get("type") or "").lower()
                if scheme in AUTHORITY_SCHEMES:
                    self.by_authority.setdefault((scheme, value.upper() if scheme == "wikidata" else value), entry.id)
                elif scheme == "source-id":
                    self.by_source.setdefault((entry.kind, value, entry.canonical), entry.id)

    def resolve(self, pointer: str, kind: str, surface: str) -> Resolution:
        """Register id for a mention's ``@ref``/``@key`` value (several tokens: the first that resolves)."""
        problems = []
        for token in pointer.split():
            found = authority(token)
            if found:
                return Resolution(self._by_authority(kind, found, surface))
            ident = token.rsplit("#", 1)[-1] if "#" in token else token
            entry = self.lists.get(ident)
            if entry is not None:
                if entry.kind != kind:
                    problems.append(f"points to a {entry.kind} entry ({ident}) from a {kind} name")
                return Resolution(self.entry(entry), "; ".join(problems))
            problems.append(f"{token!r} names no entry of the file's registers")
        return Resolution(None, "; ".join(problems) or "empty pointer")

    def entry(self, foreign: ForeignEntry) -> str:
        """The register id of a foreign entry (matched or created)."""
        key = (foreign.source, foreign.id)
        if key in self._done:
            return self._done[key]
        ident = next((self.by_authority[a] for a in foreign.authorities if a in self.by_authority), None)
        has_authority = any(a[0] in AUTHORITY_SCHEMES for a in foreign.authorities)
        if ident is None and not has_authority:
            ident = self.by_source.get((foreign.kind, foreign.id, foreign.canonical))
        if ident is not None:
            self.matched.append(ident)
        else:
            ident = self._create(
                foreign.kind,
                foreign.names or [(foreign.id, "")],
                foreign.authorities,
                None if has_authority else foreign.id,
                foreign.geo,
            )
        self._done[key] = ident
        return ident

    def _by_authority(self, kind: str, found: tuple[str, str], surface: str) -> str:
        if found in self.by_authority:
            return self.by_authority[found]
        return self._create(kind, [(surface or f"{found[0]} {found[1]}", "")], [found], None)

    def _create(self, kind: str, names, authorities, source_id: str | None, geo: str = "") -> str:
        canonical, *variants = [n for n, _ in names]
        entry = self.register.add_entry(kind, canonical, variants=variants, resp=IMPORTED)
        langs = dict(names)
        name_tag = tei(KINDS[kind].entry_name_tag)
        for name_el in entry.element.iterfind(name_tag):
            lang = langs.get(name_el.text or "")
            if lang and not name_el.get(XML_LANG):
                name_el.set(XML_LANG, lang)
        if geo:
            etree.SubElement(etree.SubElement(entry.element, tei("location")), tei("geo")).text = geo
        for scheme, value in authorities:
            idno = etree.SubElement(entry.element, tei("idno"), type=scheme)
            idno.text = value
            if scheme in AUTHORITY_SCHEMES:
                self.by_authority[(scheme, value)] = entry.id
        if source_id:
            etree.SubElement(entry.element, tei("idno"), type="source-id").text = source_id
            self.by_source[(kind, source_id, canonical)] = entry.id
        self.created.append(entry.id)
        return entry.id


def ensure_import_resp(register: Register) -> None:
    """Declare ``#import`` in the register's header so that ``@resp='#import'`` resolves."""
    title_stmt = register.root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt", NS)
    if title_stmt is None or any(r.get(XML_ID) == "import" for r in title_stmt.iterfind("tei:respStmt", NS)):
        return
    resp_stmt = etree.SubElement(title_stmt, f"{{{TEI_NS}}}respStmt")
    resp_stmt.set(XML_ID, "import")
    etree.SubElement(resp_stmt, tei("resp")).text = (
        "entries taken from the registers of imported TEI files (manage.py importtei): names and authority ids as "
        "the source edition gives them"
    )
    etree.SubElement(resp_stmt, tei("name")).text = "Parallax importer"
