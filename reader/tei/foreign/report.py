"""What importing one file did, and what it did not understand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FileReport:
    """One file's import: what was written, what was noted, what was not understood.

    ``not_understood`` counts elements by name (``cb:juan``, ``opener``) whose
    text was kept but whose meaning the corpus has no place for; ``dropped``
    counts what was left out (attributes pointing into the foreign file,
    comments) so that nothing goes silently.
    """

    source: str
    error: str = ""  #: set when nothing could be imported
    slug: str = ""
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: str = ""  #: where the original is kept
    namespace: str = ""
    notes: list[str] = field(default_factory=list)  #: how the file was read and converted
    problems: list[str] = field(default_factory=list)  #: not fatal, with line numbers
    not_understood: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    mapped: Counter = field(default_factory=Counter)  #: element -> what it became ("ab -> p")
    counts: Counter = field(default_factory=Counter)  #: units, ids added, mentions, entries, apps, witnesses
    _notes_seen: set = field(default_factory=set)

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def count_note(self, message: str) -> None:
        """A note given once however often it applies."""
        if message not in self._notes_seen:
            self._notes_seen.add(message)
            self.notes.append(message)

    @property
    def ok(self) -> bool:
        return not self.error

    def lines(self) -> list[str]:
        """The report as text lines for the command's output."""
        if self.error:
            return [f"{self.source}: NOT IMPORTED: {self.error}"]
        c = self.counts
        out = [
            f"{self.source} -> {self.slug} ({', '.join(sorted(set(_state(self))))}); original kept as {self.kept}",
            f"  namespace: {'TEI' if self.namespace == 'tei' else 'none (read as TEI)'}; {c['units']} units "
            f"({c['ids added']} ids added by the importer), {c['sections']} sections, {c['mentions']} entity mentions "
            f"({c['mentions linked']} linked), register: {c['entries created']} entries added, "
            f"{c['entries matched']} matched",
        ]
        if c["apps"]:
            out.append(
                f"  apparatus: {c['apps']} entries, {c['witnesses']} witnesses, "
                f"{c['witness documents']} witness documents and collations/{self.slug}.xml written"
            )
        out += [f"  note: {n}" for n in self.notes]
        if self.mapped:
            out.append("  mapped: " + ", ".join(f"{k} ×{v}" for k, v in sorted(self.mapped.items())))
        if self.not_understood:
            out.append(
                "  not understood (text kept, element recorded as seg/@type): "
                + ", ".join(f"{k} ×{v}" for k, v in self.not_understood.most_common())
            )
        if self.dropped:
            out.append("  left out: " + ", ".join(f"{k} ×{v}" for k, v in self.dropped.most_common()))
        shown = self.problems[:40]
        out += [f"  problem: {p}" for p in shown]
        if len(self.problems) > len(shown):
            out.append(f"  … and {len(self.problems) - len(shown)} more problems")
        return out


def _state(report: FileReport) -> list[str]:
    return (["written"] if report.written else []) + (["unchanged"] if report.unchanged and not report.written else [])
