"""Periods as a county office writes them, each resolved to the last day of the period.

``parse_period("2022年1-6月") == date(2022, 6, 30)``. Nothing is ever filled in from today: a
form that lacks a year is refused, a missing day means the month's last day, and day/month
ambiguous forms such as ``6/7/2022`` are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date

from hnreport.errors import BadPeriod, Message

ACCEPTED_FORMS = (
    "2022-06-30, June 30 2022, 2022-06, 2022/6, Jun 2022, 2022Q2, 2022-Q2, 2022H1, 2022-H2, 2022, "
    "2022年6月30日, 2022年6月, 2022年1-6月, 2022年一季度, 2022年第二季度, 2022年上半年, 2022年下半年, "
    "2022年前三季度, 2022年全年, 二〇二二年上半年, 二〇二二年十二月"
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# English month names, spelled out here rather than read from the calendar module, whose names
# follow the locale and whose import every command would pay for.
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")  # fmt: skip
_MONTHS = {name: i for i, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])}
_MONTHS["sept"] = 9

_RANGE = r"\s*[-–—~～至到]\s*"
# Pattern texts, compiled on first use by re's own cache: a read command that parses no period
# does not pay for compiling them.
_PATTERNS: list[tuple[str, str]] = [
    (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", "ymd"),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})日", "ymd"),
    (r"(\d{4})[-/.](\d{1,2})", "ym"),
    (r"(\d{4})年(\d{1,2})月(?:份|末|底)?", "ym"),
    (r"(\d{4})年(?:1|一)" + _RANGE + r"(\d{1,2})月(?:份|末|底)?", "ytd_m"),
    (r"(\d{4})\s*-?\s*[qQ]([1-4])", "yq"),
    (r"[qQ]([1-4])\s*[-/ ]?\s*(\d{4})", "qy"),
    (r"(\d{4})年(?:第)?([一二三四1-4])季度(?:末)?", "yq"),
    (r"(\d{4})年前([一二三1-3])季度", "ytd_q"),
    (r"(\d{4})\s*-?\s*[hH]([12])", "yh"),
    (r"(\d{4})年([上下])半年", "yh"),
    (r"(\d{4})(?:年|年全年|年度|全年)?", "y"),
]


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    return date(year, month, days_in_month(year, month))


def _bad(text: str, why: Message | None = None) -> BadPeriod:
    reason = Message("in_parens", what=why) if why else ""
    return BadPeriod("bad_period", text=text, reason=reason, forms=ACCEPTED_FORMS)


def _build(text: str, form: str, groups: tuple[str, ...]) -> tuple[date, date]:
    """The first and last day of the period a matched form names."""
    try:
        year = int(groups[1] if form == "qy" else groups[0])
        if form == "ymd":
            day = date(year, int(groups[1]), int(groups[2]))
            return day, day
        if form in ("ym", "ytd_m"):
            month = int(groups[1])
            end = month_end(year, month)
            return date(year, 1 if form == "ytd_m" else month, 1), end
        if form in ("yq", "qy", "ytd_q"):
            q = _CN_DIGITS[groups[0] if form == "qy" else groups[1]]
            end = month_end(year, q * 3)
            return date(year, 1 if form == "ytd_q" else q * 3 - 2, 1), end
        if form == "yh":
            first_half = groups[1] in ("1", "上")
            return date(year, 1 if first_half else 7, 1), month_end(year, 6 if first_half else 12)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError as err:
        raise _bad(text, Message("period_no_such_date")) from err


def _month_name_form(text: str) -> tuple[date, bool] | None:
    # "Jun 2022", "June 2022", "2022 June", "30 June 2022", "June 30, 2022"
    words = re.findall(r"[A-Za-z]+|\d+", text)
    names = [w for w in words if w.isalpha()]
    if len(names) != 1 or names[0].lower() not in _MONTHS:
        return None
    month = _MONTHS[names[0].lower()]
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if n < 1000]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return None
    try:
        if not days:
            return month_end(years[0], month), True
        return date(years[0], month, days[0]), False
    except ValueError as err:
        raise _bad(text, Message("period_no_such_date")) from err


def _dateutil_form(text: str) -> tuple[date, bool]:
    # Other clear forms (e.g. "30.6.2022", "2022-06-30T00:00"). Parsed twice with two different
    # defaults so that a field dateutil would fill in is detected rather than silently taken.
    from datetime import datetime

    from dateutil import parser  # heavy (≈100 ms); only this rare path needs it

    without_time = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", text)
    groups = re.findall(r"\d+", without_time)
    years = [g for g in groups if len(g) == 4]
    if len(years) != 1:
        raise _bad(text, Message("period_one_year"))
    small = [int(g) for g in groups if len(g) != 4]
    has_month_name = any(w.lower() in _MONTHS for w in re.findall(r"[A-Za-z]+", text))
    year_first = bool(groups) and groups[0] == years[0]
    if not has_month_name and not year_first and len(small) >= 2 and small[0] <= 12 and small[1] <= 12 and small[0] != small[1]:
        raise _bad(text, Message("period_day_month_ambiguous", year=years[0]))
    if len(small) > (1 if has_month_name else 2):
        raise _bad(text, Message("period_too_many_numbers"))
    d1, d2 = datetime(2000, 1, 1), datetime(2001, 2, 2)
    try:
        p1 = parser.parse(text, default=d1, dayfirst=False)
        p2 = parser.parse(text, default=d2, dayfirst=False)
    except (ValueError, OverflowError, TypeError) as err:
        raise _bad(text) from err
    if p1.year != p2.year or str(p1.year) != years[0]:
        raise _bad(text, Message("period_no_clear_year"))
    if p1.month != p2.month:
        raise _bad(text, Message("period_no_month"))
    if p1.day != p2.day:
        return month_end(p1.year, p1.month), True
    return p1.date(), False


def parse_period(text: str) -> date:
    """The last day of the period ``text`` names. Raises BadPeriod with the accepted forms."""
    return parse_span(text)[1]


def parse_span(text: str) -> tuple[date, date]:
    """The first and last day of the period ``text`` names (a day is a one-day period)."""
    raw = text
    if text and len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        # The common case (2022-06-30, as HNREPORT_TODAY and --as-of are usually given) without
        # compiling the patterns below: they cost a read command a millisecond at start.
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass  # 2022-02-30 and the like: the patterns say what is wrong
        else:
            return day, day
    import unicodedata  # past the ISO form only: a read command need not load it

    text = _arabic_numerals(unicodedata.normalize("NFKC", text or "").strip())
    if not text:
        raise _bad(raw, Message("period_empty"))
    for pattern, form in _PATTERNS:
        m = re.fullmatch(pattern, text)
        if m:
            return _build(raw, form, m.groups())
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= 12 and b <= 12 and a != b:
            day_first, month_first = f"{m.group(3)}-{b:02d}-{a:02d}", f"{m.group(3)}-{a:02d}-{b:02d}"
            raise _bad(raw, Message("period_day_month_either", one=day_first, other=month_first))
        day, month = (a, b) if a > 12 else (b, a)
        try:
            one = date(int(m.group(3)), month, day)
        except ValueError as err:
            raise _bad(raw, Message("period_no_such_date")) from err
        return one, one
    named = _month_name_form(text)
    if named is None:
        if not re.search(r"\d{4}", text):
            raise _bad(raw, Message("period_no_year"))
        named = _dateutil_form(text)
    return _span_of(named)


_CN_NUMERAL = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_YEAR = "([〇零○Ｏ一二三四五六七八九]{4})年"
_CN_SMALL = "(十[一二三四五六七八九]?|[二三]十[一二三四五六七八九]?|[一二三四五六七八九])(月|日)"


def _arabic_numerals(text: str) -> str:
    """Years, months and days written in Chinese numerals as digits: 二〇二二年十二月 → 2022年12月.

    Quarter and half-year words (一季度, 上半年) keep their characters: the patterns read them."""
    text = re.sub(_CN_YEAR, lambda m: "".join(str(_CN_NUMERAL[c]) for c in m.group(1)) + "年", text)

    def small(m: re.Match[str]) -> str:
        word = m.group(1)
        if "十" not in word:
            value = _CN_NUMERAL[word]
        else:
            tens, _, ones = word.partition("十")
            value = (_CN_NUMERAL[tens] if tens else 1) * 10 + (_CN_NUMERAL[ones] if ones else 0)
        return f"{value}{m.group(2)}"

    return re.sub(_CN_SMALL, small, text)


def arabic_numerals(text: str) -> str:
    """Years, months and days in Chinese numerals as digits (二〇二二年十二月 → 2022年12月), for
    readers of headers and titles that find a period inside longer text."""
    return _arabic_numerals(text)


def _span_of(day: tuple[date, bool] | date) -> tuple[date, date]:
    if isinstance(day, tuple):
        end, whole_month = day
        return (date(end.year, end.month, 1) if whole_month else end), end
    return day, day


def completed_months(on: date) -> int:
    """Months of the year fully elapsed on ``on``: 6 on 2022-06-30, 5 on 2022-06-29."""
    return on.month if on == month_end(on.year, on.month) else on.month - 1


def year_fraction(on: date, basis: str = "months") -> float:
    """The share of the year elapsed on ``on`` (序时进度): by completed months or by days."""
    if basis == "days":
        days_in_year = 366 if is_leap(on.year) else 365
        return on.timetuple().tm_yday / days_in_year
    return completed_months(on) / 12


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of ``first`` to that of ``last``, inclusive."""
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(month_end(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def last_completed_period(today: date, frequency: str) -> date:
    """The end of the last period of ``frequency`` (monthly, quarterly, annual) that ended
    before ``today``: the period a figure published today is for."""
    year, month = today.year, today.month - 1  # the month before today's
    if frequency == "quarterly":
        month -= month % 3
    elif frequency == "annual":
        month = 0
    if month <= 0:
        return date(year - 1, 12, 31) if frequency != "quarterly" or month == 0 else month_end(year - 1, 12 + month)
    return month_end(year, month)


def span_label(end: date, lang: str) -> str:
    """The year-to-date span a figure for the period ending ``end`` covers: 1-9月 / Jan–Sep."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if lang == "en":
        return names[0] if end.month == 1 else f"{names[0]}–{names[end.month - 1]}"
    return "1月" if end.month == 1 else f"1-{end.month}月"
