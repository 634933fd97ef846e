"""A correction once, for every witness (issue 21 item 4): an annotator's accept, reject, retype or relink of a
mention reaches the same mention at the aligned place of the work's other witnesses, as one undoable correction,
and a work's review queue counts each place once. Material: the opening of Darwin's Origin, chapter I, in its
six editions (tests/data/origin-ch1/), ingested with recognition, collated and loaded."""

from __future__ import annotations

import html
import re
import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from annotating import client_for, ensure_roles, form_values, make_user
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from lxml import html as lxml_html
from test_nothing_lost_state_db import WAIT, in_thread, postgresql_only

from reader.annotations import editing, witnesses
from reader.annotations.models import Correction, RejectedSuggestion
from reader.entities.models import Entity
from reader.texts.models import CorpusFile, Document, Mention, PassageMember

ORIGIN = Path(__file__).resolve().parent / "data" / "origin-ch1"
YEARS = ("1859", "1860", "1861", "1866", "1869", "1872")
#: Paragraphs taken from each edition: the 1869 and 1872 editions split the opening into more paragraphs.
OPENING = {"1859": 4, "1860": 4, "1861": 4, "1866": 4, "1869": 7, "1872": 7}


@pytest.fixture(scope="session")
def origin_recognised(tmp_path_factory) -> Path:
    """The opening of the six editions ingested with entity recognition and their metadata, and collated."""
    src = tmp_path_factory.mktemp("origin-src")
    for year, count in OPENING.items():
        paragraphs = (ORIGIN / f"origin-ch1-{year}.txt").read_text(encoding="utf-8").split("\n\n")[:count]
        (src / f"origin-ch1-{year}.txt").write_text("\n\n".join(paragraphs).rstrip("\n") + "\n", encoding="utf-8")
    shutil.copy(ORIGIN / "witnesses.csv", src / "witnesses.csv")
    out = tmp_path_factory.mktemp("origin") / "tei"
    paths = [str(p) for p in sorted(src.glob("*.txt"))]
    call_command("ingest", "--meta", str(src / "witnesses.csv"), "--out", str(out), *paths, stdout=StringIO())
    call_command("collate", "--tei-dir", str(out), stdout=StringIO(), stderr=StringIO())
    return out


@pytest.fixture
def origin(origin_recognised, tmp_path, settings, db):
    """A private copy of the recognised editions, loaded."""
    copy = tmp_path / "tei"
    shutil.copytree(origin_recognised, copy)
    settings.CORPUS_TEI_DIR = copy
    call_command("load", "--dir", str(copy), stdout=StringIO())
    return copy


# Suggestions are chosen by rule, not by name, so that the tests hold while recognition improves.


def in_first_edition(kind: str | None = None) -> list[Mention]:
    """The pipeline's suggestions in the 1859 edition, in reading order."""
    first = Document.objects.in_witness_order().first()
    found = (
        first.mentions.filter(resp="#pipeline")
        .select_related("paragraph__document")
        .order_by("paragraph__position", "start")
    )
    return list(found.filter(kind=kind) if kind else found.exclude(kind="date"))


def spread_suggestion(kind: str | None = None, partial: bool = False) -> tuple[Mention, list[Mention]]:
    """A suggestion of the 1859 edition found in at least two other witnesses (with ``partial``: not in all)."""
    witnesses_of_work = Document.objects.count()
    for mention in in_first_edition(kind):
        others = witnesses.counterparts(mention)
        if len(others) >= 2 and (not partial or len(others) < witnesses_of_work - 1):
            return mention, others
    raise AssertionError("no suggestion of 1859 recurs at the aligned place of two other editions")


def snapshot(exclude=()) -> dict:
    """Every mention's state but those of ``exclude`` (pks)."""
    rows = Mention.objects.exclude(pk__in=list(exclude)).order_by("pk")
    return {m.pk: editing.mention_version(m) for m in rows}


def page_url(paragraph) -> str:
    return reverse("admin:texts_paragraph_annotate", args=[paragraph.pk])


