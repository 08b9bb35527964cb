"""A target's year as a series: its figures against the 序时 line (expected to date), pure.

The line is what ``progress.assess`` compares a figure with: for a target that builds up through
the year, the target × 序时进度 at the figure's period end; for any other (a growth rate, a level,
an annual amount) the target itself, the same all year.
"""

from __future__ import annotations

from datetime import date

from hnreport.records import Record
from hnreport.domain.model import Observation, Plan, Target
from hnreport.domain.periods import month_ends
from hnreport.domain.progress import schedule_share
from hnreport.domain.rules import Rules


class SeriesPoint(Record):
    day: date  # a figure's period end, or the end of a month without a figure
    value: float | None  # the current figure for the period ending that day, if there is one
    expected: float  # 序时应达 that day (the target line where 序时进度 does not apply)
    decimals: int | None = None  # the figure's, as published


def expected_on(target: Target, day: date, plan: Plan, rules: Rules) -> float:
    """What a figure for the period ending ``day`` is measured against, as ``assess`` does:
    the value in force that day, paced where 序时进度 applies (never at the year's end)."""
    in_force = target.in_force(day)
    if in_force.paced and day < plan.end:
        return in_force.threshold * schedule_share(day, rules.for_target(in_force))
    return in_force.threshold


def year_series(target: Target, observations: list[Observation], plan: Plan, rules: Rules) -> list[SeriesPoint]:
    """Every current figure of the plan year, and the end of each month without one, in date
    order, each with the expected value that day. ``target`` is as stored (with its revisions)."""
    figures = sorted(
        (o for o in observations if o.state == "current" and plan.start <= o.as_of <= plan.end),
        key=lambda o: (o.as_of, o.id),
    )
    months_with = {(o.as_of.year, o.as_of.month) for o in figures}
    points = [SeriesPoint(o.as_of, o.value, expected_on(target, o.as_of, plan, rules), o.decimals) for o in figures]
    points += [
        SeriesPoint(end, None, expected_on(target, end, plan, rules))
        for end in month_ends(plan.start, plan.end)
        if (end.year, end.month) not in months_with
    ]
    return sorted(points, key=lambda p: (p.day, p.value is None))
