"""Statuses that say only what is true: no verdict before the year's figure is in, bars only
where they mean something, gaps in the target's unit, and the 超序时/达序时/欠序时 sub-field."""

from __future__ import annotations

import pytest

from helpers import YEAR_OVER, as_json, by_key


def targets_at(cli, day: str) -> dict:
    return by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", day)))


def test_a_growth_rate_has_no_progress_bar_or_completion(cli, seeded):
    cli.ok("record", "gdp", "5.1", "--as-of", "2022-06")
    gdp = targets_at(cli, "2022-06-30")["gdp"]
    assert gdp["progress"] is None  # not "GDP 完成60%" for 5.1 against 8.5
    assert gdp["completion_rate"] is None
    assert gdp["gap"] == pytest.approx(-3.4)  # 5.1 − 8.5, in points
    table = cli.ok("targets", "list", "--as-of", "2022-06-30", env={"COLUMNS": "200"}).stdout
    row = next(line for line in table.splitlines() if "地区生产总值增长" in line)
    assert "%" in row and "60%" not in row and "█" not in row


def test_a_cumulative_gap_is_in_the_targets_unit_with_points_beside_it(cli, seeded):
    cli.ok("record", "key-project-investment", "68", "--as-of", "2022-06")
    kpi = targets_at(cli, "2022-06-30")["key-project-investment"]
    # expected 140 × 6/12 = 70 亿元: 68 − 70 = −2 亿元; completion 48.57 % vs 序时 50 % → −1.43 points
    assert kpi["gap"] == pytest.approx(-2.0)
    assert kpi["gap_points"] == pytest.approx(-1.43)
    assert kpi["progress"] == pytest.approx(68 / 140, abs=1e-4)
    table = cli.ok("targets", "list", "--as-of", "2022-06-30", env={"COLUMNS": "200"}).stdout
    row = next(line for line in table.splitlines() if "重点项目完成投资" in line)
    assert "-2亿元 (-1.43个百分点)" in row


@pytest.mark.parametrize(("value", "pace"), [
    (70, "on"),  # exactly the expected 70
    (76.9, "on"),  # (70 − 76.9)/70 = −9.9 %: better, but within the 10 % margin
    (77.1, "ahead"),  # −10.1 %: beyond the margin (the behind tolerance by default) → 超序时
    (65, "behind"),  # 7.1 % short → behind → 欠序时
    (150, "ahead"),  # the annual 140 already reached: achieved early, ahead
])  # fmt: skip
def test_pace_counts_ahead_on_and_behind(cli, seeded, value, pace):
    cli.ok("record", "key-project-investment", str(value), "--as-of", "2022-06")
    assert targets_at(cli, "2022-06-30")["key-project-investment"]["pace"] == pace


def test_the_ahead_margin_is_a_setting(cli, seeded):
    cli.ok("record", "key-project-investment", "75", "--as-of", "2022-06")  # 7.1 % better than 70
    assert targets_at(cli, "2022-06-30")["key-project-investment"]["pace"] == "on"
    cli.ok("config", "set", "pace.ahead", "0.05")
    assert targets_at(cli, "2022-06-30")["key-project-investment"]["pace"] == "ahead"
    cli.ok("config", "set", "pace.ahead", "0.2", "--target", "key-project-investment")
    assert targets_at(cli, "2022-06-30")["key-project-investment"]["pace"] == "on"


def test_the_report_counts_pace_as_offices_do(cli, seeded):
    cli.ok("record", "key-project-investment", "80", "--as-of", "2022-06")  # ahead
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-06")  # on (rates: 0.1 point better, margin 1)
    cli.ok("record", "industry", "7.0", "--as-of", "2022-06")  # behind
    report = as_json(cli.ok("report", "--format", "json", "--as-of", "2022-06-30"))
    assert report["pace"] == {"ahead": 1, "on": 1, "behind": 1}
    text = cli.ok("report", "--as-of", "2022-06-30").stdout
    assert "超序时 1 · 达序时 1 · 欠序时 1" in text


