"""The journal: ``log``, ``undo`` and ``redo``. Nothing is ever deleted."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import (
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    YesOpt,
    app_context,
    check_output_format,
    deliver,
    moment_utc,
    say,
)
from hnreport.commands.context import interactive as _interactive  # (tests answer for a terminal here)
from hnreport.errors import HnreportError, Message

commands = typer.Typer()


# ── the journal ──────────────────────────────────────────────────────────────────────────
@commands.command("log")
def log(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option(metavar="DAY", help="Only changes on or after this day.")] = None,
    key: Annotated[Optional[str], typer.Option(metavar="KEY", help="Only changes to this target or milestone.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The journal: every change, who, when and why.

    Undone changes are marked.

    \b
    Example: hnreport log --since 2022-07-01 --key gdp
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import common as render

    check_output_format(fmt, output)
    since_iso = None
    if since:
        from datetime import datetime, time, timezone

        from hnreport.domain.periods import parse_span

        start = datetime.combine(parse_span(since)[0], time(0, 0)).astimezone()  # the local day's start
        since_iso = start.astimezone(timezone.utc).isoformat()
    if key:
        key = store.items.item_kind(key)[1]
    entries = store.journal.entries(since_iso, key)
    rows = [
        {"id": e.id, "at": e.at, "user": e.user, "action": e.action, "key": e.key, "summary": e.summary,
         "reason": e.reason, "target_change": e.target_change, "undone": e.undone, "known_from": e.known_from}
        for e in entries
    ]  # fmt: skip
    back_filled = any(e.known_from for e in entries)  # the column only when there is something in it
    headers = ["id", "at", "user", "action", "key", "summary", "reason"] + (["known from"] if back_filled else [])
    body = [[str(r["id"]), render.short_time(r["at"]), r["user"], r["action"], r["key"] or "",
             r["summary"] + (" (undone)" if r["undone"] else ""), r["reason"] or ""]
            + ([render.local_moment(r["known_from"])] if back_filled else []) for r in rows]  # fmt: skip
    empty = "the journal is empty" if app_ctx.lang == "en" else "尚无变更记录"
    from hnreport.words.labels import view_title

    def draw(fmt: str, console) -> None:
        render.emit(fmt, console, rows, headers, body, empty=empty, nowrap=(0, 1, 3, 7),
                    fieldnames=("id", "at", "user", "action", "key", "summary", "reason", "target_change", "undone", "known_from"))  # fmt: skip

    deliver(app_ctx, fmt, output, draw, title=view_title("log", app_ctx.lang), as_of=app_ctx.today(), force=force)


@commands.command()
def undo(
    ctx: typer.Context,
    to: Annotated[Optional[str], typer.Option("--to", metavar="MOMENT", help="Undo every change made after this moment (a day or 2022-07-20T15:00).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="Why, for the journal.")] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Undo the last change, or every change after a moment.

    An import counts as one change. Nothing is deleted.

    Right after 'hnreport db restore', undo puts back the database the restore replaced.
    --to lists what it reverts and asks first; without a terminal it needs --yes.

    \b
    Example: hnreport undo --to 2022-07-20 --dry-run
    """
    from hnreport.render.common import short_time
    from hnreport.store.journal import RestoreToUndo

    app_ctx = app_context(ctx)
    store = app_ctx.store()
    moment = moment_utc(to) if to else None
    pending = store.journal.to_undo(moment)
    if dry_run:
        for e in pending:
            say(f"would undo change {e.id} ({short_time(e.at)}, {e.user}): {e.summary}")
        return
    expected = None
    if moment is not None and not yes:
        ids = f"{pending[-1].id}–{pending[0].id}" if len(pending) > 1 else str(pending[0].id)
        if not _interactive():
            raise HnreportError("undo_needs_yes", count=len(pending), moment=to, ids=ids)
        for e in pending:
            say(f"change {e.id} ({short_time(e.at)}, {e.user}): {e.summary}", err=True)
        if not typer.confirm(Message("undo_confirm", count=len(pending), moment=to).text(app_ctx.message_lang), err=True):
            raise HnreportError("undo_declined")
        expected = [e.id for e in pending]  # exactly what was shown, or nothing
    why = reason.strip() if reason else None
    try:
        done = store.journal.undo(moment, why, expected=expected)
    except RestoreToUndo as last:
        # A restore replaced the whole file: put back the database it replaced (dbfile does the
        # swap, which waits for every connection to this database — ours included — to close).
        from hnreport.dbfile import restore

        path, user = store.path, store.user
        app_ctx.close()
        result = restore.undo_restore(path, last.record, user=user, reason=why)
        say(
            f"undone change {last.record.change_id}: the restore of {last.record.source}; put back the database it "
            f"replaced, from {last.record.saved_to}"
        )
        say(f"the restored database is saved as {result.saved_to}; journalled as change {result.change_id}")
        return
    for e in done:
        say(f"undone change {e.id}: {e.summary}")


@commands.command()
def redo(ctx: typer.Context) -> None:
    """Re-apply what the last undo reverted.

    Only if nothing was changed since.

    \b
    Example: hnreport redo
    """
    store = app_context(ctx).store()
    for e in store.journal.redo():
        say(f"redone change {e.id}: {e.summary}")

