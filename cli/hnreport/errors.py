"""The one error family hnreport raises for things a user can fix.

Domain and store code raise these with a message a user can act on; the command layer turns
them into one red line on stderr and exit code 1 (see ``cli.main``).
"""


class HnreportError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the whole message."""


class UnknownKey(HnreportError):
    pass


class BadValue(HnreportError):
    pass


class BadPeriod(HnreportError):
    pass


class BadConfig(HnreportError):
    pass


class DatabaseError(HnreportError):
    pass


class MultiLineError(HnreportError):
    """An error reporting several problems, one per line (each line is still one problem)."""


def one_line(text: str) -> str:
    """``text`` with control characters (a newline, ESC, NUL) shown as escapes, so a message
    quoting what a user typed stays one line and cannot drive the terminal."""
    return "".join(ch if ch >= " " and ch != "\x7f" else repr(ch)[1:-1] for ch in text)
