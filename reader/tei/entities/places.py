"""A list of the world's countries, continents, larger cities and first-level regions, and the
region's towns with their historical names (``places.tsv``, from GeoNames; see build_places.py).

Used to correct spaCy's type ("Dunkirk" labelled ORG is a place), to find a
city spaCy missed after a locative preposition, and to give places the
pipeline adds to the register a GeoNames id. Not used to find names on its
own: too many city names are also ordinary words or surnames.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("places.tsv")


@dataclass(frozen=True)
class Place:
    name: str
    geonameid: str
    population: int
    country: str
    kind: str  # country | continent | city | town | alt (another name of a town or city) | region


@lru_cache(maxsize=1)
def _rows() -> dict[str, list[str]]:
    """The file's rows by name, as read (a Place is made only for a name asked for: reading 78,000
    rows into dataclasses cost a second of every ingest's start)."""
    with PLACES_FILE.open(encoding="utf-8") as fh:
        rows = (line.rstrip("\n").split("\t") for line in fh if not line.startswith("#"))
        return {row[0]: row for row in rows}


def places() -> dict[str, Place]:
    return {name: _place(row) for name, row in _rows().items()}


def _place(row: list[str]) -> Place:
    name, gid, pop, country, kind = row
    return Place(name, gid, int(pop), country, kind)


def known_place(name: str, min_population: int = 0) -> Place | None:
    row = _rows().get(name)
    if row is None or int(row[2]) < min_population:
        return None
    return _place(row)


COORDINATES_FILE = PLACES_FILE.with_name("coordinates.tsv")


@lru_cache(maxsize=1)
def _points() -> dict[str, tuple[float, float]]:
    out = {}
    with COORDINATES_FILE.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                gid, lat, lon, _source = line.rstrip("\n").split("\t")
                out[gid] = (float(lat), float(lon))
    return out


def coordinates(geonameid: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a country, city or town of the gazetteer (``coordinates.tsv``), else None."""
    return _points().get(geonameid)
