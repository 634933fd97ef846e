"""Reader URLs. Document slugs and paragraph ids are permanent (see DESIGN.md)."""
from django.urls import path

from . import views

app_name = "texts"
urlpatterns = [
    path("", views.home, name="home"),
    path("texts/<slug:doc>.xml", views.document_tei, name="document-tei"),
    path("texts/<slug:doc>.txt", views.document_text, name="document-text"),
    path("texts/<slug:doc>/", views.document, name="document"),
    path("texts/<slug:doc>/<str:pid>/", views.paragraph, name="paragraph"),
    path("compare/<slug:work>.xml", views.collation_tei, name="collation-tei"),
    path("compare/<slug:work>/", views.compare, name="compare"),
    path("compare/<slug:work>/apparatus/", views.compare_apparatus, name="compare-apparatus"),
    path("compare/<slug:work>/units/", views.compare_units, name="compare-units"),
    path("compare/<slug:work>/density/", views.compare_density, name="compare-density"),
    path("entities/", views.entity_index, name="entities"),
    path("entities/<str:xml_id>/", views.entity, name="entity"),
    path("register.xml", views.register_tei, name="register-tei"),
    path("search/", views.search, name="search"),
]
