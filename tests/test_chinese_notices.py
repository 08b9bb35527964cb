"""Chinese first (issue 16, point 2): without --lang every word a user reads is Chinese — the
notices of every command, the journal, config show, db check — and --lang en is English
throughout, units included. Notices come from the catalogue only: a literal ``say("…")`` cannot
come back.

The conftest keeps the older tests' messages English; every test here asks for the real default
with the ``chinese`` fixture.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import hnreport
from helpers import PINNED_TODAY, seed_rows
from hnreport.errors import Message, Named, Word, from_stored, shown_stored, stored

PACKAGE = Path(hnreport.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


# ── notices are catalogue codes, never text ──────────────────────────────────────────────────
def _say_calls():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say":
                yield path.relative_to(PACKAGE), node


def _text_built(node: ast.expr) -> str | None:
    """Why ``node`` is text written in place rather than a catalogue message, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "a string literal"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp):
        return "text joined with +"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("text", "format", "join"):
        return f"a .{node.func.attr}() result (a message made text in one language)"
    if isinstance(node, ast.IfExp):
        return _text_built(node.body) or _text_built(node.orelse)
    return None


def test_every_notice_is_a_catalogue_message_never_text():
    calls, problems = 0, []
    for where, node in _say_calls():
        calls += 1
        if not node.args:
            problems.append(f"{where}:{node.lineno}: say() without a message")
            continue
        why = _text_built(node.args[0])
        if why:
            problems.append(f"{where}:{node.lineno}: say() given {why}; give it Message('code', …) from words/messages.py")
    assert calls > 40, calls  # the walk found the notices
    assert problems == []


def test_every_journal_summary_is_a_catalogue_message_never_text():
    """``store.change(action, summary)``: the summary is kept as a code and shown in the reader's
    language, so it is a Message, never English text."""
    calls, problems = 0, []
    for path in sorted((PACKAGE / "store").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "change"
                    and len(node.args) >= 2):  # fmt: skip
                calls += 1
                why = _text_built(node.args[1])
                if why:
                    problems.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: a journal summary given {why}")
    assert calls > 10, calls
    assert problems == []


def test_say_refuses_text_at_run_time():
    from hnreport.commands.context import say

    with pytest.raises(TypeError):
        say("recorded gdp")  # type: ignore[arg-type]


# ── what the journal keeps: the code and its fields, shown in the reader's language ────────────
def test_a_journal_summary_is_kept_as_a_code_and_old_english_rows_read_as_they_are():
    summary = Message("j_undid", change=3, summary=Message(
        "j_milestone_set", key="tugutang-bridge", status=Word("MILESTONE_STATUS", "done"), date="2022-07-01"))
    kept = stored(summary)
    assert "tugutang-bridge" in kept and "已完成" not in kept and "done as of" not in kept
    assert shown_stored(kept, "zh") == "撤销修改 3：tugutang-bridge → 已完成，截至 2022-07-01"
    assert shown_stored(kept, "en") == "undid change 3: tugutang-bridge → done as of 2022-07-01"
    old = "recorded gdp = 8.1 for 2022-03-31 (preliminary)"  # a row written by an earlier release
    assert from_stored(old) == old and shown_stored(old, "zh") == old
    assert shown_stored('{"m":"no_such_code","f":{}}', "zh") == '{"m":"no_such_code","f":{}}'
    assert Named("重点项目完成投资", "Investment in key projects").text("en") == "Investment in key projects"


def test_the_journal_shows_each_figure_with_its_unit_in_the_readers_language(cli, seeded, chinese):
    """A figure in a summary is kept as its published number and unit: 70.50亿元 in Chinese,
    every published digit kept in English (7.050bn yuan), for records, revisions and corrections."""
    cli.ok("record", "key-project-investment", "70.50", "--as-of", "2022-06-30")
    cli.ok("record", "key-project-investment", "71", "--as-of", "2022-06-30")
    cli.ok("correct", "2", "720000万元", "--reason", "核实")
    cli.ok("record", "gdp", "5.0", "--as-of", "2022-06-30")
    kept = json.loads(cli.ok("log", "--format", "json").stdout)
    assert [r["summary"] for r in kept] == [
        "录入 key-project-investment = 70.50亿元（2022-06-30，初步）",
        "修订 key-project-investment = 71亿元（2022-06-30，初步），原为 70.5（记录 1）",
        "更正 key-project-investment 的记录 2（2022-06-30）：71亿元 → 72亿元",
        "录入 gdp = 5.0%（2022-06-30，初步）",
    ]
    english = [r["summary"] for r in json.loads(cli.ok("--lang", "en", "log", "--format", "json").stdout)]
    assert english[0] == "recorded key-project-investment = 7.050bn yuan for 2022-06-30 (preliminary)"
    assert english[2] == "corrected observation 2 of key-project-investment for 2022-06-30: 7.1bn yuan → 7.2bn yuan"
    assert english[3] == "recorded gdp = 5.0% for 2022-06-30 (preliminary)"


