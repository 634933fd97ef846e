"""How many places of variation a work has, said the same way on every page that says it.

The corpus home and the compare page once gave two numbers for one work (723 and 742) because the
apparatus is made with spacing normalised away and the compare page, by default, normalises nothing.
Both now state the count with the settings it was made under, from :class:`VariationCount`; the
figure of record is the apparatus's (``Work.variant_count``, stored by ``load``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.tei.collate.tokens import CollationOptions

#: Normalisations the reader can switch on (``?ignore=case``…), with what the page calls them.
NORMALISATIONS = (
    ("case", "letter case"),
    ("diacritics", "diacritics"),
    ("punctuation", "punctuation"),
    ("whitespace", "spacing (whitespace)"),
    ("editorial", "editorial markers ([citation needed], footnote calls)"),
)
#: What the apparatus files normalise away (the engine's defaults, which ``collate`` uses unless told otherwise).
APPARATUS_IGNORE = [name for name, _ in NORMALISATIONS if getattr(CollationOptions(), f"ignore_{name}")]


@dataclass(frozen=True)
class VariationCount:
    """A number of places of variation, among how many witnesses, with which normalisations."""

    count: int
    witnesses: int
    ignore: tuple[str, ...]
    all_witnesses: bool = True

    def __str__(self) -> str:
        places = f"{self.count} place{'' if self.count == 1 else 's'} of variation"
        among = (
            f"among {'all ' if self.all_witnesses else ''}{self.witnesses} witness{'' if self.witnesses == 1 else 'es'}"
        )
        labels = [label for name, label in NORMALISATIONS if name in self.ignore]
        listed = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)
        normalised = f"with {listed} normalised away" if labels else "with nothing normalised away"
        return f"{places} {among}, {normalised}"


def apparatus_variation(work, witnesses: int) -> VariationCount | None:
    """The work's count as its apparatus has it (all witnesses, the apparatus's normalisation), if known."""
    if work.variant_count is None:
        return None
    return VariationCount(work.variant_count, witnesses, tuple(APPARATUS_IGNORE))
