"""What annotators' work needs beyond the reader's tables.

* :class:`Publication` — one row per publish to ``corpus/tei/``; its
  ``publish`` permission is what makes an Editor;
* :class:`EntityRedirect` — a register id retired by a merge and the entity
  that absorbed it, so that the old public URL can answer 301;
* :class:`RejectedSuggestion` — a pipeline suggestion an annotator rejected
  (or a mention an annotator deleted), written to the register as
  ``listAnnotation[@type='rejected']/note`` so that recognition never
  suggests it again (see docs/tei-conventions.md, "Entity register").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from reader.entities.models import Entity
from reader.texts.models import Document, Paragraph


class Publication(models.Model):
    """A publish of the database back to the TEI files, by whom and with what result."""

    #: Who published.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    #: When.
    created = models.DateTimeField(auto_now_add=True)
    #: The directory written to.
    directory = models.CharField(max_length=500)
    #: Files written (paths below the directory), one per line.
    written = models.TextField(blank=True)
    #: Number of files already up to date.
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created"]
        permissions = [("publish", "Can publish the database to the TEI files")]

    def __str__(self) -> str:
        return f"publication of {self.created:%Y-%m-%d %H:%M} by {self.user}"

    @property
    def written_files(self) -> list[str]:
        return [line for line in self.written.splitlines() if line]


class EntityRedirect(models.Model):
    """A register id that a merge retired: its URL leads to the surviving entity."""

    #: The retired register id (never given to another entity).
    old_xml_id = models.CharField("retired register id", max_length=120, unique=True)
    #: Its canonical name when it was retired.
    old_name = models.CharField(max_length=500)
    #: The entity that absorbed it.
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="redirects")
    #: Who merged.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    #: When.
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_xml_id"]

    def __str__(self) -> str:
        return f"{self.old_xml_id} → {self.entity.xml_id}"


class RejectedSuggestion(models.Model):
    """A stretch of text an annotator said is not a mention of this kind, in one paragraph."""

    #: The document (kept for listing; the scope below is what the pipeline reads).
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rejected_suggestions")
    #: The paragraph, while it exists (a reload of the document may replace it).
    paragraph = models.ForeignKey(Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: The words rejected, exactly as in the paragraph's text.
    text = models.CharField(max_length=500)
    #: The mention element rejected (``persName``, ``placeName``, ``orgName``, ``date``).
    tag = models.CharField(max_length=20)
    #: ``<document slug>#<paragraph id>``, as the register's ``note/@target``.
    scope = models.CharField(max_length=200)
    #: ``#annotator-<username>``.
    resp = models.CharField(max_length=120)
    #: Who and when.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["scope", "text", "tag"], name="unique_rejection")]

    def __str__(self) -> str:
        return f"not a {self.tag}: {self.text!r} in {self.scope}"


class Correction(models.Model):
    """One annotator's accept, reject, retype or relink, applied at the same place of several witnesses.

    The mentions' history records of the change carry ``history_change_reason`` = :attr:`tag`, so the
    group is listed, and undone, as one (``reader.annotations.witnesses``)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", "accepted"
        REJECT = "reject", "rejected"
        CHANGE = "change", "retyped or relinked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    #: What was done, as the message said it (words, kind, witnesses).
    summary = models.CharField(max_length=500)
    #: Number of mentions changed (the chosen one and its counterparts).
    mention_count = models.PositiveIntegerField(default=0)
    #: Rejections (``RejectedSuggestion`` pks) this correction recorded; an undo removes them.
    rejections = models.JSONField(default=list, blank=True)
    undone = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"correction {self.pk}: {self.summary}"

    @property
    def tag(self) -> str:
        """The ``history_change_reason`` of the mentions' history records it made."""
        return f"correction {self.pk}"
