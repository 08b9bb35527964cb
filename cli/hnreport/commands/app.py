"""The root of the command line: the global options, the error boundary, and ``main``.

Errors a user can fix (``HnreportError``) become one red line on stderr and exit code 1 in
exactly one place, ``_Root.invoke``, in the language of messages (``--lang``, else
``HNREPORT_LANG``, else ``words.DEFAULT_MESSAGE_LANG``: Chinese); usage mistakes exit 2 as click does. Only this module imports
the command groups — and from the shell only the group named on the command line (``build``).
"""

import os
import sqlite3
import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from hnreport import __version__
from hnreport.commands.context import AppContext
from hnreport.errors import HnreportError, Message, MultiLineError
from hnreport.text import one_line


def _usage_errors() -> tuple[type[Exception], ...]:
    """Click's UsageError, as the installed typer has it (its own copy of click, or click)."""
    found = []
    try:
        from typer._click.exceptions import UsageError as vendored

        found.append(vendored)
    except ImportError:
        pass
    # A typer that uses click itself has imported it by now (importing it here would cost every
    # command 12 ms when it is merely installed).
    clicks = sys.modules.get("click.exceptions")
    if clicks is not None:
        found.append(clicks.UsageError)
    return tuple(found)


_USAGE_ERRORS = _usage_errors()


def _say_usage_error(ctx, err) -> None:
    """A usage mistake in the user's language, one line, exit 2; in English click says it as it
    always has (usage line, hint, error). Help asked for by running a group bare stays help."""
    # (a mistake in the global options comes before --lang is taken: read it as given)
    lang = "en" if str(ctx.params.get("lang") or "").strip() == "en" else _message_lang(ctx)
    if lang == "en" or type(err).__name__ == "NoArgsIsHelpError":
        raise err
    from hnreport.commands.usage import said

    command = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
    _fail(one_line(said(err, command).text(lang)), lang, code=2)


class _Root(TyperGroup):
    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, hoist_plan(list(args)))
        except _USAGE_ERRORS as err:
            _say_usage_error(ctx, err)

    def invoke(self, ctx):  # the one place user errors become a message and an exit code
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in click's own handler (exit 1)
            return result
        except _USAGE_ERRORS as err:
            _say_usage_error(ctx, err)
        except BrokenPipeError:
            _quiet_stdout()  # the reader went away (| head): done, like any other command
            raise typer.Exit(0) from None
        except HnreportError as err:
            lang = _message_lang(ctx)
            text = err.text(lang)
            # Several problems (an import's bad rows) are one line each; otherwise one line.
            lines = text.split("\n") if isinstance(err, MultiLineError) else [text]
            _fail("\n".join(one_line(line) for line in lines), lang)
        except sqlite3.Error as err:
            lang = _message_lang(ctx)
            _fail(Message("database_error", reason=str(err)).text(lang), lang)
        except UnicodeEncodeError as err:
            # Text with bytes that were not UTF-8 (a lone surrogate) that no check before caught,
            # on its way into SQLite or out to a UTF-8 stream: one line, not a traceback.
            if err.reason != "surrogates not allowed":
                # A character the console's encoding lacks that reached it outside the console's
                # writer (which escapes it): one line saying how to get it, not a traceback.
                lang = _message_lang(ctx)
                _fail(one_line(Message("output_encoding", encoding=err.encoding, chars=err.object[err.start : err.end]).text(lang)), lang)
            from hnreport.text import shown_bytes

            lang = _message_lang(ctx)
            _fail(Message("text_not_utf8", shown=shown_bytes(err.object[max(0, err.start - 20) : err.end + 20])).text(lang), lang)
        except OSError as err:  # a file a command was told to read or write
            where = f": {err.filename}" if err.filename else ""
            _fail(f"{err.strerror or err}{where}", _message_lang(ctx))
        finally:
            if isinstance(ctx.obj, AppContext):
                ctx.obj.close()


def _quiet_stdout() -> None:
    """Point stdout at nothing, so that flushing at exit after a closed pipe is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _message_lang(ctx) -> str:
    obj = ctx.obj
    if isinstance(obj, AppContext):
        return obj.message_lang
    from hnreport import words

    lang = "en" if os.environ.get("HNREPORT_LANG", "").strip() == "en" else words.DEFAULT_MESSAGE_LANG
    return lang if lang == "en" or _consoles_show_chinese() else "en"


def _consoles_show_chinese() -> bool:
    """Whether stdout and stderr can carry Chinese (not an ASCII or Latin-1 console): a message
    in Chinese there would be a row of escapes, so messages fall back to English."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "错误".encode(getattr(stream, "encoding", None) or "utf-8")
        except (UnicodeEncodeError, LookupError):
            return False
    return True


def _fail(message: str, lang: str, code: int = 1) -> None:
    label = Message("error_label").text(lang)  # "error: " / "错误："
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, soft_wrap=True, highlight=False).print(
            f"[bold red]{escape(label)}[/]{escape(message)}", markup=True, emoji=False
        )
    else:
        sys.stderr.write(f"{label}{message}\n")
    raise typer.Exit(code)


# Groups by name (group → its module); modules whose commands sit at the top level (record,
# report, due …) are added without a name, which typer merges into the root.
GROUPS = {"db": "db", "targets": "targets", "results": "results", "config": "config",
          "milestones": "milestones", "units": "units", "orders": "orders", "plan": "plan"}  # fmt: skip
