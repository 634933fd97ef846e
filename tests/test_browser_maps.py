"""The map and the timeline in a real browser (Debian chromium via Playwright, CSP enforced): the map
draws its bundled outline and one marker per place with coordinates with every request off this
machine refused, a marker opens a link to the place's entity page, and the timeline works without
JavaScript. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import ARTIFACTS, axe_violations, browser_session
from test_texts_maps import HOSTILE, add_coordinates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(live_server, tmp_path):
    """The seeds' corpus, its places given coordinates, served; returns (url, id -> (lat, lon, name))."""
    from reader.texts.loader import CorpusLoader

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    given = add_coordinates(directory / "register.xml")
    assert CorpusLoader(directory).run().failed == []
    return live_server.url, given


@pytest.fixture
def offline(site):
    """A browser session on the site in which every request not to 127.0.0.1 is aborted (and recorded)."""
    url, given = site
    refused = []

    def only_here(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with browser_session(url) as session:
        session.refused, session.given = refused, given
        session.only_here = only_here
        yield session


def test_map_shows_markers_and_outline_with_no_network(offline):
    page = offline.new_page()
    page.route("**/*", offline.only_here)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page.base + "/map/")
    page.wait_for_selector("#place-map[data-markers]", timeout=15000)
    assert page.locator(".leaflet-marker-icon").count() == len(offline.given)
    assert page.get_attribute("#place-map", "data-markers") == str(len(offline.given))
    assert page.locator(".leaflet-overlay-pane path").count() > 0  # the outline of the world
    assert page.locator("#place-map-status").text_content() == f"{len(offline.given)} places on the map."
    page.screenshot(path=str(ARTIFACTS / "map-corpus.png"))

    page.get_by_title(HOSTILE, exact=True).click()
    link = page.locator(".leaflet-popup-content a")
    assert link.text_content() == HOSTILE  # shown as text, never run
    xml_id = next(k for k, (_, _, name) in offline.given.items() if name == HOSTILE)
    assert link.get_attribute("href") == f"/entities/{xml_id}/"
    page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    link.click()
    page.wait_for_url(f"**/entities/{xml_id}/")
    assert page.locator("h1").text_content() == HOSTILE
    assert dialogs == [] and offline.refused == []
    assert axe_violations(page, "entity-from-map") == []


def test_map_page_passes_axe(offline):
    page = offline.new_page()
    page.route("**/*", offline.only_here)
    page.goto(page.base + "/map/")
    page.wait_for_selector("#place-map[data-markers]", timeout=15000)
    assert axe_violations(page, "map") == []
