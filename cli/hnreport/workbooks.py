"""The units' workbooks, in and out: the record `units sheet` hides in every 报送表 (which plan,
unit and month it is for, which row holds which item, what its key columns say), the returned
sheets read back against it, and the 责任分工方案 that `assign --from` reads (its table found by
tables.find_table). No database: what the answers mean is decided above.

A returned workbook is read within the same bounds as any other (readers.open_workbook: a regular
file of bounded size; no zip bomb, no DTD), and checked against its own record: its key columns
as written, no rows added. Problems are reported with the file, sheet, row and cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hnreport.records import Record
from hnreport.errors import HnreportError, Message
from hnreport.readers import MAX_CELL_CHARS, open_workbook, reading
from hnreport.tables import RoleNames, column_letter, find_table
from hnreport.text import MAX_TEXT_CHARS

# The hidden sheet holding the record (very hidden: not listed by Excel's or WPS's "unhide").
RECORD_SHEET = "hnreport"
FORMAT = "hnreport-unit-sheet"
VERSION = 1
# The columns of a 报送表 by role. Key columns are written by hnreport and must come back as
# written; answer columns are the unit's.
KEY_ROLES = ("no", "key", "name", "figure_period")
ANSWER_ROLES = ("status", "figure", "progress", "problems", "next_steps", "source")
RECORD_FIELDS = ("plan", "plan_name", "year", "unit", "period", "due", "made", "sheet_id", "sheet", "first_row")
MAX_SHEET_ROWS = 10_000  # a unit leads dozens of items; a sheet of more rows than this is no 报送表


class RecordRow(Record):
    """One item row of a 报送表: where it is, which item, and its key columns as written."""

    row: int
    key: str
    kind: str  # target | milestone
    written: dict[str, str]  # key role → the text written in that column
    figure_as_of: str | None  # the period a figure reported on this row is for (ISO day), if any


class SheetRecord(Record):
    plan: str
    plan_name: str
    year: int
    unit: str
    period: str  # 2022-07
    due: str  # ISO day
    made: str  # ISO day
    sheet_id: str
    sheet: str  # the title of the visible sheet
    first_row: int
    columns: dict[str, str]  # role → column letter
    rows: list[RecordRow]


def record_rows(record: SheetRecord) -> list[list[Any]]:
    """The hidden sheet's content for ``record``: what ``read_record`` reads back."""
    out: list[list[Any]] = [[FORMAT, VERSION]]
    for name in RECORD_FIELDS:
        out.append([name, getattr(record, name)])
    out.append(["columns", *[f"{role}={letter}" for role, letter in record.columns.items()]])
    out.append(["rows", "row", "key", "kind", "figure_as_of", *KEY_ROLES])
    for r in record.rows:
        out.append(["item", r.row, r.key, r.kind, r.figure_as_of or "", *[r.written.get(role, "") for role in KEY_ROLES]])
    return out


