"""The light rules: which rule a target falls under, its measure and tolerance, pace basis.

Plain values; the store reads the settings that make them and ``settings`` validates changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

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

