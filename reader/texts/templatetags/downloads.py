"""``{% downloads scope [group=...] [query=...] doc=... as links %}``: the links to the exports the registry
(:mod:`reader.exports.registry`) has for a scope, each with ``url``, ``label``, ``media_type``, ``download``
and its ``export``."""

from django import template

from reader import exports

register = template.Library()


@register.simple_tag
def downloads(scope: str, group: str = "", query: str = "", **parameters) -> list[exports.Link]:
    return exports.links(scope, group=group, query=query, **parameters)
