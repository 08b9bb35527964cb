"""Reading figures from files: CSV (UTF-8, UTF-8 with BOM, GBK, or UTF-16 with its BOM: Excel's
"Unicode 文本"), .xlsx, JSON lines, and tab-separated text pasted from Excel/WPS.

A file whose first row is hnreport's own header (key/指标, value/数值, as_of/时期 …) is read as a
``Table``; any other CSV, sheet or pasted text as a ``Sheet``, its rows as printed, for
``tables.find_table`` to find a bureau's table in (title rows, two-row headers).

A file's rows are read as the importer uses them, never held whole, and within bounds (size,
rows, line and cell length, a workbook's inflated size, no DTD): a hostile or damaged file gets
one line saying which bound, not a traceback or all the memory. Validation is still complete
before anything is written: every problem is reported with its line number and nothing is
imported unless every row is good (the importer stages rows until the file is read).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from operator import itemgetter
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from hnreport.records import Record
from hnreport.errors import HnreportError, Message, MultiLineError
from hnreport.tables import Percent
from hnreport.text import MAX_TEXT_CHARS

# Column names as they appear in bulletins and spreadsheets → our field names.
HEADERS = {
    "key": "key", "指标": "key", "指标代码": "key", "代码": "key", "target": "key", "name": "key", "指标名称": "key",
    "value": "value", "数值": "value", "值": "value", "完成值": "value",
    "as_of": "as_of", "as of": "as_of", "period": "as_of", "时期": "as_of", "日期": "as_of", "期间": "as_of", "截至": "as_of",
    "note": "note", "备注": "note", "说明": "note",
    "source": "source", "来源": "source", "数据来源": "source",
    "vintage": "vintage", "口径": "vintage",
    "state": "state", "recorded_at": "recorded_at", "id": "id",
    "decimals": "decimals", "小数位数": "decimals", "flag": "flag", "标记": "flag",
}  # fmt: skip
REQUIRED = ("key", "value", "as_of")


class ImportProblems(MultiLineError):
    """Several problems in one file; each is one line (the first 50), then a summary line.

    ``count`` is how many there are in all: only the first ``SHOWN`` need be kept, so a file
    of a million bad rows costs no more memory than one of fifty."""

    SHOWN = 50

    def __init__(self, path: str, problems: list[Message], count: int | None = None, code: str = "import_problems"):
        super().__init__(code, path=path, count=len(problems) if count is None else count)
        self.problems = problems

    def text(self, lang: str = "en") -> str:
        lines = [p.text(lang) for p in self.problems[: self.SHOWN]]
        if self.fields["count"] > self.SHOWN:
            lines.append(Message("and_more", count=self.fields["count"] - self.SHOWN).text(lang))
        return "\n".join(lines + [super().text(lang)])


class Problems:
    """Problems as they are found: the first ``ImportProblems.SHOWN`` kept, the rest counted."""

    def __init__(self) -> None:
        self.kept: list[Message] = []
        self.count = 0

    def add(self, problem: Message) -> None:
        self.count += 1
        if len(self.kept) < ImportProblems.SHOWN:
            self.kept.append(problem)

    def __bool__(self) -> bool:
        return self.count > 0

    def error(self, path: str, code: str = "import_problems") -> ImportProblems:
        return ImportProblems(path, self.kept, self.count, code)


class Table(Record):
    """Rows of a file as (line number, cells); ``columns`` says which cell holds which field.

    ``rows`` is read as it is consumed, once, so a large file is never held in memory whole;
    reading it may still raise (a malformed line further down). Cells are kept as read (not
    stripped or converted); the importer strips and converts the fields it uses. For JSON
    lines, ``extra_columns`` fills in as the rows are read."""

    columns: dict[str, int]
    rows: Iterator[tuple[int, Sequence[Any]]]
    extra_columns: list[str]
    encoding: str = "utf-8"
    # The same rows a list at a time, where the reader makes them so (a CSV file): reading
    # either advances both.
    batches: Iterator[list[tuple[int, Sequence[Any]]]] | None = None


class Sheet(Record):
    """A file whose first row is not hnreport's header: its rows as printed, numbered, read as
    consumed (blank lines left out). Cells of a workbook keep their type; a number formatted as
    a percentage is a ``tables.Percent`` (5.1 for the 0.051 the cell holds), an indented cell's
    text starts with two spaces per step of indent (as a bureau indents sub-items), a date is
    text (2022-06-30, or 2022年6月 for a cell formatted as a month). ``first`` is the first
    row's text, for the message when no table is found in it either."""

    path: str
    name: str | None  # the worksheet's name (.xlsx)
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str
    first: list[str]

    def missing_columns(self) -> HnreportError:
        """The error of a file that is neither hnreport's format nor a table found in it."""
        return _missing_columns(self.first, self.path, [r for r in REQUIRED if r not in _plain_columns(self.first)[0].values()])


