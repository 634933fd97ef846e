"""Basic admin registration of the register (the annotator admin is issue 6)."""

from django.contrib import admin

from .models import AuthorityId, Entity, EntityName


class EntityNameInline(admin.TabularInline):
    model = EntityName
    extra = 0


class AuthorityIdInline(admin.TabularInline):
    model = AuthorityId
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "xml_id", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "xml_id", "names__name", "authority_ids__value"]
    inlines = [EntityNameInline, AuthorityIdInline]
    readonly_fields = ["tei"]
