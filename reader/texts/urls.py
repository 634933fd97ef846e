"""Reader URLs. Document slugs and paragraph ids are permanent (see DESIGN.md).

They are the files' xml:ids, which may hold dots and non-ASCII letters (``a.dotted.id``,
``s.2.1.1``): ``str`` (anything but ``/``, which no xml:id has), not ``slug``, so every
loaded id reverses and no page answers 500 for one document's id.
"""

from django.urls import path

from . import views
from .views import facsimile, maps
from .views.relations import compare_relations, relations_download

app_name = "texts"
urlpatterns = [
    path("", views.home, name="home"),
    path("texts/<str:doc>.xml", views.document_tei, name="document-tei"),
    path("texts/<str:doc>.txt", views.document_text, name="document-text"),
    path("texts/<str:doc>.pdf", views.document_pdf, name="document-pdf"),
    path("texts/<str:doc>/cite.<str:ext>", views.document_citation, name="document-cite"),
    path("texts/<str:doc>/<str:pid>/cite.<str:ext>", views.paragraph_citation, name="paragraph-cite"),
    path("texts/<str:doc>/manifest.json", facsimile.document_manifest, name="document-manifest"),
    path("texts/<str:doc>/facsimile/<path:name>", facsimile.facsimile_image, name="facsimile-image"),
    path("texts/<str:doc>/", views.document, name="document"),
    path("texts/<str:doc>/<str:pid>/", views.paragraph, name="paragraph"),
    path("compare/<str:work>.xml", views.collation_tei, name="collation-tei"),
    path("compare/<str:work>/", views.compare, name="compare"),
    path("compare/<str:work>/apparatus/", views.compare_apparatus, name="compare-apparatus"),
    path("compare/<str:work>/units/", views.compare_units, name="compare-units"),
    path("compare/<str:work>/density/", views.compare_density, name="compare-density"),
    path("compare/<str:work>/relations/", compare_relations, name="compare-relations"),
    path("compare/<str:work>/relations.<str:ext>", relations_download, name="relations-download"),
    path("entities/", views.entity_index, name="entities"),
    path("entities/<str:xml_id>/", views.entity, name="entity"),
    path("map/", maps.map_page, name="map"),
    path("map/places.json", maps.map_places, name="map-places"),
    path("timeline/", maps.timeline, name="timeline"),
    path("register.xml", views.register_tei, name="register-tei"),
    path("search/", views.search, name="search"),
]
