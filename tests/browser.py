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
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Collects Content-Security-Policy violations in the page (the CSP is enforced, never bypassed).
CSP_WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""


class Session:
    """A Chromium browser on the live site: ``new_page()`` opens a page in a fresh context; every page's
    Content-Security-Policy violations are collected (the CSP is enforced, never bypassed)."""

    def __init__(self, browser, base_url: str, cookies):
        self.browser, self.base, self.cookies = browser, base_url, cookies
        self.violations: list[str] = []
        self.pages = []

    def new_page(self, width: int = 1280, height: int = 900, javascript: bool = True):
        context = self.browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.base)
        context.add_init_script(CSP_WATCH)
        if self.cookies:
            context.add_cookies(self.cookies)
        page = context.new_page()
        page.base = self.base
        page.scripted = javascript
        page.on("console", lambda m: self.violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("framenavigated", lambda frame: page.scripted and _collect_csp(frame, self.violations))
        self.pages.append(page)
        return page

    def close(self) -> None:
        for page in self.pages:
            if page.scripted and not page.is_closed():
                _collect_csp(page.main_frame, self.violations)


@contextmanager
def browser_session(base_url: str, cookies: list[dict] | None = None):
    """A :class:`Session`; when done, no page it opened may have broken the CSP."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium chromium-driver")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` at the top of the project")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    # Playwright's sync API runs an event loop; the database is only used before it starts. Set for
    # this session only, so that no later test (or subprocess it starts) inherits it.
    was = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            session = Session(browser, base_url, cookies)
            yield session
            session.close()
            browser.close()
    finally:
        if was is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = was
    assert session.violations == [], "Content-Security-Policy violations"


@contextmanager
def browser_page(base_url: str, cookies: list[dict] | None = None, viewport=(1280, 900)):
    """One Chromium page on ``base_url`` (``page.base``), in a :func:`browser_session`."""
    with browser_session(base_url, cookies) as session:
        yield session.new_page(*viewport)


def _collect_csp(frame, violations: list[str]) -> None:
    try:
        violations.extend(frame.evaluate("window.__cspViolations || []"))
    except Exception:  # noqa: BLE001 - the frame navigated away meanwhile; its console messages were kept
        pass


def axe_violations(page, name: str, rules: dict | None = None) -> list[dict]:
    """axe-core's violations on the current page (the full report goes to test-artifacts/); ``rules``
    turns rules on or off (``{"target-size": {"enabled": True}}``)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver, so the page's CSP allows it
    result = page.evaluate(
        "async (rules) => await axe.run(document, {resultTypes: ['violations'], rules})", rules or {}
    )
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=2), encoding="utf-8")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]