# ── bounds on what is read ──────────────────────────────────────────────────────────────────
# A county's figures are hundreds of rows; these only stop runaway or hostile input, each with
# a message that says which bound and how to get under it.
MAX_FILE_BYTES = 200 * 1024 * 1024  # a CSV, JSON-lines, .xlsx or export file on disk
MAX_ROWS = 2_000_000  # rows of figures in one file
# A cell holds at most one text field (plus the apostrophe that neutralises a formula-like
# note in an exported CSV), so whatever record and import accept round-trips.
MAX_CELL_CHARS = MAX_TEXT_CHARS + 1
# A line holds a few cells; quoting and JSON escapes can make a long note several times longer.
MAX_LINE_CHARS = 8 * MAX_TEXT_CHARS
MAX_XLSX_INFLATED = 256 * 1024 * 1024  # the workbook's parts, uncompressed, together
MAX_XLSX_RATIO = 100  # a part that inflates more than this (a zip bomb; real sheets: 5–20×)
MAX_JSON_DIGITS = 400  # an integer longer than this is no figure (a float tops out near 1e308)
MAX_SHEET_COLUMNS = 256  # columns read of a sheet as printed (a bureau's widest: 12 months × 2 and a few)


def _plain_columns(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which of ``headers`` are hnreport's own fields (position → field) and which are not."""
    mapping: dict[int, str] = {}
    extra: list[str] = []
    for i, h in enumerate(headers):
        name = (h or "").strip().lstrip("\ufeff")
        f = HEADERS.get(name) or HEADERS.get(name.lower())
        if f and f not in mapping.values():
            mapping[i] = f
        elif name:
            extra.append(name)
    return mapping, extra


def _is_plain(mapping: dict[int, str]) -> bool:
    return all(r in mapping.values() for r in REQUIRED)


def _missing_columns(headers: list[str], path: str, missing: list[str]) -> HnreportError:
    found = ", ".join(h for h in headers if h)
    return HnreportError("import_missing_columns", path=path, missing=", ".join(missing), found=found or Message("nothing"))


# ── opening a file: a regular file, of a bounded size ─────────────────────────────────────
def open_bounded(path: Path, limit: int | None = None) -> IO[bytes]:
    """``path`` opened for reading in binary, once it is known to be a regular file of at most
    ``limit`` bytes (MAX_FILE_BYTES): a device (/dev/zero), a pipe or a terminal would be read
    without end.

    Opened without blocking and checked on the open file, so a pipe put in its place meanwhile
    is refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise HnreportError("no_such_file", path=path) from None
    except IsADirectoryError:
        raise HnreportError("import_is_directory", path=path) from None
    except OSError as err:
        raise HnreportError("import_cannot_read", path=path, reason=err.strerror or type(err).__name__) from None
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise HnreportError("import_is_directory", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise HnreportError("import_not_a_file", path=path)
        if info.st_size > limit:
            raise HnreportError("import_file_too_large", path=path, size=_mib(info.st_size), limit=_mib(limit))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


# The byte-order marks of UTF-16, as Excel's "Unicode 文本" (Unicode Text, tab-separated) and
# Notepad's "Unicode" save it: little-endian on Windows, big-endian rarely.
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def _encoding_of(fh: IO[bytes], path: str) -> tuple[str, str]:
    """(the codec to read the file with, its name for messages): UTF-16 with its BOM, UTF-8 with
    or without a BOM, else GBK (as Excel and WPS save in China). Read in chunks; leaves ``fh`` at
    its start. Byte positions in messages count from 1, as a reader counts them."""
    head = fh.read(3)
    utf16 = _UTF16_BOMS.get(head[:2])
    if utf16 is not None and head[:4] != b"\xff\xfe\x00\x00":  # (that would be UTF-32)
        fh.seek(2)
        bad_at = _undecodable_at(fh, utf16, 2)
        fh.seek(0)
        if bad_at is not None:
            raise HnreportError("import_bad_utf16_bom", path=path, at=bad_at + 1)
        return "utf-16", "utf-16"  # the codec reads the BOM and leaves it out of the text
    bom = head == b"\xef\xbb\xbf"
    if not bom:
        fh.seek(0)
    bad_at = _undecodable_at(fh, "utf-8", 3 if bom else 0)
    fh.seek(0)
    if bad_at is None:
        return ("utf-8-sig", "utf-8-sig") if bom else ("utf-8", "utf-8")
    if bom:
        raise HnreportError("import_bad_utf8_bom", path=path, at=bad_at + 1)
    # Not UTF-8: GBK — unless some lines are UTF-8, which would mean a file stitched from two
    # encodings.
    for number, line in enumerate(iter(lambda: fh.readline(MAX_LINE_CHARS), b""), start=1):
        if not line.isascii():
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            # Short GBK text can happen to be valid UTF-8 too (全省 is), but then it decodes to
            # Latin letters, not to Chinese characters as a real UTF-8 line does.
            if any("\u4e00" <= ch <= "\u9fff" for ch in text):
                raise HnreportError("import_mixed_encoding", path=path, line=number)
    fh.seek(0)
    bad_at = _undecodable_at(fh, "gb18030", 0)
    fh.seek(0)
    if bad_at is not None:
        raise HnreportError("import_unknown_encoding", path=path, at=bad_at + 1)
    return "gb18030", "gbk"


def _undecodable_at(fh: IO[bytes], codec: str, offset: int) -> int | None:
    """The byte offset of the first byte ``codec`` cannot decode, or None; reads in chunks."""
    decoder = codecs.getincrementaldecoder(codec)()
    while True:
        chunk = fh.read(1 << 20)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            return offset - pending + err.start
        if not chunk:
            return None
        offset += len(chunk)


class Lines:
    """The lines of a text file, each at most MAX_LINE_CHARS long, counted as they go by."""

    def __init__(self, fh: IO[str], path: str) -> None:
        self.fh = fh
        self.path = path
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        readline, limit = self.fh.readline, MAX_LINE_CHARS
        while line := readline(limit + 1):
            self.number += 1
            if len(line) > limit:
                raise HnreportError("import_line_too_long", path=self.path, line=self.number, limit=limit)
            yield line


def open_text(path: Path, data: bytes | None = None) -> tuple[IO[str], str]:
    """``path`` (or ``data``, text read from standard input, named ``path`` in messages) open
    as text in its encoding (checked through first), and the encoding's name."""
    raw = open_bounded(path) if data is None else io.BytesIO(data)
    try:
        codec, name = _encoding_of(raw, str(path))
        return io.TextIOWrapper(raw, encoding=codec, newline=""), name  # type: ignore[arg-type]
    except BaseException:
        raw.close()
        raise


def _lines_within_bound(fh: IO[str]) -> bool:
    """Whether no line of the text file ``fh`` is longer than MAX_LINE_CHARS, by its bytes (a
    character is at least one; a line ending in a bare CR counts with the next): then its lines
    need not be counted one by one as they are read (Lines), which costs more than parsing
    them. Leaves ``fh`` at its start."""
    raw = fh.buffer  # type: ignore[attr-defined]
    size = raw.seek(0, io.SEEK_END)  # (a file, or text pasted on standard input)
    if size <= MAX_LINE_CHARS:
        fh.seek(0)
        return True  # the whole text is shorter than a line may be
    if fh.encoding.startswith("utf-16"):  # a 0x0A byte may be half of a character (上 is 0A 4E)
        fh.seek(0)
        return False
    raw.seek(0)
    run = 0  # bytes since the last line break, carried over from one chunk to the next
    try:
        while chunk := raw.read(1 << 20):
            first = chunk.find(b"\n")
            if first < 0:
                run += len(chunk)
            else:
                if run + first > MAX_LINE_CHARS or max(map(len, chunk[first + 1 :].split(b"\n"))) > MAX_LINE_CHARS:
                    return False
                run = len(chunk) - chunk.rfind(b"\n") - 1
            if run > MAX_LINE_CHARS:
                return False
        return True
    finally:
        raw.seek(0)
        fh.seek(0)


# ── CSV ─────────────────────────────────────────────────────────────────────────────────────
def read_csv(path: Path, *, data: bytes | None = None) -> Table | Sheet:
    """A CSV file (or ``data``: text pasted on standard input, named ``path`` in messages),
    comma-, tab- or semicolon-separated."""
    fh, encoding = open_text(path, data)
    try:
        sample = fh.read(4096)
        if not sample.strip() and not _more_text(fh):
            raise HnreportError("import_empty_csv", path=path)
        fh.seek(0)
        # Excel and WPS copy cells as tab-separated text: pasted text with a tab is read so,
        # whatever the first lines (a title without separators) would let the sniffer guess.
        dialect = csv_dialect(sample, "\t" if data is not None and "\t" in sample else None)
        csv.field_size_limit(MAX_CELL_CHARS)
        reader = _reader(fh, path, dialect)
        try:
            header = next(reader, [])
        except csv.Error as err:
            raise _csv_trouble(path, dialect, 1, err, data) from None
        mapping, extra = _plain_columns(header)
    except BaseException:
        fh.close()
        raise
    if not _is_plain(mapping):
        rows = chain.from_iterable(_csv_batches(path, fh, reader, dialect, None, 0, data))
        return Sheet(str(path), None, chain([(1, header)] if any(c.strip() for c in header) else [], rows), encoding, header)
    columns = {f: i for i, f in mapping.items()}
    batches = _csv_batches(path, fh, reader, dialect, columns["key"], max(mapping) + 1, data)
    return Table(columns, chain.from_iterable(batches), extra, encoding, batches)


def _reader(fh: IO[str], path: Path, dialect: Any) -> Any:
    """The csv module's reader of ``fh``; its lines counted one by one as they are read (to stop at
    MAX_LINE_CHARS: a line of millions of cells) only when one may be that long."""
    return csv.reader(fh if _lines_within_bound(fh) else iter(Lines(fh, str(path))), dialect)


def csv_dialect(sample: str, delimiter: str | None = None) -> type[csv.Dialect]:
    """Excel's CSV with the delimiter the file uses (comma, tab or semicolon), and strict: a
    quote that is never closed is an error, not the rest of the file in one cell.

    Only the delimiter is guessed: the sniffer's other guesses (no doubled quotes when the
    first lines have none, an apostrophe as the quote) would misread the rest of the file."""
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
        except csv.Error:
            # Lines that are not a row (a bureau's title above the header) leave the sniffer
            # unsure: the separator most lines hold, so a sheet Excel saved tab-separated ("Unicode
            # 文本", "文本文件(制表符分隔)") is read by its tabs; commas when none stands out.
            lines = sample.splitlines()
            counts = {d: sum(1 for line in lines if d in line) for d in ",\t;"}
            delimiter = max(counts, key=lambda d: counts[d])  # (a tie: the first, the comma)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    Dialect.strict = True
    return Dialect


def _more_text(fh: IO[str]) -> bool:
    while chunk := fh.read(1 << 20):
        if chunk.strip():
            return True
    return False


CSV_BATCH = 5000  # rows of a CSV file read at a time by _csv_batches


def _csv_batches(
    path: Path, fh: IO[str], reader: Any, dialect: Any, key_column: int | None, width: int, data: bytes | None = None
) -> Iterator[list[tuple[int, list[str]]]]:
    """The rows of a CSV file as (row number, cells), CSV_BATCH at a time, each batch checked in
    whole-list passes (a generator step a row was a third of reading a plain file): at most
    MAX_ROWS, each at least ``width`` cells, blank lines left out (a row with its key, at
    ``key_column``, is not blank)."""
    with fh:
        number = 1
        try:
            while chunk := list(islice(reader, CSV_BATCH)):
                first, number = number + 1, number + len(chunk)
                if number > MAX_ROWS + 1:
                    raise HnreportError("import_too_many_rows", path=path, limit=MAX_ROWS)
                if min(map(len, chunk)) < width:
                    for cells in chunk:
                        if len(cells) < width:
                            cells += [""] * (width - len(cells))
                numbered = list(zip(range(first, number + 1), chunk))
                keys = list(map(itemgetter(key_column), chunk)) if key_column is not None else [""]
                if all(keys) and not any(map(str.isspace, keys)):
                    yield numbered
                else:  # blank lines left out
                    yield [(n, cells) for n, cells in numbered
                           if (key_column is not None and (key := cells[key_column]) and not key.isspace())
                           or any(c.strip() for c in cells)]  # fmt: skip
        except csv.Error as err:
            # Where the faulty row begins is known only row by row: read the file again so.
            start = _failing_row(path, dialect, data)
            raise _csv_trouble(path, dialect, start, err, data) from None


def _failing_row(path: Path, dialect: Any, data: bytes | None) -> int:
    """The line the first row the csv module cannot read begins on (read again from the top)."""
    fh, _ = open_text(path, data)
    with fh:
        reader = _reader(fh, path, dialect)
        read = 0
        try:
            for _ in reader:
                read = reader.line_num
        except csv.Error:
            return read + 1
    return read + 1


def _csv_trouble(path: Path, dialect: Any, start: int, err: csv.Error, data: bytes | None = None) -> HnreportError:
    """What went wrong in the row beginning on line ``start``, said with the line of the quote
    that caused it: a quote never closed swallows every later row into one cell."""
    trouble = _quote_trouble(path, dialect, start, data)
    if trouble is not None and trouble[1] is None:
        return HnreportError("import_quote_not_closed", path=path, line=trouble[0])
    if trouble is not None:
        return HnreportError("import_quote_then_text", path=path, line=trouble[0], end=trouble[1])
    if "field larger than field limit" in str(err):
        return HnreportError("import_cell_too_long", path=path, line=start, limit=MAX_TEXT_CHARS)
    return HnreportError("import_bad_csv_line", path=path, line=start, reason=str(err))


def _quote_trouble(path: Path, dialect: Any, start: int, data: bytes | None = None) -> tuple[int, int | None] | None:
    """Read the row beginning on line ``start`` again, character by character as the csv module
    does, and find its faulty quote: (the line it opened on, None) if it is never closed, or
    (that line, the line where it closed) if text follows the closing quote. Only a refused
    file comes here."""
    quote, delimiter = dialect.quotechar, dialect.delimiter
    escape, doubled, skip_space = dialect.escapechar, dialect.doublequote, dialect.skipinitialspace
    fh, _ = open_text(path, data)
    with fh:
        lines = iter(Lines(fh, str(path)))
        for _ in range(start - 1):
            next(lines, None)
        state, opened = "start", 0
        for number, line in enumerate(lines, start=start):
            i, n = 0, len(line)
            while i < n:
                ch = line[i]
                if state == "quoted":
                    stops = [j for j in (line.find(quote, i), line.find(escape, i) if escape else -1) if j >= 0]
                    if not stops:
                        break
                    i = min(stops)
                    state = "escaped" if escape and line[i] == escape else "closing"
                elif state == "escaped":
                    state = "quoted"
                elif state == "closing":
                    if ch == quote and doubled:
                        state = "quoted"
                    elif ch == delimiter:
                        state = "start"
                    elif ch in "\r\n":
                        return None  # the row ended well
                    else:
                        return opened, number
                elif ch in "\r\n":
                    return None
                elif state == "start" and ch == quote:
                    state, opened = "quoted", number
                elif state == "start" and ch == " " and skip_space:
                    pass
                else:
                    state = "start" if ch == delimiter else "field"
                i += 1
        return (opened, None) if state == "quoted" else None


# ── .xlsx ───────────────────────────────────────────────────────────────────────────────────
# A DTD has no place in an Office Open XML part (the packaging standard forbids it): it can only
# be an entity bomb or an external entity. Looked for in UTF-8 and both UTF-16 byte orders.
_DTD = re.compile(b"|".join(re.escape(word.encode(enc)) for word in ("<!DOCTYPE", "<!ENTITY")
                            for enc in ("utf-8", "utf-16-le", "utf-16-be")))  # fmt: skip


def _check_package(fh: IO[bytes], path: Path) -> None:
    """Refuse a workbook before openpyxl opens it: one that inflates beyond MAX_XLSX_INFLATED or
    by more than MAX_XLSX_RATIO, or whose XML carries a DTD. Sizes are the zip's own records,
    which Python's zipfile holds each part to (a part that inflates further fails its CRC)."""
    import zipfile

    try:
        with zipfile.ZipFile(fh) as package:
            parts = package.infolist()
            inflated = sum(p.file_size for p in parts)
            if inflated > MAX_XLSX_INFLATED:
                raise HnreportError("import_xlsx_inflates", path=path, size=_mib(inflated), limit=_mib(MAX_XLSX_INFLATED))
            for part in parts:
                if part.file_size > 1024 * 1024 and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
                    raise HnreportError("import_xlsx_ratio", path=path, part=part.filename,
                                        ratio=part.file_size // max(part.compress_size, 1), limit=MAX_XLSX_RATIO)  # fmt: skip
            for part in parts:
                if not part.is_dir() and part.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with package.open(part) as member:
                        tail = b""
                        while chunk := member.read(1 << 20):
                            if _DTD.search(tail + chunk):
                                raise HnreportError("import_xlsx_dtd", path=path, part=part.filename)
                            tail = chunk[-32:]
    except HnreportError:
        raise
    except Exception as err:  # zipfile raises several kinds for a damaged file
        raise HnreportError("import_bad_xlsx", path=path, reason=type(err).__name__) from None
    finally:
        fh.seek(0)


def open_workbook(path: Path, *, read_only: bool, limit: int | None = None) -> tuple[Any, IO[bytes]]:
    """(the workbook, its open file) for an .xlsx ``path`` of at most ``limit`` bytes (the
    import's bound by default), refused before openpyxl reads it when it is hostile (zip bomb,
    DTD) or an .xls. Close both when done; on an error, nothing is left open."""
    if path.suffix.lower() == ".xls":
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


def read_xlsx(path: Path, sheet_name: str | None = None) -> Table | Sheet:
    """The first worksheet of a workbook, or the one named ``sheet_name`` (``--sheet``)."""
    book, fh = open_workbook(path, read_only=True)
    try:
        try:
            sheet = _worksheet(book, sheet_name, path)
            # Cells, not just values: a date cell formatted as a month (yyyy-mm, yyyy"年"m"月")
            # means that month, i.e. its last day, though Excel stores the 1st.
            first = next(sheet.iter_rows(max_row=1, max_col=MAX_SHEET_COLUMNS), None)
        except HnreportError:
            raise
        except Exception as err:  # openpyxl raises many kinds for a damaged file
            raise HnreportError("import_bad_xlsx", path=path, reason=type(err).__name__) from None
        if first is None:
            raise HnreportError("import_empty_xlsx", path=path)
        headers = ["" if v is None else str(v) for v in (_cell_value(c) for c in first)]
        mapping, extra = _plain_columns(headers)
    except BaseException:
        fh.close()
        raise
    if not _is_plain(mapping):
        return Sheet(str(path), sheet.title, _sheet_rows(path, fh, book, sheet), "xlsx", headers)
    columns = {f: position for position, f in enumerate(mapping.values())}
    # A number cell's number format (0.0), beside its value: the importer reads the decimals
    # the figure was published with from it.
    columns["value_format"] = len(columns)
    return Table(columns, _xlsx_rows(path, fh, book, sheet, mapping), extra, "xlsx")


def _worksheet(book: Any, name: str | None, path: Path) -> Any:
    if name is None:
        return book.worksheets[0]
    names = book.sheetnames
    wanted = name.strip()
    for candidate in (wanted, wanted.lower()):
        for sheet_name in names:
            if (sheet_name.strip() if candidate is wanted else sheet_name.strip().lower()) == candidate:
                return book[sheet_name]
    raise HnreportError("import_no_such_sheet", path=path, sheet=name, sheets=", ".join(names))


@contextmanager
def reading(path: Path, fh: IO[bytes], book: Any) -> Iterator[None]:
    """Rows of an open workbook being read: a sheet damaged further down is one line (openpyxl's
    parser raises many kinds), and the book and its file are closed however reading ends."""
    try:
        yield
    except HnreportError:
        raise
    except Exception as err:
        raise HnreportError("import_bad_xlsx", path=path, reason=type(err).__name__) from None
    finally:
        book.close()
        fh.close()


def _sheet_rows(path: Path, fh: IO[bytes], book: Any, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """Every row of a sheet as printed (blank rows left out), each cell as ``Sheet`` says."""
    with reading(path, fh, book):
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_SHEET_COLUMNS), start=1):
            if number > MAX_ROWS + 1:
                raise HnreportError("import_too_many_rows", path=path, limit=MAX_ROWS)
            row: list[Any] = []
            for cell in cells:
                v = _cell_value(cell)
                if isinstance(v, tuple):
                    day, month_only = v
                    v = f"{day.year}年{day.month}月" if month_only else day.isoformat()
                elif isinstance(v, str):
                    if len(v) > MAX_CELL_CHARS:
                        raise HnreportError("import_cell_too_long", path=path, line=number, limit=MAX_TEXT_CHARS)
                    indent = getattr(getattr(cell, "alignment", None), "indent", 0) or 0
                    if indent > 0 and v.strip():
                        v = "  " * min(int(indent), 10) + v
                elif isinstance(v, bool):
                    v = str(v)
                row.append(v)
            if any(v not in (None, "") for v in row):
                yield number, row


def _xlsx_rows(path: Path, fh: IO[bytes], book: Any, sheet: Any, mapping: dict[int, str]) -> Iterator[tuple[int, list[Any]]]:
    wanted = list(mapping.items())
    value_at = next(i for i, f in wanted if f == "value")
    with reading(path, fh, book):
        # Only as many columns as the fields need: a sheet that claims 16,384 columns is not
        # padded out to them on every row.
        for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=max(mapping) + 1), start=2):
            if number > MAX_ROWS + 1:
                raise HnreportError("import_too_many_rows", path=path, limit=MAX_ROWS)
            values = [_cell_value(c) for c in cells]
            if not any(v not in (None, "") for v in values):
                continue
            row: list[Any] = []
            for i, f in wanted:
                v = values[i] if i < len(values) else None
                if isinstance(v, tuple) and f == "as_of":  # a date cell: (date, formatted as a month?)
                    day, month_only = v
                    v = f"{day.year}-{day.month:02d}" if month_only else day.isoformat()
                elif isinstance(v, tuple):
                    v = v[0].isoformat()
                elif isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                    raise HnreportError("import_cell_too_long", path=path, line=number, limit=MAX_TEXT_CHARS)
                row.append("" if v is None else (v if isinstance(v, (int, float)) and f == "value" else str(v)))
            row.append(_number_format(cells[value_at]) if value_at < len(cells) else "")
            yield number, row


