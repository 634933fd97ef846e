"""How the witnesses of a work relate: their pairwise agreement over the units of the work's
apparatus, ordered so that groups show, a tree drawn from it (inline SVG, built here), and the
apparatus in the formats of stemmatologists' tools (written by teiphy).

Both read the apparatus file as loaded (``corpus/tei/collations/<work>.xml``) through
:mod:`reader.tei.collate.relations`; query parameters:

- ``type`` (repeated): count only units of these types (default: all);
- ``extant``: leave out witnesses that read fewer than this percentage of the units (fragments), 0–100.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from lxml import etree

from reader.tei.collate.apparatus import write_apparatus
from reader.params import BadParameter, answers_bad_parameters, whole_number
from reader.tei.collate.relations import (
    FORMATS,
    ApparatusError,
    dendrogram,
    export,
    newick,
    percent,
    read_apparatus,
    relations,
    select,
)

from reader.tei.xml import parse_bytes, serialize

from reader.exports.registry import NEWICK

from ..comparison import TYPE_ORDER, collate_witnesses
from ..exporter import CorpusExporter
from ..models import Work
from .compare import _witnesses_data

CACHE_SECONDS = 3600
#: Width of the drawn tree and height of one witness's row, in SVG units.
TREE_WIDTH, TREE_ROW = 480, 24


class BadChoice(BadParameter):
    """A parameter outside its allowed values (answered 400 with this message)."""

    def __init__(self, name: str, value: str, allowed: str):
        ValueError.__init__(self, f"The parameter {name!r} must be {allowed}; {value[:40]!r} is not.")
        self.name, self.value = name, value


class Source:
    """Where a work's apparatus comes from: its file (``corpus/tei/collations/<work>.xml``), or, for a
    work not collated yet, the collation engine run on its witnesses as loaded (as the compare page does)."""

    def __init__(self, slug: str):
        work = get_object_or_404(Work.objects.select_related("collation__file"), slug=slug)
        self.work = work
        self.file = work.collation.file if hasattr(work, "collation") else None
        if self.file is not None:
            self.documents = list(work.collation.witnesses.all())
            self.key = self.file.sha256
        else:
            self.documents = list(
                work.witnesses.select_related("file").defer("tei_header", "front_html").in_witness_order()
            )
            if len(self.documents) < 2:
                raise Http404(f"{work.title} has fewer than two witnesses: there is nothing to relate.")
            files = "|".join(f"{d.slug}:{d.file.sha256}" for d in self.documents)
            self.key = "engine:" + hashlib.sha256(files.encode()).hexdigest()

    def root(self) -> etree._Element:
        if self.file is not None:
            return CorpusExporter(".").file_tree(self.file)
        key = f"relations:tei:{self.key}"
        data = cache.get(key)
        if data is None:
            collation = collate_witnesses(_witnesses_data(self.documents))
            titles = {d.label: d.title for d in self.documents}
            data = serialize(write_apparatus(collation, work=self.work.slug, titles=titles))
            cache.set(key, data, CACHE_SECONDS)
        return parse_bytes(data, f"collation of {self.work.slug}")

    def apparatus(self):
        """The parsed apparatus, cached by the file's hash (or the witnesses' files')."""
        key = f"relations:apparatus:{self.key}"
        apparatus = cache.get(key)
        if apparatus is None:
            apparatus = read_apparatus(self.root())
            cache.set(key, apparatus, CACHE_SECONDS)
        return apparatus


def _choice(request, apparatus) -> tuple[list[str], int]:
    """The unit types and the extant threshold asked for (a bad value is a 400 naming the parameter)."""
    present = [t for t in TYPE_ORDER if any(u.type == t for u in apparatus.units)]
    present += sorted({u.type for u in apparatus.units} - set(present))
    types = request.GET.getlist("type")
    unknown = [t for t in types if t not in present]
    if unknown:
        raise BadChoice("type", unknown[0], f"a type of unit of this apparatus ({', '.join(present)})")
    extant = whole_number(request.GET.get("extant"), "extant", 0)
    if extant > 100:
        raise BadChoice("extant", request.GET["extant"], "a whole percentage from 0 to 100")
    return [t for t in present if t in types], extant


def answers_unreadable(view):
    """A view whose apparatus cannot be read (or written by teiphy) answers 422 saying why, not 500."""

    @functools.wraps(view)
    def wrapped(request, work, *args, **kwargs):
        try:
            return view(request, work, *args, **kwargs)
        except ApparatusError as exc:
            return HttpResponse(
                f"The apparatus of {work} cannot be used here: {exc}",
                status=422,
                content_type="text/plain; charset=utf-8",
            )

    return wrapped


