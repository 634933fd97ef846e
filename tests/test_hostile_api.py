"""The DTS API and the exports are read-only: every write answers the documented JSON problem 405 with
``Allow: GET, HEAD`` (not Django's HTML CSRF 403), for anonymous and logged-in clients alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from annotating import client_for


def api_urls(document) -> list[str]:
    return [
        reverse("api:dts-entry"),
        reverse("api:dts-collection"),
        reverse("api:dts-navigation") + f"?resource={document.slug}",
        reverse("api:dts-document") + f"?resource={document.slug}",
        reverse("api:openapi"),
        reverse("api:annotations", args=[document.slug]),
        reverse("api:mentions-csv", args=[document.slug]),
        reverse("api:register-csv"),
        reverse("api:work-zip", args=[document.work.slug]),
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_the_api_get_a_json_405(corpus, annotator, method):
    clients = [Client(enforce_csrf_checks=True), client_for(annotator, csrf=True)]
    for client in clients:
        for url in api_urls(corpus):
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            assert response.status_code == 405, (url, response.status_code)
            assert response["Content-Type"].startswith("application/problem+json"), url
            assert response["Allow"] == "GET, HEAD"
            body = json.loads(response.content)
            assert body["status"] == 405 and method.upper() in body["detail"]
    assert Client().get(api_urls(corpus)[1]).status_code == 200
