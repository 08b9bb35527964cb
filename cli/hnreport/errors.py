"""The one error family hnreport raises for things a user can fix.

An error carries a code from the words catalogue (``hnreport.words.messages``) and the fields its
message quotes, and becomes text only when it is shown, in the reader's language:

    raise UnknownKey("unknown_key", kind=Message("noun_target"), key=key, hint="")
    err.text("zh")  # 未知指标 'gpd'
    str(err)        # unknown target 'gpd'  (English: logs and tests)

A field may itself be a ``Message`` (a catalogue piece: a hint, a reason, a noun) or another
error; both are shown in the same language. Text fields (what a user typed, a path) are passed
through ``text.one_line`` when shown, so a message stays one line. The command layer turns errors
into one red line on stderr and exit code 1 (``commands.app``).
"""

from __future__ import annotations

import os
from typing import Any

from hnreport.text import one_line


def render(code: str, fields: dict[str, Any], lang: str) -> str:
    """The catalogue text of ``code`` in ``lang`` (``en``; anything else is Chinese) with ``fields``."""
    from hnreport.words.messages import MESSAGES  # only a message being shown needs the catalogue

    zh, en = MESSAGES[code]
    template = en if lang == "en" else zh
    return template.format_map({name: shown(value, lang) for name, value in fields.items()})


def shown(value: Any, lang: str) -> Any:
    """A field as its message shows it: pieces in ``lang``, text on one line, numbers as they are
    (the template formats them, e.g. ``{value:g}``)."""
    if isinstance(value, (Message, HnreportError, Alternatives)):
        return value.text(lang)
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, os.PathLike):
        return one_line(os.fspath(value))
    return value


class Message:
    """A catalogue code with its fields: a piece of a message (a hint, a reason, a noun), or a
    line of a longer report, made into text only when shown."""

    __slots__ = ("code", "fields")

    def __init__(self, code: str, **fields: Any) -> None:
        self.code = code
        self.fields = fields

    def text(self, lang: str = "en") -> str:
        return render(self.code, self.fields, lang)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.fields!r})"


class Alternatives(tuple):
    """Names to choose between, shown quoted and joined by the language's "or":
    ``'gdp' or 'gpd'`` / ``'gdp' 或 'gpd'``."""

    def text(self, lang: str = "en") -> str:
        return render("or", {}, lang).join(f"'{one_line(str(name))}'" for name in self)


class HnreportError(Exception):
    """Base class: a problem the user can act on, as a catalogue code and its fields.

    ``err.text(lang)`` is the whole message in a language; ``str(err)`` is the English one.
    """

    def __init__(self, code: str, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields

    @classmethod
    def saying(cls, message: Message) -> HnreportError:
        """The error whose message is ``message`` (a catalogue piece a caller chose)."""
        return cls(message.code, **message.fields)

    def text(self, lang: str = "en") -> str:
        return render(self.code, self.fields, lang)

    def __str__(self) -> str:
        return self.text("en")


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
