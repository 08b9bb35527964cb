"""Revisions, corrections and retractions, the journal with undo/redo, import, export, report -o.

Every test runs against its own database with today pinned to 2022-07-15 (see conftest.py).
hnreport stamps changes with the real clock (journal.at, recorded_at in UTC) and has no way to
pin it; where a test needs changes on different days it rewrites those timestamps with sqlite3
(see ``stamp``) — the same thing a change made on that day would have stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import html
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from helpers import as_json, assert_refused, by_key, dump, q

KPI = "key-project-investment"  # cumulative, ≥140 亿元, monthly




def assert_import_refused(result, before, db, problems: int | None = None):
    """Exit 1, 'error:' first, one line per problem plus a summary line, database unchanged."""
    assert result.exit_code == 1, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("note:")]
    assert lines and lines[0].startswith("error:"), result.stderr
    if problems is not None:
        assert len(lines) == problems + 1, result.stderr
        assert "nothing was imported" in lines[-1]
    assert dump(db) == before


def target_row(cli, key, as_of):
    return by_key(as_json(cli.ok("targets", "list", "--as-of", as_of, "--format", "json")))[key]


def report_json(cli, *extra, as_of="2022-06-30"):
    return as_json(cli.ok("report", "--as-of", as_of, "--format", "json", *extra))


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def stamp(db: Path, change_ids, at: str) -> None:
    """Place changes on another moment: the journal entry and the rows it made (test-only clock)."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            for cid in change_ids:
                conn.execute("UPDATE journal SET at = ? WHERE id = ?", (at, cid))
                for table in ("observations", "milestone_status", "deadlines", "node_marks", "assignment_log"):
                    conn.execute(f"UPDATE {table} SET recorded_at = ? WHERE change_id = ?", (at, cid))
    finally:
        conn.close()


def journal_ids(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM journal ORDER BY id")]
    finally:
        conn.close()


def views(cli) -> dict:
    """Every view a change could show in, as the user sees it."""
    return {
        "history": as_json(cli.ok("history", "gdp", "--format", "json")),
        "history_kpi": as_json(cli.ok("history", KPI, "--format", "json")),
        "report": report_json(cli),
        "targets": as_json(cli.ok("targets", "list", "--as-of", "2022-12-31", "--format", "json")),
        "milestones": as_json(cli.ok("milestones", "list", "--as-of", "2022-12-31", "--format", "json")),
        "units": as_json(cli.ok("units", "--format", "json")),
        "export": as_json(cli.ok("export")),
    }


# ── vintages and revisions of figures ────────────────────────────────────────────────────
def test_second_figure_for_the_same_period_is_a_revision_and_the_newest_is_used(cli, seeded):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022年上半年")
    out = cli.ok("record", "gdp", "7.0", "--as-of", "2022-06-30", "--vintage", "final").stdout
    assert out.startswith("revised")
    row = target_row(cli, "gdp", "2022-06-30")
    assert (row["latest"], row["latest_vintage"], row["status"]) == (7.0, "final", "far_behind")  # 1.5 pts short
    history = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [(h["value"], h["vintage"], h["state"]) for h in history] == [
        (7.0, "final", "current"),
        (8.6, "preliminary", "superseded"),
    ]


def test_unknown_vintage_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("record", "gdp", "8.6", "--as-of", "2022-06-30", "--vintage", "draft"), before, db_path)


def test_correct_keeps_the_old_row_superseded(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--note", "月报", "--source", "统计局")
    obs = as_json(cli.ok("history", KPI, "--format", "json"))[0]["id"]
    cli.ok("correct", str(obs), "70", "--reason", "统计局核实数")
    history = as_json(cli.ok("history", KPI, "--format", "json"))
    assert [(h["value"], h["state"]) for h in history] == [(70.0, "current"), (60.0, "superseded")]
    assert history[0]["supersedes"] == obs
    assert (history[0]["note"], history[0]["source"]) == ("月报", "统计局")
    row = target_row(cli, KPI, "2022-06-30")
    assert (row["latest"], row["status"]) == (70.0, "on_pace")


def test_retracted_figure_is_kept_but_no_longer_used(cli, seeded):
    cli.ok("record", KPI, "50", "--as-of", "2022-05-31")
    cli.ok("record", KPI, "40", "--as-of", "2022-06-30", "--yes")  # below May's total: a typo, let in over the question
    history = as_json(cli.ok("history", KPI, "--format", "json"))
    june = next(h["id"] for h in history if h["as_of"] == "2022-06-30")
    assert target_row(cli, KPI, "2022-06-30")["latest"] == 40
    cli.ok("retract", str(june), "--reason", "录入错误")
    history = as_json(cli.ok("history", KPI, "--format", "json"))
    assert [(h["value"], h["state"]) for h in history] == [(40.0, "retracted"), (50.0, "current")]
    row = target_row(cli, KPI, "2022-06-30")
    assert (row["latest"], row["latest_as_of"]) == (50.0, "2022-05-31")


def test_retracting_the_only_figure_leaves_no_data(cli, seeded):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    obs = as_json(cli.ok("history", "gdp", "--format", "json"))[0]["id"]
    cli.ok("retract", str(obs), "--reason", "重复录入")
    row = target_row(cli, "gdp", "2022-06-30")
    assert (row["latest"], row["status"]) == (None, "no_data")


@pytest.mark.parametrize(
    "args",
    [
        ("correct", "{id}", "70", "--reason", "  "),
        ("retract", "{id}", "--reason", ""),
        ("correct", "999", "70", "--reason", "x"),
        ("retract", "999", "--reason", "x"),
        ("correct", "{id}", "abc", "--reason", "x"),
    ],
    ids=["correct-blank-reason", "retract-blank-reason", "correct-unknown-id", "retract-unknown-id", "correct-bad-value"],
)
def test_bad_correct_or_retract_is_refused(cli, seeded, db_path, args):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    obs = as_json(cli.ok("history", KPI, "--format", "json"))[0]["id"]
    before = dump(db_path)
    assert_refused(cli(*[a.format(id=obs) for a in args]), before, db_path)


@pytest.mark.parametrize("args", [("correct", "1", "70"), ("retract", "1")], ids=["correct", "retract"])
def test_missing_reason_option_is_a_usage_error(cli, seeded, db_path, args):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    before = dump(db_path)
    result = cli(*args)
    assert result.exit_code == 2  # click's usage error for a missing required option
    assert "--reason" in result.stderr
    assert dump(db_path) == before


def test_retracting_twice_or_correcting_a_superseded_row_is_refused(cli, seeded, db_path):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    cli.ok("record", KPI, "65", "--as-of", "2022-06-30")
    history = as_json(cli.ok("history", KPI, "--format", "json"))
    old, new = history[1]["id"], history[0]["id"]
    cli.ok("retract", str(new), "--reason", "x")
    before = dump(db_path)
    assert_refused(cli("retract", str(new), "--reason", "again"), before, db_path)
    cli.ok("record", KPI, "70", "--as-of", "2022-06-30")
    before = dump(db_path)
    assert_refused(cli("correct", str(old), "71", "--reason", "x"), before, db_path)


# ── target revisions ─────────────────────────────────────────────────────────────────────
def test_targets_revise_applies_from_its_effective_date(cli, seeded):
    cli.ok("record", KPI, "70", "--as-of", "2022-06-30")
    cli.ok("record", KPI, "100", "--as-of", "2022-08-31", env={"HNREPORT_TODAY": "2022-09-15"})
    cli.ok("targets", "revise", KPI, "200", "--effective", "2022-07-01", "--reason", "县政府常务会议调整")
    june = target_row(cli, KPI, "2022-06-30")
    assert (june["target"], june["revised"], june["original_target"]) == (140, False, None)
    assert (june["expected"], june["status"]) == (70, "on_pace")
    august = target_row(cli, KPI, "2022-08-31")
    assert (august["target"], august["revised"], august["original_target"]) == (200, True, 140)
    # 100 of 200 × 8/12 = 133.33 expected: 25 % short → far behind (with 140 it would be on pace)
    assert august["expected"] == pytest.approx(133.3333, abs=1e-3)
    assert august["status"] == "far_behind"
    in_report = by_key(report_json(cli, as_of="2022-08-31")["targets"])[KPI]
    assert (in_report["revised"], in_report["original_target"], in_report["target"]) == (True, 140, 200)


@pytest.mark.parametrize(
    "args",
    [
        (KPI, "150", "--effective", "2023-07-01", "--reason", "x"),
        (KPI, "150", "--effective", "2022-07-01", "--reason", " "),
        (KPI, "abc", "--effective", "2022-07-01", "--reason", "x"),
        ("no-such-target", "150", "--effective", "2022-07-01", "--reason", "x"),
    ],
    ids=["outside-year", "blank-reason", "bad-value", "unknown-key"],
)
def test_bad_targets_revise_is_refused(cli, seeded, db_path, args):
    before = dump(db_path)
    assert_refused(cli("targets", "revise", *args), before, db_path)


# ── --known-at ───────────────────────────────────────────────────────────────────────────
DAY1 = "2022-07-20T02:00:00+00:00"  # on 2022-07-20 in every time zone from UTC-12 to UTC+14
DAY2 = "2022-07-25T02:00:00+00:00"


def test_known_at_shows_the_report_as_it_was_known_that_day(cli, seeded, db_path):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-06-30")
    stamp(db_path, journal_ids(db_path), DAY1)
    before = report_json(cli)
    before_history = as_json(cli.ok("history", KPI, "--format", "json"))
    first = set(journal_ids(db_path))
    # later changes, made on 2022-07-25
    cli.ok("record", KPI, "75", "--as-of", "2022-06-30")
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "quanxi-bridge", "stalled", "--as-of", "2022-06-30")
    cli.ok("targets", "revise", KPI, "150", "--effective", "2022-06-01", "--reason", "调整")
    cli.ok("milestones", "due", "yunji-santang-bus", "2022-05-31")
    cli.ok("assign", KPI, "县发改局", "--new")
    cli.ok("undo")  # undoes the assignment; an undo on 07-25 does not touch what 07-20 knew
    cli.ok("undo")  # undoes the due date
    stamp(db_path, [i for i in journal_ids(db_path) if i not in first], DAY2)
    now = report_json(cli)
    assert now != before  # the later changes do show today
    assert report_json(cli, "--known-at", "2022-07-20") == before
    assert as_json(cli.ok("history", KPI, "--known-at", "2022-07-20", "--format", "json")) == before_history
    assert report_json(cli, "--known-at", "2022-07-26") == now


