"""``hnreport orders …``: the 督办单 — supervision orders to the units whose items are behind,
overdue or stalled; recorded when issued, and the units' replies."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from hnreport.commands.bulletin import DocFormatOpt, OutputOpt, situation
from hnreport.commands.context import AsOfOpt, ForceOpt, FormatOpt, app_context, check_choice, parse_as_of, say
from hnreport.errors import BadPeriod, BadValue, HnreportError, Message

app = typer.Typer(
    help="Supervision orders (督办单) and the units' replies.\n\n"
    "Orders for the units whose items are behind, overdue or stalled; recorded when issued.\n\n"
    "Example: hnreport orders draft --all -o 督办单/ --issue",
    no_args_is_help=True,
)

FOLDER_FORMATS = ("docx", "xlsx", "html", "markdown", "json")
EXTENSIONS = {"docx": ".docx", "xlsx": ".xlsx", "html": ".html", "markdown": ".md", "json": ".json"}


@app.command("draft")
def orders_draft(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Argument(metavar="UNIT", help="The lead unit (name or alias).")] = None,
    all_units: Annotated[bool, typer.Option("--all", help="One order for every unit with items behind, overdue or stalled.")] = False,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    fmt: DocFormatOpt = "table",
    issue: Annotated[bool, typer.Option("--issue", help="Record the orders as issued (numbered, journalled; 'undo' takes them back).")] = False,
    issued_on: Annotated[Optional[str], typer.Option("--date", metavar="DAY", help="Date of issue (default: today).")] = None,
    force: ForceOpt = False,
) -> None:
    """Draft a unit's 督办单 (supervision order).

    Its items behind, far behind, overdue or stalled, with the gap, deadline, days overdue and the
    存在问题 it last reported; 督办要求; 办理时限 (the as-of date, or the day of issue if later, + order.reply_days); and a reply
    block to fill in. --all -o FOLDER/ writes one file per unit.

    \b
    Example: hnreport orders draft 县发改局 --as-of 2022-07-20 -o 督办单-县发改局.docx
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain import settings as setting_rules
    from hnreport.domain.bulletin import reply_due
    from hnreport.outfile import check_output
    from hnreport.render.document import STREAM_FORMATS, output_format, show_document, write_document
    from hnreport.render.orders import order_content, order_document, order_number
    from hnreport.store.documents import NewOrder

    if (unit is None) == (not all_units):
        raise BadValue("orders_unit_or_all")
    plan = store.items.plan()
    day = app_ctx.as_of(as_of, plan)
    today = app_ctx.today()
    if day > today and not force:  # as the bulletin: statuses as of a day not yet come are guesses
        raise BadPeriod("orders_not_ended", as_of=day.isoformat(), today=today.isoformat())
    issued = parse_as_of(issued_on) or today
    # Where each order goes, and in which format.
    if all_units:
        if output is None or (output.exists() and not output.is_dir()) or output.suffix:
            raise BadValue("orders_all_needs_folder")
        out_fmt = fmt if fmt != "table" else "docx"
        check_choice(out_fmt, FOLDER_FORMATS, Message("what_format"))
    else:
        out_fmt = output_format(output, fmt)
        if output is None:
            check_choice(out_fmt, STREAM_FORMATS, Message("what_format"))
    s = situation(store, day)
    named = store.tracking.resolve_unit(unit) if unit is not None else None
    units = [named] if named else sorted({c.lead for c in s.concerns if c.lead})
    per_unit = {u: [c for c in s.concerns if c.lead == u] for u in units}
    per_unit = {u: cs for u, cs in per_unit.items() if cs}
    no_lead = [c for c in s.concerns if not c.lead]  # nobody to send an order to: never an order for 未分配
    if not per_unit and no_lead and named is None:
        raise HnreportError("orders_no_lead", as_of=day.isoformat(), count=len(no_lead), items=", ".join(c.key for c in no_lead))
    if not per_unit:
        raise HnreportError("orders_none", as_of=day.isoformat(), unit=Message("orders_for_unit", unit=named) if named else "")
    if no_lead and named is None:
        app_ctx.notice(Message("orders_skipped_no_lead", count=len(no_lead), items=", ".join(c.key for c in no_lead)))
    settings = s.settings
    office = setting_rules.office_name(settings)
    if not office:
        app_ctx.notice(Message("office_name_unset"))
    due = reply_due(day, issued, setting_rules.reply_days(settings))
    next_number = store.documents.next_order_number(issued.year) if issue else None
    assessments = {a.target.key: a for a in s.assessments}
    drafts = []
    for i, (u, cs) in enumerate(per_unit.items()):
        number = next_number + i if next_number is not None else None
        content = order_content(plan=plan, unit=u, as_of=day, issued_on=issued, reply_due=due, number=number, office=office,
                                concerns=cs, assessments=assessments)  # fmt: skip
        path = None
        if all_units:
            stem = f"督办单-{issued.year}-{number:03d}-{u}" if number else f"督办单-{u}"
            path = output / (_safe_name(stem) + EXTENSIONS[out_fmt])  # type: ignore[operator]
        elif output is not None:
            path = output
        drafts.append((u, cs, number, content, path))
    if all_units:
        output.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
    for _u, _cs, _n, _c, path in drafts:  # every file checked before anything is written or recorded
        if path is not None:
            check_output(path, app_ctx.db_path(), force=force)
    if issue:
        store.documents.issue_orders([NewOrder(u, n, issued, day, due, [(c.key, c.reason) for c in cs], content)
                                      for u, cs, n, content, _p in drafts])  # fmt: skip
        app_ctx.notice(Message("orders_issued", count=len(drafts), reply_due=due.isoformat(),
                               numbers="、".join(order_number(issued.year, n) for _u, _cs, n, _c, _p in drafts)))  # fmt: skip
    if output is None:
        with app_ctx.console as console:
            for _u, _cs, _n, content, _p in drafts:
                show_document(order_document(content), content, out_fmt, console)
        return
    for _u, _cs, _n, content, path in drafts:
        write_document(path, order_document(content), content, out_fmt, database=app_ctx.db_path(), force=True)
    if all_units:
        say(Message("documents_written", count=len(drafts), folder=output), err=True)
    else:
        say(Message("document_written", path=output), err=True)