TOP_LEVEL = {
    "record": "data", "history": "data", "correct": "data", "retract": "data", "import": "data", "export": "data",
    "log": "journal", "undo": "journal", "redo": "journal", "report": "report", "lights": "report",
    "due": "milestones", "glossary": "milestones", "assign": "units", "bulletin": "bulletin", "extract": "extract",
    "ledger": "plan", "search": "publish", "scorecard": "publish", "publish": "publish", "serve": "publish",
}  # fmt: skip
MERGED = ("data", "journal", "report", "milestones", "units", "bulletin", "extract", "plan", "publish")


def build(name: str | None = None) -> typer.Typer:
    """The command line with every group, or (``name``: a group or top-level command) with only
    the module that holds it — a command run from the shell loads its own module alone."""
    import importlib

    root_app = typer.Typer(
        cls=_Root,
        help="Track the targets of 衡南县2022年政府工作报告 against the expected progress to date (序时进度).\n\n"
        "Example: hnreport record gdp 8.7 --as-of 2022年全年 && hnreport report",
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    root_app.callback()(root)
    for group, module in GROUPS.items():
        if name is None or name == group:
            root_app.add_typer(importlib.import_module(f"hnreport.commands.{module}").app, name=group)
    for module in MERGED:
        if name is None or TOP_LEVEL.get(name) == module:
            root_app.add_typer(importlib.import_module(f"hnreport.commands.{module}").commands)
    return root_app


def __getattr__(attr: str):
    # ``app``: the whole command line (tests, completion, help), built on first use.
    if attr == "app":
        built = build()
        globals()["app"] = built
        return built
    raise AttributeError(attr)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hnreport {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str], typer.Option("--db", metavar="FILE", help="Database file (default: your data folder; or set HNREPORT_DB).")
    ] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", metavar="zh|en", envvar="HNREPORT_LANG", show_envvar=True,
                                                help="zh (default) or en for names, labels and messages.")] = None,
    user: Annotated[
        Optional[str], typer.Option("--user", metavar="NAME", help="Who makes the change, for the journal (default: your login).")
    ] = None,
    plan: Annotated[
        Optional[str], typer.Option("--plan", metavar="KEY", envvar="HNREPORT_PLAN", show_envvar=False,
                                    help="The plan (work report) to work on, e.g. hengnan-2022 (default: 'plan use', or the only one; "
                                    "or set HNREPORT_PLAN).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    ascii_marks: Annotated[
        bool, typer.Option("--ascii", help="ASCII borders and marks, for terminals that draw ○ ● ▼ ✓ and box lines two cells wide "
                           "(or: config set display.symbols ascii).")
    ] = False,
) -> None:
    """Track the targets of a county government work report.

    \b
    Example: hnreport record gdp 8.7 --as-of 2022-12-31 && hnreport report
    """
    if lang is not None and lang.strip() not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not one of 'zh', 'en'.", param_hint="--lang")
    from hnreport import words

    given = lang.strip() if lang is not None else None
    if db is not None and not db.strip():
        raise typer.BadParameter(Message("usage_db_empty").text("en"), param_hint="--db")  # in Chinese: commands.usage
    message_lang = given or words.DEFAULT_MESSAGE_LANG
    if message_lang == "zh" and given is None and not _consoles_show_chinese():
        message_lang = "en"  # asked for nothing, on a console that cannot show Chinese
    ctx.obj = AppContext(db_option=db, lang=given or "zh", user=user, message_lang=message_lang, ascii_marks=ascii_marks,
                         plan=plan.strip() if plan and plan.strip() else None)


GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--lang", "--user", "--plan")


# Commands with a --plan of their own (log --plan: only that plan's changes).
OWN_PLAN_OPTION = ("log", "search", "scorecard", "publish")


def hoist_plan(args: list[str]) -> list[str]:
    """``hnreport report --plan KEY`` as ``hnreport --plan KEY report``: the plan is the root's
    option, and a user types it where the others go, after the command."""
    command = _named(args)
    if command is None or command in OWN_PLAN_OPTION:
        return args
    start = args.index(command) + 1
    for i in range(start, len(args)):
        if args[i] == "--":
            break
        if args[i] == "--plan" and i + 1 < len(args):
            return ["--plan", args[i + 1], *args[:i], *args[i + 2:]]
        if args[i].startswith("--plan="):
            return [args[i], *args[:i], *args[i + 1:]]
    return args


def _name(command) -> str:
    return command.name or command.callback.__name__.replace("_", "-")


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
    commands = [c for c in command_app.registered_commands if _name(c) == arg]
    groups = [g for g in command_app.registered_groups if g.name == arg]
    # A module added without a name (its commands merged into this level) has no str name.
    for merged in (g for g in command_app.registered_groups if not isinstance(g.name, str) and g.typer_instance):
        found = [c for c in merged.typer_instance.registered_commands if _name(c) == arg]
        if found:
            merged.typer_instance.registered_commands = found
            groups.append(merged)
    if not (commands or groups):
        return
    command_app.registered_commands = commands
    command_app.registered_groups = groups
    if len(groups) == 1 and isinstance(groups[0].name, str) and groups[0].typer_instance is not None:
        _only(groups[0].typer_instance, list(args))


def _named(argv: list[str]) -> str | None:
    """The group or top-level command ``argv`` names, if it is one (else help, or a mistake)."""
    args = iter(argv)
    for arg in args:
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            return arg if arg in GROUPS or arg in TOP_LEVEL else None
    return None


def main() -> None:
    completing = bool(os.environ.get("_HNREPORT_COMPLETE"))
    command_line = build(None if completing else _named(sys.argv[1:]))
    if not completing:
        _only(command_line, sys.argv[1:])
    try:
        command_line(prog_name="hnreport")
    except BrokenPipeError:  # raised while click flushed its own output
        _quiet_stdout()
