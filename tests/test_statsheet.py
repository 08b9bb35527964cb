"""A bureau's table goes in as printed (issue 13): the 统计月报 sheet in .xlsx (merged title,
two-row headers, percent-formatted cells), GBK CSV, text pasted on stdin and a wide monthly
sheet; the names tables print (aliases); the pieces underneath (tables.find_table,
domain.names, domain.values.convert_amount)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import as_json, assert_refused, dump, q

openpyxl = pytest.importorskip("openpyxl")

WIDE = {"COLUMNS": "400"}  # table rows on one line each, so tests read them whole


# ── building the sheets as bureaus print them ──────────────────────────────────────────────
TITLE = "衡南县2022年1-6月主要经济指标"
# (name, unit, 6月 本月, 本月同比, 1-6月 累计, 累计同比); the sheet's rows start on line 4
ROWS = [
    ("地区生产总值", "亿元", None, None, 186.52, 0.051),  # line 4: 同比 as a percentage cell
    ("  其中:第一产业增加值", "亿元", None, None, 20.1, 0.032),  # line 5: an indented sub-item
    ("规模以上工业增加值", "%", None, 7.6, None, 7.2),  # line 6
    ("固定资产投资", "%", None, None, None, 10.3),  # line 7
    ("社会消费品零售总额", "亿元", 12.3, 5.5, 70.25, 8.9),  # line 8
    ("进出口总额", "万美元", 800, 20.1, 5300, 16.3),  # line 9: trade's rate; not foreign-trade's 亿元
    ("一般公共预算收入", "万元", None, None, 98000, 7.1),  # line 10: a near miss, never revenue
    ("其中:地方一般公共预算收入", "万元", None, None, 62000, 6.8),  # line 11: revenue
    ("全体居民人均可支配收入", "元", None, None, 15321, 8.6),  # line 12
    ("#民间投资", "%", None, None, None, "—"),  # line 13
    ("重点项目完成投资", "万元", None, None, 720000, "—"),  # line 14: 72 亿元
    ("注:地区生产总值为初步核算数。",),  # line 15
]
EXPECTED = {  # target → value as recorded (the target's unit)
    "gdp": 5.1, "industry": 7.2, "investment": 10.3, "retail": 8.9, "trade": 16.3, "revenue": 6.8, "income": 8.6,
    "key-project-investment": 72.0,
}  # fmt: skip
SKIPPED = [  # (line, name, target, reason) as the import lists them
    ("5", "其中:第一产业增加值", "—", "a sub-item (其中/#/indented), not a target of the plan"),
    ("9", "进出口总额", "foreign-trade", "the unit 万美元 (1-6月 累计) does not convert to the target's 亿元"),
    ("10", "一般公共预算收入", "—", "not a target of the plan — did you mean '地方一般公共预算收入' (revenue)? a different "
     "statistic is never taken for it; if it is the same, add the name with 'hnreport targets alias'"),
    ("13", "#民间投资", "—", "a sub-item (其中/#/indented), not a target of the plan"),
    ("15", "注:地区生产总值为初步核算数。", "—", "a footnote"),
]  # fmt: skip


def bureau_xlsx(path, rows=ROWS, *, title=TITLE, sheet="主要指标", percent=("F4",), extra_sheet=False):
    """The sheet as printed: a merged title, a two-row header with merged group cells."""
    book = openpyxl.Workbook()
    ws = book.active
    if extra_sheet:  # a cover sheet first: --sheet picks the table
        ws.title = "封面"
        ws.append(["统计月报"])
        ws = book.create_sheet(sheet)
    else:
        ws.title = sheet
    ws.append([title])
    ws.merge_cells("A1:F1")
    ws.append(["指标名称", "计量单位", "6月", None, "1-6月", None])
    ws.append([None, None, "本月", "同比增长(%)", "累计", "同比增长(%)"])
    for cells in ("A2:A3", "B2:B3", "C2:D2", "E2:F2"):
        ws.merge_cells(cells)
    for row in rows:
        ws.append(list(row))
    for ref in percent:
        ws[ref].number_format = "0.0%"
    book.save(path)
    return path


def bureau_csv_text(rows=ROWS) -> str:
    """The same table in one header row, as the issue shows it: a 同比 column belongs to the
    figure on its left."""
    lines = [TITLE, "指标名称,计量单位,6月,同比增长(%),1-6月累计,同比增长(%)"]
    for row in rows:
        cells = ["" if c is None else (f"{c * 100:.1f}" if c == 0.051 else str(c)) for c in row]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def history(cli, key):
    return [(h["value"], h["as_of"], h["source"]) for h in as_json(cli.ok("history", key, "--format", "json"))]


def table_rows(stdout: str, title: str) -> list[list[str]]:
    """The rows of the table titled ``title``, each a list of its cells (rich's box drawing)."""
    lines = stdout.splitlines()
    # (the title line names the plan first: 衡南县2022年政府工作报告 — 未导入的行)
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title) or f" — {title}" in line)
    rows = []
    for line in lines[start + 4 :]:
        if not line.startswith("│"):
            break
        rows.append([cell.strip() for cell in line.strip("│").split("│")])
    return rows


