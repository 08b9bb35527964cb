"""Quantified items in a report's paragraphs: targets in the part that plans the coming year,
results in the part that reviews the past one.

Each figure (a number with its unit, 8.5% / 138万亩 / 6200以上 / 6%—7%) is read with what stands
around it: the name before it (or, for 实施1765户农村危房改造, after it), the comparator
(以上/不低于/达到 ≥, 突破/超过 >, 以内/控制在 ≤, 左右 ~, a range), the kind (a growth rate after
增长, a share of 率/占比/‰, a cut after 压减/下降, an amount), the wording's strength
(确保/力争/要 …). Lists are read as printed: "A、B、C分别增长8%、10%、7%以上" is three items,
the shared 以上 applying to each; "城镇、农村居民人均可支配收入" names two. Rankings (全市第1,
排名全省第2) carry their scope. Every item keeps the exact phrase it was read from and a
confidence; what could not be read is left to the person (numeric sentences not classified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hnreport.domain.extract.script import PLACEHOLDER
from hnreport.domain.extract.structure import MARKER, Document, Paragraph, sentences

# Units as printed, longest first so 万平方米 wins over 平方米 and 亿元 over 亿.
UNITS = (
    "个百分点", "万平方米", "平方公里", "平方米", "万立方米", "立方米", "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦",
    "亿美元", "万美元", "美元", "万人次", "人次", "亿元", "万元", "元", "万亩", "亩", "万吨", "吨", "万公斤", "公斤",
    "公里", "千米", "米", "万户", "户", "万人", "人", "批次", "个", "家", "项", "所", "座", "处", "件", "套", "批",
    "名", "场", "条", "栋", "间", "张", "台", "辆", "株", "头", "只", "次", "支", "部", "篇", "村", "镇", "倍", "亿", "万",
    "%", "‰",
)  # fmt: skip
COUNT_UNITS = frozenset("个 家 项 所 座 处 件 套 批 批次 名 场 条 栋 间 张 台 辆 次 支 部 篇 村 镇 户 万户".split())
_NUM = r"\d+(?:\.\d+)?"
_UNIT = "|".join(re.escape(u) for u in UNITS)
_DASH = r"\s*(?:—{1,2}|－|-|–|~|～|至|到)\s*"
FIGURE = re.compile(
    rf"(?<![\d.A-Za-z])(?P<a>{_NUM})(?:(?P<ua>%|‰)(?:{_DASH}(?P<b1>{_NUM})(?:%|‰)?)?"
    rf"|(?:{_DASH}(?P<b>{_NUM}))?(?P<unit>{_UNIT})?(?P<per>/[\u4e00-\u9fff])?)"
)
RANK = re.compile(r"(全国|全省|全市|全州|全区|全县|全盟)(?:排名|排|位居|居|位列)?第\s*(\d+|[一二三四五六七八九十]+)(?:名|位)?(?![方梯批届次阵])")
STREAK = re.compile(r"连续([二两三四五六七八九十]+)年")
RATIO = re.compile(rf"({_NUM})[∶:]({_NUM})[∶:]({_NUM})")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９％．：", "0123456789%.:")
_NEXT_NOT_FIGURE = tuple("月日号时岁届期强级周天秒分代后")  # 6月, 0-3岁, 500强, 一期 …
_CLAUSE_END = "，,；;。！？!?：:"
_DEADLINE = re.compile(r"(\d{4}年)?(年底前|年内|\d{1,2}月底前|\d{1,2}月前|上半年|下半年|年底)")
_STRONG = ("确保", "力争", "争取")
_WEAKER = ("计划", "完成", "推动", "控制", "实现", "新增", "编制")
_REDUCTION = ("压减", "下降", "降低", "减少", "精简", "削减", "压降")
_GROWTH = ("增长", "增速", "增幅", "提高", "提升", "增加", "涨幅", "上涨")
_SHARE_WORDS = ("率", "占比", "比重", "比例", "占")
_LEVEL_WORDS = ("面积", "人均", "蓄积量", "总投资", "余额", "亩产", "平均")
_STRIP_LEAD = ("其中", "全县", "全市", "全区", "全年", "今年", "年内", "我县", "同比", "共", "累计", "力争", "确保", "争取",
               "要", "将", "继续", "努力", "实际", "分别", "并", "和", "及", "、", "，", ",", "\"", "”", "“", " ")  # fmt: skip
_STRIP_TAIL = ("全县", "分别增长", "同比增长", "增长", "增速为", "增速", "达到", "达", "突破", "超过", "过", "控制在", "稳定在", "保持在",
               "不低于", "不少于", "不超过", "低于", "为", "提高到", "提升至", "提高", "提升", "分别", "同比", "调整为",
               "完成", "实现", "共", "计划", "、", "，", ",", "的", " ")  # fmt: skip
_NUMERAL = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def chinese_number(text: str) -> int | None:
    """一 … 九十九 as a number (ranks and streaks are printed in words: 全市第一, 连续三年)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _NUMERAL for c in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_NUMERAL[tens] if tens else 1) * 10 + (_NUMERAL[ones] if ones else 0)
    return _NUMERAL[text] if len(text) == 1 else None


