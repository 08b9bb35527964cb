"""The units' workbooks, in and out: the record `units sheet` hides in every 报送表 (which plan,
unit and month it is for, which row holds which item, what its key columns say), and the returned
sheets read back against it. No database: what the answers mean is decided above.

A returned workbook is read within the same bounds as any other (readers.open_bounded: a regular
file of bounded size; no zip bomb, no DTD), and checked against its own record: its key columns
as written, no rows added. Problems are reported with the file, sheet, row and cell.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from hnreport.errors import HnreportError, Message
from hnreport.readers import MAX_CELL_CHARS, open_bounded
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


class RecordRow(NamedTuple):
    """One item row of a 报送表: where it is, which item, and its key columns as written."""

    row: int
    key: str
    kind: str  # target | milestone
    written: dict[str, str]  # key role → the text written in that column
    figure_as_of: str | None  # the period a figure reported on this row is for (ISO day), if any


class SheetRecord(NamedTuple):
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
class ReturnedRow(NamedTuple):
    """An item row of a returned sheet: the item (from the record) and the unit's answers, each
    as (cell reference, value as read)."""

    row: int
    key: str
    kind: str
    figure_as_of: str | None
    answers: dict[str, tuple[str, Any]]


class ReturnedSheet(NamedTuple):
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
    book, fh = open_workbook(path, read_only=True)
    try:
        if RECORD_SHEET not in book.sheetnames:
            raise HnreportError("sheet_not_ours", path=name, sheet=RECORD_SHEET)
        record = read_record(list(_bounded_rows(book[RECORD_SHEET], name)), name)
        if record.sheet not in book.sheetnames:
            raise HnreportError("sheet_sheet_missing", path=name, sheet=record.sheet)
        return _check_rows(name, record, list(_bounded_rows(book[record.sheet], name)))
    except HnreportError:
        raise
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise HnreportError("import_bad_xlsx", path=name, reason=type(err).__name__) from None
    finally:
        book.close()
        fh.close()


def _bounded_rows(sheet: Any, name: str):
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_SHEET_ROWS:
            raise HnreportError("sheet_too_many_rows", path=name, sheet=sheet.title, limit=MAX_SHEET_ROWS)
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
                cell = f"{_letter(i)}{number}"
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


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


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


# ── opening a workbook within bounds ─────────────────────────────────────────────────────────
def open_workbook(path: Path, *, read_only: bool, limit: int | None = None):
    """(the workbook, its open file) for an .xlsx ``path``, refused as ``import`` refuses a
    hostile one (size, zip bomb, DTD) before openpyxl reads it. Close both when done."""
    from hnreport.readers import _check_package  # the same guard as import's (zip bomb, DTD)

    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise HnreportError("import_xls", path=path)
    try:
        import openpyxl  # only spreadsheets need it
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise HnreportError("import_needs_openpyxl") from None
    fh = open_bounded(path, limit)
    try:
        _check_package(fh, path)
        try:
            book = openpyxl.load_workbook(fh, read_only=read_only, data_only=True)
        except Exception as err:  # openpyxl raises many kinds for a damaged file
            raise HnreportError("import_bad_xlsx", path=path, reason=type(err).__name__) from None
    except BaseException:
        fh.close()
        raise
    return book, fh


# ── the 责任分工方案 as the office keeps it ─────────────────────────────────────────────────────
# 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限, with the usual variants of each heading, on one
# header row or two (责任单位 over 牵头 | 配合), under title rows, with merged cells.
ALLOCATION_ROLES = ("number", "key", "task", "lead", "support", "deadline")
MAX_ALLOCATION_BYTES = 20 * 1024 * 1024  # a 分工方案 is a few hundred rows; read whole (merged cells)
MAX_ALLOCATION_ROWS = 5000
HEADER_SCAN = 20  # rows looked through for the header (a title, a 文号, a date above it)


def column_role(label: str) -> str | None:
    """The role a header cell names: number (序号), key (代码), task (工作任务, 重点工作, 工作内容 …),
    lead (牵头单位, 责任单位 …), support (配合单位, 协同单位 …), deadline (完成时限, 时间节点 …) —
    or None (备注, 牵头县领导 and other columns hnreport does not read)."""
    import re
    import unicodedata

    n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", label or ""))
    if not n or any(w in n for w in ("领导", "责任人", "联系人", "备注", "电话")):
        return None
    if n in ("序号", "编号", "序", "No", "No.") or n.startswith("序号"):
        return "number"
    if n.lower() in ("代码", "key", "事项代码", "指标代码"):
        return "key"
    if any(w in n for w in ("配合", "协同", "协助", "协办", "参与")):
        return "support"
    if "牵头" in n or any(n.startswith(w) for w in ("责任单位", "主责单位", "责任部门", "负责单位", "承办单位")):
        return "lead"
    if any(w in n for w in ("时限", "完成时间", "时间节点", "完成期限", "截止", "完成日期", "时间要求", "进度要求")):
        return "deadline"
    if any(w in n for w in ("任务", "工作", "事项", "内容", "目标", "项目", "指标")):
        return "task"
    return None


def _roles_of(labels: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, label in enumerate(labels):
        role = column_role(label)
        if role is not None and role not in found:
            found[role] = i
    return found


def _sub_header(labels: list[str]) -> bool:
    """Whether a row reads as the second row of a header (牵头 | 配合 under 责任单位): short cells
    only, at least one naming a role by itself."""
    filled = [label for label in labels if label.strip()]
    return bool(filled) and all(len(label.strip()) <= 8 for label in filled) and any(column_role(label) for label in filled)


def find_header_row(rows: list[list[str]], required: tuple[str, ...] = ("task", "lead")) -> tuple[int, int, dict[str, int]] | None:
    """Where the header is among the first rows of a table: (its first row, its last row — the same
    for a one-row header —, role → column index), reading each cell with ``column_role``; a
    two-row header (责任单位 merged over 牵头 | 配合) reads each column's two cells together. The
    rows come with merged cells already filled in. None when no row has the ``required`` roles."""
    for r in range(min(len(rows), HEADER_SCAN)):
        labels = rows[r]
        if r + 1 < len(rows) and _sub_header(rows[r + 1]):
            below = rows[r + 1] + [""] * (len(labels) - len(rows[r + 1]))
            combined = _roles_of([a + b for a, b in zip(labels + [""] * (len(below) - len(labels)), below)])
            if all(role in combined for role in required):
                return r, r + 1, combined
        single = _roles_of(labels)
        if all(role in single for role in required):
            return r, r, single
    return None


class AllocationRow(NamedTuple):
    line: int  # the row's number in the sheet or file
    cells: dict[str, tuple[str, str]]  # role → (cell reference, text)


class AllocationTable(NamedTuple):
    path: str
    sheet: str  # the sheet's title ("" for CSV)
    header_line: int
    columns: dict[str, str]  # role → column letter
    rows: list[AllocationRow]


def read_allocation(path: Path, name: str) -> AllocationTable:
    """A 分工方案 (.xlsx, first sheet, or CSV): its header found below any title rows, merged
    cells filled in (a header merged across, a unit merged down over the rows it leads), and the
    rows below it with their cells' text."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        sheet, grid, body = _allocation_grid_xlsx(path, name)
    else:
        sheet, grid = "", _allocation_grid_csv(path, name)
        body = grid
    found = find_header_row(grid)
    if found is None:
        shown = " | ".join(label for label in (grid[0] if grid else []) if label) or Message("nothing")
        raise HnreportError("allocation_no_header", path=name, rows=HEADER_SCAN, found=shown)
    _first, last, columns = found
    rows = []
    for r in range(last + 1, len(body)):
        cells = body[r]
        texts = {role: (f"{_letter(i)}{r + 1}", cells[i].strip() if i < len(cells) else "") for role, i in columns.items()}
        if any(text for _cell, text in texts.values()):
            rows.append(AllocationRow(r + 1, texts))
    return AllocationTable(name, sheet, last + 1, {role: _letter(i) for role, i in columns.items()}, rows)


