"""Reader URLs. Document slugs and paragraph ids are permanent (see DESIGN.md).

They are the files' xml:ids, which may hold dots and non-ASCII letters (``a.dotted.id``,
``s.2.1.1``): ``str`` (anything but ``/``, which no xml:id has), not ``slug``, so every
loaded id reverses and no page answers 500 for one document's id.
"""

from django.urls import path

from reader import exports

from . import views
from .views import facsimile, maps
from .views.relations import compare_relations

app_name = "texts"
#: The downloads first (their routes come from the export registry), then the pages.
urlpatterns = exports.url_patterns("texts") + [
    path("", views.home, name="home"),
    path("texts/<str:doc>/manifest.json", facsimile.document_manifest, name="document-manifest"),
    path("texts/<str:doc>/facsimile/<path:name>", facsimile.facsimile_image, name="facsimile-image"),
    path("texts/<str:doc>/", views.document, name="document"),
    path("texts/<str:doc>/<str:pid>/", views.paragraph, name="paragraph"),
    path("compare/<str:work>/", views.compare, name="compare"),
    path("compare/<str:work>/apparatus/", views.compare_apparatus, name="compare-apparatus"),
    path("compare/<str:work>/units/", views.compare_units, name="compare-units"),
    path("compare/<str:work>/density/", views.compare_density, name="compare-density"),
    path("compare/<str:work>/relations/", compare_relations, name="compare-relations"),
    path("entities/", views.entity_index, name="entities"),
    path("entities/<str:xml_id>/", views.entity, name="entity"),
    path("map/", maps.map_page, name="map"),
    path("map/places.json", maps.map_places, name="map-places"),
    path("timeline/", maps.timeline, name="timeline"),
    path("search/", views.search, name="search"),
]
