"""Recognition in nineteenth-century prose (issue 21, item 5): capitalised common nouns, "Although I",
honorifics and speakers, on Darwin's chapter I (tests/data/origin-ch1, public domain) and small texts."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from reader.tei.entities import EntityStage, Register
from reader.tei.entities.prose import common_noun, lowercase_words, pronoun_span, speaker_spans
from reader.tei.entities.recognise import english_pipeline, ner_pipeline
from reader.tei.xml import NS, parse_bytes

DARWIN = Path(__file__).parent / "data" / "origin-ch1" / "origin-ch1-1859.txt"
TAGS = ("persName", "placeName", "orgName", "date")


def _marked(paragraphs: list[str]) -> list[tuple[str, str]]:
    body = "".join(f'<p xml:id="p{i}">{_esc(p)}</p>' for i, p in enumerate(paragraphs))
    root = parse_bytes(
        (
            '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="t"><teiHeader><fileDesc><titleStmt><title>t</title>'
            "</titleStmt><publicationStmt><p>t</p></publicationStmt><sourceDesc><p>t</p></sourceDesc></fileDesc>"
            f"</teiHeader><text><body><div>{body}</div></body></text></TEI>"
        ).encode(),
        "t.xml",
    )
    EntityStage(Register.seed())(root, None)
    return [
        (" ".join("".join(el.itertext()).split()), etree.QName(el).localname)
        for el in root.find("tei:text", NS).iter(*[f"{{{NS['tei']}}}{t}" for t in TAGS])
    ]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_darwin_chapter_one_has_no_capitalised_common_nouns_pronouns_or_honorifics_as_entities():
    paragraphs = [" ".join(p.split()) for p in DARWIN.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    marked = _marked(paragraphs)
    texts = {text for text, _tag in marked}
    for false in ("Habit", "Selection", "Species", "Unconscious", "Although I", "If I", "Majesty", "Genesis", "B.C"):
        assert false not in texts, false
    assert ("Yorkshire", "placeName") in marked and ("Yorkshire", "persName") not in marked
    # the names stay: persons, places
    assert ("Youatt", "persName") in marked and ("Persia", "placeName") in marked


def test_a_capitalised_word_is_a_common_noun_only_where_the_document_writes_it_in_lower_case():
    lower = lowercase_words(["the effects of habit and of selection", "the red army of the species"])
    assert common_noun("Habit", lower) and common_noun("Selection", lower) and common_noun("Species", lower)
    assert common_noun("Effects of Habit", lower)
    assert not common_noun("Red Army", lower)  # its head noun makes it a name
    assert not common_noun("Lyell", lower)
    assert not common_noun("Habit", lowercase_words(["no lower-case form of that word here"]))


def test_the_pronoun_i_and_the_words_before_it_are_no_name():
    lower = lowercase_words(["a change of conditions"])
    assert pronoun_span("Although I", lower) and pronoun_span("Now I", lower) and pronoun_span("Change I", lower)
    assert not pronoun_span("Charles I", lower) and not pronoun_span("Lyell", lower)


def test_speakers_are_persons_and_pronouns_are_not():
    text = "“Are they?” cried Elizabeth. Lydia laughed, and Mary very gravely replied. She said nothing, said I."
    assert [text[s:e] for s, e in speaker_spans(text)] == ["Elizabeth", "Lydia", "Mary"]
    assert speaker_spans("Izvestia said in its 25 December 1918 issue: the road is open.") == []


def test_a_novel_s_speakers_are_persons_even_where_a_town_shares_their_name():
    marked = _marked(
        [
            "“Are they, indeed?” cried Elizabeth, with the greatest satisfaction.",
            "“Yes,” thought Elizabeth; “that would be a delightful scheme.”",
            "More than once during dinner did Mr. Bennet say voluntarily to Elizabeth that he was glad.",
            "Her Majesty was pleased, and Although I had doubts, we went on.",
        ]
    )
    assert marked.count(("Elizabeth", "persName")) == 3
    assert ("Elizabeth", "placeName") not in marked  # Elizabeth, New Jersey, has 129,000 inhabitants
    assert not {"Majesty", "Although I"} & {text for text, _tag in marked}


def test_the_stage_s_pipeline_finds_the_entities_of_spacy_s_whole_pipeline_with_senter_and_ner_alone():
    fast = ner_pipeline()
    assert fast.pipe_names == ["senter", "ner"]
    text = (
        "Sir C. Lyell and other authors have ably treated this subject. Edward Forbes insisted that all the "
        "islands in the Atlantic must have been recently connected with Europe or Africa. Mr. Swaysland, of "
        "Brighton, informs me that in November, 1844, swarms of locusts visited the island of Madeira."
    )
    full = [(e.text, e.label_) for e in english_pipeline()(text).ents]
    assert [(e.text, e.label_) for e in fast(text).ents] == full
    assert ("Edward Forbes", "PERSON") in full


def test_a_year_written_in_words_is_a_date_and_a_number_in_words_is_not():
    from reader.tei.entities.dates import find_dates

    found = find_dates("It was the year of Our Lord one thousand seven hundred and seventy-five.")
    assert [(d.text, d.when) for d in found] == [("one thousand seven hundred and seventy-five", "1775")]
    assert [d.when for d in find_dates("in eighteen hundred and fifty-nine, he wrote")] == ["1859"]
    assert find_dates("one thousand eight hundred men crossed") == []


def test_places_inside_the_names_of_battles_and_a_heading_in_capitals_are_no_mentions():
    marked = _marked(
        [
            "The GREAT NORTHERN WAR was fought by Sweden. The decisive engagements were the Battles of Narva "
            "and Poltava, won by the Russians."
        ]
    )
    texts = {text for text, _tag in marked}
    assert ("Sweden", "placeName") in marked
    assert not texts & {"Narva", "Poltava", "GREAT NORTHERN WAR"}


def test_the_sides_of_a_civil_war_are_no_organisations_but_their_guards_are():
    marked = _marked(
        [
            "The war was fought between the Reds, led by the Red Guards, and the Whites, led by the White "
            "Guards. Many Red prisoners died; the Whites won in 1918."
        ]
    )
    assert ("Red Guards", "orgName") in marked
    assert not {text for text, tag in marked if tag == "orgName"} & {"Reds", "Whites"}


def test_a_legislature_named_by_its_one_word_is_an_organisation():
    marked = _marked(
        [
            "The power passed to the State Duma and to the conservative Senate. Later the Senate was "
            "dissolved, and the deputies met in Parliament at Helsinki."
        ]
    )
    orgs = [text for text, tag in marked if tag == "orgName"]
    assert orgs.count("Senate") == 2 and "Parliament" in orgs and "State Duma" in orgs
    assert "Duma" not in orgs


def test_a_word_one_walks_to_is_a_town_unless_the_text_puts_an_article_before_it():
    marked = _marked(
        [
            "The girls would walk to Harrowbury every morning, and they had stayed at Harrowbury all winter.",
            "Fetch hot water and go to Lantern! The Lantern bed-chamber was assigned to their Greatnesses.",
        ]
    )
    assert ("Harrowbury", "placeName") in marked
    assert ("Lantern", "placeName") not in marked  # a room of an inn, not a town
    assert "Greatnesses" not in {text for text, _tag in marked}


def test_a_saint_s_possessive_is_a_place_and_a_building_keeps_its_type_without_its_noun():
    marked = _marked(
        [
            "The musketeers went into St. Giles's to search for goods, and Wickham was marrying Mary King.",
            "The coach stopped at the Royal George Hotel. The room was the pride of the Royal George.",
        ]
    )
    assert ("St. Giles", "placeName") in marked
    assert ("Mary King", "persName") in marked
    assert [tag for text, tag in marked if text == "Royal George"] == ["placeName"]


def test_a_gloss_and_an_indefinite_description_are_not_names_but_what_they_describe_is():
    marked = _marked(
        [
            "Finland passed from a Grand Duchy of the Russian Empire to a republic. Power went to the State "
            "Duma (Russian Parliament), and Maide commanded the Omakaitse (Home Guard)."
        ]
    )
    texts = {text for text, _tag in marked}
    assert ("Russian Empire", "placeName") in marked and "Grand Duchy of the Russian Empire" not in texts
    assert ("State Duma", "orgName") in marked and "Russian Parliament" not in texts
    assert ("Home Guard", "orgName") in marked


def test_british_regiments_named_by_their_numbers_are_organisations_and_titles_stay_outside():
    """Made-up sentences in the shape of nineteenth-century military history (issue 21 item 5)."""
    marked = _marked(
        [
            "In 1825 the 14th, 31st and 58th Regiments of the Madras Native Infantry marched to Vellore. "
            "The 14th MNI and the 31st (Highland) Regiment of Foot refused, and General Sir Thomas Munro "
            "called a Court of Inquiry. Henry Wellesley, 1st Baron Cowley, wrote to the House of Lords."
        ]
    )
    orgs = [text for text, tag in marked if tag == "orgName"]
    assert "14th, 31st and 58th Regiments of the Madras Native Infantry" in orgs
    assert "14th MNI" in orgs and "31st (Highland) Regiment of Foot" in orgs and "House of Lords" in orgs
    assert "Court of Inquiry" not in orgs
    people = [text for text, tag in marked if tag == "persName"]
    assert "Thomas Munro" in people and "Sir Thomas Munro" not in people
    assert not [text for text, _ in marked if "Cowley" in text]  # a title of peerage, not a mention


def test_a_people_is_no_place_and_a_single_word_keeps_one_sense_in_a_document():
    marked = _marked(
        [
            "The column marched from Mathura to Barrackpore against the Burmese, entering Burmese territory.",
            "At Barrackpore the sepoys refused. Barrackpore was quiet by December.",
            "Troops came back to Barrackpore in 1825.",
        ]
    )
    assert ("Burmese", "placeName") not in marked
    assert {tag for text, tag in marked if text == "Barrackpore"} == {"placeName"}


def test_a_newspaper_a_charter_and_a_royal_commission_are_no_mentions_and_a_hotel_is_a_place():
    marked = _marked(
        [
            "The Bendigo Advertiser reported that a Royal Commission would sit. The miners met at the "
            "Criterion Hotel under the People's Charter of 1838, and the Electoral Act 1856 followed."
        ]
    )
    assert not [text for text, _ in marked if "Advertiser" in text or "Commission" in text or "Charter" in text]
    assert ("1838", "date") not in marked and ("1856", "date") not in marked
    assert ("Criterion Hotel", "orgName") not in marked


def test_a_stadtholder_is_a_title_a_coast_and_provinces_are_places_and_the_states_general_a_body():
    marked = _marked(
        [
            "Stadtholder Maurice favoured the plan. The States General chartered the company, whose "
            "ships sailed to the Slave Coast and were welcome in the United Provinces and among Dutch merchants."
        ]
    )
    assert ("Maurice", "persName") in marked and ("Stadtholder Maurice", "persName") not in marked
    assert ("States General", "orgName") in marked and ("Slave Coast", "placeName") in marked
    assert ("United Provinces", "orgName") not in marked and ("Dutch", "placeName") not in marked


def test_romance_bodies_titles_and_names_with_particles():
    """A Spanish biography's shapes: a body named by its head noun first, a noble called by his title's
    place, "Don" a title, a surname with its particle a person, a name running on through "y"."""
    marked = _marked(
        [
            "In 1919 Juan Vázquez de Mella founded the Partido Católico Tradicionalista, joined by the Conde "
            "de Rodezno and by Don Jaime. Vázquez de Mella then wrote to Carlos Ruiz de Alda y Arrospide."
        ]
    )
    assert ("Partido Católico Tradicionalista", "orgName") in marked
    assert ("Rodezno", "persName") in marked and ("Jaime", "persName") in marked
    assert ("Vázquez de Mella", "persName") in marked and ("Vázquez de Mella", "orgName") not in marked
    assert ("Carlos Ruiz de Alda y Arrospide", "persName") in marked


def test_a_full_name_outweighs_spacy_calling_the_bare_surname_a_body_again_and_again():
    """One sense per document counts spaCy's single-word guesses of a place or a body once, so the
    full names the document gives ("Evaristo Madero") decide what the bare surname is."""
    marked = _marked(
        [
            "Evaristo Madero founded the family's bank in Parras. Gustavo A. Madero ran its mills.",
            "Madero studied in Paris. Madero returned to Coahuila. Madero wrote a book. Madero won.",
        ]
    )
    assert {tag for text, tag in marked if text == "Madero"} <= {"persName"}
    assert ("Lycée Hoche", "placeName") not in _marked(["He studied at the Lycée Hoche in Versailles."])


def test_ottoman_honorifics_a_khedive_and_an_alliance():
    marked = _marked(
        [
            "Khedive Abbas dismissed Mustafa Fahmi Pasha in 1893. Egypt sided with the Central Powers "
            "while the Sultanate was proclaimed, and the Aswan Low Dam was finished."
        ]
    )
    assert ("Abbas", "persName") in marked and ("Khedive Abbas", "persName") not in marked
    assert ("Mustafa Fahmi", "persName") in marked and ("Mustafa Fahmi Pasha", "persName") not in marked
    assert not [text for text, _ in marked if text in ("Central Powers", "Sultanate")]
    assert ("Aswan Low Dam", "orgName") not in marked


def test_an_initial_makes_no_given_name_and_a_latin_abbreviation_no_name():
    """Darwin's "the Hon. C. Murray" names a person, but "C." alone ("C. livia") is a genus, and
    "I. e. Florida squatters" names no one called Florida."""
    marked = _marked(
        [
            "Pigeons were sent by the Hon. C. Murray from Persia. Besides C. livia there are other forms.",
            'Some farmers in Florida said that the "crackers" ( I. e. Florida squatters) chose black pigs.',
        ]
    )
    assert ("C.", "persName") not in marked
    assert ("Florida", "persName") not in marked


def test_a_town_s_soviet_a_cardinal_a_couple_and_decades_written_otherwise():
    marked = _marked(
        [
            "The Petrograd Soviet met in the mid-1880s' shadow? No: in the 1917 spring. Cardinals John "
            "Farley blessed it; James and Mary Wilson sang. The Panic of 1893 ended the 1880's boom."
        ]
    )
    assert ("Petrograd Soviet", "orgName") in marked
    assert ("John Farley", "persName") in marked and ("Cardinals John Farley", "persName") not in marked
    assert ("James", "persName") in marked and ("Mary Wilson", "persName") in marked
    assert ("1880's", "date") in marked and ("1893", "date") not in marked


def test_feasts_laws_events_descriptions_and_irish_names_as_editors_mark_them():
    """General rules from the Easter Rising text (issue 21, item 5), tried here on other words."""
    marked = _marked(
        [
            "The strike began on Whit Monday, 5 June 1848, and the Reform Bill of 1832 and the Acts of Union 1707 "
            "were read again. The Glasgow Lock-out followed the Peterloo massacre.",
            "He tried to raise an Irish Legion, made up of prisoners, and was made Director of Military "
            "Intelligence. The Second Duma met; Cumann na nGaedheal won County Kerry.",
            "The Kingdom of Sweden and Norway was read of in his newspaper United Irishman.",
        ]
    )
    assert ("Whit Monday, 5 June 1848", "date") in marked
    assert ("1832", "date") not in marked and ("1707", "date") not in marked
    assert not any(text == "Reform Bill" for text, _ in marked)
    assert not any(text in ("Glasgow", "Peterloo") for text, _ in marked)
    assert not any("Irish Legion" in text or "Military Intelligence" in text for text, _ in marked)
    assert ("Second Duma", "orgName") in marked
    assert ("Cumann na nGaedheal", "orgName") in marked
    assert ("County Kerry", "placeName") in marked
    assert ("Kingdom of Sweden and Norway", "placeName") in marked
    assert not any("United Irishman" in text for text, _ in marked)


def test_a_span_across_a_verb_is_two_names():
    from reader.tei.entities.recognise import _around_lower_words

    span = "Plunkett joined Casement"
    assert [span[a:b] for a, b in _around_lower_words(span)] == ["Plunkett", "Casement"]
    kept = "Cumann na mBan of Dublin"
    assert [kept[a:b] for a, b in _around_lower_words(kept)] == [kept]


def test_given_names_of_many_languages_patronymics_saints_institutions_and_a_biography_s_subject():
    """General rules from the Madero and Kerensky texts (issue 21, item 5), tried here on other names."""
    marked = _marked(
        [
            "EMILIANO ZAPATA SALAZAR (8 August 1879 – 10 April 1919) was a leader. He met Evaristo Madero and "
            "Maria Nikolayevna Volkonskaya, and studied at St. Andrews University.",
        ]
    )
    assert ("EMILIANO ZAPATA SALAZAR", "persName") in marked
    assert ("Evaristo Madero", "persName") in marked
    assert ("Maria Nikolayevna Volkonskaya", "persName") in marked
    assert ("St. Andrews University", "orgName") in marked


def test_the_given_names_list_is_faker_s_less_places_and_words():
    from reader.tei.entities import names as N
    from reader.tei.entities.build_given_names import provider_names, wanted

    assert {"Porfirio", "Evaristo", "Pavel"} <= N.GIVEN_NAMES
    assert not {"Victoria", "Villa", "Royal", "Price"} & N.GIVEN_NAMES  # a city, a building, one locale's words
    assert not wanted("Paris") and not wanted("Major") and wanted("Evaristo")
    assert N.looks_like_person("María de la Estrella González de la Riva Vidiella")  # five names, four particles
    assert not N.looks_like_person("Banco de la Nación Argentina")
    source = 'first_names_male: Tuple[str, ...] = ("Ana", "Evaristo")\nfirst_names = OrderedDict((("Tomás", 0.1),))\n'
    assert provider_names(source) == {"Ana", "Evaristo", "Tomás"}


def test_chinese_names_two_days_running_and_a_range_whose_year_is_said_once():
    """General rules from the Chiang and Riel texts (issue 21, item 5), tried here on other names and dates."""
    marked = _marked(
        [
            "Hu Hanmin met Liao Zhongkai on 7 and 8 March 1921; Hu stayed from April 2 to May 30, 1922. The "
            "Han River and Long Island are no people.",
        ]
    )
    assert ("Hu Hanmin", "persName") in marked and ("Liao Zhongkai", "persName") in marked
    assert ("7 and 8 March 1921", "date") in marked
    assert ("from April 2 to May 30, 1922", "date") in marked
    assert not any(text in ("Han River", "Long Island", "Han", "Long") and tag == "persName" for text, tag in marked)


def test_appositions_leaders_governments_ships_hyphens_and_laws_of_a_full_date():
    """General rules from the Riel and Chiang texts (issue 21, item 5), tried here on other words."""
    marked = _marked(
        [
            "He joined the Xingzhonghui, a secret revolutionary society. The Xingzhonghui met at Lower Fort Erie. "
            "The Laurier government sailed on the SS Empress to the Hudson Bay Settlement after the 1905 Revolution "
            "and the Dominion Lands Act of 20 May 1872. The Xingzhonghui-backed paper, a Francophone one, was titled "
            "Le Canadien.",
        ]
    )
    assert ("Xingzhonghui", "orgName") in marked
    assert ("Lower Fort Erie", "placeName") in marked
    assert ("Laurier", "persName") in marked
    assert not any(
        text in ("Empress", "SS Empress", "1905", "20 May 1872", "Francophone", "Le Canadien") for text, _ in marked
    )
    assert ("Hudson Bay Settlement", "placeName") in marked


def test_a_party_of_adjectives_keeps_its_noun_and_the_states_general_their_country():
    marked = _marked(["The Liberal party and the Sinn Féin party met the States General of the Netherlands in 1890."])
    assert ("Liberal party", "orgName") in marked
    assert ("Sinn Féin party", "orgName") not in marked
    assert ("States General of the Netherlands", "orgName") in marked


def test_nations_territories_shared_heads_clubs_rivers_ranks_particles_and_peoples():
    """General rules from the Kenya and Paraguay texts (issue 21, item 5), tried here on other words."""
    marked = _marked(
        [
            "Lt Col Otto von Bismarck-Schönhausen fought in Portuguese West Africa near the Río Negro. Later von "
            "Bismarck met the Conservative and Radical Parties at the Reform Club del Centro. Both Europeans and "
            "Asians signed the Pact of Tacna.",
        ]
    )
    assert ("Otto von Bismarck-Schönhausen", "persName") in marked
    assert ("von Bismarck", "persName") in marked
    assert ("Portuguese West Africa", "placeName") in marked
    assert ("Río Negro", "placeName") in marked
    assert ("Conservative", "orgName") in marked and ("Radical Parties", "orgName") in marked
    assert not any(text in ("Europeans", "Tacna") for text, _ in marked)


def test_a_known_given_name_and_a_surname_is_a_person_a_station_or_a_street_is_not():
    marked = _marked(
        [
            "Isoroku Tanaka sailed while Camp Hale trained them by George Street; Mark Twain wrote there.",
            "The attack was led by Gustav von Wietersheim, and Camp Hale trained them.",
        ]
    )
    assert ("Isoroku Tanaka", "persName") in marked and ("Mark Twain", "persName") in marked
    assert ("Camp Hale", "placeName") in marked and ("Camp Hale", "orgName") not in marked
    assert not any(text in ("George Street", "Camp Hale") for text, tag in marked if tag == "persName")


def test_provinces_a_place_and_its_region_a_country_before_a_body_and_a_colony_s_house():
    """General rules from the Australian Labor and Philippines texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "A Bohol Constabulary was raised at Tagbilaran, Bohol, under the U.S. Bureau of Public Works. The "
            "Western Australian House of Assembly met in Parliament House; the British House of Lords did not.",
        ]
    )
    assert ("Bohol Constabulary", "orgName") in marked
    assert ("Tagbilaran", "placeName") in marked and ("Bohol", "placeName") in marked
    assert ("U.S.", "placeName") in marked and ("Bureau of Public Works", "orgName") in marked
    assert ("Western Australian House of Assembly", "orgName") in marked
    assert ("House of Lords", "orgName") in marked and ("British House of Lords", "orgName") not in marked
    assert ("Parliament House", "placeName") in marked


