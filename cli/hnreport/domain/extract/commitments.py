"""Candidate commitments (milestones) in the part that plans the year: a clause with a
commitment verb (建成, 完成, 开工, 启动, 推进, 力争, 确保 …) and an object, with the deadline it states
(年底前, 6月底前, 2022年内), if any. Candidates only: a person keeps the ones worth tracking.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from hnreport.domain.extract.structure import MARKER, Document, Paragraph

VERBS = ("建成", "完成", "开工", "启动", "推进", "力争", "确保", "实施", "开展", "建立", "健全", "出台", "创建", "打造", "推动",
         "加快", "落实", "抓好", "实现", "开通", "探索", "深化", "争创", "举办", "制定", "编制", "申报", "培育", "新建",
         "改造", "整治", "提升", "完善", "坚决", "严格", "持续", "全面", "扎实", "积极", "大力", "着力", "著力", "做好",
         "加大", "打好", "守住", "遏制", "加强", "优化", "规范", "巩固", "壮大", "促进", "办好", "建好", "深入")  # fmt: skip
_VERB = re.compile("|".join(VERBS))
DEADLINE = re.compile(r"(?:(\d{4})年(?=底|内))?(年底前|年内|年底|底前|内|(\d{1,2})月底前|(\d{1,2})月前|上半年)")


def find_deadline(text: str) -> re.Match | None:
    """The first deadline in ``text``: 年底前, 6月底前, 2022年内 (内 and 底前 only after a year)."""
    for m in DEADLINE.finditer(text):
        if m.group(2) in ("底前", "内") and not m.group(1):
            continue
        return m
    return None
_CLAUSES = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")


@dataclass
class Commitment:
    phrase: str
    verb: str
    paragraph: Paragraph
    lead: str
    deadline: str  # as printed, "" when none
    due: str | None  # ISO date the deadline means
    start: int
    confidence: float

    @property
    def locator(self) -> str:
        return self.paragraph.locator(self.lead)


def due_date(deadline: re.Match, year: int) -> str:
    given = int(deadline.group(1)) if deadline.group(1) else year
    month = deadline.group(3) or deadline.group(4)
    if month:
        m = min(max(int(month), 1), 12)
        return f"{given:04d}-{m:02d}-{calendar.monthrange(given, m)[1]:02d}"
    if deadline.group(2) == "上半年":
        return f"{given:04d}-06-30"
    return f"{given:04d}-12-31"


def commitments(document: Document, year: int, leads_of) -> list[Commitment]:
    """The candidate commitments of the plan part (the 主要预期目标 paragraph left out: its
    figures are the targets)."""
    out: list[Commitment] = []
    # The paragraphs of the plan part before its 主要预期目标 are its general requirements (总体要求).
    general = {id(p) for part in document.parts for p in _before_main(document, part)}
    for p in document.paragraphs:
        if p.part.role != "plan" or id(p) in general:
            continue
        leads = leads_of(p.text)
        for m in _CLAUSES.finditer(p.text):
            clause = m.group().strip()
            # a sentence of several commitments: one candidate per comma clause that starts with a verb
            pieces = re.split(r"[，,](?=(?:今年|全年|\d{4}年内|年内|年底前|\d{1,2}月底前|上半年)?(?:" + "|".join(VERBS) + "))", clause)
            offset = m.start()
            for piece in pieces:
                start = p.text.find(piece, offset)
                offset = start + len(piece)
                body = piece.strip().rstrip("。；;！!？?，,")
                verb = _VERB.search(body)
                if body.endswith((":", "：")) or re.match(r"[（(][一二三四五六七八九十]+[)）]", body):
                    continue  # a heading, or the sentence that announces a list
                if p.main and re.search(r"\d", MARKER.sub("", body)):
                    continue  # the main targets' figures are targets, not commitments
                if not verb or len(body) - verb.end() < 4 or len(body) > 120 or any(lead == body for _, lead in leads):
                    continue
                deadline = find_deadline(body)
                out.append(Commitment(
                    body, verb.group(), p, _lead(leads, start), deadline.group(0) if deadline else "",
                    due_date(deadline, year) if deadline else None, start, 0.7 if deadline else 0.5,
                ))  # fmt: skip
    return out


def _before_main(document: Document, part) -> list[Paragraph]:
    paragraphs = [p for p in document.paragraphs if p.part is part]
    main = next((i for i, p in enumerate(paragraphs) if p.main), 0)
    return paragraphs[:main]


def _lead(leads: list[tuple[int, str]], pos: int) -> str:
    lead = ""
    for start, body in leads:
        if start <= pos:
            lead = body
    return lead