@require_safe
@answers_bad_parameters
@answers_unreadable
def compare_relations(request, work):
    """The table of pairwise agreement, ordered by the clustering, and the tree drawn from it."""
    source = Source(work)
    work, apparatus = source.work, source.apparatus()
    types, extant = _choice(request, apparatus)
    selected = select(apparatus, types or None, extant)
    rel = relations(selected)
    documents = _documents(source.documents)
    witnesses = [
        {
            "witness": w,
            "document": documents.get(Path(w.target).stem) or documents.get(w.siglum),
            "reads": rel.extant[k, k],
        }
        for k, w in ((k, rel.witnesses[k]) for k in rel.order)
    ]
    query = request.GET.urlencode()
    context = {
        "work": work,
        "from_file": source.file is not None,
        "rel": rel,
        "witnesses": witnesses,
        "rows": _rows(rel),
        "drawing": _drawing(rel),
        "types": types,
        "type_counts": _type_counts(apparatus),
        "extant": extant,
        "left_out": [w.siglum for w in apparatus.witnesses if w not in selected.witnesses],
        "query": query,  # carried to the downloads (the registry's "relations" group of the work)
    }
    return render(request, "texts/compare_relations.html", context)


@require_safe
@answers_bad_parameters
@answers_unreadable
def relations_download(request, work, ext):
    """The apparatus, as counted on the relations page, in a format of teiphy (or our tree in Newick);
    the export registry routes only its extensions here."""
    source = Source(work)
    work, apparatus = source.work, source.apparatus()
    types, extant = _choice(request, apparatus)
    if ext == "nwk":  # our tree, not a teiphy format
        response = HttpResponse(newick(relations(select(apparatus, types or None, extant))), content_type=NEWICK)
        response["Content-Disposition"] = f'attachment; filename="{work.slug}-witnesses.nwk"'
        return response
    key = f"relations:{ext}:{source.key}:{','.join(types)}:{extant}"
    data = cache.get(key)
    if data is None:  # teiphy takes a second or so on six editions of a chapter
        data = export(source.root(), ext, select(apparatus, types or None, extant), stem=f"{work.slug}-witnesses")
        cache.set(key, data, CACHE_SECONDS)
    response = HttpResponse(data, content_type=FORMATS[ext][2])
    response["Content-Disposition"] = f'attachment; filename="{work.slug}-witnesses.{ext}"'
    return response


def _documents(witnesses) -> dict:
    """The work's witnesses by slug and by siglum (to link each witness of the apparatus to its page)."""
    documents = {}
    for d in witnesses:
        documents[d.label] = documents[d.slug] = d
    return documents


def _type_counts(apparatus) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for unit in apparatus.units:
        counts[unit.type] = counts.get(unit.type, 0) + 1
    return sorted(
        counts.items(), key=lambda item: (TYPE_ORDER.index(item[0]) if item[0] in TYPE_ORDER else 99, item[0])
    )


def _rows(rel) -> list[dict]:
    """The table in the clustering's order: each cell its share, counts and shade (0–10 from the lowest to the highest share)."""
    shares = [rel.share(i, j) for i in rel.order for j in rel.order if i != j and rel.share(i, j) is not None]
    low, high = (min(shares), max(shares)) if shares else (0.0, 1.0)
    rows = []
    for i in rel.order:
        cells = []
        for j in rel.order:
            share = rel.share(i, j)
            cell = {"siglum": rel.sigla[j], "same": i == j, "agree": rel.agree[i, j], "extant": rel.extant[i, j]}
            if share is not None and i != j:
                cell["percent"] = percent(rel.agree[i, j], rel.extant[i, j])
                cell["shade"] = round(10 * (share - low) / (high - low)) if high > low else 10
            cells.append(cell)
        rows.append({"siglum": rel.sigla[i], "cells": cells})
    return rows


def _drawing(rel):
    drawing = dendrogram(rel, plot_width=TREE_WIDTH, row=TREE_ROW)
    if drawing is None:
        return None
    return {
        "width": round(drawing.width),
        "height": round(drawing.height),
        "lines": [tuple(round(v, 1) for v in line) for line in drawing.lines],
        "leaves": [(round(x, 1), round(y + 4, 1), rel.sigla[k]) for x, y, k in drawing.leaves],
        "ticks": [(round(x, 1), label) for x, label in drawing.ticks],
        "axis_y": round(drawing.axis_y, 1),
        "tick_y": round(drawing.axis_y + 16, 1),
        "tick_end": round(drawing.axis_y + 4, 1),
        "axis_left": round(min(x for x, _ in drawing.ticks), 1),
        "axis_right": round(max(x for x, _ in drawing.ticks), 1),
    }
