"""Commands for the report's qualitative side: milestones, deadlines, units, assignments, glossary.

Registered on the main app by ``cli.py``; the same rules hold: parse, call the store and the
domain, hand the result to a renderer.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from hnreport.cli import AsOfOpt, FormatOpt, _as_of, _check_choice, _ctx, app
from hnreport.errors import BadValue
from hnreport.milestones import MILESTONE_STATUSES, ROLES
from hnreport.model import COMPARATORS, FREQUENCIES, KINDS

milestones_app = typer.Typer(
    help="Qualitative commitments: status history, deadlines, evidence.\n\nExample: hnreport milestones list --status stalled",
    no_args_is_help=True,
)
units_app = typer.Typer(
    help="Responsible units (牵头单位/责任单位) and their aliases.\n\nExample: hnreport units add 县发展和改革局 --alias 发改局",
    invoke_without_command=True,
)
app.add_typer(milestones_app, name="milestones")
app.add_typer(units_app, name="units")

MKeyArg = Annotated[str, typer.Argument(help="Milestone key (tugutang-bridge) or exact Chinese name.")]


def _plan_sections(store) -> list[str]:
    return [s.code for s in store.sections() if s.part == "二"]


@milestones_app.command("list")
def milestones_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(help="Only this section: main, stability, development, livelihood, conduct.")] = None,
    status: Annotated[Optional[str], typer.Option(help="Only this status: " + ", ".join(MILESTONE_STATUSES) + ".")] = None,
    unit: Annotated[Optional[str], typer.Option(help="Only items this unit leads or supports.")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the milestones with their status, deadline and lead unit.

    \b
    Example: hnreport milestones list --section livelihood --status stalled
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render_tracking

    _check_choice(fmt, ("table", "json", "csv", "markdown"), "format")
    _check_choice(status, MILESTONE_STATUSES, "status")
    if section is not None:
        _check_choice(section, _plan_sections(store), "section")
    unit_name = store.resolve_unit(unit) if unit else None
    day = _as_of(as_of) or app_ctx.default_as_of(store.plan())[0]
    states = [
        s
        for s in store.milestone_states(day)
        if (section is None or s.milestone.section == section)
        and (status is None or s.status == status)
        and (unit_name is None or s.lead == unit_name or unit_name in s.support)
    ]
    render_tracking.milestones_table(states, fmt, app_ctx.lang, app_ctx.console)


@milestones_app.command("show")
def milestones_show(ctx: typer.Context, key: MKeyArg, as_of: AsOfOpt = None) -> None:
    """One milestone: wording, locator, glossary terms, deadlines and its full status history.

    \b
    Example: hnreport milestones show tugutang-bridge
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render_tracking

    m = store.milestone(key)
    day = _as_of(as_of) or app_ctx.default_as_of(store.plan())[0]
    state = store.milestone_states(day, m.key)[0]
    changes = store.status_changes(m.key).get(m.key, [])
    deadlines = store.deadlines(m.key).get(m.key, [])
    terms = store.glossary_terms_in(m.phrase + m.name_zh, m.terms)
    render_tracking.milestone_details(state, changes, deadlines, terms, app_ctx.lang, app_ctx.console)


