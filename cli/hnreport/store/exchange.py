"""The exchange repository: import of figures, export and restore of everything a user entered.

An import is one journalled change (so one undo reverts it), is validated completely before
anything is written, and is idempotent.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timezone
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from hnreport.store.sql import Repository, now_utc, visible
from hnreport.errors import BadPeriod, BadValue, HnreportError, Message
from hnreport.domain.model import NONNEGATIVE_KINDS

if TYPE_CHECKING:
    from hnreport.readers import Table

EXPORT_FORMAT = "hnreport-export"
EXPORT_VERSION = 1


class _TooMuchHistory(Exception):
    """More recorded figures for the file's targets and periods than are held while reading."""


class _NothingToImport(Exception):
    """Rolls back the journal entry of an import that turned out to change nothing."""

    def __init__(self, counts: tuple[int, int, int, int]) -> None:
        self.counts = counts


class ImportSummary(NamedTuple):
    added: int
    revised: int
    unchanged: int
    retracted: int
    extra_columns: list[str]
    encoding: str
    change_id: int | None = None


# Validated rows wait in a temporary table (the connection's own temp file, not the database)
# in batches of this many, so memory does not grow with the file; the write is then one
# set-based INSERT.
STAGE_BATCH = 5000
MAX_CACHED_PERIODS = 10_000  # distinct period texts parsed once each (a file has a few dozen)
# Figures already recorded for the targets and periods a file touches are held while it is
# read, to compare with; beyond this many the comparison is left to SQL after the file is read.
MAX_HISTORY_HELD = 100_000

# A row's target and period as one number (``grp``): the target's rank (in temp.import_keys,
# which recorded figures are joined to as well) times DAYS, plus the period's day of the plan
# year. What there is to remember while a file is read is per grp: at most targets × days.
DAYS = 400
_STAGE = """CREATE TEMP TABLE import_stage (
    seq INTEGER PRIMARY KEY, grp INTEGER NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, as_of TEXT NOT NULL,
    note TEXT, source TEXT, vintage TEXT NOT NULL, retracted INTEGER NOT NULL, recorded_at TEXT,
    chosen INTEGER NOT NULL)"""
_SAME = "CREATE TEMP TABLE import_same (grp INTEGER PRIMARY KEY)"  # targets and periods the file leaves as they are
_KEYS = "CREATE TEMP TABLE import_keys (key TEXT PRIMARY KEY COLLATE NOCASE, rank INTEGER NOT NULL)"
_SCRATCH = ("import_stage", "import_same", "import_keys")
_NOT_LIVE = object()  # no figure of the group in the file is live (all are retracted)


class _Comparison:
    """Which rows of a file change anything, decided row by row as the file is read.

    A figure is the same when value, source, vintage and note agree. A target and period whose
    rows all match figures already recorded, and whose last live row is the current figure,
    changes nothing (so an export, superseded rows and all, re-imports as unchanged);
    otherwise its rows apply in order, each a revision of the figure current at that point.
    Per target and period it keeps the recorded figures (``history`` loads them), the figure
    current so far and counts — never the rows themselves.
    """

    def __init__(self, history: Callable[[int], tuple[Any, set]]) -> None:
        self.history = history
        # grp → [current recorded, recorded signatures, current now, all rows known, last live
        #        row's signature, rows, added, revised, retracted]
        self.groups: dict[int, list] = {}

    def row(self, grp: int, signature: tuple, gone: bool) -> bool:
        """Whether this row is written (unless its whole group turns out unchanged)."""
        state = self.groups.get(grp)
        if state is None:
            recorded, known = self.history(grp)
            state = self.groups[grp] = [recorded, known, recorded, True, _NOT_LIVE, 0, 0, 0, 0]
        state[5] += 1
        if state[3] and signature not in state[1]:
            state[3] = False
        if not gone:
            state[4] = signature
            if signature == state[2]:
                return False
        if state[2] is None:
            state[6] += 1
        else:
            state[7] += 1
        if gone:
            state[8] += 1
        else:
            state[2] = signature
        return True

    def result(self) -> tuple[list[int], tuple[int, int, int, int]]:
        """(the groups the file leaves as they are, (added, revised, unchanged, retracted))."""
        same: list[int] = []
        added = revised = unchanged = retracted = 0
        for grp, (recorded, _, _, all_known, last_live, rows, a, r, x) in self.groups.items():
            if all_known and (last_live is _NOT_LIVE or last_live == recorded):
                same.append(grp)
                unchanged += rows
            else:
                added, revised, unchanged, retracted = added + a, revised + r, unchanged + rows - a - r, retracted + x
        return same, (added, revised, unchanged, retracted)


