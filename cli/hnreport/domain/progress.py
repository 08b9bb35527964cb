"""Where a target stands at a date: expected to date (序时进度), gap, projection and status.

Pure functions over model values; the light rules come in as a ``Rules`` value read from the
database by the store, so this module never touches storage or the terminal.
"""

from __future__ import annotations

from datetime import date

from hnreport.records import Record
from hnreport.domain.model import STATUSES, Observation, Plan, Target
from hnreport.domain.periods import completed_months, month_end, year_fraction
from hnreport.domain.rules import DEFAULT_RULES, RULE_CLASS, LightRule, Rules, TargetRules  # noqa: F401 (re-exported)

EPSILON = 1e-9


class Assessment(Record):
    target: Target
    as_of: date
    observation: Observation | None
    status: str
    expected: float | None = None
    gap: float | None = None
    completion_rate: float | None = None
    schedule_share: float | None = None
    gap_points: float | None = None
    projected: float | None = None
    shortfall: float | None = None
    progress: float | None = None
    final: bool = False  # a year-end verdict: the figure covers the whole year and the year is over
    part_year: bool = False  # the year is over but its figure is not in: a pace status, not a verdict
    pace: str | None = None  # ahead (超序时) | on (达序时) | behind (欠序时); None for no data or a verdict

    @property
    def latest(self) -> float | None:
        return self.observation.value if self.observation else None


def schedule_point(on: date, rules: TargetRules) -> tuple[int, date | int]:
    """What ``schedule_share(on, rules)`` depends on: the day where 序时进度 counts days, else the
    year and its completed months (every day of a month but its last has the share of the
    month before). Days with the same point have the same share."""
    return on.year, on if rules.basis == "days" else completed_months(on)


def schedule_share(on: date, rules: TargetRules) -> float:
    """序时进度 at ``on``: the share of the annual amount expected to be done by then."""
    if rules.profile:
        months = completed_months(on)
        done = rules.profile[months - 1] if months else 0.0
        if rules.basis == "days" and months < 12:
            start = month_end(on.year, months) if months else date(on.year, 1, 1)
            end = month_end(on.year, months + 1)
            within = (on - start).days / max((end - start).days, 1)
            done += (rules.profile[months] - done) * within
        return done
    return year_fraction(on, rules.basis)


def _raw_shortfall(target: Target, actual: float, expected: float, rule: LightRule) -> float:
    """How far short of expected, in the rule's measure; ≤ 0 means at or better than expected."""
    diff = actual - expected if target.lower_is_better else expected - actual
    if rule.measure == "relative":
        if abs(expected) < EPSILON:
            return 0.0 if diff <= EPSILON else float("inf")
        return diff / abs(expected)
    if RULE_CLASS[target.kind] == "rate":
        return diff
    base = abs(target.threshold) or 1.0
    return diff / base * 100


def assess(
    target: Target,
    observation: Observation | None,
    as_of: date,
    plan: Plan,
    rules: Rules = DEFAULT_RULES,
) -> Assessment:
    """The status of ``target`` at ``as_of`` given its latest ``observation`` up to then."""
    own = rules.for_target(target)
    if observation is None:
        return Assessment(target, as_of, None, "no_data")

    actual = observation.value
    # A verdict (achieved/missed) needs the year to be over AND a figure for the whole year;
    # until the year's figure is in, the latest figure is judged against its own period.
    year_over = as_of >= plan.end
    final = year_over and observation.as_of >= plan.end
    threshold = target.threshold
    share: float | None = None
    expected = threshold
    if target.paced and not final:
        share = schedule_share(min(observation.as_of, as_of), own)
        expected = threshold * share
    completion = actual / target.value if target.kind == "cumulative" and target.value else None
    projected = actual / share if share and share > EPSILON else None
    gap_points = (completion - share) * 100 if completion is not None and share is not None else None

    raw = _raw_shortfall(target, actual, expected, own.rule)
    early = target.kind == "cumulative" and target.comparator in (">=", ">") and target.met_by(actual)
    pace: str | None = None
    if final:
        status = "achieved" if target.met_by(actual) else "missed"
    elif early:
        status, pace = "achieved", "ahead"  # the annual amount is already reached (a cap waits for the year)
    elif raw <= EPSILON:
        status = "on_pace"
        pace = "ahead" if raw < -own.ahead_margin - EPSILON else "on"
    elif raw <= own.rule.tolerance + EPSILON:
        status, pace = "behind", "behind"
    else:
        status, pace = "far_behind", "behind"
    shortfall = raw / own.rule.tolerance if own.rule.tolerance > 0 else raw
    return Assessment(
        target,
        as_of,
        observation,
        status,
        expected=expected,
        gap=actual - expected,
        completion_rate=completion,
        schedule_share=share,
        gap_points=gap_points,
        projected=projected,
        shortfall=shortfall,
        progress=progress_of(target, actual),
        final=final,
        part_year=year_over and not final,
        pace=pace,
    )


def progress_of(target: Target, actual: float) -> float | None:
    """How far along the way to the target, where that means something: a cumulative amount
    (done ÷ annual target) or a level with a start value in the same unit ((now − start) ÷
    (target − start)). None for rates — "GDP 60%" for 5.1 against 8.5 would mislead."""
    if target.comparator not in (">=", ">") or not target.value:
        return None
    if target.kind == "cumulative":
        return actual / target.value
    base = target.baseline
    if target.kind == "level" and base is not None and base.unit == target.unit and target.value != base.value:
        return (actual - base.value) / (target.value - base.value)
    return None


def summarize(assessments: list[Assessment]) -> dict[str, int]:
    """How many targets are in each status (every status present, zero or not)."""
    counts = {s: 0 for s in STATUSES}
    for a in assessments:
        counts[a.status] += 1
    return counts


def summarize_pace(assessments: list[Assessment]) -> dict[str, int]:
    """超序时 / 达序时 / 欠序时: how many targets are ahead of, on or behind the expected progress."""
    counts = {"ahead": 0, "on": 0, "behind": 0}
    for a in assessments:
        if a.pace:
            counts[a.pace] += 1
    return counts


# Worst first: what a leader must look at before anything else.
STATUS_ORDER = {s: i for i, s in enumerate(("missed", "far_behind", "behind", "no_data", "on_pace", "achieved"))}
SORTS = ("section", "shortfall", "status")


def assess_all(
    targets: list[Target], latest: dict[str, Observation], as_of: date, plan: Plan, rules: Rules
) -> list[Assessment]:
    """Every target as it stands at ``as_of``: the revision in force, its latest figure, its status."""
    return [assess(t.in_force(as_of), latest.get(t.key), as_of, plan, rules) for t in targets]


def sort_assessments(assessments: list[Assessment], sort: str) -> list[Assessment]:
    """``section`` keeps the report's order; ``shortfall`` and ``status`` put the worst first."""
    if sort == "shortfall":
        return sorted(
            assessments, key=lambda a: (a.shortfall is None, -(a.shortfall if a.shortfall is not None else 0))
        )
    if sort == "status":
        return sorted(assessments, key=lambda a: STATUS_ORDER[a.status])
    return assessments


def select(
    assessments: list[Assessment], section: str | None = None, kind: str | None = None, status: str | None = None
) -> list[Assessment]:
    return [
        a
        for a in assessments
        if (section is None or a.target.section == section)
        and (kind is None or a.target.kind == kind)
        and (status is None or a.status == status)
    ]
