"""A document as the format writers take it: headings, paragraphs and tables of cells, with the
furniture of an official document (issuing office, number, title, addressee, signature, date).
The views (render.bulletin, render.orders) make one; render.document and render.formats.docx
write it out."""

from __future__ import annotations

from hnreport.records import Record


# A status cell's light → (fill colour, as RGB hex; the word already says it in black and white).
LIGHT_FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "grey": "E7E6E6"}


class Cell(Record):
    """A table cell: its text, and for a number its value and Excel number format; ``light`` for
    a status cell (green, yellow, red, grey)."""

    text: str
    value: float | None = None
    number_format: str | None = None
    light: str | None = None


class Table(Record):
    name: str  # the sheet's name in Excel, the caption elsewhere
    headers: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths (characters, as Excel counts them)


class Block(Record):
    kind: str  # h1 (一、) | h2 ((一)) | p | note (small, after a table) | table | pagebreak | attachment (附件 heading)
    text: str = ""
    table: Table | None = None


class Document(Record):
    kind: str  # bulletin | order
    office: str  # the issuing office (blank: not configured)
    number_line: str  # 2022年第3期 / 督办〔2022〕5号 / （征求意见稿） for a draft
    title: str
    addressee: str  # 主送: the units the document is sent to ("" for none)
    blocks: list[Block]
    signature: str  # the office, over the date
    issued_on: str  # 2022年7月20日, right-aligned under the signature


def cell(text: str | None) -> Cell:
    return Cell(text if text else "—")


def number_cell(value: float | None, text: str, decimals: int | None = None, unit: str | None = None,
                signed: bool = False) -> Cell:  # fmt: skip
    """A figure: shown as ``text`` (with its unit), stored in Excel as the number with its
    decimals and its unit in the number format (``0.0"亿元"``), so the cell stays a number."""
    if value is None:
        return Cell(text or "—")
    places = 2 if decimals is None else decimals
    digits = "0" if places == 0 else "0." + "0" * places
    suffix = f'"{unit}"' if unit and unit.isprintable() and not any(ch in unit for ch in '"\\;[]') and len(unit) <= 10 else ""
    fmt = f"+{digits}{suffix};-{digits}{suffix};{digits}{suffix}" if signed else digits + suffix
    return Cell(text, value, fmt)
