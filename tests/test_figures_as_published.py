"""Figures as the statistics bureau publishes them (issue 13): units converted or refused as
units, periods not ended refused (--force flags them), implausible magnitudes asked about
(--yes flags them), and the decimals a figure was given with kept through every output, the
export and the restore.

Today is pinned to 2022-07-15 (conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import YEAR_OVER, as_json, assert_refused, by_key, dump, q, xlsx_bytes
from hnreport.domain.values import convert_amount, decimals_of, read_figure

KPI = "key-project-investment"  # cumulative, ≥140 亿元, monthly; 2021: 123.67 亿元


def history(cli, key: str) -> list[dict]:
    return as_json(cli.ok("history", key, "--format", "json"))


# ── units ───────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("value", "source", "goal", "expected"), [
    (680000, "万元", "亿元", 68.0),
    (123.45, "万元", "亿元", 0.012345),  # exactly as written, not 0.012345000000000001
    (1.5, "亿元", "万元", 15000.0),
    (2, "亿元", "元", 200_000_000.0),
    (7, "个", "个", 7),  # the same unit: the value itself
    (5, " 亿元 ", "亿元", 5),  # spaces around a unit do not make another one
    (68, "万美元", "亿元", None),  # another currency
    (5, "%", "亿元", None),
    (3, "个", "亿元", None),
    (3, "万亩", "亩", None),  # only amounts of money convert
])  # fmt: skip
def test_convert_amount_by_exact_factors_or_not_at_all(value, source, goal, expected):
    assert convert_amount(value, source, goal) == expected


def test_recording_680000_wan_yuan_for_a_yi_yuan_target_records_68_and_says_so(cli, seeded):
    result = cli.ok("record", KPI, "680000万元", "--as-of", "2022-06")
    assert result.stdout.splitlines() == [
        "recorded key-project-investment (重点项目完成投资) = 68亿元 for the period ending 2022-06-30 (as given, preliminary); "
        "observation 1",
        "converted 680000万元 to 68亿元, the target's unit",
    ]
    assert [(h["value"], h["decimals"], h["flag"]) for h in history(cli, KPI)] == [(68.0, 0, None)]


def test_68_yi_means_yi_yuan_for_a_yi_yuan_target(cli, seeded):
    result = cli.ok("record", KPI, "68亿", "--as-of", "2022-06")
    assert result.stdout.splitlines()[1] == "read 68亿 as 68亿元"
    assert [h["value"] for h in history(cli, KPI)] == [68.0]


def test_a_converted_figure_keeps_the_decimals_it_needs(cli, seeded):
    cli.ok("record", KPI, "685000万元", "--as-of", "2022-06")
    assert [(h["value"], h["decimals"]) for h in history(cli, KPI)] == [(68.5, 1)]
    assert "68.5亿元" in cli.ok("history", KPI).stdout


@pytest.mark.parametrize(("value", "unit"), [("68万美元", "万美元"), ("5%", "%"), ("3个", "个")])
def test_a_unit_that_does_not_fit_is_refused_as_a_unit_mismatch(cli, seeded, value, unit):
    before = dump(seeded)
    en = cli("record", KPI, value, "--as-of", "2022-06")
    assert_refused(en, before, seeded,
                   line=f"error: '{value}' is in {unit}, which does not convert to 亿元 (the target's unit); give the figure in 亿元")  # fmt: skip
    zh = cli("--lang", "zh", "record", KPI, value, "--as-of", "2022-06")
    assert zh.stderr.splitlines() == [f"错误：'{value}' 的单位是 {unit}，无法换算为该指标的单位 亿元；请按 亿元 输入"]


def test_a_unit_for_a_target_without_one_is_refused(cli, seeded):
    before = dump(seeded)
    result = cli("record", "new-market-entities", "60亿元", "--as-of", "2022-06")
    assert_refused(result, before, seeded,
                   line="error: '60亿元' is given in 亿元, but this target has no unit; give a plain number")  # fmt: skip


def test_words_after_a_number_are_still_not_a_number(cli, seeded):
    result = cli("record", "gdp", "8.7左右", "--as-of", "2022-06")
    assert result.stderr.splitlines() == ["error: '8.7左右' is not a number; give a plain number in % such as 8.7"]


def test_correct_converts_a_unit_too(cli, seeded):
    cli.ok("record", KPI, "60", "--as-of", "2022-06")
    result = cli.ok("correct", "1", "650000万元", "--reason", "核实")
    assert result.stdout.splitlines() == [
        "corrected observation 1 of key-project-investment: 60 → 65 (observation 2)",
        "converted 650000万元 to 65亿元, the target's unit",
    ]


def test_an_import_converts_units_and_refuses_a_mismatch_naming_the_line(cli, seeded, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("指标,数值,时期\nkey-project-investment,700000万元,2022-04\ngdp,5.0%,2022Q1\n", encoding="utf-8")
    assert cli.ok("import", str(good)).stdout.splitlines()[0].startswith("imported ")
    assert [(h["value"], h["decimals"]) for h in history(cli, KPI)] == [(70.0, 0)]
    assert [(h["value"], h["decimals"]) for h in history(cli, "gdp")] == [(5.0, 1)]
    bad = tmp_path / "bad.csv"
    bad.write_text("指标,数值,时期\nkey-project-investment,68万美元,2022-05\n", encoding="utf-8")
    before = dump(seeded)
    result = cli("import", str(bad))
    assert result.exit_code == 1 and dump(seeded) == before
    assert result.stderr.splitlines() == [
        "error: line 2: '68万美元' is in 万美元, which does not convert to 亿元 (the target's unit); give the figure in 亿元",
        f"1 problem(s) in {bad}; nothing was imported",
    ]


# ── periods not ended ───────────────────────────────────────────────────────────────────────
def test_a_period_not_ended_is_refused_and_force_records_it_flagged(cli, seeded):
    before = dump(seeded)
    result = cli("record", "gdp", "8.7", "--as-of", "2022Q3")
    assert_refused(result, before, seeded, line=(
        "error: the period ending 2022-09-30 has not ended yet (today is 2022-07-15); add --force to record it anyway (it is flagged)"))
    zh = cli("--lang", "zh", "record", "gdp", "8.7", "--as-of", "2022Q3")
    assert zh.stderr.splitlines() == ["错误：时期 2022-09-30 尚未结束（今天是 2022-07-15）；如确要录入，请加 --force（该数据将被标记）"]
    forced = cli.ok("record", "gdp", "8.7", "--as-of", "2022Q3", "--force")
    assert forced.stdout.splitlines()[-1] == "flagged: period not ended (forced) ('hnreport history gdp' shows it)"
    assert [(h["as_of"], h["flag"]) for h in history(cli, "gdp")] == [("2022-09-30", "future")]
    table = cli.ok("history", "gdp").stdout
    assert "标记" in table and "期未结束(强制录入)" in table
    assert "period not ended (forced)" in cli.ok("--lang", "en", "history", "gdp").stdout


def test_a_figure_as_of_today_is_for_a_day_that_has_come(cli, seeded):
    cli.ok("record", KPI, "75", "--as-of", "2022-07-15")
    assert [h["flag"] for h in history(cli, KPI)] == [None]


def test_an_import_refuses_periods_not_ended_unless_forced(cli, seeded, tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("key,value,as_of\ngdp,8.1,2022Q2\nretail,8,2022-09\n", encoding="utf-8")
    before = dump(seeded)
    result = cli("import", str(f))
    assert result.exit_code == 1 and dump(seeded) == before
    assert result.stderr.splitlines() == [
        "error: line 3: the period ending 2022-09-30 has not ended yet (today is 2022-07-15); add --force to record it anyway "
        "(it is flagged)",
        f"1 problem(s) in {f}; nothing was imported",
    ]
    cli.ok("import", str(f), "--force")
    assert [h["flag"] for h in history(cli, "retail")] == ["future"]
    assert [h["flag"] for h in history(cli, "gdp")] == [None]


# ── implausible magnitudes ──────────────────────────────────────────────────────────────────
GROWTH_51 = ("error: gdp: a growth rate of 51.0% is beyond ±50 percentage points, which looks like a typo; add --yes to record "
             "it anyway (it is flagged; on a terminal you are asked)")  # fmt: skip


def test_a_51_percent_growth_is_refused_without_a_terminal_and_yes_records_it_flagged(cli, seeded):
    before = dump(seeded)
    assert_refused(cli("record", "gdp", "51.0", "--as-of", "2022H1"), before, seeded, line=GROWTH_51)
    zh = cli("--lang", "zh", "record", "gdp", "51.0", "--as-of", "2022H1")
    assert zh.stderr.splitlines() == [
        "错误：gdp：增速 51.0% 超出 ±50 个百分点，疑似录入错误；如确认无误，请加 --yes 录入（该数据将被标记；在终端上会先询问）"]
    result = cli.ok("record", "gdp", "51.0", "--as-of", "2022H1", "--yes")
    assert result.stdout.splitlines() == [
        "recorded gdp (地区生产总值增长) = 51.0% for the period ending 2022-06-30 (as given, preliminary); observation 1",
        "flagged: implausible (confirmed) ('hnreport history gdp' shows it)",
    ]
    assert [(h["value"], h["flag"]) for h in history(cli, "gdp")] == [(51.0, "implausible")]


def test_on_a_terminal_record_asks_first(cli, seeded, monkeypatch):
    monkeypatch.setattr("hnreport.commands.data.interactive", lambda: True)
    before = dump(seeded)
    declined = cli("record", "gdp", "51", "--as-of", "2022H1", input="n\n")
    assert declined.exit_code == 1 and dump(seeded) == before
    # (the runner echoes the answer to stdout, so the prompt's line ends with the error)
    assert declined.stderr == ("gdp: a growth rate of 51% is beyond ±50 percentage points. Record it anyway (it is flagged)? "
                               "[y/N]:error: nothing was recorded\n")  # fmt: skip
    accepted = cli("record", "gdp", "51", "--as-of", "2022H1", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert [h["flag"] for h in history(cli, "gdp")] == ["implausible"]


@pytest.mark.parametrize(("key", "value", "as_of", "error"), [
    ("forest-cover", "101", "2022", "forest-cover: a share of 101% is over 100%"),
    ("forest-cover", "95", "2022", "forest-cover: a share of 95% is more than 50 percentage points from the target 43.42%"),
    ("spending-cut", "-60", "2022", "spending-cut: a growth rate of -60% is beyond ±50 percentage points"),
    # 7000 亿元 in January: more than 5× what the whole year should bring (and what January should hold)
    (KPI, "7000", "2022-01", "key-project-investment: 7000亿元 is more than 5× the whole year's target of 140亿元"),
    # 2 亿元 in January: more than 5× below what January should hold, 140 ÷ 12 = 11.67 亿元
    (KPI, "2", "2022-01", "key-project-investment: 2亿元 is more than 5× away from the 11.67亿元 expected to date (序时应达)"),
    # the year's figure: against the target and the 2021 figure for the whole year
    (KPI, "1400", "2022", "key-project-investment: 1400亿元 is more than 5× away from both the 140亿元 expected to date (序时应达) "
                          "and last year's 123.67亿元 for the same period"),
])  # fmt: skip
def test_implausible_figures_are_refused_saying_why(cli, seeded, key, value, as_of, error):
    before = dump(seeded)
    result = cli("record", key, value, "--as-of", as_of, env=YEAR_OVER)
    assert_refused(result, before, seeded, line=f"error: {error}, which looks like a typo; add --yes to record it anyway "
                                                "(it is flagged; on a terminal you are asked)")  # fmt: skip


@pytest.mark.parametrize(("key", "value", "as_of"), [
    (KPI, "12", "2022-01"),  # a January cumulative figure is small by nature: 12 against January's 11.67, not 140
    (KPI, "3", "2022-01"),  # within 5× of 11.67
    (KPI, "0", "2022-01"),  # nothing yet is no magnitude error
    (KPI, "150", "2022-01"),  # the whole year's amount in January: early, not a typo
    ("listings", "1", "2022-01"),  # one listing of a target of one, in January
    ("grain-output", "5", "2022-01"),  # a target reported once a year, but 5 万吨 is about January's share of 62
    (KPI, "600", "2022"),  # within 5× of 140 and of 123.67
    ("gdp", "-3.2", "2022Q1"), ("gdp", "49.9", "2022Q1"),
    ("forest-cover", "43.6", "2022"), ("projects-100m", "3", "2022-03"),
])  # fmt: skip
def test_plausible_figures_go_in_without_a_question(cli, seeded, key, value, as_of):
    result = cli.ok("record", key, value, "--as-of", as_of, env=YEAR_OVER)
    assert "flagged" not in result.stdout


def test_correct_asks_about_an_implausible_figure_too(cli, seeded):
    cli.ok("record", "gdp", "5.1", "--as-of", "2022H1")
    before = dump(seeded)
    result = cli("correct", "1", "51", "--reason", "x")
    assert_refused(result, before, seeded, line=GROWTH_51.replace("51.0%", "51%"))
    cli.ok("correct", "1", "51", "--reason", "x", "--yes")
    assert [(h["value"], h["state"], h["flag"]) for h in history(cli, "gdp")] == [(51.0, "current", "implausible"),
                                                                                 (5.1, "superseded", None)]  # fmt: skip


def test_a_year_to_date_total_below_an_earlier_one_or_above_a_later_one_asks(cli, seeded):
    """68亿元 for 1-5月, then 60亿元 for 1-6月: a cumulative total does not fall; a typo to check."""
    cli.ok("record", KPI, "68", "--as-of", "2022-05")
    before = dump(seeded)
    assert_refused(cli("record", KPI, "60", "--as-of", "2022-06"), before, seeded,
                   line="error: key-project-investment: 60亿元 is below the 68亿元 total as of 2022-05-31 (a year-to-date total "
                        "does not fall), which looks like a typo; add --yes to record it anyway (it is flagged; on a terminal "
                        "you are asked)")  # fmt: skip
    assert_refused(cli("record", KPI, "70", "--as-of", "2022-04"), before, seeded,
                   line="error: key-project-investment: 70亿元 is above the 68亿元 total as of 2022-05-31 (a year-to-date total "
                        "does not fall), which looks like a typo; add --yes to record it anyway (it is flagged; on a terminal "
                        "you are asked)")  # fmt: skip
    cli.ok("record", KPI, "75", "--as-of", "2022-06")  # rising: no question
    cli.ok("record", "gdp", "5.1", "--as-of", "2022Q1")
    cli.ok("record", "gdp", "4.8", "--as-of", "2022H1")  # a growth rate may fall
    cli.ok("record", KPI, "60", "--as-of", "2022-06", "--yes")  # a revision of June below May: let in, flagged
    assert history(cli, KPI)[0]["flag"] == "implausible"


IMPLAUSIBLE_CSV = "key,value,as_of,source\ngdp,5.1,2022Q1,月报\nindustry,60,2022-05,月报\nkey-project-investment,7000,2022-01,月报\n"
LISTED = [
    "line 3: industry: a growth rate of 60% is beyond ±50 percentage points",
    "line 4: key-project-investment: 7000亿元 is more than 5× the whole year's target of 140亿元",
]


def test_an_import_lists_implausible_figures_in_its_dry_run_and_needs_yes(cli, seeded, tmp_path):
    f = tmp_path / "f.csv"
    f.write_text(IMPLAUSIBLE_CSV, encoding="utf-8")
    before = dump(seeded)
    dry = cli.ok("import", str(f), "--dry-run")
    assert dry.stdout.splitlines() == [f"would import {f}: 3 added, 0 revised, 0 unchanged", *LISTED,
                                       "2 figure(s) look implausible: the import needs --yes to write them (they are flagged)"]  # fmt: skip
    refused = cli("import", str(f))
    assert refused.exit_code == 1 and dump(seeded) == before
    assert refused.stderr.splitlines() == ["error: " + LISTED[0], LISTED[1],
                                           f"2 figure(s) in {f} look implausible (above); check them (--dry-run lists them) and add "
                                           "--yes to import them anyway (they are flagged); nothing was imported"]  # fmt: skip
    done = cli.ok("import", str(f), "--yes")
    assert done.stdout.splitlines()[1:] == [*LISTED, "2 figure(s) that look implausible were imported, flagged"]
    assert q(seeded, "SELECT target_key, flag FROM observations ORDER BY target_key") == [
        ("gdp", None), ("industry", "implausible"), ("key-project-investment", "implausible")]
    # The same file again changes nothing, and asks nothing.
    assert cli.ok("import", str(f)).stdout == f"imported {f}: 0 added, 0 revised, 3 unchanged\n"


def test_an_import_flags_a_figure_both_forced_and_confirmed(cli, seeded, tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("key,value,as_of\nretail,80,2022-09\n", encoding="utf-8")
    cli.ok("import", str(f), "--force", "--yes")
    assert [h["flag"] for h in history(cli, "retail")] == ["future,implausible"]
    from hnreport.domain.plausibility import FLAG_VALUES

    assert FLAG_VALUES == ("future", "implausible", "future,implausible")  # what db check and the import write


# ── decimals as published ──────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("text", "places"), [
    ("5.0", 1), ("5", 0), ("5.", 0), (".5", 1), ("1,234.50", 2), ("8.7%", 1), ("68亿", 0), ("-3.20", 2),
    ("0.0", 1), ("0", 0), ("#,##0.00", 2), ("0.0%", 1), ('0.0"%"', 1), ("0.00_);[Red](0.00)", 2), ("[$¥-804]#,##0.0", 1),
    ("General", None), ("@", None), ("yyyy-mm-dd", None), ("1e5", None), ("0.00E+00", None), ("", None),
    ("0." + "0" * 16, None),  # more than a figure keeps
])  # fmt: skip
def test_decimals_of_a_number_as_written_or_a_number_format(text, places):
    assert decimals_of(text) == places


def test_read_figure_keeps_the_decimals_given():
    assert read_figure("5.0", "%") == (5.0, 1, None, None, False)
    assert read_figure("680000万元", "亿元") == (68.0, 0, "680000", "万元", True)
    assert read_figure("68亿", "亿元") == (68.0, 0, "68", "亿元", False)
    assert read_figure("123.45万元", "亿元").decimals == 6


def test_decimals_are_kept_from_record_through_every_output_to_export_and_restore(cli, seeded, tmp_path):
    cli.ok("record", "gdp", "5.0", "--as-of", "2022Q1")
    cli.ok("record", KPI, "70.50", "--as-of", "2022-06")
    assert cli.ok("record", "gdp", "8.10", "--as-of", "2022Q2").stdout.startswith(
        "recorded gdp (地区生产总值增长) = 8.10% for the period ending 2022-06-30")
    assert "│ 8.10% │" in cli.ok("history", "gdp").stdout and "│  5.0% │" in cli.ok("history", "gdp").stdout
    rows = history(cli, "gdp")
    assert [(r["value"], r["decimals"]) for r in rows] == [(8.1, 2), (5.0, 1)]
    report = cli.ok("report", "--as-of", "2022-06-30").stdout
    assert "8.10%" in report and "70.50亿元" in report
    markdown = cli.ok("report", "--as-of", "2022-06-30", "--format", "markdown").stdout
    assert "| 8.10% |" in markdown and "| 70.50亿元 |" in markdown
    targets = by_key(as_json(cli.ok("targets", "list", "--as-of", "2022-06-30", "--format", "json")))
    assert (targets["gdp"]["latest"], targets["gdp"]["latest_decimals"]) == (8.1, 2)
    listed = {r["key"]: r for r in csv.DictReader(io.StringIO(cli.ok("targets", "list", "--as-of", "2022-06-30", "--format", "csv").stdout))}
    assert (listed["gdp"]["latest"], listed[KPI]["latest"]) == ("8.10", "70.50")
    assert [r["value"] for r in csv.DictReader(io.StringIO(cli.ok("history", "gdp", "--format", "csv").stdout))] == ["8.10", "5.0"]
    shown = cli.ok("targets", "show", "gdp", "--as-of", "2022-06-30").stdout
    assert "8.10% (2022-06-30)" in shown and "  8.10%" in shown  # the latest, and the chart's figure
    assert "8.10%" in cli.ok("lights", "--values", "--to", "2022-06").stdout
    # export and restore
    export = tmp_path / "e.json"
    cli.ok("export", "-o", str(export))
    assert [(o["value"], o["decimals"]) for o in json.loads(export.read_text(encoding="utf-8"))["observations"]] == [
        (5.0, 1), (70.5, 2), (8.1, 2)]
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(export))
    assert [(r["value"], r["decimals"]) for r in as_json(cli.ok("--db", str(fresh), "history", "gdp", "--format", "json"))] == [
        (8.1, 2), (5.0, 1)]
    assert "│ 8.10% │" in cli.ok("--db", str(fresh), "history", "gdp").stdout
    # the figures' CSV carries them as published, and an import reads them back so
    figures = tmp_path / "figures.csv"
    cli.ok("export", "-f", "csv", "-o", str(figures))
    again = tmp_path / "again.db"
    cli.ok("--db", str(again), "import", str(figures))
    assert q(again, "SELECT value, decimals FROM observations ORDER BY target_key, as_of") == [(5.0, 1), (8.1, 2), (70.5, 2)]


def test_figures_recorded_before_decimals_were_kept_show_as_they_did(cli, seeded):
    from helpers import execute

    cli.ok("record", "gdp", "5.0", "--as-of", "2022Q1")
    execute(seeded, "UPDATE observations SET decimals = NULL")
    assert "│   5% │" in cli.ok("history", "gdp").stdout
    assert history(cli, "gdp")[0]["decimals"] is None


def test_an_export_made_before_decimals_and_flags_restores(cli, seeded, tmp_path):
    cli.ok("record", "gdp", "5.0", "--as-of", "2022Q1")
    export = json.loads(cli.ok("export").stdout)
    for o in export["observations"]:
        del o["decimals"], o["flag"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(path))
    assert q(fresh, "SELECT value, decimals, flag FROM observations") == [(5.0, None, None)]
    assert cli("--db", str(fresh), "db", "check").exit_code == 0


def test_an_xlsx_number_cell_gives_its_decimals_by_its_number_format(cli, seeded, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([["key", "value", "as_of"], ["gdp", 5, "2022-03-31"],
                                                         ["industry", 9.25, "2022-03-31"], ["retail", 7.123, "2022-03-31"],
                                                         ["trade", 12, "2022-03-31"]])))  # fmt: skip
    sheet = book.active
    sheet["B2"].number_format = "0.0"  # 5 shown as 5.0
    sheet["B3"].number_format = "#,##0.00"
    sheet["B4"].number_format = "0.0"  # 7.123 shown as 7.1: the cell holds more than it shows
    path = tmp_path / "f.xlsx"
    book.save(path)
    cli.ok("import", str(path))
    assert q(seeded, "SELECT target_key, value, decimals FROM observations ORDER BY id") == [
        ("gdp", 5.0, 1), ("industry", 9.25, 2), ("retail", 7.123, None), ("trade", 12.0, None)]
    assert "│ 5.0% │" in cli.ok("history", "gdp").stdout


def test_a_percentage_cell_gives_the_decimals_of_the_percentage_it_shows(cli, seeded, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["指标", "数值", "时期"])
    book.active.append(["gdp", 0.05, "2022年1-6月"])
    book.active["B2"].number_format = "0.0%"  # 5.0%
    path = tmp_path / "p.xlsx"
    book.save(path)
    cli.ok("import", str(path))
    assert [(h["value"], h["decimals"]) for h in history(cli, "gdp")] == [(5.0, 1)]
    assert "│ 5.0% │" in cli.ok("history", "gdp").stdout


def test_a_bureau_sheet_keeps_the_decimals_its_cells_were_printed_with(cli, seeded, tmp_path):
    from test_statsheet import ROWS, bureau_csv_text, bureau_xlsx

    rows = [("地区生产总值", "亿元", None, None, 186.52, "5.10"), *ROWS[2:]]
    f = tmp_path / "月报.csv"
    f.write_bytes(bureau_csv_text(rows).encode("gbk"))
    cli.ok("import", str(f))
    decimals = {(key, decimals) for key, decimals in q(seeded, "SELECT target_key, decimals FROM observations")}
    assert {("gdp", 2), ("industry", 1), ("key-project-investment", 0), ("income", 1)} <= decimals  # 720000万元 → 72亿元
    book = tmp_path / "月报.xlsx"
    bureau_xlsx(book)  # 同比 of GDP: a percentage cell 0.0%; the other figures plain number cells (their format is not read)
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(book))
    assert q(fresh, "SELECT decimals FROM observations WHERE target_key = 'gdp'") == [(1,)]
    assert q(fresh, "SELECT decimals FROM observations WHERE target_key = 'revenue'") == [(None,)]


# ── the row-by-row and the whole-batch import stage the same rows ──────────────────────────
CELL = st.tuples(
    st.sampled_from(["gdp", "GDP", "industry", "地区生产总值增长", KPI, "no-such"]),
    st.sampled_from(["8.7", "5.0", "8.70", "-3.2", "60", "70", "700000万元", "12", " 9 ", "", "1e2", "7000"]),
    st.sampled_from(["2022-03-31", "2022Q1", "2022-06", "2022-09", "2022-13"]),
    st.sampled_from(["", "a", "'=x", " b "]),
    st.sampled_from(["", "月报"]),
)


# rows a whole batch takes: known keys, plain decimal numbers, periods that can be taken
PLAIN_CELL = st.tuples(
    st.sampled_from(["gdp", "GDP", "industry", "地区生产总值增长", KPI]),
    st.sampled_from(["8.7", "5.0", "8.70", "60", "70", "12", "7000", "0"]),
    st.sampled_from(["2022-03-31", "2022Q1", "2022-06", "2022-09"]),
    st.sampled_from(["", "a", "'=x", " b "]),
    st.sampled_from(["", "月报"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PLAIN_CELL, min_size=1, max_size=12) | st.lists(CELL, min_size=1, max_size=12), st.booleans(), st.booleans())
def test_a_batch_is_staged_as_its_rows_would_be_one_by_one(tmp_path_factory, monkeypatch, rows, force, yes):
    from helpers import fresh_db_bytes
    from hnreport.readers import Table
    from hnreport.store import Store
    from hnreport.store import exchange

    global _FRESH
    try:
        fresh = _FRESH
    except NameError:
        fresh = _FRESH = fresh_db_bytes()
    outcomes = []
    folder = tmp_path_factory.mktemp("batch")
    for whole_batches in (True, False):
        db = folder / f"import-{whole_batches}.db"
        db.write_bytes(fresh)
        store = Store.open(db)
        try:
            if not whole_batches:
                monkeypatch.setattr(exchange._Rows, "_plain", lambda self, batch: None)
            table = Table({"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4},
                          iter([(i + 2, list(r)) for i, r in enumerate(rows)]), [])  # fmt: skip
            try:
                summary = store.exchange.import_table(table, "f.csv", today=date(2022, 7, 15), force=force, yes=yes)
                outcome: object = (tuple(summary[:4]), tuple(str(m) for m in summary.implausible), summary.implausible_count)
            except Exception as err:  # the same refusal, said the same way
                outcome = (type(err).__name__, str(err))
        finally:
            store.close()
            monkeypatch.undo()
        outcomes.append((outcome, q(db, "SELECT id, target_key, value, as_of, note, source, vintage, decimals, flag FROM observations "
                                        "ORDER BY id")))  # fmt: skip
    assert outcomes[0] == outcomes[1]


# ── rows held in memory or staged in a temporary table: the same import ────────────────────
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PLAIN_CELL, min_size=1, max_size=12) | st.lists(CELL, min_size=1, max_size=12), st.booleans(),
       st.sampled_from(["", "retracted"]))  # fmt: skip
def test_rows_held_in_memory_are_written_as_staged_rows_are(tmp_path_factory, monkeypatch, rows, twice, state):
    from helpers import fresh_db_bytes
    from hnreport.readers import Table
    from hnreport.store import Store
    from hnreport.store import exchange

    global _FRESH
    try:
        fresh = _FRESH
    except NameError:
        fresh = _FRESH = fresh_db_bytes()
    outcomes = []
    folder = tmp_path_factory.mktemp("held")
    for held in (True, False):
        db = folder / f"import-{held}.db"
        db.write_bytes(fresh)
        store = Store.open(db)
        try:
            if not held:
                monkeypatch.setattr(exchange, "MAX_ROWS_HELD", -1)
            said = []
            for _ in range(2 if twice else 1):  # the second time over figures now recorded
                # without a state column, plain batches; with one, row by row (some rows retracted)
                columns = {"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4, **({"state": 5} if state else {})}
                table = Table(columns, iter([(i + 2, [*r, state if i % 3 == 0 else ""]) for i, r in enumerate(rows)]), [])
                try:
                    summary = store.exchange.import_table(table, "f.csv", today=date(2022, 7, 15), force=True, yes=True)
                    said.append((tuple(summary[:4]), tuple(str(m) for m in summary.implausible), summary.implausible_count))
                except Exception as err:  # the same refusal, said the same way
                    said.append((type(err).__name__, str(err)))
        finally:
            store.close()
            monkeypatch.undo()
        outcomes.append((said, q(db, "SELECT id, target_key, value, as_of, note, source, vintage, decimals, flag, change_id "
                                     "FROM observations ORDER BY id"),
                         q(db, "SELECT observation_id, change_id, reason FROM retractions ORDER BY id")))  # fmt: skip
    assert outcomes[0] == outcomes[1]