def check_imported(cli, source: str) -> None:
    for key, value in EXPECTED.items():
        assert history(cli, key) == [(value, "2022-06-30", source)], key
    assert history(cli, "foreign-trade") == []


# ── the sheet as printed, in each form ──────────────────────────────────────────────────────
def test_the_bureau_xlsx_goes_in_as_printed(cli, seeded, db_path, tmp_path):
    f = bureau_xlsx(tmp_path / "统计月报-2022-06.xlsx")
    result = cli.ok("import", str(f), env=WIDE)
    assert table_rows(result.stdout, "未导入的行") == [list(s) for s in SKIPPED]
    assert result.stdout.splitlines()[-1] == (
        f"imported {f}: 8 added, 0 revised, 0 unchanged; read as a bureau table (sheet 主要指标), header on line 2-3, "
        "period ending 2022-06-30 (from the title's '2022年1-6月'); 8 figure(s) for 8 target(s), 5 row(s) not taken "
        "(change 1; 'hnreport undo' reverts it)"
    )
    check_imported(cli, f"统计月报-2022-06.xlsx {TITLE}")
    report = {t["key"]: t for t in as_json(cli.ok("report", "--as-of", "2022-06-30", "--format", "json"))["targets"]}
    assert (report["key-project-investment"]["latest"], report["key-project-investment"]["status"]) == (72.0, "on_pace")
    before = dump(db_path)  # the same sheet again changes nothing
    assert "0 added, 0 revised, 8 unchanged" in cli.ok("import", str(f)).stdout
    assert dump(db_path) == before
    cli.ok("undo")  # one import, one change
    assert history(cli, "gdp") == []


def test_the_dry_run_shows_the_mapping_and_writes_nothing(cli, seeded, db_path, tmp_path):
    f = bureau_xlsx(tmp_path / "月报.xlsx")
    before = dump(db_path)
    result = cli.ok("import", str(f), "--dry-run", env=WIDE)
    assert dump(db_path) == before
    mapping = table_rows(result.stdout, "对应关系")
    assert mapping == [
        ["4", "地区生产总值", "gdp", "1-6月 同比增长(%) (F4)",
         "5.1 (stored 0.051, percent format 0.0%)", "5.1%", "—", "2022-06-30 (1-6月)"],
        ["6", "规模以上工业增加值", "industry", "1-6月 同比增长(%) (F6)", "7.2", "7.2%", "—", "2022-06-30 (1-6月)"],
        ["7", "固定资产投资", "investment", "1-6月 同比增长(%) (F7)", "10.3", "10.3%", "—", "2022-06-30 (1-6月)"],
        ["8", "社会消费品零售总额", "retail", "1-6月 同比增长(%) (F8)", "8.9", "8.9%", "—", "2022-06-30 (1-6月)"],
        ["9", "进出口总额", "trade", "1-6月 同比增长(%) (F9)", "16.3", "16.3%", "—", "2022-06-30 (1-6月)"],
        ["11", "其中:地方一般公共预算收入", "revenue", "1-6月 同比增长(%) (F11)", "6.8", "6.8%", "—", "2022-06-30 (1-6月)"],
        ["12", "全体居民人均可支配收入", "income", "1-6月 同比增长(%) (F12)", "8.6", "8.6%", "—", "2022-06-30 (1-6月)"],
        ["14", "重点项目完成投资", "key-project-investment", "1-6月 累计 (E14)", "720000", "72亿元", "720000万元 → 72亿元",
         "2022-06-30 (1-6月)"],
    ]  # fmt: skip
    assert table_rows(result.stdout, "未导入的行") == [list(s) for s in SKIPPED]
    assert result.stdout.splitlines()[-1].startswith(f"would import {f}: 8 added, 0 revised, 0 unchanged; read as a bureau table")


