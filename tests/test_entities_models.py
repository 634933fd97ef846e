"""The register models: entities, names, authority links, counts."""

import pytest

from reader.entities.models import AuthorityId, Entity, EntityName
from reader.texts.loader import CorpusLoader
from texts_tei import write_corpus

pytestmark = pytest.mark.django_db


def test_authority_urls_by_scheme():
    e = Entity.objects.create(xml_id="pla-x", kind="place", name="X")
    assert AuthorityId(entity=e, scheme="wikidata", value="Q211").url == "https://www.wikidata.org/wiki/Q211"
    assert AuthorityId(entity=e, scheme="GeoNames", value="458258").url == "https://www.geonames.org/458258"
    assert AuthorityId(entity=e, scheme="local", value="17").url is None
    assert AuthorityId(entity=e, scheme="viaf", value="https://viaf.org/viaf/1").url == "https://viaf.org/viaf/1"


def test_register_loads_names_ids_and_counts(tmp_path):
    CorpusLoader(write_corpus(tmp_path)).run()
    latvia = Entity.objects.register_prefetch().get(xml_id="pla-latvia")
    assert str(latvia) == "Latvia (pla-latvia)"
    assert [(n.name, n.lang) for n in latvia.names.all()] == [("Latvija", "lv")]
    assert [str(a) for a in latvia.authority_ids.all()] == ["wikidata:Q211", "geonames:458258"]
    assert latvia.get_absolute_url() == "/entities/pla-latvia/"
    counts = dict(Entity.objects.with_mention_counts().values_list("xml_id", "mention_count"))
    assert counts == {"per-sprogis": 1, "pla-latvia": 1, "org-army": 1}


def test_entity_history_is_recorded():
    e = Entity.objects.create(xml_id="per-a", kind="person", name="A")
    e.name = "B"
    e.save()
    assert [h.name for h in e.history.order_by("history_id")] == ["A", "B"]
    EntityName.objects.create(entity=e, name="Bee")
    assert e.names.get().history.count() == 1
