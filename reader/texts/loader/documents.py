"""A witness's rows: its document, sections, paragraphs (kept by ``xml:id`` across reloads) and mentions,
and the passages that link the same unit across the witnesses of a work without a collation file."""

from __future__ import annotations

from django.db.models import Count

from reader.tei.parsing import DocumentData, grouped
from reader.tei.xml import TEIError

from ..folding import fold
from .files import check_fits
from .report import LoadReport

#: Paragraph fields a reload rewrites (the row and its id stay).
PARAGRAPH_FIELDS = [
    "collation_text",
    "section",
    "kind",
    "position",
    "number",
    "text",
    "search_text",
    "html",
    "lang",
    "inferred",
    "supplied",
    "tei",
]


class DocumentRows:
    """The documents part of :class:`~reader.texts.loader.corpus.CorpusLoader`."""

    def save_document(self, relative: str, sha: str, doc: DocumentData) -> str:
        from reader.entities.models import Entity

        from ..models import (
            CorpusFile,
            Document,
            Mention,
            Paragraph,
            ParagraphRevision,
            RetiredParagraphId,
            Section,
            Work,
        )

        check_fits(relative, doc)
        self._warnings.extend(doc.warnings)
        other = Document.objects.filter(slug=doc.slug).exclude(file__path=relative).first()
        if other is not None:
            raise TEIError(f"{relative}: slug {doc.slug!r} is already used by {other.file.path}")
        corpus_file, _ = CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.DOCUMENT, "sha256": sha, "skeleton": doc.skeleton}
        )
        work, _ = Work.objects.get_or_create(slug=doc.work, defaults={"title": doc.work_name or doc.title})
        if doc.work_name and work.title != doc.work_name:  # the editor named the work
            Work.objects.filter(pk=work.pk).update(title=doc.work_name)
        fields = dict(
            slug=doc.slug,
            work=work,
            title=doc.title,
            siglum=doc.siglum,
            author=doc.author,
            date=doc.date,
            seed_name=doc.seed_name,
            seed_sha256=doc.seed_sha256,
            source=doc.source,
            licence=doc.licence,
            licence_url=doc.licence_url,
            languages=",".join(doc.languages),
            revision=doc.revision,
            revision_date=doc.revision_date,
            word_count=doc.word_count,
            unit_count=len(doc.units),
            tei_header=doc.header,
            front_html=doc.front_html,
        )
        document, created = Document.objects.update_or_create(file=corpus_file, defaults=fields)
        if not created:
            # Paragraph rows are kept (by xml_id) so that rows pointing at them survive a reload;
            # the file is the truth for everything else.
            document.mentions.all().delete()
            document.paragraphs.update(section=None)
            document.sections.all().delete()
            document.retired_ids.all().delete()
            document.earlier_texts.all().delete()
        Work.objects.filter(witnesses__isnull=True).delete()

        sections = {}
        for position, s in enumerate(doc.sections):
            sections[s.id] = Section.objects.create(
                document=document,
                xml_id=s.id,
                parent=sections.get(s.parent_id),
                level=s.level,
                position=position,
                head=s.head[:500],
            )
        existing = {p.xml_id: p for p in document.paragraphs.all()} if not created else {}
        fresh, changed = [], []
        number = 0  # ¶ numbers run through the whole document, so that a label names one unit
        for position, u in enumerate(doc.units):
            # headings, stage directions and front matter (a title page, a cast list) are not numbered,
            # and the others run on without a gap: a play's first speech is ¶ 1
            numbered = u.kind != "head" and not u.stage and not u.front
            number += numbered
            values = dict(
                collation_text=u.collation_text,
                section=sections.get(u.section_id),
                kind=u.kind,
                position=position,
                number=number if numbered else None,
                text=u.text,
                search_text=fold(u.text),
                html=u.html,
                lang=u.lang,
                inferred=u.inferred,
                supplied=u.supplied,
                tei=u.tei,
            )
            paragraph = existing.pop(u.id, None)
            if paragraph is None:
                fresh.append(Paragraph(document=document, xml_id=u.id, **values))
            else:
                for key, value in values.items():
                    setattr(paragraph, key, value)
                changed.append(paragraph)
        if existing:
            Paragraph.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
        # Positions are unique per document only after every row is updated, so update first.
        Paragraph.objects.bulk_update(changed, PARAGRAPH_FIELDS, batch_size=500)
        Paragraph.objects.bulk_create(fresh, batch_size=500)
        saved = {p.xml_id: p for p in Paragraph.objects.filter(document=document).only("id", "xml_id")}
        refs = {m.ref for u in doc.units for m in u.mentions if m.ref}
        entities = dict(Entity.objects.filter(xml_id__in=refs).values_list("xml_id", "id"))
        dangling: dict[str, list[int]] = {}
        for m in (m for u in doc.units for m in u.mentions if m.ref and m.ref not in entities):
            dangling.setdefault(m.ref, []).append(m.line)
        self._warnings.extend(grouped(dangling, "@ref to {key!r}, which is not in the register; shown unlinked"))
        mentions = [
            Mention(
                paragraph_id=saved[u.id].id,
                document=document,
                entity_id=entities.get(m.ref),
                kind=m.kind,
                start=m.start,
                end=max(m.end, m.start + 1),
                surface=m.surface[:500],
                resp=m.resp,
                cert=m.cert,
                when=m.when,
                date_from=m.date_from,
                date_to=m.date_to,
                ref=m.ref,
            )
            for u in doc.units
            for m in u.mentions
        ]
        Mention.objects.bulk_create(mentions, batch_size=500)
        RetiredParagraphId.objects.bulk_create(
            RetiredParagraphId(
                document=document,
                xml_id=r.id,
                successor_id=r.successor,
                change=r.change,
                when=r.when,
                text=r.text,
                position=i,
            )
            for i, r in enumerate(doc.retired)
        )
        ParagraphRevision.objects.bulk_create(
            ParagraphRevision(document=document, xml_id=e.target, revision=e.revision, text=e.text, position=i)
            for i, e in enumerate(doc.earlier)
        )
        if not created:
            self._relink_collations(document)
        return f"{len(doc.units)} units, {len(mentions)} mentions"

    def link_witnesses(self, report: LoadReport) -> None:
        """Link the same passage across the witnesses of works that have no collation file yet.

        Only works with a witness loaded in this run are aligned, so a second
        load changes nothing.
        """
        from django.db import transaction

        from ..comparison import Witness, WitnessUnit, collate_witnesses
        from ..models import Document, Passage, Work

        touched = Document.objects.filter(file__path__in=report.loaded).values_list("work_id", flat=True)
        works = (
            Work.objects.filter(pk__in=touched, collation__isnull=True).annotate(n=Count("witnesses")).filter(n__gte=2)
        )
        for work in works:
            documents = list(work.witnesses.order_by("slug"))
            witnesses = [
                Witness(
                    d.slug,
                    d.title,
                    [
                        WitnessUnit(i, c or t, "", "", kind=k, section=s)
                        for i, t, c, k, s in d.paragraphs.exclude(supplied=True)
                        .order_by("position")
                        .values_list("xml_id", "text", "collation_text", "kind", "section_id")
                    ],
                )
                for d in documents
            ]
            ids = {(d.slug, x): pk for d in documents for x, pk in d.paragraphs.values_list("xml_id", "id")}
            # The engine's aligned groups, not the compare page's rendering: only which units stand together.
            collation = collate_witnesses(witnesses)
            groups = [
                [ids[(slug, unit)] for slug, units in group.units.items() for unit in units]
                for group in collation.groups
            ]
            with transaction.atomic():
                Work.objects.filter(pk=work.pk).update(variant_count=len(list(collation.variants())))
                linked = self._save_passages(Passage.Kind.WITNESS, groups, work=work, documents=documents)
            self.progress(f"{work.slug}: {linked} passages linked across {len(documents)} witnesses")

    def _relink_collations(self, document) -> None:
        """A reloaded witness's collation must be reloaded to point at the new paragraphs."""
        from ..models import CorpusFile

        CorpusFile.objects.filter(collation__witnesses=document).update(sha256="")


def entity_url(ref: str) -> str:
    from django.urls import reverse

    return reverse("texts:entity", args=[ref])
