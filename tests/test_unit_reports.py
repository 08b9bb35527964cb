"""The units' side of the month (issue 14): the 责任分工方案 read in one go (assign --from), the
报送表 written for each lead unit (units sheet), filled in as a unit would and read back (units
collect), and who has not reported (units missing).

Sheets are filled in here through openpyxl, cell by cell, as a unit's clerk would in Excel or WPS.
Every refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from helpers import as_json, assert_refused, by_key, dump, q
from hnreport.render.sheet import FIRST_ROW, LETTERS

DRC, TRANSPORT, HEALTH = "县发展和改革局", "县交通运输局", "县卫生健康局"
LONG = "一季度完成征地拆迁；二季度主体工程全面推进，完成投资计划的52%；" * 60  # a unit writes at length


# ── the month's world: three lead units, what they lead, what was reported before ─────────────
@pytest.fixture
def units_world(cli, seeded):
    for name, alias in ((DRC, "发改局"), (TRANSPORT, "交通局"), (HEALTH, "卫健局")):
        cli.ok("units", "add", name, "--alias", alias)
    for key, unit in (("key-project-investment", "发改局"), ("gdp", "发改局"), ("tugutang-bridge", "交通局"),
                      ("quanxi-bridge", "交通局"), ("projects-100m", "交通局"), ("epidemic-prevention", "卫健局")):  # fmt: skip
        cli.ok("assign", key, unit)
    cli.ok("assign", "tugutang-bridge", "县财政局", "--role", "support", "--new")
    cli.ok("record", "key-project-investment", "50", "--as-of", "2022-05")
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-06-25", "--progress", "主桥施工")
    return seeded


def rows_by_key(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)["报送表"]
    return {ws[f"{LETTERS['key']}{r}"].value: r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"{LETTERS['key']}{r}"].value}


def fill(path: Path, out: Path, answers: dict[str, dict[str, object]], edit=None) -> Path:
    """The sheet at ``path`` filled in as a unit would: ``answers`` key → role → value (status,
    figure, progress, problems, next_steps, source); ``edit(book)`` for anything else."""
    book = openpyxl.load_workbook(path)
    ws = book["报送表"]
    rows = rows_by_key(path)
    for key, cells in answers.items():
        for role, value in cells.items():
            ws[f"{LETTERS[role]}{rows[key]}"] = value
    if edit is not None:
        edit(book)
    book.save(out)
    return out


@pytest.fixture
def sheets(cli, units_world, tmp_path):
    folder = tmp_path / "发出" / "2022-07"  # not there yet: made for the month's sheets
    out = cli.ok("units", "sheet", "--all", "-o", str(folder)).stdout
    assert out.splitlines() == [
        f"wrote the 报送表 of {TRANSPORT} for 2022-07 (3 items, due 2022-07-25) to {folder / f'报送表-{TRANSPORT}-2022-07.xlsx'}",
        f"wrote the 报送表 of {HEALTH} for 2022-07 (1 items, due 2022-07-25) to {folder / f'报送表-{HEALTH}-2022-07.xlsx'}",
        f"wrote the 报送表 of {DRC} for 2022-07 (2 items, due 2022-07-25) to {folder / f'报送表-{DRC}-2022-07.xlsx'}",
    ]
    return {name: folder / f"报送表-{name}-2022-07.xlsx" for name in (DRC, TRANSPORT, HEALTH)}


def returned(sheets, tmp_path) -> list[Path]:
    """The two units that send their sheets back, as they filled them in (卫健局 does not)."""
    back = tmp_path / "收回"
    back.mkdir()
    drc = fill(sheets[DRC], back / "发改局.xlsx", {
        "key-project-investment": {"figure": 72.5, "progress": LONG, "problems": "个别项目融资未落实", "next_steps": "加快在建项目进度"},
    })  # gdp left blank
    transport = fill(sheets[TRANSPORT], back / "交通局.xlsx", {
        "tugutang-bridge": {"status": "已完成", "progress": "大桥于7月10日建成通车", "source": "衡南交通〔2022〕21号"},
        "quanxi-bridge": {"status": "滞后/停滞", "problems": "汛期停工", "next_steps": "8月复工"},
        "projects-100m": {"figure": "21个"},
    })  # fmt: skip
    return [drc, transport]


# ── the 报送表 as written ────────────────────────────────────────────────────────────────────
def test_a_sheet_holds_the_units_items_with_open_answer_columns_and_its_record(cli, sheets):
    book = openpyxl.load_workbook(sheets[TRANSPORT])
    assert book.sheetnames == ["报送表", "hnreport"]
    assert book["hnreport"].sheet_state == "veryHidden"
    assert book.security.lockStructure
    ws = book["报送表"]
    rows = rows_by_key(sheets[TRANSPORT])
    assert list(rows) == ["projects-100m", "tugutang-bridge", "quanxi-bridge"]  # targets, then commitments, in report order
    bridge, projects = rows["tugutang-bridge"], rows["projects-100m"]
    assert ws["A2"].value.startswith(f"填报单位：{TRANSPORT}（牵头）　　报送期：2022年7月　　报送时限：2022年7月25日前")
    assert [ws[f"{LETTERS[r]}{bridge}"].value for r in ("name", "aim", "now", "last")] == [
        "土谷塘大桥通车", "2022-12-31\n（推定）", "▶ 推进中", "（2022-06-25）\n进展：主桥施工"]
    assert [ws[f"{LETTERS[r]}{projects}"].value for r in ("aim", "figure_period", "status")] == ["≥35个\n（单位：个）", "2022年1-6月", "—"]
    # protected, but the answer columns of each row open; the status a drop-down on commitment rows
    assert ws.protection.sheet and not ws.protection.formatRows
    assert ws[f"{LETTERS['key']}{bridge}"].protection.locked
    assert not ws[f"{LETTERS['status']}{bridge}"].protection.locked
    assert ws[f"{LETTERS['status']}{projects}"].protection.locked  # a target's status follows from its figures
    assert not ws[f"{LETTERS['figure']}{projects}"].protection.locked
    [status_list] = ws.data_validations.dataValidation
    assert status_list.formula1 == '"未启动,推进中,已完成,滞后/停滞,已调整/取消"'
    assert str(status_list.sqref) == f"{LETTERS['status']}{bridge} {LETTERS['status']}{rows['quanxi-bridge']}"
    # A4 landscape, one page wide, the header repeated on every page
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth) == ("landscape", 9, 1)
    assert ws.print_title_rows == f"${FIRST_ROW - 1}:${FIRST_ROW - 1}"
    assert ws.freeze_panes == f"D{FIRST_ROW}"
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert (props["hnreport.unit"], props["hnreport.period"], props["hnreport.plan"]) == (TRANSPORT, "2022-07", "hengnan-2022")


def test_report_due_day_decides_the_month_a_sheet_is_for(cli, units_world, tmp_path):
    cli.ok("config", "set", "report.due_day", "10")  # 07-15 is past the 10th: the next report due is August's
    out = cli.ok("units", "sheet", "发改局", "-o", str(tmp_path / "a.xlsx")).stdout
    assert out == f"wrote the 报送表 of {DRC} for 2022-08 (2 items, due 2022-08-10) to {tmp_path / 'a.xlsx'}\n"
    out = cli.ok("units", "sheet", "发改局", "-o", str(tmp_path / "b.xlsx"), "--period", "2022年7月").stdout
    assert "for 2022-07 (2 items, due 2022-07-10)" in out
    assert as_json(cli.ok("config", "show", "--format", "json"))["report.due_day"] == 10


@pytest.mark.parametrize("value", ["0", "29", "25日", "²"])
def test_a_due_day_that_is_no_day_of_every_month_is_refused(cli, seeded, value):
    before = dump(seeded)
    assert_refused(cli("config", "set", "report.due_day", value), before, seeded,
                   line="error: report.due_day takes a day of the month from 1 to 28 (when the units' reports are due), e.g. 25")  # fmt: skip


@pytest.mark.parametrize(("args", "line"), [
    (["units", "sheet", "县财政局", "-o", "x.xlsx"], "error: 县财政局 leads no item, so it has nothing to report (assign items with 'hnreport assign')"),
    (["units", "sheet", "发改局", "-o", "x.csv"], "error: x.csv: a 报送表 is an .xlsx file; give a name ending in .xlsx"),
    (["units", "sheet", "-o", "x.xlsx"], "error: name a unit, or use --all for one sheet per lead unit"),
    (["units", "sheet", "--all", "-o", "x.xlsx"], "error: --all writes one file per lead unit: give a folder with -o (made if missing), not the file x.xlsx"),
    (["units", "sheet", "发改局", "-o", "x.xlsx", "--period", "2022Q3"], "error: --period names one month, e.g. 2022-07 or 2022年7月 (got '2022Q3')"),
    (["units", "sheet", "发改局", "-o", "x.xlsx", "--period", "2023-01"], "error: 2023-01 is outside the plan year 2022"),
])  # fmt: skip
def test_units_sheet_refuses_in_one_line(cli, units_world, tmp_path, monkeypatch, args, line):
    monkeypatch.chdir(tmp_path)
    before = dump(units_world)
    assert_refused(cli(*args), before, units_world, line=line)
    assert not (tmp_path / "x.xlsx").exists()


def test_an_existing_sheet_is_replaced_only_with_force(cli, units_world, tmp_path):
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"keep")
    assert_refused(cli("units", "sheet", "发改局", "-o", str(out)), line=f"error: {out} exists; add --force to replace it")
    assert out.read_bytes() == b"keep"
    cli.ok("units", "sheet", "发改局", "-o", str(out), "--force")
    assert rows_by_key(out) == {"gdp": FIRST_ROW, "key-project-investment": FIRST_ROW + 1}


# ── the round trip ───────────────────────────────────────────────────────────────────────────
def test_returned_sheets_are_collected_as_one_change_and_units_missing_names_who_did_not(cli, sheets, tmp_path):
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    drc, transport = returned(sheets, tmp_path)
    before = dump(db)
    dry = cli.ok("units", "collect", str(drc), str(transport), "--dry-run").stdout
    assert dump(db) == before
    assert dry.splitlines()[-2:] == [
        f"would collect {drc}: {DRC}, 2022-07 — 1 reported (0 status(es), 1 figure(s)), 0 unchanged, 1 left blank",
        f"would collect {transport}: {TRANSPORT}, 2022-07 — 3 reported (2 status(es), 1 figure(s)), 0 unchanged, 0 left blank",
    ]
    assert "▶ 推进中 → ✓ 已完成；进展/问题/措施/佐证" in dry and "数据 50亿元 → 72.5亿元 (2022-06-30)" not in dry  # 50 was for May
    assert "数据 — → 72.5亿元 (2022-06-30)" in dry and "未填（本月未报该项）" in dry

    out = cli.ok("units", "collect", str(drc), str(transport)).stdout
    assert out.splitlines()[-1].startswith("change ") and out.splitlines()[-1].endswith("; 'hnreport undo' reverts the whole collect")
    # statuses and texts, as milestones set records them, as of the day they came in
    ms = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))
    assert [(ms[k]["status"], ms[k]["status_as_of"]) for k in ("tugutang-bridge", "quanxi-bridge", "epidemic-prevention")] == [
        ("done", "2022-07-15"), ("stalled", "2022-07-15"), ("not_rated", None)]
    shown = cli.ok("milestones", "show", "tugutang-bridge").stdout
    assert "大桥于7月10日建成通车" in shown and "衡南交通〔2022〕21号" in shown
    assert "汛期停工" in cli.ok("milestones", "show", "quanxi-bridge").stdout
    # figures, recorded as record records them, for the period the sheet asked for
    [kpi, _may] = as_json(cli.ok("history", "key-project-investment", "--format", "json"))
    assert (kpi["value"], kpi["as_of"], kpi["source"], kpi["note"], kpi["state"]) == (72.5, "2022-06-30", f"{DRC}报送表（2022年7月）", LONG.strip(), "current")
    [projects] = as_json(cli.ok("history", "projects-100m", "--format", "json"))
    assert (projects["value"], projects["as_of"], projects["source"]) == (21.0, "2022-06-30", f"{TRANSPORT}报送表（2022年7月）")
    # one journal change for the whole collect
    log = as_json(cli.ok("log", "--format", "json"))
    assert [e["action"] for e in log].count("units.collect") == 1 and log[-1]["action"] == "units.collect"
    assert log[-1]["summary"] == (f"collected {DRC} 2022-07 from {drc}: 0 status(es), 1 figure(s), 0 unchanged, 1 blank; "
                                  f"{TRANSPORT} 2022-07 from {transport}: 2 status(es), 1 figure(s), 0 unchanged, 0 blank")  # fmt: skip

    missing = as_json(cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "json"))
    for entry in missing["blank"]:
        assert entry.pop("collected_at").startswith("20")
    assert missing == {
        "plan": "hengnan-2022",  # every JSON object names its plan (issue 18)
        "period": "2022-07", "due": "2022-07-25", "as_of": "2022-07-26",
        "not_reported": [{"unit": HEALTH, "items": ["epidemic-prevention"]}],
        "blank": [{"unit": DRC, "file": str(drc), "items": ["gdp"]}],
        "reported": [TRANSPORT],
    }  # fmt: skip
    table = cli.ok("units", "missing", "--as-of", "2022-07-26").stdout
    assert "2022年7月报送情况（截止 2022-07-25）：已报送 1 个单位，未报送 1 个，有未填项 1 个" in table
    assert "未报送" in table and "常态化疫情防控和全民免疫屏障（epidemic-prevention）" in table
    assert cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "csv").stdout.splitlines()[:2] == [
        "period,unit,state,items,collected_at", f"2022-07,{HEALTH},not_reported,epidemic-prevention,"]

    # the same sheets again: nothing changes, and nothing is journalled
    again = dump(db)
    out = cli.ok("units", "collect", str(drc), str(transport)).stdout
    assert out.splitlines()[-1] == "nothing changed: every sheet was collected before as it is"
    assert dump(db) == again
    assert cli.ok("db", "check").stdout.startswith("ok:")


def test_undo_reverts_a_whole_collect(cli, sheets, tmp_path):
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    files = returned(sheets, tmp_path)
    before = {"milestones": as_json(cli.ok("milestones", "list", "--format", "json")),
              "history": as_json(cli.ok("history", "key-project-investment", "--format", "json")),
              "missing": as_json(cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "json"))}  # fmt: skip
    cli.ok("units", "collect", *map(str, files))
    out = cli.ok("undo").stdout
    assert out.startswith("undone change ") and f"collected {DRC} 2022-07" in out
    after = {"milestones": as_json(cli.ok("milestones", "list", "--format", "json")),
             "history": as_json(cli.ok("history", "key-project-investment", "--format", "json")),
             "missing": as_json(cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "json"))}  # fmt: skip
    assert after == before
    assert before["missing"]["not_reported"] == [{"unit": TRANSPORT, "items": ["projects-100m", "tugutang-bridge", "quanxi-bridge"]},
                                                 {"unit": HEALTH, "items": ["epidemic-prevention"]},
                                                 {"unit": DRC, "items": ["gdp", "key-project-investment"]}]  # fmt: skip
    assert q(db, "SELECT count(*) FROM unit_reports") == [(2,)]  # kept, hidden: undo deletes nothing
    cli.ok("redo")
    assert by_key(as_json(cli.ok("milestones", "list", "--format", "json")))["tugutang-bridge"]["status"] == "done"


def test_a_collect_survives_export_and_restore(cli, sheets, tmp_path, monkeypatch):
    cli.ok("units", "collect", *map(str, returned(sheets, tmp_path)))
    exported = as_json(cli.ok("export"))
    assert [(r["unit"], r["period"]) for r in exported["unit_reports"]] == [(DRC, "2022-07"), (TRANSPORT, "2022-07")]
    assert [(i["key"], i["answer"]) for i in exported["unit_report_items"]] == [
        ("gdp", "blank"), ("key-project-investment", "reported"), ("projects-100m", "reported"), ("tugutang-bridge", "reported"),
        ("quanxi-bridge", "reported")]  # fmt: skip
    missing = cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "json").stdout
    (tmp_path / "e.json").write_text(json.dumps(exported), encoding="utf-8")
    monkeypatch.setenv("HNREPORT_DB", str(tmp_path / "restored.db"))
    cli.ok("import", str(tmp_path / "e.json"))
    assert cli.ok("units", "missing", "--as-of", "2022-07-26", "--format", "json").stdout == missing
    cli.ok("db", "check")


# ── refusals: the file, sheet, row and cell named; the database as it was ───────────────────
def _record_field(name: str, value):
    def edit(book):
        ws = book["hnreport"]
        for row in ws.iter_rows():
            if row[0].value == name:
                row[1].value = value

    return edit


@pytest.mark.parametrize(("answers", "edit", "extra", "line"), [
    ({"tugutang-bridge": {"status": "基本完成"}}, None, [],
     "error: {f}, sheet '报送表', row 6, cell H6: '基本完成' is not a status; choose one of: 未启动、推进中、已完成、滞后/停滞、已调整/取消"),
    ({"projects-100m": {"figure": "二十一个"}}, None, [],
     "error: {f}, sheet '报送表', row 5, cell J5: '二十一个' is not a number; give a plain number in 个 such as 8.7"),
    ({"projects-100m": {"figure": -3}}, None, [],
     "error: {f}, sheet '报送表', row 5, cell J5: '-3' is negative, but this figure cannot be below zero"),
    ({}, lambda book: book["报送表"].__setitem__("C6", "土谷塘大桥建成通车"), [],
     "error: {f}, sheet '报送表', row 6, cell C6: the 事项 (item) column was changed ('土谷塘大桥建成通车'; the sheet was made with "
     "'土谷塘大桥通车'); key columns cannot be edited — have the unit fill in the sheet as it was sent"),
    ({}, lambda book: book["报送表"].__setitem__("B7", "tugutang-bridge"), [],
     "error: {f}, sheet '报送表', row 7, cell B7: the 代码 (key) column was changed ('tugutang-bridge'; the sheet was made with "
     "'quanxi-bridge'); key columns cannot be edited — have the unit fill in the sheet as it was sent"),
    ({}, lambda book: book["报送表"].__setitem__("K9", "另加一项"), [],
     "error: {f}, sheet '报送表', row 9, cell K9: a row the sheet was not made with ('另加一项'); fill in the rows the sheet has"),
    ({"projects-100m": {"status": "已完成"}}, None, [],
     "error: {f}, sheet '报送表', row 5, cell H5: a target's status follows from its figures, so its 本月状态 stays empty (found '已完成')"),
    ({}, _record_field("plan", "changsha-2022"), [],
     "error: {f} is a 报送表 of the plan '衡南县2022年政府工作报告' (changsha-2022), not of '衡南县2022年政府工作报告' (hengnan-2022)"),
    ({}, _record_field("period", "2022-05"), [],
     "error: {f} is the 报送表 for 2022-05; collecting 2022-06 / 2022-07 (by report.due_day (25) and today, 2022-07-15: "
     "the last period due and the next); add --period 2022-05 to collect it"),
    ({}, None, ["--period", "2022-08"],
     "error: {f} is the 报送表 for 2022-07; collecting 2022-08 (as --period says); add --period 2022-07 to collect it"),
    ({}, None, ["--unit", "发改局"], f"error: {{f}} is the 报送表 of {TRANSPORT}, not of {DRC}"),
])  # fmt: skip
def test_a_returned_sheet_that_cannot_be_taken_is_refused_with_its_cell(cli, sheets, tmp_path, answers, edit, extra, line):
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    path = fill(sheets[TRANSPORT], tmp_path / "back.xlsx", {"tugutang-bridge": {"status": "已完成"}, **answers}, edit)
    before = dump(db)
    assert_refused(cli("units", "collect", str(path), *extra), before, db, line=line.format(f=path))


def test_several_problems_are_each_one_line_and_nothing_is_collected(cli, sheets, tmp_path):
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    path = fill(sheets[TRANSPORT], tmp_path / "back.xlsx", {"tugutang-bridge": {"status": "差不多"}, "projects-100m": {"figure": "很多"}})
    before = dump(db)
    result = cli("units", "collect", str(path))
    assert result.exit_code == 1 and dump(db) == before
    assert result.stderr.splitlines() == [
        f"error: {path}, sheet '报送表', row 5, cell J5: '很多' is not a number; give a plain number in 个 such as 8.7",
        f"{path}, sheet '报送表', row 6, cell H6: '差不多' is not a status; choose one of: 未启动、推进中、已完成、滞后/停滞、已调整/取消",
        f"2 problem(s) in {path}; nothing was collected",
    ]


def test_a_workbook_hnreport_did_not_make_is_refused(cli, units_world, tmp_path):
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["代码", "本月进展情况"])
    book.save(plain)
    before = dump(units_world)
    assert_refused(cli("units", "collect", str(plain)), before, units_world, line=(
        f"error: {plain} is not a 报送表 made by hnreport (it has no hidden 'hnreport' record); send units the sheets "
        "'hnreport units sheet' makes"))  # fmt: skip
    assert_refused(cli("units", "collect", str(tmp_path / "x.csv")), before, units_world,
                   line=f"error: {tmp_path / 'x.csv'} is not an .xlsx workbook; a 报送表 is an .xlsx file")  # fmt: skip


def test_two_sheets_of_one_unit_and_month_in_one_collect_are_refused(cli, sheets, tmp_path):
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    a = fill(sheets[DRC], tmp_path / "a.xlsx", {"gdp": {"progress": "一"}})
    b = fill(sheets[DRC], tmp_path / "b.xlsx", {"gdp": {"progress": "二"}})
    before = dump(db)
    assert_refused(cli("units", "collect", str(a), str(b)), before, db,
                   line=f"error: {b} and {a} are both the 报送表 of {DRC} for 2022-07; collect one of them")  # fmt: skip


def test_a_late_sheet_is_collected_for_its_own_month(cli, sheets, tmp_path, monkeypatch):
    path = fill(sheets[TRANSPORT], tmp_path / "late.xlsx", {"tugutang-bridge": {"status": "已完成"}})
    monkeypatch.setenv("HNREPORT_TODAY", "2022-08-03")  # July's report, due 07-25, comes in on 08-03
    cli.ok("units", "collect", str(path))
    ms = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))
    assert (ms["tugutang-bridge"]["status"], ms["tugutang-bridge"]["status_as_of"]) == ("done", "2022-07-25")
    missing = as_json(cli.ok("units", "missing", "--format", "json"))  # 08-03: July's is the last report due
    assert (missing["period"], [(b["unit"], b["items"]) for b in missing["blank"]]) == (
        "2022-07", [(TRANSPORT, ["projects-100m", "quanxi-bridge"])])


# ── the 责任分工方案 ─────────────────────────────────────────────────────────────────────────
def allocation_workbook(path: Path, *, unknown_unit: bool = True) -> Path:
    """As an office keeps it: a title and a 文号 above a two-row header (责任单位 over 牵头 | 配合),
    a heading row, a lead unit merged down over two tasks, several units in a cell, a task in the
    report's own words, a 牵头县领导 column hnreport does not read."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "分工方案"
    ws.append(["衡南县2022年政府工作报告重点工作责任分工方案"])
    ws.append(["衡南政办发〔2022〕5号"])
    ws.append(["序号", "工作任务", "牵头县领导", "责任单位", None, "完成时限"])
    ws.append([None, None, None, "牵头单位", "配合单位", None])
    ws.append(["一、稳增长"])
    ws.append([1, "土谷塘大桥通车", "张三", "交通局", "县财政局、县自然资源局" if unknown_unit else "县财政局", "6月底前主桥合龙，9月底前建成通车"])
    ws.append([2, "泉溪大桥危桥改造", "张三", None, "县财政局/县发改局", "2022年10月"])
    ws.append([3, "加速构建全民免疫屏障", "李四", "卫健局", None, "年底前"])
    ws.append([4, "重点项目完成投资", "王五", "县发改局（牵头）、县财政局", None, "12月底"])
    for cells in ("A1:F1", "A2:F2", "D3:E3", "A3:A4", "B3:B4", "C3:C4", "F3:F4", "A5:F5", "D6:D7"):
        ws.merge_cells(cells)
    book.save(path)
    return path


