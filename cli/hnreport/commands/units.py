"""``hnreport units …`` and ``assign``: responsible units (牵头/配合) and what they answer for."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import assessed_at, AsOfOpt, FormatOpt, app_context, check_choice, choose, say
from hnreport import words
from hnreport.errors import Message

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
) -> None:
    """List the units with what they lead and their counts per status (also 'units list').

    \b
    Example: hnreport units --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    _list_units(ctx, as_of, fmt)


@app.command("list")
def units_list_command(ctx: typer.Context, as_of: AsOfOpt = None, fmt: FormatOpt = "table") -> None:
    """List the units with what they lead and support, and their items' counts per status.

    \b
    Example: hnreport units list --format json
    """
    _list_units(ctx, as_of, fmt)


@app.command("show")
def units_show(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="A unit's name or alias: 县发改局.", metavar="UNIT")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """One unit's items — what it leads (牵头) and supports (配合) — with their statuses.

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


def _list_units(ctx: typer.Context, as_of: str | None, fmt: str) -> None:
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.milestones import summarize_units
    from hnreport.domain.model import STATUSES
    from hnreport.render import units as views

    check_choice(fmt, ("table", "json", "markdown"), Message("what_format"))
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
    views.units_table(summaries, fmt, app_ctx.lang, app_ctx.console)


@app.command("add")
def units_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The unit's full name: 县发展和改革局.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name it goes by (发改局). Repeatable.")] = None,
) -> None:
    """Add a responsible unit, or more aliases to one, so one office never becomes two.

    \b
    Example: hnreport units add 县发展和改革局 --alias 县发改局 --alias 发改局
    """
    store = app_context(ctx).store()
    stored = store.tracking.add_unit(name, alias or [])
    say(f"unit {stored}" + (f" (aliases: {', '.join(alias)})" if alias else ""))


@commands.command()
def assign(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A target or milestone key.")],
    unit: Annotated[str, typer.Argument(help="A unit's name or alias.")],
    role: Annotated[str, typer.Option(help="lead (牵头, one per item) or support (配合).")] = "lead",
    new: Annotated[bool, typer.Option("--new", help="Add the unit if it is not known yet.")] = False,
) -> None:
    """Make a unit lead (牵头) or support (配合) a target or milestone.

    \b
    Example: hnreport assign tugutang-bridge 县交通运输局 --role lead
    """
    store = app_context(ctx).store()
    role = choose(role, words.ROLE, Message("what_role"))
    kind, canonical, name, replaced = store.tracking.assign(key, unit, role, new=new)
    say(f"{name} → {role} of {kind} {canonical}" + (f" (replaces {replaced} as lead)" if replaced else ""))
