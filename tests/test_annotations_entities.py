"""The register admin: list, search, filters, authority id forms, merge, split, review, history, concurrent edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reader.annotations import editing
from reader.annotations.models import EntityRedirect
from reader.entities.models import AuthorityId, Entity
from reader.texts.models import CorpusFile, Mention
from annotating import (
    client_for,
    form_values,
    make_user,
    suggestion,
)

CHANGELIST = "admin:entities_entity_changelist"


def change_url(entity):
    return reverse("admin:entities_entity_change", args=[entity.pk])


def entity_form(client, entity, **changes):
    page = client.get(change_url(entity))
    assert page.status_code == 200
    return form_values(page.content.decode(), "//form[@id='entity_form']", changes)


def test_list_searches_any_name_form_and_authority_ids_in_bounded_queries(
    corpus, annotator, django_assert_max_num_queries
):
    client = client_for(annotator)
    with django_assert_max_num_queries(14):
        page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    sprogis = Entity.objects.get(xml_id="per-arturs-sprogis")
    variant = sprogis.names.exclude(name=sprogis.name).first().name
    found = client.get(reverse(CHANGELIST), {"q": variant})
    assert found.context["cl"].result_count >= 1 and sprogis in found.context["cl"].result_list
    qid = AuthorityId.objects.filter(scheme="wikidata", entity__xml_id="pla-latvia").get().value
    by_id = client.get(reverse(CHANGELIST), {"q": qid})
    assert [e.xml_id for e in by_id.context["cl"].result_list] == ["pla-latvia"]


def test_filters_by_authority_mentions_and_maker(corpus, annotator):
    client = client_for(annotator)
    unused = client.get(reverse(CHANGELIST), {"mentions": "0"}).context["cl"].result_list
    assert unused and all(e.mention_count == 0 for e in unused)
    frequent = client.get(reverse(CHANGELIST), {"mentions": "6-20"}).context["cl"].result_list
    assert all(6 <= e.mention_count <= 20 for e in frequent)
    assert "pla-latvia" in [e.xml_id for e in frequent]  # 20 mentions in the article's text and imprints
    assert not client.get(reverse(CHANGELIST), {"mentions": "21+"}).context["cl"].result_list
    without = client.get(reverse(CHANGELIST), {"authority": "no"}).context["cl"].result_list
    assert all(not e.authority_ids.all() for e in without)
    editing.mark_reviewed(annotator, Entity.objects.filter(xml_id="pla-latvia"))
    by_annotators = client.get(reverse(CHANGELIST), {"made_by": "annotator"}).context["cl"].result_list
    assert [e.xml_id for e in by_annotators] == ["pla-latvia"]


def test_authority_ids_are_checked_against_their_authority_file(corpus, annotator):
    client = client_for(annotator)
    entity = Entity.objects.get(xml_id="per-vilis-samsons")
    data = entity_form(
        client,
        entity,
        name="Vilis Samsons (historian)",
        **{"authority_ids-0-scheme": "wikidata", "authority_ids-0-value": "Q12x"},
    )
    page = client.post(change_url(entity), data)
    assert page.status_code == 200
    assert "&#x27;Q12X&#x27; is not a wikidata identifier (it looks like Q211)" in page.content.decode()
    entity.refresh_from_db()
    assert entity.name == "Vilis Samsons" and not entity.authority_ids.filter(value__icontains="12").exists()
    data["authority_ids-0-value"] = "https://www.wikidata.org/wiki/q1357957"
    assert client.post(change_url(entity), data).status_code == 302
    entity.refresh_from_db()
    assert entity.authority_ids.filter(scheme="wikidata", value="Q1357957").exists()
    assert (entity.name, entity.resp) == ("Vilis Samsons (historian)", "#annotator-anna")
    data = entity_form(client, entity, **{"authority_ids-1-scheme": "geonames", "authority_ids-1-value": "45 6172"})
    assert "is not a geonames identifier" in client.post(change_url(entity), data).content.decode()


def test_second_of_two_concurrent_entity_edits_is_refused(corpus, annotator):
    bob = make_user("bob")
    entity = Entity.objects.get(xml_id="per-vilis-samsons")
    anna_form = entity_form(client_for(annotator), entity, name="Vilis Samsons (1920–2011)")
    bob_form = entity_form(client_for(bob), entity, note="Commander of a partisan brigade.")
    assert client_for(annotator).post(change_url(entity), anna_form).status_code == 302
    refused = client_for(bob).post(change_url(entity), bob_form)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Not saved: anna changed Vilis Samsons (1920–2011) (per-vilis-samsons) at " in text
    assert "name: &#x27;Vilis Samsons&#x27; → &#x27;Vilis Samsons (1920–2011)&#x27;" in text
    entity.refresh_from_db()
    assert (entity.name, entity.note) == ("Vilis Samsons (1920–2011)", "")


def test_a_stale_form_posted_without_its_version_never_overwrites_a_newer_edit(corpus, annotator):
    bob = make_user("bob")
    entity = Entity.objects.get(xml_id="per-vilis-samsons")
    stale = entity_form(client_for(bob), entity, note="Stale note.")
    del stale["version"]
    assert (
        client_for(annotator)
        .post(change_url(entity), entity_form(client_for(annotator), entity, note="New."))
        .status_code
        == 302
    )
    refused = client_for(bob).post(change_url(entity), stale)
    assert refused.status_code == 200 and "did not say which version of the entry" in refused.content.decode()
    entity.refresh_from_db()
    assert entity.note == "New."


def test_merge_moves_mentions_and_names_and_keeps_the_old_id_as_a_redirect(corpus, annotator):
    client = client_for(annotator)
    duplicate = editing.create_entity(annotator, "person", "A. Sproģis")
    moved = suggestion(corpus, "person")
    moved.entity = duplicate
    moved.save()
    survivor = Entity.objects.get(xml_id="per-arturs-sprogis")
    before = survivor.mentions.count()
    response = client.post(
        reverse(CHANGELIST), {"action": "merge_selected", "_selected_action": [survivor.pk, duplicate.pk]}
    )
    assert response.status_code == 302
    merge_page = client.get(response["Location"])
    assert merge_page.status_code == 200
    response = client.post(
        reverse("admin:entities_entity_merge"), {"ids": f"{survivor.pk},{duplicate.pk}", "survivor": survivor.pk}
    )
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=duplicate.pk).exists()
    assert survivor.mentions.count() == before + 1
    assert "A. Sproģis" in survivor.names.values_list("name", flat=True)
    assert EntityRedirect.objects.get(old_xml_id=duplicate.xml_id).entity == survivor
    assert f'n="{duplicate.xml_id}" corresp="#per-arturs-sprogis"' in CorpusFile.objects.get(kind="register").skeleton
    old_page = client.get(f"/entities/{duplicate.xml_id}/")  # the public URL of the old id
    assert (old_page.status_code, old_page["Location"]) == (301, survivor.get_absolute_url())
    # The id is never given out again.
    assert editing.create_entity(annotator, "person", "A. Sproģis").xml_id == f"{duplicate.xml_id}-2"


def test_merging_an_entity_with_itself_or_with_another_kind_is_refused(corpus, annotator):
    client = client_for(annotator)
    latvia, riga = Entity.objects.get(xml_id="pla-latvia"), Entity.objects.get(xml_id="pla-riga")
    response = client.post(
        reverse("admin:entities_entity_merge"), {"ids": f"{latvia.pk},{latvia.pk}", "survivor": latvia.pk}, follow=True
    )
    assert "an entry cannot be merged with itself" in response.content.decode()
    with pytest.raises(editing.AnnotationError, match="cannot be merged with itself"):
        editing.merge_entities(annotator, latvia, [latvia])
    sprogis = Entity.objects.get(xml_id="per-arturs-sprogis")
    with pytest.raises(editing.AnnotationError, match="only entries of one kind can be merged"):
        editing.merge_entities(annotator, riga, [sprogis])
    assert Entity.objects.filter(pk__in=[latvia.pk, riga.pk, sprogis.pk]).count() == 3
    assert not EntityRedirect.objects.exists()


def test_merge_refuses_entries_with_different_authority_ids(corpus, annotator):
    latvia = Entity.objects.get(xml_id="pla-latvia")
    other = editing.create_entity(annotator, "place", "Latvija")
    AuthorityId.objects.create(entity=other, scheme="wikidata", value="Q1")
    with pytest.raises(editing.AnnotationError, match="different authority ids"):
        editing.merge_entities(annotator, latvia, [other])
    assert Entity.objects.filter(pk=other.pk).exists()


def test_split_moves_chosen_mentions_to_a_new_entry(corpus, annotator):
    client = client_for(annotator)
    oskalns = Entity.objects.get(xml_id="per-otomars-oskalns")
    chosen = oskalns.mentions.order_by("paragraph__position").first()
    response = client.post(
        reverse("admin:entities_entity_split", args=[oskalns.pk]),
        {"name": "Otomārs Oškalns (namesake)", "mentions": [chosen.pk]},
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert chosen.entity.name == "Otomārs Oškalns (namesake)" and chosen.resp == "#annotator-anna"
    assert chosen.entity.kind == "person" and chosen.entity.xml_id != oskalns.xml_id


def test_mark_reviewed_action(corpus, annotator):
    entity = Entity.objects.get(xml_id="pla-riga")
    client_for(annotator).post(reverse(CHANGELIST), {"action": "mark_reviewed", "_selected_action": [entity.pk]})
    entity.refresh_from_db()
    assert entity.resp == "#annotator-anna"
    assert entity.history.latest().history_user == annotator


def test_history_shows_who_changed_what_and_reverts(corpus, annotator):
    client = client_for(annotator)
    entity = Entity.objects.get(xml_id="pla-riga")
    assert client.post(change_url(entity), entity_form(client, entity, name="Riga (city)")).status_code == 302
    history = client.get(reverse("admin:entities_entity_history", args=[entity.pk]))
    assert history.status_code == 200 and b"anna" in history.content
    first = entity.history.order_by("history_date").first()
    assert first.name == "Riga"  # the state as loaded is kept
    revert_url = reverse("admin:entities_entity_simple_history", args=[entity.pk, first.history_id])
    page = client.get(revert_url)
    assert page.status_code == 200
    data = form_values(page.content.decode(), "//form[@id='historicalentity_form']")
    assert client.post(revert_url, data).status_code == 302
    entity.refresh_from_db()
    assert entity.name == "Riga"
    mention_history = client.get(reverse("admin:texts_mention_history", args=[Mention.objects.first().pk]))
    assert mention_history.status_code == 200


def test_a_deleted_entry_keeps_its_id_retired(corpus, annotator):
    unused = editing.create_entity(annotator, "place", "Nowhere Town")
    response = client_for(annotator).post(reverse("admin:entities_entity_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Entity.objects.filter(pk=unused.pk).exists()
    assert f'n="{unused.xml_id}">Nowhere Town</note>' in CorpusFile.objects.get(kind="register").skeleton
    assert editing.create_entity(annotator, "place", "Nowhere Town").xml_id == f"{unused.xml_id}-2"
    used = suggestion(corpus, "place").entity
    page = client_for(annotator).get(reverse("admin:entities_entity_delete", args=[used.pk]))
    assert b"protected" in page.content.lower() or b"would require deleting" in page.content.lower()


def test_a_new_entry_made_in_the_admin_gets_a_fresh_id_and_the_annotators_resp(corpus, annotator):
    client = client_for(annotator)
    page = client.get(reverse("admin:entities_entity_add"))
    data = form_values(
        page.content.decode(),
        "//form[@id='entity_form']",
        {
            "name": "Arturs Sproģis",
            "kind": "person",
            "authority_ids-0-scheme": "viaf",
            "authority_ids-0-value": "not-a-number",
        },
    )
    refused = client.post(reverse("admin:entities_entity_add"), data)
    assert refused.status_code == 200 and "is not a viaf identifier" in refused.content.decode()
    assert Entity.objects.filter(name="Arturs Sproģis").count() == 1  # nothing saved half-way
    data["authority_ids-0-value"] = "12345"
    assert client.post(reverse("admin:entities_entity_add"), data).status_code == 302
    new = Entity.objects.get(name="Arturs Sproģis", resp="#annotator-anna")
    assert new.xml_id == "per-arturs-sprogis-2"  # a namesake: the existing id is not taken over
    assert list(new.authority_ids.values_list("scheme", "value")) == [("viaf", "12345")]
