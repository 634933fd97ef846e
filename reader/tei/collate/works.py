"""Which documents are versions of one work, and which passages they share.

- **Works**: each document becomes a MinHash of its word shingles
  (``SHINGLE`` folded words); locality-sensitive hashing proposes candidate
  pairs without comparing every pair, and a pair whose estimated Jaccard
  similarity *or* containment (the shorter text's shingles found in the
  longer, for a version that adds a section) reaches the threshold, and that
  keeps what it shares in the same order, is one work. Works are the
  connected groups. The order test keeps apart a text that only reuses
  another's sentences (an anthology, a compilation): without it, such texts
  join every work they borrow from and chain unrelated works into one.
- **The editor's works**: a document whose header names its work (witness
  metadata, ``idno[@type='work']``) belongs to that work whatever the
  similarity says; MinHash groups only the others.
- **Reuse**: passages shared by documents of *different* works. Every unit
  gets its shingle hashes; an inverted index (shingles in too many units are
  stopped, as common phrases) gives unit pairs sharing at least
  ``MIN_SHARED_SHINGLES`` shingles, i.e. a run of words of some length.
  Linear in the corpus size.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from ..slugs import slugify
from ..folding import fold_case_diacritics

SHINGLE = 5
NUM_PERM = 128
WORK_THRESHOLD = 0.5  # Jaccard or containment of shingle sets for two versions of one work
LSH_THRESHOLD = 0.2  # candidates proposed by LSH, then checked against WORK_THRESHOLD
ORDER_THRESHOLD = 0.5  # share of the shared shingles two versions have in the same order
MIN_SHARED_SHINGLES = 4  # = a shared run of at least SHINGLE + 3 words
COMMON_SHINGLE_UNITS = 25  # shingles in more units than this are common phrases
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return [fold_case_diacritics(w) for w in _WORD.findall(text)]


def shingles(tokens: list[str], size: int = SHINGLE) -> set[int]:
    if len(tokens) < size:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)}


@dataclass
class Work:
    """A group of documents that are versions of one text; ``id`` is a readable slug."""

    id: str
    members: list[str]
    name: str = ""  #: the editor's name for the work (witness metadata), if given


@dataclass
class ReuseLink:
    """A passage shared by units of documents in different works: all the units that have it."""

    members: list[tuple[str, str]]  # (document, unit id), in corpus order
    shared_words: int  # length of the shared runs, in words (estimate from shingles)
    excerpt: str = field(default="")


def find_works(
    documents: dict[str, str], threshold: float = WORK_THRESHOLD, named: dict[str, str] | None = None
) -> list[Work]:
    """Group documents (slug -> text) into works, in the order of ``documents``.

    ``named`` maps a slug to the editor's work name: documents with the same
    name (case aside) are one work, with the name's slug as id; the others
    are grouped by similarity."""
    named = {slug: name for slug, name in (named or {}).items() if slug in documents and name}
    editors: dict[str, list[str]] = {}
    for slug in documents:
        if slug in named:
            editors.setdefault(named[slug].casefold(), []).append(slug)
    works, used = [], set()
    for members in editors.values():
        work_id = _unique_id(slugify(named[members[0]]), used)
        works.append(Work(work_id, members, named[members[0]]))
    found = _similar({s: t for s, t in documents.items() if s not in named}, threshold)
    works += _named(found, used)
    position = {slug: i for i, slug in enumerate(documents)}
    return sorted(works, key=lambda w: position[w.members[0]])


def _similar(documents: dict[str, str], threshold: float) -> list[list[str]]:
    """Groups of documents whose shingle sets are similar (MinHash LSH, then union-find)."""
    order = list(documents)
    sequences = {slug: shingle_sequence(words(text)) for slug, text in documents.items()}
    sets = {slug: set(sequence) for slug, sequence in sequences.items()}
    hashes = {}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for slug in order:
        mh = MinHash(num_perm=NUM_PERM, seed=1)
        mh.update_batch([h.to_bytes(4, "little") for h in sorted(sets[slug])])
        hashes[slug] = mh
        if sets[slug]:
            lsh.insert(slug, mh)
    parent = {slug: slug for slug in order}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    position = {slug: i for i, slug in enumerate(order)}
    for slug in order:
        if not sets[slug]:
            continue
        # Each pair once (the test is symmetric), and none already in one work.
        for other in sorted((o for o in lsh.query(hashes[slug]) if position[o] > position[slug]), key=position.get):
            a, b = find(slug), find(other)
            if (
                a != b
                and _same_work(hashes[slug], hashes[other], len(sets[slug]), len(sets[other]), threshold)
                and kept_order(sequences[slug], sequences[other]) >= ORDER_THRESHOLD
            ):
                parent[max(a, b, key=position.get)] = min(a, b, key=position.get)
    groups: dict[str, list[str]] = {}
    for slug in order:
        groups.setdefault(find(slug), []).append(slug)
    return list(groups.values())


def shingle_sequence(tokens: list[str], size: int = SHINGLE) -> list[int]:
    """The shingles of ``tokens`` in text order (as ``shingles``, but a list)."""
    if len(tokens) < size:
        return [zlib.crc32(" ".join(tokens).encode())] if tokens else []
    return [zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)]


def kept_order(a: list[int], b: list[int]) -> float:
    """Of the shingles ``a`` and ``b`` share, the share that stands in the same order in both (the
    longest increasing run of their places in ``b``, taken in the order of ``a``): near 1 for two
    versions, even with a passage moved; low for a text made of another's sentences reshuffled."""
    first_in_b: dict[int, int] = {}
    for position, h in enumerate(b):
        first_in_b.setdefault(h, position)
    places, seen = [], set()
    for h in a:
        if h in first_in_b and h not in seen:
            seen.add(h)
            places.append(first_in_b[h])
    tails: list[int] = []  # patience sorting: tails[k] = least end of an increasing run of length k + 1
    for place in places:
        k = bisect_left(tails, place)
        if k == len(tails):
            tails.append(place)
        else:
            tails[k] = place
    return len(tails) / len(places) if places else 0.0


