"""The relations page (/compare/<work>/relations/) and its downloads (/compare/<work>/relations.<format>),
on the loaded corpus (the partisan article, two versions) and on Darwin's six editions collated and loaded."""

from __future__ import annotations

import re

from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from lxml import etree, html

from compare_fixtures import EDITIONS, write_darwin
from reader.tei.collate.relations import FORMATS
from reader.tei.xml import XML_ID, tei
from reader.texts.loader import CorpusLoader
from reader.texts.models import Collation, Document
from test_tei_collate_relations import nexus_matrix

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "tei"
WORK = "soviet-partisans-in-latvia"
PAGE = f"/compare/{WORK}/relations/"


@pytest.fixture
def partisans(db):
    cache.clear()
    assert CorpusLoader(CORPUS).run().failed == []
    return etree.parse(str(CORPUS / "collations" / f"{WORK}.xml")).getroot()


def table(page: str) -> dict[tuple[str, str], str]:
    """(row siglum, column siglum) -> the cell's text, from the agreement table."""
    doc = html.fromstring(page)
    grid = doc.find_class("relations-table")[0]
    columns = [th.text_content().strip() for th in grid.find("thead").iter("th")]
    cells = {}
    for tr in grid.find("tbody").iter("tr"):
        row = tr.find("th").text_content().strip()
        for column, td in zip(columns, tr.findall("td")):
            cells[row, column] = " ".join(td.text_content().split())
    return cells


def test_page_shows_the_table_tree_and_downloads(client, partisans):
    apps = partisans.findall(f".//{tei('app')}")
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    cells = table(page)
    # two versions: every unit parts them
    assert cells["A", "B"] == cells["B", "A"] == f"0% (0 of {len(apps)})"
    assert cells["A", "A"] == f"— {len(apps)} read"
    assert "<svg" in page and 'class="branch"' in page and ">A</text>" in page
    assert " style=" not in page and "<script>" not in page  # the CSP allows neither
    for suffix in [*FORMATS, "nwk"]:
        assert f'href="/compare/{WORK}/relations.{suffix}"' in page
    compare = client.get(f"/compare/{WORK}/").content.decode()
    assert f'href="{PAGE}"' in compare


def test_downloads_are_teiphy_files_named_for_the_work(client, partisans):
    apps = partisans.findall(f".//{tei('app')}")
    for suffix, (_, _, media) in FORMATS.items():
        response = client.get(f"/compare/{WORK}/relations.{suffix}")
        assert response.status_code == 200, suffix
        assert response["Content-Type"] == media
        assert response["Content-Disposition"] == f'attachment; filename="{WORK}-witnesses.{suffix}"'
        assert response.content, suffix
    ntax, nchar, rows = nexus_matrix(client.get(f"/compare/{WORK}/relations.nexus").content.decode())
    assert (ntax, nchar) == (2, len(apps)) and set(rows) == {"A", "B"}
    assert client.get(f"/compare/{WORK}/relations.xlsx").content[:2] == b"PK"
    tree = client.get(f"/compare/{WORK}/relations.nwk")
    assert tree["Content-Disposition"] == f'attachment; filename="{WORK}-witnesses.nwk"'
    assert tree.content.decode().startswith("('") and "'A':" in tree.content.decode()


def test_bad_requests_name_the_problem(client, partisans):
    response = client.get(f"/compare/{WORK}/relations.docx")
    assert response.status_code == 404
    for query, name in (
        ("type=bogus", "type"),
        ("extant=%C2%B2", "extant"),
        ("extant=101", "extant"),
        ("extant=-1", "extant"),
    ):
        for url in (PAGE, f"/compare/{WORK}/relations.nexus"):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, (url, query)
            assert f"'{name}'" in response.content.decode()
    assert client.get("/compare/no-such-work/relations/").status_code == 404
    assert client.get("/compare/no-such-work/relations.nexus").status_code == 404


def test_types_and_fragments_choose_the_units_and_witnesses(client, partisans):
    types = [app.get("type") for app in partisans.iter(tei("app"))]
    kind = max(set(types), key=types.count)
    cells = table(client.get(f"{PAGE}?type={kind}").content.decode())
    assert cells["A", "B"] == f"0% (0 of {types.count(kind)})"
    _, nchar, _ = nexus_matrix(client.get(f"/compare/{WORK}/relations.nexus?type={kind}").content.decode())
    assert nchar == types.count(kind)
    # both versions read every unit: a threshold of 100% leaves both in
    assert table(client.get(f"{PAGE}?extant=100").content.decode())["A", "B"].endswith(f"of {len(types)})")


def test_corpus_text_is_escaped(client, partisans):
    """A siglum and a title with markup in the apparatus are shown as text, in the table and in the tree."""
    collation = Collation.objects.select_related("file").get(work__slug=WORK)
    root = etree.fromstring(collation.file.skeleton.encode())
    witness = root.find(f".//{tei('witness')}")
    witness.set("n", '<b>"A"&')
    witness.text = "<script>alert(1)</script>"
    collation.file.skeleton = etree.tostring(root, encoding="unicode")
    collation.file.sha256 = "0" * 64
    collation.file.save()
    page = client.get(PAGE).content.decode()
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;b&gt;&quot;A&quot;&amp;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    nexus = client.get(f"/compare/{WORK}/relations.nexus")
    assert nexus.status_code == 200 and nexus_matrix(nexus.content.decode())[0] == 2


