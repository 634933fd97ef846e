"""Machine interfaces below ``/api/``: DTS 1.0, exports, and the OpenAPI description of the JSON ones."""

from django.urls import path

from reader import exports as registry

from . import exports, views

app_name = "api"
urlpatterns = [
    path("dts/", views.entry, name="dts-entry"),
    path("dts/collection/", views.collection, name="dts-collection"),
    path("dts/navigation/", views.navigation, name="dts-navigation"),
    path("dts/document/", views.document, name="dts-document"),
    path("openapi.json", exports.openapi, name="openapi"),
    *registry.url_patterns("api"),  # the exports below /api/, from the export registry
]
