"""Seeing the year (issue 12 #7): a target's figures against the 序时 line in `targets show`, and
`lights --values`, the figures month by month in the grid.

key-project-investment is ≥140 亿元, monthly and cumulative: expected to date at a month end is
140 × m/12. gdp is a growth rate (≥8.5 %): its line is the target, the same all year.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from helpers import as_json
from hnreport.domain.model import Observation, Plan, Revision, Target
from hnreport.domain.periods import month_end
from hnreport.domain.progress import DEFAULT_RULES, assess
from hnreport.domain.series import SeriesPoint, expected_on, year_series
from hnreport.render.chart import year_chart

PLAN = Plan("hengnan-2022", "衡南县2022年政府工作报告", "Hengnan County 2022 Government Work Report", 2022)
KPI = Target("key-project-investment", "重点项目完成投资", "Investment completed in key projects", "development",
             "cumulative", ">=", 140.0, "亿元", "monthly")  # fmt: skip
GDP = Target("gdp", "地区生产总值增长", "GDP growth", "main", "growth_rate", ">=", 8.5, "%", "quarterly")
FIGURES = [(20, "2022-02-28"), (31, "2022-03-31"), (58.4, "2022-05-31"), (66, "2022-06-30")]


def observations(key: str, figures, state: str = "current") -> list[Observation]:
    return [Observation(i + 1, key, v, date.fromisoformat(d), "2022-07-01T00:00:00+00:00", state=state) for i, (v, d) in enumerate(figures)]


# ── the series: each figure with its expected value, each month end without one ─────────────
def test_the_series_has_every_figure_and_each_month_end_without_one_with_expected_to_date():
    points = year_series(KPI, observations(KPI.key, FIGURES), PLAN, DEFAULT_RULES)
    assert [(p.day.month, p.value, round(p.expected, 2)) for p in points] == [
        (1, None, 11.67), (2, 20, 23.33), (3, 31, 35.0), (4, None, 46.67), (5, 58.4, 58.33), (6, 66, 70.0),
        (7, None, 81.67), (8, None, 93.33), (9, None, 105.0), (10, None, 116.67), (11, None, 128.33), (12, None, 140.0),
    ]  # fmt: skip


def test_a_mid_month_figure_is_measured_at_its_own_period_end_and_superseded_ones_are_left_out():
    figures = observations(KPI.key, [(40, "2022-04-15"), (41, "2022-04-30")])
    figures.append(Observation(9, KPI.key, 39, date(2022, 4, 30), "x", state="superseded"))
    # months basis: 3 completed months on 04-15 → 35; 4 on 04-30 → 46.67
    points = [p for p in year_series(KPI, figures, PLAN, DEFAULT_RULES) if p.day.month == 4]
    assert [(p.day.day, p.value, round(p.expected, 2)) for p in points] == [(15, 40, 35.0), (30, 41, 46.67)]


def test_a_growth_rates_line_is_its_target_and_a_revision_moves_the_line_from_its_date():
    assert {p.expected for p in year_series(GDP, observations("gdp", [(4.8, "2022-03-31")]), PLAN, DEFAULT_RULES)} == {8.5}
    revised = KPI._replace(revisions=(Revision(150.0, date(2022, 7, 1), "年中调整"),))
    points = {p.day.month: p.expected for p in year_series(revised, [], PLAN, DEFAULT_RULES)}
    assert (round(points[6], 2), round(points[7], 2), points[12]) == (70.0, 87.5, 150.0)  # 140 × 6/12; 150 × 7/12


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("target", [KPI, GDP], ids=["cumulative", "growth-rate"])
def test_the_line_is_what_the_status_is_measured_against(target, month):
    day = month_end(2022, month)
    figure = Observation(1, target.key, 1.0, day, "x")
    assert expected_on(target, day, PLAN, DEFAULT_RULES) == pytest.approx(assess(target, figure, day, PLAN, DEFAULT_RULES).expected)


# ── the chart ────────────────────────────────────────────────────────────────────────────
# 40 characters for 0–140 亿元: 2/7 of a character per 亿元, bars to an eighth of a character.
#   20 → 5.71 chars = 46 eighths: █████▊; its line 23.33 → column 7
#   31 → 8.86 chars = 71 eighths: ████████▉; line 35 → column 10
#   58.4 → 16.69 chars = 133 eighths: 16 █ and ▋; line 58.33 → column 17, right after it
KPI_CHART = """\
走势  █ 实际值  ┃ 序时应达
 1月    ┃
 2月 █████▊ ┃  20亿元
 3月 ████████▉ ┃  31亿元
 4月              ┃
 5月 ████████████████▋┃  58.4亿元
 6月 ██████████████████▉ ┃  66亿元
 7月                        ┃
 8月                            ┃
 9月                               ┃
