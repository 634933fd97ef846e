"""The paragraph's annotate page (``texts/paragraph/<id>/annotate/``, routed from ``ParagraphAdmin.get_urls``):
the text with its mentions; add (select words), retype, relink, delete, accept or reject suggestions, here or
at the aligned place of every witness."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.backends.jinja2 import Jinja2
from django.template.response import TemplateResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from jinja2 import StrictUndefined
from markupsafe import Markup

from reader.caching import corpus_revision, remembered
from reader.entities.models import Entity
from reader.params import BadParameter, bad_parameter_response, whole_number
from reader.texts.models import Mention, Paragraph

from .. import editing, witnesses
from .corrections import done_message
from ..editing import PIPELINE, AnnotationError, EditConflict
from ..forms import MISSING_VERSION, AddMentionForm, ChangeMentionForm, change_mention_fields
from ..models import RejectedSuggestion
from .entities import one_line_fields


def text_segments(text: str, mentions) -> list[tuple[str, Mention | None]]:
    """The text cut into plain stretches and mentions, in order."""
    out, pos = [], 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue  # nested or overlapping mention (not made by this admin): shown in the list only
        if m.start > pos:
            out.append((text[pos : m.start], None))
        out.append((text[m.start : m.end], m))
        pos = m.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


#: How long the register choices of a document stay cached (a save bumps the corpus revision before that).
REGISTER_CHOICES_SECONDS = 3600


def register_choices(document):
    """``Name (id)`` of the entries ``document`` mentions, for the entity inputs' datalist; the
    page's script asks :func:`register_suggestions` for the rest of the register as one types,
    so a page's size does not grow with the register."""
    return (
        Entity.objects.filter(mentions__document=document)
        .distinct()
        .order_by("name")
        .values_list("name", "xml_id", "kind")
    )


def register_options(document) -> str:
    """The datalist's ``<option>``s of :func:`register_choices`, escaped: built once per corpus revision
    (any save of a mention or an entry bumps it) and document, shared by every annotate page of it."""

    def build() -> str:  # a plain str in the cache (the mark is put back below)
        return str(format_html_join("", '<option value="{} ({})">{}</option>', register_choices(document)))

    key = f"parallax:annotate-register:{corpus_revision()}:{document.pk}"
    return mark_safe(remembered(key, build, REGISTER_CHOICES_SECONDS))


class MentionEditing:
    """Handles the paragraph page's POSTs: one action per form, answered by a redirect or the page with the error."""

    ACTIONS = {
        "add": "add",
        "change": "change",
        "accept": "change",
        "delete": "delete",
        "reject": "delete",
        "accept_all": "change",
        "reject_all": "delete",
    }

    def __init__(self, model_admin, request, paragraph):
        self.admin, self.request, self.paragraph = model_admin, request, paragraph
        self.add_form = AddMentionForm(prefix="add")
        self.change_forms: dict[int, ChangeMentionForm] = {}

    def permitted(self, action: str) -> bool:
        return self.request.user.has_perm(f"texts.{self.ACTIONS[action]}_mention")

    def check_new_entity(self, form) -> None:
        if form.values().new_entity_name and not self.request.user.has_perm("entities.add_entity"):
            raise PermissionDenied

    def handle(self):
        post = self.request.POST
        action = post.get("action", "")
        if action not in self.ACTIONS:
            raise AnnotationError(f"Unknown action {action!r}.")
        if not self.permitted(action):
            raise PermissionDenied
        user, paragraph = self.request.user, self.paragraph
        if action == "add":
            self.add_form = AddMentionForm(post, prefix="add")
            if not (self.add_form.is_valid() and checked_fields(self.add_form)):
                raise AnnotationError("The new mention was not added: " + form_errors(self.add_form))
            self.check_new_entity(self.add_form)
            start, end = self.add_form.span(paragraph.text)
            mention = editing.add_mention(user, paragraph, start, end, self.add_form.values())
            return f"Added {mention.get_kind_display().lower()} {mention.surface!r}.", mention.pk
        if action in ("accept_all", "reject_all"):
            pks = list(paragraph.mentions.filter(resp=PIPELINE).values_list("pk", flat=True))
            if post.get("everywhere") and pks:  # and at the aligned place of the work's other witnesses
                correction = witnesses.correct_suggestions(user, action.removesuffix("_all"), pks)
                return done_message(correction), None
            if action == "accept_all":
                return f"{editing.accept_mentions(user, pks)} suggestion(s) accepted.", None
            return f"{editing.delete_mentions(user, pks, only_suggestions=True)} suggestion(s) rejected.", None
        pk = whole_number(post.get("mention"), "mention")
        if pk is None or not Mention.objects.filter(pk=pk, paragraph=paragraph).exists():
            if pk is not None and not Mention.objects.filter(pk=pk).exists():
                with transaction.atomic():  # select_for_update needs one (PostgreSQL)
                    editing.locked_mention(pk)  # raises the "deleted meanwhile" or "reloaded" conflict
            raise AnnotationError("That mention is not in this paragraph.")
        version = post.get("version") or None
        if version is None and action in ("accept", "reject", "delete"):
            raise AnnotationError(MISSING_VERSION.replace("entry", "mention"))
        if action == "change":
            form = ChangeMentionForm(post, prefix=f"m{pk}")
            self.change_forms[pk] = form
            if not (form.is_valid() and checked_fields(form)):
                raise AnnotationError("The mention was not changed: " + form_errors(form))
            self.check_new_entity(form)
            mention = editing.change_mention(user, pk, form.cleaned_data["version"], form.values())
            return f"Changed {mention.surface!r}: now {editing.with_article(mention.get_kind_display().lower())}.", pk
        if action == "accept":
            editing.accept_mentions(user, [pk], {pk: version})
            return "Suggestion accepted.", pk
        editing.delete_mentions(user, [pk], {pk: version}, only_suggestions=action == "reject")
        return "Mention removed; it will not be suggested again here.", None


