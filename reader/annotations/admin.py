"""The annotator admin: register entries, mentions in their paragraph, history, publishing.

Replaces the reader's basic registrations of Entity, Mention, Paragraph and
Document (this app is loaded after theirs). The pages of their own are
hooked in through ``get_urls``:

* ``texts/paragraph/<id>/annotate/`` — the paragraph's text with its mentions:
  add (select words), retype, relink, delete, accept or reject suggestions;
* ``texts/document/<id>/annotate/`` — a document's paragraphs and the
  pipeline's pending suggestions, accepted or rejected in bulk;
* ``entities/entity/merge/`` and ``entities/entity/<id>/split/``;
* ``annotations/publication/publish/`` — write the database to the TEI files.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from reader.entities.models import AuthorityId, Entity, EntityName, one_line
from reader.params import BadParameter, answers_bad_parameters, bad_parameter_response, whole_number, whole_numbers
from reader.texts.models import Document, Mention, Paragraph
from reader.texts.write_errors import write_error

from . import editing, witness_views, witnesses
from .editing import PIPELINE, AnnotationError, EditConflict
from .forms import (
    MISSING_VERSION,
    AddMentionForm,
    AuthorityIdForm,
    ChangeMentionForm,
    MentionAdminForm,
    MergeForm,
    SplitForm,
    VersionedEntityForm,
)
from .models import Correction, EntityRedirect, Publication, RejectedSuggestion
from .publishing import PublishError, publish

for model in (Entity, Mention, Paragraph, Document):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def kwic(text: str, start: int, end: int, width: int = 50) -> tuple[str, str, str]:
    """Keyword in context: (left, words, right)."""
    left, right = text[max(0, start - width) : start], text[end : end + width]
    return ("…" if start > width else "") + left, text[start:end], right + ("…" if end + width < len(text) else "")


def context_html(mention: Mention):
    left, words, right = kwic(mention.paragraph.text, mention.start, mention.end)
    return format_html("{}<mark>{}</mark>{}", left, words, right)


class StrictSelection:
    """Changelist actions read the selected rows' ids strictly: Django filters by them as posted, and on
    SQLite an id beyond 64 bits raised OverflowError (a 500) instead of a 400 naming the parameter."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            try:
                whole_numbers(request.POST.getlist(ACTION_CHECKBOX_NAME), ACTION_CHECKBOX_NAME)
            except BadParameter as exc:
                return bad_parameter_response(exc)
        return super().changelist_view(request, extra_context)


class VersionCheckedHistoryAdmin(StrictSelection, SimpleHistoryAdmin):
    """History with revert; a revert is one transaction and restores an old state on purpose (no version check)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._reverting_history = True
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.check_version = not getattr(request, "_reverting_history", False)
        return form


# --------------------------------------------------------------------------- entities


class EntityNameInline(admin.TabularInline):
    model = EntityName
    extra = 1
    fields = ["name", "lang", "type", "position"]


class AuthorityIdInline(admin.TabularInline):
    model = AuthorityId
    form = AuthorityIdForm
    extra = 1


class MentionInline(admin.TabularInline):
    """The entry's mentions in context, read-only (edit them where the text is)."""

    model = Mention
    fk_name = "entity"
    extra = 0
    fields = ["in_context", "kind", "where", "resp"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "mentions (edit them in their paragraph)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("paragraph__document")
            .order_by("document__slug", "paragraph__position", "start")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="in context")
    def in_context(self, mention):
        return context_html(mention)

    @admin.display(description="paragraph")
    def where(self, mention):
        url = reverse("admin:texts_paragraph_annotate", args=[mention.paragraph_id])
        return format_html(
            '<a href="{}#m-{}">{} {}</a>', url, mention.pk, mention.paragraph.document.slug, mention.paragraph.xml_id
        )


