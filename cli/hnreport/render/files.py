"""A view in the format asked for: on stdout (``--format``) or in a file whose extension picks
the format (``-o FILE``) — the one rule every listing and document command follows.

Table, JSON and CSV are drawn by the view itself on a console (the terminal's, or one whose file
is the output buffer: the same path, without redirecting ``sys.stdout``). Markdown, HTML and
.xlsx are written from the document the view builds (``render.listing``), so each carries
what the terminal shows, with a title and its 截至 line. SVG is the coloured screen. CSV is
Excel/WPS-safe (a BOM; formula cells are neutralised in every CSV); JSON the same document
``--format json`` prints. Every file goes through the output guard and an atomic write.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hnreport.errors import BadValue
from hnreport.outfile import check_output, write_atomic, write_exact
from hnreport.render.formats import DOCUMENT_FORMATS, FILE_ONLY, FORMATS, format_of

Draw = Callable[[str, Any], None]


def output_format(path: Path | None, asked: str) -> str:
    """The format a view is written in: ``asked`` (``--format``) on stdout, else the one
    ``path``'s extension names — refused when the two disagree, or for a file-only format
    (.xlsx) on stdout."""
    if path is None:
        if asked in FILE_ONLY:
            raise BadValue("format_needs_file", fmt=asked)
        return asked
    fmt = format_of(path)
    if fmt is None:
        raise BadValue("output_format_unknown", name=path.name)
    if asked not in ("table", fmt):
        raise BadValue("format_contradicts_extension", asked=asked, name=path.name, fmt=fmt)
    return fmt


def document_of(draw: Draw, title: str, as_of: date | str | None, lang: str, *, data: bool = False, plan_title: str | None = None):
    """The document ``draw`` builds (a view drawn with the pseudo-format "document"), its title
    naming the plan it is about."""
    from hnreport.render.common import titled
    from hnreport.render.listing import Document, DocumentSink, as_of_line

    doc = Document(title, as_of_line(as_of, lang), lang=lang, data=data)
    draw("document", DocumentSink(doc))  # (a view may title its document itself)
    if plan_title:
        doc.subject = doc.title.removeprefix(f"{plan_title} — ") or None
        doc.title = titled(plan_title, doc.title)
    return doc


def document_text(fmt: str, doc) -> str | bytes:
    """A document in one of the document formats."""
    writer = DOCUMENT_FORMATS[fmt]
    module, name = writer.rsplit(":", 1)
    import importlib

    return getattr(importlib.import_module(module), name)(doc)


def show(console, fmt: str, draw: Draw, *, title: str, as_of: date | str | None, lang: str, data: bool = False,
         plan_title: str | None = None) -> None:  # fmt: skip
    """A view on stdout in ``fmt``; its table and document titles name ``plan_title``, the plan
    it is about."""
    if fmt in DOCUMENT_FORMATS:
        doc = document_of(draw, title, as_of, lang, data=data and fmt == "xlsx", plan_title=plan_title)
        write_exact(console.file, document_text(fmt, doc), errors="xmlcharrefreplace" if fmt == "html" else "backslashreplace")
    elif fmt == "table":
        draw_table(console, draw, title, plan_title)
    else:
        draw(fmt, console)


def draw_table(console, draw: Draw, title: str, plan_title: str | None) -> None:
    """The view as a table under a line naming the plan it is about (``衡南县2022年政府工作报告 —
    目标指标``); the tables it draws then leave the plan out of their own titles (``emit``)."""
    if plan_title:
        from hnreport.render.common import print_plan_line

        print_plan_line(console, plan_title, title)
    said = getattr(console.file, "plan_title", None)
    if said is None:  # nothing to leave out (or a file that takes no attributes)
        draw("table", console)
        return
    console.file.plan_title = None
    try:
        draw("table", console)
    finally:
        console.file.plan_title = said


def write_report(
    path: Path, draw: Draw, *, database: Path | None, force: bool = False, asked: str | None = None,
    title: str = "", as_of: date | str | None = None, lang: str = "zh", data: bool = False, plan: str | None = None,
    plan_title: str | None = None,
) -> None:  # fmt: skip
    """Draw the view into ``path`` in the format its extension names (``asked``: a --format
    given as well, which must agree), through the output guard and an atomic write. ``data``:
    the view's workbook is a data sheet (figures that import back), not a report; ``plan``, the
    plan's key (JSON), ``plan_title`` its name (the titles of tables and documents)."""
    fmt = output_format(path, asked or "table")
    check_output(path, database, force=force)
    from rich.console import Console

    buffer = io.StringIO()
    buffer.plan = plan  # type: ignore[attr-defined]  # JSON objects name the plan, as on stdout
    buffer.plan_title = plan_title  # type: ignore[attr-defined]  # and tables and documents in their titles
    payload: str | bytes
    if fmt in DOCUMENT_FORMATS:
        payload = document_text(fmt, document_of(draw, title, as_of, lang, data=data and fmt == "xlsx", plan_title=plan_title))
    elif fmt == "svg":
        from hnreport.render.formats import screen
        from hnreport.render.terminal import safe_console

        console = safe_console(Console(file=buffer, width=screen.RECORD_WIDTH, force_terminal=True, color_system="truecolor",
                                       highlight=False, emoji=False, markup=False, legacy_windows=False))  # fmt: skip
        draw_table(console, draw, title, plan_title)
        payload = screen.svg(screen.styled_lines(buffer.getvalue()))
    else:
        from hnreport.render.formats.screen import RECORD_WIDTH

        console = Console(file=buffer, width=RECORD_WIDTH, markup=False)
        if fmt == "table":
            draw_table(console, draw, title, plan_title)
        else:
            draw(fmt, console)
        payload = buffer.getvalue()
        if fmt == "csv":  # for Excel/WPS: a BOM says UTF-8 (the cells are Excel-safe already)
            payload = "\ufeff" + payload
    write_atomic(path, payload)


__all__ = ["FORMATS", "document_of", "output_format", "show", "write_report"]
