"""Entity stage: register names, dates, spaCy corrections, noise, human work, validity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from reader.tei.entities import EntityStage, Register, RegisterError
from reader.tei.entities.dates import find_dates
from reader.tei.validate import validate_tree
from reader.tei.xml import NS, XML_ID, parse_bytes, parse_file, serialize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus" / "tei").glob("*.xml"))
CORPUS_DOCS = [p for p in CORPUS if p.name != "register.xml"]


def tei_doc(body: str, slug: str = "fixture") -> etree._Element:
    """A small TEI document in the shape of docs/tei-conventions.md."""
    xml = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{slug}">
  <teiHeader><fileDesc><titleStmt><title>Fixture</title>
    <respStmt xml:id="pipeline"><resp>automatic</resp><name>pipeline</name></respStmt></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>written for the test</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div type="section" xml:id="s1">{body}</div></body></text>
</TEI>"""
    return parse_bytes(xml.encode("utf-8"), f"{slug}.xml")


def mentions(root, tag=None):
    tags = [tag] if tag else ["persName", "placeName", "orgName", "date"]
    return [
        (etree.QName(el).localname, "".join(el.itertext()), el.get("ref"))
        for el in root.iter(*[f"{{{NS['tei']}}}{t}" for t in tags])
    ]


@pytest.fixture(scope="module")
def seed_stage():
    return EntityStage(Register.seed())


# ------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text, found, values",
    [
        ("On 30 May 1942 the staff", "30 May 1942", {"when": "1942-05-30"}),
        ("On May 30, 1942, the staff", "May 30, 1942", {"when": "1942-05-30"}),
        ("28 September 1942 - the Staff", "28 September 1942", {"when": "1942-09-28"}),
        ("fought in 1941-1944 were", "1941-1944", {"from": "1941", "to": "1944"}),
        ("kaujinieki (1941—1945).", "1941—1945", {"from": "1941", "to": "1945"}),
        (
            "During the night of 13–14 June 1941, 15,424",
            "the night of 13–14 June 1941",
            {"from": "1941-06-13", "to": "1941-06-14"},
        ),
        ("from 1941 to 1944 4055 soldiers", "from 1941 to 1944", {"from": "1941", "to": "1944"}),
        ("From January 1943 the partisans", "January 1943", {"when": "1943-01"}),
        ("Also, in 1941 Germans began", "1941", {"when": "1941"}),
        ("July 7, the regiment", "July 7", {"when": "--07-07"}),
        ("Myth of 1939–40 by", "1939–40", {"from": "1939", "to": "1940"}),
        ("June and July 1941 the", "June and July 1941", {"from": "1941-06", "to": "1941-07"}),
        ("passed 24.5.2007 Retrieved", "24.5.2007", {"when": "2007-05-24"}),
        ("Archived September 30, 2007, at", "September 30, 2007", {"when": "2007-09-30"}),
        ("in mid-June 1940, when", "June 1940", {"when": "1940-06"}),
        ("Salient July 4–17, 1943.", "July 4–17, 1943", {"from": "1943-07-04", "to": "1943-07-17"}),
        ("On 18 and 21 June 1940, new", "21 June 1940", {"when": "1940-06-21"}),
        ("units to mid 1944 were quickly annihilated", "1944", {"when": "1944"}),
        ("on June 25–26 a rebellion", "June 25–26", {"from": "--06-25", "to": "--06-26"}),
        ("Between 26 May and 4 June 1940 more", "26 May and 4 June 1940", {"from": "1940-05-26", "to": "1940-06-04"}),
        ("On Saturday, 11 November 1854 the", "Saturday, 11 November 1854", {"when": "1854-11-11"}),
        ("at 3 am on Sunday, 3 December the", "Sunday, 3 December", {"when": "--12-03"}),
        ("by Friday, May 1940 the", "May 1940", {"when": "1940-05"}),  # a weekday names a day, not a month
    ],
)
def test_dates_are_found_and_normalised(text, found, values):
    dates = find_dates(text)
    assert [(d.text, d.attributes()) for d in dates] == [(found, values)]


