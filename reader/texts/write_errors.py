"""Say in one line which file a failed write was writing, and why (a full disk, most often).

``write_atomic`` (reader.tei.xml) writes a temporary file and renames it, so a failed write leaves
the earlier file as it was; but the OSError that a full disk raises from ``write`` or ``fsync``
names no file. The commands and views that write the corpus turn it into this message.
"""

from __future__ import annotations

import errno
from pathlib import Path

#: errno -> how the message says it (the rest use the system's own wording).
REASONS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded"}


def failed_path(exc: OSError) -> str | None:
    """The file being written: the error's own, else the ``path`` of the innermost write_atomic call."""
    if exc.filename:
        return str(exc.filename)
    found, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "write_atomic":
            found = tb.tb_frame.f_locals.get("path")
        tb = tb.tb_next
    return str(found) if found is not None else None


def write_error(exc: OSError, folder: str | Path, again: str = "run this again") -> str:
    """'<file>: no space left on device; it keeps its earlier content. Free some space and …' (one line)."""
    reason = REASONS.get(exc.errno) or (exc.strerror or str(exc)).lower()
    where = failed_path(exc) or f"a file in {folder}"
    return f"{where}: {reason}; the file keeps its earlier content. Free some space and {again}."
