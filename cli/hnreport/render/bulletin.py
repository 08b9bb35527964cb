"""The 督查通报: what was computed for an as-of date, written down once as the bulletin's content
(plain data, kept as issued), and that content laid out as a document (render.document).

``bulletin_content`` takes the same assessments, milestone states and counts as ``report
--format json`` — it computes no status — and words them as offices do. ``bulletin_document``
reads nothing but the content, so a bulletin re-issued from what was recorded reads the same.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hnreport.domain.bulletin import Concern, UnitRank, order_number, period_words
from hnreport.domain.model import STATUSES
from hnreport.render.common import num, with_unit
from hnreport.render.formats.blocks import Block, Cell, Document, Table, cell, number_cell
from hnreport.render.targets import gap_text, period_text, target_text

CONTENT_FORMAT = 1

# A target's status as a bulletin words it (no marks: a printed page), and its light.
STATUS_WORDS = {"achieved": "已完成", "on_pace": "符合序时", "behind": "滞后", "far_behind": "严重滞后", "missed": "未完成",
                "no_data": "暂无数据"}  # fmt: skip
STATUS_LIGHT = {"achieved": "green", "on_pace": "green", "behind": "yellow", "far_behind": "red", "missed": "red", "no_data": "grey"}
MILESTONE_WORDS = {"done": "已完成", "in_progress": "推进中", "not_started": "未启动", "stalled": "停滞", "dropped": "已调整/取消",
                   "not_rated": "未评估"}  # fmt: skip
MILESTONE_LIGHT = {"done": "green", "in_progress": "green", "not_started": "yellow", "stalled": "red", "dropped": "grey",
                   "not_rated": "grey"}  # fmt: skip
REASON_WORDS = {"missed": "未完成年度目标", "far_behind": "严重滞后于序时进度", "behind": "滞后于序时进度", "overdue": "逾期未完成",
                "stalled": "推进停滞"}  # fmt: skip
RANK_WORDS = {"red": "红灯数", "overdue": "逾期数", "yellow": "黄灯数", "no_report": "未报送", "support_red": "配合事项红灯数"}
NOT_REPORTED = "未报送"
IMPLIED = "（推定）"  # a deadline the report does not give: the year's end


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _share(n: int, total: int) -> str:
    return f"{n / total * 100:.1f}%" if total else "—"


def target_status_words(status: str, pace: str | None) -> str:
    if status == "on_pace":
        return "超序时" if pace == "ahead" else "达序时"
    return STATUS_WORDS[status]


# ── the content ──────────────────────────────────────────────────────────────────────────────
def bulletin_content(
    *, plan, as_of: date, issued_on: date, number: int | None, office: str | None, known_at: str | None,
    title: str, sections: list, assessments: list, counts: dict, pace: dict, milestone_summary,
    states: list, leads: dict, concerns: list[Concern], reports: dict | None, orders: list,
    ranking: list[UnitRank], rank_order: tuple[str, ...], previous: dict | None = None, today: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Everything the bulletin says, as plain data: the numbers and the words. ``previous``: the
    content of the last bulletin issued for an earlier day, which this one is compared with
    (较上期). ``today``: a bulletin for a period that has not ended by then (issued with --force)
    says so, and counts replies as late only by today."""
    names = {s.code: s.name_zh for s in sections}
    total_t = len(assessments)
    m_counts = milestone_summary.counts
    total_m = len(states)
    overdue_m = sum(1 for s in states if s.overdue)
    ordered = _ordered_items(orders)
    not_ended = today is not None and as_of > today
    seen = today if not_ended else as_of  # the last day anything can be late by
    overdue_replies = [
        {"id": o.id, "number": _order_number(o), "unit": o.unit, "issued_on": o.issued_on.isoformat(),
         "reply_due": o.reply_due.isoformat(), "days": (seen - o.reply_due).days}
        for o in orders if not o.replies and o.reply_due < seen
    ]  # fmt: skip
    late_replies = [
        {"id": o.id, "number": _order_number(o), "unit": o.unit, "reply_due": o.reply_due.isoformat(),
         "replied_on": answered_on(o).isoformat(), "days": (answered_on(o) - o.reply_due).days}
        for o in orders if replied_late(o)
    ]  # fmt: skip
    content: dict[str, Any] = {
        "kind": "bulletin",
        "format": CONTENT_FORMAT,
        "plan": {"key": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "year": plan.year},
        "office": office or "",
        "number": number,
        "year": issued_on.year,
        "issued_on": issued_on.isoformat(),
        "as_of": as_of.isoformat(),
        "not_ended": not_ended,
        "today": today.isoformat() if not_ended else None,  # type: ignore[union-attr]
        "known_at": known_at,
        "title": title,
        "period": period_words(as_of),
        "summary": {
            "targets": dict(counts), "targets_total": total_t, "pace": dict(pace),
            "milestones": dict(m_counts), "milestones_total": total_m, "milestones_overdue": overdue_m,
        },
        "reports": reports,
        "targets": [_target_row(a, leads) for a in assessments],
        "milestone_sections": [
            {"code": code, "name": names.get(code, code), "summary": dict(c), "total": sum(c.values()), "overdue": late}
            for code, c, late in milestone_summary.sections
        ],
        "milestones_flagged": [
            {"key": s.milestone.key, "name": s.milestone.name_zh, "section": s.milestone.section, "lead": s.lead,
             "status": s.status, "overdue": s.overdue, "due": s.due.isoformat() if s.due else None,
             "due_implied": s.due_implied, "days_overdue": (s.as_of - s.due).days if s.overdue else None}
            for s in milestone_summary.flagged
        ],
        "problems": [
            {"kind": c.kind, "key": c.key, "name": c.name_zh, "lead": c.lead, "reason": c.reason, "problems": c.problems,
             "next_steps": c.next_steps, "progress": c.progress, "reported_on": c.reported_on.isoformat() if c.reported_on else None,
             "note": c.note, "due": c.due.isoformat() if c.due else None, "due_implied": c.due_implied,
             "days_overdue": c.days_overdue,
             "ordered": ordered.get(c.key.lower(), [])}
            for c in concerns
        ],
        "orders": {"issued": len(orders), "replied": sum(1 for o in orders if o.replies), "overdue_replies": overdue_replies,
                   "late_replies": late_replies},
        "ranking": {
            "order": list(rank_order),
            "order_text": "、".join(RANK_WORDS[k] for k in rank_order),
            "rows": [{"rank": i, **r._asdict()} for i, r in enumerate(ranking, start=1)],
        },
    }  # fmt: skip
    content["previous"] = compared(previous, content) if previous else None
    if content["previous"]:
        earlier = set(content["previous"]["named_before"])
        for p in content["problems"]:
            p["named_before"] = p["key"].lower() in earlier
    content["overview"] = overview(content)
    return content


