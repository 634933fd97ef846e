"""How the witnesses relate (reader.tei.collate.relations): pairwise agreement over the units of an
apparatus, lacunae as missing data, the order and tree of an average-linkage clustering, and the
formats teiphy writes from the same units. A small apparatus counted by hand, the partisan article's
apparatus in the corpus, and Darwin's six editions of chapter I."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reader.tei.collate import collate
from reader.tei.collate.apparatus import write_apparatus
from reader.tei.collate.relations import (
    ApparatusError,
    dendrogram,
    export,
    for_teiphy,
    newick,
    percent,
    read_apparatus,
    relations,
    select,
)
from reader.tei.document import Unit
from reader.tei.xml import tei

ROOT = Path(__file__).resolve().parent.parent
DARWIN = ROOT / "bench" / "data" / "darwin-origin-ch1.json"
PARTISANS = ROOT / "corpus" / "tei" / "collations" / "soviet-partisans-in-latvia.xml"


def apparatus(body: str, sigla="ABCD") -> etree._Element:
    witnesses = "".join(f'<witness xml:id="wit-{s}" n="{s}">Witness {s}</witness>' for s in sigla)
    return etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc>'
        f"<listWit>{witnesses}</listWit></sourceDesc></fileDesc></teiHeader>"
        f'<text><body><ab type="alignment">{body}</ab></body></text></TEI>'
    )


def rdg(wits: str, text: str = "", **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<rdg wit="{" ".join("#wit-" + w for w in wits)}"{extra}>{text}</rdg>'


#: Counted by hand (reading index per witness, - for missing):
#:  app1 A0 B0 C1 D1 · app2 A0 B0 C0 D1 · app3 A0 B1 C1 D1 · app4 A0 B0 C1 D- (rdg type lac)
#:  app5 A0 B- C0 D1 (B in no reading) · app6 A0 B0 C- (lacunaStart in its reading) D0
#:  app7 A0 B0 C- (in its lacuna although listed) D1 · lacunaEnd · app8 A0 B1 C1 D1
#:  app9 typed 'lacuna' (not a unit) · app10 A0 B0 C0 D- (D in two readings: ambiguous)
HAND = apparatus(
    "Shared "
    f'<app xml:id="app1">{rdg("AB", "a")}{rdg("CD", "b")}</app> '
    f'<app xml:id="app2">{rdg("ABC", "c")}{rdg("D", "d")}</app> '
    f'<app xml:id="app3">{rdg("A", "e")}{rdg("BCD", "f")}</app> '
    f'<app xml:id="app4">{rdg("AB", "g")}{rdg("C", "h")}{rdg("D", "", type="lac")}</app> '
    f'<app xml:id="app5">{rdg("AC", "i")}{rdg("D", "j")}</app> '
    f'<app xml:id="app6">{rdg("ABD", "k")}{rdg("C", "l<lacunaStart/>")}</app> '
    f'<app xml:id="app7">{rdg("ABC", "m")}{rdg("D", "n")}</app> '
    '<lacunaEnd wit="#wit-C"/>'
    f'<app xml:id="app8">{rdg("A", "o")}{rdg("BCD", "p")}</app> '
    f'<app xml:id="app9" type="lacuna">{rdg("ABC", "q")}{rdg("D", "", type="lac")}</app> '
    f'<app xml:id="app10">{rdg("ABCD", "r")}{rdg("D", "s")}</app> end.'
)
CELLS = {  # app -> A, B, C, D
    "app1": (0, 0, 1, 1),
    "app2": (0, 0, 0, 1),
    "app3": (0, 1, 1, 1),
    "app4": (0, 0, 1, None),
    "app5": (0, None, 0, 1),
    "app6": (0, 0, None, 0),
    "app7": (0, 0, None, 1),
    "app8": (0, 1, 1, 1),
    "app10": (0, 0, 0, None),
}
#: (agree, both extant), counted from the table above.
PAIRS = {"AB": (6, 8), "AC": (3, 7), "AD": (1, 7), "BC": (4, 6), "BD": (3, 6), "CD": (3, 5)}


def test_hand_apparatus_cells_pairs_and_order():
    read = read_apparatus(HAND)
    assert read.sigla == list("ABCD")
    assert {u.ident: u.cells for u in read.units} == CELLS
    rel = relations(read)
    assert rel.units == 9
    for pair, counts in PAIRS.items():
        i, j = "ABCD".index(pair[0]), "ABCD".index(pair[1])
        assert (rel.agree[i, j], rel.extant[i, j]) == counts == (rel.agree[j, i], rel.extant[j, i]), pair
    assert [rel.extant[k, k] for k in range(4)] == [9, 8, 7, 7]  # units each witness reads
    # UPGMA: A+B at 0.25, C+D at 0.4, then the two groups; optimal leaf order puts B (closest to C) in the middle.
    assert [rel.sigla[k] for k in rel.order] in (list("ABCD"), list("DCBA"))
    groups = {frozenset(_leaves(child)) for child in rel.tree.children}
    assert groups == {frozenset({0, 1}), frozenset({2, 3})}
    heights = sorted(round(child.height, 4) for child in rel.tree.children)
    assert heights == [0.25, 0.4] and round(rel.tree.height, 4) == round(
        (4 / 7 + 6 / 7 + 2 / 6 + 3 / 6) / 4, 4
    )  # AC AD BC BD
    assert rel.closest(0) == 1 and rel.closest(3) == 2


def test_newick_of_the_hand_tree():
    """((A,B),(C,D)): A and B join at distance 0.25, so each is 0.125 from their node; the two groups at
    the average of AC, AD, BC, BD."""
    rel = relations(read_apparatus(HAND))
    text = newick(rel)
    root = (4 / 7 + 6 / 7 + 2 / 6 + 3 / 6) / 4
    assert re.fullmatch(r"\(\(.*\):[0-9.]+,\(.*\):[0-9.]+\);\n", text)
    assert "'A':0.125000" in text and "'B':0.125000" in text and "'C':0.200000" in text
    assert f"):{(root - 0.25) / 2:.6f}" in text and f"):{(root - 0.4) / 2:.6f}" in text
    odd = relations(read_apparatus(apparatus(f'<app xml:id="q">{rdg("A", "x")}{rdg("B", "y")}</app>', sigla="AB")))
    odd.witnesses[0] = odd.witnesses[0].__class__("wit-A", "O'Brien (1)", "t")
    assert "'O''Brien (1)'" in newick(odd)


def _leaves(node):
    return [node.leaf] if node.leaf is not None else [k for child in node.children for k in _leaves(child)]


def test_types_restrict_the_units():
    typed = etree.fromstring(etree.tostring(HAND))
    for app in typed.iter(tei("app")):
        if app.get("{http://www.w3.org/XML/1998/namespace}id") in ("app1", "app2"):
            app.set("type", "substantive")
    rel = relations(read_apparatus(typed), types=["substantive"])
    assert rel.units == 2 and (rel.agree[0, 2], rel.extant[0, 2]) == (1, 2)


START_E, END_E = '<witStart wit="#wit-E"/>d', 'e<witEnd wit="#wit-E"/>'


def test_select_leaves_out_fragments_below_a_threshold():
    """A reads 9 of the 9 units, B 8, C and D 7 (77.8%): at 78% C and D are left out, in the table and in
    teiphy's files."""
    read = read_apparatus(HAND)
    assert select(read, extant=77).sigla == list("ABCD")
    kept = select(read, extant=78)
    assert kept.sigla == ["A", "B"] and len(kept.units) == 9
    rel = relations(kept)
    assert (rel.agree[0, 1], rel.extant[0, 1]) == PAIRS["AB"]
    ntax, _, rows = nexus_matrix(export(HAND, "nexus", kept).decode())
    assert ntax == 2 and set(rows) == {"A", "B"}


