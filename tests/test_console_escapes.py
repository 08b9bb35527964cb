"""A Chinese Windows console (GBK, simulated with PYTHONIOENCODING=gbk) and stored text holding a
character GBK lacks — a "•" pasted from Word, a "€". Every output shown on the screen (tables,
the bulletin and orders as tables or Markdown, show views, search) shows such a character as its
escape (\\u2022), as messages do, instead of refusing the whole output; tables stay in line;
HTML writes a character reference; data piped for a file (CSV) is refused rather than altered;
a file written with -o is UTF-8 with the character itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

DRC, TRANSPORT = "县发展和改革局", "县交通运输局"
PROBLEM = "•汛期停工，€资金未到位"  # both characters are missing from GBK


@pytest.fixture
def pasted(cli, db_path):
    """A stalled milestone whose problems were pasted from Word, units assigned (so the
    bulletin and a 督办单 have something to say), and a unit named with a "€"."""
    for args in [
        ("units", "add", DRC, "--alias", "县发改局"),
        ("units", "add", TRANSPORT, "--alias", "县交通局"),
        ("units", "add", "县€局"),
        ("record", "key-project-investment", "40", "--as-of", "2022-06", "--note", "•初步数"),
        ("assign", "key-project-investment", "县发改局"),
        ("assign", "tugutang-bridge", "县交通局"),
        ("assign", "tugutang-bridge", "县发改局", "--role", "support"),
        ("milestones", "due", "tugutang-bridge", "2022-06-15"),
        ("milestones", "set", "tugutang-bridge", "stalled", "--as-of", "2022-06-30", "--problems", PROBLEM),
    ]:
        cli.ok(*args)
    return db_path


def _run(args, encoding="gbk", lang=("--lang", "zh")):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env.update({"PYTHONIOENCODING": encoding, "COLUMNS": "160"})
    return subprocess.run([sys.executable, "-m", "hnreport", *lang, *args], env=env, capture_output=True, timeout=120)


SHOWN = [
    (["bulletin"], "\\u2022汛期停工"),
    (["bulletin", "-f", "markdown"], "\\u2022汛期停工"),
    (["orders", "draft", "县交通局"], "\\u2022汛期停工"),
    (["orders", "draft", "县交通局", "-f", "markdown"], "\\u2022汛期停工"),
    (["milestones", "show", "tugutang-bridge"], "\\u2022汛期停工"),
    (["milestones", "list", "-f", "markdown"], None),
    (["search", "汛期"], "\\u2022"),
    (["units"], "县\\u20ac局"),
    (["units", "-f", "markdown"], "县\\u20ac局"),
    (["report", "-f", "markdown"], "\\u2022汛期停工"),
    (["log"], "县\\u20ac局"),
]


@pytest.mark.parametrize("args,expected", SHOWN, ids=[" ".join(a) for a, _ in SHOWN])
def test_what_gbk_lacks_is_shown_as_an_escape_not_refused(pasted, args, expected):
    run = _run(args)
    err = run.stderr.decode("gbk")
    assert run.returncode == 0, err
    assert "Traceback" not in err and "无法表示" not in err
    out = run.stdout.decode("gbk")  # every byte is GBK
    if expected:
        assert expected in out
    assert "•" not in out and "€" not in out


def _tables(out):
    """Each table drawn in ``out``: its lines from border to border."""
    tables, current = [], []
    for line in out.splitlines():
        if line.startswith(("|", "+")):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def test_tables_are_laid_out_with_the_escape_so_they_stay_in_line(pasted):
    for args, escaped in ((["units"], "县\\u20ac局"), (["milestones", "show", "tugutang-bridge"], "\\u2022汛期停工")):
        tables = [t for t in _tables(_run(args).stdout.decode("gbk")) if any(escaped in row for row in t)]
        assert tables, args
        for table in tables:
            assert len({cell_len(row) for row in table}) == 1, table  # every line as wide as the border


def test_html_on_a_gbk_console_writes_character_references(pasted):
    run = _run(["bulletin", "-f", "html"])
    assert run.returncode == 0, run.stderr.decode("gbk")
    out = run.stdout.decode("gbk")
    assert "&#8226;汛期停工" in out and "&#8364;资金未到位" in out  # a browser shows • and €


def test_json_stays_lossless(pasted):
    import json

    for args in (["milestones", "list", "-f", "json"], ["export"]):
        run = _run(args)
        assert run.returncode == 0, run.stderr.decode("gbk")
        assert "\\u2022" in run.stdout.decode("gbk")
        assert "•" in json.dumps(json.loads(run.stdout.decode("gbk")), ensure_ascii=False)  # a JSON escape: lossless


def test_a_csv_view_piped_shows_escapes_but_an_export_is_refused_rather_than_altered(pasted, db_path):
    view = _run(["report", "-f", "csv"])  # a view (its section paths hold "›", which GBK lacks)
    assert view.returncode == 0, view.stderr.decode("gbk")
    assert "\\u203a" in view.stdout.decode("gbk")
    run = _run(["export", "-f", "csv"])  # made to be imported again: never altered
    err = run.stderr.decode("gbk")
    assert run.returncode == 1 and "Traceback" not in err
    assert err.splitlines()[-1] == (
        "错误：输出的编码（gbk）无法表示 '\\u2022'；请用 -o FILE 写入文件（UTF-8），或设置 PYTHONIOENCODING=utf-8"
    )


def test_files_written_with_o_are_utf8_with_the_character_itself(pasted, tmp_path):
    for args, name in ((["bulletin", "-f", "markdown"], "b.md"), (["orders", "draft", "县交通局"], "o.md")):
        run = _run([*args, "-o", str(tmp_path / name)])
        assert run.returncode == 0, run.stderr.decode("gbk")
        assert "•汛期停工" in (tmp_path / name).read_text(encoding="utf-8")


def test_a_console_without_chinese_is_still_told_how_to_get_it(pasted):
    run = _run(["bulletin"], encoding="ascii", lang=())  # Chinese by default, told in English
    err = run.stderr.decode("ascii")
    assert run.returncode == 1 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("error: the output's encoding (ascii) cannot carry")


def test_the_database_path_with_a_character_gbk_lacks_is_shown_escaped(tmp_path, monkeypatch):
    monkeypatch.setenv("HNREPORT_DB", str(tmp_path / "督查€.db"))
    run = _run(["db", "path"])
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode("gbk", "replace")
    assert run.stdout.decode("gbk") == f"{tmp_path}/督查\\u20ac.db\n"
