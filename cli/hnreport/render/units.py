"""Units: what each leads and supports, and the accountability view (the report by lead unit)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hnreport import words
from hnreport.domain.milestones import MilestoneState, UnitSummary
from hnreport.domain.model import Plan
from hnreport.render.formats import write_csv
from hnreport.render.formats import write_json
from hnreport.render.formats import markdown_table, markdown_text
from hnreport.render.common import emit, published
from hnreport.render.milestones import _name, milestone_dict, milestones_table
from hnreport.render.report import plan_dict
from hnreport.render.targets import assessment_dict, assessment_table, cells, column_widths, columns_for
from hnreport.outfile import write_exact
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


def units_table(summaries: list[UnitSummary], fmt: str, lang: str, console: Console) -> None:
    rows = [unit_dict(u) for u in summaries]
    headers = [words.pick(h, lang) for h in (("单位", "unit"), ("别名", "aliases"), ("牵头指标", "targets led"),
                                               ("牵头事项", "milestones led"), ("配合", "supporting"), ("状态", "statuses"))]  # fmt: skip

    def counts(r) -> str:
        parts = [f"{words.status_word(k, lang)} {v}" for k, v in r["targets_by_status"].items()]
        parts += [f"{words.milestone_word(k, lang)} {v}" for k, v in r["milestones_by_status"].items()]
        return "  ".join(parts) or "—"

    body = [[r["name"], "、".join(r["aliases"]) or "—", str(len(r["lead"]["targets"])), str(len(r["lead"]["milestones"])),
             str(len(r["support"]["targets"]) + len(r["support"]["milestones"])), counts(r)] for r in rows]  # fmt: skip
    empty = "尚无单位;用 hnreport units add 添加" if lang != "en" else "no units yet; add one with 'hnreport units add'"
    emit(fmt, console, rows, headers, body, right=(2, 3, 4), empty=empty)


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
                 "latest": published(a.latest, a.observation.decimals if a.observation else None), "target": a.target.value,
                 "due": None} for u, ts, _ in groups for a in ts]
        rows += [{"unit": u or "", "type": "milestone", "key": s.milestone.key, "name_zh": s.milestone.name_zh,
                  "name_en": s.milestone.name_en, "section": s.milestone.section, "status": s.status,
                  "latest": None, "target": None, "due": s.due.isoformat() if s.due else None}
                 for u, _, ms in groups for s in ms]  # fmt: skip
        write_csv(console.file, rows, fieldnames=("unit", "type", "key", "name_zh", "name_en", "section", "status", "latest", "target", "due"))
        return
    if fmt == "markdown":
        out = []
        for u, ts, ms in groups:
            out.append(f"## {markdown_text(u) if u else words.pick(words.UNASSIGNED, lang)}\n")
            if ts:
                out.append(markdown_table([words.pick(words.COLUMNS[c], lang) for c in ("name", "target", "latest", "status")],
                                          [[cells(a, lang)[c] for c in ("name", "target", "latest", "status")] for a in ts]))  # fmt: skip
            if ms:
                out.append("".join(f"- {words.milestone_word(s.status, lang)} {markdown_text(_name(s.milestone, lang))} "
                                   f"({markdown_text(s.milestone.key)})\n" for s in ms))  # fmt: skip
            out.append("")
        write_exact(console.file, "\n".join(out))
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
            milestones_table(ms, "table", lang, console)



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
