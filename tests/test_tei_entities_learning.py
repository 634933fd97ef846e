"""Learning from annotators across the corpus (types, rejections) and from the document itself;
the general rules prompted by the first scores of real encyclopedia texts (bench/README.md)."""

from __future__ import annotations

import pytest
from lxml import etree

from reader.tei.entities import EntityStage, Register
from reader.tei.entities.dates import find_dates
from reader.tei.xml import XML_ID, serialize

from test_tei_entities import mentions, tei_doc


def annotated(body: str, slug: str) -> etree._Element:
    return tei_doc(body, slug)


def corpus_with(tmp_path, register: Register, *docs: etree._Element):
    """A corpus folder: the register and the given documents, as ingest leaves them."""
    register.save(tmp_path / "register.xml")
    for root in docs:
        (tmp_path / f"{root.get(XML_ID)}.xml").write_bytes(serialize(root))
    return tmp_path / "register.xml"


# ------------------------------------------------------------------- learning from annotators
def test_a_word_an_annotator_retyped_is_of_that_type_in_every_later_document(tmp_path):
    register = Register.seed()
    entry = register.add_entry("place", "Vesna", resp="#annotator-anna")
    corrected = annotated(
        f'<p xml:id="p1">The convoy reached <placeName ref="register.xml#{entry.id}" resp="#annotator-anna">'
        "Vesna</placeName> at night.</p>",
        "first",
    )
    path = corpus_with(tmp_path, register, corrected)
    later = tei_doc('<p xml:id="p1">Soldiers of Vesna were sent north; Vesna burned.</p>', "second")
    EntityStage.from_register_file(path, use_spacy=False)(later, None)
    assert [(tag, text, ref) for tag, text, ref in mentions(later) if text == "Vesna"] == [
        ("placeName", "Vesna", f"register.xml#{entry.id}")
    ] * 2


def test_a_retyping_to_a_pipeline_entry_teaches_the_type_too(tmp_path):
    """The annotator linked the retyped words to an entry the pipeline made: the lesson is the type."""
    register = Register.seed()
    entry = register.add_entry("org", "Kaitseliit", resp="#pipeline")
    corrected = annotated(
        f'<p xml:id="p1"><orgName ref="register.xml#{entry.id}" resp="#annotator-anna">Kaitseliit</orgName> met.</p>',
        "first",
    )
    path = corpus_with(tmp_path, register, corrected)
    stage = EntityStage.from_register_file(path, use_spacy=False)
    later = tei_doc('<p xml:id="p1">He joined Kaitseliit in 1927.</p>', "second")
    stage(later, None)
    assert ("orgName", "Kaitseliit", f"register.xml#{entry.id}") in mentions(later)


def test_annotators_who_disagree_on_a_type_teach_nothing(tmp_path):
    register = Register.seed()
    place = register.add_entry("place", "Orla", resp="#annotator-anna")
    person = register.add_entry("person", "Orla", resp="#annotator-bob")
    a = annotated(
        f'<p xml:id="p1"><placeName ref="register.xml#{place.id}" resp="#annotator-anna">Orla</placeName> village.</p>',
        "first",
    )
    b = annotated(
        f'<p xml:id="p1"><persName ref="register.xml#{person.id}" resp="#annotator-bob">Orla</persName> said.</p>',
        "second",
    )
    stage = EntityStage.from_register_file(corpus_with(tmp_path, register, a, b), use_spacy=False)
    assert "Orla" not in stage.lessons.known


def test_a_rejection_stays_where_it_was_made_when_annotators_confirmed_the_words_elsewhere(tmp_path):
    register = Register.seed()
    register.add_rejection("Riga", "placeName", "first#p2", "#annotator-anna")  # e.g. inside a ship's name
    riga = register.by_name("Riga", "place")[0]
    confirmed = annotated(
        f'<p xml:id="p1"><placeName ref="register.xml#{riga.id}" resp="#annotator-anna">Riga'
        '</placeName> fell.</p><p xml:id="p2">The Riga sank.</p>',
        "first",
    )
    stage = EntityStage.from_register_file(corpus_with(tmp_path, register, confirmed), use_spacy=False)
    later = tei_doc('<p xml:id="p1">From Riga to Tallinn.</p>', "second")
    stage(later, None)
    assert ("placeName", "Riga") in {(tag, text) for tag, text, _ in mentions(later)}
    assert stage.lessons.rejects("Riga", "placeName", "first#p2")


