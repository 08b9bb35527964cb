"""Upgrading: a database written by every earlier schema version opens with the current hnreport
with every row intact, and a migration that fails half-way leaves the version before it.

Each earlier database is built the way that version of hnreport built it: migrations 0001..N
applied by hand (store.split_statements over the SQL files), then rows inserted as that version
would have written them — the seeded plan (a few targets, results, milestones) and a user's
figures, milestone statuses, deadlines, units, assignments and settings where the tables exist.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tomllib
from pathlib import Path
from typing import Any

import pytest

from helpers import dump, q
from hnreport import resources
from hnreport.store.migrations import split_statements

REPO = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(
    (int(m.group(1)), p) for p in (REPO / "migrations").glob("*.sql") if (m := re.match(r"(\d+)_", p.name))
)
LATEST = MIGRATIONS[-1][0]
DATA = {name: tomllib.loads((REPO / "data" / f"{name}.toml").read_text(encoding="utf-8")) for name in ("plan", "results", "targets", "milestones", "glossary")}
SEEDED_TABLES = {"plan", "plans", "sections", "results", "targets", "milestones", "glossary", "target_aliases"}
GAIN_DEFAULTS = {"settings"}  # a migration may add a default setting (0002: due.within = 7)
# The search index (0011) is derived from the tables: it gains the rows of what the seed adds, and
# 0012 rebuilds it (its FTS5 shadow tables are its storage, not rows of their own); figure_texts
# (0014) is what it holds of figures.
DERIVED = {"search_index", "figure_texts"}
MARKS = {"figure_texts_upto"}  # how far figure_texts has read the figures: moves with every write
# Tables a migration replaced: the old table → its successor and the columns that carry over.
RENAMED = {"assignments": ("assignment_log", ("item_key", "unit_id", "role", "recorded_at")),
           # 0012: the one plan becomes the first of the plans (its digest brought up to date)
           "plan": ("plans", ("id", "key", "name_zh", "name_en", "county_zh", "county_en", "year", "delivered"))}
NOTE = """一季度 'quoted' "double" ; DROP TABLE targets; --"""


# ── building an old database ─────────────────────────────────────────────────────────────────
def apply_migrations(conn: sqlite3.Connection, upto: int, migrations=MIGRATIONS) -> None:
    for number, path in migrations:
        if number > upto:
            break
        conn.execute("BEGIN")
        for statement in split_statements(path.read_text(encoding="utf-8")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert the fields of ``row`` that ``table`` has at this version."""
    have = columns(conn, table)
    keys = [k for k in row if k in have]
    conn.execute(f"INSERT INTO {table} ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})", [row[k] for k in keys])


def _seeded(kind: str, key: str, key_field: str = "key") -> tuple[int, dict]:
    rows = DATA[kind][{"results": "result", "targets": "target", "milestones": "milestone", "glossary": "term"}[kind]]
    i = next(i for i, r in enumerate(rows) if r[key_field] == key)
    return i, rows[i]


