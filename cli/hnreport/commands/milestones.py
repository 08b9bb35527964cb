"""``hnreport milestones …``, ``due`` and ``glossary``: the report's qualitative commitments."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import (
    AsOfOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    check_output_format,
    deliver,
    MilestoneKeyArg,
    app_context,
    check_choice,
    parse_as_of,
    choose,
    plan_section,
    say,
)
from hnreport import words
from hnreport.errors import BadValue, Message, UnknownKey, Word

app = typer.Typer(
    help="Qualitative commitments: status, deadlines, evidence.\n\nThe status history of each, its deadlines and time nodes, and the evidence units give.\n\nExample: hnreport milestones list --status stalled",
    no_args_is_help=True,
)
commands = typer.Typer()


@app.command("list")
def milestones_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section: its code (main, stability, development, livelihood, conduct), title or number (二).")] = None,
    status: Annotated[Optional[str], typer.Option(metavar="STATUS", help="Only this status: " + words.choices_text(words.MILESTONE_STATUS) + ".")] = None,
    unit: Annotated[Optional[str], typer.Option(metavar="UNIT", help="Only items this unit leads or supports.")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the milestones with status, deadline and lead.

    Filter by section, status or unit; implied deadlines (the plan year's end) are marked.
    JSON, CSV and files carry what the units last reported (进展情况, 存在问题, 下一步措施).

    \b
    Example: hnreport milestones list --section livelihood --status stalled
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import milestones as views
    from hnreport.words.labels import view_title

    check_output_format(fmt, output)
    status = choose(status, words.MILESTONE_STATUS, Message("what_status"))
    section = plan_section(store, section)
    unit_name = store.tracking.resolve_unit(unit) if unit else None
    day = app_ctx.as_of(as_of, store.items.plan())
    states = [
        s
        for s in store.tracking.milestone_states(day)
        if (section is None or s.milestone.section == section)
        and (status is None or s.status == status)
        and (unit_name is None or s.lead == unit_name or unit_name in s.support)
    ]
    plan = store.items.plan()
    deliver(app_ctx, fmt, output, lambda fmt, console: views.milestones_table(states, fmt, app_ctx.lang, console),
            title=view_title("milestones", app_ctx.lang, plan.name_en if app_ctx.lang == "en" else plan.name_zh), as_of=day,
            force=force)  # fmt: skip


@app.command("show")
def milestones_show(ctx: typer.Context, key: MilestoneKeyArg, as_of: AsOfOpt = None) -> None:
    """Everything about one milestone.

    One milestone: wording, locator, glossary terms, deadlines and its full status history.

    \b
    Example: hnreport milestones show tugutang-bridge
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import milestones as views

    m = store.items.milestone(key)
    day = app_ctx.as_of(as_of, store.items.plan())
    state = store.tracking.milestone_states(day, m.key)[0]
    changes = store.tracking.status_changes(m.key).get(m.key, [])
    deadlines = store.tracking.deadlines(m.key).get(m.key, [])
    terms = store.items.glossary_terms_in(m.phrase + m.name_zh, m.terms)
    views.milestone_details(state, changes, deadlines, terms, app_ctx.lang, app_ctx.console)