#: The fields of a mention form that belong to one type only (the others are hidden for it).
DATE_FIELDS = ("when", "date_from", "date_to")
NAME_FIELDS = ("entity", "new_entity")


def fields_not_for(kind: str) -> tuple[str, ...]:
    """Fields a mention of ``kind`` has no use for: register fields for dates, date fields for names."""
    return NAME_FIELDS if kind == Mention.Kind.DATE else DATE_FIELDS


def checked_fields(form) -> bool:
    """A mention form's checks that its own cleaning leaves out: the new entry's name has no control
    character, and the dates are in ASCII digits (``\\d`` takes "١٩٤٠", which @when cannot hold)."""
    for name in DATE_FIELDS:
        value = form.cleaned_data.get(name) or ""
        if not value.isascii():
            form.add_error(name, f"{value!r}: write the date in the digits 0-9 (1942-05-30).")
    return one_line_fields(form, "new_entity")


def form_errors(form) -> str:
    return "; ".join(
        f"{'' if field == '__all__' else field + ': '}{' '.join(errs)}" for field, errs in form.errors.items()
    )


def annotate_view(model_admin, request, pk):
    """The paragraph page; a POST is one action of :class:`MentionEditing`, answered by a redirect or the page."""
    paragraph = get_object_or_404(Paragraph.objects.select_related("document", "section"), pk=pk)
    if not model_admin.has_view_permission(request, paragraph) or not request.user.has_perm("texts.view_mention"):
        raise PermissionDenied
    page = MentionEditing(model_admin, request, paragraph)
    status = 200
    if request.method == "POST":
        try:
            message, anchor = page.handle()
        except BadParameter as exc:
            return bad_parameter_response(exc)
        except ValidationError as exc:  # a model's last guard (reader.entities.models): nothing was saved
            messages.error(request, "Not saved: " + " ".join(exc.messages))
            status = 400
        except EditConflict as exc:
            messages.error(request, str(exc))
            status = 409
        except AnnotationError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, message)
            url = reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])
            return HttpResponseRedirect(url + (f"#m-{anchor}" if anchor else ""))
    return TemplateResponse(
        request, "annotations/paragraph.html", page_context(model_admin, request, page), status=status
    )


#: The page's two loops over every mention (its text and its table), in Jinja2 (autoescaped): one
#: template loop over plain data, several times faster than Django's engine with a bound form per mention.
JINJA = Jinja2(
    {
        "NAME": "annotations-jinja2",
        "DIRS": [Path(__file__).resolve().parent.parent / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"undefined": StrictUndefined},
    }
)


