"""CSV with a header row, safe in Excel/WPS wherever it goes.

Every CSV hnreport writes — to a file or to stdout, which on Windows is mostly redirected to a
file (``> figures.csv``) or pasted into a sheet (``| clip``) — neutralises text cells a spreadsheet
would run as a formula (a leading apostrophe; ``import`` removes it again, so the round trip is
exact). Scripts that want every value exactly as stored read ``--format json``.

A field holding a line break (CR as well as LF) is quoted, so every reader sees one row.
"""

from __future__ import annotations

import io
from itertools import chain
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from hnreport.outfile import write_exact
from hnreport.text import excel_safe, one_line


class _Rows:
    """The stream csv writes to. csv quotes a field holding a character of its line terminator;
    with "\\n" alone a bare CR went unquoted and every reader split the row there. So rows are
    written ending in "\\r\\n" (CR and LF both quoted) and each is passed on ending in "\\n" as
    before (csv writes each row with one call)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, record: str) -> int:
        return self.out.write(record[:-2] + "\n")


LINE_END = "\r\n"  # what the writer is given; see _Rows


def _on_terminal(out: TextIO) -> bool:
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError):
        return False


def write_csv(out: TextIO, rows: list[dict[str, Any]], *, fieldnames: Sequence[str] = (), lossless: bool = False) -> None:
    """CSV with a header row — also when there are no rows, if the caller knows the fields.

    Text cells are Excel-safe (``text.excel_safe``); on a terminal, where a person reads it, they
    are also shown through ``text.one_line`` (a note's ESC is shown, not obeyed). A character
    the console's encoding lacks (a GBK console) is shown as its escape (``\\u2022``), as in a
    table — unless ``lossless`` (an export, made to be read back): then off a terminal it is
    refused, with how to get it (-o FILE, UTF-8), rather than altered.
    """
    import csv  # loaded only when CSV is asked for

    names = list(rows[0]) if rows else list(fieldnames)
    if not names:
        return
    shown = one_line if _on_terminal(out) else None
    buffer = io.StringIO()
    writer = csv.DictWriter(_Rows(buffer), fieldnames=names, lineterminator=LINE_END)
    writer.writeheader()
    for row in rows:
        cells = {k: excel_safe(v) for k, v in row.items()}
        if shown:
            cells = {k: shown(v) if isinstance(v, str) else v for k, v in cells.items()}
        writer.writerow(cells)
    write_exact(out, buffer.getvalue(), errors="strict" if lossless and not shown else "backslashreplace")


def write_csv_rows(out: TextIO, rows: Iterable[dict[str, Any]], *, fieldnames: Sequence[str] = ()) -> None:
    """``write_csv`` for rows read as they come, written in chunks: the same text, without
    holding every row. On a stream that is not Unicode (which escapes, or may refuse, a
    character it cannot carry), or on a terminal, the rows are gathered first and go through ``write_csv``, so a
    refusal comes before anything is written."""
    import csv

    if not getattr(out, "unicode", True) or _on_terminal(out):
        write_csv(out, list(rows), fieldnames=fieldnames)
        return
    rows = iter(rows)
    first = next(rows, None)
    names = list(first) if first is not None else list(fieldnames)  # as write_csv: the rows' own keys
    if not names:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(_Rows(buffer), fieldnames=names, lineterminator=LINE_END)
    writer.writeheader()
    for row in chain([first], rows) if first is not None else ():
        writer.writerow({k: excel_safe(v) for k, v in row.items()})
        if buffer.tell() >= 1 << 16:
            write_exact(out, buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    write_exact(out, buffer.getvalue())
