"""A foreign ``text`` element → a body in the corpus's conventions (docs/tei-conventions.md).

Rules, as a table from element to behaviour:

- ``div``, ``div1``–``div7``, ``text``, ``group``, ``floatingText``, ``front``, ``back``
  (and a ``div`` of another namespace) become ``div[@type='section']``, the
  original name or type in ``@subtype``; nested ``text``/``group`` (a source and
  its translation) become sections with their ``@xml:lang``;
- ``p`` and ``ab`` become ``p``; ``head``, ``list/item``, ``listBibl/bibl`` stay;
  ``lg`` and an ``app`` standing between paragraphs become a ``p`` holding them:
  these are the citable units; each keeps its ``@xml:id`` (any NCName works in
  a URL) or gets one (``p12``; ``@resp='#importer'``);
- an element holding such blocks (``opener``, ``sp``, ``cb:div``…) gives its
  blocks; loose text beside them becomes a unit of its own;
- any other element standing alone at block level (``salute``, ``dateline``,
  ``cb:juan``…) becomes a unit whose content is ``seg[@type=<name>]``;
- inside units, TEI phrase elements are kept (attributes that point into the
  foreign file are left out and counted); ``choice`` keeps ``corr``/``reg``/
  ``expan`` in the text and the alternative in a hidden note; ``del`` becomes a
  hidden ``note[@type='del']``; ``subst`` is unwrapped; any other element (of
  another namespace, or one a paragraph cannot hold) becomes ``seg[@type]``;
- ``persName``/``placeName``/``orgName`` and ``rs``/``name`` of a known
  ``@type`` are mentions linked to the corpus register (:mod:`.registers`);
- an ``app`` gives its lemma to the reading text followed by a hidden
  ``note[@type='apparatus']`` (``lemma] A; reading B``); the unit is also
  converted once per witness (:mod:`.apparatus`).

Registers (``listPerson`` …) are taken into the corpus register, not into the
text. Comments are left out (counted).

Drama, verse and transcriptions follow :mod:`reader.tei.model` (one table from element
to behaviour): a speech (``sp``) keeps its ``speaker`` outside the unit and holds one
``p`` with what is spoken; a stage direction between speeches is a ``p`` holding it;
consecutive verse lines are one unit (a page break between them stays inside it);
``castList`` becomes ``list[@type='castList']``; ``front`` a ``div[@subtype='front']`` (front matter:
unnumbered, ``model.front_matter``);
``space`` is written as a word space and ``lb[@break='no']`` joins (``_separate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import model
from ..document import unit_text
from ..vocabulary import KINDS, mention_attributes
from ..xml import NS, TEI_NS, XML_ID, XML_LANG, append_text, tei
from .apparatus import Witnesses, app_readings, apparatus_summary, reading_for
from .registers import MENTION_KINDS, RS_KINDS, RegisterLink
from .report import FileReport


#: Elements that may mark a mention: the kinds' own, and ``rs``/``name`` typed as one of them.
MENTION_ELEMENTS = frozenset({*(k.mention_tag for k in KINDS.values()), "rs", "name"})


def _typed(el: etree._Element) -> str:
    """``[@type='work']`` for a typed ``rs`` made for a kind, else ''."""
    return f"[@type='{el.get('type')}']" if el.get("type") else ""


DIV_LIKE = {
    "div",
    "div1",
    "div2",
    "div3",
    "div4",
    "div5",
    "div6",
    "div7",
    "text",
    "group",
    "floatingText",
    "front",
    "back",
    "body",
}
#: Block-level element -> kind of unit it becomes.
UNIT_KIND = {"p": "p", "ab": "p", "head": "head", "bibl": "bibl"}
LISTS = {"list": "item", "listBibl": "bibl"}
STRUCTURAL = (
    DIV_LIKE
    | set(UNIT_KIND)
    | set(LISTS)
    | {
        "lg",
        "table",
        "figure",
        "sp",
        "opener",
        "closer",
        "salute",
        "dateline",
        "signed",
        "postscript",
        "byline",
        "docTitle",
        "titlePage",
        "titlePart",
        "docImprint",
        "docAuthor",
        "docDate",
        "epigraph",
        "argument",
        "trailer",
        "quote",
        "cit",
        "speaker",
        "stage",
        "l",
        "listApp",
        "app",
        "note",
        "castList",
        "label",
    }
)
REGISTER_LISTS = {
    "listPerson",
    "listPlace",
    "listOrg",
    "listEvent",
    "listRelation",
    "listNym",
    "listObject",
    "listWit",
    "listPrefixDef",
    "interpGrp",
    "interp",
    "spanGrp",
    "linkGrp",
    "join",
    "joinGrp",
}
MILESTONES = {"pb", "lb", "cb", "milestone", "anchor", "gb"}
#: Phrase elements kept as they are inside a unit.
INLINE = {
    "hi",
    "seg",
    "foreign",
    "title",
    "q",
    "quote",
    "said",
    "ref",
    "num",
    "measure",
    "term",
    "emph",
    "mentioned",
    "soCalled",
    "gloss",
    "label",
    "lg",
    "l",
    "w",
    "pc",
    "c",
    "g",
    "abbr",
    "expan",
    "corr",
    "reg",
    "orig",
    "sic",
    "unclear",
    "supplied",
    "add",
    "gap",
    "space",
    "note",
    "date",
    "time",
    "name",
    "rs",
    "list",
    "item",
    "forename",
    "surname",
    "roleName",
    "addName",
    "nameLink",
    "genName",
    "settlement",
    "region",
    "country",
    "district",
    "geogName",
    "bloc",
    "distinct",
    "orgName",
    "persName",
    "placeName",
    "address",
    "addrLine",
    "street",
    "postCode",
    "table",
    "row",
    "cell",
    "damage",
    "surplus",
    "secl",
    "mod",
    "restore",
    "retrace",
    "metamark",
    "handShift",
    "caesura",
    "unit",
    "lang",
    "bibl",
    "author",
    "editor",
    "pubPlace",
    "publisher",
    "biblScope",
    "citedRange",
    "idno",
    "edition",
    "email",
    "cit",
    "stage",
    "speaker",
    "sic",
    "ex",
    "am",
} | MILESTONES
#: Elements whose content may hold paragraphs (inside a unit only as noise).
BLOCK_HOLDERS = {"note"}
TYPED = {
    "seg",
    "note",
    "date",
    "persName",
    "placeName",
    "orgName",
    "rs",
    "name",
    "title",
    "milestone",
    "anchor",
    "add",
    "del",
    "q",
    "quote",
    "num",
    "measure",
    "term",
    "lb",
    "pb",
    "cb",
    "list",
    "lg",
    "abbr",
    "ref",
    "label",
    "corr",
    "reg",
    "gap",
    "time",
    "said",
    "unit",
    "metamark",
    "stage",
}
#: Attributes kept (others point into the foreign file, or are not ours, and are counted when left out).
GLOBAL_ATTRS = {"rend", "n", XML_LANG, "cert", "facs"}  # @facs: the page or zone of the facsimile
ELEMENT_ATTRS = {
    "date": {"when", "notBefore", "notAfter", "from", "to"},
    "time": {"when", "notBefore", "notAfter", "from", "to"},
    "note": {"place", "anchored"},
    "add": {"place"},
    "gap": {"reason", "unit", "quantity", "extent"},
    "space": {"unit", "quantity", "extent", "dim"},
    "unclear": {"reason"},
    "supplied": {"reason"},
    "measure": {"unit", "quantity"},
    "milestone": {"unit", "ed"},
    "lb": {"ed", "break"},
    "pb": {"ed", "break"},
    "cb": {"ed", "break"},
    "title": {"level"},
    "num": {"value"},
    "damage": {"agent", "degree"},
    "l": {"part", "met", "real", "rhyme"},
    "lg": {"met", "rhyme"},
}
_ISO = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$|^--(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
#: Elements that hold only other elements: whitespace between their children is layout, not text.
ELEMENT_ONLY = {"subst", "choice", "app", "rdgGrp", "lg", "list", "table", "row"}
#: Elements that stand apart from their neighbours (a word, a line, an item): never run two together.
SEPARATED = {"w", "l", "lg", "item", "row", "cell", "list", "table"}
_SPACED_SCRIPT = re.compile(r"[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF0-9]")
#: Cast list entries: each becomes an item of a ``list[@type='castList']``; their parts become ``seg[@type]``.
CAST_PARTS = {"role", "roleDesc", "actor"}
#: Placeholder wrapper, unwrapped when a unit is finished.
UNWRAP = "{urn:parallax:foreign}unwrap"
PREFERRED = {"corr": "sic", "reg": "orig", "expan": "abbr"}


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def name_of(el: etree._Element) -> str:
    """``persName`` for TEI elements, ``cb:juan`` for others (prefix as the file declared it)."""
    qname = etree.QName(el)
    if qname.namespace in (TEI_NS, None):
        return qname.localname
    prefix = next((p for p, uri in (el.nsmap or {}).items() if uri == qname.namespace and p), None)
    return f"{prefix or 'ns'}:{qname.localname}"


def is_tei(el: etree._Element) -> bool:
    return etree.QName(el).namespace == TEI_NS


#: Parts of a personal name: adjacent ones are separate words even when the file puts nothing between them.
_NAME_PARTS = {"forename", "surname", "addName", "roleName", "genName", "nameLink"}


def _name_part(el) -> bool:
    return el is not None and isinstance(el.tag, str) and is_tei(el) and local(el) in _NAME_PARTS


def _joined(el, following) -> bool:
    """Whether ``el`` and the element after it are parts of one word: an abbreviation and its expansion."""
    return (
        following is not None
        and isinstance(el.tag, str)
        and isinstance(following.tag, str)
        and local(el) in ("abbr", "am")
        and local(following) == "ex"
    )


#: ``note[@type]`` that are one side of a reading (a ``choice`` alternative) or an apparatus entry, not commentary.
_READING_NOTES = {"sic", "corr", "orig", "reg", "abbr", "expan", "apparatus", "del"}


def _citation_label(n: str | None) -> bool:
    """Whether a division's ``@n`` is a label a reader cites it by ("2", "IV", "1a"), not an identifier
    such as the CTS URN of an EpiDoc edition (``urn:cts:greekLit:…``) or a URL."""
    n = (n or "").strip()
    return bool(n) and len(n) <= 16 and not re.search(r"[:/\s]", n)


@dataclass
class Unit:
    """A citable unit of the converted body, and its text in each witness."""

    element: etree._Element
    kind: str
    minted: bool
    variants: dict[str, etree._Element] = field(default_factory=dict)  #: witness ident -> unit as that witness reads
    apps: list[etree._Element] = field(default_factory=list)  #: the foreign apps it holds (outermost)


class BodyConverter:
    """Converts a foreign ``text`` into our ``body`` (see module docstring).

    ``used_ids`` are every xml:id of the foreign file, so that minted ids never
    collide; units keep their foreign id when it is unique.
    """

    def __init__(self, report: FileReport, link: RegisterLink | None, witnesses: Witnesses, used_ids: set[str]):
        self.report = report
        self.link = link
        self.witnesses = witnesses
        self.used_ids = used_ids
        self.taken: set[str] = set()
        self.units: list[Unit] = []
        self.sections = 0
        self.apps: list[tuple[Unit, etree._Element]] = []
        self._mint: dict[str, int] = {}
        self._quiet = 0

    # ---------------------------------------------------------------- blocks
    def convert(self, text: etree._Element) -> etree._Element:
        body = etree.Element(tei("body"))
        self._container(text, body)
        self._divs_last(body)
        if not len(body):
            self.report.problem("the text has no content that could be kept")
        return body

    def _container(self, src: etree._Element, dst: etree._Element) -> None:
        """Blocks of ``src`` into ``dst``; loose phrase content between them becomes a unit."""
        pending: list = []  # loose text and phrase elements, in order
        verse: list[etree._Element] = []  # consecutive verse lines: one unit (a poem, a passage)
        _add_text(pending, src.text)
        for child in src:
            if not isinstance(child.tag, str):
                self.report.dropped["comment or processing instruction"] += 1
            elif (
                self._is_block(child)
                and is_tei(child)
                and model.behaviour(child) == "line"
                and not self._holds_blocks(child)
            ):
                self._flush(pending, dst)
                pending = []
                verse.append(child)
            elif verse and is_tei(child) and model.behaviour(child) in ("pagebreak", "milestone"):
                verse.append(child)  # a page break between verse lines is a marker inside the poem, not its end
            elif self._is_block(child):
                self._flush(pending, dst)
                self._verse(verse, dst)
                pending, verse = [], []
                self._block(child, dst)
            else:
                self._verse(verse, dst)
                verse = []
                pending.append(child)
            _add_text(pending, child.tail)
        self._flush(pending, dst)
        self._verse(verse, dst)

    def _verse(self, lines: list[etree._Element], dst: etree._Element) -> None:
        """Consecutive verse lines standing between blocks: one unit holding them (not one unit per line).
        A page break or milestone between two of them is a marker inside the unit; one after the last
        line stands between this unit and the next block."""
        lines = list(lines)
        after: list[etree._Element] = []
        while lines and model.behaviour(lines[-1]) != "line":
            after.insert(0, lines.pop())
        if lines:
            self.report.mapped["l (consecutive lines between blocks) -> one p holding the lines"] += 1
            for marker in (el for el in lines if model.behaviour(el) != "line"):
                self.report.mapped[f"{local(marker)} between verse lines -> kept inside the lines' unit"] += 1

            def fill(target, witness):
                for i, line in enumerate(lines):
                    self._inline_child(line, target, witness, with_tail=False)
                    if i + 1 < len(lines) and model.behaviour(line) == "line":
                        append_text(target, " ")  # lines are words apart, a page break between them too

            self._unit("p", None, dst, fill, lines)
        for marker in after:
            self._block(marker, dst)

    def _speech(self, el: etree._Element, dst: etree._Element) -> None:
        """``sp`` stays a speech: its ``speaker`` label, then one unit holding what is spoken (lines,
        prose, stage directions inside it); a speaker label is part of its speech, never a unit."""
        self.report.mapped["sp -> sp (speaker, then one p holding the speech)"] += 1
        sp = etree.SubElement(dst, tei("sp"))
        for key in el.attrib:
            if key not in (XML_ID, "who"):
                self._count("dropped", f"@{etree.QName(key).localname} on sp")
        self._speakers(el, sp)
        body = [c for c in el if not (isinstance(c.tag, str) and is_tei(c) and model.behaviour(c) == "speaker")]
        for speaker in el.iterfind("tei:speaker", NS):
            out = self._attributes(speaker, etree.Element(tei("speaker")))
            self._content(speaker, out, None)
            sp.append(out)

        def fill(target, witness):
            prose = False
            for child in body:
                if isinstance(child.tag, str) and is_tei(child) and local(child) in ("p", "ab"):
                    if prose:
                        etree.SubElement(target, tei("lb"))
                    self._content(child, target, witness)
                    prose = True
                else:
                    self._inline_child(child, target, witness, with_tail=False)

        self._unit("p", el, sp, fill, body)
        if len(sp) == 0 or sp[-1].tag == tei("speaker"):  # nothing spoken: no speech to keep
            dst.remove(sp)

    def _speakers(self, el: etree._Element, sp: etree._Element) -> None:
        """``sp/@who`` into the file's cast or register → the corpus register (``register.xml#per-…``)."""
        if not el.get("who") or self.link is None:
            return
        label = " ".join(unit_text(s) for s in el.iterfind("tei:speaker", NS))
        refs = []
        for token in el.get("who").split():
            resolution = self.link.resolve(token, "person", label)
            if resolution.register_id:
                refs.append(f"register.xml#{resolution.register_id}")
        if refs:
            sp.set("who", " ".join(refs))
            self.report.counts["speakers linked"] += 1
        else:
            self._count("dropped", "@who on sp (no entry in the file's registers)")

    def _cast_list(self, el: etree._Element, dst: etree._Element) -> None:
        """``castList`` → ``list[@type='castList']``: an item per role (groups flattened), a group's
        own description an item of its own."""
        self.report.mapped["castList -> list[@type='castList'] (an item per castItem)"] += 1
        container = etree.SubElement(dst, tei("list"), type="castList")
        head = el.find("tei:head", NS)
        if head is not None:
            self._unit("head", head, container, lambda t, w: self._content(head, t, w), [head])
        for item in el.iter(tei("castItem"), tei("roleDesc"), tei("head")):
            parent = item.getparent()
            if item.tag != tei("castItem") and parent.tag != tei("castGroup"):
                continue  # a role's own description stays in its item; the list's head is done
            self._unit("item", item, container, lambda t, w, c=item: self._content(c, t, w), [item])
        if not len(container):
            dst.remove(container)

    def _is_block(self, el: etree._Element) -> bool:
        name = local(el)
        if is_tei(el):
            if name in MILESTONES:
                return self._between_blocks(el)
            return name in STRUCTURAL or name in REGISTER_LISTS or self._holds_blocks(el)
        return name == "div" or self._holds_blocks(el) or self._between_blocks(el)

    def _between_blocks(self, el: etree._Element) -> bool:
        """An element standing between blocks (its parent has no loose text) is a block itself."""
        parent = el.getparent()
        return (
            parent is not None
            and not (parent.text or "").strip()
            and not any((c.tail or "").strip() for c in parent if isinstance(c.tag, str))
        )

    def _holds_blocks(self, el: etree._Element) -> bool:
        return any(
            isinstance(c.tag, str)
            and ((is_tei(c) and local(c) in STRUCTURAL - {"note", "label", "l", "app"}) or self._holds_blocks(c))
            for c in el
        )

    def _flush(self, pending: list, dst: etree._Element) -> None:
        if not any(not isinstance(p, str) or p.strip() for p in pending):
            return
        pieces = list(pending)

        def fill(target, witness):
            for piece in pieces:
                if isinstance(piece, str):
                    append_text(target, piece)
                else:
                    self._inline_child(piece, target, witness, with_tail=False)

        self._unit("p", None, dst, fill, [p for p in pieces if not isinstance(p, str)])

    def _block(self, el: etree._Element, dst: etree._Element) -> None:
        name = local(el)
        tei_el = is_tei(el)
        if tei_el and name in REGISTER_LISTS:
            register = name.startswith("list") and name not in ("listWit", "listRelation", "listPrefixDef")
            self.report.mapped[
                f"{name} -> register.xml (not in the text)"
                if register
                else f"{name} (apparatus or linking data; kept in the original only)"
            ] += 1
            return
        if (tei_el and name in DIV_LIKE) or (not tei_el and name == "div"):
            if name == "body":
                self._container(el, dst)
            else:
                self._section(el, dst)
            return
        reads = model.behaviour(el) if tei_el else ""
        if reads == "speech":
            self._speech(el, dst)
            return
        if reads == "stage":
            self.report.mapped["stage (between speeches) -> p/stage (a unit shown unnumbered)"] += 1
            self._unit("p", el, dst, lambda t, w: self._inline_child(el, t, w, with_tail=False), [el])
            return
        if reads == "cast" and name == "castList":
            self._cast_list(el, dst)
            return
        if tei_el and name in UNIT_KIND:
            if name == "ab":
                self.report.mapped["ab -> p"] += 1
            self._unit(UNIT_KIND[name], el, dst, lambda t, w: self._content(el, t, w), [el])
            return
        if tei_el and name in LISTS:
            self._list(el, dst, LISTS[name])
            return
        if tei_el and name in MILESTONES:
            dst.append(self._attributes(el, etree.Element(tei(name))))
            return
        if tei_el and name in ("note", "gap", "fw"):
            note = self._inline_element(el, None)
            if note is not None:
                dst.append(note)
            return
        if tei_el and name in ("lg", "app", "l", "table", "quote", "label") and not self._holds_blocks(el):
            self.report.mapped[f"{name} (between paragraphs) -> p/{name}"] += 1
            self._unit("p", el, dst, lambda t, w: self._inline_child(el, t, w, with_tail=False), [el])
            return
        if self._holds_blocks(el):
            self.report.mapped[f"{name_of(el)} -> its paragraphs"] += 1
            self._container(el, dst)
            return
        if tei_el and name in STRUCTURAL:  # a block TEI names (salute, dateline, titlePart…): a unit of its own
            self.report.mapped[f"{name} -> p/seg[@type='{name}'] (a block of its own)"] += 1
        else:
            self.report.not_understood[name_of(el)] += 1
        kind = name_of(el)

        def fill(target, witness):
            seg = etree.SubElement(target, tei("seg"), type=kind)
            if el.get(XML_LANG):
                seg.set(XML_LANG, el.get(XML_LANG))
            self._content(el, seg, witness)

        self._unit("p", el, dst, fill, [el])

    def _divs_last(self, container: etree._Element) -> None:
        """TEI allows no paragraph after a section in the same container: units that follow a
        section (text resuming after an embedded text) go into a section of their own. A page break
        or milestone between two sections is no text resuming: it opens the next section (or closes
        the last one), in the same place in document order."""
        seen_div = False
        group = last_div = None
        held: list[etree._Element] = []  # milestones after a section, before we know what follows
        for child in list(container):
            if child.tag == tei("div"):
                for i, marker in enumerate(held):
                    child.insert(i, marker)
                held = []
                seen_div, group, last_div = True, None, child
                self._divs_last(child)
            elif seen_div and isinstance(child.tag, str):
                if group is None and model.behaviour(child) in ("pagebreak", "milestone"):
                    held.append(child)
                    continue
                if group is None:
                    group = etree.Element(tei("div"), type="section", subtype="continued", resp="#importer")
                    group.set(XML_ID, self._id_for(etree.Element("x"), "s"))
                    child.addprevious(group)
                    self.sections += 1
                for marker in held:
                    group.append(marker)
                held = []
                group.append(child)
        for marker in held:
            last_div.append(marker)

    def _section(self, el: etree._Element, dst: etree._Element) -> None:
        div = etree.SubElement(dst, tei("div"), type="section")
        subtype = el.get("type") or local(el)
        if subtype == "textpart" and el.get("subtype"):  # EpiDoc/CTS: the division's kind (book, poem) is @subtype
            subtype = el.get("subtype")
        if subtype and subtype != "div":
            div.set("subtype", re.sub(r"\s+", "-", subtype))
        div.set(XML_ID, self._id_for(el, "s"))
        if el.get(XML_LANG):
            div.set(XML_LANG, el.get(XML_LANG))
        if el.get("n"):
            div.set("n", el.get("n"))
        self.sections += 1
        if _citation_label(el.get("n")) and el.find("tei:head", NS) is None and el.find(".//tei:l", NS) is not None:
            # a poem known by its number only: its heading (supplied, so not the witness's text) names it
            label = f"{(el.get('subtype') or el.get('type') or '').replace('textpart', '').strip().capitalize()} {el.get('n')}"

            def heading(target, witness, label=label.strip()):
                etree.SubElement(target, tei("supplied"), reason="heading").text = label

            self._unit("head", None, div, heading, [])
            self.report.mapped["div[@n] of verse without a head -> head/supplied from its @n"] += 1
        self._container(el, div)
        if not len(div):
            dst.remove(div)
            self.sections -= 1

    def _list(self, el: etree._Element, dst: etree._Element, item_kind: str) -> None:
        container = etree.SubElement(dst, tei(local(el)))
        if el.get("type"):
            container.set("type", el.get("type"))
        for child in el:
            if not isinstance(child.tag, str):
                self.report.dropped["comment or processing instruction"] += 1
                continue
            name = local(child) if is_tei(child) else ""
            if name in ("head", item_kind):
                self._unit(name, child, container, lambda t, w, c=child: self._content(c, t, w), [child])
            elif name in LISTS:
                self._list(child, container, LISTS[name])
            else:
                self.report.mapped[f"{name_of(child)} in a list -> {item_kind}"] += 1
                self._unit(
                    item_kind,
                    child,
                    container,
                    lambda t, w, c=child: self._inline_child(c, t, w, with_tail=False),
                    [child],
                )
        if not len(container):
            dst.remove(container)

    # ---------------------------------------------------------------- units
    def _new_unit(self, kind: str, src: etree._Element | None, dst: etree._Element) -> Unit:
        el = etree.SubElement(dst, tei(kind))
        ident = src.get(XML_ID) if src is not None else None
        minted = not (ident and _NCNAME.match(ident) and ident not in self.taken)
        if ident and minted:
            self.report.problem(
                f"line {src.sourceline}: xml:id {ident!r} cannot be a unit id (used twice or not "
                "an XML name); the unit gets a new one"
            )
        if minted:
            ident = self._mint_id({"p": "p", "head": "h", "item": "i", "bibl": "b"}[kind])
            el.set("resp", "#importer")
        self.taken.add(ident)
        el.set(XML_ID, ident)
        if src is not None and src.get(XML_LANG):
            el.set(XML_LANG, src.get(XML_LANG))
        if src is not None and src.get("facs"):  # the zone of the facsimile that holds the unit
            el.set("facs", src.get("facs"))
        return Unit(el, kind, minted)

    def _unit(self, kind: str, src, dst, fill, nodes) -> None:
        """A unit filled by ``fill(target, witness)``; once more per witness when ``nodes`` hold an app."""
        unit = self._new_unit(kind, src, dst)
        el = unit.element
        fill(el, None)
        etree.strip_tags(el, UNWRAP)
        _separate(el)
        if not unit_text(el) and not len(el):
            dst.remove(el)
            self.taken.discard(el.get(XML_ID))
            self.report.dropped[f"empty {local(el)}"] += 1
            return
        self.units.append(unit)
        self.report.counts["units"] += 1
        self.report.counts["ids added"] += unit.minted
        unit.apps = [
            a for n in nodes for a in n.iter(tei("app")) if a is n or next(a.iterancestors(tei("app")), None) is None
        ]
        if not unit.apps:
            return
        self._quiet += 1
        try:
            for ident in self.witnesses.items:
                variant = etree.Element(el.tag, dict(el.attrib))
                fill(variant, ident)
                etree.strip_tags(variant, UNWRAP)
                _separate(variant)
                unit.variants[ident] = variant
        finally:
            self._quiet -= 1

    def _mint_id(self, prefix: str) -> str:
        n = self._mint.get(prefix, 0)
        while True:
            n += 1
            candidate = f"{prefix}{n}"
            if candidate not in self.used_ids and candidate not in self.taken:
                self._mint[prefix] = n
                return candidate

    def _id_for(self, el: etree._Element, prefix: str) -> str:
        ident = el.get(XML_ID)
        if ident and _NCNAME.match(ident) and ident not in self.taken:
            self.taken.add(ident)
            return ident
        ident = self._mint_id(prefix)
        self.taken.add(ident)
        return ident

    # ---------------------------------------------------------------- inline
    def _content(self, src: etree._Element, dst: etree._Element, witness: str | None = None) -> None:
        layout = is_tei(src) and local(src) in ELEMENT_ONLY
        append_text(dst, None if layout and not (src.text or "").strip() else src.text)
        for child in src:
            blank = not (child.tail or "").strip()
            following = child.getnext()
            if blank and _joined(child, following):
                # abbr then ex (Leiden "ἡμ(έρᾳ)"): one word, whatever the line breaks of the file between them
                self._inline_child(child, dst, witness, with_tail=False)
                continue
            self._inline_child(child, dst, witness, with_tail=not (layout and blank))
            if not child.tail and _name_part(child) and _name_part(following):
                append_text(dst, " ")  # <forename>Yiannis</forename><surname>Meimaris</surname>: two words

    def _inline_child(self, child, dst: etree._Element, witness: str | None, with_tail: bool = True) -> None:
        if not isinstance(child.tag, str):
            if not self._quiet:
                self.report.dropped["comment or processing instruction"] += 1
        else:
            converted = self._inline_element(child, witness)
            if converted is not None:
                dst.append(converted)
        if with_tail:
            append_text(dst, child.tail)

    def _count(self, counter: str, key: str) -> None:
        if not self._quiet:
            getattr(self.report, counter)[key] += 1

    def _inline_element(self, el: etree._Element, witness: str | None) -> etree._Element | None:
        name = local(el)
        if not is_tei(el):
            self._count("not_understood", name_of(el))
            return self._seg(el, name_of(el), witness)
        if name == "app":
            return self._app(el, witness)
        if name in MENTION_ELEMENTS:
            return self._mention(el, witness)
        if name == "biblStruct":  # a structured reference reads as a bibl: its parts, in the file's order
            self._count("mapped", "biblStruct -> bibl (monogr, analytic, series, imprint unwrapped)")
            out = self._attributes(el, etree.Element(tei("bibl")))
            self._content(el, out, witness)
            return out
        if name in ("monogr", "analytic", "series", "imprint") and any(
            is_tei(a) and local(a) == "biblStruct" for a in el.iterancestors()
        ):
            out = etree.Element(UNWRAP)
            self._content(el, out, witness)
            return out
        if name == "choice":
            return self._choice(el, witness)
        if name == "subst":
            out = etree.Element(UNWRAP)
            self._content(el, out, witness)
            return out
        if name == "del":
            self._count("mapped", "del -> note[@type='del'] (hidden; the reading text has what remains)")
            note = etree.Element(tei("note"), type="del")
            self._content(el, note, witness)
            return note
        if name in CAST_PARTS:
            return self._seg(el, name, witness)
        if name in MILESTONES and ((el.text or "").strip() or len(el)):
            self._count("mapped", f"{name} with content -> empty {name} followed by its content")
            out = etree.Element(UNWRAP)
            out.append(self._attributes(el, etree.Element(tei(name))))
            self._content(el, out, witness)
            return out
        if name in ("witStart", "witEnd", "lacunaStart", "lacunaEnd"):
            self._count("mapped", f"{name} -> anchor[@type='{name}']")
            return etree.Element(tei("anchor"), type=name)
        if name in ("lem", "rdg", "rdgGrp", "witDetail"):
            self._count("not_understood", f"{name} outside app")
            return self._seg(el, name, witness)
        if name == "graphic" or name == "ptr":
            self._count("dropped", f"{name} (points to an image or a place in the foreign file)")
            return None
        if name in INLINE or (name in ("p", "ab", "lg", "list", "quote") and self._in_note(el)):
            out = self._attributes(el, etree.Element(tei(name)))
            if name == "ref" and (el.get("target") or "").startswith(("http://", "https://")):
                out.set("target", el.get("target"))
            if name == "note" and witness is not None and el.get("type") == "apparatus":
                return None
            if name == "note" and el.get("type") not in _READING_NOTES:
                # an edition's own note (untyped, "ea", "textConst", "commentary"…) is its editors' commentary,
                # read as a numbered note behind its own switch; its own type, if any, stays in @subtype
                if el.get("type") and el.get("type") != "commentary" and not out.get("subtype"):
                    out.set("subtype", el.get("type"))
                out.set("type", "commentary")
                self._count("mapped", "note -> note[@type='commentary'] (the editors' note)")
            self._content(el, out, witness)
            return out
        self._count("not_understood", name)
        return self._seg(el, name, witness)

    def _in_note(self, el: etree._Element) -> bool:
        return any(local(a) in BLOCK_HOLDERS for a in el.iterancestors() if is_tei(a))

    def _seg(self, el: etree._Element, kind: str, witness: str | None) -> etree._Element:
        seg = etree.Element(tei("seg"), type=kind)
        if el.get(XML_LANG):
            seg.set(XML_LANG, el.get(XML_LANG))
        self._content(el, seg, witness)
        return seg

    def _attributes(self, src: etree._Element, dst: etree._Element) -> etree._Element:
        name = local(src)
        allowed = GLOBAL_ATTRS | ELEMENT_ATTRS.get(name, set()) | ({"type", "subtype"} if name in TYPED else set())
        for key, value in src.attrib.items():
            if key in allowed:
                if key in ("when", "notBefore", "notAfter", "from", "to") and not _ISO.match(value):
                    self._count("dropped", f"@{key} (not an ISO date: {value[:20]})")
                    continue
                dst.set(key, value)
            elif key == XML_ID:
                if name in ("anchor", "note") and value not in self.taken and _NCNAME.match(value) and not self._quiet:
                    self.taken.add(value)
                    dst.set(key, value)
            elif key not in ("target",):
                attr = etree.QName(key).localname
                self._count("dropped", f"@{attr} on {name}")
        if name == "milestone" and "unit" not in dst.attrib:
            dst.set("unit", "unspecified")
        return dst

    def _choice(self, el: etree._Element, witness: str | None) -> etree._Element:
        out = etree.Element(UNWRAP)
        children = [c for c in el if isinstance(c.tag, str)]
        chosen = next((c for c in children if local(c) in PREFERRED), children[0] if children else None)
        if chosen is None:
            return out
        kept = self._inline_element(chosen, witness)
        if kept is not None:
            out.append(kept)
        for other in children:
            if other is chosen:
                continue
            note = etree.Element(tei("note"), type=local(other))
            self._content(other, note, witness)
            out.append(note)
            self._count(
                "mapped", f"choice: {local(chosen)} in the text, {local(other)} -> note[@type='{local(other)}']"
            )
        return out

    # ---------------------------------------------------------------- entities
    def _mention(self, el: etree._Element, witness: str | None) -> etree._Element:
        name = local(el)
        kind = MENTION_KINDS.get(el.tag) or RS_KINDS.get((el.get("type") or "").lower())
        if witness is not None or kind is None:
            if kind is None and witness is None:
                self._count(
                    "mapped",
                    f"{name}[@type='{el.get('type') or ''}'] kept as text (the register has "
                    f"{', '.join(k.plural for k in KINDS.values())} only)",
                )
            out = etree.Element(UNWRAP) if witness is not None else self._attributes(el, etree.Element(tei(name)))
            self._content(el, out, witness)
            return out
        tag = KINDS[kind].mention_tag
        out = etree.Element(tei(tag), mention_attributes(kind))
        if name != tag or (KINDS[kind].mention_type and el.get("type") != KINDS[kind].mention_type):
            self._count("mapped", f"{name}[@type='{el.get('type')}'] -> {tag}{_typed(out)}")
        elif el.get("type") and not KINDS[kind].mention_type:
            out.set("type", el.get("type"))
        if el.get(XML_LANG):
            out.set(XML_LANG, el.get(XML_LANG))
        self._content(el, out, witness)
        self.report.counts["mentions"] += 1
        pointer = " ".join(v for v in (el.get("ref"), el.get("key"), el.get("sameAs")) if v)
        if pointer and self.link is not None:
            resolution = self.link.resolve(pointer, kind, " ".join("".join(out.itertext()).split()))
            if resolution.register_id:
                out.set("ref", f"register.xml#{resolution.register_id}")
                self.report.counts["mentions linked"] += 1
            if resolution.problem:
                self.report.problem(
                    f"line {el.sourceline}: <{name}> {pointer!r}: {resolution.problem}"
                    + ("" if resolution.register_id else "; kept as a mention without a link")
                )
        return out

    # ---------------------------------------------------------------- apparatus
    def _app(self, el: etree._Element, witness: str | None) -> etree._Element:
        readings = app_readings(el, self.witnesses, FileReport("(witnesses are resolved before conversion)"))
        out = etree.Element(UNWRAP)
        if witness is None:
            if readings.lemma is not None:
                self._content(readings.lemma, out, None)
            note = etree.SubElement(out, tei("note"), type="apparatus")
            note.text = apparatus_summary(el, {i: w.siglum for i, w in self.witnesses.items.items()})
            self.report.counts["apps"] += 1
            return out
        reading, said = reading_for(readings, witness)
        if not said:
            etree.SubElement(out, tei("gap"), reason="not-in-apparatus")
        elif reading is not None:
            self._content(reading, out, witness)
        return out