def test_slavic_surnames_movements_hyphened_states_houses_middle_initials_and_aliases():
    """General rules from the Black Hand and Imperial German Navy texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "LIBERTY OR DEATH, popularly known as the RED LEAGUE (Crvena liga), was a secret political society. "
            "Captains Dušan Marković and Petar K. Jovanović joined the Red League, Young Croatia opposed "
            "Schleswig-Holstein's governor and King Peter I Karađorđević, in a 'Naval Signal Corps' at the Kiel Canal "
            "on the night of 14/15 June 1905.",
        ]
    )
    assert ("Dušan Marković", "persName") in marked and ("Petar K. Jovanović", "persName") in marked
    assert ("Red League", "orgName") in marked and ("RED LEAGUE", "orgName") in marked
    assert ("Young Croatia", "orgName") in marked
    assert ("Schleswig-Holstein", "placeName") in marked
    assert ("Peter I Karađorđević", "persName") in marked
    assert ("Naval Signal Corps", "orgName") in marked
    assert ("Kiel Canal", "placeName") in marked
    assert ("the night of 14/15 June 1905", "date") in marked


def test_a_rejected_word_inside_a_longer_name_decades_joined_prisons_and_a_faith_s_adjective():
    """General rules from the Jamaica and Malawi texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "In the 1920s and 1930s the Bechuanaland Protectorate invited the Catholic Holy Ghost Fathers to "
            "Robben Prison.",
        ]
    )
    assert ("1920s and 1930s", "date") in marked
    assert ("Bechuanaland Protectorate", "placeName") in marked  # the seed register rejects "Protectorate" alone
    assert ("Holy Ghost Fathers", "orgName") in marked
    assert ("Robben Prison", "placeName") in marked


