"""A source an editor added from the admin, and the pipeline job that brings it into the corpus."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from reader.texts.models import Document


class SourceJob(models.Model):
    """One uploaded source (new, or a revised version of a document) and its pipeline run."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    class Kind(models.TextChoices):
        TEXT = "text", "plain text"
        TEI = "tei", "TEI XML"

    #: File name as uploaded (the stored source gets a safe name derived from it).
    upload_name = models.CharField(max_length=255)
    #: The uploaded bytes, kept until the job has stored them as a source (the evidence lives in seeds/).
    data = models.BinaryField()
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.TEXT)
    #: The document this is a revised version of (its source file is replaced; permalinks survive).
    revises = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: Witness metadata, as in the metadata CSV (``ingest --meta``); blank = guessed by the pipeline.
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=500, blank=True)
    date = models.CharField(max_length=40, blank=True, help_text="ISO 8601: 1859, 1859-11, 1859-11-24")
    siglum = models.CharField(max_length=60, blank=True)
    work = models.CharField(max_length=120, blank=True, help_text="witnesses with the same work are one work")
    source = models.CharField(max_length=1000, blank=True)
    licence = models.CharField(max_length=500, blank=True)
    fragment = models.CharField(
        max_length=20,
        blank=True,
        help_text="where the witness's text is missing: 'start' (it begins late), 'end' (it breaks off), 'start end'",
    )

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    #: The step running or last run (store, ingest, collate, load).
    step = models.CharField(max_length=20, blank=True)
    #: What each step said, with times: the progress an editor watches.
    log = models.TextField(blank=True)
    #: Why it failed (one line naming the file and the problem).
    error = models.TextField(blank=True)
    #: Where the source was stored (below the seeds or sources folder) and the document it became.
    stored_as = models.CharField(max_length=300, blank=True)
    document_slug = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    #: The worker running the job ("host:pid:start", see reader.jobs.liveness) and when it last said it
    #: was alive: a job whose worker died is found by the sweeper and ended (reader.jobs.sweeper).
    worker = models.CharField(max_length=200, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    #: What the job changes while it runs ("document:<id>" or "source:<file name>"): one running job a target.
    target = models.CharField(max_length=300, blank=True)
    #: The queue's record of the run (django-tasks' DBTaskResult id), ended with the job by the sweeper.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "source upload"
        constraints = [
            # Two revisions of one document (or two uploads of one name) run one after the other.
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(status="running") & ~models.Q(target=""),
                name="one_running_job_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.upload_name} ({self.get_status_display()})"

    def note(self, message: str) -> None:
        """Append a line to the log and save it at once, so the admin shows progress while the job runs.

        Raises :class:`JobEnded` when the job was ended meanwhile (the sweeper took this worker for dead):
        the worker then stops instead of writing over the verdict."""
        self.log += f"{timezone.now():%H:%M:%S} {message}\n"
        self.heartbeat = timezone.now()
        fields = {f: getattr(self, f) for f in ("log", "step", "status", "heartbeat", "worker")}
        if not SourceJob.objects.filter(pk=self.pk, finished__isnull=True).update(**fields):
            raise JobEnded(f"job {self.pk} was ended while its worker ran it")


class JobEnded(Exception):
    """The job was ended by someone else (the sweeper) while this worker still ran it."""
