"""What a load says: the report of what it did to each file, and the one line that says why a file failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.tei.xml import TEIError


@dataclass
class LoadReport:
    """What a load did, file by file."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: (file, message) for what was loaded but not as the conventions say (nothing is dropped silently)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.loaded or self.removed)


def failure(relative: str, exc: BaseException) -> str:
    """One line saying which file failed and why; a line number wherever the error knows one."""
    message = str(exc)
    if isinstance(exc, TEIError) and message.startswith(relative):
        return message
    if isinstance(exc, (TEIError, ValueError)):
        return f"{relative}: {message}"
    line = getattr(exc, "lineno", None) or getattr(exc, "sourceline", None)
    where = f"line {line}: " if line else ""
    return f"{relative}: {where}cannot be loaded ({type(exc).__name__}: {message}); nothing of it was saved"
