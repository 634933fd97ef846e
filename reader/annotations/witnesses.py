"""A correction once, for every witness: the same mention at the aligned place of a work's other witnesses.

Load stores a work's alignment as passages (``Passage`` of kind *witness*: the aligned paragraphs of its
witnesses). Within them, the *same mention* is a mention of the same kind whose words are the same
(case and whitespace aside) and are the same occurrence of those words in their paragraph (the first
"Paris" pairs with the first "Paris"). Nothing is invented: a witness whose aligned paragraph lacks the
words, or has them unmarked or marked as another kind, gets nothing.

:func:`correct` applies an accept, reject, retype or relink to a mention and to the counterparts the
annotator kept ticked, in one transaction, as one :class:`~.models.Correction` (:func:`correct_suggestions`
does so for a bulk accept or reject); the history records it makes carry its tag (their baseline
records, "as loaded from TEI", do not); :func:`undo` restores
every mention it touched and withdraws the rejections it recorded. Files are locked as everywhere else
(the register's row, then the documents' rows by pk, ``lock_files``) before any row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reader.entities.models import Entity
from reader.tei.vocabulary import PIPELINE
from reader.tei.xml import NS
from reader.texts.locking import lock_files
from reader.texts.models import Document, Mention, Paragraph, Passage, PassageMember

from . import editing
from .editing import AnnotationError, EditConflict, MentionValues
from .models import Correction, RejectedSuggestion


def normalised(words: str) -> str:
    """The words as compared across witnesses: whitespace collapsed, case folded."""
    return " ".join(words.split()).casefold()


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of ``words`` in ``text`` as whole words, any case, any whitespace between them."""
    parts = words.split()
    if not parts:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)"
    return [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]


class Alignment:
    """A work's witness passages, read once: which paragraphs are aligned with which."""

    def __init__(self, work_id: int):
        members = PassageMember.objects.filter(passage__kind=Passage.Kind.WITNESS, passage__work_id=work_id)
        self.passages: dict[int, set[int]] = defaultdict(set)
        self.members: dict[int, set[int]] = defaultdict(set)
        for passage, paragraph in members.values_list("passage_id", "paragraph_id"):
            self.passages[paragraph].add(passage)
            self.members[passage].add(paragraph)

    def aligned_with(self, paragraph: int) -> set[int]:
        """The other paragraphs that share a passage with ``paragraph``."""
        return {p for passage in self.passages.get(paragraph, ()) for p in self.members[passage]} - {paragraph}

    def shared(self, a: int, b: int) -> int:
        """How many passages paragraphs ``a`` and ``b`` are both in (0: not aligned)."""
        return len(self.passages.get(a, set()) & self.passages.get(b, set()))

    def counterparts(self, mention: Mention, pool) -> list[Mention]:
        """The mentions of ``pool`` that are ``mention`` at its aligned place, at most one a witness.

        Passages overlap where a later edition splits or joins paragraphs; a witness with the words
        in two aligned paragraphs gets the one sharing more passages, and nothing if that is a tie."""
        key = same_words(mention)
        if key is None:
            return []
        by_witness: dict[int, list[tuple[int, Mention]]] = defaultdict(list)
        for other in pool:
            if other.document_id == mention.document_id or same_words(other) != key:
                continue
            shared = self.shared(mention.paragraph_id, other.paragraph_id)
            if shared:
                by_witness[other.document_id].append((shared, other))
        found = []
        for candidates in by_witness.values():
            candidates.sort(key=lambda c: -c[0])
            if len(candidates) == 1 or candidates[0][0] > candidates[1][0]:
                found.append(candidates[0][1])
        return sorted(found, key=lambda m: (m.paragraph.document.date, m.paragraph.document.slug))


def same_words(mention: Mention) -> tuple[str, str, int] | None:
    """(words, kind, which occurrence of the words in the paragraph): what stays the same across witnesses."""
    starts = occurrences(mention.paragraph.text, mention.surface)
    if mention.start not in starts:
        return None
    return normalised(mention.surface), mention.kind, starts.index(mention.start)


