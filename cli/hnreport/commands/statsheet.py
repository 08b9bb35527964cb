"""``import`` of a bureau's table as printed: find the table (tables.find_table), read its rows
into figures for the targets (domain.statsheet), show the mapping and the rows not taken, and
hand the figures on as a Table the import writes like any other (all or nothing, idempotent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hnreport.commands.context import AppContext, parse_as_of
from hnreport.errors import HnreportError, Message

if TYPE_CHECKING:
    from hnreport.readers import Sheet, Table
    from hnreport.store import Store


def statsheet_table(
    app_ctx: AppContext, store: Store, sheet: Sheet, file: Path, period: str | None, *, dry_run: bool
) -> tuple[Table, Message]:
    """The figures ``sheet`` gives the targets, as a Table for ``Exchange.import_table``, and a
    few words for the summary line. Refuses (nothing written) a sheet with no table, no period,
    or a cell that feeds a target and holds no number."""
    from hnreport.domain import statsheet
    from hnreport.domain.periods import parse_span
    from hnreport.readers import Problems, Table
    from hnreport.render.imports import bulletin_mapping, bulletin_skipped
    from hnreport.tables import find_table

    path = sheet.path
    found = find_table(sheet.rows, statsheet.HEADER_ROLES, needs=statsheet.NEEDS)
    if found is None:
        raise sheet.missing_columns()
    layout = statsheet.layout_of(found)
    if layout is None:
        headers = ", ".join(h for h in (found.header(i) for i in range(len(found.headers))) if h)
        raise HnreportError("bulletin_no_columns", path=path, line=found.header_lines[-1], headers=headers or Message("nothing"))
    plan = store.items.plan()
    given: str | Message = "--period"
    origin: str | Message = "--period"
    words = period
    day = parse_as_of(period)
    if day is None:
        origin = Message("bulletin_from_headers")
        named = statsheet.title_period(layout.title)
        if named is not None:
            day, words = named
            given = origin = Message("bulletin_by_title", words=words)
    # A whole year (2022, 衡南县2022年主要经济指标) gives the columns named by month their year only.
    year_only = words is not None and parse_span(words) == (date(day.year, 1, 1), date(day.year, 12, 31))  # type: ignore[union-attr]
    if year_only and any(c.month is not None for c in layout.values):
        origin = Message("bulletin_year_from", origin=origin)
    periods = statsheet.column_periods(layout, day, given=given, path=path, plan=plan, year_only=year_only)
    targets = store.items.targets()
    suggestions: dict[str, tuple[str, str]] = {}
    for alias in store.items.aliases():
        suggestions.setdefault(alias.norm, (alias.name, alias.key))
    from hnreport.domain.names import name_norm

    for t in targets:
        suggestions.setdefault(name_norm(t.name_zh), (t.name_zh, t.key))
    reading = statsheet.read_rows(
        layout, found.rows, periods, targets, store.items.indicator_names(), suggestions,
        path=path, source=_default_source(file, sheet, found.title), sheet=sheet.name,
    )  # fmt: skip
    if reading.problems:
        problems = Problems()
        for problem in reading.problems:
            problems.add(problem)
        raise problems.error(path)
    by_key = {t.key: t for t in targets}
    if dry_run:
        bulletin_mapping(reading.figures, by_key, app_ctx.lang, app_ctx.message_lang, app_ctx.console)
    bulletin_skipped(reading.skipped, app_ctx.lang, app_ctx.message_lang, app_ctx.console)
    if layout.ignored:
        app_ctx.notice(Message("bulletin_columns_not_read", columns=", ".join(layout.ignored)))
    rows = iter([(f.line, [f.key, f.value, f.period.isoformat(), f.note or "", f.source or "", "" if f.decimals is None else str(f.decimals)])
                 for f in reading.figures])  # fmt: skip
    table = Table({"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4, "decimals": 5}, rows, [], sheet.encoding)
    ends = ", ".join(d.isoformat() for d in reading.periods)
    on_sheet = Message("bulletin_on_sheet", sheet=sheet.name) if sheet.name else ""
    read = (Message("bulletin_read_one", sheet=on_sheet, lines="-".join(str(n) for n in found.header_lines), ends=ends, origin=origin)
            if len(reading.periods) == 1 else
            Message("bulletin_read_many", sheet=on_sheet, count=len(reading.periods), first=reading.periods[0].isoformat(),
                    last=reading.periods[-1].isoformat()))  # fmt: skip
    targets_fed = len({f.key for f in reading.figures})
    return table, Message("bulletin_said", read=read, figures=len(reading.figures), targets=targets_fed, skipped=len(reading.skipped))


def _default_source(file: Path, sheet: Sheet, title: list[str]) -> str | None:
    """Where the figures come from, when the sheet has no 来源 column: the file's name and the
    sheet's title (or the worksheet's name); for pasted text, the title."""
    from hnreport.readers import STDIN

    heading = title[0] if title else sheet.name
    if sheet.path == STDIN:
        return heading
    return f"{file.name} {heading}" if heading else file.name
