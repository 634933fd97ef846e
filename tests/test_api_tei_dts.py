"""reader.tei.dts: citeStructure declarations resolved on the corpus and on other projects' shapes."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from reader.tei.document import citable_units, unit_text
from reader.tei.dts import DTS_NS, CitationError, CitationIndex, citation_trees, fragment, tei_xpath
from reader.tei.validate import validate_tree
from reader.tei.xml import XML_ID, parse_bytes, parse_file


@pytest.fixture(scope="module")
def partisans(corpus_dir):
    return parse_file(corpus_dir / "soviet-partisans-in-latvia.xml")


@pytest.fixture(scope="module")
def occupation(corpus_dir):
    """The corpus document with subsections."""
    return parse_file(corpus_dir / "second-soviet-occupation-of-the-baltic-states.xml")


@pytest.mark.parametrize(
    "given, expected",
    [
        ("/TEI/text/body/div", "/ tei:TEI / tei:text / tei:body / tei:div"),
        ("head|p|list/item", "tei:head | tei:p | tei:list / tei:item"),
        ("div", "tei:div"),  # an element called like the operator
        ("count(p) div 2", "count ( tei:p ) div 2"),  # ... and the operator
        ("@xml:id", "@ xml:id"),
        ("ancestor::div[1]/@n", "ancestor :: tei:div [ 1 ] / @ n"),
        ("attribute::n", "attribute :: n"),
        ("/tei:TEI//tei:l", "/ tei:TEI // tei:l"),
        ("*[self::p or self::ab]", "* [ self :: tei:p or self :: tei:ab ]"),
        ("text()", "text ( )"),
    ],
)
def test_tei_xpath_prefixes_element_names_only(given, expected):
    assert tei_xpath(given) == expected


def test_corpus_declares_sections_and_units_and_a_units_tree(partisans):
    trees = citation_trees(partisans)
    assert [t.identifier for t in trees] == [None, "units"]
    default = trees[0].json()
    section = default["citeStructure"][0]
    assert section["citeType"] == "section"
    kinds = ["paragraph", "heading", "item", "reference"]
    assert [c["citeType"] for c in section["citeStructure"]] == kinds + ["section"]
    assert [c["citeType"] for c in trees[1].json()["citeStructure"]] == kinds


def test_every_unit_of_the_corpus_is_in_both_trees_in_document_order(partisans, occupation):
    for root in (partisans, occupation):
        ids = [u.id for u in citable_units(root)]
        default, units = (CitationIndex(root, t) for t in citation_trees(root))
        assert default.problems == [] and units.problems == []
        assert [u.identifier for u in units.units] == ids
        cited = [u.identifier.rsplit(".", 1)[-1] for u in default.units if u.cite_type != "section"]
        assert cited == ids


def test_subsections_nest_and_units_name_their_section(occupation):
    index = CitationIndex(occupation, citation_trees(occupation)[0])
    nested = [u for u in index.units if u.cite_type == "section" and u.level == 2]
    assert nested, "the occupation article has subsections"
    sub = nested[0]
    parent = index.by_id[sub.parent]
    assert sub.identifier == f"{parent.identifier}.{sub.element.get(XML_ID)}"
    children = [u for u in index.units if u.parent == sub.identifier]
    assert children and all(u.level == 3 for u in children)
    assert sub.dublin_core["title"] == [unit_text(sub.element.find("{http://www.tei-c.org/ns/1.0}head"))]


def test_select_follows_the_dts_table(partisans):
    index = CitationIndex(partisans, citation_trees(partisans)[0])
    s2 = index.by_id["s2"]
    assert s2.dublin_core["title"] == ["Background and origins"]
    ref, _, _, members = index.select(ref="s2")
    assert ref is s2 and members is None
    _, _, _, members = index.select(ref="s2.p3", down=0)
    assert [m.identifier for m in members] == [u.identifier for u in index.units if u.parent == "s2"]
    _, _, _, members = index.select(ref="s2", down=1)
    assert members[0] is s2 and {m.parent for m in members[1:]} == {"s2"}
    _, _, _, top = index.select(down=1)
    assert top and all(m.level == 1 for m in top)
    _, _, _, everything = index.select(down=-1)
    assert len(everything) == len(index.units)
    _, first, last, members = index.select(start="s2", end="s3", down=1)
    assert members[0] is first and members[-1].parent == "s3" and members[-1].identifier.startswith("s3.")
    _, first, last, members = index.select(start="s2.p4", end="s3.h2")
    assert (first.identifier, last.identifier, members) == ("s2.p4", "s3.h2", None)
    _, _, _, members = index.select(start="s2.p4", end="s3.h2", down=-1)
    assert [m.identifier for m in members] == ["s2.p4", "s2.p5", "s2.p6", "s3", "s3.h2"]


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({}, 400),
        ({"down": 0}, 400),
        ({"ref": "s2", "start": "s2"}, 400),
        ({"start": "s2"}, 400),
        ({"end": "s2"}, 400),
        ({"start": "s2", "end": "s3", "down": 0}, 400),
        ({"start": "s3", "end": "s2"}, 400),
        ({"ref": "s99"}, 404),
        ({"ref": "p2"}, 404),
        ({"start": "s2", "end": "nowhere"}, 404),
        ({"down": -2}, 400),
    ],
)
def test_select_refuses_what_the_specification_refuses(partisans, kwargs, status):
    index = CitationIndex(partisans, citation_trees(partisans)[0])
    with pytest.raises(CitationError) as raised:
        index.select(**kwargs)
    assert raised.value.status == status


def _unwrapped(root: etree._Element) -> etree._Element:
    """The fragment with dts:wrapper replaced by its content (what must be valid TEI)."""
    root = copy.deepcopy(root)
    for wrapper in root.iter(f"{{{DTS_NS}}}wrapper"):
        parent = wrapper.getparent()
        at = parent.index(wrapper)
        for n, child in enumerate(list(wrapper)):
            parent.insert(at + n, child)
        parent.remove(wrapper)
    etree.cleanup_namespaces(root)
    return root


def test_fragments_hold_the_passage_in_its_context_and_stay_valid(partisans):
    index = CitationIndex(partisans, citation_trees(partisans)[0])
    one = fragment(partisans, index.by_id["s2.p3"].element)
    wrapper = one.find(f".//{{{DTS_NS}}}wrapper")
    assert wrapper.getparent().tag.endswith("body")
    assert [el.get(XML_ID) for el in wrapper.iter() if el.get(XML_ID)] == ["s2", "p3"]
    assert unit_text(wrapper) == unit_text(index.by_id["s2.p3"].element)
    item = fragment(partisans, index.by_id["s7.i2"].element)
    assert [etree.QName(e).localname for e in item.find(f".//{{{DTS_NS}}}wrapper").iter()][1:4] == [
        "div",
        "list",
        "item",
    ]
    span = fragment(partisans, index.by_id["s2.p5"].element, index.by_id["s3.p7"].element)
    ids = [el.get(XML_ID) for el in span.find(f".//{{{DTS_NS}}}wrapper").iter() if el.get(XML_ID)]
    assert ids == ["s2", "p5", "p6", "s3", "h2", "p7"]
    for root in (one, item, span):
        assert validate_tree(_unwrapped(root)) == []


# --- Other projects' declarations (shapes seen in public DTS and CTS editions) -----------------

CTS_LIKE = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc>
<refsDecl n="pages"><citeStructure unit="page" match="//body//pb" use="@n" delim="p."/></refsDecl>
<refsDecl n="CTS" default="true">
  <citeStructure match="/tei:TEI/tei:text/tei:body" use="@xml:base">
    <citeStructure unit="book" delim="" match="tei:div[@subtype='book']" use="@n">
      <citeData property="http://purl.org/dc/terms/title" use="tei:head"/>
      <citeStructure unit="line" delim="." match="l" use="position()"/>
    </citeStructure>
  </citeStructure>
</refsDecl>
<refsDecl><p>Lines are counted within each book.</p></refsDecl>
</encodingDesc></teiHeader>
<text><body xml:base="urn:cts:test:work.ed"><pb n="1"/>
<div type="textpart" subtype="book" n="1"><head>Book One</head><l>arma</l><l>virumque</l></div>
<pb n="2"/><div type="textpart" subtype="book" n="2"><l>cano</l><note><l>not a line of the text</l></note></div>
</body></text></TEI>"""


