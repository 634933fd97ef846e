"""Text folded for search: case and diacritics ignored ("Sprogis" finds "Sproģis").

The fold keeps one character for one character, so an offset found in the
folded text is the same offset in the original (for keyword in context).
"""

from __future__ import annotations

from functools import lru_cache

from reader.tei.collate.tokens import strip_diacritics


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = strip_diacritics(char).casefold()
    return base if len(base) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lower-cased text without diacritics, exactly as long as ``text``."""
    return "".join(_fold_char(c) for c in text)
