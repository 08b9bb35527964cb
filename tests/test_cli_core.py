"""The core commands end to end: targets, results, record, history, report, errors, help.

Every test runs against its own database with today pinned to 2022-07-15 (see conftest.py).
Expected rows are derived from data/*.toml or from the documented light rules, never copied
from the program's own output.
"""

from __future__ import annotations

import re
import csv
import io
import os
import subprocess
import sys
from importlib import metadata

import pytest
import typer
from rich.cells import cell_len

from helpers import YEAR_OVER, as_json, assert_refused, by_key, dump, seed_rows
from hnreport.commands.app import app

SEED_TARGETS = seed_rows("targets.toml", "target")
SEED_RESULTS = seed_rows("results.toml", "result")

MAIN_KEYS = ["gdp", "industry", "investment", "retail", "trade", "revenue", "income"]
STATUSES = {"achieved", "missed", "on_pace", "behind", "far_behind", "no_data"}
CONTRACT_FIELDS = {
    "key", "name_zh", "name_en", "section", "kind", "comparator", "target", "unit", "frequency",
    "baseline", "baseline_unit", "latest", "latest_as_of", "progress", "status",
    "expected", "gap", "completion_rate", "schedule_share", "gap_points", "projected", "shortfall",
}  # fmt: skip




# ── targets list ─────────────────────────────────────────────────────────────────────────
def test_targets_list_json_has_the_27_targets_with_every_contract_field(cli, seeded):
    rows = as_json(cli.ok("targets", "list", "--format", "json"))
    assert len(rows) == 27
    assert [r["key"] for r in rows] == [t["key"] for t in SEED_TARGETS]
    for row in rows:
        assert CONTRACT_FIELDS <= set(row), CONTRACT_FIELDS - set(row)


def test_targets_list_json_has_the_seven_main_targets_in_section_main(cli, seeded):
    rows = by_key(as_json(cli.ok("targets", "list", "--format", "json")))
    for key in MAIN_KEYS:
        assert rows[key]["section"] == "main"


def test_targets_list_json_matches_the_seed_data(cli, seeded):
    rows = by_key(as_json(cli.ok("targets", "list", "--format", "json")))
    results = {r["key"]: r for r in SEED_RESULTS}
    for t in SEED_TARGETS:
        row = rows[t["key"]]
        assert (row["name_zh"], row["name_en"], row["kind"], row["comparator"]) == (
            t["name_zh"], t["name_en"], t["kind"], t["comparator"]
        )
        assert row["target"] == t["value"]
        assert row["unit"] == t.get("unit")
        assert row["frequency"] == t["frequency"]
        expected_baseline = results[t["baseline"]]["value"] if t.get("baseline") else None
        assert row["baseline"] == expected_baseline


def test_targets_list_spot_checks(cli, seeded):
    rows = by_key(as_json(cli.ok("targets", "list", "--format", "json")))
    gdp = rows["gdp"]
    assert (gdp["comparator"], gdp["target"], gdp["unit"], gdp["baseline"]) == (">=", 8.5, "%", 8.3)
    kpi = rows["key-project-investment"]
    assert (kpi["comparator"], kpi["target"], kpi["unit"], kpi["baseline"]) == (">=", 140, "亿元", 123.67)
    assert kpi["baseline_unit"] == "亿元"
    trade = rows["trade"]
    assert (trade["comparator"], trade["target"], trade["baseline"]) == ("~", 15, None)
    pss = rows["private-school-share"]
    assert (pss["comparator"], pss["target"]) == ("<=", 5)
    eo = rows["electronics-output"]
    assert (eo["comparator"], eo["target"]) == (">", 30)
    assert rows["new-market-entities"]["unit"] is None
    assert rows["shantytown"]["unit"] is None


def test_targets_list_without_figures_is_all_no_data(cli, seeded):
    rows = as_json(cli.ok("targets", "list", "--format", "json"))
    assert {r["status"] for r in rows} == {"no_data"}
    assert all(r["latest"] is None and r["latest_as_of"] is None for r in rows)


