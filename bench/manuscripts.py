"""Manuscript traditions with an expert's alignment: ours against CollateX, 2 to 30 witnesses.

    .venv/bin/python bench/manuscripts.py                 # John 18:38, 2-28 witnesses, CollateX bound 60 s
    .venv/bin/python bench/manuscripts.py --held-out      # also the held-out traditions (kept apart)
    .venv/bin/python bench/manuscripts.py --bound 0 --misses  # ours only, each missed place and why
    .venv/bin/python bench/manuscripts.py --only besoin --sizes 5,10 --bound 900  # CollateX given 15 min

Data (``bench/data/traditions/``, from tla/stemmatology, Text::Tradition's test data, ``base/t/data``,
commit 2fdf1236c8e04ad10f649bc7743b219df0b992ff; the distribution is licensed as Perl itself,
``license('perl')`` in ``base/Makefile.PL``: Artistic 1.0 or GPL 1+):

- ``john-18-38.graphml`` (``john.xml``): John 18:38-39 in 27 Greek manuscripts and a printed base text,
  transcribed for the IGNTP, among them the papyri P66 and P60 (a fragment: 20 words). The expert's
  variant graph gives each reading a *rank*: readings of one rank are one column of the alignment.
- ``florilegium.csv``: a Greek florilegium (Tree of Texts, KU Leuven) in 13 manuscripts and 4 first
  hands (``a.c.``), as an expert's alignment table, ``#LACUNA#`` where a witness is lacunose. Held out:
  scored once, at the end of a piece of work, never tuned on.
- ``besoin.csv`` (``besoin.xml``, same commit, converted to an alignment table with one row per rank and
  ``#LACUNA#`` where a witness's path runs through a lacuna node): "Notre besoin de consolation est impossible
  à rassasier", Stig Dagerman's essay in French, copied by hand by 13 people for the experiment of Baret, Macé
  and Robinson (2006), about 1,000 words each, one copy a fragment (U, 582 words); the editors' variant graph
  (with 58 relationships typed by them). Held out like the florilegium: scored once (issue 18), never tuned on.
- ``legendfrag.graphml`` (``legendfrag.xml``, same commit, unchanged): a sentence of the Latin Legend of Bishop
  Henry (of Finland) in 37 manuscripts, as a Stemmaweb variant graph like John's. Held out: scored once (issue 18).
- ``augustine-sermo-170.graphml`` (``lexformat.xml``, same commit, unchanged): two sentences of Augustine's
  Sermon 170 (25 words) in 18 witnesses (F, L1-L9, M, V10, V11, W and maur, which the file's stemma calls
  extant, and am, flor, ulim, not in it; the file does not say what they are, maur and am are presumably the
  Maurist and Amerbach editions) and the first hand of L3 (an ``extra`` path edge: "L3 (a.c.)"), as a
  Stemmaweb variant graph whose editor typed one transposition. Held out: scored once (issue 18).

The expert's places, by two rules, both printed. A column (rank) where the witnesses extant there differ,
once the forms are normalised (case, diacritics, Greek letter forms, elision and reading marks folded, the stroke
over a final vowel read as its ν, as an editor of these texts would not record them), is a place, or part of
one:

- **columns joined by witnesses** (the first rule): neighbouring varying columns are one place when a
  witness differs from the most common reading in both (one witness's rewording). It chains: on the
  legend, from 10 witnesses, neighbouring spelling variants of the same manuscripts join the whole
  sentence into one place.
- **places as the experts related them**: each varying column is a place of its own (an omission is a
  reading there, "∅", at each column it covers, as Stemmaweb's variant analysis counts it), and columns are
  joined only where the expert related readings of different ranks as one variant: readings linked by
  any of the editor's relationships but ``repetition`` (Stemmaweb's ``Text::Tradition::Analysis``
  folds the same into one location; in these graphs that is a ``transposition``) and read by the chosen
  witnesses at two ranks or more make the columns from the first such rank to the last one place (the
  lemma of an apparatus entry for the transposition), taking in the places inside. A reading of several
  words is one graph node (one table cell) and so one column already; the same witness departing in
  neighbouring columns joins nothing. Relationships of the same rank (orthographic, spelling,
  grammatical, lexical, collated...) change no place: readings differing only by normalisation are
  no place already, and the rest are variants the editor typed, which a collator must still find. Tables
  carry no relationships: there, every varying row is a place (``besoin.csv`` lost the two
  transpositions of ``besoin.xml`` in its conversion).

A witness's missing stretch of more than three columns the others read (the fragment's broken edges) is
a lacuna: marked "[...]" in the text given to our engine, and left out of the expert's place.

A place is **found** by a collator when one of its units covers the place's tokens in every witness
extant in both, reads no more than two tokens beyond it in any, and groups those witnesses as the
expert does (by their normalised tokens inside the unit). CollateX (``collatex`` 2.3, the Python port,
in a subprocess killed at the bound) gets the same tokens with the same normalised form; its units are
runs of columns where the normalised tokens differ. Time: median of three runs (ours) or one
(CollateX); memory: tracemalloc peak. Figures are printed, never asserted.

**Moves: a convention, counted openly.** The expert records a word moved ("αἰτίαν" before or after
"εὑρίσκω ἐν αὐτῷ") as two places, an addition where it goes and an omission where it was; a
collator that types it as one transposition gives one unit over both. Such a unit finds both places
when it covers them and the columns between them (with the same slack), groups the witnesses there
as the expert does, and two witnesses read the two places' words in another order. With the places as
the experts related them, a move the editor did not type is a place per column it touches: a unit
covering the stretch from one place to another (same slack, grouped as the expert over it) finds every
place inside it when two witnesses read the stretch's words in another order and read otherwise at both
its end places (a unit reading more than two tokens beyond that stretch finds nothing by it). The first
rule's check compares only the two places' own words, so a one-word move the expert aligns in two
columns ("habitat" in Sermo 170, F against M) is no move to it. Both figures are printed, for ours and
CollateX alike and for both place rules: **found** (with this rule) and **strict** (without it: a move
found only as the expert's addition and omission).

``--misses`` prints, for each place ours misses on John (by each rule), the expert's readings (grouped by
their normalised form) and every unit of ours sharing a token with it, with why it does not find it.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from witnesses import run_collatex  # noqa: E402

from reader.tei.collate import CollationOptions, collate  # noqa: E402
from reader.tei.document import Unit  # noqa: E402
from reader.tei.xml import parse_bytes  # noqa: E402

DATA = ROOT / "bench" / "data" / "traditions"
SIZES = (2, 5, 10, 20, 30)
GAP = 3  # a witness lacking more than this many columns the others read has a lacuna there
SLACK = 2  # a unit may read this many tokens beyond the place in a witness
CONTEXT = 6  # columns either side of a place over which two witnesses reading alike must be grouped alike
OPTIONS = CollationOptions(
    ignore_case=True, ignore_diacritics=True, ignore_punctuation=True, ignore_sigma=True, ignore_suspension=True
)
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
_SIGMA = str.maketrans({"ϲ": "σ", "ς": "σ", "Ϲ": "σ"})


def norm(token: str) -> str:
    """The form an editor of these texts compares: letters only, case, diacritics and letter forms folded."""
    text = unicodedata.normalize("NFD", token.replace("\u00af", "ν"))  # a stroke over a final vowel is its ν
    text = "".join(c for c in text if c.isalpha() and not unicodedata.combining(c) and c not in "\u02bc")
    return text.casefold().translate(_SIGMA)


# --- the traditions -----------------------------------------------------------------------------

Tradition = list[tuple[str, list[tuple[str, int]]]]  # (siglum, [(token, column), ...])


def _data(element, keys: dict, deep: bool = True) -> dict:
    """A graphml element's ``data`` children by their key's attribute name (all below it, or its own only)."""
    found = element.iter(f"{GRAPHML}data") if deep else element.findall(f"{GRAPHML}data")
    return {keys[d.get("key")]: d.text for d in found}


def load_graphml(path: Path) -> Tradition:
    """Witness paths through a Stemmaweb variant graph: tokens with their rank. A witness's first hand
    (its ``extra`` path edges, where a corrector changed the text) is a witness of its own, "W (a.c.)":
    it follows those edges where it has them and the witness's own path elsewhere."""
    root = parse_bytes(path.read_bytes(), path.name)
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    graph = root.find(f"{GRAPHML}graph")
    label = _data(graph, keys, deep=False).get("ac_label") or " (a.c.)"
    nodes, following, layer = {}, {}, {}
    for node in graph.iter(f"{GRAPHML}node"):
        nodes[node.get("id")] = _data(node, keys)
    for edge in graph.iter(f"{GRAPHML}edge"):
        data = _data(edge, keys)
        if "witness" in data:
            chosen = layer if data.get("extra") not in (None, "", "0", "false") else following  # " (a.c.)" too
            chosen.setdefault(data["witness"], {})[edge.get("source")] = edge.get("target")
    for siglum, changed in layer.items():
        following[siglum + label] = {**following.get(siglum, {}), **changed}
    start = next(k for k, v in nodes.items() if v.get("is_start"))
    out = []
    for siglum in sorted(following, key=lambda s: (s != "base", len(s), s)):
        path_, current = [], start
        while current in following[siglum]:
            current = following[siglum][current]
            if nodes[current].get("is_end"):
                break
            if not nodes[current].get("is_lacuna"):
                path_.append((nodes[current]["text"], int(nodes[current]["rank"])))
        out.append((siglum, path_))
    return out