def test_ordinances_affrays_militia_alone_honorifics_bare_initials_and_adjectives_without_a_noun():
    """General rules from the Nehru and New Zealand texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The Police Ordinance of Natal followed the Boyd Affray; French Imperial troops and companies of "
            "Militia stayed, and Captain J R Fenwick, Deputy Quartermaster-General, met Mahatma Tilak and "
            "Walter Scott, H.H. Asquith in mid-1907.",
        ]
    )
    assert not any(
        text in ("Police Ordinance", "Boyd Affray", "French Imperial", "Militia", "Imperial") for text, _ in marked
    )
    assert ("J R Fenwick", "persName") in marked
    assert not any("Quartermaster-General" in text for text, _ in marked)
    assert ("Tilak", "persName") in marked and ("Mahatma Tilak", "persName") not in marked
    assert ("Scott, H.H.", "persName") not in marked
    assert ("1907", "date") in marked


def test_companies_named_by_lists_and_owners_rivers_sharing_a_noun_towns_in_provinces_and_peers():
    """General rules from the Canadian Pacific and Scotland texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Thomas Brassey's Grand Trunk Railway Company bought the Dublin, Wicklow and Wexford Railway and the "
            "Lancashire and Yorkshire Railway. Its line ran between the Ottawa and Rideau rivers, from Kenora, "
            "Ontario, to Montague's Crossing and St. Albert, Alberta, and on to the Southwest United States. "
            "The Earl of Dalhousie opened it in 1868–9.",
        ]
    )
    assert ("Thomas Brassey", "persName") in marked and ("Grand Trunk Railway Company", "orgName") in marked
    assert ("Dublin, Wicklow and Wexford Railway", "orgName") in marked
    assert ("Lancashire and Yorkshire Railway", "orgName") in marked
    assert ("Ottawa", "placeName") in marked and ("Rideau", "placeName") in marked
    assert ("Kenora", "placeName") in marked and ("St. Albert", "placeName") in marked
    assert ("Montague's Crossing", "placeName") in marked
    assert ("Southwest United States", "placeName") in marked
    assert ("Dalhousie", "persName") in marked
    assert ("1868–9", "date") in marked


