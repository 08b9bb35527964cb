"""Concurrent hnreport processes: writers on a new database, a first-use race, and backups and
restores taken while another process records. bench/stress.py is the full version, run by hand.
"""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

from helpers import env_for, one, q, record_from_processes, run_hnreport

AS_OF = ("--as-of", "2022-06-30")


def test_four_processes_recording_25_figures_each_on_a_new_database(tmp_path) -> None:
    path = tmp_path / "shared" / "new.db"
    path.parent.mkdir()
    assert not path.exists()
    writers, per_writer = 4, 25
    outcomes = record_from_processes(path, writers, per_writer)

    assert len(outcomes) == writers * per_writer
    assert not [err for _, err in outcomes if "locked" in err.lower()]
    assert [rc for rc, _ in outcomes] == [0] * len(outcomes), [err for rc, err in outcomes if rc][:3]
    assert one(path, "PRAGMA journal_mode") == "wal"
    assert one(path, "SELECT count(*) FROM observations") == 100
    assert one(path, "SELECT count(*) FROM journal") == 100
    assert one(path, "SELECT count(*) FROM journal WHERE action = 'record'") == 100
    assert {n for (n,) in q(path, "SELECT note FROM observations")} == {
        f"writer {w} figure {i}" for w in range(writers) for i in range(per_writer)
    }
    assert one(path, "SELECT count(*) FROM observations o JOIN journal j ON j.id = o.change_id") == 100
    check = run_hnreport("db", "check", env=env_for(path))
    assert check.returncode == 0, check.stdout + check.stderr


# Found reading Store._prepare: on first use it read PRAGMA user_version and then, in a second
# read, counted the tables. Another hnreport committing migration 0001 between the two reads
# made this one see "version 0 with tables" and refuse the database as not an hnreport one, so a
# command racing another on first use failed. Reproduced deterministically by letting the other
# process finish creating the database exactly between the two reads.
# found here, fixed meanwhile — was: first-use race: user_version and the table count are read separately, so a process that loses the creation race is refused with 'is an SQLite database but not an hnreport one'
def test_a_database_created_by_another_process_between_two_reads_is_still_opened(cli, db_path, monkeypatch) -> None:
    import hnreport.store.core as store_module

    real = sqlite3

    class Racy(sqlite3.Connection):
        raced = False

        def execute(self, sql, *args):
            cursor = super().execute(sql, *args)
            if sql == "PRAGMA user_version" and not Racy.raced:
                Racy.raced = True
                seen = cursor.fetchall()  # version 0: the file is new
                done = run_hnreport("db", "init", env=env_for(db_path))  # the other process finishes first use now
                assert done.returncode == 0, done.stderr

                class Stale:
                    def fetchone(self):
                        return seen[0]

                return Stale()
            return cursor

    class RacySqlite:
        def __getattr__(self, name):
            return getattr(real, name)

        @staticmethod
        def connect(*args, **kwargs):
            return real.connect(*args, factory=Racy, **kwargs)

    monkeypatch.setattr(store_module, "sqlite3", RacySqlite())
    assert not db_path.exists()
    result = cli("record", "gdp", "8.7", *AS_OF)
    assert Racy.raced, "the other process never got in between the two reads"
    assert result.exit_code == 0, result.stderr
    assert one(db_path, "SELECT count(*) FROM observations") == 1


# Found when the four-writer test above failed once in CI: switching a new, empty file to WAL
# reads page 1 and then asks for the write lock, and SQLite refuses that upgrade at once, without
# the busy handler, while another process holds the lock (it is making the same switch). So a
# process losing that race said "database is locked" at once, whatever the busy timeout.
# Reproduced deterministically by holding the write lock on the empty file while the store opens.
# found here, fixed meanwhile — was: two processes setting up one new database at once: one fails at once with "database is locked" (the WAL switch is not retried)
def test_a_new_database_opens_while_another_process_holds_the_write_lock_on_it(cli, db_path, monkeypatch) -> None:
    db_path.touch()  # what sqlite3.connect leaves for the other process: an empty file
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    lone = sqlite3.connect(db_path, isolation_level=None, timeout=60)
    refused_at_once = None
    try:
        lone.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as err:
        refused_at_once = str(err)
    lone.close()
    assert refused_at_once == "database is locked"  # SQLite's own behaviour, which the store must absorb

    # The other process lets go only once the store has been refused and waits to try again.
    real_sleep, pauses = time.sleep, []

    def pause(seconds: float) -> None:
        if not pauses:
            other.commit()
        pauses.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", pause)
    try:
        result = cli("record", "gdp", "8.7", *AS_OF)
    finally:
        other.close()
    assert pauses, "the store never waited: the switch was not refused"
    assert result.exit_code == 0, result.stderr
    assert one(db_path, "PRAGMA journal_mode") == "wal"
    assert one(db_path, "SELECT count(*) FROM observations") == 1


