"""The vocabulary's kinds for templates that have no view of their own to pass them (legends)."""

from django import template

from reader.texts.models import Mention

register = template.Library()


@register.simple_tag
def mention_kinds() -> list[tuple[str, str]]:
    """(kind, label) of every kind a mention can be of, in the vocabulary's order."""
    return Mention.Kind.choices