def test_leaders_by_their_role_policies_party_adjectives_and_bodies_in_an_office():
    """General rules from the Canadian Pacific and Scotland texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The Dockers' Union was founded in 1889, with Havelock Wilson as its first president, and a survey "
            "led by Bronterre Sandys followed. Tory candidates and the new Conservative leader campaigned for Home "
            "Rule for Wales and against Manx language teaching; Henry M. Hill, Chancellor of Edinburgh University, "
            "spoke to the General Council after the Panama Scandal and in Mid Wales.",
        ]
    )
    assert ("Havelock Wilson", "persName") in marked
    assert ("Bronterre Sandys", "persName") in marked
    assert not any(text in ("Tory", "Conservative", "Manx", "Panama", "Panama Scandal") for text, _ in marked)
    assert ("Wales", "placeName") in marked and not any("Home Rule" in text for text, _ in marked)
    assert ("Henry M. Hill", "persName") in marked
    assert ("Edinburgh University", "orgName") in marked
    assert ("General Council", "orgName") in marked
    assert ("Mid Wales", "placeName") in marked


def test_a_state_defined_with_its_acronym_unions_listed_provinces_seats_and_kin():
    """General rules from the South African Republic and BSA texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The CONFEDERATE STATES OF AMERICA (CSA), also called the CONFEDERACY, was an unrecognised republic in "
            "North America. The CSA seceded in 1861.",
            "The Strike Committee and the Election Commission met the widow of Sandile Mgolombane at Rorke's Drift "
            "(c.1820) and in the counties of Antrim, Down and Londonderry around 1900. The Union of India bought "
            "the Britannia Manufacturing Company of Colchester and sold it to Leeds Forge and Steel Company "
            "Limited; a Board of Trustees ran the Royal Gunpowder Factory after the Geneva Convention.",
        ]
    )
    assert ("CONFEDERATE STATES OF AMERICA", "placeName") in marked and ("CSA", "placeName") in marked
    assert ("CONFEDERACY", "placeName") in marked
    assert ("Strike Committee", "orgName") in marked and ("Election Commission", "orgName") in marked
    assert ("Sandile Mgolombane", "persName") in marked
    assert ("Rorke's Drift", "placeName") in marked
    assert ("1820", "date") in marked and ("1900", "date") in marked
    assert all((name, "placeName") in marked for name in ("Antrim", "Down", "Londonderry"))
    assert ("Union of India", "placeName") in marked
    assert ("Britannia Manufacturing Company", "orgName") in marked and ("Colchester", "placeName") in marked
    assert ("Leeds Forge and Steel Company Limited", "orgName") in marked
    assert not any(text.startswith("Board") or "Geneva" in text for text, _ in marked)
    assert ("Royal Gunpowder Factory", "placeName") in marked


