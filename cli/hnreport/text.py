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


# The longest text hnreport takes in one field (a note, a source, a reason, a name): about a
# 500-page document. Arguments, imported cells and restored exports are all held to it, so what
# one way in accepts, the others read back (an export re-imports).
MAX_TEXT_CHARS = 1024 * 1024


def storable(text: str) -> bool:
    """Whether ``text`` can be stored as UTF-8. Python carries bytes that were not UTF-8 (an
    argument typed in another encoding: ``--note $'\\xff'``) and JSON's ``"\\udcff"`` as lone
    surrogates, which SQLite cannot take."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_bytes(text: str, limit: int = 40) -> str:
    """The start of ``text`` for a message, bytes that were not UTF-8 shown as ``\\xff``."""
    def byte(ch: str) -> str:
        code = ord(ch)
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return "".join(byte(ch) if "\ud800" <= ch <= "\udfff" else ch for ch in text[:limit]) + ("…" if len(text) > limit else "")