def test_the_journal_follows_the_readers_language_and_keeps_older_rows(cli, seeded, chinese):
    cli.ok("record", "gdp", "8.1", "--as-of", "2022-03-31")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-07-01")
    import sqlite3

    conn = sqlite3.connect(seeded)
    with conn:  # a row an earlier hnreport wrote, in English text
        conn.execute("INSERT INTO journal (at, user, action, key, summary) VALUES "
                     "('2022-07-02T00:00:00+00:00', 'old', 'record', 'gdp', 'recorded gdp = 7 for 2022-03-31 (preliminary)')")
    conn.close()
    zh = cli.ok("log", "--format", "json")
    en = cli.ok("--lang", "en", "log", "--format", "json")

    assert [r["summary"] for r in json.loads(zh.stdout)] == [
        "录入 gdp = 8.1%（2022-03-31，初步）", "tugutang-bridge → 已完成，截至 2022-07-01",
        "recorded gdp = 7 for 2022-03-31 (preliminary)"]
    assert [r["summary"] for r in json.loads(en.stdout)] == [
        "recorded gdp = 8.1% for 2022-03-31 (preliminary)", "tugutang-bridge → done as of 2022-07-01",
        "recorded gdp = 7 for 2022-03-31 (preliminary)"]
    table = cli.ok("log").stdout
    for header in ("编号", "时间", "用户", "操作", "摘要", "原因"):
        assert header in table
    undone = cli.ok("undo").stdout
    assert undone == "已撤销修改 3：recorded gdp = 7 for 2022-03-31 (preliminary)\n"
    assert cli.ok("redo").stdout == "已重做修改 3：recorded gdp = 7 for 2022-03-31 (preliminary)\n"


# ── the main commands, as a user sees them by default ─────────────────────────────────────────
def test_the_main_commands_speak_chinese_by_default(cli, seeded, chinese, tmp_path):
    def said(*args: str) -> str:
        return cli.ok(*args).stdout

    assert said("record", "key-project-investment", "680000万元", "--as-of", "2022-05").splitlines() == [
        "已录入 key-project-investment（重点项目完成投资）= 68亿元，时期截至 2022-05-31（按所给日期，初步）；记录 1",
        "已将 680000万元 换算为 68亿元（该指标的单位）",
    ]
    assert said("record", "industry", "6") == (
        "已录入 industry（规模工业增加值增长）= 6%，时期截至 2022-06-30（按最近一个已结束的月度期，初步）；记录 2\n")
    assert said("record", "gdp", "51", "--as-of", "2022-06", "--yes").splitlines()[1] == (
        "已标记：疑似异常(已确认)（'hnreport history gdp' 可查看）")
    assert said("correct", "3", "5.1", "--reason", "核实") == "已更正 gdp 的记录 3：51 → 5.1（记录 4）\n"
    assert said("retract", "4", "--reason", "重复") == "已撤回 gdp 的记录 4（2022-06-30 的 5.1）\n"
    csv = tmp_path / "figs.csv"
    csv.write_text("key,value,as_of\ninvestment,9.0,2022-06\n", encoding="utf-8")
    assert said("import", str(csv), "--dry-run") == f"将导入 {csv}：新增 1，修订 0，未变 0\n"
    assert said("import", str(csv)) == f"已导入 {csv}：新增 1，修订 0，未变 0（修改 6；'hnreport undo' 可撤销）\n"
    assert said("undo") == f"已撤销修改 6：导入 {csv}：新增 1，修订 0，未变 0\n"
    assert said("redo") == f"已重做修改 6：导入 {csv}：新增 1，修订 0，未变 0\n"
    assert said("milestones", "set", "tugutang-bridge", "in_progress") == (
        "tugutang-bridge（土谷塘大桥通车）→ 推进中，截至 2022-07-15（按今天）；修改 9\n")
    assert said("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-06-30 主桥合龙") == (
        "tugutang-bridge 完成时限 2022-09-30，含 1 个时间节点\n")
    assert said("milestones", "extend", "tugutang-bridge", "--to", "2022-12-31", "--reason", "汛期") == (
        "tugutang-bridge 延期至 2022-12-31\n")
    assert said("units", "add", "县发展和改革局", "--alias", "发改局") == "单位 县发展和改革局（别名：发改局）\n"
    assert said("assign", "gdp", "发改局") == "县发展和改革局 → 指标 gdp 的牵头单位\n"
    assert said("assign", "gdp", "县财政局", "--new") == "县财政局 → 指标 gdp 的牵头单位（取代原牵头单位 县发展和改革局）\n"
    assert said("config", "set", "light.preset", "points") == "light.preset = points\n"
    assert said("config", "set", "pace.basis", "days", "--target", "gdp") == "pace.basis = days（指标 gdp）\n"
    assert said("targets", "revise", "key-project-investment", "150", "--effective", "2022-07-01", "--reason", "调整") == (
        "key-project-investment：目标 140 → 150亿元，自 2022-07-01 起\n")
    brief = tmp_path / "brief.md"
    result = cli.ok("report", "-o", str(brief))
    assert result.stderr == f"已写入 {brief}\n"
    assert said("db", "check").startswith("正常：")
    backup = tmp_path / "b.db"
    assert said("db", "backup", str(backup)).startswith(f"已将 {seeded} 备份到 {backup}（结构版本 ")


