"""Full-text search over the report and what was recorded (migration 0011: the FTS5 trigram
index ``search_index``, kept current by triggers, and the view ``search_source``)."""

from __future__ import annotations

from datetime import date

from hnreport.domain.search import (
    CLOSE,
    KINDS,
    OPEN,
    SNIPPET_CHARS,
    SearchHit,
    from_marked,
    indexed,
    match_expression,
    snippet_around,
    terms_of,
)
from hnreport.store.sql import Repository, standing, visible

# The index row's rowid says which table and row it comes from (see migrations 0011 and 0014):
# table × 2^40 + rowid × 8 + field. Figure notes and sources are indexed once per distinct text
# of a target (figure_texts, table 7); search_source, read for short terms, has every figure's
# (table 5).
TABLE_BASE = 1 << 40
FIGURE_TABLE = 5
NOTE_TABLE = 4
FIGURE_TEXT_TABLE = 7
FIGURES_FROM = 5497558138880  # FIGURE_TABLE × 2^40: the first figure row of search_source
INDEXED_UNTIL = 7696581394432  # FIGURE_TEXT_TABLE × 2^40: the report, the notes and the glossary come before
# A figure's text is found while a figure that stands says it (an undone import's or a
# retracted figure's note is no longer part of the record's current text): figure o of text t.
_SAYS = (f"o.target_key = t.target_key AND o.plan_id = t.plan_id "
         f"AND (CASE t.field WHEN 'note' THEN o.note ELSE o.source END) = t.text AND {standing('o')}")
_FIGURE_SAYS = (f"EXISTS (SELECT 1 FROM main.figure_texts t JOIN observations o ON {_SAYS} "
                f"WHERE t.id = (s.rowid - {INDEXED_UNTIL}) / 8)")
_NOT_RETRACTED_SOURCE = (
    "NOT (s.kind = 'figure' AND EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = "
    f"(s.id - {FIGURES_FROM}) / 8 AND {visible('x')}))"
)
# Each hit's item: its names and locator, by the table it is in.
_PLACES = (
    ("targets", "SELECT key, name_zh, name_en, locator FROM targets WHERE key IN "),
    ("milestones", "SELECT key, name_zh, name_en, locator FROM milestones WHERE key IN "),
    ("results", "SELECT key, name_zh, name_en, locator FROM results WHERE key IN "),
    ("glossary", "SELECT CAST(number AS TEXT), term, term, body_locator FROM glossary WHERE CAST(number AS TEXT) IN "),
)
_TABLE_OF = {"target": "targets", "figure": "targets", "milestone": "milestones", "note": "milestones", "result": "results",
             "term": "glossary"}  # fmt: skip


