"""The database: opening it safely, migrations, seeding from data/, and queries.

Everything here returns domain values (``model``) and raises ``HnreportError`` subclasses;
nothing prints. Writes go through ``Store.write()``, one ``BEGIN IMMEDIATE`` transaction each,
so a failing command leaves the database exactly as it was.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from hnreport import resources
from hnreport.dbutil import now_utc, prepare_location, visible
from hnreport.errors import BadConfig, BadValue, DatabaseError, HnreportError, UnknownKey
from hnreport.model import (
    NONNEGATIVE_KINDS,
    JournalEntry,
    Observation,
    Plan,
    Result,
    Revision,
    Section,
    Target,
)
from hnreport.exchange import ExchangeMixin
from hnreport.progress import BASES, MEASURES, LightRule, Rules
from hnreport.tracking import TrackingMixin

VINTAGES = ("preliminary", "final")
MAX_DUE_WITHIN = 3660  # ten years of days: enough for any deadline, small enough for date maths

def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


SEED_FILES = ("plan.toml", "results.toml", "targets.toml", "milestones.toml", "glossary.toml")
BUSY_TIMEOUT_MS = 60_000


def default_db_path() -> Path:
    """The platform's per-user data directory; never the current directory."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hnreport" / "hnreport.db"


def resolve_db_path(option: str | None) -> tuple[Path, bool]:
    """The database in use and whether it is the default (whose folder hnreport may create)."""
    if option:
        return Path(option).expanduser(), False
    env = os.environ.get("HNREPORT_DB")
    if env:
        return Path(env).expanduser(), False
    return default_db_path(), True


def migration_files() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(resources.migrations_dir().glob("*.sql")):
        m = re.match(r"(\d+)_", path.name)
        if m:
            found.append((int(m.group(1)), path))
    return found


def split_statements(script: str) -> list[str]:
    """Split SQL into statements (triggers included) so they can run inside our transaction.

    ``sqlite3.executescript`` would COMMIT any open transaction first, breaking all-or-nothing.
    """
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise DatabaseError("a migration file ends with an incomplete SQL statement")
    return statements


def seed_digest() -> str:
    """A fingerprint of data/, to notice a release whose seed differs from the database's.

    CRC-32 (zlib) rather than a cryptographic hash: it only detects change, and importing
    hashlib would cost every command a few milliseconds.
    """
    import zlib

    crc = 0
    data = resources.data_dir()
    for name in SEED_FILES:
        path = data / name
        if path.exists():
            crc = zlib.crc32(path.read_bytes(), zlib.crc32(name.encode(), crc))
    return f"crc32:{crc:08x}"