@milestones_app.command("set")
def milestones_set(
    ctx: typer.Context,
    key: MKeyArg,
    status: Annotated[str, typer.Argument(help=", ".join(MILESTONE_STATUSES))],
    as_of: AsOfOpt = None,
    progress: Annotated[Optional[str], typer.Option(help="进展情况: what has been done.")] = None,
    problems: Annotated[Optional[str], typer.Option(help="存在问题: what stands in the way.")] = None,
    next_steps: Annotated[Optional[str], typer.Option("--next", help="下一步措施: what comes next.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Evidence: document number (文号), link.")] = None,
) -> None:
    """Append a status change to a milestone (the history is never overwritten).

    \b
    Example: hnreport milestones set tugutang-bridge done --source "衡南政发〔2022〕12号"
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    m = store.milestone(key)
    _check_choice(status, MILESTONE_STATUSES, "status")
    day, why = (_as_of(as_of), "as given") if as_of else app_ctx.default_as_of(store.plan())
    change = store.set_status(m, status, day, progress=progress, problems=problems, next_steps=next_steps, source=source)
    typer.echo(f"{m.key} ({m.name_zh}) → {status} as of {change.as_of.isoformat()} ({why}); change {change.id}")


@milestones_app.command("due")
def milestones_due(
    ctx: typer.Context,
    key: MKeyArg,
    due: Annotated[str, typer.Argument(help="The due date (完成时限): 2022-09-30, 2022Q3 …")],
    node: Annotated[Optional[list[str]], typer.Option("--node", help='An intermediate time node: "2022-06-30 主体完工". Repeatable.')] = None,
) -> None:
    """Give a milestone its due date and intermediate time nodes.

    \b
    Example: hnreport milestones due tugutang-bridge 2022-09-30 --node "2022-06-30 主桥合龙"
    """
    store = _ctx(ctx).store()
    m = store.milestone(key)
    day = _as_of(due)
    nodes = []
    for text in node or []:
        head, _, rest = text.strip().partition(" ")
        if not rest.strip():
            raise BadValue(f"a time node needs a date and a text, e.g. \"2022-06-30 主体完工\" (got '{text}')")
        nodes.append((_as_of(head), rest.strip()))
    store.add_deadlines(m, day, nodes)  # type: ignore[arg-type]
    typer.echo(f"{m.key} due {day.isoformat()}" + (f" with {len(nodes)} time node(s)" if nodes else ""))


@milestones_app.command("extend")
def milestones_extend(
    ctx: typer.Context,
    key: MKeyArg,
    to: Annotated[str, typer.Option("--to", help="The new due date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the deadline moves.")],
) -> None:
    """Extend a milestone's deadline; the original date stays in its history.

    \b
    Example: hnreport milestones extend tugutang-bridge --to 2023-03-31 --reason "汛期停工"
    """
    store = _ctx(ctx).store()
    m = store.milestone(key)
    if not reason.strip():
        raise BadValue("an extension needs a reason (--reason)")
    day = _as_of(to)
    store.add_deadline(m, "extension", day, reason=reason.strip())  # type: ignore[arg-type]
    typer.echo(f"{m.key} extended to {day.isoformat()}")  # type: ignore[union-attr]


@milestones_app.command("add")
def milestones_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A new key: lowercase letters, digits, hyphens.")],
    name_zh: Annotated[str, typer.Option("--name-zh", help="Chinese name.")],
    section: Annotated[str, typer.Option(help="main, stability, development, livelihood or conduct.")],
    name_en: Annotated[Optional[str], typer.Option("--name-en", help="English name.")] = None,
    phrase: Annotated[Optional[str], typer.Option(help="The commitment as worded.")] = None,
    strength: Annotated[Optional[str], typer.Option(help="力争 / 确保 / 完成 …")] = None,
    locator: Annotated[Optional[str], typer.Option(help="Where it comes from (e.g. 民生实事第3项).")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note.")] = None,
) -> None:
    """Add a milestone of your own (e.g. one of the 20 项民生实事); seed updates never touch it.

    \b
    Example: hnreport milestones add minsheng-01 --name-zh "新建城区停车位500个" --section livelihood
    """
    store = _ctx(ctx).store()
    _check_choice(section, _plan_sections(store), "section")
    store.add_milestone({"key": key, "name_zh": name_zh, "name_en": name_en or name_zh, "section": section,
                         "phrase": phrase, "strength": strength, "locator": locator, "note": note})  # fmt: skip
    typer.echo(f"added milestone {key} ({name_zh})")


# ── targets add (the numeric counterpart) ────────────────────────────────────────────────
from hnreport.cli import targets_app  # noqa: E402


@targets_app.command("add", context_settings={"ignore_unknown_options": True})
def targets_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A new key: lowercase letters, digits, hyphens.")],
    name_zh: Annotated[str, typer.Option("--name-zh", help="Chinese name.")],
    section: Annotated[str, typer.Option(help="main, stability, development, livelihood or conduct.")],
    kind: Annotated[str, typer.Option(help=", ".join(KINDS))],
    value: Annotated[str, typer.Option(help="The target figure.")],
    comparator: Annotated[str, typer.Option(help="'>=', '>', '<=' or '~'.")] = ">=",
    unit: Annotated[Optional[str], typer.Option(help="Unit as written: 个, 户, 亿元, % …")] = None,
    frequency: Annotated[str, typer.Option(help="monthly, quarterly or annual.")] = "quarterly",
    name_en: Annotated[Optional[str], typer.Option("--name-en", help="English name.")] = None,
    phrase: Annotated[Optional[str], typer.Option(help="The commitment as worded.")] = None,
    locator: Annotated[Optional[str], typer.Option(help="Where it comes from.")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note.")] = None,
) -> None:
    """Add a numeric target of your own; seed updates never touch it.

    \b
    Example: hnreport targets add parking-spaces --name-zh "新增停车位" --section livelihood --kind cumulative --value 500 --unit 个
    """
    store = _ctx(ctx).store()
    from hnreport.values import parse_value

    _check_choice(section, _plan_sections(store), "section")
    _check_choice(kind, KINDS, "kind")
    _check_choice(comparator, COMPARATORS, "comparator")
    _check_choice(frequency, FREQUENCIES, "frequency")
    number = parse_value(value, unit)
    store.add_target({"key": key, "name_zh": name_zh, "name_en": name_en or name_zh, "section": section,
                      "kind": kind, "comparator": comparator, "value": number, "unit": unit,
                      "frequency": frequency, "phrase": phrase, "locator": locator, "note": note})  # fmt: skip
    typer.echo(f"added target {key} ({name_zh}) {comparator} {value}{unit or ''}")


# ── due ──────────────────────────────────────────────────────────────────────────────────
@app.command("due")
def due(
    ctx: typer.Context,
    within: Annotated[Optional[int], typer.Option(help="Days ahead to look (default: the due.within setting, 7).")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """What falls due within N days and what is overdue, by lead unit.

    \b
    Example: hnreport due --within 14 --as-of 2022-09-20
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render_tracking

    _check_choice(fmt, ("table", "json", "markdown"), "format")
    if within is None:
        within = int(store.settings().get(("", "due.within"), "7"))
    from hnreport.store import MAX_DUE_WITHIN

    if not 0 <= within <= MAX_DUE_WITHIN:
        raise BadValue(f"--within takes 0 to {MAX_DUE_WITHIN} days")
    day = _as_of(as_of) or app_ctx.default_as_of(store.plan())[0]
    from hnreport.milestones import due_items

    render_tracking.due_list(day, within, due_items(store.milestone_states(day), within), fmt, app_ctx.lang, app_ctx.console)