def test_known_at_before_anything_was_recorded_shows_no_data(cli, seeded, db_path):
    empty = report_json(cli)
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    stamp(db_path, journal_ids(db_path), DAY2)
    assert report_json(cli, "--known-at", "2022-07-20") == empty


def test_known_at_uses_the_light_rule_in_force_that_day(cli, seeded, db_path):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    stamp(db_path, journal_ids(db_path), DAY1)
    before = report_json(cli)
    first = set(journal_ids(db_path))
    cli.ok("config", "set", "light.preset", "points")
    stamp(db_path, [i for i in journal_ids(db_path) if i not in first], DAY2)
    assert report_json(cli) != before  # the new preset changes the report now …
    assert report_json(cli, "--known-at", "2022-07-20") == before  # … but not what was known on 07-20


# ── --known-from: back-fills keep the journal's real time (issue 12 #11) ──────────────────
def latest_known_at(cli, moment: str) -> dict[str, float]:
    """Each target's latest figure in the report as known at ``moment``, where it has one."""
    data = report_json(cli, "--known-at", moment)
    return {t["key"]: t["latest"] for t in data["targets"] if t["latest"] is not None}


def local_day_start(day: str) -> str:
    """The UTC moment a day starts in the local time zone: what --known-from DAY records."""
    return dt.datetime.fromisoformat(day).astimezone().astimezone(dt.timezone.utc).isoformat()


def test_a_back_filled_figure_is_visible_from_its_known_from_day_and_the_journal_keeps_the_real_time(cli, seeded, db_path):
    out = cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2022-07-01").stdout
    assert out.splitlines()[-1] == "known from 2022-07-01 (--known-at counts it from then; the journal keeps today's time)"
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-06-30")  # recorded today, nothing back-filled
    assert latest_known_at(cli, "2022-07-01") == {KPI: 60.0}
    assert latest_known_at(cli, "2022-06-30") == {}
    assert latest_known_at(cli, dt.date.today().isoformat()) == {KPI: 60.0, "gdp": 8.1}
    (at, known_from), (gdp_at, gdp_known) = q(db_path, "SELECT at, known_from FROM journal ORDER BY id")
    assert known_from == local_day_start("2022-07-01") and gdp_known is None
    assert at > known_from and at[:10] == gdp_at[:10]  # the real time of recording, not rewritten
    assert q(db_path, "SELECT recorded_at FROM observations WHERE target_key = ?", (KPI,)) == [(at,)]