def read_record(rows: list[tuple], path: str) -> SheetRecord:
    """The record of a 报送表 from its hidden sheet's rows, or an error saying it is damaged."""

    def damaged(what: str) -> HnreportError:
        return HnreportError("sheet_record_damaged", path=path, what=what)

    if not rows or len(rows[0]) < 2 or rows[0][0] != FORMAT:
        raise HnreportError("sheet_not_ours", path=path, sheet=RECORD_SHEET)
    if rows[0][1] != VERSION:
        raise HnreportError("sheet_version", path=path, version=str(rows[0][1]), supported=VERSION)
    fields: dict[str, Any] = {}
    columns: dict[str, str] = {}
    items: list[RecordRow] = []
    for row in rows[1:]:
        head = row[0] if row else None
        if head in RECORD_FIELDS:
            fields[head] = row[1] if len(row) > 1 else None
        elif head == "columns":
            for pair in row[1:]:
                if isinstance(pair, str) and "=" in pair:
                    role, letter = pair.split("=", 1)
                    columns[role] = letter
        elif head == "item":
            cells = list(row[1:]) + [None] * (5 + len(KEY_ROLES))
            number, key, kind, figure_as_of = cells[:4]
            if not isinstance(number, int) or not isinstance(key, str) or kind not in ("target", "milestone"):
                raise damaged("item")
            written = {role: ("" if v is None else str(v)) for role, v in zip(KEY_ROLES, cells[4 : 4 + len(KEY_ROLES)])}
            items.append(RecordRow(number, key, kind, written, str(figure_as_of) if figure_as_of else None))
    for name in RECORD_FIELDS:
        if fields.get(name) in (None, ""):
            raise damaged(name)
    if not isinstance(fields["year"], int) or not isinstance(fields["first_row"], int):
        raise damaged("year")
    missing = [role for role in (*KEY_ROLES, *ANSWER_ROLES) if role not in columns]
    if missing:
        raise damaged("columns")
    if not items:
        raise damaged("rows")
    return SheetRecord(**{name: (fields[name] if isinstance(fields[name], int) else str(fields[name])) for name in RECORD_FIELDS},
                       columns=columns, rows=items)  # fmt: skip


# ── reading a returned sheet ─────────────────────────────────────────────────────────────────
class ReturnedRow(Record):
    """An item row of a returned sheet: the item (from the record) and the unit's answers, each
    as (cell reference, value as read)."""

    row: int
    key: str
    kind: str
    figure_as_of: str | None
    answers: dict[str, tuple[str, Any]]


class ReturnedSheet(Record):
    path: str
    record: SheetRecord
    rows: list[ReturnedRow]
    problems: list[Message]  # key columns edited, rows added: each names its cell


def where(path: str, sheet: str, cell: str) -> Message:
    """"FILE, sheet S, row R, cell C" — the place a problem is, in the reader's language."""
    row = int("".join(ch for ch in cell if ch.isdigit()) or 0)
    return Message("sheet_where", path=path, sheet=sheet, row=row, cell=cell)


def read_returned(path: Path, name: str) -> ReturnedSheet:
    """A returned 报送表: its record (or an error: not a 报送表, damaged), and its rows checked
    against it. ``name`` is the file as messages show it."""
    with _workbook(path, name, read_only=True) as book:
        if RECORD_SHEET not in book.sheetnames:
            raise HnreportError("sheet_not_ours", path=name, sheet=RECORD_SHEET)
        record = read_record(list(_bounded_rows(book[RECORD_SHEET], name)), name)
        if record.sheet not in book.sheetnames:
            raise HnreportError("sheet_sheet_missing", path=name, sheet=record.sheet)
        return _check_rows(name, record, list(_bounded_rows(book[record.sheet], name)))


@contextmanager
def _workbook(path: Path, name: str, *, read_only: bool, limit: int | None = None) -> Iterator[Any]:
    """The workbook at ``path`` opened within bounds (readers.open_workbook) and closed after;
    one openpyxl cannot read through is refused in one line, whatever it raised. ``name`` is
    the file as messages show it."""
    book, fh = open_workbook(path, read_only=read_only, limit=limit)
    with reading(name, fh, book):
        yield book


def _bounded_rows(sheet: Any, name: str, limit: int = MAX_SHEET_ROWS) -> Iterator[tuple]:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit:
            raise HnreportError("sheet_too_many_rows", path=name, sheet=sheet.title, limit=limit)
        yield row


def _column_index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1


