"""Writing a view to a file whose extension picks the format (``-o FILE``).

The view draws on a console whose file is the output buffer — the same path as the terminal,
without redirecting ``sys.stdout``. HTML and SVG are the coloured screen; Markdown the printable
brief; CSV is Excel/WPS-safe (a BOM; formula cells are neutralised in every CSV); JSON the same document
``--format json`` prints.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hnreport.errors import BadValue
from hnreport.outfile import check_output, write_atomic
from hnreport.render.formats import format_of
from hnreport.render.formats.screen import RECORD_WIDTH
from hnreport.render.terminal import safe_console


def write_report(
    path: Path, draw: Callable[[str, Any], None], *, database: Path | None, force: bool = False, asked: str | None = None
) -> None:
    """Draw the view into ``path`` in the format its extension names (``asked``: a --format
    given as well, which must agree), through the output guard and an atomic write."""
    fmt = format_of(path)
    if fmt is None:
        raise BadValue("output_format_unknown", name=path.name)
    if asked is not None and asked != "table" and asked != fmt:
        raise BadValue("format_contradicts_extension", asked=asked, name=path.name, fmt=fmt)
    check_output(path, database, force=force)
    from rich.console import Console

    buffer = io.StringIO()
    if fmt in ("html", "svg"):
        from hnreport.render.formats import screen

        console = safe_console(Console(file=buffer, width=RECORD_WIDTH, force_terminal=True, color_system="truecolor",
                                       highlight=False, emoji=False, markup=False, legacy_windows=False))  # fmt: skip
        draw("table", console)
        lines = screen.styled_lines(buffer.getvalue())
        text = screen.html(lines) if fmt == "html" else screen.svg(lines)
    else:
        draw(fmt, Console(file=buffer, width=RECORD_WIDTH, markup=False))
        text = buffer.getvalue()
        if fmt == "csv":  # for Excel/WPS: a BOM says UTF-8 (the cells are Excel-safe already)
            text = "\ufeff" + text
    write_atomic(path, text)
