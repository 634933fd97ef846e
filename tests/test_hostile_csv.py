"""CSV exports never hand a spreadsheet a formula (OWASP CSV injection): a cell beginning with
= + - @ tab or CR gets a leading ' ; read back, every other cell is exactly what the database holds."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from reader.csvcells import neutralise, write_csv
from reader.entities.models import AuthorityId, Entity, EntityName

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_cells_get_a_leading_quote(value):
    assert neutralise(value) == "'" + value


def test_other_cells_are_left_alone():
    for value in ["Rīga", "Vilis Samsons", "a=b", " =x", "", "'quoted", "1942-05-30"]:
        assert neutralise(value) == value
    assert neutralise(-5) == -5 and neutralise(None) is None
    text = write_csv(["a", "b"], [["=1", 2]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["'=1", "2"]]


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_register_and_mentions_csv_neutralise_entity_names(corpus):
    entity = corpus.mentions.exclude(entity=None).order_by("pk").first().entity
    Entity.objects.filter(pk=entity.pk).update(name=HOSTILE[0], resp="@resp")
    EntityName.objects.filter(entity=entity).delete()
    EntityName.objects.create(entity=entity, name="-variant", position=0)
    AuthorityId.objects.filter(entity=entity).delete()
    client = Client()
    register = {row["id"]: row for row in read_csv(client.get(reverse("api:register-csv")))}
    row = register[entity.xml_id]
    assert row["name"] == "'" + HOSTILE[0] and row["other_names"] == "'-variant" and row["resp"] == "'@resp"
    mentions = read_csv(client.get(reverse("api:mentions-csv", args=[corpus.slug])))
    names = {r["entity_name"] for r in mentions if r["entity"] == entity.xml_id}
    assert names == {"'" + HOSTILE[0]}
    unchanged = [r for r in register.values() if r["id"] != entity.xml_id]
    assert unchanged and all(not r["name"].startswith("'") for r in unchanged)
