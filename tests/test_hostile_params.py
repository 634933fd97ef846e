"""Numbers in URLs and posts are parsed strictly: a superscript digit, a digit of another script or an
integer beyond the database's columns answers 400 naming the parameter, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reader.params import LARGEST, BadParameter, whole_number
from reader.texts.models import Mention
from annotating import client_for, ensure_roles, make_user, suggestion, version_of

HUGE = str(2**70)


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1.0", " ", "0x1", HUGE, str(LARGEST + 1)])
def test_only_ascii_digits_in_range_are_whole_numbers(value):
    with pytest.raises(BadParameter, match="'part'"):
        whole_number(value if value.strip() else "x", "part")


def test_ascii_digits_and_absence_are_read():
    assert whole_number("42", "part") == 42 and whole_number(str(LARGEST), "part") == LARGEST
    assert whole_number(None, "part", default=1) == 1 and whole_number("", "part") is None


def assert_names_parameter(response, name):
    assert response.status_code == 400, response.status_code
    assert f"'{name}'" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "٣", HUGE])
def test_reading_part_and_cited_revision(corpus, value):
    client = Client()
    assert_names_parameter(client.get(corpus.get_absolute_url(), {"part": value}), "part")
    unit = corpus.paragraphs.order_by("position").first()
    assert_names_parameter(client.get(unit.get_absolute_url(), {"rev": value}), "rev")
    assert client.get(corpus.get_absolute_url(), {"part": "1"}).status_code == 200
    assert client.get(unit.get_absolute_url(), {"rev": "1"}).status_code == 200
    assert client.get(corpus.get_absolute_url(), {"part": "99"}).status_code == 404


def test_merge_with_huge_or_foreign_ids(corpus, annotator):
    client = client_for(annotator)
    url = reverse("admin:entities_entity_merge")
    a, b = corpus.mentions.exclude(entity=None).values_list("entity", flat=True).distinct()[:2]
    assert_names_parameter(client.get(url, {"ids": f"{a},{HUGE}"}), "ids")
    assert_names_parameter(client.post(url, {"ids": f"{a},²"}), "ids")
    assert_names_parameter(client.post(url, {"ids": f"{a},{b}", "survivor": HUGE}), "survivor")


def test_split_with_huge_mention_ids(corpus, annotator):
    entity = corpus.mentions.exclude(entity=None).first().entity
    url = reverse("admin:entities_entity_split", args=[entity.pk])
    response = client_for(annotator).post(url, {"name": "New one", "mentions": [HUGE]})
    assert_names_parameter(response, "mentions")


def test_review_posts_with_huge_or_foreign_digits(corpus, annotator):
    client = client_for(annotator)
    document_url = reverse("admin:texts_document_annotate", args=[corpus.pk])
    target = suggestion(corpus)
    before = Mention.objects.count()
    assert_names_parameter(client.post(document_url, {"action": "accept", "mention": [HUGE]}), "mention")
    assert_names_parameter(client.post(document_url, {"action": "reject", "mention": ["²"]}), "mention")
    paragraph_url = reverse("admin:texts_paragraph_annotate", args=[target.paragraph.pk])
    for value in (HUGE, "²"):
        response = client.post(paragraph_url, {"action": "accept", "mention": value, "version": "1"})
        assert_names_parameter(response, "mention")
    assert Mention.objects.count() == before
    assert Mention.objects.get(pk=target.pk).resp == "#pipeline"


def test_a_stale_accept_of_a_deleted_mention_is_a_conflict_not_a_500(transactional_db, corpus):
    """Outside a test's transaction, as served: PostgreSQL refuses a row lock taken outside one."""
    ensure_roles()
    annotator = make_user("anna")
    target = suggestion(corpus)
    paragraph_url = reverse("admin:texts_paragraph_annotate", args=[target.paragraph.pk])
    client = client_for(annotator)
    version = version_of(client.get(paragraph_url).content.decode(), target.pk)
    Mention.objects.filter(pk=target.pk).delete()
    response = client.post(paragraph_url, {"action": "accept", "mention": target.pk, "version": version})
    assert response.status_code == 409
    # Deleted by no annotator (as a load replaces a document's mentions): the page says it was reloaded.
    assert "the document was reloaded" in response.content.decode()


def test_changelist_actions_with_huge_selected_ids(corpus, annotator):
    """Django filters by the selected ids as posted: on SQLite one beyond 64 bits was an OverflowError."""
    client = client_for(annotator)
    for changelist, action in [
        ("admin:entities_entity_changelist", "mark_reviewed"),
        ("admin:texts_mention_changelist", "accept_selected"),
    ]:
        response = client.post(reverse(changelist), {"action": action, "_selected_action": [HUGE]})
        assert_names_parameter(response, "_selected_action")
    assert corpus.mentions.filter(resp="#pipeline").exists()


@pytest.mark.parametrize("value", ["١", "²", HUGE])
def test_api_page_numbers_are_ascii(corpus, value):
    response = Client().get(reverse("api:dts-collection"), {"page": value})
    assert response.status_code == 400 and response.json()["parameter"] == "page"
