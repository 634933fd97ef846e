"""Ids made from words: the one ``slugify``, with a rule for each kind of id.

Two kinds of id are made from words, and they have always been made a little differently; the
differences are kept (ids are permanent) and named here:

- :data:`TITLE`: a document's or work's slug from its title (``corpus/tei/<slug>.xml``, ``/w/<work>``):
  letters other than ASCII ones are dropped, up to 60 characters cut at a word, ``text`` if nothing
  is left;
- :data:`NAME`: the name part of a register entry's id (``per-arturs-sprogis``): Cyrillic is spelt
  in Latin letters, other letters without an ASCII form part words, up to 48 characters, ``x`` if
  nothing is left.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Russian letters in Latin ones (the register's ids of Russian names).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
    )
)


@dataclass(frozen=True)
class SlugRule:
    """How :func:`slugify` makes one kind of id."""

    #: Cyrillic letters spelt in Latin ones, the text lower-cased first (else lower-cased after folding)
    transliterate: bool
    #: other letters without an ASCII form are dropped ("Straße" → "strae"); else they part words ("stra-e")
    drop_non_ascii: bool
    #: longest slug
    limit: int
    #: a longer slug is cut at the last word boundary within the limit (else at the limit)
    whole_words: bool
    #: the slug of a text with no ASCII letter or digit
    empty: str


#: Documents and works (from a title).
TITLE = SlugRule(transliterate=False, drop_non_ascii=True, limit=60, whole_words=True, empty="text")
#: Register entries (from a name; the id is ``<kind prefix>-<slug>``).
NAME = SlugRule(transliterate=True, drop_non_ascii=False, limit=48, whole_words=False, empty="x")


def slugify(text: str, rule: SlugRule = TITLE) -> str:
    """Lower-case ASCII words joined by '-', made by ``rule``: ``Arturs Sproģis`` -> ``arturs-sprogis``."""
    if rule.transliterate:
        text = "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if rule.drop_non_ascii:
        folded = folded.encode("ascii", "ignore").decode()
    # the transliterating rule lower-cases before (its table is of small letters), the other after folding
    slug = re.sub(r"[^a-z0-9]+", "-", folded if rule.transliterate else folded.lower()).strip("-")
    if rule.whole_words:
        if len(slug) > rule.limit:
            slug = slug[: rule.limit + 1].rsplit("-", 1)[0]
    else:
        slug = slug[: rule.limit].rstrip("-")
    return slug or rule.empty
