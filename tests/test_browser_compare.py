"""The compare views in a real browser: Debian chromium driven by Playwright, checked with axe-core
(target-size included), with and without JavaScript, on the partisan article and six editions of Darwin.

Needs /usr/bin/chromium (``apt-get install chromium``) and ``npm ci`` (axe-core).
Screenshots and accessibility reports go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from browser import ARTIFACTS, axe_violations, browser_session
from compare_fixtures import write_darwin
from texts_tei import write_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PARTISANS = "/compare/soviet-partisans-in-latvia/"
DARWIN = "/compare/origin/"
KINDS = ("", "apparatus/", "units/", "density/")


@pytest.fixture
def site(live_server, tmp_path):
    """The real corpus (the partisan article), a small two-witness work and Darwin's six editions, served."""
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document

    from compare_fixtures import EDITIONS

    directory = tmp_path / "tei"
    shutil.copytree(ROOT / "corpus" / "tei", directory)
    write_corpus(directory, register=False)
    write_darwin(directory)
    assert CorpusLoader(directory).run().failed == []
    for siglum, slug in EDITIONS.items():
        Document.objects.filter(slug=slug).update(siglum=siglum, date=siglum, author="Charles Darwin")
    return live_server.url


@pytest.fixture
def browser(site):
    """A browser session on the live site (CSP enforced; any violation fails the test)."""
    with browser_session(site) as session:
        yield session


def new_page(browser, width=1280, height=900, javascript=True):
    return browser.new_page(width, height, javascript)


