"""The command line: parse, call the store and the domain, hand the result to a renderer.

Errors a user can fix (``HnreportError``) become one red line on stderr and exit code 1 in
exactly one place, ``_Root.invoke``; usage mistakes exit 2 as click does.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperGroup

from hnreport import __version__
from hnreport.errors import BadPeriod, HnreportError, MultiLineError, one_line
from hnreport.model import KINDS, STATUSES

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.model import Plan
    from hnreport.progress import Assessment
    from hnreport.store import Store


class _Root(TyperGroup):
    def invoke(self, ctx):  # the one place user errors become a message and an exit code
        try:
            return super().invoke(ctx)
        except HnreportError as err:
            # Several problems (an import's bad rows) are one line each; otherwise one line.
            lines = str(err).split("\n") if isinstance(err, MultiLineError) else [str(err)]
            _fail("\n".join(one_line(line) for line in lines))
        except sqlite3.Error as err:
            _fail(f"database error: {err}")
        except OSError as err:  # a file a command was told to read or write
            where = f": {err.filename}" if err.filename else ""
            _fail(f"{err.strerror or err}{where}")
        finally:
            obj = ctx.obj
            if isinstance(obj, AppContext) and obj._store is not None:
                obj._store.close()


def _fail(message: str) -> None:
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, soft_wrap=True, highlight=False).print(
            f"[bold red]error:[/] {escape(message)}", markup=True, emoji=False
        )
    else:
        sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(1)


class AppContext:
    """What every command shares: options from the root callback, the store and the console,
    each made on first use."""

    def __init__(self, db_option: str | None, lang: str, user: str | None = None) -> None:
        self.db_option = db_option
        self.lang = lang
        self.user = user
        self._store: Store | None = None
        self._console: Console | None = None

    def store(self) -> Store:
        if self._store is None:
            from hnreport.store import Store, resolve_db_path

            path, is_default = resolve_db_path(self.db_option)
            self._store = Store.open(path, create_parent=is_default)
            if self.user:
                self._store.user = self.user
        return self._store

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            width = None
            if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
                # Piped: fit the terminal the user is looking at (| head, | less); with no
                # terminal at all (a script writing a file) print the full table.
                try:
                    width = os.get_terminal_size(sys.stderr.fileno()).columns
                except (OSError, ValueError, AttributeError):
                    width = 180
            # markup=False: notes and sources are shown as typed, never read as rich markup
            self._console = Console(width=width, highlight=False, emoji=False, markup=False)
        return self._console

    def today(self) -> date:
        pinned = os.environ.get("HNREPORT_TODAY")
        if pinned:
            from hnreport.periods import parse_period

            return parse_period(pinned)
        return date.today()

    def default_as_of(self, plan: Plan) -> tuple[date, str]:
        today = self.today()
        if today > plan.end:
            return plan.end, f"the plan year {plan.year} is over, so as of its last day"
        if today < plan.start:
            return plan.start, f"the plan year {plan.year} has not begun, so as of its first day"
        return today, "as of today"


def _ctx(ctx: typer.Context) -> AppContext:
    return ctx.obj


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    from hnreport.periods import parse_period

    return parse_period(text)


def _known_at(store: Store, text: str | None) -> None:
    """Switch the store to what had been recorded by the end of the day ``text`` names."""
    if text is None:
        return
    from datetime import datetime, time, timezone

    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
        if len(text) <= 10:
            raise ValueError
    except ValueError:
        from hnreport.periods import parse_period

        moment = datetime.combine(parse_period(text), time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the user's local day
    store.view_known_at(moment.astimezone(timezone.utc).replace(microsecond=0).isoformat())


def _complete_key(incomplete: str) -> list[str]:
    try:
        from hnreport.store import Store, resolve_db_path

        path, is_default = resolve_db_path(os.environ.get("HNREPORT_DB"))
        store = Store.open(path, create_parent=is_default)
        try:
            return [k for k in store.target_keys() if k.startswith(incomplete.lower())]
        finally:
            store.close()
    except Exception:  # completion must never break the shell
        return []


def _check_choice(value: str | None, choices, what: str) -> None:
    if value is not None and value not in choices:
        raise HnreportError(f"unknown {what} '{value}'; choose one of: {', '.join(choices)}")


app = typer.Typer(
    cls=_Root,
    help="Track the targets of 衡南县2022年政府工作报告 against the expected progress to date (序时进度).\n\n"
    "Example: hnreport record gdp 8.7 --as-of 2022年全年 && hnreport report",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Where the database is, and setting it up.\n\nExample: hnreport db path", no_args_is_help=True)
targets_app = typer.Typer(help="The 2022 targets.\n\nExample: hnreport targets list --section main", no_args_is_help=True)
results_app = typer.Typer(help="The 2021 results the report states.\n\nExample: hnreport results list", no_args_is_help=True)
config_app = typer.Typer(
    help="Light rules and pace settings, kept in the database.\n\nExample: hnreport config set light.preset points",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
app.add_typer(targets_app, name="targets")
app.add_typer(results_app, name="results")
app.add_typer(config_app, name="config")

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or markdown.")]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", help="A date or period: 2022-06-30, 2022-06, 2022Q2, 2022H1, 2022年1-6月 …"),
]
KnownAtOpt = Annotated[
    Optional[str],
    typer.Option("--known-at", help="Show only what had been recorded by this day (or moment), e.g. 2022-07-20."),
]
KeyArg = Annotated[str, typer.Argument(help="Target key (gdp) or exact Chinese name.", autocompletion=_complete_key)]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hnreport {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str], typer.Option("--db", help="Database file (default: your data folder; or set HNREPORT_DB).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh (default) or en for names and labels.")] = "zh",
    user: Annotated[
        Optional[str], typer.Option("--user", help="Who makes the change, for the journal (default: your login).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Track the targets of a county government work report.

    \b
    Example: hnreport record gdp 8.7 --as-of 2022-12-31 && hnreport report
    """
    if lang not in ("zh", "en"):
        raise typer.BadParameter("choose zh or en", param_hint="--lang")
    ctx.obj = AppContext(db_option=db, lang=lang, user=user)


