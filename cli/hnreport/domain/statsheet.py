"""A statistics bureau's table as printed (统计月报, 主要经济指标) read into figures for the plan's
targets: which columns a header names, which period the sheet is for, which cell feeds which
target, and why a row is not taken.

The rules, each decided by the target, never by the row:

- A row matches a target by its name (``domain.names``: a target's aliases, Chinese name and
  key). A name that matches nothing is skipped and listed — with a "did you mean" when it is
  close to a name that does (一般公共预算收入 is not 地方一般公共预算收入: never taken for it).
- A growth-rate target takes the year-to-date 同比 column; a cumulative, level, share or cut
  target the year-to-date amount, converted to the target's unit where the conversion is exact
  (万元 → 亿元; 万美元 and % never become 亿元). A figure of the month alone (本月, 本月同比) is
  used only where the sheet has no year-to-date column for that period — and a month's amount
  never feeds a cumulative target except in January, when the month is the year so far.
- One row may feed several targets (进出口总额: trade's growth rate, foreign-trade's amount).
- Sub-items (其中, #, indented), footnotes (注：) and blank or dash cells ("—", "…", "-") are
  skipped and listed, not refused. A cell that feeds a target and holds no number refuses the
  file: it is named by sheet, line and cell, and nothing is imported.

A wide sheet (months as columns: 1月 2月 … or 1-2月 1-3月 …) is read the same way, each month
a period of its own. Pure: the caller reads the file (``readers``), finds the header
(``tables.find_table`` with ``HEADER_ROLES``) and writes the figures (``store.exchange``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from hnreport.records import Record
from hnreport.domain.model import Plan, Target
from hnreport.domain.names import UNITS, read_name
from hnreport.domain.periods import arabic_numerals, month_end, parse_period
from hnreport.domain.values import convert_amount, decimals_of, format_number, parse_value
from hnreport.errors import Alternatives, BadPeriod, BadValue, HnreportError, Message
from hnreport.tables import FoundTable, Percent, column_letter, header_key

# The columns a bureau table names, besides its figures (compared as tables.header_key).
HEADER_ROLES = {
    "name": {"指标", "指标名称", "项目", "项目名称", "指标名", "名称", "主要指标"},
    "unit": {"计量单位", "单位", "单位名称"},
    "note": {"备注", "说明", "附注"},
    "source": {"来源", "数据来源", "资料来源"},
}
NEEDS = ("name",)
MAX_ROWS = 10_000  # rows below the header: a bulletin has dozens; beyond this it is not one

AMOUNT_KINDS = ("cumulative", "level", "share", "reduction")

# Header words (in tables.header_key form: no spaces, half-width).
_NOT_YOY = re.compile(r"环比")  # month on month: not the year-on-year rate a target means
_GROWTH = re.compile(r"同比|增长|增速|增幅|增减|比上年|比去年|±")
_IGNORED = re.compile(r"上年|去年|同期|排名|位次|排位|名次|比重|占比|占全|下半年|目标|计划|任务")
_AMOUNT = re.compile(r"累计|本月|当月|绝对|总量|完成|数值|金额|本年|全年|实绩|本期|月|季度|半年|总额|数量|现价")
_YEAR = re.compile(r"(\d{4})年")
_RANGE = re.compile(r"1[-–—~～至到](\d{1,2})月")
_MONTH = re.compile(r"(\d{1,2})月")
_QUARTERS = (("前三季度", 9, "ytd"), ("上半年", 6, "ytd"), ("一季度", 3, "ytd"), ("1季度", 3, "ytd"),
             ("二季度", 6, "month"), ("2季度", 6, "month"), ("三季度", 9, "month"), ("3季度", 9, "month"),
             ("四季度", 12, "month"), ("4季度", 12, "month"))  # fmt: skip
_YTD_WORDS = re.compile(r"累计|本年|全年|年初|1至|以来")
_MONTH_WORDS = re.compile(r"本月|当月")
_UNIT_IN_HEADER = re.compile(r"\(([^()]{1,8})\)")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(\S{1,8})")

# The period a title names: 衡南县2022年1-6月主要经济指标, 二〇二二年上半年, 2022年6月.
_TITLE_PERIOD = re.compile(
    r"(\d{4})\s*年\s*(1\s*[-–—~～至到]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[上下]半年|前三季度|第?[一二三四1-4]\s*季度|全年)?"
)
BLANKS = {"", "—", "–", "-", "－", "——", "…", "……", "...", "/", "／", "x", "×", "*", "#"}
_FOOTNOTE = re.compile(r"^(?:注\s*(?:[:：\d①-⑩(（]|$)|说明\s*[:：]|资料来源|数据来源|备注\s*[:：])")
_NUMBER_WITH_UNIT = re.compile(r"^([+-]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?)\s*(\S+)$")


class ValueColumn(Record):
    """A column of figures, as its header names it."""

    index: int
    header: str  # as printed (a two-row header's rows joined)
    measure: str  # "amount" or "growth"
    scope: str  # "ytd" (the year so far) or "month" (that month, or that quarter, alone)
    month: int | None  # the month the header names (6 for 1-6月 and for 6月); None: the sheet's
    year: int | None
    unit: str | None  # a unit in brackets in the header: 1-6月累计(亿元)


class Layout(Record):
    name: int
    unit: int | None
    note: int | None
    source: int | None
    values: tuple[ValueColumn, ...]
    ignored: tuple[str, ...]  # headers of columns no target reads (上年同期, 排名 …)
    title: str
    title_unit: str | None  # 单位：万元 in a title line


class Figure(Record):
    """A cell that feeds a target."""

    line: int
    name: str  # the row's name as printed
    key: str
    column: str  # the column's header as printed
    cell: str  # F7
    read: str | Message  # the cell as read, as shown
    value: float  # in the target's unit
    conversion: str | Message  # "1865200万元 → 186.52亿元", a note, or ""
    period: date
    note: str | None
    source: str | None
    decimals: int | None = None  # as published: a text cell's ("186.50" → 2), a percentage cell's format's


class Skip(Record):
    """A row (or a row for one target) not taken, and why."""

    line: int
    name: str
    key: str | None
    reason: Message


class Reading(Record):
    figures: list[Figure]
    skipped: list[Skip]
    problems: list[Message]  # cells that feed a target and hold no number: nothing is imported
    periods: list[date]


# ── the header ────────────────────────────────────────────────────────────────────────────
def layout_of(found: FoundTable) -> Layout | None:
    """What each column of ``found`` holds; None when it has no column of figures."""
    roles = found.roles
    first = {role: (cols[0] if cols else None) for role, cols in roles.items()}
    named = {c for cols in roles.values() for c in cols[:1]}
    title = " ".join(found.title)
    ytd_title = "累计" in title
    values: list[ValueColumn] = []
    ignored: list[str] = []
    for index in range(len(found.headers)):
        header = found.header(index)
        if index in named or not header:
            continue
        column = _value_column(index, header, ytd_title)
        if column is None:
            ignored.append(header)
        else:
            values.append(column)
    if first.get("name") is None or not values:
        return None
    values = _inherit(values)
    # 单位：万元 — or 单位：亿元、% (amounts in 亿元, rates in %): the unit of the amounts
    unit_line = _UNIT_LINE.search(unicodedata.normalize("NFKC", title))
    units = re.split(r"[、,，/;；。]", unit_line.group(1)) if unit_line else []
    title_unit = next((u for u in units if u in UNITS and u != "%"), None)
    return Layout(first["name"], first.get("unit"), first.get("note"), first.get("source"), tuple(values), tuple(ignored),
                  title, title_unit)  # fmt: skip


def _value_column(index: int, header: str, ytd_title: bool) -> ValueColumn | None:
    text = arabic_numerals(header_key(header))
    if _NOT_YOY.search(text):
        return None
    growth = bool(_GROWTH.search(text))
    if not growth and (_IGNORED.search(text) or not _AMOUNT.search(text)):
        return None
    year_match = _YEAR.search(text)
    year = int(year_match.group(1)) if year_match else None
    month, scope = None, None
    if m := _RANGE.search(text):
        month, scope = int(m.group(1)), "ytd"
    else:
        for word, quarter_end, quarter_scope in _QUARTERS:
            if word in text:
                month, scope = quarter_end, quarter_scope
                break
        else:
            if m := _MONTH.search(text):
                month, scope = int(m.group(1)), "month"
    if month is not None and not 1 <= month <= 12:
        return None
    if _YTD_WORDS.search(text) or (scope == "month" and ytd_title and month is not None):
        scope = "ytd"
    elif scope is None and _MONTH_WORDS.search(text):
        scope = "month"
    unit = None
    for found_unit in _UNIT_IN_HEADER.findall(unicodedata.normalize("NFKC", header)):
        if found_unit in UNITS and found_unit != "%":
            unit = found_unit
    return ValueColumn(index, header, "growth" if growth else "amount", scope or "", month, year, unit)


def _inherit(values: list[ValueColumn]) -> list[ValueColumn]:
    """A 同比 column without a period of its own belongs to the figure on its left
    (``1-6月累计 | 同比增长(%)``); any column still without a scope is the sheet's period."""
    out: list[ValueColumn] = []
    for column in values:
        if not column.scope and column.measure == "growth":
            left = next((c for c in reversed(out) if c.scope), None)
            if left is not None:
                column = column._replace(scope=left.scope, month=column.month or left.month, year=column.year or left.year)
        out.append(column if column.scope else column._replace(scope="ytd"))
    return out


