"""``hnreport db restore``: replace the database with a backup, first saving the one it replaces.

The database's lock is held from the moment the replaced database is saved until the restored
content is in place, so a figure another process records meanwhile lands either in that saved
copy or in the restored database — never nowhere.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from hnreport import resources
from hnreport.dbfile.common import MaintenanceError, connect, count, fsync, hnreport_version, os_errors, quick_check, remove_quietly, require_file, require_known_schema
from hnreport.errors import Message
from hnreport.store.journal import RestoreRecord
from hnreport.store.location import (
    BUSY_TIMEOUT_S,
    companions,
    create_database_file,
    create_private,
    journal_mode_for,
    not_sqlite,
    prepare_location,
    same_file,
    set_journal_mode,
)

if TYPE_CHECKING:
    from hnreport.store import Store

# Refusals of a backup file that already end "nothing was restored"; any other is given that ending.
SAY_NOTHING_RESTORED = {"nothing_restored", "restore_source_damaged", "restore_no_plan", "restore_other_plan"}


# ── restore ──────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class RestoreResult:
    path: Path
    source: Path
    saved_to: Path | None  # the database it replaced, or None if there was none
    saved_raw: bool  # the replaced database was damaged, so it was copied byte for byte
    schema_from: int
    schema_to: int
    observations: int | None
    journal_entries: int | None  # in the file restored, before the restore's own entry
    change_id: int  # the restore's journal entry, in the restored database


def _utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _reserve_before_restore_name(db_path: Path, before: str = "before-restore") -> Path:
    """``<db>.before-restore-<UTC timestamp>.db`` (or ``before-undo`` …), created empty (0600) so
    no two restores share it."""
    stamp = _utc_stamp()
    for n in range(1000):
        candidate = Path(f"{db_path}.{before}-{stamp}{'' if n == 0 else f'-{n}'}.db")
        try:
            create_private(candidate)
            return candidate
        except FileExistsError:
            continue
    raise MaintenanceError("restore_no_free_name", path=db_path)


def _inspect_source(source: Path) -> tuple[int, int]:
    """(schema version, page size) of the file to restore; refuses anything hnreport should not."""
    require_file(source, Message("noun_backup"))
    try:
        conn = connect(source, read_only=True)
    except MaintenanceError as err:
        raise MaintenanceError("nothing_restored", problem=err) from None
    try:
        trouble = quick_check(conn)
        if trouble:
            raise MaintenanceError("restore_source_damaged", path=source, trouble=trouble)
        version = hnreport_version(conn, source)
        require_known_schema(conn, source, version)
        row = conn.execute("SELECT key FROM plan WHERE id = 1").fetchone()
        if row is None:
            raise MaintenanceError("restore_no_plan", path=source)
        from hnreport.store import seed

        plan_key = seed.load(resources.data_dir())["plan"]["plan"]["key"]
        if row[0] != plan_key:
            raise MaintenanceError("restore_other_plan", path=source, plan=row[0], expected=plan_key)
        return version, conn.execute("PRAGMA page_size").fetchone()[0]
    except MaintenanceError as err:
        if err.code in SAY_NOTHING_RESTORED:
            raise
        raise MaintenanceError("nothing_restored", problem=err) from None
    except sqlite3.DatabaseError as err:
        raise MaintenanceError("restore_source_damaged", path=source, trouble=str(err)) from None
    finally:
        conn.close()


def _stage(
    source: Path, db_path: Path, page_size: int | None, journal: Callable[[Store], int], user: str | None
) -> tuple[Path, int, int | None, int | None, int]:
    """The restored content, migrated and seeded, in a private file beside the database, with
    the journal entry ``journal`` writes into it (the restored database is the database from
    then on, so the entry saying how it came to be lives in it)."""
    from hnreport.store import Store

    real = Path(os.path.realpath(db_path))  # beside the file itself (a link may point elsewhere), so it can be renamed in
    stage = real.with_name(f".{real.name}.restore-{os.getpid()}-{time.monotonic_ns()}.tmp")
    create_private(stage)
    try:
        src = connect(source, read_only=True)
        try:
            out = sqlite3.connect(stage, isolation_level=None)
            try:
                src.backup(out)
                if page_size and out.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    # A WAL database only takes a backup of its own page size: rebuild the copy.
                    out.execute("PRAGMA journal_mode = DELETE")
                    out.execute(f"PRAGMA page_size = {int(page_size)}")
                    out.execute("VACUUM")
            finally:
                out.close()
        finally:
            src.close()
        store = Store.open(stage)  # migrates an older schema and brings seeded facts up to date
        try:
            if user:
                store.user = user
            version = store.schema_version
            counts = count(store.conn, "observations"), count(store.conn, "journal")
            change_id = journal(store)
            # hnreport runs in WAL mode (DELETE on a network drive); a database restored into a
            # new file inherits this header.
            set_journal_mode(store.conn, journal_mode_for(db_path))
        finally:
            store.close()
        return stage, version, *counts, change_id
    except BaseException:
        remove_quietly(stage, *companions(stage))
        raise


def _live_page_size(db_path: Path) -> int | None:
    """The live database's page size if it runs in WAL mode (a WAL database only takes a backup
    of its own page size); refuses another program's database."""
    try:
        probe = connect(db_path, read_only=True)
        try:
            foreign = probe.execute("PRAGMA user_version").fetchone()[0] == 0 and probe.execute(
                "SELECT count(*) FROM sqlite_master"
            ).fetchone()[0]
            page_size = probe.execute("PRAGMA page_size").fetchone()[0] if probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal" else None
        finally:
            probe.close()
    except (sqlite3.DatabaseError, MaintenanceError):
        return None  # damaged: it is kept byte for byte, then replaced
    if foreign:
        raise MaintenanceError("restore_live_foreign", path=db_path)
    return page_size


