"""Renderers for milestones, deadlines, units and the glossary. No queries, no status rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport import words
from hnreport.domain.milestones import (
    MILESTONE_STATUSES,
    Deadline,
    DueItem,
    GlossaryTerm,
    MilestonesSummary,
    MilestoneState,
    StatusChange,
    summarize_milestones,
)
from hnreport.text import one_line
from hnreport.render.common import emit, short_time
from hnreport.render.formats import write_json
from hnreport.render.formats import markdown_table
from hnreport.render.grid import Grid
from hnreport.outfile import write_exact

if TYPE_CHECKING:
    from rich.console import Console


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
        "due_implied": s.due_implied,
        "original_due": s.original_due.isoformat() if s.original_due else None,
        "overdue": s.overdue,
        "nodes": [node_dict(s, n) for n in s.nodes],
        "lead": s.lead,
        "support": list(s.support),
        "locator": m.locator,
        "origin": m.origin,
        "days_overdue": (s.as_of - s.due).days if s.overdue and s.due else None,
        **reported(s),
    }


def reported(s: MilestoneState) -> dict[str, Any]:
    """What the unit last reported with its status (``milestones set``): 进展情况, 存在问题,
    下一步措施 and the evidence."""
    c = s.change
    return {"progress_text": c.progress if c else None, "problems": c.problems if c else None,
            "next_steps": c.next_steps if c else None, "evidence": c.source if c else None}  # fmt: skip


MILESTONE_FIELDS = ("key", "name_zh", "name_en", "section", "strength", "status", "status_as_of", "due", "due_implied",
                    "original_due", "overdue", "days_overdue", "nodes", "lead", "support", "progress_text", "problems",
                    "next_steps", "evidence", "locator", "origin")  # fmt: skip


def milestone_csv_row(s: MilestoneState) -> dict[str, Any]:
    """``milestone_dict`` flat, for CSV: supporting units and time nodes joined with ";"."""
    r = milestone_dict(s)
    nodes = ";".join(f"{n['date']} {n['text'] or ''}".strip() + (f" ({n['mark']})" if n["mark"] else "") for n in r["nodes"])
    return {**r, "support": ";".join(r["support"]), "nodes": nodes}


REPORTED_HEADERS = (("进展情况", "progress"), ("存在问题", "problems"), ("下一步措施", "next steps"))


def reported_cells(s: MilestoneState) -> list[str]:
    c = s.change
    return [(c.progress or "") if c else "", (c.problems or "") if c else "", (c.next_steps or "") if c else ""]


def status_document_cell(s: MilestoneState, lang: str):
    from hnreport.render.listing import Cell, tone_of

    text = words.milestone_word(s.status, lang) + (f" {words.pick(words.OVERDUE, lang)}" if s.overdue else "")
    return Cell(text, tone="bad" if s.overdue else tone_of(words.MILESTONE_STATUS[s.status][3]))


def node_state(s: MilestoneState, node: Deadline) -> str:
    """met | missed (its mark), passed (date past, not marked) or open."""
    mark = s.mark_of(node)
    if mark is not None:
        return mark.mark
    return "passed" if node.due_date < s.as_of else "open"


def node_dict(s: MilestoneState, node: Deadline) -> dict[str, Any]:
    mark = s.mark_of(node)
    return {"date": node.due_date.isoformat(), "text": node.text, "mark": mark.mark if mark else None,
            "note": mark.note if mark else None}  # fmt: skip


def status_cell(s: MilestoneState, lang: str):
    from rich.text import Text

    text = Text(words.milestone_word(s.status, lang), style=words.MILESTONE_STATUS[s.status][3])
    if s.overdue:
        text.append(f" {words.pick(words.OVERDUE, lang)}", style="bold red")
    return text


def _due_text(s: MilestoneState, lang: str) -> str:
    if s.due is None:
        return "—"
    out = s.due.isoformat()
    if s.extended:
        out += " (延期)" if lang != "en" else " (extended)"
    if s.due_implied:
        out += f" ({words.pick(words.IMPLIED, lang)})"
    return out


def milestones_table(states: list[MilestoneState], fmt: str, lang: str, console: Console, *, lead: bool = True) -> None:
    """The milestones as a listing; ``lead=False`` leaves the lead unit out of the table (a view
    already grouped by it)."""
    if fmt == "document":
        milestones_document(console.document, states, lang, lead=lead)
        return
    rows = [milestone_csv_row(s) for s in states] if fmt == "csv" else [milestone_dict(s) for s in states]
    headers = [words.pick(h, lang) for h in (("代码", "key"), ("事项", "milestone"), ("状态", "status"),
                                               ("时限", "due"), ("牵头单位", "lead unit"))]  # fmt: skip
    body = [
        [s.milestone.key, _name(s.milestone, lang), status_cell(s, lang) if fmt == "table" else
         words.milestone_word(s.status, lang) + (f" {words.pick(words.OVERDUE, lang)}" if s.overdue else ""),
         _due_text(s, lang), s.lead or "—"]
        for s in states
    ]  # fmt: skip
    if fmt == "table" and not lead:
        headers, body = headers[:-1], [row[:-1] for row in body]
    nowrap = (0, 2, 3)  # the key, the status and the deadline are never split
    if fmt == "table" and console.width <= 80:
        # the name or the key, not both: the name in Chinese (names are typed as keys too), the
        # key in English, whose names are long
        drop = 1 if lang == "en" else 0
        headers = headers[:drop] + headers[drop + 1:]
        body = [row[:drop] + row[drop + 1:] for row in body]
        nowrap = (1, 2)
    emit(fmt, console, rows, headers, body, nowrap=nowrap, fieldnames=MILESTONE_FIELDS)


def milestones_document(doc, states: list[MilestoneState], lang: str, *, lead: bool = True, name: str | None = None) -> None:
    """Milestones as a document's table: status (逾期 marked), deadline, days overdue, lead unit
    and what the unit last reported."""
    from hnreport.render import listing as d

    headers = [words.pick(h, lang) for h in (("代码", "key"), ("事项", "milestone"), ("状态", "status"), ("时限", "due"),
                                               ("逾期天数", "days overdue"), ("牵头单位", "lead unit"))]  # fmt: skip
    headers += [words.pick(h, lang) for h in REPORTED_HEADERS]
    rows = []
    for s in states:
        days = (s.as_of - s.due).days if s.overdue and s.due else None
        rows.append([s.milestone.key, _name(s.milestone, lang), status_document_cell(s, lang),
                     d.day(s.due, _due_text(s, lang)) if s.due else "—",
                     d.integer(days, words.days_word(-days, lang), "bad") if days else "",
                     s.lead or words.pick(words.UNASSIGNED, lang), *reported_cells(s)])  # fmt: skip
    if not lead:
        for row in rows:
            del row[5]
        del headers[5]
    doc.table(headers, rows, name=name or words.pick(("工作任务", "milestones"), lang))


def milestones_part_document(doc, states: list[MilestoneState], sections, lang: str) -> None:
    """The report's milestones part as a document: counts per section (逾期 among them), then
    every stalled or overdue item in full."""
    from hnreport.render import listing as d

    part = summarize_milestones(states, [s.code for s in sections])
    names = {s.code: _name(s, lang) for s in sections}
    title = "工作任务(定性承诺)" if lang != "en" else "Milestones (qualitative commitments)"
    doc.heading(title, new_page=True)
    headers = ["部分" if lang != "en" else "section"] + [words.milestone_word(st, lang) for st in MILESTONE_STATUSES]
    headers.append(words.pick(words.OVERDUE, lang))
    body = [[names.get(code, code)] + [d.integer(counts[st]) for st in MILESTONE_STATUSES]
            + [d.integer(overdue, tone="bad" if overdue else None)] for code, counts, overdue in part.sections]  # fmt: skip
    total = part.counts
    body.append([words.pick(words.WORDS["total"], lang)] + [d.integer(total[st]) for st in MILESTONE_STATUSES]
                + [d.integer(len(part.overdue), tone="bad" if part.overdue else None)])  # fmt: skip
    doc.table(headers, body, name=title)
    if part.flagged:
        flagged = "滞后/逾期事项" if lang != "en" else "Stalled or overdue"
        doc.heading(flagged, 3)
        milestones_document(doc, part.flagged, lang, name=flagged)


def milestone_details(
    s: MilestoneState,
    changes: list[StatusChange],
    deadlines: list[Deadline],
    terms: list[tuple],
    lang: str,
    console: Console,
) -> None:
    from rich.table import Table
    from rich.text import Text

    zh = lang != "en"
    m = s.milestone
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: Any) -> None:
        grid.add_row(one_line(label), one_line(value) if isinstance(value, str) else value)

    row("代码" if zh else "key", m.key)
    row("名称" if zh else "name", m.name_zh if zh else f"{m.name_zh} / {m.name_en}")
    row("原文" if zh else "wording", f"“{m.phrase}”" + (f"  ({m.strength})" if m.strength else ""))
    row("位置" if zh else "locator", m.locator or "—")
    if m.origin == "user":
        row("来源" if zh else "origin", "用户添加" if zh else "added by a user")
    if m.note:
        row("说明" if zh else "note", m.note)
    row("截至" if zh else "as of", s.as_of.isoformat())
    row("状态" if zh else "status", status_cell(s, lang))
    row("时限" if zh else "due", _due_text(s, lang))
    row("牵头单位" if zh else "lead unit", s.lead or words.pick(words.UNASSIGNED, lang))
    row("配合单位" if zh else "supporting", "、".join(s.support) if s.support else "—")
    for number, term, _page, expl_zh, expl_en, _loc, _note in terms:
        row(f"[{number}] {term}", expl_en if lang == "en" else expl_zh)
    console.print(grid)
    if deadlines:
        console.print()
        table = Table(title="时限记录" if zh else "deadlines", title_justify="left")
        for h in (("类型", "kind"), ("日期", "date"), ("内容/原因", "text / reason"), ("录入时间", "recorded")):
            table.add_column(words.pick(h, lang), overflow="fold", no_wrap=h[1] in ("date", "recorded"))
        kinds = {"due": ("完成时限", "due"), "node": ("时间节点", "time node"), "extension": ("延期", "extension")}
        for d in deadlines:
            table.add_row(words.pick(kinds[d.kind], lang), d.due_date.isoformat(), one_line(d.text or d.reason or ""), short_time(d.recorded_at))
        console.print(table)
    if s.nodes:
        console.print()
        table = Table(title="时间节点" if zh else "time nodes", title_justify="left")
        for h in (("日期", "date"), ("节点", "node"), ("标记", "mark"), ("备注", "note"), ("标记时间", "marked")):
            table.add_column(words.pick(h, lang), overflow="fold")
        for n in s.nodes:
            state = node_state(s, n)
            mark = s.mark_of(n)
            table.add_row(n.due_date.isoformat(), one_line(n.text or ""), Text(words.mark_word(state, lang), style=words.NODE_MARK[state][3]),
                          one_line(mark.note or "") if mark else "", short_time(mark.recorded_at) if mark else "")  # fmt: skip
        console.print(table)
    console.print()
    if not changes:
        console.print("尚无状态记录(未评估)" if zh else "no status recorded yet (not rated)")
        return
    if console.width < 100:
        _status_history_stacked(changes, lang, console)
        return
    table = Table(title="状态记录" if zh else "status history", title_justify="left")
    for h in (("编号", "id"), ("截至", "as of"), ("状态", "status"), ("进展情况", "progress"),
              ("存在问题", "problems"), ("下一步措施", "next steps"), ("依据", "evidence"), ("录入时间", "recorded")):  # fmt: skip
        table.add_column(words.pick(h, lang), overflow="fold")
    for c in sorted(changes, key=lambda c: (c.as_of, c.id), reverse=True):
        table.add_row(str(c.id), c.as_of.isoformat(), words.milestone_word(c.status, lang), one_line(c.progress or ""),
                      one_line(c.problems or ""), one_line(c.next_steps or ""), one_line(c.source or ""),
                      short_time(c.recorded_at))  # fmt: skip
    console.print(table)


def due_dict(item: DueItem) -> dict[str, Any]:
    m = item.state.milestone
    return {"key": m.key, "name_zh": m.name_zh, "name_en": m.name_en, "lead": item.state.lead,
            "status": item.state.status, "kind": item.kind, "date": item.date.isoformat(), "days": item.days,
            "text": item.text, "due_implied": item.implied, **reported(item.state)}  # fmt: skip


# days from the as-of date as a number a spreadsheet sorts, shown as words.days_word says it
DAYS_FORMAT = ('"还有"0"天";"逾期"0"天";"今天到期"', '"in "0" days";0" days overdue";"due today"')
DUE_FIELDS = ("key", "name_zh", "name_en", "lead", "status", "kind", "date", "days", "text", "due_implied",
              "progress_text", "problems", "next_steps", "evidence")  # fmt: skip


def due_heading(within: int, lang: str) -> str:
    return f"逾期、节点已过未标记及 {within} 天内到期事项" if lang != "en" else f"Overdue, passed nodes not marked, and due within {within} days"


def due_title(as_of: date, within: int, lang: str) -> str:
    return (f"截至 {as_of.isoformat()}:逾期、节点已过未标记及 {within} 天内到期" if lang != "en"
            else f"as of {as_of.isoformat()}: overdue, passed nodes not marked, and due within {within} days")  # fmt: skip


def due_list(as_of: date, within: int, due: list[DueItem], fmt: str, lang: str, console: Console) -> None:
    items = [due_dict(i) for i in due]
    if fmt == "json":
        write_json(console.file, {"as_of": as_of.isoformat(), "within": within, "items": items})
        return
    if fmt == "csv":
        from hnreport.render.formats import write_csv

        write_csv(console.file, items, fieldnames=DUE_FIELDS)
        return
    kinds = {"overdue": words.OVERDUE, "due": words.DUE_SOON, "node": words.NODE_SOON, "node_passed": words.NODE_PASSED}
    implied = f" ({words.pick(words.IMPLIED, lang)})"
    headers = [words.pick(h, lang) for h in (("牵头单位", "lead unit"), ("类型", "kind"), ("事项", "milestone"),
                                               ("日期", "date"), ("期限", "when"), ("状态", "status"))]  # fmt: skip
    body = [
        [i["lead"] or words.pick(words.UNASSIGNED, lang), words.pick(kinds[i["kind"]], lang),
         (i["name_en"] if lang == "en" else i["name_zh"]) + (f" — {i['text']}" if i["text"] else ""),
         i["date"] + (implied if i["due_implied"] else ""), words.days_word(i["days"], lang), words.milestone_word(i["status"], lang)]
        for i in items
    ]  # fmt: skip
    if fmt in ("document", "markdown"):
        from hnreport.render import listing as d

        headers += [words.pick(h, lang) for h in REPORTED_HEADERS]
        rows = []
        for i, row, item in zip(items, body, due):
            tone = "bad" if i["kind"] in ("overdue", "node_passed") else "warn"
            days = d.Cell(row[4], i["days"], DAYS_FORMAT[lang == "en"])
            rows.append([row[0], d.Cell(row[1], tone=tone), row[2], d.day(item.date, row[3]), days,
                         status_document_cell(item.state, lang), *reported_cells(item.state)])  # fmt: skip
        if fmt == "markdown":
            write_exact(console.file, markdown_table(headers, [[str(c) for c in r] for r in rows]))
            return
        console.document.title = due_heading(within, lang)
        if not rows:
            console.document.paragraph(words.pick(("无", "none"), lang))
            return
        console.document.table(headers, rows, name=words.pick(("到期与逾期", "due and overdue"), lang))
        return
    from rich.table import Table
    from rich.text import Text

    title = due_title(as_of, within, lang)
    if not items:
        console.print(title + (" — 无" if lang != "en" else " — none"))
        return
    table = Table(title=title, title_justify="left")
    for n, h in enumerate(headers):
        table.add_column(h, overflow="fold", justify="right" if n == 4 else "left", no_wrap=n in (3, 4, 5))
    for i, row in zip(items, body):
        style = "bold red" if i["kind"] in ("overdue", "node_passed") else "yellow"
        table.add_row(one_line(row[0]), Text(row[1], style=style), *map(one_line, row[2:]))
    console.print(table)


def _status_history_stacked(changes: list[StatusChange], lang: str, console: Console) -> None:
    """The status history as one block a change, for terminals too narrow for its eight
    columns: the date, status and time on one line that never wraps, each text under it."""
    from rich.text import Text

    console.print(Text("状态记录" if lang != "en" else "status history", style="bold"))
    labels = (("进展情况", "progress"), ("存在问题", "problems"), ("下一步措施", "next steps"), ("依据", "evidence"))
    for c in sorted(changes, key=lambda c: (c.as_of, c.id), reverse=True):
        head = Text(f"{c.as_of.isoformat()} ")
        head.append(words.milestone_word(c.status, lang), style=words.MILESTONE_STATUS[c.status][3])
        head.append(f"  #{c.id} · {words.pick(('录入', 'recorded'), lang)} {short_time(c.recorded_at)}", style="dim")
        console.print(head, no_wrap=True, overflow="ellipsis")
        for label, text in zip(labels, (c.progress, c.problems, c.next_steps, c.source)):
            if text:
                console.print(Text(f"  {words.pick(label, lang)}{'：' if lang != 'en' else ': '}{one_line(text)}"))


def glossary_table(entries: Iterable[GlossaryTerm], fmt: str, lang: str, console: Console) -> None:
    rows = [e._asdict() for e in entries]
    key = "explanation_en" if lang == "en" else "explanation_zh"
    headers = ["#", words.pick(("名词", "term"), lang), words.pick(("解释", "explanation"), lang),
               words.pick(("正文位置", "in the report"), lang)]  # fmt: skip
    body = [[str(r["number"]), r["term"], r[key], r["body_locator"]] for r in rows]
    emit(fmt, console, rows, headers, body, right=(0,), show_lines=True)


# ── the report's milestones part ────────────────────────────────────────────────────────
def summary_dict(part: MilestonesSummary) -> dict[str, Any]:
    return {
        "summary": part.counts,
        "sections": [{"code": code, "summary": counts} for code, counts, _overdue in part.sections],
        "stalled": [milestone_dict(s) for s in part.stalled],
        "overdue": [milestone_dict(s) for s in part.overdue],
    }


def render_milestones_part(states: list[MilestoneState], sections, lang: str, console: Console) -> None:
    from rich.text import Text

    part = summarize_milestones(states, [s.code for s in sections])
    names = {s.code: _name(s, lang) for s in sections}
    console.print()
    console.print(Text("工作任务(定性承诺)" if lang != "en" else "Milestones (qualitative commitments)", style="bold"))
    narrow = console.width < 120
    heads = ["部分" if lang != "en" else "section"]
    heads += [words.MILESTONE_STATUS[st][0] if narrow else words.milestone_word(st, lang) for st in MILESTONE_STATUSES]
    heads.append("!" if narrow else words.pick(words.OVERDUE, lang))
    rows = []
    for code, counts, overdue in part.sections:
        rows.append([(names.get(code, code), None)]
                    + [(str(counts[st]), words.MILESTONE_STATUS[st][3]) for st in MILESTONE_STATUSES]
                    + [(str(overdue), "bold red")])  # fmt: skip
    Grid(heads, rows, ["left"] + ["right"] * (len(heads) - 1), [0] * len(heads), wrap=0).show(console)
    if narrow:
        console.print(_milestone_legend(lang))
    flagged = part.flagged
    if flagged:
        console.print(Text("滞后/逾期事项" if lang != "en" else "Stalled or overdue", style="bold red"))
        for s in flagged:
            line = Text("  ")
            line.append_text(status_cell(s, lang))
            line.append(one_line(f"  {_name(s.milestone, lang)} ({s.milestone.key})"))
            if s.due:
                line.append(f"  {words.pick(('时限', 'due'), lang)} {_due_text(s, lang)}")
            line.append(one_line(f"  {s.lead or words.pick(words.UNASSIGNED, lang)}"))
            console.print(line)


def _milestone_legend(lang: str) -> str:
    return "  ".join(words.milestone_word(st, lang) for st in MILESTONE_STATUSES) + f"  ! {words.pick(words.OVERDUE, lang)}"