10月                                  ┃
11月                                      ┃
12月                                         ┃
     0亿元                             140亿元"""


def test_the_chart_draws_each_figure_against_the_line_to_an_eighth_of_a_character():
    points = year_series(KPI, observations(KPI.key, FIGURES), PLAN, DEFAULT_RULES)
    assert "\n".join(year_chart(points, "亿元", True, "zh")) == KPI_CHART


def test_a_negative_growth_rate_is_drawn_left_of_zero_against_the_target_line():
    # scale −0.5 … 9.1 %: 40/9.6 characters per point; zero at column 2, the target 8.5 at column 38
    points = year_series(GDP, observations("gdp", [(4.8, "2022-03-31"), (-0.5, "2022-06-30"), (9.1, "2022-09-30")]),
                         PLAN, DEFAULT_RULES)  # fmt: skip
    lines = year_chart(points, "%", False, "en")
    assert lines[0] == "the year  █ figure  ┃ target"
    assert lines[3] == "Mar   ████████████████████                ┃  4.8%"  # 4.8 × 4.17 = 20 characters
    assert lines[6] == "Jun ██                                    ┃  -0.5%"
    assert lines[9] == "Sep   ████████████████████████████████████┃▉  9.1%"  # 9.1 reaches past the line
    assert lines[-1] == "    -0.5%                                9.1%"


def test_a_flat_series_still_has_a_scale():
    points = [SeriesPoint(month_end(2022, m), None, 0.0) for m in range(1, 13)]
    assert year_chart(points, None, False, "zh")[-1] == "     0" + " " * 39 + "1"  # 0 … 1: the scale of nothing


def test_targets_show_draws_the_chart_and_gives_expected_to_date_for_each_figure(cli, seeded):
    for value, day in FIGURES:
        cli.ok("record", KPI.key, str(value), "--as-of", day)
    cli.ok("record", KPI.key, "30", "--as-of", "2022-03-31")  # a revision: the first 3月 figure is superseded
    out = cli.ok("targets", "show", KPI.key).stdout
    # 30 → 8.57 characters = 69 eighths: 8 █ and ▋
    assert KPI_CHART.replace("████████▉ ┃  31亿元", "████████▋ ┃  30亿元") in "\n".join(line.rstrip() for line in out.splitlines())
    rows = {m.group(1): m.group(2) for m in re.finditer(r"│ \d+\s+│ (2022-\d\d-\d\d) │\s+\S+ │\s*(\S*) │", out)}
    assert rows == {"2022-06-30": "70亿元", "2022-05-31": "58.33亿元", "2022-03-31": "", "2022-02-28": "23.33亿元"}
    assert re.search(r"│ \d+\s+│ 2022-03-31 │\s+30亿元 │\s+35亿元 │", out)  # the current figure of March


def test_targets_show_without_figures_draws_no_chart(cli, seeded):
    out = cli.ok("targets", "show", "gdp").stdout
    assert "走势" not in out and "尚无记录" in out


# ── lights --values ──────────────────────────────────────────────────────────────────────
def _record_kpi_and_gdp(cli):
    for value, day in FIGURES:
        cli.ok("record", KPI.key, str(value), "--as-of", day)
    cli.ok("record", "gdp", "4.8", "--as-of", "2022Q1")


def test_lights_values_puts_each_months_figure_with_its_unit_in_the_grid(cli, seeded):
    _record_kpi_and_gdp(cli)
    out = cli.ok("lights", "--values", "--to", "2022-06", "--section", "development").stdout
    assert re.search(r"│ 重点项目完成投资\s+│\s+· │ 20亿元 │ 31亿元 │\s+· │ 58.4亿元 │ 66亿元\s*│", out)
    assert re.search(r"│ 电子信息产业产值\s+│\s+· │\s+· │\s+· │\s+· │\s+· │\s+·\s*│", out)
    markdown = cli.ok("lights", "--values", "--to", "2022-06", "--format", "markdown").stdout
    assert "| 重点项目完成投资 | · | 20亿元 | 31亿元 | · | 58.4亿元 | 66亿元 |" in markdown
    assert "| 地区生产总值增长 | · | · | 4.8% | · | · | · |" in markdown


def test_lights_values_json_and_csv_give_the_numbers(cli, seeded):
    _record_kpi_and_gdp(cli)
    data = as_json(cli.ok("lights", "--values", "--to", "2022-03", "--format", "json"))
    assert data["months"] == ["2022-01-31", "2022-02-28", "2022-03-31"]
    rows = {t["key"]: t for t in data["targets"]}
    assert rows[KPI.key]["unit"] == "亿元"
    assert rows[KPI.key]["values"] == {"2022-01-31": None, "2022-02-28": {"value": 20.0, "as_of": "2022-02-28", "decimals": 0},
                                       "2022-03-31": {"value": 31.0, "as_of": "2022-03-31", "decimals": 0}}  # fmt: skip
    assert rows["gdp"]["values"]["2022-03-31"] == {"value": 4.8, "as_of": "2022-03-31", "decimals": 1}
    assert "lights" not in rows["gdp"]
    csv_lines = cli.ok("lights", "--values", "--to", "2022-03", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "key,unit,2022-01-31,2022-02-28,2022-03-31"
    assert f"{KPI.key},亿元,,20,31" in csv_lines  # as published (recorded as 20 and 31), not 20.0


def test_lights_without_values_still_gives_the_marks(cli, seeded):
    _record_kpi_and_gdp(cli)
    data = json.loads(cli.ok("lights", "--to", "2022-03", "--format", "json").stdout)
    assert "lights" in data["targets"][0] and "values" not in data["targets"][0]