@os_errors
def restore(db_path: Path, source: Path, *, create_parent: bool = False, user: str | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` with the hnreport database ``source``, first saving it.

    The restore is a journalled change of the restored database (who, when, from which file,
    where the replaced database was saved), so that ``undo`` can put the replaced one back.
    """
    prepare_location(db_path, create_parent)
    if same_file(source, db_path):
        raise MaintenanceError("restore_from_itself", path=source)
    live_exists = db_path.exists() and db_path.stat().st_size > 0
    if live_exists:
        reason = not_sqlite(db_path)
        if reason:
            raise MaintenanceError("restore_live_not_db", path=db_path, reason=reason)
    schema_from, _ = _inspect_source(source)
    live_page_size = _live_page_size(db_path) if live_exists else None

    # The name of the copy of the replaced database is reserved first: the journal entry names it.
    saved = _reserve_before_restore_name(db_path) if live_exists else None
    swapped = False
    try:
        def journal(store: Store) -> int:
            # absolute paths: undo may run from another folder
            return store.journal.record_restore(os.path.abspath(source), os.path.abspath(saved) if saved else None, schema_from)

        stage, schema_to, observations, journal_entries, change_id = _stage(source, db_path, live_page_size, journal, user)
        try:
            if not db_path.exists():
                try:
                    create_database_file(db_path)
                except FileExistsError:
                    pass  # another process created it meanwhile; it is replaced under the lock below
            raw = _swap_in(db_path, stage, saved)
            swapped = True
            if not live_exists:
                os.chmod(db_path, 0o600)  # a county's record, like a database hnreport creates
        finally:
            remove_quietly(stage, *companions(stage))
    except BaseException:
        if saved is not None and not swapped:
            remove_quietly(saved, *companions(saved))
        raise
    return RestoreResult(db_path, source, saved, raw, schema_from, schema_to, observations, journal_entries, change_id)


@dataclass(frozen=True)
class UndoneRestore:
    path: Path
    restore: RestoreRecord
    saved_to: Path  # the restored database, as it was when the restore was undone
    change_id: int  # the undo's journal entry, in the database put back


@os_errors
def undo_restore(db_path: Path, record: RestoreRecord, *, user: str | None = None, reason: str | None = None) -> UndoneRestore:
    """Put back the database a restore replaced, from its before-restore copy, through the same
    swap a restore uses (the restored database is saved first, as a restore saves the one it
    replaces). Only while the restore is still the last change: never anything inside it."""
    if record.saved_to is None:
        raise MaintenanceError("undo_restore_nothing_replaced", change=record.change_id, source=record.source, path=db_path)
    copy = Path(record.saved_to)
    if not copy.is_file():
        raise MaintenanceError("undo_restore_copy_gone", change=record.change_id, source=record.source, copy=copy)
    try:
        schema_from, _ = _inspect_source(copy)
    except MaintenanceError as err:
        raise MaintenanceError("undo_restore_copy_unusable", change=record.change_id, source=record.source, problem=err) from None
    live_page_size = _live_page_size(db_path)

    saved = _reserve_before_restore_name(db_path, "before-undo")
    swapped = False
    try:
        def journal(store: Store) -> int:
            return store.journal.record_restore_undone(record, os.path.abspath(saved), reason)

        def still_last(live: sqlite3.Connection) -> None:
            # Checked under the lock: a change made since the restore is undone first, by its own undo.
            last = live.execute(
                "SELECT max(id) FROM journal WHERE undone = 0 AND action NOT IN ('undo', 'redo')"
            ).fetchone()[0]  # fmt: skip
            if last != record.change_id:
                raise MaintenanceError("undo_restore_changed", change=record.change_id)

        stage, _version, _obs, _entries, change_id = _stage(copy, db_path, live_page_size, journal, user)
        try:
            _swap_in(db_path, stage, saved, verify=still_last)
            swapped = True
        finally:
            remove_quietly(stage, *companions(stage))
    except BaseException:
        if not swapped:
            remove_quietly(saved, *companions(saved))
        raise
    return UndoneRestore(db_path, record, saved, change_id)


def _swap_in(
    db_path: Path, stage: Path, saved: Path | None, verify: Callable[[sqlite3.Connection], None] | None = None
) -> bool:
    """Under one exclusive lock: save the live database into ``saved`` (reserved; None when there
    was none to save), then copy the staged one into it. True if the live file was damaged and
    was kept byte for byte instead."""
    live = connect(db_path)
    try:
        try:
            # EXCLUSIVE locking mode keeps the lock from this write until we hand it back: other
            # processes wait (busy timeout) rather than write between the save and the copy-in.
            set_journal_mode(live, journal_mode_for(db_path))  # a new file: as Store.open would make it
            live.execute("PRAGMA locking_mode = EXCLUSIVE")
            live.execute("BEGIN IMMEDIATE")
            live.execute("COMMIT")
            damaged = quick_check(live) if saved is not None else None
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise MaintenanceError("restore_busy", path=db_path, seconds=BUSY_TIMEOUT_S) from None
            damaged = str(err)
        except sqlite3.DatabaseError as err:
            damaged = str(err)
        if damaged is not None:
            live.close()
            if saved is None:  # the file made a moment ago for the restore cannot be opened
                raise MaintenanceError("restore_copy_failed", path=db_path, trouble=damaged)
            _replace_damaged(db_path, stage, saved)
            return True
        if verify is not None:
            verify(live)
        if saved is not None:
            out = sqlite3.connect(saved, isolation_level=None)
            try:
                live.backup(out)
                trouble = quick_check(out)
            finally:
                out.close()
            if trouble:
                raise MaintenanceError("restore_copy_failed", path=db_path, trouble=trouble)
            fsync(saved)
        staged = sqlite3.connect(stage, isolation_level=None)
        try:
            staged.backup(live)
        finally:
            staged.close()
        live.execute("PRAGMA locking_mode = NORMAL")
        live.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the next access releases the lock
        return False
    finally:
        try:
            live.close()
        except sqlite3.Error:
            pass


def _replace_damaged(db_path: Path, stage: Path, saved: Path) -> None:
    """The live file cannot be read as a database: keep its bytes (and its WAL) in ``saved``, then
    put the restored file in its place."""
    import shutil

    shutil.copyfile(db_path, saved)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{saved}-wal"))
    fsync(saved)
    real = Path(os.path.realpath(db_path))  # replace the file a link points to, not the link
    remove_quietly(*companions(real))
    os.replace(stage, real)
    os.chmod(real, 0o600)
    fsync(real.parent)
