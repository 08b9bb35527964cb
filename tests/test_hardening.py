"""Regressions for what a red team broke: files written over the database, partial files,
Chinese (GBK) and ASCII consoles, nonsense widths, closed pipes and small input mistakes.

Each test states the intended outcome; refusals leave the database exactly as it was.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from helpers import assert_refused, dump

# Every command that writes a file, as (argv before the path, argv after it). A new writer
# (documents, plan export, drafts, publications) is one line here.
WRITERS = [
    (["export", "-o"], []),
    (["export", "-f", "csv", "-o"], []),
    (["report", "-o"], []),
    (["units", "sheet", "县发展和改革局", "-o"], []),
    (["extract", str(Path(__file__).resolve().parent / "source" / "extract" / "qingshui-2023.txt"), "-o"], []),
]


@pytest.mark.parametrize("before,after", WRITERS)
@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "-journal"])
def test_no_writer_lands_on_the_database_or_its_companions(cli, tmp_path, monkeypatch, before, after, companion):
    db = tmp_path / "x.md"  # a database whose name a report could take
    monkeypatch.setenv("HNREPORT_DB", str(db))
    cli.ok("record", "gdp", "5", "--as-of", "2022-06")
    target = Path(f"{db}{companion}")
    if companion and before[0] == "report":
        pytest.skip("report -o picks its format from the extension; x.md-wal has none")
    existed = target.exists()
    state = dump(db)
    result = cli(*before, str(target), *after, "--force")
    assert_refused(result, state, db)
    assert "it is the database" in result.stderr
    assert target.exists() == existed


def test_a_link_to_the_database_is_the_database(cli, seeded, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(seeded)
    state = dump(seeded)
    result = cli("export", "-o", str(link), "--force")
    assert_refused(result, state, seeded)
    assert result.stderr == f"error: refusing to write {link}: it is the database {seeded}; choose another file name\n"


def test_db_backup_refuses_the_live_wal_even_with_force(cli, seeded):
    cli.ok("record", "gdp", "5", "--as-of", "2022-06")
    state = dump(seeded)
    wal = Path(f"{seeded}-wal")
    result = cli("db", "backup", str(wal), "--force")
    assert_refused(result, state, seeded)
    assert result.stderr.strip() == f"error: {wal} is the database's own -wal file; give another file name"


def test_an_existing_file_is_replaced_only_with_force(cli, seeded, tmp_path):
    out = tmp_path / "brief.md"
    out.write_text("keep me", encoding="utf-8")
    result = cli("report", "-o", str(out))
    assert_refused(result)
    assert result.stderr.strip() == f"error: {out} exists; add --force to replace it"
    assert out.read_text(encoding="utf-8") == "keep me"
    cli.ok("report", "-o", str(out), "--force")
    assert out.read_text(encoding="utf-8").startswith("# 衡南县2022年政府工作报告")


def test_a_failed_write_leaves_the_old_file_whole(cli, seeded, tmp_path, monkeypatch):
    out = tmp_path / "e.json"
    cli.ok("export", "-o", str(out))
    good = out.read_bytes()
    cli.ok("record", "gdp", "5", "--as-of", "2022-06")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hnreport.outfile.os.fsync", full_disk)
    result = cli("export", "-o", str(out), "--force")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".e.json")] == []


def test_a_file_held_open_by_another_program_gets_one_line(cli, seeded, tmp_path, monkeypatch):
    out = tmp_path / "报告.md"
    out.write_text("open in WPS", encoding="utf-8")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("hnreport.outfile.os.replace", locked)
    result = cli("report", "-o", str(out), "--force")
    assert_refused(result)
    assert result.stderr.strip() == (
        f"error: cannot replace {out}: it is open in another program or read-only (close it and try again); "
        "the old file is unchanged"
    )
    assert out.read_text(encoding="utf-8") == "open in WPS"


def test_exports_are_private_and_documents_follow_the_umask(cli, seeded, tmp_path):
    old = os.umask(0o022)
    try:
        cli.ok("export", "-o", str(tmp_path / "e.json"))
        cli.ok("export", "-f", "csv", "-o", str(tmp_path / "f.csv"))
        cli.ok("report", "-o", str(tmp_path / "r.md"))
    finally:
        os.umask(old)
    mode = lambda p: stat.S_IMODE((tmp_path / p).stat().st_mode)  # noqa: E731
    assert mode("e.json") == 0o600
    assert mode("f.csv") == 0o600
    assert mode("r.md") == 0o644


def test_a_format_that_contradicts_the_extension_is_refused(cli, seeded, tmp_path):
    result = cli("report", "-o", str(tmp_path / "x.md"), "-f", "json")
    assert_refused(result)
    assert result.stderr.strip() == "error: --format json contradicts the file name x.md (markdown); drop one of them"
    assert not (tmp_path / "x.md").exists()


# ── consoles ────────────────────────────────────────────────────────────────────────────
def _run(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS",)}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "hnreport", *args], env=env, capture_output=True, timeout=120)


@pytest.mark.parametrize("args", [["report"], ["glossary", "双碳"], ["targets", "list"], ["milestones", "list"]])
def test_a_gbk_console_gets_ascii_marks_never_a_traceback(seeded, tmp_path, args):
    result = _run(args, {"PYTHONIOENCODING": "gbk", "COLUMNS": "120"}, tmp_path)
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    text = result.stdout.decode("gbk")  # every byte is valid GBK
    assert "Traceback" not in result.stderr.decode("gbk", "replace")
    assert "✓" not in text and "▶" not in text
    if args[0] == "report":
        assert "衡南县2022年政府工作报告" in text
        assert "o 暂无数据" in text  # the mark is ASCII, the word is there


def test_markdown_on_a_gbk_console_shows_what_gbk_lacks_as_escapes(seeded, tmp_path):
    # The brief carries marks GBK lacks (⊘, ✓): shown as escapes, as messages show them; the
    # rest (the Chinese) as it is. A file (-o) is UTF-8 and keeps them.
    result = _run(["report", "--format", "markdown"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    err = result.stderr.decode("gbk")
    assert result.returncode == 0 and "Traceback" not in err and "无法表示" not in err
    text = result.stdout.decode("gbk")
    assert "\\u2298 已调" in text and "\\u2713 已完" in text
    assert "衡南县2022年政府工作报告" in text and "⊘" not in text


def test_a_confirmation_on_a_gbk_console_shows_what_it_cannot_carry_as_an_escape(seeded, tmp_path):
    result = _run(["units", "add", "县✓局", "--alias", "✓"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert result.stdout.decode("gbk") == "单位 县\\u2713局（别名：\\u2713）\n"  # a message, not data


def test_json_on_a_gbk_console_is_lossless(seeded, tmp_path):
    utf8 = _run(["report", "--format", "json"], {"PYTHONIOENCODING": "utf-8"}, tmp_path)
    gbk = _run(["report", "--format", "json"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    assert gbk.returncode == 0
    assert json.loads(gbk.stdout.decode("gbk")) == json.loads(utf8.stdout.decode("utf-8"))
    assert "\\u203a" in gbk.stdout.decode("gbk")  # › (not in GBK) escaped, Chinese kept


def test_an_ascii_console_is_told_how_to_get_the_chinese(seeded, tmp_path):
    # Chinese messages by default, but a console that cannot show Chinese is told in English.
    result = _run(["report"], {"PYTHONIOENCODING": "ascii"}, tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode("ascii")
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("error: the output's encoding (ascii) cannot carry")
    assert err.splitlines()[-1].endswith("write to a file with -o FILE (UTF-8), or set PYTHONIOENCODING=utf-8")


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "99999999"])
def test_nonsense_widths_are_treated_as_unknown(cli, seeded, columns):
    result = cli.ok("report", env={"COLUMNS": columns})
    assert "地区生产总值增长" in result.stdout
    assert len(result.stdout.splitlines()) > 20


def test_a_closed_pipe_ends_every_command_with_zero(seeded, tmp_path):
    for args in (["report"], ["report", "--format", "json"], ["targets", "list"]):
        proc = subprocess.Popen([sys.executable, "-m", "hnreport", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.read(20)
        proc.stdout.close()
        assert proc.wait(timeout=120) == 0, (args, proc.stderr.read())
        assert b"Traceback" not in proc.stderr.read()


# ── small mistakes ──────────────────────────────────────────────────────────────────────
def test_a_bad_hnreport_today_names_the_variable(cli, seeded):
    result = cli("report", env={"HNREPORT_TODAY": "garbage"})
    assert_refused(result)
    assert result.stderr.startswith("error: HNREPORT_TODAY: cannot read the period 'garbage'")


def test_an_empty_db_option_is_refused_not_the_default(cli, tmp_path):
    result = cli("--db", "", "report")
    assert result.exit_code == 2
    assert "Invalid value for --db" in result.stderr
    assert not (tmp_path / "xdg").exists()  # the default database was not created


def test_an_export_whose_version_is_a_string_says_so(cli, seeded, tmp_path):
    export = tmp_path / "e.json"
    cli.ok("export", "-o", str(export))
    data = json.loads(export.read_text(encoding="utf-8"))
    data["version"] = "1"
    export.write_text(json.dumps(data), encoding="utf-8")
    state = dump(seeded)
    result = cli("import", str(export))
    assert_refused(result, state, seeded)
    assert result.stderr.strip() == f"error: {export} is an export of version '1'; this hnreport reads version 1"


def test_minus_zero_is_zero(cli, seeded):
    result = cli.ok("targets", "revise", "key-project-investment", "-0", "--effective", "2022-07-01", "--reason", "r")
    assert "→ -0" not in result.stdout and "→ 0" in result.stdout
    shown = cli.ok("targets", "list", "--format", "json", "--as-of", "2022-12-31").stdout
    target = {t["key"]: t for t in json.loads(shown)}["key-project-investment"]
    assert target["target"] == 0 and str(target["target"]) != "-0.0"


def test_notes_longer_than_the_csv_default_limit_round_trip(cli, seeded, tmp_path):
    note = "说明" * 70_000  # 140,000 characters: over csv's default field limit of 131,072
    cli.ok("record", "gdp", "5", "--as-of", "2022-06", "--note", note)
    out = tmp_path / "f.csv"
    cli.ok("export", "-f", "csv", "-o", str(out))
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(out))
    rows = json.loads(cli.ok("--db", str(fresh), "history", "gdp", "--format", "json").stdout)
    assert rows[0]["note"] == note


def test_first_use_says_once_where_the_database_was_created(cli, db_path):
    first = cli.ok("report")
    assert first.stderr == f"created the database {db_path} (with the 2022 plan of 衡南县 loaded); 'hnreport db path' shows where it is\n"
    assert "尚无数据。录入第一个数据" in first.stdout  # under the empty report: how to begin
    again = cli.ok("report")
    assert again.stderr == ""


# ── Windows, on every platform ──────────────────────────────────────────────────────────
# Offices run hnreport on Windows: drive letters, backslashes, UNC shares, Chinese folder and
# file names, names that differ only in case, trailing dots, and files held open by WPS or Word.
# The path rules are checked on Windows paths here whatever the platform the tests run on.
WIN_DB = PureWindowsPath(r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db")
UNC_DB = PureWindowsPath(r"\\fileserver\县政府办\督查室\hnreport.db")


@pytest.mark.parametrize("spelling,database", [
    (r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db", WIN_DB),
    (r"c:\users\张三\documents\衡南县 工作报告\HNREPORT.DB", WIN_DB),  # Windows ignores case
    ("C:/Users/张三/Documents/衡南县 工作报告/hnreport.db-wal", WIN_DB),  # forward slashes
    (r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db-WAL", WIN_DB),
    (r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db-shm. ", WIN_DB),  # trailing dots and spaces are dropped
    (r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db-journal", WIN_DB),
    (r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db::$DATA", WIN_DB),  # the file's own data stream
    (r"\\FILESERVER\县政府办\督查室\HNREPORT.DB-shm", UNC_DB),
])  # fmt: skip
def test_a_windows_spelling_of_the_database_or_a_companion_is_the_database(spelling, database):
    from hnreport.outfile import companions, one_file

    assert any(one_file(PureWindowsPath(spelling), p) for p in (database, *companions(database)))


@pytest.mark.parametrize("spelling", [
    r"D:\Users\张三\Documents\衡南县 工作报告\hnreport.db",  # another drive
    r"C:\Users\张三\Documents\hnreport.db",  # another folder
    r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db.bak",
    r"C:\Users\张三\Documents\衡南县 工作报告\hnreport.db-wal2",
    r"C:\Users\张三\Documents\衡南县 工作报告\简报.md",
    r"\\fileserver\县政府办\hnreport.db",
])  # fmt: skip
def test_other_windows_files_are_not_the_database(spelling):
    from hnreport.outfile import companions, one_file

    assert not any(one_file(PureWindowsPath(spelling), p) for p in (WIN_DB, *companions(WIN_DB)))


def test_companions_and_temporary_files_keep_the_folder_and_the_kind_of_path():
    from hnreport.outfile import companions, temp_beside

    assert [str(p) for p in companions(WIN_DB)] == [str(WIN_DB) + s for s in ("-wal", "-shm", "-journal")]
    for path in (WIN_DB.with_name("简报 2022年.md"), UNC_DB.with_name("指标.csv"), PurePosixPath("/home/张三/简报.md")):
        tmp = temp_beside(path, "1234")
        assert type(tmp) is type(path) and tmp.parent == path.parent and tmp.anchor == path.anchor
        assert tmp.name == f".{path.name}.1234.tmp"


def test_on_a_case_blind_file_system_another_spelling_of_a_companion_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("hnreport.outfile.CASE_BLIND", True)  # macOS; Windows paths always are
    db = tmp_path / "x.md"
    monkeypatch.setenv("HNREPORT_DB", str(db))
    cli.ok("record", "gdp", "5", "--as-of", "2022-06")
    state = dump(db)
    for spelling, which in (("X.MD", ""), ("X.md-WAL", " (its -wal file)"), ("x.MD-journal", " (its -journal file)")):
        target = tmp_path / spelling
        result = cli("export", "-o", str(target), "--force")
        assert_refused(result, state, db)
        assert result.stderr.strip() == f"error: refusing to write {target}: it is the database {db}{which}; choose another file name"
        backup = cli("db", "backup", str(target), "--force")
        assert_refused(backup, state, db)
    assert not (tmp_path / "X.md-WAL").exists() and not (tmp_path / "x.MD-journal").exists()


def test_chinese_folder_and_file_names_through_every_writer_and_reader(cli, tmp_path):
    folder = tmp_path / "衡南县 2022年 工作报告"
    folder.mkdir()
    db = folder / "衡南县数据库.db"
    cli.ok("--db", str(db), "db", "init")
    cli.ok("--db", str(db), "record", "gdp", "8.6", "--as-of", "2022-06", "--note", "统计月报")
    export, figures = folder / "导出 全部.json", folder / "指标数据.csv"
    cli.ok("--db", str(db), "export", "-o", str(export))
    cli.ok("--db", str(db), "export", "-f", "csv", "-o", str(figures))
    for suffix in ("md", "html", "svg", "csv", "json"):
        brief = folder / f"完成情况简报.{suffix}"
        assert str(brief) in cli.ok("--db", str(db), "report", "-o", str(brief)).stderr
        assert brief.stat().st_size > 0
    backup = folder / "备份" / "衡南县-2022-07-15.db"
    backup.parent.mkdir()
    cli.ok("--db", str(db), "db", "backup", str(backup))
    for i, source in enumerate((export, figures)):
        fresh = folder / f"新库{i}.db"
        cli.ok("--db", str(fresh), "import", str(source))
        assert json.loads(cli.ok("--db", str(fresh), "history", "gdp", "--format", "json").stdout)[0]["note"] == "统计月报"
    restored = folder / "恢复后.db"
    cli.ok("--db", str(restored), "db", "restore", str(backup))
    assert json.loads(cli.ok("--db", str(restored), "history", "gdp", "--format", "json").stdout)[0]["value"] == 8.6
    assert not [p.name for p in folder.rglob("*.tmp")]


@pytest.mark.parametrize("argv", [["export", "-o"], ["export", "-f", "csv", "-o"], ["report", "-o"], ["db", "backup"]])
def test_replacing_a_file_another_program_holds_open_gets_one_line(cli, seeded, tmp_path, monkeypatch, argv):
    out = tmp_path / ("简报.json" if argv[0] != "db" else "备份.db")
    out.write_bytes(b"open in WPS")

    def locked(src, dst):  # what Windows says when WPS or Word has the file open
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr("os.replace", locked)
    result = cli(*argv, str(out), "--force")
    assert_refused(result)
    assert result.stderr.strip() == (
        f"error: cannot replace {out}: it is open in another program or read-only (close it and try again); "
        "the old file is unchanged"
    )
    assert out.read_bytes() == b"open in WPS"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_resources_are_found_under_a_chinese_folder_with_spaces(tmp_path, monkeypatch):
    from hnreport import resources

    checkout = tmp_path / "衡南县 工具" / "hnreport-main"
    package = checkout / "cli" / "hnreport"
    for folder in (package, checkout / "data", checkout / "migrations"):
        folder.mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE", package)
    assert resources.data_dir() == checkout / "data" and resources.migrations_dir() == checkout / "migrations"
    (package / "data").mkdir()  # an installed wheel carries data/ inside the package
    assert resources.data_dir() == package / "data"
