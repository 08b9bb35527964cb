"""The promise scorecard: each target and commitment as kept, missed, in progress or not yet
rated — with the report's own words, whether the verdict is final, the margin and its source —
and the units ranked by how the items they lead stand. Pure: assessments and milestone states in,
plain values out.
"""

from __future__ import annotations

from datetime import date

from hnreport.records import Record
from hnreport.domain.milestones import MilestoneState
from hnreport.domain.progress import Assessment

VERDICTS = ("kept", "missed", "in_progress", "not_rated")


class ScoreEntry(Record):
    """One promise on the scorecard.

    ``final``: the verdict stands — a year-end verdict on the year's own figure published as final
    (最终核实), or a commitment done or dropped; otherwise preliminary (a figure the bureau may still
    revise, a year not over, a due date passed but the commitment still open). ``margin``: how far
    above (+) or below (−) the line — for a target its figure less what it had to reach (the year's
    target for a verdict, what 序时进度 expects to date otherwise), in its unit; for a commitment the
    days between its due date and the day it was done (+ early, − late) or, still open, how many
    days it is overdue (−). ``source``: where the verdict's evidence is from (the figure's or the
    status's source), with ``evidence_as_of`` its date."""

    kind: str  # target | milestone
    key: str
    name_zh: str
    name_en: str
    section: str
    verdict: str  # one of VERDICTS
    status: str  # the status it comes from (a target's or a milestone's vocabulary)
    final: bool
    phrase: str  # 原文
    locator: str
    margin: float | None
    margin_unit: str | None  # the target's unit, "points" for a rate, "days" for a commitment
    source: str | None
    evidence_as_of: date | None
    lead: str | None = None
    plan: str = ""


def score_target(a: Assessment, lead: str | None = None, plan: str = "") -> ScoreEntry:
    t = a.target
    obs = a.observation
    if a.status == "no_data":
        verdict = "not_rated"
    elif a.status == "achieved":
        verdict = "kept"
    elif a.status == "missed":
        verdict = "missed"
    else:
        verdict = "in_progress"
    final = bool(a.final and obs is not None and obs.vintage == "final")
    margin = None
    if obs is not None:
        line = t.in_force(a.as_of).threshold if a.final or a.expected is None else a.expected
        margin = obs.value - line
        if t.lower_is_better:
            margin = -margin  # below a cap is the good side: + means room to spare
    unit = "points" if t.unit == "%" else t.unit
    return ScoreEntry(
        "target", t.key, t.name_zh, t.name_en, t.section, verdict, a.status, final, t.phrase, t.locator,
        margin, unit, obs.source if obs else None, obs.as_of if obs else None, lead, plan,
    )  # fmt: skip


def score_milestone(s: MilestoneState, plan: str = "") -> ScoreEntry:
    m = s.milestone
    change = s.change
    margin: float | None = None
    if s.status == "done":
        verdict, final = "kept", True
        if s.due is not None and change is not None:
            margin = float((s.due - change.as_of).days)
    elif s.status == "dropped":
        verdict, final = "missed", True
    elif s.overdue:
        verdict, final = "missed", False  # still open past its due date: may yet be done late
        margin = -float((s.as_of - s.due).days)  # type: ignore[operator]
    elif s.status == "not_rated":
        verdict, final = "not_rated", False
    else:
        verdict, final = "in_progress", False
    return ScoreEntry(
        "milestone", m.key, m.name_zh, m.name_en, m.section, verdict, s.status, final, m.phrase, m.locator,
        margin, "days" if margin is not None else None, change.source if change else None,
        change.as_of if change else None, s.lead, plan,
    )  # fmt: skip


def scorecard(
    assessments: list[Assessment], states: list[MilestoneState], leads: dict[str, str] | None = None, plan: str = ""
) -> list[ScoreEntry]:
    """Targets in report order, then commitments in report order."""
    leads = leads or {}
    return [score_target(a, leads.get(a.target.key), plan) for a in assessments] + [score_milestone(s, plan) for s in states]


def count_verdicts(entries: list[ScoreEntry]) -> dict[str, int]:
    out = {v: 0 for v in VERDICTS}
    for e in entries:
        out[e.verdict] += 1
    return out


class UnitRank(Record):
    """A unit's standing: the items it leads, counted by how they stand, and its place.

    ``score``: the share of its rated items that are kept or on course (a target on pace or
    achieved, a commitment done or in progress and not overdue); units are ranked by it, then by
    fewer items behind or overdue, then by name. A unit with nothing rated has no score and
    comes last."""

    rank: int | None
    unit: str
    led: int
    kept: int
    on_course: int
    behind: int  # targets behind or far behind, commitments stalled or overdue
    missed: int
    not_rated: int
    score: float | None
    plan: str = ""


def _standing(entry: ScoreEntry) -> str:
    if entry.verdict == "kept":
        return "kept"
    if entry.verdict == "missed":
        return "missed" if entry.final or entry.kind == "target" else "behind"
    if entry.verdict == "not_rated":
        return "not_rated"
    if entry.status in ("behind", "far_behind", "stalled", "not_started"):
        return "behind"
    return "on_course"


def rank_units(units: list[str], entries: list[ScoreEntry], plan: str = "") -> list[UnitRank]:
    counts = {u: {"kept": 0, "on_course": 0, "behind": 0, "missed": 0, "not_rated": 0} for u in units}
    for e in entries:
        if e.lead in counts:
            counts[e.lead][_standing(e)] += 1
    rows = []
    for u in units:
        c = counts[u]
        rated = c["kept"] + c["on_course"] + c["behind"] + c["missed"]
        score = (c["kept"] + c["on_course"]) / rated if rated else None
        rows.append((u, sum(c.values()), c, score))
    rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), r[2]["behind"] + r[2]["missed"], r[0]))
    out, place, last = [], 0, None
    for i, (u, led, c, score) in enumerate(rows, 1):
        key = (score, c["behind"] + c["missed"])
        if score is not None and key != last:
            place = i
        last = key
        out.append(UnitRank(place if score is not None else None, u, led, c["kept"], c["on_course"], c["behind"],
                            c["missed"], c["not_rated"], score, plan))  # fmt: skip
    return out