def counterparts(mention: Mention) -> list[Mention]:
    """The same mention in the work's other witnesses, in witness order."""
    return counterparts_of(mention.paragraph, [mention])[mention.pk]


def counterparts_of(paragraph: Paragraph, mentions) -> dict[int, list[Mention]]:
    """Mention pk → its counterparts, for mentions of one paragraph (two queries, however many)."""
    alignment = Alignment(paragraph.document.work_id)
    aligned = alignment.aligned_with(paragraph.pk)
    pool = []
    if aligned:
        pool = list(Mention.objects.filter(paragraph_id__in=aligned).select_related("paragraph__document", "entity"))
    return {m.pk: alignment.counterparts(m, pool) for m in mentions}


def places(mentions, work_id: int) -> list[list[Mention]]:
    """``mentions`` (of one work, in reading order) grouped by aligned place: each with its counterparts among them."""
    alignment = Alignment(work_id)
    mentions = list(mentions)
    index = {m.pk: i for i, m in enumerate(mentions)}
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_words = defaultdict(list)
    for m in mentions:
        by_words[same_words(m)].append(m)
    for key, same in by_words.items():
        if key is None:
            continue
        for m in same:
            for other in alignment.counterparts(m, same):
                a, b = root(index[m.pk]), root(index[other.pk])
                parent[max(a, b)] = min(a, b)
    groups = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[root(i)].append(m)
    return list(groups.values())


def witness_label(mention: Mention) -> str:
    """``B ¶ 12``: the witness's siglum and the paragraph's label."""
    return f"{mention.paragraph.document.label} {mention.paragraph.label}"


# --------------------------------------------------------------------------- applying and undoing


def _last_history_id() -> int:
    return Mention.history.aggregate(m=Max("history_id"))["m"] or 0


def _last_rejection_id() -> int:
    return RejectedSuggestion.objects.aggregate(m=Max("pk"))["m"] or 0


def _lock(mention_pks) -> None:
    """The register's row, then every touched document's row by pk (the one lock order)."""
    documents = set(Mention.objects.filter(pk__in=list(mention_pks)).values_list("document_id", flat=True))
    lock_files(register=True, documents=documents)


def _checked_also(mention: Mention, also, action: str) -> list[int]:
    """The ticked counterparts, refused if one is no longer the same mention at the aligned place."""
    also = list(dict.fromkeys(also))
    allowed = {m.pk: m for m in counterparts(mention)}
    gone = [pk for pk in also if pk not in allowed]
    if gone:
        raise EditConflict(
            f"Not saved: {len(gone)} of the places you ticked no longer hold {mention.surface!r} as "
            f"{editing.with_article(mention.get_kind_display().lower())} (changed or reloaded meanwhile). "
            "Nothing was changed; reload the page and choose again."
        )
    if action in (Correction.Action.ACCEPT, Correction.Action.REJECT):
        return [pk for pk in also if allowed[pk].resp == PIPELINE]
    return also


def correct(
    user, action: str, pk: int, version: str | None, also=(), values: MentionValues | None = None
) -> Correction:
    """Accept, reject or change (retype/relink with ``values``) mention ``pk`` and its ticked counterparts."""
    if action not in Correction.Action.values:
        raise AnnotationError(f"Unknown action {action!r}; choose accept, reject or change.")
    with transaction.atomic():
        _lock([pk, *also])
        mention = editing.locked_mention(pk, version)
        if action != Correction.Action.CHANGE and mention.resp != PIPELINE:
            raise EditConflict(
                f"Not saved: {mention.surface!r} is no longer a suggestion ({mention.resp[1:]} confirmed it "
                "meanwhile). Reload the page."
            )
        others = _checked_also(mention, also, action)
        summary = _summary(mention, action, values, len(others))
        history_mark, rejection_mark = _last_history_id(), _last_rejection_id()
        pks = [pk, *others]
        if action == Correction.Action.ACCEPT:
            editing.accept_mentions(user, pks, {pk: version})
        elif action == Correction.Action.REJECT:
            editing.delete_mentions(user, pks, {pk: version}, only_suggestions=True)
        else:
            _change_all(user, pk, version, others, values)
        return _record(user, action, pks, summary, history_mark, rejection_mark)


