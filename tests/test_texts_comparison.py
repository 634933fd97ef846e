"""The compare views: rendering a collation, and the four pages (columns, apparatus, table of units,
density) on the partisan article (seeds 000/001) and on six editions of Darwin's *Origin*, chapter 1."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import cache

from compare_fixtures import EDITIONS, darwin_units, load_darwin
from reader.tei.collate import collate
from reader.tei.document import Unit
from reader.texts.comparison import Witness, WitnessUnit, build_comparison, render_collation
from reader.texts.loader import CorpusLoader
from texts_tei import _write, tei_document, write_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
VIEWS = ("", "apparatus/", "units/", "density/")


def witness(siglum, *texts):
    return Witness(
        siglum,
        f"Text {siglum}",
        [WitnessUnit(f"p{i}", t, f"¶ {i}", f"/texts/{siglum}/p{i}/") for i, t in enumerate(texts, 1)],
    )


def visible(html: str) -> str:
    """The text a sighted reader sees (screen-reader-only text removed, gap marks kept)."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html).replace("&#x27;", "'").replace("&quot;", '"')


def marked(page: str) -> list[int]:
    """Numbers of the units marked in the base column (``id="vN"``), in page order."""
    return [int(n) for n in re.findall(r'<span data-v="(\d+)" class="[^"]*"[^>]* id="v\1"', page)]


# --- rendering -----------------------------------------------------------------------------------


def test_render_collation_marks_readings_gaps_and_keeps_the_text():
    from reader.tei.collate.model import Agreement, AlignedGroup, Collation, Reading, Span, Variant
    from reader.tei.collate.tokens import CollationOptions

    a = witness("000", "The Sarkanā bulta fought.")
    b = witness("001", "The Sarkana bulta fought well.")
    segments = [
        Agreement("The", (Span("000", "p1", 0, 3), Span("001", "p1", 0, 3))),
        Variant(
            1,
            "orthographic",
            "diacritics",
            (
                Reading(("000",), "Sarkanā", None, None, (Span("000", "p1", 4, 11),)),
                Reading(("001",), "Sarkana", "orthographic", "diacritics", (Span("001", "p1", 4, 11),)),
            ),
        ),
        Agreement("bulta fought", (Span("000", "p1", 12, 24), Span("001", "p1", 12, 24))),
        Variant(
            2,
            "addition",
            None,
            (
                Reading(("000",), "", None, None, ()),
                Reading(("001",), "well", "addition", None, (Span("001", "p1", 25, 29),)),
            ),
        ),
        Agreement(".", (Span("000", "p1", 24, 25), Span("001", "p1", 29, 30))),
    ]
    collation = Collation(
        ("000", "001"), CollationOptions(), [AlignedGroup({"000": ("p1",), "001": ("p1",)}, segments)]
    )
    comparison = render_collation([a, b], collation)
    [[cell_a, cell_b]] = comparison.rows
    html_a, html_b = cell_a.units[0][1], cell_b.units[0][1]
    assert visible(html_b) == "The Sarkana bulta fought well."
    assert visible(html_a) == "The Sarkanā bulta fought⟨+ not here⟩."
    assert (
        'class="var var-orthographic minor" data-subtype="diacritics" id="v1"' in html_a and 'data-symbol="~"' in html_a
    )
    assert 'class="var var-addition" id="v2-2"' in html_b and 'data-symbol="+"' in html_b
    assert "orthographic difference: 000 reads ‘Sarkanā’; 001 reads ‘Sarkana’ (diacritics)" in html_a
    assert "addition difference: 000 omits it; 001 reads ‘well’" in html_a
    assert (html_a + html_b).count('id="v1"') == 1 and 'id="v1-2"' in html_b
    assert dict(comparison.counts) == {"orthographic": 1, "addition": 1}
    assert comparison.subtype_counts() == {"orthographic": [("diacritics", 1)]}
    assert [v.minor for v in comparison.variants] == [True, False]


def test_an_omitted_passage_stays_readable_and_the_other_witness_shows_the_gap():
    a = witness("A", "They fought in the forests of Latgale through the winter.", "After the war they were honoured.")
    b = witness("B", "They fought through the winter.", "After the war they were honoured.")
    comparison = build_comparison([a, b])
    [omission] = comparison.variants
    assert (omission.type, omission.base_reading.text) == ("omission", "in the forests of Latgale")
    cells = {c.siglum: c for c in comparison.rows[0]}
    html_a, html_b = cells["A"].units[0][1], cells["B"].units[0][1]
    assert visible(html_a) == "They fought in the forests of Latgale through the winter."  # no text lost or replaced
    assert re.search(r'class="var var-omission" id="v1"[^>]*>.*in the forests of Latgale</span>', html_a)
    assert visible(html_b) == "They fought⟨∅ omitted⟩ through the winter."
    assert 'class="var var-omission gap" id="v1-2"' in html_b
    assert "B omits it" in html_b  # the screen reader hears what is missing, where it is missing


