"""Reading a figure as a user types it: ``8.7``, ``8.7%``, ``1,234.5``, ``70亿元``, ``680000万元``,
``－3.2`` — its value in the target's unit, and the decimals it was given with ("5.0" keeps one)."""

from __future__ import annotations

import math
import re

from hnreport.records import Record
from hnreport.errors import BadValue, Message

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?[^\d,.]*$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

# Amounts of money, each as its power of ten of 元: converted into one another exactly.
AMOUNT_UNITS = {"元": 0, "万元": 4, "亿元": 8}
# A bare magnitude after a number: 68亿 is 68亿元 for a 亿元 target, 138万 is 138万亩 for 万亩.
MAGNITUDES = ("万", "亿")
# Units statistical tables print. A number followed by one of these (or by the target's own
# unit) is a figure in that unit — converted where the conversion is exact, else refused as a
# unit that does not fit; followed by anything else it is not a number.
UNIT_WORDS = frozenset(
    "% ‰ 元 万元 亿元 美元 万美元 亿美元 个 家 户 人 万人 人次 万人次 名 项 件 所 座 处 批次 台 辆 套 "
    "吨 万吨 亩 万亩 公顷 公里 千米 米 平方米 万平方米 平方公里 立方米 万立方米 千瓦 万千瓦 千瓦时 万千瓦时 "
    "亿千瓦时 年 天 百分点 个百分点".split()
)
MAX_DECIMALS = 15  # what observations.decimals holds; a figure given with more keeps none


class Figure(Record):
    """A figure as read: its value in the target's unit, the decimals it shows (None: not
    known), and — when it was written with a unit — the number and unit as written
    (``680000``, ``万元``) and whether it was converted."""

    value: float
    decimals: int | None
    written: str | None = None  # the number as written, when a unit followed it
    unit: str | None = None  # that unit, spelled out (68亿 → 亿元)
    converted: bool = False


def convert_amount(value: float, from_unit: str, to_unit: str) -> float | None:
    """``value`` given in ``from_unit`` expressed in ``to_unit``: the value itself for the same
    unit, 元 / 万元 / 亿元 into one another by their exact factors (680000 万元 → 68 亿元,
    ``convert_amount(1865200, "万元", "亿元") == 186.52``), and None for anything else (万美元 into
    亿元, % into 亿元, 个 into 亿元, an infinity). Scaled in decimal, so 123.45 万元 is 0.012345 亿元
    as written, not 0.012345000000000001, and 186.52亿元 → 1865200万元 and back gives the same
    figure. The one conversion of units: record, correct, import and bureau sheets use it."""
    source, goal = _unit_name(from_unit), _unit_name(to_unit)
    if source == goal:
        return value
    a, b = AMOUNT_UNITS.get(source), AMOUNT_UNITS.get(goal)
    if a is None or b is None or not math.isfinite(value):
        return None
    from decimal import Decimal

    return float(Decimal(repr(value)).scaleb(a - b)) + 0.0


def _unit_name(unit: str | None) -> str:
    import unicodedata  # on first use: a read command need not load it

    return unicodedata.normalize("NFKC", unit or "").strip()


def decimals_of(text_or_format: str | None) -> int | None:
    """The decimals a number as written shows ("5.0" → 1, "1,234.50" → 2, "8.7%" → 1, "68亿" → 0)
    or a spreadsheet number format shows ("0.0" → 1, "#,##0.00" → 2, "0.0%" → 1, "0" → 0,
    ``0.0"%"`` → 1); None when it says nothing (General, text, a date format, an exponent) or
    more than MAX_DECIMALS."""
    if not text_or_format:
        return None
    text = text_or_format.split(";", 1)[0]  # a format's first section: positive numbers
    if '"' in text or "\\" in text or "[" in text or "_" in text or "*" in text:
        # a format's literal text ("%"), escaped characters, [colour]/[$¥-804], padding
        text = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].', "", text)
    if not any(ch in "0123456789#?" for ch in text) or re.search(r"[eE][+-]?[0-9#?]", text):
        return None
    point = text.find(".")
    if point < 0:
        return 0
    places = 0
    for ch in text[point + 1 :]:
        if ch not in "0123456789#?":
            break
        places += 1
    return places if places <= MAX_DECIMALS else None


def parse_value(text: str, unit: str | None = None, *, nonnegative: bool = False) -> float:
    """The number in ``text`` in the target's ``unit`` (see ``read_figure``)."""
    return read_figure(text, unit, nonnegative=nonnegative).value


