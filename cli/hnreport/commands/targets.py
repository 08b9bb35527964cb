"""``hnreport targets …``: the plan's numeric targets — list, show, add, revise."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import (
    assessed_at,
    NUMBERS_OK,
    AsOfOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    check_output_format,
    deliver,
    KeyArg,
    KnownAtOpt,
    app_context,
    apply_known_at,
    check_choice,
    choose,
    plan_section,
    say,
)
from hnreport import words
from hnreport.errors import Message, Word

app = typer.Typer(help="The 2022 targets.\n\nExample: hnreport targets list --section main", no_args_is_help=True)


@app.command("list")
def targets_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section: its code (main, stability, development, livelihood, conduct), title or number (二).")] = None,
    kind: Annotated[Optional[str], typer.Option(metavar="KIND", help="Only this kind: " + words.choices_text(words.KIND) + ".")] = None,
    status: Annotated[Optional[str], typer.Option(metavar="STATUS", help="Only this status: " + words.choices_text(words.STATUS) + ".")] = None,
    as_of: AsOfOpt = None,
    sort: Annotated[str, typer.Option(metavar="ORDER", help="section (report order), shortfall or status.")] = "section",
    known_at: KnownAtOpt = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the 2022 targets with their status.

    List every 2022 target with its 2021 baseline, latest figure and status.

    \b
    Example: hnreport targets list --section main --format json
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    apply_known_at(store, known_at)
    from hnreport.domain.progress import SORTS, select, sort_assessments
    from hnreport.render import targets as render

    check_output_format(fmt, output)
    kind = choose(kind, words.KIND, Message("what_kind"))
    status = choose(status, words.STATUS, Message("what_status"))
    check_choice(sort, SORTS, Message("what_sort"))
    section = plan_section(store, section)
    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    assessed = assessed_at(store, day)
    rows = sort_assessments(select(assessed, section, kind, status), sort)
    from hnreport.words.labels import view_title

    deliver(app_ctx, fmt, output, lambda fmt, console: render.render_targets(rows, fmt, app_ctx.lang, console),
            title=view_title("targets", app_ctx.lang, plan.name_en if app_ctx.lang == "en" else plan.name_zh), as_of=day,
            force=force)  # fmt: skip


@app.command("show")
def targets_show(ctx: typer.Context, key: KeyArg, as_of: AsOfOpt = None) -> None:
    """Everything about one target.

    Wording, locator, 2021 baseline, status, its figures and the year's chart.

    \b
    Example: hnreport targets show key-project-investment
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.progress import assess
    from hnreport.domain.series import year_series
    from hnreport.render import details

    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    stored = store.items.target(key)
    target = stored.in_force(day)
    history = store.figures.history(target)
    rules = store.config.rules()
    assessment = assess(target, store.figures.latest(day).get(target.key), day, plan, rules)
    terms = store.items.glossary_terms_in(target.phrase + target.name_zh)
    leads, supports = store.tracking.assignment_map()
    details.target_details(
        target, assessment, history, rules.for_target(target), terms, app_ctx.lang, app_ctx.console,
        series=year_series(stored, history, plan, rules),
        lead=leads.get(target.key), support=tuple(supports.get(target.key, ())),
        aliases=store.items.aliases(target.key),
    )  # fmt: skip


@app.command("alias")
def targets_alias(
    ctx: typer.Context,
    key: KeyArg,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name as a statistical table prints it, e.g. 规上工业增加值.")],
) -> None:
    """Add a name statistical tables print for a target.

    So 'import' matches rows of that name.

    \b
    Example: hnreport targets alias industry "规模以上工业企业增加值"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    target = store.items.target(key)
    alias, change_id, others = store.items.add_alias(target, name)
    say(Message("n_alias_added", alias=alias, key=target.key, name=target.name_en if app_ctx.lang == "en" else target.name_zh,
                change=change_id))
    if others:
        say(Message("n_alias_also_feeds", keys=", ".join(others)))



@app.command("add", context_settings=NUMBERS_OK)
def targets_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="A new key: lowercase letters, digits, hyphens.")],
    name_zh: Annotated[str, typer.Option("--name-zh", metavar="NAME", help="Chinese name.")],
    section: Annotated[str, typer.Option(metavar="SECTION", help="main, stability, development, livelihood or conduct (or the title, or its number: 二).")],
    kind: Annotated[str, typer.Option(metavar="KIND", help=words.choices_text(words.KIND))],
    value: Annotated[str, typer.Option(metavar="VALUE", help="The target figure.")],
    comparator: Annotated[str, typer.Option(metavar="COMPARATOR", help="'>=', '>', '<=' or '~'.")] = ">=",
    unit: Annotated[Optional[str], typer.Option(metavar="UNIT", help="Unit as written: 个, 户, 亿元, % …")] = None,
    frequency: Annotated[str, typer.Option(metavar="FREQUENCY", help=words.choices_text(words.FREQUENCY) + ".")] = "quarterly",
    name_en: Annotated[Optional[str], typer.Option("--name-en", metavar="NAME", help="English name.")] = None,
    phrase: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The commitment as worded.")] = None,
    locator: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Where it comes from.")] = None,
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A note.")] = None,
) -> None:
    """Add a numeric target of your own.

    Seed updates never touch it.

    \b
    Example: hnreport targets add parking-spaces --name-zh "新增停车位" --section livelihood --kind cumulative --value 500 --unit 个
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.values import parse_value

    section = plan_section(store, section)
    kind = choose(kind, words.KIND, Message("what_kind"))
    comparator = choose(comparator, words.COMPARATOR, Message("what_comparator"))
    frequency = choose(frequency, words.FREQUENCY, Message("what_frequency"))
    number = parse_value(value, unit)
    store.items.add_target({"key": key, "name_zh": name_zh, "name_en": name_en or name_zh, "section": section,
                      "kind": kind, "comparator": comparator, "value": number, "unit": unit,
                      "frequency": frequency, "phrase": phrase, "locator": locator, "note": note})  # fmt: skip
    say(Message("n_target_added", key=key, name=name_zh, comparator=Word("COMPARATOR", comparator), value=words.figure_text(value, unit, app_ctx.lang)))



@app.command("revise", context_settings=NUMBERS_OK)
def targets_revise(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The revised target value.")],
    effective: Annotated[str, typer.Option("--effective", metavar="PERIOD", help="From when it applies; statuses before keep the old value.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (e.g. the county's mid-year adjustment document).")],
) -> None:
    """Revise a target mid-year.

    Statuses before the effective date use the old value.

    \b
    Example: hnreport targets revise key-project-investment 150 --effective 2022-07-01 --reason "县政府常务会议调整"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.periods import parse_span
    from hnreport.domain.values import parse_value
    from hnreport.render.common import with_unit

    target = store.items.target(key)
    number = parse_value(value, target.unit)
    day = parse_span(effective)[0]  # "from July" means from its first day
    store.items.revise_target(target, number, day, reason)  # type: ignore[arg-type]
    say(Message("n_target_revised", key=target.key, old=target.value, new=with_unit(number, target.unit, None, app_ctx.lang),  # type: ignore[union-attr]
                date=day.isoformat()))

