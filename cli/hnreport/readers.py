"""Reading figures from files: CSV (UTF-8, UTF-8 with BOM or GBK), .xlsx and JSON lines.

Validation is complete before anything is written: every problem is reported with its line
number and nothing is imported unless every row is good.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from collections.abc import Sequence
from typing import Any, NamedTuple

from hnreport.errors import HnreportError, Message, MultiLineError

# Column names as they appear in bulletins and spreadsheets → our field names.
HEADERS = {
    "key": "key", "指标": "key", "指标代码": "key", "代码": "key", "target": "key", "name": "key", "指标名称": "key",
    "value": "value", "数值": "value", "值": "value", "完成值": "value",
    "as_of": "as_of", "as of": "as_of", "period": "as_of", "时期": "as_of", "日期": "as_of", "期间": "as_of", "截至": "as_of",
    "note": "note", "备注": "note", "说明": "note",
    "source": "source", "来源": "source", "数据来源": "source",
    "vintage": "vintage", "口径": "vintage",
    "state": "state", "recorded_at": "recorded_at", "id": "id",
}  # fmt: skip
REQUIRED = ("key", "value", "as_of")


class ImportProblems(MultiLineError):
    """Several problems in one file; each is one line (the first 50), then a summary line."""

    SHOWN = 50

    def __init__(self, path: str, problems: list[Message]):
        super().__init__("import_problems", path=path, count=len(problems))
        self.problems = problems

    def text(self, lang: str = "en") -> str:
        lines = [p.text(lang) for p in self.problems[: self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(Message("and_more", count=len(self.problems) - self.SHOWN).text(lang))
        return "\n".join(lines + [super().text(lang)])


class Table(NamedTuple):
    """Rows of a file as (line number, cells); ``columns`` says which cell holds which field.

    Cells are kept as read (not stripped or converted) so that a large file costs one pass;
    the importer strips and converts the fields it uses."""

    columns: dict[str, int]
    rows: list[tuple[int, Sequence[Any]]]
    extra_columns: list[str]
    encoding: str = "utf-8"


def _map_headers(headers: list[str], path: str) -> tuple[dict[int, str], list[str]]:
    mapping: dict[int, str] = {}
    extra: list[str] = []
    for i, h in enumerate(headers):
        name = (h or "").strip().lstrip("\ufeff")
        f = HEADERS.get(name) or HEADERS.get(name.lower())
        if f and f not in mapping.values():
            mapping[i] = f
        elif name:
            extra.append(name)
    missing = [r for r in REQUIRED if r not in mapping.values()]
    if missing:
        found = ", ".join(h for h in headers if h)
        raise HnreportError("import_missing_columns", path=path, missing=", ".join(missing), found=found or Message("nothing"))
    return mapping, extra


def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise HnreportError("import_bad_utf8_bom", path=path, at=err.start) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: GBK (as Excel and WPS save in China) — unless some lines are UTF-8, which
    # would mean a file stitched from two encodings.
    for number, line in enumerate(data.split(b"\n"), start=1):
        if any(b >= 0x80 for b in line):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            # Short GBK text can happen to be valid UTF-8 too (全省 is), but then it decodes to
            # Latin letters, not to Chinese characters as a real UTF-8 line does.
            if any("\u4e00" <= ch <= "\u9fff" for ch in text):
                raise HnreportError("import_mixed_encoding", path=path, line=number)
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as err:
        raise HnreportError("import_unknown_encoding", path=path, at=err.start) from None


# The longest cell a CSV may hold: a note of several megabytes round-trips (csv's own default,
# 131,072 characters, would refuse a note that import and export accept).
MAX_CELL_CHARS = 16 * 1024 * 1024


def read_csv(path: Path) -> Table:
    text, encoding = _decode(path.read_bytes(), str(path))
    if not text.strip():
        raise HnreportError("import_empty_csv", path=path)
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error:
        reader = csv.reader(io.StringIO(text, newline=""))
    try:
        all_rows = list(reader)
    except csv.Error as err:
        raise HnreportError("import_bad_csv", path=path, reason=str(err)) from None
    mapping, extra = _map_headers(all_rows[0], str(path))
    columns = {f: i for i, f in mapping.items()}
    key_column = columns["key"]
    width = max(mapping) + 1
    rows = []
    for number, cells in enumerate(all_rows[1:], start=2):
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if not cells[key_column].strip() and not any(c.strip() for c in cells):
            continue  # a blank line
        rows.append((number, cells))
    return Table(columns, rows, extra, encoding)


def read_xlsx(path: Path) -> Table:
    try:
        import openpyxl  # only imports of spreadsheets need it
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise HnreportError("import_needs_openpyxl") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise HnreportError("import_bad_xlsx", path=path, reason=type(err).__name__) from None
    sheet = book.worksheets[0]
    # Cells, not just values: a date cell formatted as a month (yyyy-mm, yyyy"年"m"月") means
    # that month, i.e. its last day, though Excel stores the 1st.
    values = [
        tuple(_cell_value(c) for c in row) for row in sheet.iter_rows()
    ]
    book.close()
    if not values:
        raise HnreportError("import_empty_xlsx", path=path)
    headers = ["" if v is None else str(v) for v in values[0]]
    mapping, extra = _map_headers(headers, str(path))
    columns = {f: position for position, f in enumerate(mapping.values())}
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        row: list[Any] = []
        for i, f in mapping.items():
            v = cells[i] if i < len(cells) else None
            if isinstance(v, tuple) and f == "as_of":  # a date cell: (date, formatted as a month?)
                day, month_only = v
                v = f"{day.year}-{day.month:02d}" if month_only else day.isoformat()
            elif isinstance(v, tuple):
                v = v[0].isoformat()
            row.append("" if v is None else (v if isinstance(v, (int, float)) and f == "value" else str(v)))
        rows.append((number, row))
    return Table(columns, rows, extra, "xlsx")


def _cell_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if hasattr(value, "date") and callable(value.date):
        fmt = (getattr(cell, "number_format", "") or "").lower()
        # A number format with a day part (d, dd, 日) names a day; one without names the month.
        shows_day = "d" in fmt.replace("[red]", "") or "日" in fmt or fmt in ("general", "")
        return (value.date() if hasattr(value, "hour") else value, not shows_day)
    return value


def read_jsonl(path: Path) -> Table:
    text, encoding = _decode(path.read_bytes(), str(path))
    objects = []
    extra: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise HnreportError("import_line_not_json", path=path, line=number, reason=err.msg) from None
        if not isinstance(obj, dict):
            raise HnreportError("import_line_not_object", path=path, line=number)
        named = {}
        for k, v in obj.items():
            f = HEADERS.get(k) or HEADERS.get(str(k).lower())
            if f:
                named[f] = "" if v is None else v
            else:
                extra.add(k)
        objects.append((number, named))
    if not objects:
        raise HnreportError("import_empty_jsonl", path=path)
    present = {f for _, named in objects for f in named}
    missing = [r for r in REQUIRED if r not in present]
    if missing:
        raise HnreportError("import_missing_fields", path=path, missing=", ".join(missing))
    fields = sorted(present)
    rows = [(number, [named.get(f, "") for f in fields]) for number, named in objects]
    return Table({f: i for i, f in enumerate(fields)}, rows, sorted(extra), encoding)


def read_table(path: Path) -> Table:
    if path.is_dir():
        raise HnreportError("import_is_directory", path=path)
    if not path.exists():
        raise HnreportError("no_such_file", path=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    if suffix == ".json":
        raise HnreportError("import_json_not_export", path=path)
    if suffix == ".xls":
        raise HnreportError("import_xls", path=path)
    return read_csv(path)