def submit(client, mention: Mention, form_class: str, values: dict | None = None, untick=()):
    """Post the paragraph page's form of ``mention`` as a browser would, to the form's own action."""
    page = client.get(page_url(mention.paragraph)).content.decode()
    xpath = f"//tr[@id='m-{mention.pk}']//form[@class='{form_class}']"
    form = lxml_html.fromstring(page).xpath(xpath)[0]
    data = form_values(page, xpath, values)
    ticked = data.get("also", [])
    ticked = [ticked] if isinstance(ticked, str) else ticked
    data["also"] = [pk for pk in ticked if int(pk) not in set(untick)]
    return client.post(form.get("action") or page_url(mention.paragraph), data)


def also_in(page: str, mention: Mention) -> list[tuple[str, bool]]:
    """(label, ticked) of the "Also in" checkboxes of the mention's accept/reject form."""
    boxes = lxml_html.fromstring(page).xpath(
        f"//tr[@id='m-{mention.pk}']//form[@class='mention-buttons']//fieldset[@class='also-in']//label"
    )
    return [(" ".join(b.text_content().split()), b.xpath("input")[0].checked) for b in boxes]


def test_the_annotate_page_lists_the_same_mention_in_the_other_witnesses_ticked(origin, annotator):
    mention, others = spread_suggestion()
    page = client_for(annotator).get(page_url(mention.paragraph)).content.decode()
    labels = [f"{o.paragraph.document.label} {o.paragraph.label}" for o in others]
    assert also_in(page, mention) == [(label, True) for label in labels]
    for other in others:  # the same words, the same kind, at an aligned paragraph
        assert (other.surface.casefold(), other.kind) == (mention.surface.casefold(), mention.kind)
        assert PassageMember.objects.filter(
            paragraph=other.paragraph, passage__members__paragraph=mention.paragraph, passage__kind="witness"
        ).exists()


def test_a_reject_reaches_every_witness_with_the_words_and_one_undo_restores_them_all(origin, annotator):
    mention, others = spread_suggestion(partial=True)
    group = [mention, *others]
    untouched = snapshot(exclude=[m.pk for m in group])
    register_before = CorpusFile.objects.get(kind="register").skeleton
    client = client_for(annotator)

    response = submit(client, mention, "mention-buttons", {"action": "reject"})
    assert response.status_code == 302
    assert not Mention.objects.filter(pk__in=[m.pk for m in group]).exists()
    scopes = {r.scope for r in RejectedSuggestion.objects.all()}
    assert scopes == {f"{m.paragraph.document.slug}#{m.paragraph.xml_id}" for m in group}
    assert snapshot(exclude=[m.pk for m in group]) == untouched  # the witnesses without the words: nothing
    correction = Correction.objects.get()
    assert correction.mention_count == len(group) and correction.user == annotator
    deleted = Mention.history.filter(history_type="-", history_change_reason=correction.tag)
    assert set(deleted.values_list("id", flat=True)) == {m.pk for m in group}

    undo = reverse("admin:annotations_correction_undo", args=[correction.pk])
    assert client.post(undo).status_code == 302
    assert snapshot() == {**untouched, **{m.pk: editing.mention_version(m) for m in group}}
    assert RejectedSuggestion.objects.count() == 0
    assert CorpusFile.objects.get(kind="register").skeleton == register_before
    correction.refresh_from_db()
    assert correction.undone is not None and correction.undone_by == annotator
    assert client.post(undo).status_code == 302 and Correction.objects.get().undone == correction.undone  # once


def test_an_unticked_witness_keeps_its_suggestion(origin, annotator):
    mention, others = spread_suggestion()
    kept = others[-1]
    submit(client_for(annotator), mention, "mention-buttons", {"action": "accept"}, untick=[kept.pk])
    assert {m.resp for m in Mention.objects.filter(pk__in=[mention.pk, *(o.pk for o in others[:-1])])} == {
        "#annotator-anna"
    }
    kept_now = Mention.objects.get(pk=kept.pk)
    assert editing.mention_version(kept_now) == editing.mention_version(kept)


