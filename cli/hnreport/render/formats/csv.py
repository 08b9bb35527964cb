"""CSV with a header row; ``safe`` neutralises formula-like text cells for Excel/WPS."""

from __future__ import annotations

import io
from collections.abc import Sequence
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