def test_declarations_of_other_projects():
    root = parse_bytes(CTS_LIKE)
    trees = citation_trees(root)
    assert [t.identifier for t in trees] == [None, "pages"]  # @default wins over document order
    assert trees[0].json()["citeStructure"] == [
        {
            "@type": "CiteStructure",
            "citeType": "book",
            "citeStructure": [{"@type": "CiteStructure", "citeType": "line"}],
        }
    ]
    books = CitationIndex(root, trees[0])
    assert [(u.identifier, u.level, u.parent) for u in books.units] == [
        ("1", 1, None),
        ("1.1", 2, "1"),
        ("1.2", 2, "1"),
        ("2", 1, None),
        ("2.1", 2, "2"),
    ]
    assert books.by_id["1"].dublin_core == {"title": ["Book One"]}
    pages = CitationIndex(root, trees[1])
    assert [u.identifier for u in pages.units] == ["p.1", "p.2"]


def test_duplicate_references_are_reported_not_silently_merged():
    root = parse_bytes(b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><refsDecl>
        <citeStructure unit="poem" match="/TEI/text/body/div" use="@n"/></refsDecl></encodingDesc></teiHeader>
        <text><body><div n="1"><p>a</p></div><div n="1"><p>b</p></div><div><p>c</p></div></body></text></TEI>""")
    index = CitationIndex(root, citation_trees(root)[0])
    assert [u.identifier for u in index.units] == ["1"]
    assert len(index.problems) == 2 and "given twice" in index.problems[0]


def test_an_xpath_beyond_version_1_is_a_clear_error_not_a_crash():
    root = parse_bytes(b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><refsDecl>
        <citeStructure unit="page" match="for $pb in //pb return $pb" use="@n"/></refsDecl></encodingDesc></teiHeader>
        <text><body><pb n="1"/></body></text></TEI>""")
    with pytest.raises(CitationError) as raised:
        CitationIndex(root, citation_trees(root)[0])
    assert raised.value.status == 501 and "XPath 1.0" in str(raised.value)
