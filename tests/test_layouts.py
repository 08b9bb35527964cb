"""Layouts that hold (issue 16 points 6-7): at 80 and 120 columns, in both languages, every line
fits, and dates, statuses and the figure's period are never split; the columns keep one order at
every width; below 70 columns the report stacks each target; at 40 nothing is lost."""

from __future__ import annotations

import re

import pytest

from helpers import as_json
from hnreport.render.grid import cell_len


@pytest.fixture
def month(cli, seeded):
    """A July of work: figures, a milestone behind its deadline with long texts, units assigned."""
    cli.ok("record", "gdp", "5.1", "--as-of", "2022-06")
    cli.ok("record", "key-project-investment", "60", "--as-of", "2022-06")
    cli.ok("record", "industry", "9.6", "--as-of", "2022-06")
    cli.ok("assign", "gdp", "县发展和改革局", "--new")
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    cli.ok("milestones", "due", "tugutang-bridge", "2022-07-10")
    cli.ok("milestones", "set", "tugutang-bridge", "推进中", "--as-of", "2022-06",
           "--progress", "主桥完成80%，引道路基完成60%", "--problems", "征地拆迁滞后，影响引道施工进度，需要县自然资源局协调",
           "--next", "加快征拆，7月底前完成引道路基")  # fmt: skip
    return cli


VIEWS = [
    ("report",), ("report", "--sort", "status"), ("report", "--by", "unit"), ("targets", "list"), ("milestones", "list"),
    ("milestones", "show", "tugutang-bridge"), ("targets", "show", "gdp"), ("due",), ("history", "gdp"), ("units", "list"),
    ("lights",),
]  # fmt: skip
# Whole, on one line, wherever they are shown: dates, statuses, periods and overdue days.
# Each with the shortest start that would show it broken (a bare ▼▼ or Jan is a lights cell).
WHOLE = {
    "zh": [("2022-07-10", 5), ("▼▼ 严重滞后", 4), ("1-6月", 3), ("▶ 推进中", 3), ("逾期5天", 3), ("地区生产总值增长", 2)],
    "en": [("2022-07-10", 5), ("▼▼ far behind", 4), ("Jan–Jun", 4), ("▶ in progress", 3), ("5 days overdue", 3),
           ("GDP growth", 5)],
}


def shown(cli, width: int, lang: str, *args: str) -> str:
    return cli.ok("--lang", lang, *args, env={"COLUMNS": str(width), "HNREPORT_TODAY": "2022-07-15"}).stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_every_line_fits_and_nothing_is_split(month, width, lang, args):
    out = shown(month, width, lang, *args)
    too_wide = [line for line in out.splitlines() if cell_len(line.rstrip()) > width]
    assert not too_wide, "\n".join(too_wide)
    assert not re.search(r"\d{4}-\d\d-?\s*[│┃]?\s*$", out, re.M), "a date cut at the line's end"
    assert not re.search(r"\d{4}-\d\d-(?!\d\d)", out), "a date split"
    # a cell (or a line) ending in the start of one of them: it was broken there
    pieces = {w[:k] for w, shortest in WHOLE[lang] for k in range(shortest, len(w))
              if re.search(re.escape(w[:k]) + r"[ ]*(?:[│┃]|$)", out, re.M)}  # fmt: skip
    assert not pieces, f"split: {pieces}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_keeps_the_figures_period_and_one_column_order_at_every_width(month, lang):
    heads = {"zh": ["指标", "牵头单位", "2021年", "2022目标", "最新值", "截至", "序时应达", "差距", "完成率/序时", "预计全年", "进度", "状态"],
             "en": ["target", "lead unit", "2021", "2022 target", "latest", "as of", "expected", "gap", "done/schedule", "projected",
                    "progress", "status"]}[lang]  # fmt: skip
    for width in (80, 120, 200):
        out = shown(month, width, lang, "report")
        header = next(line for line in out.splitlines() if line.startswith("┃"))
        cols = [c.strip() for c in header.strip("┃").split("┃")]
        assert cols == [h for h in heads if h in cols], (width, cols)  # the one order
        assert heads[5] in cols and heads[0] in cols and heads[-1] in cols  # name, period and status everywhere
        gdp = next(line for line in out.splitlines() if WHOLE[lang][5][0] in line)
        assert ("1-6月" if lang == "zh" else "Jan–Jun") in gdp or "2022-06-30" in gdp


def test_at_80_columns_a_listing_shows_the_name_or_the_key_not_both(month):
    zh = shown(month, 80, "zh", "targets", "list")
    assert "地区生产总值增长" in zh and "│ gdp " not in zh
    en = shown(month, 80, "en", "targets", "list")
    assert "│ gdp " in en and "GDP growth" not in en
    assert "tugutang-bridge" not in shown(month, 80, "zh", "milestones", "list")
    wide = shown(month, 240, "zh", "targets", "list")  # both where the table fits with both
    assert "│ gdp " in wide and "地区生产总值增长" in wide
    medium = shown(month, 120, "zh", "targets", "list")  # else the name
    assert "地区生产总值增长" in medium and "│ gdp " not in medium


def test_a_units_own_group_does_not_repeat_its_name_as_the_lead(month):
    out = shown(month, 80, "zh", "report", "--by", "unit")
    group = out.split("县交通运输局", 1)[1].split("\n\n", 1)[0]
    assert "土谷塘大桥通车" in group and "牵头单位" not in group


def test_the_rule_line_never_leaves_its_label_alone(month):
    out = shown(month, 80, "zh", "report")
    rule = next(line for line in out.splitlines() if line.startswith("亮灯规则"))
    assert len(rule) > len("亮灯规则：") + 10


@pytest.mark.parametrize("width", [40, 60])
def test_narrow_terminals_stack_and_lose_nothing(month, width):
    out = shown(month, width, "zh", "report")
    assert "┏" not in out.split("工作任务")[0]  # no table for the targets: one block each
    for t in as_json(month.ok("targets", "list", "--format", "json")):
        assert t["name_zh"] in out
    assert "▼▼ 严重滞后" in out and "(截至 1-6月)" in out
    for args in VIEWS:
        shown(month, width, "zh", *args)  # every view runs at this width
