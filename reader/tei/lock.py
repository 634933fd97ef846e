"""One lock for the corpus folder: every writer of ``register.xml`` and other corpus-wide files takes it.

ingest, importtei, load, publish and export hold :func:`corpus_lock` across their
whole read-modify-write (read the register, add entries, write it back), so N
writers at once give the corpus that the same runs one after another give.

The lock is ``flock(2)`` on ``<corpus>/.corpus.lock``: it serialises processes
and threads on one machine and is released by the kernel when its holder dies
(a killed worker never leaves the corpus locked). Writers on several machines
need the corpus folder on a shared filesystem whose locks work across machines
(NFSv4, CephFS, GlusterFS with locking); where they share PostgreSQL, the
database side also takes a transaction-level advisory lock
(``reader.texts.locking.corpus_db_lock``).

The lock is re-entrant within a thread: a command holding it can call code
that takes it again (``EntityStage.save_register`` inside ``ingest``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from pathlib import Path

#: The lock file, in the corpus folder (a dot file: load reads only ``*.xml``).
LOCK_FILE = ".corpus.lock"
#: How long a writer waits for another before giving up (an ingest with recognition can take minutes).
DEFAULT_TIMEOUT = 1800.0
_POLL = 0.05

_local = threading.local()


class CorpusBusy(TimeoutError):
    """Another writer held the corpus lock for longer than we were willing to wait."""


@contextlib.contextmanager
def corpus_lock(directory: str | Path, timeout: float = DEFAULT_TIMEOUT):
    """Hold the corpus folder's lock for the ``with`` block (waiting at most ``timeout`` seconds)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    key = str(folder.resolve())
    held: dict[str, int] = _local.__dict__.setdefault("held", {})
    if key in held:  # this thread holds it already
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    fd = _acquire(folder / LOCK_FILE, timeout)
    held[key] = 1
    try:
        yield
    finally:
        del held[key]
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock


def _acquire(path: Path, timeout: float) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        try:  # a lock file we may not write still locks (flock needs only an open descriptor)
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # a read-only folder without a lock file: no writer of ours can change it either
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise
        if time.monotonic() >= deadline:
            os.close(fd)
            raise CorpusBusy(
                f"{path.parent}: another writer (ingest, importtei, load, publish or export) has held the "
                f"corpus lock for more than {timeout:.0f} s; nothing was changed, try again later"
            )
        time.sleep(_POLL)


def holds_corpus_lock(directory: str | Path) -> bool:
    """Whether this thread holds the lock of ``directory`` (for assertions in callers)."""
    return str(Path(directory).resolve()) in _local.__dict__.get("held", {})
