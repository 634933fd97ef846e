"""Write ``given_names.txt``: given names of many languages in the Latin script (run by hand).

    pip download --no-deps faker==40.63.0 -d /tmp/names && (cd /tmp/names && unzip -q faker-*.whl)
    python -m reader.tei.entities.build_given_names /tmp/names

The names are the ``first_names*`` lists of Faker's person providers (``faker/providers/person/<locale>``;
Faker is MIT-licensed), every locale whose names are written in the Latin script, a name given in two
locales or more. Left out, because a capitalised word that is one of them is more often something else: names that are places of 15,000
people or more ("Victoria", "Florence", "Paris"), words that make a span an organisation, a place or no
name ("Hope", "Major"), buildings ("Villa"), and names of fewer than three letters. Running it twice changes nothing.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

from . import names as N
from .places import known_place

OUT = Path(__file__).with_name("given_names.txt")
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+(?:[-'’][A-ZÀ-ÖØ-ÞĀ-Ž]?[a-zß-öø-ÿā-ž]+)?")
_FIRST_NAMES = re.compile(r"^first_names\w*$")


def provider_names(source: str) -> set[str]:
    """The strings of a provider's ``first_names*`` assignments (tuples, lists, or dicts and OrderedDicts
    of weights), read from its source without importing it."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and _FIRST_NAMES.match(t.id) for t in targets):
            out.update(
                n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
    return out


def wanted(name: str) -> bool:
    return (
        len(name) >= 3
        and bool(_LATIN_NAME.fullmatch(name))
        and not known_place(name, 15_000)
        and not N.has_keyword(name, N.ORG_WORDS | N.PLACE_WORDS | N.NOT_NAMES | N.STOP_WORDS | N.TITLE_WORDS)
        and name not in N.BUILDING_WORDS | N.SITE_WORDS
    )


#: A name must be given in this many of Faker's locales: one locale's long lists hold words ("Royal", "Price").
LOCALES = 2


def main(faker_root: Path) -> None:
    seen: Counter[str] = Counter()
    for path in sorted((faker_root / "faker" / "providers" / "person").glob("*/__init__.py")):
        seen.update(n for n in provider_names(path.read_text(encoding="utf-8")) if wanted(n))
    names = {n for n, count in seen.items() if count >= LOCALES}
    header = "# Given names in the Latin script, from Faker's person providers (MIT); see build_given_names.py\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
