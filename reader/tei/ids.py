"""Permanent ids for citable units.

A unit's ``xml:id`` is given once, when the unit first appears, and is never
given to another unit, even after the first is deleted. On re-ingest the new
units are matched to the previous version's units by text: identical text
first, then the most similar text (same kind preferred) above
:data:`MIN_SIMILARITY`; a unit made of several old units (or one part of an old
unit) keeps the id of the unit it begins with, however many parts there are.
Unmatched old ids are retired with what they said and, where their text went
into a surviving unit (a merge), that unit as successor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

PREFIX = {"p": "p", "head": "h", "item": "i", "bibl": "b", "div": "s"}
MIN_SIMILARITY = 60.0
MIN_CONTAINMENT = 80.0
_NUMBER = re.compile(r"^([a-z]+)(\d+)$")


@dataclass(frozen=True)
class OldUnit:
    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class Retirement:
    id: str
    kind: str
    text: str
    successor: str | None
    reason: str  # "deleted" | "merged"


@dataclass
class Assignment:
    ids: list[str]
    retired: list[Retirement]
    changed: dict[str, str] = field(default_factory=dict)  # id -> earlier text


class IdAllocator:
    """Hands out fresh ids above every number ever used for the prefix."""

    def __init__(self, used: set[str]):
        self.high: dict[str, int] = {}
        for ident in used:
            m = _NUMBER.match(ident)
            if m:
                self.high[m.group(1)] = max(self.high.get(m.group(1), 0), int(m.group(2)))

    def fresh(self, kind: str) -> str:
        prefix = PREFIX[kind]
        self.high[prefix] = self.high.get(prefix, 0) + 1
        return f"{prefix}{self.high[prefix]}"


def assign_ids(new: list[tuple[str, str]], old: list[OldUnit], retired_before: set[str]) -> Assignment:
    """Ids for ``new`` units, given as (kind, text), keeping ``old`` ids where the text survives."""
    chosen: list[str | None] = [None] * len(new)
    free_old = {u.id: u for u in old}
    by_text: dict[tuple[str, str], list[str]] = {}
    for u in old:
        by_text.setdefault((u.kind, _norm(u.text)), []).append(u.id)
    for i, (kind, text) in enumerate(new):  # identical text keeps its id
        ids = by_text.get((kind, _norm(text)))
        if ids:
            chosen[i] = ids.pop(0)
            free_old.pop(chosen[i])
    pairs = []
    for i, (kind, text) in enumerate(new):
        if chosen[i] is not None:
            continue
        for u in free_old.values():
            score = fuzz.ratio(_norm(text), _norm(u.text)) + (5 if u.kind == kind else 0)
            if _opening(text) == _opening(u.text):
                score += 10  # a merged or split unit keeps the id of the unit it begins with
                if score < MIN_SIMILARITY and (_contains(text, u.text) or _contains(u.text, text)):
                    score = MIN_SIMILARITY  # however many parts: one of them is a small share of the whole
            if score >= MIN_SIMILARITY:
                pairs.append((-score, i, u.id))
    changed = {}
    for _, i, old_id in sorted(pairs):
        if chosen[i] is None and old_id in free_old:
            chosen[i] = old_id
            changed[old_id] = free_old.pop(old_id).text
    allocator = IdAllocator({u.id for u in old} | retired_before)
    ids = [c if c is not None else allocator.fresh(new[i][0]) for i, c in enumerate(chosen)]
    retired = [_retire(u, new, ids) for u in old if u.id in free_old]
    return Assignment(ids=ids, retired=retired, changed=changed)


def _retire(unit: OldUnit, new: list[tuple[str, str]], ids: list[str]) -> Retirement:
    best, best_score = None, 0.0
    for (_, text), ident in zip(new, ids):
        if not unit.text.strip() or len(text) < len(unit.text):
            continue  # a successor must be able to contain the retired text
        score = fuzz.partial_ratio(_norm(unit.text), _norm(text))
        if score > best_score:
            best, best_score = ident, score
    if best is not None and best_score >= MIN_CONTAINMENT:
        return Retirement(unit.id, unit.kind, unit.text, best, "merged")
    return Retirement(unit.id, unit.kind, unit.text, None, "deleted")


def _contains(whole: str, part: str) -> bool:
    return len(part) < len(whole) and fuzz.partial_ratio(_norm(part), _norm(whole)) >= MIN_CONTAINMENT


def _opening(text: str) -> list[str]:
    return text.split()[:5]


def _norm(text: str) -> str:
    return " ".join(text.split())
