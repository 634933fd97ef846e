"""What running prose, old and new, says about its capitalised words (issue 21, item 5).

Nineteenth-century prose capitalises common nouns ("Effects of Habit", "Methodical and Unconscious
Selection"), begins sentences with "Although I", addresses "Her Majesty", and tells a story through
speakers ("cried Elizabeth", "Lydia laughed"). spaCy's small model takes many of these words for
names. Three general readings, none keyed on a text:

- a word the same document also writes in lower case ("habit", "species") is a common noun, not a
  name, unless the register knows it or its own head noun makes it a name ("Red Army");
- the pronoun "I" and the function words before it are never a name ("Although I", "Now I");
- a single capitalised word that says, asks, cries or replies is a person ("said Jane", "Mary replied").
"""

from __future__ import annotations

import re

from . import names as N
from .places import known_place

_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]*")


def lowercase_words(texts) -> frozenset[str]:
    """Every word the document writes in lower case ("habit", "species", "selection"; "farmer" from "a
    farmer's boy")."""
    return frozenset(_POSSESSIVE.sub("", w) for text in texts for w in _LOWER_WORD.findall(text))


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")
#: A capitalised word before another word: "Red" in "Red prisoners", "White" in "White Guards".
_MODIFIER = re.compile(rf"(?<![\w'’-])({N.WORD})\s(?=[A-Za-z])")


def capital_contexts(texts) -> tuple[frozenset[str], frozenset[str]]:
    """The capitalised words the document writes after an article ("the Concord", "the Whites") and
    those it writes before another word, as modifiers ("Red prisoners", "White Guards")."""
    articled = frozenset(m.group(1) for text in texts for m in _ARTICLE.finditer(text))
    modifiers = frozenset(m.group(1) for text in texts for m in _MODIFIER.finditer(text))
    return articled, modifiers


#: Verbs and phrases of going and staying after which a capitalised word is where one goes or stays:
#: "walk to Meryton", "all the way to Longbourn", "have left Meryton", "stayed at Rosings".
_TO_A_PLACE = (
    r"(?:(?:walk|walks|walked|walking|go|goes|went|gone|going|come|comes|came|coming|return|returns|returned|"
    r"returning|ride|rode|ridden|riding|drive|drove|driven|driving|travel|travels|travelled|traveled|way|back|"
    r"journey|journeyed|sent|removed|moved|hurried|hastened|set\sout|set\soff)\s(?:back\s)?(?:to|into|towards)|"
    r"(?:arrived|arrive|arrives|arriving|stay|stays|stayed|staying|stopped|lived|living|lives|live|dined|dine|"
    r"settled|resided|residing|reside|lodged|lodging)\s(?:at|in)|left|leave|leaves|leaving|quitted|quit|near)"
)
_LOCATIVE_TOWN = re.compile(rf"(?<![\w'’-]){_TO_A_PLACE}\s(?P<name>{N.WORD})(?![\w'’-])")


def locative_towns(text: str) -> list[tuple[int, int]]:
    """Single capitalised words where one goes, stays or leaves from ("walk to Meryton", "have left
    Longbourn"): towns and houses no place list knows. :func:`drop_false_capitals` keeps them only when the
    document never writes the word in lower case nor after an article, and it is no given name."""
    out = []
    for m in _LOCATIVE_TOWN.finditer(text):
        word = m.group("name")
        if re.match(r"\s[^\W\d_a-z]|['’]s\s[^\W\d_a-z]", text[m.end() : m.end() + 4]):
            continue  # "near Puchały Stare": a name of more words; "at Bentley's Eureka Hotel": its owner
        if word in N.STOP_WORDS or word in N.NOT_NAMES or word in N.TITLE_WORDS or word in HONORIFICS:
            continue
        if word in N.GIVEN_NAMES or word in _OPENERS or word in N.ORG_WORDS or word in N.PLACE_WORDS:
            continue
        if N.DEMONYM.search(word) and not known_place(word):
            continue  # "against the Burmese", "to the Estonians": a people, not a town
        out.append(m.span("name"))
    return out


#: A possessive determiner: "their Greatnesses", "his Honour", "your Ladyship" are forms of address.
_POSSESSOR = re.compile(r"(?<![\w'’-])(?:his|her|their|your|my|our|its|His|Her|Their|Your|My|Our)\s$")


#: Words that may stand between the capitals of a name and say nothing about it.
_LINKS = frozenset("of and the de von van du la le der des & ; , -".split())


def common_noun(span: str, lower: frozenset[str]) -> bool:
    """True when every word of ``span`` is written in lower case elsewhere in the document, and the span
    has no head noun that makes it a name ("Habit", "Domestic Varieties", "Correlation of Growth"; not
    "Red Army", "Provisional Government", "Baltic Sea")."""
    words = [w.strip(".,;:'’") for w in span.split()]
    words = [w for w in words if w and w.lower() not in _LINKS]
    if not words or any(not w[:1].isupper() or w.isupper() for w in words):
        return False
    if not all(w.lower() in lower or _plural_of(w.lower(), lower) for w in words):
        return False
    return not N.has_keyword(span, _HEADS)


