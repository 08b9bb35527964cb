"""Reading what a user types: periods (--as-of, --from/--to) and figures (record's value).

Covers hnreport.domain.periods (parse_period, completed_months, year_fraction, month_ends) and
hnreport.domain.values.parse_value. Every accepted form resolves to the last day of the period it
names; nothing is filled in from today.
"""

from __future__ import annotations

import calendar
import json
import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hnreport.errors import BadPeriod, BadValue
from hnreport.domain.periods import completed_months, month_end, month_ends, parse_period, parse_span, year_fraction
from hnreport.domain.values import parse_value

# Years with four digits: every form below writes the year as four digits.
YEARS = st.integers(min_value=1000, max_value=9999)
MONTHS = st.integers(min_value=1, max_value=12)
ANY_DAY = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
MONTH_END = st.builds(month_end, YEARS, MONTHS)
QUARTER_END = st.builds(lambda y, q: month_end(y, 3 * q), YEARS, st.integers(1, 4))
HALF_END = st.builds(lambda y, h: month_end(y, 6 * h), YEARS, st.integers(1, 2))
CN_DIGIT = {1: "一", 2: "二", 3: "三", 4: "四"}
MONTH_NAME = {i: calendar.month_name[i] for i in range(1, 13)}  # "June"
MONTH_ABBR = {i: calendar.month_abbr[i] for i in range(1, 13)}  # "Jun"


# ── the forms of the specification, one by one ──────────────────────────────────────────────
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO dates
        ("2022-06-30", date(2022, 6, 30)),
        ("2022-06-07", date(2022, 6, 7)),
        # months → the month's last day
        ("2022-06", date(2022, 6, 30)),
        ("2022/6", date(2022, 6, 30)),
        ("Jun 2022", date(2022, 6, 30)),
        ("June 2022", date(2022, 6, 30)),
        ("2022-02", date(2022, 2, 28)),
        ("Feb 2024", date(2024, 2, 29)),  # leap year
        # quarters
        ("2022Q2", date(2022, 6, 30)),
        ("2022-Q2", date(2022, 6, 30)),
        ("2022Q1", date(2022, 3, 31)),
        ("2022-Q4", date(2022, 12, 31)),
        # halves
        ("2022H1", date(2022, 6, 30)),
        ("2022-H2", date(2022, 12, 31)),
        # the year
        ("2022", date(2022, 12, 31)),
        # Chinese
        ("2022年6月", date(2022, 6, 30)),
        ("2022年6月30日", date(2022, 6, 30)),
        ("2022年1-6月", date(2022, 6, 30)),
        ("2022年1—6月", date(2022, 6, 30)),
        ("2022年一季度", date(2022, 3, 31)),
        ("2022年第二季度", date(2022, 6, 30)),
        ("2022年上半年", date(2022, 6, 30)),
        ("2022年下半年", date(2022, 12, 31)),
        ("2022年前三季度", date(2022, 9, 30)),
        ("2022年全年", date(2022, 12, 31)),
        ("２０２２年６月", date(2022, 6, 30)),  # full-width digits
        # other clear forms through python-dateutil
        ("June 30, 2022", date(2022, 6, 30)),
        ("30 June 2022", date(2022, 6, 30)),
        ("30.6.2022", date(2022, 6, 30)),  # 30 cannot be a month: unambiguous
        ("2022-06-30T00:00", date(2022, 6, 30)),
    ],
)
def test_accepted_form_resolves_to_the_last_day_of_its_period(text: str, expected: date) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "6/7/2022",  # 6 July or 7 June?
        "06/07/2022",
        "7-6-2022",
        "6.7.2022",
        "2022-02-29",  # 2022 is not a leap year
        "2022-02-30",
        "2022-06-31",
        "2022年2月29日",
        "2022年13月",
        "2022-13",
        "2022-00",
        "2022Q5",
        "2022H3",
        "2022年前四季度",
        "Feb 30 2022",
        "30 Feb 2024",
        "",
        "   ",
        "hello",
    ],
)
def test_ambiguous_or_impossible_period_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(BadPeriod) as err:
        parse_period(text)
    message = str(err.value)
    assert "accepted forms" in message
    for example in ("2022-06-30", "2022-06", "2022Q2", "2022H1", "2022年1-6月", "2022年上半年"):
        assert example in message


@pytest.mark.parametrize("text", ["June 30", "30/6", "6月", "二季度", "Q2", "上半年", "June"])
def test_nothing_is_filled_in_from_today(text: str) -> None:
    # Each names a period but no year; the pinned today (2022-07-15) must not supply one.
    with pytest.raises(BadPeriod, match="no year"):
        parse_period(text)


