"""A document's review page (``texts/document/<id>/annotate/``, routed from ``DocumentAdmin.get_urls``): the
pipeline's pending suggestions, accepted or rejected in bulk; and publishing the database to the TEI files
(``annotations/publication/publish/`` and the documents' action)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from reader.params import BadParameter, bad_parameter_response, whole_numbers
from reader.texts.models import Document, Mention
from reader.texts.write_errors import write_error

from .. import editing, witnesses
from .corrections import done_message
from ..editing import PIPELINE, AnnotationError, EditConflict
from ..publishing import PublishError, publish


def kwic(text: str, start: int, end: int, width: int = 50) -> tuple[str, str, str]:
    """Keyword in context: (left, words, right)."""
    left, right = text[max(0, start - width) : start], text[end : end + width]
    return ("…" if start > width else "") + left, text[start:end], right + ("…" if end + width < len(text) else "")


def review_view(model_admin, request, pk):
    """A document's pending suggestions, filtered by kind and certainty; accepted or rejected in bulk."""
    document = get_object_or_404(Document, pk=pk)
    if not model_admin.has_view_permission(request, document) or not request.user.has_perm("texts.view_mention"):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    url = reverse("admin:texts_document_annotate", args=[document.pk])
    if request.GET:
        url += "?" + request.GET.urlencode()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            pks = whole_numbers(request.POST.getlist("mention"), "mention")
        except BadParameter as exc:
            return bad_parameter_response(exc)
        needed = {"accept": "texts.change_mention", "reject": "texts.delete_mention"}.get(action)
        if needed is None:
            messages.error(request, f"Unknown action {action!r}.")
            status = 400
        elif not request.user.has_perm(needed):
            raise PermissionDenied
        elif not pks:
            messages.error(request, "Select the suggestions to accept or reject first.")
            status = 400
        else:
            found = list(Mention.objects.filter(pk__in=pks, document=document).values_list("pk", flat=True))
            try:
                if len(found) < len(set(pks)):  # a load replaced them meanwhile: say so, never a silent 302
                    raise EditConflict(editing.RELOADED.replace("the mention you chose is", "some of them are"))
                if request.POST.get("everywhere"):  # and at the same place of the work's other witnesses
                    done = done_message(witnesses.correct_suggestions(request.user, action, pks))
                elif action == "accept":
                    done = f"{editing.accept_mentions(request.user, pks)} suggestion(s) accepted."
                else:
                    done = (
                        f"{editing.delete_mentions(request.user, pks, only_suggestions=True)} suggestion(s) rejected."
                    )
            except AnnotationError as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, EditConflict) else 400
            else:
                messages.success(request, done)
                return HttpResponseRedirect(url)
    suggestions = (
        document.mentions.filter(resp=PIPELINE)
        .select_related("paragraph", "entity")
        .order_by("paragraph__position", "start")
    )
    if kind in Mention.Kind.values:
        suggestions = suggestions.filter(kind=kind)
    cert = request.GET.get("cert", "")
    if cert:
        suggestions = suggestions.filter(cert=cert)
    paragraphs = document.paragraphs.reading().annotate(
        mention_total=Count("mentions"), suggested=Count("mentions", filter=Q(mentions__resp=PIPELINE))
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": document,
        "title": f"Review suggestions: {document.title}",
        "document": document,
        "witness_count": document.work.witnesses.count(),
        "kind": kind,
        "cert": request.GET.get("cert", ""),
        "certs": ["low", "medium", "high"],
        "kinds": Mention.Kind.choices,
        "paragraphs": paragraphs,
        "suggestions": [(m, kwic(m.paragraph.text, m.start, m.end)) for m in suggestions],
        "can_change": request.user.has_perm("texts.change_mention"),
        "can_delete": request.user.has_perm("texts.delete_mention"),
    }
    return TemplateResponse(request, "annotations/document.html", context, status=status)


def publish_and_say(model_admin, request):
    """Publish, and say in the admin's messages what was written or why nothing was."""
    try:
        publication = publish(request.user)
    except PublishError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
        return None
    except OSError as exc:  # a full disk: nothing is recorded as published, the database keeps every change
        message = write_error(exc, settings.CORPUS_TEI_DIR, again="publish again")
        model_admin.message_user(request, f"Not published: {message}", messages.ERROR)
        return None
    files = publication.written_files
    model_admin.message_user(
        request,
        f"Published to {publication.directory}: {len(files)} file(s) written"
        + (f" ({', '.join(files)})" if files else "")
        + f", {publication.unchanged_count} unchanged.",
    )
    return publication


def publish_view(model_admin, request):
    """The publication list's button (editors only): publish on POST, then back to the list."""
    if not request.user.has_perm("annotations.publish"):
        raise PermissionDenied
    if request.method == "POST":
        publish_and_say(model_admin, request)
    return HttpResponseRedirect(reverse("admin:annotations_publication_changelist"))