def test_english_is_english_throughout_units_included(cli, seeded):
    out = cli.ok("--lang", "en", "record", "key-project-investment", "680000万元", "--as-of", "2022-05").stdout
    assert out.splitlines() == [
        "recorded key-project-investment (Investment completed in key projects) = 6.8bn yuan for the period ending "
        "2022-05-31 (as given, preliminary); observation 1",
        "converted 680000万元 to 6.8bn yuan, the target's unit",
    ]
    shown = cli.ok("--lang", "en", "targets", "show", "key-project-investment").stdout
    assert "≥14.0bn yuan" in shown and "6.8bn yuan (2022-05-31)" in shown
    assert "light rule" in shown and "default: relative ≤10% short; pace by months" in shown
    quoted = ("wording", "names in tables", "2021 baseline", "name ")  # the report's own words (原文) and names
    assert [line for line in shown.splitlines() if "亿元" in line and not line.startswith(quoted)] == []
    cli.ok("record", "grain-area", "138", "--as-of", "2022-06")
    grain = cli.ok("--lang", "en", "targets", "show", "grain-area").stdout
    assert "≥1.38M mu" in grain and "1.38M mu (2022-06-30)" in grain
    assert [line for line in grain.splitlines() if "万亩" in line and not line.startswith(quoted)] == []


def test_an_amount_shown_in_english_can_be_typed_back_as_shown(cli, seeded):
    """What --lang en shows (6.8bn yuan for 68亿元, 1.38M mu for 138万亩) is read back as that
    figure, decimals as written."""
    cli.ok("--lang", "en", "record", "key-project-investment", "7.050bn yuan", "--as-of", "2022-06")
    cli.ok("--lang", "en", "record", "grain-area", "1.38M", "--as-of", "2022-06")
    figures = {row["key"]: (row["latest"], row["latest_decimals"] if "latest_decimals" in row else None)
               for row in json.loads(cli.ok("targets", "list", "--format", "json").stdout)}
    assert figures["key-project-investment"][0] == 70.5 and figures["grain-area"][0] == 138
    assert "7.050bn yuan" in cli.ok("--lang", "en", "history", "key-project-investment").stdout
    assert "70.50亿元" in cli.ok("history", "key-project-investment").stdout


def test_every_unit_in_the_plan_has_english_words():
    from hnreport.words import UNIT_EN

    units = {row.get("unit") for file, table in (("targets.toml", "target"), ("results.toml", "result")) for row in seed_rows(file, table)}
    assert sorted(u for u in units if u and u not in UNIT_EN) == []
    for unit, (places, english) in UNIT_EN.items():
        assert places in (0, 1, 2) and not CJK.search(english), unit


