"""Publish: annotators' work written back to TEI, valid, and kept when recognition runs again."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from reader.annotations.models import EntityRedirect, Publication
from reader.annotations.publishing import PublishError, publish
from reader.entities.models import Entity
from reader.tei.validate import validate_file
from reader.tei.xml import NS, XML_ID, parse_file
from reader.texts.loader import CorpusLoader
from reader.texts.models import Mention
from annotating import (
    PARTISAN_SEED,
    client_for,
    recognise,
    suggestion,
    version_of,
    weakest_suggestion,
)

DOC = "soviet-partisans-in-latvia.xml"
MENTION_TAGS = [f"{{{NS['tei']}}}{t}" for t in ("persName", "placeName", "orgName", "date")]


def mentions_of(path: Path) -> set[tuple]:
    """(unit id, words, element, @ref, @resp) of every mention in a TEI file."""
    root = parse_file(path)
    found = set()
    for el in root.iter(*MENTION_TAGS):
        unit = next(a for a in el.iterancestors() if a.get(XML_ID))
        found.add((unit.get(XML_ID), "".join(el.itertext()), etree.QName(el).localname, el.get("ref"), el.get("resp")))
    return found


def register_ids(path: Path) -> set[str]:
    root = parse_file(path)
    return {el.get(XML_ID) for tag in ("person", "place", "org") for el in root.iter(f"{{{NS['tei']}}}{tag}")}


def annotate_like_a_new_annotator(client, document):
    """Reject the least certain suggestion, re-span a long one, split an entry off and merge it back.

    Chosen by rule rather than by name, so the test holds while recognition improves.
    Returns what the TEI diff must show.
    """
    url = lambda p: reverse("admin:texts_paragraph_annotate", args=[p.pk])  # noqa: E731
    names = document.mentions.filter(resp="#pipeline").exclude(kind="date").order_by("paragraph__position", "start")
    weakest = names.filter(cert__in=["low", "medium"]).first() or names.first()
    longest = max(names.exclude(surface=weakest.surface), key=lambda m: (len(m.surface.split()), -m.pk))
    respan = " ".join(longest.surface.split()[1:])  # drop its first word
    for wrong in (weakest, longest):
        page = client.get(url(wrong.paragraph)).content.decode()
        assert (
            client.post(
                url(wrong.paragraph), {"action": "reject", "mention": wrong.pk, "version": version_of(page, wrong.pk)}
            ).status_code
            == 302
        )
    assert (
        client.post(
            url(longest.paragraph),
            {
                "action": "add",
                "add-surface": respan,
                "add-kind": longest.kind,
                "add-start": longest.end - len(respan),
                "add-end": longest.end,
                "add-new_entity": respan,
            },
        ).status_code
        == 302
    )
    new_entry = Entity.objects.get(name=respan, resp="#annotator-anna")
    samsons = Entity.objects.get(xml_id="per-vilis-samsons")
    split_off = samsons.mentions.order_by("paragraph__position").last()
    assert (
        client.post(
            reverse("admin:entities_entity_split", args=[samsons.pk]),
            {"name": "V. Samsons", "mentions": [split_off.pk]},
        ).status_code
        == 302
    )
    duplicate = Entity.objects.get(name="V. Samsons")
    assert (
        client.post(
            reverse("admin:entities_entity_merge"), {"ids": f"{samsons.pk},{duplicate.pk}", "survivor": samsons.pk}
        ).status_code
        == 302
    )
    tag = {"person": "persName", "place": "placeName", "org": "orgName"}[longest.kind]
    return {
        "removed": {
            (weakest.paragraph.xml_id, weakest.surface),
            (longest.paragraph.xml_id, longest.surface),
            (split_off.paragraph.xml_id, split_off.surface),
        },
        "added": {
            (longest.paragraph.xml_id, respan, tag, f"register.xml#{new_entry.xml_id}", "#annotator-anna"),
            (
                split_off.paragraph.xml_id,
                split_off.surface,
                "persName",
                "register.xml#per-vilis-samsons",
                "#annotator-anna",
            ),
        },
        "rejected": {weakest.surface, longest.surface},
        "new_entry": new_entry.xml_id,
        "merged_id": duplicate.xml_id,
    }


def test_publish_round_trip_keeps_annotator_work_after_recognition_runs_again(
    corpus, annotator, editor, tei_dir, recognised_tei, django_capture_on_commit_callbacks
):
    work = annotate_like_a_new_annotator(client_for(annotator), corpus)
    response = client_for(editor).post(reverse("admin:annotations_publication_publish"), follow=True)
    assert response.status_code == 200
    publication = Publication.objects.get()
    assert set(publication.written_files) == {DOC, "register.xml"}
    assert publication.user == editor
    for name in (DOC, "register.xml"):
        assert validate_file(tei_dir / name) == []

    # The TEI diff shows exactly the annotator's changes.
    before, after = mentions_of(recognised_tei / DOC), mentions_of(tei_dir / DOC)
    assert {(m[0], m[1]) for m in before - after} == work["removed"]
    assert after - before == work["added"]
    declared = [el.get(XML_ID) for el in parse_file(tei_dir / DOC).iterfind(".//tei:titleStmt/tei:respStmt", NS)]
    assert "annotator-anna" in declared  # the @resp pointer resolves
    assert register_ids(tei_dir / "register.xml") ^ register_ids(recognised_tei / "register.xml") == {work["new_entry"]}

    # A database built from the published files gets the merge's redirect back.
    EntityRedirect.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert CorpusLoader(tei_dir, force=True).run().failed == []
    assert EntityRedirect.objects.get(old_xml_id=work["merged_id"]).entity.xml_id == "per-vilis-samsons"

    # Recognition runs again over the published TEI: every decision stays.
    recognise(tei_dir, [PARTISAN_SEED])
    rerun = mentions_of(tei_dir / DOC)
    assert work["added"] <= rerun
    assert not {(m[0], m[1]) for m in rerun if m[4] == "#pipeline"} & {
        (unit, words) for unit, words in work["removed"] if words in work["rejected"]
    }  # never suggested again
    assert not any(m[3] == f"register.xml#{work['merged_id']}" for m in rerun)
    assert work["merged_id"] not in register_ids(tei_dir / "register.xml")
    assert work["new_entry"] in register_ids(tei_dir / "register.xml")
    assert validate_file(tei_dir / DOC) == []

    # ... and loads back into the database (nothing was left unexported).
    report = CorpusLoader(tei_dir).run()
    assert report.failed == []
    for unit, words, _tag, ref, resp in work["added"]:
        assert Mention.objects.filter(
            paragraph__xml_id=unit, surface=words, resp=resp, entity__xml_id=ref.split("#")[1]
        ).exists()
    assert EntityRedirect.objects.get(old_xml_id=work["merged_id"]).entity.xml_id == "per-vilis-samsons"


def test_export_command_writes_the_rejections_too(corpus, annotator, tei_dir):
    target = weakest_suggestion(corpus)
    tag = {"person": "persName", "place": "placeName", "org": "orgName"}[target.kind]
    url = reverse("admin:texts_paragraph_annotate", args=[target.paragraph_id])
    client = client_for(annotator)
    page = client.get(url).content.decode()
    client.post(url, {"action": "reject", "mention": target.pk, "version": version_of(page, target.pk)})
    call_command("export", stdout=open("/dev/null", "w"))
    register = parse_file(tei_dir / "register.xml")
    notes = register.findall(".//tei:listAnnotation[@type='rejected']/tei:note[@resp='#annotator-anna']", NS)
    assert [(n.text, n.get("subtype"), n.get("target")) for n in notes] == [
        (target.surface, tag, f"soviet-partisans-in-latvia#{target.paragraph.xml_id}")
    ]


def test_invalid_tei_is_not_published_and_no_file_is_touched(corpus, editor, tei_dir):
    before = {p.name: p.read_bytes() for p in tei_dir.glob("*.xml")}
    date = suggestion(corpus, "date")
    Mention.objects.filter(pk=date.pk).update(when="the thirtieth of May", resp="#annotator-edith")
    with pytest.raises(PublishError, match="would not be valid against tei_all"):
        publish(editor)
    assert {p.name: p.read_bytes() for p in tei_dir.glob("*.xml")} == before
    assert not Publication.objects.exists()


def test_publishing_is_for_editors_only(corpus, annotator, editor, tei_dir):
    assert client_for(annotator).post(reverse("admin:annotations_publication_publish")).status_code == 403
    changelist = client_for(editor).get(reverse("admin:annotations_publication_changelist"))
    assert b"Publish the corpus to the TEI files" in changelist.content
    response = client_for(editor).post(
        reverse("admin:texts_document_changelist"), {"action": "publish_corpus", "_selected_action": [corpus.pk]}
    )
    assert response.status_code == 302
    assert Publication.objects.get().user == editor
