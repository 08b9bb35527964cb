"""A listing as a document: a title, its 截至 line, then headings, paragraphs, lists and tables of
typed cells — what the document formats (Markdown, HTML, .xlsx; .docx for the bulletin) are
written from, so every format carries the same things the terminal shows.

A view builds one when it is drawn with the pseudo-format ``"document"`` on a ``DocumentSink``
(``render.files`` does this for ``-o x.md|.html|.xlsx`` and ``--format markdown|html``); a
listing drawn through ``render.common.emit`` gets it for free. Cells are plain text, or ``Cell``:
the text as shown, and for a spreadsheet the number behind it, its number format, and a tone
(the status's colour: a fill in .xlsx, a shaded cell in HTML).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# A status's rich style → the tone its cell is filled with. Colour is never the only signal:
# the text carries the status word and its mark too.
TONES = ("good", "warn", "bad", "none")


def tone_of(style: str | None) -> str | None:
    if not style:
        return None
    if "red" in style:
        return "bad"
    if "yellow" in style:
        return "warn"
    if "green" in style:
        return "good"
    return "none"


@dataclass
class Cell:
    """One table cell: ``text`` as every format shows it; ``value`` the number (or date) a
    spreadsheet stores instead, shown with ``numfmt``; ``tone`` the status colour."""

    text: str
    value: Any = None
    numfmt: str | None = None
    tone: str | None = None

    def __str__(self) -> str:
        return self.text


# A unit a number format may carry as its suffix ("0.00"亿元""): plain words only — any other
# unit (a user's, which may hold quotes or brackets) leaves the number bare.
_PLAIN_UNIT = re.compile(r"^[\w%‰²³/·]{1,12}$")


def number(value: float | int | None, text: str, decimals: int | None = None, unit: str | None = None, *,
           tone: str | None = None) -> Cell:  # fmt: skip
    """A figure: shown as ``text``, stored as the number with its decimals and unit in the
    number format (8.10% stays the number 8.1 — a "%" in quotes is not Excel's percent)."""
    if value is None or isinstance(value, bool):
        return Cell(text, tone=tone)
    digits = decimals if decimals is not None else _decimals_shown(value)
    fmt = "0" if digits <= 0 else "0." + "0" * min(digits, 10)
    if "," in text or abs(value) >= 10000:
        fmt = "#,##" + fmt
    if unit and _PLAIN_UNIT.match(unit):
        fmt += f'"{unit}"'
    return Cell(text, value, fmt, tone)


def percent(fraction: float | None, text: str, digits: int = 1) -> Cell:
    """A share (0.583 shown as 58.3%): stored as the fraction, formatted as a percentage."""
    if fraction is None:
        return Cell(text)
    return Cell(text, fraction, "0." + "0" * digits + "%" if digits else "0%")


def day(value: date | None, text: str | None = None) -> Cell:
    """A date: a date cell in a spreadsheet (yyyy-mm-dd), its ISO text elsewhere."""
    if value is None:
        return Cell(text or "—")
    return Cell(text or value.isoformat(), value, "yyyy-mm-dd")


def integer(value: int | None, text: str | None = None, tone: str | None = None) -> Cell:
    if value is None:
        return Cell(text or "—", tone=tone)
    return Cell(text if text is not None else str(value), value, "0", tone)


def _decimals_shown(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


@dataclass
class Heading:
    text: str
    level: int = 2
    new_page: bool = False  # printed documents start this part on a new page


@dataclass
class Paragraph:
    text: str
    tone: str | None = None


@dataclass
class Items:
    lines: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # each cell: str | Cell | number | None
    name: str | None = None  # a caption; a spreadsheet's sheet name
    right: tuple[int, ...] = ()  # right-aligned columns
    fields: list[str] | None = None  # a data sheet's header: hnreport's field names, which import reads


@dataclass
class Document:
    title: str
    as_of: str | None = None  # the line under the title: 截至 2022-06-30
    blocks: list[Any] = field(default_factory=list)
    lang: str = "zh"
    # A data sheet (figures): the header in the first row, so the workbook imports back.
    data: bool = False
    subject: str | None = None  # the title without the plan it names (a sheet's name)

    def heading(self, text: str, level: int = 2, *, new_page: bool = False) -> None:
        self.blocks.append(Heading(text, level, new_page))

    def paragraph(self, text: str, tone: str | None = None) -> None:
        if text:
            self.blocks.append(Paragraph(text, tone))

    def items(self, lines: list[str]) -> None:
        if lines:
            self.blocks.append(Items(list(lines)))

    def table(self, headers, rows, *, name: str | None = None, right=(), fields=None) -> Table:
        table = Table(list(headers), [list(r) for r in rows], name, tuple(right), list(fields) if fields else None)
        self.blocks.append(table)
        return table

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def as_of_line(day: date | str | None, lang: str) -> str | None:
    from hnreport import words

    if day is None:
        return None
    text = day if isinstance(day, str) else day.isoformat()
    return f"{words.pick(words.WORDS['as_of'], lang)} {text}"


class DocumentSink:
    """What a view draws on to build a document instead of printing: its ``document``; and a
    width, file and print for the parts of a view that would ask a console (nothing reaches
    them in a document; a view that forgot its document branch shows as text in a paragraph)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.width = 400
        self.file = io.StringIO()

    def print(self, *objects, **_kwargs) -> None:
        for obj in objects:
            self.document.paragraph(str(getattr(obj, "plain", obj)))
