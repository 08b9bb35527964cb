"""Text that crosses a boundary: one line for messages and tables, cells that a spreadsheet
must not run as formulas. The one definition of each, used by every layer."""

from __future__ import annotations

import re
from typing import Any

# A cell starting with one of these is run as a formula by Excel/WPS (a leading TAB or CR is
# skipped by some of them, so what follows it would run).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Control characters: C0 (a newline, ESC, NUL), DEL and C1 (\x9b is a one-byte CSI, which
# some terminals obey like ESC [).
_CONTROL = "\x00-\x1f\x7f-\x9f"
# Characters that change what is shown without being seen: bidi embeddings, overrides, isolates
# and marks (U+061C, U+200E-200F, U+202A-202E, U+2066-2069), zero-width spaces and joiners
# (U+200B-200D, U+2060), the BOM (U+FEFF), the soft hyphen, invisible operators, interlinear
# annotation and tag characters (text hidden inside text), line and paragraph separators (Unicode
# categories Cf, Zl and Zp, Unicode 15), lone surrogates (undecodable bytes) and U+FFFE/U+FFFF,
# which XML does not allow.
INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
UNSAFE_CLASS = f"[{_CONTROL}{INVISIBLE}]"


def __getattr__(name: str) -> Any:
    # ``UNSAFE``, the compiled class, is built on first use: compiling it costs a read command
    # about a millisecond, and most commands never meet a character that needs it.
    if name == "UNSAFE":
        global UNSAFE
        UNSAFE = re.compile(UNSAFE_CLASS)
        return UNSAFE
    raise AttributeError(name)


def _visible(match: re.Match) -> str:
    ch = match.group()
    if ch <= "\x9f":
        return repr(ch)[1:-1]  # \n, \t, \x1b, \x9b
    return f"<U+{ord(ch):04X}>"


def one_line(text: str) -> str:
    """``text`` safe to show in a terminal, on one line.

    Control characters are shown as escapes (``\\n``, ``\\x1b``, ``\\x9b``), so a quoted value
    stays one line and cannot drive the terminal; characters that change the display unseen
    (bidi overrides, zero-width spaces, …) are shown by their code point (``<U+202E>``). Every
    text a user supplied — names, units, notes, reasons, paths, cells of a file — goes through
    here before a terminal shows it: in messages, tables and confirmations.
    """
    if text.isprintable():  # every unsafe character is unprintable: the common case, no regex
        return text
    return re.sub(UNSAFE_CLASS, _visible, text)


def nocase(text: str) -> str:
    """Text as SQLite's NOCASE compares it (ASCII letters folded, nothing else): how keys, unit
    names and indicator names are matched."""
    return text.lower() if text.isascii() else "".join(c.lower() if c < "\x80" else c for c in text)


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
