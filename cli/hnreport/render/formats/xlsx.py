"""Workbooks (.xlsx) from documents, through openpyxl — imported here only, when one is written.

One sheet per table. A view's sheet starts with the document's title and 截至 line, then the
header row, frozen; a data sheet (figures) starts with its header — hnreport's field names — so
that ``hnreport import`` reads it back unchanged. Numbers are number cells with their decimals
and unit in the number format (8.10% is the number 8.1 shown as 8.10%; a share is a percentage
cell), dates are date cells, status cells are filled (and keep their status word), columns are
as wide as their text.

User text always goes in as a string cell — openpyxl stores any text starting with "=" as a
formula unless told otherwise — and never holds a control character (openpyxl refuses them):
a view's text is shown through ``text.one_line`` as in every format; a data sheet keeps line
breaks and tabs, escapes the characters a workbook cannot hold (``\\x01``) and neutralises
formula-like text as the CSV export does (a leading apostrophe, which import takes off).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from hnreport.text import excel_safe, one_line

FILL = {"good": "C6EFCE", "warn": "FFEB9C", "bad": "FFC7CE", "none": "EDEDED"}
INK = {"good": "006100", "warn": "7F6000", "bad": "9C0006", "none": "595959"}
HEADER_FILL = "D9E1F2"
# what a worksheet cannot hold (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


def xlsx_document(doc) -> bytes:
    """The workbook's bytes: one sheet per table of ``doc`` (a document without a table gets one
    sheet of its paragraphs)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.title = _text(doc.title)[:200]
    book.properties.creator = "hnreport"
    tables = doc.tables()
    names: set[str] = set()
    if not tables:
        sheet = book.create_sheet(_sheet_name(doc.subject or doc.title, names))
        _head(sheet, doc, None)
        return _saved(book)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name or doc.subject or doc.title, names))
        _sheet(sheet, doc, table)
    return _saved(book)


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_NAME_BAD.sub(lambda m: "" if m.group() in "[]" else "_", one_line(text or "Sheet")).strip("' ") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _text(value: Any) -> str:
    return one_line("" if value is None else str(value))


def _data_text(value: str) -> str:
    """A data sheet's text: as stored, but for what a workbook cannot hold (shown as \\xNN) and
    a formula-like start (an apostrophe, as the CSV export puts)."""
    return excel_safe(_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value))


def _head(sheet, doc, table) -> int:
    """The title and 截至 line above a view's table; the row its header goes on."""
    from openpyxl.styles import Font

    if doc.data:
        return 1
    _put(sheet.cell(row=1, column=1), _text(doc.title))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = 2
    if doc.as_of:
        _put(sheet.cell(row=2, column=1), _text(doc.as_of))
        row = 3
    if table is not None and table.name and table.name != doc.title:
        _put(sheet.cell(row=row, column=1), _text(table.name))
        sheet.cell(row=row, column=1).font = Font(bold=True)
        row += 1
    if table is None:
        from hnreport.render.listing import Paragraph

        for block in doc.blocks:
            if isinstance(block, Paragraph):
                _put(sheet.cell(row=row, column=1), _text(block.text))
                row += 1
    return row + 1


def _put(cell, text: str) -> None:
    """A string cell, never a formula, whatever the text starts with."""
    cell.value = text
    cell.data_type = "s"


def _sheet(sheet, doc, table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from hnreport.render.listing import Cell

    top = _head(sheet, doc, table)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    headers = table.fields if doc.data and table.fields else table.headers
    widths = [_width(h) for h in headers]
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=top, column=col)
        _put(cell, _data_text(str(header)) if doc.data else _text(header))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fills = {tone: PatternFill("solid", fgColor=colour) for tone, colour in FILL.items()}
    inks = {tone: Font(color=colour) for tone, colour in INK.items()}
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(table.rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            tone = None
            shown_text = None
            if isinstance(value, Cell):
                tone = value.tone
                shown_text = value.text
                if value.value is not None and not isinstance(value.value, bool):
                    cell.value = value.value
                    if value.numfmt:
                        cell.number_format = value.numfmt
                else:
                    _put(cell, _data_text(value.text) if doc.data else _text(value.text))
            elif isinstance(value, bool):
                _put(cell, str(value).lower())
            elif isinstance(value, (int, float)):
                cell.value = value
                shown_text = str(value)
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                shown_text = value.isoformat()
            elif value is None:
                shown_text = ""
            else:
                text = _data_text(str(value)) if doc.data else _text(value)
                _put(cell, text)
                shown_text = text
            if shown_text is None:
                shown_text = str(cell.value)
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                shown_text = shown_text[:14]  # the number as shown, not the words beside it in other formats
            elif shown_text == "—":
                cell.alignment = Alignment(horizontal="center", vertical="top")
            cell.border = border
            if (not isinstance(cell.value, (int, float, date)) or isinstance(cell.value, bool)) and shown_text != "—":
                cell.alignment = wrap
            if tone in fills:
                cell.fill = fills[tone]
                cell.font = inks[tone]
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], _width(shown_text))
            else:
                widths.append(_width(shown_text))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, max(6, width + 2))
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    if table.rows:
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{top + len(table.rows)}"
    # printed: landscape A4, one page wide, the header row on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{top}"
    _notes_below(sheet, doc, table, top + len(table.rows) + 2)
    if not doc.data:
        sheet.oddHeader.center.text = _text(doc.title).replace("&", "&&")[:200]
        sheet.oddFooter.center.text = "&P / &N"


def _notes_below(sheet, doc, table, row: int) -> None:
    """The paragraphs that follow ``table`` in the document (a legend, a footnote), under it."""
    from hnreport.render.listing import Paragraph

    if doc.data:
        return
    at = next(i for i, block in enumerate(doc.blocks) if block is table)
    for block in doc.blocks[at + 1:]:
        if not isinstance(block, Paragraph):
            break
        _put(sheet.cell(row=row, column=1), _text(block.text))
        row += 1


def _width(text: str) -> int:
    """Columns a text takes (CJK counts two), its longest line."""
    from hnreport.render.grid import cell_len

    return max((cell_len(line) for line in str(text).split("\n")), default=0)
