"""The reader in a real browser: Debian chromium driven by Playwright, checked with axe-core.

Needs /usr/bin/chromium (``apt-get install chromium``) and ``npm ci`` (axe-core).
Screenshots and accessibility reports go to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import ARTIFACTS, axe_violations, browser_page
from texts_tei import write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(live_server, tmp_path):
    """The real corpus plus a two-witness fixture work, loaded and served."""
    from reader.texts.loader import CorpusLoader

    from reader.entities.models import Entity

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    write_corpus(directory, register=not (directory / "register.xml").exists())
    report = CorpusLoader(directory).run()
    assert report.failed == []
    entity = Entity.objects.with_mention_counts().order_by("-mention_count").first()
    PAGES["entity"] = entity.get_absolute_url() if entity else "/entities/"
    return live_server.url


@pytest.fixture
def page(site):
    """A Chromium page on the live site; at the end, no page it showed may have broken the CSP."""
    with browser_page(site) as page:
        yield page


def test_compare_toggle_permalink_and_copy_citation(page):
    page.goto(page.base + "/compare/partisans/?w=partisans&w=partisans-2")
    ortho = page.locator(".compare-grid .var-orthographic").first
    assert "dotted" in ortho.evaluate("el => getComputedStyle(el).textDecorationStyle")
    assert "Sarkanā" in page.locator(".compare-grid .var-orthographic .visually-hidden").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)

    page.get_by_label("Hide orthographic, punctuation and editorial-marker differences").check()
    assert ortho.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    substantive = page.locator(".compare-grid .var-substantive").first
    assert substantive.evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"
    page.screenshot(path=str(ARTIFACTS / "compare-minor-hidden.png"), full_page=True)

    page.locator("h1").click()  # j/k are ignored while typing in a form field
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.className")
    assert "var" in focused and "minor" not in focused
    first = page.evaluate("document.activeElement.id")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == first

    page.set_viewport_size({"width": 420, "height": 900})
    cells = page.locator(".compare-row:not(.compare-head)").first.locator(".cell")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len(boxes) == 2 and boxes[0]["x"] == boxes[1]["x"] and boxes[1]["y"] > boxes[0]["y"]
    page.screenshot(path=str(ARTIFACTS / "compare-narrow.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator(".compare-grid a.num").first.click()
    page.wait_for_url("**/texts/partisans/**")
    assert page.locator("h1").inner_text().startswith("Partisans (900): ¶")  # the witness is named
    page.get_by_role("button", name="Copy Plain text").click()
    page.locator(".copy-status").get_by_text("copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#cite-plain").inner_text()
    assert page.url.split("?")[0] in copied
    page.screenshot(path=str(ARTIFACTS / "paragraph.png"), full_page=True)


def test_noise_switch_and_entity_highlighting(page):
    page.goto(page.base + "/texts/partisans/")
    note = page.locator(".noise").first
    assert not note.is_visible()
    page.get_by_label("Show source noise and editorial notes").check()
    assert note.is_visible()
    entity = page.locator(".text .ent-place").first
    assert entity.evaluate("el => getComputedStyle(el).borderBottomStyle") == "dashed"
    page.get_by_label("Highlight entities").uncheck()
    assert entity.evaluate("el => getComputedStyle(el).borderBottomStyle") == "none"
    page.screenshot(path=str(ARTIFACTS / "reading.png"), full_page=True)


PAGES = {
    "home": "/",
    "reading": "/texts/partisans/",
    "reading-long": "/texts/second-soviet-occupation-of-the-baltic-states/",
    "paragraph": "/texts/partisans/p2/",
    "retired": "/texts/partisans/p7/",
    "compare": "/compare/partisans/?w=partisans&w=partisans-2",
    "entities": "/entities/",
    "entity": None,  # the most mentioned entity, set when the corpus is loaded
    "search": "/search/?q=Latvia",
    "not-found": "/texts/nothing/",
}


def test_pages_have_no_accessibility_violations(page):
    found = {}
    for name, path in PAGES.items():
        page.goto(page.base + path)
        violations = axe_violations(page, name)
        if violations:
            found[name] = violations
    assert found == {}
