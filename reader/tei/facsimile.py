"""A TEI document's facsimile as plain data: pages (image, size), zones, and the text they hold.

Reads ``facsimile`` (``graphic``, ``surface`` with its ``graphic`` and ``zone``s, ``surfaceGrp``)
and the text's ``@facs`` pointers: ``pb/@facs`` says which page the text that follows is on;
``@facs`` on a line, a paragraph or any other element says which zone of the page holds it.
A pointer is ``#id`` (of a surface, zone or graphic) or, as some editions write it, an image's
URL or the ``url`` of one of the file's ``graphic``s. Plain lxml; no Django (the reader's view
and the IIIF manifest build on :func:`read_facsimile`).

Where an image lives (:func:`image_source`): a relative URL is a file the editor supplies next to
the TEI file (no ``..``, no absolute path; browser image formats only); an ``http(s)`` URL is either
a IIIF Image API resource (``…/info.json`` or ``…/{region}/{size}/{rotation}/{quality}.{format}``,
shown tiled from its service) or a plain image.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from .document import citable_units
from .xml import NS, XML_ID, tei

#: Image formats a browser shows (a TIFF master is skipped for the next ``graphic``), by extension.
IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}
_IIIF_IMAGE = re.compile(
    r"^(?P<base>https?://.+?)/(?:full|square|pct:[\d.,]+|\d+,\d+,\d+,\d+)/"
    r"(?:full|max|\^?max|\^?pct:[\d.]+|\^?!?\d*,\d*)/!?\d+(?:\.\d+)?/"
    r"(?:default|color|gray|bitonal|native)\.(?:jpg|png|gif|webp|tif|jp2)$"
)
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")


@dataclass(frozen=True)
class ImageSource:
    """Where a page's image comes from: ``local`` (a file next to the TEI, ``path`` relative to it),
    ``iiif`` (``url`` is the Image API service's base) or ``remote`` (``url`` is the image)."""

    kind: str
    url: str
    path: str = ""
    format: str = ""


@dataclass
class Zone:
    """A region of a page (``zone``): a box and, when given, a polygon; the units whose text it holds."""

    id: str
    box: tuple[float, float, float, float]  #: x, y, width, height in the page's coordinates
    points: list[tuple[float, float]] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  #: ids of the citable units pointing to it
    label: str = ""  #: the zone's ``@n`` or ``@type``


@dataclass
class Page:
    """A page image (``surface`` or ``graphic``) with its zones, in the order of the facsimile."""

    id: str
    label: str
    url: str  #: the ``graphic/@url`` as the file gives it ('' when the page has none)
    source: ImageSource | None
    width: float | None = None
    height: float | None = None
    origin: tuple[float, float] = (0.0, 0.0)  #: the surface's ``ulx``/``uly``: zone coordinates start there
    zones: list[Zone] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  #: units on this page (a unit a page break cuts is on both)


@dataclass
class Facsimile:
    """The pages of a document and which of them each unit is on."""

    pages: list[Page]
    unit_pages: dict[str, list[int]]  #: unit id -> indexes of its pages, the one it begins on first
    #: each ``@facs`` token the file can use -> (page index, zone id or None)
    pointers: dict[str, tuple[int, str | None]] = field(default_factory=dict)


def image_source(url: str) -> ImageSource | None:
    """How the image at ``url`` (a ``graphic/@url`` or ``@facs``) is reached; None if it is not one a
    browser can show from here (an unknown format, a path leaving the TEI's folder, another scheme)."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.netloc:
            return None
        if url.endswith("/info.json"):
            return ImageSource("iiif", url[: -len("/info.json")])
        match = _IIIF_IMAGE.match(url)
        if match:
            return ImageSource("iiif", match["base"])
        return ImageSource("remote", url, format=IMAGE_TYPES.get(_extension(parts.path), ""))
    if parts.scheme or parts.netloc or parts.query:
        return None
    path = unquote(parts.path)
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    normal = posixpath.normpath(path)
    if normal.startswith("..") or normal.startswith("/") or normal in (".", ""):
        return None
    kind = IMAGE_TYPES.get(_extension(normal))
    if kind is None:
        return None
    return ImageSource("local", url, path=normal, format=kind)


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _number(value: str | None) -> float | None:
    match = _NUMBER.match(value or "")
    return float(match[1]) if match else None


def _box(el: etree._Element) -> tuple[tuple[float, float, float, float] | None, list[tuple[float, float]]]:
    """A zone's (or surface's) box from ``ulx``… or from the bounding box of ``points``."""
    points: list[tuple[float, float]] = []
    for pair in (el.get("points") or "").split():
        x, _, y = pair.partition(",")
        try:
            points.append((float(x), float(y)))
        except ValueError:
            return None, []
    corners = [_number(el.get(a)) for a in ("ulx", "uly", "lrx", "lry")]
    if all(c is not None for c in corners):
        ulx, uly, lrx, lry = corners
        if lrx > ulx and lry > uly:
            return (ulx, uly, lrx - ulx, lry - uly), points
    if len(points) >= 2:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        if max(xs) > min(xs) and max(ys) > min(ys):
            return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), points
    return None, []


def _best_graphic(graphics: list[etree._Element]) -> etree._Element | None:
    """The graphic to show: the first a browser can show that is not a thumbnail, else the first shown."""
    shown = [g for g in graphics if image_source(g.get("url") or "") is not None]
    full = [g for g in shown if "thumb" not in (g.get("rend") or "") + (g.get("type") or "")]
    return (full or shown or [None])[0]


class _Reader:
    def __init__(self, root: etree._Element):
        self.root = root
        self.pages: list[Page] = []
        self.by_id: dict[str, tuple[int, Zone | None]] = {}  #: xml:id of a surface/zone/graphic -> page, zone
        self.by_url: dict[str, int] = {}

    def read(self) -> Facsimile | None:
        for facsimile in self.root.findall("tei:facsimile", NS):
            self._holder(facsimile)
        unit_pages = self._text()
        if not any(p.source is not None for p in self.pages):
            return None
        pointers = {f"#{k}": (i, z.id if z is not None else None) for k, (i, z) in self.by_id.items()}
        pointers.update({url: (i, None) for url, i in self.by_url.items()})
        return Facsimile(self.pages, unit_pages, pointers)

    def _holder(self, el: etree._Element) -> None:
        for child in el:
            if child.tag == tei("graphic"):
                self._page(child, [child])
            elif child.tag == tei("surface"):
                self._page(child, child.findall("tei:graphic", NS))
            elif child.tag == tei("surfaceGrp"):
                self._holder(child)

    def _page(self, el: etree._Element, graphics: list[etree._Element]) -> None:
        graphic = _best_graphic(graphics)
        url = graphic.get("url") if graphic is not None else ""
        index = len(self.pages)
        ident = el.get(XML_ID) or f"page-{index + 1}"
        page = Page(ident, el.get("n") or str(index + 1), url or "", image_source(url or ""))
        box, _ = _box(el)
        if box is not None:
            page.origin, page.width, page.height = (box[0], box[1]), box[2], box[3]
        elif graphic is not None:
            page.width, page.height = _number(graphic.get("width")), _number(graphic.get("height"))
        self.pages.append(page)
        for g in graphics:
            if g.get(XML_ID):
                self.by_id[g.get(XML_ID)] = (index, None)
            if g.get("url"):
                self.by_url.setdefault(g.get("url"), index)
        if el.get(XML_ID):
            self.by_id[el.get(XML_ID)] = (index, None)
        for zone_el in el.iter(tei("zone")):
            box, points = _box(zone_el)
            ident = zone_el.get(XML_ID)
            if not ident:
                continue
            zone = None
            if box is not None:
                zone = Zone(ident, box, points, label=zone_el.get("n") or zone_el.get("type") or "")
                page.zones.append(zone)
            self.by_id[ident] = (index, zone)

    def resolve(self, pointer: str) -> tuple[int, Zone | None] | None:
        """The page (and zone) a ``@facs`` token points to; a new page for an image URL no graphic names."""
        if pointer.startswith("#"):
            return self.by_id.get(pointer[1:])
        if pointer in self.by_url:
            return self.by_url[pointer], None
        source = image_source(pointer)
        if source is None:
            return None
        self.pages.append(Page(f"page-{len(self.pages) + 1}", str(len(self.pages) + 1), pointer, source))
        self.by_url[pointer] = len(self.pages) - 1
        return len(self.pages) - 1, None

    def _text(self) -> dict[str, list[int]]:
        text = self.root.find("tei:text", NS)
        if text is None:
            return {}
        try:
            unit_ids = {u.id for u in citable_units(self.root)}
        except ValueError:
            unit_ids = set()
        unit_pages: dict[str, list[int]] = {}
        current: int | None = None
        unit_of: dict[etree._Element, str] = {}
        for el in text.iter(etree.Element):
            ident = el.get(XML_ID)
            unit = ident if ident in unit_ids else None
            if unit is None:
                parent = el.getparent()
                unit = unit_of.get(parent) if parent is not None else None
            if unit is not None:
                unit_of[el] = unit
            if unit is not None and ident == unit and current is not None:
                unit_pages.setdefault(unit, []).append(current)
            for pointer in (el.get("facs") or "").split():
                found = self.resolve(pointer)
                if found is None:
                    continue
                index, zone = found
                if el.tag == tei("pb") or zone is None:
                    current = index
                    if unit is not None and index not in unit_pages.setdefault(unit, []):
                        unit_pages[unit].append(index)
                elif unit is not None and unit not in zone.units:
                    zone.units.append(unit)
                    if index not in unit_pages.setdefault(unit, []):
                        unit_pages[unit].append(index)
        for unit, indexes in unit_pages.items():
            for index in indexes:
                self.pages[index].units.append(unit)
        return unit_pages


def read_facsimile(root: etree._Element) -> Facsimile | None:
    """The document's pages, zones and the units on each; None when it points to no image a
    browser can show (no ``facsimile``, or only TIFF masters and names of files not given)."""
    return _Reader(root).read()