def test_bodies_listed_after_their_plural_a_lead_alias_in_brackets_and_a_nationality_before_a_name():
    """General rules from the Motion Picture Patents and Chile texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The STANDARD OIL TRUST (SOT, also known as the ROCKEFELLER COMBINE), founded in 1882 in Ohio, was a "
            "trust of refiners. The SOT bought two companies: Vacuum and Galena, and later banks such as Chemical, "
            "Hanover and Mercantile. The Norwegian Olaf Nordahl opposed it before the 1905 Russian Revolution.",
        ]
    )
    assert ("STANDARD OIL TRUST", "orgName") in marked and ("SOT", "orgName") in marked
    assert ("ROCKEFELLER COMBINE", "orgName") in marked
    assert all((name, "orgName") in marked for name in ("Vacuum", "Galena", "Chemical", "Hanover", "Mercantile"))
    assert ("Olaf Nordahl", "persName") in marked and not any("Norwegian" in text for text, _ in marked)
    assert ("1905", "date") not in marked


def test_congresses_held_in_a_city_peoples_families_compass_regions_and_secretariats():
    """General rules from the Syndicalism and Ottoman Empire texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "After the Congress of Vienna the Rothschild family lent money to ethnic Serbs and Croats in West "
            "Galicia and European Russia; the International Secretariat of Christian Trade Unions joined the Casa "
            "del Pueblo during the Great Unrest. Refugees crossed the Carpathians.",
        ]
    )
    assert ("Carpathians", "placeName") in marked
    assert not any(text in ("Congress of Vienna", "Vienna", "Rothschild", "Serbs", "Croats") for text, _ in marked)
    assert ("West Galicia", "placeName") in marked
    assert ("European Russia", "placeName") in marked
    assert ("International Secretariat of Christian Trade Unions", "orgName") in marked
    assert ("Casa del Pueblo", "orgName") in marked
    assert not any("Unrest" in text for text, _ in marked)


def test_people_by_their_verbs_ships_fjords_capes_partners_firms_abbreviated_companies_and_addresses():
    """General rules from the Standard Oil and Nansen texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The whaler Fram reached Scoresby Fjord; Amundsen believed the route was open near Cape Farewell "
            "Point. Christians feared the Cunard Steamship Co. and the Zenith Shipping Company, whose ships were "
            "sold when Zenith failed; Harland, Wolff & Pirrie built them at 12 Threadneedle Street near the "
            "Brent oil field.",
        ]
    )
    assert ("Fram", "persName") not in marked and ("Fram", "placeName") not in marked
    assert ("Scoresby Fjord", "placeName") in marked
    assert ("Amundsen", "persName") in marked
    assert ("Cape Farewell Point", "placeName") in marked
    assert not any(text == "Christians" for text, _ in marked)
    assert ("Cunard Steamship Co.", "orgName") in marked
    assert ("Zenith", "orgName") in marked
    assert ("Harland, Wolff & Pirrie", "orgName") in marked
    assert ("12 Threadneedle Street", "placeName") in marked
    assert ("Brent", "placeName") in marked


def test_authorities_who_have_remarked_races_and_peoples_in_darwin_s_manner():
    """General rules from Darwin's false entities (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "On this principle Lancaster has remarked that the Lapps, like the Esquimaux, matched their sledge "
            "dogs; by the rules of the Ascot Races the horses carry less.",
        ]
    )
    assert ("Lancaster", "persName") in marked
    assert not any(text in ("Esquimaux", "Ascot Races", "Ascot") for text, _ in marked)


def test_churches_presbyteries_confessions_listed_commissions_united_states_of_and_the_red_cross():
    """General rules from the Disciples of Christ and Red Cross texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The Brethren of Christ left the Transylvania Presbytery over the Augsburg Confession and the Old "
            "Testament, and the Lisbon Sanitary and Health Commission asked Pierre-Louis Fabre and the Swedish "
            "Red Cross to help the United States of Colombia after the 1906 Geneva Convention.",
        ]
    )
    assert ("Transylvania Presbytery", "orgName") in marked
    assert not any("Confession" in text or "Testament" in text or text == "Christ" for text, _ in marked)
    assert ("Lisbon Sanitary and Health Commission", "orgName") in marked
    assert ("Pierre-Louis Fabre", "persName") in marked
    assert ("Swedish Red Cross", "orgName") in marked  # a national society's name
    assert ("United States of Colombia", "placeName") in marked
    assert ("1906", "date") not in marked


def test_schools_with_listed_subjects_regnal_names_at_a_sentence_s_end_temples_and_plans():
    """General rules from the MIT and Siam texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Despite Big Ten rivals, the Institute of Letters, History, and Fine Arts and Yale College's Sheffield "
            "Scientific School grew. The Morrill Plan and the Eliot reforms pleased Count Johann Georg von Lehndorff, "
            "who met the abbot of Wat Phra Kaew and the Italianised court of Charles IX.",
        ]
    )
    assert ("Institute of Letters, History, and Fine Arts", "orgName") in marked
    assert ("Yale College", "orgName") in marked and ("Sheffield Scientific School", "orgName") in marked
    assert not any(text in ("Morrill", "Eliot", "Italianised", "Despite Big Ten") for text, _ in marked)
    assert ("Johann Georg von Lehndorff", "persName") in marked
    assert ("Wat Phra Kaew", "placeName") in marked
    assert ("Charles IX", "persName") in marked


