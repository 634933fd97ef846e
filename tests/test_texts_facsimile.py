"""Facsimiles beside the text (issue 19, item 3): ``importtei`` keeps ``facsimile`` and ``@facs``;
``reader.tei.facsimile`` reads pages, zones and the units they hold; the reading view shows the
page images the site can reach (files next to the TEI, served with path checks; hosts named in
``PARALLAX_IIIF_HOSTS``); each such document publishes a IIIF Presentation 3 manifest.

The fixture manuscript and its page images (PNG, made here with Pillow) are built by the tests;
the real file is a choirbook transcription of the Franciscan library in Graz (tests/data/foreign).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from reader.tei.facsimile import image_source, read_facsimile
from reader.tei.foreign import ForeignImporter
from reader.tei.xml import NS, XML_ID, parse_file, tei

FOREIGN = Path(__file__).parent / "data" / "foreign"

MANUSCRIPT = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="ms-fixture">
  <teiHeader><fileDesc><titleStmt><title>A fixture manuscript</title></titleStmt>
    <publicationStmt><availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability></publicationStmt>
    <sourceDesc><p>Made by the test.</p></sourceDesc></fileDesc></teiHeader>
  <facsimile>
    <surface xml:id="s1" n="1r" ulx="0" uly="0" lrx="400" lry="600">
      <graphic url="thumbs/1r.jpg" rend="thumbnail"/>
      <graphic url="images/1r.png" width="400px" height="600px"/>
      <zone xml:id="z-head" ulx="40" uly="30" lrx="360" lry="80"/>
      <zone xml:id="z-l1" points="40,100 360,100 360,140 40,140"/>
      <zone xml:id="z-l2" points="40,150 360,150 360,190 40,190"/>
      <desc>a description the reader does not need</desc>
    </surface>
    <surface xml:id="s2" n="1v">
      <graphic url="images/1v.png"/>
      <zone xml:id="z-p2" ulx="50" uly="70" lrx="450" lry="370"/>
    </surface>
    <surface xml:id="s3" n="2r"><graphic url="../secret.png"/></surface>
  </facsimile>
  <text><body><div>
    <pb n="1r" facs="#s1"/>
    <head facs="#z-head">Incipit</head>
    <p xml:id="para1"><lb facs="#z-l1"/>Primus versus scriptus <lb facs="#z-l2"/>secundus versus</p>
    <pb n="1v" facs="#s2"/>
    <p xml:id="para2" facs="#z-p2">Tertia pagina textus</p>
  </div></body></text>
</TEI>
"""