@app.command("set")
def milestones_set(
    ctx: typer.Context,
    key: MilestoneKeyArg,
    status: Annotated[str, typer.Argument(metavar="STATUS", help=words.choices_text(words.MILESTONE_STATUS))],
    as_of: AsOfOpt = None,
    progress: Annotated[Optional[str], typer.Option(metavar="TEXT", help="进展情况: what has been done.")] = None,
    problems: Annotated[Optional[str], typer.Option(metavar="TEXT", help="存在问题: what stands in the way.")] = None,
    next_steps: Annotated[Optional[str], typer.Option("--next", metavar="TEXT", help="下一步措施: what comes next.")] = None,
    source: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Evidence: document number (文号), link.")] = None,
) -> None:
    """Record a milestone's status and what units report.

    Append a status change to a milestone (the history is never overwritten).

    \b
    Example: hnreport milestones set tugutang-bridge done --source "衡南政发〔2022〕12号"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    m = store.items.milestone(key)
    status = choose(status, words.MILESTONE_STATUS, Message("what_status"))
    day, why = (parse_as_of(as_of), Message("why_given")) if as_of else app_ctx.default_as_of(store.items.plan())
    change = store.tracking.set_status(m, status, day, progress=progress, problems=problems, next_steps=next_steps, source=source)
    say(Message("n_milestone_set", key=m.key, name=m.name_en if app_ctx.lang == "en" else m.name_zh, status=Word("MILESTONE_STATUS", status),
                date=change.as_of.isoformat(), why=why, change=change.change_id))


@app.command("due")
def milestones_due(
    ctx: typer.Context,
    key: MilestoneKeyArg,
    due: Annotated[str, typer.Argument(metavar="DATE", help="The due date (完成时限): 2022-09-30, 2022Q3 …")],
    node: Annotated[Optional[list[str]], typer.Option("--node", metavar="NODE", help='An intermediate time node: "2022-06-30 主体完工". Repeatable.')] = None,
) -> None:
    """Give a milestone its due date and intermediate time nodes.

    \b
    Example: hnreport milestones due jiangkou-bridge-closure 2022-09-30 --node "2022-06-30 主桥合龙"
    """
    store = app_context(ctx).store()
    m = store.items.milestone(key)
    day = parse_as_of(due)
    nodes = []
    for text in node or []:
        head, _, rest = text.strip().partition(" ")
        if not rest.strip():
            raise BadValue("node_needs_text", text=text)
        nodes.append((parse_as_of(head), rest.strip()))
    store.tracking.add_deadlines(m, day, nodes)  # type: ignore[arg-type]
    say(Message("j_due", key=m.key, date=day.isoformat(), nodes=Message("with_nodes", count=len(nodes)) if nodes else ""))


@app.command("node")
def milestones_node(
    ctx: typer.Context,
    key: MilestoneKeyArg,
    node_date: Annotated[str, typer.Argument(metavar="DATE", help="The time node's date, as given with --node: 2022-06-30.")],
    mark: Annotated[str, typer.Argument(metavar="met|missed", help="met or missed (已完成 or 未完成).")],
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A note kept with the mark (evidence, why missed).")] = None,
) -> None:
    """Mark a time node met or missed.

    A later mark replaces it; 'hnreport undo' reverts it.

    \b
    Example: hnreport milestones node jiangkou-bridge-closure 2022-06-30 met --note "6月28日合龙"
    """
    store = app_context(ctx).store()
    from hnreport.domain.milestones import parse_mark

    m = store.items.milestone(key)
    day = parse_as_of(node_date)
    which = parse_mark(mark)
    if which is None:
        raise BadValue("unknown_choice", what=Message("what_mark"), value=mark, choices="met, missed, 已完成, 未完成")
    texts, change_id = store.tracking.mark_node(m, day, which, note.strip() if note and note.strip() else None)  # type: ignore[arg-type]
    say(Message("n_node_marked", key=m.key, date=day.isoformat(), texts="; ".join(texts), mark=Word("NODE_MARK", which),  # type: ignore[union-attr]
                change=change_id))


@app.command("extend")
def milestones_extend(
    ctx: typer.Context,
    key: MilestoneKeyArg,
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new due date.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the deadline moves.")],
) -> None:
    """Extend a milestone's deadline.

    The original date stays in its history.

    \b
    Example: hnreport milestones extend tugutang-bridge --to 2023-03-31 --reason "汛期停工"
    """
    store = app_context(ctx).store()
    m = store.items.milestone(key)
    if not reason.strip():
        raise BadValue("extension_needs_reason")
    day = parse_as_of(to)
    store.tracking.add_deadline(m, "extension", day, reason=reason.strip())  # type: ignore[arg-type]
    say(Message("j_extended", key=m.key, date=day.isoformat()))  # type: ignore[union-attr]


@app.command("add")
def milestones_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="A new key: lowercase letters, digits, hyphens.")],
    name_zh: Annotated[str, typer.Option("--name-zh", metavar="NAME", help="Chinese name.")],
    section: Annotated[str, typer.Option(metavar="SECTION", help="main, stability, development, livelihood or conduct (or the title, or its number: 二).")],
    name_en: Annotated[Optional[str], typer.Option("--name-en", metavar="NAME", help="English name.")] = None,
    phrase: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The commitment as worded.")] = None,
    strength: Annotated[Optional[str], typer.Option(metavar="WORD", help="力争 / 确保 / 完成 …")] = None,
    locator: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Where it comes from (e.g. 民生实事第3项).")] = None,
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A note.")] = None,
) -> None:
    """Add a milestone of your own.

    One of the 20 项民生实事, say; seed updates never touch it.

    \b
    Example: hnreport milestones add minsheng-01 --name-zh "新建城区停车位500个" --section livelihood
    """
    store = app_context(ctx).store()
    section = plan_section(store, section)
    store.items.add_milestone({"key": key, "name_zh": name_zh, "name_en": name_en or name_zh, "section": section,
                         "phrase": phrase, "strength": strength, "locator": locator, "note": note})  # fmt: skip
    say(Message("j_milestone_added", key=key, name=name_zh))


# ── due ──────────────────────────────────────────────────────────────────────────────────


@commands.command("due")
def due(
    ctx: typer.Context,
    within: Annotated[Optional[int], typer.Option(metavar="DAYS", help="Days ahead to look (default: the due.within setting, 7).")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """What falls due soon and what is overdue.

    Within N days, and everything overdue, by lead unit, with what each unit last reported.

    \b
    Example: hnreport due --within 14 --as-of 2022-09-20
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import milestones as views

    check_output_format(fmt, output)
    from hnreport.domain.settings import MAX_DUE_WITHIN
    from hnreport.words.labels import view_title

    if within is None:
        within = store.config.due_within()
    if not 0 <= within <= MAX_DUE_WITHIN:
        raise BadValue("within_range", max=MAX_DUE_WITHIN)
    day = app_ctx.as_of(as_of, store.items.plan())

    from hnreport.domain.milestones import due_items

    items = due_items(store.tracking.milestone_states(day), within)
    deliver(app_ctx, fmt, output, lambda fmt, console: views.due_list(day, within, items, fmt, app_ctx.lang, console),
            title=view_title("due", app_ctx.lang), as_of=day, force=force)  # fmt: skip


# ── glossary ─────────────────────────────────────────────────────────────────────────────
@commands.command()
def glossary(
    ctx: typer.Context,
    query: Annotated[Optional[str], typer.Argument(metavar="TERM", help="A term, part of one, or its number.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The report's glossary terms (名词解释).

    All 35, or those matching a term, part of one, or a number.

    \b
    Example: hnreport glossary 双碳
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import milestones as views

    check_choice(fmt, ("table", "json", "csv", "markdown"), Message("what_format"))
    entries = store.items.glossary()
    if query:
        from hnreport.domain.milestones import glossary_matches

        q = query.strip()
        entries = glossary_matches(entries, q)
        if not entries:
            raise UnknownKey("no_glossary_match", query=q)
    views.glossary_table(entries, fmt, app_ctx.lang, app_ctx.console)