def load_relations(path: Path) -> list[set[tuple[int, str]]]:
    """The readings the expert relates across ranks in a Stemmaweb graph: each set holds (rank, text)
    of readings joined by relationships of any type but repetition (as Stemmaweb's own variant analysis,
    ``Text::Tradition::Analysis::_all_related``, folds them into one location), kept when they lie in
    more than one rank (in practice a transposition). An alignment table has none: ``[]``."""
    if path.suffix not in (".graphml", ".xml"):
        return []
    root = parse_bytes(path.read_bytes(), path.name)
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    nodes, linked = {}, {}
    for node in root.iter(f"{GRAPHML}node"):
        nodes.setdefault(node.get("id"), {}).update(_data(node, keys))
    for edge in root.iter(f"{GRAPHML}edge"):
        data = _data(edge, keys)
        kind = data.get("type") or data.get("relationship")  # "relationship" in graphs of an older version
        if "witness" in data or kind in (None, "repetition"):
            continue
        a, b = edge.get("source"), edge.get("target")
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    out, seen = [], set()
    for first in linked:
        if first in seen:
            continue
        component, todo = set(), [first]
        while todo:
            node = todo.pop()
            if node not in component:
                component.add(node)
                todo.extend(linked[node] - component)
        seen |= component
        readings = {(int(nodes[n]["rank"]), nodes[n]["text"]) for n in component}
        if len({rank for rank, _ in readings}) > 1:
            out.append(readings)
    return out


