"""The 督查通报 (``hnreport bulletin``) and the 督办单 (``hnreport orders``): every written .docx
opened with python-docx (page, margins, East Asian faces and sizes, the grid, the PAGE field),
every .xlsx with openpyxl (numbers, fills, text that stays text), every .html parsed (tables are
tables); the bulletin's counts against ``report --format json``; and a month run end to end."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers import assert_refused, dump, one

OFFICE = "衡南县人民政府督查室"
DRC, TRANSPORT, HOUSING = "县发展和改革局", "县交通运输局", "县住房和城乡建设局"
STALLED_PROBLEM = "征地拆迁未完成，主桥桩基施工受阻"
STALLED_NEXT = "7月底前完成剩余征地，8月恢复桩基施工"


@pytest.fixture
def month(cli, db_path):
    """July 2022 as an office has it: figures recorded, units assigned, a milestone stalled and
    overdue with the reasons its unit gave, another behind with none."""
    steps = [
        ("record", "key-project-investment", "40", "--as-of", "2022-06"),  # 70 expected: far behind
        ("record", "gdp", "7.0", "--as-of", "2022H1", "--note", "受疫情影响，二季度增速回落"),  # far behind
        ("record", "industry", "9.5", "--as-of", "2022-06"),  # on pace
        ("record", "retail", "8.7", "--as-of", "2022-06"),  # behind by 0.3 points
        ("units", "add", DRC, "--alias", "县发改局"),
        ("units", "add", TRANSPORT, "--alias", "县交通局"),
        ("units", "add", HOUSING, "--alias", "县住建局"),
        ("assign", "key-project-investment", "县发改局"),
        ("assign", "gdp", "县发改局"),
        ("assign", "industry", "县住建局"),
        ("assign", "retail", "县住建局"),
        ("assign", "tugutang-bridge", "县交通局"),
        ("assign", "tugutang-bridge", "县发改局", "--role", "support"),
        ("milestones", "due", "tugutang-bridge", "2022-06-15"),
        ("milestones", "set", "tugutang-bridge", "stalled", "--as-of", "2022-06-30", "--problems", STALLED_PROBLEM,
         "--next", STALLED_NEXT),
        ("config", "set", "office.name", OFFICE),
    ]  # fmt: skip
    for args in steps:
        cli.ok(*args)
    return db_path


def _json(cli, *args):
    return json.loads(cli.ok(*args).stdout)


def _docx_text(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _east_asian(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


# ── the Word file ────────────────────────────────────────────────────────────────────────────
def test_the_docx_is_laid_out_per_gb_t_9704(cli, month, tmp_path):
    path = tmp_path / "通报.docx"
    cli.ok("bulletin", "--as-of", "2022-06", "-o", str(path))
    doc = Document(str(path))
    s = doc.sections[0]
    assert (round(s.page_width.mm, 1), round(s.page_height.mm, 1)) == (210, 297)
    assert [round(m.mm, 1) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    assert abs(s.page_width - s.left_margin - s.right_margin - Mm(156)) < Mm(0.1)
    assert abs(s.page_height - s.top_margin - s.bottom_margin - Mm(225)) < Mm(0.1)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch, char_space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    assert round(225 / 25.4 * 72 * 20 / line_pitch) == 22  # 22 lines a page
    assert round(156 / 25.4 * 72 / (16 + char_space / 4096)) == 28  # 28 characters of 3号 a line

    paragraphs = doc.paragraphs
    by_text = {p.text: p for p in paragraphs}
    title = by_text["关于2022年上半年政府工作报告目标任务推进情况的通报"]
    assert [(_east_asian(r), r.font.size) for r in title.runs] == [("方正小标宋简体", Pt(22))]
    h1 = by_text["一、总体情况"]
    assert [(_east_asian(r), r.font.size) for r in h1.runs] == [("黑体", Pt(16))]
    h2 = by_text["（一）指标滞后"]
    assert [(_east_asian(r), r.font.size) for r in h2.runs] == [("楷体_GB2312", Pt(16))]
    body = next(p for p in paragraphs if p.text.startswith("截至2022年6月30日"))
    assert [(_east_asian(r), r.font.size) for r in body.runs] == [("仿宋_GB2312", Pt(16))]
    date_line = paragraphs[[p.text for p in paragraphs].index("2022年7月15日")]
    assert date_line.alignment == 2  # right
    assert paragraphs[0].text == OFFICE and str(paragraphs[0].runs[0].font.color.rgb) == "C00000"  # the red 版头

    # Page numbers: "— N —" in 4号 宋体, a PAGE field; odd pages right, even pages left.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((s.footer, 2), (s.even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.alignment == alignment
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {(_east_asian(r), r.font.size) for r in p.runs} == {("宋体", Pt(14))}
    assert doc.core_properties.author == OFFICE

    # Tables: the header row repeats on every page; status cells are shaded.
    targets = doc.tables[0]
    assert targets.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text.replace("\n", "") for c in targets.rows[0].cells] == ["序号", "指标", "牵头单位", "年度目标", "最新值", "数据期", "序时应达", "差距", "状态"]
    gdp = next(r for r in targets.rows if r.cells[1].text == "地区生产总值增长")
    assert gdp.cells[8].text == "严重滞后"
    assert gdp.cells[8]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "FFC7CE"
    industry = next(r for r in targets.rows if r.cells[1].text == "规模工业增加值增长")
    assert industry.cells[8]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "C6EFCE"


def test_the_summary_counts_are_the_reports(cli, month, tmp_path):
    report = _json(cli, "report", "--as-of", "2022-06-30", "--format", "json")
    content = _json(cli, "bulletin", "--as-of", "2022-06-30", "--format", "json")
    assert content["summary"]["targets"] == report["summary"]
    assert content["summary"]["pace"] == report["pace"]
    assert content["summary"]["milestones"] == report["milestones"]["summary"]
    assert content["summary"]["milestones_overdue"] == len(report["milestones"]["overdue"])
    by_key = {t["key"]: t for t in report["targets"]}
    for row in content["targets"]:
        assert (row["status"], row["pace"], row["latest"]) == (by_key[row["key"]]["status"], by_key[row["key"]]["pace"],
                                                               by_key[row["key"]]["latest"])  # fmt: skip
    # …and the words of 一、 say those counts.
    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    overview = next(t for t in _docx_text(Document(str(path))) if t.startswith("截至2022年6月30日"))
    s = report["summary"]
    assert f"27项量化指标中，符合序时{s['on_pace']}项（占{s['on_pace'] / 27 * 100:.1f}%），滞后{s['behind']}项" in overview
    assert f"严重滞后{s['far_behind']}项" in overview
    assert f"超序时{report['pace']['ahead']}项、达序时{report['pace']['on']}项、欠序时{report['pace']['behind']}项" in overview
    assert "已超过完成时限仍未完成的1项" in overview


def test_the_problems_units_recorded_are_under_four_and_none_is_news(cli, month, tmp_path):
    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    text = _docx_text(Document(str(path)))
    four, five = text.index("四、存在的问题"), text.index("五、下一步工作")
    part = "\n".join(text[four:five])
    assert f"土谷塘大桥通车（牵头单位：{TRANSPORT}）逾期未完成（完成时限2022-06-15，已逾期15天）。存在问题：{STALLED_PROBLEM}。" in part
    assert f"地区生产总值增长（牵头单位：{DRC}）严重滞后于序时进度。存在问题：未报送。数据说明：受疫情影响，二季度增速回落。" in part
    assert "社会消费品零售总额增长" in part  # behind: named too
    assert "规模工业增加值增长" not in part  # on pace: not a problem
    after = "\n".join(text[five:])
    assert f"土谷塘大桥通车（{TRANSPORT}）：{STALLED_NEXT}。" in after
    assert f"重点项目完成投资（{DRC}）：未报送下一步措施。" in after


def test_the_ranking_is_worst_first_in_the_stated_order(cli, month, tmp_path):
    content = _json(cli, "bulletin", "--as-of", "2022-06-30", "--format", "json")
    rows = content["ranking"]["rows"]
    assert [(r["unit"], r["red"], r["overdue"], r["yellow"]) for r in rows] == [
        (DRC, 2, 0, 0), (TRANSPORT, 1, 1, 0), (HOUSING, 0, 0, 1)]  # fmt: skip
    assert (rows[0]["support_items"], rows[1]["support_items"], rows[1]["lead_items"]) == (1, 0, 1)
    cli.ok("config", "set", "ranking.order", "overdue,red")
    rows = _json(cli, "bulletin", "--as-of", "2022-06-30", "--format", "json")["ranking"]["rows"]
    assert [r["unit"] for r in rows] == [TRANSPORT, DRC, HOUSING]
    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    doc = Document(str(path))
    ranking = doc.tables[-1]
    assert [r.cells[1].text for r in ranking.rows[1:]] == [TRANSPORT, DRC, HOUSING]
    assert any("排名规则：按牵头事项的逾期数、红灯数依次从多到少排列" in t for t in _docx_text(doc))
    assert_refused(cli("config", "set", "ranking.order", "red,bogus"))


# ── Excel and HTML ───────────────────────────────────────────────────────────────────────────
def test_the_xlsx_keeps_numbers_as_numbers_and_fills_statuses(cli, month, tmp_path):
    path = tmp_path / "b.xlsx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["正文", "主要指标"]
    ws = wb["主要指标"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    row = next(r for r in ws.iter_rows(min_row=2) if r[col["指标"]].value == "重点项目完成投资")
    assert (row[col["最新值"]].value, row[col["最新值"]].data_type) == (40, "n")
    assert row[col["最新值"]].number_format == '0"亿元"'
    assert row[col["序时应达"]].value == 70 and row[col["差距"]].value == -30
    assert row[col["状态"]].value == "严重滞后" and row[col["状态"]].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.column_dimensions["B"].width > 10
    ranking = wb["单位排名"]
    assert [c.value for c in ranking["B"][1:]] == [DRC, TRANSPORT, HOUSING]
    assert ranking["F2"].value == 2 and ranking["F2"].data_type == "n"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def test_the_html_is_tables_and_prints_on_a4(cli, month, tmp_path):
    path = tmp_path / "b.html"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    assert parser.tags.count("table") == 3 and "thead" in parser.tags and "span" not in parser.tags
    assert "@page { size: A4;" in text and "<title>关于2022年上半年政府工作报告目标任务推进情况的通报</title>" in text
    assert STALLED_PROBLEM in text


def test_formats_by_extension_and_refusals(cli, month, tmp_path):
    before = dump(month)
    assert_refused(cli("--lang", "en", "bulletin", "-o", str(tmp_path / "b.pdf")), before, month,
                   line="error: cannot tell the document format of 'b.pdf'; use .docx, .htm, .html, .json, .markdown, .md, .xlsx")  # fmt: skip
    assert_refused(cli("--lang", "en", "bulletin", "--format", "json", "-o", str(tmp_path / "b.docx")), before, month)
    assert_refused(cli("--lang", "en", "bulletin", "--format", "docx"), before, month,
                   line="error: --format docx is written to a file only; use -o NAME.docx")  # fmt: skip
    assert_refused(cli("--lang", "en", "bulletin", "--number", "3"), before, month)
    (tmp_path / "b.md").write_text("old")
    assert_refused(cli("--lang", "en", "bulletin", "--issue", "-o", str(tmp_path / "b.md")), before, month)  # nothing recorded
    assert (tmp_path / "b.md").read_text() == "old"
    md = cli.ok("bulletin", "--as-of", "2022-06-30", "--format", "markdown").stdout
    assert "# 关于2022年上半年政府工作报告目标任务推进情况的通报" in md and "| 序号 | 指标 |" in md
    cli.ok("undo")  # office.name: a draft without it says so, and still comes out
    result = cli.ok("--lang", "en", "bulletin", "--as-of", "2022-06-30")
    assert "note: no issuing office is set" in result.stderr and "衡南县人民政府督查室" not in result.stdout


# ── hostile text ─────────────────────────────────────────────────────────────────────────────
def test_hostile_names_go_through_every_document_as_text(cli, month, tmp_path):
    from test_hostile_input import HOSTILE

    formula = '=HYPERLINK("http://x","点我")'
    cli.ok("units", "add", "单位" + HOSTILE)
    cli.ok("milestones", "add", "evil-m", "--name-zh", formula, "--section", "livelihood")
    cli.ok("milestones", "set", "evil-m", "stalled", "--as-of", "2022-06-30", "--problems", "问题" + HOSTILE)
    cli.ok("assign", "evil-m", "单位" + HOSTILE)
    for suffix in ("docx", "xlsx", "html", "md"):
        cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(tmp_path / f"b.{suffix}"))
        cli.ok("orders", "draft", "单位" + HOSTILE, "--as-of", "2022-07-15", "-o", str(tmp_path / f"o.{suffix}"))
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    ws = wb["逾期和停滞事项"]
    cell = next(c for c in ws["B"] if c.value and "HYPERLINK" in c.value)
    assert (cell.value, cell.data_type) == (formula, "s")  # text, not a live formula
    units = [c.value for c in wb["单位排名"]["B"][1:]]
    assert any(u.startswith("单位甲\\x1b[2J") for u in units)  # control characters escaped, not dropped
    for name in ("b.html", "o.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "\x1b" not in page
    doc = Document(str(tmp_path / "b.docx"))
    assert any("问题甲\\x1b[2J" in p.text for p in doc.paragraphs)
    order = Document(str(tmp_path / "o.docx"))
    assert order.tables[0].rows[1].cells[1].text == formula


# ── the month end to end ─────────────────────────────────────────────────────────────────────
def test_a_month_from_figures_to_the_next_bulletin(cli, month, tmp_path, monkeypatch):
    monkeypatch.setenv("HNREPORT_TODAY", "2022-07-20")
    first = tmp_path / "通报-第1期.docx"
    result = cli.ok("--lang", "en", "bulletin", "--as-of", "2022-06-30", "--issue", "-o", str(first))
    assert "recorded as 督查通报 2022 no. 1 (as of 2022-06-30, issued 2022-07-20)" in result.stderr
    assert "2022年第1期" in _docx_text(Document(str(first)))
    issued = _json(cli, "bulletin", "--reissue", "1", "--format", "json")
    assert issued["number"] == 1 and issued["issued_on"] == "2022-07-20"

    folder = tmp_path / "督办单"
    result = cli.ok("--lang", "en", "orders", "draft", "--all", "--as-of", "2022-07-20", "--issue", "-o", f"{folder}/")
    assert "recorded 3 order(s)" in result.stderr and "reply due 2022-07-27" in result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"督办单-2022-001-{TRANSPORT}.docx", f"督办单-2022-002-{HOUSING}.docx", f"督办单-2022-003-{DRC}.docx"]
    order = Document(str(folder / files[2]))
    texts = _docx_text(order)
    assert "督办〔2022〕3号" in texts and f"{DRC}：" in texts
    assert any("请于2022年7月27日前将办理情况书面报送" + OFFICE in t for t in texts)
    items = [[c.text.replace("\n", "") for c in r.cells] for r in order.tables[0].rows[1:]]  # lines broken between figures
    assert [i[1] for i in items] == ["地区生产总值增长", "重点项目完成投资"]
    assert "差距-30亿元" in items[1][3]
    assert [r.cells[0].text for r in order.tables[1].rows[1:]] == ["办理情况", "责任人", "联系电话", "单位负责人签字"]

    orders = _json(cli, "orders", "list", "--format", "json")
    transport = next(o for o in orders if o["unit"] == TRANSPORT)
    monkeypatch.setenv("HNREPORT_TODAY", "2022-07-25")  # the day the reply came (a reply is not recorded ahead)
    cli.ok("orders", "reply", str(transport["id"]), "--text", "已完成征地，8月1日复工", "--source", "衡南交通〔2022〕21号",
           "--person", "李明", "--phone", "0734-1234567", "--date", "2022-07-25")  # fmt: skip

    monkeypatch.setenv("HNREPORT_TODAY", "2022-08-10")
    cli.ok("record", "key-project-investment", "52", "--as-of", "2022-07")
    second = tmp_path / "通报-第2期.docx"
    cli.ok("bulletin", "--as-of", "2022-07-31", "--issue", "-o", str(second))
    text = "\n".join(_docx_text(Document(str(second))))
    assert "2022年第2期" in text
    # 较上期: against 第1期 (as of 30 June) — the same lagging targets, the bridge overdue still;
    # the items named again say so
    second_json = _json(cli, "bulletin", "--reissue", "2", "--format", "json")
    first_json = _json(cli, "bulletin", "--reissue", "1", "--format", "json")
    lagging = [sum(c["summary"]["targets"].get(k, 0) for k in ("behind", "far_behind", "missed")) for c in (first_json, second_json)]
    assert second_json["previous"]["lagging"] == lagging and first_json["previous"] is None
    assert "与上期（2022年第1期，截至2022年6月30日）相比，" in text
    assert "项问题连续两期被通报" in text
    assert "地区生产总值增长（牵头单位：县发展和改革局）严重滞后于序时进度，上期已通报。" in text
    assert "（已督办：督办〔2022〕3号，2022年7月20日，未回复）" in text
    assert "（已督办：督办〔2022〕1号，2022年7月20日，已回复）" in text
    assert f"逾期未回复：{HOUSING}（督办〔2022〕2号，应于2022年7月27日前回复，已逾期4天）；{DRC}（督办〔2022〕3号" in text
    assert "李明" not in text and "0734-1234567" not in text  # contact details stay with the office
    content = _json(cli, "bulletin", "--reissue", "2", "--format", "json")
    assert "李明" not in json.dumps(content, ensure_ascii=False)

    # Re-issue: the same text and numbers, whatever was recorded since.
    cli.ok("record", "gdp", "8.9", "--as-of", "2022-06", "--vintage", "final")
    again = tmp_path / "重印.docx"
    cli.ok("bulletin", "--reissue", "1", "--year", "2022", "-o", str(again))
    assert _docx_text(Document(str(again))) == _docx_text(Document(str(first)))

    # Numbers are per year and unique; undo takes an issue back.
    before = dump(month)
    assert_refused(cli("--lang", "en", "bulletin", "--issue", "--number", "2"), before, month,
                   line="error: 督查通报 2022 no. 2 is already recorded; the next is no. 3 (leave out --number to take it)")  # fmt: skip
    cli.ok("bulletin", "--issue", "--as-of", "2022-07-31")
    assert one(month, "SELECT count(*) FROM bulletins") == 3
    cli.ok("undo")
    assert _json(cli, "bulletin", "--issue", "--as-of", "2022-07-31", "--format", "json")["number"] == 3
    assert_refused(cli("--lang", "en", "bulletin", "--reissue", "9"))


def test_known_at_rebuilds_a_bulletin_from_what_was_recorded_then(cli, month, db_path):
    cli.ok("record", "trade", "12", "--as-of", "2022-06")
    from helpers import execute

    # Everything but the last figure recorded long ago (a bulletin is rebuilt from a past moment).
    execute(db_path, "UPDATE journal SET at = '2000-01-01T00:00:00+00:00' WHERE id < (SELECT max(id) FROM journal)")
    now = _json(cli, "bulletin", "--as-of", "2022-06-30", "--format", "json")
    then = _json(cli, "bulletin", "--as-of", "2022-06-30", "--known-at", "2000-01-02", "--format", "json")
    assert now["summary"]["targets"]["no_data"] + 1 == then["summary"]["targets"]["no_data"]
    report = _json(cli, "report", "--as-of", "2022-06-30", "--known-at", "2000-01-02", "--format", "json")
    assert then["summary"]["targets"] == report["summary"]


def test_orders_refusals(cli, month, tmp_path):
    before = dump(month)
    assert_refused(cli("--lang", "en", "orders", "draft"), before, month,
                   line="error: name a unit (hnreport orders draft 县发改局 -o order.docx) or give --all -o FOLDER/")  # fmt: skip
    assert_refused(cli("--lang", "en", "orders", "draft", "--all", "-o", str(tmp_path / "x.docx")), before, month)
    assert_refused(cli("--lang", "en", "orders", "draft", "县发该局"), before, month)
    assert_refused(cli("--lang", "en", "orders", "reply", "7", "--text", "x"), before, month,
                   line="error: no order with ID 7; 'hnreport orders list' shows the orders recorded")  # fmt: skip
    cli.ok("units", "add", "县教育局")
    assert_refused(cli("--lang", "en", "orders", "draft", "县教育局", "--as-of", "2022-07-15"))


def test_issued_documents_and_replies_survive_export_and_restore(cli, month, tmp_path):
    cli.ok("bulletin", "--as-of", "2022-06-30", "--issue")
    cli.ok("orders", "draft", "--all", "--as-of", "2022-07-15", "--issue", "-o", f"{tmp_path / 'o'}/")
    cli.ok("orders", "reply", "1", "--text", "已整改", "--person", "王五", "--phone", "13800000000")
    out = tmp_path / "backup.json"
    cli.ok("export", "-o", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [(b["year"], b["number"]) for b in exported["bulletins"]] == [(2022, 1)]
    assert exported["order_replies"][0]["person"] == "王五"  # the office's own record keeps it
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "import", str(out))
    mine = _json(cli, "bulletin", "--reissue", "1", "--format", "json")
    theirs = _json(cli, "--db", str(other), "bulletin", "--reissue", "1", "--format", "json")
    assert theirs == mine
    assert _json(cli, "--db", str(other), "orders", "list", "--format", "json") == _json(cli, "orders", "list", "--format", "json")
    broken = dict(exported, orders=[dict(exported["orders"][0], items=[{"key": "gdp", "reason": "late"}])])
    out.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    third = tmp_path / "third.db"
    result = cli("--lang", "en", "--db", str(third), "import", str(out))
    assert result.exit_code == 1 and "orders[0].items[0].reason" in result.stderr


def test_the_comparison_with_the_last_bulletin_says_what_changed():
    from hnreport.render.bulletin import compared, comparison_sentence

    before = {"number": 3, "year": 2022, "as_of": "2022-05-31",
              "summary": {"targets": {"behind": 2, "far_behind": 1}, "milestones_overdue": 1},
              "problems": [{"key": "gdp", "name": "地区生产总值增长"}, {"key": "retail", "name": "社会消费品零售总额增长"}]}  # fmt: skip
    now = {"summary": {"targets": {"behind": 1}, "milestones_overdue": 1},
           "problems": [{"key": "GDP", "name": "地区生产总值增长"}, {"key": "tugutang-bridge", "name": "土谷塘大桥通车"}]}  # fmt: skip
    assert comparison_sentence(compared(before, now)) == (
        "与上期（2022年第3期，截至2022年5月31日）相比，滞后指标由3项减少为1项，逾期重点工作1项，与上期持平；"
        "新增问题1项（土谷塘大桥通车）；上期通报的1项问题已消除（社会消费品零售总额增长）；1项问题连续两期被通报。")


# ── a period not ended, replies out of time, items no unit leads, the page ───────────────────
def _part(text: list[str], start: str, end: str) -> str:
    return "\n".join(text[text.index(start):text.index(end)])


def test_a_bulletin_for_a_period_not_ended_is_refused_unless_forced(cli, month, tmp_path):
    before = dump(month)  # today is 2022-07-15: September has not ended
    for extra in ((), ("--issue", "-o", str(tmp_path / "fut.docx"))):
        assert_refused(cli("--lang", "en", "bulletin", "--as-of", "2022-09", *extra), before, month,
                       line="error: the bulletin's period ending 2022-09-30 has not ended yet (today is 2022-07-15); "
                            "add --force to draft it anyway (it says so)")  # fmt: skip
    result = cli("--lang", "zh", "bulletin", "--as-of", "2022-07-31")
    assert result.exit_code == 1 and dump(month) == before
    assert result.stderr == "错误：通报截至 2022-07-31，该时期尚未结束（今天是 2022-07-15）；如确要起草，请加 --force（通报将注明时期尚未结束）\n"
    assert not (tmp_path / "fut.docx").exists()
    cli.ok("bulletin", "--as-of", "2022-07-15", "--format", "json")  # today itself has come

    path = tmp_path / "fut.docx"
    cli.ok("bulletin", "--as-of", "2022-09", "--issue", "--force", "-o", str(path))
    recorded = _json(cli, "bulletin", "--reissue", "1", "--format", "json")
    assert (recorded["as_of"], recorded["not_ended"], recorded["today"]) == ("2022-09-30", True, "2022-07-15")
    text = _docx_text(Document(str(path)))
    overview = _part(text, "一、总体情况", "二、主要指标完成情况")
    assert overview.startswith("一、总体情况\n特别说明：本期通报截至2022年9月30日，该时期尚未结束（制发时为2022年7月15日）")
    # who has not reported: for the last report due by today (June's), not a report not yet due
    assert recorded["reports"]["period"] == _json(cli, "bulletin", "--as-of", "2022-07-15", "--format", "json")["reports"]["period"]
    assert "9月进展情况" not in overview and "8月进展情况" not in overview
    # a draft for a period that has ended says nothing of the kind
    ended = _json(cli, "bulletin", "--as-of", "2022-06-30", "--format", "json")
    assert ended["not_ended"] is False and not any("特别说明" in s for s in ended["overview"])


def test_orders_as_of_a_day_not_yet_come_are_refused_unless_forced(cli, month, tmp_path):
    before = dump(month)  # today is 2022-07-15
    for extra in ((), ("--issue", "-o", str(tmp_path / "fut.docx"))):
        assert_refused(cli("--lang", "en", "orders", "draft", "县发改局", "--as-of", "2022-07-20", *extra), before, month,
                       line="error: the orders' as-of date 2022-07-20 has not come yet (today is 2022-07-15); "
                            "add --force to draft them anyway")  # fmt: skip
    result = cli("--lang", "zh", "orders", "draft", "--all", "--as-of", "2022-09", "-o", f"{tmp_path / 'o'}/")
    assert result.exit_code == 1 and dump(month) == before
    assert result.stderr == "错误：督办单截至 2022-09-30，该日尚未到来（今天是 2022-07-15）；如确要起草，请加 --force\n"
    assert not (tmp_path / "fut.docx").exists() and not (tmp_path / "o").exists()
    assert "督办单" in cli.ok("orders", "draft", "县发改局", "--as-of", "2022-07-15").stdout  # today itself has come
    assert "督办单" in cli.ok("orders", "draft", "县发改局", "--as-of", "2022-07-20", "--force").stdout


def test_replies_dated_ahead_or_before_the_order_are_refused_and_a_late_one_is_late(cli, month, tmp_path, monkeypatch):
    monkeypatch.setenv("HNREPORT_TODAY", "2022-07-20")
    cli.ok("orders", "draft", "--all", "--as-of", "2022-07-20", "--issue", "-o", f"{tmp_path / 'o'}/")  # reply due 07-27
    orders = {o["unit"]: o for o in _json(cli, "orders", "list", "--format", "json")}
    drc, transport = orders[DRC]["id"], orders[TRANSPORT]["id"]
    before = dump(month)
    assert_refused(cli("--lang", "en", "orders", "reply", str(drc), "--text", "已整改", "--date", "2022-07-21"), before, month,
                   line="error: the reply date 2022-07-21 is after today (2022-07-20); record a reply once it has come")  # fmt: skip
    assert_refused(cli("--lang", "en", "orders", "reply", str(drc), "--text", "已整改", "--date", "2022-07-19"), before, month,
                   line="error: the reply date 2022-07-19 is before 督办〔2022〕3号 was issued (2022-07-20); check --date")  # fmt: skip
    result = cli("--lang", "zh", "orders", "reply", str(drc), "--text", "已整改", "--date", "2022-07-19")
    assert result.exit_code == 1 and dump(month) == before
    assert result.stderr == "错误：回复日期 2022-07-19 早于 督办〔2022〕3号 的下发日期 2022-07-20；请检查 --date\n"

    monkeypatch.setenv("HNREPORT_TODAY", "2022-08-05")
    cli.ok("orders", "reply", str(drc), "--text", "已制定整改方案", "--date", "2022-08-01")  # four days late
    cli.ok("orders", "reply", str(transport), "--text", "已复工", "--date", "2022-07-25")  # in time
    listed = {o["unit"]: o for o in _json(cli, "orders", "list", "--format", "json")}
    assert (listed[DRC]["replied"], listed[DRC]["replied_late"], listed[DRC]["reply_overdue"]) == (True, True, True)
    assert (listed[TRANSPORT]["replied"], listed[TRANSPORT]["replied_late"], listed[TRANSPORT]["reply_overdue"]) == (True, False, False)
    assert (listed[HOUSING]["replied"], listed[HOUSING]["reply_overdue"]) == (False, True)  # none yet, deadline passed
    table = cli.ok("--lang", "zh", "orders", "list").stdout
    assert "已回复 2022-08-01（逾期回复）" in table and "已回复 2022-07-25：" in table and "逾期未回复" in table
    assert "replied 2022-08-01 (late)" in cli.ok("--lang", "en", "orders", "list").stdout
    csv_text = cli.ok("orders", "list", "--format", "csv").stdout
    assert "replied_late" in csv_text.splitlines()[0]

    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-07-31", "-o", str(path))
    text = "\n".join(_docx_text(Document(str(path))))
    assert f"已下发督办单3份，已回复2份（其中逾期回复1份：{DRC}），逾期未回复1份（{HOUSING}）。" in text
    assert f"逾期回复：{DRC}（督办〔2022〕3号，应于2022年7月27日前回复，2022年8月1日回复，逾期5天）" in text
    assert "（已督办：督办〔2022〕3号，2022年7月20日，已回复（逾期回复））" in text
    assert "（已督办：督办〔2022〕1号，2022年7月20日，已回复）" in text


def test_items_no_unit_leads_are_not_blamed_on_a_unit(cli, tmp_path):
    cli.ok("record", "gdp", "7.0", "--as-of", "2022H1")  # far behind, no lead unit
    cli.ok("milestones", "due", "tugutang-bridge", "2022-06-15")
    cli.ok("milestones", "set", "tugutang-bridge", "stalled", "--as-of", "2022-06-30")
    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    text = _docx_text(Document(str(path)))
    four = _part(text, "四、存在的问题", "五、下一步工作")
    assert "地区生产总值增长（未明确牵头单位）严重滞后于序时进度。" in four
    assert "土谷塘大桥通车（未明确牵头单位）逾期未完成（完成时限2022-06-15，已逾期15天）。" in four
    assert "以上事项中，2项尚未明确牵头单位（地区生产总值增长、土谷塘大桥通车），建议明确牵头单位。" in four
    assert "未报送" not in four and "牵头单位：未分配" not in "\n".join(text) and "牵头单位未报送" not in "\n".join(text)
    five = _part(text, "五、下一步工作", "附件：责任单位推进情况排名")
    assert "未报送" not in five and "地区生产总值增长（未明确牵头单位）：明确牵头单位后报送下一步措施。" in five
    # …and no order goes to nobody
    assert_refused(cli("--lang", "en", "orders", "draft", "--all", "-o", f"{tmp_path / 'o'}/"),
                   line="error: as of 2022-07-15, 2 item(s) behind, overdue or stalled have no lead unit (gdp, tugutang-bridge): "
                        "no unit to send an order to; assign them first: 'hnreport assign KEY UNIT'")  # fmt: skip
    cli.ok("units", "add", TRANSPORT)
    cli.ok("assign", "tugutang-bridge", TRANSPORT)
    result = cli.ok("--lang", "en", "orders", "draft", "--all", "--issue", "-o", f"{tmp_path / 'o'}/")
    assert "1 item(s) behind, overdue or stalled have no lead unit and get no order: gdp" in result.stderr
    assert [o["unit"] for o in _json(cli, "orders", "list", "--format", "json")] == [TRANSPORT]
    text = "\n".join(_docx_text(Document(str(path))))
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path), "--force")
    four = _part(_docx_text(Document(str(path))), "四、存在的问题", "五、下一步工作")
    assert f"以上事项中，1项的牵头单位未报送存在问题和下一步措施（{TRANSPORT}）。" in four
    assert "以上事项中，1项尚未明确牵头单位（地区生产总值增长），建议明确牵头单位。" in four


def test_an_implied_deadline_is_marked_in_the_order_and_the_bulletin(cli, month, tmp_path, monkeypatch):
    cli.ok("assign", "energy-dual-control", "县发改局")
    cli.ok("milestones", "set", "energy-dual-control", "stalled", "--as-of", "2022-06-30")
    path = tmp_path / "o.docx"
    cli.ok("orders", "draft", "县发改局", "--as-of", "2022-07-15", "-o", str(path))
    items = {r.cells[1].text: r.cells[3].text.replace("\n", "") for r in Document(str(path)).tables[0].rows[1:]}
    assert items['完成能耗"双控"目标任务'] == "完成时限2022-12-31（推定）"
    # overdue after the year's end: the bulletin says the deadline was implied too
    monkeypatch.setenv("HNREPORT_TODAY", "2023-01-20")
    content = _json(cli, "bulletin", "--as-of", "2023-01-10", "--format", "json")
    energy = next(p for p in content["problems"] if p["key"] == "energy-dual-control")
    assert energy["due_implied"] is True
    from hnreport.render.bulletin import problem_text

    assert "（完成时限2022-12-31（推定），已逾期10天）" in problem_text(energy)


def test_the_appendix_says_the_ranking_rule_in_words_and_figures_never_break(cli, month, tmp_path):
    cli.ok("record", "forest-cover", "43.42", "--as-of", "2022-06")
    path = tmp_path / "b.docx"
    cli.ok("bulletin", "--as-of", "2022-06-30", "-o", str(path))
    doc = Document(str(path))
    text = "\n".join(_docx_text(doc))
    assert "ranking.order" not in text and "配置项" not in text
    assert "排名规则：按牵头事项的红灯数、逾期数、黄灯数依次从多到少排列（多者在前），相同者按单位名称排列。" in text

    from hnreport.render.formats.docx import CELL_PAD_TWIPS, TABLE_PT, _em

    pad = 2 * CELL_PAD_TWIPS / 1440 * 25.4
    for table in doc.tables:
        widths = [c.width.mm for c in table.columns]
        assert abs(sum(widths) - 156) < 0.5  # the text block, portrait
        size = table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
        assert size <= TABLE_PT
        for row in table.rows[1:]:
            for width, c in zip(widths, row.cells):
                for line in c.text.split("\n"):
                    # a figure with its unit or a short word, as written on one line: it fits
                    if line and (_em(line) <= 4 or (any(ch.isdigit() for ch in line) and _em(line) <= 8)):
                        assert _em(line) * size * 25.4 / 72 + pad <= width, (line, width)
    targets = {r.cells[1].text: [c.text for c in r.cells] for r in doc.tables[0].rows[1:]}
    assert targets["重点项目完成投资"][7] == "-30亿元\n(-21.43个百分点)"  # broken between its figures, not inside one
    assert targets["重点项目完成投资"][5] == "1-6月" and targets["社会消费品零售总额增长"][7] == "-0.30个百分点"
    ranking = doc.tables[-1]
    assert [r.cells[-1].text for r in ranking.rows[1:]] == ["未报送"] * 3
