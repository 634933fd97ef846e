"""The register: persons, places, organisations … (``reader.tei.vocabulary.KINDS``), their names and ids.

One :class:`Entity` per entry of ``corpus/tei/register.xml`` (``listPerson/person``,
``listPlace/place``, ``listOrg/org``). Mentions of an entity in the texts live in
``reader.texts`` (``Mention``), which depends on this app, never the reverse.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reader.tei.vocabulary import KINDS
from reader.tei.xml import bad_character


def one_line(value: str) -> None:
    """A name or id: no control character at all (the register's XML could not hold most of them)."""
    problem = bad_character(value)
    if problem:
        raise ValidationError(f"This value {problem}; remove it.", code="control_character")


def text_block(value: str) -> None:
    """A note: tabs and line breaks, but no character XML cannot hold."""
    problem = bad_character(value, multiline=True)
    if problem:
        raise ValidationError(f"This value {problem}; remove it.", code="control_character")


class RefusesControlCharacters(models.Model):
    """Refuses, on every save and whoever saves (the annotate page's new entry, a merge, a split, a
    load), a text field holding a character XML cannot hold: one such name made every export of the
    register fail. Forms refuse more (every control character in a one-line field) through the
    fields' validators; this is the last guard. The error names the field."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        errors = {}
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            checked = any(v in (one_line, text_block) for v in field.validators)
            problem = bad_character(value, multiline=True) if checked and isinstance(value, str) else None
            if problem:
                errors[field.name] = f"The {field.verbose_name} {problem}; remove it."
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)


def kind_choices(kinds) -> list[tuple[str, tuple[str, str]]]:
    """``TextChoices`` members for vocabulary kinds: ``PERSON = "person", "Person"``."""
    return [(k.name.upper(), (k.name, k.label.capitalize())) for k in kinds]


#: The kinds of register entry, named as the reader shows them (from ``reader.tei.vocabulary.KINDS``).
EntityKind = models.TextChoices("EntityKind", kind_choices(KINDS.values()))


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


class Entity(RefusesControlCharacters):
    """One real-world person, place or organisation (an entry of the register)."""

    #: Register id (``per-…``, ``pla-…``, ``org-…``): permanent, used in ``@ref`` and URLs.
    xml_id = models.CharField("register id", max_length=120, unique=True, validators=[one_line])
    #: Person, place or organisation.
    kind = models.CharField(max_length=10, choices=EntityKind.choices, db_index=True)
    #: The canonical name (the register entry's first name element).
    name = models.CharField(max_length=500, validators=[one_line])
    #: Free-text note of the register entry.
    note = models.TextField(blank=True, validators=[text_block])
    #: Who made or last confirmed the entry (``#pipeline`` or ``#annotator-…``).
    resp = models.CharField(max_length=120, blank=True, validators=[one_line])
    #: The entry's TEI as last loaded; export reuses it while the fields above still match it.
    tei = models.TextField(blank=True, editable=False)
    #: Order in the register file (export keeps it).
    position = models.PositiveIntegerField(default=0)
    #: A place's coordinates (WGS84 degrees), from the register's ``location/geo``; None when it gives none.
    latitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])

    objects = EntityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return f"{self.name} ({self.xml_id})"

    def get_absolute_url(self) -> str:
        return reverse("texts:entity", args=[self.xml_id])


class EntityName(RefusesControlCharacters):
    """A variant name of an entity (other spellings, languages, forms)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    #: The name as written.
    name = models.CharField(max_length=500, validators=[one_line])
    #: Language of the name form, if the register says.
    lang = models.CharField(max_length=20, blank=True, validators=[one_line])
    #: Form of the name (``@type``: ``variant``, ``abbreviation``…).
    type = models.CharField(max_length=40, blank=True, validators=[one_line])
    #: Order among the entity's names.
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entity", "position"]

    def __str__(self) -> str:
        return self.name


class AuthorityId(RefusesControlCharacters):
    """An identifier of the entity in an authority file (Wikidata, GeoNames, VIAF…)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="authority_ids")
    #: Authority file, as in ``idno/@type`` (``wikidata``, ``geonames``, ``viaf``…).
    scheme = models.CharField(max_length=40, validators=[one_line])
    #: The identifier within that file (``Q211``).
    value = models.CharField(max_length=200, validators=[one_line])
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
