"""Text folded for search: case and diacritics ignored ("Sprogis" finds "Sproģis").

The fold keeps one character for one character, so an offset found in the
folded text is the same offset in the original (for keyword in context). It is
``reader.tei.folding.fold_for_search``, the one home of folds; this name stays
for the loader, the search and migration 0005.
"""

from __future__ import annotations

from reader.tei.folding import fold_for_search as fold

__all__ = ["fold"]
