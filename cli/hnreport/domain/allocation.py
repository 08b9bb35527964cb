"""The 责任分工方案 as an office writes it: which item a 工作任务 cell means, the units in a 牵头单位
or 配合单位 cell, and the deadline a 完成时限 cell states — pure rules, no database.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from hnreport.records import Record
from hnreport.domain.periods import month_end


# ── which item a cell means ───────────────────────────────────────────────────────────────────
class Candidate(Record):
    """An item a cell may name: its key, Chinese name and the report's phrase."""

    key: str
    kind: str  # target | milestone
    name: str
    phrase: str


class Match(Record):
    """How a cell was matched: ``how`` is key, name or phrase (one item), ambiguous or unknown
    (``items`` then holds the candidates or the closest names)."""

    how: str
    items: tuple[Candidate, ...]

    @property
    def item(self) -> Candidate | None:
        return self.items[0] if self.how in ("key", "name", "phrase") else None


_NUMBERING = re.compile(r"^\s*(?:(?:[(（][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百\d]+[、.．:：])\s*)+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』[]【】 \u3000\t\r\n")


def bare(text: str) -> str:
    """Text as matched: full-width folded, without quotes, brackets (the seed's repair marks,
    [稳]步 → 稳步) or spaces, and without a trailing full stop."""
    return unicodedata.normalize("NFKC", text or "").translate(_QUOTES).rstrip("。.;；")


def match_item(text: str, candidates: list[Candidate]) -> Match:
    """The item a 工作任务 cell names: by key, by its exact Chinese name, or by the report's phrase
    when exactly one item's phrase (or name) contains the cell's text — or, the office's text
    being the longer, when it contains exactly one item's phrase or name."""
    raw = (text or "").strip()
    for c in candidates:
        if raw.lower() == c.key.lower():
            return Match("key", (c,))
    cleaned = bare(_NUMBERING.sub("", raw))
    if not cleaned:
        return Match("unknown", ())
    named = [c for c in candidates if bare(c.name) == cleaned]
    if len(named) == 1:
        return Match("name", tuple(named))
    inside = [c for c in candidates if cleaned in bare(c.phrase) or cleaned in bare(c.name)]
    if len(inside) == 1:
        return Match("phrase", tuple(inside))
    if len(inside) > 1:
        return Match("ambiguous", tuple(inside))
    around = [c for c in candidates if (c.phrase and bare(c.phrase) in cleaned) or bare(c.name) in cleaned]
    if len(around) == 1:
        return Match("phrase", tuple(around))
    if len(around) > 1:
        return Match("ambiguous", tuple(around))
    import difflib  # only an unknown item needs it

    by_name = {bare(c.name): c for c in candidates}
    close = difflib.get_close_matches(cleaned, list(by_name), n=3, cutoff=0.4)
    return Match("unknown", tuple(by_name[n] for n in close))


# ── the units in a cell ───────────────────────────────────────────────────────────────────────
_SEPARATORS = re.compile(r"[、，,/／;；\n]|及")
_ROLE_MARK = re.compile(r"[(（]\s*(牵头|配合|协助|协同)\s*[)）]")
_ETC = re.compile(r"(等(相关)?(单位|部门)?)$")


class UnitNamed(Record):
    name: str
    role: str | None  # lead | support when the cell marks it (县发改局（牵头）), else None


def split_units(text: str) -> list[UnitNamed]:
    """The units a cell names, in order: separated by 、 ， / ; or 及, each without a trailing
    等 and with its role when marked (（牵头）, （配合）)."""
    out: list[UnitNamed] = []
    for part in _SEPARATORS.split(text or ""):
        part = part.strip()
        mark = _ROLE_MARK.search(part)
        role = None
        if mark:
            role = "lead" if mark.group(1) == "牵头" else "support"
            part = _ROLE_MARK.sub("", part).strip()
        part = _ETC.sub("", part).strip()
        if part and part not in [u.name for u in out]:
            out.append(UnitNamed(part, role))
    return out


