"""What a publication holds: the record in the open, as plain table rows.

One set of rows feeds the publication database (store.publication, built with sqlite-utils for
Datasette) and the static site (render.site), so both say the same thing. Pure: computed
statuses, figures and notes in; rows out. What is private never enters: no journal, no user or
login names, no settings, no recorded-at moments, no reply or contact details — the rows are
built from a list of public fields, not copied from the database.

Every row carries ``plan`` (the plan's key), so that a publication can hold several plans.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hnreport.records import Record
from hnreport.domain.scorecard import ScoreEntry, UnitRank


class Publication(Record):
    plan: dict[str, Any]  # the plan row (with as_of and the source named)
    tables: dict[str, list[dict[str, Any]]]  # table name → rows, in the order they are written


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _round(value: float | None, digits: int = 4) -> float | None:
    import math

    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def build(
    plan: dict[str, Any],
    as_of: date,
    sections: list,
    assessments: list,
    states: list,
    history: dict[str, list],
    figures: dict[str, list],
    scorecard: list[ScoreEntry],
    ranking: list[UnitRank],
    assignments: list[tuple[str, str, str]],
    results: list,
    glossary: list,
    *,
    notes: bool = True,
) -> Publication:
    """The publication's tables at ``as_of``. ``history``: each milestone's status changes (up to
    ``as_of``); ``figures``: each target's figures (up to ``as_of``, retracted ones left out);
    ``assignments``: (item key, unit, role). ``notes=False`` leaves out what units wrote
    (进展情况, 存在问题, 下一步措施 and figure notes): statuses, figures and sources stay."""
    key = plan["key"]
    leads = {item: unit for item, unit, role in assignments if role == "lead"}
    supports: dict[str, list[str]] = {}
    for item, unit, role in assignments:
        if role == "support":
            supports.setdefault(item, []).append(unit)
    verdicts = {(e.kind, e.key): e for e in scorecard}
    plan_row = {"plan": key, **{k: v for k, v in plan.items() if k != "key"}, "as_of": as_of.isoformat()}

    t_rows = []
    for i, a in enumerate(assessments):
        t = a.target
        obs = a.observation
        in_force = t.in_force(as_of)
        t_rows.append({
            "plan": key, "key": t.key, "ordinal": i + 1, "section": t.section, "name_zh": t.name_zh, "name_en": t.name_en,
            "phrase": t.phrase, "locator": t.locator, "kind": t.kind, "comparator": t.comparator, "target": in_force.value,
            "original_target": t.value if in_force.value != t.value else None, "unit": t.unit, "frequency": t.frequency,
            "baseline": t.baseline.value if t.baseline else None, "baseline_unit": t.baseline.unit if t.baseline else None,
            "latest": obs.value if obs else None, "latest_as_of": _iso(obs.as_of) if obs else None,
            "vintage": obs.vintage if obs else None, "latest_source": obs.source if obs else None,
            "status": a.status, "pace": a.pace, "expected": _round(a.expected), "gap": _round(a.gap),
            "completion_rate": _round(a.completion_rate), "schedule_share": _round(a.schedule_share),
            "final": int(a.final), "lead_unit": leads.get(t.key), "verdict": verdicts[("target", t.key)].verdict,
        })  # fmt: skip

    f_rows = []
    for t in (a.target for a in assessments):
        for o in figures.get(t.key, []):
            f_rows.append({
                "plan": key, "id": o.id, "target_key": t.key, "value": o.value, "decimals": o.decimals, "unit": t.unit,
                "as_of": o.as_of.isoformat(), "vintage": o.vintage, "state": o.state,
                "note": o.note if notes else None, "source": o.source,
            })  # fmt: skip
    f_rows.sort(key=lambda r: (r["target_key"], r["as_of"], r["id"]))

    m_rows, h_rows = [], []
    for i, s in enumerate(states):
        m, c = s.milestone, s.change
        m_rows.append({
            "plan": key, "key": m.key, "ordinal": i + 1, "section": m.section, "name_zh": m.name_zh, "name_en": m.name_en,
            "phrase": m.phrase, "locator": m.locator, "strength": m.strength, "status": s.status,
            "status_as_of": _iso(c.as_of) if c else None,
            "progress": c.progress if c and notes else None, "problems": c.problems if c and notes else None,
            "next_steps": c.next_steps if c and notes else None, "source": c.source if c else None,
            "due_date": _iso(s.due), "due_implied": int(s.due_implied), "extended": int(s.extended), "overdue": int(s.overdue),
            "lead_unit": s.lead or leads.get(m.key), "support_units": "、".join(s.support or supports.get(m.key, ())) or None,
            "verdict": verdicts[("milestone", m.key)].verdict,
        })  # fmt: skip
        for ch in history.get(m.key, []):
            h_rows.append({
                "plan": key, "id": ch.id, "milestone_key": m.key, "as_of": ch.as_of.isoformat(), "status": ch.status,
                "progress": ch.progress if notes else None, "problems": ch.problems if notes else None,
                "next_steps": ch.next_steps if notes else None, "source": ch.source,
            })  # fmt: skip

    sc_rows = [{
        "plan": key, "kind": e.kind, "key": e.key, "name_zh": e.name_zh, "section": e.section, "verdict": e.verdict,
        "status": e.status, "final": int(e.final), "margin": _round(e.margin), "margin_unit": e.margin_unit,
        "phrase": e.phrase, "locator": e.locator, "source": e.source, "evidence_as_of": _iso(e.evidence_as_of),
        "lead_unit": e.lead,
    } for e in scorecard]  # fmt: skip

    u_rows = [{
        "plan": key, "rank": r.rank, "unit": r.unit, "led": r.led, "kept": r.kept, "on_course": r.on_course,
        "behind": r.behind, "missed": r.missed, "not_rated": r.not_rated, "score": _round(r.score),
    } for r in ranking]  # fmt: skip
    a_rows = [{"plan": key, "item_key": item, "unit": unit, "role": role} for item, unit, role in assignments]

    s_rows = [{"plan": key, "code": s.code, "part": s.part, "ordinal": s.ordinal, "name_zh": s.name_zh,
               "name_en": s.name_en, "locator": s.locator} for s in sections]  # fmt: skip
    r_rows = [{"plan": key, "key": r.key, "section": r.section, "name_zh": r.name_zh, "name_en": r.name_en, "kind": r.kind,
               "value": r.value, "unit": r.unit, "scope": r.scope, "phrase": r.phrase, "locator": r.locator} for r in results]  # fmt: skip
    g_rows = [{"plan": key, "number": g.number, "term": g.term, "page": g.page, "explanation_zh": g.explanation_zh,
               "explanation_en": g.explanation_en, "body_locator": g.body_locator} for g in glossary]  # fmt: skip

    return Publication(plan_row, {
        "sections": s_rows, "targets": t_rows, "figures": f_rows, "milestones": m_rows, "status_history": h_rows,
        "results": r_rows, "units": u_rows, "assignments": a_rows, "glossary": g_rows, "scorecard": sc_rows,
        "search": search_rows(key, t_rows, m_rows, h_rows, f_rows, r_rows, g_rows),
    })  # fmt: skip


def search_rows(plan: str, targets, milestones, history, figures, results, glossary) -> list[dict[str, Any]]:
    """Every published text a reader may search for, one row per text, with the item it belongs
    to and its place in the report — built from the published rows, so a publication without
    notes has none to find."""
    places = {("target", r["key"]): r["locator"] for r in targets}
    places.update({("milestone", r["key"]): r["locator"] for r in milestones})
    names = {r["key"]: r["name_zh"] for r in [*targets, *milestones]}
    rows: list[dict[str, Any]] = []

    def add(kind, key, field, text, locator, as_of=None):
        if text:
            rows.append({"plan": plan, "kind": kind, "key": key, "name_zh": names.get(key, ""), "field": field, "text": text,
                         "locator": locator, "as_of": as_of})  # fmt: skip

    for r in targets:
        add("target", r["key"], "name", r["name_zh"], r["locator"])
        add("target", r["key"], "phrase", r["phrase"], r["locator"])
    for r in milestones:
        add("milestone", r["key"], "name", r["name_zh"], r["locator"])
        add("milestone", r["key"], "phrase", r["phrase"], r["locator"])
    for r in history:
        for field in ("progress", "problems", "next_steps", "source"):
            add("note", r["milestone_key"], field, r[field], places.get(("milestone", r["milestone_key"]), ""), r["as_of"])
    # Figures' notes and sources as hnreport search has them: each text of a target once, dated by
    # the newest current figure that says it (统计月报 on a hundred thousand rows is one row a target).
    texts: dict[tuple[str, str, str], str] = {}
    for r in figures:
        if r["state"] == "current":
            for field in ("note", "source"):
                if r[field]:
                    place = (r["target_key"], field, r[field])
                    texts[place] = max(texts.get(place, ""), r["as_of"])
    for (key, field, text), as_of in texts.items():
        add("figure", key, field, text, places.get(("target", key), ""), as_of)
    for r in results:
        add("result", r["key"], "name", r["name_zh"], r["locator"])
        add("result", r["key"], "phrase", r["phrase"], r["locator"])
    for r in glossary:
        add("term", str(r["number"]), "term", r["term"], r["body_locator"])
        add("term", str(r["number"]), "explanation", r["explanation_zh"], r["body_locator"])
    return rows