def populate(conn: sqlite3.Connection, digest: str) -> None:
    """What an hnreport of this schema version would have written: a seeded plan and user data."""
    present = tables(conn)
    plan = DATA["plan"]["plan"]
    insert(conn, "plan" if "plan" in present else "plans", {"id": 1, **{k: plan.get(k) for k in ("key", "name_zh", "name_en", "county_zh", "county_en", "year", "delivered")}, "seed_digest": digest})
    for i, s in enumerate(DATA["plan"]["section"]):
        insert(conn, "sections", {"ordinal": i, **{k: s.get(k) for k in ("code", "part", "name_zh", "name_en", "locator", "note")}})
    kpi_i, kpi = _seeded("targets", "key-project-investment")
    for key in ("gdp-2021", kpi["baseline"]):
        i, r = _seeded("results", key)
        insert(conn, "results", {"ordinal": i, **{k: r.get(k) for k in ("key", "name_zh", "name_en", "section", "kind", "value", "unit", "scope", "locator", "phrase", "note")}})
    for key in ("gdp", "key-project-investment"):
        i, t = _seeded("targets", key)
        insert(conn, "targets", {"ordinal": i, "unit_missing": int(bool(t.get("unit_missing"))), "origin": "seed",
                                 **{k: t.get(k) for k in ("key", "name_zh", "name_en", "section", "kind", "comparator", "value", "unit",
                                                          "frequency", "baseline", "locator", "phrase", "strength", "note")}})  # fmt: skip
    insert(conn, "targets", {"key": "my-parking", "ordinal": 900, "name_zh": "新增停车位", "name_en": "New parking spaces",
                             "section": "livelihood", "kind": "cumulative", "comparator": ">=", "value": 500, "unit": "个",
                             "unit_missing": 0, "frequency": "quarterly", "locator": "", "phrase": "", "origin": "user"})  # fmt: skip
    journal = "journal" in present
    figures = [(1, "gdp", 8.1, "2022-03-31", NOTE, 'bulletin "2022-03"'), (2, "key-project-investment", 58.4, "2022-05-31", None, None),
               (3, "my-parking", 120, "2022-06-30", "用户的指标", "县住建局")]  # fmt: skip
    for oid, key, value, as_of, note, source in figures:
        if journal:  # (since version 5 a back-filled figure's change says since when it was known)
            insert(conn, "journal", {"id": oid, "at": f"{as_of}T09:00:00+00:00", "user": "clerk", "action": "record", "key": key, "summary": f"recorded {key}",
                                     "known_from": "2022-06-30T16:00:00+00:00" if oid == 3 else None})  # fmt: skip
        insert(conn, "observations", {"id": oid, "target_key": key, "value": value, "as_of": as_of, "recorded_at": f"{as_of}T09:00:00+00:00",
                                      "note": note, "source": source, "change_id": oid if journal else None,
                                      "vintage": "final" if oid == 1 else "preliminary"})  # fmt: skip
    if "milestones" in present:
        i, m = _seeded("milestones", "tugutang-bridge")
        insert(conn, "milestones", {"ordinal": i, "origin": "seed", "terms": ",".join(str(n) for n in m.get("terms", [])) or None,
                                    **{k: m.get(k) for k in ("key", "name_zh", "name_en", "section", "locator", "phrase", "strength", "note")}})  # fmt: skip
        insert(conn, "milestones", {"key": "minsheng-01", "ordinal": 900, "name_zh": "新建城区停车位500个", "name_en": "500 parking spaces",
                                    "section": "livelihood", "origin": "user"})  # fmt: skip
        _, g = _seeded("glossary", 1, "number")
        insert(conn, "glossary", {k: g.get(k) for k in ("number", "term", "page", "explanation_zh", "explanation_en", "body_locator", "note")})
        insert(conn, "milestone_status", {"id": 1, "milestone_key": "tugutang-bridge", "status": "in_progress", "as_of": "2022-03-31",
                                          "recorded_at": "2022-04-02T08:00:00+00:00", "progress": "主桥施工", "problems": "汛期",
                                          "next_steps": "合龙", "source": "衡南交通〔2022〕3号"})  # fmt: skip
        insert(conn, "milestone_status", {"id": 2, "milestone_key": "minsheng-01", "status": "done", "as_of": "2022-06-30",
                                          "recorded_at": "2022-07-02T08:00:00+00:00", "source": NOTE})  # fmt: skip
        insert(conn, "deadlines", {"id": 1, "milestone_key": "tugutang-bridge", "kind": "due", "due_date": "2022-09-30", "recorded_at": "2022-04-02T08:00:00+00:00"})
        insert(conn, "deadlines", {"id": 2, "milestone_key": "tugutang-bridge", "kind": "node", "due_date": "2022-06-30", "text": "主桥合龙", "recorded_at": "2022-04-02T08:00:00+00:00"})
        insert(conn, "units", {"id": 1, "name": "县交通运输局", "created_at": "2022-04-01T08:00:00+00:00"})
        insert(conn, "units", {"id": 2, "name": "县发展和改革局", "created_at": "2022-04-01T08:00:00+00:00"})
        insert(conn, "unit_aliases", {"alias": "交通局", "unit_id": 1})
        insert(conn, "unit_aliases", {"alias": "发改局", "unit_id": 2})
        assignments = "assignments" if "assignments" in present else "assignment_log"
        for item, unit, role in (("tugutang-bridge", 1, "lead"), ("my-parking", 2, "lead"), ("tugutang-bridge", 2, "support")):
            insert(conn, assignments, {"item_key": item, "unit_id": unit, "role": role, "recorded_at": "2022-04-03T08:00:00+00:00"})
    if "setting_log" in present:
        insert(conn, "journal", {"id": 4, "at": "2022-04-05T08:00:00+00:00", "user": "clerk", "action": "config.set", "summary": "set light.preset = points"})
        insert(conn, "setting_log", {"scope": "", "key": "light.preset", "value": "points", "change_id": 4})
    else:
        conn.execute("UPDATE settings SET value = 'points' WHERE scope = '' AND key = 'light.preset'")
    if "node_marks" in present:
        insert(conn, "journal", {"id": 7, "at": "2022-07-03T08:00:00+00:00", "user": "clerk", "action": "milestones.node", "key": "tugutang-bridge", "summary": "node 2022-06-30 → met"})
        insert(conn, "node_marks", {"milestone_key": "tugutang-bridge", "node_date": "2022-06-30", "mark": "met", "note": NOTE,
                                    "recorded_at": "2022-07-03T08:00:00+00:00", "change_id": 7})  # fmt: skip
    if "target_revisions" in present:
        insert(conn, "journal", {"id": 5, "at": "2022-07-01T08:00:00+00:00", "user": "clerk", "action": "targets.revise", "key": "gdp", "summary": "revised gdp", "reason": "调整"})
        insert(conn, "target_revisions", {"target_key": "gdp", "value": 9.0, "effective": "2022-07-01", "reason": "调整", "change_id": 5})
        insert(conn, "journal", {"id": 6, "at": "2022-07-02T08:00:00+00:00", "user": "clerk", "action": "retract", "key": "key-project-investment", "summary": "retracted 2"})
        insert(conn, "retractions", {"observation_id": 2, "change_id": 6, "reason": "录入错误"})