def test_columns_follow_the_order_given_while_the_first_witness_is_the_base():
    old = witness("1859", "They differ much more from each other.")
    new = witness("1860", "They differ more from each other.")
    later = witness("1861", "They differ more from each other.")
    comparison = build_comparison([new, old, later], order=["1859", "1860", "1861"])
    assert [w.siglum for w in comparison.witnesses] == ["1859", "1860", "1861"]
    assert [c.siglum for c in comparison.rows[0]] == ["1859", "1860", "1861"]
    assert comparison.base == "1860"
    [v] = comparison.variants
    assert (
        v.type == "addition"
        and v.reading_of("1859").text == "much"
        and v.reading_of("1859").sigla == ("1859",)
        and v.reading_of("1861").sigla == ("1860", "1861")
    )
    assert v.differs_in("1859") and not v.differs_in("1861")


def test_a_passage_one_witness_lacks_gets_its_gap_in_no_other_unit():
    """The gap of a whole missing paragraph stands alone in its row, not inside a neighbouring paragraph."""
    a = witness(
        "A",
        "First paragraph, the same in both.",
        "A paragraph only the first witness has, with many words in it.",
        "Last paragraph, the same.",
    )
    b = witness("B", "First paragraph, the same in both.", "Last paragraph, the same.")
    comparison = build_comparison([a, b])
    [omission] = comparison.variants
    row = comparison.rows[omission.row]
    cell_b = row.cells[1]
    assert cell_b.units == [] and "⟨∅ omitted⟩" in visible(cell_b.gaps)
    for other in comparison.rows:
        if other is not row:
            assert all("gap" not in html for _, html in other.cells[1].units)


# --- pages on the partisan article ---------------------------------------------------------------


@pytest.fixture
def partisans(db):
    cache.clear()
    assert CorpusLoader(CORPUS).run().failed == []
    return "/compare/soviet-partisans-in-latvia/"


@pytest.mark.django_db
def test_every_view_kind_renders_with_tabs_witness_picker_and_base(client, partisans):
    for view in VIEWS:
        response = client.get(partisans + view)
        page = response.content.decode()
        assert response.status_code == 200, view
        assert page.count('aria-current="page"') == 1
        for name in ("Columns", "Base text with apparatus", "Table of variation units", "Where variation clusters"):
            assert name in page
        assert 'name="base" value="soviet-partisans-in-latvia" id="base-soviet-partisans-in-latvia" checked' in page
        assert 'name="w" value="soviet-partisans-in-latvia-2"' in page
        assert "<style" not in page and " style=" not in page and "<script>" not in page


#: normalisation -> the paragraphs of the fixture whose difference it removes (spacing is always spacing
#: around a mark, "Riga ," / "Riga,": ignoring punctuation ignores it too)
SWITCHES = {
    "case": {"p1"},
    "diacritics": {"p2"},
    "whitespace": {"p3"},
    "editorial": {"p4"},
    "punctuation": {"p3", "p5"},
}


def _places(client, url):
    """The paragraphs (of the base) the page's units stand in."""
    variants = client.get(url).context["comparison"].variants
    return sorted(unit.id for v in variants for _, unit in v.base_reading.places)


def _labels(client, url):
    return Counter(v.label for v in client.get(url).context["comparison"].variants)