def _separate(unit: etree._Element) -> None:
    """Whitespace the markup implies: between two words (``w``), lines, items; after a line
    break (``lb`` without ``@break='no'``) between two letters of a script that spaces words."""
    for el in unit.iter(etree.Element):
        name = local(el)
        nxt = el.getnext()
        if name in SEPARATED and nxt is not None and local(nxt) in SEPARATED and not el.tail:
            el.tail = " "
        elif model.behaviour(el) == "space" and not (el.tail or "")[:1].isspace():
            previous = el.getprevious()
            if previous is None:
                before = el.getparent().text
            else:  # the previous element's tail, else its own text (``<hi>x</hi><space/>``)
                before = previous.tail or "".join(previous.itertext())
            if before and not before[-1].isspace():
                el.tail = " " + (el.tail or "")  # a space in the source is a word space in the text
        elif (
            model.behaviour(el) == "break" and el.get("break") == "no"
        ):  # a word runs on: the source's layout whitespace goes
            previous = el.getprevious()
            if previous is not None and previous.tail:
                previous.tail = previous.tail.rstrip()
            elif previous is None and el.getparent().text:
                el.getparent().text = el.getparent().text.rstrip()
            if el.tail:
                el.tail = el.tail.lstrip()
        elif name == "lb" and el.get("break") != "no":
            before = el.getprevious().tail if el.getprevious() is not None else el.getparent().text
            after = el.tail or (nxt.text if nxt is not None and not el.tail else "")
            if before and after and _SPACED_SCRIPT.match(before[-1]) and _SPACED_SCRIPT.match(after[0]):
                el.tail = "\n" + (el.tail or "")


def _add_text(pending: list, text: str | None) -> None:
    if text:
        pending.append(text)


def foreign_ids(root: etree._Element) -> set[str]:
    return {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}


def texts_of(root: etree._Element) -> list[etree._Element]:
    """The ``text`` elements to convert: the root's (a ``teiCorpus`` gives its members' separately)."""
    return [t for t in root.findall("tei:text", NS)]
