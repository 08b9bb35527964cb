"""Qualitative commitments: their status history, deadlines and what falls due — pure domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hnreport.records import Record
from hnreport.domain.model import MILESTONE_STATUSES

CLOSED = frozenset({"done", "dropped"})
NODE_MARKS = ("met", "missed")
# What `milestones node` accepts for a mark: the English words or the 督查室's own.
MARK_WORDS = {"met": "met", "missed": "missed", "已完成": "met", "未完成": "missed"}


def parse_mark(text: str) -> str | None:
    """``met`` or ``missed`` for a mark as typed (met, MISSED, 已完成, 未完成), else None."""
    return MARK_WORDS.get(text.strip().lower())


class Milestone(Record):
    key: str
    name_zh: str
    name_en: str
    section: str
    locator: str = ""
    phrase: str = ""
    strength: str | None = None
    terms: tuple[int, ...] = ()
    note: str | None = None
    origin: str = "seed"


class StatusChange(Record):
    id: int
    milestone_key: str
    status: str
    as_of: date
    recorded_at: str
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    source: str | None = None
    change_id: int | None = None  # the journal change that made it (known when it is just made)


class Deadline(Record):
    id: int
    milestone_key: str
    kind: str  # due | node | extension
    due_date: date
    text: str | None
    reason: str | None
    recorded_at: str


class NodeMark(Record):
    """A time node marked met or missed; the latest mark of a node (milestone and date) is in force."""

    id: int
    milestone_key: str
    node_date: date
    mark: str  # met | missed
    note: str | None
    recorded_at: str


class MilestoneState(Record):
    """A milestone as it stood at ``as_of``."""

    milestone: Milestone
    as_of: date
    status: str
    change: StatusChange | None
    due: date | None
    original_due: date | None
    nodes: tuple[Deadline, ...] = ()
    lead: str | None = None
    support: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.as_of and self.status not in CLOSED

    extended: bool = False  # an extension (not a corrected due date) is in force
    due_implied: bool = False  # no due date stated: due by the plan year's end
    marks: tuple[NodeMark, ...] = ()  # the mark in force of each marked node

    def mark_of(self, node: Deadline) -> NodeMark | None:
        return next((m for m in self.marks if m.node_date == node.due_date), None)

    def passed_nodes(self) -> list[Deadline]:
        """Nodes whose date is past and that nobody has marked met or missed (open items only)."""
        if self.status in CLOSED:
            return []
        return [n for n in self.nodes if n.due_date < self.as_of and self.mark_of(n) is None]

    def due_within(self, days: int) -> bool:
        return (
            self.due is not None
            and self.status not in CLOSED
            and self.as_of <= self.due <= self.as_of + timedelta(days=days)
        )

    def nodes_within(self, days: int) -> list[Deadline]:
        if self.status in CLOSED:
            return []
        end = self.as_of + timedelta(days=days)
        return [n for n in self.nodes if self.as_of <= n.due_date <= end and self.mark_of(n) is None]


def state_at(
    milestone: Milestone,
    as_of: date,
    changes: list[StatusChange],
    deadlines: list[Deadline],
    lead: str | None = None,
    support: tuple[str, ...] = (),
    *,
    plan_year: int | None = None,
    marks: Sequence[NodeMark] = (),
) -> MilestoneState:
    """The status in force at ``as_of``: the latest change whose date is on or before it.

    A milestone with no stated due date is due by the end of ``plan_year`` (the report commits
    to its tasks for that year), marked implied. ``marks`` are the node marks recorded, oldest
    first; the latest for each node date is in force.
    """
    current = None
    for c in sorted(changes, key=lambda c: (c.as_of, c.id)):
        if c.as_of <= as_of:
            current = c
    dues = [d for d in sorted(deadlines, key=lambda d: d.id) if d.kind in ("due", "extension")]
    original = next((d.due_date for d in dues if d.kind == "due"), None)
    due = dues[-1].due_date if dues else None
    implied = due is None and plan_year is not None
    if implied:
        due = date(plan_year, 12, 31)  # type: ignore[arg-type]
    nodes = tuple(sorted((d for d in deadlines if d.kind == "node"), key=lambda d: d.due_date))
    extended = bool(dues) and dues[-1].kind == "extension"
    in_force: dict[date, NodeMark] = {}
    for m in sorted(marks, key=lambda m: m.id):
        in_force[m.node_date] = m
    return MilestoneState(
        milestone, as_of, current.status if current else "not_rated", current, due, original, nodes, lead, support,
        extended, implied, tuple(in_force[d] for d in sorted(in_force)),
    )


class DueItem(Record):
    """Something a supervision office must chase: an overdue milestone, a due date or a time
    node falling within the window, or a time node passed that nobody has marked."""

    state: MilestoneState
    kind: str  # overdue | due | node | node_passed
    date: date
    text: str | None

    @property
    def days(self) -> int:
        """Days from the as-of date to this date: negative for what is past (overdue, passed)."""
        return (self.date - self.state.as_of).days

    @property
    def implied(self) -> bool:
        """A due date nobody stated: the plan year's end."""
        return self.kind in ("overdue", "due") and self.state.due_implied


