"""The registry: every export of the site, in the order the pages list them.

A new export is one entry here and its view (see ``docs/adding-an-export.md``); URLs, links and the
OpenAPI description follow from the entry.
"""

from __future__ import annotations

from reader.tei.collate.relations import FORMATS as TEIPHY_FORMATS
from reader.texts import citations

from .record import Export

TEI = "application/tei+xml; charset=utf-8"
CSV = "text/csv; charset=utf-8; header=present"
BINARY = {"type": "string", "contentEncoding": "binary"}
_PAGE = ("page", "Page of a paginated answer, from 1.", False)

#: The stemmatology files of the relations page, in its order: extension, what it is for.
RELATIONS = (
    ("nexus", "NEXUS: characters and states for PAUP*, MrBayes, SplitsTree, IQ-TREE"),
    ("tnt", "Hennig86: for TNT"),
    ("phy", "PHYLIP sequences: for PHYLIP, RAxML"),
    ("fasta", "FASTA sequences"),
    ("distances.phy", "PHYLIP distance matrix (1 − share of agreement): for neighbour-joining (PHYLIP neighbor)"),
    ("distances.csv", "distance matrix as CSV"),
    ("csv", "readings table (witnesses × readings) as CSV"),
    ("tsv", "readings table as TSV"),
    ("xlsx", "readings table as Excel"),
    ("beast.xml", "BEAST 2 XML"),
    ("stemma.zip", "input of STEMMA (the prep file, and the witnesses' dates if they have some)"),
    ("nwk", "the tree above in Newick (UPGMA branch lengths): for FigTree, iTOL, Dendroscope"),
)
#: Newick is ours (the relations page's tree), not one of teiphy's formats.
NEWICK = "text/plain; charset=utf-8"
_RELATIONS_PARAMETERS = (
    ("type", "Count only units of this type (repeatable; default: all).", False),
    ("extant", "Leave out witnesses that read fewer than this percentage of the units, 0–100.", False),
)
_SEARCH_PARAMETERS = (
    ("q", 'What to search for (words, "a phrase", -left-out).', True),
    ("work", "Only in this work (slug).", False),
    ("doc", "Only in this document (slug).", False),
    ("section", "Only in sections with this heading.", False),
    ("entity", "Only paragraphs that mention this register entry (id).", False),
    ("type", "Only paragraphs that mention an entity of this kind.", False),
    ("from", "Only witnesses dated this year or later.", False),
    ("to", "Only witnesses dated this year or earlier.", False),
)


def _label(writer) -> str:
    return next(label for _, label, function in citations.FORMATS if function is writer)


def _citations(scope: str, route: str, url_name: str, build: str, what: str) -> list[Export]:
    return [
        Export(
            name=f"{scope}-citation-{ext}",
            scope=scope,
            label=_label(writer),
            media_type=media_type,
            extension=ext,
            route=route,
            url_name=url_name,
            build=build,
            summary=f"The citation of {what} as {_label(writer)}.",
            group="cite",
        )
        for ext, (writer, media_type) in citations.DOWNLOADS.items()
    ]


