"""Load ``corpus/tei/`` into the database (``manage.py load``): TEI files to rows.

:class:`CorpusLoader` saves what ``reader.tei.parsing`` reads from each file, one file per
transaction, skipping files whose bytes have not changed (so ``load`` twice changes nothing),
reporting a broken file without stopping the rest, and refusing to overwrite database changes that
were never exported. By job:

* :mod:`.corpus` — the folder's files in order, the transactions, files gone;
* :mod:`.files` — size limits, the kind of a file, TEI or not, values that fit their columns;
* :mod:`.documents` — a witness's document, sections, paragraphs and mentions;
* :mod:`.register` — entities, their names and authority ids;
* :mod:`.collations` — variants, readings and passages of collations and text reuse;
* :mod:`.report` — what a load did, and why a file failed.

Not to be confused with ``reader.tei.foreign.importer``, which converts foreign TEI into the
corpus's own files (``manage.py importtei``) before they are loaded.
"""

from .corpus import CorpusLoader
from .report import LoadReport

__all__ = ["CorpusLoader", "LoadReport"]
