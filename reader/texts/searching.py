"""Full-text search over paragraphs: the query language, the database's own index, hits marked.

Query language (said on the search page): words must all occur, in any order;
``"red army"`` is a phrase (its words in this order, side by side); ``partisan*``
is a prefix (partisan, partisans, partisanship). Case and diacritics are
ignored ("sprogis" finds "Sproģis"): both the paragraph's stored
``search_text`` and the query are folded the same way (``folding.fold``).

The index is the database's: FTS5 on SQLite (``texts_paragraph_fts``, kept by
triggers, ranked by BM25) and on PostgreSQL a stored ``to_tsvector('simple', …)``
column with a GIN index (ranked by ``ts_rank_cd``); any other database falls back to
unranked substring search. Results are ranked, best first; every hit in a
paragraph is marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection

from .folding import fold

#: Most terms read from one query (the rest are ignored, and the page says so).
MAX_TERMS = 12
_WORD = re.compile(r"\w+")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word, a prefix (``word*``) or a phrase (several words), folded."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Query:
    """A parsed query: its terms, and what was left out of it."""

    terms: list[Term] = field(default_factory=list)
    dropped: int = 0

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse(text: str) -> Query:
    """Terms of a query: quoted phrases, ``prefix*`` and plain words; punctuation separates words."""
    query = Query()
    for match in _TERM.finditer(text):
        phrase, bare = match.group(1), match.group(2)
        raw = phrase if phrase is not None else bare
        prefix = raw.rstrip().endswith("*")
        words = tuple(_WORD.findall(fold(raw)))
        if not words:
            continue
        if len(query.terms) < MAX_TERMS:  # a bare "soviet-occupied" is the phrase soviet occupied
            query.terms.append(Term(words, prefix))
        else:
            query.dropped += 1
    return query


# --------------------------------------------------------------------------- the index

#: SQLite: an external-content FTS5 table over the (already folded) ``search_text``, kept in step by
#: triggers, so that bulk loads are indexed too.
SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS texts_paragraph_fts USING fts5("
    "search_text, content='texts_paragraph', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_insert AFTER INSERT ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_delete AFTER DELETE ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_update AFTER UPDATE OF search_text ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO texts_paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts) VALUES ('rebuild')",
]
#: PostgreSQL: the tsvector stored beside the text (a generated column, so bulk loads fill it too) and
#: a GIN index over it. Ranking reads the stored vector: an expression index would have every
#: matching row's text parsed again for ``ts_rank_cd`` (145 ms for 978 hits, against a few ms).
POSTGRES_INDEX = [
    "ALTER TABLE texts_paragraph ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS texts_paragraph_search_tsv_stored ON texts_paragraph USING gin (search_tsv)",
    "DROP INDEX IF EXISTS texts_paragraph_search_tsv",
]


def ensure_index(db, **_ignored) -> None:
    """Create the full-text index where it is missing, and fill it. Run after every ``migrate``:
    SQLite drops a table's triggers when a migration rebuilds the table."""
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'texts_paragraph_fts_%'"
            )
            if cursor.fetchone()[0] == 3:
                return
            cursor.execute("DROP TRIGGER IF EXISTS texts_paragraph_fts_insert")
            cursor.execute("DROP TRIGGER IF EXISTS texts_paragraph_fts_delete")
            cursor.execute("DROP TRIGGER IF EXISTS texts_paragraph_fts_update")
            statements = SQLITE_INDEX
        elif db.vendor == "postgresql":
            statements = POSTGRES_INDEX
        else:
            return
        for statement in statements:
            cursor.execute(statement)


# --------------------------------------------------------------------------- database queries


def run(query: Query, document: str = "", mention_kind: str = "", limit: int = 100) -> tuple[list[int], int]:
    """Ids of matching paragraphs, best first (at most ``limit``), and how many match in all."""
    vendor = connection.vendor
    if vendor == "sqlite":
        match_sql, params = "texts_paragraph_fts MATCH %s", [_fts5(query)]
        source = "texts_paragraph_fts JOIN texts_paragraph p ON p.id = texts_paragraph_fts.rowid"
        score = "bm25(texts_paragraph_fts)"
    elif vendor == "postgresql":
        match_sql, params = "p.search_tsv @@ to_tsquery('simple', %s)", [_tsquery(query)]
        source = "texts_paragraph p"
        score = "-ts_rank_cd(p.search_tsv, to_tsquery('simple', %s), 1)"  # 1: / log(length)
    else:
        return _substring(query, document, mention_kind, limit)
    where, filters = [match_sql], list(params)
    if document:
        where.append("p.document_id = (SELECT id FROM texts_document WHERE slug = %s)")
        filters.append(document)
    if mention_kind:
        where.append("EXISTS (SELECT 1 FROM texts_mention m WHERE m.paragraph_id = p.id AND m.kind = %s)")
        filters.append(mention_kind)
    condition = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {source} WHERE {condition}", filters)
        total = cursor.fetchone()[0]
        score_params = params if vendor == "postgresql" else []
        cursor.execute(
            f"SELECT p.id FROM {source} WHERE {condition} ORDER BY {score}, p.document_id, p.position LIMIT %s",
            [*filters, *score_params, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids, total


def _fts5(query: Query) -> str:
    """FTS5 syntax: every term quoted (tokens are letters and digits only, so quoting is safe)."""
    parts = []
    for term in query.terms:
        text = '"' + " ".join(term.words) + '"'
        parts.append(text + ("*" if term.prefix else ""))
    return " ".join(parts)


def _tsquery(query: Query) -> str:
    """PostgreSQL tsquery: words of a phrase joined by ``<->``, terms by ``&``, prefixes with ``:*``."""
    parts = []
    for term in query.terms:
        words = [f"'{w}'" for w in term.words]
        if term.prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts)


def _substring(query: Query, document: str, mention_kind: str, limit: int) -> tuple[list[int], int]:
    from .models import Paragraph

    qs = Paragraph.objects.all()
    for term in query.terms:
        qs = qs.filter(search_text__contains=" ".join(term.words))
    if document:
        qs = qs.filter(document__slug=document)
    if mention_kind:
        qs = qs.filter(mentions__kind=mention_kind).distinct()
    return list(qs.order_by("document_id", "position").values_list("id", flat=True)[:limit]), qs.count()


# --------------------------------------------------------------------------- hits


def _pattern(term: Term) -> str:
    words = [re.escape(w) for w in term.words]
    if term.prefix:
        words[-1] += r"\w*"
    return r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)"


def hits(query: Query, folded: str) -> list[tuple[int, int]]:
    """Every place in ``folded`` (a paragraph's search text) where a term of the query stands, in order."""
    if not query.terms:
        return []
    pattern = re.compile("|".join(f"(?:{_pattern(t)})" for t in query.terms))
    spans = [(m.start(), m.end()) for m in pattern.finditer(folded) if m.end() > m.start()]
    return spans


def marked(text: str, spans: list[tuple[int, int]], context: int = 200) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_hit) with every hit; long stretches between hits shortened with "…"."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        gap = text[at:start]
        if len(gap) > 2 * context:
            gap = (gap[:context] + " … " if at else "… ") + gap[-context:]
        pieces.append((gap, False))
        pieces.append((text[start:end], True))
        at = end
    tail = text[at:]
    pieces.append((tail[:context] + " …" if len(tail) > context + 40 else tail, False))
    return [p for p in pieces if p[0]]