@pytest.mark.django_db
def test_each_normalisation_switch_changes_what_is_shown(client, tmp_path):
    """One difference of each kind, each in a sentence of its own; every switch removes its kind only."""
    cache.clear()
    a = [
        "The river was wide and deep.",
        "The Sarkanā bulta fought on.",
        "They went to Riga , then home.",
        "It was cold[citation needed] that year.",
        "The end came in spring.",
    ]
    b = [
        "The River was wide and deep.",
        "The Sarkana bulta fought on.",
        "They went to Riga, then home.",
        "It was cold that year.",
        "The end came in spring;",
    ]  # case, diacritics, spacing, editorial, punctuation
    for slug, texts, seed in (("kinds-1", a, "920_a.txt"), ("kinds-2", b, "921_b.txt")):
        body = (
            '<div type="section" xml:id="s1">'
            + "".join(f'<p xml:id="p{i}">{t}</p>' for i, t in enumerate(texts, 1))
            + "</div>"
        )
        _write(tmp_path / f"{slug}.xml", tei_document(slug, body, "Kinds", work="kinds", seed=seed))
    CorpusLoader(tmp_path).run()
    every = _labels(client, "/compare/kinds/")
    assert every["orthographic (case)"] == 1 and every["orthographic (diacritics)"] == 1 and every["editorial"] == 1
    assert _places(client, "/compare/kinds/") == ["p1", "p2", "p3", "p4", "p5"]  # one difference in each
    for name, removed in SWITCHES.items():
        assert _places(client, f"/compare/kinds/?ignore={name}") == sorted({"p1", "p2", "p3", "p4", "p5"} - removed), (
            name
        )
    page = client.get("/compare/kinds/").content.decode()
    assert re.search(
        r'value="orthographic" id="type-orthographic" checked>.*?<strong>\d+</strong></label> '
        r'<span class="subtypes">\(case 1, diacritics 1[,)]',
        page,
    )  # subtypes shown with the counts
    page = client.get("/compare/kinds/?ignore=editorial&ignore=whitespace").content.decode()
    assert 'name="ignore" value="editorial" checked' in page and 'name="ignore" value="whitespace" checked' in page
    assert "Normalised away: spacing (whitespace), editorial markers" in page
    assert "It was cold[citation needed] that year." in visible(page)  # normalised away, not deleted


@pytest.mark.django_db
def test_normalisation_switches_on_the_partisan_article(client, partisans):
    every = _labels(client, partisans)
    assert every["orthographic (whitespace)"] >= 1 and every["editorial"] >= 1
    for name in ("whitespace", "editorial"):
        assert _labels(client, partisans + f"?ignore={name}") != every, name
    assert _labels(client, partisans + "?ignore=whitespace")["orthographic (whitespace)"] == 0
    assert _labels(client, partisans + "?ignore=editorial")["editorial"] == 0
    # Sarkanā / Sarkana differ only in diacritics: normalised away, no unit may still report diacritics.
    assert _labels(client, partisans + "?ignore=diacritics")["orthographic (diacritics)"] == 0
    assert _labels(client, partisans + "?ignore=case")["orthographic (case)"] == 0


@pytest.mark.django_db
def test_the_current_difference_is_outlined_in_every_witness_and_previous_next_are_links(client, partisans):
    first = client.get(partisans).content.decode()
    assert 'rel="next" data-dir="1" href="?at=1#v1"' in first
    assert 'rel="prev"' not in first  # nothing before the first: no dead button, no link
    response = client.get(partisans + "?at=5")
    page = response.content.decode()
    current = response.context["nav"]["current"]
    assert current.n == 5
    assert len(re.findall(r'<span data-v="5" class="current var ', page)) >= 2  # base and the other witness
    assert page.count('class="current var ') == len(re.findall(r'<span data-v="5" class="current var ', page))
    assert 'rel="prev" data-dir="-1" href="?at=4#v4"' in page and 'rel="next" data-dir="1" href="?at=6#v6"' in page
    assert f"Difference 5 of {len(response.context['selected'])}" in page
    for reading in current.readings:
        for siglum, unit in reading.places:
            assert f'href="{unit.url}"' in page


@pytest.mark.django_db
def test_type_counts_are_filters_and_subtypes_are_shown(client, partisans):
    everything = client.get(partisans).context["comparison"]
    page = client.get(partisans).content.decode()
    assert re.search(
        r'value="substantive" id="type-substantive" checked>.*?<strong>\d+</strong></label> <span class="subtypes">\([^)]*inflection \d',
        page,
    )
    response = client.get(partisans + "?type=substantive&type=omission")
    selected = response.context["selected"]
    assert selected and {v.type for v in selected} == {"substantive", "omission"}
    assert len(selected) == sum(n for t, n in everything.counts if t in ("substantive", "omission"))
    page = response.content.decode()
    assert (
        'value="substantive" id="type-substantive" checked' in page
        and 'value="orthographic" id="type-orthographic">' in page
    )
    assert sum(b["count"] for b in response.context["strip"]) == len(selected)
    first, second = selected[0].n, selected[1].n
    assert (
        f"type=substantive&amp;type=omission&amp;at={first}#v{first}" in page
    )  # next: the first shown, skipping the rest
    stepped = client.get(partisans + f"?type=substantive&type=omission&at={first}").content.decode()
    assert f"at={second}#v{second}" in stepped.split('rel="next"')[1][:200]


