"""What the test modules share, as plain functions: reading the database behind hnreport's back,
the checks for a refused command, building odd database files, and running hnreport as a
separate process. Fixtures (the isolated database, ``cli``, ``seeded``, ``world``) are in
conftest.py; the import-file builder shared with bench/ is in csvgen.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import tomllib
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "cli" / "hnreport"
DATA = REPO / "data"

PINNED_TODAY = "2022-07-15"  # inside the plan year, so defaults are exercised deterministically
# A figure for a period that has not ended is refused (issue 13): a year's figure (2022-12-31)
# is recorded once the year is over. The environment of such a command: "today" in January.
YEAR_OVER = {"HNREPORT_TODAY": "2023-01-20"}


def seed_rows(file: str, table: str) -> list[dict]:
    """The ``[[table]]`` entries of ``data/<file>``, as the seed reads them."""
    with open(DATA / file, "rb") as fh:
        return tomllib.load(fh)[table]


# ── the database, read and changed behind hnreport's back ─────────────────────────────────────
def q(path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def one(path: Path, sql: str, args: tuple = ()) -> Any:
    return q(path, sql, args)[0][0]


def execute(path: Path, *statements: str | tuple[str, tuple]) -> None:
    """Each statement (SQL, or SQL and its arguments) on its own, outside a transaction, so that
    PRAGMAs and VACUUM work too."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            sql, args = (statement, ()) if isinstance(statement, str) else statement
            conn.execute(sql, args)
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """The whole database content as SQL text, to compare before and after a refused command."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def checkpointed_bytes(path: Path) -> bytes:
    """The database file with its write-ahead log folded in: the whole database in one file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path.read_bytes()


# ── what a command printed ───────────────────────────────────────────────────────────────────
def as_json(result):
    return json.loads(result.stdout)


def by_key(rows):
    return {r["key"]: r for r in rows}


def assert_refused(result, before=None, db=None, *, line: str | None = None):
    """Exit 1, one 'error:' line on stderr (exactly ``line`` if given), no traceback, and (if
    given) the database unchanged."""
    out = result.stdout + result.stderr
    assert result.exit_code == 1, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    assert lines[0][len("error:"):].strip()
    if line is not None:
        assert lines[0] == line
    if before is not None:
        assert dump(db) == before


# ── odd database files ───────────────────────────────────────────────────────────────────────
def sqlite_file(*statements: str) -> Callable[[bytes], bytes]:
    """A database built by ``statements`` (run on a copy of the world when the first is 'WORLD')."""

    def build(world: bytes) -> bytes:
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "x.db"
            rest = statements
            if statements and statements[0] == "WORLD":
                path.write_bytes(world)
                rest = statements[1:]
            conn = sqlite3.connect(path)
            for s in rest:
                conn.execute(s)
            conn.commit()
            conn.close()
            return checkpointed_bytes(path)

    return build


def truncated(n: int | None = None, *, short_by: int | None = None) -> Callable[[bytes], bytes]:
    def cut(world: bytes) -> bytes:
        return world[: n if n is not None else len(world) - short_by]

    return cut


def fresh_db_bytes() -> bytes:
    """A freshly initialised database (its last pages hold the glossary and the search index, which
    no command but search reads)."""
    from typer.testing import CliRunner

    from hnreport.commands.app import app

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fresh.db"
        result = CliRunner().invoke(app, ["--db", str(path), "db", "init"], env={"HNREPORT_TODAY": PINNED_TODAY})
        assert result.exit_code == 0, result.stderr
        _glossary_last(path)
        return checkpointed_bytes(path)


def _glossary_last(path: Path) -> None:
    """Move the glossary's rows to the file's last pages, where a cut damages them alone (the
    search index, written at the end of seeding, would otherwise be there): the table is made
    anew under its own name — the same definition, rows and triggers — on new pages at the end
    (a filler table takes the free pages first); the old one's pages go to the free list."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA legacy_alter_table = ON")  # the views naming the glossary keep its name
        (table,) = con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'glossary'").fetchone()
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'glossary'").fetchall()
        con.execute("BEGIN")
        for name, _sql in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute("ALTER TABLE glossary RENAME TO glossary_moving")
        # the free pages taken first, so that the new table's pages are the file's last ones
        con.execute("CREATE TABLE filler (b BLOB)")
        free = con.execute("PRAGMA freelist_count").fetchone()[0]
        con.executemany("INSERT INTO filler VALUES (zeroblob(3000))", [()] * (free + 2))
        con.execute(table)
        con.execute("INSERT INTO glossary SELECT * FROM glossary_moving")
        con.execute("DROP TABLE glossary_moving")
        con.execute("DROP TABLE filler")
        for _name, sql in triggers:
            con.execute(sql)
        con.execute("COMMIT")
    finally:
        con.close()


# ── hostile workbooks ────────────────────────────────────────────────────────────────────────
def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook (openpyxl) with ``rows`` on its first sheet."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_rewritten(workbook: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """``workbook`` with one part's bytes replaced by ``change(old bytes)``."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, change(data) if name == part else data)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
GOOD_ROWS = [["key", "value", "as_of"], ["gdp", 8.1, "2022-03-31"], ["industry", 9.1, "2022-03-31"]]


def xlsx_with_dtd(encoding: str = "utf-8") -> bytes:
    """A billion-laughs entity bomb in the sheet (an XML parser would expand it a billion times)."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{laughs}]>'

    def change(sheet: bytes) -> bytes:
        body = sheet.decode("utf-8").split("?>", 1)[-1].replace("<sheetData>", "<sheetData><!-- &l9; -->")
        return (f'<?xml version="1.0" encoding="{encoding}"?>' + dtd + body).encode(encoding)

    return xlsx_rewritten(xlsx_bytes(GOOD_ROWS), SHEET, change)


def xlsx_zip_bomb() -> bytes:
    """A sheet of 150 MB (a comment of one letter repeated) that compresses a thousandfold."""
    return xlsx_rewritten(xlsx_bytes(GOOD_ROWS), SHEET, lambda sheet: sheet.replace(b"<sheetData>", b"<sheetData><!--" + b"x" * 150_000_000 + b"-->"))


def xlsx_damaged_below_header() -> bytes:
    """A sheet whose header reads well and whose XML breaks off in a later row."""
    rows = GOOD_ROWS + [["retail", 5, "2022-03-31"]] * 200
    return xlsx_rewritten(xlsx_bytes(rows), SHEET, lambda sheet: sheet[: len(sheet) // 2])


# ── hnreport in processes of its own ─────────────────────────────────────────────────────────
def run_hnreport(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hnreport", *args], env=env, capture_output=True, text=True, timeout=timeout)


def env_for(db: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "HNREPORT_DB": str(db), "HNREPORT_TODAY": PINNED_TODAY, **extra}


def record_from_processes(db: Path, writers: int, per_writer: int) -> list[tuple[int, str]]:
    """``writers`` processes started together, each running ``hnreport record`` ``per_writer``
    times on ``db`` (key-project-investment, a plausible figure for June, note 'writer W figure I'):
    each run's exit code and stderr."""
    env = env_for(db)
    start = threading.Barrier(writers)
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        start.wait()
        for i in range(per_writer):
            proc = run_hnreport("record", "key-project-investment", str(60 + w * 10 + i), "--as-of", "2022-06-30",
                                "--note", f"writer {w} figure {i}", env=env)  # fmt: skip
            with lock:
                outcomes.append((proc.returncode, proc.stderr))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
