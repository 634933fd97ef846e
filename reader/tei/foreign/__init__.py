"""Importing TEI made with other projects' tools (``manage.py importtei``); see docs/foreign-tei.md.

Plain Python + lxml: :mod:`.reading` (safe parsing: DOCTYPE, entities,
namespace), :mod:`.convert` (body), :mod:`.registers` (entities and the
corpus register), :mod:`.apparatus` (witnesses, readings, collation file),
:mod:`.importer` (the run: originals kept, files written atomically).
"""

from .importer import ForeignImporter
from .reading import MAX_FOREIGN_BYTES, ForeignError
from .report import FileReport

__all__ = ["ForeignImporter", "ForeignError", "FileReport", "MAX_FOREIGN_BYTES"]