def test_callings_lawsuits_two_bodies_listed_a_klan_and_a_state_named_by_its_people():
    """General rules from the ACLU and Greece texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The league was founded by Mercy Otis Warren, a poet and playwright, and a young lawyer named Harald "
            "Ostervold. In Plessy v. Ferguson the court ruled; the National Civic League, and Farmers Alliance Society "
            "met the White Camelia Klan in the Ionian State.",
        ]
    )
    assert ("Mercy Otis Warren", "persName") in marked
    assert ("Harald Ostervold", "persName") in marked
    assert not any(text in ("Plessy", "Ferguson", "Plessy v. Ferguson") for text, _ in marked)
    assert not any(text.startswith("National Civic League,") for text, _ in marked)
    assert ("White Camelia Klan", "orgName") in marked
    assert ("Ionian State", "placeName") in marked


def test_acronyms_used_often_slashed_short_forms_seats_of_bases_ministries_of_two_things_and_coasts():
    """General rules from the Congo and Marconi texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "In 1956 UPRONA asked for reform. UPRONA grew under the leadership of Ndabaze Rwagasore, and "
            "UPRONA split into the PDC-Baranyanka/PDC-B and a Bujumbura-based wing. The Ministry of Agriculture "
            "and Fisheries, the Italian Legation and the Admiralty sent a ship across the Solent Channel to Hurst "
            "Point and the Brambles Sands; his boat, the Ariadne, lay at anchor.",
        ]
    )
    assert [text for text, tag in marked if text == "UPRONA" and tag == "orgName"] == ["UPRONA"] * 3
    assert ("Ndabaze Rwagasore", "persName") in marked
    assert ("Ministry of Agriculture and Fisheries", "orgName") in marked
    assert ("Italian Legation", "orgName") in marked and ("Admiralty", "orgName") in marked
    assert ("Solent Channel", "placeName") in marked and ("Hurst Point", "placeName") in marked
    assert not any(text == "Ariadne" for text, _ in marked)


def test_clubs_named_by_their_towns_in_a_text_about_sport_and_rectories():
    """General rules from the Port Adelaide and Psychical Research texts (issue 21, item 5), on other words."""
    sport = _marked(
        [
            "The Ipswich Town Football Club won its first premiership in 1890. In 1891 Colchester defeated "
            "Ipswich at Portman Road, but Ipswich won the return game against Colchester.",
        ]
    )
    assert ("Colchester", "orgName") in sport and ("Ipswich", "orgName") in sport
    elsewhere = _marked(["In 1891 Colchester defeated Ipswich in the county elections; the Borley Rectory burned."])
    assert ("Colchester", "orgName") not in elsewhere  # no text about sport: the towns stay towns
    assert ("Borley Rectory", "placeName") in elsewhere


def test_currencies_provinces_with_given_names_companies_after_general_and_peoples_adjectives():
    """General rules from the Liberia and REO texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The car cost NZ$900 in Halifax, Nova Scotia, where Mabel Dutton, the editor of a magazine, drove a "
            "General Electric Company truck with Italian-American settlers and the Mende tribes, and the Friendly "
            "Society of Sierra Leone paid.",
        ]
    )
    assert not any(text in ("NZ", "Italian-American", "Mende") for text, _ in marked)
    assert ("Nova Scotia", "placeName") in marked
    assert ("Mabel Dutton", "persName") in marked
    assert ("General Electric Company", "orgName") in marked
    assert ("Friendly Society of Sierra Leone", "orgName") in marked


def test_routes_between_two_dates_airlines_limited_companies_and_a_secretary_of_state():
    """General rules from the Imperial Airways and Cuba texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Between 2 April 1931 and 9 May 1932 the Qantas Airways Ltd. flew Darwin–Batavia–Singapore–Rangoon "
            "and Manchester-Dublin for the Secretary of State for War; Colonel Henry Banks, of the Swissair "
            "Airlines, watched. Nevertheless, Austria-Hungary fell.",
        ]
    )
    assert ("2 April 1931 and 9 May 1932", "date") in marked
    assert ("Qantas Airways Ltd.", "orgName") in marked
    assert all((town, "placeName") in marked for town in ("Darwin", "Batavia", "Singapore", "Rangoon"))
    assert ("Manchester", "placeName") in marked and ("Dublin", "placeName") in marked
    assert not any(text.startswith("State for") or text == "Nevertheless" for text, _ in marked)
    assert ("Henry Banks", "persName") in marked
    assert ("Austria-Hungary", "placeName") in marked


def test_boards_authorities_executives_transport_bodies_commissions_on_and_greater_cities():
    """General rules from the London transport text (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The Manchester Passenger Transport Board and the Greater Manchester Council yielded to the Mersey "
            "Docks Authority, the Glasgow Transport Executive and a Royal Commission on Scottish Local Government; "
            "Leeds Transport ran the trams of Greater Glasgow.",
        ]
    )
    assert ("Manchester Passenger Transport Board", "orgName") in marked
    assert ("Mersey Docks Authority", "orgName") in marked
    assert ("Glasgow Transport Executive", "orgName") in marked
    assert ("Royal Commission on Scottish Local Government", "orgName") in marked
    assert ("Leeds Transport", "orgName") in marked
    assert ("Greater Glasgow", "placeName") in marked


def test_a_ruler_of_the_realm_and_years_inside_longer_treaty_names():
    """General rules from the Luxembourg text (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Under Frederick II of the Two Sicilies, and after the Treaty of Paris of 1856 and the 1713 "
            "Hapsburg Family Pact, Naples grew.",
        ]
    )
    assert ("Frederick II of the Two Sicilies", "persName") in marked
    assert not any(text in ("1856", "1713") for text, _ in marked)
    assert ("Naples", "placeName") in marked


def test_languages_and_countries_adjectives_and_a_name_before_a_closing_bracket():
    """General rules from the Honduras and Sri Lanka texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The planters brought Telugu and Bengali workers into disputed Bolivian territory, and Grace Brothers "
            "and Company (later Pacific Fruit),a Boston firm, bought land.",
        ]
    )
    assert not any(text in ("Telugu", "Bengali", "Bolivian") for text, _ in marked)
    assert not any(")" in text for text, _ in marked)


def test_historical_states_and_regions_and_a_federation_of_two_countries():
    """The hand list of historical states and regions, and federations of two states (issue 21, item 5)."""
    marked = _marked(
        [
            "Tea from Ceylon and Burma reached Persia through Mesopotamia, while the Federation of Prussia and "
            "Bavaria stayed apart.",
        ]
    )
    assert all((name, "placeName") in marked for name in ("Ceylon", "Burma", "Persia", "Mesopotamia"))
    assert ("Federation of Prussia and Bavaria", "placeName") in marked


def test_peoples_by_their_country_currents_two_decades_trades_and_joined_names():
    """General rules from the trade-union and Slovenia texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The powers threatened the Slovak territory, a third of the city was Slovak, and the Croats of Istria sided with the Old Czechs, not the radical "
            "Young Czechs, in the 1870s and 80s.",
            "The Amalgamated Society of Boiler-makers and the Federation of Printing Trades and Paper Workers met "
            "after the Glasgow Outrages and the Exceptional Laws.",
            "The Christian socialist activist Anton Evangelist Korosec organized hundreds of miners, who went from "
            "Carniola to Bosnia and Herzegovina.",
        ]
    )
    assert not any(text in ("Slovak", "Croats", "Old Czechs", "Young Czechs") for text, _ in marked)
    assert ("1870s and 80s", "date") in marked
    assert ("Amalgamated Society of Boiler-makers", "orgName") in marked
    assert ("Federation of Printing Trades and Paper Workers", "orgName") in marked
    assert not any(text in ("Glasgow Outrages", "Exceptional Laws") for text, _ in marked)
    assert ("Anton Evangelist Korosec", "persName") in marked  # one name, though spaCy cuts it in two
    assert ("Carniola", "placeName") in marked and ("Bosnia and Herzegovina", "placeName") in marked


