"""Basic admin registration of the texts tables (the annotator admin is issue 6)."""

from django.contrib import admin

from .models import Document, Mention, Paragraph, Work


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "slug"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "work", "languages", "unit_count", "word_count"]
    search_fields = ["title", "slug"]
    readonly_fields = ["file", "tei_header"]


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["xml_id", "document", "kind", "number"]
    list_filter = ["document", "kind"]
    search_fields = ["xml_id", "text"]
    list_select_related = ["document"]
    readonly_fields = ["tei", "html"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["surface", "kind", "entity", "document", "resp"]
    list_filter = ["kind", "document"]
    search_fields = ["surface"]
    list_select_related = ["entity", "document"]
    raw_id_fields = ["paragraph", "entity"]
