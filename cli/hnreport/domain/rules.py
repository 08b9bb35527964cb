"""The light rules: which rule a target falls under, its measure and tolerance, pace basis.

Plain values; the store reads the settings that make them and ``settings`` validates changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hnreport.records import Record

if TYPE_CHECKING:
    from hnreport.domain.model import Target

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


class LightRule(Record):
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


class TargetRules(Record):
    preset: str
    rule: LightRule
    basis: str = "months"
    profile: tuple[float, ...] | None = None
    ahead: float | None = None  # better than expected by more than this (in the rule's measure) is 超序时

    @property
    def ahead_margin(self) -> float:
        """The 超序时 margin: as set, or by default the rule's own tolerance."""
        return self.rule.tolerance if self.ahead is None else self.ahead


class Rules(Record):
    """The light rules in force: a preset's two rules plus per-target overrides."""

    preset: str
    amount: LightRule
    rate: LightRule
    basis: str = "months"
    per_target: dict[str, dict[str, object]] = {}  # never mutated: each Rules gets its own
    ahead: float | None = None  # the 超序时 margin for every target (None: each rule's tolerance)

    def for_target(self, target: Target) -> TargetRules:
        own = self.per_target.get(target.key, {})
        cls = RULE_CLASS[target.kind]
        rule = self.amount if cls == "amount" else self.rate
        if "measure" in own or "tolerance" in own:
            rule = LightRule(
                str(own.get("measure", rule.measure)), float(own.get("tolerance", rule.tolerance))  # type: ignore[arg-type]
            )
        profile = own.get("profile")
        ahead = own.get("ahead", self.ahead)
        return TargetRules(
            preset=self.preset,
            rule=rule,
            basis=str(own.get("basis", self.basis)),
            profile=tuple(profile) if profile else None,  # type: ignore[arg-type]
            ahead=float(ahead) if ahead is not None else None,  # type: ignore[arg-type]
        )

    def describe(self) -> str:
        return (
            f"preset {self.preset}: amounts {self.amount.measure} {self.amount.describe()}, "
            f"rates {self.rate.measure} {self.rate.describe()} = behind, more = far behind; "
            f"序时进度 by {self.basis}"
        )


DEFAULT_RULES = Rules("default", LightRule("relative", 0.10), LightRule("points", 1.0))