def test_a_rejection_of_words_as_one_type_leaves_the_other_types(tmp_path):
    register = Register.seed()
    register.add_rejection("Estonian Defence League", "placeName", "first#p1", "#annotator-anna")
    stage = EntityStage(Register.from_bytes(register.to_bytes()), use_spacy=False)
    root = tei_doc('<p xml:id="p1">He led the Estonian Defence League.</p>', "second")
    stage(root, None)
    assert ("orgName", "Estonian Defence League") in {(tag, text) for tag, text, _ in mentions(root)}


# ------------------------------------------------------------------- one sense per document
def test_a_surname_is_the_person_wherever_the_document_uses_it():
    root = tei_doc(
        '<p xml:id="p1">Jaan Maide was born in 1896.</p><p xml:id="p2">In 1915 Maide was drafted; Maide survived.</p>'
    )
    EntityStage(Register.seed())(root, None)
    assert [text for tag, text, _ in mentions(root, "persName")] == ["Jaan Maide", "Maide", "Maide"]


def test_an_alias_in_brackets_has_the_type_of_the_name_before_it():
    root = tei_doc(
        '<p xml:id="p1">the Ministry of State Security (MGB) ordered it; MGB officers came.</p>'
        '<p xml:id="p2">Fellin (Viljandi) and Wenden (Cēsis) were strongholds.</p>'
    )
    EntityStage(Register.seed())(root, None)
    found = {(tag, text) for tag, text, _ in mentions(root)}
    assert {
        ("orgName", "Ministry of State Security"),
        ("orgName", "MGB"),
        ("placeName", "Fellin"),
        ("placeName", "Viljandi"),
        ("placeName", "Wenden"),
        ("placeName", "Cēsis"),
    } <= found
    assert [text for tag, text, _ in mentions(root) if text == "MGB"] == ["MGB", "MGB"]


# ------------------------------------------------------------------- names by their head nouns
@pytest.mark.parametrize(
    "text, tag, name",
    [
        (
            "the Council of Ministers of the Soviet Union issued a decree",
            "orgName",
            "Council of Ministers of the Soviet Union",
        ),
        ("he was Chief of Staff of the Estonian Defence League in 1927", "orgName", "Estonian Defence League"),
        ("with the pro-Soviet Polish People's Army around the village", "orgName", "Polish People's Army"),
        ("soldiers of the 3rd Brigade of NZW responsible", "orgName", "3rd Brigade of NZW"),
        ("the Livonian Brothers of the Sword in 1202", "orgName", "Livonian Brothers of the Sword"),
        ("members of Freikorps Lützow in Perlach", "orgName", "Freikorps Lützow"),
        ("deported to Krasnoyarsk Krai and Tomsk Oblast", "placeName", "Krasnoyarsk Krai"),
        ("forced Denmark to sell the Duchy of Estonia to them", "placeName", "Duchy of Estonia"),
        ("in the area of Bielsk County, north-eastern Poland", "placeName", "Bielsk County"),
        ("the Lithuanian SSR in the autumn", "placeName", "Lithuanian SSR"),
        ("the lands eventually joined the Grand Duchy of Lithuania.", "placeName", "Grand Duchy of Lithuania"),
        ("Pope Innocent III sanctioned it", "persName", "Innocent III"),
        ("Albert asked King Valdemar II of Denmark for help", "persName", "Valdemar II of Denmark"),
    ],
)
def test_names_recognised_whole_by_their_head_noun(text, tag, name):
    root = tei_doc(f'<p xml:id="p1">{text}</p>')
    EntityStage(Register.seed())(root, None)
    assert (tag, name) in {(t, n) for t, n, _ in mentions(root)}


def test_a_unit_of_its_commander_stops_before_the_commander():
    root = tei_doc('<p xml:id="p1">The Fourteenth Army of William Slim crossed the river.</p>')
    EntityStage(Register.seed())(root, None)
    found = {(t, n) for t, n, _ in mentions(root)}
    assert ("orgName", "Fourteenth Army") in found and ("persName", "William Slim") in found


