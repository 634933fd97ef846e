"""Control characters in an annotator's register entries are refused where they are typed, naming the
field; one already in the database (stored before) never breaks /register.xml, the work ZIP or export."""

from __future__ import annotations

import logging
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reader.entities.models import Entity, EntityName, one_line, text_block
from reader.tei.xml import bad_character, parse_bytes
from annotating import client_for, form_values, free_words

BAD = ["\x07", "\x00", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff", "\ud800"]


@pytest.mark.parametrize("char", BAD)
def test_one_line_values_refuse_every_control_character(char):
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X} at character 4"):
        one_line(f"Bad{char}name")


def test_notes_keep_tabs_and_line_breaks_but_not_what_xml_cannot_hold():
    text_block("First line\n\tsecond\r\nthird")
    with pytest.raises(ValidationError):
        text_block("bell\x07")
    with pytest.raises(ValidationError):
        one_line("two\nlines")
    assert bad_character("Rīga – ١٩٤٠ 🙂") is None


def entity_form(client, entity, **changes):
    page = client.get(reverse("admin:entities_entity_change", args=[entity.pk]))
    return form_values(page.content.decode(), "//form[@id='entity_form']", changes)


def test_the_entity_form_names_the_field_and_saves_nothing(corpus, annotator):
    client = client_for(annotator)
    entity = Entity.objects.get(xml_id="per-vilis-samsons")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    for field, value in [("name", "Vilis\x07Samsons"), ("note", "A note\x0bwith a vertical tab")]:
        response = client.post(url, entity_form(client, entity, **{field: value}))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == [field] and "control character" in errors[field][0]
    entity.refresh_from_db()
    assert (entity.name, entity.note) == ("Vilis Samsons", "")


def test_a_new_entry_named_on_the_annotate_page_is_refused_naming_the_field(corpus, annotator):
    paragraph, words, _ = free_words(corpus)
    before = Entity.objects.count()
    url = reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])
    data = {"action": "add", "add-surface": words, "add-occurrence": 1, "add-kind": "org", "add-new_entity": "=X\x07"}
    response = client_for(annotator).post(url, data)
    assert response.status_code == 400
    text = " ".join(str(m) for m in response.context["messages"])
    assert "new_entity" in text and "U+0007" in text
    assert Entity.objects.count() == before and not paragraph.mentions.filter(surface=words).exists()


def test_a_split_with_a_control_character_in_the_new_name_is_refused(corpus, annotator):
    oskalns = Entity.objects.get(xml_id="per-otomars-oskalns")
    chosen = oskalns.mentions.first()
    url = reverse("admin:entities_entity_split", args=[oskalns.pk])
    response = client_for(annotator).post(url, {"name": "Oškalns\x1b[31m", "mentions": [chosen.pk]})
    assert response.status_code == 400
    assert "control character" in response.context["form"].errors["name"][0]
    chosen.refresh_from_db()
    assert chosen.entity == oskalns


def test_a_save_by_any_other_path_is_refused_naming_the_field(corpus):
    entity = Entity.objects.get(xml_id="per-vilis-samsons")
    entity.name = "Vilis\x00Samsons"
    with pytest.raises(ValidationError, match="name"):
        entity.save()
    with pytest.raises(ValidationError, match="name"):
        EntityName(entity=entity, name="V.\ufffeS.").save()
    entity.refresh_from_db()
    assert entity.name == "Vilis Samsons"


def test_a_control_character_already_stored_does_not_break_exports(corpus, tei_dir, tmp_path, caplog):
    """Stored before this check (update() skips save): every export still answers, naming the entry."""
    Entity.objects.filter(xml_id="per-vilis-samsons").update(name="Vilis\x07Samsons")
    EntityName.objects.filter(entity__xml_id="per-vilis-samsons").update(name="V.\x01S.")
    client = Client()
    with caplog.at_level(logging.WARNING, logger="reader"):
        register = client.get("/register.xml")
        assert register.status_code == 200
        assert b"<persName>VilisSamsons</persName>" in register.content
        parse_bytes(register.content)
        archive = client.get(reverse("api:work-zip", args=[corpus.work.slug]))
        assert archive.status_code == 200
        with zipfile.ZipFile(BytesIO(archive.content)) as zipped:
            for name in zipped.namelist():
                if name.endswith(".xml"):
                    parse_bytes(zipped.read(name), name)
        call_command("export", "--dir", str(tmp_path / "out"), verbosity=0)
    assert b"VilisSamsons" in (tmp_path / "out" / "register.xml").read_bytes()
    assert "per-vilis-samsons" in caplog.text and "control characters" in caplog.text
