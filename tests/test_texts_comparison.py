"""The compare view's table: rendering a collation."""
from __future__ import annotations

import re

from reader.texts.comparison import Witness, WitnessUnit, render_collation


def witness(siglum, *texts):
    return Witness(siglum, f"Text {siglum}", [WitnessUnit(f"p{i}", t, f"¶ {i}", f"/texts/{siglum}/p{i}/") for i, t in enumerate(texts, 1)])


def visible(html: str) -> str:
    """The text a sighted reader sees (screen-reader-only text removed, gap marks kept)."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html).replace("&#x27;", "'")


def test_render_collation_marks_readings_gaps_and_keeps_the_text():
    from reader.tei.collate.model import Agreement, AlignedGroup, Collation, Reading, Span, Variant
    from reader.tei.collate.tokens import CollationOptions

    a = witness("000", "The Sarkanā bulta fought.")
    b = witness("001", "The Sarkana bulta fought well.")
    segments = [
        Agreement("The", (Span("000", "p1", 0, 3), Span("001", "p1", 0, 3))),
        Variant(1, "orthographic", None, (
            Reading(("000",), "Sarkanā", None, None, (Span("000", "p1", 4, 11),)),
            Reading(("001",), "Sarkana", "orthographic", None, (Span("001", "p1", 4, 11),)),
        )),
        Agreement("bulta fought", (Span("000", "p1", 12, 24), Span("001", "p1", 12, 24))),
        Variant(2, "addition", None, (
            Reading(("000",), "", None, None, ()),
            Reading(("001",), "well", "addition", None, (Span("001", "p1", 25, 29),)),
        )),
        Agreement(".", (Span("000", "p1", 24, 25), Span("001", "p1", 29, 30))),
    ]
    collation = Collation(("000", "001"), CollationOptions(), [AlignedGroup({"000": ("p1",), "001": ("p1",)}, segments)])
    comparison = render_collation([a, b], collation)
    [[cell_a, cell_b]] = comparison.rows
    html_a, html_b = cell_a.units[0][1], cell_b.units[0][1]
    assert visible(html_b) == "The Sarkana bulta fought well."
    assert visible(html_a) == "The Sarkanā bulta fought⟨+⟩."
    assert 'class="var var-orthographic minor" id="v1"' in html_a and 'data-symbol="~"' in html_a
    assert 'class="var var-addition" data-v="2"' in html_b and 'data-symbol="+"' in html_b
    assert "orthographic difference: 000 reads ‘Sarkanā’; 001 reads ‘Sarkana’" in html_a
    assert "addition difference: 000 omits it; 001 reads ‘well’" in html_a
    assert html_a.count('id="v1"') + html_b.count('id="v1"') == 1
    assert dict(comparison.counts) == {"orthographic": 1, "addition": 1}
    assert [v.minor for v in comparison.variants] == [True, False]
