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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from hnreport import resources
from hnreport.errors import DatabaseError, HnreportError, Message, stored
from hnreport.store.config import Config
from hnreport.store.figure_texts import index_figure_texts
from hnreport.store.figures import Figures
from hnreport.store.items import Items
from hnreport.store.plans import Plans
from hnreport.store import location
from hnreport.store.location import (
    BUSY_TIMEOUT_MS,
    cannot_write,
    connect_read_only,
    create_database_file,
    prepare_location,
    refuse_truncated,
    set_journal_mode,
    why_cannot_write,
    why_not_writable,
)
from hnreport.store.migrations import apply_migration, migration_files
from hnreport.store.seed import seed_digest  # light: tomllib loads only when seeding
from hnreport.store.sql import now_utc
from hnreport.text import shown_bytes, storable

if TYPE_CHECKING:
    from hnreport.store.documents import Documents
    from hnreport.store.exchange import Exchange
    from hnreport.store.journal import Journal
    from hnreport.store.reports import Reports
    from hnreport.store.search import Search
    from hnreport.store.tracking import Tracking


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: Message | None = None):
        self.conn = conn
        self.path = path
        # Why this store cannot write (a read-only folder or file, a full disk), or None: reads
        # work, and a write is refused in one line saying so.
        self.read_only = read_only
        self._user: str | None = None  # who writes: looked up on the first write, not on every read
        self.created = False
        self.known_at: str | None = None
        # Told things a user should know that are no error (the database is on a network
        # drive); the command layer shows them. The store itself never prints.
        self.notify: Callable[[Message], None] | None = None
        self._network: str | None | bool = False  # not looked at yet
        self._written = False
        self.items = Items(self)
        self.figures = Figures(self)
        self._journal: Journal | None = None
        self.config = Config(self)
        self._tracking: Tracking | None = None
        self._exchange: Exchange | None = None
        self._reports: Reports | None = None
        self._search: Search | None = None
        self._documents: Documents | None = None
        self._open_change: tuple[sqlite3.Connection, int] | None = None  # the change being written, if one is
        self.plans = Plans(self)  # the plan in use: every per-plan table is read through it

    # The journal, milestone and exchange repositories load on first use: most commands need none.
    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from hnreport.store.journal import Journal

            self._journal = Journal(self)
        return self._journal

    @property
    def tracking(self) -> Tracking:
        if self._tracking is None:
            from hnreport.store.tracking import Tracking

            self._tracking = Tracking(self)
        return self._tracking

    @property
    def exchange(self) -> Exchange:
        if self._exchange is None:
            from hnreport.store.exchange import Exchange

            self._exchange = Exchange(self)
        return self._exchange

    @property
    def reports(self) -> Reports:
        if self._reports is None:
            from hnreport.store.reports import Reports

            self._reports = Reports(self)
        return self._reports

    @property
    def search(self) -> Search:
        if self._search is None:
            from hnreport.store.search import Search

            self._search = Search(self)
        return self._search

    @property
    def documents(self) -> Documents:
        if self._documents is None:
            from hnreport.store.documents import Documents

            self._documents = Documents(self)
        return self._documents

    # ── opening ──────────────────────────────────────────────────────────────────────────
    @classmethod
    def open(
        cls, path: Path, *, create_parent: bool = False, notify: Callable[[Message], None] | None = None,
        plan: str | None = None,
    ) -> Store:
        """Open (creating, migrating and seeding on first use) the database at ``path``, working
        on the plan keyed ``plan`` (else the one `plan use` chose, else the first).

        A database hnreport cannot write — its folder or the file read-only, or SQLite unable to
        write beside it (a full disk) — is opened read-only: reads work as long as nothing must be
        migrated or seeded, and a write says why it cannot be done.
        """
        prepare_location(path, create_parent)
        created = False
        if not path.exists():
            # Readable only by its owner: it is a county's record. O_EXCL loses no race: if
            # another process created it first, we simply open theirs.
            try:
                create_database_file(path)
                created = True
            except FileExistsError:
                pass
        refuse_truncated(path)
        read_only = why_not_writable(path)
        if read_only is None:
            try:
                store = cls._open(path, None, notify, plan)
            except _CannotWrite as err:
                read_only = err.why
            else:
                store.created = created  # the command layer tells the user, once, where it is
                return store
        return cls._open(path, read_only, notify, plan)


    @classmethod
    def _open(
        cls, path: Path, read_only: Message | None, notify: Callable[[Message], None] | None, plan: str | None = None,
    ) -> Store:
        try:
            if read_only is None:
                conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            else:
                conn = connect_read_only(path)
        except sqlite3.Error as err:
            raise DatabaseError("db_cannot_open", path=path, reason=str(err)) from err
        store = cls(conn, path, read_only)
        store.notify = notify
        store.plans.define_functions()
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only is None and path.stat().st_size == 0:
                # A new file: WAL from the start, so processes racing through first use read
                # and write without blocking one another (DELETE on a network drive).
                set_journal_mode(conn, store.journal_mode)
            store._prepare()
            store.plans.use(plan)
        except sqlite3.DatabaseError as err:
            conn.close()
            if read_only is None and cannot_write(err):
                raise _CannotWrite(why_cannot_write(err)) from err
            raise DatabaseError("db_not_usable", path=path, reason=str(err)) from err
        except DatabaseError as err:
            conn.close()
            if read_only is None and err.code == "db_read_only":  # a migration or seeding could not write
                raise _CannotWrite(err.fields["why"]) from err
            raise
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
            # SQLite ends the transaction itself on some errors (a full disk): COMMIT would then
            # hide the error behind "cannot commit - no transaction is active".
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
        if version > latest:
            raise DatabaseError("db_newer", path=self.path, version=version, latest=latest)
        if version == 0:
            if tables:
                raise DatabaseError("db_foreign", path=self.path)
            self._needs_write(Message("needs_setup"))
            set_journal_mode(self.conn, self.journal_mode)
        if version < latest:
            self._needs_write(Message("needs_upgrade", version=version, latest=latest))
            self.migrate(migrations)
        digest = seed_digest()
        current = self.conn.execute("SELECT seed_digest FROM main.plans WHERE id = 1").fetchone()
        if current is None or current[0] != digest:
            self._needs_write(Message("needs_seed"))
            from hnreport.store import seed  # only on first use or after an upgrade

            with self.write():
                # Another process may have seeded while we waited for the lock.
                again = self.conn.execute("SELECT seed_digest FROM main.plans WHERE id = 1").fetchone()
                if again is None or again[0] != digest:
                    seed.apply(self.conn, seed.load(resources.data_dir()), digest, plan_id=1)
        # Temporary: it lives in this connection's own (in-memory) schema and writes nothing.
        self.conn.execute("CREATE TEMP VIEW IF NOT EXISTS visible_changes AS SELECT id FROM journal WHERE undone = 0")


    def _needs_write(self, what: Message) -> None:
        """Refuse, saying why, when opening needs a write (setting up, migrating, seeding) that
        this store cannot make."""
        if self.read_only is not None:
            raise DatabaseError("db_needs_write", path=self.path, what=what, why=self.read_only)


    def migrate(self, migrations: list[tuple[int, Path]] | None = None) -> None:
        """Apply pending migrations, each in its own transaction with its user_version.

        Foreign keys are off while one runs (SQLite's way of rebuilding a table others refer
        to) and checked before it commits: a migration that breaks one is rolled back."""
        for number, path in migrations or migration_files():
            self.conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before
            try:
                with self.write(migrating=True):
                    version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                    if version >= number:
                        continue  # applied meanwhile by another process
                    apply_migration(self.conn, number, path)
                    broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
                    if broken is not None:
                        raise DatabaseError("migration_broke_reference", number=number, table=broken[0])
            finally:
                self.conn.execute("PRAGMA foreign_keys = ON")


    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]


    @property
    def network(self) -> str | None:
        """The network drive the database is on (``location.network_drive``), or None."""
        if self._network is False:
            self._network = location.network_drive(self.path.parent)
        return self._network  # type: ignore[return-value]

    @property
    def journal_mode(self) -> str:
        return "delete" if self.network else "wal"

    def _before_first_write(self) -> None:
        """On a network drive: leave WAL for DELETE (possible only when no other process has
        the database open; the next write tries again) and say so, once."""
        if self._written:
            return
        self._written = True
        if not self.network:
            return
        try:
            set_journal_mode(self.conn, "delete", wait=False)
        except sqlite3.Error:
            pass  # busy: another process has it open
        if self.notify is not None:
            self.notify(Message("db_on_network", path=self.path, what=self.network))


    @contextmanager
    def write(self, *, migrating: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock up front; rolled back on any error.
        Before it commits, what the search index holds of figures is brought up to date (not
        while ``migrating``: the tables may not be there yet).

        A store that cannot write refuses here, before anything is done; a write that SQLite
        cannot make (no room, a read-only file) ends in the same one line.
        """
        if self.read_only is not None:
            raise DatabaseError("db_read_only", path=self.path, why=self.read_only)
        self._before_first_write()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                if not migrating:
                    index_figure_texts(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the error that got us here says more; closing rolls back too
                raise
        except sqlite3.Error as err:
            if cannot_write(err):
                raise DatabaseError("db_read_only", path=self.path, why=why_cannot_write(err)) from err
            raise


    @contextmanager
    def change(
        self, action: str, summary: Message, *, key: str | None = None, reason: str | None = None,
        known_from: str | None = None,
    ) -> Iterator[tuple[sqlite3.Connection, int]]:
        """One journalled change: the journal entry and the data it describes commit together.

        ``known_from`` (UTC ISO, not after now) is when what the change records was already
        known — a back-fill; ``--known-at`` counts the change from then. The entry's ``at`` is
        always the real time.
        """
        if self._open_change is not None:
            # Made while another change is being written (a figure recorded by `units collect`):
            # part of that change — its transaction, its journal entry, undone with it. The outer
            # change writes its own summary when it is done.
            yield self._open_change
            return
        if self.known_at is not None:
            raise HnreportError("known_at_read_only")
        if not storable(self.user):  # HNREPORT_USER or the login name, in another encoding
            raise HnreportError("user_not_text", shown=shown_bytes(self.user))
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, key, summary, reason, known_from, plan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (now_utc(), self.user, action, key, stored(summary), reason, known_from, self.plans.id),
            )
            self._open_change = (conn, cur.lastrowid)  # type: ignore[assignment]
            try:
                yield conn, cur.lastrowid  # type: ignore[misc]
            finally:
                self._open_change = None


    def view_known_at(self, moment: str) -> None:
        """Show only what had been recorded (and not undone) by ``moment`` (UTC ISO).

        A change that says since when its figures were known (``known_from``, a back-fill)
        counts from then instead of from when it was made — as long as it stands: before it was
        made, only a back-fill not undone since counts. Undo and redo count from when they were
        made.
        """
        active: dict[int, bool] = {}
        for jid, action, target, made_later, undone in self.conn.execute(
            "SELECT id, action, target_change, at > ?, undone FROM journal WHERE COALESCE(known_from, at) <= ? ORDER BY id",
            (moment, moment),
        ):
            if action == "undo":
                active[target] = False
            elif action == "redo":
                active[target] = True
            else:
                active[jid] = not (made_later and undone)
        self.conn.execute("DROP VIEW IF EXISTS temp.visible_changes")
        self.conn.execute("DROP TABLE IF EXISTS temp.visible_changes")
        self.conn.execute("CREATE TEMP TABLE visible_changes (id INTEGER PRIMARY KEY)")
        self.conn.executemany(
            "INSERT INTO temp.visible_changes VALUES (?)", ((i,) for i, on in active.items() if on)
        )
        self.known_at = moment

    @property
    def user(self) -> str:
        if self._user is None:
            self._user = os.environ.get("HNREPORT_USER") or _os_user()
        return self._user

    @user.setter
    def user(self, name: str) -> None:
        self._user = name


class _CannotWrite(Exception):
    """Opening needed a write SQLite could not make (no room for its side files, a read-only
    file the operating system called writable): open again read-only."""

    def __init__(self, why: Message) -> None:
        super().__init__(str(why))
        self.why = why


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"

