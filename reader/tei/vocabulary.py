"""The corpus's TEI vocabulary in one place: which elements mean what (docs/tei-conventions.md).

Every stage (ingest, recognition, collation, load, export, the annotators'
edits) takes these names from here, so a rule such as "a ``note`` is not part
of the text" or "``#pipeline`` marks the machine's guesses" is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .xml import tei

#: ``@resp`` of everything the pipeline made (boundaries, suggestions, register entries).
PIPELINE = "#pipeline"
#: ``@resp`` of entries and rejections from the curated authority seed.
CURATED = "#curated"
#: ``@resp`` of register entries taken from the registers of imported TEI files (manage.py importtei).
IMPORTED = "#import"

#: Elements whose content is never part of the document's text.
NOISE_TAGS = frozenset({tei("note"), tei("gap"), tei("fw")})
#: Elements that can be cited by id (the reader's paragraphs).
CITABLE_TAGS = (tei("head"), tei("p"), tei("item"), tei("bibl"))


@dataclass(frozen=True)
class Kind:
    """One kind of register entry: its list, entry and name elements (local names) and id prefix."""

    name: str
    list_tag: str
    entry_tag: str
    name_tag: str
    prefix: str


KINDS = {
    "person": Kind("person", "listPerson", "person", "persName", "per"),
    "place": Kind("place", "listPlace", "place", "placeName", "pla"),
    "org": Kind("org", "listOrg", "org", "orgName", "org"),
}
#: Local name of a name element → entity kind (``persName`` → ``person``).
KIND_OF_MENTION = {k.name_tag: k.name for k in KINDS.values()}

#: Mention element (Clark name) → the kind of thing it names; dates are mentions without an entry.
MENTION_KINDS = {**{tei(k.name_tag): k.name for k in KINDS.values()}, tei("date"): "date"}
#: The mention elements, in a fixed order (for ``iter``/``strip_tags``).
MENTION_TAGS = tuple(MENTION_KINDS)
#: Kind → mention element (Clark name).
MENTION_TAG_OF = {kind: tag for tag, kind in MENTION_KINDS.items()}

#: Register entry element → kind, and kind → its list element (Clark names).
REGISTER_ENTRIES = {tei(k.entry_tag): k.name for k in KINDS.values()}
REGISTER_LISTS = {k.name: tei(k.list_tag) for k in KINDS.values()}
#: Elements that give an entry's names (the kind's own name element, or the generic ``name``).
NAME_TAGS = frozenset({*(tei(k.name_tag) for k in KINDS.values()), tei("name")})
#: ``@type`` values that make a name the entry's canonical one (other projects' registers use several).
CANONICAL_NAME_TYPES = frozenset({"canonical", "main", "reg", "preferred", "standard"})
#: ``@type`` values that make a name something other than the canonical one.
SECONDARY_NAME_TYPES = frozenset({"variant", "abbreviation"})

#: The register file, relative to the corpus folder, and the prefix of a mention's ``@ref`` into it.
REGISTER_FILE = "register.xml"
REGISTER_PREFIX = REGISTER_FILE + "#"
#: ``standOff/@type`` of a document's paragraph history (retired ids, earlier texts).
HISTORY_TYPE = "paragraph-history"
#: The corpus folder's own files and folders (``register.xml``, ``collations/``, the lock): no document's
#: slug or file name may be one of these, compared without case (a case-insensitive disk).
COLLATIONS_DIR = "collations"
RESERVED_NAMES = frozenset({REGISTER_FILE.removesuffix(".xml"), COLLATIONS_DIR, "corpus", "lock"})


def is_reserved(slug: str) -> bool:
    """Whether ``slug`` would name (or, on a case-insensitive disk, overwrite) a file the corpus uses itself."""
    return slug.lower() in RESERVED_NAMES


def unreserved(slug: str) -> str:
    """``slug``, or ``<slug>-text`` when it is a reserved name (``register`` → ``register-text``)."""
    return f"{slug}-text" if is_reserved(slug) else slug
