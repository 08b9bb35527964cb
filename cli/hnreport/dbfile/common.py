"""What check, backup and restore share: opening a database file for maintenance, and
deciding whether a file is an hnreport database of a version this release knows."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from hnreport.errors import DatabaseError, Message
from hnreport.store.location import BUSY_TIMEOUT_S, cannot_write, connect_read_only, in_wal_mode, not_sqlite, why_not_writable
from hnreport.store.migrations import latest_schema
from hnreport.store.schema import expected_objects, schema_differences


class MaintenanceError(DatabaseError):
    """A database file hnreport will not check, back up or restore, with what to do instead."""


def require_file(path: Path, what: Message, missing: Message | None = None) -> None:
    """Refuse a folder, a missing file (saying ``missing`` if given) and a file that is not an
    SQLite database; ``what`` names the file the user should give."""
    if path.is_dir():
        raise MaintenanceError("require_is_directory", path=path, what=what)
    if not path.exists():
        raise MaintenanceError.saying(missing) if missing else MaintenanceError("no_such_file", path=path)
    reason = not_sqlite(path)
    if reason:
        raise MaintenanceError("file_problem", path=path, reason=reason)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with hnreport's busy timeout.

    ``read_only`` is for reading a file: a rollback-mode file (a backup) is opened so that it
    cannot be written. A WAL-mode file is opened normally — a read-only connection could not
    remove the -wal and -shm files it creates beside it — and is only read; unless SQLite cannot
    write beside it (a read-only folder or file, a full disk), when it is opened read-only too.
    """
    try:
        if read_only and (not in_wal_mode(path) or why_not_writable(path) is not None):
            conn = connect_read_only(path)
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            if read_only:
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.Error as err:
                    if cannot_write(err):  # no room for the -shm file: read without it
                        conn.close()
                        conn = connect_read_only(path)
                    # anything else (a damaged file …) is met by the caller's first query
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        embedded_plan_only(conn)
        return conn
    except sqlite3.Error as err:
        raise MaintenanceError("db_cannot_open", path=path, reason=str(err)) from err


def embedded_plan_only(conn: sqlite3.Connection) -> None:
    """From schema 12 a database holds many plans: the checks of seeded facts and plan-year
    dates read the embedded plan's rows (plan 1), as the store reads the plan in use."""
    try:
        conn.execute("SELECT 1 FROM main.plans LIMIT 1").fetchone()
    except sqlite3.Error:
        return  # an older schema (one plan), or a file that is no database: the caller's first query says so
    from hnreport.store.plans import scope

    scope(conn, 1, again=False)


def fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_quietly(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def count(conn: sqlite3.Connection, table: str) -> int | None:
    # ``table`` is one of a few literal names below, never user text.
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return None


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if SQLite finds the file sound, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    if rows == [("ok",)]:
        return None
    return rows[0][0].replace("*** in database main ***", "").strip().splitlines()[0]


def hnreport_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an hnreport database; refuses other SQLite files and newer schemas."""
    latest = latest_schema()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
        raise MaintenanceError("db_other_program" if tables else "db_empty_sqlite", path=path)
    if version > latest:
        raise MaintenanceError("db_newer_upgrade_first", path=path, version=version, latest=latest)
    have = set(conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"))
    missing = sorted(name for kind, name in expected_objects(version) - have)
    if missing:
        shown = ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")
        raise MaintenanceError("db_schema_incomplete", path=path, version=version, missing=shown)
    return version


def require_known_schema(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a database whose schema is not exactly what migrations 1…``version`` create (an
    extra trigger could change every figure recorded afterwards), naming the first difference."""
    differences = schema_differences(conn, version)
    if differences:
        more = Message("schema_more", count=len(differences) - 1) if len(differences) > 1 else ""
        raise MaintenanceError("schema_differs", path=path, version=version, difference=differences[0].message(), more=more)


OPERATIONS = {"backup": Message("op_backup"), "restore": Message("op_restore"), "undo_restore": Message("op_undo_restore")}


def os_errors(fn):
    """Turn a file-system failure (no room, no permission, not a folder) into one line."""
    import functools

    operation = OPERATIONS[fn.__name__]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MaintenanceError:
            raise
        except OSError as err:
            reason = str(err.strerror or err)
            if err.filename:
                raise MaintenanceError("os_failed_at", op=operation, file=str(err.filename), reason=reason) from None
            raise MaintenanceError("os_failed", op=operation, reason=reason) from None

    return wrapper