# Found while writing these tests: the python-dateutil fallback read these month-first
# ('6/7/2022 00:00' → 2022-06-07) and gave '7 Jun 6 2022' the year 2006; fixed meanwhile.
@pytest.mark.parametrize(
    "text",
    ["6/7/2022 00:00", "6 7 2022", "1 2 2022", "6.7.2022 12:00", "6 / 7 / 2022", "6/7, 2022", "06/07/2022T00:00"],
)
def test_ambiguous_forms_are_refused_through_the_dateutil_fallback_too(text: str) -> None:
    with pytest.raises(BadPeriod, match="accepted forms"):
        parse_period(text)


@pytest.mark.parametrize("text", ["7 Jun 6 2022", "June 6 7 2022"])
def test_unclear_form_is_not_given_a_year_or_day_it_does_not_name(text: str) -> None:
    with pytest.raises(BadPeriod, match="accepted forms"):
        parse_period(text)


# ── round trips: every form names the date it parses to ─────────────────────────────────────
def _day_forms(d: date) -> list[str]:
    forms = [
        d.isoformat(),
        f"{d.year}-{d.month}-{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{MONTH_NAME[d.month]} {d.day}, {d.year}",
        f"{d.day} {MONTH_NAME[d.month]} {d.year}",
        f"{d.day} {MONTH_ABBR[d.month]} {d.year}",
        f"{d.isoformat()}T00:00",
    ]
    if d.day > 12 or d.day == d.month:  # day/month order cannot be mistaken
        forms += [f"{d.day}/{d.month}/{d.year}", f"{d.day}.{d.month}.{d.year}"]
    if d.day > 12:
        forms.append(f"{d.month}/{d.day}/{d.year}")
    return forms


@given(ANY_DAY)
def test_every_day_form_round_trips(d: date) -> None:
    for text in _day_forms(d):
        assert parse_period(text) == d, text


@given(MONTH_END)
def test_every_month_form_round_trips(d: date) -> None:
    y, m = d.year, d.month
    forms = [
        f"{y}-{m:02d}",
        f"{y}-{m}",
        f"{y}/{m}",
        f"{y}.{m:02d}",
        f"{MONTH_ABBR[m]} {y}",
        f"{MONTH_NAME[m]} {y}",
        f"{y}年{m}月",
        f"{y}年1-{m}月",  # cumulative from January: 1-6月 ends on 6月's last day
        f"{y}年{m}月{d.day}日",
    ]
    for text in forms:
        assert parse_period(text) == d, text


@given(QUARTER_END)
def test_every_quarter_form_round_trips(d: date) -> None:
    q = d.month // 3
    forms = [f"{d.year}Q{q}", f"{d.year}-Q{q}", f"{d.year}年{CN_DIGIT[q]}季度", f"{d.year}年第{CN_DIGIT[q]}季度"]
    for text in forms:
        assert parse_period(text) == d, text
    if q <= 3:
        assert parse_period(f"{d.year}年前{CN_DIGIT[q]}季度") == d


@given(HALF_END)
def test_every_half_year_form_round_trips(d: date) -> None:
    h = d.month // 6
    forms = [f"{d.year}H{h}", f"{d.year}-H{h}", f"{d.year}年{'上' if h == 1 else '下'}半年"]
    for text in forms:
        assert parse_period(text) == d, text


@given(YEARS)
def test_every_year_form_round_trips(year: int) -> None:
    for text in (str(year), f"{year}年全年"):
        assert parse_period(text) == date(year, 12, 31), text


@given(YEARS, MONTHS, st.integers(1, 11))
def test_day_month_ambiguous_numeric_forms_are_refused(year: int, month: int, shift: int) -> None:
    day = (month - 1 + shift) % 12 + 1  # another number from 1 to 12: either could be the month
    assert day != month
    for sep in "/.-":
        with pytest.raises(BadPeriod, match="ambiguous"):
            parse_period(f"{day}{sep}{month}{sep}{year}")


@given(YEARS, st.sampled_from([2, 4, 6, 9, 11]))
def test_a_day_the_month_does_not_have_is_refused(year: int, month: int) -> None:
    bad_day = calendar.monthrange(year, month)[1] + 1  # 2022-06-31, 2022-02-29, 2024-02-30 …
    for text in (f"{year}-{month:02d}-{bad_day:02d}", f"{year}年{month}月{bad_day}日"):
        with pytest.raises(BadPeriod, match="no such date"):
            parse_period(text)


