"""Ingest: a plain text becomes a TEI P5 document (see docs/tei-conventions.md).

``build_document`` works on a :class:`~reader.tei.source.Source` and the previous TEI
version of the same source (if any); ``Ingester`` runs it over files and
writes them atomically. Further stages (entity recognition) are callables
``stage(root, previous_root)`` applied to each new tree before it is written.
By job (reading a source is :mod:`reader.tei.source`):

* :mod:`.blocks` — paragraph division: the recovered structure refined, flat texts divided by a donor;
* :mod:`.body` — the TEI body written from the blocks;
* :mod:`.history` — ids kept from the previous version, new ids, retired ids;
* :mod:`.header` — the TEI header and the revision history;
* :mod:`.build` — the whole document, then the stages;
* :mod:`.naming` — slugs;
* :mod:`.files` — many source files, in batches, written atomically (what ``manage.py ingest`` runs).
"""

from .build import Stage, build_document
from .files import Ingester, IngestResult
from .header import seed_name
from .naming import new_slug, slugify

__all__ = ["IngestResult", "Ingester", "Stage", "build_document", "new_slug", "seed_name", "slugify"]
