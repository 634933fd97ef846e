"""Real multi-witness material for the compare views: chapter 1 of Darwin's *On the Origin of Species*
in its six editions (1859, 1860, 1861, 1866, 1869, 1872), 47 paragraph units (four only in 1869 and 1872),
11,100–12,400 words an edition: CollateX's demo data (``bench/data/darwin-origin-ch1.json``, from
github.com/interedition/collatex ``collatex-tools/src/main/resources/static/darwin.html``; Darwin's text is
in the public domain; source and licence recorded in ``bench/README.md``). The compare views were not tuned on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from texts_tei import _write, tei_document

DARWIN = Path(__file__).resolve().parent.parent / "bench" / "data" / "darwin-origin-ch1.json"
#: siglum (year) -> slug; the slugs sort otherwise than the dates, so date order is tested, not slug order.
EDITIONS = {
    "1859": "origin-first",
    "1860": "origin-second",
    "1861": "origin-third",
    "1866": "origin-fourth",
    "1869": "origin-fifth",
    "1872": "origin-sixth",
}


def darwin_units() -> tuple[list[str], list[dict[str, str]]]:
    """The sigla (years) and, per paragraph unit, {siglum: text} for the editions that have it."""
    units = [
        {w["id"]: w["content"] for w in unit["witnesses"]} for unit in json.loads(DARWIN.read_text(encoding="utf-8"))
    ]
    return sorted({s for unit in units for s in unit}), units


def write_darwin(directory: Path, editions=None, metadata: bool = False) -> Path:
    """One TEI file per edition (one paragraph per CollateX unit the edition has), all one work;
    ``metadata``: each header names the edition's siglum, date and author, as ``ingest --meta`` writes them."""
    sigla, units = darwin_units()
    directory.mkdir(parents=True, exist_ok=True)
    for siglum in editions or sigla:
        paragraphs = "".join(
            f'<p xml:id="p{k}">{escape(unit[siglum])}</p>' for k, unit in enumerate(units, 1) if siglum in unit
        )
        body = (
            f'<div type="section" xml:id="s1"><head xml:id="h1">Variation under domestication</head>{paragraphs}</div>'
        )
        slug = EDITIONS[siglum]
        xml = tei_document(
            slug, body, f"On the Origin of Species, chapter 1 ({siglum})", work="origin", seed=f"darwin-{siglum}.txt"
        )
        _write(directory / f"{slug}.xml", xml)
        if metadata:
            from reader.tei.metadata import WitnessMeta, apply_metadata
            from reader.tei.xml import parse_file, serialize

            root = parse_file(directory / f"{slug}.xml")
            apply_metadata(root, WitnessMeta(author="Charles Darwin", date=siglum, siglum=siglum))
            (directory / f"{slug}.xml").write_bytes(serialize(root))
    return directory


def load_darwin(directory: Path, editions=None) -> None:
    """Write (each edition with its siglum, author and date, as the editor's metadata gives them) and import."""
    from reader.texts.loader import CorpusLoader
    from reader.texts.models import Document

    write_darwin(directory, editions, metadata=True)
    report = CorpusLoader(directory).run()
    assert report.failed == []
    for siglum, slug in EDITIONS.items():
        assert set(Document.objects.filter(slug=slug).values_list("siglum", "date", "author")) <= {
            (siglum, siglum, "Charles Darwin")
        }
