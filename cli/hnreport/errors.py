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
    if isinstance(value, (Message, HnreportError, Alternatives, Word, Named, Figure)):
        return value.text(lang)
    if isinstance(value, list):  # several pieces, each a clause: a; b (zh: a；b)
        return ("; " if lang == "en" else "；").join(str(shown(v, lang)) for v in value)
    if isinstance(value, tuple):  # several words of a list: a, b (zh: a、b)
        return (", " if lang == "en" else "、").join(str(shown(v, lang)) for v in value)
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

    @classmethod
    def of(cls, code: str, fields: dict[str, Any]) -> Message:
        """The message of a code read back from where it was kept (``from_stored``)."""
        return cls(code, **fields)

    def text(self, lang: str = "en") -> str:
        return render(self.code, self.fields, lang)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.fields!r})"


class Word:
    """A label of the interface (``words.labels``: a status, a role, a kind …) as a message field,
    shown in the message's language: ``Word("MILESTONE_STATUS", "done")`` → 已完成 / done."""

    __slots__ = ("table", "code")

    def __init__(self, table: str, code: str) -> None:
        self.table = table
        self.code = code

    def text(self, lang: str = "en") -> str:
        from hnreport import words

        row = getattr(words, self.table).get(self.code)
        if row is None:
            return one_line(self.code)
        zh, en = (row[1], row[2]) if len(row) == 4 else (row[0], row[1])
        return en if lang == "en" else zh

    def __repr__(self) -> str:
        return f"Word({self.table!r}, {self.code!r})"


class Named:
    """A name given in both languages (a target's name_zh and name_en) as a message field."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.zh = zh
        self.en = en or zh

    def text(self, lang: str = "en") -> str:
        return one_line(self.en if lang == "en" else self.zh)


class Figure:
    """A figure as published with its unit, as a message field: 68亿元 / 6.8bn yuan (the
    journal's summaries show what was recorded with its unit, in the reader's language)."""

    __slots__ = ("number", "unit")

    def __init__(self, number: str, unit: str | None) -> None:
        self.number = number
        self.unit = unit

    def text(self, lang: str = "en") -> str:
        from hnreport import words

        return one_line(words.figure_text(self.number, self.unit, lang))

    def __repr__(self) -> str:
        return f"Figure({self.number!r}, {self.unit!r})"


def stored(message: Message | str) -> str:
    """A message as the journal keeps it: its code and fields (JSON), so that it is shown in the
    reader's language when read (``from_stored``), not in the language it was written in."""
    if isinstance(message, str):  # text kept as it is (a row that says one thing in every language)
        return message
    import json

    return json.dumps(_packed(message), ensure_ascii=False, separators=(",", ":"))


def _packed(value: Any) -> Any:
    if isinstance(value, (Message, HnreportError)):
        return {"m": value.code, "f": {name: _packed(v) for name, v in value.fields.items()}}
    if isinstance(value, Word):
        return {"w": [value.table, value.code]}
    if isinstance(value, Named):
        return {"n": [value.zh, value.en]}
    if isinstance(value, Figure):
        return {"g": [value.number, value.unit]}
    if isinstance(value, Alternatives):
        return {"a": [str(v) for v in value]}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)):
        return [_packed(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def from_stored(text: str | None) -> Message | str | None:
    """What ``stored`` wrote, as a Message; any other text (journal rows written before messages
    were kept as codes, in English) as it is."""
    if not text or not text.startswith('{"m":'):
        return text
    import json

    try:
        return _unpacked(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return text


def _unpacked(value: Any) -> Any:
    if isinstance(value, dict):
        if "m" in value:
            from hnreport.words.messages import MESSAGES

            if value["m"] not in MESSAGES:
                raise KeyError(value["m"])
            return Message.of(value["m"], {name: _unpacked(v) for name, v in value.get("f", {}).items()})
        if "w" in value:
            return Word(*value["w"])
        if "a" in value:
            return Alternatives(value["a"])
        if "n" in value:
            return Named(*value["n"])
        if "g" in value:
            return Figure(*value["g"])
    if isinstance(value, list):
        return [_unpacked(v) for v in value]
    return value


def shown_stored(text: str | None, lang: str) -> str:
    """A journal summary in ``lang`` (old English rows as they are)."""
    found = from_stored(text)
    if isinstance(found, Message):
        try:
            return found.text(lang)
        except (KeyError, IndexError, ValueError):  # fields that do not fit the code: as it was kept
            return text or ""
    return found or ""


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
