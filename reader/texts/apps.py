from django.apps import AppConfig


class TextsConfig(AppConfig):
    """Works, witnesses, sections and paragraphs: reading, comparing, citing."""

    name = "reader.texts"
    label = "texts"
    verbose_name = "Texts"

    def ready(self):
        from reader.caching import connect_signals

        connect_signals()
