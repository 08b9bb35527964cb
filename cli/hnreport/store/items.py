"""The plan and its items: sections, 2021 results, targets (with revisions), milestones,
the glossary, and items a user adds."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hnreport.domain.model import NONNEGATIVE_KINDS, Plan, Result, Revision, Section, Target
from hnreport.errors import Alternatives, BadValue, HnreportError, Message, UnknownKey
from hnreport.store.sql import Repository, visible

if TYPE_CHECKING:  # the milestone rules load only where milestones are read
    from hnreport.domain.milestones import GlossaryTerm, Milestone
    from hnreport.domain.names import Alias


class Items(Repository):
    def __init__(self, store) -> None:
        super().__init__(store)
        self._plan: Plan | None = None

    # ── the plan ─────────────────────────────────────────────────────────────────────────
    def plan(self) -> Plan:
        if self._plan is None:
            row = self.conn.execute("SELECT key, name_zh, name_en, year FROM plan").fetchone()
            self._plan = Plan(*row)
        return self._plan

    def plan_details(self) -> dict:
        """The plan's row as the publication names it: key, names, county, year, delivered."""
        row = self.conn.execute("SELECT key, name_zh, name_en, county_zh, county_en, year, delivered FROM plan").fetchone()
        return dict(zip(("key", "name_zh", "name_en", "county_zh", "county_en", "year", "delivered"), row))

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
        out = self.grouped(sql, "r.target_key", key, "r.effective, r.id",
                           lambda r: Revision(r[1], date.fromisoformat(r[2]), r[3]), at=0)
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
        noun = {"target": Message("noun_target"), "milestone": Message("noun_milestone"), "item": Message("noun_item")}[kind]
        listing = {"target": Message("keys_listed_target"), "milestone": Message("keys_listed_milestone"),
                   "item": Message("keys_listed_item")}[kind]  # fmt: skip
        if not key:
            return UnknownKey("no_key_given", kind=noun, see=listing)
        names: list[str] = []
        for table in tables:
            for k, name in self.conn.execute(f"SELECT key, name_zh FROM {table} x WHERE {visible('x')} ORDER BY ordinal"):
                names += [k, name]
        import difflib  # only a mistyped key needs it

        close = difflib.get_close_matches(key.lower(), names, n=3, cutoff=0.5)
        hint = Message("did_you_mean", choices=Alternatives(close)) if close else Message("see_hint", see=listing)
        return UnknownKey("unknown_key", kind=noun, key=key, hint=hint)

    def renamed_keys(self) -> dict[str, str]:
        """Old key → today's, for every seeded item a release renamed (``renamed_from``)."""
        from hnreport import resources
        from hnreport.store import seed

        data = seed.load(resources.data_dir())
        return {
            item["renamed_from"]: item["key"]
            for items in (data["targets"]["target"], data["milestones"]["milestone"])
            for item in items
            if item.get("renamed_from")
        }

    def target_keys(self) -> list[str]:
        return [r[0] for r in self.conn.execute(f"SELECT key FROM targets t WHERE {visible('t')} ORDER BY ordinal")]

    def revise_target(self, target: Target, value: float, effective: date, reason: str) -> None:
        plan = self.plan()
        if not plan.start <= effective <= plan.end:
            raise BadValue("effective_outside_year", date=effective.isoformat(), year=plan.year)
        if not reason.strip():
            raise BadValue("revision_needs_reason")
        if value < 0 and target.kind in NONNEGATIVE_KINDS:
            raise BadValue("target_negative", key=target.key, value=value)
        summary = Message("j_target_revised", key=target.key, old=target.value, new=value, date=effective.isoformat())
        with self.store.change("targets.revise", summary, key=target.key, reason=reason.strip()) as (conn, change_id):
            conn.execute(
                "INSERT INTO target_revisions (target_key, value, effective, reason, change_id) VALUES (?, ?, ?, ?, ?)",
                (target.key, value, effective.isoformat(), reason.strip(), change_id),
            )

    # ── the names statistical tables print for targets (aliases) ──────────────────────────
    def aliases(self, key: str | None = None) -> list[Alias]:
        """The names in force (seeded, or added and not undone), of one target or of all, in the
        order they were given; a name given twice (seeded and added) once."""
        from hnreport.domain.names import Alias

        sql = f"SELECT a.target_key, a.alias, a.norm, a.source, a.change_id FROM target_aliases a WHERE {visible('a')}"
        args: tuple = ()
        if key is not None:
            sql += " AND a.target_key = ?"
            args = (key,)
        out: dict[tuple[str, str], Alias] = {}
        for target_key, alias, norm, source, change_id in self.conn.execute(sql + " ORDER BY a.id", args):
            out.setdefault((target_key.lower(), norm), Alias(target_key, alias, norm, source, change_id is not None))
        return list(out.values())

    def indicator_names(self) -> dict[str, list[str]]:
        """Every name a row of a statistical table can match (as compared: ``domain.names``) →
        the keys of the targets it names: the aliases, each target's Chinese name and its key."""
        from hnreport.domain.names import name_norm

        names: dict[str, list[str]] = {}
        for t in self.targets():
            for norm in (name_norm(t.name_zh), name_norm(t.key)):
                if t.key not in names.setdefault(norm, []):
                    names[norm].append(t.key)
        live = {t.lower() for t in self.target_keys()}
        for a in self.aliases():
            if a.key.lower() in live and a.key not in names.setdefault(a.norm, []):
                names[a.norm].append(a.key)
        return names

    def add_alias(self, target: Target, name: str) -> tuple[str, int, list[str]]:
        """Add ``name`` as a name statistical tables print for ``target`` (journalled). Returns
        the name as kept, the change, and the other targets the same name already feeds."""
        from hnreport.domain.names import name_norm
        from hnreport.domain.values import text_problem

        alias = (name or "").strip()
        if (problem := text_problem("alias", alias)) is not None:
            raise BadValue.saying(problem)
        norm = name_norm(alias)
        if not norm:
            raise BadValue("alias_needs_name")
        with self.store.change("targets.alias", Message("j_alias", key=target.key, alias=alias), key=target.key) as (conn, change_id):
            names = self.indicator_names()
            if target.key in names.get(norm, []):
                same = next((a.name for a in self.aliases(target.key) if a.norm == norm), None)
                raise BadValue("alias_already", name=alias, key=target.key, same=same or target.name_zh)
            conn.execute(
                "INSERT INTO target_aliases (target_key, alias, norm, source, change_id) VALUES (?, ?, ?, NULL, ?)",
                (target.key, alias, norm, change_id),
            )
        return alias, change_id, [k for k in names.get(norm, []) if k != target.key]

    # ── milestones ───────────────────────────────────────────────────────────────────────
    _M_SQL = (
        "SELECT key, name_zh, name_en, section, locator, phrase, strength, terms, note, origin FROM milestones m "
        "WHERE " + visible("m")
    )

    @staticmethod
    def _milestone(row: tuple) -> Milestone:
        from hnreport.domain.milestones import Milestone

        terms = tuple(int(x) for x in row[7].split(",")) if row[7] else ()
        return Milestone(row[0], row[1], row[2], row[3], row[4], row[5], row[6], terms, row[8], row[9])

    def milestones(self) -> list[Milestone]:
        return [self._milestone(r) for r in self.conn.execute(self._M_SQL + " ORDER BY ordinal")]

    def milestone(self, key: str) -> Milestone:
        wanted = (key or "").strip()
        row = self.conn.execute(
            self._M_SQL + " AND (key = ? COLLATE NOCASE OR name_zh = ?)", (wanted, wanted)
        ).fetchone()
        if row is None:
            raise self.unknown_key(wanted, "milestone")
        return self._milestone(row)

    def item_kind(self, key: str) -> tuple[str, str]:
        """('target' | 'milestone', canonical key) for a key or exact Chinese name of either."""
        wanted = (key or "").strip()
        for table, kind in (("targets", "target"), ("milestones", "milestone")):
            row = self.conn.execute(
                f"SELECT key FROM {table} x WHERE (key = ? COLLATE NOCASE OR name_zh = ?) AND {visible('x')}",
                (wanted, wanted),
            ).fetchone()
            if row:
                return kind, row[0]
        raise self.unknown_key(wanted, "item")

    # ── glossary ─────────────────────────────────────────────────────────────────────────
    def glossary(self) -> list[GlossaryTerm]:
        return [
            _glossary_term(row)
            for row in self.conn.execute(
                "SELECT number, term, page, explanation_zh, explanation_en, body_locator, note FROM glossary ORDER BY number"
            )
        ]

    def glossary_terms_in(self, text: str, numbers: tuple[int, ...] = ()) -> list[GlossaryTerm]:
        """Glossary entries whose term or [N] marker appears in ``text``, plus those named outright."""
        plain = text.replace('"', "").replace("“", "").replace("”", "")
        found = []
        for entry in self.glossary():
            number, term = entry[0], entry[1]
            bare = term.replace('"', "").replace("“", "").replace("”", "")
            if number in numbers or f"[{number}]" in text or term in text or (len(bare) >= 2 and bare in plain):
                found.append(entry)
        return found

    # ── items a user adds beyond the seed ────────────────────────────────────────────────
    def add_target(self, row: dict) -> None:
        if not (row.get("name_zh") or "").strip():
            raise BadValue("target_needs_name")
        if row["value"] < 0 and row["kind"] in NONNEGATIVE_KINDS:
            raise BadValue("new_target_negative", kind=row["kind"], value=row["value"])
        with self.store.change("targets.add", Message("j_target_added", key=row["key"], name=row["name_zh"]), key=row["key"]) as (conn, change_id):
            self._check_new_key(row["key"], row["name_zh"])
            ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM targets").fetchone()[0]
            conn.execute(
                "INSERT INTO targets (key, ordinal, name_zh, name_en, section, kind, comparator, value, unit, "
                "unit_missing, frequency, baseline, locator, phrase, strength, note, origin, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?, NULL, ?, 'user', ?)",
                (row["key"], ordinal, row["name_zh"], row["name_en"], row["section"], row["kind"], row["comparator"],
                 row["value"], row.get("unit"), row["frequency"], row.get("locator") or "", row.get("phrase") or "",
                 row.get("note"), change_id),
            )  # fmt: skip

    def add_milestone(self, row: dict) -> None:
        if not (row.get("name_zh") or "").strip():
            raise BadValue("milestone_needs_name")
        with self.store.change("milestones.add", Message("j_milestone_added", key=row["key"], name=row["name_zh"]), key=row["key"]) as (conn, change_id):
            self._check_new_key(row["key"])
            ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM milestones").fetchone()[0]
            conn.execute(
                "INSERT INTO milestones (key, ordinal, name_zh, name_en, section, locator, phrase, strength, note, origin, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                (row["key"], ordinal, row["name_zh"], row["name_en"], row["section"], row.get("locator") or "",
                 row.get("phrase") or "", row.get("strength"), row.get("note"), change_id),
            )  # fmt: skip

    def _check_new_key(self, key: str, name_zh: str | None = None) -> None:
        import re

        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key or ""):
            raise BadValue("invalid_key", key=key)
        for table in ("targets", "milestones"):
            row = self.conn.execute(f"SELECT {visible('x')} FROM {table} x WHERE key = ? COLLATE NOCASE", (key,)).fetchone()
            if not row:
                continue
            noun = Message("noun_target") if table == "targets" else Message("noun_milestone")
            if row[0]:
                raise HnreportError("key_taken", key=key, kind=noun)
            raise HnreportError("key_undone", key=key, kind=noun)
        if name_zh is not None:
            clash = self.conn.execute("SELECT key FROM targets WHERE name_zh = ?", (name_zh,)).fetchone()
            if clash:
                raise HnreportError("name_taken", name=name_zh, other=clash[0])


def _glossary_term(row: tuple) -> GlossaryTerm:
    from hnreport.domain.milestones import GlossaryTerm

    return GlossaryTerm(*row)