def test_movements_and_groups_are_not_places():
    root = tei_doc(
        '<p xml:id="p1">They were the key Weimar paramilitary groups of Germany, and were '
        "suspected of Marxist sympathies.</p>"
    )
    EntityStage(Register.seed())(root, None)
    assert [n for t, n, _ in mentions(root) if t != "date"] == ["Germany"]


# ------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text, found, values",
    [
        (
            "(30 May 1896 – 10 August 1945) was",
            "30 May 1896 – 10 August 1945",
            {"from": "1896-05-30", "to": "1945-08-10"},
        ),
        ("From 1923 until 1927, he served", "From 1923 until 1927", {"from": "1923", "to": "1927"}),
        ("the Livonian Crusade (1193–1290) by", "1193–1290", {"from": "1193", "to": "1290"}),
        ("in 1236 the Lithuanians", "1236", {"when": "1236"}),
        ("from June 29 to July 1 more", "from June 29 to July 1", {"from": "--06-29", "to": "--07-01"}),
        ("lasted from April to November 1941.", "from April to November 1941", {"from": "1941-04", "to": "1941-11"}),
    ],
)
def test_date_ranges_are_one_date(text, found, values):
    dates = find_dates(text)
    assert [(d.text, d.attributes()) for d in dates] == [(found, values)]


def test_a_number_below_1500_before_a_plural_is_a_count():
    assert find_dates("some 1200 families and 1100 soldiers") == []


# ------------------------------------------------------------------- titles of works are not mentions
def test_names_and_dates_inside_quoted_titles_are_not_mentions():
    root = tei_doc(
        '<p xml:id="p1">His essay "What Happened in Lithuania in 1940?" and the book '
        '"War and Peace in Eastern Asia" appeared in Kaunas in 1941.</p>'
    )
    EntityStage(Register.seed())(root, None)
    assert {(t, n) for t, n, _ in mentions(root)} == {("placeName", "Kaunas"), ("date", "1941")}


def test_an_event_named_with_its_date_has_no_date_mention():
    root = tei_doc('<p xml:id="p1">Noske used them to crush the German Revolution of 1918–19 in January 1919.</p>')
    EntityStage(Register.seed())(root, None)
    assert [n for t, n, _ in mentions(root, "date")] == ["January 1919"]


def test_names_in_the_title_of_a_reference_in_running_text_are_not_mentions():
    root = tei_doc(
        '<p xml:id="p1">A Brief History of the Birth of the Nazis: How the Freikorps Blazed a Trail '
        "for Hitler. Nigel Jones, Carroll &amp; Graf, 2004.</p>"
    )
    EntityStage(Register.seed())(root, None)
    found = {(t, n) for t, n, _ in mentions(root)}
    assert ("persName", "Hitler") not in found and ("persName", "Nigel Jones") in found and ("date", "2004") in found


# ------------------------------------------------------------------- entries without mentions
def test_a_curated_entry_without_mentions_says_where_its_name_occurs(tmp_path):
    register = Register.seed()
    path = tmp_path / "register.xml"
    register.save(path)
    root = tei_doc(
        '<p xml:id="p1">Troops came to Riga.<note type="gloss">Albert Einstein was a physicist ...</note>'
        '</p><p xml:id="p2">The Molotov–Ribbentrop Pact was signed.</p>',
        "doc",
    )
    stage = EntityStage.from_register_file(path, use_spacy=False)
    stage(root, None)
    stage.save_register(path)
    saved = Register.from_file(path)

    def note(ident):
        el = saved.entries[ident].element.find("{*}note[@type='unused']")
        return el.text if el is not None else None

    assert "only in source notes" in note("per-albert-einstein")
    assert "only inside something that is not a mention" in note("per-joachim-von-ribbentrop")
    assert "not named in the corpus" in note("per-winston-churchill")
    assert note("pla-riga") is None  # mentioned: no note
    # Once the name is mentioned, the note goes.
    again = EntityStage.from_register_file(path, use_spacy=False)
    again(tei_doc('<p xml:id="p1">Albert Einstein wrote to Riga.</p>', "doc"), None)
    again.save_register(path)
    assert Register.from_file(path).entries["per-albert-einstein"].element.find("{*}note[@type='unused']") is None