# ── db ───────────────────────────────────────────────────────────────────────────────────
@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the database file in use.

    \b
    Example: hnreport db path
    """
    from hnreport.store import resolve_db_path

    typer.echo(str(resolve_db_path(_ctx(ctx).db_option)[0]))


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Create, migrate and seed the database (safe to run again: it changes nothing then).

    \b
    Example: hnreport --db county.db db init
    """
    store = _ctx(ctx).store()
    typer.echo(
        f"database ready: {store.path} (schema {store.schema_version}, {len(store.targets())} targets, "
        f"{len(store.results())} results of 2021, {store.observation_count()} observations)"
    )


# ── targets ──────────────────────────────────────────────────────────────────────────────
STATUS_ORDER = {s: i for i, s in enumerate(("missed", "far_behind", "behind", "no_data", "on_pace", "achieved"))}
SORTS = ("section", "shortfall", "status")


def _assess_all(store: Store, as_of: date) -> list[Assessment]:
    from hnreport.progress import assess

    plan, rules = store.plan(), store.rules()
    latest = store.latest(as_of)
    return [assess(t.in_force(as_of), latest.get(t.key), as_of, plan, rules) for t in store.targets()]


def _sorted(assessments: list[Assessment], sort: str) -> list[Assessment]:
    if sort == "shortfall":
        return sorted(
            assessments, key=lambda a: (a.shortfall is None, -(a.shortfall if a.shortfall is not None else 0))
        )
    if sort == "status":
        return sorted(assessments, key=lambda a: STATUS_ORDER[a.status])
    return assessments


def _filter(assessments, section=None, kind=None, status=None):
    return [
        a
        for a in assessments
        if (section is None or a.target.section == section)
        and (kind is None or a.target.kind == kind)
        and (status is None or a.status == status)
    ]


@targets_app.command("list")
def targets_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(help="Only this section: main, stability, development, livelihood.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Only this kind: " + ", ".join(KINDS) + ".")] = None,
    status: Annotated[Optional[str], typer.Option(help="Only this status: " + ", ".join(STATUSES) + ".")] = None,
    as_of: AsOfOpt = None,
    sort: Annotated[str, typer.Option(help="section (report order), shortfall or status.")] = "section",
    known_at: KnownAtOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """List every 2022 target with its 2021 baseline, latest figure and status.

    \b
    Example: hnreport targets list --section main --format json
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    _known_at(store, known_at)
    from hnreport import render

    _check_choice(fmt, render.FORMATS, "format")
    _check_choice(kind, KINDS, "kind")
    _check_choice(status, STATUSES, "status")
    _check_choice(sort, SORTS, "sort")
    if section is not None:
        _check_choice(section, [s.code for s in store.sections() if s.part == "二"], "section")
    day = _as_of(as_of) or app_ctx.default_as_of(store.plan())[0]
    rows = _sorted(_filter(_assess_all(store, day), section, kind, status), sort)
    render.render_targets(rows, fmt, app_ctx.lang, app_ctx.console)


@targets_app.command("show")
def targets_show(ctx: typer.Context, key: KeyArg, as_of: AsOfOpt = None) -> None:
    """Everything about one target: wording, locator, 2021 baseline, status and its figures.

    \b
    Example: hnreport targets show key-project-investment
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import show
    from hnreport.progress import assess

    plan = store.plan()
    day = _as_of(as_of) or app_ctx.default_as_of(plan)[0]
    target = store.target(key).in_force(day)
    history = store.history(target)
    assessment = assess(target, store.latest(day).get(target.key), day, plan, store.rules())
    terms = store.glossary_terms_in(target.phrase + target.name_zh)
    show.target_details(target, assessment, history, store.rules().for_target(target), terms, app_ctx.lang, app_ctx.console)


