"""Works, witnesses (documents), sections, paragraphs, mentions and variants.

The TEI files of ``corpus/tei/`` are the published form; these tables are the
working copy the site reads. ``loader.CorpusLoader`` fills them and
``exporter.CorpusExporter`` writes them back, so that load → export gives the
same TEI (see ``docs/tei-conventions.md``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from reader.entities.models import Entity, kind_choices
from reader.tei.collate.model import VARIANT_TYPES
from reader.tei.vocabulary import MENTION_KIND_OF


class CorpusFile(models.Model):
    """A file of ``corpus/tei/`` as loaded: its place and its skeleton.

    The skeleton is the file with every part the database governs (header,
    citable units, paragraph history, register entries) replaced by a
    placeholder element; export fills the placeholders from the tables.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document (witness)"
        REGISTER = "register", "Entity register"
        COLLATION = "collation", "Collation"
        REUSE = "reuse", "Text reuse links"
        OTHER = "other", "Other TEI"

    #: Path below ``CORPUS_TEI_DIR``, with ``/`` separators (``collations/partisans.xml``).
    path = models.CharField(max_length=300, unique=True)
    #: What the file holds.
    kind = models.CharField(max_length=12, choices=Kind.choices)
    #: sha256 of the file's bytes when it was last loaded (load skips unchanged files).
    sha256 = models.CharField(max_length=64)
    #: sha256 of its canonical XML when loaded: export must give the same, else the database has unpublished work.
    canonical_sha256 = models.CharField(max_length=64, blank=True)
    #: The file with placeholders (see the class docstring).
    skeleton = models.TextField()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class Work(models.Model):
    """A work: what its witnesses (versions of one text) are witnesses of."""

    #: Readable, permanent id (the collation file's name without ``.xml``).
    slug = models.SlugField(max_length=120, unique=True)
    #: Title shown for the work (its first witness's title).
    title = models.CharField(max_length=500)
    #: Number of places of variation among its witnesses (the collation's, else the reader's alignment).
    variant_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("texts:compare", args=[self.slug])


class DocumentQuerySet(models.QuerySet):
    """Named prefetches and counts for the corpus pages."""

    def in_witness_order(self):
        """The order collation gives witnesses: dated ones first, by date; then by seed file name and slug."""
        undated = Case(When(date="", then=Value(1)), default=Value(0), output_field=IntegerField())
        return self.alias(undated=undated).order_by("undated", "date", "seed_name", "slug")

    def with_counts(self):
        """Numbers of mentions and of distinct entities mentioned, as correlated subqueries (no row explosion)."""
        mentions = Mention.objects.filter(document=OuterRef("pk")).order_by().values("document")
        return self.annotate(
            mention_count=Coalesce(Subquery(mentions.annotate(n=Count("id")).values("n")), 0),
            entity_count=Coalesce(
                Subquery(mentions.filter(entity__isnull=False).annotate(n=Count("entity", distinct=True)).values("n")),
                0,
            ),
        )


