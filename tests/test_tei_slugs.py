"""reader.tei.slugs.slugify: one function, a rule per kind of id (documents and works; register entries)."""

from reader.tei.slugs import NAME, TITLE, slugify


def test_title_rule_drops_letters_without_an_ascii_form():
    assert slugify("Soviet partisans in Latvia") == "soviet-partisans-in-latvia"
    assert slugify("Arturs Sproģis") == "arturs-sprogis"
    assert slugify("Straße") == "strae"
    assert slugify("Партизаны Латвии") == "text"  # nothing ASCII is left


def test_name_rule_spells_cyrillic_and_parts_words_at_other_letters():
    assert slugify("Arturs Sproģis", NAME) == "arturs-sprogis"
    assert slugify("Щорс Юрий", NAME) == "shchors-yuriy"
    assert slugify("Straße", NAME) == "stra-e"
    assert slugify("ß", NAME) == "x"


def test_long_titles_are_cut_at_a_word_names_at_the_limit():
    title = "The occupation of the Baltic states by the Soviet Union in nineteen forty"
    slug = slugify(title, TITLE)
    assert len(slug) <= TITLE.limit + 1 and title.lower().replace(" ", "-").startswith(slug)
    assert not slug.endswith("-") and title.lower().split()[len(slug.split("-")) - 1] == slug.split("-")[-1]
    name = "Latvian Soviet Socialist Republic Supreme Council Presidium Chairman"
    assert slugify(name, NAME) == "latvian-soviet-socialist-republic-supreme-counci"
