"""Say in one line which file a failed write was writing, and why (a full disk, most often).

``write_atomic`` (reader.tei.xml) writes a temporary file and renames it, so a failed write leaves
the earlier file as it was, and names that file in the OSError it raises. The commands and views
that write the corpus turn it into this message.
"""

from __future__ import annotations

import errno
from pathlib import Path

#: errno -> how the message says it (the rest use the system's own wording).
REASONS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded"}


def write_error(exc: OSError, folder: str | Path, again: str = "run this again") -> str:
    """'<file>: no space left on device; it keeps its earlier content. Free some space and …' (one line)."""
    reason = REASONS.get(exc.errno) or (exc.strerror or str(exc)).lower()
    where = exc.filename or f"a file in {folder}"  # write_atomic names the file it was writing
    return f"{where}: {reason}; the file keeps its earlier content. Free some space and {again}."
