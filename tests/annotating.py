"""Fixtures and helpers for the annotator tests: the partisan article with recognised entities, loaded;
accounts; the values a browser would post.

The TEI is made once per session by ingesting seed 000 with the entity stage
(spaCy, register, date rules) into a temporary folder; each test gets its
own copy as ``settings.CORPUS_TEI_DIR`` and loads it into its database.
The fixtures reach every test module through ``pytest_plugins`` in
``conftest.py``; the helpers are imported from here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from lxml import html as lxml_html

from reader.texts.loader import CorpusLoader
from reader.texts.models import Document, Mention, Paragraph

ROOT = Path(__file__).resolve().parent.parent
PARTISAN_SEED = ROOT / "seeds" / "000_ff49942521f25971.txt"
PASSWORD = "correct horse battery staple 42"


def recognise(tei_dir: Path, seeds: list[Path]) -> None:
    """Run ingest with entity recognition over ``seeds`` into ``tei_dir``, as `manage.py ingest` does."""
    from reader.tei.entities import EntityStage
    from reader.tei.ingest import Ingester

    stage = EntityStage.from_register_file(tei_dir / "register.xml")
    results = Ingester(tei_dir, stages=[stage], today="2026-01-01").run(seeds)
    assert [r.error for r in results] == [None]
    stage.save_register(tei_dir / "register.xml")


@pytest.fixture(scope="session")
def recognised_tei(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("recognised") / "tei"
    out.mkdir()
    recognise(out, [PARTISAN_SEED])
    return out


@pytest.fixture
def tei_dir(recognised_tei, tmp_path, settings) -> Path:
    """A private copy of the recognised TEI, which is the corpus for this test."""
    copy = tmp_path / "tei"
    shutil.copytree(recognised_tei, copy)
    settings.CORPUS_TEI_DIR = copy
    return copy


@pytest.fixture
def corpus(tei_dir, db):
    """The copy loaded into the database."""
    report = CorpusLoader(tei_dir).run()
    assert report.failed == []
    return Document.objects.get(slug="soviet-partisans-in-latvia")


def ensure_roles() -> None:
    """The Annotator and Editor groups as the migrations make them (a transactional test's flush empties
    the groups table, and restoring it by serialized rollback clashes with the content types)."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    roles = import_module("reader.annotations.migrations.0002_roles")
    jobs = {"Annotator": ["view_sourcejob"], "Editor": ["view_sourcejob", "add_sourcejob"]}
    specs = {"Annotator": roles.ANNOTATOR, "Editor": {**roles.ANNOTATOR, **roles.EDITOR_EXTRA}}
    specs["Editor"]["annotations"] = roles.ANNOTATOR["annotations"] + roles.EDITOR_EXTRA["annotations"]
    for name, spec in specs.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [(app, code) for app, codes in spec.items() for code in codes] + [("jobs", c) for c in jobs[name]]
        group.permissions.add(*(Permission.objects.get(content_type__app_label=a, codename=c) for a, c in wanted))


def make_user(name: str, editor: bool = False):
    call_command("createannotator", name, password=PASSWORD, editor=editor, stdout=open("/dev/null", "w"))
    return get_user_model().objects.get(username=name)


@pytest.fixture
def annotator(db):
    return make_user("anna")


@pytest.fixture
def editor(db):
    return make_user("edith", editor=True)


def client_for(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


# Suggestions chosen by rule, not by name, so the tests hold while recognition improves.


def suggestion(document, kind: str | None = None) -> Mention:
    """The first pipeline suggestion (of ``kind``) in reading order."""
    found = document.mentions.filter(resp="#pipeline").order_by("paragraph__position", "start")
    return (found.filter(kind=kind) if kind else found.exclude(kind="date")).first()


def weakest_suggestion(document) -> Mention:
    """The first of the least certain name suggestions."""
    names = document.mentions.filter(resp="#pipeline").exclude(kind="date").order_by("paragraph__position", "start")
    return names.filter(cert="low").first() or names.filter(cert="medium").first() or names.first()


def longest_suggestion(document) -> Mention:
    """The name suggestion of most words (first of them in reading order)."""
    names = document.mentions.filter(resp="#pipeline").exclude(kind="date").order_by("paragraph__position", "start")
    return max(names, key=lambda m: len(m.surface.split()))


def repeated_suggestion(document) -> tuple[Paragraph, str]:
    """A paragraph where the pipeline suggested the same words (same kind) at least twice."""
    for paragraph in document.paragraphs.order_by("position"):
        seen = set()
        for m in paragraph.mentions.filter(resp="#pipeline").order_by("start"):
            if (m.surface, m.kind) in seen:
                return paragraph, m.surface
            seen.add((m.surface, m.kind))
    raise AssertionError("no paragraph with a repeated suggestion")


def free_words(document, count: int = 2) -> tuple[Paragraph, str, int]:
    """(paragraph, words, start): ``count`` words of a running-text paragraph that no mention touches."""
    for paragraph in document.paragraphs.filter(kind="p").order_by("position"):
        taken = list(paragraph.mentions.values_list("start", "end"))
        words = list(re.finditer(r"[A-Za-z]+", paragraph.text))
        for i in range(len(words) - count + 1):
            start, end = words[i].start(), words[i + count - 1].end()
            gap = paragraph.text[start:end]
            if re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)*", gap) and not any(s < end and start < e for s, e in taken):
                if paragraph.text.count(gap) == 1:
                    return paragraph, gap, start
    raise AssertionError("no unmarked words")


def form_values(page_html: str, xpath: str, submit: dict | None = None) -> dict:
    """The values a browser would send for the form found by ``xpath`` (inputs, selects, textareas)."""
    forms = lxml_html.fromstring(page_html).xpath(xpath)
    assert forms, f"no form {xpath!r} in the page"
    form = forms[0]
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    values.update({k: [v] for k, v in (submit or {}).items()})
    return {k: v if len(v) > 1 else v[0] for k, v in values.items()}


def version_of(page_html: str, mention_pk: int) -> str:
    match = re.search(rf'name="m{mention_pk}-version" value="([^"]*)"', page_html)
    assert match, f"no version for mention {mention_pk} in the page"
    return lxml_html.fromstring(f"<i>{match.group(1)}</i>").text
