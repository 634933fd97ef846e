"""The result of a collation, as plain data (see the package docstring)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from .tokens import CollationOptions


@dataclass(frozen=True, slots=True)
class VariantType:
    """One type of difference between a reading and the base's (``app/@type``, ``rdg/@type``).

    The one place variant types are defined: the engine, the classifier, the apparatus files'
    taxonomy, the importer of foreign apparatus, the compare pages (symbols, order, "hide minor")
    and the models' choices all read :data:`VARIANT_TYPES`; tests check that the stylesheet
    (``.var-<name>``) and the docs name every type. docs/adding-a-variant-type.md says what else
    a new type needs.
    """

    #: ``app/@type``, ``rdg/@type``; the CSS class is ``var-<name>``, the taxonomy's category ``variant-<name>``
    name: str
    #: shown before a marked reading and in the type filters of the compare pages
    symbol: str
    #: writes the base's words differently (spelling, punctuation, markers): hidden by "hide minor"
    minor: bool
    #: the taxonomy's ``catDesc`` in every apparatus file (after "<name>: ")
    definition: str
    #: place of a minor type's reading right after the base's (see ``apparatus.TRIVIAL_TYPES``); 0 if not minor
    trivial_rank: int = 0


#: Types of difference, most significant first (an app takes the first type any reading has).
VARIANT_TYPES = (
    VariantType(
        "substantive",
        "≠",
        False,
        "Other words: a different reading. Includes a different grammatical form of the same word "
        "(subtype 'inflection': same stem, different ending).",
    ),
    VariantType(
        "transposition",
        "⇄",
        False,
        "The same words in another order, or (subtype 'moved') a passage omitted in one place and "
        "added in another; the two apps point to each other with @corresp.",
    ),
    VariantType(
        "omission",
        "∅",
        False,
        "The witness lacks words the base (first witness) has. Subtype 'heading': whole headings only.",
    ),
    VariantType(
        "addition",
        "+",
        False,
        "The witness has words the base (first witness) lacks. Subtype 'heading': whole headings only.",
    ),
    VariantType(
        "orthographic",
        "~",
        True,
        "The same words written differently: subtype 'case', 'diacritics', 'case-diacritics', "
        "'letterform' (ς ϲ / σ, u / v, i / j), 'abbreviation' (a suspension stroke for its letter: εϲτι¯ / "
        "ἐστιν), 'word-division' (the same letters parted into other words), "
        "'near-match' (a spelling that differs by a letter or two), 'regularised' (forms the editor's "
        "regularisation list makes one word), or 'whitespace' (spacing).",
        trivial_rank=2,
    ),
    VariantType(
        "punctuation",
        "·",
        True,
        "The same words; only punctuation marks differ (typographic variants of one mark, such as "
        '« » and " ", are aligned with each other but still reported).',
        trivial_rank=1,
    ),
    VariantType(
        "editorial",
        "†",
        True,
        "Only editorial markers differ, such as a maintenance tag '[citation needed]' or a footnote call.",
        trivial_rank=3,
    ),
)
#: The types' names, most significant first.
TYPES = tuple(t.name for t in VARIANT_TYPES)
#: Types that only write the base's words differently (the compare pages' "minor" differences).
MINOR_TYPES = frozenset(t.name for t in VARIANT_TYPES if t.minor)
#: Types that change the words (the engine's word-level types).
WORD_LEVEL_TYPES = tuple(t.name for t in VARIANT_TYPES if not t.minor)
#: name → symbol
TYPE_SYMBOLS = {t.name: t.symbol for t in VARIANT_TYPES}
#: name → definition (the apparatus files' taxonomy), in the table's order
TYPE_DEFINITIONS = {t.name: t.definition for t in VARIANT_TYPES}


def types_table_markdown() -> str:
    """The table of variant types as docs/collation.md shows it ("## Types"; a test checks they agree).

    Print it after changing :data:`VARIANT_TYPES` (docs/adding-a-variant-type.md says how)."""
    rows = ["| type | symbol | minor | definition |", "|---|---|---|---|"]
    rows += [f"| `{t.name}` | {t.symbol} | {'yes' if t.minor else 'no'} | {t.definition} |" for t in VARIANT_TYPES]
    return "\n".join(rows) + "\n"


class CollationError(ValueError):
    """Input that cannot be collated; the message names the witness and the problem."""


class Span(NamedTuple):
    """Where a segment stands in one witness: characters ``start:end`` of unit ``unit``'s text."""

    siglum: str
    unit: str
    start: int
    end: int


@dataclass(slots=True)
class Agreement:
    """Text all witnesses share (under the chosen normalisation); ``text`` is the first witness's."""

    text: str
    spans: tuple[Span, ...]
    #: witnesses that read nothing here: the text is in a lacuna they mark (they have no span)
    lacunose: tuple[str, ...] = ()

    is_variant = False


@dataclass(slots=True)
class Reading:
    """One reading of a variant, shared by ``witnesses``; ``text`` is '' when they omit the passage.

    ``type`` is the kind of difference from the first witness's reading
    (None for the reading of the first witness itself).
    """

    witnesses: tuple[str, ...]
    text: str
    type: str | None
    subtype: str | None
    spans: tuple[Span, ...]

    @property
    def units(self) -> dict[str, tuple[str, ...]]:
        """Unit ids per siglum this reading stands in (for an omission: where the gap is)."""
        out: dict[str, list[str]] = {}
        for span in self.spans:
            ids = out.setdefault(span.siglum, [])
            if span.unit not in ids:
                ids.append(span.unit)
        return {siglum: tuple(ids) for siglum, ids in out.items()}


@dataclass(slots=True)
class Variant:
    """A place where the witnesses differ (TEI ``app``), numbered ``n`` in text order."""

    n: int
    type: str
    subtype: str | None
    readings: tuple[Reading, ...]
    #: for a transposition: ``n`` of the variant holding the other end of the move
    partner: int | None = None
    #: finer differences inside one revision (case, a word, a quotation mark), each a Variant
    #: with ``n == 0``, in text order; empty when the app is not made of several
    parts: tuple["Variant", ...] = ()

    is_variant = True

    def reading_of(self, siglum: str) -> Reading | None:
        return next((r for r in self.readings if siglum in r.witnesses), None)


Segment = Agreement | Variant


@dataclass(slots=True)
class AlignedGroup:
    """Units of each witness that stand side by side, with their segments in text order.

    ``units[siglum]`` is a tuple of unit ids (empty if the witness has nothing
    here). A unit can appear in two neighbouring groups when another witness
    breaks it into paragraphs (a flat witness against a structured one).
    """

    units: dict[str, tuple[str, ...]]
    segments: list[Segment]


@dataclass(slots=True)
class Collation:
    """Aligned groups of a collation of ``sigla`` (first = base, to which omission/addition refer)."""

    sigla: tuple[str, ...]
    options: CollationOptions
    groups: list[AlignedGroup] = field(default_factory=list)
    #: facts about the input worth telling the reader (an empty witness, no shared text)
    notes: list[str] = field(default_factory=list)

    def variants(self) -> Iterator[Variant]:
        for group in self.groups:
            for segment in group.segments:
                if segment.is_variant:
                    yield segment

    def counts(self) -> dict[str, int]:
        counted = Counter(v.type for v in self.variants())
        return {t: counted[t] for t in TYPES if counted[t]}
