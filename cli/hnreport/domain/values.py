"""Reading a figure as a user types it: ``8.7``, ``8.7%``, ``1,234.5``, ``70亿元``, ``－3.2``."""

from __future__ import annotations

import math
import re
import unicodedata

from hnreport.errors import BadValue
from hnreport.text import one_line

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?[^\d,.]*$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_value(text: str, unit: str | None = None, *, nonnegative: bool = False) -> float:
    """The number in ``text``, optionally followed by ``unit`` (the target's own unit).

    Refuses empty text, words, NaN, infinities, numbers too large for a float and, where
    ``nonnegative``, negative numbers — each with one line that says what was wrong.
    """
    raw = one_line(text or "")  # quoted in messages: keep them one line
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace("−", "-")
    if not cleaned:
        raise BadValue("the value is empty; give a number such as 8.7")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise BadValue(f"'{raw}' has a misplaced comma; write 1234.5 or 1,234.5 (a comma only between thousands)")
        cleaned = cleaned.replace(",", "")
    if unit:
        unit_n = unicodedata.normalize("NFKC", unit)
        if cleaned.endswith(unit_n):
            cleaned = cleaned[: -len(unit_n)].strip()
    if not _NUMBER.fullmatch(cleaned):
        suffix = f" in {unit}" if unit else ""
        raise BadValue(f"'{raw}' is not a number; give a plain number{suffix} such as 8.7")
    value = float(cleaned)
    if math.isinf(value) or math.isnan(value):
        raise BadValue(f"'{raw}' is too large to be a figure")
    if value == 0 and re.search(r"[1-9]", cleaned.split("e")[0].split("E")[0]):
        raise BadValue(f"'{raw}' is too small to be a figure")
    if nonnegative and value < 0:
        raise BadValue(f"'{raw}' is negative, but this figure cannot be below zero")
    return value + 0.0  # -0 is 0: never shown as "-0"


def format_number(value: float | None) -> str:
    """A figure as the report prints it: no trailing zeros, no exponent."""
    if value is None:
        return "—"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
