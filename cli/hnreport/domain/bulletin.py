"""The 督查通报 and the 督办单 as pure rules: which items a bulletin names as problems (四、) and
an order chases, the words for the period a bulletin covers, the ranking of units (附件) in a
stated order, and the reply deadline of an order.

Every count starts from the same assessments and milestone states as ``report --format json``:
nothing here computes a status.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from hnreport.records import Record
from hnreport.errors import BadConfig

# The reasons an item is named under 四、存在的问题 (and put on a unit's 督办单), worst first.
CONCERNS = ("missed", "far_behind", "behind", "overdue", "stalled")
TARGET_CONCERNS = ("missed", "far_behind", "behind")

# The lights of the ranking: a target's status, a milestone's status.
TARGET_LIGHT = {"achieved": "green", "on_pace": "green", "behind": "yellow", "far_behind": "red", "missed": "red"}
MILESTONE_LIGHT = {"done": "green", "in_progress": "green", "not_started": "yellow", "stalled": "red"}

# ranking.order: the counts a unit is ranked by, each from most to fewest, worst first.
RANK_KEYS = ("red", "overdue", "yellow", "no_report", "support_red")
DEFAULT_RANK_ORDER = ("red", "overdue", "yellow")
DEFAULT_REPLY_DAYS = 7
MAX_REPLY_DAYS = 366


class Concern(Record):
    """An item a bulletin names under 四、 and an order chases: why, whose, and what the unit said."""

    kind: str  # target | milestone
    key: str
    name_zh: str
    reason: str  # one of CONCERNS
    lead: str | None
    section: str
    problems: str | None = None  # 存在问题, as the unit last reported it
    next_steps: str | None = None  # 下一步措施
    progress: str | None = None  # 进展情况
    reported_on: date | None = None  # the day of that report
    note: str | None = None  # the latest figure's note (a target)
    due: date | None = None  # a milestone's deadline
    days_overdue: int | None = None
    due_implied: bool = False  # the deadline is only implied (the year's end): the report names none

    @property
    def unreported(self) -> bool:
        """Nothing recorded on why or what next: itself news (未报送)."""
        return not (self.problems or self.next_steps)


def concerns(assessments: list, states: list, leads: dict, texts: dict) -> list[Concern]:
    """Every behind, far-behind or missed target and every overdue or stalled milestone, worst
    first and in report order within each reason. ``texts``: item key → (day, progress, problems,
    next steps) of its latest report (a unit's 报送表 or ``milestones set``)."""
    out: list[Concern] = []
    for a in assessments:
        if a.status in TARGET_CONCERNS:
            t = a.target
            day, progress, problems, next_steps = texts.get(t.key, (None, None, None, None))
            out.append(Concern("target", t.key, t.name_zh, a.status, leads.get(t.key), t.section, problems, next_steps,
                               progress, day, a.observation.note if a.observation else None))  # fmt: skip
    for s in states:
        if s.overdue or s.status == "stalled":
            m = s.milestone
            day, progress, problems, next_steps = texts.get(m.key, (None, None, None, None))
            late = (s.as_of - s.due).days if s.overdue else None
            out.append(Concern("milestone", m.key, m.name_zh, "overdue" if s.overdue else "stalled", leads.get(m.key),
                               m.section, problems, next_steps, progress, day, None, s.due, late, bool(s.due_implied)))  # fmt: skip
    order = {r: i for i, r in enumerate(CONCERNS)}
    return sorted(out, key=lambda c: order[c.reason])  # stable: report order within a reason


def milestone_texts(states: list) -> dict:
    """item key → (day, progress, problems, next steps) from each milestone's status in force."""
    out = {}
    for s in states:
        c = s.change
        if c is not None and (c.progress or c.problems or c.next_steps):
            out[s.milestone.key] = (c.as_of, c.progress, c.problems, c.next_steps)
    return out


# ── the period a bulletin covers ────────────────────────────────────────────────────────────
_QUARTERS = {3: "一季度", 6: "上半年", 9: "前三季度"}


def period_words(as_of: date) -> str:
    """How a bulletin names what it covers: 2022年上半年, 2022年1-5月, 2022年前三季度, 2022年
    (the whole year), or 截至2022年7月15日 for a day that ends no month."""
    following = as_of + timedelta(days=1)
    if following.day != 1:
        return f"截至{as_of.year}年{as_of.month}月{as_of.day}日"
    if as_of.month == 12:
        return f"{as_of.year}年"
    if as_of.month in _QUARTERS:
        return f"{as_of.year}年{_QUARTERS[as_of.month]}"
    if as_of.month == 1:
        return f"{as_of.year}年1月"
    return f"{as_of.year}年1-{as_of.month}月"


def bulletin_title(plan_name_zh: str, as_of: date) -> str:
    """关于2022年上半年政府工作报告目标任务推进情况的通报: the plan named without its county and
    year (the period says the year)."""
    subject = re.sub(r"^.*?[0-9]{4}年", "", plan_name_zh) or plan_name_zh
    return f"关于{period_words(as_of)}{subject}目标任务推进情况的通报"


def order_number(year: int, number: int) -> str:
    """督办〔2022〕3号: how an order is cited."""
    return f"督办〔{year}〕{number}号"


def reply_due(as_of: date, issued_on: date, days: int) -> date:
    """The 办理时限 of an order: the as-of date plus ``order.reply_days`` — counted from the day
    of issue instead when the order goes out after its as-of date (an order for the end of June
    issued on 20 July), so that no deadline has passed when it arrives."""
    return max(as_of, issued_on) + timedelta(days=days)


# ── the ranking of units (附件) ───────────────────────────────────────────────────────────────
class UnitRank(Record):
    unit: str
    lead_items: int
    green: int
    yellow: int
    red: int
    overdue: int
    no_data: int
    support_items: int
    support_yellow: int
    support_red: int
    no_report: int  # 1 when the unit has not reported for the month (未报送)

    def tally(self, key: str) -> int:
        return getattr(self, key)


def parse_rank_order(text: str) -> tuple[str, ...]:
    """``ranking.order`` as stored: a comma list of RANK_KEYS, each once (red,overdue,yellow)."""
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not parts or any(p not in RANK_KEYS for p in parts) or len(set(parts)) != len(parts):
        raise BadConfig("rank_order_keys", choices=", ".join(RANK_KEYS))
    return tuple(parts)


def rank_units(units: list[str], leads: dict, supports: dict, target_status: dict, milestone_states: dict,
               unreported: set, order: tuple[str, ...]) -> list[UnitRank]:  # fmt: skip
    """Each unit that leads or supports an item, counted, worst first: by each count of ``order``
    from most to fewest, then by name. ``milestone_states``: key → (status, overdue)."""
    rows = []
    for unit in units:
        led = [k for k, u in leads.items() if u == unit]
        backed = [k for k, us in supports.items() if unit in us]
        if not led and not backed:
            continue
        lights = {"green": 0, "yellow": 0, "red": 0}
        overdue = no_data = 0
        for k in led:
            light = _light(k, target_status, milestone_states)
            if light in lights:
                lights[light] += 1
            if target_status.get(k) == "no_data":
                no_data += 1
            if k in milestone_states and milestone_states[k][1]:
                overdue += 1
        support = [_light(k, target_status, milestone_states) for k in backed]
        rows.append(UnitRank(unit, len(led), lights["green"], lights["yellow"], lights["red"], overdue, no_data,
                             len(backed), sum(s == "yellow" for s in support), sum(s == "red" for s in support),
                             int(unit in unreported)))  # fmt: skip
    return sorted(rows, key=lambda r: (*(-r.tally(k) for k in order), r.unit))


def _light(key: str, target_status: dict, milestone_states: dict) -> str | None:
    if key in target_status:
        return TARGET_LIGHT.get(target_status[key])
    if key in milestone_states:
        return MILESTONE_LIGHT.get(milestone_states[key][0])
    return None
