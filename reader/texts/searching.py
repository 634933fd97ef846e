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

A passage that several witnesses share (a row of the work's alignment, stored as a
``Passage`` by ``load``) is one result naming its witnesses; facets count hits per
work, witness, section, entity, entity type and witness year, each by one SQL query
over every hit of the current search.
"""

from __future__ import annotations

import json
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

#: Most hits grouped, paged and exported for one search: far above what a query over a real corpus
#: finds (the seeds' commonest word has under 300), so every hit stays reachable; past it the pages and
#: the exports hold the best ``HIT_LIMIT`` hits and say so. The total is always counted exactly.
HIT_LIMIT = 10_000
#: Rows of a facet shown (the most frequent first; work, witness and year facets are rarely longer).
FACET_LIMIT = 25


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to, each one a URL parameter (see ``views.search``)."""

    work: str = ""  #: work slug
    doc: str = ""  #: document (witness) slug
    section: str = ""  #: section heading, as written
    entity: str = ""  #: register id of an entity the paragraph mentions
    kind: str = ""  #: the paragraph mentions an entity of this type (``Mention.Kind``)
    year_from: int | None = None  #: the witness is dated this year or later
    year_to: int | None = None  #: the witness is dated this year or earlier


@dataclass
class Found:
    """Hits of a search: how many in all, and the best ``HIT_LIMIT`` as passages (lists of paragraph
    ids, each list one result in the witnesses' order), best first."""

    total: int
    groups: list[list[int]]
    hits: int  #: paragraphs in ``groups``
    cut: bool  #: more than ``HIT_LIMIT`` hits: the groups hold the best ones only
    passages: list[int | None] = field(default_factory=list)  #: each group's witness passage (None: in none)
    ids: list[int] = field(default_factory=list)  #: the paragraphs in ``groups``, best first
    documents: list = field(default_factory=list)  #: their documents (with work), in witness order


def _matching(query: Query, filters: Filters) -> tuple[str, list, str, list]:
    """``SELECT … FROM`` source and ``WHERE`` condition (with params) of the paragraphs a search finds,
    and the rank expression (lower is better) with its params."""
    vendor = connection.vendor
    if vendor == "sqlite":
        source = "texts_paragraph_fts JOIN texts_paragraph p ON p.id = texts_paragraph_fts.rowid"
        where, params = ["texts_paragraph_fts MATCH %s"], [_fts5(query)]
        score, score_params = "bm25(texts_paragraph_fts)", []
    elif vendor == "postgresql":
        source = "texts_paragraph p"
        where, params = ["p.search_tsv @@ to_tsquery('simple', %s)"], [_tsquery(query)]
        score, score_params = "-ts_rank_cd(p.search_tsv, to_tsquery('simple', %s), 1)", [_tsquery(query)]
    else:  # no full-text index: substring search, unranked
        source, score, score_params = "texts_paragraph p", "0", []
        where = [r"p.search_text LIKE %s ESCAPE '\'" for _ in query.terms]
        params = ["%" + _like(" ".join(t.words)) + "%" for t in query.terms]
    for condition, value in _filter_conditions(filters):
        where.append(condition)
        params.extend(value)
    return source, [" AND ".join(where), params], score, score_params


def _filter_conditions(filters: Filters) -> list[tuple[str, list]]:
    conditions = []
    if filters.work:
        conditions.append(
            (
                "p.document_id IN (SELECT d.id FROM texts_document d JOIN texts_work w ON w.id = d.work_id "
                "WHERE w.slug = %s)",
                [filters.work],
            )
        )
    if filters.doc:
        conditions.append(("p.document_id IN (SELECT id FROM texts_document WHERE slug = %s)", [filters.doc]))
    if filters.section:
        conditions.append(("p.section_id IN (SELECT id FROM texts_section WHERE head = %s)", [filters.section]))
    if filters.entity:
        conditions.append(
            (
                "EXISTS (SELECT 1 FROM texts_mention m JOIN entities_entity e ON e.id = m.entity_id "
                "WHERE m.paragraph_id = p.id AND e.xml_id = %s)",
                [filters.entity],
            )
        )
    if filters.kind:
        conditions.append(
            ("EXISTS (SELECT 1 FROM texts_mention m WHERE m.paragraph_id = p.id AND m.kind = %s)", [filters.kind])
        )
    if filters.year_from is not None or filters.year_to is not None:
        low, high = f"{filters.year_from or 0:04d}", f"{filters.year_to if filters.year_to is not None else 9999:04d}"
        conditions.append(
            (
                "p.document_id IN (SELECT id FROM texts_document WHERE date <> '' "
                "AND substr(date, 1, 4) >= %s AND substr(date, 1, 4) <= %s)",
                [low, high],
            )
        )
    return conditions