# ── --as-of through the command line ────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("text", "iso"),
    [("2022年1-6月", "2022-06-30"), ("2022Q3", "2022-09-30"), ("Jun 2022", "2022-06-30"), ("2022年全年", "2022-12-31")],
)
def test_report_as_of_accepts_the_forms(cli, seeded, text: str, iso: str) -> None:
    out = json.loads(cli.ok("report", "--as-of", text, "--format", "json").stdout)
    assert out["as_of"] == iso


def test_report_as_of_refuses_an_ambiguous_date_with_the_accepted_forms(cli, seeded) -> None:
    result = cli("report", "--as-of", "6/7/2022", "--format", "json")
    assert result.exit_code == 1
    assert "ambiguous" in result.stderr
    assert "accepted forms" in result.stderr and "2022年1-6月" in result.stderr
    assert result.stdout == ""


# ── completed months and 序时进度 ─────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("on", "months", "fraction"),
    [
        (date(2022, 6, 30), 6, 0.5),  # 6 full months / 12
        (date(2022, 6, 29), 5, 5 / 12),  # June is not over yet
        (date(2022, 1, 1), 0, 0.0),
        (date(2022, 1, 30), 0, 0.0),
        (date(2022, 1, 31), 1, 1 / 12),
        (date(2022, 2, 28), 2, 2 / 12),  # February's end in a common year
        (date(2024, 2, 28), 1, 1 / 12),  # … is not its end in a leap year
        (date(2024, 2, 29), 2, 2 / 12),
        (date(2022, 12, 31), 12, 1.0),
    ],
)
def test_completed_months_and_year_fraction_by_months(on: date, months: int, fraction: float) -> None:
    assert completed_months(on) == months
    assert year_fraction(on) == pytest.approx(fraction)
    assert year_fraction(on, "months") == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("on", "fraction"),
    [
        (date(2024, 12, 31), 1.0),  # day 366 of 366
        (date(2024, 2, 29), 60 / 366),  # 31 + 29
        (date(2024, 3, 1), 61 / 366),
        (date(2023, 3, 1), 60 / 365),  # 31 + 28 + 1
        (date(2022, 6, 30), 181 / 365),  # 31+28+31+30+31+30
        (date(2022, 12, 31), 1.0),
        (date(2022, 1, 1), 1 / 365),
    ],
)
def test_year_fraction_by_days(on: date, fraction: float) -> None:
    assert year_fraction(on, "days") == pytest.approx(fraction)


@given(ANY_DAY)
def test_completed_months_counts_only_finished_months(d: date) -> None:
    finished = d == month_end(d.year, d.month)
    assert completed_months(d) == (d.month if finished else d.month - 1)
    assert 0 <= year_fraction(d) <= 1
    assert 0 < year_fraction(d, "days") <= 1


@given(YEARS, st.integers(0, 364), st.integers(0, 364))
def test_year_fraction_never_falls_within_a_year(year: int, a: int, b: int) -> None:
    early, late = (date.fromordinal(date(year, 1, 1).toordinal() + n) for n in sorted((a, b)))
    for basis in ("months", "days"):
        assert year_fraction(early, basis) <= year_fraction(late, basis)


def test_month_ends_lists_each_month_once_inclusive() -> None:
    assert month_ends(date(2022, 1, 15), date(2022, 3, 1)) == [date(2022, 1, 31), date(2022, 2, 28), date(2022, 3, 31)]
    assert month_ends(date(2023, 11, 30), date(2024, 2, 1)) == [
        date(2023, 11, 30), date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29),
    ]  # fmt: skip
    assert month_ends(date(2022, 6, 1), date(2022, 6, 30)) == [date(2022, 6, 30)]
    assert month_ends(date(2022, 7, 1), date(2022, 6, 30)) == []
    assert len(month_ends(date(2022, 1, 1), date(2022, 12, 31))) == 12


