"""Where a target stands at a date: expected to date (序时进度), gap, projection and status.

Pure functions over model values; the light rules come in as a ``Rules`` value read from the
database by the store, so this module never touches storage or the terminal.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from hnreport.model import Observation, Plan, Target
from hnreport.periods import completed_months, month_end, year_fraction

EPSILON = 1e-9

# Which light rule a target falls under: every kind belongs to exactly one class.
RULE_CLASS = {
    "cumulative": "amount",
    "level": "amount",
    "growth_rate": "rate",
    "share": "rate",
    "reduction": "rate",
}
MEASURES = ("relative", "points")
BASES = ("months", "days")


class LightRule(NamedTuple):
    """Short of expected by at most ``tolerance`` (in ``measure``) is yellow; more is red.

    ``relative``: the shortfall as a fraction of expected (0.10 = 10 % short).
    ``points``: percentage points — for rates the difference itself, for amounts the
    completion rate's distance below 序时进度 (expected − actual) ÷ annual target × 100.
    """

    measure: str
    tolerance: float

    def describe(self) -> str:
        if self.measure == "relative":
            return f"≤{self.tolerance * 100:g}% short"
        return f"≤{self.tolerance:g} pts short"


class TargetRules(NamedTuple):
    preset: str
    rule: LightRule
    basis: str = "months"
    profile: tuple[float, ...] | None = None


class Rules(NamedTuple):
    """The light rules in force: a preset's two rules plus per-target overrides."""

    preset: str
    amount: LightRule
    rate: LightRule
    basis: str = "months"
    per_target: dict[str, dict[str, object]] = {}  # never mutated: each Rules gets its own

    def for_target(self, target: Target) -> TargetRules:
        own = self.per_target.get(target.key, {})
        cls = RULE_CLASS[target.kind]
        rule = self.amount if cls == "amount" else self.rate
        if "measure" in own or "tolerance" in own:
            rule = LightRule(
                str(own.get("measure", rule.measure)), float(own.get("tolerance", rule.tolerance))  # type: ignore[arg-type]
            )
        profile = own.get("profile")
        return TargetRules(
            preset=self.preset,
            rule=rule,
            basis=str(own.get("basis", self.basis)),
            profile=tuple(profile) if profile else None,  # type: ignore[arg-type]
        )

    def describe(self) -> str:
        return (
            f"preset {self.preset}: amounts {self.amount.measure} {self.amount.describe()}, "
            f"rates {self.rate.measure} {self.rate.describe()} = behind, more = far behind; "
            f"序时进度 by {self.basis}"
        )


DEFAULT_RULES = Rules("default", LightRule("relative", 0.10), LightRule("points", 1.0))


class Assessment(NamedTuple):
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
    final: bool = False
    part_year: bool = False  # a final status resting on a figure for less than the whole year

    @property
    def latest(self) -> float | None:
        return self.observation.value if self.observation else None


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
    final = as_of >= plan.end
    threshold = target.threshold
    if observation is None:
        return Assessment(target, as_of, None, "no_data", final=final)

    actual = observation.value
    share: float | None = None
    expected = threshold
    if target.paced and not final:
        share = schedule_share(min(observation.as_of, as_of), own)
        expected = threshold * share
    completion = actual / target.value if target.kind == "cumulative" and target.value else None
    progress = (
        actual / target.value if target.comparator in (">=", ">") and target.value else None
    )
    projected = actual / share if share and share > EPSILON else None
    gap_points = (completion - share) * 100 if completion is not None and share is not None else None

    raw = _raw_shortfall(target, actual, expected, own.rule)
    if final:
        status = "achieved" if target.met_by(actual) else "missed"
    elif target.kind == "cumulative" and target.comparator in (">=", ">") and target.met_by(actual):
        status = "achieved"  # the annual amount is already reached (a cap can only be judged at year end)
    elif raw <= EPSILON:
        status = "on_pace"
    elif raw <= own.rule.tolerance + EPSILON:
        status = "behind"
    else:
        status = "far_behind"
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
        progress=progress,
        final=final,
        part_year=final and observation.as_of < plan.end,
    )


def summarize(assessments: list[Assessment]) -> dict[str, int]:
    from hnreport.model import STATUSES

    counts = {s: 0 for s in STATUSES}
    for a in assessments:
        counts[a.status] += 1
    return counts