def load_table(path: Path) -> Tradition:
    """An alignment table (one column per witness, one row per column of the alignment)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, rows = rows[0], rows[1:]
    out = []
    for index, siglum in enumerate(header):
        tokens = []
        for rank, row in enumerate(rows, 1):
            cell = row[index].strip() if index < len(row) else ""
            if cell and cell != "#LACUNA#":
                tokens.extend((t, rank) for t in cell.split())
            elif cell == "#LACUNA#":
                tokens.append(("#LACUNA#", rank))
        out.append((siglum, tokens))
    return out


def extant(tradition: Tradition) -> dict[str, list[tuple[int, int]]]:
    """Per witness, the column intervals it is extant in (outside them it has a lacuna)."""
    read = {}
    for siglum, tokens in tradition:
        read[siglum] = sorted({rank for t, rank in tokens if t != "#LACUNA#"})
    columns = sorted({r for ranks in read.values() for r in ranks})
    out = {}
    for siglum, tokens in tradition:
        lacunose = {rank for t, rank in tokens if t == "#LACUNA#"}
        mine = set(read[siglum])
        intervals, run = [], []
        missing = 0
        for column in columns:
            if column in lacunose:
                missing = GAP + 1
                if run:
                    intervals.append(run)
                run = []
                continue
            if column in mine:
                if run and missing > GAP:
                    intervals.append(run)
                    run = []
                run.append(column)
                missing = 0
            else:
                missing += 1
        if run:
            intervals.append(run)
        out[siglum] = [(r[0], r[-1]) for r in intervals]
    return out


def texts(tradition: Tradition, spans: dict[str, list[tuple[int, int]]]):
    """Per witness: its text for our engine ("[...]" at lacunae) and each token's character range."""
    out = {}
    for siglum, tokens in tradition:
        parts, offsets, length = [], [], 0
        intervals = spans[siglum]
        tokens = [(t, r) for t, r in tokens if t != "#LACUNA#"]
        if intervals and intervals[0][0] > 1:
            parts.append("[...]")
            length += 6
        previous = None
        for t, rank in tokens:
            k = next(i for i, (a, b) in enumerate(intervals) if a <= rank <= b)
            if previous is not None and k != previous:
                parts.append("[...]")
                length += 6
            previous = k
            offsets.append((length, length + len(t)))
            parts.append(t)
            length += len(t) + 1
        if intervals and tokens and intervals[-1][1] < max(r for ts in tradition for _, r in ts[1]):
            parts.append("[...]")
        out[siglum] = (" ".join(parts), offsets)
    return out