def test_a_percent_cell_is_read_as_the_percentage_it_shows_and_a_quoted_percent_sign_is_not_one(cli, seeded, tmp_path):
    rows = [("地区生产总值", "亿元", None, None, 186.52, 0.051), ("规模以上工业增加值", "%", None, None, None, 7.2)]
    f = bureau_xlsx(tmp_path / "p.xlsx", rows, percent=())
    book = openpyxl.load_workbook(f)
    book.active["F4"].number_format = "0.0%"
    book.active["F5"].number_format = '0.0"%"'  # shows 7.2%, holds 7.2
    book.save(f)
    cli.ok("import", str(f))
    assert [h[0] for h in history(cli, "gdp")] == [5.1]
    assert [h[0] for h in history(cli, "industry")] == [7.2]


def test_a_percent_cell_in_an_amount_column_is_not_taken_for_an_amount(cli, seeded, tmp_path):
    rows = [("重点项目完成投资", "亿元", None, None, 0.72, None)]
    f = bureau_xlsx(tmp_path / "p.xlsx", rows, percent=("E4",))
    result = cli.ok("import", str(f), env=WIDE)
    assert table_rows(result.stdout, "未导入的行") == [
        ["4", "重点项目完成投资", "key-project-investment", "the cell in 1-6月 累计 is formatted as a percentage (72%), not an amount in 亿元"],
    ]
    assert history(cli, "key-project-investment") == []


def test_a_plain_import_reads_a_percent_cell_as_a_percentage(cli, seeded, tmp_path):
    f = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["指标", "数值", "时期"])
    book.active.append(["gdp", 0.051, "2022年1-6月"])
    book.active["B2"].number_format = "0.0%"
    book.save(f)
    cli.ok("import", str(f))
    assert [h[0] for h in history(cli, "gdp")] == [5.1]  # was 0.051: a figure 100 times too small, silently


def test_a_gbk_csv_goes_in_as_printed(cli, seeded, tmp_path):
    f = tmp_path / "月报.csv"
    f.write_bytes(bureau_csv_text().encode("gbk"))
    result = cli.ok("import", str(f), env=WIDE)
    # one header row: each row is a line higher than in the workbook
    assert [r[:3] for r in table_rows(result.stdout, "未导入的行")] == [[str(int(s[0]) - 1), s[1], s[2]] for s in SKIPPED]
    assert "header on line 2, period ending 2022-06-30 (from the title's '2022年1-6月')" in result.stdout
    check_imported(cli, f"月报.csv {TITLE}")


@pytest.mark.parametrize("bom,codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")], ids=["le", "be"])
def test_a_sheet_saved_as_excel_unicode_text_goes_in_as_printed(cli, seeded, tmp_path, bom, codec):
    # Excel's "Unicode 文本": UTF-16 with its BOM, tab-separated, CRLF line ends
    f = tmp_path / "月报.txt"
    f.write_bytes(bom + bureau_csv_text().replace(",", "\t").replace("\n", "\r\n").encode(codec))
    result = cli.ok("import", str(f), env=WIDE)
    assert [r[:3] for r in table_rows(result.stdout, "未导入的行")] == [[str(int(s[0]) - 1), s[1], s[2]] for s in SKIPPED]
    assert "header on line 2, period ending 2022-06-30 (from the title's '2022年1-6月')" in result.stdout
    check_imported(cli, f"月报.txt {TITLE}")