def test_no_verdict_at_year_end_from_a_part_year_figure(cli, seeded):
    cli.ok("record", "gdp", "7.9", "--as-of", "2022-09", env=YEAR_OVER)  # 1–9月
    report = as_json(cli.ok("report", "--format", "json", "--as-of", "2022-12-31"))
    gdp = by_key(report["targets"])["gdp"]
    assert gdp["status"] == "behind" and gdp["part_year"] is True  # 0.6 points short, not "missed"
    assert report["as_of_after_today"] is True  # HNREPORT_TODAY is 2022-07-15
    text = cli.ok("report", "--as-of", "2022-12-31").stdout
    assert "(截至1-9月) *" in text and "晚于今天" in text and "未完成" not in text.split("工作任务")[0]
    cli.ok("record", "gdp", "7.9", "--as-of", "2022年全年", "--vintage", "final", env=YEAR_OVER)
    gdp = by_key(as_json(cli.ok("report", "--format", "json", "--as-of", "2022-12-31"))["targets"])["gdp"]
    assert gdp["status"] == "missed" and gdp["part_year"] is False


def test_january_before_the_annual_figures_are_out_shows_pace(cli, seeded):
    cli.ok("record", "gdp", "8.6", "--as-of", "2022-09", env=YEAR_OVER)
    gdp = by_key(as_json(cli.ok("report", "--format", "json", "--as-of", "2023-01-31",
                                env={"HNREPORT_TODAY": "2023-02-01"}))["targets"])["gdp"]  # fmt: skip
    assert gdp["status"] == "on_pace" and gdp["pace"] == "on"


def test_a_final_figure_is_preferred_over_a_later_preliminary_one(cli, seeded):
    # The year's 统计公报 figure (final) is in; then the December 月报 (preliminary) is imported
    # again: the period stays read by the final figure, and the preliminary one is kept.
    cli.ok("record", "gdp", "8.6", "--as-of", "2022", "--vintage", "final", env=YEAR_OVER)
    said = cli.ok("record", "gdp", "8.1", "--as-of", "2022", env=YEAR_OVER)
    assert targets_at(cli, "2022-12-31")["gdp"]["latest"] == pytest.approx(8.6)
    assert targets_at(cli, "2022-12-31")["gdp"]["status"] == "achieved"
    states = {(o["value"], o["vintage"]): o["state"] for o in as_json(cli.ok("history", "gdp", "--format", "json"))}
    assert states == {(8.6, "final"): "current", (8.1, "preliminary"): "superseded"}
    log = cli.ok("log", "--format", "json").stdout
    assert "the final figure 8.6" in log and "stands" in log
    assert "the final figure for that period stands" in said.stdout + said.stderr

    # A later final figure is a revision of the final one.
    cli.ok("record", "gdp", "8.7", "--as-of", "2022", "--vintage", "final", env=YEAR_OVER)
    assert targets_at(cli, "2022-12-31")["gdp"]["latest"] == pytest.approx(8.7)
    # Retracting both final figures leaves the preliminary one current again.
    for o in as_json(cli.ok("history", "gdp", "--format", "json")):
        if o["vintage"] == "final" and o["state"] == "current":
            cli.ok("retract", str(o["id"]), "--reason", "口径有误")
    assert targets_at(cli, "2022-12-31")["gdp"]["latest"] == pytest.approx(8.6)
    for o in as_json(cli.ok("history", "gdp", "--format", "json")):
        if o["vintage"] == "final" and o["state"] == "current":
            cli.ok("retract", str(o["id"]), "--reason", "口径有误")
    assert targets_at(cli, "2022-12-31")["gdp"]["latest"] == pytest.approx(8.1)
    assert targets_at(cli, "2022-12-31")["gdp"]["status"] == "missed"


def test_a_preliminary_figure_revises_a_preliminary_one(cli, seeded):
    cli.ok("record", "gdp", "5.1", "--as-of", "2022-06")
    cli.ok("record", "gdp", "5.3", "--as-of", "2022-06")
    assert targets_at(cli, "2022-06-30")["gdp"]["latest"] == pytest.approx(5.3)
    assert "revised gdp = 5.3% for 2022-06-30 (preliminary), was 5.1" in cli.ok("log", "--format", "json").stdout