def _allocation_grid_xlsx(path: Path, name: str) -> tuple[str, list[list[str]], list[list[str]]]:
    """(sheet title, the rows with every merged cell filled in — for finding the header —, the
    rows with merged cells filled down only — for the body, where a title merged across the
    table must not become a unit)."""
    book, fh = open_workbook(path, read_only=False, limit=MAX_ALLOCATION_BYTES)
    try:
        ws = book.worksheets[0]
        raw: list[list[str]] = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_ALLOCATION_ROWS:
                raise HnreportError("sheet_too_many_rows", path=name, sheet=ws.title, limit=MAX_ALLOCATION_ROWS)
            raw.append([text_of(v) for v in row])
        header = [list(r) for r in raw]
        body = [list(r) for r in raw]
        for merged in ws.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            if top >= len(raw) or left >= len(raw[top]):
                continue
            value = raw[top][left]
            for r in range(top, min(merged.max_row, len(raw))):
                for c in range(left, merged.max_col):
                    if c < len(header[r]):
                        header[r][c] = value
                    if r > top and c < len(body[r]) and (c == left or merged.min_col == merged.max_col):
                        body[r][c] = value
        return ws.title, header, body
    except HnreportError:
        raise
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise HnreportError("import_bad_xlsx", path=name, reason=type(err).__name__) from None
    finally:
        book.close()
        fh.close()


def _allocation_grid_csv(path: Path, name: str) -> list[list[str]]:
    import csv

    from hnreport.readers import MAX_CELL_CHARS, _dialect, _Lines, _text_file  # import's own CSV reading

    fh, _encoding = _text_file(path)
    with fh:
        sample = fh.read(4096)
        fh.seek(0)
        csv.field_size_limit(MAX_CELL_CHARS)
        rows = []
        try:
            for number, cells in enumerate(csv.reader(iter(_Lines(fh, name)), _dialect(sample)), start=1):
                if number > MAX_ALLOCATION_ROWS:
                    raise HnreportError("import_too_many_rows", path=name, limit=MAX_ALLOCATION_ROWS)
                rows.append([c.strip() for c in cells])
        except csv.Error as err:
            raise HnreportError("import_bad_csv_line", path=name, line=len(rows) + 1, reason=str(err)) from None
    return rows
