"""A corpus folder of TEI witnesses: their units, works, apparatus files, reuse links."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from ..document import Unit, body, citable_units, doc_slug, doc_title, unit_text
from ..metadata import WitnessInfo, witness_info
from ..xml import NS, NSMAP, XML_ID, TEIError, parse_file, serialize, tei, write_atomic
from .apparatus import witness_id, write_apparatus
from .engine import collate
from .tokens import LACUNA_PATTERN, CollationOptions
from .works import ReuseLink, Work, find_reuse, find_works

#: Noise that is collated (as a marker token) instead of being dropped.
COLLATED_NOTE = "editorial"
#: Text missing from a witness (TEI ``gap``) is collated as a lacuna marker: the witness reads nothing
#: there. A gap the converter writes after a heading with no text under it is not a lacuna.
COLLATED_GAP = "tei:gap[not(@reason='no-content-in-source')][not(ancestor::tei:note)]"
LACUNA_TEXT = "[...]"


def witness_units(root: etree._Element) -> list[Unit]:
    """``citable_units`` of a TEI document, with ``note[@type='editorial']`` kept
    in the text as a bracketed marker ("[citation needed]"), so that collation
    can report where one version adds or lacks such a marker."""
    units = [u for u in citable_units(root) if not u.supplied]  # a supplied heading is the editor's, not the witness's
    marked = {}
    between: dict[str, str] = {}  # unit id -> lacuna marker after it (a gap between units)
    ids = {u.id for u in units}
    markers = body(root).xpath(f".//tei:note[@type='{COLLATED_NOTE}'] | .//{COLLATED_GAP}", namespaces=NS)
    for note in markers:
        owner = next((a for a in note.iterancestors() if a.get(XML_ID) and a.tag != tei("div")), None)
        if owner is not None:
            marked[owner.get(XML_ID)] = owner
        elif note.tag == tei("gap") and units:  # missing units: the lacuna follows the unit before the gap
            before = next((e.get(XML_ID) for e in note.itersiblings(preceding=True) if e.get(XML_ID) in ids), None)
            between[before or ""] = LACUNA_TEXT
    if not marked and not between:
        return units
    out = [replace(u, text=_text_with_markers(marked[u.id])) if u.id in marked else u for u in units]
    out = [replace(u, text=f"{u.text} {between[u.id]}") if u.id in between else u for u in out]
    if "" in between:  # a gap before the first unit: the witness begins late
        out[0] = replace(out[0], text=f"{LACUNA_TEXT} {out[0].text}")
    return out


def fragment_marks(units: list[Unit], fragment: str) -> list[Unit]:
    """A witness the editor's metadata says is a fragment ('start': it begins late, 'end': it breaks
    off) gets a lacuna marker before its first or after its last unit's text."""
    if not units or not fragment:
        return units
    out = list(units)
    if "start" in fragment.split():
        out[0] = replace(out[0], text=f"{LACUNA_TEXT} {out[0].text}")
    if "end" in fragment.split():
        out[-1] = replace(out[-1], text=f"{out[-1].text} {LACUNA_TEXT}")
    return out


def _text_with_markers(element: etree._Element) -> str:
    clone = copy.deepcopy(element)
    for note in clone.xpath(f".//tei:note[@type='{COLLATED_NOTE}'] | .//{COLLATED_GAP}", namespaces=NS):
        if note.tag == tei("gap"):
            marker = LACUNA_TEXT
        else:
            marker = " ".join("".join(note.itertext()).split()) or "editorial note"
            if not marker.startswith("["):
                marker = f"[{marker}]"
        seg = etree.Element(tei("seg"))
        seg.text = marker
        seg.tail = note.tail
        note.getparent().replace(note, seg)
    return unit_text(clone)


# --- a corpus folder: works, apparatus files, reuse, membership -----------------------------

COLLATIONS = "collations"
SKIPPED_FILES = {"register.xml"}


@dataclass
class Witness:
    slug: str
    path: Path
    root: etree._Element
    units: list[Unit]
    seed: str
    info: WitnessInfo

    @property
    def order(self) -> tuple:
        """Dated witnesses first, by date; then by seed file name."""
        return (not self.info.date, self.info.date, self.seed or "\uffff", self.slug)


