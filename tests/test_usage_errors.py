"""Usage mistakes in the user's language: one line, exit 2, the database untouched (click says
them in English over three lines; English keeps click's own wording)."""

from __future__ import annotations

import pytest

from helpers import dump

CASES = [
    (("report", "--bogus"), "错误：没有 --bogus 这个选项；'hnreport report --help' 列出可用的选项"),
    (("--bogus", "report"), "错误：没有 --bogus 这个选项（是不是 --user？）；'hnreport --help' 列出可用的选项"),
    (("reprot",), "错误：没有 'reprot' 这个命令（是不是 'report', 'export', 'redo'？）；'hnreport --help' 列出可用的命令"),
    (("targets", "lst"), "错误：没有 'lst' 这个命令（是不是 'list'？）；'hnreport targets --help' 列出可用的命令"),
    (("record", "gdp"), "错误：缺少 'VALUE'；用法：hnreport record [OPTIONS] {KEY} {VALUE}"),
    (("report", "--as-of"), "错误：选项 --as-of 后面要跟一个值；'hnreport report --help' 说明它取什么值"),
    (("report", "extra"), "错误：多出了参数 extra；用法：hnreport report [OPTIONS]"),
    (("--db", "report"), "错误：缺少命令；'hnreport --help' 列出可用的命令"),
]


@pytest.mark.parametrize(("args", "line"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_a_usage_mistake_is_one_chinese_line(cli, seeded, db_path, chinese, args, line):
    before = dump(db_path)
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""
    assert dump(db_path) == before


def test_a_value_click_refuses_names_the_option_in_chinese(cli, seeded, chinese, tmp_path):
    result = cli("--db", "", "report")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["错误：--db 的值不对：要给出数据库文件名（或不用 --db，使用默认位置）；'hnreport --help' 说明它取什么值"]
    # --lang en given beside it counts, though the mistake comes before the language is taken
    assert "Invalid value for --db" in cli("--lang", "en", "--db", "", "report").stderr


def test_in_english_click_says_it_as_before(cli, seeded):
    result = cli("--lang", "en", "report", "--bogus")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr and "Usage: hnreport report" in result.stderr


def test_running_a_group_bare_still_shows_its_help(cli, seeded, chinese):
    result = cli("targets")
    assert "Usage: hnreport targets" in result.stdout + result.stderr
    assert "错误" not in result.stdout + result.stderr


def test_values_click_refuses_are_said_in_chinese(cli, seeded, chinese):
    assert cli("retract", "abc").stderr.splitlines() == ["错误：'ID' 的值不对：'abc' 不是整数；'hnreport retract --help' 说明它取什么值"]
    assert cli("--lang", "fr", "report").stderr.splitlines() == [
        "错误：--lang 的值不对：'fr' 不是可选的值（'zh', 'en'）之一；'hnreport --help' 说明它取什么值"]