def mention_row(m: Mention, also: list, form: ChangeMentionForm | None) -> dict:
    """What the page shows of mention ``m`` and its edit form, as plain data; ``form`` is a change
    of ``m`` the annotator just posted and was refused (its values and errors are shown again)."""
    version = editing.mention_version(m)
    if form is None:
        values = {
            "mention": str(m.pk),
            "version": version,
            "kind": m.kind,
            "entity": f"{m.entity.name} ({m.entity.xml_id})" if m.entity else "",
            "new_entity": "",
            "when": m.when,
            "date_from": m.date_from,
            "date_to": m.date_to,
        }
        errors = {}
    else:
        values = {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
        errors = {name: list(messages) for name, messages in form.errors.items()}
    entity = m.entity
    return {
        "pk": m.pk,
        "kind": m.kind,
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
        "resp": m.resp,
        "cert": m.cert,
        "when": m.when,
        "date_from": m.date_from,
        "date_to": m.date_to,
        "entity_id": m.entity_id,
        "entity": {"name": entity.name, "xml_id": entity.xml_id, "url": entity.get_absolute_url()} if entity else None,
        "version": version,
        "history_url": reverse("admin:texts_mention_history", args=[m.pk]),
        "suggested": m.resp == PIPELINE,
        "hidden_fields": fields_not_for(m.kind),
        "also": also,
        "also_suggested": [o for o in also if o.resp == PIPELINE],  # what accept/reject reach
        "shown": values,
        "errors": errors,
    }


#: Where the request's CSRF input goes in a cached list of mention forms (markup corpus text, escaped, cannot hold).
CSRF_SLOT = '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
#: How long a paragraph's mention list stays cached (any save in the corpus renews the revision before that).
MENTION_LIST_SECONDS = 3600


def mention_list(paragraph, page: MentionEditing, can_change: bool, can_delete: bool) -> dict:
    """The text cut at its mentions and a row and an edit form per mention, as HTML with their counts:
    built once per corpus revision (every save of a mention, an entry or a paragraph renews it),
    paragraph and rights; a refused change shows its own values, so that page is built afresh."""

    def build() -> dict:
        mentions = list(paragraph.mentions.select_related("entity").order_by("start", "-end"))
        also = witnesses.counterparts_of(paragraph, mentions)
        rows = [mention_row(m, also[m.pk], page.change_forms.get(m.pk)) for m in mentions]
        kinds = {kind: str(label) for kind, label in Mention.Kind.choices}  # not lazy: one lookup, not one per use
        text = JINJA.get_template("annotations/annotate_text.html").render(
            {"segments": text_segments(paragraph.text, mentions), "kinds": kinds}
        )
        table = JINJA.get_template("annotations/mention_rows.html").render(
            {
                "rows": rows,
                "kinds": kinds,
                "fields": change_mention_fields(),
                "can_change": can_change,
                "can_delete": can_delete,
                "apply_url": reverse("admin:annotations_correction_apply", args=[paragraph.pk]),
                "csrf_input": Markup(CSRF_SLOT),  # one token for every form, put in per request
            }
        )
        return {
            "text_html": text,
            "rows_html": table,
            "mention_count": len(rows),
            "suggested_count": sum(1 for r in rows if r["suggested"]),
            "spread_count": len({o.pk for r in rows if r["suggested"] for o in r["also_suggested"]}),
        }

    if page.change_forms:
        return build()
    key = f"parallax:annotate-mentions:{corpus_revision()}:{paragraph.pk}:{int(can_change)}{int(can_delete)}"
    return remembered(key, build, MENTION_LIST_SECONDS)


def page_context(model_admin, request, page: MentionEditing) -> dict:
    """The page: the text cut at its mentions, a row and an edit form per mention, the add form, the
    neighbours, the history."""
    paragraph = page.paragraph
    can_change = request.user.has_perm("texts.change_mention")
    can_delete = request.user.has_perm("texts.delete_mention")
    listing = mention_list(paragraph, page, can_change, can_delete)
    # one masked token for every form (each is valid); the backend's lazy one masks anew per form
    csrf = str(format_html(CSRF_SLOT, csrf=get_token(request)))
    siblings = Paragraph.objects.filter(document=paragraph.document)
    history = (
        Mention.history.filter(paragraph_id=paragraph.pk).select_related("history_user").order_by("-history_date")[:15]
    )
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": paragraph,
        "title": f"Annotate {paragraph.document.slug} {paragraph.label} ({paragraph.xml_id})",
        "paragraph": paragraph,
        "text_html": Markup(listing["text_html"]),
        "rows_html": Markup(listing["rows_html"].replace(CSRF_SLOT, csrf)),
        "mention_count": listing["mention_count"],
        "suggested_count": listing["suggested_count"],
        "spread_count": listing["spread_count"],
        "add_form": page.add_form,
        "register_options": register_options(paragraph.document),
        "previous": siblings.filter(position__lt=paragraph.position).order_by("-position").first(),
        "next": siblings.filter(position__gt=paragraph.position).order_by("position").first(),
        "rejections": RejectedSuggestion.objects.filter(scope=f"{paragraph.document.slug}#{paragraph.xml_id}"),
        "history": history,
        "can_add": request.user.has_perm("texts.add_mention"),
        "can_change": can_change,
        "can_delete": can_delete,
    }
