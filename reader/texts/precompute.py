"""``load``'s hook: the default compare pages of the works a load touched, built and stored once
(:mod:`reader.texts.stored_comparisons` keeps them; :func:`reader.texts.views.compare.store_defaults`
builds them). Apart from both so that neither imports the other."""

from __future__ import annotations

import logging

from django.db.models import Count

from .models import Collation, Document, Work
from .views.compare import store_defaults

log = logging.getLogger(__name__)


def precompute_loaded(report) -> None:
    """Store the default compare pages of every work a loaded file belongs to.
    Never raises: a work that fails is logged and built on its first request instead."""
    loaded = list(report.loaded)
    if not loaded:
        return
    works = set(Document.objects.filter(file__path__in=loaded).values_list("work_id", flat=True))
    works |= set(Collation.objects.filter(file__path__in=loaded).values_list("work_id", flat=True))
    for work in Work.objects.filter(pk__in=works).annotate(n=Count("witnesses")).filter(n__gte=2).order_by("slug"):
        try:
            store_defaults(work)
        except Exception:  # noqa: BLE001 (the load itself succeeded; the page builds it when asked)
            log.exception("precomputing the comparison of %s failed", work.slug)
