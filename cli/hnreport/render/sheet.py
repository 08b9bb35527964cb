"""The 报送表: one lead unit's workbook for a month, as an .xlsx the unit fills in and sends back.

What it holds: the unit's targets (latest figure and its period, 序时应达, status) and commitments
(status, deadline, what was last reported), each on one row, with blank columns for the month —
状态 (a drop-down of the Chinese status labels), 本月数据 (targets, for the period named beside
it), 本月进展情况, 存在问题, 下一步措施, 佐证材料/文号. The header and key columns are protected and
the answer columns open; A4 landscape, the header repeated on every page. A very hidden sheet
(``workbooks.RECORD_SHEET``) and the document properties record the plan, unit and month, and what
each row's key columns say, so that `units collect` reads the sheet back for that unit and month
only. No queries: the command hands over the values.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport.records import Record
from hnreport import words
from hnreport.domain.reporting import LastReport, Period, status_choices
from hnreport.render.common import num, with_unit
from hnreport.text import excel_safe, one_line
from hnreport.workbooks import RECORD_SHEET, RecordRow, SheetRecord, record_rows

if TYPE_CHECKING:
    from hnreport.domain.milestones import MilestoneState
    from hnreport.domain.model import Plan
    from hnreport.domain.progress import Assessment

SHEET_TITLE = "报送表"
FIRST_ROW = 5  # rows 1–3: title, unit and month, how to fill it in; row 4: the header


class Column(Record):
    role: str  # a key role, an answer role, or an information column's own name
    title: str
    width: float
    answer: bool = False


# Widths in Excel's character units; the whole is about 200 wide, printed to one A4 page width
# (about 75 %). Answer columns are the widest: the unit writes there.
COLUMNS = (
    Column("no", "序号", 4.5),
    Column("key", "代码", 10),
    Column("name", "事项（指标/工作任务）", 22),
    Column("aim", "目标/完成时限", 13.5),
    Column("now", "当前状态", 12),
    Column("latest", "最新数据（截至）/序时应达", 16),
    Column("last", "上次报送", 21),
    Column("status", "本月状态\n（下拉选择）", 10, True),
    Column("figure_period", "数据时期", 11),
    Column("figure", "本月数据", 9, True),
    Column("progress", "本月进展情况", 28, True),
    Column("problems", "存在问题", 18, True),
    Column("next_steps", "下一步措施", 18, True),
    Column("source", "佐证材料/文号", 14, True),
)
LETTERS = {c.role: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}


def cell_text(text: str) -> str:
    """User text as a cell shows it: line breaks kept, every other control or invisible
    character shown as an escape (openpyxl refuses them, and they would mislead), and a
    leading ``=``/``+``/``-``/``@`` neutralised, so the cell is text and never a formula."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return excel_safe("\n".join(one_line(line) for line in lines))


def _width(text: str) -> float:
    # A Chinese character at 10 pt is about 1.7 of Excel's width units (the width of a digit in
    # the default font), a Latin one about 1.
    return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a column ``width`` wide (row heights are not
    fitted to wrapped text when a workbook is opened, so they are set)."""
    per_line = max(width - 1.5, 4)
    return sum(max(1, math.ceil(_width(line) / per_line)) for line in text.split("\n"))


def _last_text(day: date | None, parts: Sequence[tuple[str, str | None]]) -> str:
    lines = [f"{label}：{text}" for label, text in parts if text]
    if not lines:
        return "—"
    return (f"（{day.isoformat()}）\n" if day else "") + "\n".join(lines)


def target_rows(assessments: list[Assessment], figure_periods: dict[str, date | None],
                last: dict[str, LastReport]) -> list[dict[str, Any]]:  # fmt: skip
    """The rows of the unit's targets: what hnreport knows, and the period a figure is asked for."""
    from hnreport.domain.periods import span_label
    from hnreport.render.targets import status_text, target_text

    rows = []
    for a in assessments:
        t, obs = a.target, a.observation
        latest = "—"
        if obs is not None:
            latest = f"{with_unit(obs.value, t.unit, obs.decimals)}\n（截至{obs.as_of.isoformat()}）"
            if a.expected is not None:
                latest += f"\n序时应达 {with_unit(num(a.expected, 2), t.unit)}"
        figure_day = figure_periods.get(t.key)
        if figure_day is None:
            period = "—（本月不报）"
        elif t.frequency == "annual":
            period = f"{figure_day.year}年"
        else:
            period = f"{figure_day.year}年{span_label(figure_day, 'zh')}"
            if t.kind != "cumulative":
                period += f"（截至{figure_day.isoformat()}）" if t.frequency == "monthly" else ""
        report = last.get(t.key)
        parts = [("进展", report.progress), ("问题", report.problems), ("措施", report.next_steps),
                 ("佐证", report.source)] if report else []  # fmt: skip
        rows.append({
            "kind": "target", "key": t.key, "name": t.name_zh,
            "aim": target_text(t, "zh") + (f"\n（单位：{t.unit}）" if t.unit else ""),
            "now": status_text(a, "zh"), "latest": latest, "last": _last_text(report.day if report else None, parts),
            "figure_period": period, "figure_as_of": figure_day.isoformat() if figure_day else None,
        })  # fmt: skip
    return rows


