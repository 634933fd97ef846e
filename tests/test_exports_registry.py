"""The export registry (reader.exports.registry) on the seeds: every export it lists answers 200 with its
media type at the URL it gives, the URLs that existed before it still answer, the OpenAPI description lists
exactly the registry, and the pages link to every export of their scope."""

from __future__ import annotations

import pytest
from django.urls import resolve

from reader import exports
from reader.texts.loader import CorpusLoader
from reader.texts.models import Paragraph

pytestmark = pytest.mark.django_db

DOC = "soviet-partisans-in-latvia"
WORK = DOC  # the partisan article's work has its slug, two witnesses and an apparatus
#: The download URLs as they were before the registry, written out: they must keep answering.
OLD_URLS = [
    f"/texts/{DOC}.xml",
    f"/texts/{DOC}.txt",
    f"/texts/{DOC}.pdf",
    f"/texts/{DOC}/cite.bib",
    f"/texts/{DOC}/cite.ris",
    f"/texts/{DOC}/cite.json",
    f"/texts/{DOC}/{{pid}}/cite.bib",
    f"/texts/{DOC}/{{pid}}/cite.ris",
    f"/texts/{DOC}/{{pid}}/cite.json",
    f"/compare/{WORK}.xml",
    *(
        f"/compare/{WORK}/relations.{ext}"
        for ext in "nexus tnt phy fasta distances.phy distances.csv csv tsv xlsx beast.xml stemma.zip nwk".split()
    ),
    "/register.xml",
    "/api/register.csv",
    f"/api/works/{WORK}.zip",
    f"/api/texts/{DOC}/annotations.jsonld",
    f"/api/texts/{DOC}/mentions.csv",
    "/search/?q=Latvia&format=csv",
    "/search/?q=Latvia&format=json",
]


@pytest.fixture
def corpus(corpus_dir):
    assert CorpusLoader(corpus_dir).run().failed == []
    return Paragraph.objects.filter(document__slug=DOC).order_by("position").values_list("xml_id", flat=True)[0]


def _url(export, pid) -> str:
    url = export.url(doc=DOC, pid=pid, work=WORK)
    return url.replace("?", "?q=Latvia&") if export.scope == "search" else url


def test_every_registered_export_answers_200_with_its_media_type(client, corpus):
    assert len(exports.exports()) == len({e.name for e in exports.exports()}) >= len(OLD_URLS)
    for export in exports.exports():
        response = client.get(_url(export, corpus))
        assert response.status_code == 200, (export.name, response.content[:300])
        assert response["Content-Type"] == export.media_type, export.name
        assert response["Content-Disposition"].startswith(export.disposition + ";"), export.name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 20, export.name


def test_the_urls_from_before_the_registry_answer_as_the_registry_says(client, corpus):
    registered = {_url(e, corpus): e for e in exports.exports()}
    for old in OLD_URLS:
        url = old.format(pid=corpus)
        assert url in registered, url
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == registered[url].media_type, url
    assert resolve(f"/texts/{DOC}/").url_name == "document"  # the pages after the downloads still resolve
    assert resolve(f"/texts/{DOC}/{corpus}/").url_name == "paragraph"
    assert resolve(f"/compare/{WORK}/relations/").url_name == "compare-relations"


def test_an_extension_the_registry_lacks_is_404(client, corpus):
    assert client.get(f"/texts/{DOC}/cite.doc").status_code == 404
    assert client.get(f"/texts/{DOC}/{corpus}/cite.exe").status_code == 404
    missing = client.get(f"/compare/{WORK}/relations.pdf")
    assert missing.status_code == 404


def test_openapi_lists_exactly_the_registry(client, corpus):
    description = client.get("/api/openapi.json").json()
    listed = {
        (path, media_type)
        for path, item in description["paths"].items()
        for media_type in item["get"]["responses"]["200"]["content"]
        if not path.startswith("/api/dts/") and path != "/api/openapi.json"
    }
    assert listed == {(e.openapi_path, e.base_type) for e in exports.exports()}
    search = description["paths"]["/search/"]["get"]["parameters"]
    assert {"name": "format", "required": True, "enum": ["csv", "json"]}.items() <= {
        "name": search[0]["name"],
        "required": search[0]["required"],
        "enum": search[0]["schema"]["enum"],
    }.items()


def _hrefs(page: str) -> set[str]:
    import re

    return {h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', page)}


def test_the_pages_link_to_every_export_of_their_scope(client, corpus):
    def urls(scope, group=""):
        return {_url(e, corpus) for e in exports.exports() if e.scope == scope and e.group == group}

    assert urls("document") | urls("document", "cite") <= _hrefs(client.get(f"/texts/{DOC}/").content.decode())
    assert urls("unit", "cite") <= _hrefs(client.get(f"/texts/{DOC}/{corpus}/").content.decode())
    assert urls("corpus") <= _hrefs(client.get("/entities/pla-latvia/").content.decode())
    assert urls("work") <= _hrefs(client.get(f"/compare/{WORK}/").content.decode())
    relations = _hrefs(client.get(f"/compare/{WORK}/relations/?extant=10").content.decode())
    assert {f"{u}?extant=10" for u in urls("work", "relations")} <= relations
    assert len(urls("work", "relations")) == 12
    searched = _hrefs(client.get("/search/?q=Latvia&type=place").content.decode())
    assert {u.replace("q=Latvia", "q=Latvia&type=place") for u in urls("search")} <= searched
