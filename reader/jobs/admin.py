"""Editors upload a new source or a revised version from the admin; the pipeline runs as a job."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html

from reader.tei.source import MAX_SOURCE_BYTES

from .models import SourceJob
from .sweeper import sweep
from .tasks import run_source_job

METADATA = ["title", "author", "date", "siglum", "work", "source", "licence", "fragment"]


class SourceUploadForm(forms.ModelForm):
    """The upload: a plain-text (UTF-8) or TEI file, optionally a revision of a document, and its metadata."""

    upload = forms.FileField(
        help_text=f"A UTF-8 plain text or a TEI XML file, at most {MAX_SOURCE_BYTES // 2**20} MiB."
    )

    class Meta:
        model = SourceJob
        fields = ["upload", "revises", *METADATA]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_SOURCE_BYTES:
            raise forms.ValidationError(
                f"{upload.name}: {upload.size:,} bytes is over the {MAX_SOURCE_BYTES:,}-byte limit."
            )
        return upload

    def clean_date(self):
        from reader.annotations.editing import ISO_DATE

        value = self.cleaned_data["date"].strip()
        if value and not ISO_DATE.match(value):
            raise forms.ValidationError(f"{value!r} is not an ISO 8601 date (1859, 1859-11, 1859-11-24).")
        return value

    def clean_fragment(self):
        from reader.tei.metadata import fragment_value

        value = fragment_value(self.cleaned_data["fragment"])
        if value is None:
            raise forms.ValidationError("Say 'start' (it begins late), 'end' (it breaks off) or 'start end'.")
        return value


@admin.register(SourceJob)
class SourceJobAdmin(admin.ModelAdmin):
    """Uploads and their pipeline runs: status and progress visible while the job runs."""

    list_display = ["upload_name", "status", "step", "revises", "reader_link", "created_by", "created", "finished"]
    list_filter = ["status"]
    readonly_fields = [
        "upload_name",
        "kind",
        "revises",
        *METADATA,
        "status",
        "step",
        "log",
        "error",
        "stored_as",
        "reader_link",
        "created_by",
        "created",
        "finished",
        "worker",
        "heartbeat",
    ]
    exclude = ["data", "document_slug", "target", "task_id"]

    def changelist_view(self, request, extra_context=None):
        sweep()  # a job whose worker died shows as ended, not as running for ever
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sweep()
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SourceUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return ["upload", "revises", *METADATA] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and request.method == "POST" else super().has_change_permission(request, obj)

    @admin.display(description="in the reader")
    def reader_link(self, job):
        return (
            format_html('<a href="/texts/{}/">/texts/{}/</a>', job.document_slug, job.document_slug)
            if job.document_slug
            else "–"
        )

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        obj.upload_name = upload.name
        obj.data = upload.read()
        obj.kind = SourceJob.Kind.TEI if upload.name.lower().endswith(".xml") else SourceJob.Kind.TEXT
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: run_source_job.enqueue(obj.pk))
        messages.info(request, f"{upload.name} is queued; this page shows the job's progress.")

    def response_add(self, request, obj, post_url_continue=None):
        from django.shortcuts import redirect
        from django.urls import reverse

        return redirect(reverse("admin:jobs_sourcejob_change", args=[obj.pk]))