# ── results ──────────────────────────────────────────────────────────────────────────────
@results_app.command("list")
def results_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(help="Only this section of part 一, e.g. review-industry.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the 2021 results stated in part 一 of the report.

    \b
    Example: hnreport results list --format csv > results-2021.csv
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render

    _check_choice(fmt, render.FORMATS, "format")
    sections = {s.code: s for s in store.sections()}
    if section is not None:
        _check_choice(section, [c for c, s in sections.items() if s.part == "一"], "section")
    render.render_results(store.results(section), sections, fmt, app_ctx.lang, app_ctx.console)


# ── record and history ───────────────────────────────────────────────────────────────────
# Negative figures (-3.2) must reach hnreport's own value parser, not be taken for options.
NUMBERS_OK = {"ignore_unknown_options": True}


@app.command(context_settings=NUMBERS_OK)
def record(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(help="The figure in the target's unit: 8.7, 70, 70亿元.")],
    as_of: AsOfOpt = None,
    note: Annotated[Optional[str], typer.Option(help="A note kept with the figure.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where the figure comes from (bulletin, 文号, link).")] = None,
    vintage: Annotated[str, typer.Option(help="preliminary (初步, default) or final (最终核实).")] = "preliminary",
) -> None:
    """Record a figure for a target (appends; a second figure for the same period is a revision).

    \b
    Example: hnreport record gdp 8.7 --as-of 2022年全年 --source "统计月报2022-12"
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport.model import NONNEGATIVE_KINDS
    from hnreport.render import with_unit
    from hnreport.values import parse_value

    target = store.target(key)
    number = parse_value(value, target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
    if as_of is None:
        day, why = app_ctx.default_as_of(store.plan())
    else:
        day, why = _as_of(as_of), "as given"
    _check_choice(vintage, ("preliminary", "final"), "vintage")
    obs = store.record(target, number, day, note=note, source=source, vintage=vintage)  # type: ignore[arg-type]
    typer.echo(
        f"{'revised' if obs.supersedes else 'recorded'} {target.key} ({target.name_zh}) = {with_unit(obs.value, target.unit)} "
        f"for the period ending {obs.as_of.isoformat()} ({why}, {vintage}); observation {obs.id}"
    )


@app.command()
def history(
    ctx: typer.Context, key: KeyArg, as_of: AsOfOpt = None, known_at: KnownAtOpt = None, fmt: FormatOpt = "table"
) -> None:
    """Every figure recorded for a target, newest period first: vintage, state, note and source.

    \b
    Example: hnreport history key-project-investment --format json
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    _known_at(store, known_at)
    from hnreport import render

    _check_choice(fmt, render.FORMATS, "format")
    target = store.target(key)
    render.render_history(target, store.history(target, _as_of(as_of)), fmt, app_ctx.lang, app_ctx.console)