def test_targets_list_section_filter(cli, seeded):
    rows = as_json(cli.ok("targets", "list", "--section", "main", "--format", "json"))
    assert [r["key"] for r in rows] == MAIN_KEYS
    rows = as_json(cli.ok("targets", "list", "--section", "livelihood", "--format", "json"))
    assert [r["key"] for r in rows] == [t["key"] for t in SEED_TARGETS if t["section"] == "livelihood"]


def test_targets_list_kind_filter(cli, seeded):
    for kind in ("cumulative", "share", "growth_rate"):
        rows = as_json(cli.ok("targets", "list", "--kind", kind, "--format", "json"))
        expected = [t["key"] for t in SEED_TARGETS if t["kind"] == kind]
        assert expected, kind
        assert [r["key"] for r in rows] == expected


def _record_mixed_figures(cli):
    """As of 2022-06-30 (six months done, 序时进度 50 %), under the default light rules
    (amounts: ≤10 % short of expected is behind; rates: ≤1 point short is behind):
      electronics-output 5 of expected 15 (>30 亿元 × 50 %)  → far_behind, shortfall 6.67
      gdp 7.8 against 8.5                                    → behind, 0.7 pts short
      foreign-trade 1.9 of expected 2 (4 亿元 × 50 %)          → behind, 5 % short (0.5)
      key-project-investment 75 of expected 70               → on_pace
      industry 12 against 9                                  → on_pace
    """
    for key, value in [
        ("electronics-output", "5"),
        ("gdp", "7.8"),
        ("foreign-trade", "1.9"),
        ("key-project-investment", "75"),
        ("industry", "12"),
    ]:
        cli.ok("record", key, value, "--as-of", "2022-06-30")


def test_targets_list_status_filter(cli, seeded):
    _record_mixed_figures(cli)

    def keys(status):
        rows = as_json(cli.ok("targets", "list", "--status", status, "--as-of", "2022-06-30", "--format", "json"))
        assert all(r["status"] == status for r in rows)
        return [r["key"] for r in rows]

    assert keys("far_behind") == ["electronics-output"]
    assert keys("behind") == ["gdp", "foreign-trade"]
    assert keys("on_pace") == ["industry", "key-project-investment"]
    assert len(keys("no_data")) == 27 - 5
    assert keys("achieved") == []


def test_targets_list_sort_shortfall_puts_the_worst_first_and_no_data_last(cli, seeded):
    _record_mixed_figures(cli)
    rows = as_json(
        cli.ok("targets", "list", "--sort", "shortfall", "--as-of", "2022-06-30", "--format", "json")
    )
    assert len(rows) == 27
    assert [r["key"] for r in rows[:5]] == [
        "electronics-output", "gdp", "foreign-trade", "key-project-investment", "industry",
    ]  # fmt: skip
    shortfalls = [r["shortfall"] for r in rows[:5]]
    assert shortfalls == sorted(shortfalls, reverse=True)
    assert all(r["shortfall"] is None for r in rows[5:])
    # the rest keep report order
    recorded = {r["key"] for r in rows[:5]}
    assert [r["key"] for r in rows[5:]] == [t["key"] for t in SEED_TARGETS if t["key"] not in recorded]