def title_period(title: str) -> tuple[date, str] | None:
    """The period the title names (its last day, and the words that name it), or None."""
    text = arabic_numerals(unicodedata.normalize("NFKC", title))
    for m in _TITLE_PERIOD.finditer(text):
        words = re.sub(r"\s+", "", m.group(0))
        if words.endswith("日"):
            continue  # a day under a title is when the sheet was made (2022年7月12日), not its period
        try:
            return parse_period(words), words
        except BadPeriod:
            continue
    return None


def column_periods(
    layout: Layout, period: date | None, *, given: str | Message, path: str, plan: Plan, year_only: bool = False
) -> dict[int, date]:
    """Each value column's period (its last day). ``period`` is the sheet's (``--period``, else
    the title's; ``given`` says which, for messages). A column whose header names a month is
    for that month; in a sheet of one period the header and ``period`` must agree — unless
    ``period`` is a whole year (``year_only``: 衡南县2022年主要经济指标), which gives such
    columns their year only. Every period is in the plan year."""
    months = {(c.year, c.month) for c in layout.values if c.month is not None}
    wide = len(months) > 1
    out: dict[int, date] = {}
    for c in layout.values:
        if c.month is None:
            if period is None:
                raise HnreportError("bulletin_no_period", path=path)
            out[c.index] = period
            continue
        year = c.year or (period.year if period else None)
        if year is None:
            raise HnreportError("bulletin_no_period", path=path)
        end = month_end(year, c.month)
        if not wide and period is not None and not year_only and end != period:
            raise HnreportError("bulletin_period_contradiction", path=path, given=given or "", period=period.isoformat(),
                                column=column_letter(c.index), header=c.header, end=end.isoformat())  # fmt: skip
        out[c.index] = end
    for day in sorted(set(out.values())):
        if not plan.start <= day <= plan.end:
            raise HnreportError("bulletin_outside_year", path=path, period=day.isoformat(), year=plan.year)
    return out


