"""``hnreport bulletin``: the 督查通报 — drafted, issued (numbered and recorded) and re-issued.

The situation it words is the one ``report --format json`` computes for the same as-of date:
the same assessments, counts and milestone states (``situation``), which ``orders`` uses too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hnreport.records import Record
from hnreport.commands.context import (
    AsOfOpt,
    ForceOpt,
    KnownAtOpt,
    app_context,
    apply_known_at,
    assessed_at,
    check_choice,
    parse_as_of,
    say,
)
from hnreport.errors import BadPeriod, BadValue, HnreportError, Message

if TYPE_CHECKING:
    from hnreport.store import Store

commands = typer.Typer()

DocFormatOpt = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="table (the text), json, markdown or html; with -o, docx and xlsx too.")
]
OutputOpt = Annotated[
    Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="Write to a file; .docx .xlsx .html .md .json pick the format.")
]


class Situation(Record):
    """Where everything stands at ``day``: what the report computes, and what the documents add."""

    plan: object
    day: date
    sections: list
    assessments: list
    states: list
    leads: dict
    supports: dict
    concerns: list
    settings: dict


def situation(store: Store, day: date, today: date | None = None) -> Situation:
    """The targets assessed and milestones worked out at ``day`` as ``report`` does, the lead
    units, and the items of concern with what their units last reported. ``today``: for a day
    after it, a milestone is late only by today (nothing is overdue that is not due yet)."""
    from hnreport.domain.bulletin import concerns, milestone_texts
    from hnreport.domain.model import plan_sections

    plan = store.items.plan()
    assessed = assessed_at(store, day)
    states = store.tracking.milestone_states(min(day, today) if today else day)
    leads, supports = store.tracking.assignment_map()
    texts = {k: (r.day, r.progress, r.problems, r.next_steps)
             for k, r in store.reports.last_reports([a.target.key for a in assessed]).items()}  # fmt: skip
    texts = {k.lower(): v for k, v in texts.items()}
    texts.update({k.lower(): v for k, v in milestone_texts(states).items()})
    by_key = {**{a.target.key: texts[a.target.key.lower()] for a in assessed if a.target.key.lower() in texts},
              **{s.milestone.key: texts[s.milestone.key.lower()] for s in states if s.milestone.key.lower() in texts}}  # fmt: skip
    return Situation(plan, day, plan_sections(store.items.sections()), assessed, states, leads, supports,
                     concerns(assessed, states, leads, by_key), store.config.settings())  # fmt: skip


def _reports(store: Store, day: date, leads: dict, plan) -> dict:
    """Who has reported for the month whose report was last due by ``day`` (as ``units missing
    --as-of`` counts it)."""
    from hnreport.domain.reporting import last_due_period, report_states, within_year

    due_day = store.config.due_day()
    month = within_year(last_due_period(day, due_day), plan.year)
    keys = [t.key for t in store.items.targets()] + [m.key for m in store.items.milestones()]
    rows = report_states(leads, keys, store.reports.returns(month))
    return {"period": month.key, "label": month.label("zh"), "due": month.due(due_day).isoformat(),
            "not_reported": [u for u, st, _, _ in rows if st == "not_reported"],
            "blank": [u for u, st, _, _ in rows if st == "blank"],
            "reported": [u for u, st, _, _ in rows if st == "reported"]}  # fmt: skip


def compose(store: Store, day: date, issued_on: date, number: int | None, known_at: str | None,
            today: date | None = None) -> dict:  # fmt: skip
    """The bulletin's content at ``day``: every number from the report's own computation. A day
    after ``today`` (a period not ended, --force): the reports are those due by today."""
    from hnreport.domain import settings as setting_rules
    from hnreport.domain.bulletin import bulletin_title, rank_units
    from hnreport.domain.milestones import summarize_milestones
    from hnreport.domain.progress import summarize, summarize_pace
    from hnreport.render.bulletin import bulletin_content

    s = situation(store, day, today)
    reports = _reports(store, min(day, today) if today else day, s.leads, s.plan)
    order = setting_rules.rank_order(s.settings)
    ranking = rank_units(
        [u.name for u in store.tracking.units()], s.leads, s.supports, {a.target.key: a.status for a in s.assessments},
        {st.milestone.key: (st.status, st.overdue) for st in s.states}, set(reports["not_reported"]), order,
    )  # fmt: skip
    # 较上期: the last bulletin issued for an earlier day (--known-at: one issued by then)
    earlier = [b for b in store.documents.bulletins() if b.as_of < day]
    previous = max(earlier, key=lambda b: (b.as_of, b.issued_on, b.id)) if earlier else None
    return bulletin_content(
        previous=previous.content if previous is not None else None,
        plan=s.plan, as_of=day, issued_on=issued_on, number=number, office=setting_rules.office_name(s.settings),
        known_at=known_at, title=bulletin_title(s.plan.name_zh, day), sections=s.sections, assessments=s.assessments,
        counts=summarize(s.assessments), pace=summarize_pace(s.assessments),
        milestone_summary=summarize_milestones(s.states, [x.code for x in s.sections]), states=s.states, leads=s.leads,
        concerns=s.concerns, reports=reports, orders=store.documents.orders(), ranking=ranking, rank_order=order,
        today=today,
    )  # fmt: skip


@commands.command()
def bulletin(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    fmt: DocFormatOpt = "table",
    issue: Annotated[bool, typer.Option("--issue", help="Record it as issued: numbered (第N期), dated, journalled ('undo' takes it back).")] = False,
    number: Annotated[Optional[int], typer.Option("--number", metavar="N", help="With --issue: this number instead of the next.")] = None,
    issued_on: Annotated[Optional[str], typer.Option("--date", metavar="DAY", help="Date of issue (default: today).")] = None,
    reissue: Annotated[Optional[int], typer.Option("--reissue", metavar="N", help="Print issued bulletin 第N期 again, as recorded.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", metavar="YEAR", help="With --reissue: the year of issue (default: this year).")] = None,
    known_at: KnownAtOpt = None,
    force: ForceOpt = False,
) -> None:
    """The 督查通报: the month's progress bulletin, ready to issue.

    一、总体情况 (counts and shares, 超序时/达序时, units that have not reported), 二、主要指标,
    三、重点工作, 四、存在的问题 (with what the units reported), 五、下一步工作, and the ranking of units.
    A draft by default; --issue numbers and records it; --reissue N prints a recorded one again.
    A period that has not ended by today is refused; with --force the bulletin says so first.

    \b
    Example: hnreport bulletin --as-of 2022-06 --issue -o 督查通报-2022-06.docx
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render.bulletin import bulletin_document
    from hnreport.render.document import STREAM_FORMATS, output_format, show_document, write_document

    out_fmt = output_format(output, fmt)
    if output is None:
        check_choice(out_fmt, STREAM_FORMATS, Message("what_format"))
    if reissue is not None:
        for option, given in (("--issue", issue), ("--as-of", as_of), ("--number", number), ("--date", issued_on), ("--known-at", known_at)):
            if given:
                raise BadValue("bulletin_reissue_alone", option=option)
        which = year or app_ctx.today().year
        recorded = store.documents.bulletin(which, reissue)
        if recorded is None:
            numbers = "、".join(f"{b.year}-{b.number}" for b in store.documents.bulletins())
            raise HnreportError("unknown_bulletin", year=which, number=reissue, known=Message("bulletins_known", numbers=numbers) if numbers else "")
        content = recorded.content
    else:
        if number is not None and not issue:
            raise BadValue("bulletin_number_needs_issue")
        from hnreport.store.sql import now_utc

        apply_known_at(store, known_at)
        plan = store.items.plan()
        day = app_ctx.as_of(as_of, plan)
        today = app_ctx.today()
        if day > today and not force:  # as record refuses a figure for a period not ended
            raise BadPeriod("bulletin_not_ended", as_of=day.isoformat(), today=today.isoformat())
        issued = parse_as_of(issued_on) or today
        moment = store.known_at or now_utc()
        if issue:
            if output is not None:
                from hnreport.outfile import check_output

                check_output(output, app_ctx.db_path(), force=force)  # before anything is recorded
            number = number if number is not None else store.documents.next_bulletin_number(issued.year)
        content = compose(store, day, issued, number if issue else None, moment, today)
        if not content["office"]:
            app_ctx.notice(Message("office_name_unset"))
        if issue:
            store.documents.issue_bulletin(issued.year, number, issued, day, moment, content["title"], content)  # type: ignore[arg-type]
            app_ctx.notice(Message("bulletin_issued", year=issued.year, number=number, as_of=day.isoformat(), issued_on=issued.isoformat()))
    doc = bulletin_document(content)
    if output is None:
        with app_ctx.console as console:
            show_document(doc, content, out_fmt, console)
        return
    write_document(output, doc, content, out_fmt, database=app_ctx.db_path(), force=force or issue)
    say(Message("document_written", path=output), err=True)