# ── values ───────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("8.7", None, 8.7),
        ("70", "亿元", 70.0),
        ("0", None, 0.0),
        (".5", None, 0.5),
        ("+5", None, 5.0),
        ("-3.2", None, -3.2),
        ("－3.2", None, -3.2),  # full-width minus
        ("1,234.5", None, 1234.5),  # thousands separator
        ("6,200", None, 6200.0),
        ("１２３４.５", None, 1234.5),  # full-width digits
        ("１，２３４", None, 1234.0),  # full-width comma
        ("70亿元", "亿元", 70.0),  # trailing unit equal to the target's
        ("70 亿元", "亿元", 70.0),
        ("8.7%", "%", 8.7),
        ("8.7％", "%", 8.7),  # full-width percent sign
        ("  8.7  ", None, 8.7),
        ("70亿", "亿元", 70.0),  # a bare 亿 after a number is the target's 亿元 (issue 13)
        ("70万元", "亿元", 0.007),  # another amount unit, converted exactly
    ],
)
def test_parse_value_reads_plain_figures(text: str, unit: str | None, expected: float) -> None:
    assert parse_value(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("", None),
        ("   ", None),
        ("\u3000", None),  # ideographic space only
        ("abc", None),
        ("seventy", None),
        ("nan", None),
        ("NaN", None),
        ("inf", None),
        ("-inf", None),
        ("Infinity", None),
        ("1e400", None),  # overflows a float
        ("-1e400", None),
        ("70亿元", None),  # a unit where the target has none
        ("8.7%", None),
        ("亿元", "亿元"),  # the unit alone
        ("1 000", None),
        ("0x10", None),
    ],
)
def test_parse_value_refuses_what_is_not_a_figure(text: str, unit: str | None) -> None:
    with pytest.raises(BadValue):
        parse_value(text, unit)


@pytest.mark.parametrize("text", ["-5", "－5", "-0.1", "−2"])
def test_parse_value_refuses_negative_when_nonnegative(text: str) -> None:
    assert parse_value(text) < 0  # accepted where a negative figure makes sense (a growth rate)
    with pytest.raises(BadValue, match="negative"):
        parse_value(text, nonnegative=True)


# Found while writing these tests: commas anywhere used to be dropped, so '1,5' (a decimal
# comma) was read as 15 and '1,2,3' as 123; fixed meanwhile (see also the next test).
@pytest.mark.parametrize("text", ["1,5", "1,2,3", "12,34", "1,,000", "1234,567", ",5"])
def test_parse_value_refuses_misplaced_thousands_separators(text: str) -> None:
    with pytest.raises(BadValue):
        parse_value(text)


# Also found here: after the first fix a comma following one good group was still dropped
# ('1,234.5,6' → 1234.56, '1,000,0' → 10000); fixed meanwhile.
@pytest.mark.parametrize(("text", "unit"), [("1,234.5,6", None), ("1,000,0", None), ("1,234,56", None), ("1,234,5亿元", "亿元")])
def test_parse_value_refuses_a_misplaced_comma_after_a_good_group(text: str, unit: str | None) -> None:
    with pytest.raises(BadValue):
        parse_value(text, unit)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [("1,234", None, 1234.0), ("12,345,678.9", None, 12345678.9), ("-1,000", None, -1000.0), ("1,234亿元", "亿元", 1234.0)],
)
def test_parse_value_accepts_well_placed_thousands_separators(text: str, unit: str | None, expected: float) -> None:
    assert parse_value(text, unit) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_round_trips_through_repr(x: float) -> None:
    back = parse_value(repr(x))
    assert back == x
    # The sign survives, except that -0 is read as 0: a figure or target is never shown as "-0".
    assert math.copysign(1, back) == (math.copysign(1, x) if x != 0 else 1.0)


@given(st.floats(min_value=0, max_value=1e15, allow_nan=False))
@settings(max_examples=200)
def test_nonnegative_floats_pass_the_nonnegative_check(x: float) -> None:
    assert parse_value(repr(x), nonnegative=True) == x
    assert parse_value(f"{x!r}亿元", "亿元", nonnegative=True) == x


@pytest.mark.parametrize(("text", "first", "last"), [
    ("二〇二二年上半年", date(2022, 1, 1), date(2022, 6, 30)),
    ("二零二二年全年", date(2022, 1, 1), date(2022, 12, 31)),
    ("2022年十二月", date(2022, 12, 1), date(2022, 12, 31)),
    ("二〇二二年十二月三十一日", date(2022, 12, 31), date(2022, 12, 31)),
    ("二〇二二年第三季度", date(2022, 7, 1), date(2022, 9, 30)),
    ("2022年一-六月", date(2022, 1, 1), date(2022, 6, 30)),
    ("2022年十月", date(2022, 10, 1), date(2022, 10, 31)),
    ("二〇二二年二月二十八日", date(2022, 2, 28), date(2022, 2, 28)),
])  # fmt: skip
def test_years_months_and_days_in_chinese_numerals(text, first, last) -> None:
    assert parse_span(text) == (first, last)


def test_a_chinese_numeral_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(BadPeriod):
        parse_span("二〇二二年二月三十日")