def _change_all(user, pk, version, others, values: MentionValues | None) -> None:
    if values is None:
        raise AnnotationError("Say what the mention should be: its kind and register entry.")
    first = editing.change_mention(user, pk, version, values)
    same = replace(values, entity=first.entity, new_entity_name="")  # a new entry is made once, for all
    for other in others:
        editing.change_mention(user, other, None, same)


def _summary(mention: Mention, action: str, values: MentionValues | None, others: int) -> str:
    verb = dict(Correction.Action.choices)[action]
    summary = f"{mention.surface!r} ({mention.get_kind_display().lower()}) {verb}"
    if values is not None and action == Correction.Action.CHANGE:
        summary += f": now {values.kind}" + (f", {values.entity.xml_id}" if values.entity else "")
    return summary + f" in {witness_label(mention)}" + (f" and {others} other witness(es)" if others else "")


def correct_suggestions(user, action: str, pks) -> Correction:
    """Accept or reject suggestions (a document's bulk review) and, with each, its counterparts that are still
    suggestions, as one correction."""
    if action not in (Correction.Action.ACCEPT, Correction.Action.REJECT):
        raise AnnotationError(f"Unknown action {action!r}; choose accept or reject.")
    pks = list(dict.fromkeys(pks))
    with transaction.atomic():
        works = set(Mention.objects.filter(pk__in=pks).values_list("document__work_id", flat=True))
        lock_files(
            register=True, documents=set(Document.objects.filter(work_id__in=works).values_list("pk", flat=True))
        )
        chosen = list(Mention.objects.filter(pk__in=pks).select_related("paragraph__document"))
        others: set[int] = set()
        for work_id in works:
            alignment = Alignment(work_id)
            pool = list(
                Mention.objects.filter(document__work_id=work_id, resp=PIPELINE).select_related("paragraph__document")
            )
            for mention in (m for m in chosen if m.document.work_id == work_id and m.resp == PIPELINE):
                others.update(o.pk for o in alignment.counterparts(mention, pool))
        others -= set(pks)
        history_mark, rejection_mark = _last_history_id(), _last_rejection_id()
        everything = [*pks, *sorted(others)]
        if action == Correction.Action.ACCEPT:
            editing.accept_mentions(user, everything)
        else:
            editing.delete_mentions(user, everything, only_suggestions=True)
        verb = dict(Correction.Action.choices)[action]
        where = chosen[0].document.label if chosen else "?"
        summary = f"{len(pks)} suggestion(s) {verb} in {where}, and {len(others)} at the same place in other witnesses"
        return _record(user, action, everything, summary, history_mark, rejection_mark)


def _record(user, action: str, pks, summary: str, history_mark: int, rejection_mark: int) -> Correction:
    """The correction row, and its tag on the history records this transaction made."""
    correction = Correction.objects.create(user=user, action=action, summary=summary[:500])
    touched = Mention.history.filter(history_id__gt=history_mark, history_user=user, history_change_reason=None)
    paragraphs = set(
        Mention.history.filter(id__in=pks, history_id__gt=history_mark).values_list("paragraph_id", flat=True)
    )
    touched.filter(paragraph_id__in=paragraphs).update(history_change_reason=correction.tag)
    correction.mention_count = (
        Mention.history.filter(history_change_reason=correction.tag).values("id").distinct().count()
    )
    correction.rejections = list(
        RejectedSuggestion.objects.filter(pk__gt=rejection_mark, user=user).values_list("pk", flat=True)
    )
    correction.save(update_fields=["rejections", "mention_count"])
    return correction


