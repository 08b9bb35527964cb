"""The progress report: header, status counts, each section's table, then the milestones part."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hnreport import words
from hnreport.domain.milestones import summarize_milestones
from hnreport.domain.model import Plan, Section
from hnreport.domain.progress import Assessment, summarize, summarize_pace
from hnreport.render import milestones as milestone_views
from hnreport.render.common import name_of
from hnreport.render.formats import write_csv
from hnreport.render.formats import write_json
from hnreport.text import one_line
from hnreport.render.targets import (
    TARGET_FIELDS,
    assessment_csv_row,
    assessment_dict,
    assessment_table,
    column_widths,
    columns_for,
    document_table,
    stacked,
    STACKED_BELOW,
    summary_text,
    with_lead,
)

if TYPE_CHECKING:
    from rich.console import Console


def plan_dict(plan: Plan) -> dict:
    return {"key": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "year": plan.year}


def rule_text(rules, lang: str) -> str:
    """The light rule in force, in the reader's language (JSON keeps ``Rules.describe()``)."""
    if lang == "en":  # Rules.describe() (JSON) names the term 序时进度; a reader of English gets "pace"
        return (f"preset {rules.preset}: amounts {rules.amount.measure} {rules.amount.describe()}, "
                f"rates {rules.rate.measure} {rules.rate.describe()} = behind, more = far behind; pace by {rules.basis}")

    def short(rule, cls: str) -> str:
        if rule.measure == "relative":
            return f"比序时应达少≤{rule.tolerance * 100:g}%"
        if cls == "amount":
            return f"完成率低于序时进度≤{rule.tolerance:g}个百分点"
        return f"低于目标≤{rule.tolerance:g}个百分点"

    basis = "按月" if rules.basis == "months" else "按日"
    preset = words.PRESET[rules.preset][0] if rules.preset in words.PRESET else rules.preset
    return (f"（{preset}）总量类{short(rules.amount, 'amount')}、增速/占比类{short(rules.rate, 'rate')}为滞后,"
            f"超出为严重滞后;序时进度{basis}计")  # fmt: skip


def render_report(
    plan: Plan,
    as_of: date,
    rule_text: str,
    sections: list[Section],
    assessments: list[Assessment],
    counts: dict[str, int],
    fmt: str,
    lang: str,
    console: Console,
    *,
    grouped: bool = True,
    milestones: list | None = None,
    today: date | None = None,
    leads: dict[str, str] | None = None,
) -> None:
    """The report in ``fmt``; ``leads`` (item key → lead unit) puts each item's lead unit in it."""
    milestones = milestones or []
    leads = leads or {}
    by_section: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_section.setdefault(a.target.section, []).append(a)
    shown = [s for s in sections if s.code in by_section]
    if fmt == "document":
        report_document(console.document, plan, as_of, rule_text, shown, by_section, counts, lang, today,
                        grouped=grouped, assessments=assessments, milestones=milestones, all_sections=sections, leads=leads)  # fmt: skip
        return
    if fmt == "json":
        write_json(
            console.file,
            {
                "plan": plan_dict(plan),
                "as_of": as_of.isoformat(),
                "rule": rule_text,
                "summary": counts,
                "pace": summarize_pace(assessments),
                "as_of_after_today": bool(today and as_of > today),
                "sections": [
                    {"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en,
                     "summary": summarize(by_section[s.code])}
                    for s in shown
                ],  # fmt: skip
                "targets": [assessment_dict(a, leads) for a in assessments],
                "milestones": {
                    **milestone_views.summary_dict(summarize_milestones(milestones, [s.code for s in sections])),
                    "items": [milestone_views.milestone_dict(s) for s in milestones],
                },
            }
        )
        return
    if fmt == "csv":
        # targets, then milestones, one row each: the columns of both, "type" says which
        target_rows = [{"type": "target", **assessment_csv_row(a, leads)} for a in assessments]
        milestone_rows = [{"type": "milestone", **milestone_views.milestone_csv_row(s)} for s in milestones]
        names = ["type", *TARGET_FIELDS, "lead"]
        names += [n for n in milestone_views.MILESTONE_FIELDS if n not in names]
        write_csv(console.file, [{n: r.get(n, "") for n in names} for r in target_rows + milestone_rows], fieldnames=names)
        return
    from rich.text import Text

    header = Text(f"{one_line(name_of(plan, lang))} — {words.pick(words.WORDS['as_of'], lang)} {as_of.isoformat()}", style="bold")
    if today and as_of > today:
        header.append(f" ({words.pick(words.WORDS['after_today'], lang)})", style="bold yellow")
    lines = [header, summary_text(counts, lang)]
    pace = pace_line(summarize_pace(assessments), lang)
    if pace:
        lines.append(Text(pace))
    if today and as_of > today:
        lines.append(Text(words.pick(words.WORDS["after_today_note"], lang).format(today=today.isoformat()), style="yellow"))
    # Chinese runs on after the colon with no space, so a narrow terminal breaks the line where
    # it must instead of leaving 亮灯规则: alone on a line
    lines.append(Text(f"{words.pick(words.WORDS['rule'], lang)}{': ' if lang == 'en' else '：'}{one_line(rule_text)}", style="dim"))
    console.print(*lines, sep="\n")  # one call: each print costs rich a pass of its own
    columns = columns_for(console.width)
    if leads and with_lead(columns) != columns:
        # the lead unit's column where the table has room for it with the name at 16 cells or more
        wide = with_lead(columns)
        widths = column_widths(assessments, lang, wide, leads)
        need = sum(widths.values()) - widths["name"] + min(widths["name"], 16) - widths["lead"] + min(widths["lead"], 8)
        if need + 3 * len(wide) + 1 <= console.width:
            columns = wide
    widths = column_widths(assessments, lang, columns, leads)
    stack = console.width < STACKED_BELOW
    if not grouped:
        if stack:
            stacked(assessments, lang, console)
        else:
            assessment_table(None, assessments, lang, columns, widths, leads).show(console)
    else:
        for s in shown:
            title_text = Text("\n" + one_line(name_of(s, lang)), style="bold")  # a blank line, then the title
            title_text.append("  ")
            title_text.append_text(summary_text(summarize(by_section[s.code]), lang))
            console.print(title_text)
            if stack:
                stacked(by_section[s.code], lang, console)
            else:
                assessment_table(None, by_section[s.code], lang, columns, widths, leads).show(console)
    if any(a.part_year for a in assessments):
        console.print(Text(words.pick(words.WORDS["part_year"], lang), style="dim"))
    if milestones:
        milestone_views.render_milestones_part(milestones, sections, lang, console)
    if assessments and all(a.status == "no_data" for a in assessments):
        console.print()
        console.print(Text(words.pick(words.WORDS["first_figure"], lang)))


