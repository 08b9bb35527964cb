"""The words catalogue: every message in Chinese and English, errors as codes, the boundary
showing them in the user's language."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import hnreport
from hnreport import words
from hnreport.errors import Alternatives, BadPeriod, HnreportError, Message, UnknownKey
from hnreport.words.messages import MESSAGES

PACKAGE = Path(hnreport.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def without_fields(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


# ── (a) the catalogue ──────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_chinese_and_english_with_the_same_fields(code):
    entry = MESSAGES[code]
    assert isinstance(entry, tuple) and len(entry) == 2, f"{code}: not a (zh, en) pair"
    zh, en = entry
    assert isinstance(zh, str) and zh.strip(), f"{code}: no Chinese text"
    assert isinstance(en, str) and en.strip(), f"{code}: no English text"
    assert fields(zh) == fields(en), f"{code}: zh names {sorted(fields(zh))}, en names {sorted(fields(en))}"
    if re.search(r"[A-Za-z]", without_fields(en)):  # English words need Chinese ones, not a copy
        assert CJK.search(without_fields(zh)), f"{code}: the Chinese text has no Chinese: {zh!r}"
    for template in entry:  # every template formats (number specs such as {value:g} included)
        template.format_map({name: 1.5 for name in fields(template)})
    assert "\n" not in zh + en, f"{code}: a message is one line"


def test_codes_are_snake_case_and_the_catalogue_is_reachable_from_words():
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in MESSAGES)
    assert words.MESSAGES is MESSAGES
    assert words.DEFAULT_MESSAGE_LANG in ("zh", "en")


def test_every_code_is_used_by_the_package():
    used = {
        node.value
        for path in PACKAGE.rglob("*.py")
        if "words" not in path.relative_to(PACKAGE).parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert sorted(set(MESSAGES) - used) == []


# ── errors render in either language; str() is English ────────────────────────────────────
def test_an_error_carries_its_code_and_fields_and_renders_in_both_languages():
    err = UnknownKey("unknown_key", kind=Message("noun_target"), key="gpd",
                     hint=Message("did_you_mean", choices=Alternatives(["gdp", "gdp-q"])))  # fmt: skip
    assert err.code == "unknown_key" and err.fields["key"] == "gpd"
    assert str(err) == err.text("en") == "unknown target 'gpd' — did you mean 'gdp' or 'gdp-q'?"
    assert err.text("zh") == "未知指标 'gpd' — 是否想输入 'gdp' 或 'gdp-q'？"


def test_quoted_input_is_shown_on_one_line_and_nested_errors_follow_the_language():
    inner = BadPeriod("bad_period_in_row", text="2022\n\x1b[31m", reason=Message("in_parens", what=Message("period_no_year")))
    outer = HnreportError("import_line", line=3, problem=inner)
    assert str(outer) == "line 3: cannot read the period '2022\\n\\x1b[31m' (no year given)"
    assert outer.text("zh") == "第 3 行：无法识别时期 '2022\\n\\x1b[31m'（未给出年份）"


# ── (b) what a user sees: the whole first line of stderr, exit code 1 ──────────────────────
CASES = {
    "unknown key": (
        ["targets", "show", "gpd"],
        "error: unknown target 'gpd' — did you mean 'gdp'?",
        "错误：未知指标 'gpd' — 是否想输入 'gdp'？",
    ),
    "bad period": (
        ["record", "gdp", "8.7", "--as-of", "2022-13"],
        "error: cannot read the period '2022-13' (no such date); accepted forms: 2022-06-30, June 30 2022, 2022-06, "
        "2022/6, Jun 2022, 2022Q2, 2022-Q2, 2022H1, 2022-H2, 2022, 2022年6月30日, 2022年6月, 2022年1-6月, 2022年一季度, "
        "2022年第二季度, 2022年上半年, 2022年下半年, 2022年前三季度, 2022年全年, 二〇二二年上半年, 二〇二二年十二月",
        "错误：无法识别时期 '2022-13'（没有这一天）；可用写法：2022-06-30, June 30 2022, 2022-06, "
        "2022/6, Jun 2022, 2022Q2, 2022-Q2, 2022H1, 2022-H2, 2022, 2022年6月30日, 2022年6月, 2022年1-6月, 2022年一季度, "
        "2022年第二季度, 2022年上半年, 2022年下半年, 2022年前三季度, 2022年全年, 二〇二二年上半年, 二〇二二年十二月",
    ),
    "bad value": (
        ["record", "gdp", "八点七", "--as-of", "2022-06"],
        "error: '八点七' is not a number; give a plain number in % such as 8.7",
        "错误：'八点七' 不是数字；请输入纯数字（单位：%），例如 8.7",
    ),
    "unknown setting": (
        ["config", "set", "light.colour", "red"],
        "error: unknown setting 'light.colour'; see 'hnreport config show' for the settings",
        "错误：未知设置项 'light.colour'；'hnreport config show' 可列出全部设置",
    ),
    "missing import file": (
        ["import", "{tmp}/nowhere.csv"],
        "error: no such file: {tmp}/nowhere.csv",
        "错误：文件不存在：{tmp}/nowhere.csv",
    ),
    "unknown format": (
        ["targets", "list", "--format", "xml"],
        "error: unknown format 'xml'; choose one of: table, json, csv, markdown, html, xlsx",
        "错误：未知格式 'xml'；可选：table, json, csv, markdown, html, xlsx",
    ),
}



@pytest.fixture
def existing(seeded):
    """An existing database: on first use a notice says where it was created, before any error."""
    return seeded

@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_first_line_of_an_error_in_each_language(cli, existing, tmp_path, case, lang):
    args, en, zh = CASES[case]
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = cli("--lang", lang, *args)
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    assert first == (en if lang == "en" else zh).replace("{tmp}", str(tmp_path))


def test_without_lang_messages_are_chinese_and_hnreport_lang_chooses_english(cli, existing, chinese):
    assert words.DEFAULT_MESSAGE_LANG == "zh"
    result = cli("targets", "show", "gpd")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == CASES["unknown key"][2]
    english = cli("targets", "show", "gpd", env={"HNREPORT_LANG": "en"})
    assert english.stderr.splitlines()[0] == CASES["unknown key"][1]
    assert cli("--lang", "zh", "targets", "show", "gpd", env={"HNREPORT_LANG": "en"}).stderr.splitlines()[0] == CASES["unknown key"][2]


def test_an_import_with_bad_rows_lists_them_in_the_language_asked(cli, existing, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("key,value,as_of\ngpd,8.7,2022-06\ngdp,abc,2022-06\ngdp,8.7,sometime\n", encoding="utf-8")
    en = cli("--lang", "en", "import", str(bad))
    zh = cli("--lang", "zh", "import", str(bad))
    assert en.exit_code == zh.exit_code == 1
    assert en.stderr.splitlines() == [
        "error: line 2: unknown target 'gpd' — did you mean 'gdp'?",
        "line 3: 'abc' is not a number; give a plain number in % such as 8.7",
        "line 4: cannot read the period 'sometime' (no year given)",
        f"3 problem(s) in {bad}; nothing was imported",
    ]
    assert zh.stderr.splitlines() == [
        "错误：第 2 行：未知指标 'gpd' — 是否想输入 'gdp'？",
        "第 3 行：'abc' 不是数字；请输入纯数字（单位：%），例如 8.7",
        "第 4 行：无法识别时期 'sometime'（未给出年份）",
        f"{bad} 中有 3 处问题；未导入任何数据",
    ]


# ── (c) every error goes through a code ────────────────────────────────────────────────────
def _error_classes() -> dict[str, type]:
    for info in pkgutil.walk_packages(hnreport.__path__, "hnreport."):
        if not info.name.endswith("__main__"):  # which would run the command line
            importlib.import_module(info.name)
    found: dict[str, type] = {}
    todo = [HnreportError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _codes_of(node: ast.expr) -> list[str] | None:
    """The catalogue codes a constructor's first argument names: a literal, or a choice of two."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _codes_of(node.body), _codes_of(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def test_errors_and_messages_are_built_from_codes_never_from_text():
    classes = _error_classes()
    problems = []
    calls = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name not in classes and name != "Message":
                continue
            calls += 1
            line = f"{where}:{node.lineno} {name}"
            arguments = list(node.args) + [k.value for k in node.keywords]
            if any(isinstance(n, ast.JoinedStr) for a in arguments for n in ast.walk(a)):
                problems.append(f"{line}: an f-string in a message (give the pieces as fields)")
            if any(isinstance(n, ast.Attribute) and n.attr == "format" for a in arguments for n in ast.walk(a)):
                problems.append(f"{line}: str.format in a message")
            if name != "Message" and classes[name].__init__ is not HnreportError.__init__:
                continue  # builds its own code from its arguments (ImportProblems)
            codes = _codes_of(node.args[0]) if node.args else None
            if codes is None:
                problems.append(f"{line}: the first argument is not a catalogue code")
                continue
            for code in codes:
                if code not in MESSAGES:
                    problems.append(f"{line}: {code!r} is not a code of the catalogue (a message written in place?)")
                elif all(k.arg is not None for k in node.keywords):  # no **fields: the names must match
                    given = {k.arg for k in node.keywords}
                    wanted = fields(MESSAGES[code][1])
                    if given != wanted:
                        problems.append(f"{line}: {code} takes {sorted(wanted)}, given {sorted(given)}")
    assert calls > 150, calls  # the walk found the raise sites
    assert problems == []


def test_no_catalogue_code_is_written_twice():
    """A dict literal keeps the last of two equal keys without a word: two branches adding the same
    code would silently lose one text. Each catalogue's literal names every code once."""
    import ast
    from pathlib import Path

    import hnreport.words as words_pkg

    folder = Path(words_pkg.__file__).parent
    repeated = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                repeated += [(path.name, k) for k in set(keys) if keys.count(k) > 1]
    assert repeated == []


def test_every_journal_action_has_words():
    """log's table says what was done in words (印发通报, not bulletin.issue): every action a change
    is recorded under has them."""
    from hnreport.words.labels import ACTIONS

    package = Path(__file__).resolve().parent.parent / "cli" / "hnreport"
    used = set()
    for path in package.rglob("*.py"):
        used |= set(re.findall(r"\bchange\(\s*\"([a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert used and used <= set(ACTIONS), sorted(used - set(ACTIONS))
