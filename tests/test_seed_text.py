"""Every seeded phrase is what the report printed, found in the paragraph its locator names.

The data files are Simplified; the published source (tests/source/hengnan-2022-report.txt, a
verbatim copy of the report as published) is a Traditional-Chinese conversion of a Simplified
original. Method: the source is converted back to Simplified with the explicit character map
below (only characters that occur in the source), then compared with the data. On the data side
repair marks are removed first: a character the data files inserted where the source lost it is
written in brackets ([稳]步推进), so dropping the bracketed text gives what was printed (步推进).
Footnote markers ([27]: digits in brackets) are not repair marks; they are ignored on both sides,
since the milestones leave them out and the targets and results keep them.

Only tomllib and the text files are read here; no module of the package is imported.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SOURCE = Path(__file__).resolve().parent / "source" / "hengnan-2022-report.txt"
# The workplace keeps the original beside the repository; the copy in tests/ must be that file.
ORIGINAL = REPO.parent / "shared" / "source" / "000_020949d135bebf3b.txt"


def _load(name: str) -> dict:
    with open(DATA / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


PLAN = _load("plan")
TARGETS = _load("targets")["target"]
RESULTS = _load("results")["result"]
MILESTONES = _load("milestones")["milestone"]
GLOSSARY = _load("glossary")["term"]
SECTIONS = {s["code"]: s for s in PLAN["section"]}

# ── Traditional → Simplified, for exactly the characters of the source that differ ──────────
# Produced once by character-by-character t2s conversion of the source and checked by hand;
# listed here so the comparison does not depend on a conversion library. Two additions:
# 著 is 着 wherever the source has it (著力, 著重: the conversion's misreading), and the
# converter's placeholder 关键词2 stands for 我们.
TRADITIONAL = (
    "並亂來係個偉側備傳債傷傾價億儉優儲內兩別創劃動務勝勞勵匯區協厲參員問啟單噸嚴國圍園圓圖團執堅報場壓壯"
    "奮學實寧審寫寬寶將專對導屆屍層崗嶺嶽師帶幫幹幾庫廁廠廣張強後徑從復徹惡愛態懇應懲戰戶掃掛揚揮搶摯撐撥"
    "撫擁擊擔擴攜敗數斷於時暢暫曆書會東條業極榮構標樹橋機檢檻欄權歲歸殘氣汙決沒淨減測準溝滿潔潛潤澤濟濱瀝"
    "瀟灣災為無煙熱燒營爭獎獨獲獻現環產畝異當療發盡監盤眾確碼礎礪稅種穀積穩競節範築簡簽籌籠粵糞糧糾紀約紅"
    "納級紮細終組結絡給統經綜綠綢維網緊線編緩縣縮縱總績繆織繞繳繼續義習聞聯聲職脫臨與興舉舊艱莊華萬葉蓋藍"
    "藝藥處蟬術衛補製複見規視覺計訓記訪設許訴詐評詞試話誌認誠說課調談請論謀謝證識譜議護變讓豬負財貢貧貫責"
    "貸費貼貿賃資賦質購車軍較輕輪輿轄轉辦農這連進遊運過達違遠選遺還邊鄉醫釋銀銜銳銷鋪錄鍵鎮鏈長門開閑間闖"
    "關陣陸陽隊階際險隱隻雙雜離難雲電靈鞏響頁項預頒頓領頭頻題額類顧顯風飯飲養餘館馬馳駐騙驅驗體鬥麗麥麵點"
    "黨齊齒龍"
    "著"
)
SIMPLIFIED = (
    "并乱来系个伟侧备传债伤倾价亿俭优储内两别创划动务胜劳励汇区协厉参员问启单吨严国围园圆图团执坚报场压壮"
    "奋学实宁审写宽宝将专对导届尸层岗岭岳师带帮干几库厕厂广张强后径从复彻恶爱态恳应惩战户扫挂扬挥抢挚撑拨"
    "抚拥击担扩携败数断于时畅暂历书会东条业极荣构标树桥机检槛栏权岁归残气污决没净减测准沟满洁潜润泽济滨沥"
    "潇湾灾为无烟热烧营争奖独获献现环产亩异当疗发尽监盘众确码础砺税种谷积稳竞节范筑简签筹笼粤粪粮纠纪约红"
    "纳级扎细终组结络给统经综绿绸维网紧线编缓县缩纵总绩缪织绕缴继续义习闻联声职脱临与兴举旧艰庄华万叶盖蓝"
    "艺药处蝉术卫补制复见规视觉计训记访设许诉诈评词试话志认诚说课调谈请论谋谢证识谱议护变让猪负财贡贫贯责"
    "贷费贴贸赁资赋质购车军较轻轮舆辖转办农这连进游运过达违远选遗还边乡医释银衔锐销铺录键镇链长门开闲间闯"
    "关阵陆阳队阶际险隐只双杂离难云电灵巩响页项预颁顿领头频题额类顾显风饭饮养余馆马驰驻骗驱验体斗丽麦面点"
    "党齐齿龙"
    "着"
)
T2S = str.maketrans(TRADITIONAL, SIMPLIFIED)

REPAIR_MARK = re.compile(r"\[([^\]\d][^\]]*)\]")  # [稳], [提高], [(三)] — not footnotes like [27]
FOOTNOTE = re.compile(r"\[\d+\]")
LOCATOR = re.compile(r"^(?P<part>[一二])、(?P<head>[^›¶]+?)(?: › (?P<lead>[^¶]+?))? ¶(?P<n>\d+)(?:–¶(?P<m>\d+))?$")
PART_TITLES = {"一": "2021年工作回顾", "二": "2022年工作安排"}
FIRST_LINE = {"一": 20, "二": 54}  # ¶N of a part is on line FIRST_LINE + 2N (the data headers say so)


def simplified(text: str) -> str:
    return text.translate(T2S).replace("关键词2", "我们")


def printed(text: str) -> str:
    """The data's text as the report printed it: inserted (bracketed) characters dropped."""
    return REPAIR_MARK.sub("", text)