def _lagging(summary: dict) -> int:
    return sum(summary["targets"].get(k, 0) for k in ("behind", "far_behind", "missed"))


def compared(previous: dict, c: dict) -> dict[str, Any]:
    """较上期: this bulletin's numbers against the last one issued — lagging targets and overdue
    milestones then and now, the items named now that were not then (新增) and those named then
    that are not now (已消除)."""
    before = {p["key"].lower(): p for p in previous.get("problems", [])}
    now = {p["key"].lower(): p for p in c["problems"]}
    return {
        "number": previous.get("number"), "year": previous.get("year"), "as_of": previous.get("as_of"),
        "lagging": [_lagging(previous["summary"]), _lagging(c["summary"])],
        "overdue": [previous["summary"].get("milestones_overdue", 0), c["summary"]["milestones_overdue"]],
        "added": [now[k]["name"] for k in now if k not in before],
        "cleared": [before[k]["name"] for k in before if k not in now],
        "named_before": [k for k in now if k in before],
    }  # fmt: skip


def _change_words(what: str, then: int, now: int) -> str:
    if then == now:
        return f"{what}{now}项，与上期持平"
    return f"{what}由{then}项{'增加' if now > then else '减少'}为{now}项"


def comparison_sentence(d: dict) -> str:
    """The sentence of 一、 that says what changed since the last bulletin."""
    which = f"{d['year']}年第{d['number']}期" if d.get("number") else "上期"
    day = chinese_date(date.fromisoformat(d["as_of"])) if d.get("as_of") else ""
    text = (f"与上期（{which}，截至{day}）相比，" + _change_words("滞后指标", *d["lagging"]) + "，"
            + _change_words("逾期重点工作", *d["overdue"]))  # fmt: skip
    if d["added"]:
        text += f"；新增问题{len(d['added'])}项（{'、'.join(d['added'])}）"
    if d["cleared"]:
        text += f"；上期通报的{len(d['cleared'])}项问题已消除（{'、'.join(d['cleared'])}）"
    if d["named_before"]:
        text += f"；{len(d['named_before'])}项问题连续两期被通报"
    return text + "。"