def test_a_responsibility_plan_is_shown_refused_for_an_unknown_unit_then_assigned(cli, seeded, tmp_path):
    for name, alias in ((DRC, "县发改局"), (TRANSPORT, "交通局"), (HEALTH, "卫健局"), ("县财政局", None)):
        cli.ok("units", "add", name, *(("--alias", alias) if alias else ()))
    plan = allocation_workbook(tmp_path / "分工方案.xlsx")
    before = dump(seeded)
    result = cli("assign", "--from", str(plan), "--dry-run")
    assert_refused(result, before, seeded, line=(
        f"error: {plan}, sheet '分工方案', row 6, cell E6: unknown unit '县自然资源局'; add it (or an alias) "
        "with 'hnreport units add', or give --new-units to create the units the file names"))  # fmt: skip
    table = result.stdout
    for cell in ("tugutang-bridge（土谷塘大桥通车）· 名称", "epidemic-prevention（常态化疫情防控和全民免疫屏障）· 原文",
                 "key-project-investment（重点项目完成投资）· 名称", "牵头 — → 县交通运输局", "时限 — → 2022-09-30",
                 "+节点 2022-06-30", "多个牵头单位：第一个牵头，其余记为配合", "指标无完成时限，未记"):  # fmt: skip
        assert cell in table, cell
    assert_refused(cli("assign", "--from", str(plan)), before, seeded)

    dry = cli.ok("assign", "--from", str(plan), "--new-units", "--dry-run")
    assert dump(seeded) == before
    assert dry.stdout.splitlines()[-1] == ("would assign from " + str(plan) + ": 4 item(s): 4 lead(s), 5 supporting unit(s), "
                                          "3 deadline(s) to set, 1 new unit(s): 县自然资源局")  # fmt: skip
    assert "县自然资源局 (新)" in dry.stdout
    assert dry.stderr == "note: row(s) 5 name no unit and no deadline (headings?): skipped\n"

    out = cli.ok("assign", "--from", str(plan), "--new-units").stdout
    assert out.splitlines()[-1].startswith(f"assigned from {plan}: 4 item(s): 4 lead(s), 5 supporting unit(s), 3 deadline(s) to set")
    units = {u["name"]: u for u in as_json(cli.ok("units", "--format", "json"))}
    assert units[TRANSPORT]["lead"] == {"targets": [], "milestones": ["tugutang-bridge", "quanxi-bridge"]}  # merged down over two rows
    assert units[HEALTH]["lead"] == {"targets": [], "milestones": ["epidemic-prevention"]}
    assert units[DRC]["lead"] == {"targets": ["key-project-investment"], "milestones": []}
    assert units[DRC]["support"] == {"targets": [], "milestones": ["quanxi-bridge"]}
    assert units["县财政局"]["support"] == {"targets": ["key-project-investment"], "milestones": ["tugutang-bridge", "quanxi-bridge"]}
    assert units["县自然资源局"]["support"] == {"targets": [], "milestones": ["tugutang-bridge"]}
    ms = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))
    assert [(ms[k]["due"], ms[k]["due_implied"]) for k in ("tugutang-bridge", "quanxi-bridge", "epidemic-prevention")] == [
        ("2022-09-30", False), ("2022-10-31", False), ("2022-12-31", False)]
    assert ms["tugutang-bridge"]["nodes"] == [{"date": "2022-06-30", "text": "6月底前主桥合龙", "mark": None, "note": None}]
    log = as_json(cli.ok("log", "--format", "json"))
    assert [e["action"] for e in log].count("assign.from") == 1

    # idempotent: the same file again changes nothing and journals nothing
    again = dump(seeded)
    out = cli.ok("assign", "--from", str(plan), "--new-units").stdout
    assert out == f"{plan}: nothing to change — every assignment and deadline in it is already recorded\n"
    assert dump(seeded) == again
    # one undo reverts it all, the new unit included
    cli.ok("undo")
    assert [u["name"] for u in as_json(cli.ok("units", "--format", "json"))] == [DRC, TRANSPORT, HEALTH, "县财政局"]
    assert by_key(as_json(cli.ok("milestones", "list", "--format", "json")))["tugutang-bridge"]["due_implied"] is True