def read_figure(text: str, unit: str | None = None, *, nonnegative: bool = False) -> Figure:
    """The figure ``text`` gives, in the target's ``unit``, with the decimals it was given with.

    A unit after the number is the target's own (``8.7%``, ``70亿元``; ``68亿`` for a 亿元 target),
    or an amount converted exactly (``680000万元`` → 68 亿元); a unit that does not fit (万美元 or
    % or 个 for a 亿元 target, any unit for a target without one) is refused as such. Refuses
    empty text, words, NaN, infinities, numbers too large for a float and, where
    ``nonnegative``, negative numbers — each with one line that says what was wrong.
    """
    import unicodedata

    raw = text or ""  # quoted in messages (which keep it on one line)
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace("−", "-")
    if not cleaned:
        raise BadValue("value_empty")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise BadValue("value_bad_comma", raw=raw)
        cleaned = cleaned.replace(",", "")
    number = _NUMBER.match(cleaned)
    written = number.group() if number else ""
    suffix = cleaned[len(written) :].strip()
    target_unit = _unit_name(unit)
    given = None  # the unit written, spelled out, when it is not the target's own spelling
    english = _english_scale(suffix, target_unit) if number and suffix else None
    if english is not None:  # 6.8bn (yuan) for a 亿元 target, as --lang en shows it: 68亿元
        from decimal import Decimal

        written = format(Decimal(written).scaleb(english), "f")
        suffix = ""
    if number and suffix and suffix != target_unit:
        given = _written_unit(suffix, target_unit)
        if given is None:
            number = None  # not a unit: the text is no number
        elif not target_unit:
            raise BadValue("value_unit_not_expected", raw=raw, given=suffix)
        elif given != target_unit and convert_amount(1.0, given, target_unit) is None:
            raise BadValue("value_unit_mismatch", raw=raw, given=suffix, unit=target_unit)
    if not number:
        raise BadValue("value_not_number", raw=raw, unit=Message("in_unit", unit=unit) if unit else "")
    value = float(written)
    if math.isinf(value) or math.isnan(value):
        raise BadValue("value_too_large", raw=raw)
    if value == 0 and re.search(r"[1-9]", written.split("e")[0].split("E")[0]):
        raise BadValue("value_too_small", raw=raw)
    decimals = decimals_of(written)
    converted = False
    if given is not None and given != target_unit:
        from decimal import Decimal

        exact = Decimal(written).scaleb(AMOUNT_UNITS[given] - AMOUNT_UNITS[target_unit])
        value = float(exact)
        converted = True
        # as many decimals as the converted figure needs: 680000万元 is 68亿元, 685000万元 68.5亿元
        places = -exact.normalize().as_tuple().exponent  # type: ignore[operator]
        decimals = min(max(places, 0), MAX_DECIMALS) if decimals is not None else None
        if value == 0 and exact != 0:
            raise BadValue("value_too_small", raw=raw)
    if nonnegative and value < 0:
        raise BadValue("value_negative", raw=raw)
    return Figure(value + 0.0, decimals, written if given else None, given, converted)  # -0 is 0: never "-0"


_ENGLISH_SCALES = {"k": 3, "M": 6, "m": 6, "bn": 9}
_CHINESE_SCALES = {"万": 4, "亿": 8}


def _english_scale(suffix: str, target_unit: str) -> int | None:
    """How many places an English scale moves a figure into the target's unit — ``bn`` (yuan) for
    a 亿元 target: 6.8bn is 68亿元; ``M`` (mu) for 万亩: 1.38M is 138万亩 — or None when ``suffix``
    is no English scale of that unit (``--lang en`` shows amounts so; they can be typed back)."""
    from hnreport.words.labels import UNIT_EN

    match = re.fullmatch(r"(k|M|m|bn)\s*(.*)", suffix)
    scale = _CHINESE_SCALES.get(target_unit[:1]) if target_unit else None
    if match is None or scale is None or target_unit not in UNIT_EN:
        return None
    shown = UNIT_EN[target_unit][1]  # "bn yuan"
    base = shown.split(" ", 1)[1] if " " in shown else ""
    if match.group(2).strip() not in ("", base):
        return None
    return _ENGLISH_SCALES[match.group(1)] - scale


def _written_unit(suffix: str, target_unit: str) -> str | None:
    """The unit ``suffix`` names, spelled out — a bare 万/亿 takes the target's unit (68亿 for a
    亿元 target) or, for an amount target, 元 (68万 → 万元) — or None when it is no unit."""
    if suffix in MAGNITUDES:
        if target_unit.startswith(suffix) and len(target_unit) > len(suffix):
            return target_unit
        return suffix + "元" if target_unit in AMOUNT_UNITS else suffix
    if suffix in UNIT_WORDS or suffix == target_unit:
        return suffix
    return None


def decimals_problem(value: float, decimals: int) -> Message | None:
    """Why ``decimals`` cannot go with ``value`` — it would show another figure (5.123 with one
    decimal reads 5.1) — or None. Figures read by hnreport always fit theirs; this holds a
    hand-edited export or file to the same."""
    if not math.isfinite(value) or round(value, decimals) == value:
        return None
    return Message("decimals_hide_value", decimals=decimals, value=value, shown=format_number(value, decimals))


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A figure as the report prints it: with the decimals it was given with ("5.0"), else no
    trailing zeros; never an exponent."""
    if value is None:
        return "—"
    if decimals is not None and math.isfinite(value):
        text = f"{value:.{decimals}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text  # never "-0.0"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_problem(field: str, text: str) -> Message | None:
    """Why ``text`` cannot be stored as ``field`` — longer than any field may be, or not text
    (see text.storable) — or None. One rule for record, import and restore."""
    from hnreport.text import MAX_TEXT_CHARS, storable

    if len(text) > MAX_TEXT_CHARS:
        return Message("field_too_long", field=field, length=len(text), limit=MAX_TEXT_CHARS)
    if not storable(text):
        return Message("field_not_text", field=field)
    return None
