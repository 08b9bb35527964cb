"""A plan file: one TOML file holding what data/'s six files hold (docs/plan-format.md).

``read_plan_file`` checks the whole text and returns the plan in the shape the seed takes
(``store.seed.load``) with every problem found, each with its line; ``plan_file_text`` writes a
plan back out in the same format. Pure: no database, no terminal.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hnreport.records import Record
from hnreport.errors import Message, MultiLineError

# Array tables of a plan file → (the seed's file, its table) and the fields each item must have.
ITEMS = {
    "section": (("plan", "section"), ("code", "part", "name_zh", "name_en", "locator")),
    "result": (("results", "result"), ("key", "name_zh", "name_en", "section", "kind", "value", "locator", "phrase")),
    "target": (("targets", "target"), ("key", "name_zh", "name_en", "section", "kind", "comparator", "value", "frequency",
                                       "locator", "phrase")),
    "milestone": (("milestones", "milestone"), ("key", "name_zh", "name_en", "section", "locator", "phrase")),
    "term": (("glossary", "term"), ("number", "term", "explanation_zh", "explanation_en", "body_locator")),
    "aliases": (("aliases", "aliases"), ("key", "names")),
}  # fmt: skip
PLAN_FIELDS = ("key", "name_zh", "name_en", "county_zh", "county_en", "year")
RESULT_KINDS = ("growth_rate", "level", "share", "cumulative", "reduction", "count", "rank")
TARGET_KINDS = ("growth_rate", "level", "share", "cumulative", "reduction")
COMPARATORS = (">=", ">", "<=", "~")
FREQUENCIES = ("monthly", "quarterly", "annual")
KEY_SHAPE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Problem(Record):
    line: int | None
    message: Message


class PlanFileProblems(MultiLineError):
    """A plan file's problems: a line saying nothing was written, then each problem on its own
    line, as ``FILE:LINE: what``."""

    def __init__(self, path: str, problems: list[Problem], drafts: int = 0) -> None:
        super().__init__("planfile_problems", path=path, count=len(problems))
        self.path = path
        self.problems = problems
        self.drafts = drafts

    def text(self, lang: str = "en") -> str:
        from hnreport.text import one_line

        lines = [super().text(lang)]
        lines += [f"{one_line(self.path)}:{p.line}: " if p.line else f"{one_line(self.path)}: " for p in self.problems]
        lines[1:] = [where + p.message.text(lang) for where, p in zip(lines[1:], self.problems)]
        if self.drafts:
            lines.append(Message("planfile_drafts_hint", count=self.drafts).text(lang))
        return "\n".join(lines)


class PlanFile(Record):
    data: dict[str, Any]  # store.seed.load's shape
    problems: list[Problem]
    drafts: list[Problem]  # items still marked review = true


def file_digest(raw: bytes) -> str:
    """A plan file's fingerprint as the plan keeps it (``plans.seed_digest``): its bytes' CRC-32."""
    import zlib

    return f"crc32:{zlib.crc32(raw):08x}"


def read_plan_file(text: str) -> PlanFile:
    """Parse and check a plan file's text: every problem, each with its line."""
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column \d+\)", str(err))
        return PlanFile({}, [Problem(int(m.group(1)) if m else None, Message("planfile_syntax", reason=str(err).split(" (at line")[0]))], [])
    lines = _Lines(text)
    problems: list[Problem] = []
    drafts: list[Problem] = []

    def problem(line: int | None, message: Message) -> None:
        problems.append(Problem(line, message))

    for name in raw:
        if name != "plan" and name not in ITEMS:
            problem(lines.table(name, 0), Message("planfile_unknown_table", table=name, tables=", ".join(("plan", *ITEMS))))
    plan = raw.get("plan")
    if not isinstance(plan, dict):
        problem(None, Message("planfile_no_plan"))
        plan = {}
    else:
        at = lines.table("plan", 0)
        for field in PLAN_FIELDS:
            if plan.get(field) in (None, ""):
                problem(at, Message("planfile_missing_field", item="[plan]", field=field))
        key = plan.get("key")
        if isinstance(key, str) and key and not KEY_SHAPE.match(key):
            problem(lines.field("plan", 0, "key"), Message("planfile_bad_plan_key", key=key))
        year = plan.get("year")
        if year is not None and not (isinstance(year, int) and not isinstance(year, bool) and 1949 <= year <= 2100):
            problem(lines.field("plan", 0, "year"), Message("planfile_bad_year", value=year))
        delivered = plan.get("delivered")
        if delivered is not None and not isinstance(delivered, date):
            try:
                date.fromisoformat(str(delivered))
            except ValueError:
                problem(lines.field("plan", 0, "delivered"), Message("planfile_bad_date", field="delivered", value=delivered))
    items: dict[str, list[dict[str, Any]]] = {}
    for name, (_, required) in ITEMS.items():
        value = raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problem(lines.table(name, 0), Message("planfile_not_array", table=name))
            value = []
        items[name] = value
        for i, item in enumerate(value):
            at = lines.table(name, i)
            label = _label(name, item)
            for field in required:
                if item.get(field) in (None, "") or (field == "names" and not item.get(field)):
                    problem(at, Message("planfile_missing_field", item=label, field=field))
            if item.get("review") is True:
                drafts.append(Problem(at, Message("planfile_draft", item=label, confidence=_confidence(item))))
    sections = {s.get("code") for s in items["section"]}
    results = {r.get("key") for r in items["result"]}
    seen: dict[str, tuple[str, int]] = {}
    for name in ("section", "result", "target", "milestone", "term"):
        key_field = {"section": "code", "term": "number"}.get(name, "key")
        space = {"target": "item", "milestone": "item"}.get(name, name)
        for i, item in enumerate(items[name]):
            key = item.get(key_field)
            if key is None:
                continue
            folded = (space, str(key).lower())
            if folded in seen:
                problem(lines.table(name, i), Message("planfile_duplicate", item=_label(name, item), first=seen[folded][1]))
            else:
                seen[folded] = (name, lines.table(name, i) or 0)
            if name in ("result", "target", "milestone") and isinstance(key, str) and not KEY_SHAPE.match(key.lower()):
                problem(lines.field(name, i, "key"), Message("planfile_bad_key", item=_label(name, item)))
    names: dict[str, int] = {}
    for i, t in enumerate(items["target"]):
        at = lines.table("target", i)
        label = _label("target", t)
        _choice(problem, lines.field("target", i, "kind"), label, "kind", t.get("kind"), TARGET_KINDS)
        _choice(problem, lines.field("target", i, "comparator"), label, "comparator", t.get("comparator"), COMPARATORS)
        _choice(problem, lines.field("target", i, "frequency"), label, "frequency", t.get("frequency"), FREQUENCIES)
        _number(problem, lines.field("target", i, "value"), label, t.get("value"))
        if t.get("baseline") is not None and t.get("baseline") not in results:
            problem(lines.field("target", i, "baseline"), Message("planfile_no_such", item=label, field="baseline", value=t.get("baseline"), what="[[result]]"))
        name_zh = t.get("name_zh")
        if isinstance(name_zh, str) and name_zh:
            if name_zh in names:
                problem(at, Message("planfile_duplicate_name", item=label, name=name_zh, first=names[name_zh]))
            names.setdefault(name_zh, at or 0)
    for i, r in enumerate(items["result"]):
        label = _label("result", r)
        _choice(problem, lines.field("result", i, "kind"), label, "kind", r.get("kind"), RESULT_KINDS)
        _number(problem, lines.field("result", i, "value"), label, r.get("value"))
    for name in ("result", "target", "milestone"):
        for i, item in enumerate(items[name]):
            if item.get("section") is not None and item.get("section") not in sections:
                problem(lines.field(name, i, "section"), Message("planfile_no_such", item=_label(name, item), field="section",
                        value=item.get("section"), what="[[section]]"))  # fmt: skip
    targets = {t.get("key") for t in items["target"]}
    for i, a in enumerate(items["aliases"]):
        if a.get("key") is not None and a.get("key") not in targets:
            problem(lines.field("aliases", i, "key"), Message("planfile_no_such", item=_label("aliases", a), field="key", value=a.get("key"), what="[[target]]"))
        if not isinstance(a.get("names", []), list) or not all(isinstance(n, str) for n in a.get("names", [])):
            problem(lines.field("aliases", i, "names"), Message("planfile_bad_names", item=_label("aliases", a)))
    for i, g in enumerate(items["term"]):
        if g.get("number") is not None and (not isinstance(g.get("number"), int) or isinstance(g.get("number"), bool)):
            problem(lines.field("term", i, "number"), Message("planfile_bad_number", item=_label("term", g), value=g.get("number")))
    problems.sort(key=lambda p: (p.line or 0))
    data = {
        "plan": {"plan": plan, "section": items["section"]},
        "results": {"result": items["result"]},
        "targets": {"target": items["target"]},
        "milestones": {"milestone": items["milestone"]},
        "glossary": {"term": items["term"]},
        "aliases": {"aliases": items["aliases"]},
    }
    return PlanFile(data, problems, drafts)


