"""Machine interfaces below ``/api/``: DTS 1.0, exports, and the OpenAPI description of the JSON ones."""

from django.urls import path

from . import exports, views

app_name = "api"
urlpatterns = [
    path("dts/", views.entry, name="dts-entry"),
    path("dts/collection/", views.collection, name="dts-collection"),
    path("dts/navigation/", views.navigation, name="dts-navigation"),
    path("dts/document/", views.document, name="dts-document"),
    path("openapi.json", exports.openapi, name="openapi"),
    path("texts/<str:doc>/annotations.jsonld", exports.annotations, name="annotations"),
    path("texts/<str:doc>/mentions.csv", exports.mentions_csv, name="mentions-csv"),
    path("register.csv", exports.register_csv, name="register-csv"),
    path("works/<str:work>.zip", exports.work_zip, name="work-zip"),
]
