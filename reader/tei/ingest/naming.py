"""Slugs: a document's file name and root ``xml:id`` from its title, given once and kept."""

from __future__ import annotations


from ..slugs import slugify
from ..vocabulary import unreserved


def new_slug(title: str, siglum: str, used: set[str]) -> str:
    """Slug of a new document: from its title; when taken, title and siglum; else ``-2``, ``-3``…

    Given once, a slug stays with its source file whatever its title becomes."""
    slug = slugify(title)
    if slug[:1].isdigit():  # a document's slug is its root's xml:id, which must begin with a letter
        slug = f"text-{slug}"
    slug = unreserved(slug)  # a text titled "Register" must not be written over register.xml
    if slug in used and siglum:
        slug = f"{slug}-{slugify(siglum)}"
    return _unique(slug, used)


def _unique(slug: str, used: set[str]) -> str:
    if slug not in used:
        return slug
    n = 2
    while f"{slug}-{n}" in used:
        n += 1
    return f"{slug}-{n}"
