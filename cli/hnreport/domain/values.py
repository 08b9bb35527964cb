"""Reading a figure as a user types it: ``8.7``, ``8.7%``, ``1,234.5``, ``70亿元``, ``－3.2``."""

from __future__ import annotations

import math
import re
import unicodedata

from hnreport.errors import BadValue, Message

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?[^\d,.]*$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_value(text: str, unit: str | None = None, *, nonnegative: bool = False) -> float:
    """The number in ``text``, optionally followed by ``unit`` (the target's own unit).

    Refuses empty text, words, NaN, infinities, numbers too large for a float and, where
    ``nonnegative``, negative numbers — each with one line that says what was wrong.
    """
    raw = text or ""  # quoted in messages (which keep it on one line)
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace("−", "-")
    if not cleaned:
        raise BadValue("value_empty")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise BadValue("value_bad_comma", raw=raw)
        cleaned = cleaned.replace(",", "")
    if unit:
        unit_n = unicodedata.normalize("NFKC", unit)
        if cleaned.endswith(unit_n):
            cleaned = cleaned[: -len(unit_n)].strip()
    if not _NUMBER.fullmatch(cleaned):
        raise BadValue("value_not_number", raw=raw, unit=Message("in_unit", unit=unit) if unit else "")
    value = float(cleaned)
    if math.isinf(value) or math.isnan(value):
        raise BadValue("value_too_large", raw=raw)
    if value == 0 and re.search(r"[1-9]", cleaned.split("e")[0].split("E")[0]):
        raise BadValue("value_too_small", raw=raw)
    if nonnegative and value < 0:
        raise BadValue("value_negative", raw=raw)
    return value + 0.0  # -0 is 0: never shown as "-0"


def format_number(value: float | None) -> str:
    """A figure as the report prints it: no trailing zeros, no exponent."""
    if value is None:
        return "—"
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


# Amount units whose ratios are exact powers of ten (亿 = 10^8, 万 = 10^4): a figure converts
# between them without rounding. A unit in another currency (万美元) converts only to itself.
_AMOUNT_EXPONENTS = {"元": 0, "万元": 4, "亿元": 8}


def convert_amount(value: float, from_unit: str, to_unit: str) -> float | None:
    """``value`` given in ``from_unit`` expressed in ``to_unit``, or None when the two do not
    convert exactly (万美元 → 亿元, % → 亿元, 个 → 亿元).

    ``convert_amount(1865200, "万元", "亿元") == 186.52``; any unit converts to itself. The
    scaling is done in decimal, so 186.52亿元 → 1865200万元 and back gives the same figure.
    """
    source, target = (unicodedata.normalize("NFKC", u or "").strip() for u in (from_unit, to_unit))
    if source == target:
        return value
    if source not in _AMOUNT_EXPONENTS or target not in _AMOUNT_EXPONENTS or not math.isfinite(value):
        return None
    from decimal import Decimal

    shift = _AMOUNT_EXPONENTS[source] - _AMOUNT_EXPONENTS[target]
    return float(Decimal(repr(value)).scaleb(shift)) + 0.0