def test_a_table_pasted_from_excel_goes_in_on_stdin(cli, seeded):
    pasted = bureau_csv_text().replace(",", "\t")
    result = cli.ok("import", "-", input=pasted, env=WIDE)
    assert "imported stdin: 8 added" in result.stdout
    check_imported(cli, TITLE)


def test_a_date_under_the_title_is_not_the_period_and_a_unit_line_gives_the_amounts_unit(cli, seeded, tmp_path):
    f = tmp_path / "月报.csv"
    f.write_text("衡南县2022年主要经济指标\n衡南县统计局 2022年7月12日\n单位：万元、%\n指标,1-6月累计,增长\n"
                 "重点项目完成投资,720000,\n规模以上工业增加值,,7.2\n", encoding="utf-8")  # fmt: skip
    result = cli.ok("import", str(f), env=WIDE)
    assert "header on line 4, period ending 2022-06-30 (from the column headers, the year from the title's '2022年')" in result.stdout
    assert [(h[0], h[1]) for h in history(cli, "key-project-investment")] == [(72.0, "2022-06-30")]
    assert [(h[0], h[1]) for h in history(cli, "industry")] == [(7.2, "2022-06-30")]


def test_hnreports_own_columns_paste_on_stdin_too(cli, seeded):
    assert "1 added" in cli.ok("import", "-", input="指标\t数值\t时期\ngdp\t8.6\t2022年1-6月\n").stdout
    assert [(h[0], h[1]) for h in history(cli, "gdp")] == [(8.6, "2022-06-30")]


def test_a_wide_monthly_sheet_imports_as_a_series(cli, seeded, tmp_path):
    f = tmp_path / "分月.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["衡南县2022年主要经济指标(累计)"])
    ws.append(["指标", "单位", "1-2月", "1-3月", "1-4月", "1-5月", "1-6月"])
    ws.append(["规模以上工业增加值", "%", 6.1, 6.5, 6.9, 7.0, 7.2])
    ws.append(["重点项目完成投资", "亿元", 20.5, 33.1, 46, "…", 72])
    ws.append(["一般公共预算总收入", "万元", 30000, 41000, 52000, 61000, 70000])
    book.save(f)
    result = cli.ok("import", str(f), env=WIDE)
    assert "9 added" in result.stdout and "read as a bureau table (sheet Sheet) of 5 periods (2022-02-28 … 2022-06-30)" in result.stdout
    assert [(h[0], h[1]) for h in history(cli, "industry")] == [
        (7.2, "2022-06-30"), (7.0, "2022-05-31"), (6.9, "2022-04-30"), (6.5, "2022-03-31"), (6.1, "2022-02-28")]
    assert [(h[0], h[1]) for h in history(cli, "key-project-investment")] == [
        (72.0, "2022-06-30"), (46.0, "2022-04-30"), (33.1, "2022-03-31"), (20.5, "2022-02-28")]
    assert table_rows(result.stdout, "未导入的行") == [
        ["4", "重点项目完成投资", "key-project-investment", "no figure in 1-5月"],
        ["5", "一般公共预算总收入", "—", "not a target of the plan — did you mean '地方一般公共预算收入' (revenue)? a different "
         "statistic is never taken for it; if it is the same, add the name with 'hnreport targets alias'"],
    ]  # fmt: skip


def test_a_month_alone_feeds_a_rate_only_without_a_year_to_date_column(cli, seeded, tmp_path):
    f = tmp_path / "当月.csv"
    f.write_text("衡南县2022年5月主要指标\n指标,单位,本月,本月同比\n规模以上工业增加值,亿元,12.5,6.6\n重点项目完成投资,亿元,11.2,9.9\n",
                 encoding="utf-8")  # fmt: skip
    result = cli.ok("import", str(f), "--dry-run", env=WIDE)
    assert table_rows(result.stdout, "对应关系") == [
        ["3", "规模以上工业增加值", "industry", "本月同比 (D3)", "6.6", "6.6%", "the month's figure: the sheet has no year-to-date column",
         "2022-05-31 (1-5月)"],
    ]  # fmt: skip
    assert table_rows(result.stdout, "未导入的行") == [
        ["4", "重点项目完成投资", "key-project-investment",
         "only the month's amount (本月); a cumulative target needs the amount so far this year"],
    ]


