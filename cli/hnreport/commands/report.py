"""``hnreport report`` and ``hnreport lights``: where every target stands against 序时进度."""

from datetime import date
from typing import Annotated, Optional

import typer

from hnreport.commands.context import (
    assessed_at,
    AsOfOpt,
    ForceOpt,
    FormatOpt,
    KnownAtOpt,
    OutputOpt,
    app_context,
    apply_known_at,
    check_choice,
    check_output_format,
    deliver,
    parse_as_of,
    choose_section,
    plan_section,
)
from hnreport.errors import BadPeriod, Message

commands = typer.Typer()

MAX_MONTHS = 120  # the most months `lights` shows at once


@commands.command()
def report(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    sort: Annotated[str, typer.Option(metavar="ORDER", help="section (grouped, default), shortfall or status (one table).")] = "section",
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", metavar="GROUPING", help="unit: group targets and milestones by lead unit.")] = None,
    known_at: KnownAtOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The progress report against 序时进度.

    Status counts, each section's targets with their lead units against 序时进度, then the
    milestones. -o writes it as a file: .md, .html (prints on A4, pastes into Word), .xlsx, .csv,
    .json or .svg (the terminal's look).

    \b
    Example: hnreport report --as-of 2022年上半年 -o 2022年6月.xlsx
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    apply_known_at(store, known_at)
    from hnreport.domain.milestones import group_by_lead
    from hnreport.domain.model import plan_sections
    from hnreport.domain.progress import SORTS, select, sort_assessments, summarize

    check_output_format(fmt, output)
    check_choice(sort, SORTS, Message("what_sort"))
    check_choice(by, ("unit",), Message("what_grouping"))
    sections = plan_sections(store.items.sections())
    if section is not None:
        section = choose_section(section, sections)
    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    rules = store.config.rules()
    assessed = assessed_at(store, day, rules)
    rows = sort_assessments(select(assessed, section), sort)
    states = [s for s in store.tracking.milestone_states(day) if section is None or s.milestone.section == section]
    leads, _supports = store.tracking.assignment_map()

    def draw(fmt: str, console) -> None:
        if by == "unit":
            from hnreport.render import units as unit_views

            grouped = group_by_lead(leads, (rows, lambda a: a.target.key), (states, lambda s: s.milestone.key))
            groups = [(unit, ts, ms) for unit, (ts, ms) in grouped]
            unit_views.render_by_unit(plan, day, groups, fmt, app_ctx.lang, console)
        else:
            from hnreport.render import report as report_view

            described = rules.describe() if fmt == "json" else report_view.rule_text(rules, app_ctx.lang)
            report_view.render_report(
                plan, day, described, sections, rows, summarize(rows), fmt, app_ctx.lang,
                console, grouped=sort == "section", milestones=states, today=app_ctx.today(), leads=leads,
            )  # fmt: skip

    deliver(app_ctx, fmt, output, draw, title=plan.name_zh, as_of=day, force=force, about_plan=False)  # the report heads itself with the plan


@commands.command()
def lights(
    ctx: typer.Context,
    start: Annotated[Optional[str], typer.Option("--from", metavar="MONTH", help="First month (default: January of the plan year).")] = None,
    end: Annotated[
        Optional[str], typer.Option("--to", metavar="MONTH", help="Last month (default: the last month ended before today, in the plan year).")
    ] = None,
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section.")] = None,
    fmt: FormatOpt = "table",
    values: Annotated[bool, typer.Option("--values", help="Each month's figure (with its unit) instead of the mark.")] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Month-by-month lights (亮灯) for every target.

    Each target's status at every month end, as the report showed it.

    \b
    Example: hnreport lights --from 2022-01 --to 2022-06 --section main
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.periods import month_end, month_ends, parse_span
    from hnreport.domain.progress import assess_all, select
    from hnreport.render import details

    check_output_format(fmt, output)
    plan = store.items.plan()
    today = app_ctx.today()
    first = parse_span(start)[0] if start else plan.start
    last = parse_as_of(end) or _last_month_ended(today, plan)
    if last < first:
        raise BadPeriod("range_reversed", last=last.isoformat(), first=first.isoformat())
    months = month_ends(month_end(first.year, first.month), last)
    if len(months) > MAX_MONTHS:
        raise BadPeriod("range_too_long", max=MAX_MONTHS)
    section = plan_section(store, section)
    targets, rules = store.items.targets(), store.config.rules()
    # A month that has not ended by today gets no cell — never a verdict drawn from an earlier figure.
    grid = {m: select(assess_all(targets, store.figures.latest(m), m, plan, rules), section) for m in months if m <= today}
    shown = [t for t in targets if section is None or t.section == section]
    deliver(app_ctx, fmt, output, lambda fmt, console: details.lights(months, grid, fmt, app_ctx.lang, console, values=values, targets=shown),
            title="", as_of=min(last, today), force=force)  # fmt: skip


def _last_month_ended(today, plan):
    """The default end of the lights grid: the last month that has ended by today, within the
    plan year (its first month if none has ended yet)."""
    from hnreport.domain.periods import month_end

    if today >= plan.end:
        return plan.end
    last = month_end(today.year, today.month)
    if last > today:
        last = month_end(today.year, today.month - 1) if today.month > 1 else date(today.year - 1, 12, 31)
    return max(last, month_end(plan.year, 1))
