"""Figures in and out: record, history, correct, retract, import and export."""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from hnreport.commands.context import (
    NUMBERS_OK,
    AsOfOpt,
    DryRunOpt,
    ForceOpt,
    YesOpt,
    FormatOpt,
    KeyArg,
    KnownAtOpt,
    KnownFromOpt,
    OutputOpt,
    app_context,
    check_output_format,
    deliver,
    apply_known_at,
    check_choice,
    choose,
    interactive,
    known_from_utc,
    message_lang,
    parse_as_of,
    say,
)
from hnreport.errors import BadPeriod, BadValue, HnreportError, Message, Word
from hnreport.outfile import write_exact

commands = typer.Typer()


@commands.command(context_settings=NUMBERS_OK)
def record(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The figure, in the target's unit or one that converts to it: 8.7, 70, 70亿元, 680000万元.")],
    as_of: AsOfOpt = None,
    note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A note kept with the figure.")] = None,
    source: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Where the figure comes from (bulletin, 文号, link).")] = None,
    vintage: Annotated[str, typer.Option(metavar="VINTAGE", help="preliminary (初步, default) or final (最终核实).")] = "preliminary",
    known_from: KnownFromOpt = None,
    yes: YesOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Record a figure for a period that has not ended yet (it is flagged).")] = False,
) -> None:
    """Record a figure for a target.

    Appends; a second figure for the same period is a revision.

    A figure in another amount unit is converted (680000万元 → 68亿元). A period that has not ended
    needs --force; an implausible figure (a growth rate beyond ±50 points, an amount 5× off what
    is expected) is confirmed on a terminal, or with --yes. Either is flagged in the history.

    \b
    Example: hnreport record gdp 8.7 --as-of 2022年全年 --source "统计月报2022-12"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport import words
    from hnreport.domain.model import NONNEGATIVE_KINDS
    from hnreport.domain.plausibility import flag_text
    from hnreport.domain.values import read_figure
    from hnreport.render.common import name_of, with_unit

    target = store.items.target(key)
    figure = read_figure(value, target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
    if as_of is None:
        day, why = app_ctx.figure_period(store.items.plan(), target.frequency)
    else:
        day, why = parse_as_of(as_of), Message("why_given")
    vintage = choose(vintage, words.VINTAGE, Message("what_vintage"))
    known = known_from_utc(known_from)
    store.figures.check_observation(target, figure.value, day)
    flags = _let_in(app_ctx, store, target, figure, day, yes=yes, force=force)
    obs = store.figures.record(target, figure.value, day, note=note, source=source, vintage=vintage, known_from=known,  # type: ignore[arg-type]
                               decimals=figure.decimals, flag=flag_text(flags))  # fmt: skip
    say(Message("n_revised" if obs.supersedes else "n_recorded", key=target.key, name=name_of(target, app_ctx.lang),
                value=with_unit(obs.value, target.unit, obs.decimals, app_ctx.lang), date=obs.as_of.isoformat(), why=why,
                vintage=Word("VINTAGE", vintage), id=obs.id))  # fmt: skip
    _said_as_read(value, figure, target, app_ctx.lang)
    if obs.state != "current":
        say(Message("n_final_stands"))
    if known:
        say(Message("n_known_from", moment=known_from.strip()))  # type: ignore[union-attr]
    _said_flagged(obs.flag, target.key)


def _let_in(app_ctx, store, target, figure, day, *, yes: bool, force: bool, carried: tuple[str, ...] = ()) -> list[str]:
    """The flags a figure is let in with, or the refusal: a period not ended yet needs --force
    (flag ``future``); an implausible magnitude a confirmation — asked on a terminal, --yes
    otherwise (flag ``implausible``). ``carried``: flags the figure keeps (a correction's)."""
    from hnreport.commands.context import implausibility
    from hnreport.domain.plausibility import not_ended
    from hnreport.domain.values import format_number

    flags = list(carried)
    today = app_ctx.today()
    if not_ended(day, today) and "future" not in flags:
        if not force:
            raise BadPeriod("period_not_ended", as_of=day.isoformat(), today=today.isoformat())
        flags.append("future")
    reason = implausibility(store, target, figure.value, day, format_number(figure.value, figure.decimals))
    if reason is not None:
        if not yes:
            if not interactive():
                raise BadValue("implausible_needs_yes", key=target.key, reason=reason)
            if not typer.confirm(Message("implausible_confirm", key=target.key, reason=reason).text(app_ctx.message_lang), err=True):
                raise HnreportError("implausible_declined")
        flags.append("implausible")
    return flags


def _said_as_read(value: str, figure, target, lang: str) -> None:
    """Says how a figure written with a unit was read: converted (680000万元 → 68亿元) or taken
    as the target's unit (68亿 is 68亿元); the figure in the language of names and units."""
    from hnreport.render.common import with_unit

    if figure.unit is None:
        return
    shown = with_unit(figure.value, target.unit, figure.decimals, lang)
    if figure.converted:
        say(Message("n_converted", given=figure.written + figure.unit, shown=shown))
    else:
        say(Message("n_read_as", given=value.strip(), shown=shown))


def _said_flagged(flag: str | None, key: str) -> None:
    if flag:
        say(Message("n_flagged", flags=[Word("FLAG", code) for code in flag.split(",") if code], key=key))


@commands.command()
def history(
    ctx: typer.Context, key: KeyArg, as_of: AsOfOpt = None, known_at: KnownAtOpt = None, fmt: FormatOpt = "table",
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Every figure recorded for a target.

    Newest period first: vintage, state, note and source. As .xlsx a figures sheet, which
    'hnreport import' reads back.

    \b
    Example: hnreport history key-project-investment --format json
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    apply_known_at(store, known_at)
    from hnreport.render import targets as render

    check_output_format(fmt, output)
    target = store.items.target(key)
    day = parse_as_of(as_of)
    from hnreport.render.common import name_of
    from hnreport.words.labels import view_title

    deliver(app_ctx, fmt, output,
            lambda fmt, console: render.render_history(target, store.figures.each_in_history(target, day), fmt, app_ctx.lang, console),
            title=f"{name_of(target, app_ctx.lang)} ({target.key}) — {view_title('history', app_ctx.lang)}",
            as_of=day or app_ctx.today(), force=force, data=True)  # fmt: skip


@commands.command(context_settings=NUMBERS_OK)
def correct(
    ctx: typer.Context,
    observation_id: Annotated[int, typer.Argument(metavar="ID", help="The observation's id (see 'hnreport history KEY').")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The corrected figure (a unit converts as for record).")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it is corrected.")],
    yes: YesOpt = False,
) -> None:
    """Correct a recorded figure.

    The old one stays in the history, marked superseded.

    \b
    Example: hnreport correct 12 8.4 --reason "统计局核实数"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.model import NONNEGATIVE_KINDS
    from hnreport.domain.plausibility import flag_codes, flag_text
    from hnreport.domain.values import format_number, read_figure

    old = store.figures.observation(observation_id)
    target = store.items.target(old.target_key)
    figure = read_figure(value, target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
    store.figures.check_observation(target, figure.value, old.as_of)
    # A figure recorded with --force for a period not ended stays so flagged; its period is not asked again.
    flags = _let_in(app_ctx, store, target, figure, old.as_of, yes=yes, force=True,
                    carried=tuple(c for c in flag_codes(old.flag) if c == "future"))  # fmt: skip
    new = store.figures.correct(observation_id, figure.value, reason, decimals=figure.decimals, flag=flag_text(flags))
    say(Message("n_corrected", id=observation_id, key=target.key, old=format_number(old.value, old.decimals),
                new=format_number(new.value, new.decimals), new_id=new.id))  # fmt: skip
    _said_as_read(value, figure, target, app_ctx.lang)
    _said_flagged(new.flag, target.key)


@commands.command()
def retract(
    ctx: typer.Context,
    observation_id: Annotated[int, typer.Argument(metavar="ID", help="The observation's id (see 'hnreport history KEY').")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it is withdrawn.")],
) -> None:
    """Withdraw a recorded figure.

    It stays in the history, marked retracted.

    \b
    Example: hnreport retract 12 --reason "录入错误,重复录入"
    """
    store = app_context(ctx).store()
    old = store.figures.retract(observation_id, reason)
    from hnreport.domain.values import format_number

    say(Message("n_retracted", id=observation_id, key=old.target_key, value=format_number(old.value, old.decimals),
                date=old.as_of.isoformat()))


# ── import and export ────────────────────────────────────────────────────────────────────
@commands.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV (UTF-8, BOM or GBK), .xlsx, .jsonl, a .json export to restore — or - for a table pasted from Excel/WPS.")],
    dry_run: DryRunOpt = False,
    known_from: KnownFromOpt = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", metavar="SHEET", help="The worksheet of a .xlsx workbook (the first by default).")] = None,
    period: Annotated[Optional[str], typer.Option("--period", metavar="PERIOD", help="The period of a bureau table whose title names none (or names it wrongly): 2022年1-6月.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Import figures that look implausible (--dry-run lists them); they are flagged.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Import figures for periods that have not ended yet; they are flagged.")] = False,
) -> None:
    """Import figures: a file, a bureau's sheet, pasted text.

    hnreport's columns (key/指标, value/数值, as_of/时期 …) or a bureau's table as printed.

    Units convert as for record; a period not ended needs --force, implausible figures --yes
    (--dry-run lists them).

    \b
    A 统计月报 sheet goes in as it is: title rows, two-row headers, 本月/累计/同比 columns,
    sub-items and footnotes; rows are matched to targets by the names tables print
    (see 'hnreport targets show KEY'), the period comes from the title.
    Example: hnreport import 统计月报-2022-06.xlsx --dry-run
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    known = known_from_utc(known_from)
    name = path_text(file)
    if file.suffix.lower() == ".json" and str(file) != "-":
        if known:
            raise HnreportError("known_from_not_for_restore")
        from hnreport.readers import read_export

        data = read_export(file)
        if dry_run:
            store.exchange.check_restore(data, name)
            say(Message("n_would_restore", count=len(data.get("observations", [])), path=name))
            return
        counts = store.exchange.restore(data, name)
        say(Message("n_restored_export", counts=tuple(Message("n_count_of", count=n, what=Word("EXPORT_PARTS", k)) for k, n in counts.items()),
                    path=name))
        return
    from hnreport.readers import STDIN, Sheet, read_pasted, read_table

    if str(file) == "-":
        name = STDIN
        if sheet is not None:
            raise HnreportError("import_sheet_not_workbook", path=STDIN)
        table = read_pasted(_pasted())
    else:
        table = read_table(file, sheet=sheet)
    if isinstance(table, Sheet):
        from hnreport.commands.statsheet import statsheet_table

        table, said = statsheet_table(app_ctx, store, table, file, period, dry_run=dry_run)
    elif period is not None:
        raise HnreportError("bulletin_period_for_plain_file", path=name)
    else:
        said = None
    today = app_ctx.today()
    summary = _with_progress(file, lambda progress: store.exchange.import_table(
        table, name, dry_run=dry_run, progress=progress, known_from=known, today=today, force=force, yes=yes))  # fmt: skip
    if table.extra_columns:  # (for JSON lines known only once every line is read)
        app_ctx.notice(Message("n_ignored_columns", columns=", ".join(table.extra_columns)))
    say(Message(
        "n_would_import" if dry_run else "n_imported", path=name, added=summary.added, revised=summary.revised,
        unchanged=summary.unchanged,
        retracted=Message("n_import_retracted", count=summary.retracted) if summary.retracted else "",
        said=Message("see_hint", see=said) if said else "",
        change=Message("n_change_undo", change=summary.change_id) if summary.change_id else "",
        known=Message("n_import_known_from", moment=known_from.strip()) if known and (summary.change_id or dry_run) else "",  # type: ignore[union-attr]
    ))  # fmt: skip
    if summary.implausible_count:
        for line in summary.implausible:
            say(line)
        if summary.implausible_count > len(summary.implausible):
            say(Message("and_more", count=summary.implausible_count - len(summary.implausible)))
        if dry_run and not yes:
            say(Message("n_import_implausible_needs_yes", count=summary.implausible_count))
        else:
            say(Message("n_import_implausible_would" if dry_run else "n_import_implausible_were", count=summary.implausible_count))


def _pasted() -> bytes:
    """Standard input, as pasted from Excel or WPS (bounded like a file)."""
    from hnreport.readers import MAX_FILE_BYTES

    if sys.stdin is None:
        return b""
    if sys.stdin.isatty():
        say(Message("n_paste_table"), err=True)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is not None:
        return stream.read(MAX_FILE_BYTES + 1)
    return sys.stdin.read(MAX_FILE_BYTES + 1).encode("utf-8", "surrogateescape")


def path_text(file: Path) -> str:
    """A file's name as the journal keeps it and messages show it: bytes of the name that are
    not UTF-8 (a name made on another system) as \\xff, since SQLite and a UTF-8 terminal take
    text only."""
    from hnreport.text import shown_bytes

    name = str(file)
    return shown_bytes(name, len(name))


def _with_progress(file: Path, work):
    """A progress line on a terminal for files big enough to take a while (the rows are counted
    as they are read; how many there are is not known ahead)."""
    try:
        big = file.stat().st_size > 512 * 1024
    except OSError:
        big = False
    if not big or not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(Message("n_checking_rows").text(message_lang()), total=None)
        return work(lambda done: progress.update(task, completed=done))


@commands.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", help="json (everything you entered; the default) or csv (the figures as published, with their flags; Excel-safe, which import undoes); xlsx, the figures as a workbook, with -o.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="Write to this file instead of stdout (.json, .csv or .xlsx picks the format).")] = None,
    force: ForceOpt = False,
) -> None:
    """Export everything you entered, or the figures.

    JSON, which 'import' restores, or the figures as CSV or .xlsx, which 'import' reads back.

    \b
    Example: hnreport export -o backup-2022-07.json
    """
    app_ctx = app_context(ctx)
    fmt = _export_format(fmt, output)
    store = app_ctx.store()
    if fmt == "xlsx":
        from hnreport.render import files
        from hnreport.render.targets import figures_sheet
        from hnreport.words.labels import view_title

        def figures():
            for t in store.items.targets():
                for o in reversed(store.figures.history(t)):
                    yield t, o

        ordered = sorted(figures(), key=lambda pair: pair[1].id)
        doc = files.document_of(lambda _fmt, sink: figures_sheet(sink.document, ordered, app_ctx.lang),
                                view_title("figures", app_ctx.lang), app_ctx.today(), app_ctx.lang, data=True)  # fmt: skip
        from hnreport.outfile import check_output, write_atomic

        assert output is not None
        check_output(output, app_ctx.db_path(), force=force)
        write_atomic(output, files.document_text("xlsx", doc), private=True)  # every figure, like the database
    elif fmt == "json":
        from hnreport.render.formats.json import JSON_ESCAPE, json_text

        text = json_text(store.exchange.export_data(), indent=1)
        _write(app_ctx, output, text, bom=False, force=force, errors=JSON_ESCAPE)  # a console lacking a character: \uXXXX, lossless
    else:
        from hnreport.render.common import published

        rows = []
        for t in store.items.targets():
            for o in reversed(store.figures.history(t)):
                # the value as published (5.0 stays 5.0, which import reads back with its decimals)
                rows.append({"id": o.id, "key": t.key, "value": published(o.value, o.decimals), "as_of": o.as_of.isoformat(),
                             "vintage": o.vintage, "state": o.state, "note": o.note or "", "source": o.source or "",
                             "recorded_at": o.recorded_at, "flag": o.flag or ""})  # fmt: skip
        rows.sort(key=lambda r: r["id"])
        import io

        from hnreport.render.formats.csv import write_csv

        fields = ("id", "key", "value", "as_of", "vintage", "state", "note", "source", "recorded_at", "flag")
        if output is None:  # straight to the console's stream (on a terminal the cells are shown safely)
            write_csv(app_ctx.console.file, rows, fieldnames=fields, lossless=True)  # (read back by import: never altered)
        else:
            buffer = io.StringIO()
            write_csv(buffer, rows, fieldnames=fields)
            _write(app_ctx, output, buffer.getvalue(), bom=True, force=force)
    if output:
        say(Message("n_wrote", path=output), err=True)


EXPORT_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}


def _export_format(fmt: str | None, output: Path | None) -> str:
    """export's format: --format, else -o's extension (.csv, .xlsx), else JSON; refused when one
    of them is .xlsx and the other is not, and .xlsx without -o."""
    named = EXPORT_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        fmt = named or "json"
    check_choice(fmt, tuple(EXPORT_FORMATS.values()), Message("what_format"))
    if named is not None and fmt != named and "xlsx" in (fmt, named):  # a workbook is never written as text, nor text as one
        raise BadValue("format_contradicts_extension", asked=fmt, name=output.name, fmt=named)  # type: ignore[union-attr]
    if fmt == "xlsx" and output is None:
        raise BadValue("format_needs_file", fmt=fmt)
    return fmt


def _write(app_ctx, output: Path | None, text: str, *, bom: bool, force: bool, errors: str = "strict") -> None:
    if output is None:
        write_exact(app_ctx.console.file, text, errors=errors)
        return
    from hnreport.outfile import check_output, write_atomic

    check_output(output, app_ctx.db_path(), force=force)
    # An export carries every figure, like the database: readable by its owner only.
    write_atomic(output, ("\ufeff" if bom else "") + text, private=True)