@pytest.mark.django_db
def test_units_table_lists_every_unit_with_readings_sigla_places_and_filters(client, partisans):
    response = client.get(partisans + "units/")
    page = response.content.decode()
    comparison = response.context["comparison"]
    assert len(response.context["units"]) == len(comparison.variants)
    assert page.count('<tr id="u') == len(comparison.variants)
    assert re.search(
        r"‘[^’<]*Sarkanā[^’<]*’</span> — <a href=\"/texts/soviet-partisans-in-latvia/p\d+/\">A ¶ \d+</a>", page
    )
    assert "substantive (inflection)" in page
    only = client.get(partisans + "units/?type=editorial").context["units"]
    assert only and {v.type for v in only} == {"editorial"}
    differ = client.get(partisans + "units/?differ=soviet-partisans-in-latvia-2").context["units"]
    assert len(differ) == len(comparison.variants)  # with two witnesses, every unit is one where 001 differs


@pytest.mark.django_db
def test_apparatus_gives_the_base_text_and_each_units_readings_by_siglum(client, partisans):
    response = client.get(partisans + "apparatus/")
    page = response.content.decode()
    comparison = response.context["comparison"]
    for v in comparison.variants:
        assert f'<li id="app{v.n}" value="{v.n}">' in page
        assert f'href="/compare/soviet-partisans-in-latvia/?at={v.n}#v{v.n}"' in page
    assert re.search(
        r'<a class="lemma" href="#v\d+">[^<]*Sarkanā[^<]*</a>\] A; <span class="rdg">[^<]*Sarkana[^<]*</span> B', page
    )
    assert sorted(marked(page)) == [v.n for v in comparison.variants]


@pytest.mark.django_db
def test_density_counts_every_unit_once_passage_by_passage(client, partisans):
    response = client.get(partisans + "density/")
    density = response.context["density"]
    comparison = response.context["comparison"]
    assert sum(r["count"] for r in density) == len(comparison.variants)
    assert max(r["level"] for r in density) == 8 and all(r["level"] >= 1 for r in density if r["count"])
    strip = response.context["strip"]
    assert len(strip) == 20 and sum(b["count"] for b in strip) == len(comparison.variants)


@pytest.mark.django_db
def test_bad_choices_answer_clearly(client, partisans):
    assert client.get(partisans + "?w=nothing").status_code == 404
    assert client.get(partisans + "?base=nothing").status_code == 404
    assert client.get(partisans + "?at=99999").status_code == 200
    assert client.get(partisans + "?at=x&ignore=bogus&type=bogus").status_code == 200
    one = client.get(partisans + "?w=soviet-partisans-in-latvia").content.decode()
    assert "Choose at least two witnesses." in one


@pytest.mark.django_db
def test_corpus_text_is_escaped_in_every_view(client, tmp_path):
    cache.clear()
    body = '<div type="section" xml:id="s1"><p xml:id="p1">They said &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p></div>'
    other = '<div type="section" xml:id="s1"><p xml:id="p1">They said &lt;b&gt;nothing&lt;/b&gt; &amp; more.</p></div>'
    _write(tmp_path / "x-1.xml", tei_document("x-1", body, "X", work="x", seed="910_a.txt"))
    _write(tmp_path / "x-2.xml", tei_document("x-2", other, "X", work="x", seed="911_b.txt"))
    CorpusLoader(tmp_path).run()
    for view in VIEWS:
        page = client.get("/compare/x/" + view).content.decode()
        assert "<script>alert" not in page and "<b>nothing" not in page, view
    assert "They said <script>alert(1)</script> & more." in html.unescape(
        visible(client.get("/compare/x/").content.decode())
    )


# --- six editions of Darwin's Origin, chapter 1 ---------------------------------------------------


@pytest.fixture
def darwin(db, tmp_path):
    cache.clear()
    load_darwin(tmp_path / "darwin")
    return "/compare/origin/"


def _engine_units(base: str, sigla: list[str]) -> list[tuple[str, tuple]]:
    """The units the engine itself finds, collating the editions with ``base`` first: (type, readings' sigla)."""
    _, units = darwin_units()
    order = [base] + [s for s in sigla if s != base]
    inputs = [
        (s, [Unit(f"p{k}", "p", None, u[s], None, False) for k, u in enumerate(units, 1) if s in u]) for s in order
    ]
    from reader.texts.views.compare import collation_options

    return [(v.type, tuple(r.witnesses for r in v.readings)) for v in collate(inputs, collation_options([])).variants()]


