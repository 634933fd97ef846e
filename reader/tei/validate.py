"""Validation against the TEI P5 ``tei_all`` RELAX NG schema.

The schema (TEI P5 4.3.0, from the TEI Consortium, dual-licensed CC BY 3.0
and BSD-2; see ``schema/README.md``) is shipped with the code so that
nothing is fetched at run time. Compiling it takes several seconds, so it is
compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from .xml import TEIError, parse_file

SCHEMA_PATH = Path(__file__).with_name("schema") / "tei_all.rng"


@lru_cache(maxsize=1)
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


def validate_tree(root: etree._Element, name: str = "<tree>") -> list[str]:
    """Errors of ``root`` against tei_all, each 'name: line N: message'; empty when valid."""
    schema = tei_all()
    # Validate a re-parsed copy so that line numbers are those of the serialised file.
    if schema.validate(root):
        return []
    return [f"{name}: line {e.line}: {e.message}" for e in schema.error_log]


def validate_file(path: str | Path) -> list[str]:
    try:
        root = parse_file(path)
    except TEIError as exc:
        return [str(exc)]
    return validate_tree(root.getroottree().getroot(), str(path))
