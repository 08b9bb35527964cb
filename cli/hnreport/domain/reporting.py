"""The units' side of the month, as pure rules: which month a report is for and when it is due
(``report.due_day``), which period a figure reported in it is for, the status words a unit
writes, and what an answered row of a returned sheet changes.
"""

from __future__ import annotations

import re
from datetime import date

from hnreport.records import Record
from hnreport.domain.periods import days_in_month, last_completed_period
from hnreport.words.labels import MILESTONE_STATUS, fold, names_for

# The statuses a unit reports (the drop-down of the sheet), in the order offices list them.
# 未评估 (not_rated) is the office's own "not assessed yet", never a unit's answer.
REPORTABLE = ("not_started", "in_progress", "done", "stalled", "dropped")


class Period(Record):
    """A reporting period: a month, whose report is due on that month's ``report.due_day``."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def label(self, lang: str = "zh") -> str:
        if lang == "en":
            return date(self.year, self.month, 1).strftime("%B %Y")
        return f"{self.year}年{self.month}月"

    def due(self, due_day: int) -> date:
        return date(self.year, self.month, min(due_day, days_in_month(self.year, self.month)))

    def next(self) -> "Period":
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def previous(self) -> "Period":
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)


_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")


def period_from_key(text: str) -> Period | None:
    """The period a stored key (``2022-07``) names, or None."""
    m = _KEY.fullmatch(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return Period(int(m.group(1)), int(m.group(2)))


def month_of(first: date, last: date) -> Period | None:
    """The period a span names when it is one month or a day in one (2022-07, 2022年7月,
    2022-07-15), else None (a quarter, a year)."""
    if (first.year, first.month) != (last.year, last.month):
        return None
    return Period(last.year, last.month)


def open_period(day: date, due_day: int) -> Period:
    """The period whose report falls due next, on or after ``day``: the sheet to send out now."""
    here = Period(day.year, day.month)
    return here if day <= here.due(due_day) else here.next()


def last_due_period(day: date, due_day: int) -> Period:
    """The latest period whose report was due on or before ``day``: whose reports are late if
    they have not come back."""
    here = Period(day.year, day.month)
    return here if here.due(due_day) <= day else here.previous()


def within_year(period: Period, year: int) -> Period:
    """``period`` kept within the plan year's twelve months."""
    if period.year < year:
        return Period(year, 1)
    if period.year > year:
        return Period(year, 12)
    return period


def report_day(period: Period, due_day: int, today: date) -> date:
    """The day a collected report's statuses are recorded as of: the day it is read in, or its
    due date if it is read later (a late report speaks for its month, not for the next)."""
    return min(today, period.due(due_day))


def figure_period(period: Period, due_day: int, frequency: str, start: date, end: date) -> date | None:
    """The period a figure reported in ``period``'s sheet is for: the last of the target's
    frequency that ended before the report is due (a July report gives June, or Q2), within the
    plan year ``start``..``end``; None when none has (an annual figure before the year is over)."""
    day = last_completed_period(period.due(due_day), frequency)
    return day if start <= day <= end else None


# ── the status words a unit writes ────────────────────────────────────────────────────────────
def status_choices(lang: str = "zh") -> list[str]:
    """The drop-down of the sheet: each reportable status's label."""
    return [MILESTONE_STATUS[s][2 if lang == "en" else 1] for s in REPORTABLE]


def status_from_word(text: str) -> str | None:
    """The status a unit wrote — a label as the drop-down offers it (推进中, 滞后/停滞 or either half),
    with or without its mark (▶ 推进中), its English label or its code — or None when it is none
    of the statuses a unit reports."""
    cleaned = (text or "").strip()
    if cleaned[:1] in {row[0][:1] for row in MILESTONE_STATUS.values()}:
        cleaned = cleaned.lstrip("✓▶◇▼⊘○").strip()
    code = names_for(MILESTONE_STATUS).get(fold(cleaned.replace("／", "/")))
    return code if code in REPORTABLE else None


class LastReport(Record):
    """What a unit last reported on an item, and the day it was read in."""

    day: date
    progress: str | None
    problems: str | None
    next_steps: str | None
    source: str | None

    @property
    def texts(self) -> tuple:
        return (self.progress, self.problems, self.next_steps, self.source)


# ── what an answered row changes ──────────────────────────────────────────────────────────────
class Answer(Record):
    """One row of a returned sheet as the unit filled it in (texts stripped, None when empty)."""

    status: str | None = None
    value: float | None = None
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    source: str | None = None
    decimals: int | None = None  # of the figure, as the unit wrote it ("5.0" keeps one)

    @property
    def blank(self) -> bool:
        return all(v is None for v in self[:6])

    @property
    def texts(self) -> tuple:
        return (self.progress, self.problems, self.next_steps, self.source)


def milestone_outcome(answer: Answer, status_now: str, last: tuple | None) -> tuple[str, str | None]:
    """('blank' | 'unchanged' | 'reported', the status to record) for a commitment's row.

    A status left empty beside texts keeps the status in force. ``last`` is the latest status
    record as (status, progress, problems, next_steps, source), or None: a row that says exactly
    that again changes nothing."""
    if answer.blank:
        return "blank", None
    status = answer.status or status_now
    if last is not None and (status, *answer.texts) == tuple(last):
        return "unchanged", status
    return "reported", status


def target_outcome(answer: Answer, figure_now: float | None, last_texts: tuple | None) -> str:
    """'blank' | 'unchanged' | 'reported' for a target's row: unchanged when its figure is the one
    already recorded for the period (or none is given) and its texts those of its last report."""
    if answer.blank:
        return "blank"
    figure_kept = answer.value is None or (figure_now is not None and same_figure(answer.value, figure_now))
    same_texts = answer.texts == (tuple(last_texts) if last_texts is not None else (None, None, None, None))
    return "unchanged" if figure_kept and same_texts else "reported"


def same_figure(a: float, b: float) -> bool:
    """Whether two figures are the one figure (float noise aside)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def report_states(leads: dict, item_keys: list, returns: dict) -> list[tuple[str, str, list, object]]:
    """Each lead unit's report for a month, by unit name: (unit, 'not_reported' | 'blank' |
    'reported', the items it leads that it did not report on — all of them when it sent nothing —,
    its return or None). ``item_keys`` in plan order; ``returns``: unit → its latest return
    (with ``answers``: item key → answer)."""
    rows: list[tuple[str, str, list, object]] = []
    for unit in sorted(set(leads.values())):
        led = [k for k in item_keys if leads.get(k) == unit]
        got = returns.get(unit)
        if got is None:
            rows.append((unit, "not_reported", led, None))
            continue
        answers = {k.lower(): a for k, a in got.answers.items()}
        blank = [k for k in led if answers.get(k.lower(), "blank") == "blank"]
        rows.append((unit, "blank" if blank else "reported", blank, got))
    return rows