class Document(models.Model):
    """A witness: one TEI file, made from one seed."""

    #: Readable, permanent slug (``TEI/@xml:id``); used in URLs.
    slug = models.SlugField(max_length=120, unique=True)
    #: The work this document is a witness of.
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="witnesses")
    #: The TEI file it was loaded from.
    file = models.OneToOneField(CorpusFile, on_delete=models.PROTECT, related_name="document")
    #: Title from ``titleStmt/title``.
    title = models.CharField(max_length=500)
    #: Siglum used in the compare view and in ``rdg/@wit`` (the slug unless the collation says).
    siglum = models.CharField(max_length=60, blank=True)
    #: Author(s) of the witness (``titleStmt/author``; from the editor's metadata).
    author = models.CharField(max_length=500, blank=True)
    #: Date of the witness, ISO 8601 (``sourceDesc/bibl/date/@when``; from the editor's metadata); orders witnesses.
    date = models.CharField(max_length=40, blank=True)
    #: Seed file name (``sourceDesc//idno[@type='seed']``).
    seed_name = models.CharField(max_length=200, blank=True)
    #: sha256 of the seed (``sourceDesc//idno[@type='sha256']``).
    seed_sha256 = models.CharField(max_length=64, blank=True)
    #: Where the source came from (``sourceDesc/bibl`` prose, URL if any).
    source = models.TextField(blank=True)
    #: Licence statement (``availability/licence``).
    licence = models.TextField(blank=True)
    #: Licence URL (``licence/@target``).
    licence_url = models.URLField(max_length=300, blank=True)
    #: Languages used, main first (``langUsage/language/@ident``), comma-separated.
    languages = models.CharField(max_length=200, blank=True)
    #: Latest revision number (``revisionDesc/change/@n``), used in citations.
    revision = models.CharField(max_length=40, blank=True)
    #: Date of that revision (``change/@when``).
    revision_date = models.CharField(max_length=40, blank=True)
    #: Number of words of text (noise excluded).
    word_count = models.PositiveIntegerField(default=0)
    #: Number of citable units.
    unit_count = models.PositiveIntegerField(default=0)
    #: Source noise outside the units (page chrome in ``front``), as safe HTML rendered at import.
    front_html = models.TextField(blank=True)
    #: The TEI header as loaded (export writes it back).
    tei_header = models.TextField()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["work__title", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("texts:document", args=[self.slug])

    @property
    def language(self) -> str:
        """The main language code."""
        return self.languages.split(",")[0] if self.languages else ""

    @property
    def label(self) -> str:
        """Short name of the witness (siglum): the collation's, else the seed's number, else the slug."""
        if self.siglum:
            return self.siglum
        stem = self.seed_name.split("_", 1)[0] if "_" in self.seed_name else ""
        return stem or self.slug


class Section(models.Model):
    """A ``div[@type='section']`` of a document, for the table of contents."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    #: ``div/@xml:id`` (``s3``).
    xml_id = models.CharField(max_length=60)
    #: Enclosing section, for subsections.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    #: Nesting depth, 1 for top-level sections.
    level = models.PositiveSmallIntegerField(default=1)
    #: Order in the document.
    position = models.PositiveIntegerField()
    #: Heading text (empty when the section has no head).
    head = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "xml_id"], name="unique_section_id")]

    def __str__(self) -> str:
        return self.head or self.xml_id


class ParagraphQuerySet(models.QuerySet):
    """Named prefetches for the reading, paragraph and compare pages."""

    def reading(self):
        """Units in order with their section: one query whatever the length."""
        return self.select_related("section").order_by("position")

    def text_units(self):
        """Units that are running text (not headings)."""
        return self.exclude(kind=Paragraph.Kind.HEAD)


class Paragraph(models.Model):
    """A citable unit (``p``, ``head``, ``item``, ``bibl``) with its permanent id."""

    class Kind(models.TextChoices):
        P = "p", "paragraph"
        HEAD = "head", "heading"
        ITEM = "item", "list item"
        BIBL = "bibl", "reference"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    #: Enclosing section (None for units outside any section).
    section = models.ForeignKey(Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="paragraphs")
    #: Permanent id (``@xml:id``), never reused; the permalink is built from it.
    xml_id = models.CharField(max_length=60)
    #: Kind of unit.
    kind = models.CharField(max_length=4, choices=Kind.choices)
    #: Order in the document (0-based).
    position = models.PositiveIntegerField()
    #: Display number through the document (¶ 3), headings excepted; positional, may change, unlike ``xml_id``.
    number = models.PositiveIntegerField(null=True, blank=True)
    #: Text without noise, whitespace collapsed (``reader.tei.document.unit_text``).
    text = models.TextField()
    #: ``text`` folded for search (lower case, no diacritics, same length; ``folding.fold``).
    search_text = models.TextField(blank=True)
    #: Text as collated, where it differs from ``text`` (editorial markers kept; see ``reader.tei.collate.corpus``).
    collation_text = models.TextField(blank=True)
    #: Safe HTML rendered at import time (entities, noise, foreign passages marked).
    html = models.TextField()
    #: Language of the unit (``@xml:lang`` on it or an ancestor), if not the document's.
    lang = models.CharField(max_length=20, blank=True)
    #: The editor, not the source, set this unit's boundaries (``@resp='#pipeline'``).
    inferred = models.BooleanField(default=False)
    #: A heading the editor supplied (``head/supplied``, projected from another witness): not collated.
    supplied = models.BooleanField(default=False)
    #: The unit's TEI element as loaded; export reuses it while its mentions are unchanged.
    tei = models.TextField()

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "xml_id"], name="unique_paragraph_id")]
        indexes = [models.Index(fields=["document", "position"])]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.xml_id}"

    def get_absolute_url(self) -> str:
        return reverse("texts:paragraph", args=[self.document.slug, self.xml_id])

    #: The unit's reference in its document's own citation scheme (``1.2``), once
    #: ``reader.texts.canonical.attach`` has looked it up; then it is the unit's label.
    canonical = ""

    @property
    def label(self) -> str:
        """How the unit is named in the page (``¶ 3``, ``heading``; ``1.2.1–12`` under the file's own scheme)."""
        if self.canonical:
            return self.canonical
        if self.kind == self.Kind.HEAD:
            return "heading"
        if self.number:
            return f"¶ {self.number}"
        # unnumbered (the loader's rule): a stage direction, or the front matter (title page, cast list);
        # a unit read without its HTML (a list of results) is named by its kind rather than cost a query
        if "html" in self.get_deferred_fields():
            return self.get_kind_display()
        return "stage direction" if 'class="stage stage-unit"' in self.html else "front matter"


class RetiredParagraphId(models.Model):
    """An id that once named a paragraph: its URL redirects (301) or answers 410."""

    class Change(models.TextChoices):
        DELETED = "deleted", "deleted"
        MERGED = "merged", "merged into another paragraph"
        SPLIT = "split", "split into several paragraphs"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="retired_ids")
    #: The retired id (``note/@n``).
    xml_id = models.CharField(max_length=60)
    #: Id of the paragraph that took its place (``note/@corresp``), blank if none.
    successor_id = models.CharField(max_length=60, blank=True)
    #: What happened to it.
    change = models.CharField(max_length=10, choices=Change.choices)
    #: When (``note/@when``).
    when = models.CharField(max_length=40, blank=True)
    #: What the paragraph said.
    text = models.TextField(blank=True)
    #: Order in the history list (export keeps it).
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "position"]
        constraints = [models.UniqueConstraint(fields=["document", "xml_id"], name="unique_retired_id")]

    def __str__(self) -> str:
        return f"{self.xml_id} ({self.change})"


