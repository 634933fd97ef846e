"""Every page type on a phone (390 px) and on paper, in Debian chromium driven by Playwright (the CSP
enforced: any violation fails the test): no page wider than the screen, the text in the first screen,
and printing hides the navigation and the controls. Screenshots go to ``test-artifacts/``.

Needs /usr/bin/chromium (``apt-get install chromium``) and ``npm ci`` (axe-core, loaded by the harness).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import ARTIFACTS, browser_session
from compare_fixtures import EDITIONS, write_darwin
from texts_tei import write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PHONE = (390, 844)
#: The first element of each page that a reader came for (the text, the table, the results).
FIRST_TEXT = {
    "home": "main table.witnesses",
    "reading": "article.text .unit-p p",
    "permalink": ".context .current",
    "compare": ".compare-grid .compare-row:not(.compare-head) .cunit",
    "apparatus": ".apparatus-text .passage",
    "units": ".units-table tbody tr",
    "density": ".density-table tbody tr",
    "entities": "main li a, main table a",
    "entity": "main h1",
    "search": "main .results li, main .kwic tr, main table tbody tr",
}
PRINTED = ("reading", "permalink", "compare", "apparatus")


@pytest.fixture
def site(live_server, tmp_path):
    """The real corpus (the partisan article), a small two-witness work and Darwin's six editions, served."""
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    write_corpus(directory, register=False)
    write_darwin(directory)
    assert CorpusLoader(directory).run().failed == []
    for siglum, slug in EDITIONS.items():
        Document.objects.filter(slug=slug).update(siglum=siglum, date=siglum, author="Charles Darwin")
    return live_server.url


@pytest.fixture
def pages(site):
    """One URL per page type, on the real corpus: the partisan article, its first unit, Darwin's work."""
    from reader.entities.models import Entity
    from reader.texts.models import Document

    article = Document.objects.get(slug="soviet-partisans-in-latvia")
    unit = article.paragraphs.filter(kind="p").order_by("position").first()
    entity = Entity.objects.order_by("xml_id").first()
    return {
        "home": "/",
        "reading": article.get_absolute_url(),
        "permalink": unit.get_absolute_url(),
        "compare": "/compare/origin/",
        "apparatus": "/compare/origin/apparatus/",
        "units": "/compare/origin/units/",
        "density": "/compare/origin/density/",
        "entities": "/entities/",
        "entity": entity.get_absolute_url(),
        "search": "/search/?q=partisans",
    }


@pytest.fixture
def browser(site):
    with browser_session(site) as session:
        yield session


MEASURE = """(selector) => {
  const first = document.querySelector(selector);
  return {width: document.documentElement.scrollWidth,
          top: first ? first.getBoundingClientRect().top + window.scrollY : null,
          wide: [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap, .scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)};
}"""


def test_no_page_is_wider_than_a_phone_and_the_text_is_in_the_first_screen(browser, pages):
    page = browser.new_page(*PHONE)
    found = {}
    for kind, url in pages.items():
        page.goto(page.base + url)
        found[kind] = page.evaluate(MEASURE, FIRST_TEXT[kind])
        page.screenshot(path=str(ARTIFACTS / f"phone-{kind}.png"))
    too_wide = {k: (v["width"], v["wide"]) for k, v in found.items() if v["width"] > PHONE[0]}
    below = {k: v["top"] for k, v in found.items() if v["top"] is None or v["top"] >= PHONE[1]}
    assert not too_wide and not below, f"wider than the screen: {too_wide}; text below the first screen: {below}"


def test_printing_hides_navigation_and_controls_and_gives_the_text_the_page(browser, pages):
    page = browser.new_page(1280, 900)
    for kind in PRINTED:
        page.goto(page.base + pages[kind])
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => {
              const visible = s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'
                && e.getBoundingClientRect().height > 0);
              const main = document.querySelector('main');
              return {nav: visible('.site-header, .site-footer, nav.toc, .reading-side .controls, .compare-tabs,'
                                   + ' .settings, .witness-picker, .var-nav, .skip-link'),
                      main: main.getBoundingClientRect().width, page: document.documentElement.clientWidth};
            }"""
        )
        assert shown["nav"] is False, f"{kind}: navigation or controls printed"
        assert shown["main"] >= 0.9 * shown["page"], f"{kind}: the text does not have the page's width"
        if kind == "reading":  # the apparatus of each paragraph is printed under it, never shown on screen
            assert page.locator(".unit-p .app-note").first.is_visible()
            page.emulate_media(media="screen")
            assert page.locator(".app-note").count() > 0 and not page.locator(".app-note").first.is_visible()
            page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / f"print-{kind}.png"), full_page=False)
        page.emulate_media(media="screen")
