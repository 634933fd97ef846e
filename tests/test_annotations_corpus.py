"""The annotators' fixture corpus itself (see ``annotating.py``)."""

from __future__ import annotations

from reader.entities.models import Entity


def test_recognised_corpus_loads_with_pipeline_suggestions(corpus):
    suggestions = corpus.mentions.filter(resp="#pipeline")
    assert suggestions.filter(kind="person").count() >= 5
    assert suggestions.filter(kind="place").count() >= 10
    assert Entity.objects.filter(xml_id="per-arturs-sprogis").exists()
    for found in suggestions.exclude(kind="date").select_related("entity"):
        assert found.entity is not None and found.entity.kind == found.kind
