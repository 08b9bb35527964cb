"""The exchange repository: import of figures, export and restore of everything a user entered.

An import is one journalled change (so one undo reverts it), is validated completely before
anything is written, and is idempotent.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from hnreport.store.sql import Repository, now_utc, visible
from hnreport.errors import BadConfig, BadPeriod, BadValue, HnreportError, Message
from hnreport.domain.model import NONNEGATIVE_KINDS

if TYPE_CHECKING:
    from hnreport.readers import Table
    from hnreport.domain.model import Target

EXPORT_FORMAT = "hnreport-export"
EXPORT_VERSION = 1


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


class Exchange(Repository):
    def import_table(
        self, table: Table, path: str, *, dry_run: bool = False, progress: Callable[[int], None] | None = None,
        known_from: str | None = None,
    ) -> ImportSummary:
        from hnreport.readers import ImportProblems
        from hnreport.domain.periods import parse_period
        from hnreport.domain.values import parse_value

        targets = self.store.items.targets()
        by_key = {t.key.lower(): t for t in targets}
        by_name = {t.name_zh: t for t in targets}
        plan = self.store.items.plan()
        first_day, last_day = plan.start.isoformat(), plan.end.isoformat()
        from hnreport.text import unneutralise

        def getter(name: str):
            i = table.columns.get(name)
            return (lambda values: values[i]) if i is not None else (lambda values: "")

        get_key, get_value, get_as_of = getter("key"), getter("value"), getter("as_of")
        get_note, get_source, get_vintage = getter("note"), getter("source"), getter("vintage")
        get_state, get_recorded = getter("state"), getter("recorded_at")
        periods: dict[str, str | Exception] = {}  # each distinct period text is parsed once
        vintages = {"": "preliminary", "preliminary": "preliminary", "final": "final", "初步": "preliminary",
                    "最终核实": "final", "最终": "final"}  # fmt: skip
        problems: list[Message] = []
        prepared: list[tuple[Target, float, str, str | None, str | None, str, str | None, str | None]] = []
        for i, (line, values) in enumerate(table.rows):
            if progress and i % 1000 == 0:
                progress(i)
            key = get_key(values)
            target = by_key.get(key) if key.__class__ is str else None  # the common case: an exact key
            if target is None:
                key = str(key).strip()
                target = by_key.get(key.lower()) or by_name.get(key)
            if target is None:
                problems.append(Message("import_line", line=line, problem=self.store.items.unknown_key(key)))
                continue
            raw = get_value(values)
            try:
                value = None
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    value = float(raw)
                elif isinstance(raw, str) and "_" not in raw:
                    try:
                        value = float(raw)  # the common case; anything odd goes through parse_value
                    except ValueError:
                        pass
                if value is None or not math.isfinite(value) or (value == 0 and isinstance(raw, str) and raw.strip("0.+- ")):
                    value = parse_value(str(raw), target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
                if value < 0 and target.kind in NONNEGATIVE_KINDS:
                    raise BadValue("figure_negative", key=target.key, value=value)
                text = str(get_as_of(values))
                period = periods.get(text)
                if period is None:
                    try:
                        period = parse_period(text.strip()).isoformat()
                    except BadPeriod as err:
                        period = err
                    periods[text] = period
                if isinstance(period, Exception):
                    raise period
                if not first_day <= period <= last_day:
                    raise BadValue("period_outside_year", period=period, year=plan.year)
                vintage = vintages.get(str(get_vintage(values)).strip())
                if vintage is None:
                    raise BadValue("unknown_vintage_in_row", vintage=str(get_vintage(values)))
            except (BadValue, BadPeriod) as err:
                if err.code == "bad_period":  # the accepted forms are said once, not on every row
                    err = BadPeriod("bad_period_in_row", text=err.fields["text"], reason=err.fields["reason"])
                problems.append(Message("import_line", line=line, problem=err))
                continue
            note = unneutralise(str(get_note(values)).strip()) or None
            source = unneutralise(str(get_source(values)).strip()) or None
            state = str(get_state(values)).strip() or None
            recorded = get_recorded(values)
            prepared.append((target, value, period, note, source, vintage, state, _iso_or_none(recorded) if recorded else None))
        if problems:
            raise ImportProblems(path, problems)

        if dry_run:
            rows, counts = self._compare(prepared)
            return ImportSummary(*counts, table.extra_columns, table.encoding)
        try:
            # The comparison runs inside the write transaction, so two imports of one file at
            # once cannot both add it.
            with self.store.change("import", f"imported {path}", reason=path, known_from=known_from) as (conn, change_id):
                rows, counts = self._compare(prepared)
                if not rows:
                    raise _NothingToImport(counts)
                now = now_utc()
                first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM observations").fetchone()[0]
                conn.executemany(
                    "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, vintage, change_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    ((k, v, a, r or now, n, s, vi, change_id) for k, v, a, r, n, s, vi, _ in rows),
                )
                if counts[3]:
                    ids = [i for (i,) in conn.execute("SELECT id FROM observations WHERE change_id = ? AND id >= ? ORDER BY id", (change_id, first))]
                    conn.executemany(
                        "INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                        ((ids[i], change_id, "retracted in the imported file") for i, r in enumerate(rows) if r[7]),
                    )
                added, revised, unchanged, _ = counts
                conn.execute(
                    "UPDATE journal SET summary = ? WHERE id = ?",
                    (f"imported {path}: {added} added, {revised} revised, {unchanged} unchanged", change_id),
                )
        except _NothingToImport as nothing:
            return ImportSummary(*nothing.counts, table.extra_columns, table.encoding)
        return ImportSummary(*counts, table.extra_columns, table.encoding, change_id)

    def _compare(self, prepared: list[tuple]) -> tuple[list[tuple], tuple[int, int, int, int]]:
        """Which rows change anything, compared per target and period with what is there.

        A figure is the same when value, source, vintage and note agree. A file whose rows all
        match figures already recorded and whose last row is the current figure changes
        nothing (so an export, superseded rows and all, re-imports as unchanged); otherwise
        its rows apply in order, each a revision of the figure current at that point.
        """
        periods = sorted({p[2] for p in prepared})
        there: dict[tuple[str, str], list[tuple[tuple, bool]]] = {}
        for i in range(0, len(periods), 500):
            chunk = periods[i : i + 500]
            for key, as_of, value, source, vintage, note, retracted_now in self.conn.execute(
                "SELECT o.target_key, o.as_of, o.value, o.source, o.vintage, o.note, EXISTS (SELECT 1 FROM retractions x "
                f"WHERE x.observation_id = o.id AND {visible('x')}) FROM observations o WHERE {visible('o')} "
                f"AND o.as_of IN ({', '.join('?' * len(chunk))}) ORDER BY o.id",
                chunk,
            ):
                there.setdefault((key.lower(), as_of), []).append(((value, source, vintage, note), bool(retracted_now)))
        groups: dict[tuple[str, str], list[int]] = {}
        for index, p in enumerate(prepared):
            groups.setdefault((p[0].key.lower(), p[2]), []).append(index)
        chosen: list[int] = []
        added = revised = unchanged = 0
        for group, indices in groups.items():
            history = there.get(group, [])
            live_history = [sig for sig, gone in history if not gone]
            current = live_history[-1] if live_history else None
            known = {sig for sig, _ in history}
            rows = [prepared[i] for i in indices]
            signatures = [(r[1], r[4], r[5], r[3]) for r in rows]
            live_rows = [sig for sig, r in zip(signatures, rows) if r[6] != "retracted"]
            if all(sig in known for sig in signatures) and (not live_rows or live_rows[-1] == current):
                unchanged += len(rows)
                continue
            for i, r, signature in zip(indices, rows, signatures):
                if r[6] != "retracted" and signature == current:
                    unchanged += 1
                    continue
                if current is None:
                    added += 1
                else:
                    revised += 1
                chosen.append(i)
                if r[6] != "retracted":
                    current = signature
        rows_to_insert = [
            (t.key, value, as_of, recorded_at, note, source, vintage, state == "retracted")
            for t, value, as_of, note, source, vintage, state, recorded_at in (prepared[i] for i in sorted(chosen))
        ]
        return rows_to_insert, (added, revised, unchanged, sum(1 for r in rows_to_insert if r[7]))

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
        }

    def has_user_data(self) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM journal)").fetchone()[0] == 1

    def restore(self, data: dict[str, Any], path: str) -> dict[str, int]:
        if data.get("format") != EXPORT_FORMAT:
            raise HnreportError("not_an_export", path=path)
        if type(data.get("version")) is not int or data.get("version") != EXPORT_VERSION:
            raise HnreportError("export_version", path=path, version=repr(data.get("version")), supported=EXPORT_VERSION)
        if data.get("plan") != self.store.items.plan().key:
            raise HnreportError("export_other_plan", path=path, plan=data.get("plan"), expected=self.store.items.plan().key)
        data = follow_renames(data, self.store.items.renamed_keys())
        if self.has_user_data():
            raise HnreportError("export_needs_empty_db")
        counts = {}
        with self.store.change("import", f"restored export {path}", reason=path) as (conn, cid):
            try:
                for t in data.get("targets_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM targets").fetchone()[0]
                    conn.execute(
                        "INSERT INTO targets (key, ordinal, name_zh, name_en, section, kind, comparator, value, unit, "
                        "frequency, locator, phrase, note, origin, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (t["key"], ordinal, t["name_zh"], t["name_en"], t["section"], t["kind"], t["comparator"], t["value"],
                         t["unit"], t["frequency"], t["locator"] or "", t["phrase"] or "", t["note"], cid),
                    )  # fmt: skip
                for m in data.get("milestones_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM milestones").fetchone()[0]
                    conn.execute(
                        "INSERT INTO milestones (key, ordinal, name_zh, name_en, section, locator, phrase, strength, note, "
                        "origin, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (m["key"], ordinal, m["name_zh"], m["name_en"], m["section"], m["locator"] or "", m["phrase"] or "",
                         m["strength"], m["note"], cid),
                    )  # fmt: skip
                ids: dict[int, int] = {}
                back_filled = self._known_from_changes(conn, cid, path, data.get("observations", []))
                for o in data.get("observations", []):
                    cur = conn.execute(
                        "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, vintage, supersedes, change_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (o["key"], float(o["value"]), o["as_of"], o["recorded_at"], o["note"], o["source"], o["vintage"],
                         ids.get(o["supersedes"]) if o.get("supersedes") else None, back_filled.get(o.get("known_from"), cid)),
                    )  # fmt: skip
                    ids[o["id"]] = cur.lastrowid  # type: ignore[assignment]
                for x in data.get("retractions", []):
                    conn.execute("INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                                 (ids[x["observation_id"]], cid, x["reason"]))  # fmt: skip
                for r in data.get("target_revisions", []):
                    conn.execute("INSERT INTO target_revisions (target_key, value, effective, reason, change_id) VALUES (?, ?, ?, ?, ?)",
                                 (r["key"], r["value"], r["effective"], r["reason"], cid))  # fmt: skip
                for s in data.get("milestone_status", []):
                    conn.execute(
                        "INSERT INTO milestone_status (milestone_key, status, as_of, recorded_at, progress, problems, next_steps, "
                        "source, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (s["key"], s["status"], s["as_of"], s["recorded_at"], s["progress"], s["problems"], s["next_steps"], s["source"], cid),
                    )  # fmt: skip
                for d in data.get("deadlines", []):
                    conn.execute(
                        "INSERT INTO deadlines (milestone_key, kind, due_date, text, reason, recorded_at, change_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (d["key"], d["kind"], d["due_date"], d["text"], d["reason"], d["recorded_at"], cid),
                    )  # fmt: skip
                for n in data.get("node_marks", []):
                    conn.execute(
                        "INSERT INTO node_marks (milestone_key, node_date, mark, note, recorded_at, change_id) VALUES (?, ?, ?, ?, ?, ?)",
                        (n["key"], n["node_date"], n["mark"], n["note"], n["recorded_at"], cid),
                    )  # fmt: skip
                unit_ids = {}
                for u in data.get("units", []):
                    uid = conn.execute("INSERT INTO units (name, created_at, change_id) VALUES (?, ?, ?)", (u["name"], now_utc(), cid)).lastrowid
                    unit_ids[u["name"]] = uid
                    for alias in u.get("aliases", []):
                        conn.execute("INSERT INTO unit_aliases (alias, unit_id, change_id) VALUES (?, ?, ?)", (alias, uid, cid))
                for a in data.get("assignments", []):
                    conn.execute("INSERT INTO assignment_log (item_key, unit_id, role, recorded_at, change_id) VALUES (?, ?, ?, ?, ?)",
                                 (a["key"], unit_ids[a["unit"]], a["role"], a["recorded_at"], cid))  # fmt: skip
                for s in data.get("settings", []):
                    stored = self.store.config.checked_setting(s["key"], str(s["value"]), bool(s["scope"]))  # type: ignore[attr-defined]
                    conn.execute("INSERT INTO setting_log (scope, key, value, change_id) VALUES (?, ?, ?, ?)",
                                 (s["scope"], s["key"], stored, cid))  # fmt: skip
            except BadConfig as err:
                raise HnreportError("export_bad_setting", path=path, problem=err) from None
            except (KeyError, TypeError, ValueError, sqlite3.IntegrityError) as err:
                raise HnreportError("export_damaged", path=path, kind=type(err).__name__, reason=str(err)) from None
            for name in ("observations", "milestone_status", "deadlines", "node_marks", "units", "assignments", "settings"):
                counts[name] = len(data.get(name, []))
        return counts


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
    "node_marks": "key", "assignments": "key", "settings": "scope",
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