class HasAuthorityFilter(admin.SimpleListFilter):
    title = "authority id"
    parameter_name = "authority"

    def lookups(self, request, model_admin):
        return [("yes", "has an authority id"), ("no", "has none")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(authority_ids__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(authority_ids__isnull=True)
        return queryset


class MentionCountFilter(admin.SimpleListFilter):
    title = "number of mentions"
    parameter_name = "mentions"
    BUCKETS = {"0": (0, 0), "1": (1, 1), "2-5": (2, 5), "6-20": (6, 20), "21+": (21, None)}

    def lookups(self, request, model_admin):
        return [(key, key) for key in self.BUCKETS]

    def queryset(self, request, queryset):
        if self.value() not in self.BUCKETS:
            return queryset
        low, high = self.BUCKETS[self.value()]
        queryset = queryset.filter(mention_count__gte=low)
        return queryset.filter(mention_count__lte=high) if high is not None else queryset


class MadeByFilter(admin.SimpleListFilter):
    title = "made by"
    parameter_name = "made_by"

    def lookups(self, request, model_admin):
        return [
            ("pipeline", "the pipeline (not reviewed)"),
            ("annotator", "an annotator"),
            ("curated", "curated seed list"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pipeline":
            return queryset.filter(resp=PIPELINE)
        if self.value() == "annotator":
            return queryset.filter(resp__startswith="#annotator-")
        if self.value() == "curated":
            return queryset.filter(resp="#curated")
        return queryset


@admin.register(Entity)
class EntityAdmin(VersionCheckedHistoryAdmin):
    """Register entries: search any name form or authority id; merge, split, mark reviewed."""

    form = VersionedEntityForm
    list_display = ["name", "xml_id", "kind", "mentions", "authority", "variant_names", "resp"]
    list_filter = ["kind", HasAuthorityFilter, MentionCountFilter, MadeByFilter]
    search_fields = ["name", "xml_id", "names__name", "authority_ids__value"]
    inlines = [EntityNameInline, AuthorityIdInline, MentionInline]
    actions = ["merge_selected", "mark_reviewed"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).with_mention_counts().register_prefetch()

    def get_fields(self, request, obj=None):
        fields = ["name", "kind", "note", "version"]
        return ["xml_id", "resp", *fields, "links"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["xml_id", "resp", "links"] if obj else []

    @admin.display(description="mentions", ordering="mention_count")
    def mentions(self, entity):
        return entity.mention_count

    @admin.display(description="authority ids")
    def authority(self, entity):
        return ", ".join(str(a) for a in entity.authority_ids.all())

    @admin.display(description="variant names")
    def variant_names(self, entity):
        names = [n.name for n in entity.names.all()]
        return "; ".join(names[:4]) + (" …" if len(names) > 4 else "")

    @admin.display(description="pages")
    def links(self, entity):
        return format_html(
            '<a href="{}">public page</a> · <a href="{}">split this entry</a> · <a href="{}">history</a>',
            entity.get_absolute_url(),
            reverse("admin:entities_entity_split", args=[entity.pk]),
            reverse("admin:entities_entity_history", args=[entity.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.xml_id = editing.mint_entity_id(obj.kind, obj.name)
            obj.position = editing.next_position()
        obj.resp = editing.resp_for(request.user)  # what an annotator touched, recognition leaves alone
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        editing.delete_entities(request.user, [obj])

    def delete_queryset(self, request, queryset):
        editing.delete_entities(request.user, list(queryset))

    def get_urls(self):
        own = [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="entities_entity_merge"),
            path("<int:pk>/split/", self.admin_site.admin_view(self.split_view), name="entities_entity_split"),
            path("suggest/", self.admin_site.admin_view(self.suggest_view), name="entities_entity_suggest"),
        ]
        return own + super().get_urls()

    @admin.action(description="Merge the selected entries into one", permissions=["change"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:entities_entity_merge')}?ids={ids}")

    @admin.action(description="Mark the selected entries as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = editing.mark_reviewed(request.user, queryset)
        self.message_user(request, f"{count} entr{'y' if count == 1 else 'ies'} marked as reviewed by you.")

    def suggest_view(self, request):
        """Register entries for what an annotator typed (``?q=``), as the entity inputs offer them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        results = [
            {"value": f"{name} ({xml_id})", "kind": kind}
            for name, xml_id, kind in register_suggestions(request.GET.get("q", ""))
        ]
        return JsonResponse({"results": results})

    @answers_bad_parameters
    def merge_view(self, request):
        if not self.has_change_permission(request) or not self.has_delete_permission(request):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = whole_numbers(raw.split(","), "ids")
        whole_number(request.POST.get("survivor"), "survivor")  # the form's own check does not bound it
        entities = Entity.objects.filter(pk__in=ids).with_mention_counts().register_prefetch()
        back = reverse("admin:entities_entity_changelist")
        if len(set(ids)) < 2 or entities.count() < 2:
            self.message_user(
                request,
                "Choose at least two different entries to merge: an entry cannot be merged with itself.",
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        form = MergeForm(request.POST or None, entities=entities)
        if request.method == "POST" and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                editing.merge_entities(request.user, survivor, [e for e in entities if e.pk != survivor.pk])
            except AnnotationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, f"Merged into {survivor.name} ({survivor.xml_id}); the old ids now lead to it."
                )
                return HttpResponseRedirect(reverse("admin:entities_entity_change", args=[survivor.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Merge register entries",
            "form": form,
            "entities": entities,
            "ids": ",".join(map(str, ids)),
        }
        return TemplateResponse(request, "annotations/merge.html", context)

    @answers_bad_parameters
    def split_view(self, request, pk):
        entity = get_object_or_404(Entity, pk=pk)
        if not self.has_change_permission(request, entity) or not self.has_add_permission(request):
            raise PermissionDenied
        for name in ("mentions", "names"):  # the form's own check does not bound them
            whole_numbers(request.POST.getlist(name), name)
        form = SplitForm(request.POST or None, entity=entity)
        status = 400 if request.method == "POST" else 200
        if request.method == "POST" and form.is_valid() and _one_line_fields(form, "name"):
            try:
                new = editing.split_entity(
                    request.user,
                    entity,
                    form.cleaned_data["name"],
                    [m.pk for m in form.cleaned_data["mentions"]],
                    [n.pk for n in form.cleaned_data["names"]],
                )
            except AnnotationError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"New entry {new.name} ({new.xml_id}) made from {entity.name}.")
                return HttpResponseRedirect(reverse("admin:entities_entity_change", args=[new.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": entity,
            "title": f"Split {entity.name}",
            "form": form,
        }
        return TemplateResponse(request, "annotations/split.html", context, status=status)


# --------------------------------------------------------------------------- mentions


class ResponsibilityFilter(admin.SimpleListFilter):
    title = "made by"
    parameter_name = "made_by"

    def lookups(self, request, model_admin):
        return [("pipeline", "pipeline suggestion"), ("annotator", "annotator")]

    def queryset(self, request, queryset):
        if self.value() == "pipeline":
            return queryset.filter(resp=PIPELINE)
        if self.value() == "annotator":
            return queryset.exclude(resp=PIPELINE)
        return queryset


@admin.register(Mention)
class MentionAdmin(VersionCheckedHistoryAdmin):
    """Mentions across the corpus; add new ones in their paragraph (the text is needed to select words)."""

    form = MentionAdminForm
    list_display = ["surface", "kind", "entity", "document", "paragraph_link", "resp", "cert"]
    list_filter = ["kind", ResponsibilityFilter, "document"]
    search_fields = ["surface", "entity__name", "entity__xml_id"]
    list_select_related = ["entity", "document", "paragraph"]
    autocomplete_fields = ["entity"]
    readonly_fields = ["surface", "in_context", "paragraph_link", "resp", "cert"]
    fields = [
        "surface",
        "in_context",
        "paragraph_link",
        "kind",
        "entity",
        "when",
        "date_from",
        "date_to",
        "resp",
        "cert",
        "version",
    ]
    actions = ["accept_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="paragraph")
    def paragraph_link(self, mention):
        url = reverse("admin:texts_paragraph_annotate", args=[mention.paragraph_id])
        return format_html('<a href="{}#m-{}">{}</a>', url, mention.pk, mention.paragraph.xml_id)

    @admin.display(description="in context")
    def in_context(self, mention):
        return context_html(mention)

    def save_model(self, request, obj, form, change):
        obj.resp, obj.cert = editing.resp_for(request.user), ""
        obj.ref = obj.entity.xml_id if obj.entity_id else ""
        super().save_model(request, obj, form, change)
        editing.refresh_paragraph(obj.paragraph)

    def delete_model(self, request, obj):
        editing.delete_mentions(request.user, [obj.pk])

    def delete_queryset(self, request, queryset):
        editing.delete_mentions(request.user, list(queryset.values_list("pk", flat=True)))

    @admin.action(description="Accept the selected suggestions", permissions=["change"])
    def accept_selected(self, request, queryset):
        count = editing.accept_mentions(request.user, list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} suggestion(s) accepted.")

    @admin.action(description="Reject the selected suggestions (never suggested again)", permissions=["delete"])
    def reject_selected(self, request, queryset):
        pks = list(queryset.filter(resp=PIPELINE).values_list("pk", flat=True))
        try:
            count = editing.delete_mentions(request.user, pks, only_suggestions=True)
        except AnnotationError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"{count} suggestion(s) rejected.")


# --------------------------------------------------------------------------- paragraphs: mentions where the text is


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


#: Suggestions the register gives for what an annotator typed, at most.
SUGGESTIONS = 20


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


def register_suggestions(query: str) -> list[tuple[str, str, str]]:
    """(name, id, kind) of up to ``SUGGESTIONS`` entries whose id, name or a variant name has ``query``
    in it, those that begin with it first."""
    query = " ".join(query.split())[:200]
    if len(query) < 2:
        return []
    match = Q(name__icontains=query) | Q(xml_id__istartswith=query) | Q(names__name__icontains=query)
    found = Entity.objects.filter(match).values_list("name", "xml_id", "kind").distinct()
    starts = found.filter(Q(name__istartswith=query) | Q(xml_id__istartswith=query)).order_by("name", "xml_id")
    first = list(starts[:SUGGESTIONS])
    rest = found.exclude(xml_id__in=[x for _, x, _ in first]).order_by("name", "xml_id")
    return first + list(rest[: SUGGESTIONS - len(first)])


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
            if not (self.add_form.is_valid() and _checked_fields(self.add_form)):
                raise AnnotationError("The new mention was not added: " + _errors(self.add_form))
            self.check_new_entity(self.add_form)
            start, end = self.add_form.span(paragraph.text)
            mention = editing.add_mention(user, paragraph, start, end, self.add_form.values())
            return f"Added {mention.get_kind_display().lower()} {mention.surface!r}.", mention.pk
        if action in ("accept_all", "reject_all"):
            pks = list(paragraph.mentions.filter(resp=PIPELINE).values_list("pk", flat=True))
            if post.get("everywhere") and pks:  # and at the aligned place of the work's other witnesses
                correction = witnesses.correct_suggestions(user, action.removesuffix("_all"), pks)
                return witness_views.done_message(correction), None
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
            if not (form.is_valid() and _checked_fields(form)):
                raise AnnotationError("The mention was not changed: " + _errors(form))
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


def _one_line_fields(form, *names) -> bool:
    """Whether the valid ``form``'s one-line text fields are free of control characters (a new entry's
    name goes into the register's XML, which cannot hold most of them); the error goes on the field."""
    for name in names:
        try:
            one_line(form.cleaned_data.get(name) or "")
        except ValidationError as exc:
            form.add_error(name, exc)
    return not form.errors


def _checked_fields(form) -> bool:
    """A mention form's checks that its own cleaning leaves out: the new entry's name has no control
    character, and the dates are in ASCII digits (``\\d`` takes "١٩٤٠", which @when cannot hold)."""
    for name in DATE_FIELDS:
        value = form.cleaned_data.get(name) or ""
        if not value.isascii():
            form.add_error(name, f"{value!r}: write the date in the digits 0-9 (1942-05-30).")
    return _one_line_fields(form, "new_entity")


def _errors(form) -> str:
    return "; ".join(
        f"{'' if field == '__all__' else field + ': '}{' '.join(errs)}" for field, errs in form.errors.items()
    )


@admin.register(Paragraph)
class ParagraphAdmin(StrictSelection, admin.ModelAdmin):
    """Paragraphs are read-only here: annotators change their mentions on the annotate page."""

    list_display = ["xml_id", "document", "kind", "number", "excerpt", "annotate_link"]
    list_filter = ["document", "kind"]
    search_fields = ["xml_id", "text"]
    list_select_related = ["document"]
    readonly_fields = ["document", "section", "xml_id", "kind", "position", "number", "text", "lang", "inferred"]
    exclude = ["tei", "html"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="text")
    def excerpt(self, paragraph):
        return paragraph.text[:90] + ("…" if len(paragraph.text) > 90 else "")

    @admin.display(description="mentions")
    def annotate_link(self, paragraph):
        return format_html('<a href="{}">annotate</a>', reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]))

    def get_urls(self):
        own = [
            path("<int:pk>/annotate/", self.admin_site.admin_view(self.annotate_view), name="texts_paragraph_annotate")
        ]
        return own + super().get_urls()

    def annotate_view(self, request, pk):
        paragraph = get_object_or_404(Paragraph.objects.select_related("document", "section"), pk=pk)
        if not self.has_view_permission(request, paragraph) or not request.user.has_perm("texts.view_mention"):
            raise PermissionDenied
        page = MentionEditing(self, request, paragraph)
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
        return TemplateResponse(request, "annotations/paragraph.html", self.page_context(request, page), status=status)

    def page_context(self, request, page: MentionEditing) -> dict:
        paragraph = page.paragraph
        mentions = list(paragraph.mentions.select_related("entity").order_by("start", "-end"))
        rows = []
        also = witnesses.counterparts_of(paragraph, mentions)
        for m in mentions:
            form = page.change_forms.get(m.pk) or ChangeMentionForm(
                prefix=f"m{m.pk}",
                initial={
                    "mention": m.pk,
                    "version": editing.mention_version(m),
                    "kind": m.kind,
                    "entity": f"{m.entity.name} ({m.entity.xml_id})" if m.entity else "",
                    "when": m.when,
                    "date_from": m.date_from,
                    "date_to": m.date_to,
                },
            )
            rows.append(
                {
                    "mention": m,
                    "form": form,
                    "version": editing.mention_version(m),
                    "suggested": m.resp == PIPELINE,
                    "hidden_fields": fields_not_for(m.kind),
                    "also": also[m.pk],
                    "also_suggested": [o for o in also[m.pk] if o.resp == PIPELINE],  # what accept/reject reach
                }
            )
        siblings = Paragraph.objects.filter(document=paragraph.document)
        history = (
            Mention.history.filter(paragraph_id=paragraph.pk)
            .select_related("history_user")
            .order_by("-history_date")[:15]
        )
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": paragraph,
            "title": f"Annotate {paragraph.document.slug} {paragraph.label} ({paragraph.xml_id})",
            "paragraph": paragraph,
            "segments": text_segments(paragraph.text, mentions),
            "rows": rows,
            "suggested_count": sum(1 for r in rows if r["suggested"]),
            "spread_count": len({o.pk for r in rows if r["suggested"] for o in r["also_suggested"]}),
            "add_form": page.add_form,
            "register": register_choices(paragraph.document),
            "previous": siblings.filter(position__lt=paragraph.position).order_by("-position").first(),
            "next": siblings.filter(position__gt=paragraph.position).order_by("position").first(),
            "rejections": RejectedSuggestion.objects.filter(scope=f"{paragraph.document.slug}#{paragraph.xml_id}"),
            "history": history,
            "can_add": request.user.has_perm("texts.add_mention"),
            "can_change": request.user.has_perm("texts.change_mention"),
            "can_delete": request.user.has_perm("texts.delete_mention"),
        }


# --------------------------------------------------------------------------- documents: bulk review, publish


@admin.register(Document)
class DocumentAdmin(StrictSelection, admin.ModelAdmin):
    """Documents (witnesses) are read-only; from here annotators review suggestions and editors publish."""

    list_display = ["title", "slug", "work", "languages", "unit_count", "word_count", "annotate_link"]
    search_fields = ["title", "slug"]
    readonly_fields = [
        "slug",
        "work",
        "file",
        "title",
        "siglum",
        "seed_name",
        "seed_sha256",
        "source",
        "licence",
        "licence_url",
        "languages",
        "revision",
        "revision_date",
        "word_count",
        "unit_count",
        "work_review",
    ]
    exclude = ["tei_header"]
    actions = ["publish_corpus"]

    def has_add_permission(self, request):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm("annotations.publish")

    @admin.display(description="mentions")
    def annotate_link(self, document):
        return format_html(
            '<a href="{}">review suggestions</a>', reverse("admin:texts_document_annotate", args=[document.pk])
        )

    @admin.display(description="review once per place")
    def work_review(self, document):
        url = reverse("admin:annotations_correction_work", args=[document.work_id])
        return format_html(
            '<a href="{}">the suggestions of {}, once per place in all its witnesses</a>', url, document.work
        )

    @admin.action(description="Publish the corpus to the TEI files (editors)", permissions=["publish"])
    def publish_corpus(self, request, queryset):
        _publish(self, request)

    def get_urls(self):
        own = [
            path("<int:pk>/annotate/", self.admin_site.admin_view(self.annotate_view), name="texts_document_annotate")
        ]
        return own + super().get_urls()

    def annotate_view(self, request, pk):
        document = get_object_or_404(Document, pk=pk)
        if not self.has_view_permission(request, document) or not request.user.has_perm("texts.view_mention"):
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
                        done = witness_views.done_message(witnesses.correct_suggestions(request.user, action, pks))
                    elif action == "accept":
                        done = f"{editing.accept_mentions(request.user, pks)} suggestion(s) accepted."
                    else:
                        done = f"{editing.delete_mentions(request.user, pks, only_suggestions=True)} suggestion(s) rejected."
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
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
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


def _publish(model_admin, request):
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


# --------------------------------------------------------------------------- publications, rejections, redirects


@admin.register(Publication)
class PublicationAdmin(StrictSelection, admin.ModelAdmin):
    """The log of publishes, and the button that publishes (editors only)."""

    list_display = ["created", "user", "directory", "files_written", "unchanged_count"]
    readonly_fields = ["created", "user", "directory", "written", "unchanged_count"]
    change_list_template = "annotations/publication_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="files written")
    def files_written(self, publication):
        return len(publication.written_files)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_publish": request.user.has_perm("annotations.publish"), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def get_urls(self):
        own = [path("publish/", self.admin_site.admin_view(self.publish_view), name="annotations_publication_publish")]
        return own + super().get_urls()

    def publish_view(self, request):
        if not request.user.has_perm("annotations.publish"):
            raise PermissionDenied
        if request.method == "POST":
            _publish(self, request)
        return HttpResponseRedirect(reverse("admin:annotations_publication_changelist"))


@admin.register(Correction)
class CorrectionAdmin(StrictSelection, admin.ModelAdmin):
    """Corrections applied in every witness (``witnesses``), each undone as one; the pages are in ``witness_views``."""

    list_display = ["created", "user", "summary", "mention_count", "undone", "undo_button"]
    change_list_template = "annotations/correction_changelist.html"
    list_filter = ["action", "user"]
    search_fields = ["summary"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("texts.view_mention")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the mentions' history refers to it; undo instead

    @admin.display(description="undo")
    def undo_button(self, correction):
        if correction.undone:
            return "undone"
        url = reverse("admin:annotations_correction_undo", args=[correction.pk])
        return format_html('<button type="submit" form="undo-form" formaction="{}">Undo in every witness</button>', url)

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("paragraph/<int:pk>/", view(witness_views.apply_view), name="annotations_correction_apply"),
            path("<int:pk>/undo/", view(witness_views.undo_view), name="annotations_correction_undo"),
            path("work/<int:pk>/", view(witness_views.work_queue_view), name="annotations_correction_work"),
        ]
        return own + super().get_urls()


@admin.register(RejectedSuggestion)
class RejectedSuggestionAdmin(StrictSelection, admin.ModelAdmin):
    """Rejected suggestions, as the register records them for the pipeline."""

    list_display = ["text", "tag", "scope", "resp", "created"]
    list_filter = ["tag", "document"]
    search_fields = ["text", "scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the register holds the same rejection; both go together or not at all


@admin.register(EntityRedirect)
class EntityRedirectAdmin(StrictSelection, admin.ModelAdmin):
    """Register ids retired by merges and the entries they lead to."""

    list_display = ["old_xml_id", "old_name", "entity", "user", "created"]
    search_fields = ["old_xml_id", "old_name", "entity__name"]
    list_select_related = ["entity", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --------------------------------------------------------------------------- users (editors manage annotators)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(StrictSelection, UserAdmin):
    """Editors manage annotator accounts, but only a superuser can grant superuser status or single permissions."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            from django.contrib.auth.models import Group

            kwargs["queryset"] = Group.objects.filter(name__in=["Annotator", "Editor"])
        return super().formfield_for_manytomany(db_field, request, **kwargs)
