"""Units named by their document's own citation scheme (``refsDecl``/``cRefPattern``, kept by importtei):
the label a classicist cites ("1.2" for a poem, "1.2.1–12" for its lines) instead of "¶ 3", wherever a
unit is named (reading view, permalink page, search results, citations)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Count

from .models import Document, Paragraph

#: A verse line's anchor in a unit's reading HTML (written by the rendering of ``l/@n`` under a scheme).
_LINE_ANCHOR = re.compile(r'id="l-([^"]+)"')


def line_span(first: str, last: str) -> str:
    """``1.2.1``, ``1.2.12`` → ``1.2.1–12`` (the shared levels written once); one line → itself."""
    if first == last:
        return first
    a, b = first.split("."), last.split(".")
    shared = 0
    while shared < min(len(a), len(b)) - 1 and a[shared] == b[shared]:
        shared += 1
    return f"{first}–{'.'.join(b[shared:])}"


def _index(document: Document):
    from reader.api.views import canonical_citation_index  # DTS resolves references: one resolution

    return canonical_citation_index(document)


def attach(document: Document, units: Iterable[Paragraph]) -> None:
    """Give each unit of ``document`` its reference in the document's own scheme (``unit.canonical``,
    which ``Paragraph.label`` shows); nothing when the document has no scheme. One index, two queries."""
    units = [u for u in units if u.kind != Paragraph.Kind.HEAD]
    if not units or "refsDecl" not in document.tei_header:
        return
    index = _index(document)
    if index is None:
        return
    refs = {u.xml_id: u.identifier for u in index.units if u.xml_id}
    alone = _sections_with_one_unit(document, {u.section_id for u in units if u.section_id})
    rest = []
    for unit in units:
        unit.canonical = refs.get(unit.xml_id) or (refs.get(alone[unit.section_id]) if unit.section_id in alone else "")
        if not unit.canonical:
            rest.append(unit)
    for unit, html in _html(rest):  # a run of verse lines that is no citable unit of its own
        lines = _LINE_ANCHOR.findall(html)
        unit.canonical = line_span(lines[0], lines[-1]) if lines else ""


def _html(units: list[Paragraph]):
    """(unit, its reading HTML), loading in one query the HTML a page's query left out."""
    deferred = [u for u in units if "html" in u.get_deferred_fields()]
    loaded = (
        dict(Paragraph.objects.filter(pk__in=[u.pk for u in deferred]).values_list("pk", "html")) if deferred else {}
    )
    return [(u, loaded.get(u.pk, "") if u in deferred else (u.html or "")) for u in units]


def _sections_with_one_unit(document: Document, section_ids: set[int]) -> dict[int, str]:
    """Section pk → its xml:id, for the sections among ``section_ids`` that hold a single non-heading unit
    (a poem that is one unit is cited by the poem's reference)."""
    if not section_ids:
        return {}
    single = (
        document.paragraphs.filter(section_id__in=section_ids)
        .exclude(kind=Paragraph.Kind.HEAD)
        .values("section_id")
        .annotate(n=Count("id"))
        .filter(n=1)
        .values_list("section_id", flat=True)
    )
    return dict(document.sections.filter(pk__in=list(single)).values_list("pk", "xml_id"))


def attach_all(units: Iterable[Paragraph]) -> None:
    """:func:`attach` for units of several documents (a page of search results)."""
    by_document: dict[int, tuple[Document, list[Paragraph]]] = {}
    for unit in units:
        by_document.setdefault(unit.document_id, (unit.document, []))[1].append(unit)
    for document, members in by_document.values():
        attach(document, members)
