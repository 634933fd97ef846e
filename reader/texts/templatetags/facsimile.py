"""``{% facsimile_panel document %}``: the reading view's page images beside the text, when it has any."""

from django import template

from ..views.facsimile import facsimile_context

register = template.Library()


@register.inclusion_tag("texts/_facsimile.html")
def facsimile_panel(document):
    """The panel (OpenSeadragon, zones, the IIIF manifest's link), or nothing for a text without a facsimile."""
    return {"facsimile": facsimile_context(document), "document": document}
