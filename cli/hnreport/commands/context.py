"""What every command shares: the options resolved once in the root callback (database, language,
user), the store and the console made on first use, and the small parsing helpers commands use.

Like httpie's ``Environment``: the console (and its file, the stream every renderer writes to) is
made here, lazily, so ``NO_COLOR``, ``COLUMNS`` and the test runner's streams are honoured.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from hnreport.errors import BadValue, HnreportError, Message

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.model import Plan
    from hnreport.store import Store


class AppContext:
    """What every command shares: options from the root callback, the store and the console,
    each made on first use."""

    def __init__(
        self, db_option: str | None, lang: str, user: str | None = None, message_lang: str | None = None,
        ascii_marks: bool = False, plan: str | None = None,
    ) -> None:
        self.db_option = db_option
        self.plan = plan  # --plan / HNREPORT_PLAN: the plan to work on (else the database's default)
        self.ascii_marks = ascii_marks  # --ascii; else the database's display.symbols, once it is open
        self.lang = lang  # names and labels
        self.message_lang = message_lang or lang  # errors and notices (see words.DEFAULT_MESSAGE_LANG)
        self.user = user
        self._store: Store | None = None
        _running[:] = [self]  # one command per run (tests run many, one after another)
        self._console: Console | None = None

    def store(self) -> Store:
        if self._store is None:
            from hnreport.store import Store, resolve_db_path

            path, is_default = resolve_db_path(self.db_option)
            self._store = Store.open(path, create_parent=is_default, notify=self.notice, plan=self.plan)
            if self.user:
                self._store.user = self.user
            if self._console is not None:
                self._console.file.plan = self._store.plans.key  # type: ignore[attr-defined]
                self._console.file.plan_title = self.plan_title()  # type: ignore[attr-defined]
            if self._store.created:  # first use: say once where the record now lives
                sys.stderr.write(Message("db_created", path=path).text(self.message_lang) + "\n")
        return self._store

    def plan_title(self, plan=None) -> str | None:
        """The plan in use (or ``plan``) as tables and documents name it: the report's title, as
        ``report`` heads its page (None before the database is open, or when it holds no plan)."""
        if plan is None:
            plan = self._store.plans.current if self._store is not None else None
        if plan is None:
            return None
        return plan.name_en if self.lang == "en" else plan.name_zh

    def notice(self, message: Message) -> None:
        """A line a user should see that is no error (e.g. the database is on a network drive),
        on stderr so that it never mixes with the output."""
        from hnreport.text import one_line

        sys.stderr.write(f"{Message('notice_label').text(self.message_lang)}{one_line(message.text(self.message_lang))}\n")

    def db_path(self):
        """The database file in use, without opening it (the output guard protects it)."""
        from hnreport.store.location import resolve_db_path

        return resolve_db_path(self.db_option)[0]

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            from hnreport.outfile import EncodingSafeWriter

            # markup=False: notes and sources are shown as typed, never read as rich markup;
            # safe_console: nor can their control characters drive the terminal.
            # The file is stdout behind a writer that keeps to what its encoding can carry
            # (a GBK console gets ASCII marks and borders, never a traceback).
            writer = EncodingSafeWriter(sys.stdout)
            writer.plan = self._store.plans.key if self._store is not None else None
            writer.plan_title = self.plan_title()
            writer.ascii = self.ascii_marks or (
                self._store is not None and self._store.config.settings().get(("", "display.symbols")) == "ascii"
            )
            from hnreport.words import labels

            labels.ascii_marks = writer.ascii or not writer.unicode  # for this run (tests run many in one process)
            width, height = terminal_size()
            console = Console(file=writer, width=width, height=height, highlight=False, emoji=False, markup=False)
            if not writer.unicode and writer.chinese:  # GBK: what it lacks is escaped before tables are laid out
                from hnreport.render.terminal import EncodingShown

                console.push_render_hook(EncodingShown(writer.encoding))
            if console.is_terminal and console.color_system is not None:
                from hnreport.render.terminal import safe_console

                safe_console(console)  # rich writes its own escape sequences: guard each segment
            else:
                writer.escape = True  # plain text out: one pass over what is written
            self._console = console
            self._console.on_broken_pipe = _closed_pipe  # type: ignore[method-assign]
        return self._console

    def today(self) -> date:
        pinned = os.environ.get("HNREPORT_TODAY")
        if pinned:
            from hnreport.domain.periods import parse_period
            from hnreport.errors import BadPeriod

            try:
                return parse_period(pinned)
            except BadPeriod as err:
                raise BadPeriod("env_today", error=err) from None
        return date.today()

    def default_as_of(self, plan: Plan) -> tuple[date, Message]:
        today = self.today()
        if today > plan.end:
            return plan.end, Message("why_plan_over", year=plan.year)
        if today < plan.start:
            return plan.start, Message("why_plan_not_begun", year=plan.year)
        return today, Message("why_today")

    def figure_period(self, plan: Plan, frequency: str) -> tuple[date, Message]:
        """The period a figure recorded today is for by default: the last completed period of
        the target's frequency (a bulletin published mid-July reports June or Q2), within the
        plan year — and why."""
        from hnreport.domain.periods import last_completed_period
        from hnreport.errors import BadPeriod

        today = self.today()
        if today > plan.end:
            return plan.end, Message("why_year_over", year=plan.year)
        day = last_completed_period(today, frequency)
        noun = {"monthly": Message("freq_monthly"), "quarterly": Message("freq_quarterly")}.get(
            frequency, Message("freq_annual"))
        if day < plan.start:
            raise BadPeriod("no_period_ended_yet", year=plan.year, frequency=noun)
        return day, Message("why_last_completed", frequency=noun)

    def as_of(self, text: str | None, plan: Plan) -> date:
        """The day ``--as-of`` names, or the default day for the plan."""
        return parse_as_of(text) or self.default_as_of(plan)[0]


def say(message: Message, *, err: bool = False) -> None:
    """A line for the user (a confirmation, a note): a catalogue message, shown in the language of
    messages (``--lang``, ``HNREPORT_LANG``, else Chinese) through ``text.one_line`` — it quotes
    names, units, summaries and paths a user gave, which must not drive the terminal. What the
    console's encoding cannot carry (a GBK console) is shown as an escape, as on stderr — it is a
    message, not data. Never text: a notice written in place would be in one language only."""
    from hnreport.text import one_line

    if not isinstance(message, Message):
        raise TypeError(f"say() takes a catalogue Message, not {type(message).__name__}")
    line = one_line(message.text(message_lang()))
    encoding = getattr(sys.stderr if err else sys.stdout, "encoding", None) or "utf-8"
    try:
        line.encode(encoding)
    except UnicodeEncodeError:
        line = line.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    typer.echo(line, err=err)


_running: list[AppContext] = []  # the command running (the root callback makes its AppContext)


def message_lang() -> str:
    """The language of messages of the command running, else HNREPORT_LANG or the default."""
    if _running:
        return _running[-1].message_lang
    from hnreport import words

    return "en" if os.environ.get("HNREPORT_LANG", "").strip() == "en" else words.DEFAULT_MESSAGE_LANG


def _closed_pipe() -> None:
    # rich would exit 1; the error boundary ends a command whose reader went away with 0.
    raise BrokenPipeError


def terminal_size() -> tuple[int, int]:
    """The width to draw tables at: COLUMNS when it is a sensible number, else the terminal's
    (stdout's, or when piped the one the user looks at through stderr), else 180 for a file;
    and the height, as rich would measure it (LINES, the terminal's, else 25). Both are given to
    the console: it would otherwise measure them again, with three system calls, at every print."""
    width = height = None
    for stream in (sys.stdout, sys.stderr):
        try:
            width, height = os.get_terminal_size(stream.fileno())
        except (OSError, ValueError, AttributeError):
            continue
        if width >= 20:
            break
        width = None
    columns, lines = os.environ.get("COLUMNS", ""), os.environ.get("LINES", "")
    if columns.isdecimal() and 20 <= int(columns) <= 1000:
        width = int(columns)
    if lines.isdecimal() and int(lines) > 0:
        height = int(lines)
    return width or 180, height or 25


def assessed_at(store: Store, day: date, rules=None) -> list:
    """Every target as it stands at ``day`` — the revision in force, its latest figure, its
    status: the one composition of store and domain that every view of targets starts from.
    ``rules``: the light rules when the caller has read them already."""
    from hnreport.domain.progress import assess_all

    rules = store.config.rules() if rules is None else rules
    return assess_all(store.items.targets(), store.figures.latest(day), day, store.items.plan(), rules)


def implausibility(store: Store, target, value: float, day: date, shown: str | None = None):
    """Why ``value`` cannot be right for ``target`` for the period ending ``day`` (a Message), or
    None: the plausibility rule (domain.plausibility) with the references the store holds."""
    from hnreport.domain.plausibility import amount_references, implausible

    expected, last = amount_references(target.in_force(day), day, store.items.plan(), store.config.rules())
    reason = implausible(target.in_force(day), value, expected, last, shown)
    if reason is None and target.kind == "cumulative":
        from hnreport.domain.plausibility import out_of_order
        from hnreport.domain.values import format_number

        before, after = store.figures.beside(target.key, day)
        reason = out_of_order(target, value, before, after, shown if shown is not None else format_number(value))
    return reason


def check_output_format(fmt: str, output: Path | None) -> str:
    """Refuse, before any work, a format hnreport cannot write (an unknown one, .xlsx on stdout,
    one that contradicts ``-o``'s extension); the format the view is written in."""
    from hnreport.render.files import output_format
    from hnreport.render.formats import FORMATS

    check_choice(fmt, FORMATS, Message("what_format"))
    return output_format(output, fmt)


def deliver(
    app_ctx: AppContext, fmt: str, output: Path | None, draw, *, title: str, as_of=None, force: bool = False,
    data: bool = False, about_plan: Any = True,
) -> None:  # fmt: skip
    """A view in the format asked for, on stdout or (``-o``) in a file — the one rule of every
    listing: ``draw(fmt, console)`` is the view; ``title`` and ``as_of`` head its documents.
    Tables and documents name the plan they are about in their titles: ``about_plan`` True, the
    plan in use; a plan (``PlanRow``), that one; False, none (a view of the whole database, or one
    that heads itself with the plan, as the report does)."""
    from hnreport.render import files

    fmt = check_output_format(fmt, output)
    plan_title = app_ctx.plan_title(None if about_plan is True else about_plan) if about_plan is not False else None
    if output is None:
        with app_ctx.console as console:  # one write at the end, not one per printed part
            files.show(console, fmt, draw, title=title, as_of=as_of, lang=app_ctx.lang, data=data, plan_title=plan_title)
        return
    files.write_report(output, draw, database=app_ctx.db_path(), force=force, asked=fmt, title=title, as_of=as_of,
                       lang=app_ctx.lang, data=data, plan=app_ctx._store.plans.key if app_ctx._store else None,
                       plan_title=plan_title)  # fmt: skip
    say(Message("n_wrote", path=output), err=True)


def interactive() -> bool:
    """Can a person answer a question here (stdin and stderr are a terminal)?"""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def app_context(ctx: typer.Context) -> AppContext:
    """The shared context; on first use in a command, its text arguments are checked."""
    if not ctx.meta.get("hnreport.arguments_checked"):
        ctx.meta["hnreport.arguments_checked"] = True
        check_arguments(ctx)
    return ctx.obj


# Options that name a file (besides those typed as a Path): a file name may hold bytes that are
# not UTF-8 (made on another system) and still be opened; what hnreport records of it is
# escaped (commands.data.path_text).
FILE_OPTIONS = ("db",)


def check_arguments(ctx: typer.Context) -> None:
    """Refuse, naming the option, text that cannot be stored: bytes that were not UTF-8 (a
    terminal in another encoding: ``--note $'\\xff'`` arrives as a lone surrogate, which SQLite
    refuses with a traceback) and text longer than any field may be. One boundary for every
    command, so record, import, milestones set and the rest all say it the same way."""
    from hnreport.text import MAX_TEXT_CHARS, shown_bytes, storable

    while ctx is not None:
        for param in ctx.command.params:
            value = ctx.params.get(param.name)  # type: ignore[arg-type]
            for text in value if isinstance(value, (list, tuple)) else (value,):
                if not isinstance(text, str) or param.name in FILE_OPTIONS or type(param.type).__name__.endswith("Path"):
                    continue
                if not storable(text):
                    raise BadValue("argument_not_text", option=_option_name(param), shown=shown_bytes(text))
                if len(text) > MAX_TEXT_CHARS:
                    raise BadValue("argument_too_long", option=_option_name(param), length=len(text), limit=MAX_TEXT_CHARS)
        ctx = ctx.parent  # type: ignore[assignment]


def _option_name(param) -> str:
    """--note, --next …; an argument by its name as --help shows it (KEY, VALUE)."""
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return (param.name or "").upper()


def parse_as_of(text: str | None) -> date | None:
    if text is None:
        return None
    from hnreport.domain.periods import parse_period

    return parse_period(text)


def moment_utc(text: str, *, day_start: bool = False) -> str:
    """A moment a user names — a day (its end, or with ``day_start`` its start, in the user's
    local time) or a full timestamp — as UTC ISO text, the form the journal records."""
    from datetime import datetime, time, timezone

    text = text.strip()
    try:
        if len(text) <= 10:
            raise ValueError
        moment = datetime.fromisoformat(text)
    except ValueError:
        from hnreport.domain.periods import parse_period, parse_span

        if day_start:  # "known from July" means from its first day
            moment = datetime.combine(parse_span(text)[0], time(0, 0))
        else:
            moment = datetime.combine(parse_period(text), time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the user's local day
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def known_from_utc(text: str | None) -> str | None:
    """``--known-from``: since when a back-filled figure was known (a day means from its start,
    local time), as UTC ISO text; never later than now, when it is recorded."""
    if text is None:
        return None
    from hnreport.store.sql import now_utc

    moment = moment_utc(text, day_start=True)
    if moment > now_utc():
        raise HnreportError("known_from_future", known_from=text)
    return moment


def apply_known_at(store: Store, text: str | None) -> None:
    """Switch the store to what had been recorded by the moment ``text`` names."""
    if text is not None:
        store.view_known_at(moment_utc(text))


def check_choice(value: str | None, choices, what: Message) -> None:
    """Refuse a value not among ``choices``; ``what`` (e.g. ``Message("what_format")``) says of what."""
    if value is not None and value not in choices:
        raise HnreportError("unknown_choice", what=what, value=value, choices=", ".join(choices))


def choose(value: str | None, table: dict, what: Message) -> str | None:
    """``value`` as the code it names: the code itself, or the Chinese or English label the tool
    shows for it (``滞后`` → ``behind``, ``推进中`` → ``in_progress``); refused with the choices
    listed both ways."""
    from hnreport import words

    if value is None:
        return None
    code = words.names_for(table).get(words.fold(value))
    if code is None:
        raise HnreportError("unknown_choice", what=what, value=value, choices=words.choices_text(table))
    return code


def choose_section(value: str | None, sections) -> str | None:
    """A section named as the tool shows it: its code (``development``), its title as printed
    (``(二)千方百计谋发展`` or without the number, ``千方百计谋发展``), its number (``二``, ``(二)``)
    or its English title."""
    import re

    from hnreport import words

    if value is None:
        return None
    names: dict[str, str] = {}
    for s in sections:
        title = s.name_zh.replace("[", "").replace("]", "")  # a repaired number, [(三)], is its number
        number = re.match(r"[(（]([一二三四五六七八九十]+)[)）]", title)
        bare = title[number.end():] if number else title
        english = re.sub(r"^\(\d+\)\s*", "", s.name_en)  # "(2) Every effort for development"
        for name in (s.code, s.name_zh, title, bare, s.name_en, english, *((number.group(1), number.group(0)) if number else ())):
            names.setdefault(words.fold(name), s.code)
    code = names.get(words.fold(value))
    if code is None:
        choices = ", ".join(f"{s.code} ({s.name_zh})" for s in sections)
        raise HnreportError("unknown_choice", what=Message("what_section"), value=value, choices=choices)
    return code


def plan_section(store: Store, value: str | None) -> str | None:
    """``choose_section`` among the sections of the plan part (二)."""
    from hnreport.domain.model import plan_sections

    return choose_section(value, plan_sections(store.items.sections()))


def complete_key(incomplete: str) -> list[str]:
    try:
        from hnreport.store import Store, resolve_db_path

        path, is_default = resolve_db_path(os.environ.get("HNREPORT_DB"))
        store = Store.open(path, create_parent=is_default)
        try:
            return [k for k in store.items.target_keys() if k.startswith(incomplete.lower())]
        finally:
            store.close()
    except Exception:  # completion must never break the shell
        return []


FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT",
                 help="table, json, csv (Excel-safe: formula-like text gets a leading '), markdown or html; xlsx with -o."),
]  # fmt: skip
OutputOpt = Annotated[
    Optional[Path],
    typer.Option("-o", "--output", metavar="FILE",
                 help="Write to a file; its extension picks the format: .md .html .xlsx .csv .json .svg."),
]  # fmt: skip
AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="PERIOD", help="A date or period: 2022-06-30, 2022-06, 2022Q2, 2022H1, 2022年1-6月 …"),
]
KnownAtOpt = Annotated[
    Optional[str],
    typer.Option("--known-at", metavar="MOMENT", help="Show only what had been recorded by this day (or moment), e.g. 2022-07-20."),
]
KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="Target key (gdp) or exact Chinese name.", autocompletion=complete_key)]
MilestoneKeyArg = Annotated[str, typer.Argument(metavar="KEY", help="Milestone key (tugutang-bridge) or exact Chinese name.")]
KnownFromOpt = Annotated[
    Optional[str],
    typer.Option("--known-from", metavar="DAY", help="Back-filling: the day the figure was already known (2022-07-01); --known-at counts it from then."),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Override a refusal, or replace an existing file.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Answer yes to the confirmation (for scripts).")]

# Negative figures (-3.2) must reach hnreport's own value parser, not be taken for options.
NUMBERS_OK = {"ignore_unknown_options": True}
