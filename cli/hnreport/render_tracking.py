"""Renderers for milestones, deadlines, units and the glossary. No queries, no status rules."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport import labels
from hnreport.milestones import MILESTONE_STATUSES, Deadline, DueItem, MilestoneState, StatusChange
from hnreport.model import STATUSES
from hnreport.errors import one_line
from hnreport.render import emit, markdown_table, short_time, write_csv, write_json

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.progress import Assessment


def _name(obj: Any, lang: str) -> str:
    return obj.name_en if lang == "en" else obj.name_zh


def milestone_dict(s: MilestoneState) -> dict[str, Any]:
    m = s.milestone
    return {
        "key": m.key,
        "name_zh": m.name_zh,
        "name_en": m.name_en,
        "section": m.section,
        "strength": m.strength,
        "status": s.status,
        "status_as_of": s.change.as_of.isoformat() if s.change else None,
        "due": s.due.isoformat() if s.due else None,
        "original_due": s.original_due.isoformat() if s.original_due else None,
        "overdue": s.overdue,
        "lead": s.lead,
        "support": list(s.support),
        "locator": m.locator,
        "origin": m.origin,
    }


def status_cell(s: MilestoneState, lang: str):
    from rich.text import Text

    text = Text(labels.milestone_word(s.status, lang), style=labels.MILESTONE_STATUS[s.status][3])
    if s.overdue:
        text.append(f" {labels.pick(labels.OVERDUE, lang)}", style="bold red")
    return text


def _due_text(s: MilestoneState, lang: str) -> str:
    if s.due is None:
        return "—"
    out = s.due.isoformat()
    if s.extended:
        out += " (延期)" if lang != "en" else " (extended)"
    return out


def milestones_table(states: list[MilestoneState], fmt: str, lang: str, console: Console) -> None:
    rows = [milestone_dict(s) for s in states]
    if fmt == "csv":
        rows = [{**r, "support": ";".join(r["support"])} for r in rows]
    headers = [labels.pick(h, lang) for h in (("代码", "key"), ("事项", "milestone"), ("状态", "status"),
                                               ("时限", "due"), ("牵头单位", "lead unit"))]  # fmt: skip
    body = [
        [s.milestone.key, _name(s.milestone, lang), status_cell(s, lang) if fmt == "table" else
         labels.milestone_word(s.status, lang) + (f" {labels.pick(labels.OVERDUE, lang)}" if s.overdue else ""),
         _due_text(s, lang), s.lead or "—"]
        for s in states
    ]  # fmt: skip
    emit(fmt, console, rows, headers, body)


def milestone_details(
    s: MilestoneState,
    changes: list[StatusChange],
    deadlines: list[Deadline],
    terms: list[tuple],
    lang: str,
    console: Console,
) -> None:
    from rich.table import Table

    zh = lang != "en"
    m = s.milestone
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("代码" if zh else "key", m.key)
    grid.add_row("名称" if zh else "name", f"{m.name_zh} / {m.name_en}")
    grid.add_row("原文" if zh else "wording", f"“{m.phrase}”" + (f"  [{m.strength}]" if m.strength else ""))
    grid.add_row("位置" if zh else "locator", m.locator or "—")
    if m.origin == "user":
        grid.add_row("来源" if zh else "origin", "用户添加" if zh else "added by a user")
    if m.note:
        grid.add_row("说明" if zh else "note", m.note)
    grid.add_row("截至" if zh else "as of", s.as_of.isoformat())
    grid.add_row("状态" if zh else "status", status_cell(s, lang))
    grid.add_row("时限" if zh else "due", _due_text(s, lang))
    grid.add_row("牵头单位" if zh else "lead unit", s.lead or labels.pick(labels.UNASSIGNED, lang))
    if s.support:
        grid.add_row("责任单位" if zh else "supporting", "、".join(s.support))
    for number, term, _page, expl_zh, expl_en, _loc, _note in terms:
        grid.add_row(f"[{number}] {term}", expl_en if lang == "en" else expl_zh)
    console.print(grid)
    if deadlines:
        console.print()
        table = Table(title="时限记录" if zh else "deadlines", title_justify="left", pad_edge=False)
        for h in (("类型", "kind"), ("日期", "date"), ("内容/原因", "text / reason"), ("录入时间", "recorded")):
            table.add_column(labels.pick(h, lang), overflow="fold")
        kinds = {"due": ("完成时限", "due"), "node": ("时间节点", "time node"), "extension": ("延期", "extension")}
        for d in deadlines:
            table.add_row(labels.pick(kinds[d.kind], lang), d.due_date.isoformat(), d.text or d.reason or "", d.recorded_at)
        console.print(table)
    console.print()
    if not changes:
        console.print("尚无状态记录(未评估)" if zh else "no status recorded yet (not rated)")
        return
    table = Table(title="状态记录" if zh else "status history", title_justify="left", pad_edge=False)
    for h in (("编号", "id"), ("截至", "as of"), ("状态", "status"), ("进展情况", "progress"),
              ("存在问题", "problems"), ("下一步措施", "next steps"), ("依据", "evidence"), ("录入时间", "recorded")):  # fmt: skip
        table.add_column(labels.pick(h, lang), overflow="fold")
    for c in sorted(changes, key=lambda c: (c.as_of, c.id), reverse=True):
        table.add_row(str(c.id), c.as_of.isoformat(), labels.milestone_word(c.status, lang), one_line(c.progress or ""),
                      one_line(c.problems or ""), one_line(c.next_steps or ""), one_line(c.source or ""),
                      short_time(c.recorded_at))  # fmt: skip
    console.print(table)


def due_dict(item: DueItem) -> dict[str, Any]:
    m = item.state.milestone
    return {"key": m.key, "name_zh": m.name_zh, "name_en": m.name_en, "lead": item.state.lead,
            "status": item.state.status, "kind": item.kind, "date": item.date.isoformat(), "days": item.days,
            "text": item.text}  # fmt: skip


def due_list(as_of: date, within: int, due: list[DueItem], fmt: str, lang: str, console: Console) -> None:
    items = [due_dict(i) for i in due]
    if fmt == "json":
        write_json({"as_of": as_of.isoformat(), "within": within, "items": items})
        return
    kinds = {"overdue": labels.OVERDUE, "due": labels.DUE_SOON, "node": labels.NODE_SOON}
    headers = [labels.pick(h, lang) for h in (("牵头单位", "lead unit"), ("类型", "kind"), ("事项", "milestone"),
                                               ("日期", "date"), ("天数", "days"), ("状态", "status"))]  # fmt: skip
    body = [
        [i["lead"] or labels.pick(labels.UNASSIGNED, lang), labels.pick(kinds[i["kind"]], lang),
         (i["name_en"] if lang == "en" else i["name_zh"]) + (f" — {i['text']}" if i["text"] else ""),
         i["date"], str(i["days"]), labels.milestone_word(i["status"], lang)]
        for i in items
    ]  # fmt: skip
    if fmt == "markdown":
        sys.stdout.write(markdown_table(headers, body))
        return
    from rich.table import Table
    from rich.text import Text

    title = (f"截至 {as_of.isoformat()}:逾期及 {within} 天内到期" if lang != "en"
             else f"as of {as_of.isoformat()}: overdue and due within {within} days")  # fmt: skip
    if not items:
        console.print(title + (" — 无" if lang != "en" else " — none"))
        return
    table = Table(title=title, title_justify="left", pad_edge=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for i, row in zip(items, body):
        style = "bold red" if i["kind"] == "overdue" else "yellow"
        table.add_row(row[0], Text(row[1], style=style), *row[2:])
    console.print(table)


def units_table(units, leads, supports, assessments: list[Assessment], states: list[MilestoneState], fmt, lang, console) -> None:
    target_status = {a.target.key: a.status for a in assessments}
    milestone_status = {s.milestone.key: s.status for s in states}
    rows = []
    for _uid, name, aliases in units:
        led = [k for k, u in leads.items() if u == name]
        supported = [k for k, us in supports.items() if name in us]
        t_counts = {st: 0 for st in STATUSES}
        m_counts = {st: 0 for st in MILESTONE_STATUSES}
        for k in led:
            if k in target_status:
                t_counts[target_status[k]] += 1
            elif k in milestone_status:
                m_counts[milestone_status[k]] += 1
        rows.append({
            "name": name, "aliases": aliases,
            "lead": {"targets": [k for k in led if k in target_status], "milestones": [k for k in led if k in milestone_status]},
            "support": {"targets": [k for k in supported if k in target_status], "milestones": [k for k in supported if k in milestone_status]},
            "targets_by_status": {k: v for k, v in t_counts.items() if v},
            "milestones_by_status": {k: v for k, v in m_counts.items() if v},
        })  # fmt: skip
    headers = [labels.pick(h, lang) for h in (("单位", "unit"), ("别名", "aliases"), ("牵头指标", "targets led"),
                                               ("牵头事项", "milestones led"), ("配合", "supporting"), ("状态", "statuses"))]  # fmt: skip

    def counts(r) -> str:
        parts = [f"{labels.status_word(k, lang)} {v}" for k, v in r["targets_by_status"].items()]
        parts += [f"{labels.milestone_word(k, lang)} {v}" for k, v in r["milestones_by_status"].items()]
        return "  ".join(parts) or "—"

    body = [[r["name"], "、".join(r["aliases"]) or "—", str(len(r["lead"]["targets"])), str(len(r["lead"]["milestones"])),
             str(len(r["support"]["targets"]) + len(r["support"]["milestones"])), counts(r)] for r in rows]  # fmt: skip
    empty = "尚无单位;用 hnreport units add 添加" if lang != "en" else "no units yet; add one with 'hnreport units add'"
    emit(fmt, console, rows, headers, body, right=(2, 3, 4), empty=empty)


def glossary_table(entries: Iterable[tuple], fmt: str, lang: str, console: Console) -> None:
    rows = [
        {"number": n, "term": t, "page": p, "explanation_zh": zh, "explanation_en": en, "body_locator": loc, "note": note}
        for n, t, p, zh, en, loc, note in entries
    ]
    key = "explanation_en" if lang == "en" else "explanation_zh"
    headers = ["#", labels.pick(("名词", "term"), lang), labels.pick(("解释", "explanation"), lang),
               labels.pick(("正文位置", "in the report"), lang)]  # fmt: skip
    body = [[str(r["number"]), r["term"], r[key], r["body_locator"]] for r in rows]
    emit(fmt, console, rows, headers, body, right=(0,), show_lines=True)


# ── the report's milestones part ────────────────────────────────────────────────────────
def milestones_summary(states: list[MilestoneState], section_codes: list[str]) -> dict[str, Any]:
    def count(items: list[MilestoneState]) -> dict[str, int]:
        out = {s: 0 for s in MILESTONE_STATUSES}
        for s in items:
            out[s.status] += 1
        return out

    return {
        "summary": count(states),
        "sections": [
            {"code": code, "summary": count([s for s in states if s.milestone.section == code])}
            for code in section_codes
            if any(s.milestone.section == code for s in states)
        ],
        "stalled": [milestone_dict(s) for s in states if s.status == "stalled"],
        "overdue": [milestone_dict(s) for s in states if s.overdue],
    }


def render_milestones_part(states: list[MilestoneState], sections, lang: str, console: Console) -> None:
    from rich.text import Text

    part = milestones_summary(states, [s.code for s in sections])
    names = {s.code: _name(s, lang) for s in sections}
    console.print()
    console.print(Text("工作任务(定性承诺)" if lang != "en" else "Milestones (qualitative commitments)", style="bold"))
    from hnreport.render import Grid

    narrow = console.width < 120
    heads = ["部分" if lang != "en" else "section"]
    heads += [labels.MILESTONE_STATUS[st][0] if narrow else labels.milestone_word(st, lang) for st in MILESTONE_STATUSES]
    heads.append("!" if narrow else labels.pick(labels.OVERDUE, lang))
    rows = []
    for sec in part["sections"]:
        overdue = sum(1 for s in states if s.milestone.section == sec["code"] and s.overdue)
        rows.append([(names.get(sec["code"], sec["code"]), None)]
                    + [(str(sec["summary"][st]), labels.MILESTONE_STATUS[st][3]) for st in MILESTONE_STATUSES]
                    + [(str(overdue), "bold red")])  # fmt: skip
    console.print(Grid(heads, rows, ["left"] + ["right"] * (len(heads) - 1), [0] * len(heads), wrap=0))
    if narrow:
        console.print(_milestone_legend(lang))
    flagged = [s for s in states if s.status == "stalled" or s.overdue]
    if flagged:
        console.print(Text("滞后/逾期事项" if lang != "en" else "Stalled or overdue", style="bold red"))
        for s in flagged:
            line = Text("  ")
            line.append_text(status_cell(s, lang))
            line.append(f"  {_name(s.milestone, lang)} ({s.milestone.key})")
            if s.due:
                line.append(f"  {labels.pick(('时限', 'due'), lang)} {s.due.isoformat()}")
            line.append(f"  {s.lead or labels.pick(labels.UNASSIGNED, lang)}")
            console.print(line)


def _milestone_legend(lang: str) -> str:
    return "  ".join(labels.milestone_word(st, lang) for st in MILESTONE_STATUSES) + f"  ! {labels.pick(labels.OVERDUE, lang)}"


def milestones_markdown(states: list[MilestoneState], sections, lang: str) -> str:
    part = milestones_summary(states, [s.code for s in sections])
    names = {s.code: _name(s, lang) for s in sections}
    headers = ["部分" if lang != "en" else "section"] + [labels.milestone_word(st, lang) for st in MILESTONE_STATUSES]
    body = [[names.get(sec["code"], sec["code"])] + [str(sec["summary"][st]) for st in MILESTONE_STATUSES] for sec in part["sections"]]
    out = "## " + ("工作任务(定性承诺)" if lang != "en" else "Milestones") + "\n\n" + markdown_table(headers, body)
    flagged = [s for s in states if s.status == "stalled" or s.overdue]
    if flagged:
        out += "\n" + ("滞后/逾期事项:" if lang != "en" else "Stalled or overdue:") + "\n\n"
        out += "".join(f"- {labels.milestone_word(s.status, lang)}{' ' + labels.pick(labels.OVERDUE, lang) if s.overdue else ''} "
                       f"{_name(s.milestone, lang)} ({s.milestone.key})\n" for s in flagged)  # fmt: skip
    return out


def render_by_unit(plan, as_of: date, assessments, states: list[MilestoneState], leads: dict[str, str], fmt, lang, console) -> None:
    """The accountability view: targets and milestones grouped by lead unit; unassigned listed last."""
    from hnreport.render import assessment_dict, assessment_table, columns_for, column_widths

    units = sorted({leads[k] for k in leads})
    groups: list[tuple[str | None, list, list]] = []
    for unit in [*units, None]:
        ts = [a for a in assessments if leads.get(a.target.key) == unit]
        ms = [s for s in states if leads.get(s.milestone.key) == unit]
        if ts or ms:
            groups.append((unit, ts, ms))
    if fmt == "json":
        write_json({
            "plan": {"key": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "year": plan.year},
            "as_of": as_of.isoformat(),
            "by_unit": [{"unit": u, "targets": [assessment_dict(a) for a in ts], "milestones": [milestone_dict(s) for s in ms]}
                        for u, ts, ms in groups],
        })  # fmt: skip
        return
    if fmt == "csv":
        rows = [{"unit": u or "", "type": "target", "key": a.target.key, "name_zh": a.target.name_zh,
                 "name_en": a.target.name_en, "section": a.target.section, "status": a.status,
                 "latest": a.latest, "target": a.target.value, "due": None} for u, ts, _ in groups for a in ts]
        rows += [{"unit": u or "", "type": "milestone", "key": s.milestone.key, "name_zh": s.milestone.name_zh,
                  "name_en": s.milestone.name_en, "section": s.milestone.section, "status": s.status,
                  "latest": None, "target": None, "due": s.due.isoformat() if s.due else None}
                 for u, _, ms in groups for s in ms]  # fmt: skip
        write_csv(rows, fieldnames=("unit", "type", "key", "name_zh", "name_en", "section", "status", "latest", "target", "due"))
        return
    if fmt == "markdown":
        from hnreport.render import cells

        out = []
        for u, ts, ms in groups:
            out.append(f"## {u or labels.pick(labels.UNASSIGNED, lang)}\n")
            if ts:
                out.append(markdown_table([labels.pick(labels.COLUMNS[c], lang) for c in ("name", "target", "latest", "status")],
                                          [[cells(a, lang)[c] for c in ("name", "target", "latest", "status")] for a in ts]))  # fmt: skip
            if ms:
                out.append("".join(f"- {labels.milestone_word(s.status, lang)} {_name(s.milestone, lang)} ({s.milestone.key})\n" for s in ms))
            out.append("")
        sys.stdout.write("\n".join(out))
        return
    from rich.text import Text

    console.print(Text(f"{_name(plan, lang)} — {labels.pick(labels.WORDS['as_of'], lang)} {as_of.isoformat()}", style="bold"))
    columns = columns_for(console.width)
    widths = column_widths(assessments, lang, columns)
    for u, ts, ms in groups:
        console.print()
        console.print(Text(u or labels.pick(labels.UNASSIGNED, lang), style="bold" if u else "bold yellow"))
        if ts:
            console.print(assessment_table(None, ts, lang, columns, widths))
        if ms:
            milestones_table(ms, "table", lang, console)
