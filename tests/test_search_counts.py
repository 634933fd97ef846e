"""One count per thing (issue 20, item 5): the corpus home and the compare page state the same number of
places of variation for a work, with the settings it was counted under; the compare page's own figure
(under its own settings) is said apart, and is the apparatus's under the apparatus's settings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reader.texts.loader import CorpusLoader
from reader.texts.models import Work

ROOT = Path(__file__).resolve().parent.parent
STATED = re.compile(r"(\d+) places? of variation among (all )?(\d+) witness(?:es)?, with ([^.;<]+) normalised away")


@pytest.fixture
def corpus(tmp_path, db):
    shutil.copytree(ROOT / "corpus" / "tei", tmp_path / "tei")
    assert CorpusLoader(tmp_path / "tei").run().failed == []


def stated(html: str) -> list[tuple[str, ...]]:
    return STATED.findall(re.sub(r"\s+", " ", html))


def test_home_and_compare_state_the_same_count_with_its_settings(client, corpus):
    works = [w for w in Work.objects.all() if w.witnesses.count() > 1]
    assert works
    for work in works:
        home = client.get("/").content.decode()
        section = home.split(f'id="work-{work.slug}"', 1)[1].split("</section>", 1)[0]
        (on_home,) = stated(section)
        compare = client.get(f"/compare/{work.slug}/")
        on_compare = stated(compare.content.decode())
        assert on_compare[0] == on_home  # the apparatus's count, same words, same settings
        count, _, witnesses, settings = on_home
        assert int(witnesses) == work.witnesses.count() and settings == "spacing (whitespace)"
        # The number is what the compare page itself finds under those settings, over all witnesses.
        same = client.get(f"/compare/{work.slug}/", {"w": "all", "ignore": "whitespace"})
        assert len(same.context["comparison"].variants) == int(count)
        assert stated(same.content.decode()) == [on_home]  # nothing else to say: one number
        # Under other settings the page says its own figure apart, and names the settings.
        shown = len(compare.context["comparison"].variants)
        if shown != int(count):
            assert (
                f"with this page's settings, {shown} places of variation among all {witnesses} witnesses, with nothing normalised away"
                in compare.content.decode()
            )


def test_a_work_without_a_count_states_none_on_the_home_page(client, corpus):
    Work.objects.update(variant_count=None)
    assert stated(client.get("/").content.decode()) == []