_HEADS = N.ORG_WORDS | N.PLACE_WORDS | N.STATE_WORDS


def _plural_of(word: str, lower: frozenset[str]) -> bool:
    return (word.endswith("s") and word[:-1] in lower) or (word.endswith("ies") and word[:-3] + "y" in lower)


#: Words that open a clause and are never part of a name before the pronoun "I".
_OPENERS = frozenset(
    """Although Though If When While As But And So Yet Still Now Then Nevertheless However Hence Thus
    Therefore Here There Indeed Perhaps Again Lastly Finally Whether Unless Until Because Since Once
    Whilst Where Why How What Had Have Do Did Shall Should Would Could May Might Must Can Will""".split()
)


def pronoun_span(span: str, lower: frozenset[str]) -> bool:
    """ "Although I", "Now I", "Change I" (a heading's common noun before the pronoun): no name."""
    words = span.split()
    if not words or words[-1] != "I":
        return False
    before = words[:-1]
    return not before or all(w in _OPENERS or w.lower() in lower for w in before)


#: Forms of address and kinship that are capitalised but name nobody on their own.
HONORIFICS = frozenset(
    """Majesty Majesties Highness Highnesses Excellency Excellencies Lordship Lordships Ladyship Ladyships
    Grace Holiness Eminence Honour Honor Worship Reverence Mamma Mama Papa Pa Ma Sire Madam Madame
    Heaven Heavens Providence""".split()
)
#: Books of the Bible, read as titles of works, not places or people.
BIBLE_BOOKS = frozenset(
    """Genesis Exodus Leviticus Numbers Deuteronomy Joshua Judges Ruth Kings Chronicles Ezra Nehemiah
    Esther Job Psalms Proverbs Ecclesiastes Isaiah Jeremiah Lamentations Ezekiel Daniel Hosea Joel Amos
    Obadiah Jonah Micah Nahum Habakkuk Zephaniah Haggai Zechariah Malachi Matthew Mark Luke John Acts
    Romans Corinthians Galatians Ephesians Philippians Colossians Thessalonians Hebrews Revelation""".split()
)
_NOT_PLACES = frozenset("Genesis Exodus Leviticus Deuteronomy Psalms Proverbs Ecclesiastes Revelation".split())
#: Era abbreviations ("B.C", "A.D."): parts of dates, never places.
_ERAS = re.compile(r"^(?:B\.\s?C|A\.\s?D|B\.\s?C\.\s?E|C\.\s?E)\.?$")


#: Latin names of families and subfamilies of animals and plants ("Columbidæ", "Canidae", "Rosaceae").
_TAXON = re.compile(r"^[A-Z][a-z]+(?:id|in|ace)(?:æ|ae)$")


def never_a_name(span: str) -> bool:
    """An honorific ("Majesty"), a book of the Bible read as a place ("Genesis"), an era ("B.C") or a
    family of animals or plants ("Columbidæ")."""
    span = span.strip()
    return span in HONORIFICS or span in _NOT_PLACES or bool(_ERAS.match(span) or _TAXON.match(span))


#: Verbs of speech and thought that tell a story's speakers.
_SAYS = (
    r"said|says|cried|cries|added|adds|replied|replies|answered|answers|exclaimed|asked|asks|continued|"
    r"returned|observed|rejoined|whispered|thought|repeated|resumed|interrupted|shouted|muttered|sighed"
)
#: After the name, only the verbs a story uses of people, of speech, feeling and a life: a newspaper or a government
#: also "said" and "decided", but no company "believed" or "married".
_AFTER = (
    r"(?:laughed|smiled|sighed|nodded|cried|exclaimed|replied|rejoined|whispered|muttered|shouted|believed|hoped|"
    r"feared|wished|felt|married|recalled|remembered|died|wept|remarked|remarks|observes|insists|insisted|maintains|"
    r"asserts)"
)
_NAME = rf"(?P<name>{N.WORD})"
#: "said Jane", "cried Elizabeth" and "Lydia laughed", "Mary very gravely replied" (a name, at most two
#: adverbs, a verb a story uses of people; not "Izvestia said").
SPEAKER = re.compile(
    rf"(?<![\w'’-])(?:{_SAYS})\s{_NAME}(?=[\s,.;:!?—–-]|$)"
    rf"|(?:^|(?<=[\s“\"(]))(?P<subject>{N.WORD})\s(?:(?:very|then|now|only|again|[a-z]+ly|has|had)\s){{0,2}}{_AFTER}"
    rf"(?![\w'’-])"
)


