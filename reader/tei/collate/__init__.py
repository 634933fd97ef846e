"""Collation of witnesses: word alignment, typed differences, TEI apparatus, works.

No Django here. Entry points:

- :func:`collate` ``(witnesses, options=None) -> Collation`` where
  ``witnesses`` is ``[(siglum, [Unit, ...]), ...]`` (``Unit`` from
  :mod:`reader.tei.document`; anything with ``.id`` and ``.text`` works) and
  ``options`` a :class:`CollationOptions`. The first witness is the base:
  "omission" and "addition" are said of the other witnesses relative to it.
- :func:`reader.tei.collate.apparatus.write_apparatus` ``(collation, ...) -> lxml root``
  (TEI parallel segmentation).
- :func:`reader.tei.collate.works.find_works` / ``find_reuse`` (MinHash).
- :func:`reader.tei.collate.corpus.witness_units` (units of a TEI file with
  editorial markers kept as "[citation needed]" so they can be collated).

Shape of a :class:`Collation`::

    Collation
      .sigla    ("000", "001", ...)             first = base
      .options  CollationOptions(ignore_case=False, ignore_diacritics=False,
                                 ignore_punctuation=False, ignore_whitespace=True,
                                 ignore_editorial=False, regularisations=(),
                                 ignore_regularised=False)
      .notes    ["witness X has no text", ...]
      .groups   [AlignedGroup, ...]             paragraph-level alignment, in order
        .units    {siglum: ("p3", "p4"), ...}   units side by side (() = nothing here)
        .segments [Agreement | Variant, ...]    word-level, in text order
          Agreement.text                        shared text (base's wording)
          Agreement.spans  (Span(siglum, unit, start, end), ...)
          Variant.n, .type, .subtype, .partner  (partner: n of the other end of a move)
          Variant.readings (Reading, ...)       first reading = the base's
            Reading.witnesses ("001",)   .text ('' = omitted)
            Reading.type / .subtype      difference from the base reading (None for the base)
            Reading.spans                where it stands (char offsets in the unit text collated:
                                         for TEI read with corpus.witness_units, unit_text
                                         with "[citation needed]" markers spliced in)
            Reading.units                {siglum: (unit ids)}
      .variants()  iterator over all Variants;   .counts()  {type: n}

Types (``reader.tei.collate.model.VARIANT_TYPES``, the one table): substantive, transposition,
omission, addition, orthographic, punctuation, editorial; see
:mod:`reader.tei.collate.classify` for what each means. Segment texts keep
their trailing whitespace, so concatenating a witness's agreements and
readings gives back its text.

How it aligns: every witness is aligned to the base over its whole text
(:mod:`reader.tei.collate.align`: unique/equal-count k-gram anchors, exact
diff in small gaps, near-linear; one or two short or common words shared
between two rewordings are no anchor). Where the witnesses' departures
overlap, the witnesses are aligned with each other inside that site
(:mod:`reader.tei.collate.multiple`: progressive, closest to the base first,
equal words then near spellings), and the site is cut where they agree again;
touching places join as one revision only where the witnesses group alike. Paragraph groups are then cut wherever any
witness starts a new unit, except inside a variant: so a flat witness lines
up with a structured one paragraph by paragraph, and a section only one
witness has is one omission/addition, not a cascade.
"""

from .engine import collate
from .model import AlignedGroup, Agreement, Collation, CollationError, Reading, Span, Variant, TYPES, VARIANT_TYPES
from .regularisation import load_regularisations, parse_regularisations
from .tokens import CollationOptions

__all__ = [
    "collate",
    "CollationOptions",
    "Collation",
    "CollationError",
    "AlignedGroup",
    "Agreement",
    "Variant",
    "Reading",
    "Span",
    "TYPES",
    "VARIANT_TYPES",
    "load_regularisations",
    "parse_regularisations",
]
