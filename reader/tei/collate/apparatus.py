"""TEI critical apparatus in parallel segmentation from a :class:`Collation`.

Shape (see docs/tei-conventions.md, "Collation files")::

    TEI[@xml:id='collation-<work>']
      teiHeader/fileDesc/sourceDesc/listWit/witness[@xml:id='wit-<siglum>'][@corresp='../<slug>.xml']
      teiHeader/encodingDesc/variantEncoding[@method='parallel-segmentation'][@location='internal']
      teiHeader/encodingDesc/classDecl/taxonomy[@xml:id='variant-types']   the types, defined
      text/body/ab[@type='alignment'][@n][@corresp]     one aligned group; @corresp = its units
        text shared by all witnesses
        app[@xml:id='appN'][@n][@type][@subtype?][@corresp='#appM' for a move]
          rdg[@wit='#wit-a #wit-b'][@type?][@subtype?][@corresp='../<slug>.xml#p8 ...']

The base's reading has no @type; every other reading's @type says how it
differs from the base's. ``rdg/@corresp`` points to the witness units the
reading stands in (for an empty reading, the unit where the gap is).
"""

from __future__ import annotations

import re

from lxml import etree

from ..xml import NSMAP, XML_ID, tei
from .model import TYPE_DEFINITIONS, VARIANT_TYPES, Collation, Reading, Variant

INFLECTION_RULE = (
    "A one-word difference between two forms that share their stem and differ in their ending is classed as "
    "substantive (subtype 'inflection'), not orthographic: orthographic differences are the same word form "
    "written differently (case, diacritics, spacing), and they disappear when those are normalised; a different "
    "ending is a different grammatical form, which changes what the text says (for instance a Latvian "
    "accusative after the preposition 'par' against a genitive), so it is a different reading and stays "
    "visible when orthographic differences are hidden."
)


def witness_id(siglum: str) -> str:
    """xml:id of a witness: 'wit-' + the siglum made into a valid NCName."""
    return "wit-" + re.sub(r"[^\w.-]", "-", siglum)