def milestone_rows(states: list[MilestoneState]) -> list[dict[str, Any]]:
    rows = []
    for s in states:
        m, change = s.milestone, s.change
        aim = s.due.isoformat() if s.due else "—"
        if s.due_implied:  # on a line of its own: the column is narrow
            aim += f"\n（{words.pick(words.IMPLIED, 'zh')}）"
        elif s.extended:
            aim += "\n（延期）"
        now = words.milestone_word(s.status, "zh") + (f" · {words.pick(words.OVERDUE, 'zh')}" if s.overdue else "")
        parts = [("进展", change.progress), ("问题", change.problems), ("措施", change.next_steps),
                 ("佐证", change.source)] if change else []  # fmt: skip
        rows.append({
            "kind": "milestone", "key": m.key, "name": m.name_zh, "aim": aim, "now": now, "latest": "—",
            "last": _last_text(change.as_of if change else None, parts) if change else "—",
            "figure_period": "—", "figure_as_of": None,
        })  # fmt: skip
    return rows


def unit_sheet(plan: Plan, unit: str, period: Period, due: date, made: date, sheet_id: str, rows: list[dict[str, Any]]) -> bytes:
    """The workbook for ``unit`` and ``period``: ``rows`` from ``target_rows`` and ``milestone_rows``."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = SHEET_TITLE
    last_col = LETTERS[COLUMNS[-1].role]
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name="宋体", size=10)
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    closed_fill = PatternFill("solid", fgColor="D9D9D9")  # a cell that does not apply to the row
    header_fill = PatternFill("solid", fgColor="BFBFBF")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    # Rows 1–3: what the sheet is, for whom, and how to fill it in.
    unit_text, plan_text = cell_text(unit), cell_text(plan.name_zh)
    ws["A1"] = cell_text(f"{plan.name_zh}重点工作推进情况报送表（{period.label('zh')}）")
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws["A2"] = cell_text(f"填报单位：{unit}（牵头）　　报送期：{period.label('zh')}　　报送时限：{due.year}年{due.month}月{due.day}日前"
                         f"　　制表日期：{made.isoformat()}")  # fmt: skip
    ws["A2"].font = Font(name="宋体", size=11, bold=True)
    ws["A3"] = ("填报说明：灰色各列由县政府督查室填写，请勿改动；白色各列为本月填报内容。工作任务的“本月状态”请从下拉列表中选择"
                f"（{'、'.join(status_choices('zh'))}）；指标请在“本月数据”填写“数据时期”所列时期的数值（按目标所列单位）。"
                "进展情况请写明已完成的具体工作量和节点，佐证材料请写文件文号或材料名称。整行空白视为本月未报送该项。")
    ws["A3"].font = Font(name="宋体", size=9)
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    for r in (1, 2, 3):
        ws.merge_cells(f"A{r}:{last_col}{r}")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 20
    ws.row_dimensions[3].height = 38

    header = FIRST_ROW - 1
    for i, column in enumerate(COLUMNS):
        letter = LETTERS[column.role]
        cell = ws[f"{letter}{header}"]
        cell.value = column.title
        cell.font = Font(name="黑体", size=10, bold=True)
        cell.fill = header_fill if not column.answer else PatternFill("solid", fgColor="FFF2CC")
        cell.alignment = centre
        cell.border = border
        ws.column_dimensions[letter].width = column.width
    ws.row_dimensions[header].height = 32

    status_list = DataValidation(
        type="list", formula1='"' + ",".join(status_choices("zh")) + '"', allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle="状态", error="请从下拉列表中选择：" + "、".join(status_choices("zh")),
        showInputMessage=True, promptTitle="本月状态", prompt="从下拉列表中选择",
    )  # fmt: skip
    ws.add_data_validation(status_list)

    record_items: list[RecordRow] = []
    for n, row in enumerate(rows, start=1):
        r = FIRST_ROW + n - 1
        is_target = row["kind"] == "target"
        values = {"no": str(n), "key": cell_text(row["key"]), "name": cell_text(row["name"]), "aim": cell_text(row["aim"]),
                  "now": cell_text(row["now"]), "latest": cell_text(row["latest"]), "last": cell_text(row["last"]),
                  "figure_period": cell_text(row["figure_period"])}  # fmt: skip
        # What does not apply to the row is closed: a target's status follows from its figures;
        # a commitment has no figure; a target whose period has not ended has none this month.
        closed = {"status"} if is_target else {"figure"}
        if is_target and row["figure_as_of"] is None:
            closed.add("figure")
        height = 3
        for column in COLUMNS:
            cell = ws[f"{LETTERS[column.role]}{r}"]
            cell.border = border
            cell.font = body_font if column.role != "key" else Font(name="Arial", size=8)
            cell.alignment = centre if column.role in ("no", "status", "figure", "figure_period") else wrap_top
            if column.answer and column.role not in closed:
                cell.protection = Protection(locked=False)
                if column.role == "figure":
                    cell.number_format = "General"
            elif column.answer:
                cell.fill = closed_fill
                cell.value = "—"
            else:
                cell.value = values[column.role]
                cell.fill = locked_fill
                if column.role != "key":  # a key is in small print: two lines fit where the minimum row height is
                    height = max(height, _lines(values[column.role], column.width))
        if "status" not in closed:
            status_list.add(f"{LETTERS['status']}{r}")
        ws.row_dimensions[r].height = min(409, 13 * height + 6)
        record_items.append(RecordRow(r, row["key"], row["kind"], {role: values[role] for role in ("no", "key", "name", "figure_period")},
                                      row["figure_as_of"]))  # fmt: skip

    # Reading and printing: the header stays in view and is printed on every page; A4 landscape,
    # the columns fitted to the page width.
    ws.freeze_panes = f"D{FIRST_ROW}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = cell_text(f"{unit} · {period.label('zh')}").replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.print_area = f"A1:{last_col}{FIRST_ROW + len(rows) - 1}"

    # Protected: the unit writes in the answer columns only; rows may be made taller and columns
    # wider to write in, nothing inserted, deleted or sorted. No password: protection prevents
    # slips; `units collect` checks the key columns against the hidden record all the same.
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False

    record = SheetRecord(plan.key, plan_text, plan.year, unit_text, period.key, due.isoformat(), made.isoformat(), sheet_id,
                         SHEET_TITLE, FIRST_ROW, dict(LETTERS), record_items)  # fmt: skip
    hidden = book.create_sheet(RECORD_SHEET)
    for values_row in record_rows(record):
        hidden.append(values_row)  # its texts are the cells' own, already made safe
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)  # no sheet unhidden, renamed or added

    props = book.properties
    props.title = cell_text(f"报送表 {unit} {period.label('zh')}")
    props.subject = plan_text
    props.creator = "hnreport"
    props.keywords = f"hnreport {period.key} {sheet_id}"
    props.description = cell_text(f"{plan.key} · {unit} · {period.key} · {sheet_id}")
    for name, value in (("hnreport.plan", plan.key), ("hnreport.unit", unit_text), ("hnreport.period", period.key),
                        ("hnreport.sheet_id", sheet_id)):  # fmt: skip
        book.custom_doc_props.append(StringProperty(name=name, value=value))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