def _among(column: str, ids: list[int]) -> tuple[str, list]:
    """``column`` is one of these ids, as SQL with one parameter (not one placeholder per id); on
    PostgreSQL ``= ANY(array)``, which the planner reads through the column's index."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    if connection.vendor == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]
    return f"{column} IN ({','.join(['%s'] * len(ids)) or 'NULL'})", list(ids)


def _passages(ids: list[int]) -> dict[int, int]:
    """The witness passage (a row of its work's alignment) of each of these paragraphs that has one.
    One grouped query: a correlated subquery per hit cost 190 ms for 1,000 hits on PostgreSQL."""
    if not ids:
        return {}
    members, params = _among("pm.paragraph_id", ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pm.paragraph_id, min(pm.passage_id) FROM texts_passagemember pm "
            "JOIN texts_passage s ON s.id = pm.passage_id AND s.kind = 'witness' "
            f"WHERE {members} GROUP BY pm.paragraph_id",
            params,
        )
        return dict(cursor.fetchall())


def search(query: Query, filters: Filters = Filters(), limit: int | None = None) -> Found:
    """Every paragraph the query finds (the best ``limit``, by default ``HIT_LIMIT``), grouped by the
    witness passage it belongs to: a passage several witnesses share is one result, ranked by its best
    paragraph. One full-text match, and a count only when there are more hits than ``limit``."""
    from .models import Document

    limit = limit or HIT_LIMIT
    source, (condition, params), score, score_params = _matching(query, filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.document_id FROM {source} WHERE {condition} "
            f"ORDER BY {score}, p.document_id, p.position LIMIT %s",
            [*params, *score_params, limit + 1],
        )
        rows = cursor.fetchall()
        total = len(rows)
        if total > limit:
            rows = rows[:limit]
            cursor.execute(f"SELECT count(*) FROM {source} WHERE {condition}", params)
            total = cursor.fetchone()[0]
    documents = list(
        Document.objects.filter(pk__in={r[1] for r in rows})
        .in_witness_order()
        .select_related("work")
        .only("slug", "siglum", "seed_name", "title", "date", "work__slug", "work__title")
    )
    order = {d.pk: i for i, d in enumerate(documents)}
    passage_of = _passages([pk for pk, _ in rows])
    groups: dict[object, list[tuple[int, int]]] = {}
    for pk, document_id in rows:
        groups.setdefault(passage_of.get(pk, ("unit", pk)), []).append((order[document_id], pk))
    ordered = [[pk for _, pk in sorted(members)] for members in groups.values()]
    passages = [key if isinstance(key, int) else None for key in groups]
    return Found(total, ordered, len(rows), total > len(rows), passages, [r[0] for r in rows], documents)


@dataclass
class Facets:
    """Hit counts (paragraphs) per value of each facet, for the current query and filters."""

    works: list[tuple[str, str, int]]  #: (slug, title, hits), most hits first
    witnesses: list[tuple[str, str, str, int]]  #: (slug, label, title, hits): the most hit, in witness order
    sections: list[tuple[str, int]]  #: (heading, hits)
    entities: list[tuple[str, str, str, int]]  #: (register id, name, kind, hits)
    kinds: list[tuple[str, int]]  #: (mention kind, hits)
    years: list[tuple[str, int]]  #: (year, or "" undated, hits), by year, undated last


def _hit(column: str, query: Query, filters: Filters, found: Found) -> tuple[str, list]:
    """``column`` is a hit, as SQL with its params: among the ids found when they are all of them (no
    second full-text match per facet), else the match itself."""
    if not found.cut:
        return _among(column, found.ids)
    source, (condition, params), _, _ = _matching(query, filters)
    return f"{column} IN (SELECT p.id FROM {source} WHERE {condition})", params


def facets(query: Query, filters: Filters, found: Found, limit: int = FACET_LIMIT) -> Facets:
    """Counts of hits per work, witness, section, entity, entity type and witness year, each counted by
    the database over every hit (not only the ones shown, nor only the best ``HIT_LIMIT``): three queries
    (two on PostgreSQL)."""
    from .models import Document

    def rows(sql: str, column: str) -> list[tuple]:
        condition, params = _hit(column, query, filters, found)
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("{hit}", condition), params)
            return [tuple(r) for r in cursor.fetchall()]

    # Hits per (witness, section): a hit has one of each, so both facets (and work and year, one per
    # witness) are exact sums of these counts.
    cells = rows(
        "SELECT q.document_id, s.head, count(*) FROM texts_paragraph q "
        "LEFT JOIN texts_section s ON s.id = q.section_id WHERE {hit} GROUP BY q.document_id, s.head",
        "q.id",
    )
    per_document: dict[int, int] = {}
    per_section: dict[str, int] = {}
    for document_id, head, n in cells:
        per_document[document_id] = per_document.get(document_id, 0) + n
        if head:
            per_section[head] = per_section.get(head, 0) + n
    documents = found.documents
    if found.cut:
        documents = list(
            Document.objects.filter(pk__in=per_document)
            .in_witness_order()
            .select_related("work")
            .only("slug", "siglum", "seed_name", "title", "date", "work__slug", "work__title")
        )
    works: dict[tuple[str, str], int] = {}
    years: dict[str, int] = {}
    for d in documents:
        works[(d.work.slug, d.work.title)] = works.get((d.work.slug, d.work.title), 0) + per_document[d.pk]
        years[d.date[:4]] = years.get(d.date[:4], 0) + per_document[d.pk]
    most = set(sorted(per_document, key=lambda pk: -per_document[pk])[:limit])
    # Paragraphs per entity and per entity type (a paragraph counted once however often it names them).
    if connection.vendor == "postgresql":  # both from one scan of the mentions
        mentioned = rows(
            "SELECT GROUPING(m.kind), m.kind, e.xml_id, e.name, e.kind, count(DISTINCT m.paragraph_id) "
            "FROM texts_mention m LEFT JOIN entities_entity e ON e.id = m.entity_id WHERE {hit} "
            "GROUP BY GROUPING SETS ((m.kind), (e.xml_id, e.name, e.kind))",
            "m.paragraph_id",
        )
        kinds = [(kind, n) for by_entity, kind, _, _, _, n in mentioned if not by_entity]
        entities = [(i, name, kind, n) for by_entity, _, i, name, kind, n in mentioned if by_entity and i]
    else:
        entities = rows(
            "SELECT e.xml_id, e.name, e.kind, count(DISTINCT m.paragraph_id) FROM texts_mention m "
            "JOIN entities_entity e ON e.id = m.entity_id WHERE {hit} GROUP BY e.xml_id, e.name, e.kind",
            "m.paragraph_id",
        )
        kinds = rows(
            "SELECT m.kind, count(DISTINCT m.paragraph_id) FROM texts_mention m WHERE {hit} GROUP BY m.kind",
            "m.paragraph_id",
        )
    return Facets(
        works=[(slug, title, n) for (slug, title), n in sorted(works.items(), key=lambda w: (-w[1], w[0][1]))][:limit],
        witnesses=[(d.slug, d.label, d.title, per_document[d.pk]) for d in documents if d.pk in most],
        sections=sorted(per_section.items(), key=lambda h: (-h[1], h[0]))[:limit],
        entities=sorted(entities, key=lambda e: (-e[3], e[1]))[:limit],
        kinds=sorted(kinds, key=lambda k: (-k[1], k[0])),
        years=sorted(years.items(), key=lambda y: (y[0] == "", y[0]))[:limit],
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
