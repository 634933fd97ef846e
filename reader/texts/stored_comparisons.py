"""A work's comparison kept in the database, so that a compare page with a cold cache only renders.

Collating six witnesses of 12,000 words takes the engine most of a second, and rendering the result
another fraction; both are fixed by the witnesses' texts. ``load`` therefore builds, for every work it
touched, what the compare pages show under the default settings (the comparison, the columns' rows,
the apparatus and the table of units) and stores each part in :class:`~reader.texts.models.StoredComparison`.
A page reads the parts it needs from that table (one query), and only when the table lacks them (or
holds them under another key) runs the engine and stores the result, so an edit of a witness costs
one build, not one per request. Each process keeps the parts it decoded last (up to ``DECODED_BYTES``),
by the same key, so a page asked again in the same worker is not decompressed and unpickled again.

A stored part is found by a key that names everything it was built from: the witnesses' units as
the page reads them (ids, texts, kinds, sections, numbers), their slugs, sigla, titles, dates and
authors, the columns' order, the normalisation, and the source of the code that builds it (the
engine, ``comparison.py``, the compare views and the row template). Change any of them — a load of
revised TEI, an annotator's edit of a witness, a new engine — and the key changes, so a stale
result is never shown; nothing depends on how the engine works inside.

Only the default choice of each view is stored (the witnesses and base the page opens on, no type
or witness filter, and either no normalisation or the apparatus files'), so the table holds a few
rows a work however readers vary the query; other choices are cached as before.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import pickle
import threading
import zlib
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from django.db import DatabaseError, transaction

from reader.caching import remembered

log = logging.getLogger("reader.compare")

#: How long a part stays in Django's cache (the table keeps it until its work changes).
CACHE_SECONDS = 7 * 24 * 3600

_READER = Path(__file__).resolve().parent.parent
#: The code a stored part depends on: a change to any of these files gives every part a new key.
CODE = (
    "tei/collate",
    "tei/document.py",
    "texts/comparison.py",
    "texts/stored_comparisons.py",
    "texts/views/compare.py",
    "texts/templates/texts/compare_row.html",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 of the source of the code that builds a comparison and its parts."""
    digest = hashlib.sha256()
    for name in CODE:
        path = _READER / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(_READER).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def content_key(collated, shown, ignore, units) -> str:
    """The key of a comparison: ``collated`` (documents, base first), ``shown`` (columns' order),
    ``ignore`` (normalisation) and ``units`` (every unit of theirs the collation reads, as rows)."""
    facts = {
        "code": code_version(),
        "witnesses": [[d.pk, d.slug, d.label, d.title, d.date, d.author] for d in collated],
        "shown": [d.slug for d in shown],
        "ignore": list(ignore),
        "units": units,
    }
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, default=str).encode()).hexdigest()


def encode(value) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


#: Decoded parts kept in this process, by their key's digest (content-addressed, so never stale), up to this
#: many bytes of pickle: a page read again in the same worker skips the decompression and unpickling.
DECODED_BYTES = 64 * 1024 * 1024
_decoded: OrderedDict[tuple[str, str], tuple[object, int]] = OrderedDict()
_decoded_lock = threading.Lock()


def forget_decoded() -> None:
    """Empty this process's decoded parts (a cold start, for benchmarks and tests)."""
    with _decoded_lock:
        _decoded.clear()


def _remember_decoded(ident: tuple[str, str], value, size: int) -> None:
    with _decoded_lock:
        _decoded[ident] = (value, size)
        _decoded.move_to_end(ident)
        total = sum(n for _, n in _decoded.values())
        while total > DECODED_BYTES and len(_decoded) > 1:
            _, (_, n) = _decoded.popitem(last=False)
            total -= n


def _recall_decoded(ident: tuple[str, str]):
    with _decoded_lock:
        found = _decoded.get(ident)
        if found is not None:
            _decoded.move_to_end(ident)
        return found[0] if found is not None else None


def decode(data) -> object:
    raw = zlib.decompress(bytes(data))
    # Unpickling some ten thousand small objects would run the cyclic collector over and over, for nothing:
    # they are all alive. Off for the call (about a quarter of its time), on again whatever happens.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(raw)
    finally:
        if enabled:
            gc.enable()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Shelf:
    """The stored parts of one work under one normalisation, read from the table at most once (one query,
    on the first part the cache does not have). ``work`` None: nothing is read or stored (a choice that is
    not a default one)."""

    def __init__(self, work, setting: str, parts=()) -> None:
        self.work = work
        self.setting = setting
        self.parts = tuple(parts)  #: the parts the page will ask for (read in one query), else all
        #: ``load``'s precomputation: what counts is what the table holds, not what this process remembers.
        self.ensuring = False
        self._rows: dict[str, tuple[str, bytes]] | None = None

    def name(self, part: str) -> str:
        return f"{self.setting}/{part}"

    def _table(self) -> dict[str, tuple[str, bytes]]:
        if self._rows is None:
            from .models import StoredComparison

            rows = StoredComparison.objects.filter(work=self.work)
            if self.parts:
                rows = rows.filter(name__in=[self.name(p) for p in self.parts])
            else:
                rows = rows.filter(name__startswith=f"{self.setting}/")
            self._rows = {name: (key, data) for name, key, data in rows.values_list("name", "key", "data")}
        return self._rows

    def stored(self, part: str, key: str):
        """The part stored under ``key``, else None."""
        if self.work is None:
            return None
        ident = (part, _digest(key))
        value = _recall_decoded(ident) if not self.ensuring else None  # load's check is of the table itself
        if value is not None:
            return value
        found = self._table().get(self.name(part))
        if found is None or found[0] != ident[1]:
            return None
        try:
            value = decode(found[1])
        except Exception:  # noqa: BLE001 (a part written by other code: built again, never an error page)
            log.warning("stored comparison %s of work %s unreadable; building it again", part, self.work.pk)
            return None
        _remember_decoded(ident, value, len(found[1]) * 8)  # about the pickle's size (zlib at level 1)
        return value

    def get(self, part: str, key: str, build):
        """The part: from the table, else ``build()`` and stored. A shelf of no work (a choice that is not a
        default one) keeps it in Django's cache instead. Never both: each would be unpickled all the same,
        and a part in the table needs no second copy."""
        if self.work is None:
            return remembered(key, build, CACHE_SECONDS)
        value = self.stored(part, key)
        if value is None:
            value = build()
            self.store(part, key, value)
        return value

    def store(self, part: str, key: str, value) -> None:
        """Write the part (an update, else an insert: no signal, so the corpus revision stays). A database
        that refuses (a locked SQLite file) costs the next request a build, never this one its page."""
        if self.work is None:
            return
        from .models import StoredComparison

        name, digest, data = self.name(part), _digest(key), encode(value)
        try:
            with transaction.atomic():
                updated = StoredComparison.objects.filter(work=self.work, name=name).update(key=digest, data=data)
                if not updated:
                    StoredComparison.objects.bulk_create(
                        [StoredComparison(work=self.work, name=name, key=digest, data=data)], ignore_conflicts=True
                    )
        except DatabaseError as exc:
            log.warning("storing comparison %s of work %s failed: %r", part, self.work.pk, exc)
            return
        if self._rows is not None:
            self._rows[name] = (digest, data)
        _remember_decoded((part, digest), value, len(data) * 8)
