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


class OutputEncodingError(HnreportError):
    """The output stream's encoding cannot carry the text to be written."""