# ── the rows ──────────────────────────────────────────────────────────────────────────────
def read_rows(
    layout: Layout,
    rows: Iterable[tuple[int, Sequence[Any]]],
    periods: dict[int, date],
    targets: Sequence[Target],
    names: dict[str, list[str]],
    suggestions: dict[str, tuple[str, str]],
    *,
    path: str,
    source: str | None,
    sheet: str | None,
) -> Reading:
    """The figures the rows give the targets, the rows skipped, the cells that cannot be read.

    ``names``: a name as compared → the targets it names; ``suggestions``: every such name →
    (the name as printed, its target), for "did you mean"; ``sheet``: the worksheet's name
    (a workbook's), which places a cell that cannot be read with its line and cell."""
    by_key = {t.key: t for t in targets}
    groups: dict[date, dict[tuple[str, str], ValueColumn]] = {}
    for c in layout.values:
        groups.setdefault(periods[c.index], {}).setdefault((c.measure, c.scope), c)
    figures: list[Figure] = []
    skipped: list[Skip] = []
    problems: list[Message] = []
    taken: dict[tuple[str, date], int] = {}  # (target, period) → the line that gave it
    count = 0
    for line, cells in rows:
        count += 1
        if count > MAX_ROWS:
            raise HnreportError("bulletin_too_many_rows", path=path, limit=MAX_ROWS)
        cell = _Cells(cells)
        if not any(_text(v) for v in cells):
            continue
        raw_name = cell.get(layout.name)
        name = raw_name if isinstance(raw_name, str) else ("" if raw_name is None else str(raw_name))
        shown = name.strip()
        if not shown:
            skipped.append(Skip(line, "", None, Message("bulletin_skip_no_name")))
            continue
        if _FOOTNOTE.match(unicodedata.normalize("NFKC", shown)):
            skipped.append(Skip(line, shown, None, Message("bulletin_skip_footnote")))
            continue
        parsed = read_name(name)
        keys = names.get(parsed.norm, [])
        if not keys:
            skipped.append(Skip(line, shown, None, _unmatched(parsed.norm, parsed.sub_item, suggestions)))
            continue
        row_unit = _unit(cell.get(layout.unit)) if layout.unit is not None else None
        row_unit = row_unit or parsed.unit
        note = _text(cell.get(layout.note)) or None if layout.note is not None else None
        row_source = (_text(cell.get(layout.source)) or None if layout.source is not None else None) or source
        for key in keys:
            target = by_key.get(key)
            if target is None:
                continue
            blanks: list[str] = []
            for period, group in groups.items():
                outcome = _take(target, group, cell, row_unit or None, layout.title_unit, period)
                if outcome is None:
                    continue
                if isinstance(outcome, _Blank):
                    blanks.append(outcome.header)
                    continue
                if isinstance(outcome, Message):
                    skipped.append(Skip(line, shown, key, outcome))
                    continue
                column, read, value, conversion, bad = outcome
                ref = f"{column_letter(column.index)}{line}"
                if bad is not None:
                    where = (Message("bulletin_where_sheet", sheet=sheet, line=line, cell=ref) if sheet
                             else Message("bulletin_where", line=line, cell=ref))  # fmt: skip
                    problems.append(Message("bulletin_bad_cell", where=where, column=column.header, text=bad, key=key))
                    continue
                if (key, period) in taken:
                    skipped.append(Skip(line, shown, key, Message("bulletin_skip_taken", other=taken[key, period], key=key,
                                                                   period=period.isoformat())))  # fmt: skip
                    continue
                taken[key, period] = line
                figures.append(Figure(line, shown, key, column.header, ref, read, value, conversion, period, note, row_source,
                                      _decimals(cell.get(column.index), value)))  # fmt: skip
            if blanks:
                skipped.append(Skip(line, shown, key, Message("bulletin_skip_blank", columns="、".join(blanks))))
    return Reading(figures, skipped, problems, sorted(set(periods.values())))


