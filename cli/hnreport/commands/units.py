"""``hnreport units …`` and ``assign``: responsible units (牵头/配合) and what they answer for."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hnreport import words
from hnreport.commands.context import (
    AsOfOpt,
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    YesOpt,
    app_context,
    assessed_at,
    check_choice,
    check_output_format,
    deliver,
    choose,
    say,
)
from hnreport.errors import HnreportError, Message, Word

if TYPE_CHECKING:
    from hnreport.commands.context import AppContext
    from hnreport.domain.reporting import Period
    from hnreport.store import Store

app = typer.Typer(
    help="Responsible units (牵头单位/责任单位) and their aliases.\n\nExample: hnreport units add 县发展和改革局 --alias 发改局",
    invoke_without_command=True,
)
commands = typer.Typer()


# ── units and assignments ────────────────────────────────────────────────────────────────
@app.callback()
def units_list(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the units with what they lead and their counts per status (also 'units list').

    \b
    Example: hnreport units --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    _list_units(ctx, as_of, fmt, output, force)


@app.command("list")
def units_list_command(
    ctx: typer.Context, as_of: AsOfOpt = None, fmt: FormatOpt = "table", output: OutputOpt = None, force: ForceOpt = False
) -> None:
    """List the units and what they lead and support.

    With their aliases and their items' counts per status.

    \b
    Example: hnreport units list -o 责任单位.xlsx
    """
    _list_units(ctx, as_of, fmt, output, force)


@app.command("show")
def units_show(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="A unit's name or alias: 县发改局.", metavar="UNIT")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """One unit's items with their statuses.

    What it leads (牵头) and supports (配合), targets first.

    \b
    Example: hnreport units show 县发改局
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import units as views

    check_choice(fmt, ("table", "json", "csv", "markdown"), Message("what_format"))
    name = store.tracking.resolve_unit(unit)
    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    leads, supports = store.tracking.assignment_map()
    assessed = assessed_at(store, day)
    states = store.tracking.milestone_states(day)
    role = {k: "lead" for k, u in leads.items() if u == name}
    role.update({k: "support" for k, us in supports.items() if name in us})
    views.unit_items(
        name, day, [a for a in assessed if a.target.key in role], [s for s in states if s.milestone.key in role],
        role, fmt, app_ctx.lang, app_ctx.console,
    )  # fmt: skip


def _list_units(ctx: typer.Context, as_of: str | None, fmt: str, output: Path | None, force: bool) -> None:
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.milestones import summarize_units
    from hnreport.domain.model import STATUSES
    from hnreport.render import units as views

    check_output_format(fmt, output)
    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    leads, supports = store.tracking.assignment_map()
    assessed = assessed_at(store, day)
    summaries = summarize_units(
        store.tracking.units(), leads, supports,
        {a.target.key: a.status for a in assessed},
        {s.milestone.key: s.status for s in store.tracking.milestone_states(day)},
        STATUSES,
    )  # fmt: skip
    from hnreport.words.labels import view_title

    deliver(app_ctx, fmt, output, lambda fmt, console: views.units_table(summaries, fmt, app_ctx.lang, console),
            title=view_title("units", app_ctx.lang, plan.name_en if app_ctx.lang == "en" else plan.name_zh), as_of=day,
            force=force)  # fmt: skip


@app.command("add")
def units_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The unit's full name: 县发展和改革局.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", metavar="NAME", help="Another name it goes by (发改局). Repeatable.")] = None,
) -> None:
    """Add a responsible unit or its aliases.

    Aliases (发改局 for 县发展和改革局) keep one office from becoming two.

    \b
    Example: hnreport units add 县发展和改革局 --alias 县发改局 --alias 发改局
    """
    store = app_context(ctx).store()
    stored, added = store.tracking.add_unit(name, alias or [])
    aliases = Message("with_aliases", aliases="、".join(a.strip() for a in alias if a.strip())) if alias and any(a.strip() for a in alias) else ""
    if not added:  # every name given is the unit's already: nothing written, nothing journalled
        said = name.strip()
        say(Message("n_unit_already", unit=stored, aliases=aliases) if said == stored else
            Message("n_unit_already_alias", name=said, unit=stored, aliases=aliases))  # fmt: skip
        return
    say(Message("j_unit_added", name=stored, aliases=aliases))