def answered_on(o) -> date | None:
    """The day an order was first answered (its earliest reply), or None."""
    return min((r.replied_on for r in o.replies), default=None)


def replied_late(o) -> bool:
    """Answered, but after the reply deadline (逾期回复): 已回复 all the same."""
    first = answered_on(o)
    return first is not None and first > o.reply_due


def _order_number(o) -> str:
    return order_number(o.year, o.number)


def _ordered_items(orders: list) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for o in orders:
        for key, _reason in o.items:
            out.setdefault(key.lower(), []).append({"order": _order_number(o), "id": o.id, "issued_on": o.issued_on.isoformat(),
                                                    "replied": bool(o.replies), "replied_late": replied_late(o)})  # fmt: skip
    return out


def _target_row(a, leads: dict) -> dict[str, Any]:
    t, obs = a.target, a.observation
    return {
        "key": t.key, "name": t.name_zh, "lead": leads.get(t.key), "target": t.value, "target_text": target_text(t, "zh"),
        "unit": t.unit, "latest": obs.value if obs else None, "latest_decimals": obs.decimals if obs else None,
        "latest_text": with_unit(obs.value, t.unit, obs.decimals) if obs else "—",
        "latest_as_of": obs.as_of.isoformat() if obs else None,
        "period_text": period_text(obs.as_of, "zh") if obs else "—",
        "expected": num(a.expected, 4) if obs else None,
        "expected_text": with_unit(num(a.expected, 2), t.unit) if a.expected is not None and obs else "—",
        "gap": num(a.gap), "gap_points": num(a.gap_points, 2), "gap_text": gap_text(a, "zh"),
        "status": a.status, "pace": a.pace, "part_year": a.part_year,
        "status_text": target_status_words(a.status, a.pace) + ("（年度数据未出）" if a.part_year else ""),
        "note": obs.note if obs else None,
    }  # fmt: skip


def overview(c: dict) -> list[str]:
    """一、总体情况 as sentences: counts and shares, the pace split, the milestones, who has not
    reported, and the orders not answered."""
    s = c["summary"]
    total_t, total_m = s["targets_total"], s["milestones_total"]
    parts = [f"{STATUS_WORDS[k]}{n}项（占{_share(n, total_t)}）" for k in STATUSES if (n := s["targets"].get(k, 0))]
    subject = c["plan"]["name_zh"]
    day = chinese_date(date.fromisoformat(c["as_of"]))
    out = []
    if c.get("not_ended"):
        out.append(not_ended_sentence(c))
    out += [f"截至{day}，{subject}确定的{total_t}项量化指标中，" + ("，".join(parts) if parts else "尚无数据") + "。"]
    first = len(out) - 1
    p = s["pace"]
    if any(p.values()):
        out[first] += (f"对照序时进度，超序时{p['ahead']}项、达序时{p['on']}项、欠序时{p['behind']}项。")
    m_parts = [f"{MILESTONE_WORDS[k]}{n}项" for k, n in s["milestones"].items() if n]
    if total_m:
        late = s["milestones_overdue"]
        out[first] += (f"{total_m}项重点工作中，" + "，".join(m_parts)
                   + (f"；已超过完成时限仍未完成的{late}项（占{_share(late, total_m)}）。" if late else "；无逾期事项。"))  # fmt: skip
    r = c.get("reports")
    if r is not None:
        due = chinese_date(date.fromisoformat(r["due"]))
        reported = len(r["reported"]) + len(r["blank"])
        n_units = reported + len(r["not_reported"])
        if not n_units:
            out.append("尚未分配牵头单位，无从统计报送情况。")
        elif r["not_reported"]:
            out.append(f"{r['label']}进展情况应于{due}前报送，{n_units}个牵头单位中已报送{reported}个，"
                       f"未报送{len(r['not_reported'])}个：{'、'.join(r['not_reported'])}。")  # fmt: skip
        else:
            out.append(f"{r['label']}进展情况应于{due}前报送，{n_units}个牵头单位均已报送。")
        if r["blank"]:
            out[-1] += f"另有{'、'.join(r['blank'])}的部分事项未填报。"
    if c.get("previous"):
        out.append(comparison_sentence(c["previous"]))
    o = c["orders"]
    if o["issued"]:
        late = o["overdue_replies"]
        out.append(f"已下发督办单{o['issued']}份，已回复{o['replied']}份" + _late_reply_words(o)
                   + (f"，逾期未回复{len(late)}份（{'、'.join(x['unit'] for x in late)}）。" if late else "。"))  # fmt: skip
    return out