def comparable(text: str) -> str:
    return FOOTNOTE.sub("", text)


def _read_source() -> tuple[dict[str, list[tuple[int, str]]], dict[int, tuple[str, str, str]]]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    parts: dict[str, list[tuple[int, str]]] = {"一": [], "二": []}
    glossary: dict[int, tuple[str, str, str]] = {}
    current = None
    for number, line in enumerate(lines, start=1):
        text = simplified(line.strip())
        if text == "一、2021年工作回顾":
            current = "一"
        elif text == "二、2022年工作安排":
            current = "二"
        elif text == "《政府工作报告》相关名词解释":
            current = "glossary"
        elif text and current in parts:
            parts[current].append((number, text))
        elif text and current == "glossary" and (m := re.match(r"^(\d+)\.(.+?)\s*\((P\d+)\)\s*:\s*(.*)$", text)):
            glossary[int(m.group(1))] = (m.group(2), m.group(3), m.group(4))
    return parts, glossary


PARTS, SOURCE_GLOSSARY = _read_source()


def paragraph(part: str, n: int) -> str:
    return PARTS[part][n - 1][1]


def test_the_copy_in_tests_is_the_published_source() -> None:
    if not ORIGINAL.exists():
        pytest.skip("the workplace's shared/source is not beside this checkout")
    assert SOURCE.read_bytes() == ORIGINAL.read_bytes()


def test_paragraph_numbers_map_to_source_lines_as_the_headers_say() -> None:
    assert len(PARTS["一"]) == 16 and len(PARTS["二"]) == 37
    for part, paragraphs in PARTS.items():
        for n, (line, _) in enumerate(paragraphs, start=1):
            assert line == FIRST_LINE[part] + 2 * n, (part, n, line)
    assert sorted(SOURCE_GLOSSARY) == list(range(1, 36))
    for name in ("plan", "milestones", "glossary"):
        header = (DATA / f"{name}.toml").read_text(encoding="utf-8")
        assert "54 + 2N" in header, name
    assert "20 + 2N" in (DATA / "results.toml").read_text(encoding="utf-8")


def test_the_character_map_is_a_map() -> None:
    assert len(TRADITIONAL) == len(SIMPLIFIED) == len(set(TRADITIONAL))
    assert not set(TRADITIONAL) & set(SIMPLIFIED)  # no character is both converted and a result


# ── locators ────────────────────────────────────────────────────────────────────────────────
def _parse(locator: str) -> re.Match:
    m = LOCATOR.match(locator)
    assert m, f"not a locator: {locator!r}"
    return m


def _section_range(code: str) -> tuple[str, int, int]:
    m = _parse(SECTIONS[code]["locator"])
    return m["part"], int(m["n"]), int(m["m"] or m["n"])