class Store(TrackingMixin, ExchangeMixin):
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._plan: Plan | None = None
        self.user = os.environ.get("HNREPORT_USER") or _os_user()
        self.known_at: str | None = None

    # ── opening ──────────────────────────────────────────────────────────────────────────
    @classmethod
    def open(cls, path: Path, *, create_parent: bool = False) -> Store:
        """Open (creating, migrating and seeding on first use) the database at ``path``."""
        prepare_location(path, create_parent)
        if not path.exists():
            # Readable only by its owner: it is a county's record. O_EXCL loses no race: if
            # another process created it first, we simply open theirs.
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
            except OSError as err:
                raise DatabaseError(f"cannot create {path}: {err.strerror}") from err
        _refuse_truncated(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as err:
            raise DatabaseError(f"cannot open {path}: {err}") from err
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
            raise DatabaseError(f"{path} is not a usable hnreport database ({err})") from err
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
            raise DatabaseError(
                f"{self.path} was written by a newer hnreport (schema version {version}; this "
                f"version knows up to {latest}); upgrade hnreport to use it"
            )
        if version == 0:
            if tables:
                raise DatabaseError(f"{self.path} is an SQLite database but not an hnreport one")
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        if version < latest:
            self.migrate(migrations)
        digest = seed_digest()
        current = self.conn.execute("SELECT seed_digest FROM plan WHERE id = 1").fetchone()
        if current is None or current[0] != digest:
            from hnreport import seed  # only on first use or after an upgrade

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
                for statement in split_statements(path.read_text(encoding="utf-8")):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")

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
            raise HnreportError("--known-at is for reading; it cannot be used to change anything")
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

    # ── the plan ─────────────────────────────────────────────────────────────────────────
    def plan(self) -> Plan:
        if self._plan is None:
            row = self.conn.execute("SELECT key, name_zh, name_en, year FROM plan").fetchone()
            self._plan = Plan(*row)
        return self._plan

    def sections(self) -> list[Section]:
        rows = self.conn.execute(
            "SELECT code, part, name_zh, name_en, locator, ordinal FROM sections ORDER BY ordinal"
        )
        return [Section(*r) for r in rows]

    def results(self, section: str | None = None) -> list[Result]:
        sql = (
            "SELECT key, name_zh, name_en, section, kind, value, unit, scope, locator, phrase, note "
            "FROM results"
        )
        args: tuple = ()
        if section:
            sql += " WHERE section = ?"
            args = (section,)
        return [Result(*r) for r in self.conn.execute(sql + " ORDER BY ordinal", args)]

    _TARGET_SQL = """
        SELECT t.key, t.name_zh, t.name_en, t.section, t.kind, t.comparator, t.value, t.unit,
               t.frequency, t.locator, t.phrase, t.strength, t.note, t.unit_missing, t.origin,
               r.key, r.name_zh, r.name_en, r.section, r.kind, r.value, r.unit, r.scope,
               r.locator, r.phrase, r.note
        FROM targets t LEFT JOIN results r ON r.key = t.baseline
    """

    @staticmethod
    def _target(row: tuple) -> Target:
        baseline = Result(*row[15:26]) if row[15] is not None else None
        return Target(
            key=row[0], name_zh=row[1], name_en=row[2], section=row[3], kind=row[4],
            comparator=row[5], value=row[6], unit=row[7], frequency=row[8], locator=row[9],
            phrase=row[10], strength=row[11], note=row[12], unit_missing=bool(row[13]),
            origin=row[14], baseline=baseline,
        )  # fmt: skip

    def _revisions(self, key: str | None = None) -> dict[str, tuple[Revision, ...]]:
        sql = f"SELECT r.target_key, r.value, r.effective, r.reason FROM target_revisions r WHERE {visible('r')}"
        args: tuple = ()
        if key:
            sql += " AND r.target_key = ?"
            args = (key,)
        out: dict[str, list[Revision]] = {}
        for k, value, effective, reason in self.conn.execute(sql + " ORDER BY r.effective, r.id", args):
            out.setdefault(k, []).append(Revision(value, date.fromisoformat(effective), reason))
        return {k: tuple(v) for k, v in out.items()}

    def targets(self) -> list[Target]:
        rows = self.conn.execute(self._TARGET_SQL + f" WHERE {visible('t')} ORDER BY t.ordinal")
        revisions = self._revisions()
        return [self._with_revisions(self._target(r), revisions) for r in rows]

    @staticmethod
    def _with_revisions(t: Target, revisions: dict[str, tuple[Revision, ...]]) -> Target:
        return t._replace(revisions=revisions[t.key]) if t.key in revisions else t

    def target(self, key: str) -> Target:
        """The target named by ``key`` (case-insensitive) or by its exact Chinese name."""
        wanted = (key or "").strip()
        row = self.conn.execute(
            self._TARGET_SQL + f" WHERE (t.key = ? COLLATE NOCASE OR t.name_zh = ?) AND {visible('t')}",
            (wanted, wanted),
        ).fetchone()
        if row is None:
            raise self.unknown_key(wanted)
        t = self._target(row)
        return self._with_revisions(t, self._revisions(t.key))

    def unknown_key(self, key: str, kind: str = "target") -> UnknownKey:
        tables = {"target": ("targets",), "milestone": ("milestones",), "item": ("targets", "milestones")}[kind]
        listing = {"target": "targets list", "milestone": "milestones list", "item": "targets list' or 'hnreport milestones list"}[kind]
        if not key:
            return UnknownKey(f"no {kind} key given; see 'hnreport {listing}' for the keys")
        names: list[str] = []
        for table in tables:
            for k, name in self.conn.execute(f"SELECT key, name_zh FROM {table} x WHERE {visible('x')} ORDER BY ordinal"):
                names += [k, name]
        import difflib  # only a mistyped key needs it

        close = difflib.get_close_matches(key.lower(), names, n=3, cutoff=0.5)
        hint = (
            " — did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
            if close
            else f"; see 'hnreport {listing}' for the keys"
        )
        return UnknownKey(f"unknown {kind} '{key}'{hint}")

    def target_keys(self) -> list[str]:
        return [r[0] for r in self.conn.execute(f"SELECT key FROM targets t WHERE {visible('t')} ORDER BY ordinal")]

    # ── observations ─────────────────────────────────────────────────────────────────────
    def check_observation(self, target: Target, value: float, as_of: date) -> None:
        plan = self.plan()
        if not plan.start <= as_of <= plan.end:
            raise BadValue(
                f"{as_of.isoformat()} is outside the plan year {plan.year}; figures for "
                f"{plan.name_zh} must fall in {plan.start.isoformat()}..{plan.end.isoformat()}"
            )
        if target.kind in NONNEGATIVE_KINDS and value < 0:
            raise BadValue(f"{target.key} cannot be negative (got {value:g})")

    def record(
        self,
        target: Target,
        value: float,
        as_of: date,
        *,
        note: str | None = None,
        source: str | None = None,
        vintage: str = "preliminary",
    ) -> Observation:
        """Append an observation (never overwriting one) after checking it fits the plan.

        A second figure for the same target and period is a revision: the newest is used.
        """
        self.check_observation(target, value, as_of)
        if vintage not in VINTAGES:
            raise BadValue(f"unknown vintage '{vintage}'; choose one of: {', '.join(VINTAGES)}")
        recorded_at = now_utc()
        with self.change("record", "record", key=target.key, reason=note) as (conn, change_id):
            previous = self._current_for_period(target.key, as_of)  # inside the lock: no race
            summary = f"{'revised' if previous else 'recorded'} {target.key} = {value:g} for {as_of.isoformat()} ({vintage})"
            if previous:
                summary += f", was {previous[1]:g} (observation {previous[0]})"
            conn.execute("UPDATE journal SET summary = ? WHERE id = ?", (summary, change_id))
            supersedes = previous[0] if previous else None
            cur = conn.execute(
                "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, change_id, vintage, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (target.key, value, as_of.isoformat(), recorded_at, note, source, change_id, vintage, supersedes),
            )
            obs_id = cur.lastrowid
        return Observation(obs_id, target.key, value, as_of, recorded_at, note, source, vintage, "current", supersedes, change_id)  # type: ignore[arg-type]

    def _current_for_period(self, key: str, as_of: date) -> tuple[int, float] | None:
        return self.conn.execute(
            f"SELECT o.id, o.value FROM observations o WHERE o.target_key = ? AND o.as_of = ? AND {visible('o')} "
            "AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o.id AND "
            f"{visible('x')}) ORDER BY o.id DESC LIMIT 1",
            (key, as_of.isoformat()),
        ).fetchone()

    def observation(self, obs_id: int) -> Observation:
        if not 0 < obs_id < 2**63:
            raise UnknownKey(f"no observation {obs_id}; 'hnreport history KEY' lists the ids")
        rows = [o for o in self._observations("o.id = ?", (obs_id,))]
        if not rows:
            raise UnknownKey(f"no observation {obs_id}; 'hnreport history KEY' lists the ids")
        return rows[0]

    _OBS_COLUMNS = "o.id, o.target_key, o.value, o.as_of, o.recorded_at, o.note, o.source, o.vintage, o.supersedes, o.change_id"

    def _observations(self, where: str, args: tuple) -> list[Observation]:
        """Visible observations matching ``where``, each with its state."""
        sql = (
            f"SELECT {self._OBS_COLUMNS}, "
            f"EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o.id AND {visible('x')}) AS retracted, "
            f"EXISTS (SELECT 1 FROM observations n WHERE n.target_key = o.target_key AND n.as_of = o.as_of "
            f"AND n.id > o.id AND {visible('n')} AND NOT EXISTS (SELECT 1 FROM retractions y WHERE "
            f"y.observation_id = n.id AND {visible('y')})) AS superseded "
            f"FROM observations o WHERE {visible('o')} AND {where} ORDER BY o.as_of DESC, o.id DESC"
        )
        out = []
        for r in self.conn.execute(sql, args):
            state = "retracted" if r[10] else "superseded" if r[11] else "current"
            out.append(Observation(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7], state, r[8], r[9]))
        return out

    def history(self, target: Target, as_of: date | None = None) -> list[Observation]:
        """Every visible figure of a target, newest period first, with vintage and state."""
        if as_of is None:
            return self._observations("o.target_key = ?", (target.key,))
        return self._observations("o.target_key = ? AND o.as_of <= ?", (target.key, as_of.isoformat()))

    def latest(self, as_of: date) -> dict[str, Observation]:
        """Each target's latest current observation whose period ends at or before ``as_of``."""
        rows = self.conn.execute(
            f"""
            SELECT {self._OBS_COLUMNS}
            FROM targets t
            JOIN observations o ON o.id = (
                SELECT o2.id FROM observations o2
                WHERE o2.target_key = t.key AND o2.as_of <= ? AND {visible('o2')}
                  AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o2.id AND {visible('x')})
                ORDER BY o2.as_of DESC, o2.id DESC LIMIT 1)
            """,
            (as_of.isoformat(),),
        )
        return {
            r[1]: Observation(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7], "current", r[8], r[9])
            for r in rows
        }

    def observation_count(self) -> int:
        return self.conn.execute(f"SELECT count(*) FROM observations o WHERE {visible('o')}").fetchone()[0]

    def correct(self, obs_id: int, value: float, reason: str) -> Observation:
        """A corrected figure for the same target and period; the old row stays, superseded."""
        old = self.observation(obs_id)
        if old.state != "current":
            raise BadValue(f"observation {obs_id} is {old.state}; correct the current figure instead")
        if not reason.strip():
            raise BadValue("a correction needs a reason (--reason)")
        target = self.target(old.target_key)
        self.check_observation(target, value, old.as_of)
        summary = f"corrected observation {obs_id} of {old.target_key} for {old.as_of.isoformat()}: {old.value:g} → {value:g}"
        with self.change("correct", summary, key=old.target_key, reason=reason.strip()) as (conn, change_id):
            cur = conn.execute(
                "INSERT INTO observations (target_key, value, as_of, recorded_at, note, source, change_id, vintage, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (old.target_key, value, old.as_of.isoformat(), now_utc(), old.note, old.source, change_id, old.vintage, obs_id),
            )
        return self.observation(cur.lastrowid)  # type: ignore[arg-type]

    def retract(self, obs_id: int, reason: str) -> Observation:
        old = self.observation(obs_id)
        if old.state == "retracted":
            raise BadValue(f"observation {obs_id} is already retracted")
        if not reason.strip():
            raise BadValue("a retraction needs a reason (--reason)")
        summary = f"retracted observation {obs_id} of {old.target_key} ({old.value:g} for {old.as_of.isoformat()})"
        with self.change("retract", summary, key=old.target_key, reason=reason.strip()) as (conn, change_id):
            conn.execute(
                "INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                (obs_id, change_id, reason.strip()),
            )
        return old

    def revise_target(self, target: Target, value: float, effective: date, reason: str) -> None:
        plan = self.plan()
        if not plan.start <= effective <= plan.end:
            raise BadValue(f"the effective date {effective.isoformat()} is outside the plan year {plan.year}")
        if not reason.strip():
            raise BadValue("a target revision needs a reason (--reason)")
        if value < 0 and target.kind in NONNEGATIVE_KINDS:
            raise BadValue(f"{target.key} cannot have a negative target (got {value:g})")
        summary = f"revised target {target.key}: {target.value:g} → {value:g} from {effective.isoformat()}"
        with self.change("targets.revise", summary, key=target.key, reason=reason.strip()) as (conn, change_id):
            conn.execute(
                "INSERT INTO target_revisions (target_key, value, effective, reason, change_id) VALUES (?, ?, ?, ?, ?)",
                (target.key, value, effective.isoformat(), reason.strip(), change_id),
            )

    # ── journal, undo and redo ───────────────────────────────────────────────────────────
    _J_SQL = "SELECT id, at, user, action, key, summary, reason, target_change, undone FROM journal"

    def journal(self, since: str | None = None, key: str | None = None) -> list[JournalEntry]:
        where, args = [], []
        if since:
            where.append("at >= ?")
            args.append(since)
        if key:
            where.append("key = ? COLLATE NOCASE")
            args.append(key)
        sql = self._J_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [JournalEntry(*r[:8], bool(r[8])) for r in self.conn.execute(sql, args)]

    def _undo(self, conn: sqlite3.Connection, entries: list[tuple[int, str, str | None]], reason: str | None) -> list[JournalEntry]:
        done: list[int] = []
        batch = None
        for change_id, summary, key in entries:
            conn.execute("UPDATE journal SET undone = 1 WHERE id = ?", (change_id,))
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, key, summary, reason, target_change, batch) "
                "VALUES (?, ?, 'undo', ?, ?, ?, ?, ?)",
                (now_utc(), self.user, key, f"undid change {change_id}: {summary}", reason, change_id, batch),
            )
            if batch is None:
                batch = cur.lastrowid
                conn.execute("UPDATE journal SET batch = ? WHERE id = ?", (batch, batch))
            done.append(change_id)
        return [e for e in self.journal() if e.id in done]

    def undo(self, to: str | None = None, reason: str | None = None) -> list[JournalEntry]:
        """Undo the last change, or (``to``) every change made after that moment. Nothing is deleted."""
        with self.write() as conn:
            sql = "SELECT id, summary, key FROM journal WHERE undone = 0 AND action NOT IN ('undo', 'redo')"
            if to is None:
                rows = conn.execute(sql + " ORDER BY id DESC LIMIT 1").fetchall()
            else:
                rows = conn.execute(sql + " AND at > ? ORDER BY id DESC", (to,)).fetchall()
            if not rows:
                raise HnreportError("nothing to undo" + (f" after {to}" if to else ""))
            return self._undo(conn, rows, reason)

    def redo(self) -> list[JournalEntry]:
        """Re-apply what the most recent undo (not yet redone) reverted, if nothing changed since.

        Repeated, it walks back through earlier undos: undo, undo, redo, redo restores both.
        """
        with self.write() as conn:
            last_change = conn.execute(
                "SELECT COALESCE(MAX(id), 0) FROM journal WHERE action NOT IN ('undo', 'redo')"
            ).fetchone()[0]
            batch = None
            for (candidate,) in conn.execute(
                "SELECT DISTINCT batch FROM journal WHERE action = 'undo' AND batch > ? ORDER BY batch DESC", (last_change,)
            ).fetchall():
                pending = conn.execute(
                    "SELECT 1 FROM journal u JOIN journal t ON t.id = u.target_change "
                    "WHERE u.action = 'undo' AND u.batch = ? AND t.undone = 1 LIMIT 1", (candidate,)
                ).fetchone()
                if pending:
                    batch = candidate
                    break
            if batch is None:
                raise HnreportError("nothing to redo (redo re-applies what undo reverted, if nothing changed since)")
            redone = []
            for target, summary, key in conn.execute(
                "SELECT t.id, t.summary, t.key FROM journal u JOIN journal t ON t.id = u.target_change "
                "WHERE u.action = 'undo' AND u.batch = ? AND t.undone = 1 ORDER BY t.id", (batch,)
            ).fetchall():
                conn.execute("UPDATE journal SET undone = 0 WHERE id = ?", (target,))
                conn.execute(
                    "INSERT INTO journal (at, user, action, key, summary, target_change) VALUES (?, ?, 'redo', ?, ?, ?)",
                    (now_utc(), self.user, key, f"redid change {target}: {summary}", target),
                )
                redone.append(target)
        return [e for e in self.journal() if e.id in redone]

    # ── light rules and settings ─────────────────────────────────────────────────────────
    def settings(self) -> dict[tuple[str, str], str]:
        """The settings in force — as of ``--known-at`` too, since rows follow visible changes."""
        rows = self.conn.execute(
            "SELECT s.scope, s.key, s.value FROM setting_log s WHERE s.id = (SELECT s2.id FROM setting_log s2 "
            f"WHERE s2.scope = s.scope AND s2.key = s.key AND {visible('s2')} ORDER BY s2.id DESC LIMIT 1)"
        )
        return {(scope, k): v for scope, k, v in rows}

    def presets(self) -> dict[str, dict[str, LightRule]]:
        """The light presets, with any thresholds edited through ``light.<preset>.<class>``."""
        settings = self.settings()
        out: dict[str, dict[str, LightRule]] = {}
        for preset, cls, measure, tol in self.conn.execute(
            "SELECT preset, class, measure, tolerance FROM light_presets ORDER BY preset, class"
        ):
            measure = settings.get(("", f"light.{preset}.{cls}.measure"), measure)
            tol = float(settings.get(("", f"light.{preset}.{cls}"), tol))
            out.setdefault(preset, {})[cls] = LightRule(measure, tol)
        return out

    def rules(self) -> Rules:
        settings = self.settings()
        presets = self.presets()
        preset = settings.get(("", "light.preset"), "default")
        per_target: dict[str, dict[str, object]] = {}
        for (scope, key), value in settings.items():
            if not scope:
                continue
            own = per_target.setdefault(scope, {})
            if key == "pace.profile":
                own["profile"] = [float(x) for x in value.split(",")]
            elif key == "light.tolerance":
                own["tolerance"] = float(value)
            else:
                own[key.split(".", 1)[1]] = value
        return Rules(
            preset,
            presets[preset]["amount"],
            presets[preset]["rate"],
            settings.get(("", "pace.basis"), "months"),
            per_target,
        )

    def set_config(self, key: str, value: str, target: Target | None = None) -> str:
        """Validate and store one setting; returns the value as stored."""
        stored = self.checked_setting(key, value, target is not None)
        scope = target.key if target else ""
        extra: list[tuple[str, str]] = []
        # A tolerance means something only in its measure (0.1 relative is not 0.1 points):
        # changing the measure also sets that measure's usual tolerance, which the summary says.
        if key == "light.measure" and target:
            from hnreport.progress import RULE_CLASS

            extra.append(("light.tolerance", _usual_tolerance(stored, RULE_CLASS[target.kind])))
        m = re.fullmatch(r"light\.([a-z_-]+)\.(amount|rate)\.measure", key)
        if m and not target:
            extra.append((f"light.{m.group(1)}.{m.group(2)}", _usual_tolerance(stored, m.group(2))))
        return self._put_setting(scope, key, stored, extra)

    def checked_setting(self, key: str, value: str, for_target: bool) -> str:
        """The value as it would be stored, or BadConfig saying what is wrong with it."""
        value = value.strip()
        presets = self.presets()
        if key == "light.preset" and not for_target:
            if value not in presets:
                raise BadConfig(f"unknown preset '{value}'; choose one of: {', '.join(presets)}")
            return value
        if key == "due.within" and not for_target:
            if not value.isdecimal() or not 0 <= int(value) <= MAX_DUE_WITHIN:
                raise BadConfig(f"due.within takes a whole number of days from 0 to {MAX_DUE_WITHIN}, e.g. 7")
            return str(int(value))
        if key == "pace.basis":
            if value not in BASES:
                raise BadConfig(f"pace.basis must be one of: {', '.join(BASES)}")
            return value
        if key == "pace.profile" and for_target:
            return ",".join(f"{share:g}" for share in _parse_profile(value))
        if key == "light.measure" and for_target:
            if value not in MEASURES:
                raise BadConfig(f"light.measure must be one of: {', '.join(MEASURES)}")
            return value
        if key == "light.tolerance" and for_target:
            return f"{_parse_tolerance(value):g}"
        m = re.fullmatch(r"light\.([a-z_-]+)\.(amount|rate)(\.measure)?", key)
        if m and not for_target:
            preset, _cls, is_measure = m.groups()
            if preset not in presets:
                raise BadConfig(f"unknown preset '{preset}'; choose one of: {', '.join(presets)}")
            if is_measure:
                if value not in MEASURES:
                    raise BadConfig(f"{key} must be one of: {', '.join(MEASURES)}")
                return value
            return f"{_parse_tolerance(value):g}"
        raise BadConfig(
            f"unknown setting '{key}'"
            + (" for a target" if for_target else "")
            + "; see 'hnreport config show' for the settings"
        )

    def _put_setting(self, scope: str, key: str, value: str, extra: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
        pairs = [(key, value), *extra]
        summary = "set " + ", ".join(f"{k} = {v}" for k, v in pairs) + (f" for {scope}" if scope else "")
        with self.change("config.set", summary, key=scope or None) as (conn, change_id):
            conn.executemany(
                "INSERT INTO setting_log (scope, key, value, change_id) VALUES (?, ?, ?, ?)",
                [(scope, k, v, change_id) for k, v in pairs],
            )
        return value + "".join(f" ({k} = {v})" for k, v in extra)


def _refuse_truncated(path: Path) -> None:
    """Refuse a database file cut short: its size is not a whole number of its pages."""
    try:
        size = path.stat().st_size
        if size < 100:
            return  # empty (first use) or too short to be anything: SQLite says which
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return
    if not header.startswith(b"SQLite format 3\x00"):
        return
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    if page and size % page:
        raise DatabaseError(f"{path} is damaged: it was cut short ({size} bytes is not a whole number of {page}-byte pages)")


def _usual_tolerance(measure: str, cls: str) -> str:
    """The tolerance the presets use for a measure: 10 % relative, 1 point for rates, 10 points
    of completion rate for amounts."""
    if measure == "relative":
        return "0.1"
    return "1" if cls == "rate" else "10"


def _parse_tolerance(value: str) -> float:
    try:
        tol = float(value)
    except ValueError:
        raise BadConfig(f"'{value}' is not a number; a tolerance is a number such as 0.1 or 10") from None
    if not 0 <= tol < float("inf"):
        raise BadConfig(f"a tolerance must be zero or more, not {value}")
    return tol


def _parse_profile(value: str) -> list[float]:
    parts = [p.strip() for p in value.replace("，", ",").split(",")]
    try:
        shares = [float(p.rstrip("%")) / (100 if p.endswith("%") else 1) for p in parts]
    except ValueError:
        raise BadConfig("pace.profile takes 12 cumulative monthly shares, e.g. 0.05,0.1,…,1") from None
    if len(shares) != 12:
        raise BadConfig(f"pace.profile takes 12 cumulative monthly shares, got {len(shares)}")
    if any(b < a for a, b in zip(shares, shares[1:])) or not 0 <= shares[0] or abs(shares[-1] - 1) > 1e-9:
        raise BadConfig("pace.profile must rise month by month and end at 1 (100% by December)")
    return shares

