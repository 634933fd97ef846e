"""Guesses shown as guesses in the reader (issue 21 item 3): a mention the pipeline suggested looks and reads
unconfirmed (class ``ent-suggested``, its certainty, a title a screen reader announces); one an annotator made
or confirmed looks as before; an accept in the annotate view re-renders the paragraph without the mark; the
reading pages have a "Confirmed entities only" switch. Material: the partisan article with recognised
entities (tests/annotating.py), loaded anew so its HTML is rendered by the code under test."""

from __future__ import annotations

import pytest
from annotating import client_for, version_of, weakest_suggestion
from django.urls import reverse
from lxml import etree, html as lxml_html

from reader.texts.loader import CorpusLoader
from reader.texts.models import Document, Mention

GUESS = "suggested by the pipeline, not confirmed"


def rendered(mention: Mention):
    """The HTML element of ``mention`` in its paragraph's stored HTML (mentions in order of their start)."""
    mention.paragraph.refresh_from_db()
    tree = lxml_html.fromstring(f"<div>{mention.paragraph.html}</div>")
    elements = tree.xpath("//*[contains(concat(' ', @class, ' '), ' ent ')]")
    mentions = list(mention.paragraph.mentions.order_by("start"))
    assert [" ".join(e.text_content().split()) for e in elements] == [" ".join(m.surface.split()) for m in mentions]
    return elements[mentions.index(mention)]


def classes(element) -> set[str]:
    return set(element.get("class").split())


def test_a_pipeline_suggestion_reads_as_an_unconfirmed_guess_with_its_certainty(corpus):
    guess = weakest_suggestion(corpus)
    assert guess.cert in ("low", "medium", "high")
    element = rendered(guess)
    assert "ent-suggested" in classes(element)
    assert element.get("data-cert") == guess.cert
    assert element.get("title").endswith(f"{GUESS} (certainty: {guess.cert})")
    dates = corpus.mentions.filter(kind="date", resp="#pipeline")
    assert dates.exists() and all("ent-suggested" in classes(rendered(d)) for d in dates[:3])


def confirm_in_tei(tei_dir, xml_id: str) -> tuple[str, str]:
    """Mark the first pipeline name of paragraph ``xml_id`` as an annotator's (as an annotation team's
    published TEI has it); (surface, kind tag) of it."""
    for path in sorted(tei_dir.rglob("*.xml")):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        found = tree.xpath("//*[@xml:id=$id]", id=xml_id)
        if not found:
            continue
        (name,) = found[0].xpath(".//*[local-name()!='date'][@resp='#pipeline'][1]")
        name.set("resp", "#annotator-anna")
        del name.attrib["cert"]
        tree.write(str(path), encoding="utf-8", xml_declaration=True)
        return " ".join("".join(name.itertext()).split()), etree.QName(name).localname
    raise AssertionError(f"no paragraph {xml_id} in the TEI")


def test_an_annotators_mention_loaded_from_the_tei_looks_as_before(corpus, tei_dir):
    guess = weakest_suggestion(corpus)
    surface, _ = confirm_in_tei(tei_dir, guess.paragraph.xml_id)
    assert CorpusLoader(tei_dir).run().failed == []
    document = Document.objects.get(slug=corpus.slug)
    paragraph = document.paragraphs.get(xml_id=guess.paragraph.xml_id)
    (confirmed,) = [
        m for m in paragraph.mentions.filter(resp="#annotator-anna") if m.surface.split() == surface.split()
    ]
    element = rendered(confirmed)
    assert "ent-suggested" not in classes(element)
    assert element.get("data-cert") is None and GUESS not in element.get("title")
    assert any("ent-suggested" in classes(rendered(m)) for m in paragraph.mentions.filter(resp="#pipeline"))


def test_an_accept_in_the_annotate_view_removes_the_mark(corpus, annotator):
    guess = weakest_suggestion(corpus)
    assert "ent-suggested" in classes(rendered(guess))
    client = client_for(annotator)
    url = reverse("admin:texts_paragraph_annotate", args=[guess.paragraph.pk])
    page = client.get(url).content.decode()
    response = client.post(url, {"action": "accept", "mention": guess.pk, "version": version_of(page, guess.pk)})
    assert response.status_code == 302
    guess.refresh_from_db()
    assert guess.resp == "#annotator-anna"
    element = rendered(guess)
    assert "ent-suggested" not in classes(element) and element.get("data-cert") is None
    assert GUESS not in element.get("title")


@pytest.mark.parametrize("page", ["document", "paragraph"])
def test_the_reading_pages_have_the_confirmed_only_switch(client, corpus, page):
    paragraph = weakest_suggestion(corpus).paragraph
    url = corpus.get_absolute_url() if page == "document" else paragraph.get_absolute_url()
    tree = lxml_html.fromstring(client.get(url).content.decode())
    (switch,) = tree.xpath("//input[@type='checkbox'][@id='confirmed-only']")
    (label,) = tree.xpath("//label[@for='confirmed-only']")
    assert "Confirmed entities only" in label.text_content()
    text = "//*[@class='text' or @class='context']"
    assert tree.xpath(f"{text}//*[contains(concat(' ', @class, ' '), ' ent-suggested ')]")


def test_the_switch_has_its_rule_in_the_stylesheet():
    from django.contrib.staticfiles import finders

    css = open(finders.find("reader/reader.css"), encoding="utf-8").read()
    assert "body:has(#confirmed-only:checked) .text .ent-suggested" in css


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_guess_looks_apart_and_the_switch_removes_its_highlighting(
    live_server, recognised_tei, tmp_path, settings
):
    import shutil

    from browser import axe_violations, browser_page

    from reader.annotations import editing
    from annotating import ensure_roles, make_user

    ensure_roles()  # an earlier transactional test's flush emptied the groups
    copy = tmp_path / "tei"
    shutil.copytree(recognised_tei, copy)
    settings.CORPUS_TEI_DIR = copy
    assert CorpusLoader(copy).run().failed == []
    document = Document.objects.get(slug="soviet-partisans-in-latvia")
    guess = weakest_suggestion(document)
    confirmed = document.mentions.filter(resp="#pipeline", kind=guess.kind).exclude(pk=guess.pk).first()
    editing.accept_mentions(make_user("anna"), [confirmed.pk])
    style = "el => [getComputedStyle(el).borderBottomStyle, getComputedStyle(el).backgroundColor]"
    after = "el => getComputedStyle(el, '::after').content"
    with browser_page(live_server.url) as page:
        page.goto(live_server.url + document.get_absolute_url())
        suggested = page.locator(f".text .ent-suggested.ent-{guess.kind}").first
        sure = page.locator(f".text .ent-{guess.kind}:not(.ent-suggested)").first
        assert suggested.evaluate(after) == '"?"' and sure.evaluate(after) == "none"
        assert suggested.evaluate(style)[1] != sure.evaluate(style)[1]  # no fill: not the confirmed colour
        highlighted = sure.evaluate(style)
        assert suggested.evaluate(style)[0] != "none"
        assert axe_violations(page, "reading-guesses") == []
        page.get_by_label("Confirmed entities only").check()
        assert suggested.evaluate(style)[0] == "none" and suggested.evaluate(after) == "none"
        assert sure.evaluate(style) == highlighted