def _check_rows(name: str, record: SheetRecord, rows: list[tuple]) -> ReturnedSheet:
    index = {role: _column_index(letter) for role, letter in record.columns.items()}
    problems: list[Message] = []
    returned: list[ReturnedRow] = []
    by_row = {r.row: r for r in record.rows}
    last = max(by_row)

    def value(cells: tuple, role: str) -> Any:
        i = index[role]
        return cells[i] if i < len(cells) else None

    for number in range(record.first_row, max(len(rows), last) + 1):
        cells = rows[number - 1] if number <= len(rows) else ()
        item = by_row.get(number)
        if item is None:
            filled = [(i, v) for i, v in enumerate(cells) if v not in (None, "")]
            if filled:
                i, v = filled[0]
                cell = f"{column_letter(i)}{number}"
                problems.append(Message("sheet_row_added", where=where(name, record.sheet, cell), found=_shown(v)))
            continue
        for role in KEY_ROLES:
            found = text_of(value(cells, role))
            if found != item.written.get(role, ""):
                cell = f"{record.columns[role]}{number}"
                problems.append(Message("sheet_key_edited", where=where(name, record.sheet, cell), column=column_word(role),
                                        found=_shown(found), written=_shown(item.written.get(role, ""))))  # fmt: skip
        answers = {role: (f"{record.columns[role]}{number}", value(cells, role)) for role in ANSWER_ROLES}
        for role, (cell, v) in answers.items():
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                problems.append(Message("sheet_cell_too_long", where=where(name, record.sheet, cell), limit=MAX_TEXT_CHARS))
        returned.append(ReturnedRow(number, item.key, item.kind, item.figure_as_of, answers))
    return ReturnedSheet(name, record, returned, problems)


def column_word(role: str) -> Message:
    """A key column's name as the sheet heads it (序号, 代码, 事项, 数据时期)."""
    return {"no": Message("sheet_column_no"), "key": Message("sheet_column_key"), "name": Message("sheet_column_name"),
            "figure_period": Message("sheet_column_figure_period")}[role]  # fmt: skip


def text_of(value: Any) -> str:
    """A cell as text: strings stripped, whole numbers without '.0', dates as ISO days."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _shown(value: Any) -> str:
    text = text_of(value)
    return text if len(text) <= 40 else text[:39] + "…"


# ── the 责任分工方案 as the office keeps it ─────────────────────────────────────────────────────
# 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限, with the usual variants of each heading, on one
# header row or two (责任单位 over 牵头 | 配合), under title rows, with merged cells.
ALLOCATION_ROLES = ("number", "key", "task", "lead", "support", "deadline")
MAX_ALLOCATION_BYTES = 20 * 1024 * 1024  # a 分工方案 is a few hundred rows; read whole (merged cells)
MAX_ALLOCATION_ROWS = 5000
HEADER_SCAN = 20  # rows looked through for the header (a title, a 文号, a date above it)


def _holding(*words: str) -> Callable[[str], bool]:
    return lambda key: any(w in key for w in words)


# What each column's heading is called, for tables.find_table: compared in header_key form (no
# spaces, half-width, ASCII in lower case). A heading names the first role whose words it holds,
# so the order is part of the rule: 牵头县领导, 责任人, 备注, 联系电话 … are columns hnreport does
# not read ("unread") whatever else they say, a heading with 配合 is the supporting units' even
# if it says 牵头 too, and one with a 时限 is the deadline's even if it says 工作 (工作任务及完成时限).
ALLOCATION_HEADERS: dict[str, RoleNames] = {
    "unread": _holding("领导", "责任人", "联系人", "备注", "电话"),
    "number": lambda key: key in ("序号", "编号", "序", "no", "no.") or key.startswith("序号"),
    "key": {"代码", "key", "事项代码", "指标代码"},
    "support": _holding("配合", "协同", "协助", "协办", "参与"),
    "lead": lambda key: "牵头" in key or key.startswith(("责任单位", "主责单位", "责任部门", "负责单位", "承办单位")),
    "deadline": _holding("时限", "完成时间", "时间节点", "完成期限", "截止", "完成日期", "时间要求", "进度要求"),
    "task": _holding("任务", "工作", "事项", "内容", "目标", "项目", "指标"),
}  # fmt: skip


class AllocationRow(Record):
    line: int  # the row's number in the sheet or file
    cells: dict[str, tuple[str, str]]  # role → (cell reference, text)


class AllocationTable(Record):
    path: str
    sheet: str  # the sheet's title ("" for CSV)
    header_line: int
    columns: dict[str, str]  # role → column letter
    rows: list[AllocationRow]


def read_allocation(path: Path, name: str) -> AllocationTable:
    """A 分工方案 (.xlsx, first sheet, or CSV): its header found below any title rows
    (tables.find_table with ``ALLOCATION_HEADERS``), and the rows below it with their cells'
    text, a cell merged down (a unit over the rows it leads) read in every row it covers."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        sheet, rows, merged_down = _allocation_rows_xlsx(path, name)
    else:
        sheet, rows, merged_down = "", _allocation_rows_csv(path, name), {}
    found = find_table(rows, ALLOCATION_HEADERS, needs=("task", "lead"), scan=HEADER_SCAN)
    if found is None:
        shown = " | ".join(t for t in (text_of(v) for v in (rows[0][1] if rows else [])) if t) or Message("nothing")
        raise HnreportError("allocation_no_header", path=name, rows=HEADER_SCAN, found=shown)
    header_line = found.header_lines[-1]
    columns = {role: found.roles[role][0] for role in ALLOCATION_ROLES if found.roles[role]}
    table = []
    for line, cells in found.rows:
        texts = {}
        for role, i in columns.items():
            value = cells[i] if i < len(cells) else None
            first, above = merged_down.get((line, i), (0, None))
            if first > header_line:  # a unit merged down over the rows it leads, not a heading over the header's rows
                value = above
            texts[role] = (f"{column_letter(i)}{line}", text_of(value).strip())
        if any(text for _cell, text in texts.values()):
            table.append(AllocationRow(line, texts))
    return AllocationTable(name, sheet, header_line, {role: column_letter(i) for role, i in columns.items()}, table)


