"""Chinese first (issue 16): what the tool shows can be typed back — every status, section,
kind, role, frequency, vintage and light preset by its Chinese label as well as its code."""

from __future__ import annotations

import pytest

from helpers import YEAR_OVER, as_json, assert_refused, dump


@pytest.mark.parametrize("given", ["推进中", "in_progress", "in progress", "IN_PROGRESS", "推进中 "])
def test_a_milestone_status_by_its_label_or_code(cli, seeded, given):
    cli.ok("milestones", "set", "tugutang-bridge", given, "--as-of", "2022-06")
    listed = as_json(cli.ok("milestones", "list", "--as-of", "2022-06-30", "--format", "json"))
    assert next(m for m in listed if m["key"] == "tugutang-bridge")["status"] == "in_progress"


@pytest.mark.parametrize(("given", "code"), [("滞后", "stalled"), ("停滞", "stalled"), ("滞后/停滞", "stalled"),
                                             ("取消", "dropped"), ("已完成", "done"), ("未评估", "not_rated")])  # fmt: skip
def test_each_part_of_a_two_word_label_names_the_status(cli, seeded, given, code):
    listed = as_json(cli.ok("milestones", "list", "--status", given, "--format", "json"))
    assert all(m["status"] == code for m in listed)
    if code == "not_rated":
        assert len(listed) == 122  # nothing rated yet: every seeded commitment


@pytest.mark.parametrize(("given", "code"), [("滞后", "behind"), ("严重滞后", "far_behind"), ("符合序时", "on_pace"),
                                             ("暂无数据", "no_data"), ("no data", "no_data")])  # fmt: skip
def test_a_target_status_and_kind_by_label(cli, seeded, given, code):
    cli.ok("record", "key-project-investment", "60", "--as-of", "2022-06")  # 60 of 70 expected: 14 % short → far behind
    cli.ok("record", "gdp", "8.0", "--as-of", "2022-06")  # 0.5 points under 8.5: behind
    cli.ok("record", "industry", "9.5", "--as-of", "2022-06")  # above 9: on pace
    every = as_json(cli.ok("targets", "list", "--as-of", "2022-06-30", "--format", "json"))
    listed = as_json(cli.ok("targets", "list", "--status", given, "--as-of", "2022-06-30", "--format", "json"))
    assert listed and listed == [t for t in every if t["status"] == code]
    by_kind = as_json(cli.ok("targets", "list", "--kind", "增速", "--format", "json"))
    assert by_kind and {t["kind"] for t in by_kind} == {"growth_rate"}


@pytest.mark.parametrize("given", ["development", "(二)千方百计谋发展", "（二）千方百计谋发展", "千方百计谋发展", "二", "(二)",
                                   "Every effort for development"])  # fmt: skip
def test_a_section_by_its_code_title_or_number(cli, seeded, given):
    listed = as_json(cli.ok("targets", "list", "--section", given, "--format", "json"))
    assert listed and {t["section"] for t in listed} == {"development"}


def test_the_main_targets_section_by_its_title_and_a_repaired_number(cli, seeded):
    assert {t["section"] for t in as_json(cli.ok("report", "--section", "主要预期目标", "--format", "json"))["targets"]} == {"main"}
    # (三) is printed as a repair, [(三)]: typed without the brackets it still names the section
    listed = as_json(cli.ok("milestones", "list", "--section", "三", "--format", "json"))
    assert listed and {m["section"] for m in listed} == {"livelihood"}


def test_role_frequency_vintage_and_preset_by_label(cli, seeded):
    cli.ok("assign", "gdp", "县统计局", "--role", "配合", "--new")
    assert "县统计局" in cli.ok("targets", "show", "gdp").stdout
    cli.ok("record", "gdp", "8.6", "--as-of", "2022", "--vintage", "最终核实", env=YEAR_OVER)
    assert as_json(cli.ok("history", "gdp", "--format", "json"))[0]["vintage"] == "final"
    cli.ok("targets", "add", "parking", "--name-zh", "新增停车位", "--section", "竭尽全力惠民生", "--kind", "累计",
           "--value", "500", "--unit", "个", "--frequency", "季度", "--comparator", "≥")  # fmt: skip
    added = next(t for t in as_json(cli.ok("targets", "list", "--format", "json")) if t["key"] == "parking")
    assert (added["section"], added["kind"], added["frequency"], added["comparator"]) == ("livelihood", "cumulative", "quarterly", ">=")
    assert cli.ok("config", "set", "light.preset", "百分点差距").stdout.strip() == "light.preset = points"


def test_an_unknown_label_is_refused_with_the_choices_both_ways(cli, seeded):
    before = dump(seeded)
    result = cli("milestones", "set", "tugutang-bridge", "好")
    assert_refused(result, before, seeded, line=(
        "error: unknown status '好'; choose one of: done (已完成), in_progress (推进中), not_started (未启动), "
        "stalled (滞后/停滞), dropped (已调整/取消), not_rated (未评估)"))
    result = cli("targets", "list", "--section", "六")
    assert result.exit_code == 1 and "unknown section '六'; choose one of: main (主要预期目标), stability ((一)坚定不移保稳定)" in result.stderr


