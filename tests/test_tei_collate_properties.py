"""Property tests (hypothesis): self-collation is silent; a known edit script is recovered."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.tei.collate import collate
from reader.tei.document import Unit

WORDS = st.sampled_from(["the", "partisans", "of", "Latvia", "in", "1942", "Sarkanā", "bulta", ",", ".", "«", "»"])


def witness(paragraphs, prefix="p"):
    return [Unit(f"{prefix}{i}", "p", "s1", text, None, False) for i, text in enumerate(paragraphs, 1)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(WORDS, max_size=40).map(" ".join), max_size=8))
def test_a_text_collated_with_itself_has_no_differences(paragraphs):
    result = collate([("A", witness(paragraphs)), ("B", witness(paragraphs, "q"))])
    assert list(result.variants()) == []
    assert result.counts() == {}
    for group in result.groups:  # paragraphs stay side by side
        assert len(group.units["A"]) == len(group.units["B"])


@st.composite
def edited_text(draw):
    """Distinct words, and an edit script (substitute / delete / insert) with edits two words apart."""
    size = draw(st.integers(10, 120))
    words = [f"w{i}" for i in range(size)]
    positions = sorted(draw(st.sets(st.integers(1, size - 2), max_size=size // 4)))
    spaced, last = [], -10
    for p in positions:
        if p - last >= 4:
            spaced.append(p)
            last = p
    script = [(p, draw(st.sampled_from(["substitute", "delete", "insert"]))) for p in spaced]
    return words, script


def apply(words, script):
    edited, expected = list(words), []
    for position, action in reversed(script):
        if action == "substitute":
            edited[position] = f"new{position}"
            expected.append(("substantive", words[position], f"new{position}"))
        elif action == "delete":
            del edited[position]
            expected.append(("omission", words[position], ""))
        else:
            edited.insert(position, f"added{position}")
            expected.append(("addition", "", f"added{position}"))
    return edited, sorted(expected)


@settings(max_examples=200, deadline=None)
@given(edited_text(), st.integers(1, 4))
def test_a_known_edit_script_is_recovered(case, paragraph_count):
    words, script = case
    edited, expected = apply(words, script)

    def split(ws):
        step = max(1, len(ws) // paragraph_count)
        return [" ".join(ws[i : i + step]) for i in range(0, len(ws), step)]

    result = collate([("A", witness(split(words))), ("B", witness([" ".join(edited)], "q"))])
    found = sorted((v.type, v.readings[0].text.strip(), v.readings[1].text.strip()) for v in result.variants())
    assert found == expected


def tokens_of(text):
    return "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(WORDS, max_size=30).map(" ".join), max_size=5),
    st.lists(st.lists(WORDS, max_size=30).map(" ".join), max_size=5),
    st.lists(st.lists(WORDS, max_size=30).map(" ".join), max_size=3),
)
def test_every_witness_is_given_back_by_its_readings(first, second, third):
    """Whatever the texts, agreements plus a witness's readings spell out that witness, in order."""
    witnesses = [("A", witness(first)), ("B", witness(second, "q")), ("C", witness(third, "r"))]
    result = collate(witnesses)
    for siglum, units in witnesses:
        parts = [s.reading_of(siglum).text if s.is_variant else s.text for g in result.groups for s in g.segments]
        assert tokens_of("".join(parts)) == tokens_of(" ".join(u.text for u in units))
        seen = [u for g in result.groups for u in g.units[siglum]]
        order = [u.id for u in units]
        listed = sorted(set(seen), key=seen.index)
        assert listed == sorted(listed, key=order.index)  # groups follow the witness's order
        assert {u.id for u in units if u.text.strip()} <= set(listed) <= set(order)
