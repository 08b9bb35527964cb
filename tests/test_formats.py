"""One output rule for every listing (issue 15, the listings half): --format table|json|csv|
markdown|html on stdout, -o FILE by its extension (.md .html .xlsx .csv .json .svg), a --format
that contradicts the extension refused; Markdown, HTML and .xlsx written from the view's document
(a title and its 截至 line on every view; HTML real tables; .xlsx numbers as numbers, statuses
filled, user text never a formula); what units reported in JSON and CSV; an .xlsx figures sheet
that imports back unchanged."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import as_json, assert_refused, dump

openpyxl = pytest.importorskip("openpyxl")

KPI = "key-project-investment"
AS_OF = ("--as-of", "2022-06-30")
FORMULA_UNIT = '=HYPERLINK("http://x","点击")'
FORMULA_NAME = "=1+1 指标"

LISTINGS = {
    "report": ["report", *AS_OF],
    "report-by-unit": ["report", "--by", "unit", *AS_OF],
    "report-one-table": ["report", "--sort", "status", *AS_OF],
    "due": ["due", "--within", "400", *AS_OF],
    "lights": ["lights", "--to", "2022-06"],
    "lights-values": ["lights", "--values", "--to", "2022-06"],
    "units": ["units", *AS_OF],
    "units-list": ["units", "list", *AS_OF],
    "milestones-list": ["milestones", "list", *AS_OF],
    "targets-list": ["targets", "list", *AS_OF],
    "results-list": ["results", "list"],
    "history": ["history", "gdp"],
    "log": ["log"],
}


@pytest.fixture
def month(cli, seeded):
    """A month's work: figures (one far behind, one on pace), units assigned, a stalled milestone
    with what its unit reported, an overdue one."""
    cli.ok("record", "gdp", "7.0", *AS_OF, "--note", "统计月报")
    cli.ok("record", KPI, "70.50", *AS_OF)
    cli.ok("units", "add", "县发展和改革局", "--alias", "发改局")
    cli.ok("units", "add", "县统计局")
    cli.ok("assign", "gdp", "县统计局")
    cli.ok("assign", KPI, "发改局")
    cli.ok("assign", "tugutang-bridge", "发改局")
    cli.ok("milestones", "set", "tugutang-bridge", "stalled", *AS_OF, "--progress", "完成主体设计",
           "--problems", "征地拆迁未完成", "--next", "7月底前完成征拆", "--source", "发改局报送")  # fmt: skip
    cli.ok("milestones", "due", "tugutang-bridge", "2022-05-31")
    return cli


class Page(HTMLParser):
    """What a page holds: its elements, the <title> text, every attribute name."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.title = ""
        self.text: list[str] = []
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


def _argv(name: str) -> list[str]:
    return LISTINGS[name]


# ── every listing × every format ─────────────────────────────────────────────────────────────
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_in_every_format_on_stdout(month, name, fmt):
    out = month.ok(*_argv(name), "--format", fmt).stdout
    assert out.strip()
    if fmt == "json":
        json.loads(out)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in r for r in rows)  # every row as wide as the header
    elif fmt == "markdown":
        lines = out.splitlines()
        assert lines[0].startswith("# ") and any(line.startswith("截至 ") for line in lines[:4]), out[:200]
        assert "|---|" in out
    elif fmt == "html":
        page = Page(out)
        assert "table" in page.tags and page.title.strip() and page.title != "hnreport"
        assert "script" not in page.tags and not [a for a in page.attrs if a.startswith("on")]


@pytest.mark.parametrize("ext", ["md", "html", "xlsx", "csv", "json", "svg"])
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_to_every_kind_of_file(month, tmp_path, name, ext):
    out = tmp_path / f"简报 {name}.{ext}"
    result = month.ok(*_argv(name), "-o", str(out))
    assert str(out) in result.stderr and result.stdout == ""
    data = out.read_bytes()
    if ext == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.worksheets and all(s.freeze_panes for s in book.worksheets)
    elif ext in ("md", "json"):  # the same text as on stdout
        fmt = {"md": "markdown", "json": "json"}[ext]
        assert data.decode("utf-8") == month.ok(*_argv(name), "--format", fmt).stdout
    elif ext == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # Excel/WPS read it as UTF-8
    elif ext == "html":
        assert "table" in Page(data.decode("utf-8")).tags
    else:
        assert data.lstrip().startswith(b"<svg")