# ── units and assignments ────────────────────────────────────────────────────────────────
@units_app.callback()
def units_list(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the units with what they lead and their counts per status ('units add' adds one).

    \b
    Example: hnreport units --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render_tracking
    from hnreport.cli import _assess_all

    _check_choice(fmt, ("table", "json", "markdown"), "format")
    day = _as_of(as_of) or app_ctx.default_as_of(store.plan())[0]
    leads, supports = store.assignment_map()
    render_tracking.units_table(
        store.units(), leads, supports, _assess_all(store, day), store.milestone_states(day), fmt, app_ctx.lang, app_ctx.console
    )


@units_app.command("add")
def units_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The unit's full name: 县发展和改革局.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name it goes by (发改局). Repeatable.")] = None,
) -> None:
    """Add a responsible unit, or more aliases to one, so one office never becomes two.

    \b
    Example: hnreport units add 县发展和改革局 --alias 县发改局 --alias 发改局
    """
    store = _ctx(ctx).store()
    stored = store.add_unit(name, alias or [])
    typer.echo(f"unit {stored}" + (f" (aliases: {', '.join(alias)})" if alias else ""))


@app.command()
def assign(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A target or milestone key.")],
    unit: Annotated[str, typer.Argument(help="A unit's name or alias.")],
    role: Annotated[str, typer.Option(help="lead (one per item) or support.")] = "lead",
    new: Annotated[bool, typer.Option("--new", help="Add the unit if it is not known yet.")] = False,
) -> None:
    """Make a unit lead (牵头) or support (配合) a target or milestone.

    \b
    Example: hnreport assign tugutang-bridge 县交通运输局 --role lead
    """
    store = _ctx(ctx).store()
    _check_choice(role, ROLES, "role")
    kind, canonical, name = store.assign(key, unit, role, new=new)
    typer.echo(f"{name} → {role} of {kind} {canonical}")


# ── glossary ─────────────────────────────────────────────────────────────────────────────
@app.command()
def glossary(
    ctx: typer.Context,
    query: Annotated[Optional[str], typer.Argument(help="A term, part of one, or its number.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The report's 35 glossary terms (名词解释), or those matching a term, substring or number.

    \b
    Example: hnreport glossary 双碳
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render_tracking

    _check_choice(fmt, ("table", "json", "csv", "markdown"), "format")
    entries = store.glossary()
    if query:
        q = query.strip()
        if q.isdecimal() and q.isascii():
            entries = [e for e in entries if e[0] == int(q)]
        else:
            entries = [e for e in entries if q in e[1] or q in e[3] or q.lower() in e[4].lower()]
        if not entries:
            from hnreport.errors import UnknownKey

            raise UnknownKey(f"no glossary term matches '{q}'; run 'hnreport glossary' for all 35")
    render_tracking.glossary_table(entries, fmt, app_ctx.lang, app_ctx.console)
