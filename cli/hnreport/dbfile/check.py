"""``hnreport db check``: SQLite's integrity and foreign-key checks, the seeded plan against
data/, and the journal against the rows it explains. Nothing here writes or prints."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hnreport.records import Record
from hnreport import resources
from hnreport.dbfile.common import connect, hnreport_version, require_file
from hnreport.dbfile.rows import check_rows
from hnreport.errors import Message, Word
from hnreport.store.migrations import latest_schema
from hnreport.store.schema import schema_differences


MAX_LINES_PER_CHECK = 100  # beyond this, one '… and N more' line per kind of problem


# ── check ────────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Problem:
    check: str  # integrity | foreign-key | schema | seed | drift | journal | data
    message: Message | str  # a catalogue message; SQLite's own integrity lines as SQLite words them

    def line(self) -> Message:
        return Message("check_line", check=Word("CHECK_KINDS", self.check), problem=self.message)


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
            "problems": [{"check": p.check, "message": str(p.message)} for p in self.problems],
        }


class _Problems(list):
    """Problems, at most MAX_LINES_PER_CHECK lines of each kind, then one line with the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.overflow: dict[str, int] = {}

    def add(self, check: str, message: Message | str) -> None:
        if isinstance(message, str):
            message = message.replace("\r", "\\r").replace("\n", "\\n")  # one problem, one line
        if sum(1 for p in self if p.check == check) >= MAX_LINES_PER_CHECK:
            self.overflow[check] = self.overflow.get(check, 0) + 1
        else:
            self.append(Problem(check, message))

    def done(self) -> list[Problem]:
        return list(self) + [Problem(c, Message("and_more", count=n)) for c, n in self.overflow.items()]


def check(path: Path) -> CheckReport:
    """SQLite's integrity and foreign-key checks, then the seeded plan against data/.

    Checking never migrates, seeds or writes anything; all checks read one snapshot. (A backup
    in rollback-journal mode is opened read-only; a WAL database is opened normally, so that
    SQLite can tidy its -wal and -shm files, and only read.)
    """
    require_file(path, Message("noun_database"), Message("check_no_db", path=path))
    latest = latest_schema()
    conn = connect(path, read_only=True)
    try:
        problems = _Problems()
        try:
            conn.execute("BEGIN")  # one read transaction: every check sees the same moment
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as err:
            problems.add("integrity", Message("check_damaged", reason=str(err)))
            return CheckReport(path, -1, latest, problems.done())
        for (text,) in rows:
            if text == "ok":
                continue
            for line in text.splitlines():
                if line.strip() and not line.startswith("*** in database"):
                    problems.add("integrity", line.strip())
        try:
            version = hnreport_version(conn, path)
        except sqlite3.DatabaseError as err:
            problems.add("integrity", Message("check_failed_reading", reason=str(err), what=Message("check_what_schema")))
            return CheckReport(path, -1, latest, problems.done())
        report = CheckReport(path, version, latest)
        for what, run in ((Message("check_what_schema"), _check_schema), (Message("check_what_foreign_keys"), _check_foreign_keys),
                          (Message("check_what_seed"), _check_seed), (Message("check_what_journal"), _check_journal),
                          (Message("check_what_rows"), check_rows), (Message("check_what_search"), _check_search_index)):  # fmt: skip
            try:
                run(conn, version, problems, report.checked)
            except sqlite3.DatabaseError as err:
                problems.add("integrity", Message("check_failed_reading", reason=str(err), what=what))
        report.problems = problems.done()
        return report
    finally:
        conn.close()