# --- places -------------------------------------------------------------------------------------


def expert_places(tradition: Tradition, spans, columns_out: list | None = None, related=None) -> list[dict]:
    """Places of the expert's alignment: {siglum: token indices} for the witnesses extant there
    (and, into ``columns_out``, each place's columns).

    Without ``related``, neighbouring columns are one place when a witness departs from the most
    common reading in both ("columns joined by witnesses"). With ``related`` (``load_relations``),
    each varying column is a place, and only the readings the expert relates across ranks join
    columns: all the columns from the first to the last such reading that the witnesses read become
    one place ("places as the experts related them")."""
    columns = sorted({r for _, tokens in tradition for _, r in tokens})
    at = {siglum: {} for siglum, _ in tradition}
    for siglum, tokens in tradition:
        index = 0
        for t, rank in tokens:
            if t == "#LACUNA#":
                continue
            at[siglum].setdefault(rank, []).append(index)
            index += 1
    words = {s: [t for t, _ in tokens if t != "#LACUNA#"] for s, tokens in tradition}

    def reading(siglum, column):
        return tuple(norm(words[siglum][i]) for i in at[siglum].get(column, []))

    def alive(siglum, column):
        return any(a <= column <= b for a, b in spans[siglum])

    varying = []
    for column in columns:
        present = [s for s, _ in tradition if alive(s, column)]
        readings = {s: reading(s, column) for s in present}
        if len(set(readings.values())) > 1:
            ordered = list(readings.values())  # the base's reading first: it wins a tie
            common = max(ordered, key=ordered.count)
            varying.append((column, {s for s, r in readings.items() if r != common}))
    groups: list[list[int]] = []
    if related is None:
        position = {column: k for k, column in enumerate(columns)}  # ranks no chosen witness reads are no columns
        last = set()
        for column, differ in varying:
            if groups and position[groups[-1][-1]] == position[column] - 1 and last & differ:
                groups[-1].append(column)
            else:
                groups.append([column])
            last = differ
    else:
        groups = [[column] for column, _ in varying]
        read = {(rank, t) for _, tokens in tradition for t, rank in tokens}
        for link in related:
            ranks = sorted({rank for rank, t in link if (rank, t) in read})
            if len(ranks) < 2:
                continue  # the chosen witnesses read one of the related readings at most
            lo, hi = ranks[0], ranks[-1]
            inside = [g for g in groups if g[0] <= hi and g[-1] >= lo]
            lo, hi = min([lo, *(g[0] for g in inside)]), max([hi, *(g[-1] for g in inside)])
            groups = [g for g in groups if g not in inside] + [[c for c in columns if lo <= c <= hi]]
            groups.sort()
    out = []
    for cols in groups:
        tokens = {}
        for siglum, _ in tradition:
            if all(alive(siglum, c) for c in cols):
                tokens[siglum] = {i for c in cols for i in at[siglum].get(c, [])}
        out.append(tokens)
        if columns_out is not None:
            columns_out.append(cols)
    return out


def grouping(tokens: dict[str, set[int]], words) -> frozenset:
    groups: dict[tuple, set] = {}
    for siglum, indices in tokens.items():
        groups.setdefault(tuple(norm(words[siglum][i]) for i in sorted(indices)), set()).add(siglum)
    return frozenset(frozenset(g) for g in groups.values())