def test_an_ambiguous_or_unknown_task_is_listed_with_suggestions(cli, seeded, tmp_path):
    cli.ok("units", "add", "县公安局")
    path = tmp_path / "plan.csv"
    path.write_text("序号,重点工作,牵头单位,协办单位,时间节点\n"
                    "1,持续推进村、学校“雪亮工程”和“两所一庭一队”提升改造,县公安局,,长期坚持\n"
                    "2,坚决遏制较大安全事故,县公安局,,\n"
                    "3,建成县城第二自来水厂,县公安局,,2022年底\n", encoding="utf-8")  # fmt: skip
    before = dump(seeded)
    result = cli("assign", "--from", str(path))
    assert result.exit_code == 1 and dump(seeded) == before
    assert result.stderr.splitlines() == [
        f"error: {path}, row 2, cell B2: '持续推进村、学校“雪亮工程”和“两所一庭一队”提升改造' matches 2 items: "
        "'sharp-eyes-upgrade（村、学校\"雪亮工程\"提升改造）' or 'police-court-upgrade（\"两所一庭一队\"提升改造）'; "
        "write one's key or exact name in the cell",
        f"{path}, row 4, cell B4: no item matches '建成县城第二自来水厂' — did you mean 'township-waterworks（乡镇自来水厂提质改造）'?; "
        "write the item's key or its exact name in the cell",
        f"2 problem(s) in {path}; nothing was assigned",
    ]  # fmt: skip
    assert "major-accident-prevention（坚决遏制较大安全事故发生）· 原文" in result.stdout  # row 3: in the report's words


