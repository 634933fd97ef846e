"""The rows of the files that link units: a collation's variants, readings and aligned passages, and
text reuse between documents."""

from __future__ import annotations

from django.db.models import Q

from reader.tei.parsing import CollationData, ReuseData
from reader.tei.xml import TEIError


class CollationRows:
    """The collations and reuse part of :class:`~reader.texts.loader.corpus.CorpusLoader`."""

    def save_collation(self, relative: str, sha: str, data: CollationData, xml: str) -> str:
        from ..models import Collation, CorpusFile, Document, Passage, Reading, Variant, Work

        corpus_file, _ = CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.COLLATION, "sha256": sha, "skeleton": xml}
        )
        paths = [path for _, path in data.witnesses]
        documents = {
            d.file.path: d for d in Document.objects.select_related("work", "file").filter(file__path__in=paths)
        }
        missing = [path for path in paths if path not in documents]
        if missing:
            raise TEIError(f"{relative}: witness file(s) not loaded: {', '.join(missing)}")
        by_siglum = {siglum: documents[path] for siglum, path in data.witnesses}
        work = next((d.work for d in documents.values() if d.work.slug == data.work), None)
        if work is None:
            work, _ = Work.objects.get_or_create(
                slug=data.work, defaults={"title": next(iter(documents.values())).title}
            )
        Collation.objects.filter(file=corpus_file).delete()
        collation = Collation.objects.create(work=work, file=corpus_file)
        collation.witnesses.set(documents.values())
        paragraphs = self._paragraph_ids(documents.values())
        variants = Variant.objects.bulk_create(
            Variant(collation=collation, position=i, type=v.type, xml_id=v.xml_id) for i, v in enumerate(data.variants)
        )
        readings = []
        for variant, v in zip(variants, data.variants):
            for r in v.readings:
                for siglum in r.wit:
                    doc = by_siglum.get(siglum)
                    if doc is None:
                        raise TEIError(f"{relative}: reading names witness #{siglum}, which listWit does not declare")
                    paragraph_id = paragraphs.get((doc.file.path, r.paragraphs.get(siglum, r.paragraph)))
                    readings.append(
                        Reading(variant=variant, document=doc, paragraph_id=paragraph_id, text=r.text, type=r.type)
                    )
        Reading.objects.bulk_create(readings, batch_size=1000)
        Work.objects.filter(pk=work.pk).update(variant_count=len(variants))
        groups = [[paragraphs[key] for key in group if key in paragraphs] for group in data.alignments]
        self._warn_unknown_units(data.alignments, paragraphs, "alignment")
        linked = self._save_passages(Passage.Kind.WITNESS, groups, work=work, documents=documents.values())
        return f"{len(variants)} variants over {len(documents)} witnesses, {linked} passages linked"

    def save_reuse(self, relative: str, sha: str, data: ReuseData, xml: str) -> str:
        from ..models import CorpusFile, Document, Passage

        CorpusFile.objects.update_or_create(
            path=relative, defaults={"kind": CorpusFile.Kind.REUSE, "sha256": sha, "skeleton": xml}
        )
        paths = {path for link in data.links for path, _ in link}
        paragraphs = self._paragraph_ids(Document.objects.select_related("file").filter(file__path__in=paths))
        groups = [[paragraphs[key] for key in link if key in paragraphs] for link in data.links]
        self._warn_unknown_units(data.links, paragraphs, "link")
        linked = self._save_passages(Passage.Kind.REUSE, groups)
        return f"{linked} reused passages linked"

    def _warn_unknown_units(self, groups: list[list[tuple[str, str]]], paragraphs: dict, what: str) -> None:
        """Say which pointers of ``groups`` name no loaded unit: they are left out of the passage."""
        unknown = list(dict.fromkeys(key for group in groups for key in group if key not in paragraphs))
        if unknown:
            examples = ", ".join(f"{path}#{unit}" for path, unit in unknown[:3])
            self._warnings.append(
                f"{len(unknown)} {what} pointer(s) name no unit of a loaded witness ({examples}"
                f"{', …' if len(unknown) > 3 else ''}); those units are not linked"
            )

    @staticmethod
    def _save_passages(kind: str, groups: list[list[int]], work=None, documents=()) -> int:
        """Replace the passages of ``kind`` (of ``work`` and ``documents``; all, for reuse) by ``groups``
        of paragraph pks. A group is kept if it has two paragraphs. Returns how many were kept."""
        from ..models import Passage, PassageMember

        stale = Passage.objects.filter(kind=kind)
        if kind == Passage.Kind.WITNESS:
            members = PassageMember.objects.filter(paragraph__document__in=list(documents)).values("passage")
            stale = stale.filter(Q(work=work) | Q(pk__in=members))
        stale.delete()
        groups = [list(dict.fromkeys(group)) for group in groups]
        if kind == Passage.Kind.WITNESS:
            groups = _joined(groups)
        groups = [group for group in groups if len(group) > 1]
        passages = Passage.objects.bulk_create([Passage(kind=kind, work=work) for _ in groups], batch_size=1000)
        PassageMember.objects.bulk_create(
            (
                PassageMember(passage=passage, paragraph_id=pk)
                for passage, group in zip(passages, groups)
                for pk in group
            ),
            batch_size=1000,
        )
        return len(passages)

    @staticmethod
    def _paragraph_ids(documents) -> dict[tuple[str, str], int]:
        """(file path, unit id) → paragraph pk for the given documents."""
        from ..models import Paragraph

        paths = {d.pk: d.file.path for d in documents}
        return {
            (paths[doc_id], xml_id): pk
            for pk, doc_id, xml_id in Paragraph.objects.filter(document_id__in=paths).values_list(
                "id", "document_id", "xml_id"
            )
        }


def _joined(groups: list[list[int]]) -> list[list[int]]:
    """Neighbouring aligned groups that share a paragraph, as one: where one witness breaks its
    paragraphs elsewhere than another, its paragraph stands in two rows of the alignment, but a
    paragraph is in one passage."""
    out: list[list[int]] = []
    for group in groups:
        if out and not set(out[-1]).isdisjoint(group):
            out[-1] = list(dict.fromkeys(out[-1] + group))
        else:
            out.append(group)
    return out
