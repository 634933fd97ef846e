"""How the witnesses of a work relate: pairwise agreement over the variation units of its
apparatus, the witnesses ordered so that groups show, a tree, and the apparatus handed to
teiphy for the formats stemmatologists' tools read (NEXUS, PHYLIP, FASTA, ...).

Plain Python + numpy + scipy + lxml (no Django).

A **variation unit** is an ``app`` of the apparatus; two witnesses **agree** in it when they
stand in the same reading (``rdg``/``lem``). A witness reads nothing (is *missing*, not in
agreement or disagreement with anyone) in an app

- where its reading is typed ``lac`` (a lacuna),
- where it stands in no reading (TEI allows leaving a lacunose witness out of an app),
- where it stands in two readings (ambiguous),
- before its ``witStart``, after its ``witEnd``, between ``lacunaStart`` and ``lacunaEnd``,
  and in an app holding one of these marks for it (its reading there is partial).

Apps typed ``lacuna`` (text every extant witness shares where another has a lacuna) are not
places of variation and are left out. The share of agreement of two witnesses is over the units
where both read something; the distance is one minus it. Witnesses are ordered by the leaves of
an average-linkage (UPGMA) clustering of those distances with optimal leaf ordering, so that
witnesses that agree stand next to each other, and the clustering is the tree.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree

from ...csvcells import neutralise
from ..xml import XML_ID, tei

#: Reading type of a lacuna: the witness reads nothing there (TEI's and teiphy's ``lac``).
LACUNA = "lac"
#: Marks that open and close a stretch a witness lacks.
OPEN = {tei("lacunaStart"), tei("witEnd")}
CLOSE = {tei("lacunaEnd"), tei("witStart")}
MARKS = OPEN | CLOSE
READINGS = {tei("rdg"), tei("lem")}


@dataclass(frozen=True)
class Witness:
    ident: str  #: ``witness/@xml:id`` (what ``@wit`` points to)
    siglum: str  #: ``@n``, else the id
    title: str  #: the witness element's text
    target: str = ""  #: ``@corresp``: the witness's file, relative to the apparatus


@dataclass(frozen=True)
class Unit:
    """One app: its id and type, and each witness's reading in it (index among the app's readings, or None)."""

    position: int  #: 1 for the first app of the file (apps typed 'lacuna' included)
    ident: str
    type: str
    cells: tuple[int | None, ...]


@dataclass
class Apparatus:
    witnesses: list[Witness]
    units: list[Unit]

    @property
    def sigla(self) -> list[str]:
        return [w.siglum for w in self.witnesses]


class ApparatusError(ValueError):
    """The apparatus cannot be read as variation units (no witness list, a siglum used twice)."""


def read_apparatus(root: etree._Element) -> Apparatus:
    """The witnesses and variation units of a TEI apparatus (parallel segmentation)."""
    witnesses = _witnesses(root)
    index = {w.ident: k for k, w in enumerate(witnesses)}
    # a witness that starts later lacks the text before
    gone: set[int] = set().union(*(_wit(mark, index) for mark in root.iter(tei("witStart"))))
    position = 0
    units = []
    for el in _body(root).iter():
        if el.tag == tei("app"):
            unit, gone = _unit(el, index, gone, position := position + 1)
            if unit is not None:
                units.append(unit)
        elif el.tag in MARKS and _app_of(el) is None:  # a mark in the shared text
            gone = _after(el, index, gone)
    return Apparatus(witnesses, units)


def _body(root) -> etree._Element:
    body = root.find(tei("text"))
    return body if body is not None else etree.Element(tei("text"))


def _witnesses(root) -> list[Witness]:
    found = root.find(f".//{tei('listWit')}")
    if found is None:
        raise ApparatusError("The apparatus has no witness list (listWit).")
    witnesses = []
    for wit in found.iter(tei("witness")):
        ident = wit.get(XML_ID) or wit.get("n") or ""
        siglum = wit.get("n") or ident
        title = " ".join("".join(wit.itertext()).split()) or siglum
        witnesses.append(Witness(ident, siglum, title, (wit.get("corresp") or "").split("#")[0]))
    for attr in ("ident", "siglum"):
        values = [getattr(w, attr) for w in witnesses]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice or "" in values:
            raise ApparatusError(f"Witness {attr} used twice or empty in listWit: {', '.join(twice) or '(empty)'}")
    return witnesses


def _wit(el, index: dict[str, int]) -> set[int]:
    """The witnesses an element speaks for: its own @wit, else that of the reading it stands in."""
    node = el
    while node is not None and node.get("wit") is None:
        node = node.getparent()
    refs = (node.get("wit") or "").split() if node is not None else []
    return {index[r.lstrip("#")] for r in refs if r.lstrip("#") in index}


def _app_of(el):
    return next((a for a in el.iterancestors(tei("app"))), None)


def _after(mark, index, gone: set[int]) -> set[int]:
    wits = _wit(mark, index)
    return gone | wits if mark.tag in OPEN else gone - wits


def _unit(app, index: dict[str, int], gone: set[int], position: int) -> tuple[Unit | None, set[int]]:
    """The unit of an app (None for an app typed 'lacuna') and who lacks the text after it."""
    marks = [el for el in app.iter() if el.tag in MARKS and _app_of(el) is app]
    partial = set().union(*(_wit(m, index) for m in marks)) if marks else set()
    after = gone
    for mark in marks:
        after = _after(mark, index, after)
    if app.get("type") == "lacuna":
        return None, after
    seen: dict[int, list[int]] = {}
    readings = [r for r in app.iter(*READINGS) if _app_of(r) is app]
    for k, rdg in enumerate(readings):
        for w in _wit(rdg, index) if rdg.get("wit") else ():
            seen.setdefault(w, []).append(-1 if rdg.get("type") == LACUNA else k)
    cells = tuple(
        None if w in gone or w in partial or len(seen.get(w, ())) != 1 or seen[w][0] < 0 else seen[w][0]
        for w in range(len(index))
    )
    ident = app.get(XML_ID) or app.get("n") or f"app{position}"
    return Unit(position, ident, app.get("type") or "", cells), after


@dataclass(frozen=True)
class Node:
    """A node of the tree: a leaf (``leaf`` = witness index) or a join at ``height`` (a distance)."""

    height: float
    leaf: int | None = None
    children: tuple[Node, ...] = ()


@dataclass
class Relations:
    """Pairwise agreement of witnesses; ``order`` lists witness indices so that groups show."""

    witnesses: list[Witness]
    agree: np.ndarray  #: agree[i, j]: units where i and j stand in the same reading
    extant: np.ndarray  #: extant[i, j]: units where both read something (extant[i, i]: where i does)
    units: int  #: the variation units counted
    order: list[int] = field(default_factory=list)
    tree: Node | None = None

    @property
    def sigla(self) -> list[str]:
        return [w.siglum for w in self.witnesses]

    def share(self, i: int, j: int) -> float | None:
        """Share of the units both witnesses read where they agree; None if they share none."""
        return self.agree[i, j] / self.extant[i, j] if self.extant[i, j] else None

    def closest(self, i: int) -> int | None:
        """The witness agreeing most with witness ``i`` (None with one witness or no shared unit)."""
        shares = [(s, j) for j in range(len(self.sigla)) if j != i and (s := self.share(i, j)) is not None]
        return max(shares)[1] if shares else None


def select(apparatus: Apparatus, types: list[str] | None = None, extant: float = 0) -> Apparatus:
    """The units of these app types (all if none given), and the witnesses that read at least
    ``extant`` percent of them (a fragment below it is left out, as teiphy's fragmentary threshold does)."""
    units = [u for u in apparatus.units if not types or u.type in types]
    reads = [sum(u.cells[k] is not None for u in units) for k in range(len(apparatus.witnesses))]
    kept = [k for k, n in enumerate(reads) if 100 * n >= extant * len(units)]
    units = [Unit(u.position, u.ident, u.type, tuple(u.cells[k] for k in kept)) for u in units]
    # a unit none of them reads tells nothing (and teiphy refuses an app without a reading)
    return Apparatus([apparatus.witnesses[k] for k in kept], [u for u in units if any(c is not None for c in u.cells)])


def relations(apparatus: Apparatus, types: list[str] | None = None) -> Relations:
    """Agreement of every pair of witnesses over the units (of these app types, if given)."""
    units = select(apparatus, types).units
    n = len(apparatus.witnesses)
    cells = np.array([[-1 if c is None else c for c in u.cells] for u in units], dtype=np.int32).reshape(len(units), n)
    cells = cells.T  # witnesses × units
    present = cells >= 0
    agree = np.zeros((n, n), dtype=np.int64)
    extant = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        both = present & present[i]
        extant[i] = both.sum(axis=1)
        agree[i] = (both & (cells == cells[i])).sum(axis=1)
    result = Relations(list(apparatus.witnesses), agree, extant, len(units))
    result.order, result.tree = _cluster(result)
    return result


def distances(rel: Relations) -> np.ndarray:
    """1 − share of agreement; pairs that share no unit are as far apart as can be (1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d = 1.0 - rel.agree / rel.extant
    d[rel.extant == 0] = 1.0
    np.fill_diagonal(d, 0.0)
    return d


def _cluster(rel: Relations) -> tuple[list[int], Node | None]:
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    n = len(rel.sigla)
    if n < 2:
        return list(range(n)), Node(0.0, 0) if n else None
    condensed = squareform(distances(rel), checks=False)
    z = linkage(condensed, method="average")
    if n > 2:
        z = optimal_leaf_ordering(z, condensed)
    nodes = [Node(0.0, k) for k in range(n)]
    for a, b, height, _ in z:
        nodes.append(Node(float(height), None, (nodes[int(a)], nodes[int(b)])))
    return [int(k) for k in leaves_list(z)], nodes[-1]


def percent(agree: int, extant: int) -> str:
    """'87%': rounded, but never 100% unless all agree, never 0% unless none do."""
    value = round(100 * agree / extant)
    if agree < extant:
        value = min(value, 99)
    if agree:
        value = max(value, 1)
    return f"{value}%"


def newick(rel: Relations) -> str:
    """The tree in Newick, sigla quoted, branch lengths as UPGMA's (half the distance at each join), so
    the path between two witnesses is their groups' average distance (1 − share of agreement)."""

    def label(node: Node) -> str:
        if node.leaf is not None:
            return "'" + rel.sigla[node.leaf].replace("'", "''") + "'"
        return "(" + ",".join(f"{label(c)}:{(node.height - c.height) / 2:.6f}" for c in node.children) + ")"

    return (label(rel.tree) if rel.tree is not None else "") + ";\n"


# ---------------------------------------------------------------- the tree as a drawing


@dataclass
class Drawing:
    """A dendrogram laid out left to right: the root at the left, the leaves (in ``order``) at the right."""

    width: float
    height: float
    lines: list[tuple[float, float, float, float]]  #: x1, y1, x2, y2
    leaves: list[tuple[float, float, int]]  #: x, y of the label, witness index
    ticks: list[tuple[float, str]]  #: x on the scale, label (share of agreement)
    axis_y: float


def dendrogram(rel: Relations, plot_width: float = 480, row: float = 24) -> Drawing | None:
    """The tree of ``rel`` as lines: a join's x says how much its two groups agree on average (right: 100%)."""
    if rel.tree is None or len(rel.sigla) < 2:
        return None
    label_width = 24 + 8 * max(len(s) for s in rel.sigla)  # room for the longest siglum at 13px
    left, top = 10.0, 12.0
    top_height = max(rel.tree.height, 1e-9)
    slot = {leaf: k for k, leaf in enumerate(rel.order)}

    def x(height: float) -> float:
        return left + plot_width * (1 - height / top_height)

    lines: list[tuple[float, float, float, float]] = []
    leaves: list[tuple[float, float, int]] = []

    def place(node: Node) -> float:
        """Draw ``node``'s subtree; return the y of its stem."""
        if node.leaf is not None:
            y = top + row * slot[node.leaf]
            leaves.append((x(0) + 6, y, node.leaf))
            return y
        ys = [place(child) for child in node.children]
        for child, y in zip(node.children, ys):
            lines.append((x(node.height), y, x(child.height), y))
        lines.append((x(node.height), min(ys), x(node.height), max(ys)))
        return (min(ys) + max(ys)) / 2

    root_y = place(rel.tree)
    lines.append((left, root_y, x(rel.tree.height), root_y))
    axis_y = top + row * (len(rel.sigla) - 0.5) + 4
    lowest = 1 - top_height  # agreement at the root
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if top_height / s <= 6)
    ticks = []
    share = 1.0
    while share >= lowest - 1e-9:
        ticks.append((x(1 - share), f"{round(share * 100)}%"))
        share -= step
    return Drawing(left + plot_width + label_width, axis_y + 24, lines, leaves, ticks, axis_y)