def speaker_spans(text: str) -> list[tuple[int, int]]:
    """Spans of single capitalised words that speak, feel or live as people do: "said Jane", "Lydia laughed",
    "Nansen believed"."""
    out = []
    for m in SPEAKER.finditer(text):
        group = "name" if m.group("name") else "subject"
        word = m.group(group)
        if (
            word in N.STOP_WORDS
            or word in N.NOT_NAMES
            or word in N.TITLE_WORDS
            or word in HONORIFICS
            or word in _OPENERS
            or word in ("I", "Who", "Everybody", "Nobody", "Somebody", "One", "All", "Each", "Both")
            or word in N.PEOPLES
            or N.PEOPLE_PLURAL.fullmatch(word)
            or N.AGENT_PLURAL.fullmatch(word)
        ):  # "Americans felt", "Muslims died": a people
            continue
        out.append(m.span(group))
    return out


_TITLE_BEFORE = re.compile(
    r"(?:Mr|Mrs|Ms|Messrs|Dr|Miss|Sir|Lady|Lord|Dame|Professor|Prof|Rev|Revd|Colonel|Col|Captain|Capt|General|"
    r"Gen|Admiral|Major|Madame|Mme|Mlle|M)\.?\s$"
)


def drop_false_capitals(
    text: str, cands: list, lower: frozenset[str], lexicon: dict | None = None, contexts: tuple | None = None
) -> list:
    """The candidates that are no name: common nouns the document writes in lower case too, the pronoun
    "I" with the words before it, honorifics, books of the Bible, eras; and a guess of low certainty that
    the document's own reading of the same words contradicts ("to Elizabeth" is no place where
    "cried Elizabeth" made her a person). The register's names, dates, annotators' mentions and a word
    after a title ("Mr. Birch") stay."""
    articled, modifiers = contexts or (frozenset(), frozenset())
    out = []
    for c in cands:
        span = text[c.start : c.end]
        if c.cert == "low" and c.source in ("rule", "spacy") and (lexicon or {}).get(span, c.tag) != c.tag:
            continue
        if c.source not in ("human", "register", "date") and " " not in span:
            if span[1:].islower() and _POSSESSOR.search(text[max(0, c.start - 7) : c.start]):
                continue  # "their Greatnesses"
            if c.tag == "orgName" and span.endswith("s") and span[:-1] in modifiers and c.source != "document":
                continue  # "the Reds" where "Red prisoners", "Red Guards": a side, its people, not a body
                # (unless the document names the body so: "the New York Knickerbockers" and "Knickerbocker Rules")
            if getattr(c, "hint", "") == "town" and (span in articled or span.lower() in lower):
                continue  # "to Concord" where "the Concord bed-chamber": a room, not a town
        if c.source in ("human", "register", "date") or _TITLE_BEFORE.search(text[max(0, c.start - 10) : c.start]):
            out.append(c)
        elif not (never_a_name(span) or pronoun_span(span, lower) or common_noun(span, lower)):
            out.append(c)
    return out


def weak_votes(texts, chosen) -> dict[str, dict[str, float]]:
    """Single capitalised words spaCy alone named at least twice: half a vote each for the type it gave
    ("Wickham" a person four times, an organisation once; "Barrackpore" a place four times, a person
    once): one name, one sense in a document. A place or a body gets one vote however often, so that
    a full name in the document ("Evaristo Madero") outweighs spaCy's calling the bare surname ORG
    again and again. A word that follows an article is no person ("the Freikorps", "a Freikorps" are no one)."""
    seen: dict[str, dict[str, float]] = {}
    for text, cands in zip(texts, chosen):
        for c in cands:
            words = text[c.start : c.end]
            if c.source == "spacy" and c.tag != "date" and len(words.split()) == 1:
                tags = seen.setdefault(words, {})
                tags[c.tag] = tags.get(c.tag, 0.0) + 0.5
    if not seen:
        return {}
    articled = {m.group(1) for text in texts for m in _ARTICLE.finditer(text)}
    out = {}
    for word, tags in seen.items():
        kept = {
            tag: n if tag == "persName" else 1.0  # a place or a body: one vote, below a full name's evidence
            for tag, n in tags.items()
            if n >= 1 and not (tag == "persName" and word in articled)
        }
        if kept:
            out[word] = kept
    return out


_ARTICLE = re.compile(r"(?<![\w'’-])(?:the|The|a|an|A|An|this|This|that|That)\s+([A-Z][\w'’-]*)")


def rejected_texts(register) -> frozenset[str]:
    """The words of every rejection in ``register``, remade only when its rejections change."""
    key = (id(register.rejections), len(register.rejections))
    cached = getattr(register, "_rejected_texts", None)
    if cached is None or cached[0] != key:
        cached = (key, frozenset(r.text for r in register.rejections))
        register._rejected_texts = cached
    return cached[1]
