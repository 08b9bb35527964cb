"""The plans a database holds, and the one in use.

Every per-plan table carries a plan_id (units: a county). The store reads them through temporary
views of the same names, made for the plan in use on each connection: ``SELECT … FROM targets``
in any repository sees that plan's targets only, and the repositories' queries need not name the
plan. Writes go to the tables themselves (``INSERT INTO main.targets``), whose plan_id defaults to
``hnreport_plan()``, a function this connection defines as the plan in use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hnreport.records import Record
from hnreport.errors import Alternatives, DatabaseError, HnreportError, Message
from hnreport.store.sql import Repository

# Tables whose rows belong to a plan (plan_id = the plan in use).
PER_PLAN = (
    "sections", "results", "targets", "milestones", "glossary", "observations", "milestone_status",
    "deadlines", "target_revisions", "node_marks", "target_aliases", "assignment_log", "unit_reports",
    "unit_report_items",
)  # fmt: skip
# Tables with rows of the database (plan_id NULL) and of a plan.
SHARED_OR_PER_PLAN = ("setting_log",)
# Tables whose rows belong to a county (units are shared by a county's plans).
PER_COUNTY = ("units",)
# The views scope() makes: the tables above, unit_aliases (through units) and plan.
SCOPED = (
    "sections", "results", "targets", "milestones", "glossary", "observations", "milestone_status",
    "deadlines", "target_revisions", "node_marks", "target_aliases", "assignment_log", "unit_reports",
    "unit_report_items", "setting_log", "units", "unit_aliases", "plan",
)  # fmt: skip
assert set(SCOPED) == {*PER_PLAN, *SHARED_OR_PER_PLAN, *PER_COUNTY, "unit_aliases", "plan"}

# A plan is there unless the change that loaded it is undone or a removal of it stands.
VISIBLE_PLAN = """(p.change_id IS NULL OR EXISTS (SELECT 1 FROM journal j WHERE j.id = p.change_id AND j.undone = 0))
    AND NOT EXISTS (SELECT 1 FROM plan_removals x JOIN journal j ON j.id = x.change_id
                    WHERE x.plan_id = p.id AND j.undone = 0)"""

SETTING = "plan.current"  # the default plan, set by `plan use`


# What a user recorded against a plan (not what its file seeded): `plan remove` asks --force.
USER_ROWS = (
    ("observations", "change_id IS NOT NULL"), ("milestone_status", "change_id IS NOT NULL"),
    ("deadlines", "change_id IS NOT NULL"), ("node_marks", "change_id IS NOT NULL"),
    ("target_revisions", "change_id IS NOT NULL"), ("assignment_log", "1"), ("setting_log", "change_id IS NOT NULL"),
    ("target_aliases", "change_id IS NOT NULL"), ("unit_reports", "1"), ("targets", "origin = 'user'"),
    ("milestones", "origin = 'user'"),
)  # fmt: skip


class PlanRow(Record):
    id: int
    key: str
    name_zh: str
    name_en: str
    county_zh: str
    county_en: str
    year: int
    delivered: str | None
    seed_digest: str
    source: str | None
    change_id: int | None


PLAN_COLUMNS = "p.id, p.key, p.name_zh, p.name_en, p.county_zh, p.county_en, p.year, p.delivered, p.seed_digest, p.source, p.change_id"


class Plans(Repository):
    def __init__(self, store) -> None:
        super().__init__(store)
        self.current: PlanRow | None = None
        self._scoped = False  # whether this connection has the plan's views yet
        self._has_table = False  # whether the plans table is known to exist

    @property
    def id(self) -> int | None:
        return self.current.id if self.current is not None else None

    @property
    def key(self) -> str | None:
        return self.current.key if self.current is not None else None

    def define_functions(self) -> None:
        self.conn.create_function("hnreport_plan", 0, lambda: self.id, deterministic=False)
        self.conn.create_function(
            "hnreport_county", 0, lambda: self.current.county_zh if self.current else None, deterministic=False
        )

    # ── reading ──────────────────────────────────────────────────────────────────────────
    def all(self) -> list[PlanRow]:
        """Every plan the database holds (not removed), in the order they came."""
        if not self._has_plans():
            return []
        return [PlanRow(*r) for r in self.conn.execute(f"SELECT {PLAN_COLUMNS} FROM main.plans p WHERE {VISIBLE_PLAN} ORDER BY p.id")]

    def find(self, key: str) -> PlanRow | None:
        row = self.conn.execute(
            f"SELECT {PLAN_COLUMNS} FROM main.plans p WHERE p.key = ? COLLATE NOCASE AND {VISIBLE_PLAN} ORDER BY p.id DESC LIMIT 1",
            (key.strip(),),
        ).fetchone()
        return PlanRow(*row) if row else None

    def get(self, key: str) -> PlanRow:
        """The plan keyed ``key`` (case-insensitive), or an error listing those there are."""
        found = self.find(key)
        if found is None:
            keys = [p.key for p in self.all()]
            import difflib

            close = difflib.get_close_matches(key.lower(), keys, n=3, cutoff=0.5)
            hint = Message("did_you_mean", choices=Alternatives(close)) if close else Message("plans_are", keys=", ".join(keys) or "—")
            raise HnreportError("plan_unknown", key=key, hint=hint)
        return found

    def by_id(self, plan_id: int) -> PlanRow | None:
        row = self.conn.execute(f"SELECT {PLAN_COLUMNS} FROM main.plans p WHERE p.id = ?", (plan_id,)).fetchone()
        return PlanRow(*row) if row else None

    def _has_plans(self) -> bool:
        # Once there, the table stays (no migration drops it): asked of SQLite once per store.
        if not self._has_table:
            self._has_table = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plans'").fetchone() is not None
        return self._has_table

    def default_key(self) -> str | None:
        """The plan `plan use` chose, if it is still there."""
        row = self.conn.execute(
            "SELECT s.value FROM main.setting_log s WHERE s.scope = '' AND s.key = ? AND (s.change_id IS NULL OR "
            "EXISTS (SELECT 1 FROM journal j WHERE j.id = s.change_id AND j.undone = 0)) ORDER BY s.id DESC LIMIT 1",
            (SETTING,),
        ).fetchone()
        return row[0] if row else None

    # ── the plan in use ──────────────────────────────────────────────────────────────────
    def use(self, key: str | None = None) -> PlanRow | None:
        """Work on the plan keyed ``key`` (--plan, HNREPORT_PLAN); without one, the one `plan use`
        chose, else the first there is. Every per-plan table then reads as that plan's."""
        if not self._has_plans():
            return None
        plans = self.all()
        if key:
            plan = self.get(key)
        else:
            chosen = self.default_key() if len(plans) > 1 else None
            plan = (self.find(chosen) if chosen else None) or next(iter(plans), None)
        if plan is not None and len(plans) == 1 and self._only_row():
            # The database holds this one plan and nothing else (no removed or undone one): its
            # tables are the plan's as they stand, and no views are needed.
            self.current = plan
            self.store.items._plan = None
            return plan
        self.switch(plan)
        return plan

    def only_row(self) -> bool:
        """Whether the database has ever held one plan only (removed and undone ones count)."""
        return self._only_row()

    def _only_row(self) -> bool:
        return self.conn.execute("SELECT count(*) FROM main.plans").fetchone()[0] == 1

    def switch(self, plan: PlanRow | None) -> None:
        """Read every per-plan table as ``plan``'s (none: every one empty)."""
        self.current = plan
        scope(self.conn, plan.id if plan else 0, again=self._scoped)
        self._scoped = True
        self.store.items._plan = None

    def user_rows(self, plan_id: int) -> dict[str, int]:
        """How many rows of each kind a user recorded against the plan (visible ones)."""
        out = {}
        for table, which in USER_ROWS:
            (n,) = self.conn.execute(
                f"SELECT count(*) FROM main.{table} x WHERE x.plan_id = ? AND {which} AND "
                "(x.change_id IS NULL OR EXISTS (SELECT 1 FROM journal j WHERE j.id = x.change_id AND j.undone = 0))",
                (plan_id,),
            ).fetchone()
            if n:
                out[table] = n
        return out

    def load(self, data: dict[str, Any], digest: str, source: str, content: bytes | None = None) -> tuple[str, PlanRow]:
        """Bring a checked plan file into the database: a new plan, or the seeded facts of the
        plan with its key brought up to date (never a user's rows). Returns what happened —
        'added', 'updated' or 'unchanged' — and the plan. ``content``, the file's bytes, is kept
        with the plan (``db check`` checks its facts against it)."""
        from hnreport.store import seed

        key = data["plan"]["plan"]["key"]
        existing = self.find(key)
        if existing is not None and existing.id == 1 and existing.change_id is None and existing.source is None:
            raise HnreportError("plan_load_embedded", key=existing.key)
        if existing is not None and existing.seed_digest == digest:
            if content is not None and not self.conn.execute(
                "SELECT 1 FROM plan_files WHERE plan_id = ? AND digest = ?", (existing.id, digest)
            ).fetchone():  # loaded before the database kept plan files: keep the copy db check reads (no change of the plan)
                try:
                    with self.store.write() as conn:
                        conn.execute("INSERT INTO plan_files (plan_id, digest, content) VALUES (?, ?, ?)", (existing.id, digest, content))
                except DatabaseError:
                    pass  # a database that cannot be written now: the copy waits for another load
            return "unchanged", existing
        action = "updated" if existing is not None else "added"
        summary = Message("j_plan_updated" if existing else "j_plan_loaded", plan=key, path=source)
        with self.store.change("plan.load", summary, key=key) as (conn, change_id):
            if existing is None:
                (plan_id,) = conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM main.plans").fetchone()
            else:
                plan_id = existing.id
            if existing is None:
                seed.apply(conn, data, digest, plan_id, source=source, change_id=change_id)
            else:  # rows updated in place: undo needs them as they were (redo as they became)
                from hnreport.store import seed_images

                before, renames = seed_images.snapshot(conn, plan_id), seed_images.planned_renames(conn, data, plan_id)
                seed.apply(conn, data, digest, plan_id, source=source, change_id=change_id)
                seed_images.record(conn, change_id, plan_id, before, seed_images.snapshot(conn, plan_id), renames)
            conn.execute("UPDATE journal SET plan_id = ? WHERE id = ?", (plan_id, change_id))
            if content is not None:
                conn.execute(
                    "INSERT INTO plan_files (plan_id, digest, content, change_id) SELECT ?, ?, ?, ? "
                    "WHERE NOT EXISTS (SELECT 1 FROM plan_files WHERE plan_id = ? AND digest = ?)",
                    (plan_id, digest, content, change_id, plan_id, digest),
                )
        loaded = self.by_id(plan_id)
        assert loaded is not None
        return action, loaded

    def remove(self, plan: PlanRow, reason: str | None = None) -> int:
        """Remove a plan (a journalled change; ``undo`` brings it back with every row)."""
        with self.store.change("plan.remove", Message("j_plan_removed", plan=plan.key), key=plan.key, reason=reason) as (conn, change_id):
            conn.execute("INSERT INTO plan_removals (plan_id, change_id) VALUES (?, ?)", (plan.id, change_id))
            conn.execute("UPDATE journal SET plan_id = ? WHERE id = ?", (plan.id, change_id))
        if self.current is not None and self.current.id == plan.id:
            self.use(None)
        return change_id

    def set_default(self, plan: PlanRow) -> None:
        """`plan use`: the plan commands work on when neither --plan nor HNREPORT_PLAN says."""
        with self.store.change("plan.use", Message("j_plan_used", plan=plan.key), key=plan.key) as (conn, change_id):
            conn.execute(
                "INSERT INTO main.setting_log (plan_id, scope, key, value, change_id) VALUES (NULL, '', ?, ?, ?)",
                (SETTING, plan.key, change_id),
            )
            conn.execute("UPDATE journal SET plan_id = ? WHERE id = ?", (plan.id, change_id))

    def plan_data(self, plan: PlanRow) -> dict[str, Any]:
        """The plan's seeded facts in a plan file's shape (``store.seed.load``'s)."""
        head = {"key": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "county_zh": plan.county_zh,
                "county_en": plan.county_en, "year": plan.year, "delivered": plan.delivered}  # fmt: skip
        targets = self._rows(
            "SELECT key, name_zh, name_en, section, kind, comparator, value, unit, unit_missing, frequency, baseline, "
            "locator, phrase, strength, note FROM main.targets WHERE plan_id = ? AND origin = 'seed' ORDER BY ordinal",
            plan.id,
        )
        for t in targets:
            t["unit_missing"] = bool(t.get("unit_missing"))
            if not t["unit_missing"]:
                del t["unit_missing"]
        milestones = self._rows(
            "SELECT key, name_zh, name_en, section, locator, phrase, strength, terms, note FROM main.milestones "
            "WHERE plan_id = ? AND origin = 'seed' ORDER BY ordinal",
            plan.id,
        )
        for m in milestones:
            if "terms" in m:
                m["terms"] = [int(n) for n in str(m["terms"]).split(",") if n.strip().isdigit()]
        aliases: dict[str, list[str]] = {}
        sources: dict[str, str] = {}
        for key, alias, source in self.conn.execute(
            "SELECT target_key, alias, source FROM main.target_aliases WHERE plan_id = ? AND change_id IS NULL ORDER BY id", (plan.id,)
        ):
            aliases.setdefault(key, []).append(alias)
            if source:
                sources.setdefault(key, source)
        return {
            "plan": {"plan": head, "section": self._rows("SELECT code, part, name_zh, name_en, locator, note FROM main.sections WHERE plan_id = ? ORDER BY ordinal", plan.id)},
            "results": {"result": self._rows("SELECT key, name_zh, name_en, section, kind, value, unit, scope, locator, phrase, note "
                                       "FROM main.results WHERE plan_id = ? ORDER BY ordinal", plan.id)},
            "targets": {"target": targets},
            "milestones": {"milestone": milestones},
            "glossary": {"term": self._rows("SELECT number, term, page, explanation_zh, explanation_en, body_locator, note "
                                      "FROM main.glossary WHERE plan_id = ? ORDER BY number", plan.id)},
            "aliases": {"aliases": [{"key": k, "names": v, **({"source": sources[k]} if k in sources else {})} for k, v in aliases.items()]},
        }  # fmt: skip

    def _rows(self, sql: str, plan_id: int) -> list[dict[str, Any]]:
        """The rows of ``sql`` (one ``?``: the plan) as dicts of their non-NULL fields."""
        cur = self.conn.execute(sql, (plan_id,))
        names = [d[0] for d in cur.description]
        return [{k: v for k, v in zip(names, r) if v is not None} for r in cur]

    def counts(self, plan: PlanRow) -> dict[str, int]:
        """How many targets, milestones, results and figures the plan holds."""
        out = {}
        for name, table, extra in (("targets", "targets", "1"), ("milestones", "milestones", "1"), ("results", "results", "1"),
                                   ("figures", "observations", "1")):  # fmt: skip
            (out[name],) = self.conn.execute(
                f"SELECT count(*) FROM main.{table} x WHERE x.plan_id = ? AND {extra}"
                + (" AND (x.change_id IS NULL OR EXISTS (SELECT 1 FROM journal j WHERE j.id = x.change_id AND j.undone = 0))" if table != "results" else ""),
                (plan.id,),
            ).fetchone()
        return out

    # ── outcomes from the next year's review ─────────────────────────────────────────────
    def outcome_matches(self, newer: PlanRow, older: PlanRow) -> list:
        """The newer plan's results, each with the older plan's target it is the outcome of."""
        from hnreport.domain.outcomes import match_outcomes

        back = self.current
        try:
            self.switch(newer)
            results, newer_targets = self.store.items.results(), self.store.items.targets()
            self.switch(older)
            older_targets = self.store.items.targets()
            aliases: dict[str, set[str]] = {}
            for a in self.store.items.aliases():
                aliases.setdefault(a.key, set()).add(a.norm)
        finally:
            self.switch(back)
        return match_outcomes(results, newer_targets, older_targets, aliases)

    def record_outcomes(self, newer: PlanRow, older: PlanRow, matches: list) -> tuple[int | None, list]:
        """Record each matched result as the older plan's figure for its year's end (one
        journalled change); a figure already recorded so is left as it is. Returns the change
        (None when nothing was new) and, per match, the observation made or None."""
        from hnreport.domain.outcomes import decimals_of
        from hnreport.store.sql import now_utc

        as_of = f"{older.year}-12-31"
        back = self.current
        self.switch(older)
        try:
            todo = []
            for m in matches:
                previous = self.store.figures.current_for_period(m.target.key, date.fromisoformat(as_of))
                same = previous is not None and previous[1] == m.result.value and (previous[2] == m.vintage or previous[2] == "final")
                todo.append(None if same else (m, previous))
            if not any(todo):
                return None, [None] * len(matches)
            made: list = []
            summary = Message("j_plan_outcomes", count=sum(1 for t in todo if t), plan=older.key, newer=newer.key)
            with self.store.change("plan.outcomes", summary, key=older.key) as (conn, change_id):
                conn.execute("UPDATE journal SET plan_id = ? WHERE id = ?", (older.id, change_id))
                for item in todo:
                    if item is None:
                        made.append(None)
                        continue
                    m, previous = item
                    supersedes = previous[0] if previous and not (previous[2] == "final" and m.vintage != "final") else None
                    cur = conn.execute(
                        "INSERT INTO main.observations (plan_id, target_key, value, as_of, recorded_at, note, source, change_id, "
                        "vintage, supersedes, decimals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (older.id, m.target.key, m.result.value, as_of, now_utc(), m.result.phrase or None,
                         f"{newer.name_zh} {m.result.locator}".strip(), change_id, m.vintage, supersedes,
                         decimals_of(m.result.value)),
                    )  # fmt: skip
                    made.append(cur.lastrowid)
            return change_id, made
        finally:
            self.switch(back)

