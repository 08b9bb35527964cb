"""The domain: plans, targets, results and observations as plain values."""

from __future__ import annotations

from datetime import date

from hnreport.records import Record

KINDS = ("growth_rate", "level", "share", "cumulative", "reduction")
RESULT_KINDS = KINDS + ("count", "rank")
COMPARATORS = (">=", ">", "<=", "~")
FREQUENCIES = ("monthly", "quarterly", "annual")
STATUSES = ("achieved", "missed", "on_pace", "behind", "far_behind", "no_data")
VINTAGES = ("preliminary", "final")  # 初步 / 最终核实
# The qualitative side's vocabulary lives here too, so the command line can list it in --help
# without loading the milestone rules (domain.milestones) for every command.
MILESTONE_STATUSES = ("not_started", "in_progress", "done", "stalled", "dropped", "not_rated")
ROLES = ("lead", "support")

# A work report reviews the past year in its part 一 and sets the coming year's tasks in part 二.
REVIEW_PART = "一"
PLAN_PART = "二"

# Width of the 左右 band: "15%左右" is met anywhere from 13.5 to 16.5 (and above counts as met).
APPROX_BAND = 0.10

# Kinds whose values cannot be negative (a count of households, an amount of money, a share);
# a growth rate or a cut can be.
NONNEGATIVE_KINDS = frozenset({"level", "share", "cumulative"})


class Plan(Record):
    key: str
    name_zh: str
    name_en: str
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


class Section(Record):
    code: str
    part: str
    name_zh: str
    name_en: str
    locator: str
    ordinal: int


def plan_sections(sections: list[Section]) -> list[Section]:
    """The sections of the part that sets the year's tasks, in report order."""
    return [s for s in sections if s.part == PLAN_PART]


def review_sections(sections: list[Section]) -> list[Section]:
    """The sections of the part that reviews the past year (where the results stand)."""
    return [s for s in sections if s.part == REVIEW_PART]


class Result(Record):
    key: str
    name_zh: str
    name_en: str
    section: str
    kind: str
    value: float
    unit: str | None
    scope: str | None = None
    locator: str = ""
    phrase: str = ""
    note: str | None = None


class Observation(Record):
    id: int
    target_key: str
    value: float
    as_of: date
    recorded_at: str
    note: str | None = None
    source: str | None = None
    vintage: str = "preliminary"
    state: str = "current"  # current | superseded | retracted
    supersedes: int | None = None
    change_id: int | None = None
    known_from: str | None = None  # its change's "known from" date, when back-filled (UTC ISO)
    decimals: int | None = None  # the decimals it was given with ("5.0" → 1); None: not known (older figures)
    flag: str | None = None  # why it was let in over a refusal or warning (domain.plausibility.FLAGS)


class Revision(Record):
    """A mid-year adjustment of a target's value, in force from ``effective``."""

    value: float
    effective: date
    reason: str


class Target(Record):
    key: str
    name_zh: str
    name_en: str
    section: str
    kind: str
    comparator: str
    value: float
    unit: str | None
    frequency: str
    locator: str = ""
    phrase: str = ""
    strength: str | None = None
    note: str | None = None
    unit_missing: bool = False
    baseline: Result | None = None
    origin: str = "seed"
    revisions: tuple[Revision, ...] = ()
    original_value: float | None = None  # set on the copy ``in_force`` returns when revised

    def in_force(self, as_of: date) -> "Target":
        """This target with the value in force at ``as_of`` (revisions apply from their date)."""
        current = [r for r in self.revisions if r.effective <= as_of]
        if not current:
            return self
        return self._replace(value=current[-1].value, original_value=self.value)

    @property
    def revised(self) -> bool:
        return self.original_value is not None

    @property
    def paced(self) -> bool:
        """Whether the target builds up through the year, so 序时进度 applies."""
        return self.kind == "cumulative" and self.frequency != "annual"

    @property
    def lower_is_better(self) -> bool:
        return self.comparator == "<="

    @property
    def threshold(self) -> float:
        """The value the latest figure must reach (or, for <=, stay under) to meet the target."""
        if self.comparator == "~":
            return self.value * (1 - APPROX_BAND)
        return self.value

    def met_by(self, actual: float, threshold: float | None = None) -> bool:
        t = self.threshold if threshold is None else threshold
        if self.comparator == ">":
            return actual > t
        if self.comparator == "<=":
            return actual <= t
        return actual >= t  # ">=" and the lower edge of "~"


class JournalEntry(Record):
    """One change: when, who, what, why — and, for undo/redo, which change it concerns."""

    id: int
    at: str
    user: str
    action: str
    key: str | None
    summary: str
    reason: str | None
    target_change: int | None
    undone: bool
    known_from: str | None = None  # a back-fill: since when what it records was known (UTC ISO)
    plan: str | None = None  # the key of the plan it changed