@pytest.mark.parametrize(("rows", "line"), [
    ("序号,工作任务,牵头单位,完成时限\n1,土谷塘大桥通车,县交通运输局,国庆前后\n",
     "error: {f}, row 2, cell D2: cannot read the deadline '国庆前后'; write it as 2022年9月底前, 9月30日, 2022-09-30 or 年底前"),
    ("标题\n序号,任务名称,备注\n1,土谷塘大桥通车,\n",
     "error: {f}: no header with 工作任务 (task) and 牵头单位 (lead unit) in its first 20 rows (the first row reads: 标题)"),
    ("工作任务,牵头单位\n土谷塘大桥通车,县交通运输局\n土谷塘大桥通车,县财政局\n",
     "error: {f}, row 3, cell B3: tugutang-bridge is led by 县财政局 here but by 县交通运输局 on row 2; an item has one lead unit"),
])  # fmt: skip
def test_a_plan_file_that_cannot_be_read_is_refused(cli, seeded, tmp_path, rows, line):
    for name in (TRANSPORT, "县财政局"):
        cli.ok("units", "add", name)
    path = tmp_path / "plan.csv"
    path.write_text(rows, encoding="utf-8")
    before = dump(seeded)
    assert_refused(cli("assign", "--from", str(path)), before, seeded, line=line.format(f=path))


