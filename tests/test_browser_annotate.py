"""The annotate view in Chromium, as an annotator uses it: add a mention by selecting words, retype one,
reject a suggestion from the keyboard; only the fields of a mention's type are shown; axe-clean; the
reader links logged-in annotators to it."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client

from browser import ARTIFACTS, axe_violations, browser_page
from annotating import ensure_roles, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def annotated_site(live_server, recognised_tei, tmp_path, settings):
    from reader.texts.loader import CorpusLoader

    copy = tmp_path / "tei"
    shutil.copytree(recognised_tei, copy)
    settings.CORPUS_TEI_DIR = copy
    assert CorpusLoader(copy).run().failed == []
    ensure_roles()
    anna = make_user("anna")
    client = Client()
    client.force_login(anna)
    cookie = {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    return live_server.url, cookie


def paragraph_with(kind: str):
    from reader.texts.models import Mention

    mention = (
        Mention.objects.filter(resp="#pipeline", kind=kind)
        .select_related("paragraph")
        .order_by("-paragraph__text")
        .first()
    )
    return mention.paragraph, mention


def test_add_retype_and_reject_mentions_in_the_browser(annotated_site):
    from reader.texts.models import Mention

    base, cookie = annotated_site
    paragraph, suggested = paragraph_with("place")
    others = list(paragraph.mentions.exclude(pk=suggested.pk).values_list("start", "end"))
    with browser_page(base, cookies=[cookie]) as page:
        page.goto(base + paragraph.get_absolute_url())
        page.get_by_role("link", name="Annotate this paragraph").click()
        page.wait_for_url("**/annotate/")
        assert not page.locator("h1, #site-name").filter(has_text="Django").count()
        page.screenshot(path=str(ARTIFACTS / "annotate.png"), full_page=True)
        assert axe_violations(page, "annotate") == []

        # Only the fields of each mention's type; one mention edited at a time.
        row = page.locator(f"#m-{suggested.pk}")
        assert not row.locator("form.mention-form").is_visible()
        row.locator("summary", has_text="Edit").click()
        assert row.get_by_label("Register entry").is_visible() and not row.get_by_label("from").is_visible()
        row.locator("select[name$='-kind']").select_option("date")
        assert row.get_by_label("from").is_visible() and not row.get_by_label("Register entry").is_visible()
        row.locator("select[name$='-kind']").select_option("org")
        # The register answers what one types in an entry field (the page lists only its document's).
        from reader.entities.models import Entity

        elsewhere = Entity.objects.exclude(mentions__document=paragraph.document).exclude(name="").order_by("name")[0]
        entry = row.get_by_label("Register entry")
        row.locator("select[name$='-kind']").select_option("person")
        entry.press_sequentially(elsewhere.name[:6])
        page.wait_for_function(
            "value => [...document.querySelectorAll('#register-entries option')].some(o => o.value === value)",
            arg=f"{elsewhere.name} ({elsewhere.xml_id})",
            timeout=5000,
        )
        entry.fill("")
        row.locator("select[name$='-kind']").select_option("org")
        row.get_by_label("or new entry named").fill("Retyped Org")
        with page.expect_navigation():
            row.get_by_role("button", name="Save").click()
        assert "now an organisation" in page.locator(".messagelist").inner_text()
        assert Mention.objects.get(pk=suggested.pk).kind == "org"

        # Add: select words in the text; the form gets them with their offsets.
        text = paragraph.text
        free = next(
            w
            for w in sorted(set(text.split()), key=len, reverse=True)
            if w.isalpha() and not any(s <= text.find(w) < e for s, e in others + [(suggested.start, suggested.end)])
        )
        start = text.find(free)
        page.evaluate(
            """([start, end]) => {
            const box = document.getElementById('annotate-text');
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let seen = 0, range = document.createRange(), node;
            while ((node = walker.nextNode())) {
              const n = node.textContent.length;
              if (seen <= start && start < seen + n) range.setStart(node, start - seen);
              if (seen < end && end <= seen + n) { range.setEnd(node, end - seen); break; }
              seen += n;
            }
            const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
            box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
            [start, start + len(free)],
        )
        form = page.locator("#add-form")
        assert form.locator("[name='add-surface']").input_value() == free
        assert form.locator("[name='add-start']").input_value() == str(start)
        form.locator("[name='add-kind']").select_option("person")
        form.locator("[name='add-new_entity']").fill(free)
        with page.expect_navigation():
            form.get_by_role("button", name="Add mention").click()
        added = Mention.objects.get(paragraph=paragraph, start=start, end=start + len(free))
        assert (added.kind, added.resp) == ("person", "#annotator-anna")

        # Reject from the keyboard: j moves to the next mention, r rejects a suggestion.
        remaining = list(paragraph.mentions.filter(resp="#pipeline").order_by("start", "-end"))
        if remaining:
            page.goto(page.url.split("#")[0])
            rows = page.locator("tr.mention-row")
            for _ in range(rows.count()):
                page.keyboard.press("j")
                focused = page.evaluate("document.activeElement.id")
                if focused == f"m-{remaining[0].pk}":
                    break
            assert page.evaluate("document.activeElement.id") == f"m-{remaining[0].pk}"
            with page.expect_navigation():
                page.keyboard.press("r")
            assert not Mention.objects.filter(pk=remaining[0].pk).exists()
        page.screenshot(path=str(ARTIFACTS / "annotate-after.png"), full_page=True)
