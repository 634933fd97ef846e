"""URL configuration. The scheme is described in README.md (stable URLs)."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("reader.api.urls")),
    path("", include("reader.texts.urls")),
]
