"""The plans a database holds, and the one in use.

Every per-plan table carries a plan_id (units: a county). The store reads them through temporary
views of the same names, made for the plan in use on each connection: ``SELECT … FROM targets``
in any repository sees that plan's targets only, and the repositories' queries need not name the
plan. Writes go to the tables themselves (``INSERT INTO main.targets``), whose plan_id defaults to
``hnreport_plan()``, a function this connection defines as the plan in use.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from hnreport.errors import Alternatives, HnreportError, Message
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

# A plan is there unless the change that loaded it is undone or a removal of it stands.
VISIBLE_PLAN = """(p.change_id IS NULL OR EXISTS (SELECT 1 FROM journal j WHERE j.id = p.change_id AND j.undone = 0))
    AND NOT EXISTS (SELECT 1 FROM plan_removals x JOIN journal j ON j.id = x.change_id
                    WHERE x.plan_id = p.id AND j.undone = 0)"""

SETTING = "plan.current"  # the default plan, set by `plan use`


class PlanRow(NamedTuple):
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
        self._columns: dict[str, list[str]] | None = None

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
            raise HnreportError("unknown_plan", key=key, hint=hint)
        return found

    def by_id(self, plan_id: int) -> PlanRow | None:
        row = self.conn.execute(f"SELECT {PLAN_COLUMNS} FROM main.plans p WHERE p.id = ?", (plan_id,)).fetchone()
        return PlanRow(*row) if row else None

    def _has_plans(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plans'").fetchone() is not None

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
        """Work on the plan keyed ``key``; without one, HNREPORT_PLAN's, else the one `plan use`
        chose, else the first there is. Every per-plan table then reads as that plan's."""
        key = key or os.environ.get("HNREPORT_PLAN") or None
        if not self._has_plans():
            return None
        if key:
            plan = self.get(key)
        else:
            chosen = self.default_key()
            plan = (self.find(chosen) if chosen else None) or next(iter(self.all()), None)
        self.switch(plan)
        return plan

    def switch(self, plan: PlanRow | None) -> None:
        """Read every per-plan table as ``plan``'s (none: every one empty)."""
        self.current = plan
        self._columns = scope(self.conn, plan.id if plan else 0, plan.county_zh if plan else "", self._columns)
        self.store.items._plan = None


def scope(conn, plan_id: int, county: str, columns: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Make this connection read each per-plan table (and ``plan``) as plan ``plan_id``'s, each
    county table as ``county``'s: temporary views of the tables' names. Returns the tables'
    columns, which a caller may hand back to save looking them up again."""
    if columns is None:
        names = (*PER_PLAN, *SHARED_OR_PER_PLAN, *PER_COUNTY)
        columns = {}
        for table, column in conn.execute(
            f"SELECT m.name, c.name FROM main.sqlite_master m, pragma_table_info(m.name, 'main') c "
            f"WHERE m.type = 'table' AND m.name IN ({', '.join('?' * len(names))}) ORDER BY m.name, c.cid",
            names,
        ):
            columns.setdefault(table, []).append(column)
    pid = int(plan_id)
    county = county.replace("'", "''")
    statements = [f"DROP VIEW IF EXISTS temp.{t}" for t in (*PER_PLAN, *SHARED_OR_PER_PLAN, *PER_COUNTY, "unit_aliases", "plan")]
    for table in PER_PLAN:
        statements.append(_view(table, columns, f"plan_id = {pid}"))
    for table in SHARED_OR_PER_PLAN:
        statements.append(_view(table, columns, f"(plan_id IS NULL OR plan_id = {pid})"))
    for table in PER_COUNTY:
        statements.append(_view(table, columns, f"county = '{county}'"))
    statements.append(
        "CREATE TEMP VIEW unit_aliases AS SELECT a.* FROM main.unit_aliases a "
        f"WHERE a.unit_id IN (SELECT u.id FROM main.units u WHERE u.county = '{county}')"
    )
    statements.append(
        "CREATE TEMP VIEW plan AS SELECT id, key, name_zh, name_en, county_zh, county_en, year, delivered, "
        f"seed_digest FROM main.plans WHERE id = {pid}"
    )
    in_transaction = conn.in_transaction
    if not in_transaction:
        conn.execute("BEGIN")
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        if not in_transaction:
            conn.execute("COMMIT")
    return columns


def _view(table: str, columns: dict[str, list[str]], where: str) -> str:
    shown = ", ".join(c for c in columns[table] if c not in ("plan_id", "county"))
    return f"CREATE TEMP VIEW {table} AS SELECT {shown} FROM main.{table} WHERE {where}"
