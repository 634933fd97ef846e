from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    """Annotator work: roles, the entity and mention admin, history, publishing back to TEI."""

    name = "reader.annotations"
    label = "annotations"
    verbose_name = "Annotation"

    def ready(self):
        from django.db.models.signals import post_save

        from reader.texts.models import CorpusFile

        from .signals import register_saved

        post_save.connect(register_saved, sender=CorpusFile, dispatch_uid="annotations-register-redirects")