def test_a_retype_with_a_new_entry_reaches_every_witness_and_is_undone_as_one(origin, annotator):
    mention, others = spread_suggestion()
    group = [mention, *others]
    new_kind = "place" if mention.kind != "place" else "org"
    before = {m.pk: editing.mention_version(m) for m in group}
    values = {f"m{mention.pk}-kind": new_kind, f"m{mention.pk}-entity": "", f"m{mention.pk}-new_entity": "Retyped"}
    response = submit(client_for(annotator), mention, "mention-form", values)
    assert response.status_code == 302
    changed = Mention.objects.filter(pk__in=before)
    (entity,) = Entity.objects.filter(name="Retyped")  # made once, for every witness
    assert {(m.kind, m.entity_id, m.ref, m.resp, m.cert) for m in changed} == {
        (new_kind, entity.pk, entity.xml_id, "#annotator-anna", "")
    }
    correction = Correction.objects.get()
    witnesses.undo(annotator, correction.pk)
    assert {m.pk: editing.mention_version(m) for m in Mention.objects.filter(pk__in=before)} == before


def test_a_relink_reaches_every_witness(origin, annotator):
    mention, others = spread_suggestion("person")
    target = Entity.objects.filter(kind="person").exclude(pk=mention.entity_id).order_by("xml_id").first()
    values = {f"m{mention.pk}-entity": f"{target.name} ({target.xml_id})"}
    response = submit(client_for(annotator), mention, "mention-form", values)
    assert response.status_code == 302
    relinked = Mention.objects.filter(pk__in=[mention.pk, *(o.pk for o in others)])
    assert {(m.kind, m.entity_id, m.resp) for m in relinked} == {("person", target.pk, "#annotator-anna")}
    assert Mention.history.filter(history_change_reason=Correction.objects.get().tag).count() == len(others) + 1


def test_a_place_changed_meanwhile_is_refused_and_nothing_is_saved(origin, annotator, editor):
    mention, others = spread_suggestion()
    client = client_for(annotator)
    page = client.get(page_url(mention.paragraph)).content.decode()
    xpath = f"//tr[@id='m-{mention.pk}']//form[@class='mention-buttons']"
    data = form_values(page, xpath, {"action": "reject"})
    editing.delete_mentions(editor, [others[0].pk])  # edith removes one of them first
    state = snapshot()
    response = client.post(lxml_html.fromstring(page).xpath(xpath)[0].get("action"), data, follow=True)
    assert "no longer hold" in response.content.decode()
    assert snapshot() == state and Correction.objects.count() == 0


def test_an_undo_after_a_later_change_is_refused(origin, annotator, editor):
    mention, others = spread_suggestion()
    correction = witnesses.correct(annotator, "accept", mention.pk, None, [o.pk for o in others])
    editing.delete_mentions(editor, [others[0].pk])
    state = snapshot()
    with pytest.raises(editing.EditConflict, match="edith changed"):
        witnesses.undo(annotator, correction.pk)
    assert snapshot() == state


def test_the_work_queue_counts_each_place_once_and_rejects_a_place_in_every_witness(origin, annotator):
    mention, others = spread_suggestion()
    pending = Mention.objects.filter(resp="#pipeline").count()
    work = mention.document.work
    client = client_for(annotator)
    url = reverse("admin:annotations_correction_work", args=[work.pk])
    page = lxml_html.fromstring(client.get(url).content.decode())
    rows = page.xpath("//tr[@class='work-place']")
    listed = [len(row.xpath("td[last()]/a")) for row in rows]
    assert sum(listed) == pending and len(rows) < pending  # every suggestion once, places fewer
    (row,) = [r for r in rows if r.xpath(f".//input[@value='{mention.pk}']")]
    assert len(row.xpath("td[last()]/a")) == len(others) + 1
    assert f"{len(rows)} places to review ({pending} pending suggestions" in page.text_content()
    response = client.post(url, {"action": "reject", "place": [mention.pk]})
    assert response.status_code == 302
    assert not Mention.objects.filter(pk__in=[mention.pk, *(o.pk for o in others)]).exists()
    assert Mention.objects.filter(resp="#pipeline").count() == pending - len(others) - 1


def repeated_unmarked_word() -> tuple[object, object, str]:
    """(1859 paragraph, an aligned paragraph of another edition, a capitalised word): the word unmarked and
    twice or more in both, as whole words."""
    for paragraph in Document.objects.in_witness_order().first().paragraphs.order_by("position"):
        aligned = [
            m.paragraph
            for m in PassageMember.objects.filter(passage__members__paragraph=paragraph, passage__kind="witness")
            .exclude(paragraph__document=paragraph.document)
            .select_related("paragraph")
        ]
        for word in sorted(set(re.findall(r"\b[A-Z][a-z]{3,}\b", paragraph.text))):
            for other in aligned:
                counts = [len(witnesses.occurrences(p.text, word)) for p in (paragraph, other)]
                marked = Mention.objects.filter(paragraph__in=[paragraph, other], surface__icontains=word).exists()
                if min(counts) >= 2 and not marked:
                    return paragraph, other, word
    raise AssertionError("no capitalised word twice in two aligned paragraphs")


