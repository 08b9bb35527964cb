"""What every view shares: plain values as cells, and one listing in any format."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hnreport.domain.values import format_number
from hnreport.render.formats import write_csv
from hnreport.render.formats import write_json
from hnreport.render.formats import markdown_table
from hnreport.text import one_line
from hnreport.outfile import write_exact

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.model import Result, Section, Target


# ── plain values ─────────────────────────────────────────────────────────────────────────
def num(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def short_time(iso: str) -> str:
    """A recorded moment as every table and message shows it: local time to the minute with
    the zone stated (``2022-07-15 18:23 UTC+8``); JSON and CSV keep the full UTC timestamp."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso  # not a timestamp (a hand-edited row): shown as stored
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")  # a moment without a zone is shown as written
    moment = moment.astimezone()
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    zone = "UTC" if minutes == 0 else f"UTC{'+' if minutes > 0 else '-'}{abs(minutes) // 60}" + (
        f":{abs(minutes) % 60:02d}" if minutes % 60 else "")  # fmt: skip
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {zone}"


def local_moment(iso: str | None) -> str:
    """A moment the user gave as a day (a "known from" date, kept in UTC) as the local day it
    names, with the time only when it is not the day's start."""
    if not iso:
        return ""
    from datetime import datetime

    moment = datetime.fromisoformat(iso).astimezone()
    return moment.strftime("%Y-%m-%d" if moment.strftime("%H:%M:%S") == "00:00:00" else "%Y-%m-%d %H:%M")


def packed(items: Sequence[str], width: int, sep: str = "  ") -> list[str]:
    """``items`` on as few lines of ``width`` cells as they fit, each item whole (a legend's
    "▼▼ far behind" never broken between its words)."""
    from hnreport.render.grid import cell_len

    lines: list[str] = []
    for item in items:
        if lines and cell_len(lines[-1] + sep + item) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def with_unit(value: float | None, unit: str | None, decimals: int | None = None, lang: str = "zh") -> str:
    """A figure with its unit, with the decimals it was published with where known (5.0%); in
    English the unit in English words (70 (100M yuan))."""
    if value is None:
        return "—"
    from hnreport.words.labels import figure_text

    return figure_text(format_number(value, decimals), unit, lang)


def published(value: float | None, decimals: int | None) -> Any:
    """A figure for a CSV cell: with the decimals it was published with ("5.0", "68.50") where
    they are known — a Decimal, which CSV writes as that text and Excel/WPS reads as the number
    (never taken for a formula, as a "-3.2" text would be) — else the number as it is."""
    if value is None or decimals is None or not math.isfinite(value):
        return value
    from decimal import Decimal

    return Decimal(format_number(value, decimals))


def name_of(item: Target | Result | Section, lang: str) -> str:
    return item.name_en if lang == "en" else item.name_zh


JOURNAL_TABLE_WIDTH = 120  # narrower, the journal is one block per change (its summary would wrap into a sliver)


def stacked_entries(console: Console, headers: Sequence[str], body: Sequence[Sequence[str]], *, nowrap_first: int,
                    lang: str = "zh") -> None:
    """One block per row: its first ``nowrap_first`` cells on one line (id, time, who …), then each
    further cell that is not empty on its own indented line, headed by its column's title."""
    from rich.padding import Padding
    from rich.text import Text

    for i, row in enumerate(body):
        if i:
            console.print()
        console.print(Text("  ".join(one_line(str(c)) for c in row[:nowrap_first] if c), no_wrap=True, overflow="ellipsis"))
        for title, cell in zip(headers[nowrap_first:], row[nowrap_first:]):
            if cell:
                colon = ": " if lang == "en" else "："
                console.print(Padding(Text(f"{title}{colon}{one_line(str(cell))}", overflow="fold"), (0, 0, 0, 4)))


def titled(plan_title: str | None, title: str | None) -> str:
    """A listing's title naming the plan it is about — ``衡南县2022年政府工作报告 — 指标``, as
    ``report`` heads its page; the title alone when it names the plan already (the report's)."""
    if not plan_title:
        return title or ""
    if not title:
        return plan_title
    return title if plan_title in title else f"{plan_title} — {title}"


def print_plan_line(console: Console, plan_title: str, title: str | None) -> None:
    """The bold line over a table naming the plan it is about (衡南县2022年政府工作报告 — 目标指标)."""
    from rich.text import Text

    console.print(Text(one_line(titled(plan_title, title)), style="bold"))


def emit(
    fmt: str,
    console: Console,
    rows: list[dict[str, Any]],
    headers: Sequence[str],
    body: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[int] = (),
    empty: str | None = None,
    fieldnames: Sequence[str] = (),
    show_lines: bool = False,
    nowrap: Sequence[int] = (0,),
    about_plan: bool = True,
) -> None:
    """One listing in the format asked for: ``rows`` for JSON/CSV, ``headers``/``body`` for
    Markdown and the rich table (cells may be rich Text; text cells are shown through
    ``one_line``); ``right`` are right-aligned columns,
    ``nowrap`` columns (keys, dates, ids: things users copy) are never split. A table's title
    names the plan it is about (the console's ``plan_title``) unless it is not about one plan
    (``about_plan``: the plans themselves, the ledger across them, the whole journal)."""
    if fmt == "json":
        write_json(console.file, rows)
        return
    if fmt == "document":
        to_document(console.document, rows, headers, body, title=title, right=right, empty=empty, fieldnames=fieldnames)
        return
    if fmt == "csv":
        write_csv(console.file, rows, fieldnames=fieldnames)
        return
    plan_title = getattr(console.file, "plan_title", None) if about_plan else None
    if fmt == "markdown":
        heading = ""
        if plan_title:
            from hnreport.render.formats.markdown import markdown_text

            heading = f"# {markdown_text(titled(plan_title, title))}\n\n"
        write_exact(console.file, heading + markdown_table(headers, [[str(c) for c in row] for row in body]))
        return
    if not body and empty is not None:
        console.print(one_line(empty))
        return
    from rich.table import Table
    from rich.text import Text

    from hnreport.render.listing import Cell

    if plan_title:  # a line of its own: a narrow table would fold it as its title
        print_plan_line(console, plan_title, title)
        title = None
    table = Table(title=one_line(title) if title else title, title_justify="left", show_lines=show_lines)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left", overflow="fold", no_wrap=i in nowrap)
    for row in body:
        table.add_row(*(one_line(c) if isinstance(c, str) else Text(one_line(c.text), style=TONE_STYLE.get(c.tone or ""))
                        if isinstance(c, Cell) else c for c in row))  # fmt: skip
    console.print(table)


TONE_STYLE = {"good": "green", "warn": "yellow", "bad": "bold red", "none": "dim"}


def to_document(doc, rows, headers, body, *, title=None, right=(), empty=None, fieldnames=()) -> None:
    """A listing as a document's table, from ``headers`` and ``body`` (rich Text as its plain
    text)."""
    if not body and empty is not None:
        doc.paragraph(empty)
        return
    doc.table(headers, [[getattr(c, "plain", c) for c in row] for row in body], name=title, right=right)

