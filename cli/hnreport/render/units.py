"""Units: what each leads and supports, and the accountability view (the report by lead unit)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hnreport import words
from hnreport.domain.milestones import MilestoneState, UnitSummary
from hnreport.domain.model import Plan
from hnreport.render.formats import write_csv
from hnreport.render.formats import write_json
from hnreport.render.common import emit, published, short_time
from hnreport.render.milestones import _name, milestone_dict, milestones_document, milestones_table, reported
from hnreport.render.report import plan_dict
from hnreport.render.targets import assessment_dict, assessment_table, column_widths, columns_for
from hnreport.text import one_line

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.progress import Assessment


def unit_dict(u: UnitSummary) -> dict:
    return {
        "name": u.name, "aliases": u.aliases,
        "lead": {"targets": u.lead_targets, "milestones": u.lead_milestones},
        "support": {"targets": u.support_targets, "milestones": u.support_milestones},
        "targets_by_status": u.targets_by_status, "milestones_by_status": u.milestones_by_status,
    }  # fmt: skip


def unit_csv_row(u: UnitSummary) -> dict:
    """``unit_dict`` flat: item keys joined with ";", a count column per status."""
    from hnreport.domain.model import MILESTONE_STATUSES, STATUSES

    return {
        "name": u.name, "aliases": ";".join(u.aliases),
        "lead_targets": ";".join(u.lead_targets), "lead_milestones": ";".join(u.lead_milestones),
        "support_targets": ";".join(u.support_targets), "support_milestones": ";".join(u.support_milestones),
        **{f"targets_{s}": u.targets_by_status.get(s, 0) for s in STATUSES},
        **{f"milestones_{s}": u.milestones_by_status.get(s, 0) for s in MILESTONE_STATUSES},
    }  # fmt: skip


def units_table(summaries: list[UnitSummary], fmt: str, lang: str, console: Console) -> None:
    if fmt == "document":
        _units_document(console.document, summaries, lang)
        return
    if fmt == "csv":
        write_csv(console.file, [unit_csv_row(u) for u in summaries])
        return
    rows = [unit_dict(u) for u in summaries]
    headers = [words.pick(h, lang) for h in (("单位", "unit"), ("别名", "aliases"), ("牵头指标", "targets led"),
                                               ("牵头事项", "milestones led"), ("配合", "supporting"), ("状态", "statuses"))]  # fmt: skip

    def counts(r):
        parts = [f"{words.status_word(k, lang)} {v}" for k, v in r["targets_by_status"].items()]
        parts += [f"{words.milestone_word(k, lang)} {v}" for k, v in r["milestones_by_status"].items()]
        if fmt != "table":
            return "  ".join(parts) or "—"
        from rich.text import Text

        return Text("\n".join(parts) or "—")  # one status a line, each whole

    body = [[r["name"], "、".join(r["aliases"]) or "—", str(len(r["lead"]["targets"])), str(len(r["lead"]["milestones"])),
             str(len(r["support"]["targets"]) + len(r["support"]["milestones"])), counts(r)] for r in rows]  # fmt: skip
    empty = "尚无单位;用 hnreport units add 添加" if lang != "en" else "no units yet; add one with 'hnreport units add'"
    emit(fmt, console, rows, headers, body, right=(2, 3, 4), empty=empty, nowrap=(0, 5))


BY_UNIT_FIELDS = ("unit", "type", "key", "name_zh", "name_en", "section", "status", "latest", "latest_as_of", "target",
                  "due", "overdue", "phrase", "progress_text", "problems", "next_steps", "evidence")  # fmt: skip
BY_UNIT_COLUMNS = ("name", "target", "latest", "as_of", "expected", "gap", "completion_rate", "schedule_share", "status")


def by_unit_document(doc, plan: Plan, groups, lang: str) -> None:
    """The report by lead unit as a document: a heading a unit, its targets, then its
    milestones with deadline, 逾期 and what the unit last reported."""
    from hnreport.render.targets import document_table

    doc.title = f"{_name(plan, lang)} — {words.pick(('按牵头单位', 'by lead unit'), lang)}"
    for u, ts, ms in groups:
        unit = u or words.pick(words.UNASSIGNED, lang)
        doc.heading(unit)
        if ts:
            document_table(doc, ts, lang, columns=BY_UNIT_COLUMNS, name=f"{unit} · {words.pick(('指标', 'targets'), lang)}")
        if ms:
            milestones_document(doc, ms, lang, lead=False, name=f"{unit} · {words.pick(('工作任务', 'milestones'), lang)}")


def _units_document(doc, summaries: list[UnitSummary], lang: str) -> None:
    """The units as a document's table: a count column per status any unit's items have."""
    from hnreport.domain.model import MILESTONE_STATUSES, STATUSES
    from hnreport.render.listing import integer, tone_of

    target_statuses = [s for s in STATUSES if any(u.targets_by_status.get(s) for u in summaries)]
    milestone_statuses = [s for s in MILESTONE_STATUSES if any(u.milestones_by_status.get(s) for u in summaries)]
    headers = [words.pick(h, lang) for h in (("单位", "unit"), ("别名", "aliases"), ("牵头指标", "targets led"),
                                               ("牵头事项", "milestones led"), ("配合", "supporting"))]  # fmt: skip
    headers += [words.pick(("指标", "targets"), lang) + " " + words.status_word(s, lang) for s in target_statuses]
    headers += [words.pick(("事项", "milestones"), lang) + " " + words.milestone_word(s, lang) for s in milestone_statuses]
    rows = []
    for u in summaries:
        row = [u.name, "、".join(u.aliases) or "—", integer(len(u.lead_targets)), integer(len(u.lead_milestones)),
               integer(len(u.support_targets) + len(u.support_milestones))]  # fmt: skip
        row += [integer(n := u.targets_by_status.get(s, 0), tone=tone_of(words.status_style(s)) if n else None) for s in target_statuses]
        row += [integer(n := u.milestones_by_status.get(s, 0), tone=tone_of(words.MILESTONE_STATUS[s][3]) if n else None)
                for s in milestone_statuses]  # fmt: skip
        rows.append(row)
    if not rows:
        doc.paragraph("尚无单位;用 hnreport units add 添加" if lang != "en" else "no units yet; add one with 'hnreport units add'")
        return
    doc.table(headers, rows, name=words.pick(("责任单位", "units"), lang))


def render_by_unit(
    plan: Plan,
    as_of: date,
    groups: list[tuple[str | None, list[Assessment], list[MilestoneState]]],
    fmt: str,
    lang: str,
    console: Console,
) -> None:
    """The accountability view: targets and milestones grouped by lead unit; unassigned listed last."""
    assessments = [a for _u, ts, _ms in groups for a in ts]
    if fmt == "document":
        by_unit_document(console.document, plan, groups, lang)
        return
    if fmt == "json":
        write_json(console.file, {
            "plan": plan_dict(plan),
            "as_of": as_of.isoformat(),
            "by_unit": [{"unit": u, "targets": [assessment_dict(a) for a in ts], "milestones": [milestone_dict(s) for s in ms]}
                        for u, ts, ms in groups],
        })  # fmt: skip
        return
    if fmt == "csv":
        rows = [{"unit": u or "", "type": "target", "key": a.target.key, "name_zh": a.target.name_zh,
                 "name_en": a.target.name_en, "section": a.target.section, "status": a.status,
                 "latest": published(a.latest, a.observation.decimals if a.observation else None),
                 "latest_as_of": a.observation.as_of.isoformat() if a.observation else None, "target": a.target.value,
                 "due": None, "overdue": None, "phrase": a.target.phrase} for u, ts, _ in groups for a in ts]
        rows += [{"unit": u or "", "type": "milestone", "key": s.milestone.key, "name_zh": s.milestone.name_zh,
                  "name_en": s.milestone.name_en, "section": s.milestone.section, "status": s.status,
                  "latest": None, "latest_as_of": None, "target": None, "due": s.due.isoformat() if s.due else None,
                  "overdue": s.overdue, "phrase": s.milestone.phrase, **reported(s)}
                 for u, _, ms in groups for s in ms]  # fmt: skip
        write_csv(console.file, [{n: r.get(n) for n in BY_UNIT_FIELDS} for r in rows], fieldnames=BY_UNIT_FIELDS)
        return
    from rich.text import Text

    console.print(Text(f"{one_line(_name(plan, lang))} — {words.pick(words.WORDS['as_of'], lang)} {as_of.isoformat()}", style="bold"))
    columns = columns_for(console.width)
    widths = column_widths(assessments, lang, columns)
    for u, ts, ms in groups:
        console.print()
        console.print(Text(one_line(u) if u else words.pick(words.UNASSIGNED, lang), style="bold" if u else "bold yellow"))
        if ts:
            assessment_table(None, ts, lang, columns, widths).show(console)
        if ms:
            milestones_table(ms, "table", lang, console, lead=False)  # the group's heading names the unit



def unit_items(
    unit: str,
    as_of: date,
    assessments: list[Assessment],
    states: list[MilestoneState],
    role: dict[str, str],
    fmt: str,
    lang: str,
    console: Console,
) -> None:
    """``units show``: what one unit leads and supports, targets first, with their statuses."""
    from hnreport.render.milestones import status_cell
    from hnreport.render.targets import status_text

    roles = {"lead": ("牵头", "lead"), "support": ("配合", "support")}
    rows, body = [], []
    for a in assessments:
        t = a.target
        rows.append({"unit": unit, "role": role[t.key], "type": "target", "key": t.key, "name_zh": t.name_zh,
                     "name_en": t.name_en, "status": a.status, "pace": a.pace, "due": None})  # fmt: skip
        body.append([words.pick(roles[role[t.key]], lang), t.key, _name(t, lang), status_text(a, lang), "—"])
    for s in states:
        m = s.milestone
        rows.append({"unit": unit, "role": role[m.key], "type": "milestone", "key": m.key, "name_zh": m.name_zh,
                     "name_en": m.name_en, "status": s.status, "pace": None,
                     "due": s.due.isoformat() if s.due else None})  # fmt: skip
        body.append([words.pick(roles[role[m.key]], lang), m.key, _name(m, lang), status_cell(s, lang).plain,
                     s.due.isoformat() if s.due else "—"])  # fmt: skip
    headers = [words.pick(h, lang) for h in (("职责", "role"), ("代码", "key"), ("名称", "item"), ("状态", "status"),
                                             ("时限", "due"))]  # fmt: skip
    title = f"{unit} — {words.pick(words.WORDS['as_of'], lang)} {as_of.isoformat()}"
    empty = f"{unit}: " + words.pick(("尚未分配任何事项;用 hnreport assign KEY 单位 分配", "nothing assigned yet; use 'hnreport assign KEY UNIT'"), lang)
    emit(fmt, console, rows, headers, body, title=title, empty=empty, nowrap=(0, 1, 4),
         fieldnames=("unit", "role", "type", "key", "name_zh", "name_en", "status", "pace", "due"))  # fmt: skip


# ── the monthly cycle: a collect, and who has not reported ───────────────────────────────────
def _change_text(row, lang: str) -> str:
    """What one row of a returned sheet changes, in a few words."""
    from hnreport.render.common import with_unit

    zh = lang != "en"
    if row.outcome == "blank":
        return "未填（本月未报该项）" if zh else "left blank (no report)"
    if row.outcome == "unchanged":
        return "与上次相同，不变" if zh else "as before: unchanged"
    parts = []
    if row.kind == "milestone":
        if row.status != row.status_before:
            parts.append(f"{words.milestone_word(row.status_before, lang)} → {words.milestone_word(row.status, lang)}")
        else:
            parts.append(words.milestone_word(row.status, lang))
    elif row.figure is not None:
        before = with_unit(row.figure_before, row.unit, None, lang) if row.figure_before is not None else "—"
        parts.append(f"{'数据' if zh else 'figure'} {before} → {with_unit(row.figure, row.unit, None, lang)} ({row.figure_as_of.isoformat()})")
    if any(row.answer.texts):
        parts.append("进展/问题/措施/佐证" if zh else "texts")
    return "；".join(parts) if zh else "; ".join(parts)


def collect_table(plans: list, lang: str, console: Console) -> None:
    """Per returned sheet, each row and what it changes."""
    from rich.table import Table

    zh = lang != "en"
    for plan in plans:
        title = f"{plan.unit} · {plan.period.label(lang)} · {plan.path}"
        if plan.already:
            title += " — 已收录过，无新内容" if zh else " — collected before, nothing new"
        table = Table(title=one_line(title), title_justify="left", pad_edge=False)
        for header in (("行", "row"), ("代码", "key"), ("事项", "item"), ("本次", "this report")):
            table.add_column(words.pick(header, lang), overflow="fold", no_wrap=header[1] in ("row", "key"))
        for row in plan.rows:
            table.add_row(str(row.row), one_line(row.key), one_line(row.name), one_line(_change_text(row, lang)))
        console.print(table)


def missing_table(period, due: date, as_of: date, rows: list, fmt: str, lang: str, console: Console) -> None:
    """``units missing``: each lead unit that has not reported for the month (未报送) or left
    items blank, with those items; the units that reported in full are counted."""
    zh = lang != "en"
    state_words = {"not_reported": ("未报送", "not reported"), "blank": ("有未填项", "items left blank"),
                   "reported": ("已报送", "reported")}  # fmt: skip
    listed = [r for r in rows if r[1] != "reported"]
    data = {
        "period": period.key, "due": due.isoformat(), "as_of": as_of.isoformat(),
        "not_reported": [{"unit": u, "items": [k for k, _ in items]} for u, state, items, _ in rows if state == "not_reported"],
        "blank": [{"unit": u, "file": got.file, "collected_at": got.collected_at, "items": [k for k, _ in items]}
                  for u, state, items, got in rows if state == "blank"],
        "reported": [u for u, state, _, _ in rows if state == "reported"],
    }  # fmt: skip
    if fmt == "json":
        write_json(console.file, data)
        return
    flat = [{"period": period.key, "unit": u, "state": state, "items": ";".join(k for k, _ in items),
             "collected_at": got.collected_at if got else ""} for u, state, items, got in listed]  # fmt: skip
    headers = [words.pick(h, lang) for h in (("单位", "unit"), ("情况", "state"), ("事项", "items"), ("报送时间", "collected"))]
    body = [[u, words.pick(state_words[state], lang), "、".join(f"{name}（{k}）" for k, name in items) or "—",
             short_time(got.collected_at) if got else "—"] for u, state, items, got in listed]  # fmt: skip
    reported = len(data["reported"])
    title = (f"{period.label(lang)}报送情况（截止 {due.isoformat()}）：已报送 {reported} 个单位，未报送 {len(data['not_reported'])} 个，"
             f"有未填项 {len(data['blank'])} 个") if zh else (
             f"Reports for {period.label(lang)} (due {due.isoformat()}): {reported} unit(s) reported, "
             f"{len(data['not_reported'])} not reported, {len(data['blank'])} with items left blank")  # fmt: skip
    if fmt == "table":
        empty = title + ("；全部报送完整" if zh else "; every lead unit reported in full")
        emit(fmt, console, flat, headers, body, title=title, empty=empty, nowrap=(0, 1, 3))
        return
    emit(fmt, console, flat, headers, body, fieldnames=("period", "unit", "state", "items", "collected_at"))


def allocation_table(plan, lang: str, console: Console) -> None:
    """``assign --from --dry-run``: each item the 分工方案 names, how it was matched, its units and
    deadline, and what would change."""
    from rich.table import Table

    zh = lang != "en"
    how_words = {"key": ("代码", "key"), "name": ("名称", "name"), "phrase": ("原文", "phrase")}
    note_words = {"co_lead": ("多个牵头单位：第一个牵头，其余记为配合", "several leads: the first leads, the others support"),
                  "target_deadline": ("指标无完成时限，未记", "a target has no deadline: not recorded"),
                  "ongoing": ("长期任务，无时限", "ongoing: no deadline")}  # fmt: skip
    table = Table(title=one_line(plan.path), title_justify="left")
    for header in (("行", "row"), ("工作任务（表中）", "task (as written)"), ("事项", "item"), ("牵头", "lead"), ("配合", "support"),
                   ("完成时限", "deadline"), ("本次", "this file")):  # fmt: skip
        table.add_column(words.pick(header, lang), overflow="fold", no_wrap=header[1] in ("row",))
    new = set(plan.new_units)
    for i in plan.items:
        def unit(name: str) -> str:
            return name + (" (新)" if zh else " (new)") if name in new else name

        changes = []
        if i.new_lead:
            changes.append(f"{'牵头' if zh else 'lead'} {i.lead_before or '—'} → {i.lead}")
        if i.new_supports:
            changes.append(("+配合 " if zh else "+support ") + "、".join(i.new_supports))
        if i.new_due:
            changes.append(f"{'时限' if zh else 'due'} {i.due_before.isoformat() if i.due_before else '—'} → {i.deadline.due.isoformat()}")
        if i.new_nodes:
            changes.append(("+节点 " if zh else "+node ") + "、".join(day.isoformat() for day, _ in i.new_nodes))
        changes += [words.pick(note_words[n], lang) for n in i.notes]
        deadline = "—"
        if i.deadline is not None:
            deadline = i.deadline.due.isoformat() + "".join(f"\n{'节点' if zh else 'node'} {day.isoformat()}" for day, _ in i.deadline.nodes)
        table.add_row(
            ",".join(str(n) for n in i.lines), one_line(i.text), one_line(f"{i.key}（{i.name}）· {words.pick(how_words[i.how], lang)}"),
            one_line(unit(i.lead)) if i.lead else "—", one_line("、".join(unit(s) for s in i.supports)) or "—", deadline,
            "\n".join(one_line(c) for c in changes) or ("不变" if zh else "unchanged"),
        )  # fmt: skip
    console.print(table)