def _check_search_index(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    """FTS5's own check of the search index (migration 0011). It is a command written as an
    INSERT, which a read-only connection refuses: then it runs on a copy of the database in a
    temporary folder (the same snapshot; memory stays bounded, a backup can be large)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_index'").fetchone() is None:
        return
    checked["search_index"] = 1
    check = "INSERT INTO search_index (search_index) VALUES ('integrity-check')"
    try:
        conn.execute("SAVEPOINT search_check")
        try:
            conn.execute(check)
        finally:
            conn.execute("ROLLBACK TO search_check")
            conn.execute("RELEASE search_check")
    except sqlite3.OperationalError as err:
        if (getattr(err, "sqlite_errorcode", 0) & 0xFF) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            problems.add("search", Message("check_search_index", reason=str(err)))
            return
        import tempfile

        try:
            folder: tempfile.TemporaryDirectory | None = tempfile.TemporaryDirectory()
        except OSError:  # no temporary folder to be had: the copy is made in memory
            folder = None
        copy = _copy_of(conn, Path(folder.name) / "copy.db" if folder is not None else None)
        try:
            copy.execute(check)
        except sqlite3.DatabaseError as inner:
            problems.add("search", Message("check_search_index", reason=str(inner)))
        finally:
            copy.close()
            if folder is not None:
                folder.cleanup()
    except sqlite3.DatabaseError as err:
        problems.add("search", Message("check_search_index", reason=str(err)))


def _copy_of(conn: sqlite3.Connection, path: Path | None) -> sqlite3.Connection:
    """A copy of ``conn``'s database at ``path`` (a temporary file: memory stays bounded); in
    memory where no file can be written there (a full disk) or there is none."""
    if path is not None:
        copy = sqlite3.connect(path)
        try:
            conn.backup(copy)
            return copy
        except sqlite3.Error:
            copy.close()
    copy = sqlite3.connect(":memory:")
    conn.backup(copy)
    return copy


def _check_schema(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    """The whole schema against what migrations 1…version create: an extra trigger or a changed
    view alters figures without a trace in the journal."""
    differences = schema_differences(conn, version)
    for difference in differences:
        problems.add("schema", Message("schema_problem", difference=difference.message(), version=version))
    checked["schema_differences"] = len(differences)


def _check_foreign_keys(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    n = 0
    for table, rowid, parent, _fkid in conn.execute("PRAGMA foreign_key_check"):
        n += 1
        problems.add("foreign-key", Message("check_foreign_key", table=table, rowid=rowid, parent=parent))
    checked["foreign_key_violations"] = n


def _same(want: Any, have: Any) -> bool:
    numbers = (int, float)
    if isinstance(want, numbers) and isinstance(have, numbers) and not isinstance(want, bool):
        return float(want) == float(have)
    return want == have


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def _seed_rows(data: dict[str, Any], plan_id: int = 1) -> dict[str, tuple[str, str, list[dict[str, Any]]]]:
    """What seed.apply writes, per table: (key column, data file, rows). Mirrors seed.apply;
    a freshly seeded database checking clean (tests/test_reliability.py) keeps the two in step."""
    plan = data["plan"]["plan"]
    sections = [
        {"code": s["code"], "part": s["part"], "ordinal": i, "name_zh": s["name_zh"], "name_en": s["name_en"],
         "locator": s["locator"], "note": s.get("note")}
        for i, s in enumerate(data["plan"].get("section", []))
    ]  # fmt: skip
    results = [
        {"key": r["key"], "ordinal": i, "name_zh": r["name_zh"], "name_en": r["name_en"], "section": r["section"],
         "kind": r["kind"], "value": r["value"], "unit": r.get("unit"), "scope": r.get("scope"),
         "locator": r["locator"], "phrase": r["phrase"], "note": r.get("note")}
        for i, r in enumerate(data.get("results", {}).get("result", []))
    ]  # fmt: skip
    targets = [
        {"key": t["key"], "ordinal": i, "name_zh": t["name_zh"], "name_en": t["name_en"], "section": t["section"],
         "kind": t["kind"], "comparator": t["comparator"], "value": t["value"], "unit": t.get("unit"),
         "unit_missing": int(bool(t.get("unit_missing"))), "frequency": t["frequency"], "baseline": t.get("baseline"),
         "locator": t["locator"], "phrase": t["phrase"], "strength": t.get("strength"), "note": t.get("note"),
         "origin": "seed"}
        for i, t in enumerate(data.get("targets", {}).get("target", []))
    ]  # fmt: skip
    milestones = [
        {"key": m["key"], "ordinal": i, "name_zh": m["name_zh"], "name_en": m["name_en"], "section": m["section"],
         "locator": m["locator"], "phrase": m["phrase"], "strength": m.get("strength"),
         "terms": ",".join(str(n) for n in m.get("terms", [])) or None, "note": m.get("note"), "origin": "seed"}
        for i, m in enumerate(data.get("milestones", {}).get("milestone", []))
    ]  # fmt: skip
    glossary = [
        {"number": g["number"], "term": g["term"], "page": g.get("page"), "explanation_zh": g["explanation_zh"],
         "explanation_en": g["explanation_en"], "body_locator": g["body_locator"], "note": g.get("note")}
        for g in data.get("glossary", {}).get("term", [])
    ]  # fmt: skip
    plan_row = [
        {"id": plan_id, "key": plan["key"], "name_zh": plan["name_zh"], "name_en": plan["name_en"], "county_zh": plan["county_zh"],
         "county_en": plan["county_en"], "year": plan["year"], "delivered": _day_text(plan.get("delivered"))}
    ]  # fmt: skip
    return {
        "plan": ("id", "plan.toml", plan_row),
        "sections": ("code", "plan.toml", sections),
        "results": ("key", "results.toml", results),
        "targets": ("key", "targets.toml", targets),
        "milestones": ("key", "milestones.toml", milestones),
        "glossary": ("number", "glossary.toml", glossary),
    }


def _day_text(value: Any) -> Any:
    """A TOML date (delivered = 2022-03-23, unquoted) as the text the database keeps."""
    return value.isoformat() if hasattr(value, "isoformat") else value


LABELS = {"plan": Message("check_label_plan"), "sections": Message("check_label_section"), "results": Message("check_label_result"),
          "targets": Message("noun_target"), "milestones": Message("noun_milestone"),
          "glossary": Message("check_label_glossary")}  # fmt: skip


def _norm(key: Any) -> Any:
    return key.lower() if isinstance(key, str) else key


def _check_seed(conn: sqlite3.Connection, version: int, problems: _Problems, checked: dict[str, int]) -> None:
    """The embedded plan's seeded facts against data/, then (from schema 12) every loaded plan's
    against the plan file it was loaded from, as the database keeps it."""
    from hnreport.store import seed

    row = conn.execute("SELECT seed_digest FROM plan WHERE id = 1").fetchone()
    if row is None:
        problems.add("seed", Message("check_no_plan_row"))
    elif row[0] != seed.seed_digest():
        problems.add("seed", Message("check_seed_other_version"))
    else:
        data = seed.load(resources.data_dir())
        _check_plan_facts(conn, data, 1, problems, checked, _EMBEDDED)
    _check_loaded_plans(conn, problems, checked)


class _Source(Record):
    """Where a plan's seeded facts come from, as a drift line names it: data/'s files (the
    embedded plan), or the plan file a plan was loaded from."""

    plan: str | None = None  # None: the embedded plan, data/
    file: str | None = None

    @property
    def embedded(self) -> bool:
        return self.plan is None

    def fields(self, data_file: str) -> dict[str, Any]:
        return {"file": data_file} if self.plan is None else {"plan": self.plan, "file": self.file}


_EMBEDDED = _Source()


def _check_loaded_plans(conn: sqlite3.Connection, problems: _Problems, checked: dict[str, int]) -> None:
    """Each plan loaded from a file (not removed, its load not undone) against that file."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"plans", "plan_files"} <= tables:
        return  # before schema 13 no plan file was kept: nothing to check a loaded plan against
    from hnreport.domain.planfile import file_digest, read_plan_file
    from hnreport.store.plans import VISIBLE_PLAN, scope

    plans = conn.execute(
        f"SELECT p.id, p.key, p.seed_digest, p.source FROM main.plans p WHERE p.source IS NOT NULL AND {VISIBLE_PLAN} ORDER BY p.id"
    ).fetchall()
    unchecked = 0
    try:
        for plan_id, key, digest, source in plans:
            found = conn.execute(
                "SELECT content FROM plan_files WHERE plan_id = ? AND digest = ? ORDER BY id DESC LIMIT 1", (plan_id, digest)
            ).fetchone()
            if found is None:
                unchecked += 1  # loaded before the database kept plan files
                continue
            content = bytes(found[0])
            file = Path(source).name
            if file_digest(content) != digest:
                problems.add("seed", Message("check_plan_file_changed", plan=key, file=file))
                continue
            try:
                parsed = read_plan_file(content.decode("utf-8-sig"))
            except UnicodeDecodeError:
                parsed = None
            if parsed is None or parsed.problems:
                problems.add("seed", Message("check_plan_file_changed", plan=key, file=file))
                continue
            scope(conn, plan_id)
            _check_plan_facts(conn, parsed.data, plan_id, problems, checked, _Source(key, file))
    finally:
        scope(conn, 1)  # the rest of the checks read the embedded plan
    if unchecked:
        checked["plans_not_checked"] = unchecked


def _check_plan_facts(conn: sqlite3.Connection, data: dict[str, Any], plan_id: int, problems: _Problems,
                      checked: dict[str, int], origin: _Source) -> None:  # fmt: skip
    """One plan's seeded rows (the connection reads that plan's) against ``data``."""
    from hnreport.store import seed

    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "plans" in tables:
        tables.add("plan")  # from schema 12 the embedded plan is a row of plans, read as the view plan (dbfile.common)
    explained_values = _journalled_revision_values(conn) if "target_revisions" in tables else {}
    for table, (key_col, file, expected) in _seed_rows(data, plan_id).items():
        if table not in tables:
            continue  # not at this schema version yet; the next migration creates and seeds it
        if not expected:
            columns = [key_col]
        else:
            columns = list(expected[0])
        cur = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")  # names from _seed_rows, not user text
        actual = {_norm(r[0]): dict(zip(columns, r)) for r in (tuple(x) for x in cur)}
        if table == "plan":
            actual = {k: v for k, v in actual.items() if k == plan_id}
        label = LABELS[table]
        where = origin.fields(file)
        embedded = origin.embedded
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
            name = label if table == "plan" else Message("check_named", what=label, key=str(key))
            if have is None:
                problems.add("drift", Message("check_seed_missing" if embedded else "check_plan_missing", name=name, **where))
                continue
            for col, value in want.items():
                if _same(value, have[col]):
                    continue
                if table == "targets" and col == "value" and have[col] in explained_values.get(_norm(key), ()):
                    continue  # a journalled target revision explains it
                problems.add("drift", Message("check_seed_changed" if embedded else "check_plan_changed", name=name, column=col,
                                              have=_short(have[col]), want=_short(value), **where))
        expected_keys = {_norm(w[key_col]) for w in expected}
        for key in sorted(k for k in actual if k not in expected_keys):
            if _kept_on_purpose(conn, table, key, actual[key]):
                continue
            problems.add("drift", Message("check_seed_extra" if embedded else "check_plan_extra",
                                          name=Message("check_named", what=label, key=str(key)), **where))
        checked[table] = checked.get(table, 0) + len(expected)
    if "target_aliases" in tables:
        _check_seeded_aliases(conn, seed.seeded_aliases(data), problems, checked, origin)


def _check_seeded_aliases(conn: sqlite3.Connection, expected: dict, problems: _Problems, checked: dict[str, int],
                          origin: _Source = _EMBEDDED) -> None:  # fmt: skip
    """The names a plan seeds (data/aliases.toml, or its file's [[aliases]]; rows no change made)
    against the database."""
    actual: dict[tuple[str, str], tuple[str, str | None]] = {}
    for key, norm, alias, source in conn.execute("SELECT target_key, norm, alias, source FROM target_aliases WHERE change_id IS NULL"):
        actual.setdefault((key, norm), (alias, source))
    more = {} if origin.embedded else origin.fields("")
    embedded = origin.embedded
    for (key, norm), (alias, source) in expected.items():
        have = actual.get((key, norm))
        if have is None:
            problems.add("drift", Message("check_alias_missing" if embedded else "check_plan_alias_missing", alias=repr(alias), key=key, **more))
        elif have != (alias, source):
            problems.add("drift", Message("check_alias_changed" if embedded else "check_plan_alias_changed", alias=repr(alias), key=key, have=_short(have[0]),
                                          have_source=_short(have[1]), want=_short(alias), want_source=_short(source), **more))
    for (key, norm), (alias, _source) in actual.items():
        if (key, norm) not in expected:
            problems.add("drift", Message("check_alias_extra" if embedded else "check_plan_alias_extra", alias=repr(alias), key=key, **more))
    checked["target_aliases"] = checked.get("target_aliases", 0) + len(expected)


def _references(table: str) -> tuple[tuple[str, str], ...]:
    from hnreport.store import seed

    return tuple(seed.REFERENCES.get(table, ()))


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
        problems.add("journal", Message("check_unjournalled", id=obs_id, key=key, as_of=as_of))
    for rev_id, key, value, cid, action, jkey in conn.execute(
        "SELECT r.id, r.target_key, r.value, r.change_id, j.action, j.key FROM target_revisions r "
        "LEFT JOIN journal j ON j.id = r.change_id ORDER BY r.id"
    ):
        if action is None:
            continue  # a dangling change_id: the foreign-key check reports it
        if action in ("targets.revise", "import") or (jkey or "").lower() == key.lower():
            continue
        n += 1
        problems.add("journal", Message("check_revision_link", id=rev_id, key=key, value=value, change=cid, action=action,
                                        of=jkey or Message("check_no_target")))
    checked["journal_problems"] = n