class _Blank(Record):
    header: str


class _Cells:
    def __init__(self, cells: Sequence[Any]) -> None:
        self.cells = cells

    def get(self, index: int | None) -> Any:
        return self.cells[index] if index is not None and index < len(self.cells) else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def _unit(value: Any) -> str | None:
    text = unicodedata.normalize("NFKC", _text(value))
    text = "".join(text.split()).strip("()")
    return text or None


def _unmatched(norm: str, sub_item: bool, suggestions: dict[str, tuple[str, str]]) -> Message:
    # A part of the row above (其中：出口总额 under 进出口总额) is that, whatever it resembles:
    # "did you mean 进出口总额?" would invite making the part a name of the whole.
    if sub_item:
        return Message("bulletin_skip_sub_item")
    import difflib  # only a sheet with rows the plan does not track needs it

    close = difflib.get_close_matches(norm, list(suggestions), n=6, cutoff=0.75)
    best: dict[str, str] = {}  # target → its closest name (the list is closest first)
    for c in close:
        best.setdefault(suggestions[c][1], suggestions[c][0])
    if best:
        shown = list(best.items())[:2]
        return Message("bulletin_skip_near", choices=Alternatives(n for _, n in shown), keys=", ".join(k for k, _ in shown))
    return Message("bulletin_skip_untracked")


def _number(value: Any) -> tuple[str, float | None, str | None]:
    """A cell as a figure: ("blank", None, None), ("number", value, unit or None) — the unit of
    a percentage cell is %, of text such as "186.52亿元" the unit written — or ("text", None,
    None) for a cell that holds no number."""
    if value is None:
        return "blank", None, None
    if isinstance(value, Percent):
        return "number", float(value), "%"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number", float(value), None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in BLANKS:
        return "blank", None, None
    unit = None
    if m := _NUMBER_WITH_UNIT.match(text):
        if m.group(2) in UNITS:
            text, unit = m.group(1), m.group(2)
    try:
        return "number", parse_value(text), unit
    except BadValue:
        return "text", None, None