def build_database(path: Path, version: int, *, digest: str = "an-older-data-folder") -> Path:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        apply_migrations(conn, version)
        conn.execute("BEGIN")
        populate(conn, digest)
        conn.execute("COMMIT")
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    return path


def snapshot(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: (columns(conn, t), rows(conn, t, columns(conn, t))) for t in sorted(tables(conn))}
    finally:
        conn.close()


def rows(conn: sqlite3.Connection, table: str, cols) -> list[tuple]:
    return sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)


def current_digest() -> str:
    from hnreport.store.seed import seed_digest

    return seed_digest()


# ── every earlier version upgrades with every row intact ─────────────────────────────────────
CASES = [(n, variant) for n in range(1, LATEST) for variant in ("new-data", "schema-only") if not (n == 1 and variant == "schema-only")]
# 'new-data': the upgrade also brings a new data/ (its digest differs, so the seeded facts are
# brought up to date too). 'schema-only': the same data/ — a version-1 database cannot be that,
# since data/ has had milestones.toml and glossary.toml only since version 2.


def test_migrations_are_numbered_one_to_n_each_number_once() -> None:
    # Two branches each adding "their" next migration would give two files one number; the store
    # would then skip the second on every database already at that number.
    assert [n for n, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), [p.name for _, p in MIGRATIONS]


def test_there_are_earlier_versions_to_upgrade_from() -> None:
    assert LATEST >= 2 and [n for n, _ in MIGRATIONS] == list(range(1, LATEST + 1))
    assert {n for n, _ in CASES} == set(range(1, LATEST))


