"""Issue 17, "one owner for shared state", where the database is written: load, annotators' saves, publish.

A load racing an annotator's posts runs on PostgreSQL with real threads (each its
own connection); SQLite admits one writer at a time, so the race cannot happen there.
The publish test runs on both.
"""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from annotating import client_for, ensure_roles, make_user, suggestion
from reader.annotations import editing
from reader.annotations.publishing import publish
from reader.entities.models import Entity
from reader.texts.loader import CorpusLoader
from reader.texts.models import Document, Mention
from test_nothing_lost_state import VALMORA, dangling_refs, register_ids

WAIT = 120
SLUG = "soviet-partisans-in-latvia"
RETRY = "the document was reloaded from its TEI file while you were editing it"


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite admits one writer at a time: a load cannot race a save there (run with DATABASE_URL)")


def touch(tei_dir, document, note: str) -> None:
    """Change the document's TEI file on disk (its bytes), as a new ingest of it would."""
    path = tei_dir / document.file.path
    path.write_bytes(path.read_bytes() + f"<!-- {note} -->\n".encode())


def spans(pks) -> dict[int, tuple[str, int, int]]:
    return {
        m.pk: (m.paragraph.xml_id, m.start, m.end)
        for m in Mention.objects.filter(pk__in=pks).select_related("paragraph")
    }


def accepted_by(user_resp: str, span: tuple[str, int, int]) -> bool:
    xml_id, start, end = span
    return Mention.objects.filter(
        document__slug=SLUG, paragraph__xml_id=xml_id, start=start, end=end, resp=user_resp
    ).exists()


def in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            results[key] = exc
        finally:
            connection.close()  # this thread's connection, so that the test database can be flushed

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_annotators_save_during_a_load_lands_or_is_told_to_retry(tei_dir, transactional_db, monkeypatch):
    postgresql_only()
    ensure_roles()
    anna = make_user("anna")
    assert CorpusLoader(tei_dir).run().failed == []
    document = Document.objects.get(slug=SLUG)
    client = client_for(anna)
    url = reverse("admin:texts_document_annotate", args=[document.pk])

    # 1. The load holds the file's transaction open; the accept posted meanwhile waits, then hears "retry".
    pk = suggestion(document).pk
    span = spans([pk])[pk]
    inside, original = threading.Event(), CorpusLoader.save_document

    def slow_save(self, *args, **kwargs):
        summary = original(self, *args, **kwargs)
        inside.set()
        time.sleep(1.0)  # the old mentions are deleted but not yet committed
        return summary

    monkeypatch.setattr(CorpusLoader, "save_document", slow_save)
    touch(tei_dir, document, "revised once")
    results: dict = {}
    loader = in_thread(lambda: CorpusLoader(tei_dir).run(), results, "load")
    assert inside.wait(WAIT)
    answer = client.post(url, {"action": "accept", "mention": pk})
    loader.join(WAIT)
    monkeypatch.undo()
    assert results["load"].failed == [] and document.file.path in results["load"].loaded
    assert answer.status_code == 409 and RETRY in answer.content.decode()
    assert not accepted_by("#annotator-anna", span)  # told to retry, and indeed not saved

    # 2. A free race: accepts one after another while the file is loaded again.
    pks = list(document.mentions.filter(resp="#pipeline").order_by("pk").values_list("pk", flat=True)[:30])
    where = spans(pks)
    touch(tei_dir, document, "revised twice")
    start = threading.Barrier(2)
    answers: dict[int, tuple[int, str]] = {}

    def accept_all():
        start.wait(WAIT)
        own = client_for(anna)
        for mention in pks:
            response = own.post(url, {"action": "accept", "mention": mention})
            answers[mention] = (response.status_code, response.content.decode())

    def load():
        start.wait(WAIT)
        return CorpusLoader(tei_dir).run()

    threads = [in_thread(accept_all, results, "accept"), in_thread(load, results, "load")]
    for thread in threads:
        thread.join(WAIT)
    assert not isinstance(results.get("accept"), BaseException), results.get("accept")
    report = results["load"]
    assert not isinstance(report, BaseException), report
    assert len(answers) == len(pks)
    saved = [pk for pk, (status, _) in answers.items() if status == 302]
    retry = [pk for pk, (status, text) in answers.items() if status == 409 and RETRY in text]
    assert sorted(saved + retry) == sorted(pks), {pk: a[0] for pk, a in answers.items()}  # no 500, no other answer
    for pk in saved:  # every save answered OK is in the database, whatever the load did
        assert accepted_by("#annotator-anna", where[pk]), where[pk]
    if saved:  # an annotator's work reached the database first: load left the file alone
        assert document.file.path in dict(report.failed)
    else:
        assert document.file.path in report.loaded