# (row, column) → (the first row of the merged cell that covers it from above, the merged cell's value)
MergedDown = dict[tuple[int, int], tuple[int, Any]]


def _allocation_rows_xlsx(path: Path, name: str) -> tuple[str, list[tuple[int, list[Any]]], MergedDown]:
    """(sheet title, the rows as read — a merged cell's value in its first cell only, as
    find_table expects —, where a merged cell covers the first column of a range below its
    first row)."""
    with _workbook(path, name, read_only=False, limit=MAX_ALLOCATION_BYTES) as book:
        ws = book.worksheets[0]
        rows = [(number, list(row)) for number, row in enumerate(_bounded_rows(ws, name, MAX_ALLOCATION_ROWS), start=1)]
        merged_down: MergedDown = {}
        for merged in ws.merged_cells.ranges:
            first, left = merged.min_row, merged.min_col - 1
            if first > len(rows) or left >= len(rows[first - 1][1]):
                continue
            for line in range(first + 1, min(merged.max_row, len(rows)) + 1):
                merged_down[(line, left)] = (first, rows[first - 1][1][left])
        return ws.title, rows, merged_down


def _allocation_rows_csv(path: Path, name: str) -> list[tuple[int, list[str]]]:
    import csv

    from hnreport.readers import Lines, csv_dialect, open_text  # import's own CSV reading

    fh, _encoding = open_text(path)
    with fh:
        sample = fh.read(4096)
        fh.seek(0)
        csv.field_size_limit(MAX_CELL_CHARS)
        rows = []
        try:
            for number, cells in enumerate(csv.reader(iter(Lines(fh, name)), csv_dialect(sample)), start=1):
                if number > MAX_ALLOCATION_ROWS:
                    raise HnreportError("import_too_many_rows", path=name, limit=MAX_ALLOCATION_ROWS)
                rows.append((number, [c.strip() for c in cells]))
        except csv.Error as err:
            raise HnreportError("import_bad_csv_line", path=name, line=len(rows) + 1, reason=str(err)) from None
    return rows
