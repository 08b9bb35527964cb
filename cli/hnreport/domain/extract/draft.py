"""The draft plan: what was found, keyed and laid out as the plan file format (the tables and
fields of data/*.toml), every item marked for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hnreport.domain.extract import commitments as commit
from hnreport.domain.extract import figures, keys, script, structure

# Kinds a plan file knows for targets (results also know count and rank).
TARGET_KINDS = ("growth_rate", "level", "share", "cumulative", "reduction")


@dataclass(frozen=True)
class Known:
    """A known indicator (gdp, industry …): the names bureaus print, from data/aliases.toml, and
    what data/targets.toml says of it."""

    key: str
    names: tuple[str, ...]
    name_zh: str
    name_en: str
    frequency: str
    source: str | None = None


@dataclass
class Draft:
    plan: dict[str, Any]
    sections: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    results: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    aliases: list[dict[str, Any]]
    damage: list[script.Damage]
    unclassified: list[tuple[str, str]]  # (locator, sentence)
    converted: bool  # the text was Traditional
    missing_ordinals: list[str] = field(default_factory=list)  # headings that lost their (三)
    items: list[figures.Item] = field(default_factory=list)  # the items as read, for tests

    def counts(self) -> dict[str, int]:
        return {"sections": len(self.sections), "targets": len(self.targets), "results": len(self.results),
                "milestones": len(self.milestones), "terms": len(self.terms)}  # fmt: skip


class NoFigures(ValueError):
    """The text holds no figure at all: it is not a work report (or not one hnreport can read)."""


def _normal(name: str) -> str:
    return re.sub(r"^(全县|全市|全区|全年|全体)", "", re.sub(r"增长$", "", name.replace(" ", "")))


def _known_key(item: figures.Item, known: dict[str, Known]) -> Known | None:
    if item.kind != "growth_rate":
        return None
    name = item.name.replace(" ", "")
    bare = re.sub(r"增长$", "", name)
    for k in known.values():
        names = {re.sub(r"增长$", "", n) for n in (*k.names, k.name_zh)}
        if bare in names or re.sub(r"^(全县|全市|全区|全年)", "", bare) in names:
            return k
    return None


def _frequency(item: figures.Item, k: Known | None) -> str:
    if k is not None:
        return k.frequency
    if item.kind == "growth_rate":
        return "quarterly"
    if item.unit.endswith(("亿元", "万元")) and item.kind == "cumulative":
        return "monthly"
    return "annual"


def _note(parts: list[str]) -> str | None:
    text = "；".join(p for p in parts if p)
    return text or None


def build(text: str, *, key: str | None = None, known: dict[str, Known] | None = None) -> Draft:
    """The draft of the report ``text`` (as read from its file, either script)."""
    known = known or {}
    converted = script.looks_traditional(text)
    simplified = script.to_simplified(text) if converted else text
    damage = script.damage(text, simplified)
    document = structure.parse(simplified)
    items, unread = figures.extract_items(document)
    if not items and not unread:
        raise NoFigures()  # no figure anywhere (a year or a date is none)
    year = document.year or _year_from_parts(document)
    county = document.county or "未识别县"
    plan_key = key or (f"{keys.county_key(county)}-{year}" if document.county and year else "draft")
    county_en = keys.county_en(county) if document.county else "Unknown county"
    plan = {
        "key": plan_key,
        "name_zh": document.title or f"{county}{year or ''}年政府工作报告",
        "name_en": f"{county_en} {year or ''} Government Work Report".replace("  ", " "),
        "county_zh": county, "county_en": county_en, "year": year, "delivered": document.delivered,
    }  # fmt: skip
    taken = keys.Keys()
    sections, section_of = _sections(document, taken)
    targets: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    aliases: list[dict[str, Any]] = []
    result_keys: dict[str, str] = {}
    for item in (i for i in items if i.role == "result"):
        k = _known_key(item, known)
        base = k.key if k else keys.pinyin_key(_normal(item.name) or item.unit or "jieguo")
        if item.kind == "growth_rate" and not k:
            base += "-growth"
        if item.kind == "rank":
            base += f"-rank-{'city' if item.scope == '全市' else 'province' if item.scope == '全省' else 'scope'}"
        result_key = taken.unique(f"{base}-{year - 1}" if year else base)
        if k:
            result_keys.setdefault(k.key, result_key)
        results.append({
            "key": result_key, "name_zh": item.name or "（未读出名称）", "name_en": k.name_en if k else item.name or "(name not read)",
            "section": section_of(item.paragraph), "kind": item.kind, "value": item.value,
            "unit": item.unit or None, "scope": item.scope, "locator": item.locator, "phrase": item.phrase,
            "note": _note(item.notes), "confidence": item.confidence, "review": True,
        })  # fmt: skip
    for item in (i for i in items if i.role == "target"):
        k = _known_key(item, known)
        if k and any(t["key"] == k.key for t in targets):
            k = None  # a second figure for the same indicator gets a key of its own
        target_key = taken.unique(k.key) if k else taken.unique(keys.pinyin_key(_normal(item.name) or "mubiao") +
                                                                 ("-growth" if item.kind == "growth_rate" else ""))  # fmt: skip
        row = {
            "key": target_key, "name_zh": k.name_zh if k else item.name or "（未读出名称）",
            "name_en": k.name_en if k else item.name or "(name not read)",
            "section": section_of(item.paragraph), "kind": item.kind if item.kind in TARGET_KINDS else "cumulative",
            "comparator": item.comparator, "value": item.value, "unit": item.unit or None,
            "unit_missing": True if not item.unit else None, "frequency": _frequency(item, k),
            "baseline": result_keys.get(k.key) if k else None, "locator": item.locator, "phrase": item.phrase,
            "strength": item.strength or None,
            "note": _note(([] if k else ["英文名待译"]) + item.notes), "confidence": item.confidence, "review": True,
        }  # fmt: skip
        if any(t["name_zh"] == row["name_zh"] for t in targets):
            # a plan's target names are unique (they are accepted as keys): the second is told apart
            n = 2
            while any(t["name_zh"] == f"{row['name_zh']}（{n}）" for t in targets):
                n += 1
            row["name_zh"] = f"{row['name_zh']}（{n}）"
        targets.append(row)
        if k:
            aliases.append({"key": k.key, "names": list(k.names), "source": k.source})
    milestones = []
    for c in commit.commitments(document, year or 0, figures.leads_of):
        name = re.sub(r"^(今年|全年|年底前|\d{1,2}月底前|\d{4}年内|关键词\d+|我们|要|将)+", "", c.phrase)[:24]
        milestones.append({
            "key": taken.unique(keys.pinyin_key(name[:6])), "name_zh": name, "name_en": name,
            "section": section_of(c.paragraph), "locator": c.locator, "phrase": c.phrase, "strength": c.verb,
            "due": c.due, "note": _note(["英文名待译"] + ([f"期限：{c.deadline}"] if c.deadline else [])),
            "confidence": c.confidence, "review": True,
        })  # fmt: skip
    markers = document.marker_paragraphs()
    terms = []
    for t in document.terms:
        where = markers.get(t.number)
        terms.append({
            "number": t.number, "term": t.term, "page": t.page, "explanation_zh": t.explanation,
            "explanation_en": t.explanation, "body_locator": where.locator() if where else "（正文未见标注）",
            "note": "英文释义待补", "confidence": 0.9 if where else 0.6, "review": True,
        })  # fmt: skip
    unclassified = [(p.locator(), sentence) for p, sentence in unread]
    missing = [s.heading for s in document.missing_ordinals]
    return Draft(plan, sections, targets, results, milestones, terms, aliases, damage, unclassified, converted, missing, items)


def _year_from_parts(document: structure.Document) -> int | None:
    for part in document.parts:
        if part.role == "plan":
            m = re.search(r"(\d{4})年", part.title)
            if m:
                return int(m.group(1))
    return None


def _sections(document: structure.Document, taken: keys.Keys):
    """The draft's sections (review-overview, review-1 …, main, plan-overview, plan-1 …) and the
    function that files a paragraph under one."""
    rows: list[dict[str, Any]] = []
    codes: dict[int, str] = {}  # id(section) → code
    overview: dict[str, str] = {}

    def span(ns: list[int]) -> str:
        return f"¶{ns[0]}" if len(ns) == 1 or ns[0] == ns[-1] else f"¶{ns[0]}–¶{ns[-1]}"

    for part in document.parts:
        prefix = "review" if part.role == "review" else "plan"
        # A plan file's part says the role: 一 reviews the past year, 二 plans this one (a report
        # whose plan runs over 二、 and 三、 files both under 二; the locators keep the numerals).
        role_part = "一" if part.role == "review" else "二"
        loose = [p.number for p in document.paragraphs if p.part is part and p.section is None and not p.main]
        main = [p.number for p in document.paragraphs if p.part is part and p.main]
        if loose:
            code = taken.unique(f"{prefix}-overview")
            overview[id(part)] = code
            rows.append({"code": code, "part": role_part, "name_zh": f"{part.title}·总述",
                         "name_en": f"{'Review' if prefix == 'review' else 'Plan'}: overview",
                         "locator": f"{part.heading} {span(loose)}"})  # fmt: skip
        if main:
            code = taken.unique("main")
            rows.append({"code": code, "part": role_part, "name_zh": "主要预期目标", "name_en": "Main expected targets",
                         "locator": f"{part.heading} › 主要预期目标 {span(main)}"})  # fmt: skip
        for i, section in enumerate((s for s in document.sections if s.part is part), start=1):
            code = taken.unique(f"{prefix}-{i}")
            codes[id(section)] = code
            row = {"code": code, "part": role_part, "name_zh": section.heading, "name_en": f"({i}) {section.title}",
                   "locator": f"{part.numeral}、{section.heading} {span(section.paragraphs)}"}  # fmt: skip
            if section.inferred:
                row["note"] = f"报告此处标题缺少序号，按前后次序补为“({section.ordinal})”（方括号内为补入）。"
            rows.append(row)

    def section_of(paragraph: structure.Paragraph) -> str:
        if paragraph.main:
            return "main"
        if paragraph.section is not None:
            return codes[id(paragraph.section)]
        return overview.get(id(paragraph.part), "plan-overview")

    return rows, section_of


def toml_layout(draft: Draft) -> list[tuple[str, list[dict[str, Any]] | dict[str, Any]]]:
    """(table name, rows) in the order a plan file lists them."""
    return [("plan", draft.plan), ("section", draft.sections), ("target", draft.targets), ("result", draft.results),
            ("milestone", draft.milestones), ("term", draft.terms), ("aliases", draft.aliases)]  # fmt: skip