# ── conflicts ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "argv, line",
    [
        (["report", "-o", "{tmp}/x.md", "--format", "json"],
         "error: --format json contradicts the file name x.md (markdown); drop one of them"),
        (["due", "-o", "{tmp}/x.xlsx", "--format", "csv"],
         "error: --format csv contradicts the file name x.xlsx (xlsx); drop one of them"),
        (["milestones", "list", "-o", "{tmp}/x.html", "--format", "markdown"],
         "error: --format markdown contradicts the file name x.html (html); drop one of them"),
        (["units", "--format", "xlsx"], "error: --format xlsx is written to a file only; use -o FILE.xlsx"),
        (["lights", "-o", "{tmp}/x.docx"],
         "error: cannot tell the format of 'x.docx'; use .md, .html, .xlsx, .csv, .json or .svg"),
        (["log", "--format", "xml"],
         "error: unknown format 'xml'; choose one of: table, json, csv, markdown, html, xlsx"),
        (["export", "-o", "{tmp}/x.xlsx", "--format", "csv"],
         "error: --format csv contradicts the file name x.xlsx (xlsx); drop one of them"),
        (["export", "--format", "xlsx"], "error: --format xlsx is written to a file only; use -o FILE.xlsx"),
    ],
)  # fmt: skip
def test_a_format_the_file_name_contradicts_is_refused_in_one_line(month, db_path, tmp_path, argv, line):
    before = dump(db_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert_refused(month("--lang", "en", *argv), before, db_path, line=line)
    assert list(tmp_path.glob("x.*")) == []


def test_a_format_that_agrees_with_the_file_name_is_fine(month, tmp_path):
    month.ok("targets", "list", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"))
    month.ok("targets", "list", "--format", "html", "-o", str(tmp_path / "t.html"))
    assert (tmp_path / "t.xlsx").exists() and (tmp_path / "t.html").exists()


def test_an_existing_file_needs_force_for_every_listing(month, tmp_path):
    out = tmp_path / "due.xlsx"
    out.write_bytes(b"keep")
    assert_refused(month("due", "-o", str(out)))
    assert out.read_bytes() == b"keep"
    month.ok("due", "-o", str(out), "--force")
    assert openpyxl.load_workbook(out)


# ── what each format carries ─────────────────────────────────────────────────────────────────
def test_report_json_and_csv_carry_lead_units_phrases_and_what_units_reported(month):
    data = as_json(month.ok("report", *AS_OF, "--format", "json"))
    gdp = next(t for t in data["targets"] if t["key"] == "gdp")
    assert gdp["lead"] == "县统计局" and gdp["phrase"] == "地区生产总值增长8.5%以上"
    bridge = next(m for m in data["milestones"]["items"] if m["key"] == "tugutang-bridge")
    assert (bridge["progress_text"], bridge["problems"], bridge["next_steps"]) == ("完成主体设计", "征地拆迁未完成", "7月底前完成征拆")
    assert bridge["lead"] == "县发展和改革局" and bridge["overdue"] and bridge["days_overdue"] == 30
    rows = list(csv.DictReader(io.StringIO(month.ok("report", *AS_OF, "--format", "csv").stdout)))
    by_key = {r["key"]: r for r in rows}
    assert by_key["gdp"]["type"] == "target" and by_key["gdp"]["lead"] == "县统计局"
    assert by_key["gdp"]["phrase"] == "地区生产总值增长8.5%以上"
    assert by_key["tugutang-bridge"]["type"] == "milestone" and by_key["tugutang-bridge"]["problems"] == "征地拆迁未完成"


@pytest.mark.parametrize("argv", [["milestones", "list"], ["due", "--within", "400"], ["report", "--by", "unit"]])
def test_milestone_listings_carry_what_the_unit_last_reported(month, argv):
    data = as_json(month.ok(*argv, *AS_OF, "--format", "json"))
    items = data if isinstance(data, list) else data.get("items") or [m for g in data["by_unit"] for m in g["milestones"]]
    bridge = next(i for i in items if i["key"] == "tugutang-bridge")
    assert bridge["problems"] == "征地拆迁未完成" and bridge["next_steps"] == "7月底前完成征拆"
    rows = list(csv.DictReader(io.StringIO(month.ok(*argv, *AS_OF, "--format", "csv").stdout)))
    row = next(r for r in rows if r["key"] == "tugutang-bridge")
    assert row["progress_text"] == "完成主体设计" and row["problems"] == "征地拆迁未完成"


def test_the_report_brief_keeps_overdue_due_dates_and_lead_units(month, tmp_path):
    out = tmp_path / "brief.md"
    month.ok("report", *AS_OF, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# 衡南县2022年政府工作报告 — 完成情况"
    assert "截至 2022-06-30" in text
    header = next(line for line in text.splitlines() if line.startswith("| 部分 |"))
    assert header.rstrip().endswith("| 逾期 |")  # the 逾期 column
    bridge = next(line for line in text.splitlines() if "土谷塘大桥通车" in line)
    assert "2022-05-31" in bridge and "逾期30天" in bridge and "县发展和改革局" in bridge and "征地拆迁未完成" in bridge
    gdp = next(line for line in text.splitlines() if line.startswith("| 地区生产总值增长 |"))
    assert "| 县统计局 |" in gdp


def test_the_report_by_unit_brief_has_a_title_a_date_and_the_overdue_marks(month, tmp_path):
    out = tmp_path / "units.md"
    month.ok("report", "--by", "unit", *AS_OF, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 衡南县2022年政府工作报告 — 按牵头单位\n\n截至 2022-06-30\n")
    assert "## 县发展和改革局" in text
    bridge = next(line for line in text.splitlines() if "土谷塘大桥通车" in line)
    assert "逾期" in bridge and "2022-05-31" in bridge


def test_lead_units_are_in_the_terminal_report(month):
    out = month.ok("report", *AS_OF, env={"COLUMNS": "200"}).stdout
    assert "牵头单位" in out
    assert any("地区生产总值增长" in line and "县统计局" in line for line in out.splitlines())


def test_the_html_page_is_named_after_the_report_and_holds_real_tables(month):
    page = Page(month.ok("report", *AS_OF, "--format", "html").stdout)
    assert page.title == "衡南县2022年政府工作报告 — 完成情况"
    assert page.tags.count("table") >= 6 and "span" not in page.tags  # not a grid of characters
    assert "th" in page.tags and "thead" in page.tags


# ── .xlsx ────────────────────────────────────────────────────────────────────────────────────
def _cells(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_the_report_workbook_has_numbers_fills_a_frozen_header_and_widths(month, tmp_path):
    out = tmp_path / "report.xlsx"
    month.ok("report", *AS_OF, "-o", str(out))
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "指标")
    headers = [c.value for c in header_row]
    top = header_row[0].row
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet["A1"].value == "衡南县2022年政府工作报告 — 完成情况" and sheet["A2"].value == "截至 2022-06-30"
    gdp = next(r for r in sheet.iter_rows(min_row=top + 1) if r[0].value == "地区生产总值增长")
    cell = dict(zip(headers, gdp))
    assert cell["最新值"].value == 7.0 and cell["最新值"].data_type == "n" and cell["最新值"].number_format == '0.0"%"'
    assert cell["牵头单位"].value == "县统计局"
    assert cell["差距"].value == -1.5
    assert cell["状态"].value == "▼▼ 严重滞后" and cell["状态"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.column_dimensions["A"].width >= 20
    kpi_sheet = next(s for s in book.worksheets if "千方百计谋发展" in s.title)
    kpi = next(r for r in kpi_sheet.iter_rows() if r[0].value == "重点项目完成投资")
    values = {h: c for h, c in zip(headers, kpi)}
    assert values["最新值"].value == 70.5 and values["最新值"].number_format == '0.00"亿元"'  # shown 70.50亿元
    assert values["完成率"].value == pytest.approx(70.5 / 140) and values["完成率"].number_format == "0.0%"
    assert values["状态"].fill.fgColor.rgb.endswith("C6EFCE")
    flagged = book["滞后_逾期事项"]
    row = next(r for r in flagged.iter_rows() if r[0].value == "tugutang-bridge")
    assert [c.value for c in row][-3:] == ["完成主体设计", "征地拆迁未完成", "7月底前完成征拆"]


def test_user_text_in_a_workbook_is_text_never_a_formula(month, tmp_path):
    month.ok("units", "add", FORMULA_UNIT)
    month.ok("targets", "add", "evil", "--name-zh", FORMULA_NAME + "\x01\x1b[2J", "--section", "main", "--kind", "level",
             "--value", "5")  # fmt: skip
    month.ok("assign", "evil", FORMULA_UNIT)
    for argv in (["report", *AS_OF], ["report", "--by", "unit", *AS_OF], ["units"], ["targets", "list"], ["lights"]):
        out = tmp_path / "x.xlsx"
        month.ok(*argv, "-o", str(out), "--force")
        cells = list(_cells(openpyxl.load_workbook(out)))
        assert not [c.coordinate for c in cells if c.data_type == "f"], argv
        texts = [c.value for c in cells if isinstance(c.value, str)]
        if argv[0] != "units":  # (units lists units, not targets)
            assert any(t.startswith(FORMULA_NAME) and "\\x01" in t for t in texts), argv  # shown, escaped
        if argv[0] in ("report", "units"):
            assert any(FORMULA_UNIT in t for t in texts), argv


def test_the_hostile_input_names_go_into_a_workbook_and_a_page_as_text(cli, db_path, world_bytes, tmp_path):
    from test_hostile_input import HOSTILE, _assert_nothing_obeyable, _stored

    db_path.write_bytes(_stored(world_bytes, tmp_path, HOSTILE))
    for argv in (["report"], ["report", "--by", "unit"], ["milestones", "list"], ["due", "--within", "400"], ["history", "evil"],
                 ["units"], ["log"]):  # fmt: skip
        out = tmp_path / "h.xlsx"
        cli.ok(*argv, "-o", str(out), "--force")
        cells = list(_cells(openpyxl.load_workbook(out)))
        assert not [c for c in cells if c.data_type == "f"]
        assert any(isinstance(c.value, str) and "<img src=x onerror=alert(1)>" in c.value for c in cells), argv
        page_file = tmp_path / "h.html"
        cli.ok(*argv, "-o", str(page_file), "--force")
        text = page_file.read_text(encoding="utf-8")
        _assert_nothing_obeyable(text.replace("\n", ""))
        page = Page(text)
        assert "img" not in page.tags and "script" not in page.tags and not [a for a in page.attrs if a.startswith("on")]
        assert "&lt;img src=x onerror=alert(1)&gt;" in text and "\\x1b[2J" in text


# ── the figures sheet imports back unchanged ─────────────────────────────────────────────────
def _figures(cli, db: Path) -> list[tuple]:
    rows = list(csv.DictReader(io.StringIO(cli.ok("--db", str(db), "export", "-f", "csv").stdout)))
    return sorted((r["key"], r["value"], r["as_of"], r["vintage"], r["state"], r["note"], r["source"], r["flag"]) for r in rows)


def test_an_exported_figures_workbook_imports_back_unchanged(month, db_path, tmp_path):
    month.ok("record", "gdp", "7.05", "--as-of", "2022-05-31", "--note", "=SUM(A1) 原文", "--source", "'=A1 统计局")
    month.ok("record", "retail", "9.50", *AS_OF, "--note", "第一行\n第二行\t制表")
    month.ok("record", "revenue", "-3.2", *AS_OF, "--vintage", "final")
    out = tmp_path / "figures.xlsx"
    month.ok("export", "-o", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[1]] == ["id", "key", "value", "as_of", "vintage", "state", "note", "source", "recorded_at", "flag"]
    assert sheet.freeze_panes == "A2"
    values = {r[1].value: r[2] for r in sheet.iter_rows(min_row=2)}
    assert values["retail"].value == 9.5 and values["retail"].number_format == "0.00"  # 9.50 as published
    fresh = tmp_path / "fresh.db"
    month.ok("--db", str(fresh), "import", str(out))
    assert _figures(month, fresh) == _figures(month, db_path)
    again = month.ok("--lang", "en", "--db", str(fresh), "import", str(out)).stdout
    assert "0 added, 0 revised" in again


def test_a_history_workbook_is_a_figures_sheet_that_imports_back(month, tmp_path):
    out = tmp_path / "gdp.xlsx"
    month.ok("history", "gdp", "-o", str(out))
    fresh = tmp_path / "fresh.db"
    month.ok("--db", str(fresh), "import", str(out))
    back = json.loads(month.ok("--db", str(fresh), "history", "gdp", "--format", "json").stdout)
    assert [(h["value"], h["as_of"], h["note"]) for h in back] == [(7.0, "2022-06-30", "统计月报")]


def test_writing_a_workbook_is_the_only_thing_that_loads_openpyxl(month, tmp_path):
    import subprocess
    import sys

    code = ("import sys; from typer.testing import CliRunner; from hnreport.commands.app import app; "
            "r = CliRunner().invoke(app, sys.argv[1:]); assert r.exit_code == 0, r.output; "
            "print('openpyxl' in sys.modules)")  # fmt: skip
    for argv, loaded in ((["report", "--format", "html"], "False"), (["report", "--format", "markdown"], "False"),
                         (["report", "-o", str(tmp_path / "r.xlsx")], "True")):  # fmt: skip
        out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == loaded, argv