def test_history_and_log_show_the_known_from_date(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2022-07-01")
    cli.ok("record", KPI, "65", "--as-of", "2022-06-30")
    history = as_json(cli.ok("history", KPI, "--format", "json"))
    assert [(h["value"], h["known_from"]) for h in history] == [(65.0, None), (60.0, local_day_start("2022-07-01"))]
    table = cli.ok("history", KPI).stdout
    assert re.search(r"┃ 编号 ┃ 截至\s+┃\s+数值 ┃ 口径 ┃ 状态\s+┃ 备注 ┃ 来源 ┃ 录入时间\s+┃ 获知日期\s*┃", table)
    assert re.search(r"│ 1\s+│ 2022-06-30 │ 60亿元 │ 初步 │ 已被修订 │\s+│\s+│ [0-9-]{10} [0-9:]{5} UTC[0-9:+-]* │ 2022-07-01\s*│", table)
    assert re.search(r"│ 2\s+│ 2022-06-30 │ 65亿元 │ 初步 │ 现行 ← 1 │\s+│\s+│ [0-9-]{10} [0-9:]{5} UTC[0-9:+-]* │\s+│", table)
    log = as_json(cli.ok("log", "--format", "json"))
    assert [e["known_from"] for e in log] == [local_day_start("2022-07-01"), None]
    table = cli.ok("log").stdout
    assert "获知日期" in table.splitlines()[1]  # the column as history names it
    assert re.search(r"│ 1\s+│ .* │ 2022-07-01\s*│", table)
    # nothing back-filled: no such column
    cli.ok("undo")
    cli.ok("undo")
    assert "获知日期" not in cli.ok("history", KPI).stdout


def test_import_with_known_from_back_fills_every_row(cli, seeded, tmp_path):
    csv_file = tmp_path / "figures.csv"
    csv_file.write_text("key,value,as_of\nrevenue,5.5,2022-06-30\nincome,7,2022-06-30\n", encoding="utf-8")
    dry = cli.ok("import", str(csv_file), "--dry-run", "--known-from", "2022-07-05").stdout
    assert dry == f"would import {csv_file}: 2 added, 0 revised, 0 unchanged; known from 2022-07-05\n"
    out = cli.ok("import", str(csv_file), "--known-from", "2022-07-05").stdout
    assert out == f"imported {csv_file}: 2 added, 0 revised, 0 unchanged (change 1; 'hnreport undo' reverts it); known from 2022-07-05\n"
    assert latest_known_at(cli, "2022-07-05") == {"revenue": 5.5, "income": 7.0}
    assert latest_known_at(cli, "2022-07-04") == {}
    assert [e["known_from"] for e in as_json(cli.ok("log", "--format", "json"))] == [local_day_start("2022-07-05")]


def test_an_undone_back_fill_no_longer_counts_before_it_was_made(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2022-07-01")
    cli.ok("undo")
    assert latest_known_at(cli, "2022-07-01") == {}
    cli.ok("redo")
    assert latest_known_at(cli, "2022-07-01") == {KPI: 60.0}


def test_known_from_with_a_time_counts_from_that_moment(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2022-07-01T10:00:00+00:00")
    assert latest_known_at(cli, "2022-07-01T09:59:59+00:00") == {}
    assert latest_known_at(cli, "2022-07-01T10:00:00+00:00") == {KPI: 60.0}
    assert as_json(cli.ok("history", KPI, "--format", "json"))[0]["known_from"] == "2022-07-01T10:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2999-01-01"),
         "error: --known-from 2999-01-01 is later than now; it says since when the figure was known, "
         "which cannot be after it is recorded"),
        (("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "someday"), None),
        (("import", "backup.json", "--known-from", "2022-07-01"),
         "error: an export (.json) carries each figure's own known-from date; --known-from is for CSV, .xlsx and .jsonl imports"),
    ],
    ids=["future", "not-a-date", "restore"],
)
def test_a_bad_known_from_is_refused_and_changes_nothing(cli, seeded, db_path, args, line):
    before = dump(db_path)
    assert_refused(cli(*args), before, db_path, line=line)


def test_export_and_restore_keep_the_known_from_dates_and_one_undo_reverts_the_restore(cli, seeded, tmp_path, monkeypatch):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30", "--known-from", "2022-07-01")
    cli.ok("record", "revenue", "5.5", "--as-of", "2022-06-30", "--known-from", "2022-07-03")
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-06-30")
    exported = as_json(cli.ok("export"))
    assert [(o["key"], o["known_from"]) for o in exported["observations"]] == [
        (KPI, local_day_start("2022-07-01")), ("revenue", local_day_start("2022-07-03")), ("gdp", None)]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("HNREPORT_DB", str(tmp_path / "other.db"))
    cli.ok("import", str(export))
    assert latest_known_at(cli, "2022-07-01") == {KPI: 60.0}
    assert latest_known_at(cli, "2022-07-03") == {KPI: 60.0, "revenue": 5.5}
    assert [o["known_from"] for o in as_json(cli.ok("export"))["observations"]] == [o["known_from"] for o in exported["observations"]]
    log = as_json(cli.ok("log", "--format", "json"))
    assert [(e["action"], e["known_from"]) for e in log] == [
        ("import", None), ("import", local_day_start("2022-07-01")), ("import", local_day_start("2022-07-03"))]
    undone = cli.ok("undo").stdout.splitlines()
    assert len(undone) == 3  # the restore and its two back-filled parts: one change
    assert as_json(cli.ok("history", KPI, "--format", "json")) == []


# ── the journal ──────────────────────────────────────────────────────────────────────────
def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def test_log_has_one_entry_per_change_with_who_when_what_why(cli, seeded, db_path, tmp_path, monkeypatch):
    monkeypatch.delenv("HNREPORT_USER", raising=False)
    csv_file = tmp_path / "figures.csv"
    csv_file.write_text("key,value,as_of\nrevenue,5.5,2022-06-30\nincome,7,2022-06-30\n", encoding="utf-8")
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    obs = as_json(cli.ok("history", KPI, "--format", "json"))[0]["id"]
    cli.ok("correct", str(obs), "65", "--reason", "核实数")
    cli.ok("retract", str(obs + 1), "--reason", "录入错误")
    cli.ok("import", str(csv_file))
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    cli.ok("units", "add", "县发展和改革局", "--alias", "发改局")
    cli.ok("assign", "investment", "发改局")
    cli.ok("targets", "revise", KPI, "150", "--effective", "2022-07-01", "--reason", "年中调整")
    cli.ok("config", "set", "light.preset", "points")
    cli.ok("targets", "add", "parking-spaces", "--name-zh", "新增停车位", "--section", "livelihood",
           "--kind", "cumulative", "--value", "500", "--unit", "个")  # fmt: skip
    cli.ok("milestones", "add", "minsheng-01", "--name-zh", "新建城区公厕10座", "--section", "livelihood")
    entries = as_json(cli.ok("log", "--format", "json"))
    assert [e["action"] for e in entries] == [
        "record", "correct", "retract", "import", "milestones.set", "units.add", "assign",
        "targets.revise", "config.set", "targets.add", "milestones.add",
    ]  # fmt: skip
    for e in entries:
        assert {"at", "user", "action", "summary", "reason"} <= set(e)
        assert dt.datetime.fromisoformat(e["at"]).tzinfo is not None
        assert e["user"] == _os_user()
        assert e["summary"].strip()
        assert e["undone"] is False
    reasons = {e["action"]: e["reason"] for e in entries}
    assert reasons["correct"] == "核实数"
    assert reasons["retract"] == "录入错误"
    assert reasons["targets.revise"] == "年中调整"
    keys = {e["action"]: e["key"] for e in entries}
    assert keys["record"] == KPI and keys["milestones.set"] == "tugutang-bridge" and keys["assign"] == "investment"
    assert count(db_path, "journal") == 11


def test_user_option_names_who_made_the_change(cli, seeded):
    cli.ok("--user", "张三", "record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30")
    entries = as_json(cli.ok("log", "--format", "json"))
    assert [e["user"] for e in entries] == ["张三", _os_user()]


def test_refused_commands_leave_no_journal_entry(cli, seeded, db_path):
    cli("record", "gdp", "abc", "--as-of", "2022-06-30")
    cli("milestones", "set", "tugutang-bridge", "finished")
    cli("milestones", "extend", "tugutang-bridge", "--to", "2023-03-31", "--reason", "x")
    assert as_json(cli.ok("log", "--format", "json")) == []


# ── undo and redo ────────────────────────────────────────────────────────────────────────
def test_undo_of_a_record_restores_every_view_and_deletes_nothing(cli, seeded, db_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    before = views(cli)
    obs_before, journal_before = count(db_path, "observations"), count(db_path, "journal")
    cli.ok("record", "gdp", "7.0", "--as-of", "2022-06-30", "--vintage", "final")
    cli.ok("record", KPI, "75", "--as-of", "2022-06-30")  # a revision of an existing figure
    assert views(cli) != before
    cli.ok("undo")
    cli.ok("undo")
    assert views(cli) == before
    assert count(db_path, "observations") == obs_before + 2  # nothing deleted
    assert count(db_path, "journal") == journal_before + 4  # two changes, two undos


def test_undo_and_the_undone_change_both_stay_in_the_journal(cli, seeded):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    cli.ok("undo")
    entries = as_json(cli.ok("log", "--format", "json"))
    assert [(e["action"], e["undone"]) for e in entries] == [("record", True), ("undo", False)]
    assert entries[1]["target_change"] == entries[0]["id"]


def test_undo_of_an_import_reverts_the_whole_import(cli, seeded, db_path, tmp_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    before = views(cli)
    f = tmp_path / "figures.csv"
    f.write_text(f"key,value,as_of\ngdp,8.6,2022-06-30\n{KPI},70,2022-06-30\nrevenue,5,2022-06-30\ngdp,8.1,2022-03-31\n",
                 encoding="utf-8")  # fmt: skip
    cli.ok("import", str(f))
    assert views(cli) != before
    out = cli.ok("undo").stdout
    assert len(out.strip().splitlines()) == 1  # one change
    assert views(cli) == before


def test_undo_of_other_changes_restores_views(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    before = views(cli)
    changes = [
        ("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30"),
        ("milestones", "due", "quanxi-bridge", "2022-09-30", "--node", "2022-08-31 主体完工"),
        ("units", "add", "县交通运输局", "--alias", "交通局"),
        ("assign", "quanxi-bridge", "交通局"),
        ("targets", "revise", KPI, "150", "--effective", "2022-06-01", "--reason", "x"),
        ("config", "set", "light.preset", "points"),
        ("milestones", "add", "minsheng-01", "--name-zh", "新建公厕", "--section", "livelihood"),
    ]
    for args in changes:
        cli.ok(*args)
    assert views(cli) != before
    for _ in changes:
        cli.ok("undo")
    assert views(cli) == before


def test_undo_to_a_moment_reverts_everything_after_it(cli, seeded, db_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    stamp(db_path, journal_ids(db_path), DAY1)
    before = views(cli)
    first = set(journal_ids(db_path))
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    cli.ok("record", KPI, "70", "--as-of", "2022-06-30")
    stamp(db_path, [i for i in journal_ids(db_path) if i not in first], DAY2)
    out = cli.ok("undo", "--to", "2022-07-20", "--yes").stdout
    assert len(out.strip().splitlines()) == 3
    assert views(cli) == before


def _three_changes_after_day1(cli, db_path) -> None:
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    stamp(db_path, journal_ids(db_path), DAY1)
    first = set(journal_ids(db_path))
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("units", "add", "县交通局\x1b[2J")
    cli.ok("record", KPI, "70", "--as-of", "2022-06-30")
    stamp(db_path, [i for i in journal_ids(db_path) if i not in first], DAY2)


def test_undo_to_a_moment_without_a_terminal_needs_yes(cli, seeded, db_path):
    _three_changes_after_day1(cli, db_path)
    before = dump(db_path)
    result = cli("undo", "--to", "2022-07-20")
    assert_refused(result, before, db_path)
    assert result.stderr.strip() == (
        "error: undo --to 2022-07-20 would revert 3 change(s) (2–4); add --yes to confirm, or --dry-run to list them"
    )
    cli.ok("undo")  # the last change alone needs no confirmation, as before


def test_undo_dry_run_lists_what_it_would_revert_and_writes_nothing(cli, seeded, db_path):
    _three_changes_after_day1(cli, db_path)
    before = dump(db_path)
    out = cli.ok("undo", "--to", "2022-07-20", "--dry-run").stdout.splitlines()
    assert [line.split(" (")[0] for line in out] == ["would undo change 4", "would undo change 3", "would undo change 2"]
    assert "2022-07-25 02:00 UTC" in out[0] and "\\x1b[2J" in out[1] and "\x1b" not in "".join(out)
    assert dump(db_path) == before
    assert cli.ok("undo", "--dry-run").stdout.startswith("would undo change 4 ")  # the last change
    assert dump(db_path) == before


@pytest.mark.parametrize("answer", ["n", "y"])
def test_undo_to_a_moment_on_a_terminal_shows_the_changes_and_asks(cli, seeded, db_path, monkeypatch, answer):
    _three_changes_after_day1(cli, db_path)
    monkeypatch.setattr("hnreport.commands.journal._interactive", lambda: True)
    before = dump(db_path)
    result = cli("undo", "--to", "2022-07-20", input=answer + "\n")
    listed = [line for line in result.stderr.splitlines() if line.startswith("change ")]
    assert [line.split(" (")[0] for line in listed] == ["change 4", "change 3", "change 2"]
    assert "Undo these 3 change(s) made after 2022-07-20? [y/N]" in result.stderr
    if answer == "n":  # (the runner echoes the answer to stdout, so the prompt's line ends there)
        assert result.exit_code == 1 and result.stderr.splitlines()[-1].endswith("error: nothing was undone")
        assert dump(db_path) == before
    else:
        assert result.exit_code == 0
        assert len([line for line in result.stdout.splitlines() if line.startswith("undone change ")]) == 3
        assert [e["undone"] for e in as_json(cli.ok("log", "--format", "json"))][:4] == [False, True, True, True]


def test_undo_undoes_only_what_was_confirmed(cli, seeded, db_path, monkeypatch):
    # someone records while the question is on screen: nothing is undone, not even what was shown
    _three_changes_after_day1(cli, db_path)
    monkeypatch.setattr("hnreport.commands.journal._interactive", lambda: True)

    def meanwhile(*args, **kwargs):
        from helpers import env_for, run_hnreport

        assert run_hnreport("record", "gdp", "8.7", "--as-of", "2022-06-30", env=env_for(db_path)).returncode == 0
        return True

    monkeypatch.setattr("typer.confirm", meanwhile)
    result = cli("undo", "--to", "2022-07-20")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: the journal changed after you confirmed; nothing was undone — run it again"
    assert not any(e["undone"] for e in as_json(cli.ok("log", "--format", "json")))


def test_undo_to_an_exact_moment(cli, seeded, db_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    stamp(db_path, journal_ids(db_path), "2022-07-20T08:00:00+00:00")
    before = views(cli)
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    stamp(db_path, journal_ids(db_path)[1:], "2022-07-20T09:00:00+00:00")
    cli.ok("undo", "--to", "2022-07-20T08:30:00+00:00", "--yes")
    assert views(cli) == before


def test_redo_reapplies_what_undo_reverted(cli, seeded):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    after = views(cli)
    cli.ok("undo")
    assert views(cli) != after
    cli.ok("redo")
    assert views(cli) == after
    actions = [e["action"] for e in as_json(cli.ok("log", "--format", "json"))]
    assert actions == ["record", "record", "undo", "redo"]


def test_redo_of_an_undone_import_reapplies_it_whole(cli, seeded, tmp_path):
    f = tmp_path / "figures.csv"
    f.write_text("key,value,as_of\ngdp,8.6,2022-06-30\nrevenue,5,2022-06-30\n", encoding="utf-8")
    cli.ok("import", str(f))
    after = views(cli)
    cli.ok("undo")
    cli.ok("redo")
    assert views(cli) == after


def test_redo_with_nothing_to_redo_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("redo"), before, db_path)
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    before = dump(db_path)
    assert_refused(cli("redo"), before, db_path)
    cli.ok("undo")
    cli.ok("redo")
    before = dump(db_path)
    assert_refused(cli("redo"), before, db_path)  # already redone


def test_redo_after_a_new_change_is_refused(cli, seeded, db_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    cli.ok("undo")
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    before = dump(db_path)
    assert_refused(cli("redo"), before, db_path)


def test_undo_with_nothing_to_undo_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("undo"), before, db_path)
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    cli.ok("undo")
    before = dump(db_path)
    assert_refused(cli("undo"), before, db_path)


def test_redo_reapplies_only_the_most_recent_undo(cli, seeded, db_path):
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-03-31")
    after_first = views(cli)
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("undo")  # undoes the second record
    cli.ok("undo")  # a separate command: undoes the first record
    # the two undo commands ran within the same second (as a script does); make that certain
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute("UPDATE journal SET at = ? WHERE action = 'undo'", (DAY2,))
    finally:
        conn.close()
    cli.ok("redo")
    assert views(cli) == after_first  # only the first record is back


# ── import ───────────────────────────────────────────────────────────────────────────────
CHINESE_CSV = "指标,数值,时期,备注,来源\n地区生产总值增长,8.6,2022年1-6月,初步数,统计月报\n重点项目完成投资,70,2022年1-6月,,\n"


def _check_chinese_import(cli):
    gdp = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [(h["value"], h["as_of"], h["note"], h["source"]) for h in gdp] == [(8.6, "2022-06-30", "初步数", "统计月报")]
    kpi = as_json(cli.ok("history", KPI, "--format", "json"))
    assert [(h["value"], h["as_of"]) for h in kpi] == [(70.0, "2022-06-30")]
    assert target_row(cli, KPI, "2022-06-30")["status"] == "on_pace"


def test_import_csv_utf8_with_chinese_headers_and_names(cli, seeded, tmp_path):
    f = tmp_path / "月报.csv"
    f.write_bytes(CHINESE_CSV.encode("utf-8"))
    out = cli.ok("import", str(f)).stdout
    assert "2 added" in out
    _check_chinese_import(cli)


def test_import_csv_utf8_with_bom(cli, seeded, tmp_path):
    f = tmp_path / "bom.csv"
    f.write_bytes(b"\xef\xbb\xbf" + CHINESE_CSV.encode("utf-8"))
    assert "2 added" in cli.ok("import", str(f)).stdout
    _check_chinese_import(cli)


def test_import_csv_gbk(cli, seeded, tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_bytes(CHINESE_CSV.encode("gbk"))
    assert "2 added" in cli.ok("import", str(f)).stdout
    _check_chinese_import(cli)


@pytest.mark.parametrize("bom,codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")], ids=["le", "be"])
def test_import_excel_unicode_text_utf16_tab_separated(cli, seeded, tmp_path, bom, codec):
    # Excel's "Unicode 文本" (Unicode Text): UTF-16 with its BOM, tab-separated, CRLF
    f = tmp_path / "月报.txt"
    f.write_bytes(bom + CHINESE_CSV.replace(",", "\t").replace("\n", "\r\n").encode(codec))
    assert "2 added" in cli.ok("import", str(f)).stdout
    _check_chinese_import(cli)
    standard = tmp_path / "figures.csv"  # hnreport's own columns (key, value, as_of, …)
    standard.write_bytes(bom + "key\tvalue\tas_of\tnote\r\nretail\t8.7\t2022-06\t含•网络零售\r\n".encode(codec))
    assert "1 added" in cli.ok("import", str(standard)).stdout
    retail = as_json(cli.ok("history", "retail", "--format", "json"))
    assert [(h["value"], h["as_of"], h["note"]) for h in retail] == [(8.7, "2022-06-30", "含•网络零售")]


@pytest.mark.parametrize("content,message", [
    (b"\x81\x30key,value\n", "error: {path}: neither UTF-8, UTF-16 nor GBK (byte 1 cannot be decoded); save it as CSV UTF-8"),
    (b"key,value\n\xff\xff", "error: {path}: neither UTF-8, UTF-16 nor GBK (byte 11 cannot be decoded); save it as CSV UTF-8"),
    (b"\xef\xbb\xbfkey,\xff", "error: {path}: starts as UTF-8 (BOM) but has bytes that are not UTF-8 at byte 8"),
    (b"\xff\xfek\x00\x00\xd8,\x00", "error: {path}: starts as UTF-16 (BOM) but has bytes that are not UTF-16 at byte 5"),
], ids=["first-byte", "later-byte", "utf8-bom", "utf16-bom"])  # fmt: skip
def test_an_undecodable_file_names_the_byte_counting_from_one(cli, seeded, db_path, tmp_path, content, message):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    before = dump(db_path)
    result = cli("--lang", "en", "import", str(f))
    assert_refused(result, before, db_path)
    assert result.stderr.strip() == message.format(path=f)


def test_import_xlsx(cli, seeded, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    f = tmp_path / "月报.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标", "数值", "时期", "备注", "来源"])
    sheet.append(["地区生产总值增长", 8.6, "2022年1-6月", "初步数", "统计月报"])
    sheet.append([KPI, 70, dt.datetime(2022, 6, 30), None, None])  # a date cell and a key
    book.save(f)
    assert "2 added" in cli.ok("import", str(f)).stdout
    _check_chinese_import(cli)


def test_import_json_lines(cli, seeded, tmp_path):
    f = tmp_path / "figures.jsonl"
    lines = [
        {"指标": "地区生产总值增长", "数值": 8.6, "时期": "2022年1-6月", "备注": "初步数", "来源": "统计月报"},
        {"key": KPI, "value": "70", "as_of": "2022-06"},
    ]
    f.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    assert "2 added" in cli.ok("import", str(f)).stdout
    _check_chinese_import(cli)


@pytest.mark.parametrize(
    "period", ["2022年1-6月", "2022-06-30", "2022-06", "2022Q2", "2022年二季度", "2022年上半年", "2022H1", "2022/6/30"]
)
def test_import_reads_every_period_form(cli, seeded, tmp_path, period):
    f = tmp_path / "p.csv"
    f.write_text(f"指标,数值,时期\ngdp,8.6,{period}\n", encoding="utf-8")
    cli.ok("import", str(f))
    assert [h["as_of"] for h in as_json(cli.ok("history", "gdp", "--format", "json"))] == ["2022-06-30"]


def test_import_is_idempotent(cli, seeded, db_path, tmp_path):
    f = tmp_path / "月报.csv"
    f.write_text(CHINESE_CSV, encoding="utf-8")
    cli.ok("import", str(f))
    before = dump(db_path)
    out = cli.ok("import", str(f)).stdout
    assert "0 added" in out and "0 revised" in out and "2 unchanged" in out
    assert dump(db_path) == before


def test_import_of_a_changed_value_is_a_revision(cli, seeded, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("指标,数值,时期\ngdp,8.6,2022年1-6月\n", encoding="utf-8")
    cli.ok("import", str(f))
    g = tmp_path / "b.csv"
    g.write_text("指标,数值,时期\ngdp,7.0,2022年1-6月\n", encoding="utf-8")
    out = cli.ok("import", str(g)).stdout
    assert "0 added" in out and "1 revised" in out
    history = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [(h["value"], h["state"]) for h in history] == [(7.0, "current"), (8.6, "superseded")]
    assert target_row(cli, "gdp", "2022-06-30")["latest"] == 7.0


def test_import_of_a_value_back_to_an_earlier_one_is_a_revision(cli, seeded, tmp_path):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30")
    cli.ok("record", "gdp", "7.0", "--as-of", "2022-06-30")
    f = tmp_path / "a.csv"
    f.write_text("指标,数值,时期\ngdp,8.6,2022-06-30\n", encoding="utf-8")
    out = cli.ok("import", str(f)).stdout
    assert "1 revised" in out
    assert target_row(cli, "gdp", "2022-06-30")["latest"] == 8.6


def _thousand_rows(bad_index: int | None = None) -> tuple[str, int | None]:
    keys = ["gdp", "industry", "investment", "retail", "trade", "revenue", "income"]
    start = dt.date(2022, 1, 1)
    lines = ["指标,数值,时期,备注"]
    bad_line = None
    for i in range(1000):  # days up to May: periods that have ended by the pinned today (July 15)
        key = keys[i % 7]
        day = start + dt.timedelta(days=i // 7)
        value = f"{5 + (i % 10) / 10:.1f}"
        if i == bad_index:
            value = "七点五"
            bad_line = i + 2  # the header is line 1
        lines.append(f"{key},{value},{day.isoformat()},第{i}行")
    return "\n".join(lines) + "\n", bad_line


def test_import_of_1000_rows_writes_all(cli, seeded, db_path, tmp_path):
    f = tmp_path / "big.csv"
    f.write_text(_thousand_rows()[0], encoding="utf-8")
    assert "1000 added" in cli.ok("import", str(f)).stdout
    assert count(db_path, "observations") == 1000


def test_one_bad_row_among_1000_writes_nothing_and_names_its_line(cli, seeded, db_path, tmp_path):
    text, bad_line = _thousand_rows(bad_index=617)
    f = tmp_path / "big.csv"
    f.write_text(text, encoding="utf-8")
    before = dump(db_path)
    result = cli("import", str(f))
    assert_import_refused(result, before, db_path, problems=1)
    assert f"line {bad_line}" in result.stderr.splitlines()[0]
    assert "七点五" in result.stderr


def test_every_bad_row_is_named(cli, seeded, db_path, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("key,value,as_of\ngdp,8.6,2022-06-30\nno-such,1,2022-06-30\ngdp,8.7,2023-06-30\nrevenue,5,2022年13月\n",
                 encoding="utf-8")  # fmt: skip
    before = dump(db_path)
    result = cli("import", str(f))
    assert_import_refused(result, before, db_path, problems=3)
    lines = result.stderr.splitlines()
    assert "line 3" in lines[0] and "line 4" in lines[1] and "line 5" in lines[2]


def test_dry_run_writes_nothing(cli, seeded, db_path, tmp_path):
    f = tmp_path / "月报.csv"
    f.write_text(CHINESE_CSV, encoding="utf-8")
    before = dump(db_path)
    out = cli.ok("import", str(f), "--dry-run").stdout
    assert "2 added" in out
    assert dump(db_path) == before


def test_extra_columns_are_ignored_and_reported(cli, seeded, tmp_path):
    f = tmp_path / "extra.csv"
    f.write_text("指标,数值,时期,填报人,审核\ngdp,8.6,2022-06-30,李四,王五\n", encoding="utf-8")
    result = cli.ok("import", str(f))
    assert "填报人" in result.stderr and "审核" in result.stderr
    assert "1 added" in result.stdout
    assert as_json(cli.ok("history", "gdp", "--format", "json"))[0]["value"] == 8.6


def _broken_xlsx(tmp_path: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["指标", "数值", "时期"])
    book.active.append(["gdp", 8.6, "2022-06-30"])
    book.save(good)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return broken


@pytest.mark.parametrize(
    "make",
    [
        lambda d: (d / "missing.csv", "指标,数值\ngdp,8.6\n".encode()),
        lambda d: (d / "empty.csv", b""),
        lambda d: (d / "blank.csv", b"  \n\n"),
        lambda d: (d / "mixed.csv", "指标,数值,时期,备注\n".encode("utf-8") + "gdp,8.6,2022-06,初步数\n".encode("gbk")
                   + "revenue,5,2022-06,统计局\n".encode("utf-8")),
        lambda d: (d / "garbage.xlsx", b"this is not a workbook"),
        lambda d: (d / "empty.jsonl", b"\n"),
        lambda d: (d / "bad.jsonl", b'{"key": "gdp", "value": 8.6, "as_of": "2022-06"}\nnot json\n'),
        lambda d: (d / "nokeys.jsonl", b'{"value": 8.6, "as_of": "2022-06"}\n'),
        lambda d: (d / "old.xls", b"\xd0\xcf\x11\xe0"),
    ],
    ids=["missing-columns", "empty", "blank", "mixed-encodings", "garbage-xlsx", "empty-jsonl", "bad-jsonl",
         "jsonl-missing-field", "xls"],  # fmt: skip
)
def test_unreadable_files_are_refused(cli, seeded, db_path, tmp_path, make):
    path, content = make(tmp_path)
    path.write_bytes(content)
    before = dump(db_path)
    assert_refused(cli("import", str(path)), before, db_path)


def test_broken_xlsx_is_refused(cli, seeded, db_path, tmp_path):
    broken = _broken_xlsx(tmp_path)
    before = dump(db_path)
    assert_refused(cli("import", str(broken)), before, db_path)


def test_a_directory_or_missing_file_is_refused(cli, seeded, db_path, tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    before = dump(db_path)
    assert_refused(cli("import", str(folder)), before, db_path)
    assert_refused(cli("import", str(tmp_path)), before, db_path)
    assert_refused(cli("import", str(tmp_path / "nowhere.csv")), before, db_path)


# ── export and restore ───────────────────────────────────────────────────────────────────
def _corrected_and_retracted(cli):
    """A corrected figure (superseded row), a retracted final figure and a later revenue figure."""
    cli.ok("record", KPI, "60", "--as-of", "2022-06-30")
    kpi = as_json(cli.ok("history", KPI, "--format", "json"))[0]["id"]
    cli.ok("correct", str(kpi), "65", "--reason", "核实")
    cli.ok("record", "revenue", "3", "--as-of", "2022-03-31", "--vintage", "final")
    rev = as_json(cli.ok("history", "revenue", "--format", "json"))[0]["id"]
    cli.ok("retract", str(rev), "--reason", "重复")
    cli.ok("record", "revenue", "4", "--as-of", "2022-05-31")


def _enter_everything(cli):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30", "--note", "=SUM(A1)", "--source", "统计月报")
    _corrected_and_retracted(cli)
    cli.ok("targets", "revise", KPI, "150", "--effective", "2022-06-01", "--reason", "调整")
    cli.ok("targets", "add", "parking-spaces", "--name-zh", "新增停车位", "--section", "livelihood",
           "--kind", "cumulative", "--value", "500", "--unit", "个")  # fmt: skip
    cli.ok("record", "parking-spaces", "200", "--as-of", "2022-06-30")
    cli.ok("milestones", "add", "minsheng-01", "--name-zh", "新建公厕", "--section", "livelihood")
    cli.ok("milestones", "set", "minsheng-01", "in_progress", "--as-of", "2022-05-31", "--progress", "选址")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30", "--source", "衡南交通〔2022〕15号")
    cli.ok("milestones", "due", "quanxi-bridge", "2022-05-31", "--node", "2022-04-30 主体完工")
    cli.ok("milestones", "due", "yunji-santang-bus", "2022-05-31")
    cli.ok("milestones", "extend", "yunji-santang-bus", "--to", "2022-12-31", "--reason", "线路调整")
    cli.ok("units", "add", "县发展和改革局", "--alias", "县发改局", "--alias", "发改局")
    cli.ok("assign", "investment", "发改局")
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    cli.ok("assign", "tugutang-bridge", "发改局", "--role", "support")
    cli.ok("config", "set", "light.preset", "points")


def _comparable(cli, *db):
    args = ("--db", str(db[0])) if db else ()
    return {
        "report": as_json(cli.ok(*args, "report", "--as-of", "2022-06-30", "--format", "json")),
        "milestones": as_json(cli.ok(*args, "milestones", "list", "--as-of", "2022-06-30", "--format", "json")),
        "units": as_json(cli.ok(*args, "units", "--as-of", "2022-06-30", "--format", "json")),
        "history": as_json(cli.ok(*args, "history", "gdp", "--format", "json")),
    }


def test_export_json_restores_into_a_fresh_database(cli, seeded, tmp_path):
    _enter_everything(cli)
    out = tmp_path / "backup.json"
    cli.ok("export", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "hnreport-export"
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    mine, theirs = _comparable(cli), _comparable(cli, other)
    assert theirs["report"]["targets"] == mine["report"]["targets"]
    assert theirs["report"] == mine["report"]
    assert theirs["milestones"] == mine["milestones"]
    assert theirs["units"] == mine["units"]
    assert theirs["history"] == mine["history"]


def test_export_json_on_stdout_is_the_same_document(cli, seeded, tmp_path):
    _enter_everything(cli)
    out = tmp_path / "backup.json"
    cli.ok("export", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == as_json(cli.ok("export"))


def test_restore_into_a_database_with_data_is_refused(cli, seeded, db_path, tmp_path):
    _enter_everything(cli)
    out = tmp_path / "backup.json"
    cli.ok("export", "-o", str(out))
    before = dump(db_path)
    assert_refused(cli("import", str(out)), before, db_path)


def test_restore_dry_run_writes_nothing(cli, seeded, tmp_path):
    _enter_everything(cli)
    out = tmp_path / "backup.json"
    cli.ok("export", "-o", str(out))
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "db", "init")
    before = dump(other)
    cli.ok("--db", str(other), "import", str(out), "--dry-run")
    assert dump(other) == before


def test_a_json_file_that_is_not_an_export_is_refused(cli, seeded, db_path, tmp_path):
    f = tmp_path / "x.json"
    f.write_text('{"key": "gdp"}', encoding="utf-8")
    before = dump(db_path)
    assert_refused(cli("import", str(f)), before, db_path)


def _figures_only(cli):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30", "--note", "=SUM(A1)", "--source", "统计月报")
    cli.ok("record", "industry", "-1.5", "--as-of", "2022-03-31", "--note", "-同比下降", "--source", "+86 电话核实")
    _corrected_and_retracted(cli)


def test_export_csv_imports_into_a_fresh_database_with_the_same_report(cli, seeded, tmp_path):
    _figures_only(cli)
    out = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    assert _comparable(cli, other)["report"] == _comparable(cli)["report"]
    for key in ("gdp", "industry", KPI, "revenue"):
        mine = [(h["value"], h["as_of"], h["state"], h["vintage"], h["note"], h["source"])
                for h in as_json(cli.ok("history", key, "--format", "json"))]  # fmt: skip
        theirs = [(h["value"], h["as_of"], h["state"], h["vintage"], h["note"], h["source"])
                  for h in as_json(cli.ok("--db", str(other), "history", key, "--format", "json"))]  # fmt: skip
        assert theirs == mine, key


def test_export_csv_round_trip_keeps_a_figure_changed_back(cli, seeded, tmp_path):
    for value in ("8.6", "8.7", "8.6"):
        cli.ok("record", "gdp", value, "--as-of", "2022-06-30")
    out = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    assert _comparable(cli, other)["report"] == _comparable(cli)["report"]


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_formula_cells_are_neutralised_in_the_file_and_restored_on_import(cli, seeded, tmp_path):
    _figures_only(cli)
    out = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    rows = _csv_rows(out.read_text(encoding="utf-8"))
    gdp = next(r for r in rows if r["key"] == "gdp")
    assert gdp["note"] == "'=SUM(A1)"
    industry = next(r for r in rows if r["key"] == "industry")
    assert industry["note"] == "'-同比下降"
    assert industry["source"] == "'+86 电话核实"
    assert float(industry["value"]) == -1.5  # numbers stay numbers
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    assert as_json(cli.ok("--db", str(other), "history", "gdp", "--format", "json"))[0]["note"] == "=SUM(A1)"
    back = as_json(cli.ok("--db", str(other), "history", "industry", "--format", "json"))[0]
    assert (back["value"], back["note"], back["source"]) == (-1.5, "-同比下降", "+86 电话核实")


def test_a_note_starting_with_an_apostrophe_survives_the_csv_round_trip(cli, seeded, tmp_path):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06-30", "--note", "'=A1 是原文")
    out = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    assert as_json(cli.ok("--db", str(other), "history", "gdp", "--format", "json"))[0]["note"] == "'=A1 是原文"


def test_csv_to_a_file_starts_with_a_bom_and_on_stdout_does_not(cli, seeded, tmp_path):
    _figures_only(cli)
    out = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,key,value,as_of")
    stdout = cli.ok("export", "-f", "csv").stdout
    assert stdout.startswith("id,key,value,as_of")
    # stdout is mostly a file too (> figures.csv, | clip): formula cells are neutralised there as
    # well, and import reads them back exactly
    assert next(r for r in _csv_rows(stdout) if r["key"] == "gdp")["note"] == "'=SUM(A1)"
    piped = tmp_path / "piped.csv"
    piped.write_text(stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(piped))
    assert as_json(cli.ok("--db", str(other), "history", "gdp", "--format", "json"))[0]["note"] == "=SUM(A1)"


def test_export_refuses_an_unknown_format_or_a_directory(cli, seeded, db_path, tmp_path):
    before = dump(db_path)
    assert_refused(cli("export", "-f", "xml"), before, db_path)
    assert_refused(cli("export", "-o", str(tmp_path)), before, db_path)


# ── report -o ────────────────────────────────────────────────────────────────────────────
def _visible_text(markup: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


@pytest.fixture
def some_figures(cli, seeded):
    cli.ok("record", KPI, "70", "--as-of", "2022-06-30")  # on pace
    cli.ok("record", "gdp", "7.0", "--as-of", "2022-06-30")  # far behind
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")


def test_report_to_markdown(cli, some_figures, tmp_path):
    out = tmp_path / "brief.md"
    result = cli.ok("report", "--as-of", "2022-06-30", "-o", str(out))
    assert str(out) in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "完成情况" in text.splitlines()[0]
    assert "符合序时" in text and "严重滞后" in text
    assert text == cli.ok("report", "--as-of", "2022-06-30", "--format", "markdown").stdout


def test_report_to_html(cli, some_figures, tmp_path):
    out = tmp_path / "report.html"
    cli.ok("report", "--as-of", "2022-06-30", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "<html" in text and "</html>" in text
    visible = _visible_text(text)
    assert "符合序时" in visible and "严重滞后" in visible
    assert "重点项目完成投资" in visible


def test_report_to_svg(cli, some_figures, tmp_path):
    out = tmp_path / "report.svg"
    cli.ok("report", "--as-of", "2022-06-30", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg")
    assert text.rstrip().endswith("</svg>")
    assert "符合序时" in _visible_text(text)


def test_report_to_csv(cli, some_figures, tmp_path):
    out = tmp_path / "report.csv"
    cli.ok("report", "--as-of", "2022-06-30", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    every = _csv_rows(raw.decode("utf-8"))
    rows = by_key([r for r in every if r["type"] == "target"])
    assert len(rows) == 27
    milestones = by_key([r for r in every if r["type"] == "milestone"])
    assert len(milestones) == len(report_json(cli)["milestones"]["items"]) > 100
    assert milestones["tugutang-bridge"]["status"] == "done"
    assert rows[KPI]["status"] == "on_pace"
    assert rows["gdp"]["status"] == "far_behind"


def test_report_to_json(cli, some_figures, tmp_path):
    out = tmp_path / "report.json"
    cli.ok("report", "--as-of", "2022-06-30", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "targets" in data and len(data["targets"]) == 27
    assert data == report_json(cli)


@pytest.mark.parametrize("name", ["report.txt", "report", "report.pdf"])
def test_report_to_an_unknown_extension_is_refused(cli, seeded, db_path, tmp_path, name):
    before = dump(db_path)
    out = tmp_path / name
    assert_refused(cli("report", "-o", str(out)), before, db_path)
    assert not out.exists()


def test_report_to_a_missing_folder_is_refused(cli, seeded, db_path, tmp_path):
    before = dump(db_path)
    assert_refused(cli("report", "-o", str(tmp_path / "nowhere" / "r.md")), before, db_path)


def test_xlsx_date_cell_formatted_as_a_month_means_that_month(cli, seeded, tmp_path):
    # Excel stores 2022-06 as the date 2022-06-01; shown as a month it means 1–6月, so the
    # figure belongs to 2022-06-30 (序时进度 6/12), not to June 1st (5/12).
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标", "数值", "时期"])
    sheet.append(["key-project-investment", 70, datetime.datetime(2022, 6, 1)])
    sheet["C2"].number_format = "yyyy-mm"
    sheet.append(["park-tax", 1.2, datetime.datetime(2022, 5, 20)])
    sheet["C3"].number_format = "yyyy-mm-dd"
    path = tmp_path / "months.xlsx"
    book.save(path)
    cli.ok("import", str(path))
    assert [r["as_of"] for r in as_json(cli.ok("history", "key-project-investment", "--format", "json"))] == ["2022-06-30"]
    assert [r["as_of"] for r in as_json(cli.ok("history", "park-tax", "--format", "json"))] == ["2022-05-20"]
    row = by_key(as_json(cli.ok("report", "--as-of", "2022-06-30", "--format", "json"))["targets"])["key-project-investment"]
    assert row["schedule_share"] == 0.5 and row["status"] == "on_pace"


# An import compares each row with what is recorded as it reads the file, outside the write
# lock; what another process records meanwhile must still count (issue 11: 16).
def test_an_import_compares_again_when_something_was_recorded_while_it_read_the_file(cli, seeded, db_path, tmp_path, monkeypatch):
    from hnreport.store import Store
    from hnreport.store.exchange import Exchange

    f = tmp_path / "a.csv"
    f.write_text("key,value,as_of\ngdp,8.6,2022-06-30\nindustry,9.1,2022-06-30\n", encoding="utf-8")
    read_the_file = Exchange._stage

    def and_meanwhile_another_records(self, *args, **kwargs):
        result = read_the_file(self, *args, **kwargs)
        other = Store.open(db_path)
        try:
            other.figures.record(other.items.target("gdp"), 8.6, dt.date(2022, 6, 30))
        finally:
            other.close()
        return result

    monkeypatch.setattr(Exchange, "_stage", and_meanwhile_another_records)
    out = cli.ok("import", str(f)).stdout
    assert "1 added, 0 revised, 1 unchanged" in out
    assert [h["value"] for h in as_json(cli.ok("history", "gdp", "--format", "json"))] == [8.6]