def test_a_work_without_an_apparatus_file_is_collated_as_loaded(client, partisans):
    """No collation file yet: the page and the downloads count the engine's collation of the witnesses."""
    Collation.objects.filter(work__slug=WORK).delete()
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "no apparatus file yet" in page
    cells = table(page)
    (a, b), *_ = [pair for pair in cells if pair[0] != pair[1]]
    assert re.fullmatch(r"0% \(0 of [1-9]\d*\)", cells[a, b])  # two versions: every unit parts them
    ntax, nchar, _ = nexus_matrix(client.get(f"/compare/{WORK}/relations.nexus").content.decode())
    assert ntax == 2 and f"0 of {nchar})" in cells[a, b]
    for document in Document.objects.filter(work__slug=WORK):
        assert f'href="{document.get_absolute_url()}"' in page


def test_a_work_of_one_witness_has_nothing_to_relate(client, partisans):
    Collation.objects.filter(work__slug=WORK).delete()
    Document.objects.filter(slug=f"{WORK}-2").delete()
    assert client.get(PAGE).status_code == 404


@pytest.fixture
def darwin(db, tmp_path):
    """Darwin's six editions, collated by the collate command and loaded."""
    cache.clear()
    folder = write_darwin(tmp_path / "darwin")
    call_command("collate", "--tei-dir", str(folder), stdout=StringIO(), stderr=StringIO())
    assert CorpusLoader(folder).run().failed == []
    collation = Collation.objects.select_related("work").get()
    root = etree.fromstring(collation.file.skeleton.encode())
    sigla = {w.get("n"): w.get(XML_ID) for w in root.iter(tei("witness"))}
    return collation.work.slug, sigla


def test_darwin_editions_group_by_date(client, darwin):
    slug, sigla = darwin
    page = client.get(f"/compare/{slug}/relations/").content.decode()
    cells = table(page)
    rows = list(dict.fromkeys(row for row, _ in cells))
    assert len(rows) == 6
    year = {slug: year for year, slug in EDITIONS.items()}
    by_date = sorted(rows, key=year.get)

    def share(a, b):
        return int(cells[a, b].split("%")[0])

    # a chain of revisions: the tree's order is the order of the editions, and neighbours agree most
    assert rows in (by_date, by_date[::-1])
    first, last = by_date[0], by_date[-1]
    for k, a in enumerate(by_date[:-1]):
        assert share(a, by_date[k + 1]) > share(first, last), a
        assert all(share(a, by_date[k + 1]) > share(a, b) for b in by_date[k + 2 :]), a
    # each witness links to its edition's page
    for slug_ in rows:
        assert f'href="/texts/{slug_}/"' in page
    ntax, nchar, matrix = nexus_matrix(client.get(f"/compare/{slug}/relations.nexus").content.decode())
    assert ntax == 6 and set(matrix) == {s.replace("-", "_") for s in rows}  # teiphy's taxon names are slugs


def test_an_unreadable_apparatus_is_a_clear_error_not_a_500(client, partisans):
    """Two witnesses with one siglum: the page and the downloads say so (422), naming the siglum."""
    collation = Collation.objects.select_related("file").get(work__slug=WORK)
    root = etree.fromstring(collation.file.skeleton.encode())
    for witness in root.iter(tei("witness")):
        witness.set("n", "X")
    collation.file.skeleton = etree.tostring(root, encoding="unicode")
    collation.file.sha256 = "1" * 64
    collation.file.save()
    for url in (PAGE, f"/compare/{WORK}/relations.nexus"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "siglum used twice" in response.content.decode() and ": X" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_page_keeps_the_csp_and_has_no_accessibility_violations(live_server, tmp_path):
    """Chromium with the CSP enforced (any violation fails) and axe-core (target-size on), at a laptop's
    and a phone's width, on the two versions of the partisan article and Darwin's six editions."""
    import shutil

    from browser import ARTIFACTS, axe_violations, browser_session

    folder = tmp_path / "tei"
    shutil.copytree(CORPUS, folder)
    write_darwin(folder)
    call_command("collate", "--tei-dir", str(folder), stdout=StringIO(), stderr=StringIO())
    assert CorpusLoader(folder).run().failed == []
    darwin = Collation.objects.exclude(work__slug=WORK).get().work.slug
    found = {}
    with browser_session(live_server.url) as session:
        for width in (1280, 390):
            page = session.new_page(width, 900)
            for name, path in (("partisans", PAGE), ("darwin", f"/compare/{darwin}/relations/")):
                assert page.goto(page.base + path).ok, path
                assert page.locator("svg.relations-tree line.branch").count() > 0
                stroke = page.locator("svg.relations-tree line.branch").first.evaluate(
                    "el => getComputedStyle(el).strokeWidth"
                )
                assert stroke == "2px"  # the static stylesheet applies under the CSP
                violations = axe_violations(page, f"relations-{name}-{width}", rules={"target-size": {"enabled": True}})
                if violations:
                    found[f"{name}-{width}"] = violations
                page.screenshot(path=str(ARTIFACTS / f"relations-{name}-{width}.png"), full_page=True)
            page.context.close()
    assert found == {}


def test_the_page_runs_a_fixed_number_of_queries(client, partisans, django_assert_num_queries):
    """The work with its apparatus file, and its witnesses: two queries, whatever the number of units."""
    client.get(PAGE)  # the parsed apparatus is cached after the first request; the queries are the same
    with django_assert_num_queries(2):
        assert client.get(PAGE).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"/compare/{WORK}/relations.nexus").status_code == 200
