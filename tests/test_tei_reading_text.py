"""A clean reading text of a scraped wiki page, noise kept aside (made-up texts; general rules, not the seeds)."""

import pytest

from reader.tei.divide import sentence_starts
from reader.tei.document import citable_units, unit_text
from reader.tei.inline import Seg, mark_citations, mark_joins, mark_templates, split_emphasis
from reader.tei.xml import NS, parse_file, tei

TOOLTIP = "Oslo Oslo ( ; ) is the capital and most populous city of Norway. It constitutes both a county ..."


def kinds(segs):
    return [s.kind for s in segs]


def test_wiki_quote_markup_pairs_up_as_italic_and_bold():
    segs = split_emphasis([Seg("text", "the ''Wehrmacht'' and '''bold''' words")])
    assert kinds(segs) == ["text", "hi-open", "text", "hi-close", "text", "hi-open", "text", "hi-close", "text"]
    assert [s.text for s in segs if s.kind == "hi-open"] == ["italic", "bold"]


def test_unpaired_quote_markup_stays_characters():
    segs = [Seg("text", "an ''unclosed mark and Litvinov's pact")]
    assert split_emphasis(segs) == segs


def test_emphasis_pairs_across_a_tooltip():
    segs = split_emphasis([Seg("text", "its ''\nOstland"), Seg("gloss", " Ostland was ..."), Seg("text", "\n''.")])
    assert kinds(segs) == ["text", "hi-open", "text", "gloss", "text", "hi-close", "text"]


@pytest.mark.parametrize(
    "segs, joined",
    [
        ([Seg("text", "Lithuania"), Seg("gloss", " Lithuania is ..."), Seg("text", "\n, adjacent")], True),
        ([Seg("text", "partisans (\nArmia Krajowa")], True),
        ([Seg("text", "Socialist Republic"), Seg("gloss", " The Republic ..."), Seg("text", "\ns as three")], True),
        ([Seg("text", 'formally as "\nrepublics'), Seg("gloss", " x ..."), Seg("text", '\n") in 1940')], True),
        ([Seg("text", "the Baltic states"), Seg("gloss", " The Baltic ..."), Seg("text", "\nof Estonia")], False),
    ],
)
def test_a_line_break_at_a_link_boundary_is_no_word_space(segs, joined):
    out = mark_joins(segs)
    assert ("join" in kinds(out)) == joined
    assert "".join(s.text for s in out) == "".join(s.text for s in segs)  # nothing lost


def test_inline_citations_are_split_out_of_the_prose():
    text = (
        "occupation sui generis Mälksoo (2003), p. 193. of the states lasted until 1991.David James Smith, "
        "''Estonia'', Routledge, 2001, p. xix In its reassessment, it ended in 1991.The World Book "
        "Encyclopedia This policy stayed."
    )
    segs = mark_citations([Seg("text", text)])
    assert [s.text for s in segs if s.kind == "citation"] == [
        "Mälksoo (2003), p. 193.",
        "David James Smith, ''Estonia'', Routledge, 2001, p. xix",
        "The World Book Encyclopedia",
    ]


def test_author_and_year_without_pages_is_prose_not_a_citation():
    assert kinds(mark_citations([Seg("text", "as Mälksoo (2003) argues, the claim holds.")])) == ["text"]


def test_template_code_is_noise_to_the_end_of_the_unit():
    segs = mark_templates([Seg("text", "from Destination Freedom {{DEFAULTSORT:Occupation History of the states")])
    assert kinds(segs) == ["text", "template"] and segs[1].text.startswith("{{DEFAULTSORT")
    closed = mark_templates([Seg("text", "a {{Main|X}} b [[Category:Y]] c")])
    assert kinds(closed) == ["text", "template", "text", "template", "text"]


def test_no_paragraph_break_inside_brackets_or_a_quotation():
    text = 'Discrimination is language-based (Para. 56). The rapporteur said "It is so. We agree." Then more.'
    starts = [text[s : s + 6] for s in sentence_starts(text)]
    assert starts == ["The ra", "Then m"]


def page(body: str) -> str:
    return "A Page Title\n   HOME\n\nMySiteName\n\n" + body


def test_scraped_page_reads_cleanly_and_its_source_is_recoverable(tmp_path, ingest_into):
    source = tmp_path / "page.txt"
    body = (
        "The city of\n"
        + TOOLTIP
        + "\n, the capital, was held (\n"
        + TOOLTIP
        + "\n) by the ''\n"
        + TOOLTIP
        + "\n'' army until 1945. Mälksoo (2003), p. 193. Then it grew.\n\n\nHistory\n\n"
        "It was old (Para. 56). It was big. {{DEFAULTSORT:City History of Norway\n"
    )
    source.write_text(page(body), encoding="utf-8")
    (result,) = ingest_into([source])
    root = parse_file(result.path)
    texts = [u.text for u in citable_units(root) if u.kind == "p"]
    assert texts == [
        "The city of Oslo, the capital, was held (Oslo) by the Oslo army until 1945. Then it grew.",
        "It was old (Para. 56). It was big.",
    ]
    hi = root.find(".//tei:body//tei:hi", NS)
    assert hi.get("rend") == "italic" and unit_text(hi) == "Oslo"
    assert [n.get("type") for n in root.iterfind(".//tei:body//tei:note", NS)].count("citation") == 1
    template = root.find(".//tei:body//tei:note[@subtype='template']", NS)
    assert template.text.startswith("{{DEFAULTSORT") and not len(template)  # no entities, nothing inside

    # The source's characters come back: hi -> its quote marks, lb -> the line break.
    def source_form(el):
        marks = {"italic": "''", "bold": "'''"}.get(el.get("rend"), "") if el.tag == tei("hi") else ""
        inner = (el.text or "") + "".join(source_form(c) + (c.tail or "") for c in el)
        return ("\n" if el.tag == tei("lb") else "") + marks + inner + marks

    first = root.find(".//tei:body//tei:p", NS)
    assert source_form(first) in body