class Exchange(Repository):
    def import_table(
        self, table: Table, path: str, *, dry_run: bool = False, progress: Callable[[int], None] | None = None,
        known_from: str | None = None,
    ) -> ImportSummary:
        """Import the figures of ``table`` as one journalled change, all or nothing.

        Every row is checked, compared with what is recorded and staged in a temporary table as
        it is read (nothing of the file is held in memory but the current batch); only when the
        file is whole and sound is anything written, with one INSERT … SELECT.
        """
        conn = self.conn
        for scratch in _SCRATCH:
            conn.execute(f"DROP TABLE IF EXISTS temp.{scratch}")
        for ddl in (_STAGE, _SAME, _KEYS):
            conn.execute(ddl)
        try:
            counts, seen = self._stage(table, path, progress)
            if dry_run:
                if counts is None:
                    conn.execute("BEGIN")  # one snapshot to compare with
                    counts = self._compare_staged()
                    conn.execute("COMMIT")
                return ImportSummary(*counts, table.extra_columns, table.encoding)
            try:
                with self.store.change("import", f"imported {path}", reason=path, known_from=known_from) as (conn, change_id):
                    # Compared with what was recorded when the file was read; if anything has
                    # been recorded since (another import of the same file, say), compare again
                    # now, inside the write lock, so two imports cannot both add it.
                    latest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal WHERE id < ?", (change_id,)).fetchone()[0]
                    if counts is None or latest != seen:
                        counts = self._compare_staged()
                    if not (counts[0] or counts[1]):  # added or revised (retracted rows are among them)
                        raise _NothingToImport(counts)
                    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM observations").fetchone()[0]
                    # In file order, so the ids (each the largest so far + 1) follow it from ``first``.
                    chosen = "FROM temp.import_stage s WHERE s.chosen AND s.grp NOT IN (SELECT grp FROM temp.import_same)"
                    conn.execute(
                        "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, vintage, change_id) "
                        f"SELECT s.key, s.value, s.as_of, COALESCE(s.recorded_at, ?), s.note, s.source, s.vintage, ? {chosen} "
                        "ORDER BY s.seq",
                        (now_utc(), change_id),
                    )
                    if counts[3]:
                        conn.execute(
                            "INSERT INTO retractions (observation_id, change_id, reason) "
                            "SELECT id, ?, 'retracted in the imported file' FROM (SELECT ? - 1 + row_number() OVER "
                            f"(ORDER BY s.seq) AS id, s.retracted {chosen}) WHERE retracted ORDER BY id",
                            (change_id, first),
                        )
                    added, revised, unchanged, _ = counts
                    conn.execute(
                        "UPDATE journal SET summary = ? WHERE id = ?",
                        (f"imported {path}: {added} added, {revised} revised, {unchanged} unchanged", change_id),
                    )
            except _NothingToImport as nothing:
                return ImportSummary(*nothing.counts, table.extra_columns, table.encoding)
            return ImportSummary(*counts, table.extra_columns, table.encoding, change_id)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for scratch in _SCRATCH:
                conn.execute(f"DROP TABLE IF EXISTS temp.{scratch}")

    def _stage(
        self, table: Table, path: str, progress: Callable[[int], None] | None
    ) -> tuple[tuple[int, int, int, int] | None, int]:
        """Check every row of ``table``; stage the valid ones into temp.import_stage, each marked
        whether it changes anything. Any problem (each reported with its line; the first 50
        kept, the rest counted) stops the staging and raises ImportProblems once the whole file
        has been read.

        Returns the counts (None when the figures recorded for the file's targets and periods
        were too many to hold, and SQL must compare) and the last journal entry they reflect."""
        from hnreport.readers import Problems
        from hnreport.domain.periods import parse_period
        from hnreport.domain.values import parse_value
        from hnreport.text import MAX_TEXT_CHARS, storable, unneutralise

        conn = self.conn
        targets = self.store.items.targets()
        by_key = {t.key.lower(): t for t in targets}
        by_name = {t.name_zh: t for t in targets}
        plan = self.store.items.plan()
        first_day, last_day = plan.start.isoformat(), plan.end.isoformat()
        rank = {t.key: i for i, t in enumerate(targets)}
        conn.executemany("INSERT INTO temp.import_keys (key, rank) VALUES (?, ?)", rank.items())
        day_one = plan.start.toordinal()
        days: dict[str, int] = {}  # period → its day of the plan year

        def getter(name: str):
            i = table.columns.get(name)
            return itemgetter(i) if i is not None else None

        def text_of(get, values) -> str | None:
            if get is None:
                return None
            text = get(values)
            text = (text if text.__class__ is str else str(text)).strip()
            return (unneutralise(text) if text[:1] == "'" else text) or None

        get_key, get_value, get_as_of = getter("key"), getter("value"), getter("as_of")
        get_note, get_source, get_vintage = getter("note"), getter("source"), getter("vintage")
        get_state, get_recorded = getter("state"), getter("recorded_at")
        periods: dict[str, str | Exception] = {}  # each distinct period text is parsed once
        vintages = {"": "preliminary", "preliminary": "preliminary", "final": "final", "初步": "preliminary",
                    "最终核实": "final", "最终": "final"}  # fmt: skip
        problems = Problems()
        batch: list[tuple] = []
        insert = ("INSERT INTO temp.import_stage (grp, key, value, as_of, note, source, vintage, retracted, recorded_at, chosen) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")  # fmt: skip
        conn.execute("BEGIN")  # one snapshot of what is recorded; the staged rows commit in one go
        seen = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
        comparison: _Comparison | None = _Comparison(self._recorded_history(targets, plan))
        for i, (line, values) in enumerate(table.rows):
            if progress and i % 1000 == 0:
                progress(i)
            key = get_key(values)  # type: ignore[misc]
            target = by_key.get(key) if key.__class__ is str else None  # the common case: an exact key
            if target is None:
                key = str(key).strip()
                target = by_key.get(key.lower()) or by_name.get(key)
            if target is None:
                problems.add(Message("import_line", line=line, problem=self.store.items.unknown_key(key)))
                continue
            raw = get_value(values)  # type: ignore[misc]
            try:
                value = None
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    try:
                        value = float(raw)
                    except OverflowError:  # an integer beyond any float
                        raise BadValue("value_too_large", raw=str(raw)[:40]) from None
                elif isinstance(raw, str) and "_" not in raw:
                    try:
                        value = float(raw)  # the common case; anything odd goes through parse_value
                    except ValueError:
                        pass
                if value is None or not math.isfinite(value) or (value == 0 and isinstance(raw, str) and raw.strip("0.+- ")):
                    value = parse_value(str(raw), target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
                if value < 0 and target.kind in NONNEGATIVE_KINDS:
                    raise BadValue("figure_negative", key=target.key, value=value)
                text = str(get_as_of(values))  # type: ignore[misc]
                period = periods.get(text)
                if period is None:
                    try:
                        period = parse_period(text.strip()).isoformat()
                    except BadPeriod as err:
                        period = err
                    if len(periods) >= MAX_CACHED_PERIODS:
                        periods.clear()
                    periods[text] = period
                if isinstance(period, Exception):
                    raise period
                if not first_day <= period <= last_day:
                    raise BadValue("period_outside_year", period=period, year=plan.year)
                vintage = "preliminary" if get_vintage is None else vintages.get(str(get_vintage(values)).strip())
                if vintage is None:
                    raise BadValue("unknown_vintage_in_row", vintage=str(get_vintage(values)))  # type: ignore[misc]
                note, source = text_of(get_note, values), text_of(get_source, values)
                if note is not None and (len(note) > MAX_TEXT_CHARS or not (note.isascii() or storable(note))):
                    _check_text("note", note)
                if source is not None and (len(source) > MAX_TEXT_CHARS or not (source.isascii() or storable(source))):
                    _check_text("source", source)
            except (BadValue, BadPeriod) as err:
                if err.code == "bad_period":  # the accepted forms are said once, not on every row
                    err = BadPeriod("bad_period_in_row", text=err.fields["text"], reason=err.fields["reason"])
                problems.add(Message("import_line", line=line, problem=err))
                continue
            if problems.count:
                continue  # nothing will be written: only look for more problems
            retracted = get_state is not None and str(get_state(values)).strip() == "retracted"
            recorded = get_recorded(values) if get_recorded is not None else None
            day = days.get(period)  # type: ignore[arg-type]
            if day is None:
                day = days[period] = date.fromisoformat(period).toordinal() - day_one  # type: ignore[arg-type]
            grp = rank[target.key] * DAYS + day
            chosen = True
            if comparison is not None:
                try:
                    chosen = comparison.row(grp, (value, source, vintage, note), retracted)
                except _TooMuchHistory:
                    comparison = None  # SQL compares once the file is read
            batch.append((grp, target.key, value, period, note, source, vintage, retracted,
                          _iso_or_none(recorded) if recorded else None, chosen))  # fmt: skip
            if len(batch) >= STAGE_BATCH:
                conn.executemany(insert, batch)
                batch.clear()
        if problems:
            raise problems.error(path)
        conn.executemany(insert, batch)
        if comparison is None:
            conn.execute("COMMIT")
            return None, seen
        same, counts = comparison.result()
        conn.executemany("INSERT INTO temp.import_same (grp) VALUES (?)", ((g,) for g in same))
        conn.execute("COMMIT")
        return counts, seen

    def _recorded_history(self, targets: list, plan: Any) -> Callable[[int], tuple[Any, set]]:
        """For a target and period (a grp), the figure current and the signatures of every
        figure recorded — read when the file first names it, only where something is recorded
        (one query finds where), and at most MAX_HISTORY_HELD in all."""
        from hnreport.domain.export import nocase

        rank = {nocase(t.key): i for i, t in enumerate(targets)}
        day_one = plan.start.toordinal()
        spellings: dict[int, list[str]] = {}  # grp → the spellings of its key recorded (NOCASE, like targets)
        for key, as_of in self.conn.execute(
            "SELECT DISTINCT target_key, as_of FROM observations WHERE as_of BETWEEN ? AND ?",
            (plan.start.isoformat(), plan.end.isoformat()),
        ):
            r = rank.get(nocase(key))
            try:
                day = date.fromisoformat(as_of).toordinal() - day_one
            except ValueError:
                continue
            if r is not None:
                spellings.setdefault(r * DAYS + day, []).append(key)
        held = 0
        nothing: set = set()

        def history(grp: int) -> tuple[Any, set]:
            nonlocal held
            keys = spellings.get(grp)
            if not keys:
                return None, nothing
            as_of = date.fromordinal(day_one + grp % DAYS).isoformat()
            current, known = None, set()
            for value, source, vintage, note, gone in self.conn.execute(
                "SELECT o.value, o.source, o.vintage, o.note, EXISTS (SELECT 1 FROM retractions x WHERE "
                f"x.observation_id = o.id AND {visible('x')}) FROM observations o WHERE o.target_key IN "
                f"({', '.join('?' * len(keys))}) AND o.as_of = ? AND {visible('o')} ORDER BY o.id",
                (*keys, as_of),
            ):
                signature = (value, source, vintage, note)
                known.add(signature)
                if not gone:
                    current = signature
            held += len(known)
            if held > MAX_HISTORY_HELD:
                raise _TooMuchHistory
            return current, known

        return history

    def _compare_staged(self) -> tuple[int, int, int, int]:
        """The comparison of _Comparison, done by SQL over the staged rows: both sides read in
        the same order (target and period, then file order or id) and walked together. For
        when the recorded figures were too many to hold, or changed while the file was read.
        Marks the staged rows that are written."""
        conn = self.conn
        conn.execute("UPDATE temp.import_stage SET chosen = 0")
        conn.execute("DELETE FROM temp.import_same")
        staged = conn.execute("SELECT grp, seq, value, source, vintage, note, retracted FROM temp.import_stage ORDER BY grp, seq")
        # The recorded figures of the same targets and periods, numbered the same way (the key
        # matched as SQLite's NOCASE does, as the targets table does).
        recorded = conn.execute(
            f"SELECT k.rank * {DAYS} + CAST(julianday(o.as_of) - julianday(?) AS INTEGER) AS grp, o.value, o.source, o.vintage, "
            f"o.note, EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o.id AND {visible('x')}) "
            "FROM observations o JOIN temp.import_keys k ON k.key = o.target_key "
            f"WHERE {visible('o')} AND o.as_of IN (SELECT as_of FROM temp.import_stage) AND julianday(o.as_of) IS NOT NULL "
            "ORDER BY grp, o.id",
            (self.store.items.plan().start.isoformat(),),
        )
        there = next(recorded, None)
        chosen: list[tuple[int]] = []
        added = revised = unchanged = retracted = 0
        for group, rows in groupby(staged, key=itemgetter(0)):
            while there is not None and there[0] < group:
                there = next(recorded, None)
            history: list[tuple[tuple, bool]] = []
            while there is not None and there[0] == group:
                history.append((there[1:5], bool(there[5])))
                there = next(recorded, None)
            live_history = [sig for sig, gone in history if not gone]
            current = live_history[-1] if live_history else None
            known = {sig for sig, _ in history}
            group_rows = [(r[1], r[2:6], bool(r[6])) for r in rows]  # (seq, signature, retracted)
            live_rows = [sig for _, sig, gone in group_rows if not gone]
            if all(sig in known for _, sig, _ in group_rows) and (not live_rows or live_rows[-1] == current):
                unchanged += len(group_rows)
                continue
            for seq, signature, gone in group_rows:
                if not gone and signature == current:
                    unchanged += 1
                    continue
                if current is None:
                    added += 1
                else:
                    revised += 1
                retracted += gone
                chosen.append((seq,))
                if len(chosen) >= STAGE_BATCH:
                    conn.executemany("UPDATE temp.import_stage SET chosen = 1 WHERE seq = ?", chosen)
                    chosen.clear()
                if not gone:
                    current = signature
        conn.executemany("UPDATE temp.import_stage SET chosen = 1 WHERE seq = ?", chosen)
        return added, revised, unchanged, retracted

    # ── export and restore ───────────────────────────────────────────────────────────────
    def _rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    def export_data(self) -> dict[str, Any]:
        """Everything a user entered, visible now, in a form ``restore`` reads back."""
        plan = self.store.items.plan()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "plan": plan.key,
            "observations": self._rows(
                "SELECT o.id, o.target_key AS key, o.value, o.as_of, o.vintage, o.recorded_at, o.note, o.source, "
                "o.supersedes, j.known_from FROM observations o LEFT JOIN journal j ON j.id = o.change_id "
                f"WHERE {visible('o')} ORDER BY o.id"
            ),
            "retractions": self._rows(
                f"SELECT x.observation_id, x.reason FROM retractions x WHERE {visible('x')} ORDER BY x.id"
            ),
            "target_revisions": self._rows(
                f"SELECT r.target_key AS key, r.value, r.effective, r.reason FROM target_revisions r WHERE {visible('r')} ORDER BY r.id"
            ),
            "targets_added": self._rows(
                "SELECT key, name_zh, name_en, section, kind, comparator, value, unit, frequency, locator, phrase, note "
                f"FROM targets t WHERE origin = 'user' AND {visible('t')} ORDER BY ordinal"
            ),
            "milestones_added": self._rows(
                "SELECT key, name_zh, name_en, section, locator, phrase, strength, note "
                f"FROM milestones m WHERE origin = 'user' AND {visible('m')} ORDER BY ordinal"
            ),
            "milestone_status": self._rows(
                "SELECT milestone_key AS key, status, as_of, recorded_at, progress, problems, next_steps, source "
                f"FROM milestone_status s WHERE {visible('s')} ORDER BY id"
            ),
            "deadlines": self._rows(
                "SELECT milestone_key AS key, kind, due_date, text, reason, recorded_at "
                f"FROM deadlines d WHERE {visible('d')} ORDER BY id"
            ),
            "node_marks": self._rows(
                "SELECT milestone_key AS key, node_date, mark, note, recorded_at "
                f"FROM node_marks n WHERE {visible('n')} ORDER BY id"
            ),
            "units": [
                {"name": name, "aliases": aliases} for _uid, name, aliases in self.store.tracking.units()  # type: ignore[attr-defined]
            ],
            "assignments": self._rows(
                "SELECT a.item_key AS key, u.name AS unit, a.role, a.recorded_at FROM assignment_log a "
                f"JOIN units u ON u.id = a.unit_id WHERE {visible('a')} AND {visible('u')} ORDER BY a.id"
            ),
            "settings": self._rows(
                f"SELECT s.scope, s.key, s.value FROM setting_log s WHERE s.change_id IS NOT NULL AND {visible('s')} ORDER BY s.id"
            ),
            # the names a user added for statistical tables (the seeded ones come with data/)
            "target_aliases": self._rows(
                f"SELECT a.target_key AS key, a.alias FROM target_aliases a WHERE a.change_id IS NOT NULL AND {visible('a')} ORDER BY a.id"
            ),
            "unit_reports": self._rows(
                "SELECT r.id, u.name AS unit, r.period, r.sheet_id, r.file, r.collected_at FROM unit_reports r "
                f"JOIN units u ON u.id = r.unit_id WHERE {visible('r')} ORDER BY r.id"
            ),
            "unit_report_items": self._rows(
                "SELECT i.report_id AS report, i.item_key AS key, i.answer, i.status, i.value, i.value_as_of, i.progress, "
                f"i.problems, i.next_steps, i.source FROM unit_report_items i WHERE {visible('i')} ORDER BY i.id"
            ),
        }

    def has_user_data(self) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM journal)").fetchone()[0] == 1

    def restore(self, data: dict[str, Any], path: str) -> dict[str, int]:
        """Restore an export into a database with nothing recorded yet, as one journalled change.

        The whole document is checked first against every hard rule the commands apply
        (domain.export); any problem is reported with where it is in the file, and nothing is
        written."""
        data = follow_renames(data, self.store.items.renamed_keys())
        checked = self.check_restore(data, path)
        from hnreport.domain.export import nocase

        item, units = checked.item, checked.units
        counts = {}
        with self.store.change("import", f"restored export {path}", reason=path) as (conn, cid):
            try:
                for t in data.get("targets_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM targets").fetchone()[0]
                    conn.execute(
                        "INSERT INTO targets (key, ordinal, name_zh, name_en, section, kind, comparator, value, unit, "
                        "frequency, locator, phrase, note, origin, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (t["key"], ordinal, t["name_zh"], t["name_en"], t["section"], t["kind"], t["comparator"], t["value"],
                         t.get("unit"), t["frequency"], t.get("locator") or "", t.get("phrase") or "", t.get("note"), cid),
                    )  # fmt: skip
                for m in data.get("milestones_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM milestones").fetchone()[0]
                    conn.execute(
                        "INSERT INTO milestones (key, ordinal, name_zh, name_en, section, locator, phrase, strength, note, "
                        "origin, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (m["key"], ordinal, m["name_zh"], m["name_en"], m["section"], m.get("locator") or "", m.get("phrase") or "",
                         m.get("strength"), m.get("note"), cid),
                    )  # fmt: skip
                ids: dict[int, int] = {}
                back_filled = self._known_from_changes(conn, cid, path, data.get("observations", []))
                for o in data.get("observations", []):
                    cur = conn.execute(
                        "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, vintage, supersedes, change_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item(o["key"]), float(o["value"]), o["as_of"], o["recorded_at"], o.get("note"), o.get("source"), o["vintage"],
                         ids[o["supersedes"]] if o.get("supersedes") is not None else None,
                         back_filled.get(o.get("known_from"), cid)),
                    )  # fmt: skip
                    ids[o["id"]] = cur.lastrowid  # type: ignore[assignment]
                for x in data.get("retractions", []):
                    conn.execute("INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                                 (ids[x["observation_id"]], cid, x["reason"]))  # fmt: skip
                for r in data.get("target_revisions", []):
                    conn.execute("INSERT INTO target_revisions (target_key, value, effective, reason, change_id) VALUES (?, ?, ?, ?, ?)",
                                 (item(r["key"]), r["value"], r["effective"], r["reason"], cid))  # fmt: skip
                for st in data.get("milestone_status", []):
                    conn.execute(
                        "INSERT INTO milestone_status (milestone_key, status, as_of, recorded_at, progress, problems, next_steps, "
                        "source, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item(st["key"]), st["status"], st["as_of"], st["recorded_at"], st.get("progress"), st.get("problems"),
                         st.get("next_steps"), st.get("source"), cid),
                    )  # fmt: skip
                for d in data.get("deadlines", []):
                    conn.execute(
                        "INSERT INTO deadlines (milestone_key, kind, due_date, text, reason, recorded_at, change_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (item(d["key"]), d["kind"], d["due_date"], d.get("text"), d.get("reason"), d["recorded_at"], cid),
                    )  # fmt: skip
                for n in data.get("node_marks", []):
                    conn.execute(
                        "INSERT INTO node_marks (milestone_key, node_date, mark, note, recorded_at, change_id) VALUES (?, ?, ?, ?, ?, ?)",
                        (n["key"], n["node_date"], n["mark"], n["note"], n["recorded_at"], cid),
                    )  # fmt: skip
                unit_ids = {}
                for u in data.get("units", []):
                    name = u["name"].strip()
                    uid = conn.execute("INSERT INTO units (name, created_at, change_id) VALUES (?, ?, ?)", (name, now_utc(), cid)).lastrowid
                    unit_ids[name] = uid
                    for alias in u.get("aliases", []):
                        conn.execute("INSERT INTO unit_aliases (alias, unit_id, change_id) VALUES (?, ?, ?)", (alias.strip(), uid, cid))
                for a in data.get("assignments", []):
                    conn.execute("INSERT INTO assignment_log (item_key, unit_id, role, recorded_at, change_id) VALUES (?, ?, ?, ?, ?)",
                                 (item(a["key"]), unit_ids[units[nocase(a["unit"].strip())]], a["role"], a["recorded_at"], cid))  # fmt: skip
                for s, stored in zip(data.get("settings", []), checked.settings):
                    scope = item(s["scope"]) if s["scope"] else ""
                    conn.execute("INSERT INTO setting_log (scope, key, value, change_id) VALUES (?, ?, ?, ?)",
                                 (scope, s["key"], stored, cid))  # fmt: skip
                for key, alias, norm in checked.aliases:
                    conn.execute("INSERT INTO target_aliases (target_key, alias, norm, source, change_id) VALUES (?, ?, ?, NULL, ?)",
                                 (key, alias, norm, cid))  # fmt: skip
                reports: dict[int, int] = {}
                for r in data.get("unit_reports", []):
                    reports[r["id"]] = conn.execute(
                        "INSERT INTO unit_reports (unit_id, period, sheet_id, file, collected_at, change_id) VALUES (?, ?, ?, ?, ?, ?)",
                        (unit_ids[units[nocase(r["unit"].strip())]], r["period"], r["sheet_id"], r["file"], r["collected_at"], cid),
                    ).lastrowid  # type: ignore[assignment]
                for i in data.get("unit_report_items", []):
                    conn.execute(
                        "INSERT INTO unit_report_items (report_id, item_key, answer, status, value, value_as_of, progress, problems, "
                        "next_steps, source, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (reports[i["report"]], item(i["key"]), i["answer"], i.get("status"), i.get("value"), i.get("value_as_of"),
                         i.get("progress"), i.get("problems"), i.get("next_steps"), i.get("source"), cid),
                    )  # fmt: skip
            except sqlite3.IntegrityError as err:  # a rule of the schema the check does not know
                raise HnreportError("export_damaged", path=path, kind=type(err).__name__, reason=str(err)) from None
            for name in ("observations", "milestone_status", "deadlines", "node_marks", "units", "assignments", "settings",
                         "target_aliases", "unit_reports"):  # fmt: skip
                counts[name] = len(data.get(name, []))
        return counts

    def check_restore(self, data: dict[str, Any], path: str):
        """What ``restore`` checks before writing anything (``import --dry-run`` too): an export
        of this version and plan, a database with nothing recorded, and every hard rule."""
        if data.get("format") != EXPORT_FORMAT:
            raise HnreportError("not_an_export", path=path)
        if type(data.get("version")) is not int or data.get("version") != EXPORT_VERSION:
            raise HnreportError("export_version", path=path, version=repr(data.get("version")), supported=EXPORT_VERSION)
        if data.get("plan") != self.store.items.plan().key:
            raise HnreportError("export_other_plan", path=path, plan=data.get("plan"), expected=self.store.items.plan().key)
        if self.has_user_data():
            raise HnreportError("export_needs_empty_db")
        checked = self._check_export(follow_renames(data, self.store.items.renamed_keys()))
        if checked.problems:
            from hnreport.readers import Problems

            problems = Problems()
            for where, problem in checked.problems:
                problems.add(Message("export_problem", where=where, problem=problem))
            raise problems.error(path, "export_problems")
        return checked

    def _check_export(self, data: dict[str, Any]):
        """The export checked against what this database holds (domain.export)."""
        from hnreport.domain import settings as setting_rules
        from hnreport.domain.export import Known, check_export
        from hnreport.domain.model import plan_sections

        items = self.store.items
        presets = self.store.config.presets()  # type: ignore[attr-defined]
        known = Known(
            plan=items.plan(),
            sections=tuple(s.code for s in plan_sections(items.sections())),
            targets={t.key.lower(): (t.key, t.kind, t.name_zh) for t in items.targets()},
            milestones={m.key.lower(): m.key for m in items.milestones()},
            check_setting=lambda key, value, for_target: setting_rules.checked_setting(key, value, for_target, presets),
            names=items.indicator_names(),
        )
        return check_export(data, known)


    def _known_from_changes(self, conn: sqlite3.Connection, cid: int, path: str, observations: list) -> dict[str, int]:
        """For back-filled figures in an export: one journal entry per "known from" date, in the
        restore's batch (so one undo still reverts the whole restore). Date → its change id."""
        dates: dict[str, int] = {}
        for o in observations:
            when = o.get("known_from") if isinstance(o, dict) else None
            if when:
                dates[str(when)] = dates.get(str(when), 0) + 1
        if not dates:
            return {}
        conn.execute("UPDATE journal SET batch = ? WHERE id = ?", (cid, cid))
        out = {}
        for when, count in sorted(dates.items()):
            moment = datetime.fromisoformat(when).astimezone(timezone.utc).isoformat()  # ValueError: a damaged export
            out[when] = conn.execute(
                "INSERT INTO journal (at, user, action, summary, reason, known_from, batch) VALUES (?, ?, 'import', ?, ?, ?, ?)",
                (now_utc(), self.store.user, f"restored export {path}: {count} back-filled figure(s)", path, moment, cid),
            ).lastrowid
        return out


def _check_text(field: str, text: str) -> None:
    """BadValue if ``text`` cannot be stored as ``field`` (domain.values.text_problem)."""
    from hnreport.domain.values import text_problem

    problem = text_problem(field, text)
    if problem is not None:
        raise BadValue.saying(problem)


def _iso_or_none(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None


# Where an export names items by key: section → the field holding a target or milestone key.
KEYED_SECTIONS = {
    "observations": "key", "target_revisions": "key", "milestone_status": "key", "deadlines": "key",
    "node_marks": "key", "assignments": "key", "settings": "scope", "target_aliases": "key", "unit_report_items": "key",
}  # fmt: skip


def follow_renames(data: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """An export made before a release renamed some keys (``renamed_from`` in data/), with
    those keys changed to today's — as a seed update changes them in a database."""
    if not renamed:
        return data
    out = dict(data)
    for section, field in KEYED_SECTIONS.items():
        rows = data.get(section)
        if isinstance(rows, list):
            out[section] = [
                {**row, field: renamed.get(row.get(field), row.get(field))} if isinstance(row, dict) else row
                for row in rows
            ]
    return out
