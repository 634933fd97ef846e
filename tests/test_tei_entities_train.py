"""manage.py train: spaCy's recogniser updated on annotated TEI, reproducibly, and used by the stage."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reader.tei.entities import EntityStage, Register
from reader.tei.entities.train import train, training_examples

from test_tei_entities import tei_doc

BODY = (
    '<p xml:id="p1"><persName ref="register.xml#per-jaan-maide" resp="#annotator-anna">Jaan Maide</persName> '
    'commanded the <orgName ref="register.xml#org-estonian-defence-league" resp="#pipeline" cert="medium">'
    'Estonian Defence League</orgName> in <placeName ref="register.xml#pla-viljandi" resp="#pipeline" '
    'cert="low">Viljandi</placeName> from <date when="1940" resp="#pipeline" cert="high">1940</date>.</p>'
    '<p xml:id="p2" xml:lang="ru">Яков Едунов</p>'
)


def test_examples_are_the_english_units_with_their_mentions():
    examples = training_examples([tei_doc(BODY)])
    text = "Jaan Maide commanded the Estonian Defence League in Viljandi from 1940."
    assert examples == [(text, [(0, 10, "PERSON"), (25, 48, "ORG"), (52, 60, "GPE"), (66, 70, "DATE")])]


def model_digest(folder) -> str:
    return hashlib.sha256((folder / "ner" / "model").read_bytes()).hexdigest()


def test_training_is_reproducible_and_the_stage_uses_the_model(tmp_path):
    examples = training_examples([tei_doc(BODY)]) * 3
    first, second = tmp_path / "a", tmp_path / "b"
    figures = train(examples, first, seed=7, passes=2)
    train(examples, second, seed=7, passes=2)
    assert figures["examples"] == 3 and len(figures["losses"]) == 2
    assert model_digest(first) == model_digest(second)
    stage = EntityStage(Register.seed(), model_dir=first)
    assert stage.model_dir == str(first)
    root = tei_doc('<p xml:id="p1">Jaan Maide commanded the Estonian Defence League.</p>')
    stage(root, None)
    assert root.find(".//{*}orgName") is not None
    assert EntityStage(Register.seed(), model_dir=tmp_path / "missing").model_dir is None  # no model: the stock one


def test_train_command_refuses_without_a_folder(settings):
    settings.NER_MODEL_DIR = ""
    with pytest.raises(CommandError, match="no model folder"):
        call_command("train")


def test_train_command_takes_another_folder_of_annotated_tei_and_names_a_missing_one(tmp_path, settings):
    from io import StringIO

    corpus, extra = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    extra.mkdir()
    from lxml import etree

    (corpus / "a.xml").write_bytes(etree.tostring(tei_doc(BODY)))
    (extra / "b.xml").write_bytes(etree.tostring(tei_doc(BODY.replace("Jaan Maide", "Ants Kaljurand"))))
    settings.CORPUS_TEI_DIR = str(corpus)
    out = StringIO()
    call_command("train", "--out", str(tmp_path / "m"), "--passes", "1", "--tei-dir", str(extra), stdout=out)
    assert "trained on 2 units with 8 mentions from 2 documents (2 folder(s))" in out.getvalue()
    with pytest.raises(CommandError, match="no such folder: .*nowhere"):
        call_command("train", "--out", str(tmp_path / "m"), "--tei-dir", str(tmp_path / "nowhere"))
