"""CSV with a header row; ``safe`` neutralises formula-like text cells for Excel/WPS."""

from __future__ import annotations

import io
from itertools import chain
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from hnreport.outfile import write_exact
from hnreport.text import excel_safe


def excel_safe_csv(text: str) -> str:
    """Re-write CSV text with formula-like text cells neutralised (numbers, even negative, stay)."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([cell if _is_number(cell) else excel_safe(cell) for cell in row])
    return out.getvalue()


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def write_csv(out: TextIO, rows: list[dict[str, Any]], *, safe: bool = False, fieldnames: Sequence[str] = ()) -> None:
    """CSV with a header row — also when there are no rows, if the caller knows the fields."""
    import csv  # loaded only when CSV is asked for

    names = list(rows[0]) if rows else list(fieldnames)
    if not names:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: excel_safe(v) for k, v in row.items()} if safe else row)
    write_exact(out, buffer.getvalue())



def write_csv_rows(out: TextIO, rows: Iterable[dict[str, Any]], *, fieldnames: Sequence[str] = (), safe: bool = False) -> None:
    """``write_csv`` for rows read as they come, written in chunks: the same text, without
    holding every row. On a stream that is not Unicode (which refuses a character it cannot
    carry) the rows are gathered first, so a refusal comes before anything is written."""
    import csv

    if not getattr(out, "unicode", True):
        write_csv(out, list(rows), safe=safe, fieldnames=fieldnames)
        return
    rows = iter(rows)
    first = next(rows, None)
    names = list(first) if first is not None else list(fieldnames)  # as write_csv: the rows' own keys
    if not names:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in chain([first], rows) if first is not None else ():
        writer.writerow({k: excel_safe(v) for k, v in row.items()} if safe else row)
        if buffer.tell() >= 1 << 16:
            write_exact(out, buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    write_exact(out, buffer.getvalue())