def test_the_same_words_twice_pair_by_order_of_occurrence(origin, annotator):
    paragraph, other, word = repeated_unmarked_word()

    def mark(p, n):
        start = witnesses.occurrences(p.text, word)[n]
        values = editing.MentionValues(kind="place", new_entity_name=f"{word} {p.pk} {n}")
        return editing.add_mention(annotator, p, start, start + len(word), values)

    second_here = mark(paragraph, 1)
    first_there, second_there = mark(other, 0), mark(other, 1)
    assert witnesses.counterparts(second_here) == [second_there]
    assert witnesses.counterparts(first_there) == []  # 1859's first occurrence is not marked: nothing invented


def test_a_documents_review_page_leads_to_its_works_queue(origin, annotator):
    document = Document.objects.in_witness_order().first()
    page = client_for(annotator).get(reverse("admin:texts_document_annotate", args=[document.pk])).content.decode()
    (link,) = lxml_html.fromstring(page).xpath("//a[@id='work-queue']")
    assert link.get("href") == reverse("admin:annotations_correction_work", args=[document.work_id])
    assert client_for(annotator).get(link.get("href")).status_code == 200


def test_two_annotators_correcting_one_place_at_once_never_deadlock_nor_half_save(origin, transactional_db):
    """On PostgreSQL with real threads: anna rejects a place from 1859 while bob accepts it from another edition."""
    postgresql_only()
    ensure_roles()
    anna, bob = make_user("anna"), make_user("bob")
    mention, others = spread_suggestion()
    group = [mention, *others]
    start = threading.Barrier(2)

    def by(user, first, rest, action):
        def run():
            start.wait(WAIT)
            return witnesses.correct(user, action, first.pk, editing.mention_version(first), [m.pk for m in rest])

        return run

    results: dict = {}
    threads = [
        in_thread(by(anna, mention, others, "reject"), results, "anna"),
        in_thread(by(bob, others[0], [mention, *others[1:]], "accept"), results, "bob"),
    ]
    for thread in threads:
        thread.join(WAIT)
    won = [k for k, v in results.items() if isinstance(v, Correction)]
    lost = [k for k, v in results.items() if isinstance(v, editing.EditConflict)]
    assert len(won) == 1 and len(lost) == 1, results  # a deadlock would be an OperationalError here
    left = Mention.objects.filter(pk__in=[m.pk for m in group])
    if won == ["anna"]:
        assert not left.exists()
    else:
        assert {m.resp for m in left} == {"#annotator-bob"} and left.count() == len(group)
    assert Correction.objects.count() == 1
    connection.close()


def test_bad_input_to_the_correction_pages_is_named_and_changes_nothing(origin, annotator):
    mention, others = spread_suggestion()
    client = client_for(annotator)
    apply = reverse("admin:annotations_correction_apply", args=[mention.paragraph_id])
    state = snapshot()
    version = editing.mention_version(mention)
    response = client.post(apply, {"action": "reject", "mention": mention.pk, "version": version, "also": "²"})
    assert response.status_code == 400 and "'also'" in response.content.decode()
    response = client.post(apply, {"action": "reject", "mention": mention.pk, "also": others[0].pk}, follow=True)
    assert "did not say which version" in response.content.decode()
    response = client.post(apply, {"action": "delete", "mention": mention.pk, "version": version}, follow=True)
    assert "Unknown action 'delete'" in html.unescape(response.content.decode())
    work_url = reverse("admin:annotations_correction_work", args=[mention.document.work_id])
    response = client.post(work_url, {"action": "reject", "place": str(2**40)})
    assert response.status_code == 400 and "'place'" in response.content.decode()
    assert client.post(work_url, {"action": "reject"}).status_code == 400
    assert snapshot() == state and Correction.objects.count() == 0


