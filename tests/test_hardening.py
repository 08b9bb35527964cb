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
from pathlib import Path

import pytest

from helpers import assert_refused, dump

# Every command that writes a file, as (argv before the path, argv after it). A new writer
# (documents, plan export, drafts, publications) is one line here.
WRITERS = [
    (["export", "-o"], []),
    (["export", "-f", "csv", "-o"], []),
    (["report", "-o"], []),
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


def test_markdown_on_a_gbk_console_is_written_as_is_or_refused_in_one_line(seeded, tmp_path):
    # The brief carries marks GBK lacks (⊘, ›): data is never altered, so it is refused.
    result = _run(["report", "--format", "markdown"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    err = result.stderr.decode("gbk")
    assert result.returncode == 1 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("error: the output's encoding (gbk) cannot carry")


def test_a_confirmation_on_a_gbk_console_shows_what_it_cannot_carry_as_an_escape(seeded, tmp_path):
    result = _run(["units", "add", "县✓局", "--alias", "✓"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    assert result.stdout.decode("gbk") == "unit 县\\u2713局 (aliases: \\u2713)\n"  # a message, not data


def test_json_on_a_gbk_console_is_lossless(seeded, tmp_path):
    utf8 = _run(["report", "--format", "json"], {"PYTHONIOENCODING": "utf-8"}, tmp_path)
    gbk = _run(["report", "--format", "json"], {"PYTHONIOENCODING": "gbk"}, tmp_path)
    assert gbk.returncode == 0
    assert json.loads(gbk.stdout.decode("gbk")) == json.loads(utf8.stdout.decode("utf-8"))
    assert "\\u203a" in gbk.stdout.decode("gbk")  # › (not in GBK) escaped, Chinese kept


def test_an_ascii_console_is_told_how_to_get_the_chinese(seeded, tmp_path):
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