@pytest.mark.django_db
def test_six_editions_in_date_order_with_every_unit_the_engine_finds(client, darwin):
    response = client.get(darwin)
    page = response.content.decode()
    comparison = response.context["comparison"]
    sigla = ["1859", "1860", "1861", "1866", "1869", "1872"]
    assert [w.siglum for w in comparison.witnesses] == sigla  # by date, though the slugs sort otherwise
    assert sorted(EDITIONS.values()) != [EDITIONS[s] for s in sigla]
    assert comparison.base == "1859"
    heads = re.findall(r'<div class="cell"><strong>(\d{4})</strong>', page)
    assert heads == sigla
    expected = _engine_units("1859", sigla)
    assert [(v.type, tuple(r.sigla for r in v.readings)) for v in comparison.variants] == expected
    assert len(expected) > 300
    assert marked(page) == [v.n for v in comparison.variants]  # every unit marked once in the base, in order
    assert "Charles Darwin" in page


@pytest.mark.django_db
def test_the_reader_picks_the_base_and_the_witnesses_of_six_editions(client, darwin):
    response = client.get(darwin + "?base=1872")
    comparison = response.context["comparison"]
    assert comparison.base == "1872" and [w.siglum for w in comparison.witnesses][-1] == "1872"
    assert [(v.type, tuple(r.sigla for r in v.readings)) for v in comparison.variants] == _engine_units(
        "1872", ["1859", "1860", "1861", "1866", "1869", "1872"]
    )
    # omission and addition are said against the base, whose reading comes first: it has words for an omission, fewer for an addition
    assert all("1872" in v.readings[0].sigla for v in comparison.variants)
    assert all(re.search(r"\w", v.base_reading.text) for v in comparison.variants if v.type == "omission")
    words = lambda text: len(re.findall(r"\w+", text))  # noqa: E731
    assert all(
        max(words(r.text) for r in v.readings) > words(v.base_reading.text)
        for v in comparison.variants
        if v.type == "addition"
    )
    subset = client.get(darwin + "?w=origin-sixth&w=origin-first&base=origin-sixth").context["comparison"]
    assert [w.siglum for w in subset.witnesses] == ["1859", "1872"] and subset.base == "1872"
    page = client.get(darwin + "units/?w=origin-sixth&w=origin-first&base=origin-sixth").content.decode()
    assert "w=origin-first&amp;w=origin-sixth&amp;base=origin-sixth&amp;at=" in page  # links keep the choice


@pytest.mark.django_db
def test_queries_per_compare_page_are_fixed_whatever_the_number_of_witnesses(
    client, darwin, tmp_path, django_assert_num_queries
):
    from reader.texts.stored_comparisons import forget_decoded

    write_corpus(tmp_path / "darwin", register=False)  # beside the six editions: a work of two witnesses
    assert CorpusLoader(tmp_path / "darwin").run().failed == []
    for url in ("/compare/partisans/", darwin):
        for view in VIEWS:
            cache.clear()
            forget_decoded()  # a fresh process
            # the work, its witnesses, all their units at once (the key), the parts load stored for the page
            with django_assert_num_queries(4):
                assert client.get(url + view).status_code == 200
            with django_assert_num_queries(3):  # the parts this process decoded already: the key's queries only
                client.get(url + view + "?at=3")
            client.get(url + view + "?ignore=case")  # a choice load does not store: built, then cached
            with django_assert_num_queries(3):  # the key's three queries only
                client.get(url + view + "?ignore=case")


@pytest.mark.django_db
def test_a_work_of_many_witnesses_opens_on_the_earliest_ten_and_shows_all_on_request(client, tmp_path):
    cache.clear()
    for k in range(12):
        body = (
            f'<div type="section" xml:id="s1"><p xml:id="p1">The river was wide and deep in year {1900 + k}.</p></div>'
        )
        _write(
            tmp_path / f"many-{k:02d}.xml",
            tei_document(f"many-{k:02d}", body, "Many", work="many", seed=f"93{k:02d}_m.txt"),
        )
    assert CorpusLoader(tmp_path).run().failed == []
    response = client.get("/compare/many/")
    page = response.content.decode()
    shown = [w.siglum for w in response.context["comparison"].witnesses]
    assert shown == [f"93{k:02d}" for k in range(10)]  # the earliest ten, in witness order
    assert "Showing 10 of the 12 witnesses (the earliest)" in page and 'href="?w=all">show all 12</a>' in page
    every = client.get("/compare/many/?w=all")
    assert len(every.context["comparison"].witnesses) == 12
    assert "Showing" not in every.content.decode().split("<form")[0]
    assert "w=all" in every.content.decode()  # tabs and links keep "all"
    chosen = client.get("/compare/many/?w=many-11&w=many-00").context["comparison"]
    assert [w.siglum for w in chosen.witnesses] == ["9300", "9311"]
