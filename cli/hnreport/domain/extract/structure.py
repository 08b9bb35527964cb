"""The shape of a work report's text: title, parts (一、…), sections ((一)…), paragraphs, the part
that reviews the past year and the part that plans the coming one, footnote markers ([27]) and the
名词解释 list at the end.

Paragraphs are the non-blank lines; a part's paragraphs are numbered from its heading (¶1 is the
first line after it), as the seeded plan's locators count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMERALS = "一二三四五六七八九十"
_PART = re.compile(rf"^([{NUMERALS}]+)、\s*(.{{1,40}})$")
_SECTION = re.compile(rf"^[（(]([{NUMERALS}]+)[)）]\s*(.*)$")
_TITLE = re.compile(r"([\u4e00-\u9fff]{1,12}?(?:自治县|自治旗|县|区|市|旗|州|盟))\s*(\d{4})\s*年\s*政府工作报告")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_GLOSSARY_HEAD = re.compile(r"^[《<]?.{0,12}[》>]?\s*(?:相关)?名词解释[:：]?$|^名词解释")
_TERM = re.compile(r"^(\d{1,3})\s*[.．、]\s*(.+?)\s*(?:[（(]\s*(P\s*\d+)\s*[)）])?\s*[:：]\s*(.*)$")
MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE_END = re.compile(r"[。！？；;!?]")
_PUNCT = re.compile(r"[，,。；;：:、！？!?“”\"（）()]")
REVIEW_WORDS = ("回顾", "过去", "总结")


@dataclass
class Part:
    numeral: str
    title: str  # as printed after 一、
    role: str  # "review" | "plan"

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"


@dataclass
class Section:
    part: Part
    ordinal: str  # 一, 二 …; inferred ones are bracketed by the heading ([(三)])
    title: str
    inferred: bool = False  # the report printed no (三): its place in the order gave it
    paragraphs: list[int] = field(default_factory=list)  # ¶ numbers

    @property
    def heading(self) -> str:
        mark = f"({self.ordinal})"
        return f"[{mark}]{self.title}" if self.inferred else f"{mark}{self.title}"


@dataclass
class Paragraph:
    part: Part
    section: Section | None
    number: int  # ¶N within its part
    line: int  # 1-based line of the source
    text: str
    main: bool = False  # the 主要预期目标 paragraph

    def locator(self, lead: str = "") -> str:
        if self.main:
            return f"{self.part.heading} › 主要预期目标 ¶{self.number}"
        where = f"{self.part.numeral}、{self.section.heading}" if self.section else self.part.heading
        return f"{where} › {lead} ¶{self.number}" if lead else f"{where} ¶{self.number}"


@dataclass
class Term:
    number: int
    term: str
    page: str | None
    explanation: str
    line: int
    printed: str  # the line as printed


@dataclass
class Document:
    title: str | None
    county: str | None
    year: int | None
    delivered: str | None  # ISO date
    parts: list[Part]
    sections: list[Section]
    paragraphs: list[Paragraph]
    terms: list[Term]
    missing_ordinals: list[Section]

    def marker_paragraphs(self) -> dict[int, Paragraph]:
        """Footnote number → the first paragraph whose text carries its marker [N]."""
        out: dict[int, Paragraph] = {}
        for p in self.paragraphs:
            for m in MARKER.finditer(p.text):
                out.setdefault(int(m.group(1)), p)
        return out


def _term_name(raw: str) -> str:
    """A glossary term without its quotes, unless it holds two quoted names (政务服务"三化""四减")."""
    quoted = re.findall(r"[\"“”「」『』]", raw)
    return raw if len(quoted) >= 4 else re.sub(r"[\"“”「」『』]", "", raw).strip()


def parse(text: str) -> Document:
    """The structure of ``text`` (Simplified). Lines before the first part are the preamble (title,
    date, salutation); lines after a 名词解释 heading are the glossary."""
    lines = text.split("\n")
    title = county = delivered = None
    year = None
    parts: list[Part] = []
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    terms: list[Term] = []
    missing: list[Section] = []
    part: Part | None = None
    section: Section | None = None
    number = 0
    in_glossary = False
    for index, raw in enumerate(lines, start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        if in_glossary:
            m = _TERM.match(line)
            if m:
                page = m.group(3).replace(" ", "") if m.group(3) else None
                terms.append(Term(int(m.group(1)), _term_name(m.group(2)), page, m.group(4).strip(), index, line))
            elif terms and not _PUNCT.search(line[-1:]) is None and len(line) > 30:
                terms[-1].explanation += line  # an explanation that runs onto the next line
            continue
        if len(line) <= 30 and _GLOSSARY_HEAD.search(line):
            in_glossary = True
            continue
        if title is None and part is None:
            m = _TITLE.search(line)
            if m:
                title, county, year = m.group(0), m.group(1), int(m.group(2))
        if delivered is None and part is None:
            d = _DATE.search(line)
            if d:
                delivered = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
        m = _PART.match(line)
        if m and not _SENTENCE_END.search(line):
            role = "review" if any(w in m.group(2) for w in REVIEW_WORDS) else "plan"
            part = Part(m.group(1), m.group(2).strip(), role)
            parts.append(part)
            section, number = None, 0
            continue
        if part is None:
            continue
        number += 1
        m = _SECTION.match(line)
        if m:
            body = m.group(2)
            cut = re.search(r"[。，,；;、:：]", body)
            name = body[: cut.start()] if cut else body
            section = Section(part, m.group(1), name[:20].rstrip())
            sections.append(section)
        elif (section is not None and len(line) <= 16 and not _PUNCT.search(line) and not re.search(r"\d", line)):
            # A heading that lost its number (竭尽全力惠民生 between (二) and (四)): it takes the
            # next number in order, shown in brackets as inferred.
            previous = section.ordinal
            ordinal = NUMERALS[NUMERALS.index(previous) + 1] if previous in NUMERALS[:-1] else previous
            section = Section(part, ordinal, line, inferred=True)
            sections.append(section)
            missing.append(section)
        paragraph = Paragraph(part, section, number, index, line)
        if section is None and ("主要预期目标" in line or "主要目标" in line) and part.role == "plan":
            paragraph.main = True
        if section is not None:
            section.paragraphs.append(number)
        paragraphs.append(paragraph)
    if len(parts) == 1:
        parts[0].role = "plan"  # a text of the coming year's tasks only
    elif parts and not any(p.role == "review" for p in parts):
        parts[0].role = "review"  # the usual order: the past year first
    return Document(title, county, year, delivered, parts, sections, paragraphs, terms, missing)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, its closing mark included."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out
