"""Roles: the Annotator and Editor groups, createannotator, and what each kind of user is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from reader.annotations.models import Publication
from reader.texts.models import Document, Mention
from annotating import (
    PASSWORD,
    client_for,
    free_words,
    make_user,
    suggestion,
)


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_annotator_group_has_exactly_the_annotation_permissions():
    perms = codenames("Annotator")
    for model in ("entities.entity", "entities.entityname", "entities.authorityid", "texts.mention"):
        app, name = model.split(".")
        assert {f"{app}.{action}_{name}" for action in ("view", "add", "change", "delete")} <= perms
    assert {"texts.view_document", "texts.view_paragraph"} <= perms
    assert not {p for p in perms if p.startswith("auth.")}
    assert not perms & {
        "texts.delete_document",
        "texts.change_document",
        "texts.delete_paragraph",
        "texts.change_paragraph",
        "annotations.publish",
    }


@pytest.mark.django_db
def test_editor_group_adds_publishing_and_user_management():
    extra = codenames("Editor") - codenames("Annotator")
    assert {"annotations.publish", "auth.add_user", "auth.change_user", "auth.delete_user"} <= extra
    assert "texts.delete_document" not in extra


@pytest.mark.django_db
def test_createannotator_makes_staff_accounts_in_their_group():
    anna = make_user("anna")
    assert anna.is_staff and not anna.is_superuser
    assert anna.check_password(PASSWORD)
    assert list(anna.groups.values_list("name", flat=True)) == ["Annotator"]
    assert anna.has_perm("texts.add_mention") and not anna.has_perm("annotations.publish")
    call_command("createannotator", "anna", editor=True, stdout=open("/dev/null", "w"))
    anna = get_user_model().objects.get(username="anna")
    assert list(anna.groups.values_list("name", flat=True)) == ["Editor"]
    assert anna.check_password(PASSWORD)  # kept when not given again


@pytest.mark.django_db
def test_createannotator_refuses_a_weak_password_and_saves_nothing():
    with pytest.raises(CommandError, match="password refused"):
        call_command("createannotator", "weak", password="123")
    assert not get_user_model().objects.filter(username="weak").exists()


# --------------------------------------------------------------------------- anonymous visitors


def test_anonymous_visitors_read_the_site_but_never_reach_the_admin(corpus):
    client = Client()
    assert client.get(corpus.get_absolute_url()).status_code == 200
    target = suggestion(corpus, "person")
    paragraph = target.paragraph
    for url in (
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]),
        reverse("admin:entities_entity_changelist"),
        reverse("admin:texts_document_annotate", args=[corpus.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.post(
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]), {"action": "reject", "mention": target.pk}
    )
    client.post(reverse("admin:texts_document_delete", args=[corpus.pk]), {"post": "yes"})
    client.post(reverse("admin:annotations_publication_publish"))
    assert Mention.objects.filter(pk=target.pk).exists() and Document.objects.filter(pk=corpus.pk).exists()


# --------------------------------------------------------------------------- annotators


def test_annotator_cannot_delete_documents_manage_users_or_publish(corpus, annotator):
    client = client_for(annotator)
    assert client.get(reverse("admin:texts_document_delete", args=[corpus.pk])).status_code == 403
    assert client.post(reverse("admin:texts_document_delete", args=[corpus.pk]), {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=corpus.pk).exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.post(reverse("admin:annotations_publication_publish")).status_code == 403
    changelist = client.get(reverse("admin:texts_document_changelist"))
    assert changelist.status_code == 200
    assert b"publish_corpus" not in changelist.content
    response = client.post(
        reverse("admin:texts_document_changelist"), {"action": "publish_corpus", "_selected_action": [corpus.pk]}
    )
    assert response.status_code in (200, 302)  # the action is not offered: nothing happens
    assert not Publication.objects.exists()


def test_post_without_csrf_token_is_refused(corpus, annotator):
    client = client_for(annotator, csrf=True)
    paragraph, words, _ = free_words(corpus)
    before = Mention.objects.count()
    response = client.post(
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]),
        {"action": "add", "add-surface": words, "add-kind": "org", "add-new_entity": words},
    )
    assert response.status_code == 403
    assert Mention.objects.count() == before
    page = client.get(reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]),
        {
            "csrfmiddlewaretoken": token,
            "action": "add",
            "add-surface": words,
            "add-kind": "org",
            "add-new_entity": words,
        },
    )
    assert response.status_code == 302
    assert Mention.objects.count() == before + 1


# --------------------------------------------------------------------------- editors


def test_editor_manages_annotators_but_cannot_make_a_superuser(corpus, editor):
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = client_for(editor)
    users = client.get(reverse("admin:auth_user_changelist"))
    assert users.status_code == 200 and b"root" not in users.content
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (302, 404)
    anna = make_user("anna")
    page = client.get(reverse("admin:auth_user_change", args=[anna.pk]))
    assert b'name="is_superuser"' not in page.content
    assert b'name="groups"' in page.content


def test_reader_pages_link_logged_in_annotators_to_the_annotate_view(corpus, annotator):
    paragraph = corpus.paragraphs.order_by("position").first()
    anonymous = Client().get(paragraph.get_absolute_url()).content.decode()
    assert "Annotate this paragraph" not in anonymous
    page = client_for(annotator).get(paragraph.get_absolute_url()).content.decode()
    assert f'href="{reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])}">Annotate this paragraph' in page
    document = client_for(annotator).get(corpus.get_absolute_url()).content.decode()
    assert reverse("admin:texts_document_annotate", args=[corpus.pk]) in document
