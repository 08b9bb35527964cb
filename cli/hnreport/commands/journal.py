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
from hnreport import words
from hnreport.errors import HnreportError, Message, from_stored, shown_stored

commands = typer.Typer()


# ── the journal ──────────────────────────────────────────────────────────────────────────
@commands.command("log")
def log(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option(metavar="DAY", help="Only changes on or after this day.")] = None,
    key: Annotated[Optional[str], typer.Option(metavar="KEY", help="Only changes to this target or milestone.")] = None,
    plan: Annotated[Optional[str], typer.Option("--plan", metavar="PLAN", help="Only changes to this plan (hnreport plan list).")] = None,
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
    plan_id = store.plans.get(plan).id if plan else None
    entries = store.journal.entries(since_iso, key, plan_id)
    rows = [
        {"id": e.id, "at": e.at, "user": e.user, "action": e.action, "key": e.key, "summary": shown_stored(e.summary, app_ctx.message_lang),
         "reason": e.reason, "target_change": e.target_change, "undone": e.undone, "known_from": e.known_from,
         "plan": e.plan}
        for e in entries
    ]  # fmt: skip
    back_filled = any(e.known_from for e in entries)  # the column only when there is something in it
    lang = app_ctx.lang  # the table's words; the summaries are messages (app_ctx.message_lang)
    headers = [words.pick(words.JOURNAL[c], lang) for c in ("id", "at", "user", "action", "key", "summary", "reason")]
    headers += [words.pick(words.JOURNAL["known_from"], lang)] if back_filled else []
    several = len({e.plan for e in entries}) > 1  # the plan's column only when the journal names more than one
    headers += [words.pick(words.JOURNAL["plan"], lang)] if several else []
    undone = words.pick(words.JOURNAL["undone"], lang)
    body = [[str(r["id"]), render.short_time(r["at"]), r["user"], words.action_word(r["action"], lang), r["key"] or "",
             r["summary"] + (undone if r["undone"] else ""), r["reason"] or ""]
            + ([render.local_moment(r["known_from"])] if back_filled else []) + ([r["plan"] or ""] if several else [])
            for r in rows]  # fmt: skip
    empty = words.pick(words.JOURNAL["empty"], lang)
    from hnreport.words.labels import view_title

    def draw(fmt: str, console) -> None:
        if fmt == "table" and body and console.width < render.JOURNAL_TABLE_WIDTH:
            render.stacked_entries(console, headers, body, nowrap_first=5, lang=lang)
            return
        render.emit(fmt, console, rows, headers, body, empty=empty, nowrap=(0, 1, 3, 7), about_plan=False,
                    fieldnames=("id", "at", "user", "action", "key", "summary", "reason", "target_change", "undone", "known_from",
                                "plan"))  # fmt: skip

    # the journal is the database's: its title names a plan when it is filtered to one
    deliver(app_ctx, fmt, output, draw, title=view_title("log", lang), as_of=app_ctx.today(), force=force,
            about_plan=store.plans.get(plan) if plan else False)


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
            say(Message("n_would_undo", change=e.id, at=short_time(e.at), user=e.user, summary=from_stored(e.summary)))
        return
    expected = None
    if moment is not None and not yes:
        ids = f"{pending[-1].id}–{pending[0].id}" if len(pending) > 1 else str(pending[0].id)
        if not _interactive():
            raise HnreportError("undo_needs_yes", count=len(pending), moment=to, ids=ids)
        for e in pending:
            say(Message("n_change_line", change=e.id, at=short_time(e.at), user=e.user, summary=from_stored(e.summary)), err=True)
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
        say(Message("n_undone_restore", change=last.record.change_id, source=last.record.source, saved_from=last.record.saved_to))
        say(Message("n_restored_saved_as", path=result.saved_to, change=result.change_id))
        return
    for e in done:
        say(Message("n_undone_in_plan", change=e.id, summary=from_stored(e.summary), plan=e.plan)
            if _several_plans(store) else Message("n_undone", change=e.id, summary=from_stored(e.summary)))


@commands.command()
def redo(ctx: typer.Context) -> None:
    """Re-apply what the last undo reverted.

    Only if nothing was changed since.

    \b
    Example: hnreport redo
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    for e in store.journal.redo():
        say(Message("n_redone_in_plan", change=e.id, summary=from_stored(e.summary), plan=e.plan)
            if _several_plans(store) else Message("n_redone", change=e.id, summary=from_stored(e.summary)))


def _several_plans(store) -> bool:
    """Whether the database holds, or held, more than one plan (then undo and redo say which
    they touched)."""
    return not store.plans.only_row()
