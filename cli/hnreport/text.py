"""Text that crosses a boundary: one line for messages and tables, cells that a spreadsheet
must not run as formulas. The one definition of each, used by every layer."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is run as a formula by Excel/WPS.
FORMULA_START = ("=", "+", "-", "@")


def one_line(text: str) -> str:
    """``text`` with control characters (a newline, ESC, NUL) shown as escapes, so a message
    quoting what a user typed stays one line and cannot drive the terminal."""
    return "".join(ch if ch >= " " and ch != "\x7f" else repr(ch)[1:-1] for ch in text)


def excel_safe(value: Any) -> Any:
    """Neutralise a text cell Excel/WPS would run as a formula (a leading apostrophe, which
    ``unneutralise`` removes again); numbers stay numbers."""
    if isinstance(value, str) and (value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in FORMULA_START)):
        return "'" + value  # an apostrophe already there is kept by doubling it
    return value


def unneutralise(text: str) -> str:
    """Undo the leading apostrophe ``excel_safe`` puts before a formula-like cell."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_START or (text[1] == "'" and text[2:3] in FORMULA_START)):
        return text[1:]
    return text