@dataclass
class CorpusReport:
    """What a run found and wrote (paths written are those whose bytes changed)."""

    works: list[Work] = field(default_factory=list)
    reuse: list[ReuseLink] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class CorpusCollator:
    """Finds works among ``<tei_dir>/*.xml`` and writes their apparatus.

    Writes ``collations/<work>.xml`` for every work with two or more
    witnesses (witnesses by date where the headers give dates, then in the
    order of their seed file names; the first is the base), named by their
    sigla, ``collations/reuse.xml``, and in every witness file
    ``notesStmt/relatedItem[@type='work']``. Every write is atomic and only
    happens when the bytes change, so a re-run leaves the files identical.
    """

    def __init__(self, tei_dir: str | Path, options: CollationOptions | None = None) -> None:
        self.tei_dir = Path(tei_dir)
        self.options = options or CollationOptions()

    def run(self) -> CorpusReport:
        report = CorpusReport()
        witnesses = self._witnesses(report)
        report.works = find_works(
            {w.slug: " ".join(u.text for u in w.units) for w in witnesses},
            named={w.slug: w.info.work for w in witnesses},
        )
        by_slug = {w.slug: w for w in witnesses}
        for work in report.works:
            members = [by_slug[s] for s in work.members]
            if len(members) >= 2:
                self._write(
                    self._apparatus(work, members, report), self.tei_dir / COLLATIONS / f"{work.id}.xml", report
                )
            else:
                report.problems.append(f"{members[0].path.name}: only witness of its work; no collation written")
            for w in members:
                target = f"{COLLATIONS}/{work.id}.xml" if len(members) >= 2 else None
                if set_work(w.root, target):
                    self._write(w.root, w.path, report)
        report.reuse = find_reuse({w.slug: w.units for w in witnesses}, report.works)
        self._write(
            reuse_tei(report.reuse, {w.slug: w for w in witnesses}), self.tei_dir / COLLATIONS / "reuse.xml", report
        )
        self._remove_stale(report)
        return report

    def _remove_stale(self, report: CorpusReport) -> None:
        """Delete apparatus files this run did not write: their work is gone or has one witness left.

        Only files that collate itself made (root ``xml:id`` 'collation-…') are touched."""
        current = set(report.written) | set(report.unchanged)
        for path in sorted((self.tei_dir / COLLATIONS).glob("*.xml")):
            if path in current:
                continue
            try:
                made_here = (parse_file(path).get(XML_ID) or "").startswith("collation-")
            except TEIError:
                made_here = False
            if made_here:
                path.unlink()
                report.removed.append(path)

    def _witnesses(self, report: CorpusReport) -> list[Witness]:
        out = []
        for path in sorted(self.tei_dir.glob("*.xml")):
            if path.name in SKIPPED_FILES:
                continue
            try:
                root = parse_file(path)
                slug = doc_slug(root)
                if not slug:
                    raise TEIError(f"{path}: line {root.sourceline}: root TEI has no xml:id (the document slug)")
                units = witness_units(root)
            except (TEIError, ValueError) as exc:
                report.problems.append(f"{exc} (skipped)")
                continue
            seed = root.findtext(".//tei:sourceDesc//tei:idno[@type='seed']", default="", namespaces=NS)
            info = witness_info(root)
            out.append(Witness(slug, path, root, fragment_marks(units, info.fragment), seed, info))
        out.sort(key=lambda w: w.order)
        return out

    def _apparatus(self, work: Work, members: list[Witness], report: CorpusReport) -> etree._Element:
        members = full_witness_first(members)
        sigla = work_sigla(members)
        names = {w.slug: w.info.siglum or w.slug for w in members}
        if sigla is None or len(set(names.values())) < len(members):
            report.problems.append(f"{work.id}: two witnesses share a siglum; the apparatus names them by slug")
            sigla = names = {w.slug: w.slug for w in members}
        collation = collate([(sigla[w.slug], w.units) for w in members], self.options)
        root = write_apparatus(
            collation,
            work=work.id,
            title=work.name or doc_title(members[0].root),
            targets={sigla[w.slug]: f"../{w.path.name}" for w in members},
            titles={sigla[w.slug]: doc_title(w.root) for w in members},
            dates={sigla[w.slug]: w.info.date for w in members if w.info.date},
        )
        listed = {el.get(XML_ID): el for el in root.iterfind(".//tei:listWit/tei:witness", NS)}
        for w in members:
            describe_witness(listed[witness_id(sigla[w.slug])], w, names[w.slug])
        return root

    def _write(self, root: etree._Element, path: Path, report: CorpusReport) -> None:
        (report.written if write_atomic(path, serialize(root)) else report.unchanged).append(path)