# ── refusals: nothing is written ───────────────────────────────────────────────────────────
def test_a_bad_value_in_a_matched_row_refuses_the_whole_file(cli, seeded, db_path, tmp_path):
    rows = list(ROWS)
    rows[2] = ("规模以上工业增加值", "%", None, 7.6, None, "七点二")  # line 6
    rows[10] = ("重点项目完成投资", "万元", None, None, "72万", "—")  # line 14
    f = bureau_xlsx(tmp_path / "坏.xlsx", rows)
    before = dump(db_path)
    result = cli("import", str(f))
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "error: sheet '主要指标', line 6, cell F6: the cell industry takes (1-6月 同比增长(%)) holds '七点二', which is not a number",
        "sheet '主要指标', line 14, cell E14: the cell key-project-investment takes (1-6月 累计) holds '72万', which is not a number",
        f"2 problem(s) in {f}; nothing was imported",
    ]
    assert dump(db_path) == before
    csv_file = tmp_path / "坏.csv"
    csv_file.write_bytes(bureau_csv_text(rows).encode("gbk"))
    result = cli("--lang", "zh", "import", str(csv_file))
    assert result.stderr.splitlines()[0] == "错误：第 5 行 F5 单元格：industry 所取的单元格（同比增长(%)）为 '七点二'，不是数字"
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
         "error: {path}: the old .xls format is not supported; save it as .xlsx or CSV"),
        ("月报.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
         "error: {path}: WPS .et workbooks are not read; save it as .xlsx or CSV in WPS"),
        ("renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
         "error: {path} is an Excel 97-2003 (.xls) or WPS (.et) workbook whatever its name; save it as .xlsx or CSV"),
    ],
    ids=["xls", "et", "xls-named-xlsx"],
)  # fmt: skip
def test_old_binary_workbooks_are_refused_with_how_to_save_them(cli, seeded, db_path, tmp_path, name, content, line):
    f = tmp_path / name
    f.write_bytes(content)
    before = dump(db_path)
    assert_refused(cli("import", str(f)), before, db_path, line=line.format(path=f))


def test_sheet_picks_the_worksheet_and_an_unknown_one_is_named(cli, seeded, db_path, tmp_path):
    f = bureau_xlsx(tmp_path / "两页.xlsx", extra_sheet=True)
    before = dump(db_path)
    assert_refused(cli("import", str(f), "--sheet", "表2"), before, db_path,
                   line=f"error: {f} has no sheet named '表2' (it has: 封面, 主要指标)")  # fmt: skip
    assert_refused(cli("import", str(f)), before, db_path)  # the cover sheet holds no table
    assert "8 added" in cli.ok("import", str(f), "--sheet", "主要指标").stdout
    assert [h[0] for h in history(cli, "gdp")] == [5.1]


