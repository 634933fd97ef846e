"""The register: persons, places and organisations, their names and authority ids.

One :class:`Entity` per entry of ``corpus/tei/register.xml`` (``listPerson/person``,
``listPlace/place``, ``listOrg/org``). Mentions of an entity in the texts live in
``reader.texts`` (``Mention``), which depends on this app, never the reverse.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count
from django.urls import reverse
from simple_history.models import HistoricalRecords


class EntityKind(models.TextChoices):
    """The kinds of register entry, named as the reader shows them."""

    PERSON = "person", "Person"
    PLACE = "place", "Place"
    ORG = "org", "Organisation"


#: Base URLs of the authority files we link to, by ``idno/@type``.
AUTHORITY_URLS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "geonames": "https://www.geonames.org/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "lcnaf": "https://id.loc.gov/authorities/names/{}",
}


class EntityQuerySet(models.QuerySet):
    """Named prefetches for the pages and the admin."""

    def with_mention_counts(self):
        return self.annotate(mention_count=Count("mentions", distinct=True))

    def register_prefetch(self):
        """Everything the entity page and the register export need, in three queries."""
        return self.prefetch_related("names", "authority_ids")


class Entity(models.Model):
    """One real-world person, place or organisation (an entry of the register)."""

    #: Register id (``per-…``, ``pla-…``, ``org-…``): permanent, used in ``@ref`` and URLs.
    xml_id = models.CharField("register id", max_length=120, unique=True)
    #: Person, place or organisation.
    kind = models.CharField(max_length=10, choices=EntityKind.choices, db_index=True)
    #: The canonical name (the register entry's first name element).
    name = models.CharField(max_length=500)
    #: Free-text note of the register entry.
    note = models.TextField(blank=True)
    #: Who made or last confirmed the entry (``#pipeline`` or ``#annotator-…``).
    resp = models.CharField(max_length=120, blank=True)
    #: The entry's TEI as last loaded; export reuses it while the fields above still match it.
    tei = models.TextField(blank=True, editable=False)
    #: Order in the register file (export keeps it).
    position = models.PositiveIntegerField(default=0)

    objects = EntityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return f"{self.name} ({self.xml_id})"

    def get_absolute_url(self) -> str:
        return reverse("texts:entity", args=[self.xml_id])


class EntityName(models.Model):
    """A variant name of an entity (other spellings, languages, forms)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    #: The name as written.
    name = models.CharField(max_length=500)
    #: Language of the name form, if the register says.
    lang = models.CharField(max_length=20, blank=True)
    #: Form of the name (``@type``: ``variant``, ``abbreviation``…).
    type = models.CharField(max_length=40, blank=True)
    #: Order among the entity's names.
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entity", "position"]

    def __str__(self) -> str:
        return self.name


class AuthorityId(models.Model):
    """An identifier of the entity in an authority file (Wikidata, GeoNames, VIAF…)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="authority_ids")
    #: Authority file, as in ``idno/@type`` (``wikidata``, ``geonames``, ``viaf``…).
    scheme = models.CharField(max_length=40)
    #: The identifier within that file (``Q211``).
    value = models.CharField(max_length=200)
    #: Order among the entity's identifiers.
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entity", "position", "scheme"]
        constraints = [models.UniqueConstraint(fields=["entity", "scheme", "value"], name="unique_authority_id")]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def url(self) -> str | None:
        """Link to the authority record, or None for a scheme we do not know."""
        if self.value.startswith(("http://", "https://")):
            return self.value
        template = AUTHORITY_URLS.get(self.scheme.lower())
        return template.format(self.value) if template else None