def _same_work(a: MinHash, b: MinHash, size_a: int, size_b: int, threshold: float) -> bool:
    jaccard = a.jaccard(b)
    if jaccard >= threshold:
        return True
    # |A ∩ B| from Jaccard and the set sizes; containment of the smaller set.
    intersection = jaccard * (size_a + size_b) / (1 + jaccard)
    return intersection / max(1, min(size_a, size_b)) >= threshold


def _named(groups: list[list[str]], used: set[str]) -> list[Work]:
    return [Work(_unique_id(work_slug(members), used), members) for members in groups]


def _unique_id(base: str, used: set[str]) -> str:
    name, number = base, 2
    while name in used:
        name, number = f"{base}-{number}", number + 1
    used.add(name)
    return name


def work_slug(members: list[str]) -> str:
    """Readable id of a work: the slugs' common leading words, else the first slug."""
    parts = [m.split("-") for m in members]
    common = []
    for words_at in zip(*parts):
        if len(set(words_at)) != 1:
            break
        common.append(words_at[0])
    return "-".join(common) or members[0]


def find_reuse(units: dict[str, list], works: list[Work]) -> list[ReuseLink]:
    """Passages that units of documents in different works share, each with all its units.

    ``units`` maps a document slug to its units (``.id``, ``.text``). Two units of different works
    that share at least ``MIN_SHARED_SHINGLES`` shingles share a passage; the passage is named by
    the least shingle they share, so that every unit with the same sentence falls in one group,
    however many there are (a group of 25 units is 25 members, not 300 pairs).
    """
    work_of = {slug: work.id for work in works for slug in work.members}
    index: dict[int, list[tuple[str, int]]] = defaultdict(list)
    tokens: dict[tuple[str, int], list[str]] = {}
    for slug, doc_units in units.items():
        for position, unit in enumerate(doc_units):
            unit_words = words(unit.text)
            tokens[(slug, position)] = unit_words
            for h in shingles(unit_words) if len(unit_words) >= SHINGLE else ():
                index[h].append((slug, position))
    shared: dict[tuple, list[int]] = {}  # unit pair -> [shingles shared, least of them]
    for h, postings in index.items():
        if len(postings) > COMMON_SHINGLE_UNITS:
            continue
        distinct = sorted(set(postings))
        for i, first in enumerate(distinct):
            for second in distinct[i + 1 :]:
                if work_of.get(first[0]) != work_of.get(second[0]):
                    found = shared.setdefault((first, second), [0, h])
                    found[0] += 1
                    found[1] = min(found[1], h)
    order = {slug: i for i, slug in enumerate(units)}
    groups: dict[int, dict] = {}
    for (first, second), (count, least) in sorted(shared.items(), key=lambda item: _pair_order(item[0], order)):
        if count < MIN_SHARED_SHINGLES:
            continue
        group = groups.setdefault(least, {"members": set(), "words": 0, "pair": (first, second)})
        group["members"].update((first, second))
        group["words"] = max(group["words"], count + SHINGLE - 1)
    links = []
    for group in groups.values():
        members = sorted(group["members"], key=lambda m: (order[m[0]], m[1]))
        first, second = group["pair"]
        links.append(
            ReuseLink(
                [(slug, units[slug][position].id) for slug, position in members],
                group["words"],
                _excerpt(tokens[first], tokens[second]),
            )
        )
    return sorted(links, key=lambda link: [(order[slug], unit) for slug, unit in link.members])


def _pair_order(pair, order: dict[str, int]):
    (a, i), (b, j) = pair
    return order[a], i, order[b], j


def _excerpt(a: list[str], b: list[str], limit: int = 12) -> str:
    """The longest run of words the two units share (folded), cut to ``limit`` words."""
    best_start, best_len = 0, 0
    positions = defaultdict(list)
    for j, w in enumerate(b):
        positions[w].append(j)
    previous: dict[int, int] = {}
    for i, w in enumerate(a):
        current = {}
        for j in positions.get(w, ()):
            length = previous.get(j - 1, 0) + 1
            current[j] = length
            if length > best_len:
                best_start, best_len = i - length + 1, length
        previous = current
    run = a[best_start : best_start + best_len]
    return " ".join(run[:limit]) + (" …" if len(run) > limit else "")