class ParagraphRevision(models.Model):
    """An earlier text of a paragraph, as it read in an earlier corpus revision."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="earlier_texts")
    #: Id of the paragraph (current or retired) the text belonged to (``note/@target``).
    xml_id = models.CharField(max_length=60)
    #: Revision number the text belonged to (``note/@n``).
    revision = models.CharField(max_length=40)
    #: The earlier text.
    text = models.TextField()
    #: Order in the history list (export keeps it).
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "position"]
        indexes = [models.Index(fields=["document", "xml_id"])]

    def __str__(self) -> str:
        return f"{self.xml_id} @ {self.revision}"


class MentionQuerySet(models.QuerySet):
    """Named prefetches for the entity page (keyword in context)."""

    def in_context(self):
        """Mentions with their paragraph and document (for keyword in context), in reading order."""
        return self.select_related("paragraph__document", "paragraph__section").order_by(
            "paragraph__document__slug", "paragraph__position", "start"
        )


class Mention(models.Model):
    """A mention of an entity (or a date) in a paragraph, by character offsets in its text."""

    #: The register's kinds and dates (``reader.tei.vocabulary.MENTION_KIND_OF``).
    Kind = models.TextChoices("Kind", kind_choices(MENTION_KIND_OF.values()))

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="mentions")
    #: Denormalised from the paragraph, for per-document counts and filters.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    #: The register entry (None for dates and for names not yet linked).
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions")
    #: The kind its element marks (``persName`` → person …, ``date`` → date; ``vocabulary.mention_kind``).
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    #: Start offset in ``paragraph.text``.
    start = models.PositiveIntegerField()
    #: End offset (exclusive) in ``paragraph.text``.
    end = models.PositiveIntegerField()
    #: The words mentioned (``paragraph.text[start:end]``).
    surface = models.CharField(max_length=500)
    #: Who made it: ``#pipeline`` or ``#annotator-<name>``.
    resp = models.CharField(max_length=120, blank=True)
    #: Certainty of an automatic mention (``@cert``: high, medium, low, or a number).
    cert = models.CharField(max_length=20, blank=True)
    #: For dates: ``@when``, ``@from``, ``@to`` (ISO 8601).
    when = models.CharField(max_length=40, blank=True)
    date_from = models.CharField(max_length=40, blank=True)
    date_to = models.CharField(max_length=40, blank=True)
    #: ``@ref`` as written, kept when it points to no register entry.
    ref = models.CharField(max_length=200, blank=True)

    objects = MentionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["paragraph", "start", "-end"]
        indexes = [models.Index(fields=["document", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="mention_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.surface} [{self.kind}]"


class Collation(models.Model):
    """The apparatus of a work (``corpus/tei/collations/<work>.xml``)."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="collation")
    #: The collation file.
    file = models.OneToOneField(CorpusFile, on_delete=models.PROTECT, related_name="collation")
    #: Witnesses in ``listWit`` order.
    witnesses = models.ManyToManyField(Document, related_name="collations")

    def __str__(self) -> str:
        return f"collation of {self.work}"