def test_targets_list_csv_has_a_header_and_the_filtered_rows(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30")
    out = cli.ok("targets", "list", "--section", "main", "--as-of", "2022-06-30", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["key"] for r in rows] == MAIN_KEYS
    assert CONTRACT_FIELDS <= set(rows[0])
    gdp = rows[0]
    assert float(gdp["latest"]) == 8.7
    assert float(gdp["target"]) == 8.5
    assert gdp["status"] == "on_pace"


def test_targets_list_csv_without_filter_has_27_rows(cli, seeded):
    out = cli.ok("targets", "list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["key"] for r in rows] == [t["key"] for t in SEED_TARGETS]


def test_targets_list_markdown_is_a_table_of_the_filtered_rows(cli, seeded):
    out = cli.ok("targets", "list", "--section", "main", "--format", "markdown").stdout
    lines = [line for line in out.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + len(MAIN_KEYS)  # header, separator, rows
    assert set(lines[1].replace("|", "").replace("-", "").strip()) == set()
    first_cells = [line.split("|")[1].strip() for line in lines[2:]]
    assert first_cells == MAIN_KEYS
    gdp_line = lines[2]
    assert "地区生产总值增长" in gdp_line and "8.3%" in gdp_line and "≥8.5%" in gdp_line


# ── results ──────────────────────────────────────────────────────────────────────────────
def test_results_list_json(cli, seeded):
    rows = as_json(cli.ok("results", "list", "--format", "json"))
    assert len(rows) >= 70
    assert len(rows) == len(SEED_RESULTS)
    for row in rows:
        assert {"key", "name_zh", "name_en", "section", "kind", "value", "unit"} <= set(row)
    assert by_key(rows)["gdp-2021"]["value"] == 8.3


# ── record and history ───────────────────────────────────────────────────────────────────
def test_record_names_the_period(cli, seeded):
    result = cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    assert "2022-12-31" in result.stdout
    assert "gdp" in result.stdout


def test_record_accepts_a_period_form_and_stores_its_last_day(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022年上半年")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [r["as_of"] for r in rows] == ["2022-06-30"]


def test_history_json_has_the_recorded_observation(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert len(rows) == 1
    row = rows[0]
    assert {"id", "value", "as_of", "recorded_at", "note", "source"} <= set(row)
    assert row["value"] == 8.7
    assert row["as_of"] == "2022-12-31"
    assert row["note"] is None and row["source"] is None
    assert isinstance(row["id"], int)
    assert row["recorded_at"]


def test_record_appends_and_history_lists_newest_period_first(cli, seeded):
    # the later period is recorded first, so the order must come from the period, not the id
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-03-31")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [(r["as_of"], r["value"]) for r in rows] == [("2022-12-31", 8.7), ("2022-03-31", 8.1)]
    assert rows[0]["id"] != rows[1]["id"]


def test_record_same_period_twice_keeps_both(cli, seeded):
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-06-30")
    cli.ok("record", "gdp", "8.4", "--as-of", "2022-06-30")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert sorted(r["value"] for r in rows) == [8.1, 8.4]


def test_record_keeps_note_and_source_verbatim(cli, seeded, db_path):
    note = """He said "8.7%" isn't final'; DROP TABLE targets; --"""
    source = "统计月报2022-12 'x' \"y\" ; DELETE FROM observations; --"
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", "--note", note, "--source", source, env=YEAR_OVER)
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert rows[0]["note"] == note
    assert rows[0]["source"] == source
    assert len(as_json(cli.ok("targets", "list", "--format", "json"))) == 27


def test_history_table_shows_note_and_source_verbatim(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30", "--note", "[red]urgent[/red] x", "--source", "[b]bulletin[/b]")
    out = cli.ok("history", "gdp").stdout
    assert "[red]urgent[/red] x" in out
    assert "[b]bulletin[/b]" in out


@pytest.mark.parametrize("command", [("history", "gdp"), ("targets", "show", "gdp")])
def test_table_views_survive_a_note_with_a_closing_bracket_tag(cli, seeded, command):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-06-30", "--note", "[/oops]")
    result = cli(*command)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0
    assert "[/oops]" in result.stdout


@pytest.mark.parametrize(("key", "value", "today", "period"), [
    ("gdp", "8.7", "2022-07-15", "2022-06-30"),  # quarterly: mid-July reports Q2, not "the period ending today"
    ("gdp", "8.7", "2022-09-30", "2022-06-30"),  # Q3 ends today: it is not yet reported
    ("key-project-investment", "70", "2022-07-15", "2022-06-30"),  # monthly: June
    ("key-project-investment", "80", "2022-08-01", "2022-07-31"),  # monthly: July
    ("trade", "8.7", "2022-03-05", "2022-02-28"),
])  # fmt: skip
def test_record_without_as_of_files_the_last_completed_period(cli, seeded, key, value, today, period):
    result = cli.ok("record", key, value, env={"HNREPORT_TODAY": today})
    assert f"for the period ending {period}" in result.stdout
    assert "the last" in result.stdout and "period that has ended" in result.stdout
    rows = as_json(cli.ok("history", key, "--format", "json"))
    assert rows[0]["as_of"] == period


def test_record_without_as_of_before_any_period_has_ended_asks_for_it(cli, seeded):
    before = dump(seeded)
    result = cli("record", "gdp", "8.7", env={"HNREPORT_TODAY": "2022-02-10"})
    assert_refused(result, before, seeded)
    assert result.stderr.strip() == (
        "error: no quarterly period of 2022 has ended yet; say which period the figure is for with --as-of")
    result = cli("record", "grain-area", "100", env={"HNREPORT_TODAY": "2022-07-15"})  # annual: the year is not over
    assert_refused(result, before, seeded)


def test_record_without_as_of_after_the_plan_year_uses_its_last_day(cli, seeded):
    result = cli.ok("record", "gdp", "8.7", env={"HNREPORT_TODAY": "2023-03-01"})
    assert "2022-12-31" in result.stdout
    assert "is over" in result.stdout
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert rows[0]["as_of"] == "2022-12-31"


def test_record_value_with_its_unit_attached(cli, seeded):
    cli.ok("record", "key-project-investment", "70亿元", "--as-of", "2022-06-30")
    rows = as_json(cli.ok("history", "key-project-investment", "--format", "json"))
    assert [r["value"] for r in rows] == [70]


def test_record_negative_growth_rate(cli, seeded):
    cli.ok("record", "gdp", "-3.2", "--as-of", "2022-06-30")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [r["value"] for r in rows] == [-3.2]


def test_record_negative_growth_rate_after_double_dash(cli, seeded):
    cli.ok("record", "gdp", "--as-of", "2022-06-30", "--", "-3.2")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [r["value"] for r in rows] == [-3.2]


# ── the done-when ────────────────────────────────────────────────────────────────
def test_done_when_report_as_of_year_end_shows_gdp_achieved(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    data = as_json(cli.ok("report", "--as-of", "2022-12-31", "--format", "json"))
    gdp = by_key(data["targets"])["gdp"]
    assert gdp["status"] == "achieved"
    assert gdp["target"] == 8.5
    assert gdp["baseline"] == 8.3
    assert gdp["latest"] == 8.7


def test_done_when_report_after_the_plan_year_defaults_to_its_last_day(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    data = as_json(cli.ok("report", "--format", "json", env={"HNREPORT_TODAY": "2023-02-01"}))
    assert data["as_of"] == "2022-12-31"
    gdp = by_key(data["targets"])["gdp"]
    assert (gdp["status"], gdp["target"], gdp["baseline"]) == ("achieved", 8.5, 8.3)


def test_report_on_pinned_today_does_not_count_a_later_period(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", "--force")  # a period not ended: recorded anyway, flagged
    data = as_json(cli.ok("report", "--format", "json"))
    assert data["as_of"] == "2022-07-15"
    assert by_key(data["targets"])["gdp"]["status"] == "no_data"


def test_done_when_report_table_shows_name_baseline_and_tick(cli, seeded):
    def gdp_line():
        out = cli.ok("report", "--as-of", "2022-12-31").stdout
        lines = [line for line in out.splitlines() if "地区生产总值增长" in line]
        assert len(lines) == 1
        return lines[0]

    assert "✓" not in gdp_line()
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    line = gdp_line()
    assert "8.3%" in line
    assert "✓" in line


# ── report --format json ─────────────────────────────────────────────────────────────────
def test_report_json_shape_and_summary(cli, seeded):
    _record_mixed_figures(cli)
    data = as_json(cli.ok("report", "--as-of", "2022-06-30", "--format", "json"))
    assert {"plan", "as_of", "summary", "targets"} <= set(data)
    assert isinstance(data["plan"], dict) and data["plan"]
    assert data["as_of"] == "2022-06-30"
    assert len(data["targets"]) == 27
    assert set(data["summary"]) == STATUSES
    assert sum(data["summary"].values()) == 27
    tally = {s: sum(1 for t in data["targets"] if t["status"] == s) for s in STATUSES}
    assert data["summary"] == tally
    assert data["summary"]["far_behind"] == 1
    assert data["summary"]["behind"] == 2
    assert data["summary"]["on_pace"] == 2


def test_report_json_as_of_is_an_iso_date(cli, seeded):
    from datetime import date

    data = as_json(cli.ok("report", "--as-of", "2022Q3", "--format", "json"))
    assert date.fromisoformat(data["as_of"]) == date(2022, 9, 30)


# ── key matching ─────────────────────────────────────────────────────────────────────────
def test_key_is_case_insensitive(cli, seeded):
    cli.ok("record", "GDP", "8.7", "--as-of", "2022-06-30")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [r["value"] for r in rows] == [8.7]


def test_exact_chinese_name_is_a_key(cli, seeded):
    cli.ok("record", "地区生产总值增长", "8.7", "--as-of", "2022-06-30")
    rows = as_json(cli.ok("history", "gdp", "--format", "json"))
    assert [r["value"] for r in rows] == [8.7]


def test_key_prefix_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("record", "gd", "8.7", "--as-of", "2022-06-30"), before, db_path)


# ── bad input ────────────────────────────────────────────────────────────────────────────
# The whole message is pinned for the core errors (unknown key, bad value, bad or outside date):
# the words a user reads are part of the interface.
NOT_A_NUMBER = "error: '{}' is not a number; give a plain number in % such as 8.7"
EMPTY_VALUE = "error: the value is empty; give a number such as 8.7"
BAD_VALUES = {
    "abc": NOT_A_NUMBER.format("abc"), "nan": NOT_A_NUMBER.format("nan"), "NaN": NOT_A_NUMBER.format("NaN"),
    "inf": NOT_A_NUMBER.format("inf"),
    "-inf": NOT_A_NUMBER.format("-inf"),
    "1e400": "error: '1e400' is too large to be a figure", "": EMPTY_VALUE, "   ": EMPTY_VALUE,
}  # fmt: skip


@pytest.mark.parametrize("value", list(BAD_VALUES))
def test_bad_value_is_refused(cli, seeded, db_path, value):
    before = dump(db_path)
    assert_refused(cli("record", "gdp", value, "--as-of", "2022-06-30"), before, db_path, line=BAD_VALUES[value])


def test_negative_infinity_after_double_dash_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("record", "gdp", "--as-of", "2022-06-30", "--", "-inf"), before, db_path)


def test_unknown_key_is_refused_and_suggests_the_close_one(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("record", "gpd", "8.7", "--as-of", "2022-06-30")
    assert_refused(result, before, db_path, line="error: unknown target 'gpd' — did you mean 'gdp'?")


def test_empty_key_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("record", "", "8.7", "--as-of", "2022-06-30"), before, db_path)


ACCEPTED_FORMS = (
    "accepted forms: 2022-06-30, June 30 2022, 2022-06, 2022/6, Jun 2022, 2022Q2, 2022-Q2, 2022H1, 2022-H2, 2022, "
    "2022年6月30日, 2022年6月, 2022年1-6月, 2022年一季度, 2022年第二季度, 2022年上半年, 2022年下半年, 2022年前三季度, 2022年全年, 二〇二二年上半年, 二〇二二年十二月"
)
OUTSIDE = "error: {} is outside the plan year 2022; figures for 衡南县2022年政府工作报告 must fall in 2022-01-01..2022-12-31"
BAD_DATES = {
    "2022-02-30": f"error: cannot read the period '2022-02-30' (no such date); {ACCEPTED_FORMS}",
    "6/7/2022": "error: cannot read the period '6/7/2022' (day and month are ambiguous; write 2022-07-06 or "
                f"2022-06-07); {ACCEPTED_FORMS}",
    "2021-12-31": OUTSIDE.format("2021-12-31"),
    "2023-01-01": OUTSIDE.format("2023-01-01"),
}  # fmt: skip


@pytest.mark.parametrize("as_of", list(BAD_DATES))
def test_bad_or_outside_date_is_refused(cli, seeded, db_path, as_of):
    before = dump(db_path)
    assert_refused(cli("record", "gdp", "8.7", "--as-of", as_of), before, db_path, line=BAD_DATES[as_of])


@pytest.mark.parametrize("key,value", [("rural-housing", "-5"), ("projects-100m", "-1")])
def test_negative_count_is_refused(cli, seeded, db_path, key, value):
    before = dump(db_path)
    assert_refused(cli("record", key, "--as-of", "2022-06-30", "--", value), before, db_path)


@pytest.mark.parametrize("key,value", [("rural-housing", "-5"), ("projects-100m", "-1")])
def test_negative_count_as_plain_argument_is_refused_with_one_error_line(cli, seeded, db_path, key, value):
    before = dump(db_path)
    assert_refused(cli("record", key, value, "--as-of", "2022-06-30"), before, db_path)


def test_file_that_is_not_sqlite_is_refused_and_left_alone(cli, db_path):
    content = b"these are my notes, not a database\n" * 20
    db_path.write_bytes(content)
    result = cli("targets", "list")
    assert_refused(result)
    assert db_path.read_bytes() == content


def test_newer_schema_is_refused(cli, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = dump(db_path)
    raw = db_path.read_bytes()
    result = cli("targets", "list")
    assert_refused(result)
    assert "newer" in result.stderr
    assert dump(db_path) == before
    assert db_path.read_bytes() == raw


def test_db_in_a_missing_directory_is_refused(cli, tmp_path):
    target = tmp_path / "no-such-dir" / "x.db"
    assert_refused(cli("--db", str(target), "targets", "list"))
    assert not target.parent.exists()


def test_db_pointing_at_a_directory_is_refused(cli, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert_refused(cli("--db", str(folder), "targets", "list"))
    assert list(folder.iterdir()) == []


def test_missing_argument_is_a_usage_error(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("record", "gdp")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "Missing argument" in result.stderr
    assert dump(db_path) == before


def test_unknown_option_is_a_usage_error(cli, seeded):
    result = cli("report", "--bogus")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "--bogus" in result.stderr


# ── terminal width and language ──────────────────────────────────────────────────────────
def test_report_fits_an_80_column_terminal(cli, seeded):
    out = cli.ok("report", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert lines
    widest = max(cell_len(line) for line in lines)
    assert widest <= 80, [line for line in lines if cell_len(line) > 80]
    assert "地区生产总值增长" in out
    assert "≥8.5%" in out
    assert "暂无数据" in out


def test_figures_are_never_split_across_lines_at_80_columns(cli, seeded, chinese):
    cli.ok("record", "key-project-investment", "58.33", "--as-of", "2022-05", "--source", "县统计局5月统计月报",
           "--note", "含省重点项目")  # fmt: skip
    for args in (("history", "key-project-investment"), ("targets", "show", "key-project-investment")):
        out = cli.ok(*args, env={"COLUMNS": "80"}).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= 80
        assert "58.33亿元" in out and "初步" in out, args


def test_report_on_a_wide_terminal_shows_the_2021_column(cli, seeded):
    out = cli.ok("report", env={"COLUMNS": "200"}).stdout
    gdp_lines = [line for line in out.splitlines() if "地区生产总值增长" in line]
    assert len(gdp_lines) == 1
    assert "8.3%" in gdp_lines[0]
    assert "2021" in out


def test_lang_en_shows_english_names_and_status_words(cli, seeded):
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", env=YEAR_OVER)
    out = cli.ok("--lang", "en", "report", "--as-of", "2022-12-31").stdout
    assert "GDP growth" in out
    assert "achieved" in out
    assert "no data" in out
    assert "地区生产总值增长" not in out
    assert "暂无数据" not in out
    assert "已完成" not in out


def test_lang_en_targets_list(cli, seeded):
    out = cli.ok("--lang", "en", "targets", "list").stdout
    assert "GDP growth" in out
    assert "no data" in out
    assert "暂无数据" not in out


# ── help and version ─────────────────────────────────────────────────────────────────────
def _command_paths(command, prefix=()):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, prefix + (name,))


def _lookup(path):
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


ALL_COMMANDS = list(_command_paths(typer.main.get_command(app)))


def test_the_command_walk_finds_the_core_commands():
    for path in [("record",), ("history",), ("report",), ("db", "init"), ("targets", "list"), ("results", "list")]:
        assert path in ALL_COMMANDS


def help_problems(command) -> list[str]:
    """What a command's or group's help lacks: a summary line first, and an 'Example: hnreport …' line."""
    lines = [line.strip() for line in (command.help or "").strip().splitlines()]
    problems = []
    if not lines or not lines[0] or lines[0].startswith("Example:"):
        problems.append("no summary line")
    if not any(line.startswith("Example: hnreport ") for line in lines):
        problems.append("no 'Example: hnreport …' line")
    return problems


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "hnreport")
def test_every_command_help_has_a_summary_and_an_example(cli, path):
    assert help_problems(_lookup(path)) == []
    result = cli.ok(*path, "--help")
    assert any(line.strip().startswith("Example: hnreport ") for line in result.stdout.splitlines()), result.stdout


def test_the_help_check_catches_a_command_without_help_or_example():
    demo = typer.Typer()

    @demo.command()
    def bare() -> None:
        pass

    @demo.command()
    def summary_only() -> None:
        """Does a thing."""

    @demo.command()
    def example_only() -> None:
        """Example: hnreport example-only"""

    @demo.command()
    def complete() -> None:
        """Does a thing.

        Example: hnreport complete
        """

    commands = typer.main.get_command(demo).commands
    assert {name: help_problems(c) for name, c in commands.items()} == {
        "bare": ["no summary line", "no 'Example: hnreport …' line"],
        "summary-only": ["no 'Example: hnreport …' line"],
        "example-only": ["no summary line"],
        "complete": [],
    }


def test_python_dash_m_version(tmp_path):
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "hnreport", "--version"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"hnreport {metadata.version('hnreport')}"
    assert not (tmp_path / "hnreport.db").exists()  # --version opens no database


def test_the_command_line_is_imported_with_the_collector_paused_and_runs_with_it_on(tmp_path):
    """The entry point (console script and python -m) imports the command line with the cycle
    collector off, freezes what the import made, and runs the command with the collector on."""
    code = (
        "import gc, sys\n"
        "import hnreport.__main__ as entry\n"
        "seen = []\n"
        "import hnreport.commands.app as app\n"
        "real = app.main\n"
        "app.main = lambda: seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "frozen_before = gc.get_freeze_count()\n"
        "entry.run()\n"
        "print(frozen_before, *seen[0])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    before, enabled, frozen = proc.stdout.split()
    assert before == "0" and enabled == "True"
    assert int(frozen) > 10_000  # typer's, rich's and hnreport's objects, set aside
    scripts = metadata.distribution("hnreport").entry_points.select(group="console_scripts")
    assert [e.value for e in scripts if e.name == "hnreport"] == ["hnreport.__main__:run"]


def test_setting_what_is_already_in_force_changes_nothing_and_journals_nothing(cli, seeded, db_path):
    cli.ok("config", "set", "light.preset", "points")
    cli.ok("config", "set", "light.tolerance", "5", "--target", "gdp")
    journal = len(as_json(cli.ok("log", "--format", "json")))
    before = dump(db_path)
    assert cli.ok("--lang", "zh", "config", "set", "light.preset", "百分点差距").stdout == "light.preset 已是 points，未作改动\n"
    assert cli.ok("--lang", "en", "config", "set", "light.tolerance", "5", "--target", "gdp").stdout == (
        "light.tolerance is 5 for gdp already; nothing changed\n"
    )
    assert dump(db_path) == before
    assert len(as_json(cli.ok("log", "--format", "json"))) == journal
    # the same value for another scope, or a default set explicitly, is recorded
    cli.ok("config", "set", "light.tolerance", "5", "--target", "revenue")
    cli.ok("config", "set", "report.due_day", "25")  # the default, never set before
    assert len(as_json(cli.ok("log", "--format", "json"))) == journal + 2


def test_changing_a_measure_sets_that_measures_usual_tolerance(cli, seeded):
    # 0.1 means 10 % in the relative measure but a tenth of a point in the points measure, so a
    # measure change brings its own tolerance: amounts in points use 10 points of completion.
    out = cli.ok("config", "set", "light.measure", "points", "--target", "key-project-investment").stdout
    assert "light.tolerance = 10" in out
    cli.ok("record", "key-project-investment", "63", "--as-of", "2022-06-30")
    row = by_key(as_json(cli.ok("report", "--as-of", "2022-06-30", "--format", "json"))["targets"])["key-project-investment"]
    # expected 140 × 6/12 = 70; (70 − 63) / 140 × 100 = 5 points short ≤ 10 → behind (not far_behind)
    assert row["status"] == "behind"
    shown = as_json(cli.ok("config", "show", "--format", "json"))
    assert shown["targets"]["key-project-investment:light.tolerance"] == "10"


def summary_problems(command) -> list[str]:
    """What a command's one-line summary (the command lists of --help) lacks: it must stand alone
    — a whole first sentence that fits in 60 characters, not cut at "e.g." or ended with "...";
    and every option and argument must have a metavar that names what it takes (KEY, PERIOD,
    FILE …), never a type (<str>, <int>, <path>)."""
    from typer._click.utils import make_default_short_help

    problems = []
    short = make_default_short_help(command.help or "", 60)
    if short.endswith("...") or short.endswith("e.g.") or not short.endswith("."):
        problems.append(f"summary: {short!r}")
    ctx = typer.Context(command)
    for param in command.params:
        if getattr(param, "is_flag", False) or param.name in ("help", "install_completion", "show_completion"):
            continue
        shown = param.make_metavar(ctx)
        if "<" in shown or not re.fullmatch(r"[\[{]?([A-Z][A-Z0-9_ .-]*|[a-z]+(\|[a-z]+)+)[\]}]?(\.\.\.)?", shown):
            problems.append(f"{param.name}: {shown}")
    return problems


@pytest.mark.parametrize("path", [p for p in ALL_COMMANDS if p], ids=" ".join)
def test_every_command_has_a_summary_that_stands_alone_and_named_metavars(path):
    assert summary_problems(_lookup(path)) == []


def test_the_summary_check_catches_a_cut_summary_and_a_type_metavar():
    demo = typer.Typer()

    @demo.command()
    def add(name: str = typer.Option("")) -> None:
        """Add a milestone of your own (e.g. one the county added in July) with a key and a section."""

    @demo.command()
    def other() -> None:
        """A command."""

    command = typer.main.get_command(demo).commands["add"]
    assert summary_problems(command) == ["summary: 'Add a milestone of your own (e.g.'", "name: <str>"]