def compare_axe(page, name: str) -> list[dict]:
    return axe_violations(page, f"compare-{name}", rules={"target-size": {"enabled": True}})


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el.parentElement, background = 'rgb(255, 255, 255)';
  while (node) {
    const b = getComputedStyle(node).backgroundColor;
    if (b && b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { background = b; break; }
    node = node.parentElement;
  }
  return {tag: el.tagName, text: el.textContent.trim().slice(0, 40), outline: style.outlineColor,
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), background};
}"""


def marks(page) -> list[tuple[str, str, str]]:
    """Every marked reading and gap of the columns: (unit number, type class, witness occurrence id)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.compare-grid [data-v]')).map(
        el => [el.dataset.v, (el.className.match(/var-[a-z]+/) || [''])[0], el.id || ''])""")


def test_keyboard_only_walk_of_the_compare_view(browser):
    """Tab through the page with a visible focus (≥ 3:1), go to the next difference by its link, then by j/k:
    the current difference is outlined in every witness and the address names it."""
    page = new_page(browser)
    page.goto(page.base + PARTISANS)
    witnesses = len(page.locator(".compare-head .cell").all())
    seen = []
    for _ in range(120):  # bounded: the controls come before the text
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        seen.append(focus["text"])
        assert focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2, focus
        assert contrast(rgb(focus["outline"]), rgb(focus["background"])) >= 3, focus
        if focus["text"] == "Next difference":
            break
    else:
        pytest.fail(f"no 'Next difference' link reached by Tab: {seen[-10:]}")
    page.keyboard.press("Enter")
    assert re.search(r"[?&]at=1#v1$", page.url)
    current = page.locator(".compare-grid .var.current")
    assert current.count() >= witnesses and {el.get_attribute("data-v") for el in current.all()} == {"1"}
    for el in current.all():
        assert el.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert page.evaluate("document.activeElement.id") == "v1"
    assert page.locator(".var-position").inner_text().startswith("Difference 1 of ")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.v") == "2" and re.search(r"at=2#v2$", page.url)
    assert {el.get_attribute("data-v") for el in page.locator(".compare-grid .var.current").all()} == {"2"}
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == "v1"
    page.screenshot(path=str(ARTIFACTS / "compare-keyboard.png"))


def test_without_javascript_the_links_do_the_same_and_the_differences_are_the_same(browser):
    scripted, plain = new_page(browser), new_page(browser, javascript=False)
    scripted.goto(scripted.base + PARTISANS)
    plain.goto(plain.base + PARTISANS)
    assert marks(scripted) == marks(plain) and len(marks(plain)) > 10
    plain.get_by_role("link", name="Next difference").first.click()
    plain.wait_for_url("**at=1#v1")
    plain.get_by_role("link", name="Next difference").first.click()
    plain.wait_for_url("**at=2#v2")
    current = {el.get_attribute("data-v") for el in plain.locator(".compare-grid .var.current").all()}
    assert current == {"2"} and plain.locator(".compare-grid .var.current").count() >= 2
    plain.get_by_role("link", name="Previous difference").first.click()
    plain.wait_for_url("**at=1#v1")
    scripted.keyboard.press("j")
    scripted.keyboard.press("j")
    scripted.keyboard.press("k")
    assert scripted.url.endswith("at=1#v1")
    assert marks(scripted) == marks(plain)  # JavaScript moves the outline, never what is marked


def test_omitted_text_stays_readable_gaps_are_marked_and_strip_marks_can_be_hit(browser):
    page = new_page(browser)
    page.goto(page.base + PARTISANS)
    omitted = page.locator(".compare-grid .var-omission:not(.gap)")
    assert omitted.count() >= 5
    for el in omitted.all():
        assert "line-through" not in el.evaluate("el => getComputedStyle(el).textDecorationLine")
    gap = page.locator(".compare-grid .var-omission.gap .gap-mark").first
    assert gap.is_visible() and "omitted" in gap.inner_text()
    bins = page.locator(".strip a.bin")
    assert bins.count() >= 5
    for el in bins.all():
        box = el.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    bins.first.click()
    page.wait_for_url(re.compile(r".*at=\d+#v\d+$"))
    assert page.locator(".compare-grid .var.current").count() >= 2


def test_type_counts_filter_the_marks_at_once_and_through_the_server(browser):
    page = new_page(browser)
    page.goto(page.base + PARTISANS)
    ortho = page.locator(".compare-grid .var-orthographic:not(.gap)").first
    assert "dotted" in ortho.evaluate("el => getComputedStyle(el).textDecorationStyle")
    page.locator("#type-orthographic").uncheck()
    assert ortho.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    substantive = page.locator(".compare-grid .var-substantive").first
    assert substantive.evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**type=**")
    assert "type=orthographic" not in page.url and "type=substantive" in page.url
    assert page.locator("#type-orthographic").is_checked() is False
    page.keyboard.press("j")
    assert "orthographic" not in page.evaluate("document.activeElement.className")


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_six_editions_stay_readable_on_a_laptop_and_a_phone(browser, width, height):
    page = new_page(browser, width, height)
    page.goto(page.base + DARWIN + "?at=40#v40")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the side
    cells = page.locator(".compare-row:not(.compare-head)").nth(1).locator(".cell")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len(boxes) == 6
    if width > 1000:
        assert len({round(b["y"]) for b in boxes}) == 1 and min(b["width"] for b in boxes) >= 150
        heads = page.locator(".compare-head .cell strong").all_inner_texts()
        assert heads == ["1859", "1860", "1861", "1866", "1869", "1872"]
    else:
        assert len({round(b["x"]) for b in boxes}) == 1  # stacked, each with its siglum
        assert cells.first.locator(".cell-siglum").is_visible()
    assert page.locator(".compare-grid .var.current").count() >= 6
    font = page.locator(".compare-grid .ctext").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font >= 14
    page.screenshot(path=str(ARTIFACTS / f"compare-six-{width}.png"))


def test_every_compare_view_kind_has_no_accessibility_violations(browser):
    found = {}
    pages = [(f"partisans-{k.strip('/') or 'columns'}", PARTISANS + k) for k in KINDS]
    pages += [
        ("partisans-current", PARTISANS + "?at=5#v5"),
        ("partisans-filtered", PARTISANS + "units/?type=omission"),
        ("one-witness", "/compare/partisans/?w=partisans"),
    ]
    # six witnesses: the columns and the density view (axe needs minutes on the 800-row table of all their units)
    six = [
        ("darwin-columns", DARWIN + "?at=40#v40"),
        ("darwin-density", DARWIN + "density/"),
        ("darwin-apparatus-two", DARWIN + "apparatus/?w=origin-first&w=origin-sixth"),
    ]
    for width, kinds in ((1280, pages + six), (390, pages)):
        page = new_page(browser, width)
        for name, path in kinds:
            started = time.perf_counter()
            assert page.goto(page.base + path).ok, path  # axe on an error page would prove nothing
            violations = compare_axe(page, f"{name}-{width}")
            print(f"{name}-{width}: {time.perf_counter() - started:.1f} s")
            if violations:
                found[f"{name}-{width}"] = violations
        page.context.close()
    assert found == {}