@pytest.mark.parametrize(("version", "variant"), CASES, ids=[f"v{n}-{v}" for n, v in CASES])
def test_a_database_of_an_earlier_version_upgrades_with_every_row_intact(cli, tmp_path, version, variant) -> None:
    db = build_database(tmp_path / f"v{version}.db", version, digest=current_digest() if variant == "schema-only" else "old")
    before = snapshot(db)

    out = cli.ok("--db", str(db), "db", "init").stdout
    assert f"schema {LATEST}" in out

    assert q(db, "PRAGMA user_version") == [(LATEST,)]
    assert q(db, "PRAGMA integrity_check") == [("ok",)]
    assert q(db, "PRAGMA foreign_key_check") == []
    conn = sqlite3.connect(db)
    try:
        now = tables(conn)
        for table, (cols, old_rows) in before.items():
            if table in RENAMED:
                successor, carried = RENAMED[table]
                assert table not in now
                old = sorted((tuple(r[cols.index(c)] for c in carried) for r in old_rows), key=repr)
                assert rows(conn, successor, carried) == old, table
                continue
            keep = [c for c in cols if not (table in ("plan", "plans") and c == "seed_digest")]
            old = sorted((tuple(r[cols.index(c)] for c in keep) for r in old_rows), key=repr)
            new = rows(conn, table, keep)  # a table, or the view that replaced it (settings)
            if table.startswith("search_index_") or table in MARKS:
                continue
            if table == "search_index" and "kind" in keep:
                # 0014: a figure's note or source is indexed once per text of its target, for every
                # figure that says it (the index row no longer names one figure's change)
                kind, change = keep.index("kind"), keep.index("change_id")
                old = [r[:change] + (None,) + r[change + 1 :] if r[kind] == "figure" else r for r in old]
            if (table in SEEDED_TABLES and variant == "new-data") or table in GAIN_DEFAULTS or table in DERIVED:
                missing = [r for r in old if r not in new]
                assert not missing, (table, missing)  # rows may be added (newer data/, defaults); none changes
            else:
                assert new == old, table
    finally:
        conn.close()

    # what the migrations add to old rows
    if version < 3:
        assert q(db, "SELECT id, change_id, vintage FROM observations ORDER BY id") == [(1, 1, "preliminary"), (2, 2, "preliminary"), (3, 3, "preliminary")]
        assert q(db, "SELECT id, action, user, key FROM journal ORDER BY id") == [
            (1, "record", "unknown", "gdp"), (2, "record", "unknown", "key-project-investment"), (3, "record", "unknown", "my-parking"),
        ]  # fmt: skip
    if 2 <= version < 3:
        assert q(db, "SELECT count(*) FROM assignment_log WHERE change_id IS NULL") == [(3,)]
    if version < 5:  # nothing back-filled or marked before version 5
        assert q(db, "SELECT count(*) FROM journal WHERE known_from IS NOT NULL") == [(0,)]
        assert q(db, "SELECT count(*) FROM node_marks") == [(0,)]
    assert ("", "light.preset", "points") in q(db, "SELECT scope, key, value FROM settings")
    if variant == "schema-only":
        assert q(db, "SELECT count(*) FROM targets") == [(3,)]  # the same data/: nothing reseeded
    else:
        assert q(db, "SELECT count(*) FROM targets WHERE origin = 'seed'") == [(len(DATA["targets"]["target"]),)]
        assert q(db, "SELECT seed_digest FROM plans") == [(current_digest(),)]

    # and the current hnreport reads and writes it
    history = json.loads(cli.ok("--db", str(db), "history", "gdp", "--format", "json").stdout)
    assert [(h["value"], h["note"], h["source"]) for h in history] == [(8.1, NOTE, 'bulletin "2022-03"')]
    assert json.loads(cli.ok("--db", str(db), "config", "show", "--format", "json").stdout)
    autumn = {"HNREPORT_TODAY": "2022-10-15"}  # after both periods (a period not ended is refused)
    cli.ok("--db", str(db), "record", "my-parking", "200", "--as-of", "2022-09-30", env=autumn)
    cli.ok("--db", str(db), "record", "my-parking", "150", "--as-of", "2022-07-31", "--known-from", "2022-08-02", env=autumn)
    history = json.loads(cli.ok("--db", str(db), "history", "my-parking", "--format", "json").stdout)
    # the figure recorded before the upgrade was back-filled too where its schema knew "known from"
    assert [h["known_from"] is not None for h in history] == [False, True, version >= 5]
    if version >= 2:  # the milestone and its time node were there before the upgrade
        cli.ok("--db", str(db), "milestones", "node", "tugutang-bridge", "2022-06-30", "met")
        nodes = json.loads(cli.ok("--db", str(db), "milestones", "list", "--format", "json").stdout)
        assert [n["nodes"] for n in nodes if n["key"] == "tugutang-bridge"] == [[{"date": "2022-06-30", "text": "主桥合龙", "mark": "met", "note": None}]]
        assert q(db, "SELECT due_date, due_implied FROM milestone_latest WHERE key IN ('tugutang-bridge', 'minsheng-01') ORDER BY key") == [
            ("2022-12-31", 1), ("2022-09-30", 0)]
    if variant == "new-data":
        cli.ok("--db", str(db), "db", "check")
    again = dump(db)
    cli.ok("--db", str(db), "db", "init")
    assert dump(db) == again


def test_db_check_reads_an_older_database_without_upgrading_it(cli, tmp_path) -> None:
    db = build_database(tmp_path / "v1.db", 1, digest=current_digest())
    before = dump(db)
    result = cli("--db", str(db), "db", "check", "--format", "json")
    report = json.loads(result.stdout)
    assert report["schema_version"] == 1 and report["latest_schema"] == LATEST
    assert q(db, "PRAGMA user_version") == [(1,)]
    assert dump(db) == before