def test_bodies_said_formed_kinsmen_colonies_titles_and_listed_clubs():
    """General rules from the baseball and Indonesia texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "In 1905 the first nationalist movement was founded, Muda Bangsa. By 1910, Muda Bangsa had many members, "
            "and Raden Soetomo joined the Third International.",
            "The expedition went against the colony of the Portuguese East Indies, while Tokugawa's eldest son wrote "
            "the book Annals of Ceylon.",
            "Players from the Union, Star and Enterprise clubs adopted the Haymaker Rules, written by Edward Mills, "
            "its president.",
        ]
    )
    assert ("Muda Bangsa", "orgName") in marked and ("Third International", "orgName") in marked
    assert ("Soetomo", "persName") in marked and ("Raden Soetomo", "persName") not in marked
    assert ("Portuguese East Indies", "placeName") in marked and ("Tokugawa", "persName") in marked
    assert not any("Ceylon" in text or text == "Haymaker Rules" for text, _ in marked)
    assert all((club, "orgName") in marked for club in ("Union", "Star", "Enterprise"))
    assert ("Edward Mills", "persName") in marked


def test_a_team_named_by_its_town_is_one_body_and_its_plural_the_team():
    """ "the Chicago White Stockings" in a text about sport: the team, over the register's town in it."""
    from reader.tei.entities.learn import _town_team
    from reader.tei.entities.recognise import Candidate
    from reader.tei.entities.stage import choose

    assert _town_team("New York Knickerbockers") == "Knickerbockers" and _town_team("Troy Haymakers") == "Haymakers"
    assert _town_team("Abraham Mills") is None and _town_team("Professional Baseball Clubs") is None
    text = "One of these clubs, the Chicago White Stockings, won."
    start = text.index("Chicago")
    town = Candidate(start, start + 7, "placeName", "register", "high", ref="pla-chicago", text="Chicago")
    team = Candidate(start, start + 23, "orgName", "document", "medium", text="Chicago White Stockings")
    chosen = choose([town, team], {}, Register.seed())
    assert [(c.text, c.tag) for c in chosen] == [("Chicago White Stockings", "orgName")]


def test_a_regnal_name_after_a_title_keeps_both_its_names():
    """ "Sultan [Mahmud Badaruddin II]": the rule's name has both words a title stands before (not "in Sweden
    Gustav I", where no title stands)."""
    from reader.tei.entities.recognise import head_noun_candidates

    text = "The expedition went against Sultan Ahmad Tajuddin II of Brunei, while in Sweden Gustav I ruled."
    regnal = {text[c.start : c.end] for c in head_noun_candidates(text) if c.tag == "persName"}
    assert regnal == {"Ahmad Tajuddin II", "Gustav I"}


def test_events_currencies_waves_bodies_named_by_their_noun_and_states_by_their_head():
    """General rules from the Israel and Tanzania texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "After the Cairo Declaration of 1943 and the Potsdam Conference, fighting went on in 1890 and 1891, "
            "and the Sultanate of Muscat joined the Conventional Basin of the Niger.",
            'The General Federalists met. A mainly rural underground militia, Dashnak Tsutyun ("Federation"), was '
            'formed; its members were known by its acronym "Lehi".',
            "British authorities introduced the Palestine pound in 1927, replacing the Egyptian pound, and the "
            "Mesopotamia rupee. Thousands arrived, escaping the chaos of Russia (Second Aliyah), and more came from "
            "Poland (Fifth Aliyah).",
            "Tanganyika as a geographical and political entity took shape. From 1928, the democratically elected "
            "Va'ad Ha'ir (Jerusalem City Council or JCC) was the main institution.",
        ]
    )
    texts = {text for text, _ in marked}
    assert not texts & {"Cairo", "Potsdam", "1943", "Federalists", "Palestine", "Mesopotamia"}
    assert not texts & {"Second Aliyah", "Fifth Aliyah"}
    assert ("1890 and 1891", "date") in marked
    assert ("Sultanate of Muscat", "placeName") in marked
    assert ("Conventional Basin of the Niger", "placeName") in marked
    assert ("Dashnak Tsutyun", "orgName") in marked and ("Lehi", "orgName") in marked
    assert ("Tanganyika", "placeName") in marked and ("Va'ad Ha'ir", "orgName") in marked


def test_places_listed_before_their_plural_noun_and_a_station_of_a_place():
    """ "the Mahenge and Makonde plateaux", "the station of Mpala" (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The revolt spread to the Matengo and Kipengere plateaux and Ifakara, soon followed by the station of "
            "Karema on the opposite bank, and to a homestead in Alsunga Parish of Kuldiga county.",
        ]
    )
    assert all((name, "placeName") in marked for name in ("Matengo", "Kipengere", "Karema", "Alsunga Parish"))
    assert ("Alsunga Parish of Kuldiga", "placeName") not in marked  # a parish of a county: two places


def test_laws_buildings_a_bodys_bare_noun_and_names_with_a_namesakes_initials():
    """General rules from the Acadia University and Ecuador texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The enabling legislation is the Dalhousie College Act. The College was later named Dalhousie "
            "University. Today, Carvell Hall is the home of the Department of Music, and the Fenwick University "
            "Archives hold its papers.",
            "The W. K. Kellogg Cereal Company grew fast, and Kellogg said so; his papers are in the W. K. Kellogg "
            "Archives. The local Mestizo elite of the Viceroyalty of New Granada objected.",
        ]
    )
    texts = {text for text, _ in marked}
    assert not texts & {"Dalhousie College", "College", "Mestizo"}
    assert ("Carvell Hall", "placeName") in marked and ("Fenwick University Archives", "placeName") in marked
    assert ("W. K. Kellogg Cereal Company", "orgName") in marked and ("W. K. Kellogg Archives", "placeName") in marked
    assert ("Kellogg", "persName") in marked and ("Viceroyalty of New Granada", "placeName") in marked


def test_case_titles_statutes_sections_and_municipal_and_listed_states():
    """General rules from the Central Pacific and Brazil texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "The court ordered them (The People of the State of Nevada ex rel the Carson Railroad Company vs. John "
            "Smith, Mayor; and Peter Brown, Treasurer, of the City of Carson. 25 Nev. 635). Sec. 4 of the 1862 Act "
            "and the Government Bonds helped the City and County of Denver.",
            'The legislature passed "An Act to Authorize the Board of Supervisors of the City of Oakland to take '
            'Stock of the Contra Costa Rail Road Company". Miners left Poker Flat on the Overland Route.',
            "The United Kingdom of Sweden, Norway, and the Faroes was proclaimed.",
        ]
    )
    texts = {text for text, _ in marked}
    assert not texts & {"John Smith", "Peter Brown", "Carson Railroad Company", "State of Nevada", "Sec", "1862"}
    assert not texts & {"Government Bonds", "Board of Supervisors of the City of Oakland"}
    assert ("City and County of Denver", "placeName") in marked and ("Poker Flat", "placeName") in marked
    assert ("United Kingdom of Sweden, Norway, and the Faroes", "placeName") in marked


