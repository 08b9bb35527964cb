"""Figures that cannot be right as given: a period that has not ended yet, a magnitude no
bulletin prints (a 51 % GDP growth, a share over 100, an amount off by a factor of ten thousand).

Such a figure is let in only when the user says so (``--force`` for a period not ended,
``--yes`` over a warning), and then keeps a flag saying why (``observations.flag``): the codes
of ``FLAGS``, joined by commas in that order.

Pure: the references an amount is compared with (expected to date, last year's figure) come in
as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from hnreport.domain.model import Plan, Target
# (at the top, not in amount_references: an import there cost 1.6 µs a call, 10 ms of a
# 100k-row import, which asks once per target and day)
from hnreport.domain.progress import schedule_point, schedule_share
from hnreport.domain.rules import Rules
from hnreport.domain.series import expected_on
from hnreport.errors import Message

# A figure let in over a refusal or a warning: recorded with --force for a period not ended
# yet, or confirmed (--yes) over an implausible magnitude.
FLAGS = ("future", "implausible")
RATE_LIMIT = 50.0  # percentage points: a growth rate, a cut, or a share's gap to its target
AMOUNT_FACTOR = 5.0  # an amount this many times above or below every reference


def flag_text(codes: Iterable[str]) -> str | None:
    """The flag as stored: the codes in FLAGS order, joined by commas; None for none."""
    present = set(codes)
    return ",".join(code for code in FLAGS if code in present) or None


def flag_codes(text: str | None) -> tuple[str, ...]:
    return tuple(code for code in (text or "").split(",") if code)


def flag_problem(text: str) -> Message | None:
    """Why ``text`` is not a flag hnreport writes (an import's or an export's), or None."""
    for code in flag_codes(text.strip()):
        if code not in FLAGS:
            return Message("unknown_flag", flag=code, choices=", ".join(FLAGS))
    return None


# Every flag hnreport writes, as stored (db check refuses any other).
FLAG_VALUES = tuple(text for text in (flag_text(c) for c in (("future",), ("implausible",), FLAGS)) if text)


def not_ended(as_of: date, today: date) -> bool:
    """Whether the period ending ``as_of`` is still running on ``today`` (a figure as of today
    itself is a figure for a day that has come)."""
    return as_of > today


def last_year_figure(target: Target, as_of: date, plan: Plan) -> float | None:
    """Last year's figure for the same period, where the plan holds one: the 2021 result the
    target starts from, for a figure covering the whole year, in the target's unit."""
    base = target.baseline
    if base is None or as_of != plan.end or base.unit != target.unit:
        return None
    return base.value


def amount_references(target: Target, as_of: date, plan: Plan, rules: Rules) -> tuple[float | None, float | None]:
    """What an amount for the period ending ``as_of`` is held against: its expected-to-date
    value (序时应达: a January cumulative figure against what January should hold, not the annual
    target — for a target reported once a year too, whose status waits for the year) and last
    year's figure for the same period where one exists — each None where it is not there or not
    above zero. (None, None) for a rate."""
    if is_rate(target):
        return None, None
    if target.kind == "cumulative" and as_of < plan.end:
        expected = target.threshold * schedule_share(as_of, rules.for_target(target))
    else:
        expected = expected_on(target, as_of, plan, rules)
    last = last_year_figure(target, as_of, plan)
    return (expected if expected > 0 else None), (last if last is not None and last > 0 else None)


def references_point(target: Target, as_of: date, plan: Plan, rules: Rules) -> tuple:
    """What ``amount_references(target, as_of, plan, rules)`` depends on besides ``target`` (one
    without revisions: their values change with the day): two days of the plan year with the same
    point have the same references — the days of one month, where 序时进度 counts months."""
    return schedule_point(as_of, rules.for_target(target)), as_of == plan.end


def is_rate(target: Target) -> bool:
    return target.kind in ("growth_rate", "reduction", "share")


_INF = float("inf")