def test_a_visitor_without_the_annotator_role_cannot_correct(origin, django_user_model):
    mention, others = spread_suggestion()
    stranger = django_user_model.objects.create_user("stranger", password="x", is_staff=True)
    apply = reverse("admin:annotations_correction_apply", args=[mention.paragraph_id])
    data = {"action": "reject", "mention": mention.pk, "version": editing.mention_version(mention), "also": []}
    assert client_for(stranger).post(apply, data).status_code == 403
    assert Mention.objects.filter(pk=mention.pk, resp="#pipeline").exists()


def test_a_bulk_reject_on_a_documents_review_page_reaches_the_other_witnesses_and_undoes_as_one(origin, annotator):
    mention, others = spread_suggestion()
    second = next(m for m in in_first_edition() if m.pk != mention.pk)
    group = [mention, *others, second, *(o for o in witnesses.counterparts(second) if o.resp == "#pipeline")]
    untouched = snapshot(exclude=[m.pk for m in group])
    before = {m.pk: editing.mention_version(m) for m in group}
    client = client_for(annotator)
    url = reverse("admin:texts_document_annotate", args=[mention.document_id])
    page = client.get(url).content.decode()
    data = form_values(page, "//form[@method='post'][.//input[@name='everywhere']]", {"action": "reject"})
    assert data["everywhere"] == "1"  # ticked by default
    data["mention"] = [mention.pk, second.pk]
    assert client.post(url, data).status_code == 302
    assert not Mention.objects.filter(pk__in=before).exists()
    assert snapshot(exclude=before) == untouched
    correction = Correction.objects.get()
    assert correction.mention_count == len(before)
    witnesses.undo(annotator, correction.pk)
    assert {m.pk: editing.mention_version(m) for m in Mention.objects.filter(pk__in=before)} == before


def test_a_bulk_reject_without_everywhere_stays_in_its_witness(origin, annotator):
    mention, others = spread_suggestion()
    client = client_for(annotator)
    url = reverse("admin:texts_document_annotate", args=[mention.document_id])
    assert client.post(url, {"action": "reject", "mention": [mention.pk]}).status_code == 302
    assert not Mention.objects.filter(pk=mention.pk).exists()
    assert Mention.objects.filter(pk__in=[o.pk for o in others], resp="#pipeline").count() == len(others)


def test_accept_all_of_a_paragraph_reaches_the_aligned_paragraphs(origin, annotator):
    mention, others = spread_suggestion()
    paragraph = mention.paragraph
    mine = list(paragraph.mentions.filter(resp="#pipeline"))
    theirs = {o.pk for m in mine for o in witnesses.counterparts(m) if o.resp == "#pipeline"}
    assert theirs >= {o.pk for o in others}
    client = client_for(annotator)
    page = client.get(page_url(paragraph)).content.decode()
    data = form_values(page, "//form[@class='inline-actions']", {"action": "accept_all"})
    assert data["everywhere"] == "1"
    untouched = snapshot(exclude=[*theirs, *(m.pk for m in mine)])
    assert client.post(page_url(paragraph), data).status_code == 302
    accepted = Mention.objects.filter(pk__in=[*theirs, *(m.pk for m in mine)])
    assert {m.resp for m in accepted} == {"#annotator-anna"}
    assert snapshot(exclude=[*theirs, *(m.pk for m in mine)]) == untouched


def test_the_corrections_list_offers_each_undo_as_a_form_button(origin, annotator):
    mention, others = spread_suggestion()
    correction = witnesses.correct(annotator, "accept", mention.pk, None, [o.pk for o in others])
    client = client_for(annotator)
    page = client.get(reverse("admin:annotations_correction_changelist")).content.decode()
    tree = lxml_html.fromstring(page)
    (button,) = tree.xpath("//button[@form='undo-form']")
    assert button.get("formaction") == reverse("admin:annotations_correction_undo", args=[correction.pk])
    assert tree.xpath("//form[@id='undo-form']//input[@name='csrfmiddlewaretoken']")
    assert mention.surface in html.unescape(page)
    assert client.post(button.get("formaction")).status_code == 302
    assert (
        Mention.objects.filter(pk__in=[mention.pk, *(o.pk for o in others)], resp="#pipeline").count()
        == len(others) + 1
    )
