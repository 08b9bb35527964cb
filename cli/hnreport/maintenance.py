"""Looking after the database file: check it, back it up, restore it.

The logic behind ``hnreport db check``, ``db backup`` and ``db restore``. Nothing here prints;
problems a user can act on raise ``MaintenanceError`` (an ``HnreportError``) with a message that
says what to do, and ``check`` returns its findings as values.

Copies are always made with SQLite's online backup API (``Connection.backup``): it reads one
consistent snapshot while other processes keep writing (the database is in WAL mode), which a
file copy cannot promise. ``restore`` holds the database's lock from the moment it saves the
database it replaces until the restored content is in place, so a figure another process records
meanwhile lands either in that saved copy or in the restored database — never nowhere.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from hnreport import resources
from hnreport.dbutil import prepare_location
from hnreport.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60.0
MAX_LINES_PER_CHECK = 100  # beyond this, one '… and N more' line per kind of problem


class MaintenanceError(DatabaseError):
    """A database file hnreport will not check, back up or restore, with what to do instead."""


# ── shared pieces ────────────────────────────────────────────────────────────────────────
def latest_schema() -> int:
    from hnreport.store import migration_files

    found = migration_files()
    return found[-1][0] if found else 0


@lru_cache(maxsize=None)
def _objects_at(version: int, _migrations_dir: str) -> frozenset[tuple[str, str]]:
    """(type, name) of every table and view a database at schema ``version`` has."""
    from hnreport.store import migration_files, split_statements

    conn = sqlite3.connect(":memory:")
    try:
        for number, path in migration_files():
            if number > version:
                break
            for statement in split_statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
        return frozenset(
            conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        )
    finally:
        conn.close()


def expected_objects(version: int) -> frozenset[tuple[str, str]]:
    return _objects_at(version, str(resources.migrations_dir()))


def _not_sqlite(path: Path) -> str | None:
    """Why ``path`` cannot be an SQLite database, or None if its first bytes say it is one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if not head:
        return "is empty, not a database"
    if head != SQLITE_HEADER:
        hint = " (an export made by 'hnreport export' goes back in with 'hnreport import')" if head.lstrip()[:1] == b"{" else ""
        return f"is not an SQLite database{hint}"
    return None


def _require_file(path: Path, what: str, missing: str | None = None) -> None:
    if path.is_dir():
        raise MaintenanceError(f"{path} is a directory; give the {what} file")
    if not path.exists():
        raise MaintenanceError(missing or f"no such file: {path}")
    reason = _not_sqlite(path)
    if reason:
        raise MaintenanceError(f"{path} {reason}")


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (bytes 18 and 19 of an SQLite header are 2)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with hnreport's busy timeout.

    ``read_only`` is for reading a file: a rollback-mode file (a backup) is opened so that it
    cannot be written. A WAL-mode file is opened normally — a read-only connection could not
    remove the -wal and -shm files it creates beside it — and is only read.
    """
    try:
        if read_only and not _in_wal_mode(path):
            conn = sqlite3.connect(
                f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S
            )
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return conn
    except sqlite3.Error as err:
        raise MaintenanceError(f"cannot open {path}: {err}") from err


def _create_private(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only; FileExistsError if it exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as err:
        raise MaintenanceError(f"cannot write {path.parent}: {err.strerror}") from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
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


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _count(conn: sqlite3.Connection, table: str) -> int | None:
    # ``table`` is one of a few literal names below, never user text.
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return None


def _quick_check(conn: sqlite3.Connection) -> str | None:
    """None if SQLite finds the file sound, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    if rows == [("ok",)]:
        return None
    return rows[0][0].replace("*** in database main ***", "").strip().splitlines()[0]


