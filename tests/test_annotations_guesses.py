"""Guesses shown as guesses (issue 21 item 3): a pipeline suggestion says it is unconfirmed, with its
certainty and maker, on the entity page and in the Web Annotation export; once an annotator confirms it,
it says who. Material: the partisan article with recognised entities (tests/annotating.py)."""

from __future__ import annotations

from annotating import weakest_suggestion
from lxml import html as lxml_html

from reader.annotations import editing
from reader.api.exports import GUESS
from reader.texts.views.entities import MENTIONS_PER_PAGE


def annotation_of(client, mention) -> dict:
    """The mention's Web Annotation in its document's export (first page: the partisan article fits)."""
    items = client.get(f"/api/texts/{mention.document.slug}/annotations.jsonld").json()["first"]["items"]
    suffix = f"#{mention.paragraph.xml_id}-{mention.start}-{mention.end}-{mention.kind}"
    (found,) = [a for a in items if a["id"].endswith(suffix)]
    return found


def assessments(annotation: dict) -> list[str]:
    return [b["value"] for b in annotation["body"] if b.get("purpose") == "assessing"]


def test_a_suggestion_is_an_unconfirmed_guess_in_the_web_annotation_until_accepted(client, corpus, annotator):
    guess = weakest_suggestion(corpus)
    assert guess.cert  # recognition says how sure it is
    before = annotation_of(client, guess)
    assert assessments(before) == [f"{GUESS} (certainty: {guess.cert})"]
    assert before["creator"] == {"type": "Software", "name": "Parallax pipeline"}
    editing.accept_mentions(annotator, [guess.pk])
    after = annotation_of(client, guess)
    assert assessments(after) == [] and after["creator"] == {"type": "Person", "nickname": "anna"}


def test_the_entity_page_says_who_made_each_mention_and_how_many_are_unconfirmed(client, corpus, annotator):
    guess = corpus.mentions.filter(resp="#pipeline", entity__isnull=False, cert__gt="").first()
    entity = guess.entity
    pending = entity.mentions.filter(resp="#pipeline").count()

    def makers():
        page = lxml_html.fromstring(client.get(entity.get_absolute_url()).content.decode())
        return [" ".join(td.text_content().split()) for td in page.xpath("//table[@class='kwic']//td[@class][last()]")]

    page = client.get(entity.get_absolute_url()).content.decode()
    assert f"{pending} of the {entity.mentions.count()} mention" in page
    assert f"suggested by the pipeline, unconfirmed (certainty {guess.cert})" in makers()
    editing.accept_mentions(annotator, list(entity.mentions.values_list("pk", flat=True)))
    assert set(makers()) == {"confirmed by anna"}
    assert "no annotator has confirmed" not in client.get(entity.get_absolute_url()).content.decode()


def test_the_entity_page_lists_confirmed_mentions_only_on_request(client, corpus, annotator):
    guesses = corpus.mentions.filter(resp="#pipeline", entity__isnull=False).select_related("entity")
    guess = next(m for m in guesses if not m.entity.mentions.exclude(resp="#pipeline").exists())
    entity = guess.entity
    url = entity.get_absolute_url()
    page = lxml_html.fromstring(client.get(url).content.decode())
    (switch,) = page.xpath("//a[@id='confirmed-switch']")
    assert len(page.xpath("//table[@class='kwic']/tbody/tr[not(@class)]")) == min(
        entity.mentions.count(), MENTIONS_PER_PAGE
    )
    only = client.get(url + switch.get("href")).content.decode()
    assert "No annotator has confirmed a mention" in only and "kwic" not in only
    editing.accept_mentions(annotator, [guess.pk])
    only = lxml_html.fromstring(client.get(url + "?confirmed=1").content.decode())
    rows = only.xpath("//table[@class='kwic']/tbody/tr[not(@class)]")
    assert [" ".join(r.xpath("td[last()]")[0].text_content().split()) for r in rows] == ["confirmed by anna"]