def _label(table: str, item: dict[str, Any]) -> str:
    key = item.get({"section": "code", "term": "number"}.get(table, "key"))
    return f"[[{table}]] {key}" if key is not None else f"[[{table}]]"


def _confidence(item: dict[str, Any]) -> str:
    value = item.get("confidence")
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "?"


def _choice(problem, line, label: str, field: str, value: Any, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        problem(line, Message("planfile_bad_choice", item=label, field=field, value=value, choices=", ".join(choices)))


def _number(problem, line, label: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf"))):
        problem(line, Message("planfile_bad_value", item=label, value=value))


class _Lines:
    """Where a plan file's tables and fields stand: the line of the i-th ``[[name]]`` header and
    of a field under it (1-based)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for n, line in enumerate(self.lines, 1):
            m = re.match(r"\s*\[\[?\s*([A-Za-z0-9_-]+)\s*\]\]?", line)
            if m:
                self.headers.setdefault(m.group(1), []).append(n)

    def table(self, name: str, i: int) -> int | None:
        found = self.headers.get(name, [])
        return found[i] if i < len(found) else None

    def field(self, name: str, i: int, field: str) -> int | None:
        start = self.table(name, i)
        if start is None:
            return None
        for n in range(start, len(self.lines)):
            line = self.lines[n]
            if re.match(r"\s*\[", line):
                break
            if re.match(rf"\s*{re.escape(field)}\s*=", line):
                return n + 1
        return start