@commands.command()
def assign(
    ctx: typer.Context,
    key: Annotated[Optional[str], typer.Argument(metavar="KEY", help="A target or milestone key.")] = None,
    unit: Annotated[Optional[str], typer.Argument(metavar="UNIT", help="A unit's name or alias.")] = None,
    role: Annotated[str, typer.Option(metavar="ROLE", help="lead (牵头, one per item) or support (配合).")] = "lead",
    new: Annotated[bool, typer.Option("--new", help="Add the unit if it is not known yet.")] = False,
    from_file: Annotated[Optional[Path], typer.Option("--from", metavar="FILE", help="A 责任分工方案 (.xlsx or CSV: 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限).")] = None,
    new_units: Annotated[bool, typer.Option("--new-units", help="With --from: create the units the file names that are not known yet.")] = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Make a unit lead or support an item.

    Lead (牵头) or support (配合) a target or milestone — or many at once, from a 分工方案.

    \b
    Example: hnreport assign tugutang-bridge 县交通运输局 --role lead
    Example: hnreport assign --from 责任分工方案.xlsx --dry-run
    """
    store = app_context(ctx).store()
    if from_file is not None:
        if key is not None or unit is not None:
            raise HnreportError("assign_from_and_key")
        _assign_from(ctx, from_file, new_units=new_units, dry_run=dry_run)
        return
    if key is None or unit is None:
        raise HnreportError("assign_needs_key_unit")
    role = choose(role, words.ROLE, Message("what_role"))
    kind, canonical, name, replaced, changed = store.tracking.assign(key, unit, role, new=new)
    if not changed:  # the unit has that role already: nothing written, nothing journalled
        say(Message("n_assigned_already", unit=name, role=Word("ROLE", role), key=canonical))
        return
    say(Message("n_assigned", unit=name, role=Word("ROLE", role), kind=Message("noun_target") if kind == "target" else Message("noun_milestone"), key=canonical,
                replaced=Message("n_replaces_lead", unit=replaced) if replaced else ""))


def _assign_from(ctx: typer.Context, file: Path, *, new_units: bool, dry_run: bool) -> None:
    """``assign --from``: the whole 分工方案 checked, shown as a table with --dry-run, written as
    one change — or refused, every problem listed, nothing written."""
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.commands.data import path_text
    from hnreport.readers import Problems
    from hnreport.render.units import allocation_table
    from hnreport.workbooks import read_allocation

    name = path_text(file)
    plan = store.tracking.plan_allocation(read_allocation(file, name), new_units=new_units)
    if dry_run or plan.problems:
        allocation_table(plan, app_ctx.lang, app_ctx.console)
    if plan.problems:
        if len(plan.problems) == 1:
            raise HnreportError.saying(plan.problems[0])
        errors = Problems()
        for problem in plan.problems:
            errors.add(problem)
        raise errors.error(name, "allocation_problems")
    if plan.skipped:
        app_ctx.notice(Message("n_rows_skipped", rows=", ".join(str(n) for n in plan.skipped)))
    changing = [i for i in plan.items if i.changes]
    counts = Message(
        "n_allocation_counts", items=len(plan.items), leads=sum(1 for i in plan.items if i.new_lead),
        supports=sum(len(i.new_supports) for i in plan.items), dues=sum(1 for i in plan.items if i.new_due or i.new_nodes),
        new_units=Message("n_new_units", count=len(plan.new_units), names="、".join(plan.new_units)) if plan.new_units else "",
    )  # fmt: skip
    if dry_run:
        say(Message("n_would_assign_from", path=name, counts=counts))
        return
    change_id = store.tracking.apply_allocation(plan)
    if change_id is None:
        say(Message("n_allocation_nothing", path=name))
        return
    say(Message("n_assigned_from", path=name, counts=counts, changed=len(changing), change=change_id))


# ── the monthly cycle: 报送表 out, returned sheets in, who has not reported ─────────────────────
PeriodOpt = Annotated[
    Optional[str],
    typer.Option("--period", metavar="MONTH", help="The month of the report: 2022-07 or 2022年7月 (default: from today and report.due_day)."),
]


def _period(app_ctx: "AppContext", store: "Store", text: str | None, default) -> "Period":
    """The month ``--period`` names (any day of it will do), or ``default(today, due_day)``, kept
    within the plan year."""
    from hnreport.domain.periods import parse_span
    from hnreport.domain.reporting import month_of, within_year

    plan = store.items.plan()
    if text is None:
        return within_year(default(app_ctx.today(), store.config.due_day()), plan.year)
    period = month_of(*parse_span(text.strip()))
    if period is None:
        raise HnreportError("report_period_not_month", text=text)
    if period.year != plan.year:
        raise HnreportError("period_outside_year", period=text, year=plan.year)
    return period


@app.command("sheet")
def units_sheet(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Argument(help="A lead unit's name or alias (or --all).", metavar="[UNIT]")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="The .xlsx file to write (with --all: an existing folder).")] = ...,  # type: ignore[assignment]
    all_units: Annotated[bool, typer.Option("--all", help="One 报送表 per lead unit, into the folder -o names.")] = False,
    period: PeriodOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write a lead unit's 报送表 for the month.

    An .xlsx workbook the unit fills in and sends back.

    \b
    Example: hnreport units sheet 县发改局 -o 报送表-县发改局-2022-07.xlsx
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.reporting import open_period
    from hnreport.outfile import check_output, write_atomic

    if unit is None and not all_units:
        raise HnreportError("sheet_unit_or_all")
    if unit is not None and all_units:
        raise HnreportError("sheet_unit_and_all")
    if not all_units:  # never onto the database, whatever else is wrong
        check_output(output, app_ctx.db_path(), force=force)
    month = _period(app_ctx, store, period, open_period)
    leads, _supports = store.tracking.assignment_map()
    if all_units:
        if (output.exists() and not output.is_dir()) or output.suffix.lower() == ".xlsx":
            raise HnreportError("sheet_output_folder", path=output)
        names = sorted(set(leads.values()))
        if not names:
            raise HnreportError("sheet_no_lead_units")
        files = [(name, output / f"报送表-{_file_safe(name)}-{month.key}.xlsx") for name in names]
    else:
        name = store.tracking.resolve_unit(unit)  # type: ignore[arg-type]
        if name not in leads.values():
            raise HnreportError("sheet_leads_nothing", unit=name)
        if output.suffix.lower() != ".xlsx":
            raise HnreportError("sheet_output_xlsx", path=output)
        files = [(name, output)]
    made = all_units and not output.exists()
    if made:
        output.mkdir(parents=True)  # a folder named for the month's sheets is made …
    try:
        for _name, path in files:  # every file checked before any is written
            check_output(path, app_ctx.db_path(), force=force)
    except HnreportError:
        if made:
            output.rmdir()  # … and taken away again when nothing will be written in it
        raise
    # Every target assessed and every milestone's state worked out once, however many units' sheets.
    day = app_ctx.as_of(None, store.items.plan())
    assessed, states = assessed_at(store, day), store.tracking.milestone_states(day)
    due = month.due(store.config.due_day()).isoformat()
    for name, path in files:
        data, count = _sheet_bytes(app_ctx, store, name, month, leads, assessed, states)
        write_atomic(path, data)
        say(Message("n_wrote_sheet", unit=name, period=month.key, count=count, due=due, path=path))


def _file_safe(name: str) -> str:
    """A unit's name as part of a file name on every system (no / \\ : * ? " < > | or controls)."""
    import re

    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", name).strip(" .") or "_"


def _sheet_bytes(
    app_ctx: "AppContext", store: "Store", unit: str, month: "Period", leads: dict[str, str], assessed: list, states: list
) -> tuple[bytes, int]:
    import secrets

    from hnreport.domain.reporting import figure_period
    from hnreport.render.sheet import milestone_rows, target_rows, unit_sheet

    plan = store.items.plan()
    due_day = store.config.due_day()
    led = {k.lower() for k, u in leads.items() if u == unit}
    assessments = [a for a in assessed if a.target.key.lower() in led]
    states = [s for s in states if s.milestone.key.lower() in led]
    periods = {a.target.key: figure_period(month, due_day, a.target.frequency, plan.start, plan.end) for a in assessments}
    last = store.reports.last_reports([a.target.key for a in assessments])
    rows = target_rows(assessments, periods, last) + milestone_rows(states)
    data = unit_sheet(plan, unit, month, month.due(due_day), app_ctx.today(), secrets.token_hex(8), rows)
    return data, len(rows)


@app.command("collect")
def units_collect(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Returned 报送表 (.xlsx), one or more.", metavar="FILE...")],
    dry_run: DryRunOpt = False,
    period: PeriodOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar="UNIT", help="Only this unit's sheets: any other is refused.")] = None,
    yes: YesOpt = False,
) -> None:
    """Read returned 报送表 back, as one change.

    Statuses, texts and figures; 'hnreport undo' reverts the whole collect.

    \b
    Example: hnreport units collect 回收/*.xlsx --dry-run
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.commands.data import path_text
    from hnreport.domain.reporting import last_due_period, open_period, period_from_key, report_day
    from hnreport.readers import Problems
    from hnreport.render.sheet import cell_text
    from hnreport.workbooks import read_returned

    plan = store.items.plan()
    due_day = store.config.due_day()
    today = app_ctx.today()
    if period is not None:
        accepted = [_period(app_ctx, store, period, open_period)]
        why = Message("why_period_given")
    else:  # a sheet that comes back late, or early: the last month due and the next
        accepted = sorted({_period(app_ctx, store, None, last_due_period), _period(app_ctx, store, None, open_period)})
        why = Message("why_report_window", day=due_day, today=today.isoformat())
    wanted_unit = store.tracking.resolve_unit(unit) if unit else None
    units = {cell_text(u.name): u for u in store.tracking.units()}
    problems: list[Message] = []
    plans = []
    seen: dict[tuple[str, str], str] = {}
    for file in files:
        name = path_text(file)
        if file.suffix.lower() not in (".xlsx", ".xlsm"):
            raise HnreportError("sheet_not_xlsx", path=name)
        sheet = read_returned(file, name)
        problems += sheet.problems
        record = sheet.record
        if record.plan != plan.key or record.year != plan.year:
            raise HnreportError("sheet_other_plan", path=name, plan=record.plan_name, key=record.plan, expected=plan.name_zh,
                                expected_key=plan.key)  # fmt: skip
        found = units.get(record.unit)
        if found is None:
            raise HnreportError("sheet_unknown_unit", path=name, unit=record.unit)
        if wanted_unit is not None and found.name != wanted_unit:
            raise HnreportError("sheet_other_unit", path=name, unit=found.name, expected=wanted_unit)
        month = period_from_key(record.period)
        if month is None:
            raise HnreportError("sheet_record_damaged", path=name, what="period")
        if month not in accepted:
            raise HnreportError("sheet_other_period", path=name, period=month.key, key=month.key,
                                expected=" / ".join(p.key for p in accepted), why=why)  # fmt: skip
        if (found.name, month.key) in seen:
            raise HnreportError("sheet_twice", path=name, other=seen[(found.name, month.key)], unit=found.name, period=month.key)
        seen[(found.name, month.key)] = name
        if not sheet.problems:
            plans.append(store.reports.weigh(sheet, found.name, found.id, month, report_day(month, due_day, today), problems))
    if problems:
        if len(problems) == 1:
            raise HnreportError.saying(problems[0])
        errors = Problems()
        for problem in problems:
            errors.add(problem)
        raise errors.error(", ".join(path_text(f) for f in files), "collect_problems")
    from hnreport.render.units import collect_table

    collect_table(plans, app_ctx.lang, app_ctx.console)
    # A figure a unit reports is held to the plausibility rule as any figure is (record, import):
    # listed, and written only with --yes, flagged.
    from hnreport.commands.context import implausibility
    from hnreport.domain.values import format_number

    flagged = set()
    targets = {t.key: t for t in store.items.targets()}
    for p in plans:
        for row in p.rows if not p.already else ():
            if row.kind == "target" and row.figure is not None and row.figure_as_of is not None:
                target = targets[row.key]
                reason = implausibility(store, target, row.figure, row.figure_as_of, format_number(row.figure, row.answer.decimals))
                if reason is not None:
                    flagged.add(row.key)
                    say(Message("n_in_file", path=p.path, line=Message("implausible_in_row", key=row.key, reason=reason)), err=True)
    if flagged and not yes and not dry_run:
        raise HnreportError("collect_implausible", count=len(flagged))
    if dry_run:
        for p in plans:
            say(_collect_line(True, p))
        return
    change_id = store.reports.collect(plans, ", ".join(path_text(f) for f in files), frozenset(flagged))
    for p in plans:
        say(_collect_line(False, p))
    if change_id is None:
        say(Message("n_collect_nothing"))
    else:
        say(Message("n_collect_change", change=change_id))


def _collect_line(would: bool, p) -> Message:
    if p.already:
        return Message("n_collected_before", path=p.path, unit=p.unit, period=p.period.key)
    return Message("n_would_collect" if would else "n_collected", path=p.path, unit=p.unit, period=p.period.key,
                   reported=p.rows_with("reported"), statuses=p.statuses, figures=p.figures,
                   unchanged=p.rows_with("unchanged"), blank=p.rows_with("blank"))  # fmt: skip


@app.command("missing")
def units_missing(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Which lead units have not reported (未报送).

    For the month, and which items were left blank.

    \b
    Example: hnreport units missing --as-of 2022-07-31
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.periods import parse_period
    from hnreport.domain.reporting import last_due_period, within_year
    from hnreport.render.units import missing_table

    check_choice(fmt, ("table", "json", "csv", "markdown"), Message("what_format"))
    plan = store.items.plan()
    due_day = store.config.due_day()
    day = parse_period(as_of) if as_of else app_ctx.today()
    month = _period(app_ctx, store, period, None) if period else within_year(last_due_period(day, due_day), plan.year)
    leads, _supports = store.tracking.assignment_map()
    names = {t.key: t.name_zh for t in store.items.targets()}
    names.update({m.key: m.name_zh for m in store.items.milestones()})  # plan order: targets, then milestones
    from hnreport.domain.reporting import report_states

    rows = [(unit, state, [(k, names.get(k, k)) for k in items], got)
            for unit, state, items, got in report_states(leads, list(names), store.reports.returns(month))]  # fmt: skip
    missing_table(month, month.due(due_day), day, rows, fmt, app_ctx.lang, app_ctx.console)
