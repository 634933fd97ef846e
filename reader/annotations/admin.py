"""The annotator admin's ModelAdmins: register entries, mentions, paragraphs, documents, history, publishing.

Replaces the reader's basic registrations of Entity, Mention, Paragraph and
Document (this app is loaded after theirs). The pages of their own are views of
:mod:`reader.annotations.views`, hooked in through ``get_urls``:

* ``texts/paragraph/<id>/annotate/`` — the paragraph's text with its mentions:
  add (select words), retype, relink, delete, accept or reject suggestions;
* ``texts/document/<id>/annotate/`` — a document's paragraphs and the
  pipeline's pending suggestions, accepted or rejected in bulk;
* ``entities/entity/merge/`` and ``entities/entity/<id>/split/``;
* ``annotations/publication/publish/`` — write the database to the TEI files.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from reader.entities.models import AuthorityId, Entity, EntityName
from reader.params import BadParameter, bad_parameter_response, whole_numbers
from reader.texts.models import Document, Mention, Paragraph

from . import editing
from .editing import PIPELINE, AnnotationError
from .forms import AuthorityIdForm, MentionAdminForm, VersionedEntityForm
from .models import Correction, EntityRedirect, Publication, RejectedSuggestion
from .views import corrections, documents, entities, paragraphs
from .views.documents import kwic

for model in (Entity, Mention, Paragraph, Document):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def page(model_admin, view):
    """``view(model_admin, request, …)`` of :mod:`reader.annotations.views` as one of ``model_admin``'s pages
    (logged-in staff only, CSRF-checked, never cached)."""
    return model_admin.admin_site.admin_view(partial(view, model_admin))


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
            path("merge/", page(self, entities.merge_view), name="entities_entity_merge"),
            path("<int:pk>/split/", page(self, entities.split_view), name="entities_entity_split"),
            path("suggest/", page(self, entities.suggest_view), name="entities_entity_suggest"),
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
        own = [path("<int:pk>/annotate/", page(self, paragraphs.annotate_view), name="texts_paragraph_annotate")]
        return own + super().get_urls()


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
        documents.publish_and_say(self, request)

    def get_urls(self):
        own = [path("<int:pk>/annotate/", page(self, documents.review_view), name="texts_document_annotate")]
        return own + super().get_urls()


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
        own = [path("publish/", page(self, documents.publish_view), name="annotations_publication_publish")]
        return own + super().get_urls()


@admin.register(Correction)
class CorrectionAdmin(StrictSelection, admin.ModelAdmin):
    """Corrections applied in every witness (``witnesses``), each undone as one; the pages are in ``views.corrections``."""

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
            path("paragraph/<int:pk>/", view(corrections.apply_view), name="annotations_correction_apply"),
            path("<int:pk>/undo/", view(corrections.undo_view), name="annotations_correction_undo"),
            path("work/<int:pk>/", view(corrections.work_queue_view), name="annotations_correction_work"),
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
