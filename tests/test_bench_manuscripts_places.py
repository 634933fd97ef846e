"""The expert's places in ``bench/manuscripts.py``: the two place rules, the experts' relationships and
first hands read from a Stemmaweb graph, and a move the editor did not type (small graphs made here)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "manuscripts.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_manuscripts", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def graphml(readings, paths, relations=(), extra=()):
    """A Stemmaweb graph: ``readings`` {id: (text, rank)}, ``paths`` {siglum: [id, ...]} from start to end,
    ``relations`` [(id, id, type)], ``extra`` [(siglum, id, id)] path edges of a first hand."""
    keys = [("text", "node", "n0"), ("rank", "node", "n1"), ("is_start", "node", "n2"), ("is_end", "node", "n3")]
    keys += [("witness", "edge", "e0"), ("type", "edge", "e1"), ("extra", "edge", "e2")]
    out = ['<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    out += [f'<key attr.name="{name}" for="{kind}" id="{key}"/>' for name, kind, key in keys]
    last = max(rank for _, rank in readings.values()) + 1
    nodes = ['<node id="s"><data key="n0">#START#</data><data key="n1">0</data><data key="n2">1</data></node>']
    nodes.append(f'<node id="e"><data key="n0">#END#</data><data key="n1">{last}</data><data key="n3">1</data></node>')
    for node, (text, rank) in readings.items():
        nodes.append(f'<node id="{node}"><data key="n0">{text}</data><data key="n1">{rank}</data></node>')
    edges = []
    for siglum, path in paths.items():
        steps = ["s", *path, "e"]
        for a, b in zip(steps, steps[1:]):
            edges.append(f'<edge source="{a}" target="{b}"><data key="e0">{siglum}</data></edge>')
    for siglum, a, b in extra:
        edges.append(
            f'<edge source="{a}" target="{b}"><data key="e0">{siglum}</data><data key="e2"> (a.c.)</data></edge>'
        )
    out += ['<graph id="text">', *nodes, *edges, "</graph>", '<graph id="relationships">']
    out += [f'<edge source="{a}" target="{b}"><data key="e1">{kind}</data></edge>' for a, b, kind in relations]
    out += ["</graph>", "</graphml>"]
    return "\n".join(out)


def load(bench, tmp_path, *args, **kwargs):
    path = tmp_path / "t.graphml"
    path.write_text(graphml(*args, **kwargs), encoding="utf-8")
    return bench.load_graphml(path), bench.load_relations(path)


# "a red fox ran" / "a rud fix ran" / "a red fox ran": B departs in two neighbouring columns.
SPELLINGS = (
    {"a": ("a", 1), "r": ("red", 2), "u": ("rud", 2), "f": ("fox", 3), "i": ("fix", 3), "n": ("ran", 4)},
    {"A": ["a", "r", "f", "n"], "B": ["a", "u", "i", "n"], "C": ["a", "r", "f", "n"]},
)


def test_columns_joined_by_witnesses_chain_where_the_expert_relates_nothing(bench, tmp_path):
    tradition, related = load(bench, tmp_path, *SPELLINGS)
    spans = bench.extant(tradition)
    joined, alone = [], []
    bench.expert_places(tradition, spans, joined)
    bench.expert_places(tradition, spans, alone, related=related)
    assert related == []
    assert joined == [[2, 3]]
    assert alone == [[2], [3]]


def test_a_transposition_the_editor_typed_is_one_place(bench, tmp_path):
    # "in habitat cum principe mundi" / "in cum principe habitat mundi", habitat related across ranks
    readings = {"i": ("in", 1), "h": ("habitat", 2), "c": ("cum", 3), "p": ("principe", 4), "H": ("habitat", 5)}
    readings["m"] = ("mundi", 6)
    paths = {"F": ["i", "h", "c", "p", "m"], "M": ["i", "c", "p", "H", "m"], "W": ["i", "h", "c", "p", "m"]}
    relations = [("h", "H", "transposition"), ("c", "p", "repetition")]
    tradition, related = load(bench, tmp_path, readings, paths, relations)
    assert related == [{(2, "habitat"), (5, "habitat")}]
    spans = bench.extant(tradition)
    columns = []
    places = bench.expert_places(tradition, spans, columns, related=related)
    assert columns == [[2, 3, 4, 5]]
    assert places == [{"F": {1, 2, 3}, "M": {1, 2, 3}, "W": {1, 2, 3}}]
    # with only F and W, nobody reads the moved word at rank 5: no place at all
    assert bench.expert_places(tradition[::2], bench.extant(tradition[::2]), related=related) == []


def test_relationships_of_one_rank_join_nothing(bench, tmp_path):
    tradition, related = load(bench, tmp_path, *SPELLINGS, relations=[("r", "u", "orthographic")])
    assert related == []


def test_a_first_hand_is_a_witness_of_its_own(bench, tmp_path):
    readings = {"a": ("a", 1), "r": ("red", 2), "f": ("fox", 3)}
    tradition, _ = load(bench, tmp_path, readings, {"A": ["a", "r", "f"]}, extra=[("A", "a", "f")])
    assert tradition == [("A", [("a", 1), ("red", 2), ("fox", 3)]), ("A (a.c.)", [("a", 1), ("fox", 3)])]


def test_a_move_the_editor_did_not_type_is_found_by_one_unit_over_it_only(bench, tmp_path):
    # "v w x a b c y z" / "v w x b c a y z": the expert aligns a twice (ranks 4 and 7), nothing related
    readings = {"v": ("v", 1), "w": ("w", 2), "x": ("x", 3), "a": ("a", 4), "b": ("b", 5), "c": ("c", 6)}
    readings.update({"A": ("a", 7), "y": ("y", 8), "z": ("z", 9)})
    paths = {"P": ["v", "w", "x", "a", "b", "c", "y", "z"], "Q": ["v", "w", "x", "b", "c", "A", "y", "z"]}
    tradition, related = load(bench, tmp_path, readings, paths)
    spans = bench.extant(tradition)
    columns = []
    places = bench.expert_places(tradition, spans, columns, related=related)
    assert columns == [[4], [7]]
    words = {s: [t for t, _ in tokens] for s, tokens in tradition}
    at = {s: {rank: [i] for i, (_, rank) in enumerate(tokens)} for s, tokens in tradition}

    def stretch(a, b):
        lo, hi = columns[a][0], columns[b][-1]
        return {s: {i for c, ids in at[s].items() if lo <= c <= hi for i in ids} for s in places[a]}

    over_the_move = [{"P": {3, 4, 5}, "Q": {3, 4, 5}}]
    over_everything = [{"P": set(range(8)), "Q": set(range(8))}]
    assert bench.found(places, over_the_move, words, moves=False) == 0
    assert bench.found(places, over_the_move, words, stretch=stretch, whole=True) == 2
    assert bench.found(places, over_everything, words, stretch=stretch, whole=True) == 0
