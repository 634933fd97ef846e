"""The admin pages that correct a mention in every witness (``witnesses``), routed from ``CorrectionAdmin.get_urls``.

* ``annotations/correction/paragraph/<pk>/`` (POST): accept, reject or change a mention of the paragraph
  and the counterparts the annotator left ticked ("also in B ¶ 12, C ¶ 12 …" on the annotate page);
* ``annotations/correction/<pk>/undo/`` (POST): undo a correction in every witness it reached;
* ``annotations/correction/work/<pk>/``: a work's pending suggestions, one row per aligned place.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from reader.params import BadParameter, bad_parameter_response, whole_number, whole_numbers
from reader.tei.vocabulary import PIPELINE
from reader.texts.models import Mention, Paragraph, Work

from .. import editing, witnesses
from ..editing import AnnotationError, EditConflict
from ..forms import MISSING_VERSION, ChangeMentionForm
from ..models import Correction

#: The permission each action needs (as on the paragraph page).
NEEDED = {"accept": "texts.change_mention", "reject": "texts.delete_mention", "change": "texts.change_mention"}


def _error_status(exc: AnnotationError) -> int:
    return 409 if isinstance(exc, EditConflict) else 400


def done_message(correction: Correction):
    undo = reverse("admin:annotations_correction_changelist")
    return format_html('{}. <a href="{}">Undo it in every witness</a>.', correction.summary, undo)


def apply_view(request, pk):
    """A POST of the paragraph page's accept/reject/edit forms, with the ticked ``also`` places."""
    paragraph = get_object_or_404(Paragraph, pk=pk)
    back = reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])
    if request.method != "POST":
        return HttpResponseRedirect(back)
    action = request.POST.get("action", "")
    if action not in NEEDED:
        messages.error(request, f"Unknown action {action!r}; choose accept, reject or change.")
        return HttpResponseRedirect(back)
    if not request.user.has_perm(NEEDED[action]):
        raise PermissionDenied
    try:
        mention_pk = whole_number(request.POST.get("mention"), "mention")
        also = whole_numbers(request.POST.getlist("also"), "also")
    except BadParameter as exc:
        return bad_parameter_response(exc)
    try:
        correction = _apply(request, paragraph, action, mention_pk, also)
    except ValidationError as exc:
        messages.error(request, "Not saved: " + " ".join(exc.messages))
    except AnnotationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message(correction))
    return HttpResponseRedirect(back + (f"#m-{mention_pk}" if action != "reject" else ""))


def _apply(request, paragraph, action, mention_pk, also) -> Correction:
    if mention_pk is None or not Mention.objects.filter(pk=mention_pk, paragraph=paragraph).exists():
        raise EditConflict(editing.RELOADED)
    if action != "change":
        version = request.POST.get("version") or None
        if version is None:
            raise AnnotationError(MISSING_VERSION.replace("entry", "mention"))
        return witnesses.correct(request.user, action, mention_pk, version, also)
    form = ChangeMentionForm(request.POST, prefix=f"m{mention_pk}")
    if not form.is_valid():
        errors = "; ".join(f"{field}: {' '.join(e)}" for field, e in form.errors.items())
        raise AnnotationError("The mention was not changed: " + errors)
    values = form.values()
    if values.new_entity_name and not request.user.has_perm("entities.add_entity"):
        raise PermissionDenied
    return witnesses.correct(request.user, action, mention_pk, form.cleaned_data["version"], also, values)


def undo_view(request, pk):
    """Undo a correction in every witness it reached (POST)."""
    back = reverse("admin:annotations_correction_changelist")
    if request.method != "POST":
        return HttpResponseRedirect(back)
    if not request.user.has_perm("texts.change_mention"):
        raise PermissionDenied
    try:
        correction = witnesses.undo(request.user, pk)
    except AnnotationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Undone in every witness: {correction.summary}.")
    return HttpResponseRedirect(back)


# --------------------------------------------------------------------------- a work's queue, one row per place


def work_places(work: Work) -> list[dict]:
    """The work's pending suggestions grouped by aligned place, in reading order; each place's in witness order."""
    pending = list(
        Mention.objects.filter(document__work=work, resp=PIPELINE)
        .select_related("paragraph__document", "entity")
        .order_by("paragraph__position", "start", "document__date", "document__slug")
    )
    rows = []
    for group in witnesses.places(pending, work.pk):
        group.sort(key=lambda m: (m.document.date == "", m.document.date, m.document.slug))  # witness order
        rows.append({"first": group[0], "mentions": group})
    return rows


def work_queue_view(request, pk):
    """Review a work's suggestions once per place: accepting or rejecting a place does it in every witness."""
    work = get_object_or_404(Work, pk=pk)
    if not request.user.has_perm("texts.view_mention"):
        raise PermissionDenied
    url = reverse("admin:annotations_correction_work", args=[work.pk])
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("accept", "reject"):
            messages.error(request, f"Unknown action {action!r}; choose accept or reject.")
            status = 400
        elif not request.user.has_perm(NEEDED[action]):
            raise PermissionDenied
        else:
            try:
                chosen = whole_numbers(request.POST.getlist("place"), "place")
            except BadParameter as exc:
                return bad_parameter_response(exc)
            status = _apply_places(request, work, action, chosen)
            if status == 200:
                return HttpResponseRedirect(url)
    places = work_places(work)
    context = {
        **admin.site.each_context(request),
        "title": f"Review suggestions once per place: {work.title}",
        "work": work,
        "places": places,
        "suggestion_count": sum(len(p["mentions"]) for p in places),
        "witness_count": work.witnesses.count(),
        "can_change": request.user.has_perm("texts.change_mention"),
        "can_delete": request.user.has_perm("texts.delete_mention"),
    }
    return TemplateResponse(request, "annotations/work_places.html", context, status=status)


def _apply_places(request, work, action, chosen) -> int:
    """Each chosen place (named by its first mention's pk) corrected in all its witnesses; the status to answer."""
    if not chosen:
        messages.error(request, "Select the places to accept or reject first.")
        return 400
    by_first = {p["first"].pk: p for p in work_places(work)}
    missing = [pk for pk in chosen if pk not in by_first]
    if missing:
        messages.error(request, editing.RELOADED.replace("the mention you chose is", "some of the places are"))
        return 409
    done = 0
    try:
        for pk in chosen:
            _correct_place(request.user, action, by_first[pk]["mentions"])
            done += 1
    except AnnotationError as exc:
        messages.error(request, f"{done} place(s) {action}ed, then: {exc}")
        return _error_status(exc)
    messages.success(
        request, f"{done} place(s) {action}ed in every witness that has them (undo each under Corrections)."
    )
    return 200


def _correct_place(user, action, mentions) -> None:
    """One correction per mention and its counterparts among the place's (one, unless the alignment overlaps)."""
    remaining = {m.pk: m for m in mentions}
    while remaining:
        first = next(iter(remaining.values()))
        others = [o.pk for o in witnesses.counterparts(first) if o.pk in remaining]
        witnesses.correct(user, action, first.pk, editing.mention_version(first), others)
        for pk in (first.pk, *others):
            remaining.pop(pk)
