"""Reader pages, one module per kind of page: ``reading`` (home, document, paragraph),
``downloads``, ``compare``, ``entities``, ``search``.

Every page runs a fixed number of queries whatever the document's length
(paragraph HTML is rendered at import time; tests check the counts).
"""

from .compare import compare, compare_apparatus, compare_density, compare_units
from .downloads import collation_tei, document_tei, document_text, register_tei
from .entities import entity, entity_index, kwic
from .reading import document, document_citation, document_pdf, home, paragraph, paragraph_citation
from .search import search

__all__ = [
    "home",
    "document",
    "paragraph",
    "document_tei",
    "document_text",
    "document_pdf",
    "register_tei",
    "collation_tei",
    "compare",
    "compare_apparatus",
    "compare_units",
    "compare_density",
    "entity_index",
    "entity",
    "kwic",
    "search",
    "document_citation",
    "paragraph_citation",
]