def _hnreport_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an hnreport database; refuses other SQLite files and newer schemas."""
    latest = latest_schema()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
        what = "an empty SQLite database" if not tables else "an SQLite database of another program"
        raise MaintenanceError(f"{path} is {what}, not an hnreport database")
    if version > latest:
        raise MaintenanceError(
            f"{path} was written by a newer hnreport (schema version {version}; this version knows up to "
            f"{latest}); upgrade hnreport first"
        )
    have = set(conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"))
    missing = sorted(name for kind, name in expected_objects(version) - have)
    if missing:
        raise MaintenanceError(
            f"{path} is not an hnreport database (schema version {version} but no "
            f"{', '.join(missing[:3])}{' …' if len(missing) > 3 else ''})"
        )
    return version


# ── check ────────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Problem:
    check: str  # integrity | foreign-key | schema | seed | drift | journal
    message: str

    def line(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass
class CheckReport:
    path: Path
    schema_version: int
    latest_schema: int
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": str(self.path),
            "ok": self.ok,
            "schema_version": self.schema_version,
            "latest_schema": self.latest_schema,
            "checked": self.checked,
            "problems": [{"check": p.check, "message": p.message} for p in self.problems],
        }


class _Problems(list):
    """Problems, at most MAX_LINES_PER_CHECK lines of each kind, then one line with the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.overflow: dict[str, int] = {}

    def add(self, check: str, message: str) -> None:
        message = message.replace("\r", "\\r").replace("\n", "\\n")  # one problem, one line
        if sum(1 for p in self if p.check == check) >= MAX_LINES_PER_CHECK:
            self.overflow[check] = self.overflow.get(check, 0) + 1
        else:
            self.append(Problem(check, message))

    def done(self) -> list[Problem]:
        return list(self) + [Problem(c, f"… and {n} more") for c, n in self.overflow.items()]


def check(path: Path) -> CheckReport:
    """SQLite's integrity and foreign-key checks, then the seeded plan against data/.

    Checking never migrates, seeds or writes anything; all checks read one snapshot. (A backup
    in rollback-journal mode is opened read-only; a WAL database is opened normally, so that
    SQLite can tidy its -wal and -shm files, and only read.)
    """
    _require_file(path, "database", f"there is no database at {path} to check ('hnreport db init' creates one)")
    latest = latest_schema()
    conn = _connect(path, read_only=True)
    try:
        problems = _Problems()
        try:
            conn.execute("BEGIN")  # one read transaction: every check sees the same moment
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as err:
            problems.add("integrity", f"{err} (the file is damaged or truncated; 'hnreport db restore BACKUP' replaces it)")
            return CheckReport(path, -1, latest, problems.done())
        for (text,) in rows:
            if text == "ok":
                continue
            for line in text.splitlines():
                if line.strip() and not line.startswith("*** in database"):
                    problems.add("integrity", line.strip())
        try:
            version = _hnreport_version(conn, path)
        except sqlite3.DatabaseError as err:
            problems.add("integrity", f"{err} while reading the schema")
            return CheckReport(path, -1, latest, problems.done())
        report = CheckReport(path, version, latest)
        for what, run in (("foreign keys", _check_foreign_keys), ("seeded plan", _check_seed), ("journal", _check_journal)):
            try:
                run(conn, version, problems, report.checked)
            except sqlite3.DatabaseError as err:
                problems.add("integrity", f"{err} while checking the {what}")
        report.problems = problems.done()
        return report
    finally:
        conn.close()