@dataclass
class Item:
    role: str  # target | result
    value: float
    unit: str  # "" when the report prints none
    kind: str  # growth_rate | level | share | cumulative | reduction | count | rank
    comparator: str  # >= > <= ~
    name: str
    paragraph: Paragraph
    lead: str
    phrase: str
    start: int  # offset in the paragraph, for ordering
    high: float | None = None  # a range's upper bound (6%—7%)
    scope: str | None = None  # a ranking's 全市/全省
    strength: str = ""
    confidence: float = 0.8
    notes: list[str] = field(default_factory=list)

    @property
    def locator(self) -> str:
        return self.paragraph.locator(self.lead)


def scan_text(text: str) -> str:
    """``text`` as the rules read it, of the same length: full-width digits and marks as ASCII,
    footnote markers ([27]) blanked so their digits are no figure."""
    out = text.translate(_FULL_WIDTH)
    out = PLACEHOLDER.sub(lambda m: "我" * len(m.group()), out)  # 关键词2: a masked word, no figure
    return MARKER.sub(lambda m: " " * len(m.group()), out)


def _strip(name: str) -> str:
    changed = True
    while changed and name:
        changed = False
        for word in _STRIP_LEAD:
            if name.startswith(word):
                name, changed = name[len(word):], True
        for word in _STRIP_TAIL:
            if name.endswith(word):
                name, changed = name[: -len(word)], True
    return name.strip()


