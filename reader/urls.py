"""URL configuration. The scheme is described in README.md (stable URLs)."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Parallax"
admin.site.site_title = "Parallax admin"
admin.site.index_title = "Corpus, entities and annotation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("reader.api.urls")),
    path("", include("reader.texts.urls")),
]
