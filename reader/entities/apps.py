from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    """The register of persons, places, organisations and their mentions."""

    name = "reader.entities"
    label = "entities"
    verbose_name = "Entities"