def test_help_lists_codes_with_their_chinese_labels(cli):
    out = " ".join(cli.ok("milestones", "set", "--help").stdout.split())  # as click wraps it
    assert "in_progress (推进中)" in out and "stalled (滞后/停滞)" in out
    out = " ".join(cli.ok("targets", "list", "--help").stdout.split())
    assert "behind (滞后)" in out and "growth_rate (增速)" in out


@pytest.mark.parametrize(("days", "zh", "en"), [(-15, "逾期15天", "15 days overdue"), (-1, "逾期1天", "1 day overdue"),
                                                (0, "今天到期", "due today"), (1, "还有1天", "in 1 day"), (3, "还有3天", "in 3 days")])  # fmt: skip
def test_days_to_a_deadline_are_said_as_an_office_says_them(days, zh, en):
    from hnreport import words

    assert (words.days_word(days, "zh"), words.days_word(days, "en")) == (zh, en)


def test_due_writes_overdue_days_right_aligned(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-07-10")
    out = cli.ok("due", "--as-of", "2022-07-15", env={"HNREPORT_TODAY": "2022-07-15", "COLUMNS": "120"}).stdout
    import re

    assert re.search(r"┃ {2,}期限 ┃", out)  # right-aligned: the header pads on its left
    assert "│ 2022-07-10 │ 逾期5天 │" in out
    en = cli.ok("--lang", "en", "due", "--as-of", "2022-07-15", env={"HNREPORT_TODAY": "2022-07-15", "COLUMNS": "160"}).stdout
    assert "│ 5 days overdue │" in en


@pytest.mark.parametrize(("tz", "shown"), [("UTC", "2022-07-15 10:23 UTC"), ("Asia/Shanghai", "2022-07-15 18:23 UTC+8"),
                                           ("Asia/Kolkata", "2022-07-15 15:53 UTC+5:30"),
                                           ("America/New_York", "2022-07-15 06:23 UTC-4")])  # fmt: skip
def test_one_format_for_times_local_with_the_zone(monkeypatch, tz, shown):
    import time

    from hnreport.render.common import short_time

    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert short_time("2022-07-15T10:23:47+00:00") == shown
    finally:
        monkeypatch.undo()
        time.tzset()


def test_milestones_show_gives_every_time_in_that_one_format(cli, seeded):
    import re

    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    cli.ok("milestones", "set", "tugutang-bridge", "推进中", "--as-of", "2022-06")
    shown = cli.ok("milestones", "show", "tugutang-bridge", env={"COLUMNS": "120"}).stdout
    assert "T" not in "".join(re.findall(r"\d{4}-\d\d-\d\d\S*", shown)).replace("2022-09-30", "")
    assert len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", shown)) == 2  # the deadline's and the status's


def _cells(line: str) -> int:
    """Cells a terminal that draws East Asian ambiguous characters wide gives ``line``."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)


def _table_blocks(out: str) -> list[list[str]]:
    blocks, current = [], []
    for line in out.splitlines():
        if line.startswith(("+=", "+-", "|")):
            if current and current[-1].startswith("+-") and line.startswith("+="):  # the next table begins
                blocks.append(current)
                current = []
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


@pytest.mark.parametrize("args", [
    ("report",), ("targets", "list"), ("report", "--by", "unit"), ("due", "--as-of", "2022-07-15"), ("milestones", "list"),
    ("milestones", "show", "tugutang-bridge"), ("lights", "--to", "2022-06"), ("history", "key-project-investment"),
    ("units", "list"), ("log",),
])  # fmt: skip
@pytest.mark.parametrize("how", ["--ascii", "config"])
def test_ascii_tables_stay_aligned_when_ambiguous_characters_are_drawn_wide(cli, seeded, args, how):
    cli.ok("record", "key-project-investment", "60", "--as-of", "2022-06", "--note", "“双控”·进度 — 见附件")
    cli.ok("record", "gdp", "5.1", "--as-of", "2022-06")
    cli.ok("milestones", "due", "tugutang-bridge", "2022-07-10")
    cli.ok("milestones", "set", "tugutang-bridge", "推进中", "--as-of", "2022-06", "--problems", "征地·拆迁滞后")
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    if how == "config":
        cli.ok("config", "set", "display.symbols", "ascii")
        out = cli.ok(*args, env={"COLUMNS": "160", "HNREPORT_TODAY": "2022-07-15"}).stdout
    else:
        out = cli.ok("--ascii", *args, env={"COLUMNS": "160", "HNREPORT_TODAY": "2022-07-15"}).stdout
    blocks = _table_blocks(out)
    assert blocks, out
    for block in blocks:
        import unicodedata

        assert not [ch for line in block for ch in line if unicodedata.east_asian_width(ch) == "A"], block
        assert len({_cells(line) for line in block}) == 1, "\n".join(block)


def test_without_ascii_the_marks_stay(cli, seeded):
    out = cli.ok("targets", "list").stdout
    assert "≥8.5%" in out and "┃" in out and "○ 暂无数据" in out
