from django.apps import AppConfig


class TextsConfig(AppConfig):
    """Works, witnesses, sections and paragraphs: reading, comparing, citing."""

    name = "reader.texts"
    label = "texts"
    verbose_name = "Texts"

    def ready(self):
        from django.db import connections
        from django.db.models.signals import post_migrate

        from reader.caching import connect_signals

        from .searching import ensure_index

        connect_signals()
        post_migrate.connect(
            lambda using, **kwargs: ensure_index(connections[using]) if kwargs.get("sender") is self else None,
            weak=False,
            dispatch_uid="texts-fulltext-index",
        )