def verdict(place, unit, words) -> str:
    """Whether ``unit`` finds ``place``: "" if it does, else why not."""
    common = [s for s in place if unit.get(s, set()) is not None and s in unit]
    if len(common) < 2:
        return "fewer than two witnesses in common"
    short = [s for s in common if not place[s] <= unit[s]]
    if short:
        return "does not cover " + ",".join(short)
    long = [s for s in common if len(unit[s]) > len(place[s]) + SLACK]
    if long:
        return "reads more than the place in " + ",".join(long)
    if not any(place[s] for s in common):
        return "no token of the place"
    if grouping({s: place[s] for s in common}, words) != grouping({s: unit[s] for s in common}, words):
        return "groups otherwise"
    return ""


def found_places(places, units, words, moves: bool = True, stretch=None, whole: bool = False) -> list[bool]:
    """Per place: whether one of ``units`` ({siglum: token indices}, None for a lacuna) finds it.

    With ``moves``, a transposition is also found as one unit: where the expert records a word moved
    as two places (an addition where it goes, an omission where it was), a unit that covers both
    places and the columns between them (with the usual slack) and groups the witnesses as the
    expert does over that stretch finds both, provided two witnesses read the words of the two
    places in another order (a move; other witnesses may read otherwise there). ``stretch(a, b)``
    gives the tokens of the columns from place ``a`` to place ``b``. With ``whole`` (the places as
    the experts related them, where a move the expert did not relate is a place per column it
    touches), two witnesses must read the words of the whole stretch in another order and read
    otherwise at both its end places (``moved``), and the unit then finds every place inside it."""
    hit = [any(not verdict(place, unit, words) for unit in units) for place in places]
    if not moves:
        return hit
    for unit in units:
        touched = [k for k, place in enumerate(places) if any(unit.get(s) and unit[s] & place[s] for s in place)]
        for x, a in enumerate(touched):
            for b in touched[x + 1 :]:
                if all(hit[a : b + 1] if whole else (hit[a], hit[b])):
                    continue
                both = {s: places[a][s] | places[b][s] for s in places[a] if s in places[b]}
                if whole:
                    if not moved(places[a], places[b], stretch(a, b), words):
                        continue
                    between = stretch(a, b)
                    both = {s: v | between.get(s, set()) for s, v in both.items()}
                else:
                    read = {tuple(norm(words[s][i]) for i in sorted(indices)) for s, indices in both.items()}
                    if not any(x != y and sorted(x) == sorted(y) for x in read for y in read):
                        continue  # no witness reads the two places' words in another order: no move
                if stretch is not None and not whole:  # the unit must find the columns between them too
                    between = stretch(a, b)
                    both = {s: v | between.get(s, set()) for s, v in both.items()}
                if not verdict(both, unit, words):
                    for k in range(a, b + 1) if whole else (a, b):
                        hit[k] = True
    return hit


def moved(first, last, stretch, words) -> bool:
    """Whether two witnesses read the words of ``stretch`` (from place ``first`` to place ``last``) in
    another order, and read otherwise at ``first`` and at ``last`` (the move begins and ends there)."""

    def text(siglum, indices):
        return tuple(norm(words[siglum][i]) for i in sorted(indices))

    sigla = [s for s in first if s in last and s in stretch]
    return any(
        text(s, stretch[s]) != text(t, stretch[t])
        and sorted(text(s, stretch[s])) == sorted(text(t, stretch[t]))
        and text(s, first[s]) != text(t, first[t])
        and text(s, last[s]) != text(t, last[t])
        for x, s in enumerate(sigla)
        for t in sigla[x + 1 :]
    )


def found(places, units, words, moves: bool = True, stretch=None, whole: bool = False) -> int:
    """How many places one of ``units`` finds."""
    return sum(found_places(places, units, words, moves, stretch, whole))


def twins(place, cols, at, words) -> list[tuple[str, str]]:
    """Pairs of witnesses the expert groups apart at ``place`` although they read alike (normalised)
    over its columns and CONTEXT columns either side: a collation that aligns the same text the same
    way gives both one reading in a unit there, so it cannot find the place (the expert aligned one
    scribe's words otherwise than another's identical ones)."""

    def text(siglum, lo, hi):
        return tuple(norm(words[siglum][i]) for c in sorted(at[siglum]) if lo <= c <= hi for i in at[siglum][c])

    lo, hi = cols[0] - CONTEXT, cols[-1] + CONTEXT
    sigla = sorted(place)
    return [
        (a, b)
        for x, a in enumerate(sigla)
        for b in sigla[x + 1 :]
        if text(a, cols[0], cols[-1]) != text(b, cols[0], cols[-1]) and text(a, lo, hi) == text(b, lo, hi)
    ]