def test_wit_start_and_end_mark_a_fragment():
    """E begins in x2 and breaks off in x3 (marks with @wit, inside readings E shares): it reads nothing in x1,
    x2 and x3 (partial) or later; a mark without @wit speaks for the witnesses of its reading or of itself."""
    root = apparatus(
        f'<app xml:id="x1">{rdg("AB", "a")}{rdg("E", "b")}</app> '
        f'<app xml:id="x2">{rdg("A", "c")}{rdg("BE", START_E)}</app> '
        f'<app xml:id="x3">{rdg("AE", END_E)}{rdg("B", "f")}</app> '
        f'<app xml:id="x4">{rdg("A", "g")}{rdg("BE", "h")}</app> '
        f'<app xml:id="x5">{rdg("A", "i")}{rdg("B", "j")}</app>',
        sigla="ABE",
    )
    assert [u.cells for u in read_apparatus(root).units] == [
        (0, 0, None),
        (0, 1, None),
        (0, 1, None),
        (0, 1, None),
        (0, 1, None),
    ]
    root = apparatus(
        f'<app xml:id="y1">{rdg("A", "a")}{rdg("BE", "b")}</app> <witEnd wit="#wit-E"/>'
        f'<app xml:id="y2">{rdg("A", "c")}{rdg("BE", "d")}</app>',
        sigla="ABE",
    )
    assert [u.cells for u in read_apparatus(root).units] == [(0, 1, 1), (0, 1, None)]