def test_a_journal_mode_switch_that_must_not_wait_is_refused_at_once(tmp_path) -> None:
    from hnreport.store.location import set_journal_mode

    path = tmp_path / "empty.db"
    path.touch()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        started = time.monotonic()
        try:
            set_journal_mode(conn, "wal", wait=False)
        except sqlite3.OperationalError as err:
            assert err.sqlite_errorcode == sqlite3.SQLITE_BUSY
        else:
            raise AssertionError("the switch went through while another connection held the lock")
        assert time.monotonic() - started < 1
        other.commit()
        set_journal_mode(conn, "wal", wait=False)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
        other.close()


# A helper process that records figures as fast as it can (in-process CLI calls, one database
# connection per command, as separate hnreport runs would have).
WRITER = r"""
import sys
from hnreport.commands.app import app
n, tag = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    code = app(["record", "key-project-investment", str(60 + i % 100), "--as-of", "2022-06-30", "--note", f"{tag}-{i}"],
               prog_name="hnreport", standalone_mode=False)
    if code:
        sys.exit(f"record {i} failed with {code}")
"""


def _writer(db: Path, n: int, tag: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(n), tag], env=env_for(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait_for_figures(db: Path, n: int, writer: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while one(db, "SELECT count(*) FROM observations") < n:
        assert writer.poll() is None, f"the writer stopped early: {writer.stderr.read() if writer.stderr else ''}"
        assert time.monotonic() < deadline, "the writer is too slow"
        time.sleep(0.02)


def _notes(path: Path, tag: str) -> list[int]:
    return sorted(int(n.rsplit("-", 1)[1]) for (n,) in q(path, "SELECT note FROM observations WHERE note LIKE ?", (f"{tag}-%",)))


def test_backups_taken_while_another_process_records_are_consistent(cli, seeded, tmp_path) -> None:
    writer = _writer(seeded, 200, "w")
    copies = []
    try:
        _wait_for_figures(seeded, 5, writer)
        for i in range(6):
            copy = tmp_path / f"copy-{i}.db"
            cli.ok("db", "backup", str(copy))
            copies.append(copy)
            time.sleep(0.05)
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    seen = []
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.glob(copy.name + "-*")] == []  # one self-contained file
        assert q(copy, "PRAGMA integrity_check") == [("ok",)]
        notes = _notes(copy, "w")
        assert notes == list(range(len(notes)))  # a prefix of the writer's figures: one moment in time
        assert one(copy, "SELECT count(*) FROM journal WHERE action = 'record'") == len(notes)
        seen.append(len(notes))
    assert seen == sorted(seen) and seen[-1] <= 200
    assert len(set(seen)) > 1, "the backups did not overlap the writing"


def test_a_restore_while_another_process_records_loses_nothing(cli, seeded, tmp_path) -> None:
    backup = tmp_path / "empty-backup.db"
    cli.ok("db", "backup", str(backup))
    writer = _writer(seeded, 150, "w")
    try:
        _wait_for_figures(seeded, 20, writer)
        out = cli.ok("db", "restore", str(backup)).stdout
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err  # it waited for the restore rather than failing
    saved = Path(re.search(r"saved the database it replaces to (.+\.db)$", out, re.M).group(1))
    before, after = _notes(saved, "w"), _notes(seeded, "w")
    assert before and after, (len(before), len(after))
    assert before + after == list(range(150))  # every figure is in the saved copy or the restored database
    assert q(seeded, "PRAGMA integrity_check") == [("ok",)]