def test_reference_section_sub_headings_and_run_together_entries(tmp_path, ingest_into):
    source = tmp_path / "refs.txt"
    source.write_text(
        page(
            "The city is old. It was founded long ago.\n\n\nReferences\n\n"
            "Citations Bibliography * * * Further reading * Smith, John (2000)\nA History of Oslo. Oslo, 2000. "
            "* ''Old Towns'', by Ann Lee. In Town Review, 1955\nThe Steel Curtain\n'' Time Magazine'', 14 April 1947\n"
        ),
        encoding="utf-8",
    )
    (result,) = ingest_into([source])
    units = citable_units(parse_file(result.path))
    heads = [u.text for u in units if u.kind == "head"]
    assert heads == ["References", "Citations", "Bibliography", "Further reading"]
    assert [u.text for u in units if u.kind == "bibl"] == [
        "Smith, John (2000) A History of Oslo. Oslo, 2000.",
        "Old Towns, by Ann Lee. In Town Review, 1955",
        "The Steel Curtain Time Magazine, 14 April 1947",
    ]


def test_flattened_version_gets_the_structured_versions_headings_as_supplied(tmp_path, ingest_into):
    def para(topic, n):
        return " ".join(
            f"Sentence {k} tells about the {topic} of Vik in words of its own number {k * 7 + n}." for k in range(6)
        )

    intro, trade, war = para("harbour", 1), para("merchants", 2), para("soldiers", 3)
    structured = tmp_path / "a.txt"
    structured.write_text(f"= Vik =\n\n{intro}\n\n== Trade ==\n{trade}\n\n== War ==\n{war}\n", encoding="utf-8")
    flat = tmp_path / "b.txt"
    flat.write_text(" ".join([intro, trade, war]), encoding="utf-8")
    results = ingest_into([structured, flat])
    root = parse_file(next(r.path for r in results if r.source == "b.txt"))
    heads = [h for h in root.iterfind(".//tei:body//tei:head", NS)]
    assert [unit_text(h) for h in heads] == ["Trade", "War"]
    assert all(h.get("resp") == "#pipeline" and h[0].tag == tei("supplied") for h in heads)
    assert [u.supplied for u in citable_units(root) if u.kind == "head"] == [True, True]


def test_footnote_marks_and_edit_links_are_noise_and_suffixes_join(tmp_path, ingest_into):
    source = tmp_path / "mirror.txt"
    source.write_text(
        page(
            "Partisans of the Latvia\nn state were dispersed in 1942.[7][8] They were disperse\nd later.\n\n"
            "Soviet partisans[edit]\n\nArmed combat behind the lines was carried out by the Red Army units.[5]\n"
        ),
        encoding="utf-8",
    )
    (result,) = ingest_into([source])
    root = parse_file(result.path)
    units = citable_units(root)
    assert [u.text for u in units] == [
        "Partisans of the Latvian state were dispersed in 1942. They were dispersed later.",
        "Soviet partisans",
        "Armed combat behind the lines was carried out by the Red Army units.",
    ]
    marks = root.findall(".//tei:body//tei:note[@subtype='footnote-mark']/tei:ref", NS)
    assert [m.text for m in marks] == ["[7]", "[8]", "[5]"]
    assert root.find(".//tei:head/tei:note[@subtype='edit-link']", NS).text == "[edit]"


@pytest.mark.parametrize(
    "text, citation",
    [
        (
            "relations. Khudoley (2008), Soviet foreign policy, The Baltic factor, p. 90. However, it",
            "Khudoley (2008), Soviet foreign policy, The Baltic factor, p. 90.",
        ),
        (
            'the Soviet Union,Prof. G. Rauch "Die Staaten", Europa Archiv No. 17 (1954), p. 6865. additional treaties',
            'Prof. G. Rauch "Die Staaten", Europa Archiv No. 17 (1954), p. 6865.',
        ),
        (
            "spheres of influence\".''Text of the Pact''\nexecuted August 23, 1939\nIn the north",
            "''Text of the Pact''\nexecuted August 23, 1939",
        ),
        (
            "troops there,Simonsen, S. Games in Russia. Europe-Asia Studies, Vol. 53, No. 5. 2001 as well as more",
            "Simonsen, S. Games in Russia. Europe-Asia Studies, Vol. 53, No. 5. 2001",
        ),
    ],
)
def test_references_glued_to_the_prose_are_citations(text, citation):
    assert [s.text for s in mark_citations([Seg("text", text)]) if s.kind == "citation"] == [citation]


def test_an_author_alone_on_a_line_belongs_to_the_next_reference(tmp_path, ingest_into):
    source = tmp_path / "refs2.txt"
    source.write_text(
        page(
            "The city is old. It was founded long ago.\n\n\nFurther reading\n\n"
            "* Briggs, H. Ships of the Republics. In Law Review Vol. 37 (1943), pp. 585–596.\nAlfred Erich Senn\n\n"
            "What Happened in Lithuania in 1940?\n(PDF) * Old Towns, by Ann Lee. In Town Review, 1955\n"
        ),
        encoding="utf-8",
    )
    (result,) = ingest_into([source])
    refs = [u for u in citable_units(parse_file(result.path)) if u.kind == "bibl"]
    assert [u.text for u in refs] == [
        "Briggs, H. Ships of the Republics. In Law Review Vol. 37 (1943), pp. 585–596.",
        "Alfred Erich Senn What Happened in Lithuania in 1940? (PDF)",
        "Old Towns, by Ann Lee. In Town Review, 1955",
    ]
    assert refs[1].inferred