def _number_format(cell: Any) -> str:
    """A number cell's number format ("" for any other cell)."""
    value = getattr(cell, "value", None)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    return str(getattr(cell, "number_format", None) or "")


def _cell_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = getattr(cell, "number_format", None)
        # 0.051 shown as 5.1% is the percentage 5.1: read as stored it would be a figure 100
        # times too small, silently.
        return Percent(value, fmt) if fmt and "%" in fmt and _is_percent_format(fmt) else value
    if hasattr(value, "date") and callable(value.date):
        fmt = (getattr(cell, "number_format", "") or "").lower()
        # A number format with a day part (d, dd, 日) names a day; one without names the month.
        shows_day = "d" in fmt.replace("[red]", "") or "日" in fmt or fmt in ("general", "")
        return (value.date() if hasattr(value, "hour") else value, not shows_day)
    return value


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_percent_format(fmt: str) -> bool:
    """Whether Excel shows a number in format ``fmt`` multiplied by 100 and followed by %: a %
    in the format itself, not quoted (``0.0"%"`` shows the number as stored, then a %
    sign), escaped (``0.0\\%``) or inside a [colour] or [condition]."""
    return "%" in _QUOTED.sub("", fmt.split(";")[0])


# ── JSON lines, and JSON exports ────────────────────────────────────────────────────────────
class _NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise _NumberTooLong(len(text.lstrip("-")))
    return int(text)


