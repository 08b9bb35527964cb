"""The database maintenance commands: db check, db backup and db restore."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from helpers import assert_refused, checkpointed_bytes, dump, execute, fresh_db_bytes, one, q, seed_rows, sqlite_file

SEED_MILESTONES = [m["key"] for m in seed_rows("milestones.toml", "milestone")]


def test_check_is_clean_on_a_fresh_database(cli, seeded) -> None:
    out = cli.ok("db", "check").stdout
    assert out.startswith("ok: ") and out.count("\n") == 1
    assert "27 targets" in out and "79 results" in out and f"{len(SEED_MILESTONES)} milestones" in out
    report = json.loads(cli.ok("db", "check", "--format", "json").stdout)
    assert report["ok"] is True and report["problems"] == []
    assert report["checked"]["targets"] == 27 and report["checked"]["glossary"] == 35
    assert report["schema_version"] == report["latest_schema"]


def test_check_accepts_journalled_revisions_and_reports_a_target_edited_by_hand(cli, world) -> None:
    cli.ok("targets", "revise", "gdp", "9", "--effective", "2022-07-01", "--reason", "县政府常务会议调整")
    cli.ok("targets", "revise", "key-project-investment", "150", "--effective", "2022-08-01", "--reason", "调整")
    cli.ok("db", "check")
    execute(world, "UPDATE targets SET value = 99 WHERE key = 'industry'")
    result = cli("db", "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "drift: target industry: value is 99.0 in the database but 9 in data/targets.toml "
        "(changed outside hnreport: no journal entry explains it)"
    ]
    assert result.stderr == ""
    report = json.loads(cli("db", "check", "--format", "json").stdout)
    assert report["ok"] is False
    assert [(p["check"], "industry" in p["message"]) for p in report["problems"]] == [("drift", True)]


HAND_EDITS = {
    "target name": (["UPDATE targets SET name_en = 'Gross product' WHERE key = 'gdp'"], "drift: target gdp: name_en is 'Gross product'"),
    "target origin": (["UPDATE targets SET origin = 'user' WHERE key = 'gdp'"], "drift: target gdp: origin is 'user'"),
    "result value": (["UPDATE results SET value = 1 WHERE key = 'gdp-2021'"], "drift: result gdp-2021: value is 1.0"),
    "milestone phrase": (["UPDATE milestones SET phrase = '改了' WHERE key = 'tugutang-bridge'"], "drift: milestone tugutang-bridge: phrase"),
    "glossary term": (["UPDATE glossary SET term = '改了' WHERE number = 1"], "drift: glossary term 1: term is '改了'"),
    "plan year": (["UPDATE plans SET year = 2023"], "drift: the plan: year is 2023"),
    "section name": (["UPDATE sections SET name_en = 'x' WHERE code = 'main'"], "drift: section main: name_en"),
    "seeded row deleted": (["DELETE FROM glossary WHERE number = 35"], "drift: glossary term 35 of data/glossary.toml is missing"),
    "seeded row added": (
        ["INSERT INTO results (key, ordinal, name_zh, name_en, section, kind, value, locator, phrase) "
         "VALUES ('fake-2021', 99, '假', 'fake', 'review-overview', 'level', 1, 'x', 'x')"],
        "drift: result fake-2021 is in the database as seeded but not in data/results.toml",
    ),  # fmt: skip
    "figure without journal": (
        ["INSERT INTO observations (target_key, value, as_of, recorded_at) VALUES ('gdp', 1, '2022-06-30', '2022-07-01')"],
        "journal: observation 3 (gdp, 2022-06-30) has no journal entry",
    ),
    "revision on someone else's journal entry": (
        ["INSERT INTO target_revisions (target_key, value, effective, reason, change_id) VALUES ('industry', 99, '2022-07-01', 'x', 1)",
         "UPDATE targets SET value = 99 WHERE key = 'industry'"],
        "journal: target revision 1 (industry → 99) is linked to journal change 1, a 'record' of gdp",
    ),  # fmt: skip
    "dangling reference": (
        ["PRAGMA foreign_keys = OFF",
         "INSERT INTO observations (target_key, value, as_of, recorded_at, change_id) VALUES ('no-such-target', 1, '2022-06-30', 'x', 1)"],
        "foreign-key: observations row 3 refers to a targets row that does not exist",
    ),  # fmt: skip
    "stale seed": (["UPDATE plans SET seed_digest = 'old'"], "seed: the seeded facts come from another version of data/"),
}


@pytest.mark.parametrize(("statements", "line"), list(HAND_EDITS.values()), ids=list(HAND_EDITS))
def test_check_reports_each_kind_of_change_made_outside_hnreport(cli, world, statements, line) -> None:
    execute(world, *statements)
    before = dump(world)
    result = cli("db", "check")
    assert result.exit_code == 1, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), lines
    assert dump(world) == before


# ── the schema: everything the migrations create, and nothing else ─────────────────────────────
DOUBLING = "CREATE TRIGGER t AFTER INSERT ON observations BEGIN UPDATE observations SET value=NEW.value*2 WHERE id=NEW.id; END"
SCHEMA_EDITS = {  # what was done behind hnreport's back → the object db check and db restore name
    "extra trigger": ([DOUBLING], "an extra trigger 't' on observations"),
    "changed view": (
        ["DROP VIEW active_changes", "CREATE VIEW active_changes AS SELECT id FROM journal"],
        "the view 'active_changes' is defined differently",
    ),
    "dropped index": (["DROP INDEX observations_latest"], "no index 'observations_latest' on observations"),
    "extra view": (["CREATE VIEW mine AS SELECT 1"], "an extra view 'mine'"),
    "extra table": (["CREATE TABLE scratch (x)"], "an extra table 'scratch'"),
    "added column": (["ALTER TABLE observations ADD COLUMN sneaky TEXT"], "the table 'observations' is defined differently"),
    "changed trigger": (
        ["DROP TRIGGER targets_key_free", "CREATE TRIGGER targets_key_free BEFORE INSERT ON targets BEGIN SELECT 1; END"],
        "the trigger 'targets_key_free' on targets is defined differently",
    ),
}


@pytest.mark.parametrize(("statements", "named"), list(SCHEMA_EDITS.values()), ids=list(SCHEMA_EDITS))
def test_check_reports_a_schema_changed_outside_hnreport(cli, world, statements, named) -> None:
    execute(world, *statements)
    before = dump(world)
    result = cli("db", "check")
    assert result.exit_code == 1, result.stdout
    assert result.stdout.splitlines() == [
        f"schema: {named} — not what hnreport's migrations create at schema {one(world, 'PRAGMA user_version')}: "
        "changed outside hnreport; restore a backup ('hnreport db restore FILE')"
    ]
    assert dump(world) == before
    report = json.loads(cli("db", "check", "--format", "json").stdout)
    assert report["checked"]["schema_differences"] == 1


def test_check_ignores_what_sqlite_itself_adds(cli, world) -> None:
    execute(world, "ANALYZE", "CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT)", "INSERT INTO counter DEFAULT VALUES")
    result = cli("db", "check")
    assert result.stdout.splitlines() == [  # sqlite_stat1 and sqlite_sequence are not reported, the table is
        "schema: an extra table 'counter' — not what hnreport's migrations create at schema "
        f"{one(world, 'PRAGMA user_version')}: changed outside hnreport; restore a backup ('hnreport db restore FILE')"
    ]
    execute(world, "DROP TABLE counter")
    cli.ok("db", "check")  # sqlite_stat1 (ANALYZE) and an emptied sqlite_sequence remain


def test_the_red_teams_doubling_trigger_is_refused_by_restore(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    execute(backup, DOUBLING)
    before = dump(world)
    result = cli("db", "restore", str(backup))
    assert_refused(result, before, world, line=(
        f"error: {backup} does not have the schema hnreport creates at version {one(backup, 'PRAGMA user_version')}: "
        "an extra trigger 't' on observations; nothing was restored"
    ))  # fmt: skip
    assert not list(tmp_path.glob("*.before-restore-*"))
    cli.ok("record", "gdp", "5", "--as-of", "2022-06-30")
    assert q(world, "SELECT value FROM observations ORDER BY id DESC LIMIT 1") == [(5.0,)]


@pytest.mark.parametrize(("statements", "named"), list(SCHEMA_EDITS.values()), ids=list(SCHEMA_EDITS))
def test_restore_refuses_a_backup_whose_schema_was_changed(cli, world, tmp_path, statements, named) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    execute(backup, *statements)
    before = dump(world)
    result = cli("db", "restore", str(backup))
    assert_refused(result, before, world)
    assert named in result.stderr and "nothing was restored" in result.stderr


def test_restore_names_the_first_of_several_schema_differences(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    execute(backup, DOUBLING, "CREATE VIEW mine AS SELECT 1", "DROP INDEX journal_key")
    result = cli("db", "restore", str(backup))
    assert_refused(result)
    assert "an extra trigger 't' on observations (and 2 more differences); nothing was restored" in result.stderr


def test_check_accepts_a_retired_seeded_target_that_figures_refer_to(cli, world) -> None:
    # seed.apply keeps a seeded target a newer data/ dropped if anything refers to it (marking its
    # name); check reports only one that nothing refers to, which seed.apply would have removed.
    retired = ("INSERT INTO targets (key, ordinal, name_zh, name_en, section, kind, comparator, value, frequency, locator, "
               "phrase, origin) VALUES ('{key}', 99, '{key}(已不在报告中)', 'x', 'main', 'level', '>=', 1, 'annual', '', '', 'seed')")
    execute(world, retired.format(key="old-target"),
            "INSERT INTO setting_log (scope, key, value) VALUES ('old-target', 'light.tolerance', '2')")  # fmt: skip
    cli.ok("db", "check")
    execute(world, retired.format(key="stray-target"))
    result = cli("db", "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["drift: target stray-target is in the database as seeded but not in data/targets.toml"]


def test_check_agrees_with_the_seed_when_a_release_reuses_a_users_target_name(cli, seeded, tmp_path, monkeypatch) -> None:
    from hnreport import resources

    cli.ok("targets", "add", "my-growth", "--name-zh", "我的增长", "--section", "main", "--kind", "growth_rate", "--value", "5")
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data)
    targets = (data / "targets.toml").read_text(encoding="utf-8")
    (data / "targets.toml").write_text(targets.replace('name_zh = "地区生产总值增长"', 'name_zh = "我的增长"', 1), encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda: data)  # a release whose gdp is worded like the user's target
    assert cli("db", "check").stdout.startswith("seed: ")
    cli.ok("db", "init")
    assert q(seeded, "SELECT key, name_zh FROM targets WHERE name_zh LIKE '我的增长%' ORDER BY key") == [
        ("gdp", "我的增长(报告)"), ("my-growth", "我的增长"),
    ]  # fmt: skip
    cli.ok("db", "check")


def test_check_reports_a_damaged_file_line_by_line(cli, tmp_path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(fresh_db_bytes()[:-2000])  # cut inside the last page
    raw = damaged.read_bytes()
    result = cli("--db", str(damaged), "db", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("integrity: "), lines
    # one line per problem: SQLite's findings first, then what the damage did to the seeded rows
    # (from schema 12 the glossary is read through its (plan, number) index, which the cut damages
    # too: SQLite's own lines name the glossary's lost rows, and reading the seeded plan stops)
    # (and the search index, whose pages the cut reaches too, fails FTS5's own check)
    assert all(line.split(": ", 1)[0] in ("integrity", "drift", "search index") for line in lines), lines
    assert any("glossary" in line for line in lines)
    assert damaged.read_bytes() == raw


def test_check_changes_nothing_in_the_file(cli, world) -> None:
    raw = checkpointed_bytes(world)
    cli.ok("db", "check")
    cli.ok("db", "check", "--format", "json")
    assert checkpointed_bytes(world) == raw


@pytest.mark.parametrize(
    ("prepare", "names"),
    [
        (lambda p: None, ("no database", "db init")),
        (lambda p: p.mkdir(), ("directory",)),
        (lambda p: p.write_bytes(b"notes\n" * 100), ("not an SQLite database",)),
        (lambda p: p.write_bytes(sqlite_file("CREATE TABLE invoices (id)")(b"")), ("another program",)),
        (lambda p: p.write_bytes(sqlite_file("WORLD", "PRAGMA user_version = 99")(fresh_db_bytes())), ("newer",)),
    ],
    ids=["missing", "directory", "not-sqlite", "other-program", "newer-schema"],
)
def test_check_refuses_what_it_cannot_check(cli, tmp_path, prepare, names) -> None:
    path = tmp_path / "x.db"
    prepare(path)
    result = cli("--db", str(path), "db", "check")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    for name in names:
        assert name in lines[0]
    if names[0] == "no database":
        assert not path.exists()


# ══ db backup ═════════════════════════════════════════════════════════════════════════════════
def test_backup_is_a_faithful_self_contained_copy(cli, world, tmp_path) -> None:
    copy = tmp_path / "backup" / "hnreport-2022-07-15.db"
    copy.parent.mkdir()
    out = cli.ok("db", "backup", str(copy)).stdout
    assert out.startswith(f"backed up {world} to {copy}") and "2 observations" in out
    assert dump(copy) == dump(world)
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert one(copy, "PRAGMA journal_mode") == "delete"  # one file, no -wal needed
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert q(copy, "PRAGMA integrity_check") == [("ok",)]


def test_backup_refuses_to_replace_a_file_unless_forced(cli, world, tmp_path) -> None:
    copy = tmp_path / "b.db"
    copy.write_bytes(b"an older backup")
    result = cli("db", "backup", str(copy))
    assert result.exit_code == 1 and "already exists" in result.stderr and "--force" in result.stderr
    assert copy.read_bytes() == b"an older backup"
    cli.ok("db", "backup", str(copy), "--force")
    assert dump(copy) == dump(world)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("destination", "names"),
    [
        ("{tmp}/folder", ("directory",)),
        ("{tmp}/missing-folder/b.db", ("does not exist",)),
        ("{db}", ("the database itself",)),
        ("{tmp}/in-use.db", ("in-use.db-wal", "another name")),
        ("{tmp}/a-file.txt/b.db", ("a-file.txt", "Not a directory")),
    ],
    ids=["directory", "missing-folder", "the-database", "beside-a-wal", "under-a-file"],
)
def test_backup_refuses_a_bad_destination(cli, world, tmp_path, destination, names) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "in-use.db").write_bytes(b"")
    (tmp_path / "in-use.db-wal").write_bytes(b"x" * 100)
    (tmp_path / "a-file.txt").write_text("not a folder")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = cli("db", "backup", destination.replace("{tmp}", str(tmp_path)).replace("{db}", str(world)))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
    for name in names:
        assert name in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_backup_copies_a_database_of_a_newer_hnreport_as_it_is(cli, world, tmp_path) -> None:
    execute(world, "PRAGMA user_version = 99")
    out = cli.ok("db", "backup", str(tmp_path / "b.db")).stdout
    assert "schema 99" in out
    assert one(tmp_path / "b.db", "PRAGMA user_version") == 99


def test_backup_without_a_database_creates_none(cli, db_path, tmp_path) -> None:
    result = cli("db", "backup", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "no database" in result.stderr
    assert not db_path.exists() and not (tmp_path / "b.db").exists()


# ══ db restore ════════════════════════════════════════════════════════════════════════════════
def but_the_restore(lines: list[str]) -> list[str]:
    """A restored database's dump without the restore's own journal entry (and its row)."""
    return [line for line in lines if not (line.startswith('INSERT INTO "restores"') or (line.startswith('INSERT INTO "journal"') and "'db.restore'" in line))]


SAVED = re.compile(r"^saved the database it replaces to (.+\.before-restore-\d{8}T\d{6}Z(?:-\d+)?\.db)(?: \(.*\))?$", re.M)


def test_restore_puts_the_backup_back_and_saves_what_it_replaces(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("record", "gdp", "8.9", "--as-of", "2022-06-30", "--note", "recorded after the backup")
    replaced = dump(world)
    out = cli.ok("db", "restore", str(backup)).stdout
    saved = Path(SAVED.search(out).group(1))
    assert saved.parent == world.parent and saved.name.startswith(world.name + ".before-restore-")
    assert dump(saved) == replaced  # nothing recorded since the backup is lost
    assert "recorded after the backup" in "\n".join(replaced)
    assert but_the_restore(dump(world)) == dump(backup)
    assert f"restored {backup} into {world}" in out
    cli.ok("db", "check")
    assert one(world, "PRAGMA journal_mode") == "wal"
    # and hnreport goes on working on it
    cli.ok("record", "gdp", "9.0", "--as-of", "2022-06-30")
    assert one(world, "SELECT count(*) FROM observations") == 3


def test_two_restores_keep_two_saved_copies(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    first = SAVED.search(cli.ok("db", "restore", str(backup)).stdout).group(1)
    second = SAVED.search(cli.ok("db", "restore", str(backup)).stdout).group(1)
    assert first != second and Path(first).exists() and Path(second).exists()


def test_restore_into_a_database_that_does_not_exist_yet(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    new = tmp_path / "elsewhere.db"
    out = cli.ok("--db", str(new), "db", "restore", str(backup)).stdout
    assert "nothing needed saving" in out and not SAVED.search(out)
    assert but_the_restore(dump(new)) == dump(backup)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert one(new, "PRAGMA journal_mode") == "wal"


def test_restore_over_a_damaged_database_keeps_its_bytes(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    damaged = checkpointed_bytes(world)[:8192]  # a crash, a full disk …
    world.write_bytes(damaged)
    out = cli.ok("db", "restore", str(backup)).stdout
    assert "(byte for byte: it is damaged)" in out
    assert Path(SAVED.search(out).group(1)).read_bytes() == damaged
    assert but_the_restore(dump(world)) == dump(backup)
    cli.ok("db", "check")


def test_restore_will_not_overwrite_a_file_that_is_not_a_database(cli, db_path, world_bytes, tmp_path) -> None:
    backup = tmp_path / "b.db"
    backup.write_bytes(world_bytes)
    for content in (b"my thesis, chapter 3\n" * 100, sqlite_file("CREATE TABLE invoices (id)")(b"")):
        db_path.write_bytes(content)
        result = cli("db", "restore", str(backup))
        assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and "will not overwrite" in result.stderr
        assert db_path.read_bytes() == content
        assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_a_database_of_another_page_size(cli, world, tmp_path) -> None:
    odd = tmp_path / "odd.db"
    odd.write_bytes(checkpointed_bytes(world))
    execute(odd, "PRAGMA journal_mode = DELETE", "PRAGMA page_size = 1024", "VACUUM")
    assert one(odd, "PRAGMA page_size") == 1024
    cli.ok("record", "gdp", "9.9", "--as-of", "2022-06-30")
    cli.ok("db", "restore", str(odd))
    assert but_the_restore(dump(world)) == dump(odd)
    cli.ok("db", "check")


# ── a restore is a change: journalled, and undone by putting the replaced database back ──────
def journal(cli) -> list[dict]:
    return json.loads(cli.ok("log", "--format", "json").stdout)


def figures(cli, key: str = "gdp") -> list[tuple[float, str | None]]:
    return [(r["value"], r["note"]) for r in json.loads(cli.ok("history", key, "--format", "json").stdout)]


def test_a_restore_is_journalled_in_the_restored_database(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    entries = len(journal(cli))
    out = cli.ok("--user", "县统计局 李四", "db", "restore", str(backup)).stdout
    saved = SAVED.search(out).group(1)
    last = journal(cli)[-1]
    assert len(journal(cli)) == entries + 1
    assert (last["action"], last["user"], last["key"]) == ("db.restore", "县统计局 李四", None)
    assert last["summary"] == f"restored the database from {os.path.abspath(backup)}; the database it replaced is saved as {saved}"
    assert f"journalled as change {last['id']}; 'hnreport undo' puts back the database it replaced" in out
    assert q(world, "SELECT change_id, source, saved_to, schema_from FROM restores") == [
        (last["id"], os.path.abspath(backup), saved, one(backup, "PRAGMA user_version"))
    ]
    cli.ok("db", "check")


def test_undo_right_after_a_restore_puts_back_the_database_it_replaced(cli, world, tmp_path) -> None:
    # The red team's case: 'db backup b.db; record …; db restore b.db; undo' undid an unrelated,
    # older change inside b.db (the last one of the backup) and left the figure recorded before
    # the restore lost.
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("record", "gdp", "8.9", "--as-of", "2022-06-30", "--note", "recorded before the restore")
    replaced = dump(world)
    restore_out = cli.ok("db", "restore", str(backup)).stdout
    saved = SAVED.search(restore_out).group(1)
    assert (8.9, "recorded before the restore") not in figures(cli)
    restored = dump(world)

    out = cli.ok("undo", "--reason", "restored the wrong file").stdout
    assert (8.9, "recorded before the restore") in figures(cli)  # the figure is back
    lines = out.splitlines()
    restore_id = int(re.search(r"journalled as change (\d+)", restore_out).group(1))
    assert lines[0] == f"undone change {restore_id}: the restore of {os.path.abspath(backup)}; put back the database it replaced, from {saved}"
    before_undo = Path(re.match(r"the restored database is saved as (.+\.before-undo-\d{8}T\d{6}Z(?:-\d+)?\.db); ", lines[1]).group(1))
    assert dump(before_undo) == restored  # nothing is lost: the restored database is kept too
    # the journal says so: the database put back, plus one undo entry of its own …
    last = journal(cli)[-1]
    assert (last["action"], last["reason"], last["target_change"]) == ("undo", "restored the wrong file", None)
    assert last["summary"].startswith(f"undid the restore of {os.path.abspath(backup)} (made at ")
    assert f"put back the database it replaced, from {saved}; the restored database is saved as {before_undo}" in last["summary"]
    assert [line for line in dump(world) if not (line.startswith('INSERT INTO "journal"') and "'undo'" in line)] == replaced
    # … and nothing inside either file was reverted
    assert not any(e["undone"] for e in journal(cli))
    assert stat.S_IMODE(before_undo.stat().st_mode) == 0o600
    cli.ok("db", "check")
    # a second undo goes on to this database's own last change; redo has nothing of the restore to redo
    assert_refused(cli("redo"), line="error: nothing to redo (redo re-applies what undo reverted, if nothing changed since)")
    assert cli.ok("undo").stdout.startswith("undone change ")
    assert (8.9, "recorded before the restore") not in figures(cli)


def test_changes_after_a_restore_are_undone_before_the_restore_itself(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("record", "gdp", "8.9", "--as-of", "2022-06-30", "--note", "before the restore")
    cli.ok("db", "restore", str(backup))
    cli.ok("record", "gdp", "7.7", "--as-of", "2022-06-30", "--note", "after the restore")
    assert cli.ok("undo").stdout.startswith("undone change ")  # the record made after the restore
    assert (7.7, "after the restore") not in figures(cli)
    assert "the restore of" in cli.ok("undo").stdout
    assert (8.9, "before the restore") in figures(cli)


def test_undo_after_a_restore_whose_copy_is_gone_says_how_to_do_it_by_hand(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    out = cli.ok("db", "restore", str(backup)).stdout
    saved = Path(SAVED.search(out).group(1))
    saved.rename(tmp_path / "moved.db")
    restore_id = journal(cli)[-1]["id"]
    before = dump(world)
    assert_refused(cli("undo"), before, world, line=(
        f"error: cannot undo change {restore_id} (the restore of {os.path.abspath(backup)}): the copy of the database it replaced, "
        f"{saved}, is gone; if you moved it, put it back by hand with 'hnreport db restore' and its new path, or restore a "
        "backup of your own"
    ))  # fmt: skip
    assert not list(tmp_path.glob("*.before-undo-*"))
    cli.ok("db", "restore", str(tmp_path / "moved.db"))  # the way by hand


def test_undo_after_a_restore_into_a_new_database_puts_nothing_back(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    new = tmp_path / "new.db"
    cli.ok("--db", str(new), "db", "restore", str(backup))
    restore_id = json.loads(cli.ok("--db", str(new), "log", "--format", "json").stdout)[-1]["id"]
    before = dump(new)
    assert_refused(cli("--db", str(new), "undo"), before, new, line=(
        f"error: change {restore_id} restored {os.path.abspath(backup)} as the new database {new}: no database was replaced, "
        f"so there is nothing to put back (delete {new} by hand if you no longer want it)"
    ))  # fmt: skip


def test_undo_to_a_moment_before_a_restore_is_refused(cli, world, tmp_path) -> None:
    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("db", "restore", str(backup))
    restore_id = journal(cli)[-1]["id"]
    before = dump(world)
    result = cli("undo", "--to", "2022-01-01T00:00:00+00:00")
    assert_refused(result, before, world, line=(
        f"error: the changes after 2022-01-01T00:00:00+00:00 include change {restore_id}, the restore of {os.path.abspath(backup)}; "
        "undo one change at a time ('hnreport undo') back to it instead"
    ))  # fmt: skip


def test_undoing_a_restore_refuses_if_the_database_changed_meanwhile(cli, world, tmp_path) -> None:
    from hnreport.dbfile import restore
    from hnreport.dbfile.common import MaintenanceError
    from hnreport.store import Store

    backup = tmp_path / "b.db"
    cli.ok("db", "backup", str(backup))
    cli.ok("db", "restore", str(backup))
    store = Store.open(world)
    try:
        record = store.journal.restore(journal(cli)[-1]["id"])
    finally:
        store.close()
    cli.ok("record", "gdp", "7.7", "--as-of", "2022-06-30")  # another process, between the decision and the swap
    before = dump(world)
    with pytest.raises(MaintenanceError) as refused:
        restore.undo_restore(world, record)
    assert refused.value.code == "undo_restore_changed"
    assert dump(world) == before and not list(tmp_path.glob("*.before-undo-*"))


def test_a_restore_named_by_relative_paths_is_undone_from_another_folder(cli, world, tmp_path, monkeypatch) -> None:
    cli.ok("db", "backup", str(tmp_path / "b.db"))
    cli.ok("record", "gdp", "8.9", "--as-of", "2022-06-30", "--note", "before the restore")
    monkeypatch.chdir(tmp_path)
    cli.ok("--db", world.name, "db", "restore", "b.db")
    assert q(world, "SELECT source, saved_to LIKE ? FROM restores", (f"{tmp_path}{os.sep}{world.name}.before-restore-%",)) == [
        (str(tmp_path / "b.db"), 1)
    ]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cli.ok("--db", str(world), "undo")
    assert (8.9, "before the restore") in figures(cli)