def show_misses(places, columns, units, words, stretch=None, at=None, whole: bool = False) -> None:
    """Each place ``units`` miss: the expert's readings, then every unit that shares a token with it
    (and, given ``at``, the witnesses the expert groups apart although they read alike there)."""

    def readings(tokens):  # grouped by normalised form, shown in the first witness's spelling
        groups: dict[tuple, list[str]] = {}
        shown: dict[tuple, str] = {}
        for siglum, indices in tokens.items():
            key = tuple(norm(words[siglum][i]) for i in sorted(indices))
            groups.setdefault(key, []).append(siglum)
            shown.setdefault(key, " ".join(words[siglum][i] for i in sorted(indices)) or "∅")
        ordered = sorted(groups, key=lambda k: -len(groups[k]))
        return " | ".join(f"{shown[k]} [{','.join(groups[k])}]" for k in ordered)

    for place, cols, hit in zip(places, columns, found_places(places, units, words, stretch=stretch, whole=whole)):
        if hit:
            continue
        print(f"  MISSED columns {cols[0]}-{cols[-1]}: {readings(place)}")
        alike = twins(place, cols, at, words) if at is not None else []
        if alike:
            shown = ", ".join(f"{a}={b}" for a, b in alike[:3]) + (" ..." if len(alike) > 3 else "")
            print(
                f"    unfindable: read alike over columns {cols[0] - CONTEXT}-{cols[-1] + CONTEXT}, grouped apart: {shown}"
            )
        near = [u for u in units if any(u.get(s) and (u[s] & place[s]) for s in place)]
        for unit in near:
            extant = {s: v for s, v in unit.items() if v is not None}
            print(f"    unit: {readings(extant)}  -- {verdict(place, unit, words)}")
        if not near:
            print("    no unit shares a token with it")


def ours_units(collation, offsets) -> list[dict]:
    out = []
    for variant in collation.variants():
        unit: dict = {}
        for reading in variant.readings:
            for siglum in reading.witnesses:
                if reading.type == "lac":
                    unit[siglum] = None
                    continue
                chosen = unit.setdefault(siglum, set())
                for span in reading.spans:
                    if span.siglum != siglum:
                        continue
                    chosen.update(k for k, (a, b) in enumerate(offsets[siglum]) if a < span.end and b > span.start)
        out.append(unit)
    return out


def collatex_units(table: dict, sigla, lacunose) -> list[dict]:
    """Runs of columns where the normalised tokens differ; an empty cell inside a witness's lacuna
    (``lacunose(siglum, previous token, next token)``) is no difference (CollateX has no lacunae)."""
    rows = table["table"]
    out, run = [], None
    seen = [-1] * len(rows)
    nexts = []
    for row in rows:
        following, upcoming = [], None
        for cell in reversed(row):
            following.append(upcoming)
            if cell:
                upcoming = cell[0]["k"]
        nexts.append(following[::-1])
    for column in range(len(rows[0]) if rows else 0):
        cells = []
        for i, (siglum, row) in enumerate(zip(sigla, rows)):
            cell = row[column][0] if row[column] else None
            if cell is not None:
                seen[i] = cell["k"]
                cells.append(cell["n"])
            elif not lacunose(siglum, seen[i], nexts[i][column]):
                cells.append(None)
        if len(set(cells)) > 1:
            if run is None:
                run = {s: set() for s in sigla}
                out.append(run)
            for siglum, row in zip(sigla, rows):
                if row[column]:
                    run[siglum].add(row[column][0]["k"])
        else:
            run = None
    return out