def _clause_start(scan: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and scan[i - 1] not in _CLAUSE_END:
        i -= 1
    return i


def _clause_end(scan: str, pos: int, ceiling: int) -> int:
    i = pos
    while i < ceiling and scan[i] not in _CLAUSE_END:
        i += 1
    return i


def leads_of(text: str) -> list[tuple[int, str]]:
    """Sub-topic lead phrases of a paragraph (农业生产稳中有进。): short sentences without figures."""
    out = []
    for start, end in sentences(text):
        body = text[start:end].strip()
        if body.endswith(("。", ".")) and 2 <= len(body) - 1 <= 12 and not re.search(r"[\d，,、:：“”\"（）()]", body):
            out.append((start, body[:-1]))
    return out


def _lead_at(leads: list[tuple[int, str]], pos: int) -> str:
    lead = ""
    for start, body in leads:
        if start <= pos:
            lead = body
    return lead


def _strength(scan: str, sent_start: int, pos: int, main: bool) -> str:
    before = scan[sent_start:pos]
    best, at = "", -1
    for word in _STRONG:
        i = before.rfind(word)
        if i > at:
            best, at = word, i
    if best:
        return best
    if main:
        return "预期"
    clause = before[max(before.rfind(c) for c in _CLAUSE_END) + 1 :]  # weaker words govern their clause only
    at = -1
    for word in _WEAKER:
        i = clause.rfind(word)
        if word == "计划":  # 改造计划300户: a plan's figure, where 计划 is no verb
            i = max((m.start() for m in re.finditer(r"计划(?!\d|$)", clause)), default=-1)
        if i > at:
            best, at = word, i
    must = [m.start() for m in re.finditer(r"(?<![主需重只])要", clause)]
    if must and must[-1] > at:
        best = "要"
    return best


_VERB_END = re.compile(r"(实施|启动|完成|新建|建成|实现|引进|发布|办结|建设|改造|创建|培育|编制)$")


def _name_before(before: str) -> str:
    """The name printed before a figure, without the words around it (全县, 确保, 增长, 达到 …)."""
    name = _DEADLINE.sub("", before.replace(" ", ""))
    name = re.sub(r"^.*(?:主要预期目标|预期目标|主要目标)(?:是|为)?", "", name)
    name = re.split("确保|力争|争取", name)[-1]
    name = _strip(name)
    if len(name) > 4:
        name = re.sub(r"^(实施|启动|完成|建成|实现|引进|发布|办结|圆满办结|到位)+", "", name) or name
    return "" if _VERB_END.fullmatch(name) or name in ("高质量编制", "计划") else name


def _name_after(scan: str, end: int, ceiling: int) -> tuple[str, int]:
    """The object printed after a figure (实施1765户农村危房改造) and where it ends: up to the
    clause's end, a verb that starts another clause, or 14 characters."""
    stop = _clause_end(scan, end, ceiling)
    tail = scan[end:stop]
    cut = re.search(r"\d|、|完成|实现|成功|被评为|获评|全部|稳定|水质|等|,", tail)
    if cut:
        tail = tail[: cut.start()]
    tail = tail[:16]
    return _strip(tail.replace(" ", "")), end + len(tail)


def _kind(role: str, unit: str, name: str, before: str, reduction: bool) -> str:
    if reduction:
        return "reduction"
    if unit in ("%", "个百分点"):
        tail = before[-6:]
        if any(w in tail for w in _GROWTH):
            return "growth_rate"
        if any(w in name for w in _SHARE_WORDS) or any(w in before[-8:] for w in _SHARE_WORDS):
            return "share"
        return "growth_rate" if "增" in before else "share"
    if unit == "‰":
        return "share"
    if role == "target" and (unit in COUNT_UNITS or any(w in before for w in ("新建", "新增", "建成", "完成"))):
        return "cumulative"
    if unit in ("万亩", "亩") or any(w in name for w in _LEVEL_WORDS) or unit.endswith("/"):
        return "level"
    if unit.startswith("元") or "/" in unit:
        return "level"
    if unit in COUNT_UNITS:
        return "count" if role == "result" else "cumulative"
    return "cumulative"


def _comparator(before: str, after: str, unit: str) -> tuple[str, bool]:
    """(comparator, whether the report's words state it) from the words either side."""
    if after.startswith("以上") or after.startswith("多") or after.startswith("余"):
        return ">=", True
    if after.startswith(("以内", "以下")):
        return "<=", True
    if after.startswith("左右"):
        return "~", True
    tail = before[-5:]
    if any(w in tail for w in ("突破", "超过", "过")):
        return ">", True
    if any(w in tail for w in ("不低于", "不少于")):
        return ">=", True
    if any(w in tail for w in ("控制在", "不超过", "低于", "不高于")):
        return "<=", True
    if any(w in tail for w in ("达到", "达", "计划", "新增", "稳定在")):
        return ">=", True
    return ">=", False


@dataclass
class _Figure:
    start: int
    end: int  # after the unit and any trailing comparator word
    value: float
    high: float | None
    unit: str
    printed_unit: bool
    after: str  # the word after the figure (以上 …)


def _figures(scan: str) -> tuple[list[_Figure], list[tuple[int, int]]]:
    """The figures of a paragraph and the spans of bare numbers that are none of them."""
    figures, bare = [], []
    for m in FIGURE.finditer(scan):
        a, b = m.group("a"), m.group("b") or m.group("b1")
        unit = m.group("unit") or m.group("ua") or ""
        if m.group("per"):
            unit += m.group("per")
        before = scan[max(0, m.start() - 1) : m.start()]
        nxt = scan[m.end() : m.end() + 1]
        if before == "第" or (before in ("P", "p", "-", "—", "(", "（") and not unit):
            continue  # an ordinal (第3), a page (P12), a number in brackets
        if nxt and (nxt.isascii() and nxt.isalpha()):
            continue  # 5G, 4A
        if not unit and nxt.startswith(("年", *_NEXT_NOT_FIGURE)):
            continue  # a year (2022年, 2021-2025年), a month, an age, 500强 …
        value = float(a)
        after = scan[m.end() : m.end() + 2]
        if not unit:
            # A bare number is a figure only with a comparator after it or 计划 before it
            # (新增市场主体6200以上, 棚户区改造计划275).
            if not (after.startswith(("以上", "以内", "左右", "以下")) or scan[max(0, m.start() - 2) : m.start()] == "计划"):
                bare.append((m.start(), m.end()))
                continue
        end = m.end()
        for word in ("以上", "以内", "以下", "左右", "之间"):
            if scan.startswith(word, end):
                end += len(word)
                break
        figures.append(_Figure(m.start(), end, value, float(b) if b else None, unit, bool(unit), after))
    return figures, bare


def items_of(paragraph: Paragraph, role: str) -> tuple[list[Item], list[str]]:
    """The items of one paragraph, and its sentences holding numbers that no item accounts for."""
    text = paragraph.text
    scan = scan_text(text)
    leads = leads_of(text)
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    for s_start, s_end in sentences(scan):
        sent = scan[s_start:s_end]
        # Rankings first: their digits are not figures.
        rank_ends: list[int] = [0]
        for m in RANK.finditer(sent):
            pos = s_start + m.start()
            value = chinese_number(m.group(2))
            if value is None:
                continue
            c_start = max(_clause_start(scan, pos, s_start), *(s_start + a for a in rank_ends))
            rank_ends.append(m.end())
            subject = scan[c_start:pos]
            # 获奖数量排名全省第2、全市第1: the second ranking shares the first one's subject
            if not _strip(subject) and items and items[-1].kind == "rank" and items[-1].paragraph is paragraph \
                    and "，" not in scan[items[-1].start:pos] and pos - items[-1].start < 20:
                names = [items[-1].name]
            else:
                subject = re.sub(r"(稳居|排名|位居|排|居|位列)$", "", subject.strip())
                names = [_strip(n) for n in subject.split("、")] or [""]
                if not any(names):
                    prev = scan[_clause_start(scan, c_start - 1, s_start) : max(s_start, c_start - 1)] if c_start > s_start else ""
                    names = [_strip(re.sub(rf"{_NUM}.*$", "", prev))]
            phrase = text[c_start : s_start + m.end()]
            for name in names:
                items.append(Item(role, float(value), "名", "rank", ">=", name, paragraph, _lead_at(leads, pos), phrase,
                                  pos, scope=m.group(1), confidence=0.8 if name else 0.5))  # fmt: skip
            taken.append((s_start + m.start(), s_start + m.end()))
        if role == "result":
            for m in STREAK.finditer(sent):
                pos = s_start + m.start()
                value = chinese_number(m.group(1))
                if value:
                    name = _name_after(scan, s_start + m.end(), s_end)[0]
                    items.append(Item(role, float(value), "年", "count", ">=", f"连续{name}年数" if name else "连续年数",
                                      paragraph, _lead_at(leads, pos), text[pos : _clause_end(scan, pos, s_end)], pos,
                                      confidence=0.6, notes=["年数以汉字写出"]))  # fmt: skip
        for m in RATIO.finditer(sent):
            parts = [float(x) for x in m.groups()]
            pos = s_start + m.start()
            taken.append((pos, s_start + m.end()))
            if abs(sum(parts) - 100) <= 0.6:
                subject = _strip(scan[_clause_start(scan, pos, s_start) : pos])
                for i, v in enumerate(parts):
                    items.append(Item(role, v, "%", "share", ">=", f"{subject}（第{i + 1}项）", paragraph, _lead_at(leads, pos),
                                      text[_clause_start(scan, pos, s_start) : s_start + m.end()], pos + i, confidence=0.6,
                                      notes=["按比例式印出、三项之和为100，读作百分比"]))  # fmt: skip
    figures, bare = _figures(scan)
    figures = [f for f in figures if not any(a <= f.start < b for a, b in taken)]
    sentence_spans = sentences(scan)
    unclassified = []
    for s, _ in bare:
        if not any(a <= s < b for a, b in taken):
            for a, b in sentence_spans:
                if a <= s < b and text[a:b].strip() not in unclassified:
                    unclassified.append(text[a:b].strip())

    def sentence_of(pos: int) -> tuple[int, int]:
        for a, b in sentence_spans:
            if a <= pos < b:
                return a, b
        return 0, len(scan)

    # 分别 lists: names before 分别 (split by 、), figures after it (joined by 、).
    groups: dict[int, tuple[re.Match, list[int]]] = {}
    grouped: set[int] = set()
    for m in re.finditer("分别", scan):
        s_start, s_end = sentence_of(m.start())
        c_end = _clause_end(scan, m.end(), s_end)
        group = [i for i, f in enumerate(figures) if m.end() <= f.start < c_end and i not in grouped]
        if len(group) >= 2:
            groups[group[0]] = (m, group)
            grouped.update(group)
    consumed, consumed_sentence = 0, -1
    for index, f in enumerate(figures):
        if index in groups:
            items.extend(_list_items(paragraph, role, figures, *groups[index], items, scan, sentence_of, leads))
            continue
        if index in grouped:
            continue
        s_start, s_end = sentence_of(f.start)
        previous_end = max([g.end for g in figures if g.end <= f.start and g.start >= s_start] +
                           [it.start + 1 for it in items if it.paragraph is paragraph and s_start <= it.start < f.start and it.kind == "rank"] +
                           [s_start])  # fmt: skip
        c_start = max(previous_end, _clause_start(scan, f.start, s_start))
        c_start = max(c_start, consumed if consumed_sentence == s_start else 0)
        before = scan[c_start : f.start]
        name, phrase_end = _name_before(before), f.end
        if not name and "增长" in before[-3:]:
            # 城乡居民人均可支配收入达31544元、增长8.8%: the growth of the figure just before
            prior = [it for it in items if it.paragraph is paragraph and s_start <= it.start < f.start]
            name = prior[-1].name if prior else ""
        if not name or _VERB_END.search(before.rstrip()) or before.rstrip().endswith("、"):
            # 实施1765户农村危房改造, 全县8个地表水考核断面: the object is printed after the figure
            after_name, after_end = _name_after(scan, f.end, s_end)
            if after_name:
                name, phrase_end = after_name, after_end
                consumed, consumed_sentence = after_end, s_start
        phrase_start = c_start
        while phrase_start < f.start and text[phrase_start] in "、，,；;:： ":
            phrase_start += 1
        items.append(_item(paragraph, role, f, name, before, f.after, text[phrase_start:phrase_end], scan, s_start, leads))
    items.sort(key=lambda it: it.start)
    return items, unclassified


def _list_items(paragraph: Paragraph, role: str, figures: list[_Figure], m: re.Match, group: list[int], items: list[Item],
                scan: str, sentence_of, leads: list[tuple[int, str]]) -> list[Item]:
    """The items of one 分别 list, the names paired with the figures in order."""
    text = paragraph.text
    s_start, _ = sentence_of(m.start())
    c_start = _clause_start(scan, m.start(), s_start)
    subject_text = _DEADLINE.sub("", scan[c_start : m.start()])
    verb = re.search(r"(增长|达到|达|为|下降|完成)?$", scan[m.end() : figures[group[0]].start]).group(0)
    names = [n for n in (_strip(x) for x in subject_text.split("、")) if n] if "、" in subject_text else []
    list_note = ""
    if len(names) != len(group):
        # 同比分别增长28%、23%: the names are those of the figures just before, in this sentence
        earlier = [it for it in items if it.paragraph is paragraph and s_start <= it.start < m.start() and it.kind != "rank"]
        if len(earlier) >= len(group):
            names = [re.sub("增长$", "", it.name) for it in earlier[-len(group):]]
        else:
            names = (names + [""] * len(group))[: len(group)]
            list_note = "名称与数值个数不一致，请核对"
    names = _share_head(names)
    words = ("以上", "以内", "以下", "左右")
    shared_after = figures[group[-1]].after
    before_list = scan[max(c_start, m.start() - 6) : figures[group[0]].start]
    out = []
    for name, index in zip(names, group):
        f = figures[index]
        own = f.after[:2] in words
        after = f.after if own else shared_after
        out.append(_item(paragraph, role, f, name, before_list + (verb or ""), after, text[c_start : figures[group[-1]].end],
                         scan, s_start, leads, shared=not own and shared_after[:2] in words, note=list_note))  # fmt: skip
    return out


def _share_head(names: list[str]) -> list[str]:
    """城镇、农村居民人均可支配收入 names two: 城镇居民人均可支配收入 and 农村居民人均可支配收入
    (a short first name takes the last name's head after its own first characters)."""
    if len(names) < 2 or not names[-1]:
        return names
    last = names[-1]
    out = []
    for n in names[:-1]:
        if n and len(n) <= 3 and len(last) > len(n) + 2:
            out.append(n + last[len(n):])
        else:
            out.append(n)
    return out + [last]


def _item(paragraph: Paragraph, role: str, f: _Figure, name: str, before: str, after: str, phrase: str, scan: str,
          s_start: int, leads: list[tuple[int, str]], *, shared: bool = False, note: str = "") -> Item:
    reduction = any(w in before[-6:] for w in _REDUCTION)
    kind = _kind(role, f.unit, name, before, reduction)
    comparator, stated = _comparator(before, after, f.unit)
    if reduction:
        comparator = ">="
    notes = [note] if note else []
    confidence = 0.9 if stated else 0.7
    if f.high is not None:
        notes.append(f"区间 {f.value:g}–{f.high:g}{f.unit}：目标取下限，比较符 >=")
        comparator = ">="
        confidence = 0.7
    if not f.unit:
        confidence -= 0.2
        notes.append("报告未写单位")
    if not name:
        confidence -= 0.3
        notes.append("未能读出名称")
    if shared:
        notes.append(f"“{after[:2]}”由列表末项共用")
    if kind == "growth_rate" and name and not name.endswith(("增长", "增速", "涨幅", "增幅")):
        name = name + "增长"
    strength = _strength(scan, s_start, f.start, paragraph.main) if role == "target" else ""
    return Item(role, f.value, f.unit, kind, comparator, name, paragraph, _lead_at(leads, f.start), phrase, f.start,
                high=f.high, strength=strength, confidence=round(max(0.1, min(confidence, 0.95)), 2), notes=notes)  # fmt: skip


def extract_items(document: Document) -> tuple[list[Item], list[tuple[Paragraph, str]]]:
    """Every item of the document's review and plan parts, and the sentences holding numbers that
    no item accounts for (with their paragraphs)."""
    items: list[Item] = []
    unread: list[tuple[Paragraph, str]] = []
    for p in document.paragraphs:
        role = "result" if p.part.role == "review" else "target"
        found, unclassified = items_of(p, role)
        items.extend(found)
        unread.extend((p, sentence) for sentence in unclassified)
    return items, unread
