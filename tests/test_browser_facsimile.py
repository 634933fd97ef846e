"""The facsimile beside the text in a real browser (Debian chromium via Playwright, CSP enforced: any
violation fails the test): the page image (a PNG the test makes, served by the site) is drawn by the
vendored OpenSeadragon; hovering a line of the text marks its zone on the image, hovering a zone marks
its line, and reading a passage of another page brings that page. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import ARTIFACTS, axe_violations, browser_session
from test_texts_facsimile import _loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, tmp_path, settings):
    _loaded(tmp_path, settings)
    return live_server.url


def _only_here(refused):
    def route(request_route):
        if urlsplit(request_route.request.url).hostname in ("127.0.0.1", "localhost"):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    return route


def test_hovering_a_line_marks_its_zone_and_a_zone_its_line(site):
    refused: list[str] = []
    with browser_session(site) as session:
        page = session.new_page(width=1400, height=900)
        page.route("**/*", _only_here(refused))
        images = []
        page.on("response", lambda r: images.append((r.url, r.status)) if "/facsimile/" in r.url else None)
        page.goto(site + "/texts/ms-fixture/")
        page.wait_for_selector(".facs-zone[data-zone='z-l1']", state="attached", timeout=20000)
        assert page.locator("#facsimile-viewer").get_attribute("data-page") == "0"
        assert (site + "/texts/ms-fixture/facsimile/images/1r.png", 200) in images

        page.locator(".facs-line[data-facs='#z-l1']").hover()
        active = page.locator(".facs-zone-active")
        assert active.count() == 1 and active.get_attribute("data-zone") == "z-l1"
        page.screenshot(path=str(ARTIFACTS / "facsimile-line-hover.png"))

        page.mouse.move(1, 1)
        assert page.locator(".facs-zone-active").count() == 0
        page.locator(".facs-zone[data-zone='z-l2']").hover()
        marked = page.locator(".facs-line.facs-active")
        assert marked.count() == 1 and marked.get_attribute("data-facs") == "#z-l2"
        assert "secundus versus" in marked.text_content()

        page.mouse.move(1, 1)
        page.locator("#para2").hover()  # a passage of page 1v: its page comes, its zone is marked
        page.wait_for_selector("#facsimile-viewer[data-page='1']", state="attached", timeout=10000)
        page.wait_for_selector(".facs-zone-active[data-zone='z-p2']", timeout=10000)
        assert page.locator(".facsimile-label").text_content().startswith("1v")
        page.screenshot(path=str(ARTIFACTS / "facsimile-page-2.png"))
        assert axe_violations(page, "facsimile") == []
    assert refused == []


def test_on_a_phone_the_image_comes_first_and_can_be_hidden(site):
    with browser_session(site) as session:
        page = session.new_page(width=390, height=800)
        page.goto(site + "/texts/ms-fixture/")
        page.wait_for_selector(".facs-zone", state="attached", timeout=20000)
        panel = page.locator(".facsimile-panel").bounding_box()
        text = page.locator("article.text").bounding_box()
        assert panel["y"] < text["y"] and panel["height"] < 800 * 0.6
        page.get_by_role("button", name="Hide the page image").click()
        assert page.locator("#facsimile-viewer").is_hidden()
        toggle = page.get_by_role("button", name="Show the page image")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert page.locator("#facsimile-viewer").is_visible()
        page.screenshot(path=str(ARTIFACTS / "facsimile-phone.png"))