EXPORTS: tuple[Export, ...] = (
    # the corpus
    Export(
        name="register-tei",
        scope="corpus",
        label="register as TEI",
        media_type=TEI,
        extension="xml",
        route="register.xml",
        url_name="texts:register-tei",
        build="reader.texts.views.downloads.register_tei",
        summary="The entity register as TEI (listPerson, listPlace, listOrg), with annotators' changes.",
        cached=True,
        disposition="inline",
    ),
    Export(
        name="register-csv",
        scope="corpus",
        label="as CSV",
        media_type=CSV,
        extension="csv",
        route="api/register.csv",
        url_name="api:register-csv",
        build="reader.api.exports.register_csv",
        summary="The entity register as CSV (UTF-8, header row).",
        cached=True,
    ),
    # a work
    Export(
        name="work-zip",
        scope="work",
        label="all TEI files of this work (ZIP)",
        media_type="application/zip",
        extension="zip",
        route="api/works/<str:work>.zip",
        url_name="api:work-zip",
        build="reader.api.exports.work_zip",
        summary="A work's TEI files (witnesses, collation, register) as the exporter writes them now.",
        cached=True,
        schema=BINARY,
    ),
    Export(
        name="collation-tei",
        scope="work",
        label="the apparatus (TEI)",
        media_type=TEI,
        extension="xml",
        route="compare/<str:work>.xml",
        url_name="texts:collation-tei",
        build="reader.texts.views.downloads.collation_tei",
        summary="A work's collation (parallel-segmentation apparatus) as TEI.",
        cached=True,
        disposition="inline",
    ),
    *(
        Export(
            name=f"relations-{ext.replace('.', '-')}",
            scope="work",
            label=label,
            media_type=NEWICK if ext == "nwk" else TEIPHY_FORMATS[ext][2],
            extension=ext,
            route="compare/<str:work>/relations.<str:ext>",
            url_name="texts:relations-download",
            build="reader.texts.views.relations.relations_download",
            summary=f"The work's apparatus for stemmatology: {label}.",
            group="relations",
            parameters=_RELATIONS_PARAMETERS,
            schema=BINARY if ext.endswith(("zip", "xlsx")) else None,
        )
        for ext, label in RELATIONS
    ),
    # a document
    Export(
        name="document-tei",
        scope="document",
        label="TEI",
        media_type=TEI,
        extension="xml",
        route="texts/<str:doc>.xml",
        url_name="texts:document-tei",
        build="reader.texts.views.downloads.document_tei",
        summary="The document's TEI as the exporter writes it (with annotators' changes).",
        cached=True,
        disposition="inline",
    ),
    Export(
        name="document-text",
        scope="document",
        label="plain text",
        media_type="text/plain; charset=utf-8",
        extension="txt",
        route="texts/<str:doc>.txt",
        url_name="texts:document-text",
        build="reader.texts.views.downloads.document_text",
        summary="The document as plain text: one unit per paragraph, notes and page furniture left out.",
        disposition="inline",
    ),
    Export(
        name="document-pdf",
        scope="document",
        label="PDF",
        media_type="application/pdf",
        extension="pdf",
        route="texts/<str:doc>.pdf",
        url_name="texts:document-pdf",
        build="reader.texts.views.reading.document_pdf",
        summary="The reading edition as PDF, each paragraph's apparatus as a footnote.",
        cached=True,
        disposition="inline",
        schema=BINARY,
    ),
    Export(
        name="document-annotations",
        scope="document",
        label="mentions as Web Annotation",
        media_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        extension="jsonld",
        route="api/texts/<str:doc>/annotations.jsonld",
        url_name="api:annotations",
        build="reader.api.exports.annotations",
        summary="The document's entity mentions and dates as a W3C Web Annotation AnnotationCollection "
        "(TextPositionSelector counts Unicode code points in the unit's text: notes, gaps and fw left out, "
        "whitespace collapsed; the target source is the unit's permalink).",
        disposition="inline",
        parameters=(_PAGE,),
        schema={"$ref": "#/components/schemas/AnnotationContainer"},
    ),
    Export(
        name="document-mentions-csv",
        scope="document",
        label="mentions as CSV",
        media_type=CSV,
        extension="csv",
        route="api/texts/<str:doc>/mentions.csv",
        url_name="api:mentions-csv",
        build="reader.api.exports.mentions_csv",
        summary="The document's mentions as CSV (UTF-8, header row).",
    ),
    *_citations(
        "document",
        "texts/<str:doc>/cite.<str:ext>",
        "texts:document-cite",
        "reader.texts.views.reading.document_citation",
        "the document",
    ),
    # one unit of a document
    *_citations(
        "unit",
        "texts/<str:doc>/<str:pid>/cite.<str:ext>",
        "texts:paragraph-cite",
        "reader.texts.views.reading.paragraph_citation",
        "one unit (a retired id redirects to its successor's)",
    ),
    # a search: the search page's own URL with ?format=
    *(
        Export(
            name=f"search-{ext}",
            scope="search",
            label=ext.upper(),
            media_type=media_type,
            extension=ext,
            route="search/",
            url_name="texts:search",
            build="reader.texts.views.search.search",
            summary="Every hit of a search (the search page's filters apply), streamed.",
            query={"format": ext},
            parameters=_SEARCH_PARAMETERS,
            page_route=True,
        )
        for ext, media_type in (("csv", "text/csv; charset=utf-8"), ("json", "application/json"))
    ),
)