def test_the_period_comes_from_the_option_when_the_title_names_none_and_they_must_agree(cli, seeded, db_path, tmp_path):
    f = tmp_path / "无标题.csv"
    f.write_text("指标,单位,累计,增速\n规模以上工业增加值,%,,7.2\n", encoding="utf-8")
    before = dump(db_path)
    assert_refused(cli("import", str(f)), before, db_path, line=f"error: {f}: the title names no period (such as 2022年1-6月) "
                   "and the header no year; give one with --period, e.g. --period 2022年1-6月")  # fmt: skip
    cli.ok("import", str(f), "--period", "2022年1-6月")
    assert [(h[0], h[1]) for h in history(cli, "industry")] == [(7.2, "2022-06-30")]
    g = bureau_xlsx(tmp_path / "错.xlsx", title="衡南县2022年1-5月主要经济指标")
    before = dump(db_path)
    assert_refused(cli("import", str(g)), before, db_path, line=f"error: {g}: the title's '2022年1-5月' means the period "
                   "ending 2022-05-31, but column C is headed '6月 本月' (ending 2022-06-30); check the title, or give the "
                   "right period with --period")  # fmt: skip
    h = tmp_path / "去年.csv"
    h.write_text("衡南县2021年1-6月主要经济指标\n指标,单位,累计,增速\n规模以上工业增加值,%,,7.2\n", encoding="utf-8")
    assert_refused(cli("import", str(h)), before, db_path, line=f"error: {h}: the sheet is for the period ending "
                   "2021-06-30, outside the plan year 2022; nothing was imported")  # fmt: skip
    plain = tmp_path / "plain.csv"
    plain.write_text("指标,数值,时期\ngdp,8.6,2022-06-30\n", encoding="utf-8")
    assert_refused(cli("import", str(plain), "--period", "2022-06"), before, db_path, line=f"error: {plain}: --period is "
                   "for a bureau table; this file gives each figure's period in its as_of/时期 column")  # fmt: skip


def test_a_file_that_is_neither_format_is_still_refused_by_its_columns(cli, seeded, db_path, tmp_path):
    f = tmp_path / "hdr.csv"
    f.write_text("name_of_thing,amount,when\ngdp,8.1,2022-03-31\n", encoding="utf-8")
    before = dump(db_path)
    assert_refused(cli("import", str(f)), before, db_path, line=f"error: {f}: missing column(s) key, value, as_of; the header "
                   "needs key/指标, value/数值 and as_of/时期 (found: name_of_thing, amount, when)")  # fmt: skip
    g = tmp_path / "nofigures.csv"
    g.write_text("2022年1-6月\n指标名称,计量单位,备注\n地区生产总值,亿元,x\n", encoding="utf-8")
    assert_refused(cli("import", str(g)), before, db_path, line=f"error: {g}: line 2 is the header but names no column of "
                   "figures (本月, 累计, 同比 …); it has: 指标名称, 计量单位, 备注")  # fmt: skip


# ── the names tables print ─────────────────────────────────────────────────────────────────
def test_targets_show_lists_the_names_and_an_added_name_is_journalled_and_undoable(cli, seeded, db_path, tmp_path):
    assert "统计表名称  规模以上工业增加值、规上工业增加值、规模工业增加值" in cli.ok("targets", "show", "industry").stdout
    out = cli.ok("targets", "alias", "revenue", " 一般公共预算收入中地方收入 ").stdout
    assert out == ("'一般公共预算收入中地方收入' now names revenue (地方一般公共预算收入增长) in statistical tables "
                   "(change 1; 'hnreport undo' reverts it)\n")  # fmt: skip
    assert "统计表名称  地方一般公共预算收入、一般公共预算收入中地方收入(自行添加)" in cli.ok("targets", "show", "revenue").stdout
    before = dump(db_path)
    assert_refused(cli("targets", "alias", "revenue", "一般公共预算收入中地方收入（万元）"), before, db_path,
                   line="error: '一般公共预算收入中地方收入（万元）' already names revenue in statistical tables "
                        "('一般公共预算收入中地方收入')")  # fmt: skip
    assert_refused(cli("targets", "alias", "revenue", " 其中： "), before, db_path,
                   line="error: a name for statistical tables cannot be empty")
    f = tmp_path / "r.csv"
    f.write_text("2022年1-6月\n指标,单位,累计,增长\n一般公共预算收入中地方收入,万元,62000,6.8\n", encoding="utf-8")
    assert "1 added" in cli.ok("import", str(f), "--dry-run").stdout
    cli.ok("undo")
    assert "一般公共预算收入中地方收入" not in cli.ok("targets", "show", "revenue").stdout
    assert "0 added" in cli.ok("import", str(f), "--dry-run").stdout