def test_assign_takes_a_key_and_a_unit_or_a_file(cli, seeded, tmp_path):
    before = dump(seeded)
    assert_refused(cli("assign", "gdp"), before, seeded,
                   line="error: give an item's key and a unit (hnreport assign KEY UNIT), or a 分工方案 with --from FILE")  # fmt: skip
    assert_refused(cli("assign", "gdp", "县发改局", "--from", str(tmp_path / "x.csv")), before, seeded,
                   line="error: --from assigns from a file; give KEY and UNIT only without it")  # fmt: skip


def test_a_hostile_workbook_is_refused_before_it_is_parsed(cli, units_world, tmp_path):
    from helpers import xlsx_with_dtd

    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_with_dtd())
    before = dump(units_world)
    line = f"error: {bomb}: its part xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE/<!ENTITY), which no .xlsx workbook has; not read"
    assert_refused(cli("units", "collect", str(bomb)), before, units_world, line=line)
    assert_refused(cli("assign", "--from", str(bomb)), before, units_world, line=line)


def test_formula_like_names_are_written_as_text(cli, units_world, tmp_path):
    cli.ok("milestones", "add", "my-formula", "--name-zh", '=HYPERLINK("http://x","点我")', "--section", "livelihood")
    cli.ok("assign", "my-formula", "发改局")
    path = tmp_path / "s.xlsx"
    cli.ok("units", "sheet", "发改局", "-o", str(path))
    ws = openpyxl.load_workbook(path)["报送表"]
    row = rows_by_key(path)["my-formula"]
    cell = ws[f"{LETTERS['name']}{row}"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x","点我")', "s")
    fill(path, path, {"my-formula": {"status": "推进中"}})
    cli.ok("units", "collect", str(path))  # the key columns read back as they were written
    assert by_key(as_json(cli.ok("milestones", "list", "--format", "json")))["my-formula"]["status"] == "in_progress"


def test_a_units_figure_keeps_its_decimals_and_is_held_to_the_plausibility_rule(cli, sheets, tmp_path):
    """A figure a unit reports is recorded as any figure is: the decimals it was written with,
    and an implausible magnitude listed and written only with --yes, flagged."""
    back = tmp_path / "收回"
    back.mkdir()
    typo = fill(sheets[DRC], back / "发改局.xlsx", {"key-project-investment": {"figure": "725.0亿元"}})  # 725 for 72.5
    db = sheets[DRC].parent.parent.parent / "hnreport.db"
    before = dump(db)
    refused = cli("units", "collect", str(typo))
    assert refused.exit_code == 1 and dump(db) == before
    assert f"{typo}: key-project-investment: 725.0亿元" in refused.stderr
    assert refused.stderr.splitlines()[-1] == (
        "error: 1 figure(s) in the returned sheets look implausible (above); check them with the unit and add --yes to collect "
        "them anyway (they are flagged); nothing was collected")
    cli.ok("units", "collect", str(typo), "--yes")
    [kpi, _may] = as_json(cli.ok("history", "key-project-investment", "--format", "json"))
    assert (kpi["value"], kpi["decimals"], kpi["flag"]) == (725.0, 1, "implausible")


def test_a_units_figure_written_with_decimals_keeps_them(cli, sheets, tmp_path):
    back = tmp_path / "收回"
    back.mkdir()
    path = fill(sheets[DRC], back / "发改局.xlsx", {"key-project-investment": {"figure": "72.50"}})
    cli.ok("units", "collect", str(path))
    [kpi, _may] = as_json(cli.ok("history", "key-project-investment", "--format", "json"))
    assert (kpi["value"], kpi["decimals"], kpi["flag"]) == (72.5, 2, None)


@pytest.mark.parametrize("written", ["0000年底", "2022年2月30日", "2022年13月底前"])
def test_a_deadline_with_no_such_day_is_unclear_not_a_crash(written):
    from hnreport.domain.allocation import DeadlineUnclear, parse_deadline

    with pytest.raises(DeadlineUnclear):
        parse_deadline(written, 2022)


def test_assign_from_a_plan_with_an_impossible_year_end_is_one_line(cli, seeded, tmp_path, db_path):
    plan = tmp_path / "分工.csv"
    plan.write_text("序号,工作任务,牵头单位,配合单位,完成时限\n1,土谷塘大桥通车,县交通运输局,,0000年底\n", encoding="utf-8")
    before = dump(db_path)
    result = cli("assign", "--from", str(plan), "--new-units")
    assert result.exit_code == 1 and "Traceback" not in result.stderr + result.stdout
    assert "0000年底" in result.stderr and dump(db_path) == before