@pytest.mark.parametrize(
    "text",
    [
        "More than 1000 Soviet partisans",
        "ISBN 9984-643-78-6",
        "ISBN 978-1138612945",
        "ст.872-880",
        "3243 (80%) of the soldiers",
        "May I ask",
        "as 2000 were killed or wounded",
        "some 1500 men",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert find_dates(text) == []


# ------------------------------------------------------------------- register names
def test_every_variant_of_a_register_name_links_to_one_entry(seed_stage):
    root = tei_doc(
        '<p xml:id="p1">From January 1943 the partisans were led by A. K. Sproģis; Sproģis, later Arturs Sproģis, '
        "met Vilis Samsons in Rīga.</p>"
        '<listBibl><bibl xml:id="b1" xml:lang="ru">В.П. Самсон. Дружба народов победила. Рига, "Авотс", 1980.'
        "</bibl></listBibl>"
    )
    seed_stage(root, None)
    persons = mentions(root, "persName")
    sprogis = [ref for _, text, ref in persons if "Sproģis" in text]
    assert len(sprogis) == 3 and len(set(sprogis)) == 1
    samsons = {ref for _, text, ref in persons if "Самсон" in text or "Samsons" in text}
    assert samsons == {"register.xml#per-vilis-samsons"}
    places = {(text, ref) for _, text, ref in mentions(root, "placeName")}
    assert ("Rīga", "register.xml#pla-riga") in places and ("Рига", "register.xml#pla-riga") in places


def test_a_name_taught_to_the_register_is_found_everywhere():
    register = Register.seed()
    root = tei_doc('<p xml:id="p1">Jēkabs Zvaigzne joined the unit.</p><p xml:id="p2">Later Zvaigzne left.</p>')
    EntityStage(register, use_spacy=False)(root, None)
    assert not any("Zvaigzne" in text for _, text, _ in mentions(root))
    register.add_entry("person", "Jēkabs Zvaigzne", variants=["Zvaigzne"], resp="#annotator-x")
    root2 = tei_doc('<p xml:id="p1">Jēkabs Zvaigzne joined the unit.</p><p xml:id="p2">Later Zvaigzne left.</p>')
    EntityStage(register, use_spacy=False)(root2, None)
    assert [t for tag, t, ref in mentions(root2) if ref == "register.xml#per-jekabs-zvaigzne"] == [
        "Jēkabs Zvaigzne",
        "Zvaigzne",
    ]


def test_spacy_org_label_on_a_persons_name_is_corrected():
    # An empty register: the recognition of these names rests on rules and spaCy alone.
    register = Register.from_bytes(serialize(Register.seed().root).replace(b'resp="#curated"', b'resp="#pipeline"'))
    stage = EntityStage(register)
    root = tei_doc(
        '<p xml:id="p1">From January 1943 the Soviet partisans in Latvia were under the leadership of '
        "A. K. Sproģis. The regiment was commanded by Vilhelms Laiviņš.</p>"
    )
    stage(root, None)
    persons = [t for tag, t, _ in mentions(root, "persName")]
    assert "A. K. Sproģis" in persons and "Vilhelms Laiviņš" in persons
    assert not [t for tag, t, _ in mentions(root, "orgName") if "Sproģis" in t or "Laiviņš" in t]


def test_authors_in_references_are_persons_and_imprint_cities_places():
    stage = EntityStage(Register.seed(), use_spacy=False)
    root = tei_doc(
        '<listBibl><bibl xml:id="b1">Simonsen, S. Compatriot Games: Explaining the Diaspora Linkage. '
        "Oxford: Clarendon Press, 1996.</bibl></listBibl>"
    )
    stage(root, None)
    found = {(tag, text) for tag, text, _ in mentions(root)}
    assert ("persName", "Simonsen, S.") in found
    assert ("placeName", "Oxford") in found and ("orgName", "Clarendon Press") in found
    assert ("date", "1996") in found


def test_names_inside_the_title_of_a_referenced_work_are_not_mentions():
    """Bibliography: imprint places and publishers are marked, names in the work's title are not."""
    stage = EntityStage(Register.seed())
    root = tei_doc(
        "<listBibl>"
        '<bibl xml:id="b1">А.К. Рашкевиц. Народные мстители Латвии. М., Воениздат, 1973. - 164 стр.</bibl>'
        '<bibl xml:id="b2">Mangulis, V. Latvia in the Wars of the 20th Century. Princeton Junction: Cognition Books, 1983.</bibl>'
        '<bibl xml:id="b3">Strods, Heinrihs. PSRS kaujinieki Latvijā (1941—1945). Riga, 2006.</bibl>'
        '<bibl xml:id="b4">Антинацистские партизаны в Латвии. Рига, изд-во "Jumi", 2008.</bibl>'
        '<bibl xml:id="b5">GULAG 113 \' – Canadian film about Estonians mobilized into the Red Army in 1941</bibl>'
        "</listBibl>"
    )
    stage(root, None)
    places = [t for _, t, _ in mentions(root, "placeName")]
    orgs = [t for _, t, _ in mentions(root, "orgName")]
    assert "Латвии" not in places and "Latvia" not in places
    assert not [o for o in orgs if "PSRS" in o or "kaujinieki" in o]
    assert {"М.", "Riga", "Рига"} <= set(places)
    assert {"Воениздат", "Jumi", "Red Army"} <= set(orgs)


def test_entities_sharing_a_name_are_kept_apart():
    register = Register.seed()
    first = register.add_entry("person", "John Smith", resp="#annotator-x")
    second = register.add_entry("person", "John Smith", resp="#annotator-x")
    assert (first.id, second.id) == ("per-john-smith", "per-john-smith-2")
    reread = Register.from_bytes(register.to_bytes())
    assert {e.id for e in reread.by_name("John Smith")} == {"per-john-smith", "per-john-smith-2"}


def test_a_merge_redirect_in_the_register_survives_a_pipeline_rewrite():
    """An annotator's merge leaves note[@corresp='#survivor']; re-running recognition keeps it."""
    register = Register.seed()
    register.add_entry("person", "Arturs Sprogis Duplicate", resp="#annotator-x")
    merge_note = (
        '<standOff><listAnnotation type="retired-ids">'
        '<note type="retired-id" n="per-old-sprogis" corresp="#per-arturs-sprogis">A. Sproģis</note>'
        "</listAnnotation>"
    )
    data = register.to_bytes().replace(b"<standOff>", merge_note.encode(), 1)
    rewritten = Register.from_bytes(Register.from_bytes(data).to_bytes())
    note = rewritten.root.find(".//tei:note[@n='per-old-sprogis']", NS)
    assert note.get("corresp") == "#per-arturs-sprogis" and note.text == "A. Sproģis"
    assert rewritten.mint_id("person", "Old Sprogis") != "per-old-sprogis"


def test_seed_register_has_authority_ids_and_cyrillic_variants():
    register = Register.seed()
    assert register.entries["pla-latvia"].element.findtext("tei:idno[@type='wikidata']", namespaces=NS) == "Q211"
    assert register.entries["per-joseph-stalin"].element.findtext("tei:idno[@type='wikidata']", namespaces=NS) == "Q855"
    assert "В.П. Самсон" in register.entries["per-vilis-samsons"].variants
    assert validate_tree(register.root) == []


# ------------------------------------------------------------------- noise and validity
def test_nothing_is_marked_inside_noise(seed_stage):
    root = tei_doc(
        '<p xml:id="p1">The Soviet Union occupied Latvia<note type="gloss">Latvia ( lv, Latvija ) is a country; '
        'its capital is Riga since 1201 ...</note> in June 1940.<note type="editorial" subtype="citation-needed">'
        '[citation needed]</note> Stalin<note type="boilerplate">Home Moscow</note> decided.</p>'
    )
    seed_stage(root, None)
    notes = root.findall(".//tei:note", NS)
    assert all(not list(n) for n in notes), "a mention was put inside a note"
    assert ("placeName", "Latvia", "register.xml#pla-latvia") in mentions(root)
    assert ("persName", "Stalin", "register.xml#per-joseph-stalin") in mentions(root)
    assert "Moscow" not in [t for _, t, _ in mentions(root)]
    assert validate_tree(root) == []


def test_mixed_content_is_kept_and_valid(seed_stage):
    root = tei_doc(
        '<p xml:id="p1">The newspaper <title>Latvia Today</title> reported that <foreign xml:lang="de">die '
        "Wehrmacht</foreign> reached Riga on 1 July 1941.</p>"
    )
    before = "".join(root.find(".//tei:body//tei:p", NS).itertext())
    seed_stage(root, None)
    p = root.find(".//tei:body//tei:p", NS)
    assert "".join(p.itertext()) == before
    assert p.find("tei:title", NS) is not None and p.find("tei:foreign", NS) is not None
    assert ("date", "1 July 1941", None) in mentions(root)
    assert validate_tree(root) == []


@pytest.mark.parametrize("path", CORPUS_DOCS, ids=lambda p: p.name)
def test_corpus_documents_stay_valid_and_keep_their_text(seed_stage, path):
    from reader.tei.document import citable_units

    root = parse_file(path)
    texts = [u.text for u in citable_units(root)]
    seed_stage(root, None)
    assert [u.text for u in citable_units(root)] == texts
    assert validate_tree(root, path.name) == []
    assert len(mentions(root)) > 20


# ------------------------------------------------------------------- human work wins
def test_annotator_mention_survives_a_rerun(seed_stage):
    body = '<p xml:id="p1">In 1940 Stalin met Molotov in Moscow.</p>'
    first = tei_doc(body)
    seed_stage(first, None)
    molotov = next(el for el in first.iter("{*}persName") if el.text == "Molotov")
    molotov.set("resp", "#annotator-x")
    molotov.set("ref", "register.xml#per-joseph-von-ribbentrop")  # a deliberate human choice
    molotov.attrib.pop("cert")
    edited = parse_bytes(serialize(first))

    fresh = tei_doc(body)  # what ingest builds anew from the seed
    seed_stage(fresh, edited)
    kept = [el for el in fresh.iter("{*}persName") if el.text == "Molotov"]
    assert len(kept) == 1
    assert dict(kept[0].attrib) == {"ref": "register.xml#per-joseph-von-ribbentrop", "resp": "#annotator-x"}

    in_place = parse_bytes(serialize(edited))  # `recognise` re-runs on the file itself
    seed_stage(in_place, None)
    assert serialize(in_place) == serialize(fresh)

    both = parse_bytes(serialize(edited))  # the new tree and its predecessor both carry the mention
    seed_stage(both, parse_bytes(serialize(edited)))
    assert serialize(both) == serialize(fresh)


def test_annotator_register_entry_is_never_changed(tmp_path):
    register = Register.seed()
    register.add_entry("person", "Jēkabs Zvaigzne", variants=["J. Zvaigzne"], resp="#annotator-x")
    path = tmp_path / "register.xml"
    register.save(path)
    before = etree.tostring(Register.from_file(path).entries["per-jekabs-zvaigzne"].element)
    stage = EntityStage.from_register_file(path, use_spacy=False)
    stage(tei_doc('<p xml:id="p1">J. Zvaigzne and Jēkabs Zvaigzne in Riga.</p>'), None)
    stage.save_register(path)
    after = etree.tostring(Register.from_file(path).entries["per-jekabs-zvaigzne"].element)
    assert before == after


def test_rejected_suggestion_is_not_made_again_anywhere():
    register = Register.seed()
    register.add_rejection("Moscow", "placeName", None, "#annotator-x")
    register.add_rejection("Riga", "placeName", "fixture#p2", "#annotator-x")  # rejected in one paragraph
    reread = Register.from_bytes(register.to_bytes())
    root = tei_doc(
        '<p xml:id="p1">Moscow and Riga.</p><p xml:id="p2">Moscow and Riga again.</p><p xml:id="p3">Tallinn.</p>'
    )
    EntityStage(reread, use_spacy=False)(root, None)
    marked = [(el.getparent().get(XML_ID), el.text) for el in root.iter("{*}placeName")]
    assert marked == [("p3", "Tallinn")]


# ------------------------------------------------------------------- determinism
def test_two_runs_give_identical_documents_and_register(tmp_path):
    path = CORPUS_DOCS[0] if CORPUS_DOCS else None
    if path is None:
        pytest.fail("corpus/tei has no documents")
    reg_path = tmp_path / "register.xml"
    outputs = []
    for _ in range(2):
        stage = EntityStage.from_register_file(reg_path)
        root = parse_file(path)
        stage(root, None)
        (tmp_path / path.name).write_bytes(serialize(root))
        stage.save_register(reg_path)
        outputs.append((serialize(root), reg_path.read_bytes()))
    assert outputs[0] == outputs[1]
    assert EntityStage.from_register_file(reg_path).save_register(reg_path) is False


def test_saving_retires_pipeline_entries_no_document_uses(tmp_path):
    reg_path = tmp_path / "register.xml"
    stage = EntityStage(Register.seed(), use_spacy=False)
    stage(tei_doc('<p xml:id="p1">Led by J. Zvaigzne in Riga.</p>', "one"), None)
    made = [e for e in stage.register.entries.values() if e.resp == "#pipeline"]
    assert [e.canonical for e in made] == ["J. Zvaigzne"]
    stage.save_register(reg_path)
    assert "per-j-zvaigzne" in Register.from_file(reg_path).entries
    later = EntityStage.from_register_file(reg_path, use_spacy=False)
    later(tei_doc('<p xml:id="p1">Led by nobody in Riga.</p>', "one"), None)  # the same document, changed
    later.save_register(reg_path)
    reread = Register.from_file(reg_path)
    assert "per-j-zvaigzne" not in reread.entries and reread.retired == {"per-j-zvaigzne": "J. Zvaigzne"}
    assert "pla-riga" in reread.entries  # curated entries stay
    assert reread.mint_id("person", "J. Zvaigzne") == "per-j-zvaigzne-2"  # a retired id is never given again


def test_seed_entries_missing_from_an_existing_register_are_added(tmp_path):
    register = Register.seed()
    register.entries["pla-latvia"].element.getparent().remove(register.entries["pla-latvia"].element)
    register.retired["per-adolf-hitler"] = "Adolf Hitler"
    hitler = register.entries["per-adolf-hitler"].element
    hitler.getparent().remove(hitler)
    path = tmp_path / "register.xml"
    path.write_bytes(register.to_bytes())
    merged = EntityStage.from_register_file(path, use_spacy=False).register
    assert "pla-latvia" in merged.entries  # back from the seed
    assert "per-adolf-hitler" not in merged.entries  # retired on purpose: stays retired


# ------------------------------------------------------------------- bad input
def test_duplicate_register_ids_are_refused_with_file_and_line(tmp_path):
    data = Register.seed().to_bytes().replace(b'xml:id="per-adolf-hitler"', b'xml:id="per-joseph-stalin"')
    path = tmp_path / "register.xml"
    path.write_bytes(data)
    with pytest.raises(RegisterError) as err:
        EntityStage.from_register_file(path)
    message = str(err.value)
    assert str(path) in message and "duplicate xml:id 'per-joseph-stalin'" in message
    assert re.search(r"line \d+", message)


def test_duplicate_ids_in_a_register_tree_are_refused():
    register = Register.seed()
    copy = etree.fromstring(etree.tostring(register.root))  # no parser in between to object
    hitler = next(el for el in copy.iter("{*}person") if el.get(XML_ID) == "per-adolf-hitler")
    hitler.set(XML_ID, "per-joseph-stalin")
    with pytest.raises(RegisterError) as err:
        Register(copy, "register.xml")
    assert "register.xml: line" in str(err.value) and "duplicate xml:id 'per-joseph-stalin'" in str(err.value)


def test_not_well_formed_register_names_file_and_line(tmp_path):
    path = tmp_path / "register.xml"
    path.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<standOff>\n<listPerson>\n</standOff></TEI>')
    with pytest.raises(RegisterError) as err:
        EntityStage.from_register_file(path)
    assert str(path) in str(err.value) and "line 4" in str(err.value)


def test_check_reports_dangling_refs_and_unused_entries(seed_stage):
    stage = EntityStage(Register.seed(), use_spacy=False)
    stage.register.add_entry("place", "Nowhere", resp="#annotator-x")
    text = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc"><teiHeader><fileDesc><titleStmt><title>t</title>'
        "</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>"
        '</teiHeader><text><body><div><p xml:id="p1">\n<persName ref="register.xml#per-nobody" resp="#annotator-x">'
        'Nobody</persName> in <placeName ref="register.xml#pla-riga" resp="#pipeline" cert="high">Riga</placeName>'
        "</p></div></body></text></TEI>"
    )
    root = parse_bytes(text.encode(), "doc.xml")
    errors = stage.check([root])
    assert any("doc.xml: line 2:" in e and "per-nobody" in e and "dangling" in e for e in errors), errors
    assert any("pla-nowhere" in e and "used by no document" in e for e in errors), errors
    assert not any("pla-riga" in e for e in errors)


def test_check_reports_a_mention_inside_noise():
    stage = EntityStage(Register.seed(), use_spacy=False)
    root = tei_doc(
        '<p xml:id="p1">Latvia<note type="gloss">\n<placeName ref="register.xml#pla-latvia" '
        'resp="#annotator-x">Latvia</placeName> ( lv ) ...</note></p>',
        "noisy",
    )
    errors = stage.check([root])
    assert any(e.startswith("noisy.xml: line") and "inside noise <note>" in e for e in errors), errors


def test_nested_annotator_mentions_survive_and_the_pipeline_stays_out_of_them(seed_stage):
    body = (
        '<p xml:id="p1">Students of the <orgName ref="register.xml#org-x" resp="#annotator-y">University of '
        '<placeName ref="register.xml#pla-riga" resp="#annotator-y">Riga</placeName></orgName> met Stalin.</p>'
    )
    previous = tei_doc(body)
    fresh = tei_doc('<p xml:id="p1">Students of the University of Riga met Stalin.</p>')
    seed_stage(fresh, previous)
    org = fresh.find(".//tei:body//tei:orgName", NS)
    assert org.get("resp") == "#annotator-y" and "".join(org.itertext()) == "University of Riga"
    inner = org.findall("tei:placeName", NS)
    assert [(el.text, el.get("resp")) for el in inner] == [("Riga", "#annotator-y")]
    assert ("persName", "Stalin", "register.xml#per-joseph-stalin") in mentions(fresh)
    assert len(org.findall(".//tei:*", NS)) == 1  # nothing of the pipeline's inside


def test_russian_units_get_names_by_rule_not_by_spacy():
    register = Register.from_bytes(Register.seed().to_bytes().replace(b'resp="#curated"', b'resp="#pipeline"'))
    root = tei_doc(
        '<listBibl><bibl xml:id="b1" xml:lang="ru">Н.С. Иванов. Борьба против немецких захватчиков. '
        "Рига, 1946.</bibl></listBibl>"
    )
    EntityStage(register)(root, None)
    assert [(tag, text) for tag, text, _ in mentions(root)] == [("persName", "Н.С. Иванов"), ("date", "1946")]


def test_a_height_named_by_its_number_is_a_place():
    stage = EntityStage(Register.seed())
    root = tei_doc(
        '<p xml:id="p1">The corps fought for Hill "93,4" and later for Hill 112 near Caen; '
        "Benny Hill was not there.</p>"
    )
    stage(root, None)
    places = [t for _, t, _ in mentions(root, "placeName")]
    assert 'Hill "93,4"' in places and "Hill 112" in places
    assert not [t for _, t, _ in mentions(root, "orgName") if "Hill" in t]


def test_dates_in_a_referenced_title_are_not_mentions_but_imprint_and_author_date_years_are():
    stage = EntityStage(Register.seed(), use_spacy=False)
    root = tei_doc(
        "<listBibl>"
        '<bibl xml:id="b1">И.Г. Капитанов. Возмездие: очерки о подполье, 1941-1944 (в 2-х кн.). Рига, "Лиесма", 1977</bibl>'
        '<bibl xml:id="b2">Simonsen, S. (1996). Compatriot Games. Oxford: Clarendon Press.</bibl>'
        '<bibl xml:id="b3">Archived September 30, 2007, at the Wayback Machine</bibl>'
        "</listBibl>"
    )
    stage(root, None)
    dates = [t for _, t, _ in mentions(root, "date")]
    assert "1941-1944" not in dates
    assert {"1977", "1996", "September 30, 2007"} <= set(dates)
