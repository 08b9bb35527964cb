"""The publication database: the rows of a ``domain.publication.Publication`` written with
sqlite-utils into a database of its own (typed tables, primary and foreign keys, indexes, a
trigram full-text index on the search table), and the Datasette metadata that goes with it.

sqlite-utils is imported here only, when a publication is written: no read command loads it.
"""

from __future__ import annotations

from typing import Any

from hnreport.domain.publication import Publication

INTEGER_COLUMNS = frozenset({
    "ordinal", "year", "final", "due_implied", "extended", "overdue", "id", "number", "rank", "led", "kept", "on_course",
    "behind", "missed", "not_rated", "decimals",
})  # fmt: skip
REAL_COLUMNS = frozenset({
    "target", "original_target", "baseline", "latest", "expected", "gap", "completion_rate", "schedule_share", "value",
    "margin", "score",
})  # fmt: skip

# table → (primary key, foreign keys (column, other table, other column), indexed columns)
LAYOUT: dict[str, tuple[Any, list[tuple[str, str, str]], list[str]]] = {
    "plan": ("plan", [], []),
    "sections": ("code", [], []),
    "targets": ("key", [("section", "sections", "code")], ["status", "lead_unit"]),
    "figures": ("id", [("target_key", "targets", "key")], ["target_key"]),
    "milestones": ("key", [("section", "sections", "code")], ["status", "lead_unit"]),
    "status_history": ("id", [("milestone_key", "milestones", "key")], ["milestone_key"]),
    "results": ("key", [("section", "sections", "code")], []),
    "units": ("unit", [], []),
    "assignments": (None, [], ["item_key", "unit"]),
    "glossary": ("number", [], []),
    "scorecard": (("kind", "key"), [], ["verdict", "lead_unit"]),
    "search": (None, [], ["key"]),
}

# The canned queries Datasette offers (titles and descriptions: words.publication.QUERIES).
QUERIES = {
    "滞后指标": (
        "SELECT key, name_zh, status, latest, latest_as_of, vintage, expected, gap, target, unit, lead_unit, latest_source, locator\n"
        "FROM targets WHERE status IN ('behind', 'far_behind') ORDER BY ordinal"
    ),
    "逾期事项": (
        "SELECT key, name_zh, status, due_date, due_implied, status_as_of, lead_unit, progress, problems, next_steps, source, locator\n"
        "FROM milestones WHERE overdue = 1 ORDER BY due_date, ordinal"
    ),
    "按牵头单位": (
        "SELECT COALESCE(lead_unit, '（未分配）') AS 牵头单位, count(*) AS 事项数,\n"
        "  sum(verdict = 'kept') AS 已兑现, sum(verdict = 'in_progress') AS 推进中, sum(verdict = 'missed') AS 未兑现,\n"
        "  sum(verdict = 'not_rated') AS 尚未评定, sum(status IN ('behind', 'far_behind', 'stalled', 'not_started')) AS 滞后\n"
        "FROM scorecard GROUP BY lead_unit ORDER BY lead_unit IS NULL, 滞后 DESC, 事项数 DESC"
    ),
    "已完成承诺": (
        "SELECT kind, key, name_zh, phrase, locator, final, margin, margin_unit, source, evidence_as_of, lead_unit\n"
        "FROM scorecard WHERE verdict = 'kept' ORDER BY kind DESC, key"
    ),
    "搜索": (
        "SELECT kind, key, name_zh, field, text, locator, as_of FROM search\n"
        "WHERE :q <> '' AND CASE WHEN length(:q) >= 3\n"
        "  THEN rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH '\"' || replace(:q, '\"', '\"\"') || '\"')\n"
        "  ELSE instr(text, :q) > 0 END\n"
        "ORDER BY kind = 'figure', kind = 'note', length(text)"
    ),
}


def database_bytes(publication: Publication) -> bytes:
    """The publication database, built in memory, as the bytes of its file."""
    import sqlite3

    import sqlite_utils

    conn = sqlite3.connect(":memory:")
    try:
        db = sqlite_utils.Database(conn)
        tables = {"plan": [publication.plan], **publication.tables}
        for name, rows in tables.items():
            pk, fks, indexes = LAYOUT[name]
            columns = _columns(name, rows)
            table = db.table(name)
            table.create(columns, pk=pk, foreign_keys=fks or None)
            # The rows go in with one prepared statement: sqlite-utils' insert_all inspects every
            # value of every row (a hundred thousand figures took it ten seconds).
            names = list(columns)
            insert = f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in names)}) VALUES ({', '.join('?' * len(names))})"
            conn.executemany(insert, ([row.get(c) for c in names] for row in rows))
            for column in indexes:
                table.create_index([column])
        db.table("search").enable_fts(["text"], tokenize="trigram", create_triggers=False)
        conn.execute("ANALYZE")
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def _columns(name: str, rows: list[dict[str, Any]]) -> dict[str, type]:
    from hnreport.words.publication import TABLES

    names = list(rows[0]) if rows else list(TABLES[name][2])
    return {c: int if c in INTEGER_COLUMNS else float if c in REAL_COLUMNS else str for c in names}


def metadata(publication: Publication, database_name: str) -> dict[str, Any]:
    """Datasette's metadata: Chinese titles and descriptions for the database, every table and
    column, the source named (no licence is claimed), and the canned queries."""
    from hnreport.words.publication import DATABASE, QUERIES as QUERY_WORDS, SOURCE, TABLES

    plan = publication.plan
    title, description = DATABASE
    described = description.format(source=SOURCE["title"], issuer=SOURCE["issuer"], occasion=SOURCE["occasion"],
                                   as_of=plan["as_of"])  # fmt: skip
    source = f"{SOURCE['title']}（{SOURCE['issuer']}，{SOURCE['date']}）"
    tables = {
        name: {"title": t_title, "description": t_description, "columns": dict(columns)}
        for name, (t_title, t_description, columns) in TABLES.items()
    }
    tables["search"]["fts_table"] = "search_fts"
    queries = {
        name: {"sql": sql, "title": QUERY_WORDS[name][0], "description": QUERY_WORDS[name][1]}
        for name, sql in QUERIES.items()
    }
    return {
        "title": title,
        "description": described,
        "source": source,
        "databases": {
            database_name: {"title": title, "description": described, "source": source, "tables": tables, "queries": queries},
        },
    }
