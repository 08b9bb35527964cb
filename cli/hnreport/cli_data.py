"""Commands for data in and out: corrections, the journal with undo/redo, import and export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from hnreport.cli import FormatOpt, KeyArg, _as_of, _check_choice, _ctx, app, targets_app
from hnreport.errors import BadValue, HnreportError


@app.command(context_settings={"ignore_unknown_options": True})
def correct(
    ctx: typer.Context,
    observation_id: Annotated[int, typer.Argument(help="The observation's id (see 'hnreport history KEY').")],
    value: Annotated[str, typer.Argument(help="The corrected figure.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is corrected.")],
) -> None:
    """Correct a recorded figure; the old one stays in the history, marked superseded.

    \b
    Example: hnreport correct 12 8.4 --reason "统计局核实数"
    """
    store = _ctx(ctx).store()
    from hnreport.model import NONNEGATIVE_KINDS
    from hnreport.values import parse_value

    old = store.observation(observation_id)
    target = store.target(old.target_key)
    number = parse_value(value, target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
    new = store.correct(observation_id, number, reason)
    typer.echo(f"corrected observation {observation_id} of {target.key}: {old.value:g} → {new.value:g} (observation {new.id})")


@app.command()
def retract(
    ctx: typer.Context,
    observation_id: Annotated[int, typer.Argument(help="The observation's id (see 'hnreport history KEY').")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn.")],
) -> None:
    """Withdraw a recorded figure; it stays in the history, marked retracted.

    \b
    Example: hnreport retract 12 --reason "录入错误,重复录入"
    """
    store = _ctx(ctx).store()
    old = store.retract(observation_id, reason)
    typer.echo(f"retracted observation {observation_id} of {old.target_key} ({old.value:g} for {old.as_of.isoformat()})")


@targets_app.command("revise", context_settings={"ignore_unknown_options": True})
def targets_revise(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(help="The revised target value.")],
    effective: Annotated[str, typer.Option("--effective", help="From when it applies; statuses before keep the old value.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the county's mid-year adjustment document).")],
) -> None:
    """Revise a target mid-year (statuses before the effective date use the old value).

    \b
    Example: hnreport targets revise key-project-investment 150 --effective 2022-07-01 --reason "县政府常务会议调整"
    """
    store = _ctx(ctx).store()
    from hnreport.values import parse_value

    from hnreport.periods import parse_span

    target = store.target(key)
    number = parse_value(value, target.unit)
    day = parse_span(effective)[0]  # "from July" means from its first day
    store.revise_target(target, number, day, reason)  # type: ignore[arg-type]
    typer.echo(f"{target.key}: target {target.value:g} → {number:g}{target.unit or ''} from {day.isoformat()}")  # type: ignore[union-attr]


# ── the journal ──────────────────────────────────────────────────────────────────────────
@app.command("log")
def log(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option(help="Only changes on or after this day.")] = None,
    key: Annotated[Optional[str], typer.Option(help="Only changes to this target or milestone.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The journal: every change, when, who, what and why (undone ones are marked).

    \b
    Example: hnreport log --since 2022-07-01 --key gdp
    """
    app_ctx = _ctx(ctx)
    store = app_ctx.store()
    from hnreport import render

    _check_choice(fmt, render.FORMATS, "format")
    since_iso = None
    if since:
        from datetime import datetime, time, timezone

        from hnreport.periods import parse_span

        start = datetime.combine(parse_span(since)[0], time(0, 0)).astimezone()  # the local day's start
        since_iso = start.astimezone(timezone.utc).isoformat()
    if key:
        key = store.item_kind(key)[1]
    entries = store.journal(since_iso, key)
    rows = [
        {"id": e.id, "at": e.at, "user": e.user, "action": e.action, "key": e.key, "summary": e.summary,
         "reason": e.reason, "target_change": e.target_change, "undone": e.undone}
        for e in entries
    ]  # fmt: skip
    headers = ["id", "at", "user", "action", "key", "summary", "reason"]
    body = [[str(r["id"]), render.short_time(r["at"]), r["user"], r["action"], r["key"] or "",
             r["summary"] + (" (undone)" if r["undone"] else ""), r["reason"] or ""] for r in rows]  # fmt: skip
    empty = "the journal is empty" if app_ctx.lang == "en" else "尚无变更记录"
    render.emit(fmt, app_ctx.console, rows, headers, body, empty=empty, nowrap=(0, 1, 3),
                fieldnames=("id", "at", "user", "action", "key", "summary", "reason", "target_change", "undone"))  # fmt: skip


