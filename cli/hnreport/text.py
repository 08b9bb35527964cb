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


# What a table shows when the console cannot carry a mark: one ASCII character each, so that
# columns stay aligned (box drawing, status marks, progress bars, separators).
ASCII_MARKS = str.maketrans({
    "┏": "+", "┓": "+", "┗": "+", "┛": "+", "┡": "+", "┩": "+", "┳": "+", "┻": "+", "╇": "+",
    "┴": "+", "┬": "+", "└": "+", "┘": "+", "┌": "+", "┐": "+", "├": "+", "┤": "+", "┼": "+",
    "━": "=", "─": "-", "┃": "|", "│": "|",
    "✓": "+", "✗": "x", "●": "*", "○": "o", "▼": "v", "▲": "^", "◇": "o", "▶": ">", "›": ">",
    "█": "#", "░": ".", "…": "~", "¶": "§", "⊘": "-", "−": "-",
})  # fmt: skip


def write_exact(out, text: str) -> None:
    """Write data to ``out`` unaltered (an ``EncodingSafeWriter`` refuses what it cannot carry)."""
    getattr(out, "write_exact", out.write)(text)


def _unicode(encoding: str | None) -> bool:
    return (encoding or "utf-8").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig", "utf16", "utf32")


class EncodingSafeWriter:
    """A text stream that keeps to what its encoding can carry.

    On a UTF-8 stream it passes text through. Elsewhere (a Chinese Windows console or a
    redirect in cp936/GBK, an ASCII terminal) marks the encoding lacks become ``ASCII_MARKS``;
    text that still cannot be written — the data itself — is refused with one line that says
    how to get it, never written half-garbled and never a traceback.
    """

    def __init__(self, stream) -> None:
        self._stream = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.unicode = _unicode(self.encoding)

    def write(self, text: str) -> int:
        """Tables: on a stream that is not Unicode, every mark and border becomes ASCII (one
        set, so a table never mixes the two)."""
        if not self.unicode:
            text = self._carried(text.translate(ASCII_MARKS))
        return self._stream.write(text)

    def write_exact(self, text: str) -> int:
        """Data (CSV, Markdown, JSON): written as it is, or refused — never altered."""
        if not self.unicode:
            text = self._carried(text)
        return self._stream.write(text)

    def _carried(self, text: str) -> str:
        """``text`` if this stream's encoding can carry it, else OutputEncodingError."""
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError as err:
            from hnreport.errors import OutputEncodingError

            raise OutputEncodingError(
                f"the output's encoding ({self.encoding}) cannot carry '{err.object[err.start:err.end]}'; "
                "write to a file with -o FILE (UTF-8), or set PYTHONIOENCODING=utf-8"
            ) from None
        return text

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