def _take(
    target: Target, group: dict[tuple[str, str], ValueColumn], cell: _Cells, row_unit: str | None, title_unit: str | None,
    period: date,
):
    """What ``target`` takes from a row in one period's columns: None (nothing to say), a
    _Blank, a Message (why not), or (column, as read, value, conversion, text that is no number)."""
    has_ytd = any(scope == "ytd" for _, scope in group)
    scope = "ytd" if has_ytd else "month"
    month_only: Message | str = "" if has_ytd else Message("bulletin_month_only")
    if target.kind == "growth_rate":
        column = group.get(("growth", scope))
        amount = group.get(("amount", scope))
        if column is not None and _number(cell.get(column.index))[0] != "blank":
            pass
        elif row_unit == "%" and amount is not None and _number(cell.get(amount.index))[0] != "blank":
            column = amount  # a rate printed in the figure's column, its unit %
        elif column is None:
            return Message("bulletin_skip_no_growth_column")
        else:
            return _Blank(column.header)
        kind, value, unit = _number(cell.get(column.index))
        if kind == "text":
            return column, "", 0.0, "", _text(cell.get(column.index))
        if unit not in (None, "%"):
            return Message("bulletin_skip_unit", unit=unit, target_unit="%", column=column.header)
        return column, _shown(cell.get(column.index)), value, month_only, None
    if target.kind not in AMOUNT_KINDS:
        return Message("bulletin_skip_kind", kind=target.kind)
    column = group.get(("amount", scope))
    if column is None:
        return Message("bulletin_skip_no_amount_column")
    if not has_ytd and target.kind == "cumulative" and period.month != 1:
        return Message("bulletin_skip_month_amount", column=column.header)
    kind, value, unit = _number(cell.get(column.index))
    if kind == "blank":
        return _Blank(column.header)
    if kind == "text":
        return column, "", 0.0, "", _text(cell.get(column.index))
    is_percent = isinstance(cell.get(column.index), Percent)
    unit = unit or row_unit or column.unit or title_unit
    wanted = target.unit or ""
    read = _shown(cell.get(column.index))
    if not wanted:
        note = Message("bulletin_target_no_unit", unit=unit) if unit else ""
        return column, read, value, note or month_only, None
    if unit is None:
        if wanted == "%" and target.kind in ("share", "reduction"):
            return column, read, value, month_only, None
        return Message("bulletin_skip_no_unit", column=column.header, target_unit=wanted)
    converted = convert_amount(value, unit, wanted)  # type: ignore[arg-type]
    if converted is None:
        if is_percent:
            return Message("bulletin_skip_percent_cell", column=column.header, value=format_number(value), target_unit=wanted)
        return Message("bulletin_skip_unit", unit=unit, target_unit=wanted, column=column.header)
    conversion = "" if unit == wanted else f"{format_number(value)}{unit} → {format_number(converted)}{wanted}"
    return column, read, converted, conversion or month_only, None


def _decimals(value: Any, taken: float) -> int | None:
    """The decimals a cell gives its figure as published (domain.values.decimals_of): a text
    cell's as written ("186.50" → 2), a percentage cell's by its number format ("0.0%" → 1); a
    figure converted to another unit keeps as many as it needs (1865200万元 → 186.52亿元: 2).
    None where the cell says none (a plain number cell: its format is not read) or the decimals
    would hide digits of ``taken``."""
    if isinstance(value, Percent):
        places = decimals_of(value.number_format)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        m = _NUMBER_WITH_UNIT.match(text)
        places = decimals_of(m.group(1) if m and m.group(2) in UNITS else text)  # as _number reads it
    else:
        return None
    if places is None:
        return None
    if round(taken, places) != taken:  # converted: as many as the figure needs
        from decimal import Decimal

        places = max(0, -Decimal(repr(taken)).normalize().as_tuple().exponent)  # type: ignore[operator]
        if places > 15 or round(taken, places) != taken:
            return None
    return places


def _shown(value: Any) -> str | Message:
    """A cell as read, for the mapping: a percentage cell says what it holds and how it is read."""
    if isinstance(value, Percent):
        return Message("bulletin_percent_cell", shown=format_number(float(value)), stored=repr(value.stored),
                       format=value.number_format)  # fmt: skip
    if isinstance(value, float):
        return format_number(value) if abs(value) < 1e15 else repr(value)
    return _text(value)
