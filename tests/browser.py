"""Driving Debian's chromium with Playwright for the browser tests: a page whose Content-Security-Policy
is enforced (any violation fails the test) and axe-core's accessibility check."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Collects Content-Security-Policy violations in the page (the CSP is enforced, never bypassed).
CSP_WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""


@contextmanager
def browser_page(base_url: str, cookies: list[dict] | None = None, viewport=(1280, 900)):
    """A Chromium page on ``base_url`` (``page.base``); when done, no page it showed may have broken the CSP."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium chromium-driver")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` at the top of the project")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the database is only used before Playwright starts
    violations: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        context.add_init_script(CSP_WATCH)
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        page.base = base_url
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("framenavigated", lambda frame: _collect_csp(frame, violations))
        yield page
        _collect_csp(page.main_frame, violations)
        browser.close()
    assert violations == [], "Content-Security-Policy violations"


def _collect_csp(frame, violations: list[str]) -> None:
    try:
        violations.extend(frame.evaluate("window.__cspViolations || []"))
    except Exception:  # noqa: BLE001 - the frame navigated away meanwhile; its console messages were kept
        pass


def axe_violations(page, name: str) -> list[dict]:
    """axe-core's violations on the current page (the full report goes to test-artifacts/)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver, so the page's CSP allows it
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=2), encoding="utf-8")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in result["violations"]]