# ---------------------------------------------------------------- the formats of teiphy

#: Download name suffix -> (teiphy format name, table type or None, media type).
FORMATS = {
    "nexus": ("NEXUS", None, "text/plain; charset=utf-8"),
    "phy": ("PHYLIP", None, "text/plain; charset=utf-8"),
    "fasta": ("FASTA", None, "text/plain; charset=utf-8"),
    "tnt": ("HENNIG86", None, "text/plain; charset=utf-8"),
    "csv": ("CSV", None, "text/csv; charset=utf-8"),
    "tsv": ("TSV", None, "text/tab-separated-values; charset=utf-8"),
    "xlsx": ("EXCEL", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "distances.csv": ("CSV", "distance", "text/csv; charset=utf-8"),
    "distances.phy": ("PHYLIP", "distance", "text/plain; charset=utf-8"),
    "beast.xml": ("BEAST", None, "application/xml"),
    "stemma.zip": ("STEMMA", None, "application/zip"),
}


def for_teiphy(root: etree._Element, selected: Apparatus | None = None) -> etree._ElementTree:
    """A copy of the apparatus as teiphy should read it, with the units and missing cells of
    :func:`read_apparatus` (or of ``selected``, a :func:`select` of it: its units and witnesses only):
    witnesses named by siglum; ``witDetail`` (finer differences inside a reading, not readings),
    lacuna marks and apps typed 'lacuna' or not selected removed; a witness that reads nothing in an
    app (a lacuna, two readings) taken out of its readings, which teiphy reads as missing."""
    selected = selected or read_apparatus(root)
    copy = etree.fromstring(etree.tostring(root))
    # names that reach teiphy's CSV and Excel tables cannot be spreadsheet formulas
    ids = {w.ident: neutralise(w.siglum) for w in selected.witnesses}
    for wit in list(copy.find(f".//{tei('listWit')}").iter(tei("witness"))):
        ident = wit.get(XML_ID) or wit.get("n")
        if ident not in ids:
            wit.getparent().remove(wit)
            continue
        wit.attrib.pop(XML_ID, None)  # teiphy then names it by @n, the siglum
        wit.set("n", ids[ident])
    for el in list(copy.iter(tei("witDetail"), *MARKS)):
        el.getparent().remove(el)
    units = {u.position: u for u in selected.units}
    order = {ident: k for k, ident in enumerate(ids)}
    for position, app in enumerate(list(_body(copy).iter(tei("app"))), 1):
        unit = units.get(position)
        if unit is None:
            _drop(app)
            continue
        if app.get(XML_ID) is None:
            app.set("n", neutralise(unit.ident))
        readings = [r for r in app.iter(*READINGS) if _app_of(r) is app]
        for k, rdg in enumerate(readings):
            lacuna = rdg.get("type") == LACUNA
            refs = [ref.lstrip("#") for ref in (rdg.get("wit") or "").split()]
            kept = [ids[r] for r in refs if r in ids and unit.cells[order[r]] == (None if lacuna else k)]
            rdg.set("wit", " ".join(kept))
            if rdg.get(XML_ID) is None and rdg.get("n") is None:
                rdg.set("n", str(k + 1))  # teiphy tells readings apart by id, else by text
    return etree.ElementTree(copy)


def _drop(app) -> None:
    """Remove an app, keeping the text that follows it."""
    parent, tail = app.getparent(), app.tail
    previous = app.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(app)


def export(root: etree._Element, suffix: str, selected: Apparatus | None = None, stem: str = "witnesses") -> bytes:
    """The apparatus (or the ``selected`` units and witnesses of it) in a format of teiphy (a key of
    :data:`FORMATS`), with lacunae as missing data. STEMMA's input is two files, the second (the
    witnesses' dates, when they have some) named by the first: a ZIP of both, named ``stem`` and
    ``stem_chron``."""
    from teiphy import Collation, Format
    from teiphy.collation import IntrinsicRelationsException, ParsingException, TableType, WitnessDateException

    name, table, _ = FORMATS[suffix]
    tree = for_teiphy(root, selected)
    chatter = io.StringIO()  # teiphy prints warnings and progress bars: not for the reader
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
        try:
            collation = Collation(tree, missing_reading_types=[LACUNA])
            out = Path(tmp) / (stem if name == "STEMMA" else f"out.{suffix.rsplit('.', 1)[-1]}")
            options = {"table_type": TableType(table), "proportion": True} if table else {}
            collation.to_file(out, format=Format[name], **options)
        except (ParsingException, WitnessDateException, IntrinsicRelationsException, ValueError, KeyError) as exc:
            raise ApparatusError(f"teiphy could not write the {suffix} file: {exc}") from exc
        return _zip(Path(tmp)) if name == "STEMMA" else out.read_bytes()


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()