PLAIN = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="no-images"><teiHeader><fileDesc><titleStmt>
<title>No images</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>
</fileDesc></teiHeader><text><body><p>Only text here.</p></body></text></TEI>"""


def _manuscript(tmp_path: Path, *, validate: bool = False) -> tuple[Path, list]:
    """The fixture imported into ``tmp_path/tei``, its page images put next to the TEI there."""
    source = tmp_path / "in" / "ms.xml"
    source.parent.mkdir()
    source.write_text(MANUSCRIPT, encoding="utf-8")
    out = tmp_path / "tei"
    reports = ForeignImporter(out, tmp_path / "sources", validate=validate).run([source])
    (out / "images").mkdir()
    Image.new("RGB", (400, 600), (230, 220, 190)).save(out / "images" / "1r.png")
    Image.new("RGB", (500, 700), (200, 210, 230)).save(out / "images" / "1v.png")  # no size in the TEI
    Image.new("RGB", (10, 10), (0, 0, 0)).save(tmp_path / "secret.png")  # outside the corpus folder
    return out, reports


def _loaded(tmp_path, settings) -> Path:
    from reader.texts.loader import CorpusLoader

    out, reports = _manuscript(tmp_path)
    assert all(r.ok for r in reports), [r.error for r in reports]
    (out / "no-images.xml").parent.mkdir(exist_ok=True)
    plain = tmp_path / "in" / "plain.xml"
    plain.write_text(PLAIN, encoding="utf-8")
    assert all(r.ok for r in ForeignImporter(out, tmp_path / "sources", validate=False).run([plain]))
    assert CorpusLoader(out).run().failed == []
    settings.CORPUS_TEI_DIR = out
    return out


def _panel_data(page: str) -> dict:
    found = re.search(r'<script id="facsimile-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no facsimile data on the page"
    return json.loads(found[1])


# ------------------------------------------------------------------------- import and reading (no database)
def test_import_keeps_the_facsimile_and_every_pointer_to_it_and_stays_valid(tmp_path):
    out, reports = _manuscript(tmp_path, validate=True)
    report = reports[0]
    assert report.ok and not [p for p in report.problems if "tei_all" in p], report.problems
    root = parse_file(out / "ms-fixture.xml")
    assert [etree_name(c) for c in root][:3] == ["teiHeader", "facsimile", "text"]
    surfaces = root.findall("tei:facsimile/tei:surface", NS)
    assert [s.get("n") for s in surfaces] == ["1r", "1v", "2r"]
    assert root.find(".//tei:zone[@points='40,100 360,100 360,140 40,140']", NS) is not None
    assert root.find(".//tei:facsimile//tei:desc", NS) is None and report.dropped["desc in facsimile"] == 1
    assert [pb.get("facs") for pb in root.iter(tei("pb"))] == ["#s1", "#s2"]
    assert [lb.get("facs") for lb in root.iter(tei("lb"))] == ["#z-l1", "#z-l2"]
    para2 = next(p for p in root.iter(tei("p")) if p.get(XML_ID) == "para2")
    assert para2.get("facs") == "#z-p2"
    assert root.find(".//tei:head", NS).get("facs") == "#z-head"


def etree_name(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_pages_zones_and_the_units_on_them(tmp_path):
    out, _ = _manuscript(tmp_path)
    root = parse_file(out / "ms-fixture.xml")
    facsimile = read_facsimile(root)
    assert [p.label for p in facsimile.pages] == ["1r", "1v", "2r"]
    first, second, third = facsimile.pages
    assert first.url == "images/1r.png"  # the thumbnail is not the page image
    assert (first.width, first.height) == (400, 600) and (second.width, second.height) == (None, None)
    assert third.source is None  # ../secret.png leaves the TEI's folder
    zones = {z.id: z for z in first.zones}
    assert zones["z-l1"].box == (40, 100, 320, 40) and zones["z-l1"].units == ["para1"]
    assert zones["z-l2"].units == ["para1"]
    head = root.find(".//tei:head", NS).get(XML_ID)
    assert zones["z-head"].units == [head]
    assert facsimile.unit_pages == {head: [0], "para1": [0], "para2": [1]}
    assert facsimile.pointers["#z-p2"] == (1, "z-p2") and facsimile.pointers["#s2"] == (1, None)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("images/1r.png", "local"),
        ("MS1%20f23r.png", "local"),
        ("https://iiif.example.org/iiif/3/ms1/info.json", "iiif"),
        ("https://iiif.example.org/iiif/2/ms1/full/!1024,1024/0/default.jpg", "iiif"),
        ("https://example.org/scans/f1.jpg", "remote"),
        ("../secret.png", None),
        ("images/../../secret.png", None),
        ("/etc/hostname.png", None),
        ("file:///etc/x.png", None),
        ("images\\x.png", None),
        ("masters/1r.tif", None),  # a TIFF: no browser shows it
        ("Arthur-Schnitzler_an_Hermann-Bahr_00010", None),  # a name, not a file
    ],
)
def test_which_images_the_site_can_reach(url, kind):
    source = image_source(url)
    assert (source.kind if source else None) == kind
    if kind == "iiif":
        assert source.url.endswith("/ms1")


def test_iiif_hosts_are_the_only_others_the_csp_allows():
    import os
    import subprocess
    import sys

    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reader.settings",
        "PARALLAX_IIIF_HOSTS": "https://iiif.example.org,javascript:alert(1),https://evil.example/x/y",
    }
    directives = json.loads(
        subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    )
    assert (
        "https://iiif.example.org" in directives["img-src"] and "https://iiif.example.org" in directives["connect-src"]
    )
    assert not [s for s in directives["img-src"] + directives["connect-src"] if "alert" in s or "evil" in s]
    del env["PARALLAX_IIIF_HOSTS"]
    default = json.loads(
        subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    )
    assert default["connect-src"] == ["'self'"] and "https://iiif.example.org" not in default["img-src"]


# ------------------------------------------------------------------------- the site
@pytest.mark.django_db
def test_reading_view_shows_the_page_images_and_their_zones(client, tmp_path, settings):
    out = _loaded(tmp_path, settings)
    page = client.get("/texts/ms-fixture/").content.decode()
    assert 'class="facsimile-panel"' in page and "vendor/openseadragon/openseadragon.min.js" in page
    assert '<a href="/texts/ms-fixture/manifest.json" type="application/ld+json"' in page
    assert 'data-facs="#z-l1"' in page and 'class="facs-lb"' in page
    data = _panel_data(page)
    assert [p["label"] for p in data["pages"]] == ["1r", "1v"]  # 2r's image is outside the corpus folder
    assert data["pages"][0]["image"] == {"type": "image", "url": "/texts/ms-fixture/facsimile/images/1r.png"}
    line = next(z for z in data["pages"][0]["zones"] if z["id"] == "z-l1")
    assert (line["x"], line["y"], line["w"], line["h"]) == (0.1, 0.25, 0.8, 0.1)  # in image widths
    assert line["units"] == ["para1"] and data["units"]["para2"] == [1]
    second = data["pages"][1]["zones"][0]  # size from the PNG itself: 500 px wide
    assert (second["x"], second["w"]) == (0.1, 0.8)
    image = client.get("/texts/ms-fixture/facsimile/images/1r.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == (out / "images" / "1r.png").read_bytes()
    assert "facsimile-panel" not in client.get("/texts/no-images/").content.decode()


@pytest.mark.django_db
def test_only_the_images_a_document_names_are_served(client, tmp_path, settings):
    _loaded(tmp_path, settings)
    assert (tmp_path / "secret.png").exists() and (tmp_path / "tei" / "register.xml").exists()
    for path in (
        "../secret.png",
        "%2e%2e/secret.png",
        "images/../../secret.png",
        "register.xml",  # in the corpus folder, but no page of this document
        "ms-fixture.xml",
        "images/missing.png",
    ):
        assert client.get(f"/texts/ms-fixture/facsimile/{path}").status_code == 404, path
    assert client.get("/texts/no-images/facsimile/images/1r.png").status_code == 404  # another document's


@pytest.mark.django_db
def test_the_manifest_is_iiif_presentation_3_and_reads_back(client, tmp_path, settings):
    _loaded(tmp_path, settings)
    response = client.get("/texts/ms-fixture/manifest.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["@context"] == "http://iiif.io/api/presentation/3/context.json" and data["type"] == "Manifest"
    assert data["id"] == "http://testserver/texts/ms-fixture/manifest.json"
    assert data["label"] == {"en": ["A fixture manuscript"]}
    canvases = data["items"]
    assert [(c["label"], c["width"], c["height"]) for c in canvases] == [
        ({"none": ["1r"]}, 400, 600),
        ({"none": ["1v"]}, 500, 700),
    ]
    painting = canvases[0]["items"][0]["items"][0]
    assert painting["motivation"] == "painting" and painting["target"] == canvases[0]["id"]
    assert painting["body"]["id"] == "http://testserver/texts/ms-fixture/facsimile/images/1r.png"
    assert painting["body"]["type"] == "Image" and painting["body"]["format"] == "image/png"
    zones = {a["target"]: a for a in canvases[0]["annotations"][0]["items"]}
    line = zones[f"{canvases[0]['id']}#xywh=40,100,320,40"]
    assert line["motivation"] == "supplementing" and "Primus versus scriptus" in line["body"]["value"]
    # the library reads it back into its model, and writes the same JSON again
    assert json.loads(Manifest(**data).jsonld()) == data
    assert client.get("/texts/no-images/manifest.json").status_code == 404


@pytest.mark.django_db
def test_load_then_export_gives_back_the_facsimile_and_its_pointers(tmp_path, settings):
    from lxml import etree

    from reader.texts.exporter import CorpusExporter

    out = _loaded(tmp_path, settings)
    exported = tmp_path / "exported"
    CorpusExporter(exported).run()

    def canonical(path):
        return etree.tostring(etree.parse(str(path)), method="c14n2")

    assert canonical(exported / "ms-fixture.xml") == canonical(out / "ms-fixture.xml")
    assert read_facsimile(parse_file(exported / "ms-fixture.xml")).unit_pages["para2"] == [1]


@pytest.mark.django_db
def test_a_iiif_image_service_is_tiled_from_its_info_json_when_its_host_is_allowed(client, tmp_path, settings):
    from reader.texts.loader import CorpusLoader

    source = tmp_path / "iiif.xml"
    source.write_text(
        MANUSCRIPT.replace('xml:id="ms-fixture"', 'xml:id="ms-iiif"').replace(
            '<graphic url="images/1v.png"/>',
            '<graphic url="https://iiif.example.org/iiif/3/ms1v/info.json" width="800" height="1200"/>',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "tei"
    assert ForeignImporter(out, tmp_path / "sources", validate=False).run([source])[0].ok
    assert CorpusLoader(out).run().failed == []
    settings.CORPUS_TEI_DIR = out
    assert "facsimile-panel" not in client.get("/texts/ms-iiif/").content.decode()  # no image it may show
    settings.PARALLAX_IIIF_HOSTS = ["https://iiif.example.org"]
    data = _panel_data(client.get("/texts/ms-iiif/").content.decode())
    assert data["pages"] == [
        {
            "id": "s2",
            "label": "1v",
            "image": {"type": "iiif", "url": "https://iiif.example.org/iiif/3/ms1v/info.json"},
            "zones": [
                {
                    "id": "z-p2",
                    "x": 50 / 800,
                    "y": 70 / 800,
                    "w": 400 / 800,
                    "h": 300 / 800,
                    "units": ["para2"],
                    "label": "",
                }
            ],
        }
    ]
    canvas = json.loads(client.get("/texts/ms-iiif/manifest.json").content)["items"][0]
    body = canvas["items"][0]["items"][0]["body"]
    assert (canvas["width"], canvas["height"]) == (800, 1200)
    assert body["id"] == "https://iiif.example.org/iiif/3/ms1v/full/max/0/default.jpg"
    assert body["service"][0]["id"] == "https://iiif.example.org/iiif/3/ms1v"


# ------------------------------------------------------------------------- a real manuscript transcription
@pytest.mark.django_db
def test_a_real_choirbook_transcription_with_line_zones(client, tmp_path, settings):
    """A-Gf S 1/39 (Graz, Franciscan library): 13 pages, 271 zones (regions and lines as polygons),
    ``ab/@facs`` and ``lb/@facs``; images are handle URLs on another host."""
    from reader.texts.loader import CorpusLoader

    out = tmp_path / "tei"
    source = tmp_path / "S1_39.xml"
    shutil.copy(FOREIGN / "ofmgraz-S1_39.xml", source)
    report = ForeignImporter(out, tmp_path / "sources", validate=False).run([source])[0]
    assert report.ok and report.mapped["facsimile (pages, images, zones) -> facsimile"] == 1
    root = parse_file(out / f"{report.slug}.xml")
    facsimile = read_facsimile(root)
    assert len(facsimile.pages) == 13 and sum(len(p.zones) for p in facsimile.pages) == 271
    deum = next(u for u in root.iter(tei("ab"), tei("p")) if "Deum laudamus" in "".join(u.itertext()))
    unit = deum.get(XML_ID)
    on_page = {z.id for z in facsimile.pages[2].zones if unit in z.units}
    assert on_page == {"facs_3_rqjXy_22", "facs_3_tl_1737385051"}  # its region and its line
    assert facsimile.unit_pages[unit] == [2]

    assert CorpusLoader(out).run().failed == []
    settings.CORPUS_TEI_DIR = out
    url = f"/texts/{report.slug}/"
    assert "facsimile-panel" not in client.get(url).content.decode()  # hdl.handle.net is not allowed
    settings.PARALLAX_IIIF_HOSTS = ["https://hdl.handle.net"]
    from django.core.cache import cache

    cache.clear()
    data = _panel_data(client.get(url).content.decode())
    assert len(data["pages"]) == 13 and data["pages"][2]["image"]["url"].startswith("https://hdl.handle.net/")
    manifest = json.loads(client.get(f"/texts/{report.slug}/manifest.json").content)
    assert len(manifest["items"]) == 13 and (manifest["items"][2]["width"], manifest["items"][2]["height"]) == (
        2000,
        2631,
    )
    assert json.loads(Manifest(**manifest).jsonld()) == manifest
