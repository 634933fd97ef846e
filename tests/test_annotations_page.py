"""The paragraph's annotate page as a browser uses it: its forms, written from plain data (not a bound
form per mention), post back what the annotator's form reads, with a CSRF token and the version the
page showed; a refused save shows what was typed; the page's queries do not grow with its mentions."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from reader.entities.models import Entity
from reader.texts.models import Mention
from annotating import client_for, form_values, suggestion


def page_url(paragraph):
    return reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])


def post_form(client, mention: Mention, form_class: str, values: dict | None = None, button: dict | None = None):
    """Post the page's ``form_class`` form of ``mention`` as a browser would: every value the form
    holds (its CSRF token, the version it showed), ``values`` typed over them, to the form's action."""
    page = client.get(page_url(mention.paragraph)).content.decode()
    xpath = f"//tr[@id='m-{mention.pk}']//form[@class='{form_class}']"
    form = lxml_html.fromstring(page).xpath(xpath)[0]
    data = form_values(page, xpath, {**(values or {}), **(button or {})})
    return client.post(form.get("action") or page_url(mention.paragraph), data)


def test_a_suggestion_relinked_to_a_new_entry_from_the_pages_own_form(
    corpus, annotator, django_capture_on_commit_callbacks
):
    target = suggestion(corpus, "place")
    client = client_for(annotator, csrf=True)  # the token must come from the page's form
    p = f"m{target.pk}-"
    with django_capture_on_commit_callbacks(execute=True):  # the save's corpus revision bump, as in production
        response = post_form(
            client, target, "mention-form", {p + "kind": "org", p + "entity": "", p + "new_entity": "A garrison"}
        )
    assert response.status_code == 302 and response.url.endswith(f"#m-{target.pk}")
    target.refresh_from_db()
    assert (target.kind, target.entity.name, target.resp) == ("org", "A garrison", "#annotator-anna")
    page = lxml_html.fromstring(client.get(page_url(target.paragraph)).content.decode())
    row = page.xpath(f"//tr[@id='m-{target.pk}']")[0]
    assert row.xpath(f".//select[@name='{p}kind']/option[@selected]/@value") == ["org"]
    assert row.xpath(f".//input[@name='{p}entity']/@value") == [f"A garrison ({target.entity.xml_id})"]
    # the datalist, cached per corpus revision, offers the new entry after the save
    assert f"A garrison ({target.entity.xml_id})" in page.xpath("//datalist[@id='register-entries']/option/@value")


def test_a_suggestion_accepted_then_its_stale_form_refused(corpus, annotator):
    target = suggestion(corpus, "person")
    client = client_for(annotator, csrf=True)
    page = client.get(page_url(target.paragraph)).content.decode()
    stale = form_values(page, f"//tr[@id='m-{target.pk}']//form[@class='mention-form']")
    accepted = post_form(client, target, "mention-buttons", button={"action": "accept"})
    assert accepted.status_code == 302
    target.refresh_from_db()
    assert target.resp == "#annotator-anna"
    stale.update({f"m{target.pk}-entity": "", f"m{target.pk}-new_entity": "Someone else"})
    refused = client.post(page_url(target.paragraph), stale)  # the version it carries is the suggestion's
    assert refused.status_code == 409
    assert not Entity.objects.filter(name="Someone else").exists()


def test_a_refused_save_shows_what_was_typed_and_why_in_the_mentions_row(corpus, annotator):
    date = suggestion(corpus, "date")
    p = f"m{date.pk}-"
    response = post_form(client_for(annotator), date, "mention-form", {p + "when": "19x2", p + "date_from": ""})
    assert response.status_code == 400
    row = lxml_html.fromstring(response.content.decode()).xpath(f"//tr[@id='m-{date.pk}']")[0]
    assert row.xpath(".//details[@class='mention-edit'][@open]")
    field = row.xpath(f".//input[@name='{p}when']")[0]
    assert field.get("value") == "19x2" and field.get("aria-invalid") == "true"
    error = row.xpath(f".//ul[@id='{field.get('aria-describedby')}']/li/text()")
    assert error and "'19x2' is not an ISO 8601 date" in error[0]
    date.refresh_from_db()
    assert date.resp == "#pipeline"  # nothing saved


def test_text_and_names_are_escaped_in_the_rows(corpus, annotator):
    target = suggestion(corpus, "person")
    Entity.objects.filter(pk=target.entity_id).update(name='<b onclick="x()">Bold</b> & co')
    page = client_for(annotator).get(page_url(target.paragraph)).content.decode()
    assert "<b onclick" not in page
    row = lxml_html.fromstring(page).xpath(f"//tr[@id='m-{target.pk}']")[0]
    assert row.xpath(".//td/a/text()")[0] == '<b onclick="x()">Bold</b> & co'
    assert row.xpath(f".//input[@name='m{target.pk}-entity']/@value")[0].startswith('<b onclick="x()">Bold</b> & co (')


def test_the_pages_queries_do_not_grow_with_its_mentions(corpus, annotator):
    client = client_for(annotator)
    by_mentions = list(corpus.paragraphs.annotate(n=Count("mentions")).filter(n__gt=0).order_by("n", "pk"))
    fewest, most = by_mentions[0], by_mentions[-1]
    assert most.n >= 10 * fewest.n
    counts = []
    for paragraph in (fewest, most):
        client.get(page_url(paragraph))  # the document's register choices cached, as for every later page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(paragraph)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_the_mention_list_cached_for_one_user_gives_another_his_own_rights_and_token(corpus, annotator):
    """The list of mentions is built once per corpus revision and shared, but never a user's rights
    or CSRF token: a reader of the admin without the right to delete sees no reject button, and the
    annotator's forms post with the token of his own session."""
    from django.contrib.auth.models import Permission

    from annotating import make_user

    target = suggestion(corpus, "person")
    anna = client_for(annotator, csrf=True)
    first = anna.get(page_url(target.paragraph)).content.decode()
    viewer = make_user("vera")
    viewer.groups.clear()
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_paragraph", "view_document", "view_mention", "change_mention"])
    )
    seen = client_for(viewer, csrf=True).get(page_url(target.paragraph)).content.decode()
    xpath = f"//tr[@id='m-{target.pk}']//button[@value='reject']"
    assert lxml_html.fromstring(first).xpath(xpath) and not lxml_html.fromstring(seen).xpath(xpath)
    tokens = set(lxml_html.fromstring(seen).xpath("//tr//input[@name='csrfmiddlewaretoken']/@value"))
    assert len(tokens) == 1 and "{csrf}" not in seen and "{csrf}" not in first
    accepted = post_form(anna, target, "mention-buttons", button={"action": "accept"})
    assert accepted.status_code == 302  # the cached forms carry a token anna's session accepts
