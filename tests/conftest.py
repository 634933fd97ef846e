"""Shared fixtures: where the seeds and the corpus are, and ingesting into a temporary folder."""

from pathlib import Path

import pytest

#: The annotators' fixtures (a recognised partisan article, accounts) for every test module.
pytest_plugins = ["annotating"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "corpus" / "tei"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def ingest_into(tmp_path):
    """Ingest paths into a temporary corpus folder (no entity stage) and return the results."""
    from reader.tei.ingest import Ingester

    out = tmp_path / "tei"

    def run(paths, today="2026-01-01", stages=()):
        return Ingester(out, stages=stages, today=today).run(paths)

    run.out = out
    return run


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a test's database is rolled back, and with it the corpus
    revision bump (it runs on commit), so a page or download cached by an earlier test would be served."""
    from django.core.cache import cache

    cache.clear()


def pytest_collection_modifyitems(items):
    """Mark every test that touches the database, so `make test` can rerun them on PostgreSQL."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("django_db") or {
            "db",
            "transactional_db",
            "client",
            "admin_client",
            "django_db_setup",
            "django_assert_num_queries",
            "live_server",
        } & set(fixtures):
            item.add_marker(pytest.mark.database)