def _safe_name(stem: str) -> str:
    """A unit's name as part of a file name: no path separators or characters Windows refuses."""
    from hnreport.text import one_line

    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in one_line(stem)).strip(" .") or "order"


@app.command("list")
def orders_list(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar="UNIT", help="Only this unit's orders.")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The orders issued, with their reply deadlines and replies.

    A reply not recorded by its deadline (as of today, or --as-of) is marked overdue, and one that
    came after it late (已回复, 逾期回复: replied_late, and reply_overdue in JSON/CSV). The
    person and telephone of a reply are shown here for the office; no document carries them.

    \b
    Example: hnreport orders list --format json
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render.orders import orders_list as show

    check_choice(fmt, ("table", "json", "csv", "markdown"), Message("what_format"))
    day = parse_as_of(as_of) or app_ctx.today()
    name = store.tracking.resolve_unit(unit) if unit else None
    with app_ctx.console as console:
        show(store.documents.orders(name), day, fmt, app_ctx.lang, console)


@app.command("reply")
def orders_reply(
    ctx: typer.Context,
    order_id: Annotated[int, typer.Argument(metavar="ID", help="The order's ID (orders list).")],
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="办理情况: what the unit has done.")],
    source: Annotated[Optional[str], typer.Option("--source", metavar="TEXT", help="The reply's document number (文号) or file.")] = None,
    person: Annotated[Optional[str], typer.Option("--person", metavar="NAME", help="责任人 (kept for the office; never published).")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", metavar="NUMBER", help="联系电话 (kept for the office; never published).")] = None,
    replied_on: Annotated[Optional[str], typer.Option("--date", metavar="DAY", help="The day the reply came (default: today).")] = None,
) -> None:
    """Record a unit's reply to an order.

    The next bulletin counts it as answered (one dated after the deadline as 逾期回复); a reply
    still missing after its deadline is named there. --date: not after today, nor before the
    order was issued.

    \b
    Example: hnreport orders reply 3 --text "已完成征地，7月28日开工" --source "衡南发改〔2022〕31号"
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render.orders import order_number

    today = app_ctx.today()
    day = parse_as_of(replied_on) or today
    order = store.documents.order(order_id)
    if day > today:
        raise BadValue("reply_in_future", replied_on=day.isoformat(), today=today.isoformat())
    if day < order.issued_on:
        raise BadValue("reply_before_issue", replied_on=day.isoformat(), issued_on=order.issued_on.isoformat(),
                       number=order_number(order.year, order.number))  # fmt: skip
    store.documents.add_reply(order_id, day, text, source, person, phone)
    say(Message("reply_recorded", unit=order.unit, number=order_number(order.year, order.number), replied_on=day.isoformat()))
