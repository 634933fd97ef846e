"""Reading a source text file safely: the first stage of ingest.

A source must be a non-empty UTF-8 text file below a size limit. Every
refusal is a :class:`SourceError` whose message names the file and says what
is wrong, so the command can print it on one line.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .xml import utf16_name

#: Largest file accepted as one text (5 MiB is ~800,000 words; the longest seed is 69 kB).
MAX_SOURCE_BYTES = 5 * 1024 * 1024


class SourceError(ValueError):
    """A source file that cannot be ingested."""


@dataclass(frozen=True)
class Source:
    """A source text as received: its name, bytes' digest and decoded text."""

    name: str
    sha256: str
    text: str


def read_source(path: str | Path) -> Source:
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if not path.is_file():
        raise SourceError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"{path}: {size:,} bytes is larger than the {MAX_SOURCE_BYTES:,}-byte limit for one text")
    return source_from_bytes(path.read_bytes(), path.name, label=str(path))


def source_from_bytes(data: bytes, name: str, label: str | None = None) -> Source:
    label = label or name
    if not data.strip():
        raise SourceError(f"{label}: the file is empty")
    encoding = utf16_name(data)
    if encoding:
        raise SourceError(
            f"{label}: the file is {encoding}, not UTF-8; convert it first (iconv -f {encoding} -t UTF-8)"
        )
    if b"\x00" in data:
        raise SourceError(f"{label}: binary file (contains NUL bytes), not a text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{label}: not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None
    if _control_ratio(text) > 0.01:
        raise SourceError(f"{label}: binary file (control characters), not a text")
    return Source(name=name, sha256=hashlib.sha256(data).hexdigest(), text=text.lstrip("\ufeff"))


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / max(1, len(text))
