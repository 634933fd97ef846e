from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Editors add or revise sources from the admin; the pipeline runs as a background job."""

    name = "reader.jobs"
    label = "jobs"
    verbose_name = "Sources and pipeline jobs"
