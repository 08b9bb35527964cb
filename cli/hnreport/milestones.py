"""Qualitative commitments: their status history, deadlines and what falls due — pure domain."""

from __future__ import annotations

from typing import NamedTuple
from datetime import date, timedelta

MILESTONE_STATUSES = ("not_started", "in_progress", "done", "stalled", "dropped", "not_rated")
CLOSED = frozenset({"done", "dropped"})
ROLES = ("lead", "support")


class Milestone(NamedTuple):
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


class StatusChange(NamedTuple):
    id: int
    milestone_key: str
    status: str
    as_of: date
    recorded_at: str
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    source: str | None = None


class Deadline(NamedTuple):
    id: int
    milestone_key: str
    kind: str  # due | node | extension
    due_date: date
    text: str | None
    reason: str | None
    recorded_at: str


class MilestoneState(NamedTuple):
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
        return [n for n in self.nodes if self.as_of <= n.due_date <= end]


def state_at(
    milestone: Milestone,
    as_of: date,
    changes: list[StatusChange],
    deadlines: list[Deadline],
    lead: str | None = None,
    support: tuple[str, ...] = (),
) -> MilestoneState:
    """The status in force at ``as_of``: the latest change whose date is on or before it."""
    current = None
    for c in sorted(changes, key=lambda c: (c.as_of, c.id)):
        if c.as_of <= as_of:
            current = c
    dues = [d for d in sorted(deadlines, key=lambda d: d.id) if d.kind in ("due", "extension")]
    original = next((d.due_date for d in dues if d.kind == "due"), None)
    due = dues[-1].due_date if dues else None
    nodes = tuple(sorted((d for d in deadlines if d.kind == "node"), key=lambda d: d.due_date))
    extended = bool(dues) and dues[-1].kind == "extension"
    return MilestoneState(
        milestone, as_of, current.status if current else "not_rated", current, due, original, nodes, lead, support,
        extended,
    )


class DueItem(NamedTuple):
    """Something a supervision office must chase: an overdue milestone, a due date or a time
    node falling within the window."""

    state: MilestoneState
    kind: str  # overdue | due | node
    date: date
    text: str | None

    @property
    def days(self) -> int:
        return (self.date - self.state.as_of).days


DUE_ORDER = {"overdue": 0, "due": 1, "node": 2}


def due_items(states: list[MilestoneState], within: int) -> list[DueItem]:
    """What is overdue, due within ``within`` days, or has a time node then — by lead unit
    (unassigned last), overdue first."""
    items = []
    for s in states:
        if s.overdue:
            items.append(DueItem(s, "overdue", s.due, None))  # type: ignore[arg-type]
        elif s.due_within(within):
            items.append(DueItem(s, "due", s.due, None))  # type: ignore[arg-type]
        items += [DueItem(s, "node", n.due_date, n.text) for n in s.nodes_within(within)]
    return sorted(items, key=lambda i: (i.state.lead is None, i.state.lead or "", DUE_ORDER[i.kind], i.date))