def test_new_register_entries_made_during_a_load_of_register_and_document_never_deadlock(tei_dir, transactional_db):
    postgresql_only()
    ensure_roles()
    anna = make_user("anna")
    assert CorpusLoader(tei_dir).run().failed == []
    document = Document.objects.get(slug=SLUG)
    names = document.mentions.filter(resp="#pipeline").exclude(kind="date").order_by("pk")[:15]
    todo = [(m.pk, editing.mention_version(m), m.kind, m.paragraph.xml_id, m.start) for m in names]
    touch(tei_dir, document, "revised")
    register = tei_dir / "register.xml"
    register.write_bytes(register.read_bytes() + b"<!-- revised -->\n")
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def relink_all():  # each change makes a register entry: locks the register's row, then the document's
        start.wait(WAIT)
        for k, (pk, version, kind, *_) in enumerate(todo):
            values = editing.MentionValues(kind=kind, new_entity_name=f"Racer Number {k}")
            try:
                editing.change_mention(anna, pk, version, values)
                outcomes[pk] = "saved"
            except editing.EditConflict as exc:
                outcomes[pk] = "retry" if RETRY in str(exc) else str(exc)

    def load():
        start.wait(WAIT)
        return CorpusLoader(tei_dir).run()

    results: dict = {}
    threads = [in_thread(relink_all, results, "relink"), in_thread(load, results, "load")]
    for thread in threads:
        thread.join(WAIT)
    for key in ("relink", "load"):  # a deadlock would surface here as PostgreSQL's OperationalError
        assert not isinstance(results.get(key), BaseException), results.get(key)
    assert set(outcomes.values()) <= {"saved", "retry"}, outcomes
    assert len(outcomes) == len(todo)
    for k, (pk, _version, _kind, xml_id, start_at) in enumerate(todo):
        if outcomes[pk] == "saved":  # it is in the database, linked to the entry it made
            assert Mention.objects.filter(
                document__slug=SLUG, paragraph__xml_id=xml_id, start=start_at, entity__name=f"Racer Number {k}"
            ).exists()
    if "saved" in outcomes.values():  # the load refused what held a save: the register, or (saved after
        # the register was loaded) the document; which one depends on the interleaving
        assert {"register.xml", f"{SLUG}.xml"} & set(dict(results["load"].failed))


@pytest.mark.parametrize("write_back", ["publish", "export"])
def test_publish_after_a_failed_load_keeps_every_register_entry_it_did_not_delete(
    corpus, tei_dir, annotator, editor, tmp_path, write_back
):
    # An annotator's unpublished change to the register: a mention linked to a new entry.
    mention = suggestion(corpus, "person")
    values = editing.MentionValues(kind=mention.kind, new_entity_name="Anna Testperson")
    mine = editing.change_mention(annotator, mention.pk, editing.mention_version(mention), values).entity.xml_id
    # Ingest adds a text and its new entries to register.xml; the load of the register then fails.
    source = tmp_path / "valmora.txt"
    source.write_text(VALMORA, encoding="utf-8")
    before = register_ids(tei_dir / "register.xml")
    call_command("ingest", str(source), "--out", str(tei_dir), "--jobs", "1", stdout=StringIO(), stderr=StringIO())
    added = register_ids(tei_dir / "register.xml") - before
    assert added, "ingest added no register entry"
    report = CorpusLoader(tei_dir).run()
    assert "register.xml" in dict(report.failed)  # the annotator's work is not overwritten
    assert Mention.objects.filter(document__slug="the-harbour-strike-of-valmora", entity__isnull=True).exists()

    if write_back == "publish":
        publish(editor)
    else:
        call_command("export", stdout=StringIO())

    assert dangling_refs(tei_dir) == {}  # every @ref of every TEI file resolves
    assert register_ids(tei_dir / "register.xml") >= added | {mine}
    # The next load brings the kept entries into the database and links the mentions that named them.
    assert CorpusLoader(tei_dir).run().failed == []
    assert set(Entity.objects.values_list("xml_id", flat=True)) >= added | {mine}
    assert not Mention.objects.filter(entity__isnull=True).exclude(ref="").exists()


def test_publish_does_not_bring_back_an_entry_an_annotator_deleted(corpus, tei_dir, annotator, editor):
    unused = Entity.objects.filter(mentions__isnull=True).order_by("xml_id").first()
    assert unused is not None, "the register has no entry without mentions"
    editing.delete_entities(annotator, [unused])

    publish(editor)

    assert unused.xml_id not in register_ids(tei_dir / "register.xml")


def test_a_stale_post_after_a_load_is_told_the_document_was_reloaded(corpus, tei_dir, annotator):
    mention = suggestion(corpus)
    paragraph, version = mention.paragraph, editing.mention_version(mention)
    touch(tei_dir, corpus, "revised")
    assert CorpusLoader(tei_dir).run().loaded == [corpus.file.path]  # the mention rows are replaced
    client = client_for(annotator)

    one = client.post(
        reverse("admin:texts_paragraph_annotate", args=[paragraph.pk]),
        {"action": "accept", "mention": mention.pk, "version": version},
    )
    many = client.post(
        reverse("admin:texts_document_annotate", args=[corpus.pk]), {"action": "accept", "mention": mention.pk}
    )

    for answer in (one, many):  # not a 500 (PostgreSQL), not a silent redirect
        assert answer.status_code == 409 and RETRY in answer.content.decode()