def check_locator(locator: str, section: str | None) -> str:
    """Check a locator against the source and the item's plan section; return its paragraph.

    ``section`` None: the paragraph lies outside every plan section (二 ¶1, the preamble), so
    the locator must name the part itself.
    """
    m = _parse(locator)
    part, n = m["part"], int(m["n"])
    head = m["head"]
    if section is None:
        assert head == PART_TITLES[part], locator
    else:
        first_part, first, last = _section_range(section)
        assert part == first_part and first <= n <= last, f"{locator!r} is outside section {section}"
    if head != PART_TITLES[part]:
        # a section heading: the plan's name for it, printed at the start of the section's first paragraph
        assert head == SECTIONS[section]["name_zh"], (locator, SECTIONS[section]["name_zh"])
        assert paragraph(part, first).startswith(printed(head)), (locator, paragraph(part, first)[:30])
    text = paragraph(part, n)
    if m["lead"]:
        lead = printed(m["lead"])
        if part == "二":  # part 二's paragraphs open with their lead phrase (¶3: in the opening sentence)
            assert lead in text.split("。")[0][: len(lead) + 20], (locator, text[:30])
        else:  # part 一's sub-topics run inside one paragraph per section
            assert lead in text, (locator, text[:30])
    return text


def check_phrase(phrase: str, text: str) -> None:
    """The phrase, marks removed, is in the paragraph; "……" elides, the pieces come in order."""
    where = comparable(text)
    at = 0
    for piece in comparable(printed(phrase)).split("……"):
        found = where.find(piece, at)
        assert found >= 0, f"{piece!r} (of {phrase!r}) not in the paragraph: {text[:40]}…"
        at = found + len(piece)


ITEMS = (
    [("target", t) for t in TARGETS] + [("result", r) for r in RESULTS] + [("milestone", m) for m in MILESTONES]
)


@pytest.mark.parametrize(("kind", "item"), ITEMS, ids=[f"{k}:{i['key']}" for k, i in ITEMS])
def test_every_phrase_is_printed_in_the_paragraph_its_locator_names(kind: str, item: dict) -> None:
    text = check_locator(item["locator"], item["section"])
    check_phrase(item["phrase"], text)


@pytest.mark.parametrize("section", PLAN["section"], ids=[s["code"] for s in PLAN["section"]])
def test_section_locators_name_their_heading(section: dict) -> None:
    check_locator(section["locator"], section["code"])


# ── the glossary ────────────────────────────────────────────────────────────────────────────
PUNCTUATION = re.compile(r"[\s,，、;；:：.。!！?？\"“”()（）—-]")
# A deletion the glossary made (garbage in the source, no text put in its place): number → (printed, kept)
GLOSSARY_DELETIONS = {26: ("通过道任命", "通过任命")}


@pytest.mark.parametrize("term", GLOSSARY, ids=[str(g["number"]) for g in GLOSSARY])
def test_glossary_terms_and_explanations_are_the_printed_ones(term: dict) -> None:
    printed_term, page, explanation = SOURCE_GLOSSARY[term["number"]]
    assert printed(term["term"]).replace('"', "") == printed_term.replace('"', "")
    assert term["page"] == page
    # characters as printed; punctuation the glossary repaired is compared loosely (its notes say where)
    source = PUNCTUATION.sub("", explanation)
    if term["number"] in GLOSSARY_DELETIONS:
        before, after = GLOSSARY_DELETIONS[term["number"]]
        assert before in source
        source = source.replace(before, after)
    assert PUNCTUATION.sub("", printed(term["explanation_zh"])) == source


@pytest.mark.parametrize("term", GLOSSARY, ids=[str(g["number"]) for g in GLOSSARY])
def test_glossary_body_locators_point_at_the_footnote_marker(term: dict) -> None:
    m = _parse(term["body_locator"])
    sections = [code for code in SECTIONS
                if _section_range(code)[0] == m["part"] and _section_range(code)[1] <= int(m["n"]) <= _section_range(code)[2]]  # fmt: skip
    text = check_locator(term["body_locator"], sections[0] if sections else None)
    assert f"[{term['number']}]" in text