def not_ended_sentence(c: dict) -> str:
    """What a bulletin for a period not ended by its day of drafting says first (--force)."""
    today = chinese_date(date.fromisoformat(c["today"]))
    return (f"特别说明：本期通报截至{chinese_date(date.fromisoformat(c['as_of']))}，该时期尚未结束（制发时为{today}），"
            f"以下为截至{today}掌握的情况，数据和报送情况均不完整，不作期末结论。")


def _late_reply_words(o: dict) -> str:
    late = o.get("late_replies") or []
    return f"（其中逾期回复{len(late)}份：{'、'.join(x['unit'] for x in late)}）" if late else ""


# ── the document ─────────────────────────────────────────────────────────────────────────────
TARGET_HEADERS = ["序号", "指标", "牵头单位", "年度目标", "最新值", "数据期", "序时应达", "差距", "状态"]
TARGET_WIDTHS = [7, 20, 13, 11, 10, 8, 10, 14, 13]


def bulletin_document(c: dict) -> Document:
    number = c["number"]
    number_line = f"{c['year']}年第{number}期" if number else "（征求意见稿 · 未编号）"
    blocks: list[Block] = [Block("h1", "一、总体情况")]
    blocks += [Block("p", text) for text in c["overview"]]

    blocks.append(Block("h1", "二、主要指标完成情况"))
    rows = c["targets"]
    behind = [r for r in rows if r["status"] in ("behind", "far_behind", "missed")]
    blocks.append(Block("p", f"{len(rows)}项量化指标的完成情况见下表（差距：总量类以指标单位计并注明完成率差距，增速、占比类以百分点计）。"
                             + (f"其中{'、'.join(r['name'] for r in behind)}未达到序时进度要求。" if behind else "")))
    blocks.append(Block("table", table=targets_table(rows)))
    if any(r["part_year"] for r in rows):
        blocks.append(Block("note", "注：“年度数据未出”指年度已过但全年数据尚未公布，状态按最新一期数据对照其当期序时进度判断。"))

    blocks.append(Block("h1", "三、重点工作推进情况"))
    sections = c["milestone_sections"]
    for s in sections:
        parts = "，".join(f"{MILESTONE_WORDS[k]}{n}项" for k, n in s["summary"].items() if n)
        late = f"；逾期{s['overdue']}项" if s["overdue"] else ""
        name = s["name"].replace("[", "").replace("]", "")  # a repaired number, [(三)], is its number
        blocks.append(Block("p", f"{name}：共{s['total']}项，{parts}{late}。"))
    flagged = c["milestones_flagged"]
    if flagged:
        blocks.append(Block("p", f"逾期或停滞的事项{len(flagged)}项，见下表。"))
        blocks.append(Block("table", table=flagged_table(flagged)))
    elif sections:
        blocks.append(Block("p", "各项重点工作均未逾期，无停滞事项。"))

    blocks.append(Block("h1", "四、存在的问题"))
    problems = c["problems"]
    if not problems:
        blocks.append(Block("p", "截至本期，无滞后指标，无逾期或停滞事项。"))
    groups = (("（一）指标滞后", [p for p in problems if p["kind"] == "target"]),
              ("（二）重点工作逾期或停滞", [p for p in problems if p["kind"] == "milestone"]))  # fmt: skip
    for heading, items in groups:
        if not items:
            continue
        blocks.append(Block("h2", heading))
        for n, p in enumerate(items, start=1):
            blocks.append(Block("p", f"{n}.{problem_text(p)}"))
    unreported = [p for p in problems if p["lead"] and not (p["problems"] or p["next_steps"])]
    if unreported:
        blocks.append(Block("p", f"以上事项中，{len(unreported)}项的牵头单位未报送存在问题和下一步措施"
                                 f"（{'、'.join(_lead(p) for p in _unique_leads(unreported))}）。"))  # fmt: skip
    no_lead = [p for p in problems if not p["lead"]]
    if no_lead:
        blocks.append(Block("p", f"以上事项中，{len(no_lead)}项尚未明确牵头单位（{'、'.join(p['name'] for p in no_lead)}），"
                                 "建议明确牵头单位。"))  # fmt: skip

    blocks.append(Block("h1", "五、下一步工作"))
    blocks.append(Block("p", "各牵头单位要对照本通报指出的问题，逐项明确责任人和完成时限，加快推进；配合单位要主动衔接、形成合力。"
                             "县政府督查室将对滞后、逾期事项跟踪督办，并在下期通报中通报落实情况。"))
    if problems:
        blocks.append(Block("h2", "（一）各单位报送的下一步措施"))
        for n, p in enumerate(problems, start=1):
            if p["lead"] or p["next_steps"]:
                blocks.append(Block("p", f"{n}.{p['name']}（{_lead(p)}）：{p['next_steps'] or NOT_REPORTED + '下一步措施'}。"))
            else:
                blocks.append(Block("p", f"{n}.{p['name']}（{NO_LEAD}）：明确牵头单位后报送下一步措施。"))
    late = c["orders"]["overdue_replies"]
    if c["orders"]["issued"]:
        blocks.append(Block("h2", "（二）督办落实情况"))
        text = f"已下发督办单{c['orders']['issued']}份，已回复{c['orders']['replied']}份。"
        late_replies = c["orders"].get("late_replies") or []
        if late_replies:
            text += "逾期回复：" + "；".join(f"{x['unit']}（{x['number']}，应于{chinese_date(date.fromisoformat(x['reply_due']))}前回复，"
                                         f"{chinese_date(date.fromisoformat(x['replied_on']))}回复，逾期{x['days']}天）"
                                         for x in late_replies) + "。"  # fmt: skip
        if late:
            text += "逾期未回复：" + "；".join(f"{x['unit']}（{x['number']}，应于{chinese_date(date.fromisoformat(x['reply_due']))}前回复，"
                                          f"已逾期{x['days']}天）" for x in late) + "。"  # fmt: skip
        blocks.append(Block("p", text))

    blocks.append(Block("attachment", "附件：责任单位推进情况排名"))
    ranking = c["ranking"]
    if ranking["rows"]:
        blocks.append(Block("p", f"排名规则：按牵头事项的{ranking['order_text']}依次从多到少排列（多者在前），相同者按单位名称排列。"
                                 "绿灯：已完成、符合序时或推进中；"
                                 "黄灯：滞后或未启动；红灯：严重滞后、未完成或停滞。"))
        blocks.append(Block("table", table=ranking_table(ranking["rows"])))
    else:
        blocks.append(Block("p", "尚未分配牵头单位和配合单位，无排名。"))
    office = c["office"]
    return Document("bulletin", office, number_line, c["title"], "各乡镇人民政府，县直各单位：", blocks, office,
                    chinese_date(date.fromisoformat(c["issued_on"])))  # fmt: skip