# ── the deadline a cell states ────────────────────────────────────────────────────────────────
class Deadline(Record):
    """A 完成时限: the due date, and earlier dates the same cell names as time nodes (with the
    clause that names them)."""

    due: date
    nodes: tuple[tuple[date, str], ...] = ()


ONGOING = re.compile(r"^(长期|持续|常态|全年|每年|每月|每季|按期|按时|按要求)")
_YEAR_END = re.compile(r"(年底|年末|年内|全年)")
_DAY = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<part>底|末|上旬|中旬|下旬))?"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})(?:[-/.](?P<id>\d{1,2}))?"
)
_CLAUSES = re.compile(r"[，,；;。]")


class DeadlineUnclear(ValueError):
    """A 完成时限 that names no date hnreport can read."""


def parse_deadline(text: str, year: int) -> Deadline | None:
    """The deadline a 完成时限 cell states, in the plan ``year`` unless it says another: 2022年9月
    底前, 9月底, 9月30日, 2022-09-30, 年底前 (the year's end), 三季度 and the other forms
    ``--as-of`` reads; several dates (6月底前主体完工，9月底前通车) give the last as the due date and
    the others as time nodes. None for an ongoing task (长期坚持, 持续推进) or an empty cell;
    DeadlineUnclear when no date can be read."""
    from hnreport.domain.periods import parse_period
    from hnreport.errors import BadPeriod

    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned or (ONGOING.match(cleaned) and not re.search(r"\d", cleaned)):
        return None
    found: list[tuple[date, str]] = []
    for clause in _CLAUSES.split(cleaned):
        for m in _DAY.finditer(clause):
            try:
                if m.group("iy"):
                    y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id")) if m.group("id") else None
                    part = None
                else:
                    y = int(m.group("y")) if m.group("y") else year
                    mo, d, part = int(m.group("m")), int(m.group("d")) if m.group("d") else None, m.group("part")
                if d is None:
                    d = {"上旬": 10, "中旬": 20}.get(part or "", month_end(y, mo).day)
                found.append((date(y, mo, d), clause.strip()))
            except ValueError:
                raise DeadlineUnclear(text) from None
        if not _DAY.search(clause) and _YEAR_END.search(clause):
            years = re.findall(r"\d{4}", clause)
            try:
                found.append((date(int(years[0]) if years else year, 12, 31), clause.strip()))
            except ValueError:  # 0000年底: no such year
                raise DeadlineUnclear(text) from None
    if not found:
        period = cleaned.rstrip("前以之内")
        for written in (period, f"{year}年{period}") if not re.search(r"\d{4}", period) else (period,):
            try:
                return Deadline(parse_period(written))
            except BadPeriod:
                continue
        raise DeadlineUnclear(text)
    found.sort()
    due = found[-1][0]
    return Deadline(due, tuple((day, clause) for day, clause in found[:-1] if day < due))


class AllocationItem(Record):
    """One item of a 分工方案 (from one row or several), and what it changes."""

    lines: tuple[int, ...]
    text: str  # the 工作任务 as the file words it
    key: str
    kind: str
    name: str
    how: str  # key | name | phrase
    lead: str | None
    supports: tuple[str, ...]
    deadline: Deadline | None
    lead_before: str | None
    supports_before: tuple[str, ...]
    due_before: date | None
    new_lead: bool
    new_supports: tuple[str, ...]
    new_due: bool
    new_nodes: tuple[tuple[date, str], ...]
    notes: tuple[str, ...]  # co_lead | target_deadline | ongoing

    @property
    def changes(self) -> bool:
        return self.new_lead or bool(self.new_supports) or self.new_due or bool(self.new_nodes)


class AllocationPlan(Record):
    path: str
    items: list[AllocationItem]
    problems: list  # of Message
    new_units: list[str]
    skipped: list[int]  # rows with no unit and no deadline: headings, notes
