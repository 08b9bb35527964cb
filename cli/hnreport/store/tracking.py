"""Milestone status histories and deadlines, responsible units and their assignments."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hnreport.domain.milestones import (
    MILESTONE_STATUSES,
    NODE_MARKS,
    Deadline,
    Milestone,
    MilestoneState,
    NodeMark,
    StatusChange,
    Unit,
    state_at,
)
from hnreport.domain.model import ROLES
from hnreport.errors import Alternatives, BadValue, Message, UnknownKey, Word, stored
from hnreport.store.sql import Repository, now_utc, visible

if TYPE_CHECKING:
    from hnreport.domain.allocation import AllocationPlan
    from hnreport.workbooks import AllocationRow, AllocationTable


class Tracking(Repository):
    def status_changes(self, key: str | None = None) -> dict[str, list[StatusChange]]:
        sql = (
            "SELECT id, milestone_key, status, as_of, recorded_at, progress, problems, next_steps, source "
            f"FROM milestone_status s WHERE {visible('s')}"
        )
        return self.grouped(sql, "milestone_key", key, "as_of, id",
                            lambda r: StatusChange(r[0], r[1], r[2], date.fromisoformat(r[3]), *r[4:]))

    def deadlines(self, key: str | None = None) -> dict[str, list[Deadline]]:
        sql = f"SELECT id, milestone_key, kind, due_date, text, reason, recorded_at FROM deadlines d WHERE {visible('d')}"
        return self.grouped(sql, "milestone_key", key, "id", lambda r: Deadline(r[0], r[1], r[2], date.fromisoformat(r[3]), *r[4:]))

    def node_marks(self, key: str | None = None) -> dict[str, list[NodeMark]]:
        """Every visible node mark, oldest first, per milestone (the latest per node is in force)."""
        sql = f"SELECT id, milestone_key, node_date, mark, note, recorded_at FROM node_marks n WHERE {visible('n')}"
        return self.grouped(sql, "milestone_key", key, "id", lambda r: NodeMark(r[0], r[1], date.fromisoformat(r[2]), *r[3:]))

    def milestone_states(self, as_of: date, key: str | None = None) -> list[MilestoneState]:
        changes = self.status_changes(key)
        deadlines = self.deadlines(key)
        marks = self.node_marks(key)
        leads, supports = self.assignment_map()
        year = self.store.items.plan().year
        ms = [self.store.items.milestone(key)] if key else self.store.items.milestones()
        return [
            state_at(m, as_of, changes.get(m.key, []), deadlines.get(m.key, []), leads.get(m.key), tuple(supports.get(m.key, ())),
                     plan_year=year, marks=marks.get(m.key, []))  # fmt: skip
            for m in ms
        ]

    def set_status(
        self,
        milestone: Milestone,
        status: str,
        as_of: date,
        *,
        progress: str | None = None,
        problems: str | None = None,
        next_steps: str | None = None,
        source: str | None = None,
    ) -> StatusChange:
        if status not in MILESTONE_STATUSES:
            raise BadValue("unknown_choice", what=Message("what_status"), value=status, choices=", ".join(MILESTONE_STATUSES))
        recorded = now_utc()
        summary = Message("j_milestone_set", key=milestone.key, status=Word("MILESTONE_STATUS", status), date=as_of.isoformat())
        with self.store.change("milestones.set", summary, key=milestone.key, reason=problems) as (conn, change_id):
            cur = conn.execute(
                "INSERT INTO main.milestone_status (plan_id, milestone_key, status, as_of, recorded_at, progress, problems, "
                "next_steps, source, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (milestone.key, status, as_of.isoformat(), recorded, progress, problems, next_steps, source, change_id),
            )
        return StatusChange(cur.lastrowid, milestone.key, status, as_of, recorded, progress, problems, next_steps, source,  # type: ignore[arg-type]
                            change_id)

    def add_deadline(
        self, milestone: Milestone, kind: str, due: date, text: str | None = None, reason: str | None = None
    ) -> None:
        summary = (Message("j_extended", key=milestone.key, date=due.isoformat()) if kind == "extension"
                   else Message("j_due", key=milestone.key, date=due.isoformat(), nodes=""))  # fmt: skip
        with self.store.change(f"milestones.{'extend' if kind == 'extension' else kind}", summary, key=milestone.key,
                         reason=reason) as (conn, change_id):  # fmt: skip
            if kind == "extension":
                has_due = conn.execute(
                    f"SELECT 1 FROM deadlines d WHERE milestone_key = ? AND kind = 'due' AND {visible('d')}",
                    (milestone.key,),
                ).fetchone()
                current = conn.execute(
                    f"SELECT due_date FROM deadlines d WHERE milestone_key = ? AND kind IN ('due', 'extension') "
                    f"AND {visible('d')} ORDER BY id DESC LIMIT 1",
                    (milestone.key,),
                ).fetchone()
                if current and due.isoformat() <= current[0]:
                    raise BadValue("extension_not_later", current=current[0], key=milestone.key)
                if not has_due:
                    raise BadValue("extension_no_due", key=milestone.key)
            conn.execute(
                "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, text, reason, recorded_at, change_id) "
                "VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?)",
                (milestone.key, kind, due.isoformat(), text, reason, now_utc(), change_id),
            )

    def add_deadlines(self, milestone: Milestone, due: date, nodes: list[tuple[date, str]]) -> None:
        """A due date and its intermediate time nodes, in one transaction."""
        summary = Message("j_due", key=milestone.key, date=due.isoformat(), nodes=Message("with_nodes", count=len(nodes)) if nodes else "")
        with self.store.change("milestones.due", summary, key=milestone.key) as (conn, change_id):
            now = now_utc()
            conn.execute(
                "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, recorded_at, change_id) VALUES (hnreport_plan(), ?, 'due', ?, ?, ?)",
                (milestone.key, due.isoformat(), now, change_id),
            )
            for day, text in nodes:
                conn.execute(
                    "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, text, recorded_at, change_id) "
                    "VALUES (hnreport_plan(), ?, 'node', ?, ?, ?, ?)",
                    (milestone.key, day.isoformat(), text, now, change_id),
                )

    def mark_node(self, milestone: Milestone, node_date: date, mark: str, note: str | None = None) -> tuple[list[str], int]:
        """Mark the time node(s) of ``milestone`` on ``node_date`` met or missed (a later mark
        replaces an earlier one; undo reverts it). Returns the nodes' texts and the change id."""
        if mark not in NODE_MARKS:
            raise BadValue("unknown_choice", what=Message("what_mark"), value=mark, choices="met, missed, 已完成, 未完成")
        day = node_date.isoformat()
        summary = Message("j_node_marked", key=milestone.key, date=day, texts="", mark=Word("NODE_MARK", mark))
        with self.store.change("milestones.node", summary, key=milestone.key, reason=note) as (conn, change_id):
            nodes = conn.execute(
                f"SELECT due_date, text FROM deadlines d WHERE milestone_key = ? AND kind = 'node' AND {visible('d')} "
                "ORDER BY due_date, id",
                (milestone.key,),
            ).fetchall()
            texts = [text or "" for when, text in nodes if when == day]
            if not nodes:
                raise BadValue("no_time_nodes", key=milestone.key)
            if not texts:
                listed = ", ".join(f"{when} {text or ''}".strip() for when, text in nodes)
                raise BadValue("no_node_on", key=milestone.key, date=day, nodes=listed)
            conn.execute("UPDATE journal SET summary = ? WHERE id = ?", (stored(Message("j_node_marked", key=milestone.key, date=day, texts=Message("in_parens", what="; ".join(texts)),
                                 mark=Word("NODE_MARK", mark))), change_id))
            conn.execute(
                "INSERT INTO main.node_marks (plan_id, milestone_key, node_date, mark, note, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?)",
                (milestone.key, day, mark, note, now_utc(), change_id),
            )
        return texts, change_id

    # ── units and assignments ────────────────────────────────────────────────────────────
    def units(self) -> list[Unit]:
        aliases: dict[int, list[str]] = {}
        for alias, uid in self.conn.execute(f"SELECT alias, unit_id FROM unit_aliases a WHERE {visible('a')} ORDER BY alias"):
            aliases.setdefault(uid, []).append(alias)
        return [
            Unit(uid, name, aliases.get(uid, []))
            for uid, name in self.conn.execute(f"SELECT id, name FROM units u WHERE {visible('u')} ORDER BY id")
        ]

    def _unit_id(self, name: str) -> int | None:
        row = self.conn.execute(f"SELECT id FROM units u WHERE name = ? AND {visible('u')}", (name,)).fetchone()
        if row:
            return row[0]
        row = self.conn.execute(
            f"SELECT unit_id FROM unit_aliases a WHERE alias = ? AND {visible('a')}", (name,)
        ).fetchone()
        return row[0] if row else None

    def add_unit(self, name: str, aliases: list[str]) -> tuple[str, bool]:
        """Add the unit ``name`` (or, if it is a unit's name or alias already, that unit) and its
        ``aliases``; returns (the unit's name, whether anything was added). When every name
        given is already the unit's, nothing is written and nothing journalled."""
        name = (name or "").strip()
        if not name:
            raise BadValue("unit_needs_name_eg")
        clean = [a.strip() for a in aliases if a.strip()]
        known = self._unit_id(name)
        if known is not None:  # (an alias of another unit is refused below, in the change)
            stored = self.conn.execute("SELECT name FROM units WHERE id = ?", (known,)).fetchone()[0]
            if all(self._unit_id(alias) == known for alias in clean):
                return stored, False
            name = stored  # aliases added to the unit an alias named: the journal names the unit
        summary = Message("j_unit_added", name=name, aliases=Message("with_aliases", aliases="、".join(clean)) if clean else "")
        with self.store.change("units.add", summary) as (conn, change_id):
            existing = self._unit_id(name)
            if existing is None:
                existing = conn.execute(
                    "INSERT INTO main.units (county, name, created_at, change_id) VALUES (hnreport_county(), ?, ?, ?)", (name, now_utc(), change_id)
                ).lastrowid
            for alias in clean:
                owner = self._unit_id(alias)
                if owner is not None and owner != existing:
                    other = conn.execute("SELECT name FROM units WHERE id = ?", (owner,)).fetchone()[0]
                    raise BadValue("alias_taken", alias=alias, other=other)
                if owner is None:
                    conn.execute(
                        "INSERT INTO main.unit_aliases (alias, unit_id, change_id) VALUES (?, ?, ?)", (alias, existing, change_id)
                    )
            return conn.execute("SELECT name FROM units WHERE id = ?", (existing,)).fetchone()[0], True

    def resolve_unit(self, name: str) -> str:
        wanted = (name or "").strip()
        uid = self._unit_id(wanted)
        if uid is None:
            known = [n for _, n, al in self.units()] + [a for _, _, al in self.units() for a in al]
            import difflib  # only a mistyped unit needs it

            close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.4)
            hint = Message("did_you_mean", choices=Alternatives(close)) if close else ""
            raise UnknownKey("unknown_unit", unit=wanted, hint=hint)
        return self.conn.execute("SELECT name FROM units WHERE id = ?", (uid,)).fetchone()[0]

    def assign(self, key: str, unit: str, role: str, *, new: bool = False) -> tuple[str, str, str, str | None, bool]:
        """Make ``unit`` lead or support an item; returns (kind, key, unit name, the lead it
        replaced — a new lead replaces the old one, and the user is told who — and whether
        anything changed: a unit that already has that role for the item is not recorded again,
        and nothing is journalled)."""
        if role not in ROLES:
            raise BadValue("unknown_choice", what=Message("what_role"), value=role, choices=", ".join(ROLES))
        kind, canonical = self.store.items.item_kind(key)
        wanted = unit.strip()
        if not wanted:
            raise BadValue("unit_needs_name")
        if self._unit_id(wanted) is None:
            if not new:
                self.resolve_unit(wanted)  # raises with the closest names
        else:
            name = self.resolve_unit(wanted)
            leads, supports = self.assignment_map()
            if (leads.get(canonical) == name) if role == "lead" else (name in supports.get(canonical, ())):
                return kind, canonical, name, None, False
        with self.store.change("assign", Message("j_assigned", unit=wanted, role=Word("ROLE", role), key=canonical), key=canonical) as (conn, change_id):
            before = self.assignment_map()[0].get(canonical) if role == "lead" else None
            uid = self._unit_id(wanted)
            if uid is None:
                uid = conn.execute(
                    "INSERT INTO main.units (county, name, created_at, change_id) VALUES (hnreport_county(), ?, ?, ?)", (wanted, now_utc(), change_id)
                ).lastrowid
            conn.execute(
                "INSERT INTO main.assignment_log (plan_id, item_key, unit_id, role, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?)",
                (canonical, uid, role, now_utc(), change_id),
            )
            name = conn.execute("SELECT name FROM units WHERE id = ?", (uid,)).fetchone()[0]
        return kind, canonical, name, before if before and before != name else None, True

    def assignment_map(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Lead and supporting units per item, folded from the assignment log in order."""
        roles: dict[str, dict[str, str]] = {}
        for key, name, role in self.conn.execute(
            "SELECT a.item_key, u.name, a.role FROM assignment_log a JOIN units u ON u.id = a.unit_id "
            f"WHERE {visible('a')} AND {visible('u')} ORDER BY a.id"
        ):
            item = roles.setdefault(key, {})
            if role == "lead":
                for other, r in list(item.items()):
                    if r == "lead":
                        del item[other]  # one lead per item: a new lead replaces the old one
            item[name] = role
        leads = {k: n for k, item in roles.items() for n, r in item.items() if r == "lead"}
        supports = {k: [n for n, r in item.items() if r == "support"] for k, item in roles.items()}
        return leads, {k: v for k, v in supports.items() if v}


    # ── the 责任分工方案: many assignments and deadlines at once ──────────────────────────────
    def plan_allocation(self, table: AllocationTable, *, new_units: bool = False) -> AllocationPlan:
        """What a 分工方案 would change, row by row: each row's item (by key, exact name or the
        report's phrase), its units resolved (or, with ``new_units``, to be created), its
        deadline read; and every problem — an unknown or ambiguous item with suggestions, an
        unknown unit with the closest names, a deadline that cannot be read, one item given two
        leads — naming its row and cell. Nothing is written."""
        from hnreport.domain.allocation import (
            AllocationItem, AllocationPlan, Candidate, DeadlineUnclear, match_item, parse_deadline, split_units,
        )

        items = self.store.items
        plan = items.plan()
        candidates = [Candidate(t.key, "target", t.name_zh, t.phrase) for t in items.targets()]
        candidates += [Candidate(m.key, "milestone", m.name_zh, m.phrase) for m in items.milestones()]
        by_key = {c.key.lower(): c for c in candidates}
        leads, supports = self.assignment_map()
        states = {s.milestone.key: s for s in self.milestone_states(plan.end)}
        problems: list[Message] = []
        created: list[str] = []
        skipped: list[int] = []
        merged: dict[str, dict] = {}

        def where(row: AllocationRow, role: str) -> Message:
            cell = row.cells[role][0] if role in row.cells else f"A{row.line}"
            if table.sheet:
                return Message("sheet_where", path=table.path, sheet=table.sheet, row=row.line, cell=cell)
            return Message("line_where", path=table.path, row=row.line, cell=cell)

        def unit_named(row: AllocationRow, role: str, name: str) -> str | None:
            uid = self._unit_id(name)
            if uid is not None:
                return self.conn.execute("SELECT name FROM units WHERE id = ?", (uid,)).fetchone()[0]
            if new_units:
                if name not in created:
                    created.append(name)
                return name
            known = [n for _, n, _al in self.units()] + [a for _, _n, al in self.units() for a in al]
            import difflib

            # 0.5: 县自然资源局 and 县财政局 share 县…局 (0.4) and are no likely slip; 县发改局 → 发改局 is (0.86)
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = Message("did_you_mean", choices=Alternatives(close)) if close else ""
            problems.append(Message("allocation_unknown_unit", where=where(row, role), unit=name, hint=hint))
            return None

        for row in table.rows:
            text = row.cells.get("task", ("", ""))[1]
            key_text = row.cells.get("key", ("", ""))[1]
            lead_text, support_text = row.cells.get("lead", ("", ""))[1], row.cells.get("support", ("", ""))[1]
            deadline_text = row.cells.get("deadline", ("", ""))[1]
            if not (lead_text or support_text or deadline_text):
                skipped.append(row.line)  # a heading (一、稳增长), a note: no unit, no deadline
                continue
            if key_text:
                item = by_key.get(key_text.lower())
                if item is None:
                    problems.append(Message("sheet_cell_problem", where=where(row, "key"), problem=items.unknown_key(key_text, "item")))
                    continue
                how = "key"
            else:
                found = match_item(text, candidates)
                if found.how == "ambiguous":
                    choices = Alternatives(f"{c.key}（{c.name}）" for c in found.items[:6])
                    problems.append(Message("allocation_ambiguous_item", where=where(row, "task"), text=text,
                                            count=len(found.items), choices=choices))  # fmt: skip
                    continue
                if found.item is None:
                    close = Alternatives(f"{c.key}（{c.name}）" for c in found.items)
                    hint = Message("did_you_mean", choices=close) if found.items else ""
                    problems.append(Message("allocation_unknown_item", where=where(row, "task"), text=text, hint=hint))
                    continue
                item, how = found.item, found.how
            named_leads, named_supports = split_units(lead_text), split_units(support_text)
            lead_units = [u.name for u in named_leads if u.role != "support"] + [u.name for u in named_supports if u.role == "lead"]
            support_units = [u.name for u in named_supports if u.role != "lead"] + [u.name for u in named_leads if u.role == "support"]
            notes: list[str] = []
            if len(lead_units) > 1:  # one lead per item: the first leads, the others support
                notes.append("co_lead")
                support_units = lead_units[1:] + support_units
                lead_units = lead_units[:1]
            lead = unit_named(row, "lead", lead_units[0]) if lead_units else None
            support_list = [s for s in (unit_named(row, "support", name) for name in support_units) if s is not None]
            deadline = None
            if deadline_text:
                try:
                    deadline = parse_deadline(deadline_text, plan.year)
                except DeadlineUnclear:
                    problems.append(Message("allocation_bad_deadline", where=where(row, "deadline"), text=deadline_text))
                    continue
                if deadline is not None and item.kind == "target":
                    notes.append("target_deadline")
                    deadline = None
                elif deadline is None:
                    notes.append("ongoing")
            entry = merged.get(item.key)
            if entry is None:
                merged[item.key] = {"lines": [row.line], "text": text, "item": item, "how": how, "lead": lead, "lead_line": row.line,
                                    "supports": support_list, "deadline": deadline, "notes": notes}  # fmt: skip
                continue
            # The same item on another row: the same lead and deadline, or a problem; supports add up.
            if lead and entry["lead"] and lead != entry["lead"]:
                problems.append(Message("allocation_two_leads", where=where(row, "lead"), key=item.key, unit=lead,
                                        other=entry["lead"], line=entry["lead_line"]))  # fmt: skip
                continue
            if deadline and entry["deadline"] and deadline != entry["deadline"]:
                problems.append(Message("allocation_two_deadlines", where=where(row, "deadline"), key=item.key,
                                        line=entry["lines"][0]))  # fmt: skip
                continue
            entry["lines"].append(row.line)
            entry["lead"] = entry["lead"] or lead
            entry["supports"] += [s for s in support_list if s not in entry["supports"]]
            entry["deadline"] = entry["deadline"] or deadline
            entry["notes"] += [n for n in notes if n not in entry["notes"]]

        planned = []
        for key, e in merged.items():
            item, lead = e["item"], e["lead"]
            lead_before = leads.get(key)
            supports_before = tuple(supports.get(key, ()))
            new_lead = lead is not None and lead != lead_before
            current_lead = lead or lead_before
            new_supports = tuple(s for s in e["supports"] if s != current_lead and (s not in supports_before or s == lead_before and new_lead))
            deadline, new_due, new_nodes, due_before = e["deadline"], False, (), None
            state = states.get(key)
            if deadline is not None and state is not None:
                due_before = None if state.due_implied else state.due
                new_due = not (deadline.due == due_before or (state.extended and deadline.due == state.original_due))
                existing = {n.due_date for n in state.nodes}
                new_nodes = tuple((day, text) for day, text in deadline.nodes if day not in existing)
            planned.append(AllocationItem(tuple(e["lines"]), e["text"], item.key, item.kind, item.name, e["how"], lead,
                                          tuple(e["supports"]), deadline, lead_before, supports_before, due_before,
                                          new_lead, new_supports, new_due, new_nodes, tuple(e["notes"])))  # fmt: skip
        return AllocationPlan(table.path, planned, problems, created, skipped)

    def apply_allocation(self, plan: AllocationPlan) -> int | None:
        """Write a 分工方案's plan as one journalled change (units created, leads, supports,
        deadlines and time nodes); None when it changes nothing (the same file again)."""
        if not (plan.new_units or any(i.changes for i in plan.items)):
            return None
        leads = sum(1 for i in plan.items if i.new_lead)
        supports = sum(len(i.new_supports) for i in plan.items)
        dues = sum(1 for i in plan.items if i.new_due or i.new_nodes)
        summary = Message("j_assigned_from", path=plan.path, leads=leads, supports=supports, dues=dues,
                          new_units=Message("with_new_units", count=len(plan.new_units)) if plan.new_units else "")
        with self.store.change("assign.from", summary, reason=plan.path) as (conn, change_id):
            now = now_utc()
            for name in plan.new_units:
                if self._unit_id(name) is None:
                    conn.execute("INSERT INTO main.units (county, name, created_at, change_id) VALUES (hnreport_county(), ?, ?, ?)", (name, now, change_id))
            for item in plan.items:
                rows = ([(item.lead, "lead")] if item.new_lead else []) + [(s, "support") for s in item.new_supports]
                for unit, role in rows:
                    conn.execute(
                        "INSERT INTO main.assignment_log (plan_id, item_key, unit_id, role, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?)",
                        (item.key, self._unit_id(unit), role, now, change_id),  # type: ignore[arg-type]
                    )
                if item.new_due:
                    conn.execute(
                        "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, recorded_at, change_id) VALUES (hnreport_plan(), ?, 'due', ?, ?, ?)",
                        (item.key, item.deadline.due.isoformat(), now, change_id),  # type: ignore[union-attr]
                    )
                for day, text in item.new_nodes:
                    conn.execute(
                        "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, text, recorded_at, change_id) VALUES (hnreport_plan(), ?, 'node', ?, ?, ?, ?)",
                        (item.key, day.isoformat(), text, now, change_id),
                    )
        return change_id