NO_LEAD = "未明确牵头单位"


def _lead(p: dict) -> str:
    return p["lead"] or NO_LEAD


def _unique_leads(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in items:
        if _lead(p) not in seen:
            seen.add(_lead(p))
            out.append(p)
    return out


def problem_text(p: dict) -> str:
    """One item under 四、: what, whose, why it is named, what the unit said stands in the way (or
    that it said nothing: 未报送), the note of its latest figure, and whether it was 已督办."""
    why = REASON_WORDS[p["reason"]]
    if p["reason"] == "overdue" and p["days_overdue"] is not None:
        why += f"（完成时限{p['due']}{IMPLIED if p.get('due_implied') else ''}，已逾期{p['days_overdue']}天）"
    whose = f"牵头单位：{p['lead']}" if p["lead"] else NO_LEAD
    text = f"{p['name']}（{whose}）{why}{'，上期已通报' if p.get('named_before') else ''}。"
    if p["lead"] or p["problems"]:  # no unit leads it: none failed to report
        text += f"存在问题：{p['problems'] or NOT_REPORTED}。"
    if p["note"]:
        text += f"数据说明：{p['note']}。"
    if p["ordered"]:
        last = p["ordered"][-1]
        answer = ("，已回复（逾期回复）" if last.get("replied_late") else "，已回复") if last["replied"] else "，未回复"
        text += f"（已督办：{last['order']}，{chinese_date(date.fromisoformat(last['issued_on']))}{answer}）"
    return text


def targets_table(rows: list[dict]) -> Table:
    body = []
    for i, r in enumerate(rows, start=1):
        unit = r["unit"]
        gap_unit = "个百分点" if unit == "%" else unit
        body.append([
            Cell(str(i), i, "0"), cell(r["name"]), cell(r["lead"] or "未明确"), cell(r["target_text"]),
            number_cell(r["latest"], r["latest_text"], r["latest_decimals"], unit), cell(r["period_text"]),
            number_cell(r["expected"], r["expected_text"], None, unit) if r["latest"] is not None else cell(None),
            number_cell(r["gap"], r["gap_text"], None, gap_unit, signed=True) if r["gap"] is not None else cell(None),
            Cell(r["status_text"], light=STATUS_LIGHT[r["status"]]),
        ])  # fmt: skip
    return Table("主要指标", TARGET_HEADERS, body, TARGET_WIDTHS)


def flagged_table(rows: list[dict]) -> Table:
    body = []
    for i, r in enumerate(rows, start=1):
        due = (r["due"] or "—") + (IMPLIED if r["due_implied"] else "")
        status = MILESTONE_WORDS[r["status"]] + ("、逾期" if r["overdue"] else "")
        body.append([Cell(str(i), i, "0"), cell(r["name"]), cell(r["lead"] or "未明确"), cell(due),
                     Cell(status, light="red" if r["overdue"] or r["status"] == "stalled" else MILESTONE_LIGHT[r["status"]]),
                     Cell(str(r["days_overdue"]), r["days_overdue"], "0") if r["days_overdue"] is not None else cell(None)])  # fmt: skip
    return Table("逾期和停滞事项", ["序号", "事项", "牵头单位", "完成时限", "状态", "逾期天数"], body, [7, 38, 16, 14, 11, 9])


RANK_HEADERS = ["名次", "单位", "牵头事项", "绿灯", "黄灯", "红灯", "逾期", "暂无数据", "配合事项", "配合黄灯", "配合红灯", "报送"]


def ranking_table(rows: list[dict]) -> Table:
    body = []
    for r in rows:
        def n(key: str, light: str | None = None) -> Cell:
            return Cell(str(r[key]), r[key], "0", light if r[key] else None)

        body.append([n("rank"), cell(r["unit"]), n("lead_items"), n("green", "green"), n("yellow", "yellow"), n("red", "red"),
                     n("overdue", "red"), n("no_data"), n("support_items"), n("support_yellow", "yellow"), n("support_red", "red"),
                     Cell(NOT_REPORTED, light="red") if r["no_report"] else Cell("已报送")])  # fmt: skip
    return Table("单位排名", RANK_HEADERS, body, [6, 20, 7, 6, 6, 6, 6, 7, 7, 7, 7, 8])