def scope(conn, plan_id: int, *, again: bool = True) -> None:
    """Make this connection read each per-plan table (and ``plan``) as plan ``plan_id``'s, each
    county table as that plan's county's: temporary views of the tables' names (``again``:
    replacing those made before)."""
    pid = int(plan_id)
    county = f"(SELECT p.county_zh FROM main.plans p WHERE p.id = {pid})"
    statements = []
    if again:
        statements += [f"DROP VIEW IF EXISTS temp.{t}" for t in SCOPED]
    statements += [f"CREATE TEMP VIEW {t} AS SELECT * FROM main.{t} WHERE plan_id = {pid}" for t in PER_PLAN]
    statements += [f"CREATE TEMP VIEW {t} AS SELECT * FROM main.{t} WHERE (plan_id IS NULL OR plan_id = {pid})" for t in SHARED_OR_PER_PLAN]
    statements += [f"CREATE TEMP VIEW {t} AS SELECT * FROM main.{t} WHERE county = {county}" for t in PER_COUNTY]
    statements.append(
        "CREATE TEMP VIEW unit_aliases AS SELECT a.* FROM main.unit_aliases a "
        f"WHERE a.unit_id IN (SELECT u.id FROM main.units u WHERE u.county = {county})"
    )
    statements.append(
        "CREATE TEMP VIEW plan AS SELECT id, key, name_zh, name_en, county_zh, county_en, year, delivered, "
        f"seed_digest FROM main.plans WHERE id = {pid}"
    )
    if conn.in_transaction:
        for sql in statements:
            conn.execute(sql)
    else:  # one call, one transaction: a millisecond less than a statement at a time
        conn.executescript("BEGIN;" + ";".join(statements) + ";COMMIT;")
