"""The database: creation and migrations, the exact schema, seeding and re-seeding, file
permissions, foreign keys, refusing newer schemas, and concurrent writers.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from helpers import REPO, YEAR_OVER, dump, execute, q, record_from_processes, seed_rows

SEED_TARGETS = {t["key"]: t for t in seed_rows("targets.toml", "target")}
SEED_RESULTS = seed_rows("results.toml", "result")

LATEST_MIGRATION = max(
    int(m.group(1)) for p in (REPO / "migrations").glob("*.sql") if (m := re.match(r"(\d+)_", p.name))
)


def columns(path: Path, table: str) -> list[str]:
    return [row[1] for row in q(path, f"PRAGMA table_info({table})")]


# ── creation and migrations ──────────────────────────────────────────────────────────────
@pytest.mark.parametrize("start", ["absent", "zero-byte"])
def test_migrations_create_and_seed_the_database(cli, tmp_path, start):
    path = tmp_path / "fresh.db"
    if start == "zero-byte":
        path.write_bytes(b"")
    cli.ok("--db", str(path), "db", "init")
    assert path.stat().st_size > 0 or Path(f"{path}-wal").exists()
    assert q(path, "PRAGMA user_version") == [(LATEST_MIGRATION,)]
    assert q(path, "SELECT count(*) FROM targets") == [(27,)]
    assert len(SEED_TARGETS) == 27
    assert q(path, "SELECT count(*) FROM results") == [(len(SEED_RESULTS),)]
    assert q(path, "SELECT value FROM results WHERE key = 'gdp-2021'") == [(8.3,)]
    assert q(path, "SELECT count(*) FROM observations") == [(0,)]


def test_first_use_of_any_command_creates_the_database(cli, db_path):
    assert not db_path.exists()
    cli.ok("targets", "list", "--format", "json")
    assert q(db_path, "SELECT count(*) FROM targets") == [(27,)]


# ── the schema ───────────────────────────────────────────────────────────────────────────
# The expected columns are the schema after every migration in migrations/; a new migration
# that changes these tables must update them here, on purpose.
def test_targets_table_columns(seeded):
    assert columns(seeded, "targets") == [
        "plan_id",  # migration 0012: the plan it belongs to (first, as in every per-plan table)
        "key", "ordinal", "name_zh", "name_en", "section", "kind", "comparator", "value", "unit",
        "unit_missing", "frequency", "baseline", "locator", "phrase", "strength", "note", "origin",
        "change_id",  # migration 0003: the journal entry that made the row
    ]  # fmt: skip


def test_observations_table_columns(seeded):
    assert columns(seeded, "observations") == [
        "plan_id",  # migration 0012
        "id", "target_key", "value", "as_of", "recorded_at", "note", "source",
        "change_id", "vintage", "supersedes",  # migration 0003: journal, vintages, revisions
        "decimals", "flag",  # migration 0007: decimals as published, why a figure was let in
    ]  # fmt: skip


def test_target_aliases_columns(seeded):
    assert columns(seeded, "target_aliases") == ["plan_id", "id", "target_key", "alias", "norm", "source", "change_id"]  # 0007, 0012


def test_journal_and_node_marks_columns(seeded):
    assert columns(seeded, "journal") == [
        "id", "at", "user", "action", "key", "summary", "reason", "target_change", "undone",
        "batch",  # migration 0004: the entries one undo (or one restore) writes
        "known_from",  # migration 0005: since when a back-filled change's figures were known
        "plan_id",  # migration 0012: the plan the change touched
    ]  # fmt: skip
    assert columns(seeded, "node_marks") == [
        "plan_id", "id", "milestone_key", "node_date", "mark", "note", "recorded_at", "change_id",  # migrations 0005, 0012
    ]  # fmt: skip


def test_results_table_columns(seeded):
    assert columns(seeded, "results") == [
        "plan_id",  # migration 0012
        "key", "ordinal", "name_zh", "name_en", "section", "kind", "value", "unit", "scope",
        "locator", "phrase", "note",
    ]  # fmt: skip


def test_target_latest_view_gives_each_target_its_latest_observation(cli, seeded):
    assert q(seeded, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = 'target_latest'") == [(1,)]
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-03-31")
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-09-30", env=YEAR_OVER)  # recorded last, but an earlier period
    cli.ok("record", "industry", "9.1", "--as-of", "2022-06-30")
    cli.ok("record", "industry", "9.4", "--as-of", "2022-06-30")  # same period: the later record wins

    conn = sqlite3.connect(seeded)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM target_latest").fetchall()
    finally:
        conn.close()
    assert len(rows) == 27
    latest = {r["key"]: r for r in rows}
    assert (latest["gdp"]["latest"], latest["gdp"]["latest_as_of"]) == (8.7, "2022-12-31")
    assert latest["gdp"]["target"] == 8.5 and latest["gdp"]["baseline"] == 8.3
    assert (latest["industry"]["latest"], latest["industry"]["latest_as_of"]) == (9.4, "2022-06-30")
    assert latest["retail"]["latest"] is None


# ── seeding ──────────────────────────────────────────────────────────────────────────────
def test_db_init_twice_changes_nothing(cli, db_path):
    cli.ok("db", "init")
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30")
    before = dump(db_path)
    cli.ok("db", "init")
    assert dump(db_path) == before


USER_TARGET = (
    "my-own-target", 999, "我自己的指标", "My own target", "main", "level", ">=", 5.0, "个",
    0, "annual", None, "my locator", "my phrase", None, "added by hand", "user",
)  # fmt: skip
TARGET_COLUMNS = (
    "key, ordinal, name_zh, name_en, section, kind, comparator, value, unit, unit_missing, "
    "frequency, baseline, locator, phrase, strength, note, origin"
)


def test_newer_seed_corrects_seeded_rows_and_keeps_user_data(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30", "--note", "first half")
    cli.ok("record", "key-project-investment", "70", "--as-of", "2022-06-30")
    execute(
        seeded,
        (f"INSERT INTO targets ({TARGET_COLUMNS}) VALUES ({', '.join('?' * len(USER_TARGET))})", USER_TARGET),
        "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source) "
        "VALUES ('my-own-target', 3, '2022-06-30', '2022-07-01T00:00:00+00:00', 'mine', NULL)",
        # an older seed: a wrong value and English name, and a digest that no longer matches
        "UPDATE targets SET value = 99, name_en = 'Old English name' WHERE key = 'gdp'",
        "UPDATE plans SET seed_digest = 'old'",
    )
    observations = q(seeded, "SELECT * FROM observations ORDER BY id")
    user_row = q(seeded, f"SELECT {TARGET_COLUMNS} FROM targets WHERE key = 'my-own-target'")
    assert len(observations) == 3

    cli.ok("db", "init")

    gdp = SEED_TARGETS["gdp"]
    assert q(seeded, "SELECT value, name_en FROM targets WHERE key = 'gdp'") == [(gdp["value"], gdp["name_en"])]
    assert q(seeded, "SELECT seed_digest FROM plans") != [("old",)]
    assert q(seeded, "SELECT * FROM observations ORDER BY id") == observations
    assert q(seeded, f"SELECT {TARGET_COLUMNS} FROM targets WHERE key = 'my-own-target'") == user_row
    assert user_row == [USER_TARGET]
    assert q(seeded, "SELECT count(*) FROM targets") == [(28,)]


def test_reseed_corrects_what_the_cli_shows(cli, seeded):
    execute(
        seeded,
        "UPDATE targets SET value = 99 WHERE key = 'gdp'",
        "UPDATE plans SET seed_digest = 'old'",
    )
    import json

    rows = {r["key"]: r for r in json.loads(cli.ok("targets", "list", "--format", "json").stdout)}
    assert rows["gdp"]["target"] == SEED_TARGETS["gdp"]["value"]


# ── the file ─────────────────────────────────────────────────────────────────────────────
def test_database_file_is_readable_only_by_its_owner(cli, tmp_path):
    path = tmp_path / "private.db"
    old = os.umask(0o022)  # a usual umask, which alone would give 0o644
    try:
        cli.ok("--db", str(path), "db", "init")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_foreign_keys_are_enforced_on_the_store_connection(seeded):
    from hnreport.store import Store

    store = Store.open(seeded)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO observations (target_key, value, as_of, recorded_at) "
                "VALUES ('no-such-target', 1, '2022-06-30', '2022-07-01T00:00:00+00:00')"
            )
    finally:
        store.close()
    assert q(seeded, "SELECT count(*) FROM observations") == [(0,)]


def test_newer_schema_version_is_refused_and_the_file_unchanged(cli, db_path):
    cli.ok("db", "init")
    execute(db_path, f"PRAGMA user_version = {LATEST_MIGRATION + 1}")
    # fold the WAL into the main file so the bytes on disk are the whole database
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = db_path.read_bytes()
    before = dump(db_path)

    result = cli("record", "gdp", "8.7", "--as-of", "2022-06-30")

    assert result.exit_code == 1
    assert result.stderr.startswith("error:")
    assert "newer" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert db_path.read_bytes() == raw
    assert dump(db_path) == before


def test_sqlite_database_of_another_program_is_refused(cli, db_path):
    execute(db_path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    before = dump(db_path)
    result = cli("targets", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("error:")
    assert dump(db_path) == before


# ── concurrency ──────────────────────────────────────────────────────────────────────────
def test_concurrent_writers_on_a_new_database_lose_nothing(tmp_path):
    path = tmp_path / "shared" / "concurrent.db"
    path.parent.mkdir()
    assert not path.exists()
    workers, per_worker = 4, 10
    outcomes = record_from_processes(path, workers, per_worker)

    assert len(outcomes) == workers * per_worker
    assert [rc for rc, _ in outcomes] == [0] * len(outcomes), [err for rc, err in outcomes if rc]
    assert not any("locked" in err for _, err in outcomes)
    rows = q(path, "SELECT value, note FROM observations")
    assert len(rows) == workers * per_worker
    assert {note for _, note in rows} == {f"writer {w} figure {i}" for w in range(workers) for i in range(per_worker)}
    assert q(path, "SELECT count(*) FROM targets") == [(27,)]
