"""``ForeignImporter``: TEI made elsewhere → the corpus (see docs/foreign-tei.md).

For each file: the original is kept byte for byte in ``sources/tei/``; the
reading text is written to ``<out>/<slug>.xml`` in the corpus's conventions
(:mod:`.convert`); its register entries go into ``<out>/register.xml``
(:mod:`.registers`); an apparatus gives one document per witness
(``<slug>-<siglum>.xml``) and ``<out>/collations/<slug>.xml``
(:mod:`.apparatus`). Every file is written atomically and only when its bytes
change; one bad file never stops the others, and a file that fails leaves the
corpus as it was (the register is restored to its state before that file).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..document import citable_units, unit_text
from ..ids import OldUnit, assign_ids
from ..entities.register import Register
from ..slugs import TITLE, slugify
from ..lock import corpus_lock
from ..vocabulary import MENTION_TAGS, REGISTER_FILE, mention_kind, unreserved
from ..xml import NS, NSMAP, XML_ID, XML_LANG, TEIError, parse_file, remove_keeping_tail, serialize, tei, write_atomic
from .apparatus import (
    CollatedApp,
    app_readings,
    attach_double_end_point,
    classify,
    collation_tree,
    read_witnesses,
    reading_for,
    reading_text,
)
from ..dts import CitationIndex, citation_trees
from .citing import SchemeError, canonical_levels, canonical_refs_decl, canonical_structures
from .convert import _ISO, BodyConverter, foreign_ids, local
from .facsimile import kept_facsimiles
from .reading import MAX_FOREIGN_BYTES, ForeignError, ForeignTree, read_foreign
from .native import (
    document_identity,
    existing_identity,
    is_parallax,
    kind_of,
    map_refs,
    merge_register,
    rename_witness_links,
)
from .registers import ForeignEntry, RegisterLink, ensure_import_resp, foreign_entries
from .report import FileReport

_DJANGO_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
HISTORY = "paragraph-history"


_NO_EMPTY = dataclasses.replace(TITLE, empty="")


def _first_slug(*candidates: str) -> str:
    """The slug of the first candidate (root id, title, file name) that has letters or digits a slug can
    keep: a title in Greek letters only gives way to the file name, not to the placeholder ``text``."""
    for text in candidates:
        slug = slugify(text or "", _NO_EMPTY)
        if slug:
            return slug
    return slugify("")


@dataclass
class Member:
    """One TEI document of a file (a ``teiCorpus`` has several)."""

    root: etree._Element
    ident: str  #: its own xml:id, or ''


class ForeignImporter:
    """Import foreign TEI files into the corpus folder ``out_dir`` (module docstring)."""

    def __init__(
        self,
        out_dir: str | Path,
        sources_dir: str | Path,
        *,
        today: str | None = None,
        max_bytes: int = MAX_FOREIGN_BYTES,
        validate: bool = True,
    ):
        self.out_dir = Path(out_dir)
        self.sources_dir = Path(sources_dir)
        self.today = today or dt.date.today().isoformat()
        self.max_bytes = max_bytes
        self.validate = validate
        self.register_path = self.out_dir / REGISTER_FILE

    # ---------------------------------------------------------------- the run
    def run(self, paths) -> list[FileReport]:
        """Import ``paths`` under the corpus lock (:mod:`..lock`): the register is read, extended and
        written back, and slugs are chosen from the files present, with no other writer in between."""
        with corpus_lock(self.out_dir):
            return self._run(expand_folders(paths))

    def _run(self, paths) -> list[FileReport]:
        reports, trees, names = [], [], set()
        natives: list[tuple[Path, ForeignTree, FileReport]] = []
        for path in paths:
            report = FileReport(source=str(path))
            reports.append(report)
            # the file name is the source's identity (as for seeds); a collation of an export folder
            # shares its name with the work's first witness
            key = Path(path).name if Path(path).parent.name != "collations" else f"collations/{Path(path).name}"
            if key in names:
                report.error = f"{path}: another file of this run has the name {Path(path).name}; rename one"
                continue
            names.add(key)
            try:
                read = read_foreign(path, self.max_bytes)
            except (ForeignError, TEIError) as exc:
                report.error = str(exc)
                continue
            (natives if is_parallax(read.root) else trees).append((Path(path), read, report))
        register = self._register()
        if natives:
            register = self._import_native(natives, register)
        lists: dict[str, ForeignEntry] = {}
        for path, tree, _ in trees:
            for ident, entry in foreign_entries(tree.root, path.name).items():
                lists.setdefault(ident, entry)
        existing = self._existing()
        for path, tree, report in trees:
            saved = register.to_bytes()
            try:
                own = foreign_entries(tree.root, path.name)
                self._import(path, tree, report, register, {**lists, **own}, own, existing)
                ensure_import_resp(register)
                if register.save(self.register_path):
                    report.written.append(self.register_path)
            except (ForeignError, TEIError, ValueError, OSError) as exc:
                report.error = f"{path}: {exc}" if str(path) not in str(exc) else str(exc)
                register = Register.from_bytes(saved, str(self.register_path))
        return reports

    def _import_native(self, natives, register: Register) -> Register:
        """Files Parallax wrote (:mod:`.native`): the register merged first, then documents (their
        ``@ref`` mapped, renamed ``-2`` only if another document has the slug), then collations.
        Returns the register as it now is."""
        order = {"register": 0, "document": 1, "collation": 2}
        natives = sorted(natives, key=lambda n: order[kind_of(n[1].root)])
        ids = {ident: ident for ident in register.entries}
        renamed: dict[str, str] = {}
        for path, tree, report in natives:
            report.namespace = tree.namespace
            report.kept = "(no copy: the file is itself in the corpus's conventions)"
            report.notes.append("written by Parallax (its own conventions): taken as it is, pointers mapped")
            saved = register.to_bytes()
            try:
                kind = kind_of(tree.root)
                if kind == "register":
                    source = Register(copy.deepcopy(tree.root), str(path))
                    if not self.register_path.exists():
                        # a new corpus: the exported register is its register (curated entries included)
                        register = Register(_empty_standoff(copy.deepcopy(tree.root)), str(self.register_path))
                    merge = merge_register(register, source)
                    ids.update(merge.ids)
                    report.counts["entries created"] = len(merge.added)
                    report.counts["entries matched"] = len(merge.matched)
                    if any(e.resp == "#import" for e in register.entries.values()):
                        ensure_import_resp(register)
                    if register.save(self.register_path):
                        report.written.append(self.register_path)
                    continue
                root = copy.deepcopy(tree.root)
                for problem in map_refs(root, ids):
                    report.problem(f"{path}: {problem}")
                if kind == "collation":
                    rename_witness_links(root, renamed)
                    out = self.out_dir / "collations" / path.name
                else:
                    out = self._native_slug(root, renamed)
                    report.slug = out.stem
                    report.counts["units"] = len(citable_units(root))
                    mentions = [el for el in root.iter(*MENTION_TAGS) if mention_kind(el)]
                    report.counts["mentions"] = len(mentions)
                    report.counts["mentions linked"] = sum(1 for el in mentions if el.get("ref"))
                if self.validate:
                    self._validate([(out, root)], report)
                data = serialize(root)
                (report.written if write_atomic(out, data) else report.unchanged).append(out)
            except (TEIError, ValueError, OSError) as exc:
                report.error = f"{path}: {exc}" if str(path) not in str(exc) else str(exc)
                register = Register.from_bytes(saved, str(self.register_path))
        return register

    def _native_slug(self, root: etree._Element, renamed: dict[str, str]) -> Path:
        """Where a Parallax document goes: its own slug, unless another document there has it (then -2…)."""
        slug = root.get(XML_ID) or "document"
        identity = document_identity(root)
        candidate, n = slug, 1
        while existing_identity(self.out_dir / f"{candidate}.xml") not in (None, identity):
            n += 1
            candidate = f"{slug}-{n}"
        if candidate != slug:
            root.set(XML_ID, candidate)
            renamed[slug] = candidate
        return self.out_dir / f"{candidate}.xml"

    def _register(self) -> Register:
        if self.register_path.exists():
            return Register.from_file(self.register_path)
        return Register.seed()

    def _existing(self) -> dict[str, tuple[str, str]]:
        """slug -> (source file, siglum) of every corpus document; '' for documents not imported."""
        found = {}
        for path in sorted(self.out_dir.glob("*.xml")):
            if path.name == REGISTER_FILE:
                continue
            try:
                root = parse_file(path)
            except TEIError:
                found[path.stem] = ("?", "")
                continue
            bibl = root.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl", NS)
            source = (
                bibl.findtext("tei:idno[@type='source-file']", default="", namespaces=NS) if bibl is not None else ""
            )
            siglum = bibl.findtext("tei:idno[@type='siglum']", default="", namespaces=NS) if bibl is not None else ""
            found[root.get(XML_ID) or path.stem] = (source, siglum)
        return found

    # ---------------------------------------------------------------- one file
    def _import(
        self,
        path: Path,
        tree: ForeignTree,
        report: FileReport,
        register: Register,
        lists: dict[str, ForeignEntry],
        own: dict[str, ForeignEntry],
        existing,
    ) -> None:
        kept = self.sources_dir / path.name
        source_file = kept.as_posix() if not kept.is_absolute() else f"sources/tei/{path.name}"
        report.kept = source_file
        report.namespace = tree.namespace
        report.notes.extend(tree.notes)
        link = RegisterLink(register, lists)
        members = self._members(tree.root)
        outputs: list[tuple[Path, etree._Element]] = []
        for number, member in enumerate(members):
            outputs += self._member(path, tree, member, number, len(members), report, link, existing, source_file)
        for entry in own.values():  # the file's register is taken whole, used or not
            link.entry(entry)
        report.counts["entries created"] = len(set(link.created))
        report.counts["entries matched"] = len(set(link.matched))
        if not outputs:
            if own:
                report.notes.append(f"register only: {len(own)} entries, no text")
            else:
                report.problem("no text and no register entries: nothing written but the original")
        if write_atomic(kept, tree.data):
            report.written.append(kept)
        for out_path, root in outputs:
            (report.written if write_atomic(out_path, serialize(root)) else report.unchanged).append(out_path)

    def _members(self, root: etree._Element) -> list[Member]:
        if local(root) == "teiCorpus":
            return [Member(m, m.get(XML_ID) or "") for m in root.iter(tei("TEI"))]
        return [Member(root, root.get(XML_ID) or "")]

    def _member(self, path, tree, member, number, total, report, link, existing, source_file):
        root = member.root
        header = root.find("tei:teiHeader", NS)
        text = root.find("tei:text", NS)
        if header is None:
            report.problem(
                f"line {root.sourceline}: no teiHeader: title from the text or the file name, licence unknown"
            )
        if text is None:
            if total == 1 and not foreign_entries(root, path.name):
                report.problem(f"line {root.sourceline}: no <text>: there is nothing to read")
            return []
        witnesses = read_witnesses(root)
        moved = attach_double_end_point(root, report)
        if moved:
            report.count_note(
                f"{moved} apparatus entries in double end-point attachment were placed at the "
                "lemma they point to (read as parallel segmentation)"
            )
        for reading in root.iter(tei("lem"), tei("rdg"), tei("witDetail")):
            witnesses.resolve(reading.get("wit"), reading.sourceline or 0, report)
        converter = BodyConverter(report, link, witnesses, foreign_ids(root))
        body = converter.convert(text)
        if not converter.units:
            report.problem(f"line {text.sourceline}: the text has no paragraphs, lines or other units to keep")
            return []
        title = _title(header) or _first_head(body) or path.stem
        if number:
            source_file = f"{source_file}#{member.ident or number + 1}"
        slug = self._slug(member.ident, title, path, (source_file, ""), existing)
        report.slug = report.slug or slug
        report.counts["sections"] += converter.sections
        languages = _languages(header, text, root)
        has_apparatus = any(u.variants for u in converter.units)
        sha = hashlib.sha256(tree.data).hexdigest()
        history = self._keep_ids(slug, sha, converter, report)
        doc = self._document(
            slug,
            title,
            header,
            body,
            languages,
            path,
            sha,
            source_file,
            report,
            work=slug if has_apparatus else None,
            tree=tree,
        )
        for facsimile in reversed(kept_facsimiles(root, report)):  # after the header, before the text
            doc[0].addnext(facsimile)
        if history is not None:
            doc.append(history)
        outputs = [(self.out_dir / f"{slug}.xml", doc)]
        if has_apparatus:
            outputs += self._witness_documents(
                slug,
                title,
                header,
                body,
                converter,
                languages,
                path,
                sha,
                source_file,
                report,
                existing,
                witnesses,
                root,
            )
        if self.validate:
            # witness documents differ from the reading text only inside units: validating one is enough
            self._validate(outputs[:2] + [o for o in outputs if o[0].parent.name == "collations"], report)
        return outputs

    def _slug(self, ident: str, title: str, path: Path, key: tuple[str, str], existing, suffix: str = "") -> str:
        """The document's slug: the one it had (same source file and siglum), else from its id or title."""
        for slug, known in existing.items():
            if known == key:
                return slug
        base = ident if ident and _DJANGO_SLUG.match(ident) else _first_slug(ident, title, path.stem)
        if suffix:
            base = f"{base}-{suffix}"
        base = unreserved(base)  # a root xml:id="register" must not be written over register.xml
        slug, n = base, 1
        while slug in existing:
            n += 1
            slug = f"{base}-{n}"
        existing[slug] = key
        return slug

    def _keep_ids(self, slug: str, sha: str, converter: BodyConverter, report: FileReport):
        """When the source changed, units the importer named keep their ids (matched by text as ingest
        does); retired ids go to standOff[@type='paragraph-history']. Returns that standOff, or None."""
        previous_path = self.out_dir / f"{slug}.xml"
        if not previous_path.exists():
            return None
        previous = parse_file(previous_path)
        old_history = next((s for s in previous.findall("tei:standOff", NS) if s.get("type") == HISTORY), None)
        old_sha = previous.findtext(
            "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", default="", namespaces=NS
        )
        if old_sha == sha:
            return copy.deepcopy(old_history) if old_history is not None else None
        resp = {e.get(XML_ID): e.get("resp") for e in previous.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
        old = [OldUnit(u.id, u.kind, u.text) for u in citable_units(previous) if resp.get(u.id) == "#importer"]
        minted = [u for u in converter.units if u.minted]
        retired_before = {n.get("n") for n in old_history.iter(tei("note"))} if old_history is not None else set()
        others = {u.element.get(XML_ID) for u in converter.units if not u.minted}
        old = [u for u in old if u.id not in others]
        assignment = assign_ids(
            [(u.kind, unit_text(u.element)) for u in minted], old, retired_before | others | converter.used_ids
        )
        for unit, ident in zip(minted, assignment.ids):
            unit.element.set(XML_ID, f"__{ident}")
        for unit in minted:
            unit.element.set(XML_ID, unit.element.get(XML_ID)[2:])
        if not assignment.retired and old_history is None:
            return None
        history = (
            copy.deepcopy(old_history) if old_history is not None else etree.Element(tei("standOff"), type=HISTORY)
        )
        retired = history.find("tei:listAnnotation[@type='retired']", NS)
        if retired is None:
            retired = etree.SubElement(history, tei("listAnnotation"), type="retired")
        for gone in assignment.retired:
            note = etree.SubElement(
                retired, tei("note"), type="retired", n=gone.id, subtype=gone.reason, when=self.today
            )
            if gone.successor:
                note.set("corresp", f"#{gone.successor}")
            note.text = gone.text
        report.count_note(
            f"the source changed: {len(assignment.retired)} unit(s) the importer had named are gone "
            "(their ids are retired, never given again)"
        )
        return history

    # ---------------------------------------------------------------- documents
    def _document(
        self,
        slug,
        title,
        header,
        body,
        languages,
        path,
        sha,
        source_file,
        report,
        *,
        work=None,
        siglum: str = "",
        witness_note: str = "",
        tree: ForeignTree | None = None,
    ) -> etree._Element:
        root = etree.Element(tei("TEI"), nsmap=NSMAP)
        root.set(XML_ID, slug)
        our_header = etree.SubElement(root, tei("teiHeader"))
        file_desc = _sub(our_header, "fileDesc")
        title_stmt = _sub(file_desc, "titleStmt")
        _sub(title_stmt, "title", title if not siglum else f"{title} (witness {siglum})")
        for author in header.iterfind("tei:fileDesc/tei:titleStmt/tei:author", NS) if header is not None else []:
            if _name_text(author):  # the name, not the authority ids beside it (idno)
                _sub(title_stmt, "author", _name_text(author))
        resp = _sub(title_stmt, "respStmt")
        resp.set(XML_ID, "importer")
        _sub(
            resp,
            "resp",
            "Conversion of a TEI file made with another project's tools to this corpus's "
            "conventions (manage.py importtei); unit ids given by the importer are marked @resp='#importer'",
        )
        _sub(resp, "name", "Parallax importer")
        publication = _sub(file_desc, "publicationStmt")
        _sub(publication, "publisher", "Parallax")
        _availability(publication, header)
        if work:
            notes = _sub(file_desc, "notesStmt")
            _sub(notes, "relatedItem", type="work", target=f"collations/{work}.xml")
        source_desc = _sub(file_desc, "sourceDesc")
        bibl = _sub(source_desc, "bibl")
        _sub(bibl, "title", title)
        if siglum:
            _sub(bibl, "idno", siglum, type="siglum")
        _sub(bibl, "idno", path.name, type="seed")
        _sub(bibl, "idno", sha, type="sha256")
        _sub(bibl, "idno", source_file, type="source-file")
        publisher = header.find("tei:fileDesc/tei:publicationStmt", NS) if header is not None else None
        if publisher is not None and _text(publisher):
            _sub(bibl, "note", _text(publisher)[:500], type="publication")
        if witness_note:
            _sub(bibl, "note", witness_note, type="witness")
        self._encoding_desc(our_header, report, tree, siglum, foreign_header=header)
        profile = _sub(our_header, "profileDesc")
        lang_usage = _sub(profile, "langUsage")
        for ident in languages:
            _sub(lang_usage, "language", ident, ident=ident)
        correspondence = header.find("tei:profileDesc/tei:correspDesc", NS) if header is not None else None
        kept = _correspondence(correspondence) if correspondence is not None else None
        if kept is not None:  # sender, addressee, dates and places: the reader's letter header
            profile.append(kept)
        self._revision(our_header, slug, sha, path)
        text = etree.SubElement(root, tei("text"))
        if languages and languages[0] != "und":
            text.set(XML_LANG, languages[0])
        text.append(body)
        _check_canonical(root, report, siglum)
        return root

    def _encoding_desc(self, header, report: FileReport, tree, siglum: str, foreign_header=None) -> None:
        encoding = _sub(header, "encodingDesc")
        project = _sub(encoding, "projectDesc")
        _sub(
            project,
            "p",
            "Parallax: a corpus of source texts in TEI P5 with named-entity and variant-reading "
            "markup, for reading, comparing and citing. This document was imported from a TEI file made by "
            "another project; the original is kept unchanged beside the corpus (sourceDesc/bibl/idno[@type="
            "'source-file']).",
        )
        decl = _sub(encoding, "editorialDecl")
        interpretation = _sub(decl, "interpretation")
        for note in tree.notes if tree is not None else []:
            _sub(interpretation, "p", note)
        _sub(
            interpretation,
            "p",
            "Structure: div, text, group, front and back became div[@type='section'] (the "
            "original name or type in @subtype); p and ab became p; head, list/item, listBibl/bibl were kept; "
            "lg and apparatus entries standing between paragraphs were put in a p. Elements this corpus has no "
            "place for were kept as seg[@type] with their text. Mentions (persName, placeName, orgName, rs of a "
            "known type) point into register.xml; registers of the file were taken into register.xml. Readings "
            "of an apparatus are in a hidden note[@type='apparatus'] after the lemma; choice keeps corr, reg or "
            "expan in the text and the alternative in a note; del became a hidden note[@type='del']. A speech (sp) "
            "keeps its speaker and holds one p with what is spoken; a stage direction between speeches is a p "
            "holding it; consecutive verse lines are one p; castList became list[@type='castList']; space became "
            "a word space and the layout whitespace around lb[@break='no'] was removed.",
        )
        if report.not_understood:
            _sub(
                interpretation,
                "p",
                "Not understood (text kept as seg[@type]): "
                + ", ".join(f"{k} ×{v}" for k, v in sorted(report.not_understood.items()))
                + ".",
            )
        if report.dropped:
            _sub(
                interpretation,
                "p",
                "Left out: "
                + ", ".join(f"{k} ×{v}" for k, v in sorted(report.dropped.items()))
                + "; they remain in the original.",
            )
        if siglum:
            _sub(
                interpretation,
                "p",
                f"This is the text of witness {siglum} as the apparatus reports it: the "
                "lemma where no reading names the witness and the lemma names no witnesses, a gap[@reason="
                "'not-in-apparatus'] where the apparatus does not say; entity markup and apparatus notes are "
                "left to the reading text.",
            )
        segmentation = _sub(decl, "segmentation")
        _sub(
            segmentation,
            "p",
            "Units keep the xml:id the source gave them; units without one got an id from the "
            "importer (p, h, i, b followed by a number never used in the file), marked @resp='#importer'.",
        )
        try:
            levels = canonical_levels(foreign_header)
        except SchemeError as exc:
            levels = []
            if not siglum:
                report.problem(f"the file's citation scheme: {exc}")
        if levels:  # the file's own references (book.poem.line) come first: DTS's default tree
            encoding.append(canonical_refs_decl(levels))
        else:
            try:
                structures = canonical_structures(foreign_header)
            except SchemeError as exc:
                structures = []
                if not siglum:
                    report.problem(f"the file's citation structure: {exc}")
            if structures:
                canonical = _sub(encoding, "refsDecl", n="canonical", default="true")
                canonical.extend(structures)
        refs = _sub(encoding, "refsDecl")
        section = _sub(
            refs, "citeStructure", unit="section", match="/TEI/text/body//div[@type='section']", use="@xml:id"
        )
        _sub(section, "citeStructure", unit="paragraph", match="head|p|list/item|listBibl/bibl", use="@xml:id")

    def _revision(self, header, slug: str, sha: str, path: Path) -> None:
        revision = _sub(header, "revisionDesc")
        previous = self.out_dir / f"{slug}.xml"
        old = []
        if previous.exists():
            try:
                old_root = parse_file(previous)
                old = old_root.findall("tei:teiHeader/tei:revisionDesc/tei:change", NS)
                old_sha = old_root.findtext(
                    "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']",
                    default="",
                    namespaces=NS,
                )
            except TEIError:
                old, old_sha = [], ""
            for change in old:
                clone = copy.deepcopy(change)
                clone.tail = None
                revision.append(clone)
            if old and old_sha == sha:
                return
        number = len(old) + 1
        change = _sub(revision, "change", n=str(number), when=self.today, who="#importer")
        change.text = (
            f"Imported from {path.name} (sha256 {sha[:12]}…)."
            if number == 1
            else f"Imported again: {path.name} changed (sha256 {sha[:12]}…)."
        )

    def _witness_documents(
        self, slug, title, header, body, converter, languages, path, sha, source_file, report, existing, witnesses, root
    ):
        outputs = []
        witness_slugs: dict[str, str] = {}
        for ident, witness in witnesses.items.items():
            suffix = witness_suffix(witness.siglum, ident)
            wslug = self._slug(slug, title, path, (source_file, witness.siglum), existing, suffix=suffix)
            witness_slugs[ident] = wslug
            wbody = copy.deepcopy(body)
            by_id = {el.get(XML_ID): el for el in wbody.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
            for unit in converter.units:
                variant = unit.variants.get(ident)
                target = by_id.get(unit.element.get(XML_ID))
                if variant is not None and target is not None:
                    replacement = copy.deepcopy(variant)
                    replacement.tail = target.tail
                    target.getparent().replace(target, replacement)
            for note in list(wbody.iter(tei("note"))):
                if note.get("type") == "apparatus":
                    remove_keeping_tail(note)
            etree.strip_tags(wbody, *MENTION_TAGS)
            doc = self._document(
                wslug,
                title,
                header,
                wbody,
                languages,
                path,
                sha,
                source_file,
                report,
                work=slug,
                siglum=witness.siglum,
                witness_note=witness.label,
            )
            outputs.append((self.out_dir / f"{wslug}.xml", doc))
        report.counts["witnesses"] = len(witnesses.items)
        report.counts["witness documents"] = len(outputs)
        apps = self._collated_apps(slug, converter, witnesses, witness_slugs)
        docs = {slug: ("lemma", f"{title}: the reading text (lemma)")}
        docs.update({witness_slugs[i]: (w.siglum, w.label) for i, w in witnesses.items.items()})
        outputs.append(
            (self.out_dir / "collations" / f"{slug}.xml", collation_tree(slug, title, slug, docs, apps, path.name))
        )
        return outputs

    def _collated_apps(self, slug, converter, witnesses, witness_slugs) -> list[CollatedApp]:
        from .report import FileReport as Quiet

        apps, n = [], 0
        for unit in converter.units:
            if not unit.variants:
                continue
            for app in unit.apps:
                n += 1
                readings = app_readings(app, witnesses, Quiet("quiet"))
                lemma_text = reading_text(readings.lemma) if readings.lemma is not None else ""
                groups: dict[int, tuple[str, list[str]]] = {}
                for ident in witnesses.items:
                    reading, said = reading_for(readings, ident)
                    if not said:
                        continue
                    groups.setdefault(id(reading), (reading_text(reading) if reading is not None else "", []))[
                        1
                    ].append(witness_slugs[ident])
                rows = [(lemma_text, [slug], "")]
                rows += [(text, slugs, classify(lemma_text, text) or "") for text, slugs in groups.values()]
                apps.append(CollatedApp(n=n, unit=unit.element.get(XML_ID), readings=rows))
        return apps

    def _validate(self, outputs, report: FileReport) -> None:
        from ..validate import validate_tree
        from ..xml import parse_bytes

        for path, root in outputs:
            reparsed = parse_bytes(serialize(root), path.name)
            errors = validate_tree(reparsed, path.name)
            for error in errors[:10]:
                report.problem(f"not tei_all-valid: {error}")


# --- helpers ----------------------------------------------------------------------------------


def _empty_standoff(root: etree._Element) -> etree._Element:
    """A register's tree (header, rejections, retired ids) without its entries: they are merged in."""
    from ..entities.register import KINDS as ENTRY_KINDS

    for kind in ENTRY_KINDS.values():
        for lst in root.iterfind(f"tei:standOff/tei:{kind.list_tag}", NS):
            for entry in lst.findall(tei(kind.entry_tag)):
                lst.remove(entry)
    return root


def expand_folders(paths) -> list[Path]:
    """A folder given stands for its TEI files, as ``export`` writes them: ``*.xml`` and
    ``collations/*.xml``."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(path.glob("*.xml")) + sorted(path.glob("collations/*.xml"))
        else:
            out.append(path)
    return out


def witness_suffix(siglum: str, ident: str) -> str:
    """Slug part for a witness document: ``01*`` -> ``01-star``, ``P46`` -> ``p46``, ``【宋】`` -> its id."""
    spelled = siglum.replace("*", "-star").replace("+", "-plus")
    suffix = slugify(spelled)
    return slugify(ident) if suffix == "text" and "text" not in siglum.lower() else suffix


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tei(tag), **{k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _check_canonical(root: etree._Element, report: FileReport, siglum: str) -> None:
    """The file's citation scheme, resolved in the imported document: kept when it cites something."""
    header = root.find("tei:teiHeader", NS)
    canonical = header.find("tei:encodingDesc/tei:refsDecl[@n='canonical']", NS)
    if canonical is None:
        return
    index = CitationIndex(root, citation_trees(header)[0])
    if siglum:
        return
    if not index.units:
        canonical.getparent().remove(canonical)
        report.problem("the file's citation scheme cites nothing in the imported text: left out")
        return
    units = [s.get("unit") for s in canonical.iter(tei("citeStructure")) if s.get("unit")]
    report.count_note(
        f"the file's own citation scheme ({'.'.join(units)}) is kept as the default citation tree: "
        f"{len(index.units)} references, {index.units[0].identifier} … {index.units[-1].identifier}"
    )
    for problem in index.problems[:5]:
        report.problem(f"citation scheme: {problem}")


def _name_text(el) -> str:
    """An element's text without its ``idno`` children (authority ids are not part of a name)."""
    copied = copy.deepcopy(el)
    for idno in copied.findall(".//tei:idno", NS):
        remove_keeping_tail(idno)
    return _text(copied)


#: correspDesc parts kept (their text and dates; pointers into the foreign file are left out).
_CORRESP_KEEP = {"correspAction": {"type"}, "persName": set(), "orgName": set(), "placeName": set(), "date": set()}
_DATE_ATTRS = {"when", "notBefore", "notAfter", "from", "to"}


def _correspondence(src: etree._Element) -> etree._Element:
    """The letter's ``correspDesc``: who sent it to whom, when and where (names as text, ISO dates)."""
    out = etree.Element(tei("correspDesc"))
    for action in src.iterfind("tei:correspAction", NS):
        kept = etree.SubElement(out, tei("correspAction"))
        if action.get("type"):
            kept.set("type", action.get("type"))
        for part in action:
            if not isinstance(part.tag, str) or local(part) not in _CORRESP_KEEP or not _text(part):
                continue
            el = etree.SubElement(kept, tei(local(part)))
            el.text = _text(part)
            for key in _DATE_ATTRS & set(part.attrib) if local(part) == "date" else ():
                if _ISO.match(part.get(key)):
                    el.set(key, part.get(key))
        if not len(kept):
            out.remove(kept)
    return out if len(out) else None


def _title(header: etree._Element | None) -> str:
    if header is None:
        return ""
    titles = header.findall("tei:fileDesc/tei:titleStmt/tei:title", NS)
    for wanted in (
        lambda t: t.get("level") == "a",
        lambda t: t.get("type") == "main",
        lambda t: not t.get("type") and t.get("level") not in ("s", "j"),
    ):
        found = next((t for t in titles if wanted(t) and _text(t)), None)
        if found is not None:
            return _text(found)[:300]
    return _text(titles[0])[:300] if titles else ""


def _first_head(body: etree._Element) -> str:
    head = body.find(".//tei:head", NS)
    return unit_text(head)[:300] if head is not None else ""


def _languages(header, text, root) -> list[str]:
    found = [
        lang.get("ident")
        for lang in (header.iterfind(".//tei:langUsage/tei:language", NS) if header is not None else [])
        if lang.get("ident")
    ]
    main = text.get(XML_LANG) or root.get(XML_LANG)
    if main and main not in found:
        found.insert(0, main)
    elif main:
        found.remove(main)
        found.insert(0, main)
    return found or ["und"]


def _availability(publication, header) -> None:
    availability = _sub(publication, "availability")
    source = header.find("tei:fileDesc/tei:publicationStmt/tei:availability", NS) if header is not None else None
    licence = source.find("tei:licence", NS) if source is not None else None
    if source is not None and source.get("status"):
        availability.set("status", source.get("status"))
    if licence is not None:
        own = " ".join((licence.text or "").split()) or _text(licence)[:300]
        ours = _sub(availability, "licence", own or "Licence as stated by the source")
        if licence.get("target"):
            ours.set("target", licence.get("target").split()[0])
        said = _text(licence)
        if said and said != own:
            _sub(ours, "p", said[:2000])
    elif source is not None and _text(source):
        _sub(availability, "p", "As the source states it: " + _text(source)[:2000])
    else:
        availability.set("status", "unknown")
        _sub(
            availability,
            "p",
            "Licence unknown: the imported file does not state one. Rights remain with its "
            "makers; this edition is for research use.",
        )