def _check_foreign_keys(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    n = 0
    for table, rowid, parent, _fkid in conn.execute("PRAGMA foreign_key_check"):
        n += 1
        problems.add("foreign-key", f"{table} row {rowid} refers to a {parent} row that does not exist")
    checked["foreign_key_violations"] = n


def _same(want: Any, have: Any) -> bool:
    numbers = (int, float)
    if isinstance(want, numbers) and isinstance(have, numbers) and not isinstance(want, bool):
        return float(want) == float(have)
    return want == have


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _seed_rows(data: dict[str, Any]) -> dict[str, tuple[str, str, list[dict[str, Any]]]]:
    """What seed.apply writes, per table: (key column, data file, rows). Mirrors seed.apply;
    a freshly seeded database checking clean (tests/test_reliability.py) keeps the two in step."""
    plan = data["plan"]["plan"]
    sections = [
        {"code": s["code"], "part": s["part"], "ordinal": i, "name_zh": s["name_zh"], "name_en": s["name_en"],
         "locator": s["locator"], "note": s.get("note")}
        for i, s in enumerate(data["plan"]["section"])
    ]  # fmt: skip
    results = [
        {"key": r["key"], "ordinal": i, "name_zh": r["name_zh"], "name_en": r["name_en"], "section": r["section"],
         "kind": r["kind"], "value": r["value"], "unit": r.get("unit"), "scope": r.get("scope"),
         "locator": r["locator"], "phrase": r["phrase"], "note": r.get("note")}
        for i, r in enumerate(data["results"]["result"])
    ]  # fmt: skip
    targets = [
        {"key": t["key"], "ordinal": i, "name_zh": t["name_zh"], "name_en": t["name_en"], "section": t["section"],
         "kind": t["kind"], "comparator": t["comparator"], "value": t["value"], "unit": t.get("unit"),
         "unit_missing": int(bool(t.get("unit_missing"))), "frequency": t["frequency"], "baseline": t.get("baseline"),
         "locator": t["locator"], "phrase": t["phrase"], "strength": t.get("strength"), "note": t.get("note"),
         "origin": "seed"}
        for i, t in enumerate(data["targets"]["target"])
    ]  # fmt: skip
    milestones = [
        {"key": m["key"], "ordinal": i, "name_zh": m["name_zh"], "name_en": m["name_en"], "section": m["section"],
         "locator": m["locator"], "phrase": m["phrase"], "strength": m.get("strength"),
         "terms": ",".join(str(n) for n in m.get("terms", [])) or None, "note": m.get("note"), "origin": "seed"}
        for i, m in enumerate(data["milestones"]["milestone"])
    ]  # fmt: skip
    glossary = [
        {"number": g["number"], "term": g["term"], "page": g.get("page"), "explanation_zh": g["explanation_zh"],
         "explanation_en": g["explanation_en"], "body_locator": g["body_locator"], "note": g.get("note")}
        for g in data["glossary"]["term"]
    ]  # fmt: skip
    plan_row = [
        {"id": 1, "key": plan["key"], "name_zh": plan["name_zh"], "name_en": plan["name_en"], "county_zh": plan["county_zh"],
         "county_en": plan["county_en"], "year": plan["year"], "delivered": plan.get("delivered")}
    ]  # fmt: skip
    return {
        "plan": ("id", "plan.toml", plan_row),
        "sections": ("code", "plan.toml", sections),
        "results": ("key", "results.toml", results),
        "targets": ("key", "targets.toml", targets),
        "milestones": ("key", "milestones.toml", milestones),
        "glossary": ("number", "glossary.toml", glossary),
    }


LABELS = {"plan": "the plan", "sections": "section", "results": "result", "targets": "target",
          "milestones": "milestone", "glossary": "glossary term"}  # fmt: skip


def _norm(key: Any) -> Any:
    return key.lower() if isinstance(key, str) else key


def _check_seed(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    from hnreport import seed
    from hnreport.store import seed_digest

    row = conn.execute("SELECT seed_digest FROM plan WHERE id = 1").fetchone()
    if row is None:
        problems.add("seed", "the plan row is missing; restore a backup ('hnreport db restore FILE')")
        return
    digest = seed_digest()
    if row[0] != digest:
        problems.add(
            "seed",
            "the seeded facts come from another version of data/ than the one installed; any hnreport "
            "command (e.g. 'hnreport db init') brings them up to date",
        )
        return
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    explained_values = _journalled_revision_values(conn) if "target_revisions" in tables else {}
    for table, (key_col, file, expected) in _seed_rows(seed.load(resources.data_dir())).items():
        if table not in tables:
            continue  # not at this schema version yet; the next migration creates and seeds it
        columns = list(expected[0])
        cur = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")  # names from _seed_rows, not user text
        actual = {_norm(r[0]): dict(zip(columns, r)) for r in (tuple(x) for x in cur)}
        label = LABELS[table]
        if table == "targets":
            # seed.apply tells a seeded target apart from a user's of the same Chinese name
            users = {n: k.lower() for n, k in conn.execute("SELECT name_zh, key FROM targets WHERE origin = 'user'")}
            expected = [
                dict(w, name_zh=f"{w['name_zh']}(报告)") if users.get(w["name_zh"], w["key"].lower()) != w["key"].lower() else w
                for w in expected
            ]
        for want in expected:
            key = want[key_col]
            have = actual.get(_norm(key))
            name = label if table == "plan" else f"{label} {key}"
            if have is None:
                problems.add("drift", f"{name} of data/{file} is missing from the database")
                continue
            for col, value in want.items():
                if _same(value, have[col]):
                    continue
                if table == "targets" and col == "value" and have[col] in explained_values.get(_norm(key), ()):
                    continue  # a journalled target revision explains it
                problems.add(
                    "drift",
                    f"{name}: {col} is {_short(have[col])} in the database but {_short(value)} in data/{file} "
                    "(changed outside hnreport: no journal entry explains it)",
                )
        expected_keys = {_norm(w[key_col]) for w in expected}
        for key in sorted(k for k in actual if k not in expected_keys):
            if _kept_on_purpose(conn, table, key, actual[key]):
                continue
            problems.add("drift", f"{label} {key} is in the database as seeded but not in data/{file}")
        checked[table] = len(expected)


# What refers to a target or milestone by key (seed.apply keeps a dropped seeded item that
# anything refers to); seed._REFERENCES is the source of truth, this the fallback.
REFERENCES = {
    "targets": (("observations", "target_key"), ("target_revisions", "target_key"),
                ("assignment_log", "item_key"), ("setting_log", "scope")),
    "milestones": (("milestone_status", "milestone_key"), ("deadlines", "milestone_key"),
                   ("assignment_log", "item_key")),
}  # fmt: skip


def _references(table: str) -> tuple[tuple[str, str], ...]:
    from hnreport import seed

    return tuple(getattr(seed, "_REFERENCES", REFERENCES).get(table, ()))


def _kept_on_purpose(conn: sqlite3.Connection, table: str, key: Any, row: dict[str, Any]) -> bool:
    """Rows beyond data/ that are not drift: a user's own, or seeded ones seed.apply keeps because
    something refers to them."""
    if table in ("targets", "milestones") and row.get("origin") == "user":
        return True
    if table in ("targets", "milestones"):
        present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return any(
            conn.execute(f"SELECT 1 FROM {ref} WHERE {column} = ? LIMIT 1", (key,)).fetchone()  # names from REFERENCES
            for ref, column in _references(table)
            if ref in present
        )
    if table == "results":
        return conn.execute("SELECT 1 FROM targets WHERE baseline = ? LIMIT 1", (key,)).fetchone() is not None
    return False


def _journalled_revision_values(conn: sqlite3.Connection) -> dict[str, set[float]]:
    """Target values that a revision made through hnreport (with a live journal entry) explains."""
    out: dict[str, set[float]] = {}
    for key, value in conn.execute(
        "SELECT r.target_key, r.value FROM target_revisions r JOIN journal j ON j.id = r.change_id WHERE j.undone = 0"
    ):
        out.setdefault(key.lower(), set()).add(value)
    return out


def _check_journal(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    """Since schema 3 every figure and target revision is made by a journalled change."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"journal", "observations", "target_revisions"} <= tables:
        return
    n = 0
    for obs_id, key, as_of in conn.execute(
        "SELECT id, target_key, as_of FROM observations WHERE change_id IS NULL ORDER BY id"
    ):
        n += 1
        problems.add("journal", f"observation {obs_id} ({key}, {as_of}) has no journal entry: it was written outside hnreport")
    for rev_id, key, value, cid, action, jkey in conn.execute(
        "SELECT r.id, r.target_key, r.value, r.change_id, j.action, j.key FROM target_revisions r "
        "LEFT JOIN journal j ON j.id = r.change_id ORDER BY r.id"
    ):
        if action is None:
            continue  # a dangling change_id: the foreign-key check reports it
        if action in ("targets.revise", "import") or (jkey or "").lower() == key.lower():
            continue
        n += 1
        problems.add(
            "journal",
            f"target revision {rev_id} ({key} → {value:g}) is linked to journal change {cid}, a '{action}' of "
            f"{jkey or 'no target'}, which does not revise targets: it was written outside hnreport",
        )
    checked["journal_problems"] = n


# ── backup ───────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class BackupResult:
    path: Path
    schema_version: int
    observations: int | None
    size: int


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _check_destination(dest: Path, db_path: Path, *, force: bool) -> None:
    if dest.is_dir():
        raise MaintenanceError(f"{dest} is a directory; give a file name for the backup, e.g. {dest / 'hnreport-backup.db'}")
    if not dest.parent.exists():
        raise MaintenanceError(f"the folder {dest.parent} does not exist")
    if _same_file(dest, db_path):
        raise MaintenanceError(f"{dest} is the database itself; give another file name")
    for side in _sidecars(dest)[:2]:
        if side.exists():
            raise MaintenanceError(
                f"{side} exists (the database at {dest} is in use or was not closed cleanly); SQLite would mix it into "
                "the backup when opening it, so choose another name"
            )
    if dest.exists() and not force:
        raise MaintenanceError(f"{dest} already exists; use --force to replace it")


def _copy_into_new_file(src: sqlite3.Connection, dest: Path) -> int | None:
    """A consistent copy of ``src`` at ``dest`` (mode 0600), written beside it and renamed into
    place only once complete and verified, so ``dest`` is never a half-written file."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{time.monotonic_ns()}.tmp")
    _create_private(tmp)
    try:
        out = sqlite3.connect(tmp, isolation_level=None)
        try:
            src.backup(out)  # one step: a single snapshot, however busy the source is
            # A backup is one self-contained file: rollback-journal mode, so opening it (even
            # read-only) leaves no -wal or -shm files beside it. A restore switches back to WAL.
            out.execute("PRAGMA journal_mode = DELETE")
            trouble = _quick_check(out)
            if trouble:
                raise MaintenanceError(f"the copy failed its check ({trouble}); {dest} was not written")
            observations = _count(out, "observations")
        finally:
            out.close()
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync(dest.parent)
        return observations
    except BaseException:
        _remove_quietly(tmp, *_sidecars(tmp))
        raise


def _os_errors(fn):
    """Turn a file-system failure (no room, no permission, not a folder) into one line."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MaintenanceError:
            raise
        except OSError as err:
            where = f" {err.filename}" if err.filename else ""
            raise MaintenanceError(f"cannot complete the {fn.__name__}:{where} {err.strerror or err}") from None

    return wrapper


@_os_errors
def backup(db_path: Path, dest: Path, *, force: bool = False) -> BackupResult:
    """Copy the database at ``db_path`` to ``dest`` while others may go on writing to it.

    Any hnreport database is copied as it is — an older schema unmigrated, a newer one too.
    """
    if db_path.is_dir():
        raise MaintenanceError(f"{db_path} is a directory, not a database file")
    if not db_path.exists():
        raise MaintenanceError(f"there is no database at {db_path} to back up")
    reason = _not_sqlite(db_path)
    if reason:
        raise MaintenanceError(f"{db_path} {reason}; nothing to back up")
    _check_destination(dest, db_path, force=force)
    src = _connect(db_path, read_only=True)
    try:
        try:
            version = src.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                _hnreport_version(src, db_path)  # raises: empty, or another program's database
            observations = _copy_into_new_file(src, dest)
        except sqlite3.DatabaseError as err:
            raise MaintenanceError(f"cannot back up {db_path}: {err}") from err
    finally:
        src.close()
    return BackupResult(dest, version, observations, dest.stat().st_size)


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
    journal_entries: int | None


def _utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _reserve_before_restore_name(db_path: Path) -> Path:
    """``<db>.before-restore-<UTC timestamp>.db``, created empty (0600) so no two restores share it."""
    stamp = _utc_stamp()
    for n in range(1000):
        candidate = Path(f"{db_path}.before-restore-{stamp}{'' if n == 0 else f'-{n}'}.db")
        try:
            _create_private(candidate)
            return candidate
        except FileExistsError:
            continue
    raise MaintenanceError(f"cannot find a free name for the copy of {db_path}; tidy up its .before-restore files")


def _inspect_source(source: Path) -> tuple[int, int]:
    """(schema version, page size) of the file to restore; refuses anything hnreport should not."""
    _require_file(source, "backup")
    try:
        conn = _connect(source, read_only=True)
    except MaintenanceError as err:
        raise MaintenanceError(f"{err}; nothing was restored") from None
    try:
        trouble = _quick_check(conn)
        if trouble:
            raise MaintenanceError(f"{source} is damaged or truncated ({trouble}); nothing was restored")
        version = _hnreport_version(conn, source)
        row = conn.execute("SELECT key FROM plan WHERE id = 1").fetchone()
        if row is None:
            raise MaintenanceError(f"{source} has no plan in it; not a usable hnreport database, nothing was restored")
        from hnreport import seed

        plan_key = seed.load(resources.data_dir())["plan"]["plan"]["key"]
        if row[0] != plan_key:
            raise MaintenanceError(f"{source} holds the plan '{row[0]}', not '{plan_key}'; nothing was restored")
        return version, conn.execute("PRAGMA page_size").fetchone()[0]
    except MaintenanceError as err:
        if "nothing was restored" in str(err):
            raise
        raise MaintenanceError(f"{err}; nothing was restored") from None
    except sqlite3.DatabaseError as err:
        raise MaintenanceError(f"{source} is damaged or truncated ({err}); nothing was restored") from None
    finally:
        conn.close()


def _stage(source: Path, db_path: Path, page_size: int | None) -> tuple[Path, int, int | None, int | None]:
    """The restored content, migrated and seeded, in a private file beside the database."""
    from hnreport.store import Store

    stage = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}-{time.monotonic_ns()}.tmp")
    _create_private(stage)
    try:
        src = _connect(source, read_only=True)
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
            version = store.schema_version
            counts = _count(store.conn, "observations"), _count(store.conn, "journal")
            # hnreport runs in WAL mode; a database restored into a new file inherits this header.
            store.conn.execute("PRAGMA journal_mode = WAL")
        finally:
            store.close()
        return stage, version, *counts
    except BaseException:
        _remove_quietly(stage, *_sidecars(stage))
        raise


@_os_errors
def restore(db_path: Path, source: Path, *, create_parent: bool = False) -> RestoreResult:
    """Replace the database at ``db_path`` with the hnreport database ``source``, first saving it."""
    prepare_location(db_path, create_parent)
    if _same_file(source, db_path):
        raise MaintenanceError(f"{source} is the database in use; restore from a backup file")
    live_exists = db_path.exists() and db_path.stat().st_size > 0
    if live_exists:
        reason = _not_sqlite(db_path)
        if reason:
            raise MaintenanceError(
                f"{db_path} {reason}; hnreport will not overwrite it — move it away or restore with --db NEW.db"
            )
    schema_from, source_page_size = _inspect_source(source)

    live_page_size = None
    if live_exists:
        try:
            probe = _connect(db_path, read_only=True)
            try:
                foreign = probe.execute("PRAGMA user_version").fetchone()[0] == 0 and probe.execute(
                    "SELECT count(*) FROM sqlite_master"
                ).fetchone()[0]
                if probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    live_page_size = probe.execute("PRAGMA page_size").fetchone()[0]
            finally:
                probe.close()
        except (sqlite3.DatabaseError, MaintenanceError):
            foreign, live_page_size = False, None  # damaged: it is kept byte for byte, then replaced
        if foreign:
            raise MaintenanceError(
                f"{db_path} is an SQLite database of another program; hnreport will not overwrite it — "
                "move it away or restore with --db NEW.db"
            )

    stage, schema_to, observations, journal_entries = _stage(source, db_path, live_page_size)
    try:
        if not db_path.exists():
            try:
                _create_private(db_path)
            except FileExistsError:
                pass  # another process created it meanwhile; it is replaced under the lock below
        saved, raw = _swap_in(db_path, stage, live_exists)
        if not live_exists:
            os.chmod(db_path, 0o600)  # a county's record, like a database hnreport creates
    finally:
        _remove_quietly(stage, *_sidecars(stage))
    return RestoreResult(db_path, source, saved, raw, schema_from, schema_to, observations, journal_entries)


def _swap_in(db_path: Path, stage: Path, live_exists: bool) -> tuple[Path | None, bool]:
    """Under one exclusive lock: save the live database, then copy the staged one into it."""
    live = _connect(db_path)
    saved: Path | None = None
    try:
        try:
            # EXCLUSIVE locking mode keeps the lock from this write until we hand it back: other
            # processes wait (busy timeout) rather than write between the save and the copy-in.
            if live.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                live.execute("PRAGMA journal_mode = WAL")  # a new file: as Store.open would make it
            live.execute("PRAGMA locking_mode = EXCLUSIVE")
            live.execute("BEGIN IMMEDIATE")
            live.execute("COMMIT")
            damaged = _quick_check(live) if live_exists else None
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise MaintenanceError(
                    f"{db_path} stayed busy for {BUSY_TIMEOUT_S:g} s (another hnreport is using it); nothing was restored, try again"
                ) from None
            damaged = str(err)
        except sqlite3.DatabaseError as err:
            damaged = str(err)
        if damaged is not None:
            live.close()
            return _replace_damaged(db_path, stage), True
        if live_exists:
            saved = _reserve_before_restore_name(db_path)
            try:
                out = sqlite3.connect(saved, isolation_level=None)
                try:
                    live.backup(out)
                    trouble = _quick_check(out)
                finally:
                    out.close()
                if trouble:
                    raise MaintenanceError(f"the copy of {db_path} failed its check ({trouble}); nothing was restored")
                _fsync(saved)
            except BaseException:
                _remove_quietly(saved, *_sidecars(saved))
                raise
        staged = sqlite3.connect(stage, isolation_level=None)
        try:
            staged.backup(live)
        finally:
            staged.close()
        live.execute("PRAGMA locking_mode = NORMAL")
        live.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the next access releases the lock
        return saved, False
    finally:
        try:
            live.close()
        except sqlite3.Error:
            pass


def _replace_damaged(db_path: Path, stage: Path) -> Path:
    """The live file cannot be read as a database: keep its bytes (and its WAL), then put the
    restored file in its place."""
    import shutil

    saved = _reserve_before_restore_name(db_path)
    shutil.copyfile(db_path, saved)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{saved}-wal"))
    _fsync(saved)
    _remove_quietly(*_sidecars(db_path))
    os.replace(stage, db_path)
    os.chmod(db_path, 0o600)
    _fsync(db_path.parent)
    return saved