def test_portuguese_place_names_a_peoples_legislature_and_a_railroads_short_name():
    """ "Rio Grande do Sul", "the Portuguese [Cortes]", "Central Pacific Railroad" -> "the Central Pacific"."""
    marked = _marked(
        [
            "Rebellions broke out in Salvador da Bahia and in Rio Grande do Sul. In 1822 the Portuguese Cortes "
            "recalled the king, and the Central Pacific Railroad merged into the Southern Pacific; the Central "
            "Pacific kept its name."
        ]
    )
    assert ("Salvador da Bahia", "placeName") in marked and ("Rio Grande do Sul", "placeName") in marked
    assert ("Cortes", "orgName") in marked and ("Central Pacific", "orgName") in marked


def test_provinces_by_compass_lower_case_romance_bodies_and_a_governors_name():
    """General rules from the Province of Canada and Harmony Society texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Settlers moved to the Indiana Territory and later to Canada West, where the Parti rouge and the Parti "
            "national met the Société générale de Montréal.",
            "Governor Thomson, 1st Baron Sydenham, spearheaded the bill. The Chief Electrical Engineer resigned, and "
            "Jean-Hippolyte Lafontaine's views prevailed.",
        ]
    )
    assert ("Indiana Territory", "placeName") in marked  # not a person though "Indiana" is a given name
    assert all(
        (body, "orgName") in marked for body in ("Parti rouge", "Parti national", "Société générale de Montréal")
    )
    assert ("Thomson", "persName") in marked and ("Jean-Hippolyte Lafontaine", "persName") in marked
    assert not any("Engineer" in text for text, _ in marked)


def test_a_province_named_by_its_country_and_a_compass_word():
    """ "Canada" + " West" (the province), not "Canada" + " West of the lakes" or "… West Indies"."""
    from reader.tei.entities.recognise import extend_place

    for text, expected in (
        ("They settled in Canada West, near Toronto.", "Canada West"),
        ("They settled in Canada West of the lakes.", "Canada"),
        ("They settled in Canada West Indies trade.", "Canada"),
    ):
        start = text.index("Canada")
        assert text[start : extend_place(text, start, start + len("Canada"))] == expected


def test_exhibitions_secessions_and_prizes_hold_their_years_and_a_villa_is_a_place():
    """General rules from the Krupp and Netherlands texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "In 1913 Heike Kamerlingh van der Meer shared the 1913 Nobel Prize in physics, after the Secession of "
            "1834, the Pacification of 1917 and the Great Exhibition of 1862; a Lutheran, he lived in Schloss "
            "Rheinfels near Koblenz."
        ]
    )
    assert [text for text, tag in marked if tag == "date"] == ["1913"]  # the first; the prize's year is its name's
    assert ("Schloss Rheinfels", "placeName") in marked and ("Heike Kamerlingh van der Meer", "persName") in marked
    assert not any(text in ("Lutheran", "Great Exhibition") for text, _ in marked)


def test_a_given_name_runs_on_over_dutch_and_german_particles():
    """ "Johannes Diderik" + " van der Waals": the rule's name keeps its particles and surname."""
    from reader.tei.entities.recognise import rule_candidates

    text = "In 1910 Johannes Diderik van der Waals and Carl Friedrich von Weizsäcker wrote."
    names = {text[c.start : c.end] for c in rule_candidates(text) if c.tag == "persName"}
    assert {"Johannes Diderik van der Waals", "Carl Friedrich von Weizsäcker"} <= names


def test_german_place_names_a_possessive_before_a_body_and_towns_named_in_two_languages():
    """General rules from the FDP and Slovakia texts (issue 21, item 5), on other words."""
    marked = _marked(
        [
            "Their Progressive People's Party was founded in Halle an der Saale, where Father Jozef Tiso preached "
            "in Ružomberok / Rózsahegy, near Rothenburg ob der Tauber."
        ]
    )
    assert ("Progressive People's Party", "orgName") in marked and ("Jozef Tiso", "persName") in marked
    assert ("Halle an der Saale", "placeName") in marked and ("Rothenburg ob der Tauber", "placeName") in marked
    assert ("Ružomberok", "placeName") in marked and ("Rózsahegy", "placeName") in marked


def test_a_state_joined_to_an_unknown_name_by_a_hyphen_is_one_place():
    """ "Saxony" + "-Anhalt" (not "Russia" + "-Lithuania", two known places, nor "Austro" + "-Hungarian")."""
    from reader.tei.entities.recognise import extend_place

    for text, place, expected in (
        ("It became Saxony-Anhalt in 1947.", "Saxony", "Saxony-Anhalt"),
        ("The Russia-Lithuania border was closed.", "Russia", "Russia"),
        ("The Hungary-Slovak border was closed.", "Hungary", "Hungary"),
    ):
        start = text.index(place)
        assert text[start : extend_place(text, start, start + len(place))] == expected


def test_a_countrys_abbreviation_before_a_legislature_and_a_full_name_over_its_surname():
    """ "US Senate": the country a place of its own; "Franklin Delano Roosevelt" over the register's "Roosevelt",
    but not "4 June Churchill" (issue 21, item 5: the ILO text)."""
    marked = _marked(
        ["In 1934 the US Senate refused, before Franklin Delano Roosevelt signed; on 4 June Churchill spoke."]
    )
    assert ("US", "placeName") in marked and ("Senate", "orgName") in marked
    assert ("Franklin Delano Roosevelt", "persName") in marked and ("Churchill", "persName") in marked
    assert ("4 June", "date") in marked


def test_a_prince_an_acronym_with_its_article_a_spaced_dash_and_an_orders_letters():
    """General rules from the football and Samoa texts (issue 21, item 5), on other words."""
    from reader.tei.entities import names as N
    from reader.tei.entities.learn import _aliases
    from reader.tei.entities.recognise import Candidate, _around_lower_words

    marked = _marked(["Forces loyal to Prince Tupou were besieged, and Tupou's allies left."])
    assert [(text, tag) for text, tag in marked if text == "Tupou"] == [("Tupou", "persName")] * 2
    text = "The Rugby Football Union (The RFU) met."
    assert _aliases(text, Candidate(4, 24, "orgName", "rule", "medium")) == ["RFU"]
    assert _around_lower_words("Tonga - France") == [(0, 5), (8, 14)]
    assert not N.INVERTED_NAME.search("with A. B. C. Hardy, C.B. for Britain")
    assert N.INVERTED_NAME.search("see Hardy, A. B. for details")


def test_a_current_at_a_paragraphs_edge_is_no_quoted_name():
    """ "Young Czechs" at a paragraph's start or end is a current as anywhere else: the empty text beside the span
    is no quotation mark."""
    marked = _marked(["The conservatives were opposed by the Young Czechs", "Young Czechs won the election."])
    assert not any("Czechs" in text for text, _ in marked)