@pytest.mark.parametrize("version", range(1, LATEST))
def test_restoring_a_backup_of_an_earlier_version_migrates_it(cli, seeded, tmp_path, version) -> None:
    # Its schema is compared with what migrations 1…version create (issue 11 #4), then migrated.
    old = build_database(tmp_path / "old-backup.db", version)
    raw = old.read_bytes()
    out = cli.ok("db", "restore", str(old)).stdout
    assert f"schema {LATEST}, migrated from schema {version}" in out
    assert q(seeded, "PRAGMA user_version") == [(LATEST,)]
    assert q(seeded, "SELECT id, value, note FROM observations ORDER BY id") == [(1, 8.1, NOTE), (2, 58.4, None), (3, 120.0, "用户的指标")]
    assert old.read_bytes() == raw  # the backup itself is left as it was
    cli.ok("db", "check")


# ── a migration that fails half-way ──────────────────────────────────────────────────────────
BROKEN = """-- a migration that does some of its work and then fails
CREATE TABLE half_done (x INTEGER);
ALTER TABLE observations ADD COLUMN half INTEGER;
INSERT INTO half_done VALUES (1);
UPDATE observations SET value = -1;
INSERT INTO no_such_table VALUES (1);
"""


def _migrations_with(tmp_path: Path, number: int, text: str, keep_below: int | None = None) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for n, path in MIGRATIONS:
        if n < (keep_below if keep_below is not None else number):
            shutil.copy(path, folder / path.name)
    (folder / f"{number:04d}_broken.sql").write_text(text, encoding="utf-8")
    return folder


def test_a_failing_new_migration_leaves_the_database_at_the_previous_version(cli, seeded, tmp_path, monkeypatch) -> None:
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30")
    before = dump(seeded)
    columns_before = q(seeded, "PRAGMA table_info(observations)")
    real_migrations = resources.migrations_dir
    monkeypatch.setattr(resources, "migrations_dir", lambda: _migrations_with(tmp_path, LATEST + 1, BROKEN))

    result = cli("record", "gdp", "9.1", "--as-of", "2022-06-30")

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "no_such_table" in lines[0]
    assert q(seeded, "PRAGMA user_version") == [(LATEST,)]
    assert q(seeded, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    assert q(seeded, "PRAGMA table_info(observations)") == columns_before
    assert dump(seeded) == before

    # the real migrations again (only this attribute: monkeypatch.undo() would also undo
    # conftest's isolation of HNREPORT_DB and HOME): nothing was left half-done to trip over
    monkeypatch.setattr(resources, "migrations_dir", real_migrations)
    cli.ok("record", "gdp", "9.1", "--as-of", "2022-06-30")
    assert q(seeded, "SELECT value FROM observations ORDER BY id") == [(8.7,), (9.1,)]


@pytest.mark.parametrize("failing", range(2, LATEST + 1), ids=lambda n: f"migration-{n}")
def test_an_upgrade_stops_at_the_version_before_the_migration_that_fails(cli, tmp_path, monkeypatch, failing) -> None:
    db = build_database(tmp_path / "v1.db", 1)
    real = dict(MIGRATIONS)[failing].read_text(encoding="utf-8")
    # the real migration, all of it, and then one statement that fails
    folder = _migrations_with(tmp_path, failing, real + "\nINSERT INTO no_such_table VALUES (1);\n")
    for n, path in MIGRATIONS:
        if n > failing:
            shutil.copy(path, folder / path.name)
    real_migrations = resources.migrations_dir
    monkeypatch.setattr(resources, "migrations_dir", lambda: folder)
    expected = tmp_path / "expected.db"  # the same version-1 database with the migrations before it applied by hand
    build_database(expected, 1)
    conn = sqlite3.connect(expected, isolation_level=None)
    try:
        apply_migrations(conn, failing - 1, [(n, p) for n, p in MIGRATIONS if n > 1])
    finally:
        conn.close()

    result = cli("--db", str(db), "db", "init")

    assert result.exit_code == 1 and result.stderr.startswith("error: ") and "no_such_table" in result.stderr
    assert q(db, "PRAGMA user_version") == [(failing - 1,)]
    assert q(db, "SELECT type, name FROM sqlite_master ORDER BY name") == q(expected, "SELECT type, name FROM sqlite_master ORDER BY name")
    after, want = snapshot(db), snapshot(expected)
    assert after == want
    monkeypatch.setattr(resources, "migrations_dir", real_migrations)
    cli.ok("--db", str(db), "db", "init")
    assert q(db, "PRAGMA user_version") == [(LATEST,)]