def test_a_name_shared_by_two_targets_feeds_each_the_column_its_kind_takes(cli, seeded, tmp_path):
    out = cli.ok("targets", "alias", "foreign-trade", "外贸进出口").stdout
    assert "a row of that name also feeds" not in out
    out = cli.ok("targets", "alias", "trade", "外贸进出口").stdout
    assert out.splitlines()[1] == "a row of that name also feeds foreign-trade: each takes the column its kind needs"
    f = tmp_path / "t.csv"
    f.write_text("衡南县2022年1-6月\n指标,单位,1-6月累计,增长(%)\n外贸进出口,万元,21000,14.2\n", encoding="utf-8")
    cli.ok("import", str(f))
    assert [h[0] for h in history(cli, "trade")] == [14.2]
    assert [h[0] for h in history(cli, "foreign-trade")] == [2.1]


def test_added_names_travel_with_export_and_restore_and_db_check_holds_the_seeded_ones(cli, seeded, db_path, tmp_path):
    assert cli.ok("db", "check").stdout.startswith("ok:")
    cli.ok("targets", "alias", "investment", "固定资产投资(500万元以上项目)")
    exported = tmp_path / "e.json"
    cli.ok("export", "-o", str(exported))
    assert json.loads(exported.read_text(encoding="utf-8"))["target_aliases"] == [
        {"key": "investment", "alias": "固定资产投资(500万元以上项目)"}]
    fresh = tmp_path / "fresh.db"
    env = {"HNREPORT_DB": str(fresh)}
    cli.ok("db", "init", env=env)
    assert "1 target_aliases" in cli.ok("import", str(exported), env=env).stdout
    assert "固定资产投资(500万元以上项目)(自行添加)" in cli.ok("targets", "show", "investment", env=env).stdout
    assert cli.ok("db", "check", env=env).stdout.startswith("ok:")
    q(fresh, "SELECT 1")  # the file is a database
    import sqlite3

    conn = sqlite3.connect(fresh)
    conn.execute("UPDATE target_aliases SET norm = '地区生产总值' WHERE alias = 'GDP'")
    conn.execute("DELETE FROM target_aliases WHERE alias = '粮食产量'")
    conn.commit()
    conn.close()
    lines = cli("db", "check", env=env).stdout.splitlines()
    assert "drift: target alias '粮食产量' of grain-output in data/aliases.toml is missing from the database" in lines
    assert "data: target alias 3 ('GDP') is kept as compared as '地区生产总值', but reads as 'gdp'" in lines


def test_every_seeded_name_names_a_seeded_target_and_no_near_miss_is_seeded():
    import tomllib

    from helpers import DATA, seed_rows
    from hnreport.domain.names import name_norm

    keys = {t["key"] for t in seed_rows("targets.toml", "target")}
    with open(DATA / "aliases.toml", "rb") as fh:
        entries = tomllib.load(fh)["aliases"]
    assert {e["key"] for e in entries} <= keys
    names = {name_norm(n) for e in entries for n in e["names"]}
    assert names.isdisjoint({name_norm(n) for n in ("一般公共预算收入", "一般公共预算总收入", "全社会固定资产投资",
                                                     "城镇居民人均可支配收入", "农村居民人均可支配收入")})  # fmt: skip
    assert {"地区生产总值", "规模以上工业增加值", "固定资产投资", "社会消费品零售总额", "地方一般公共预算收入",
            "全体居民人均可支配收入", "进出口总额"} <= names  # fmt: skip


# ── the pieces underneath ──────────────────────────────────────────────────────────────────
def test_find_table_reads_title_rows_and_a_merged_two_row_header():
    from hnreport.tables import find_table

    rows = [(1, ["衡南县2022年1-6月主要经济指标", None, None, None]), (2, ["单位：亿元", None, None, None]),
            (3, ["指标名称", "计量单位", "1-6月", None]), (4, [None, None, "累计", "同比增长(%)"]),
            (5, ["地区生产总值", "亿元", 186.52, 5.1])]  # fmt: skip
    found = find_table(iter(rows), {"name": {"指标名称"}, "unit": {"计量单位", "单位"}, "growth": lambda k: "同比" in k},
                       needs=("name",))  # fmt: skip
    assert found.header_lines == (3, 4)
    assert found.title == ["衡南县2022年1-6月主要经济指标", "单位：亿元"]
    assert [found.header(i) for i in range(4)] == ["指标名称", "计量单位", "1-6月 累计", "1-6月 同比增长(%)"]
    assert found.roles == {"name": [0], "unit": [1], "growth": [3]}
    assert list(found.rows) == [(5, ["地区生产总值", "亿元", 186.52, 5.1])]


