"""Background tasks (django-tasks; the database backend and ``manage.py jobs_worker`` by default)."""

from django_tasks import TaskContext, task

from . import pipeline
from .models import SourceJob


@task(takes_context=True)
def run_source_job(context: TaskContext, job_id: int) -> str:
    """Bring an uploaded source into the corpus: store, ingest, collate, load."""
    SourceJob.objects.filter(pk=job_id).update(task_id=str(context.task_result.id))
    job = SourceJob.objects.get(pk=job_id)
    return pipeline.run(job).status
