"""The search page in a real browser (Debian chromium, Playwright): on a 390 px phone nothing is wider
than the screen, the other witnesses' readings open from a <details> without script, facet links
narrow the search, and no page breaks the CSP (``browser_page`` fails on any violation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import ARTIFACTS, browser_page
from texts_tei import write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(live_server, tmp_path):
    from reader.texts.loader import CorpusLoader

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    write_corpus(directory, register=False)
    assert CorpusLoader(directory).run().failed == []
    return live_server.url


def test_search_on_a_phone_fits_and_expands_and_narrows(site):
    with browser_page(site, viewport=(390, 844)) as page:
        page.goto(site + "/search/?q=army")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the search page is {width} px wide on a 390 px screen"
        readings = page.locator("details.readings").first
        assert not readings.locator("dd").is_visible()
        readings.locator("summary").click()
        assert readings.locator("dd").first.is_visible() and "Sarkana" in readings.locator("dd").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=True)
        total = int(page.locator("#found").inner_text().split()[0])
        link = page.locator(".facet a").first
        count = int(link.locator("xpath=..").locator(".facet-count").inner_text())
        link.click()
        page.wait_for_load_state()
        assert int(page.locator("#found").inner_text().split()[0]) == count <= total
        assert "remove" in page.locator(".active-filters").inner_text()