# ── repair marks ────────────────────────────────────────────────────────────────────────────
# Every repair of displayed text, as the data must show it. Unmarked, these would claim the
# report printed characters it did not.
REPAIRS = {
    "[稳]步推进紧密型": "稳步推进紧密型",  # line 110: 步推进紧密型县域"医共体"改革
    "坚决[稳]住基本财源": "坚决稳住基本财源",  # line 86: 坚决住基本财源
    "[提高]社会保障水平": "提高社会保障水平",  # line 108: 社会保障水平
    "[(三)]竭尽全力惠民生": "(三)竭尽全力惠民生",  # line 102: 竭尽全力惠民生
    "出国([境])经费": "出国(境)经费",  # glossary 32: 因公出国()经费
}
DISPLAYED = ("name_zh", "phrase", "strength", "locator", "term", "explanation_zh", "body_locator")


def _displayed_texts():
    for file, rows in (("plan", PLAN["section"]), ("targets", TARGETS), ("results", RESULTS),
                       ("milestones", MILESTONES), ("glossary", GLOSSARY)):  # fmt: skip
        for row in rows:
            for field in DISPLAYED:
                if field in row:
                    yield file, row.get("key", row.get("code", row.get("number"))), field, row[field]


def test_no_displayed_text_shows_a_repair_as_printed() -> None:
    for file, key, field, text in _displayed_texts():
        for unmarked in REPAIRS.values():
            assert unmarked not in text, (file, key, field, text)


def test_repairs_are_marked_where_they_were_made() -> None:
    found = {marked: 0 for marked in REPAIRS}
    for _, _, _, text in _displayed_texts():
        for marked in REPAIRS:
            found[marked] += text.count(marked)
    assert all(found.values()), found
    medical = [m for m in MILESTONES if "医共体" in m["phrase"] or "医联体" in m["phrase"]]
    assert medical and all(m["phrase"].startswith("[稳]步推进") for m in medical)
    for item in TARGETS + MILESTONES:
        m = _parse(item["locator"])
        if m["part"] == "二" and int(m["n"]) == 16:
            assert "坚决[稳]住基本财源" in item["locator"], item["key"]
        if m["part"] == "二" and int(m["n"]) == 27:
            assert "[提高]社会保障水平" in item["locator"], item["key"]
        if item["section"] == "livelihood":
            assert item["locator"].startswith("二、[(三)]竭尽全力惠民生"), item["key"]
    assert SECTIONS["livelihood"]["name_zh"] == "[(三)]竭尽全力惠民生"


def test_every_bracket_in_displayed_text_is_a_repair_mark_or_a_footnote() -> None:
    for file, key, field, text in _displayed_texts():
        for inner in re.findall(r"\[([^\]]*)\]", text):
            if inner.isdigit():
                assert 1 <= int(inner) <= 35, (file, key, field, text)
            else:
                assert inner.strip() and printed(f"[{inner}]") == "", (file, key, field, text)


# ── order and glossary references ───────────────────────────────────────────────────────────
def _position(item: dict) -> tuple[int, int, int]:
    m = _parse(item["locator"])
    text = comparable(paragraph(m["part"], int(m["n"])))
    # the last piece of an elided phrase is where the fact itself stands (…分别增长28%、23%)
    last_piece = comparable(printed(item["phrase"])).split("……")[-1]
    return ("一二".index(m["part"]), int(m["n"]), text.find(last_piece))


@pytest.mark.parametrize("name", ["targets", "results", "milestones"])
def test_items_are_in_report_order(name: str) -> None:
    rows = {"targets": TARGETS, "results": RESULTS, "milestones": MILESTONES}[name]
    if name == "targets":  # the seven main targets (¶3) are in order too; nothing precedes them
        assert all(_position(t)[:2] == (1, 3) for t in rows[:7])
    positions = [_position(r) for r in rows]
    if name == "results":  # facts sharing a clause (……分别增长28%、23%) are listed level first, then growth
        positions = [p[:2] for p in positions]
    out_of_order = [(a["key"], b["key"]) for (a, pa), (b, pb) in zip(zip(rows, positions), zip(rows[1:], positions[1:])) if pb < pa]
    assert not out_of_order


def test_milestone_terms_name_glossary_entries_quoted_in_the_phrase() -> None:
    terms = {g["number"]: printed(g["term"]).replace('"', "") for g in GLOSSARY}
    for m in MILESTONES:
        phrase = m["phrase"].replace('"', "")
        for number in m.get("terms", []):
            assert terms[number] in phrase or f"[{number}]" in m["phrase"], (m["key"], number)