# ── a walk over the commands: nothing English in Chinese output ────────────────────────────────
def _walk(tmp: Path) -> list[tuple[str, ...]]:
    csv = tmp / "figs.csv"
    csv.write_text("key,value,as_of\ngdp,5.0,2022-06\nindustry,7,2022-06\n", encoding="utf-8")
    plan = tmp / "分工方案.csv"
    plan.write_text("序号,工作任务,牵头单位,配合单位,完成时限\n1,土谷塘大桥通车,县交通运输局,县财政局,2022年9月底前\n",
                    encoding="utf-8")
    return [
        ("db", "init"), ("db", "path"), ("db", "check"),
        ("record", "gdp", "8.1", "--as-of", "2022-03-31", "--note", "一季度"),
        ("record", "key-project-investment", "680000万元", "--as-of", "2022-05"),
        ("record", "key-project-investment", "70亿", "--as-of", "2022-06"),
        ("record", "investment", "9", "--as-of", "2022-06", "--known-from", "2022-07-10"),
        ("record", "retail", "5", "--as-of", "2022-09", "--force"),
        ("record", "gdp", "51", "--as-of", "2022-06", "--yes"),
        ("record", "gdp", "8.2", "--as-of", "2022-03-31", "--vintage", "final"),
        ("record", "gdp", "8.0", "--as-of", "2022-03-31"),
        ("record", "industry", "6"),
        ("history", "gdp"), ("correct", "3", "71", "--reason", "核实"), ("retract", "2", "--reason", "录入错误"),
        ("import", str(csv), "--dry-run"), ("import", str(csv)),
        ("export", "-o", str(tmp / "e.json")), ("export", "--format", "csv", "-o", str(tmp / "e.csv")),
        ("--db", str(tmp / "new.db"), "import", str(tmp / "e.json"), "--dry-run"),
        ("--db", str(tmp / "new.db"), "import", str(tmp / "e.json")),
        ("targets", "list"), ("targets", "show", "gdp"), ("targets", "show", "key-project-investment"),
        ("targets", "alias", "industry", "规上工业企业增加值"),
        ("targets", "add", "parking", "--name-zh", "新增停车位", "--section", "livelihood", "--kind", "cumulative",
         "--value", "500", "--unit", "个"),
        ("targets", "revise", "key-project-investment", "150", "--effective", "2022-07-01", "--reason", "调整"),
        ("results", "list"),
        ("config", "show"), ("config", "set", "light.preset", "points"), ("config", "set", "pace.basis", "days", "--target", "gdp"),
        ("milestones", "list"), ("milestones", "set", "tugutang-bridge", "in_progress", "--progress", "主桥"),
        ("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-06-30 主桥合龙"),
        ("milestones", "node", "tugutang-bridge", "2022-06-30", "met", "--note", "合龙"),
        ("milestones", "extend", "tugutang-bridge", "--to", "2022-12-31", "--reason", "汛期"),
        ("milestones", "add", "minsheng-01", "--name-zh", "新建停车位", "--section", "livelihood"),
        ("milestones", "show", "tugutang-bridge"), ("due",), ("glossary", "双碳"),
        ("units", "add", "县发展和改革局", "--alias", "发改局"), ("units", "add", "县交通运输局"),
        ("assign", "gdp", "发改局"), ("assign", "key-project-investment", "发改局"), ("assign", "gdp", "县财政局", "--new"),
        ("assign", "--from", str(plan), "--dry-run"), ("assign", "--from", str(plan)),
        ("units", "list"), ("units", "show", "发改局"),
        ("units", "sheet", "--all", "-o", str(tmp / "sheets")), ("units", "missing"),
        ("report",), ("report", "--by", "unit"), ("report", "-o", str(tmp / "brief.md")), ("lights",),
        ("bulletin", "--as-of", "2022-06-30"), ("bulletin", "--as-of", "2022-06-30", "--issue", "-o", str(tmp / "通报.md")),
        ("bulletin", "--reissue", "1", "--year", "2022"), ("orders", "draft", "--all", "--issue", "-o", str(tmp / "督办单") + "/"),
        ("orders", "list"), ("orders", "reply", "1", "--text", "已整改"), ("orders", "reply", "99", "--text", "已整改"),
        ("log",), ("undo",), ("redo",), ("undo", "--to", "2000-01-01", "--dry-run"),
        ("db", "backup", str(tmp / "b.db")), ("db", "restore", str(tmp / "b.db")), ("undo",), ("log",), ("db", "check"),
        ("record", "gpd", "5"), ("record", "gdp", "abc"), ("targets", "show", "nope"),
    ]