def test_a_bad_witness_list_is_named():
    with pytest.raises(ApparatusError, match="listWit"):
        read_apparatus(etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>'))
    with pytest.raises(ApparatusError, match="siglum used twice.*: A"):
        read_apparatus(
            etree.fromstring(
                '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><listWit><witness xml:id="a" n="A"/>'
                '<witness xml:id="b" n="A"/></listWit></teiHeader></TEI>'
            )
        )


def test_one_witness_and_no_units():
    rel = relations(read_apparatus(apparatus("Only text.", sigla="A")))
    assert rel.units == 0 and rel.order == [0] and dendrogram(rel) is None
    rel = relations(read_apparatus(apparatus("No variation.", sigla="AB")))
    assert rel.share(0, 1) is None and rel.order in ([0, 1], [1, 0])


def test_percent_never_rounds_to_all_or_none():
    assert [percent(412, 474), percent(473, 474), percent(1, 474), percent(0, 5), percent(5, 5)] == [
        "87%",
        "99%",
        "1%",
        "0%",
        "100%",
    ]


def test_dendrogram_places_leaves_in_order_and_joins_by_agreement():
    rel = relations(read_apparatus(HAND))
    drawing = dendrogram(rel, plot_width=400, row=20)
    assert [k for _, _, k in sorted(drawing.leaves, key=lambda leaf: leaf[1])] == rel.order
    assert len(drawing.lines) == 3 * (len(rel.sigla) - 1) + 1  # two arms and a bar per join, and the root's stem
    xs = [x for line in drawing.lines for x in (line[0], line[2])]
    assert min(xs) >= 0 and max(xs) <= 10 + 400 < drawing.width
    assert drawing.ticks[0][1] == "100%" and drawing.ticks[0][0] == pytest.approx(410)
    # the A+B join (75% agreement) stands right of the C+D join (60%): nearer the leaves
    joins = sorted({line[0] for line in drawing.lines if line[0] == line[2] and line[1] != line[3]})
    assert len(joins) == 3 and joins[-1] == pytest.approx(10 + 400 * (1 - 0.25 / rel.tree.height))


# ---------------------------------------------------------------- teiphy


def nexus_matrix(text: str) -> tuple[int, int, dict[str, str]]:
    """ntax, nchar and the rows of a NEXUS DATA block (a minimal reader: the blocks must be where NEXUS puts them)."""
    assert text.startswith("#NEXUS")
    dims = re.search(r"Dimensions\s+ntax=(\d+)\s+nchar=(\d+);", text)
    block = re.search(r"Matrix\s*(.*?);\s*End;", text, re.S)
    assert dims and block, "no Dimensions or Matrix in the DATA block"
    rows = dict(line.split(None, 1) for line in block.group(1).strip().splitlines())
    return int(dims.group(1)), int(dims.group(2)), {taxon: re.sub(r"\s", "", row) for taxon, row in rows.items()}


def test_nexus_of_the_hand_apparatus_has_our_cells_with_lacunae_missing():
    ntax, nchar, rows = nexus_matrix(export(HAND, "nexus").decode())
    assert ntax == 4 and nchar == len(CELLS) and set(rows) == set("ABCD")
    for k, siglum in enumerate("ABCD"):
        assert rows[siglum] == "".join("?" if cells[k] is None else str(cells[k]) for cells in CELLS.values())


def test_teiphy_distances_equal_our_shares():
    table = list(csv.reader(io.StringIO(export(HAND, "distances.csv").decode("utf-8-sig"))))
    assert table[0][1:] == list("ABCD")
    rel = relations(read_apparatus(HAND))
    for row in table[1:]:
        for siglum, cell in zip("ABCD", row[1:]):
            i, j = "ABCD".index(row[0]), "ABCD".index(siglum)
            assert float(cell) == pytest.approx(1 - rel.share(i, j)), (row[0], siglum)


def test_every_format_is_written():
    from reader.tei.collate.relations import FORMATS

    for suffix in FORMATS:
        data = export(HAND, suffix)
        assert data, suffix
    assert export(HAND, "xlsx")[:2] == b"PK"
    fasta = export(HAND, "fasta").decode()
    assert fasta.count(">") == 4 and ">A\n" in fasta
    assert etree.fromstring(export(HAND, "beast.xml")).tag == "beast"
    with zipfile.ZipFile(io.BytesIO(export(HAND, "stemma.zip", stem="work-witnesses"))) as archive:
        prep = archive.read("work-witnesses").decode()
    assert prep.startswith("* A B C D ;") and prep.count("\n@ ") == len(CELLS)


def test_sigla_in_the_tables_are_no_spreadsheet_formulas():
    import openpyxl

    hostile = etree.fromstring(etree.tostring(HAND))
    hostile.find(f".//{tei('witness')}").set("n", "=HYPERLINK(1)")
    header = next(csv.reader(io.StringIO(export(hostile, "distances.csv").decode("utf-8-sig"))))
    assert header[1] == "'=HYPERLINK(1)"
    sheet = openpyxl.load_workbook(io.BytesIO(export(hostile, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'=HYPERLINK(1)" in [cell.value for cell in cells]


def test_teiphy_reads_no_wit_detail_as_a_reading():
    """A witDetail after the last reading (as our apparatus wrote them) would make its witnesses
    ambiguous in teiphy: the copy teiphy reads has none."""
    root = apparatus(
        f'<app xml:id="z1">{rdg("A", "Most")}{rdg("B", "most")}<witDetail wit="#wit-A" type="orthographic">x</witDetail></app>',
        sigla="AB",
    )
    assert not list(for_teiphy(root).iter(tei("witDetail")))
    _, _, rows = nexus_matrix(export(root, "nexus").decode())
    assert rows == {"A": "0", "B": "1"}


# ---------------------------------------------------------------- real apparatus


def test_partisan_article_two_versions_differ_in_every_unit():
    root = etree.parse(str(PARTISANS)).getroot()
    apps = root.findall(f".//{tei('app')}")
    rel = relations(read_apparatus(root))
    assert rel.sigla == ["A", "B"] and rel.units == len(apps) > 10
    assert rel.agree[0, 1] == 0 and rel.extant[0, 1] == len(apps) == rel.extant[0, 0]
    ntax, nchar, rows = nexus_matrix(export(root, "nexus").decode())
    assert (ntax, nchar) == (2, len(apps)) and set(rows) == {"A", "B"}


@pytest.fixture(scope="module")
def darwin():
    by_year: dict[str, list[Unit]] = {}
    for number, unit in enumerate(json.loads(DARWIN.read_text(encoding="utf-8")), 1):
        for witness in unit["witnesses"]:
            by_year.setdefault(witness["id"], []).append(
                Unit(id=f"p{number}", kind="p", section_id="s1", text=witness["content"], lang=None, inferred=False)
            )
    root = write_apparatus(collate(sorted(by_year.items())), work="origin")
    return root, relations(read_apparatus(root))


def test_darwin_editions_agree_most_with_their_neighbours(darwin):
    _, rel = darwin
    years = ["1859", "1860", "1861", "1866", "1869", "1872"]
    assert rel.sigla == years
    first_last = rel.share(0, 5)
    for k in range(5):
        assert rel.share(k, k + 1) > first_last, years[k]
        for later in range(k + 2, 6):  # an edition agrees less with editions further off
            assert rel.share(k, k + 1) > rel.share(k, later), (years[k], years[later])
    assert rel.closest(0) == 1 and rel.closest(5) == 4
    # the second edition (1860) is a lightly corrected first: the closest pair of all
    best = max((rel.share(i, j), i, j) for i in range(6) for j in range(i + 1, 6))
    assert best[1:] == (0, 1)
    assert [years[k] for k in rel.order] in (years, years[::-1])  # a chain of revisions orders by date


def test_darwin_nexus_parses_with_a_taxon_per_edition(darwin):
    root, rel = darwin
    ntax, nchar, rows = nexus_matrix(export(root, "nexus").decode())
    assert ntax == 6 and nchar == rel.units and set(rows) == set(rel.sigla)
    assert all(len(row) == nchar for row in rows.values())
    # the first unit where 1859 and 1860 part: teiphy's states part them too
    unit = next(k for k, u in enumerate(read_apparatus(root).units) if u.cells[0] != u.cells[1])
    assert rows["1859"][unit] != rows["1860"][unit]


def test_a_teiphy_failure_is_an_apparatus_error(monkeypatch):
    """teiphy refusing the file (here made to raise as it does for an app without a reading) is a named error."""
    import teiphy

    def refuse(*args, **kwargs):
        raise ValueError("Variation unit app1 has no substantive readings.")

    monkeypatch.setattr(teiphy.Collation, "to_file", refuse)
    with pytest.raises(ApparatusError, match="teiphy could not write the nexus file: Variation unit app1"):
        export(HAND, "nexus")


def test_darwin_1866_cut_into_a_fragment_keeps_its_place_and_changes_no_other_pair(darwin):
    """The 1866 edition made a fragment by TEI marks (witStart a third of the way in, witEnd at two
    thirds): it reads only the units between; the other editions' counts are exactly those of the full
    apparatus (its missing text is no agreement or difference with anyone); it still stands between
    1861 and 1869; teiphy's NEXUS has '?' for it exactly outside the middle third."""
    root, full = darwin
    cut = etree.fromstring(etree.tostring(root))
    abs_ = [ab for ab in cut.iter(tei("ab")) if ab.get("type") == "alignment"]
    start, end = len(abs_) // 3, 2 * len(abs_) // 3
    abs_[start].insert(0, etree.Element(tei("witStart"), wit="#wit-1866"))
    abs_[end].insert(0, etree.Element(tei("witEnd"), wit="#wit-1866"))
    middle = sum(len(ab.findall(f".//{tei('app')}")) for ab in abs_[start:end])
    rel = relations(read_apparatus(cut))
    k = rel.sigla.index("1866")
    assert 0 < rel.extant[k, k] == middle < full.extant[k, k]
    others = [i for i in range(6) if i != k]
    assert (rel.agree[others][:, others] == full.agree[others][:, others]).all()
    assert (rel.extant[others][:, others] == full.extant[others][:, others]).all()
    order = [rel.sigla[i] for i in rel.order]
    assert abs(order.index("1866") - order.index("1861")) == 1 == abs(order.index("1866") - order.index("1869"))
    _, nchar, rows = nexus_matrix(export(cut, "nexus").decode())
    cells = [u.cells[k] for u in read_apparatus(cut).units]
    assert nchar == len(cells)
    assert [c == "?" for c in re.findall(r"\{[^}]*\}|\(.*?\)|.", rows["1866"])] == [c is None for c in cells]