def pace_line(pace: dict[str, int], lang: str) -> str:
    """超序时 2 · 达序时 5 · 欠序时 3 — as offices count them; empty when nothing is paced."""
    if not any(pace.values()):
        return ""
    return " · ".join(f"{words.pick(words.PACE[k], lang)} {n}" for k, n in pace.items())


def _counts_line(counts: dict[str, int], lang: str) -> str:
    return " · ".join(f"{words.status_word(s, lang)} {n}" for s, n in counts.items() if n) or "—"


def report_title(plan, lang: str) -> str:
    """What the report is called: the plan's name and what it shows (a page's <title>, a
    workbook's, a document's first line)."""
    return f"{name_of(plan, lang)} — {'Progress' if lang == 'en' else '完成情况'}"


def report_document(doc, plan, as_of, rule_text, shown, by_section, counts, lang, today=None, *, grouped=True,
                    assessments=(), milestones=(), all_sections=(), leads=None) -> None:  # fmt: skip
    """The report as a document: the header lines, each section's targets with their lead
    units (or one table when sorted), then the milestones part with every stalled or overdue
    item's deadline, days overdue, lead unit and what its unit last reported."""
    doc.title = report_title(plan, lang)
    if today and as_of > today:
        doc.as_of = f"{doc.as_of} ({words.pick(words.WORDS['after_today'], lang)})"
        doc.paragraph(words.pick(words.WORDS["after_today_note"], lang).format(today=today.isoformat()), "warn")
    doc.paragraph(f"{words.pick(words.WORDS['rule'], lang)}{': ' if lang == 'en' else '：'}{rule_text}")
    doc.paragraph(_counts_line(counts, lang))
    doc.paragraph(pace_line(summarize_pace(list(assessments)), lang))
    if grouped:
        for s in shown:
            doc.heading(name_of(s, lang))
            doc.paragraph(_counts_line(summarize(by_section[s.code]), lang))
            document_table(doc, by_section[s.code], lang, leads=leads, name=name_of(s, lang))
    elif assessments:
        document_table(doc, list(assessments), lang, leads=leads, name=words.pick(("指标", "targets"), lang))
    if any(a.part_year for a in assessments):
        doc.paragraph(words.pick(words.WORDS["part_year"], lang))
    if assessments and all(a.status == "no_data" for a in assessments):
        doc.paragraph(words.pick(words.WORDS["first_figure"], lang))
    if milestones:
        milestone_views.milestones_part_document(doc, list(milestones), list(all_sections), lang)