def variant_type_choices() -> list[tuple[str, str]]:
    """``Variant.type``'s choices, from the one table of variant types (a callable, so that a new type
    needs no migration)."""
    return [(t.name, t.name) for t in VARIANT_TYPES]


class Variant(models.Model):
    """A place of variation (``app``) with its type."""

    collation = models.ForeignKey(Collation, on_delete=models.CASCADE, related_name="variants")
    #: Order in the apparatus.
    position = models.PositiveIntegerField()
    #: ``app/@type`` (or the type of its readings): a name in ``reader.tei.collate.model.VARIANT_TYPES``.
    type = models.CharField(max_length=20, choices=variant_type_choices)
    #: ``app/@xml:id`` if any.
    xml_id = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["collation", "position"]

    def __str__(self) -> str:
        return f"{self.type} #{self.position}"


class Reading(models.Model):
    """One witness's reading at a place of variation (``rdg``; empty text = omission)."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="readings")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="readings")
    #: The witness paragraph it stands in (None if the file does not say).
    paragraph = models.ForeignKey(Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="readings")
    #: The reading's words (empty for an omission).
    text = models.TextField(blank=True)
    #: ``rdg/@type`` if given.
    type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["variant", "document"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.text!r}"


class Passage(models.Model):
    """One passage found in several paragraphs: a row of a work's alignment (the same passage in
    its witnesses) or a run of words reused by documents of different works.

    Stored as a group of members, not as pairs, so that a row of a work with 80 witnesses is 80
    rows here rather than 6,320 links."""

    class Kind(models.TextChoices):
        WITNESS = "witness", "same passage in another witness"
        REUSE = "reuse", "text reuse"

    #: Why its paragraphs belong together.
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: The work whose witnesses it aligns (witness passages only).
    work = models.ForeignKey(Work, on_delete=models.CASCADE, null=True, blank=True, related_name="passages")
    paragraphs = models.ManyToManyField(Paragraph, through="PassageMember", related_name="passages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class PassageMember(models.Model):
    """A paragraph in a passage."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="members")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="passage_members")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["passage", "paragraph"], name="unique_passage_member")]

    def __str__(self) -> str:
        return f"{self.paragraph} in {self.passage}"


class StoredComparison(models.Model):
    """What the compare pages of a work show under its default settings, built at ``load``
    (``reader.texts.stored_comparisons``): a cold page reads it instead of running the collation engine.

    Each row is one part (the comparison, the columns' rows, the apparatus, the table of units) under
    one normalisation; its key is a hash of everything it was built from (the witnesses' units and
    metadata, the settings, the code that builds it), so a row whose key no longer matches is never read."""

    #: The work compared.
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="stored_comparisons")
    #: Which part under which normalisation (``whitespace/rows``).
    name = models.CharField(max_length=200)
    #: sha256 of what it was built from.
    key = models.CharField(max_length=64)
    #: The part, pickled and zlib-compressed (written and read only by ``stored_comparisons``).
    data = models.BinaryField()
    #: When it was built.
    built = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "name"], name="unique_stored_comparison")]

    def __str__(self) -> str:
        return f"{self.name} of {self.work_id}"