def full_witness_first(members: list[Witness]) -> list[Witness]:
    """The base is the first witness without lacunae (the others keep their order): a fragment, often
    the oldest witness, cannot be the text the others' omissions and additions are said of."""
    full = next((w for w in members if not any(LACUNA_PATTERN.search(u.text) for u in w.units)), None)
    if full is None or full is members[0]:
        return members
    return [full, *(w for w in members if w is not full)]


def work_sigla(members: list[Witness]) -> dict[str, str] | None:
    """slug -> the key the apparatus gives the witness (its ``wit-…`` id): the siglum, else the slug
    (also when the siglum cannot be part of an xml:id, such as "A¹"); None if two keys would clash."""
    sigla = {w.slug: w.info.siglum if _ID_SAFE.fullmatch(w.info.siglum) else w.slug for w in members}
    ids = {witness_id(s) for s in sigla.values()}
    return sigla if len(ids) == len(members) else None


_ID_SAFE = re.compile(r"[A-Za-z0-9_.-]+")


def describe_witness(witness: etree._Element, w: Witness, name: str) -> None:
    """``witness/@n`` = ``name`` (the siglum); content: a ``bibl`` with title and author, then file and
    seed, before the ``origDate`` the apparatus gives a dated witness. The date is not repeated in the
    ``bibl``: a ``date`` in a ``sourceDesc`` ``bibl`` is the date of origin of the work to tools such as
    teiphy, and would make every witness older than the work."""
    witness.set("n", name)
    witness.text = None
    bibl = etree.Element(tei("bibl"))
    witness.insert(0, bibl)
    parts = [("title", doc_title(w.root), {})]
    if w.info.author:
        parts.append(("author", w.info.author, {}))
    for i, (tag, text, attrs) in enumerate(parts):
        el = etree.SubElement(bibl, tei(tag), attrs)
        el.text = text
        el.tail = ", " if i < len(parts) - 1 else None
    el.tail = f" ({w.path.name}{', seed ' + w.seed if w.seed else ''})"


def set_work(root: etree._Element, target: str | None) -> bool:
    """Record (or, with None, remove) the document's work in its header; True if changed."""
    file_desc = root.find("tei:teiHeader/tei:fileDesc", NS)
    if file_desc is None:
        raise TEIError(f"line {root.sourceline}: TEI header has no fileDesc")
    notes = file_desc.find("tei:notesStmt", NS)
    current = notes.find("tei:relatedItem[@type='work']", NS) if notes is not None else None
    if (current.get("target") if current is not None else None) == target:
        return False
    if target is None:
        notes.remove(current)
        if not len(notes):
            file_desc.remove(notes)
        return True
    if notes is None:
        notes = etree.Element(tei("notesStmt"))
        anchor = file_desc.findall("tei:seriesStmt", NS) or file_desc.findall("tei:publicationStmt", NS)
        if anchor:
            anchor[-1].addnext(notes)
        else:
            file_desc.insert(len(file_desc.findall("tei:titleStmt", NS)), notes)
        notes.tail = anchor[-1].tail if anchor else None
    if current is None:
        current = etree.SubElement(notes, tei("relatedItem"), type="work")
        indent = notes.tail or ""
        if indent.strip() == "" and indent:
            notes.text = indent + "  "
            current.tail = indent
    current.set("target", target)
    return True


def reuse_tei(links: list[ReuseLink], witnesses: dict) -> etree._Element:
    """``collations/reuse.xml``: one ``linkGrp[@type='text-reuse']`` per shared passage, its
    ``link`` pointing at every unit that has it."""
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_ID, "reuse")
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    etree.SubElement(
        etree.SubElement(file_desc, tei("titleStmt")), tei("title")
    ).text = "Text reuse between documents of different works"
    etree.SubElement(
        etree.SubElement(file_desc, tei("publicationStmt")), tei("p")
    ).text = "Parallax; derived from the documents it links."
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = (
        "Found automatically: units of documents in different works that share a run of words "
        "(word shingles, case and diacritics folded)."
    )
    stand_off = etree.SubElement(root, tei("standOff"))
    for number, link in enumerate(links, 1):
        group = etree.SubElement(stand_off, tei("linkGrp"), type="text-reuse", n=str(number))
        etree.SubElement(group, tei("desc")).text = f"About {link.shared_words} words shared, e.g. “{link.excerpt}”"
        targets = [f"../{witnesses[doc].path.name}#{unit}" for doc, unit in link.members]
        etree.SubElement(group, tei("link"), type="text-reuse", target=" ".join(targets))
    body = etree.SubElement(etree.SubElement(root, tei("text")), tei("body"))
    etree.SubElement(body, tei("p")).text = f"{len(links)} shared passage(s); the links are in standOff."
    return root