DUE_ORDER = {"overdue": 0, "node_passed": 1, "due": 2, "node": 3}


def due_items(states: list[MilestoneState], within: int) -> list[DueItem]:
    """What is overdue, has a passed time node still unmarked, is due within ``within`` days,
    or has a time node then — by lead unit (unassigned last), overdue first."""
    items = []
    for s in states:
        if s.overdue:
            items.append(DueItem(s, "overdue", s.due, None))  # type: ignore[arg-type]
        elif s.due_within(within):
            items.append(DueItem(s, "due", s.due, None))  # type: ignore[arg-type]
        items += [DueItem(s, "node_passed", n.due_date, n.text) for n in s.passed_nodes()]
        items += [DueItem(s, "node", n.due_date, n.text) for n in s.nodes_within(within)]
    return sorted(items, key=lambda i: (i.state.lead is None, i.state.lead or "", DUE_ORDER[i.kind], i.date))


# ── units, the glossary, and the summaries the views count ──────────────────────────────
class Unit(Record):
    id: int
    name: str
    aliases: list[str]


class GlossaryTerm(Record):
    number: int
    term: str
    page: str | None
    explanation_zh: str
    explanation_en: str
    body_locator: str
    note: str | None


_QUOTES = str.maketrans("", "", '"“”\'‘’「」『』《》〈〉()（）[]【】')


def _bare(text: str) -> str:
    return text.translate(_QUOTES).strip()


def glossary_matches(entries: list[GlossaryTerm], query: str) -> list[GlossaryTerm]:
    """Terms matching ``query``: its number, or the text in the term or an explanation —
    quotes and brackets ignored on both sides ('"五好"园区' finds 五好园区)."""
    q = query.strip()
    if q.isdecimal() and q.isascii():
        return [e for e in entries if e.number == int(q)]
    bare = _bare(q)
    if not bare:
        return []
    return [
        e
        for e in entries
        if bare in _bare(e.term) or bare in _bare(e.explanation_zh) or bare.lower() in e.explanation_en.lower()
    ]


def count_statuses(states: list[MilestoneState]) -> dict[str, int]:
    """How many milestones are in each status (every status present, zero or not)."""
    out = {s: 0 for s in MILESTONE_STATUSES}
    for s in states:
        out[s.status] += 1
    return out


class MilestonesSummary(Record):
    counts: dict[str, int]
    sections: list[tuple[str, dict[str, int], int]]  # (section code, counts, overdue) for sections with items
    stalled: list[MilestoneState]
    overdue: list[MilestoneState]
    flagged: list[MilestoneState]  # stalled or overdue, in report order: what the report names


def summarize_milestones(states: list[MilestoneState], section_codes: list[str]) -> MilestonesSummary:
    sections = []
    for code in section_codes:
        items = [s for s in states if s.milestone.section == code]
        if items:
            sections.append((code, count_statuses(items), sum(1 for s in items if s.overdue)))
    return MilestonesSummary(
        count_statuses(states),
        sections,
        [s for s in states if s.status == "stalled"],
        [s for s in states if s.overdue],
        [s for s in states if s.status == "stalled" or s.overdue],
    )


def group_by_lead(keys_of: dict[str, str], *collections: tuple[list, object]) -> list[tuple[str | None, list[list]]]:
    """Items grouped by lead unit (units by name, then the unassigned — listed, not hidden).

    ``keys_of`` maps item key → lead unit; each collection is (items, key function). Returns
    (unit or None, [items of each collection]) for every unit that leads anything."""
    units = sorted(set(keys_of.values()))
    groups: list[tuple[str | None, list[list]]] = []
    for unit in [*units, None]:
        parts = [[item for item in items if keys_of.get(key(item)) == unit] for items, key in collections]  # type: ignore[operator]
        if any(parts):
            groups.append((unit, parts))
    return groups


class UnitSummary(Record):
    name: str
    aliases: list[str]
    lead_targets: list[str]
    lead_milestones: list[str]
    support_targets: list[str]
    support_milestones: list[str]
    targets_by_status: dict[str, int]  # only statuses that occur
    milestones_by_status: dict[str, int]


def summarize_units(
    units: list[Unit],
    leads: dict[str, str],
    supports: dict[str, list[str]],
    target_status: dict[str, str],
    milestone_status: dict[str, str],
    target_statuses: tuple[str, ...],
) -> list[UnitSummary]:
    """What each unit leads and supports, and its led items counted by status."""
    out = []
    for unit in units:
        led = [k for k, u in leads.items() if u == unit.name]
        supported = [k for k, us in supports.items() if unit.name in us]
        t_counts = {st: 0 for st in target_statuses}
        m_counts = {st: 0 for st in MILESTONE_STATUSES}
        for k in led:
            if k in target_status:
                t_counts[target_status[k]] += 1
            elif k in milestone_status:
                m_counts[milestone_status[k]] += 1
        out.append(UnitSummary(
            unit.name, unit.aliases,
            [k for k in led if k in target_status], [k for k in led if k in milestone_status],
            [k for k in supported if k in target_status], [k for k in supported if k in milestone_status],
            {k: v for k, v in t_counts.items() if v}, {k: v for k, v in m_counts.items() if v},
        ))  # fmt: skip
    return out