# ── report and lights ────────────────────────────────────────────────────────────────────
@app.command()
def report(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    sort: Annotated[str, typer.Option(help="section (grouped, default), shortfall or status (one table).")] = "section",
    section: Annotated[Optional[str], typer.Option(help="Only this section.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="unit: group targets and milestones by lead unit.")] = None,
    known_at: KnownAtOpt = None,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Write to a file; .md .html .svg .csv .json pick the format.")
    ] = None,
) -> None:
    """The progress report: status counts, each section's targets against 序时进度, then milestones.

    \b
    Example: hnreport report --as-of 2022年上半年
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    _known_at(store, known_at)
    from hnreport import render, render_tracking
    from hnreport.progress import summarize

    _check_choice(fmt, render.FORMATS, "format")
    _check_choice(sort, SORTS, "sort")
    _check_choice(by, ("unit",), "grouping for --by")
    sections = [s for s in store.sections() if s.part == "二"]
    if section is not None:
        _check_choice(section, [s.code for s in sections], "section")
    plan = store.plan()
    day = _as_of(as_of) or app_ctx.default_as_of(plan)[0]
    rows = _sorted(_filter(_assess_all(store, day), section), sort)
    states = [s for s in store.milestone_states(day) if section is None or s.milestone.section == section]

    def draw(fmt: str, console) -> None:
        if by == "unit":
            leads, _supports = store.assignment_map()
            render_tracking.render_by_unit(plan, day, rows, states, leads, fmt, app_ctx.lang, console)
        else:
            rules = store.rules()
            described = rules.describe() if fmt == "json" else render.rule_text(rules, app_ctx.lang)
            render.render_report(
                plan, day, described, sections, rows, summarize(rows), fmt, app_ctx.lang,
                console, grouped=sort == "section", milestones=states,
            )  # fmt: skip

    if output is None:
        draw(fmt, app_ctx.console)
        return
    from hnreport import export_files

    export_files.write_report(output, draw)
    typer.echo(f"wrote {output}", err=True)


@app.command()
def lights(
    ctx: typer.Context,
    start: Annotated[Optional[str], typer.Option("--from", help="First month (default: January of the plan year).")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last month (default: December of the plan year).")] = None,
    section: Annotated[Optional[str], typer.Option(help="Only this section.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Month-by-month lights (亮灯): each target's status at every month end, as the report showed it.

    \b
    Example: hnreport lights --from 2022-01 --to 2022-06 --section main
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import show
    from hnreport.periods import month_end, month_ends

    _check_choice(fmt, ("table", "json", "csv", "markdown"), "format")
    plan = store.plan()
    from hnreport.periods import parse_span

    first = parse_span(start)[0] if start else plan.start
    last = _as_of(end) or plan.end
    if last < first:
        raise BadPeriod(f"--to ({last.isoformat()}) is before --from ({first.isoformat()})")
    months = month_ends(month_end(first.year, first.month), last)
    if len(months) > 120:
        raise BadPeriod("at most 120 months at once; narrow --from/--to")
    if section is not None:
        _check_choice(section, [s.code for s in store.sections() if s.part == "二"], "section")
    grid = {m: _filter(_assess_all(store, m), section) for m in months}
    show.lights(months, grid, fmt, app_ctx.lang, app_ctx.console)


# ── config ───────────────────────────────────────────────────────────────────────────────
@config_app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Show the light rules, their presets and any per-target settings.

    \b
    Example: hnreport config show --format json
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import show

    _check_choice(fmt, ("table", "json"), "format")
    show.config(store.settings(), store.presets(), store.rules(), fmt, app_ctx.console)


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="light.preset, light.<preset>.amount|rate, pace.basis, …")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    target: Annotated[Optional[str], typer.Option("--target", help="Set it for one target only.")] = None,
) -> None:
    """Change a light rule or pace setting (see README for every key).

    \b
    Example: hnreport config set light.preset points
    """
    store = _ctx(ctx).store()
    t = store.target(target) if target else None
    stored = store.set_config(key, value, t)
    typer.echo(f"{key} = {stored}" + (f" for {t.key}" if t else ""))


# The qualitative side, and the journal/import/export commands, register on the same app.
from hnreport import cli_data, cli_maint, cli_tracking  # noqa: E402,F401


GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--lang", "--user")


def _only(command_app: typer.Typer, argv: list[str]) -> None:
    """Keep only the command (or group, and within it the sub-command) ``argv`` names, so
    typer builds that one alone.

    Typer turns every registered command into a click command before running any of them;
    with thirty commands that is a noticeable share of a command-line tool's start-up. Help,
    completion and unknown names keep the whole tree.
    """
    args = iter(argv)
    for arg in args:
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            break
    else:
        return
    commands = [c for c in command_app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == arg]
    groups = [g for g in command_app.registered_groups if g.name == arg]
    if not (commands or groups):
        return
    command_app.registered_commands = commands
    command_app.registered_groups = groups
    if groups and groups[0].typer_instance is not None:
        _only(groups[0].typer_instance, list(args))


def main() -> None:
    if not os.environ.get("_HNREPORT_COMPLETE"):
        _only(app, sys.argv[1:])
    app(prog_name="hnreport")