def write_apparatus(
    collation: Collation,
    *,
    work: str = "work",
    title: str | None = None,
    targets: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    dates: dict[str, str] | None = None,
) -> etree._Element:
    """TEI root of the apparatus for ``collation``.

    ``targets[siglum]`` is the URI of the witness file relative to the
    apparatus (default ``../<siglum>.xml``); ``titles[siglum]`` its title;
    ``dates[siglum]`` its date (ISO 8601), written as ``witness/origDate[@when]``,
    where tools that date witnesses (teiphy) read it.
    """
    targets = {s: (targets or {}).get(s, f"../{s}.xml") for s in collation.sigla}
    titles = titles or {}
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_ID, f"collation-{work}")
    root.append(_header(collation, work, title or work, targets, titles, dates or {}))
    text = etree.SubElement(root, tei("text"))
    body = etree.SubElement(text, tei("body"))
    for number, group in enumerate(collation.groups, 1):
        body.append(_group(number, group, targets, collation.sigla))
    if not len(body):
        etree.SubElement(body, tei("p")).text = "The witnesses have no text."
    return root


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    """Child element; the keyword ``xml_id`` becomes ``xml:id``."""
    el = etree.SubElement(parent, tei(tag), {XML_ID if k == "xml_id" else k: v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _header(collation: Collation, work: str, title: str, targets, titles, dates) -> etree._Element:
    header = etree.Element(tei("teiHeader"))
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", f"{title}: collation of {len(collation.sigla)} witnesses")
    resp = _sub(title_stmt, "respStmt", xml_id="pipeline")
    _sub(resp, "resp", "Automatic collation (word alignment, classification of differences)")
    _sub(resp, "name", "Parallax pipeline")
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", "Parallax")
    availability = _sub(publication, "availability", status="free")
    _sub(availability, "p", "Derived from the witnesses listed below and distributed under their licence.")
    if collation.notes:
        notes = _sub(file_desc, "notesStmt")
        for note in collation.notes:
            _sub(notes, "note", note, type="collation")
    source = _sub(file_desc, "sourceDesc")
    list_wit = _sub(source, "listWit")
    for siglum in collation.sigla:
        witness = _sub(list_wit, "witness", xml_id=witness_id(siglum), corresp=targets[siglum], n=siglum)
        witness.text = titles.get(siglum, siglum) + (", " if dates.get(siglum) else "")
        if dates.get(siglum):
            _sub(witness, "origDate", dates[siglum], when=dates[siglum])
    encoding = _sub(header, "encodingDesc")
    _sub(encoding, "variantEncoding", method="parallel-segmentation", location="internal")
    decl = _sub(encoding, "editorialDecl")
    normalization = _sub(decl, "normalization")
    for paragraph in _normalisation(collation):
        _sub(normalization, "p", paragraph)
    segmentation = _sub(decl, "segmentation")
    for rule in UNIT_RULES:
        _sub(segmentation, "p", rule)
    interpretation = _sub(decl, "interpretation")
    _sub(interpretation, "p", _method(collation))
    _sub(interpretation, "p", INFLECTION_RULE + _inflection_examples(collation))
    class_decl = _sub(encoding, "classDecl")
    taxonomy = _sub(class_decl, "taxonomy", xml_id="variant-types")
    for kind, definition in TYPE_DEFINITIONS.items():
        category = _sub(taxonomy, "category", xml_id=f"variant-{kind}")
        _sub(category, "catDesc", f"{kind}: {definition}")
    return header


def _normalisation(collation: Collation) -> list[str]:
    o = collation.options
    ignored = [
        name
        for name, on in (
            ("case", o.ignore_case),
            ("diacritics", o.ignore_diacritics),
            ("punctuation", o.ignore_punctuation),
            ("whitespace", o.ignore_whitespace),
            ("editorial markers", o.ignore_editorial),
            ("regularised forms", o.ignore_regularised and o.regularisations),
            ("Greek final and lunate sigma (ς ϲ = σ)", o.ignore_sigma),
            ("Latin u and v", o.ignore_uv),
            ("Latin i and j", o.ignore_ij),
            ("suspension strokes (¯ over a Greek vowel = ν)", o.ignore_suspension),
        )
        if on
    ]
    said = ", ".join(ignored) if ignored else "nothing"
    out = [
        "Words are aligned with case and diacritics folded, Greek final and lunate sigma as σ, Latin v as u and "
        "j as i, a suspension stroke (¯ U+00AF, combining overline U+0305) as the letter it stands for (ν over "
        "a Greek vowel, none elsewhere), and typographic variants of one punctuation mark treated alike; differences of "
        f"{said} are normalised away and not reported; every other difference is reported with its type. "
        "Shared text is given in the wording of the first witness.",
        "Elision and apostrophe marks (ʼ U+02BC, ’ U+2019, ' U+0027, Greek koronis ᾽ U+1FBD and psili ᾿ "
        "U+1FBF) are punctuation, never letters: 'μετʼ' is the word 'μετ' and a mark, so 'μετʼ' / 'μετ' is a "
        "punctuation difference (none when punctuation is normalised away).",
        "Orthographic differences that are not case or diacritics: subtype 'letterform' (ς ϲ / σ, u / v, "
        "i / j, when not normalised away), 'abbreviation' (a suspension stroke for its letter: 'εϲτι¯' / "
        "'ἐστιν', when not normalised away), 'word-division' (the same letters parted into other words: "
        "'long-haired' / 'longhaired'), 'near-match' (word by word the same or a spelling that differs by a "
        "letter or two: words of at least five letters with an Indel similarity of at least 0.8, not two "
        "forms of one stem: 'haired' / 'haried', 'connexion' / 'connection'; shorter words that differ by a "
        "letter are other words: 'on' / 'in').",
    ]
    if _has_greek(collation):
        out.append(GREEK_SPELLING_RULE)
    if o.regularisations:
        pairs = "; ".join(f"{form} → {regular}" for form, regular in o.regularisations)
        shown = "not reported" if o.ignore_regularised else "reported as orthographic, subtype 'regularised'"
        out.append(
            f"Regularisation list of the editor ({len(o.regularisations)} form(s), any case): each form is aligned "
            f"as its regular word and the difference is {shown}: {pairs}."
        )
    return out


#: The regularisation of Greek manuscripts' spelling (``classify._greek_spelling``), stated where Greek is collated.
GREEK_SPELLING_RULE = (
    "Greek spelling is regularised as manuscripts need: two Greek words are one word spelt two ways (orthographic, "
    "subtype 'near-match', at any length, before the test for two forms of one stem) when they are the same but for "
    "the sounds scribes exchange (itacism: ει η ι οι υ as one vowel; αι and ε; ο and ω; a doubled consonant written "
    "once: 'αληθηα' / 'ἀλήθεια', 'βουλεϲθαι' / 'βούλεσθε', 'το' / 'τῷ'), or the same but for a movable ν after "
    "-ε, -σι, -ξι, -ψι or -στι in a word of five letters or more ('εξηλθε' / 'ἐξῆλθεν', 'εϲτι' / 'ἔστιν'; not "
    "οὐδέν / οὐδέ, μηδέν / μηδέ); not both at once ('πίστιν' / 'πίστει' is substantive). An exchange at the first "
    "letter of a word of fewer than five letters, where Greek articles, pronouns and particles differ ('οἱ' / 'ἡ', "
    "'εἰ' / 'ἤ'), and between the stems of 'we' and 'you' at any length ('ὑμεῖς' / 'ἡμεῖς', 'ὑμέτερος' / "
    "'ἡμέτερος') is no spelling but another reading: substantive, however alike the words sound."
)
#: a letter of the Unicode blocks Greek and Coptic or Greek Extended
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def _has_greek(collation: Collation) -> bool:
    """Whether any witness reads a Greek letter (the Greek regularisation applies only there)."""
    for group in collation.groups:
        for segment in group.segments:
            texts = [r.text for r in segment.readings] if segment.is_variant else [segment.text]
            if any(_GREEK.search(text) for text in texts):
                return True
    return False


def _method(collation: Collation) -> str:
    return (
        f"The first witness ({collation.sigla[0]}) is the base: 'omission' and 'addition' say what another "
        "witness lacks or adds relative to it. Each witness was aligned word by word with the base over its "
        "whole text; an ab groups the units of each witness that stand side by side (a unit broken into "
        "paragraphs by another witness appears in several ab). Each rdg points with @corresp to the unit(s) of "
        "its witness it stands in."
    )


LACUNA_RULE = (
    "A lacuna is not an omission. Where a witness marks a lacuna (a TEI gap in its file, or '[...]', '[…]', "
    "'[lacuna]' or '[lac.]' in its text; at its start or end when it begins late or breaks off) it reads "
    "nothing until its text resumes: in every app there its reading is an empty rdg typed 'lac', and text the "
    "extant witnesses share there is an app typed 'lacuna' (their reading, and the empty 'lac' reading). "
    "Its missing text joins no other place of variation: the others' apps there are those they would have "
    "without it."
)

#: The rules that make a variation unit (an app), stated in every apparatus header.
UNIT_RULES = (
    "One app is one place of variation. Differences next to each other (or parted only by punctuation) that "
    "change the same witnesses form one app when together they reword the passage (other words, or words "
    "dropped beside words added); so do such groups parted by a single shared word, unless one of them only "
    "adds, only omits or only moves words. The finer differences inside such an app (case, diacritics, a "
    "word, a quotation mark) are recorded as witDetail elements of the app, typed like apps; they are not "
    "apps of their own. No group runs across a sentence end or a unit boundary.",
    LACUNA_RULE,
    "An omission or addition has an empty reading: where one witness has words and another only punctuation "
    "(a quotation mark, a parenthesis), the words are the omission or addition and the marks a punctuation "
    "app of their own.",
    "A passage only one witness has is one app per section (a section missing from a version is one omission, "
    "not a cascade; a heading alone has subtype 'heading'). When whole units are missing between two units "
    "of a witness, that witness's empty reading has no @corresp: its neighbouring units do not vary.",
    "Words in another order are a transposition: within a short stretch as one app holding both orders "
    "('more from each other' / 'from each other more'); otherwise as two apps, type transposition, subtype "
    "'moved', that point to each other with @corresp: words omitted in one place and added in another within "
    "one sentence (in any order), a passage of three words or more omitted and added anywhere, or two "
    "substitutions in one sentence that exchange their words ('the cat and the dog' / 'the dog and the cat'). "
    "An omission whose words begin or end with words added elsewhere in the sentence is cut there: 'much more' "
    "omitted and 'more' added later is 'much' omitted and 'more' moved.",
)


def _inflection_examples(collation: Collation) -> str:
    examples = []
    for variant in collation.variants():
        if variant.subtype == "inflection" and len(examples) < 3:
            examples.append(" / ".join(f"'{r.text.strip()}'" for r in variant.readings))
    return f" In this collation: {'; '.join(examples)}." if examples else ""


def _lacuna(parent, ident: str, segment, sigla) -> etree._Element:
    """Text every extant witness shares where others have a lacuna: an app typed 'lacuna', the
    text read by the extant witnesses, an empty rdg typed 'lac' for the others (they read nothing)."""
    app = _sub(parent, "app", xml_id=ident, type="lacuna")
    extant = [s for s in sigla if s not in segment.lacunose]
    _sub(app, "rdg", segment.text, xml_id=f"{ident}-r1", wit=" ".join(f"#{witness_id(s)}" for s in extant))
    _sub(app, "rdg", xml_id=f"{ident}-r2", wit=" ".join(f"#{witness_id(s)}" for s in segment.lacunose), type="lac")
    return app


def _group(number: int, group, targets, sigla) -> etree._Element:
    ab = etree.Element(tei("ab"), type="alignment", n=str(number))
    pointers = [f"{targets[s]}#{u}" for s, units in group.units.items() for u in units]
    if pointers:
        ab.set("corresp", " ".join(pointers))
    last = None
    lacunae = 0
    for segment in group.segments:
        if segment.is_variant:
            last = _app(ab, segment, targets)
        elif segment.lacunose and segment.text.strip():
            lacunae += 1
            last = _lacuna(ab, f"lacuna{number}-{lacunae}", segment, sigla)
        elif last is None:
            ab.text = (ab.text or "") + segment.text
        else:
            last.tail = (last.tail or "") + segment.text
    return ab


def _app(parent, variant: Variant, targets) -> etree._Element:
    app = _sub(parent, "app", xml_id=f"app{variant.n}", n=str(variant.n), type=variant.type)
    if variant.subtype:
        app.set("subtype", variant.subtype)
    if variant.partner is not None:
        app.set("corresp", f"#app{variant.partner}")
    for number, reading in _reading_order(variant.readings):
        rdg_id = f"app{variant.n}-r{number}"
        _rdg(app, reading, targets, rdg_id)
        for part in variant.parts:
            _detail(app, part, reading, rdg_id)
    return app


#: Reading types that only write the base's words differently: they stand right after the
#: base's reading, so that tools which fold such a reading into the reading before it
#: (teiphy's "trivial" types, ``-t punctuation``) fold it into the base's.
TRIVIAL_TYPES = tuple(t.name for t in sorted((t for t in VARIANT_TYPES if t.minor), key=lambda t: t.trivial_rank))


def _reading_order(readings) -> list[tuple[int, Reading]]:
    """(number, reading) with the base's first, then the readings that differ from it only in
    punctuation, spelling or editorial markers, then the others; numbers follow the model's order."""
    numbered = list(enumerate(readings, 1))
    rank = {kind: k for k, kind in enumerate(TRIVIAL_TYPES, 1)}
    return sorted(numbered, key=lambda item: 0 if item[0] == 1 else rank.get(item[1].type, len(rank) + 1))


def _detail(app, part: Variant, reading: Reading, rdg_id: str) -> None:
    """A finer difference inside an app, for the witnesses of ``reading`` that have it: a witDetail
    right after that reading, pointing to it with @target (TEI and teiphy attach it there). Its
    kind is @ana (the taxonomy's category) and @subtype; @type is 'part', not a reading type, so
    that tools treating a reading type as trivial do not take the detail for a reading."""
    for other in part.readings[1:]:
        shared = [s for s in other.witnesses if s in reading.witnesses]
        if not shared or other.type == "lac":  # a witness without text here has no finer difference
            continue
        detail = _sub(
            app,
            "witDetail",
            wit=" ".join(f"#{witness_id(s)}" for s in shared),
            target=f"#{rdg_id}",
            type="part",
            ana=f"#variant-{other.type or part.type}",
        )
        if other.subtype:
            detail.set("subtype", other.subtype)
        base = part.readings[0].text.strip() or "∅"
        detail.text = f"{base} → {other.text.strip() or '∅'}"


def _rdg(app, reading: Reading, targets, rdg_id: str) -> None:
    rdg = _sub(app, "rdg", xml_id=rdg_id, wit=" ".join(f"#{witness_id(s)}" for s in reading.witnesses))
    if reading.type:
        rdg.set("type", reading.type)
    if reading.subtype:
        rdg.set("subtype", reading.subtype)
    pointers = [f"{targets[s]}#{u}" for s, units in reading.units.items() for u in units]
    if pointers:
        rdg.set("corresp", " ".join(pointers))
    if reading.text:
        rdg.text = reading.text
