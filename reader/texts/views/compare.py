"""The compare view: witnesses of a work side by side, every difference marked by type."""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from reader.tei.collate.tokens import CollationOptions

from ..comparison import MINOR_TYPES, TYPE_ORDER, TYPE_SYMBOLS, Witness, WitnessUnit, build_comparison
from ..models import Document, Paragraph, Work


def _witness_data(document: Document) -> Witness:
    """A witness's units as the collation reads them (editorial markers kept, as in the apparatus)."""
    rows = document.paragraphs.exclude(supplied=True).order_by("position").values_list(
        "xml_id", "text", "collation_text", "number", "kind", "section_id"
    )
    units = [
        WitnessUnit(
            id=xml_id,
            text=collation_text or text,
            label=f"¶ {number}" if number else "heading" if kind == Paragraph.Kind.HEAD else kind,
            url=reverse("texts:paragraph", args=[document.slug, xml_id]),
            kind=kind,
            section=section_id,
        )
        for xml_id, text, collation_text, number, kind, section_id in rows
    ]
    return Witness(siglum=document.label, title=document.title, units=units)


#: Normalisations the reader can switch on in the compare view (``?ignore=case``…).
NORMALISATIONS = (("case", "letter case"), ("diacritics", "diacritics"), ("punctuation", "punctuation"))


def _collation_options(ignore: list[str]) -> CollationOptions:
    """``CollationOptions`` for the chosen normalisations."""
    return CollationOptions(**{f"ignore_{name}": True for name, _ in NORMALISATIONS if name in ignore})


def _comparison(work: Work, documents: list[Document], ignore: list[str]):
    """Build (or fetch from the cache) the comparison of these witnesses."""
    key = "compare:" + hashlib.sha256(
        ("|".join(f"{d.slug}:{d.file.sha256}" for d in documents) + "|" + ",".join(ignore)).encode()
    ).hexdigest()
    comparison = cache.get(key)
    if comparison is None:
        comparison = build_comparison([_witness_data(d) for d in documents], _collation_options(ignore))
        cache.set(key, comparison, 3600)
    return comparison


@require_safe
def compare(request, work):
    """Witnesses of a work side by side, every difference marked by type."""
    work = get_object_or_404(Work, slug=work)
    available = list(work.witnesses.select_related("file").order_by("slug"))
    if not available:
        raise Http404("This work has no witnesses")
    wanted = request.GET.getlist("w")
    by_slug = {d.slug: d for d in available}
    unknown = [w for w in wanted if w not in by_slug]
    if unknown:
        raise Http404(f"Not a witness of {work.title}: {', '.join(unknown)}")
    chosen = [by_slug[w] for w in dict.fromkeys(wanted)] or available
    ignore = sorted(set(request.GET.getlist("ignore")) & {name for name, _ in NORMALISATIONS})
    comparison = _comparison(work, chosen, ignore) if len(chosen) >= 2 else None
    return render(
        request,
        "texts/compare.html",
        {
            "work": work,
            "available": available,
            "chosen": chosen,
            "comparison": comparison,
            "type_symbols": TYPE_SYMBOLS,
            "type_order": TYPE_ORDER,
            "minor_types": MINOR_TYPES,
            "normalisations": NORMALISATIONS,
            "ignore": ignore,
        },
    )