def _ceiling(target: Target, expected: float) -> float:
    """What a figure is held against above: for a cumulative amount the year's whole target once
    that is more than expected by now (a batch done early — one listing in January of a target
    of one — is no typo); else the expected value itself."""
    return max(expected, target.threshold) if target.kind == "cumulative" else expected


def plausible_bands(target: Target, expected: float | None = None, last: float | None = None) -> tuple[tuple[float, float], ...]:
    """The ranges a figure of ``target`` is plausible in (empty: anything is): a growth rate or
    cut within ±50 percentage points, a share up to 100 and within 50 points of its target, an
    amount within 5× of one of its references (above, for a cumulative amount: of the year's
    target, where that is more), or nothing yet (zero)."""
    kind = target.kind
    if kind in ("growth_rate", "reduction"):
        return ((-RATE_LIMIT, RATE_LIMIT),)
    if kind == "share":
        return ((target.value - RATE_LIMIT, min(100.0, target.value + RATE_LIMIT)),)
    bands = [(-_INF, 0.0)]
    if expected is not None and expected > 0:
        bands.append((expected / AMOUNT_FACTOR, _ceiling(target, expected) * AMOUNT_FACTOR))
    if last is not None and last > 0:
        bands.append((last / AMOUNT_FACTOR, last * AMOUNT_FACTOR))
    return tuple(bands) if len(bands) > 1 else ()


def implausible(target: Target, value: float, expected: float | None = None, last: float | None = None,
                shown: str | None = None) -> Message | None:  # fmt: skip
    """Why ``value`` cannot be right for ``target`` as given (see ``plausible_bands``), or None.
    ``shown`` is the figure as the message quotes it (as published: 51.0)."""
    from hnreport.domain.values import format_number

    bands = plausible_bands(target, expected, last)
    if not bands or any(low <= value <= high for low, high in bands):
        return None
    shown = format_number(value) if shown is None else shown
    if target.kind in ("growth_rate", "reduction"):
        return Message("implausible_growth", shown=shown, limit=RATE_LIMIT)
    if target.kind == "share":
        if value > 100:
            return Message("implausible_share_over", shown=shown)
        return Message("implausible_share_gap", shown=shown, target=format_number(target.value), limit=RATE_LIMIT)
    unit = target.unit or ""

    def quote(number: float) -> str:
        return format_number(round(number, 2)) + unit

    has_expected, has_last = expected is not None and expected > 0, last is not None and last > 0
    if has_expected and value > expected and _ceiling(target, expected) > expected:  # type: ignore[operator]
        return Message("implausible_above_year", shown=shown + unit, target=quote(target.threshold), factor=AMOUNT_FACTOR)
    if has_expected and has_last:
        return Message("implausible_amount_last_year", shown=shown + unit, expected=quote(expected), last=quote(last),  # type: ignore[arg-type]
                       factor=AMOUNT_FACTOR)  # fmt: skip
    if has_expected:
        return Message("implausible_amount", shown=shown + unit, expected=quote(expected), factor=AMOUNT_FACTOR)  # type: ignore[arg-type]
    return Message("implausible_amount_only_last_year", shown=shown + unit, last=quote(last), factor=AMOUNT_FACTOR)  # type: ignore[arg-type]


def out_of_order(target: Target, value: float, before: tuple[date, float] | None, after: tuple[date, float] | None,
                 shown: str) -> Message | None:  # fmt: skip
    """A year-to-date total (a cumulative target) below the total of an earlier period of the
    year, or above a later one's: totals do not fall as months pass (68亿元 for 1-5月, then 60亿元
    for 1-6月, is a typo or a revision to check). None when it lies between them."""
    if target.kind != "cumulative":
        return None
    from hnreport.domain.values import format_number

    unit = target.unit or ""
    if before is not None and value < before[1]:
        return Message("implausible_total_fell", shown=shown + unit, other=format_number(before[1]) + unit,
                       day=before[0].isoformat())  # fmt: skip
    if after is not None and value > after[1]:
        return Message("implausible_total_above_later", shown=shown + unit, other=format_number(after[1]) + unit,
                       day=after[0].isoformat())  # fmt: skip
    return None