def parse_json(text: str, *, one_line: bool = False) -> Any:
    """``json.loads`` that refuses, with a Message for the reason, what would otherwise crash:
    an integer of thousands of digits (Python's int-string limit) and nesting thousands deep
    (RecursionError). ``one_line``: the text is one line of a file (the reason gives no line)."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except _NumberTooLong as err:
        raise _JsonRefused(Message("json_number_too_long", digits=err.digits, limit=MAX_JSON_DIGITS)) from None
    except json.JSONDecodeError as err:
        where = {"column": err.colno} if one_line else {"line": err.lineno, "column": err.colno}
        raise _JsonRefused(Message("json_syntax_column" if one_line else "json_syntax", reason=err.msg, **where)) from None
    except RecursionError:
        raise _JsonRefused(Message("json_too_deep")) from None
    except ValueError as err:  # any other number json cannot hold
        raise _JsonRefused(Message("json_bad_number", reason=str(err)[:80])) from None


class _JsonRefused(Exception):
    def __init__(self, reason: Message) -> None:
        super().__init__(reason.code)
        self.reason = reason


# Every field a JSON-lines row can name, in a fixed order (the file is not read ahead to see
# which it uses).
JSONL_FIELDS = tuple(dict.fromkeys(HEADERS.values()))
MAX_EXTRA_NAMES = 20  # ignored keys named in the notice; a file of random keys is not listed whole


def read_jsonl(path: Path) -> Table:
    fh, encoding = open_text(path)
    extra: list[str] = []
    return Table({f: i for i, f in enumerate(JSONL_FIELDS)}, _jsonl_rows(path, fh, extra), extra, encoding)


def _jsonl_rows(path: Path, fh: IO[str], extra: list[str]) -> Iterator[tuple[int, list[Any]]]:
    position = {f: i for i, f in enumerate(JSONL_FIELDS)}
    present: set[str] = set()
    seen_extra: set[str] = set()
    rows = 0
    with fh:
        lines = Lines(fh, str(path))
        for line in lines:
            number = lines.number
            if not line.strip():
                continue
            try:
                obj = parse_json(line, one_line=True)
            except _JsonRefused as refused:
                raise HnreportError("import_line_not_json", path=path, line=number, reason=refused.reason) from None
            if not isinstance(obj, dict):
                raise HnreportError("import_line_not_object", path=path, line=number)
            rows += 1
            if rows > MAX_ROWS:
                raise HnreportError("import_too_many_rows", path=path, limit=MAX_ROWS)
            row: list[Any] = [""] * len(JSONL_FIELDS)
            for k, v in obj.items():
                f = HEADERS.get(k) or HEADERS.get(k.lower())
                if f:
                    row[position[f]] = "" if v is None else v
                    present.add(f)
                elif k not in seen_extra and len(seen_extra) < MAX_EXTRA_NAMES:
                    seen_extra.add(k)
            yield number, row
    if not rows:
        raise HnreportError("import_empty_jsonl", path=path)
    missing = [r for r in REQUIRED if r not in present]
    if missing:
        raise HnreportError("import_missing_fields", path=path, missing=", ".join(missing))
    extra[:] = sorted(seen_extra)


def read_export(path: Path) -> dict:
    """An hnreport export (JSON), read with the same bounds as any other file."""
    with open_bounded(path) as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HnreportError("export_unreadable", path=path, reason="UnicodeDecodeError") from None
    try:
        document = parse_json(text)
    except _JsonRefused as refused:
        raise HnreportError("export_unreadable", path=path, reason=refused.reason) from None
    if not isinstance(document, dict):
        raise HnreportError("not_an_export", path=path)
    return document


# The first bytes of an OLE compound file: Excel 97–2003 (.xls) and WPS (.et) workbooks.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(path: Path, *, sheet: str | None = None) -> Table | Sheet:
    """The rows of ``path``: a ``Table`` in hnreport's own format, else a ``Sheet`` as printed.
    ``sheet`` names the worksheet of a workbook (the first by default)."""
    if path.is_dir():
        raise HnreportError("import_is_directory", path=path)
    if not path.exists():
        raise HnreportError("no_such_file", path=path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        raise HnreportError("import_json_not_export", path=path)
    # .xls and .et are binary formats of their own (OLE): reading them would take another
    # library and another set of guards against hostile files, for a format that Excel and
    # WPS both save as .xlsx in one step.
    if suffix == ".xls":
        raise HnreportError("import_xls", path=path)
    if suffix in (".et", ".ett"):
        raise HnreportError("import_et", path=path)
    with open_bounded(path) as fh:
        if fh.read(len(_OLE)) == _OLE:
            raise HnreportError("import_ole", path=path)
    if sheet is not None and suffix not in (".xlsx", ".xlsm"):
        raise HnreportError("import_sheet_not_workbook", path=path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    return read_csv(path)


def read_pasted(data: bytes) -> Table | Sheet:
    """Text pasted from Excel or WPS on standard input (``import -``): tab-separated rows, in
    UTF-8 or GBK, read like a CSV file named "stdin"."""
    if len(data) > MAX_FILE_BYTES:
        raise HnreportError("import_file_too_large", path=STDIN, size=_mib(len(data)), limit=_mib(MAX_FILE_BYTES))
    if data[: len(_OLE)] == _OLE:
        raise HnreportError("import_ole", path=STDIN)
    return read_csv(Path(STDIN), data=data)


STDIN = "stdin"  # what messages call standard input


# ── a work report's text (hnreport extract) ─────────────────────────────────────────────────
MAX_REPORT_BYTES = 20 * 1024 * 1024  # a county's work report is 30–60 thousand characters
_HTML_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                          "table", "ul", "ol", "title", "dd", "dt", "blockquote"})  # fmt: skip


def read_report(path: Path) -> str:
    """The text of a work report saved as plain text (UTF-8 or GBK), a Word .docx or a saved web
    page (.html/.htm), one paragraph a line. Refused in one line each: a missing or empty file,
    a binary one, an old .doc, a damaged .docx."""
    if path.is_dir():
        raise HnreportError("import_is_directory", path=path)
    suffix = path.suffix.lower()
    with open_bounded(path, MAX_REPORT_BYTES) as fh:
        data = fh.read()
    if not data.strip():
        raise HnreportError("extract_empty", path=path)
    if data[: len(_OLE)] == _OLE or suffix in (".doc", ".wps"):
        raise HnreportError("extract_old_word", path=path)
    if suffix == ".docx" or (data[:2] == b"PK" and suffix not in (".txt", ".htm", ".html")):
        return _docx_text(path, data)
    text = _decoded(path, data)
    if suffix in (".htm", ".html", ".xhtml") or re.match(r"\s*<(!doctype\s+html|html)", text[:200], re.I):
        text = _html_text(text)
    if not text.strip():
        raise HnreportError("extract_empty", path=path)
    return text


def _decoded(path: Path, data: bytes) -> str:
    """Text in UTF-8 (with or without a BOM), GBK, or UTF-16 with its BOM (Notepad's "Unicode");
    anything else with NUL or many control bytes is a binary file, not a report."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            raise HnreportError("extract_binary", path=path) from None
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if b"\x00" in sample or controls > len(sample) // 100:
        raise HnreportError("extract_binary", path=path)
    fh = io.BytesIO(data)
    codec, _ = _encoding_of(fh, str(path))
    return data.decode(codec).replace("\r\n", "\n").replace("\r", "\n")


def _html_text(page: str) -> str:
    """The text of a saved page, a line per block (p, div, br, li …), without scripts or styles."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in ("script", "style", "noscript", "template"):
                self.skip += 1
            elif tag in _HTML_BLOCKS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style", "noscript", "template"):
                self.skip = max(0, self.skip - 1)
            elif tag in _HTML_BLOCKS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data.replace("\n", "").replace("\xa0", " "))

    parser = _Text()
    parser.feed(page)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _docx_text(path: Path, data: bytes) -> str:
    """The paragraphs of a .docx (body and table cells, in order), one a line; python-docx is
    loaded only here. A damaged file (not a zip, no document part, bad XML) is one line."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            inflated = sum(p.file_size for p in package.infolist())
            if inflated > MAX_XLSX_INFLATED:
                raise HnreportError("extract_bad_docx", path=path, reason=Message("extract_docx_inflates"))
            for part in package.infolist():
                if part.filename.lower().endswith((".xml", ".rels")) and _DTD.search(package.read(part)[:1 << 20]):
                    raise HnreportError("extract_bad_docx", path=path, reason="DTD")
    except HnreportError:
        raise
    except Exception as err:  # zipfile raises several kinds for a damaged file
        raise HnreportError("extract_bad_docx", path=path, reason=type(err).__name__) from None
    try:
        import docx  # python-docx: only Word files need it
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise HnreportError("extract_needs_docx") from None
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            elif tag == "tbl":
                for para in child.iter():
                    if para.tag.endswith("}p"):
                        lines.append("".join(t.text or "" for t in para.iter() if t.tag.endswith("}t")))
    except Exception as err:  # python-docx and lxml raise many kinds for a damaged file
        raise HnreportError("extract_bad_docx", path=path, reason=type(err).__name__) from None
    text = "\n\n".join(line.strip() for line in lines if line.strip())
    if not text:
        raise HnreportError("extract_empty", path=path)
    return text