class Search(Repository):
    def find(self, query: str, *, kinds: tuple[str, ...] = (), plan: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Hits for every term of ``query``, best first: ranked by the index (bm25) when every
        term has three characters or more, else read from the content tables (``instr``) and
        listed by kind, then by where the match is."""
        terms = terms_of(query)
        if not terms:
            return []
        plan_key = self.store.items.plan().key
        if plan is not None and plan.lower() != plan_key.lower():
            return []
        if indexed(terms):
            rows = self._from_index(terms, kinds, limit, plan_key)
        else:
            rows = self._from_tables(terms, kinds, limit)
        return self._placed(rows, plan_key)

    def _from_index(self, terms: list[str], kinds: tuple[str, ...], limit: int, plan_key: str) -> list[tuple]:
        """The report's text, the notes and the glossary ranked by bm25; then figure notes and
        sources (each text of a target once, dated by its newest figure), newest first. Figures are the bulk of a record (a hundred thousand sources
        reading 统计月报): ranking them all would cost half a second, and their order by
        relevance says little — their date says more."""
        match = match_expression(terms)
        kind_filter = f" AND s.kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        # Constrained by rowid in its SELECT: FTS5 then ranks only the rows before the figures'
        # (ORDER BY rank over the whole MATCH ranks every row first and filters after).
        ranked = (
            "SELECT s.rowid, s.kind, s.key, s.field FROM ("
            "SELECT rowid, kind, key, field, change_id, rank FROM search_index WHERE search_index MATCH ? AND rowid < ? AND plan = ?"
            f") s WHERE {visible('s')}{kind_filter} ORDER BY s.rank LIMIT ?"
        )
        rows = self.conn.execute(ranked, (match, INDEXED_UNTIL, plan_key, *kinds, limit)).fetchall()
        if len(rows) < limit and (not kinds or "figure" in kinds):
            newest = (
                "SELECT s.rowid, s.kind, s.key, s.field FROM search_index s WHERE search_index MATCH ? "
                f"AND s.rowid >= ? AND s.plan = ? AND {_FIGURE_SAYS} ORDER BY s.rowid DESC LIMIT ?"
            )
            rows += self.conn.execute(newest, (match, INDEXED_UNTIL, plan_key, limit - len(rows))).fetchall()
        snippets = {}
        if rows:
            marks = ", ".join("?" * len(rows))
            snippets = dict(self.conn.execute(
                "SELECT rowid, snippet(search_index, 0, ?, ?, '…', ?) FROM search_index "
                f"WHERE search_index MATCH ? AND rowid IN ({marks})", (OPEN, CLOSE, SNIPPET_CHARS * 2, match, *(r[0] for r in rows))))  # fmt: skip
        return [(rowid, kind, key, field, from_marked(snippets.get(rowid, "")), float(i))
                for i, (rowid, kind, key, field) in enumerate(rows)]  # fmt: skip

    def _from_tables(self, terms: list[str], kinds: tuple[str, ...], limit: int) -> list[tuple]:
        """One- and two-character terms: the trigram index cannot find them, so the content
        tables are read directly (every term must occur)."""
        where = " AND ".join("instr(s.text, ?) > 0" for _ in terms)
        kind_filter = f" AND s.kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        sql = (
            f"SELECT s.id, s.kind, s.key, s.field, s.text FROM search_source s WHERE {where}"
            f" AND s.plan_id = ? AND {visible('s')} AND {_NOT_RETRACTED_SOURCE}{kind_filter}"
        )
        found, figures = [], {}
        for rowid, kind, key, field, text in self.conn.execute(sql, (*terms, self.store.plans.id, *kinds)):
            if kind == "figure":  # each text of a target once, as the index has it: its newest figure's
                figures[key, field, text] = max(rowid, figures.get((key, field, text), 0))
            position = min(text.find(t) for t in terms if t in text)
            found.append((KINDS.index(kind), position, len(text), rowid, kind, key, field, text))
        found = [f for f in found if f[4] != "figure" or figures[f[5], f[6], f[7]] == f[3]]
        found.sort()
        return [
            (rowid, kind, key, field, snippet_around(text, terms), float(i))
            for i, (_k, _p, _n, rowid, kind, key, field, text) in enumerate(found[:limit])
        ]

    def _placed(self, rows: list[tuple], plan_key: str) -> list[SearchHit]:
        """Each hit with its item's name and locator, and a note's or figure's date."""
        wanted: dict[str, set[str]] = {}
        for _rowid, kind, key, *_ in rows:
            wanted.setdefault(_TABLE_OF[kind], set()).add(key)
        places: dict[tuple[str, str], tuple[str, str, str]] = {}
        for table, sql in _PLACES:
            keys = wanted.get(table)
            if keys:
                for key, zh, en, locator in self.conn.execute(sql + f"({', '.join('?' * len(keys))})", tuple(keys)):
                    places[(table, key.lower())] = (zh, en, locator)
        dates = self._dates([r[0] for r in rows])
        hits = []
        for rowid, kind, key, field, snippet, score in rows:
            zh, en, locator = places.get((_TABLE_OF[kind], key.lower()), ("", "", ""))
            hits.append(SearchHit(kind, key, field, plan_key, snippet, locator, zh, en, dates.get(rowid), score))
        return hits

    def _dates(self, rowids: list[int]) -> dict[int, date]:
        out: dict[int, date] = {}
        by_table: dict[int, dict[int, int]] = {}
        for rowid in rowids:
            table, rest = divmod(rowid, TABLE_BASE)
            if table in (NOTE_TABLE, FIGURE_TABLE, FIGURE_TEXT_TABLE):
                by_table.setdefault(table, {})[rest // 8] = rowid
        for table, ids in by_table.items():
            marks = ", ".join("?" * len(ids))
            if table == NOTE_TABLE:
                sql = f"SELECT id, as_of FROM milestone_status WHERE id IN ({marks})"
            elif table == FIGURE_TABLE:
                sql = f"SELECT id, as_of FROM observations WHERE id IN ({marks})"
            else:  # a text's newest figure that still says it
                sql = f"SELECT t.id, MAX(o.as_of) FROM main.figure_texts t JOIN observations o ON {_SAYS} WHERE t.id IN ({marks}) GROUP BY t.id"
            for row_id, as_of in self.conn.execute(sql, tuple(ids)):
                if as_of is not None:
                    out[ids[row_id]] = date.fromisoformat(as_of)
        return out