def _allowed_words() -> set[str]:
    """Words zh output may hold: keys and codes (the same in both languages), and the few names
    that are Latin in Chinese too."""
    keys = {row["key"] for file, table in (("targets.toml", "target"), ("milestones.toml", "milestone"),
                                           ("results.toml", "result")) for row in seed_rows(file, table)}
    from hnreport import words

    codes = set()
    for table in (words.STATUS, words.KIND, words.FREQUENCY, words.MILESTONE_STATUS, words.PRESET, words.BASIS,
                  words.RULE_CLASS, words.MEASURE, words.VINTAGE, words.ROLE, words.RANK_ORDER):
        codes |= set(table)
    return keys | codes | {"parking", "minsheng-01", "tester", "UTC", "GDP", "hnreport", "data"}


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")


def english_words(text: str, tmp: Path, allowed: set[str]) -> list[str]:
    text = text.replace(str(tmp), "")
    text = re.sub(r"'hnreport [^']*'", "", text)  # commands to type, as written
    text = re.sub(r"--[a-z][a-z-]*", "", text)  # option names
    text = re.sub(r"\S*\.(json|csv|xlsx|md|db|toml)\b\S*", "", text)  # file names
    text = re.sub(r"\b(light|pace|report|display|due|office|order|ranking)\.[a-z_.<>]+", "", text)  # setting keys
    text = re.sub(r"\b(milestones|targets|units|config|assign|db|bulletin|orders)\.[a-z]+\b", "", text)  # journal actions
    found = []
    for word in _LATIN.findall(text):
        word = word.strip(".-")
        if len(word) > 1 and word not in allowed and not word.isupper():
            found.append(word)
    return found


def test_a_walk_over_the_commands_shows_no_english_word_in_chinese(cli, db_path, chinese, tmp_path):
    allowed = _allowed_words() | {"record", "correct", "retract", "import", "undo", "redo", "assign"}  # the log's actions
    allowed |= {"gpd", "abc", "nope"}  # what the user typed, quoted back
    leaks = {}
    for args in _walk(tmp_path):
        result = cli(*args, env={"HNREPORT_USER": "tester", "COLUMNS": "400"})  # no path folded over two lines
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        words_found = english_words(result.stdout + result.stderr, tmp_path, allowed)
        if words_found:
            leaks[" ".join(a.replace(str(tmp_path), "") for a in args)] = sorted(set(words_found))
    assert not leaks, "\n".join(f"{args}: {found}" for args, found in leaks.items())


GBK_STEPS = {"db", "record", "import", "history", "correct", "retract", "targets", "config", "milestones", "log", "undo",
             "redo", "report", "due", "units", "assign"}


def test_the_walk_runs_on_a_gbk_console(db_path, tmp_path):
    """A Chinese Windows console (code page 936), as separate processes: the walk's commands (a
    sample of each kind) end normally, in Chinese, and what GBK cannot carry is never a traceback."""
    env = {**os.environ, "HNREPORT_DB": str(db_path), "HNREPORT_TODAY": PINNED_TODAY, "PYTHONIOENCODING": "gbk",
           "COLUMNS": "80", "HNREPORT_USER": "tester"}
    env.pop("HNREPORT_LANG", None)
    seen: set[tuple[str, ...]] = set()
    out, err, codes = [], [], []
    for args in _walk(tmp_path):
        head = tuple(a for a in args[:2] if not a.startswith("-"))
        if args[0] not in GBK_STEPS or (head in seen and args[0] not in ("record", "undo", "redo", "db", "units", "assign")):
            continue
        if "--from" in args or "sheet" in args or "--dry-run" in args:  # the workbooks' own paths are tested elsewhere
            continue
        seen.add(head)
        run = subprocess.run([sys.executable, "-m", "hnreport", *args], env=env, capture_output=True, timeout=120)
        out.append(run.stdout.decode("gbk"))  # every byte is GBK
        err.append(run.stderr.decode("gbk"))
        codes.append((args, run.returncode))
        assert b"Traceback" not in run.stderr, (args, run.stderr.decode("gbk", "replace"))
    assert [a for a, code in codes if code != 0] == [("record", "gpd", "5"), ("record", "gdp", "abc")]
    stdout, stderr = "".join(out), "".join(err)
    assert "已录入 gdp（地区生产总值增长）= 8.1%，时期截至 2022-03-31" in stdout
    assert "已撤销修改" in stdout and "已重做修改" in stdout
    assert "错误：未知指标 'gpd' — 是否想输入 'gdp'？" in stderr
    assert len(codes) > 20
