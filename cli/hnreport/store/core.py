"""The store: one connection, its transactions and journalled changes, and the repositories
that hold every query (``items``, ``figures``, ``journal``, ``config``, ``tracking``,
``exchange``).

Everything here returns domain values and raises ``HnreportError`` subclasses; nothing prints.
Writes go through ``Store.write()``, one ``BEGIN IMMEDIATE`` transaction each, so a failing
command leaves the database exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hnreport import resources
from hnreport.errors import DatabaseError, HnreportError
from hnreport.store.config import Config
from hnreport.store.exchange import Exchange
from hnreport.store.figures import Figures
from hnreport.store.items import Items
from hnreport.store.journal import Journal
from hnreport.store.location import BUSY_TIMEOUT_MS, create_private, prepare_location, refuse_truncated
from hnreport.store.schema import apply_migration, migration_files
from hnreport.store.seed import seed_digest  # light: tomllib loads only when seeding
from hnreport.store.sql import now_utc
from hnreport.store.tracking import Tracking
from hnreport.text import shown_bytes, storable


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.user = os.environ.get("HNREPORT_USER") or _os_user()
        self.known_at: str | None = None
        self.items = Items(self)
        self.figures = Figures(self)
        self.journal = Journal(self)
        self.config = Config(self)
        self.tracking = Tracking(self)
        self.exchange = Exchange(self)


    # ── opening ──────────────────────────────────────────────────────────────────────────
    @classmethod
    def open(cls, path: Path, *, create_parent: bool = False) -> Store:
        """Open (creating, migrating and seeding on first use) the database at ``path``."""
        prepare_location(path, create_parent)
        if not path.exists():
            # Readable only by its owner: it is a county's record. O_EXCL loses no race: if
            # another process created it first, we simply open theirs.
            try:
                create_private(path)
            except FileExistsError:
                pass
        refuse_truncated(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as err:
            raise DatabaseError("db_cannot_open", path=path, reason=str(err)) from err
        store = cls(conn, path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if path.stat().st_size == 0:
                # A new file: WAL from the start, so processes racing through first use read
                # and write without blocking one another.
                conn.execute("PRAGMA journal_mode = WAL")
            store._prepare()
        except sqlite3.DatabaseError as err:
            conn.close()
            raise DatabaseError("db_not_usable", path=path, reason=str(err)) from err
        except Exception:
            conn.close()
            raise
        return store


    def close(self) -> None:
        self.conn.close()


    def _prepare(self) -> None:
        migrations = migration_files()
        latest = migrations[-1][0] if migrations else 0
        # Version and tables are read in one read transaction: a process creating the database
        # meanwhile commits both together, so we see neither or both.
        self.conn.execute("BEGIN")
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
        finally:
            self.conn.execute("COMMIT")
        if version > latest:
            raise DatabaseError("db_newer", path=self.path, version=version, latest=latest)
        if version == 0:
            if tables:
                raise DatabaseError("db_foreign", path=self.path)
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        if version < latest:
            self.migrate(migrations)
        digest = seed_digest()
        current = self.conn.execute("SELECT seed_digest FROM plan WHERE id = 1").fetchone()
        if current is None or current[0] != digest:
            from hnreport.store import seed  # only on first use or after an upgrade

            with self.write():
                # Another process may have seeded while we waited for the lock.
                again = self.conn.execute("SELECT seed_digest FROM plan WHERE id = 1").fetchone()
                if again is None or again[0] != digest:
                    seed.apply(self.conn, resources.data_dir(), digest)
        self.conn.execute("CREATE TEMP VIEW IF NOT EXISTS visible_changes AS SELECT id FROM journal WHERE undone = 0")


    def migrate(self, migrations: list[tuple[int, Path]] | None = None) -> None:
        """Apply pending migrations, each in its own transaction with its user_version."""
        for number, path in migrations or migration_files():
            with self.write():
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= number:
                    continue  # applied meanwhile by another process
                apply_migration(self.conn, number, path)


    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]


    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock up front; rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")


    @contextmanager
    def change(
        self, action: str, summary: str, *, key: str | None = None, reason: str | None = None
    ) -> Iterator[tuple[sqlite3.Connection, int]]:
        """One journalled change: the journal entry and the data it describes commit together."""
        if self.known_at is not None:
            raise HnreportError("known_at_read_only")
        if not storable(self.user):  # HNREPORT_USER or the login name, in another encoding
            raise HnreportError("user_not_text", shown=shown_bytes(self.user))
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, key, summary, reason) VALUES (?, ?, ?, ?, ?, ?)",
                (now_utc(), self.user, action, key, summary, reason),
            )
            yield conn, cur.lastrowid  # type: ignore[misc]


    def view_known_at(self, moment: str) -> None:
        """Show only what had been recorded (and not undone) by ``moment`` (UTC ISO)."""
        active: dict[int, bool] = {}
        for jid, action, target in self.conn.execute(
            "SELECT id, action, target_change FROM journal WHERE at <= ? ORDER BY id", (moment,)
        ):
            if action == "undo":
                active[target] = False
            elif action == "redo":
                active[target] = True
            else:
                active[jid] = True
        self.conn.execute("DROP VIEW IF EXISTS temp.visible_changes")
        self.conn.execute("DROP TABLE IF EXISTS temp.visible_changes")
        self.conn.execute("CREATE TEMP TABLE visible_changes (id INTEGER PRIMARY KEY)")
        self.conn.executemany(
            "INSERT INTO temp.visible_changes VALUES (?)", ((i,) for i, on in active.items() if on)
        )
        self.known_at = moment



def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"

