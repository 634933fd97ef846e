"""Background tasks (django-tasks; the database backend and ``manage.py db_worker`` by default)."""

from django_tasks import task

from . import pipeline
from .models import SourceJob


@task()
def run_source_job(job_id: int) -> str:
    """Bring an uploaded source into the corpus: store, ingest, collate, load."""
    job = SourceJob.objects.get(pk=job_id)
    return pipeline.run(job).status
