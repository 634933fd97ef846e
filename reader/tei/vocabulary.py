"""The corpus's TEI vocabulary in one place: which elements mean what (docs/tei-conventions.md).

Every stage (ingest, recognition, collation, load, export, the annotators'
edits) takes these names from here, so a rule such as "a ``note`` is not part
of the text" or "``#pipeline`` marks the machine's guesses" is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .xml import tei

RS = tei("rs")

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
    """One kind of entity, defined here once (docs/adding-an-entity-kind.md): its TEI elements, id
    prefix, labels, colour and the spaCy labels recognition maps to it. Everything else (the models'
    choices, forms, CSS, exports, the importer, recognition) derives from it or is checked against it.

    ``list_tag``/``entry_tag``/``entry_name_tag`` are the register's (local names; None for dates,
    which have no entry); ``mention_tag`` (with ``mention_type`` as its ``@type`` when the element is
    the generic ``rs``) marks a mention in a text.
    """

    name: str
    list_tag: str | None
    entry_tag: str | None
    entry_name_tag: str | None
    mention_tag: str
    prefix: str
    #: What the reader calls one and several ("organisation", "organisations").
    label: str
    plural: str
    #: The colour of its marks (``--<name>`` in entities.css, checked by a test).
    colour: str
    #: ``@type`` values of a foreign ``rs``/``name`` that mean this kind (lower case).
    rs_types: tuple[str, ...] = ()
    #: Foreign register entries and the elements that name them, besides ours.
    foreign_entries: tuple[str, ...] = ()
    foreign_names: tuple[str, ...] = ()
    #: spaCy entity labels that recognition takes for this kind (empty: spaCy never proposes one).
    spacy_labels: tuple[str, ...] = ()
    #: ``@type`` of the mention element when it is ``rs``.
    mention_type: str | None = None
    #: When set, a foreign entry's name element typed otherwise names nothing (a work's ``title`` typed as
    #: its bibliographic reference or its link is a description, not a name).
    name_types: frozenset[str] | None = None
    #: Whether recognition proposes mentions of it (spaCy's labels above, register names, rules); when
    #: not, only annotators and imported files make them.
    recognised: bool = True

    @property
    def name_tag(self) -> str:
        """The mention's key as recognition and the register's rejections name it: its element's local
        name (``persName``), or for an ``rs`` its ``@type`` (``work``)."""
        return self.mention_type or self.mention_tag

    @property
    def css_class(self) -> str:
        return f"ent-{self.name}"


#: The kinds of register entry, in the order pages and lists show them.
KINDS = {
    k.name: k
    for k in (
        Kind(
            "person",
            "listPerson",
            "person",
            "persName",
            "persName",
            "per",
            "person",
            "persons",
            "#8a2be2",
            rs_types=("person", "persname", "pers", "people", "author"),
            foreign_entries=("personGrp",),
            foreign_names=("name",),
            spacy_labels=("PERSON",),
        ),
        Kind(
            "place",
            "listPlace",
            "place",
            "placeName",
            "placeName",
            "pla",
            "place",
            "places",
            "#0a7a3a",
            rs_types=("place", "placename", "location", "settlement", "geo"),
            foreign_names=("settlement", "geogName", "name"),
            spacy_labels=("GPE", "LOC", "FAC"),
        ),
        Kind(
            "org",
            "listOrg",
            "org",
            "orgName",
            "orgName",
            "org",
            "organisation",
            "organisations",
            "#b35900",
            rs_types=("org", "organisation", "organization", "orgname", "institution"),
            foreign_names=("name",),
            spacy_labels=("ORG",),
        ),
        # Works: a register of ``bibl`` entries in ``listBibl``, named by their ``title`` (a work is
        # bibliographic; TEI's ``listObject`` is for identifiable physical objects, TEIC/TEI#327); a
        # text mentions one with ``rs[@type='work']``, as letter editions (Schnitzler Briefe) do.
        # Only annotators and imported files mark them: spaCy's WORK_OF_ART was wrong more often than
        # right on the seeds (docs/adding-an-entity-kind.md), and a title is often a common phrase.
        Kind(
            "work",
            "listBibl",
            "bibl",
            "title",
            "rs",
            "wrk",
            "work",
            "works",
            "#8c1c5a",
            rs_types=("work", "bibl", "title", "werk", "book", "text"),
            name_types=frozenset(
                "main alt alternative sub short uniform variant abbreviation orig translated pref preferred reg "
                "canonical standard full".split()
            ),
            spacy_labels=("WORK_OF_ART",),
            mention_type="work",
            recognised=False,
        ),
        # Events: ``listEvent/event`` named by ``label`` (tei_all 4.3.0 has no ``eventName``; a foreign
        # file's ``eventName`` is read), mentioned with ``rs[@type='event']``. Not recognised either.
        Kind(
            "event",
            "listEvent",
            "event",
            "label",
            "rs",
            "evt",
            "event",
            "events",
            "#5a5a5a",
            rs_types=("event", "ereignis"),
            foreign_names=("eventName", "head"),
            spacy_labels=("EVENT",),
            mention_type="event",
            recognised=False,
        ),
    )
}
#: Dates are mentions without a register entry.
DATE = Kind("date", None, None, None, "date", "", "date", "dates", "#2a5db0", spacy_labels=("DATE",))
#: Every kind a mention can be of: the register's, then dates.
MENTION_KIND_OF = {**KINDS, DATE.name: DATE}
#: Mention key (``persName``, ``work``) → entity kind, for the register's kinds (``persName`` → ``person``).
KIND_OF_MENTION = {k.name_tag: k.name for k in KINDS.values()}

#: Mention element (Clark name) → the kind of thing it names; an ``rs`` element's kind is its ``@type``'s.
MENTION_KINDS = {tei(k.mention_tag): k.name for k in MENTION_KIND_OF.values() if k.mention_type is None}
#: ``rs/@type`` → kind, for the kinds marked with ``rs``.
RS_MENTION_KINDS = {k.mention_type: k.name for k in MENTION_KIND_OF.values() if k.mention_type}
#: The mention elements, in a fixed order (for ``iter``/``strip_tags``); see :func:`mention_kind`.
MENTION_TAGS = tuple(dict.fromkeys([*MENTION_KINDS, *(tei(k.mention_tag) for k in MENTION_KIND_OF.values())]))
#: Kind → mention element (Clark name).
MENTION_TAG_OF = {k.name: tei(k.mention_tag) for k in MENTION_KIND_OF.values()}
#: The keys of the kinds recognition proposes (``persName``…; dates are found by rules of their own).
RECOGNISED_TAGS = frozenset(k.name_tag for k in KINDS.values() if k.recognised)
#: spaCy label → the key of the kind recognition takes it for (``GPE`` → ``placeName``).
SPACY_TAGS = {label: k.name_tag for k in KINDS.values() if k.recognised for label in k.spacy_labels}
#: spaCy labels of kinds recognition does not propose (their words are not taken for another kind).
SPACY_UNRECOGNISED = frozenset(label for k in KINDS.values() if not k.recognised for label in k.spacy_labels)
#: Kind label and plural, for pages and exports ("org" → "organisation").
KIND_LABELS = {k.name: k.label for k in MENTION_KIND_OF.values()}


def mention_kind(el: etree._Element) -> str | None:
    """The kind ``el`` marks a mention of, or None when it marks none (an ``rs`` of another type)."""
    if el.tag in MENTION_KINDS:
        return MENTION_KINDS[el.tag]
    return RS_MENTION_KINDS.get(el.get("type") or "") if el.tag == RS else None


def mention_key(el: etree._Element) -> str | None:
    """The key recognition names ``el``'s kind by (:attr:`Kind.name_tag`), None when it is no mention."""
    kind = mention_kind(el)
    return MENTION_KIND_OF[kind].name_tag if kind else None


def mention_attributes(kind: str) -> dict[str, str]:
    """The attributes a new mention element of ``kind`` needs besides its tag (``rs``'s ``@type``)."""
    k = MENTION_KIND_OF[kind]
    return {"type": k.mention_type} if k.mention_type else {}


#: Register entry element → kind, and kind → its list element (Clark names).
REGISTER_ENTRIES = {tei(k.entry_tag): k.name for k in KINDS.values()}
REGISTER_LISTS = {k.name: tei(k.list_tag) for k in KINDS.values()}
#: Register entry element → the elements that give its names (the kind's own, or the generic ``name``).
NAME_TAGS = {tei(k.entry_tag): frozenset({tei(k.entry_name_tag), tei("name")}) for k in KINDS.values()}
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
