"""Mention editing where the text is: add, retype, relink, delete, accept, reject; bad input; concurrent edits."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from lxml import etree

from reader.annotations.models import RejectedSuggestion
from reader.entities.models import Entity
from reader.texts.models import CorpusFile, Mention
from annotating import (
    client_for,
    free_words,
    form_values,
    longest_suggestion,
    make_user,
    repeated_suggestion,
    suggestion,
    version_of,
    weakest_suggestion,
)


def page_url(paragraph):
    return reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])


def add(client, paragraph, **fields):
    data = {"action": "add", **{f"add-{k}": v for k, v in fields.items()}}
    return client.post(page_url(paragraph), data)


def change(client, m, version, **fields):
    data = {
        "action": "change",
        "mention": m.pk,
        f"m{m.pk}-mention": m.pk,
        f"m{m.pk}-version": version,
        **{f"m{m.pk}-{k}": v for k, v in fields.items()},
    }
    return client.post(page_url(m.paragraph), data)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_page_shows_the_text_with_mentions_highlighted_and_linked_to_their_forms(corpus, annotator):
    person = suggestion(corpus, "person")
    paragraph = person.paragraph
    page = client_for(annotator).get(page_url(paragraph))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a href="#m-{person.pk}" class="ent ent-person ann-mention ann-suggested"' in html  # as in the reader
    assert f'id="m-{person.pk}"' in html  # the form the highlight links to
    text = etree.HTML(html).xpath("//div[@id='annotate-text']")[0]
    assert "".join(text.itertext()) == paragraph.text  # offsets of a selection are offsets of the text


def test_the_page_offers_the_documents_entries_and_asks_the_register_for_the_rest(corpus, annotator):
    """The page does not grow with the register: its datalist holds the entries its document mentions,
    and the register answers what an annotator types."""
    person = suggestion(corpus, "person")
    document = person.paragraph.document
    html = client_for(annotator).get(page_url(person.paragraph)).content.decode()
    listed = set(etree.HTML(html).xpath("//datalist[@id='register-entries']/option/@value"))
    mentioned = Entity.objects.filter(mentions__document=document).distinct()
    assert listed == {f"{e.name} ({e.xml_id})" for e in mentioned}
    elsewhere = Entity.objects.exclude(pk__in=mentioned).exclude(name="").order_by("name").first()
    assert elsewhere is not None and f"({elsewhere.xml_id})" not in html

    suggest = reverse("admin:entities_entity_suggest")
    client = client_for(annotator)
    found = client.get(suggest, {"q": elsewhere.name[:6]}).json()["results"]
    assert {"value": f"{elsewhere.name} ({elsewhere.xml_id})", "kind": elsewhere.kind} in found
    assert all(elsewhere.name[:6].casefold() in r["value"].casefold() for r in found)
    assert len(found) <= 20
    assert client.get(suggest, {"q": elsewhere.xml_id}).json()["results"][0]["value"].endswith(f"({elsewhere.xml_id})")
    assert client.get(suggest, {"q": "x"}).json() == {"results": []}  # one letter: too many to be of use
    assert client.get(suggest, {"q": "zzqqxx-nothing"}).json() == {"results": []}
    assert Client().get(suggest, {"q": elsewhere.name[:6]}).status_code == 302  # to the login page


def test_each_mention_shows_only_the_fields_of_its_type_and_is_edited_one_at_a_time(corpus, annotator):
    date = suggestion(corpus, "date")
    page = etree.HTML(client_for(annotator).get(page_url(date.paragraph)).content.decode())
    for row in page.xpath("//tr[contains(@class, 'mention-row')]"):
        kind = row.xpath(".//select[contains(@name, '-kind')]/option[@selected]/@value")[0]
        shown = {f.get("data-field") for f in row.xpath(".//span[@class='field'][not(@hidden)]")}
        assert shown == (
            {"kind", "when", "date_from", "date_to"} if kind == "date" else {"kind", "entity", "new_entity"}
        )
        assert row.xpath(".//details[@class='mention-edit'][not(@open)]//form[@class='mention-form']")


def test_admin_says_parallax_and_messages_use_the_right_article(corpus, annotator):
    client = client_for(annotator)
    index = client.get("/admin/").content.decode()
    assert '<a href="/admin/">Parallax</a>' in index and "Django administration" not in index
    target = suggestion(corpus, "person")
    page = client.get(page_url(target.paragraph)).content.decode()
    values = form_values(
        page,
        f"//tr[@id='m-{target.pk}']//form[@class='mention-form']",
        {f"m{target.pk}-kind": "org", f"m{target.pk}-entity": "", f"m{target.pk}-new_entity": "Tiny Org"},
    )
    response = client.post(page_url(target.paragraph), values, follow=True)
    assert "now an organisation." in response.content.decode()


def test_add_a_missed_name_with_a_new_register_entry_as_a_plain_form(corpus, annotator):
    paragraph, words, _ = free_words(corpus)
    response = add(
        client_for(annotator), paragraph, surface=words, occurrence=1, kind="org", new_entity="Missed Organisation"
    )
    assert response.status_code == 302, messages_of(response)
    added = paragraph.mentions.get(surface=words)
    assert (added.kind, added.resp, added.cert) == ("org", "#annotator-anna", "")
    assert added.entity.xml_id == "org-missed-organisation"
    assert added.entity.resp == "#annotator-anna"
    record = added.history.latest()
    assert record.history_user == annotator and record.history_type == "+"
    paragraph.refresh_from_db()
    assert f'href="/entities/{added.entity.xml_id}/"' in paragraph.html  # the reader shows it


def test_add_with_the_offsets_of_a_selection_and_an_existing_entry(corpus, annotator):
    paragraph, words, start = free_words(corpus)
    samsons = Entity.objects.get(xml_id="per-vilis-samsons")
    response = add(
        client_for(annotator),
        paragraph,
        surface=words,
        start=start,
        end=start + len(words) + 1,
        kind="person",
        entity=f"{samsons.name} ({samsons.xml_id})",
    )  # a selection ending in a space
    assert response.status_code == 302, messages_of(response)
    added = paragraph.mentions.get(start=start)
    assert (added.end, added.entity, added.kind) == (start + len(words), samsons, "person")


def test_retype_and_relink_a_suggestion(corpus, annotator):
    place = suggestion(corpus, "place")
    page = client_for(annotator).get(page_url(place.paragraph))
    response = change(
        client_for(annotator),
        place,
        version_of(page.content.decode(), place.pk),
        kind="org",
        new_entity=f"{place.surface} garrison",
    )
    assert response.status_code == 302, messages_of(response)
    place.refresh_from_db()
    assert (place.kind, place.resp, place.entity.kind) == ("org", "#annotator-anna", "org")
    assert [h.kind for h in place.history.order_by("history_date")] == ["place", "org"]  # as loaded, then changed
    place.paragraph.refresh_from_db()
    assert 'class="ent ent-org"' in place.paragraph.html


def test_delete_a_suggestion_records_the_rejection_for_the_pipeline(corpus, annotator):
    target = weakest_suggestion(corpus)
    paragraph = target.paragraph
    tag = {"person": "persName", "place": "placeName", "org": "orgName"}[target.kind]
    page = client_for(annotator).get(page_url(paragraph)).content.decode()
    response = client_for(annotator).post(
        page_url(paragraph), {"action": "reject", "mention": target.pk, "version": version_of(page, target.pk)}
    )
    assert response.status_code == 302
    assert not Mention.objects.filter(pk=target.pk).exists()
    rejection = RejectedSuggestion.objects.get()
    assert (rejection.text, rejection.tag, rejection.scope) == (
        target.surface,
        tag,
        f"{corpus.slug}#{paragraph.xml_id}",
    )
    register = CorpusFile.objects.get(kind="register").skeleton
    assert f'subtype="{tag}" target="{corpus.slug}#{paragraph.xml_id}">{target.surface}</note>' in register
    assert Mention.history.filter(id=target.pk, history_type="-", history_user=annotator).exists()


def test_rejecting_one_occurrence_confirms_the_others_of_the_paragraph(corpus, annotator):
    paragraph, words = repeated_suggestion(corpus)
    same = list(paragraph.mentions.filter(surface=words).order_by("start"))
    client = client_for(annotator)
    page = client.get(page_url(paragraph)).content.decode()
    client.post(
        page_url(paragraph), {"action": "reject", "mention": same[0].pk, "version": version_of(page, same[0].pk)}
    )
    assert set(paragraph.mentions.filter(surface=words).values_list("resp", flat=True)) == {"#annotator-anna"}
    assert paragraph.mentions.filter(surface=words).count() == len(same) - 1


def test_a_row_action_without_the_version_it_was_shown_is_refused(corpus, annotator):
    target = suggestion(corpus, "place")
    response = client_for(annotator).post(page_url(target.paragraph), {"action": "reject", "mention": target.pk})
    assert response.status_code == 400 and "did not say which version" in response.content.decode()
    assert Mention.objects.filter(pk=target.pk, resp="#pipeline").exists()


def test_accept_one_and_all_suggestions_of_a_paragraph(corpus, annotator):
    paragraph = longest_suggestion(corpus).paragraph
    first = paragraph.mentions.order_by("start").first()
    client = client_for(annotator)
    page = client.get(page_url(paragraph)).content.decode()
    assert (
        client.post(
            page_url(paragraph), {"action": "accept", "mention": first.pk, "version": version_of(page, first.pk)}
        ).status_code
        == 302
    )
    first.refresh_from_db()
    assert (first.resp, first.cert) == ("#annotator-anna", "")
    client.post(page_url(paragraph), {"action": "accept_all"})
    assert not paragraph.mentions.filter(resp="#pipeline").exists()


def test_bulk_review_of_a_document(corpus, annotator):
    url = reverse("admin:texts_document_annotate", args=[corpus.pk])
    client = client_for(annotator)
    assert client.get(url + "?kind=date").status_code == 200
    dates = list(corpus.mentions.filter(kind="date", resp="#pipeline").values_list("pk", flat=True))
    places = list(corpus.mentions.filter(kind="place", resp="#pipeline").values_list("pk", flat=True))[:3]
    assert client.post(url, {"action": "accept", "mention": dates}).status_code == 302
    assert not corpus.mentions.filter(kind="date", resp="#pipeline").exists()
    rejected_words = set(Mention.objects.filter(pk__in=places).values_list("surface", flat=True))
    assert client.post(url, {"action": "reject", "mention": places}).status_code == 302
    assert not Mention.objects.filter(pk__in=places).exists()
    assert set(RejectedSuggestion.objects.values_list("text", flat=True)) == rejected_words


# --------------------------------------------------------------------------- bad input


def assert_refused(response, words: str, before: int):
    assert response.status_code == 400
    assert words in messages_of(response)
    assert Mention.objects.count() == before


def test_zero_length_mention_is_refused(corpus, annotator):
    paragraph, _, start = free_words(corpus)
    before = Mention.objects.count()
    response = add(client_for(annotator), paragraph, surface="   ", start=start, end=start, kind="org", new_entity="X")
    assert_refused(response, "cannot be empty", before)
    assert not Entity.objects.filter(name="X").exists()


def test_overlapping_mention_is_refused_and_no_entity_is_left_behind(corpus, annotator):
    longest = longest_suggestion(corpus)
    paragraph = longest.paragraph
    before, entities = Mention.objects.count(), Entity.objects.count()
    start = longest.start + len(longest.surface.split()[0]) + 1  # from its second word to beyond its end
    end = min(len(paragraph.text), longest.end + 4)
    response = add(
        client_for(annotator),
        paragraph,
        surface=paragraph.text[start:end],
        start=start,
        end=end,
        kind="org",
        new_entity="Overlapping",
    )
    kind = longest.get_kind_display().lower()
    assert_refused(response, f"overlaps the {kind} mention {longest.surface!r}", before)
    assert Entity.objects.count() == entities


def test_mention_crossing_a_paragraph_boundary_is_refused(corpus, annotator):
    paragraph, _, _ = free_words(corpus)
    following = corpus.paragraphs.get(position=paragraph.position + 1)
    across = paragraph.text[-12:] + " " + following.text[:12]
    before = Mention.objects.count()
    client = client_for(annotator)
    response = add(client, paragraph, surface=across, kind="person", new_entity="Nobody")
    assert_refused(response, "not in this paragraph's text", before)
    length = len(paragraph.text)
    response = add(
        client,
        paragraph,
        surface=paragraph.text[-5:],
        start=length - 5,
        end=length + 7,
        kind="person",
        new_entity="Nobody",
    )
    assert_refused(response, "cross its boundary", before)


def test_wrong_kind_of_entry_and_bad_dates_are_refused(corpus, annotator):
    paragraph, words, _ = free_words(corpus)
    before = Mention.objects.count()
    client = client_for(annotator)
    response = add(client, paragraph, surface=words, kind="person", entity="pla-latvia")
    assert_refused(response, "a person mention cannot point to it", before)
    response = add(client, paragraph, surface=words, kind="date", when="1942-13-01")
    assert_refused(response, "not an ISO 8601 date", before)
    response = add(client, paragraph, surface=words, kind="org", entity="No Such Entry")
    assert_refused(response, "No register entry is called 'No Such Entry'", before)


# --------------------------------------------------------------------------- no lost updates


def test_second_of_two_concurrent_edits_is_refused_showing_the_first(corpus, annotator):
    bob = make_user("bob")
    target = suggestion(corpus, "place")
    anna_page = client_for(annotator).get(page_url(target.paragraph)).content.decode()
    bob_page = client_for(bob).get(page_url(target.paragraph)).content.decode()
    first = change(client_for(annotator), target, version_of(anna_page, target.pk), kind="org", new_entity="A garrison")
    assert first.status_code == 302
    second = change(client_for(bob), target, version_of(bob_page, target.pk), kind="place", entity="pla-latvia")
    assert second.status_code == 409
    message = messages_of(second)
    assert f"Not saved: anna changed the mention {target.surface!r} at " in message
    assert "kind: 'place' → 'org'" in message
    target.refresh_from_db()
    assert (target.kind, target.entity.name, target.resp) == ("org", "A garrison", "#annotator-anna")


def test_deleting_a_mention_someone_else_just_changed_is_refused(corpus, annotator):
    bob = make_user("bob")
    target = suggestion(corpus, "place")
    bob_page = client_for(bob).get(page_url(target.paragraph)).content.decode()
    client_for(annotator).post(
        page_url(target.paragraph),
        {"action": "accept", "mention": target.pk, "version": version_of(bob_page, target.pk)},
    )
    response = client_for(bob).post(
        page_url(target.paragraph),
        {"action": "reject", "mention": target.pk, "version": version_of(bob_page, target.pk)},
    )
    assert response.status_code == 409
    assert Mention.objects.filter(pk=target.pk, resp="#annotator-anna").exists()
    assert not RejectedSuggestion.objects.exists()


def test_mention_admin_change_form_refuses_a_stale_save_and_delete_records_a_rejection(corpus, annotator):
    bob = make_user("bob")
    target = suggestion(corpus, "person")
    url = reverse("admin:texts_mention_change", args=[target.pk])
    anna_form = form_values(
        client_for(annotator).get(url).content.decode(), "//form[@id='mention_form']", {"kind": "person"}
    )
    bob_form = form_values(client_for(bob).get(url).content.decode(), "//form[@id='mention_form']", {"kind": "person"})
    assert client_for(annotator).post(url, anna_form).status_code == 302
    refused = client_for(bob).post(url, bob_form)
    assert refused.status_code == 200 and "Not saved: anna changed the mention" in refused.content.decode()
    target.refresh_from_db()
    assert target.resp == "#annotator-anna" and target.history.latest().history_user == annotator
    delete = client_for(bob).post(reverse("admin:texts_mention_delete", args=[target.pk]), {"post": "yes"})
    assert delete.status_code == 302
    assert RejectedSuggestion.objects.get().text == target.surface


def test_annotate_pages_take_a_bounded_number_of_queries(corpus, annotator, django_assert_max_num_queries):
    client = client_for(annotator)
    busiest = max(corpus.paragraphs.all(), key=lambda p: p.mentions.count())
    assert busiest.mentions.count() >= 10
    with django_assert_max_num_queries(16):
        assert client.get(page_url(busiest)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("admin:texts_document_annotate", args=[corpus.pk])).status_code == 200
