"""The result of a collation, as plain data (see the package docstring)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from .tokens import CollationOptions

#: Types of difference, most significant first (an app takes the first type any reading has).
TYPES = ("substantive", "transposition", "omission", "addition", "orthographic", "punctuation", "editorial")


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