def undo(user, correction_pk: int) -> Correction:
    """Put back every mention the correction changed, as it was, and withdraw its rejections."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update().filter(pk=correction_pk).first()
        if correction is None:
            raise AnnotationError(f"There is no correction {correction_pk}.")
        if correction.undone:
            raise AnnotationError(
                f"Correction {correction.pk} was already undone ({correction.undone:%Y-%m-%d %H:%M})."
            )
        records = list(Mention.history.filter(history_change_reason=correction.tag).order_by("history_id"))
        lock_files(register=True, documents={r.document_id for r in records})
        first_of = {}
        for record in records:
            first_of.setdefault(record.id, record)
        for mention_id in first_of:
            _check_unchanged_since(correction, mention_id)
        paragraphs = set()
        for mention_id, record in first_of.items():
            paragraphs.add(_restore(user, correction, mention_id, record))
        _withdraw_rejections(correction)
        for paragraph in Paragraph.objects.filter(pk__in=paragraphs).select_related("document"):
            editing.refresh_paragraph(paragraph)
        correction.undone, correction.undone_by = timezone.now(), user
        correction.save(update_fields=["undone", "undone_by"])
    return correction


def _check_unchanged_since(correction: Correction, mention_id: int) -> None:
    latest = Mention.history.filter(id=mention_id).order_by("-history_id").select_related("history_user").first()
    if latest.history_change_reason != correction.tag:
        who = latest.history_user.get_username() if latest.history_user else "a script"
        raise EditConflict(
            f"Not undone: {who} changed {latest.surface!r} again at {latest.history_date:%Y-%m-%d %H:%M:%S} UTC, "
            "after this correction. Nothing was changed; undo that change first, or correct the mention by hand."
        )


def _restore(user, correction: Correction, mention_id: int, first_record) -> int:
    """The mention as it was before ``first_record`` (the correction's first change of it); its paragraph's pk."""
    earlier = Mention.history.filter(id=mention_id, history_id__lt=first_record.history_id).order_by("-history_id")
    state = earlier.first()
    if state is None:  # made by the correction (never: corrections change or delete, they do not add)
        Mention.objects.filter(pk=mention_id).delete()
        return first_record.paragraph_id
    mention = state.instance
    if mention.entity_id and not Entity.objects.filter(pk=mention.entity_id).exists():
        raise AnnotationError(
            f"Not undone: the register entry {mention.ref} that {mention.surface!r} pointed to was deleted since."
        )
    if not Paragraph.objects.filter(pk=mention.paragraph_id).exists():
        raise EditConflict(editing.RELOADED.replace("the mention you chose is", "the paragraph is"))
    mention._history_user = user
    mention._change_reason = f"undo of {correction.tag}"
    mention.save()
    return mention.paragraph_id


def _withdraw_rejections(correction: Correction) -> None:
    """Remove the rejections the correction recorded, from the table and from the register's TEI."""
    for rejection in RejectedSuggestion.objects.filter(pk__in=correction.rejections):
        _remove_register_note(rejection)
        rejection.delete()


def _remove_register_note(rejection: RejectedSuggestion) -> None:
    register = editing._register_file()
    if register is None:
        return
    root = editing.from_string(register.skeleton, register.path)
    for note in root.iterfind(".//tei:listAnnotation[@type='rejected']/tei:note", NS):
        if (note.get("target"), note.get("subtype"), note.text) == (rejection.scope, rejection.tag, rejection.text):
            _drop_keeping_layout(note)
            register.skeleton = editing.to_string(root)
            register.save(update_fields=["skeleton"])
            return


def _drop_keeping_layout(el) -> None:
    """Remove ``el``; the previous sibling (or the parent's text) takes its tail, so the indentation stays."""
    previous, parent = el.getprevious(), el.getparent()
    if previous is not None:
        previous.tail = el.tail
    else:
        parent.text = el.tail
    parent.remove(el)
    if len(parent) == 0 and parent.getparent() is not None:  # an empty listAnnotation is not valid TEI
        _drop_keeping_layout(parent)