@app.command()
def undo(
    ctx: typer.Context,
    to: Annotated[Optional[str], typer.Option("--to", help="Undo every change made after this moment (a day or 2022-07-20T15:00).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why, for the journal.")] = None,
) -> None:
    """Undo the last change (an import counts as one), or everything after a moment. Nothing is deleted.

    \b
    Example: hnreport undo --to 2022-07-20
    """
    store = _ctx(ctx).store()
    moment = None
    if to:
        moment = _moment(to)
    done = store.undo(moment, reason.strip() if reason else None)
    for e in done:
        typer.echo(f"undone change {e.id}: {e.summary}")


def _moment(text: str) -> str:
    from datetime import datetime, time, timezone

    text = text.strip()
    try:
        if len(text) <= 10:
            raise ValueError
        moment = datetime.fromisoformat(text)
    except ValueError:
        day = _as_of(text)
        moment = datetime.combine(day, time(23, 59, 59))  # type: ignore[arg-type]
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


@app.command()
def redo(ctx: typer.Context) -> None:
    """Re-apply what the most recent undo reverted (if nothing was changed since).

    \b
    Example: hnreport redo
    """
    store = _ctx(ctx).store()
    for e in store.redo():
        typer.echo(f"redone change {e.id}: {e.summary}")


# ── import and export ────────────────────────────────────────────────────────────────────
@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8, BOM or GBK), .xlsx, .jsonl — or a .json export to restore.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
) -> None:
    """Import figures (columns key/指标, value/数值, as_of/时期, optional note, source, vintage).

    \b
    Example: hnreport import 统计月报-2022-06.csv --dry-run
    """
    store = _ctx(ctx).store()
    if file.suffix.lower() == ".json":
        data = _read_export(file)
        if dry_run:
            typer.echo(f"would restore {len(data.get('observations', []))} observations from {file}")
            return
        counts = store.restore(data, str(file))
        typer.echo("restored " + ", ".join(f"{n} {k}" for k, n in counts.items()) + f" from {file}")
        return
    from hnreport.importing import read_table

    table = read_table(file)
    if table.extra_columns:
        typer.echo(f"note: ignored column(s) {', '.join(table.extra_columns)}", err=True)
    summary = _with_progress(len(table.rows), lambda progress: store.import_table(table, str(file), dry_run=dry_run, progress=progress))
    verb = "would import" if dry_run else "imported"
    text = f"{verb} {file}: {summary.added} added, {summary.revised} revised, {summary.unchanged} unchanged"
    if summary.retracted:
        text += f", {summary.retracted} retracted"
    if summary.change_id:
        text += f" (change {summary.change_id}; 'hnreport undo' reverts it)"
    typer.echo(text)


def _with_progress(total: int, work):
    if total < 5000 or not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("checking rows", total=total)
        return work(lambda done: progress.update(task, completed=done))


def _read_export(file: Path) -> dict:
    import json  # only exports need it

    if file.is_dir() or not file.exists():
        raise HnreportError(f"no such file: {file}")
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise HnreportError(f"{file} is not a readable hnreport export ({type(err).__name__})") from None
    if not isinstance(data, dict):
        raise HnreportError(f"{file} is not an hnreport export")
    return data


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (everything you entered) or csv (the figures).")] = "json",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export everything you entered (JSON, which 'import' restores) or the figures (CSV).

    \b
    Example: hnreport export -o backup-2022-07.json
    """
    store = _ctx(ctx).store()
    from hnreport import render

    _check_choice(fmt, ("json", "csv"), "format")
    if fmt == "json":
        import json  # only exports need it

        data = store.export_data()
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        _write(output, text, bom=False)
    else:
        rows = []
        for t in store.targets():
            for o in reversed(store.history(t)):
                rows.append({"id": o.id, "key": t.key, "value": o.value, "as_of": o.as_of.isoformat(), "vintage": o.vintage,
                             "state": o.state, "note": o.note or "", "source": o.source or "", "recorded_at": o.recorded_at})  # fmt: skip
        rows.sort(key=lambda r: r["id"])
        import io

        buffer = io.StringIO()
        if rows:
            render.write_csv(rows, buffer, safe=output is not None)
        else:
            buffer.write("id,key,value,as_of,vintage,state,note,source,recorded_at\n")
        _write(output, buffer.getvalue(), bom=output is not None)
    if output:
        typer.echo(f"wrote {output}", err=True)


def _write(output: Path | None, text: str, *, bom: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    if output.is_dir():
        raise BadValue(f"{output} is a directory; give a file name")
    if not output.parent.exists():
        raise BadValue(f"the folder {output.parent} does not exist")
    output.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")