def test_find_table_reads_a_responsibility_table_too_and_says_none_when_there_is_none():
    from hnreport.tables import find_table

    roles = {"number": {"序号"}, "task": {"工作任务", "重点任务"}, "lead": {"牵头单位"}, "support": {"配合单位"},
             "due": {"完成时限"}}  # fmt: skip
    rows = [(1, ["2022年政府工作报告重点工作责任分工方案"]),
            (2, ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]),
            (3, [1, "土谷塘大桥建成通车", "县交通运输局", "县住建局", "2022年9月底"])]  # fmt: skip
    found = find_table(iter(rows), roles, needs=("task", "lead"))
    assert found.header_lines == (2,) and found.title == ["2022年政府工作报告重点工作责任分工方案"]
    assert found.roles == {"number": [0], "task": [1], "lead": [2], "support": [3], "due": [4]}
    assert [line for line, _ in found.rows] == [3]
    assert find_table(iter(rows[2:]), roles, needs=("task",)) is None
    assert find_table(iter([(n, ["x"]) for n in range(1, 100)]), roles, scan=30) is None


@pytest.mark.parametrize(
    ("printed", "norm", "unit", "sub_item"),
    [
        ("地区生产总值", "地区生产总值", None, False),
        ("  其中：地方一般公共预算收入（万元）", "地方一般公共预算收入", "万元", True),
        ("地区生产总值（ＧＤＰ）", "地区生产总值(gdp)", None, False),
        ("#民间投资", "民间投资", None, True),
        ("一、地区生产总值(亿元)", "地区生产总值", "亿元", False),
        ("固定资产投资【不含农户】", "固定资产投资(不含农户)", None, False),
        ("\u3000城镇居民人均可支配收入", "城镇居民人均可支配收入", None, True),
        ("规上 工业 增加值", "规上工业增加值", None, False),
    ],
)  # fmt: skip
def test_names_are_compared_after_normalising_only_what_printing_varies(printed, norm, unit, sub_item):
    from hnreport.domain.names import read_name

    assert tuple(read_name(printed)) == (norm, unit, sub_item)


def test_convert_amount_is_exact_between_yuan_units_and_refuses_the_rest():
    from hnreport.domain.values import convert_amount

    assert convert_amount(1865200, "万元", "亿元") == 186.52
    assert convert_amount(186.52, "亿元", "万元") == 1865200
    assert convert_amount(0.3, "亿元", "元") == 30_000_000
    assert convert_amount(5300, "万美元", "万美元") == 5300
    assert convert_amount(12, "户", "户") == 12
    assert convert_amount(7.2, "％", "%") == 7.2
    for source, target in (("万美元", "亿元"), ("亿元", "万美元"), ("%", "亿元"), ("个", "亿元"), ("亿元", "")):
        assert convert_amount(1, source, target) is None


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_convert_amount_round_trips(amount):
    from hnreport.domain.values import convert_amount

    value = float(amount)
    assert convert_amount(convert_amount(value, "万元", "亿元"), "亿元", "万元") == value


def test_a_sub_item_resembling_a_target_is_skipped_as_a_sub_item_not_a_near_miss(cli, seeded, tmp_path):
    rows = [*ROWS[:6], ("其中：出口总额", "万美元", 500, 18.0, 3200, 15.1), ("  出口总额", "万美元", 500, 18.0, 3200, 15.1)]
    result = cli.ok("--lang", "en", "import", str(bureau_xlsx(tmp_path / "月报.xlsx", rows)), "--dry-run", env=WIDE)
    skipped = {r[1]: r[3] for r in table_rows(result.stdout, "rows not taken")}
    assert skipped["其中：出口总额"] == skipped["出口总额"] == "a sub-item (其中/#/indented), not a target of the plan"
