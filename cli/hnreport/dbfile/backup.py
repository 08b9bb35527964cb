"""``hnreport db backup``: a consistent copy through SQLite's online backup API, which reads
one snapshot while other processes keep writing (a file copy cannot promise that)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import time

from hnreport.dbfile.common import MaintenanceError, connect, count, fsync, hnreport_version, os_errors, quick_check, remove_quietly
from hnreport.outfile import one_file, temp_beside
from hnreport.store.location import companions, create_private, not_sqlite, same_file


# ── backup ───────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class BackupResult:
    path: Path
    schema_version: int
    observations: int | None
    size: int


def _check_destination(dest: Path, db_path: Path, *, force: bool) -> None:
    if dest.is_dir():
        raise MaintenanceError("backup_dest_directory", path=dest, example=dest / "hnreport-backup.db")
    if not dest.parent.exists():
        raise MaintenanceError("folder_missing", folder=dest.parent)
    if same_file(dest, db_path) or one_file(dest, db_path):
        raise MaintenanceError("backup_onto_itself", path=dest)
    for protected in companions(db_path):  # the live -wal/-shm/-journal are the database too
        if same_file(dest, protected) or dest.resolve() == protected.resolve() or one_file(dest, protected):
            raise MaintenanceError("backup_onto_companion", path=dest, suffix=protected.name[len(db_path.name):])
    for side in companions(dest)[:2]:
        if side.exists():
            raise MaintenanceError("backup_companion_exists", side=side, path=dest)
    if dest.exists() and not force:
        raise MaintenanceError("file_exists_force", path=dest)


def _copy_into_new_file(src: sqlite3.Connection, dest: Path) -> int | None:
    """A consistent copy of ``src`` at ``dest`` (mode 0600), written beside it and renamed into
    place only once complete and verified, so ``dest`` is never a half-written file."""
    tmp = Path(temp_beside(dest, f"{os.getpid()}-{time.monotonic_ns()}"))
    create_private(tmp)
    try:
        out = sqlite3.connect(tmp, isolation_level=None)
        try:
            src.backup(out)  # one step: a single snapshot, however busy the source is
            # A backup is one self-contained file: rollback-journal mode, so opening it (even
            # read-only) leaves no -wal or -shm files beside it. A restore switches back to WAL.
            out.execute("PRAGMA journal_mode = DELETE")
            trouble = quick_check(out)
            if trouble:
                raise MaintenanceError("backup_copy_failed", trouble=trouble, path=dest)
            observations = count(out, "observations")
        finally:
            out.close()
        fsync(tmp)
        try:
            os.replace(tmp, dest)
        except PermissionError as err:  # a backup open in another program (Windows), or read-only
            raise MaintenanceError("output_locked", path=dest) from err
        fsync(dest.parent)
        return observations
    except BaseException:
        remove_quietly(tmp, *companions(tmp))
        raise


@os_errors
def backup(db_path: Path, dest: Path, *, force: bool = False) -> BackupResult:
    """Copy the database at ``db_path`` to ``dest`` while others may go on writing to it.

    Any hnreport database is copied as it is — an older schema unmigrated, a newer one too.
    """
    if db_path.is_dir():
        raise MaintenanceError("db_is_directory", path=db_path)
    if not db_path.exists():
        raise MaintenanceError("backup_no_db", path=db_path)
    reason = not_sqlite(db_path)
    if reason:
        raise MaintenanceError("backup_not_db", path=db_path, reason=reason)
    _check_destination(dest, db_path, force=force)
    src = connect(db_path, read_only=True)
    try:
        try:
            version = src.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                hnreport_version(src, db_path)  # raises: empty, or another program's database
            observations = _copy_into_new_file(src, dest)
        except sqlite3.DatabaseError as err:
            raise MaintenanceError("backup_failed", path=db_path, reason=str(err)) from err
    finally:
        src.close()
    return BackupResult(dest, version, observations, dest.stat().st_size)

