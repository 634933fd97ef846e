"""The database locks every writer of the corpus's rows takes, in one order (DEVNOTES: load, export,
publish and the annotators' saves): the corpus's advisory lock, then the register's ``CorpusFile`` row,
then the documents' rows by pk. The file lock across processes is ``reader.tei.lock.corpus_lock``.
"""

from __future__ import annotations

#: PostgreSQL advisory lock key of the corpus ("parallax" as a number): load and publish take it.
CORPUS_LOCK_KEY = int.from_bytes(b"parallax", "big")


def corpus_db_lock() -> None:
    """Wait for the corpus's transaction-level advisory lock (PostgreSQL; held until the transaction ends).

    The file lock (``reader.tei.lock``) serialises writers on one machine; this one serialises
    writers on several machines that share the database. SQLite's transactions (``IMMEDIATE``)
    already admit one writer at a time."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CORPUS_LOCK_KEY])


def lock_files(register: bool = False, documents=(), others: bool = False) -> None:
    """Lock, for this transaction, the ``CorpusFile`` rows of the register and of ``documents`` (pks),
    or with ``others`` every row besides the register's (export and publish).

    Every writer of a file's rows (load, publish, the annotators' saves) locks them first, always
    in this order (the register's row, then documents' rows by pk), so that two writers never wait
    for each other in a circle (a deadlock)."""
    from .models import CorpusFile, Document

    if register:
        list(CorpusFile.objects.select_for_update().filter(kind=CorpusFile.Kind.REGISTER).order_by("pk").values("pk"))
    if others:
        rows = CorpusFile.objects.exclude(kind=CorpusFile.Kind.REGISTER)
    elif documents:
        rows = CorpusFile.objects.filter(pk__in=Document.objects.filter(pk__in=documents).values("file_id"))
    else:
        return
    list(rows.select_for_update().order_by("pk").values("pk"))