def measure(name: str, tradition: Tradition, count: int, bound: float, misses: bool = False, related=()) -> dict:
    """One witness count: both place rules (``related``: ``load_relations``), ours and CollateX."""
    chosen = tradition[:count]
    spans = extant(chosen)
    columns: list = []
    places = expert_places(chosen, spans, columns)
    columns_rel: list = []
    places_rel = expert_places(chosen, spans, columns_rel, related=list(related))
    words = {s: [t for t, _ in tokens if t != "#LACUNA#"] for s, tokens in chosen}
    given = texts(chosen, spans)
    wits = [
        (s, [Unit(id="p1", kind="p", section_id="s1", text=given[s][0], lang=None, inferred=False)]) for s, _ in chosen
    ]
    offsets = {s: given[s][1] for s, _ in chosen}
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        result = collate(wits, OPTIONS)
        runs.append(time.perf_counter() - start)
    tracemalloc.start()
    collate(wits, OPTIONS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    ours = ours_units(result, offsets)
    at: dict[str, dict[int, list[int]]] = {}
    for siglum, tokens in chosen:
        for index, (_, rank) in enumerate((t, r) for t, r in tokens if t != "#LACUNA#"):
            at.setdefault(siglum, {}).setdefault(rank, []).append(index)

    def stretcher(places, columns):
        def stretch(a: int, b: int) -> dict[str, set[int]]:
            """Tokens of the columns from the first of place ``a`` to the last of place ``b``."""
            lo, hi = min(columns[a][0], columns[b][0]), max(columns[a][-1], columns[b][-1])
            return {s: {i for c, ids in at.get(s, {}).items() if lo <= c <= hi for i in ids} for s in places[a]}

        return stretch

    stretch, stretch_rel = stretcher(places, columns), stretcher(places_rel, columns_rel)
    if misses:
        print(f"{len(chosen)} witnesses: places ours misses (columns joined by witnesses)")
        show_misses(places, columns, ours, words, stretch, at)
        print(f"{len(chosen)} witnesses: places ours misses (places as the experts related them)")
        show_misses(places_rel, columns_rel, ours, words, stretch_rel, at, whole=True)
    row = dict(
        witnesses=len(chosen),
        places=len(places),
        places_rel=len(places_rel),
        ours_found=found(places, ours, words, stretch=stretch),
        ours_strict=found(places, ours, words, moves=False),
        ours_found_rel=found(places_rel, ours, words, stretch=stretch_rel, whole=True),
        ours_strict_rel=found(places_rel, ours, words, moves=False),
        ours_units=len(ours),
        ours_largest=max((len(v) for u in ours for v in u.values() if v), default=0),
        ours_s=statistics.median(runs),
        ours_mb=peak / 1e6,
    )
    payload = {
        "witnesses": [
            {"id": s, "tokens": [{"t": t, "n": norm(t) or t, "k": k} for k, t in enumerate(words[s])]}
            for s, _ in chosen
            if words[s]
        ]
    }
    cx = run_collatex(payload, bound) if bound > 0 else None
    if cx is None:
        row.update(cx_found=None, cx_strict=None, cx_units=None, cx_largest=None, cx_s=None, cx_mb=None)
        row.update(cx_found_rel=None, cx_strict_rel=None)
    else:
        seconds, peak, table = cx
        interval = {s: [] for s, _ in chosen}
        for s, tokens in chosen:
            for t, rank in tokens:
                if t != "#LACUNA#":
                    interval[s].append(next(k for k, (a, b) in enumerate(spans[s]) if a <= rank <= b))
        first = min(r for _, tokens in chosen for _, r in tokens)
        last = max(r for _, tokens in chosen for _, r in tokens)

        def lacunose(siglum, before, after):
            own = interval[siglum]
            if before < 0:
                return spans[siglum][0][0] > first
            if after is None:
                return spans[siglum][-1][1] < last
            return own[before] != own[after]

        theirs = collatex_units(table, [w["id"] for w in payload["witnesses"]], lacunose)
        row.update(
            cx_found=found(places, theirs, words, stretch=stretch),
            cx_strict=found(places, theirs, words, moves=False),
            cx_found_rel=found(places_rel, theirs, words, stretch=stretch_rel, whole=True),
            cx_strict_rel=found(places_rel, theirs, words, moves=False),
            cx_units=len(theirs),
            cx_largest=max((len(v) for u in theirs for v in u.values()), default=0),
            cx_s=seconds,
            cx_mb=peak / 1e6,
        )
    return row


def report(name: str, tradition: Tradition, bound: float, sizes=SIZES, misses: bool = False, related=()) -> None:
    """One line per witness count, the places by both rules: "columns joined by witnesses" (left, with
    units, time and memory) and "places as the experts related them" (right). For each: found (a move
    as one unit or as the expert's two places) and strict (a move found only as the expert records it,
    an addition and an omission)."""
    cx_width = 45
    print(f"\n{name}: {len(tradition)} witnesses, {len(related)} relationships across ranks")
    print(f"{'':11} | {'columns joined by witnesses':^95} || {'places as the experts related them':^39}")
    print(
        f"{'wits':>4} {'places':>6} | {'ours found':>10} {'strict':>6} {'units':>5} {'largest':>7} {'time s':>7} "
        f"{'MB':>5} | {'CX found':>10} {'strict':>6} {'units':>5} {'largest':>7} {'time s':>7} {'MB':>5} || "
        f"{'places':>6} | {'ours found':>10} {'strict':>6} | {'CX found':>10} {'strict':>6}"
    )
    for count in sizes:
        if count > len(tradition):
            count = len(tradition)
        r = measure(name, tradition, count, bound, misses, related)
        places, places_rel = max(1, r["places"]), max(1, r["places_rel"])
        line = (
            f"{r['witnesses']:4} {r['places']:6} | {r['ours_found']:4} {r['ours_found'] / places:>5.0%} "
            f"{r['ours_strict'] / places:>6.0%} {r['ours_units']:5} {r['ours_largest']:7} {r['ours_s']:7.3f} "
            f"{r['ours_mb']:5.1f} | "
        )
        if r["cx_found"] is None:
            line += f"killed at {bound:.0f} s".ljust(cx_width)
        else:
            line += (
                f"{r['cx_found']:4} {r['cx_found'] / places:>5.0%} {r['cx_strict'] / places:>6.0%} {r['cx_units']:5} "
                f"{r['cx_largest']:7} {r['cx_s']:7.2f} {r['cx_mb']:5.1f}"
            )
        line += (
            f" || {r['places_rel']:6} | {r['ours_found_rel']:4} {r['ours_found_rel'] / places_rel:>5.0%} "
            f"{r['ours_strict_rel'] / places_rel:>6.0%} | "
        )
        if r["cx_found_rel"] is None:
            line += "killed"
        else:
            line += (
                f"{r['cx_found_rel']:4} {r['cx_found_rel'] / places_rel:>5.0%} {r['cx_strict_rel'] / places_rel:>6.0%}"
            )
        print(line, flush=True)
        if count == len(tradition):
            break


#: The traditions by name: (title, loader, file); all but John are held out.
TRADITIONS = {
    "john": ("John 18:38-39 (IGNTP, Text::Tradition's john.xml)", load_graphml, "john-18-38.graphml"),
    "florilegium": ("Florilegium (Tree of Texts), held out", load_table, "florilegium.csv"),
    "besoin": ('"Notre besoin" (13 hand copies), held out', load_table, "besoin.csv"),
    "legendfrag": ("Legend of Bishop Henry (37 manuscripts), held out", load_graphml, "legendfrag.graphml"),
    "sermo170": (
        "Augustine, Sermo 170 (18 witnesses and a first hand), held out",
        load_graphml,
        "augustine-sermo-170.graphml",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bound", type=float, default=60.0, help="CollateX time bound, s (default 60; 0: ours only)")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help='also score the held-out traditions (florilegium, "Notre besoin", legend, Sermo 170)',
    )
    parser.add_argument(
        "--misses", action="store_true", help="print each place ours misses on John and the units that share its tokens"
    )
    parser.add_argument("--only", default=None, help="score only these traditions (comma-separated: john,besoin)")
    parser.add_argument("--sizes", default=None, help="witness counts (comma-separated; default 2,5,10,20,30)")
    args = parser.parse_args()
    held_out = ["florilegium", "besoin", "legendfrag", "sermo170"]
    names = args.only.split(",") if args.only else ["john", *(held_out if args.held_out else [])]
    sizes = tuple(int(n) for n in args.sizes.split(",")) if args.sizes else SIZES
    for name in names:
        title, load, path = TRADITIONS[name]
        related = load_relations(DATA / path)
        report(title, load(DATA / path), args.bound, sizes, misses=args.misses and name == "john", related=related)


if __name__ == "__main__":
    main()
