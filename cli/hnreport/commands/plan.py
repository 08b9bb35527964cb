"""``hnreport plan …``: the work reports a database tracks (list, show, load, export, remove, use,
outcomes), and ``hnreport ledger``, the promises of a county's reports across the years."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from hnreport.commands.context import DryRunOpt, ForceOpt, FormatOpt, app_context, check_choice, say
from hnreport.errors import HnreportError, Message
from hnreport.render.formats import FORMATS

app = typer.Typer(help="The work reports this database tracks.\n\nExample: hnreport plan list", no_args_is_help=True)
commands = typer.Typer()

PlanKeyArg = Annotated[str, typer.Argument(metavar="KEY", help="A plan's key, e.g. hengnan-2022 (hnreport plan list).")]
OutputOpt = Annotated[
    Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="Write to a file; .csv .json .md pick the format.")
]


def _plan_dict(store, plan, current_id) -> dict:
    counts = store.plans.counts(plan)
    return {
        "plan": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "county_zh": plan.county_zh,
        "county_en": plan.county_en, "year": plan.year, "delivered": plan.delivered, "source": plan.source or "embedded",
        "digest": plan.seed_digest, "in_use": plan.id == current_id, **counts,
    }  # fmt: skip


@app.command("list")
def plan_list(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """List the plans (work reports) in the database.

    * marks the one in use.

    \b
    Example: hnreport plan list --format json
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import common as render

    check_choice(fmt, FORMATS, Message("what_format"))
    rows = [_plan_dict(store, p, store.plans.id) for p in store.plans.all()]
    from hnreport.words.labels import PLANS, pick

    en = app_ctx.lang == "en"
    headers = [""] + [pick(PLANS[c], app_ctx.lang) for c in ("plan", "county", "year", "title", "delivered", "targets", "milestones", "figures")]
    body = [["*" if r["in_use"] else "", r["plan"], r["county_en"] if en else r["county_zh"], str(r["year"]),
             r["name_en"] if en else r["name_zh"], r["delivered"] or "", str(r["targets"]), str(r["milestones"]), str(r["figures"])]
            for r in rows]  # fmt: skip
    render.emit(fmt, app_ctx.console, rows, headers, body, right=(6, 7, 8), nowrap=(0, 1, 3, 5),
                empty=Message("no_plans").text(app_ctx.message_lang), fieldnames=tuple(rows[0]) if rows else (), about_plan=False)


@app.command("show")
def plan_show(ctx: typer.Context, key: PlanKeyArg, fmt: FormatOpt = "table") -> None:
    """Show a plan: its report, county, year and what it holds.

    Also where it came from (the embedded plan, or the file it was loaded from).

    \b
    Example: hnreport plan show hengnan-2022
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import common as render

    check_choice(fmt, FORMATS, Message("what_format"))
    plan = store.plans.get(key)
    row = _plan_dict(store, plan, store.plans.id)
    row["user_rows"] = sum(store.plans.user_rows(plan.id).values())
    if fmt == "json":
        from hnreport.render.formats import write_json

        write_json(app_ctx.console.file, row)
        return
    body = [[k, "" if v is None else str(v)] for k, v in row.items()]
    from hnreport.words.labels import PLANS, pick

    render.emit(fmt, app_ctx.console, [row], [pick(PLANS["field"], app_ctx.lang), pick(PLANS["value"], app_ctx.lang)], body,
                fieldnames=tuple(row), title=f"{plan.key} — {plan.name_en if app_ctx.lang == 'en' else plan.name_zh}", about_plan=False)


@app.command("use")
def plan_use(ctx: typer.Context, key: PlanKeyArg) -> None:
    """Make a plan the one commands work on.

    Kept in the database; --plan or HNREPORT_PLAN still choose another for one command.

    \b
    Example: hnreport plan use hengnan-2023
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    plan = store.plans.get(key)
    store.plans.set_default(plan)
    say(Message("plan_in_use", plan=plan.key, name=plan.name_zh))


@app.command("load")
def plan_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A plan file (docs/plan-format.md).")],
    accept_drafts: Annotated[bool, typer.Option("--accept-drafts", help="Load items still marked review = true (drafts).")] = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Load a plan file: a new plan, or one brought up to date.

    The whole file is checked first; any problem (each with its line) and nothing is written.
    Loading the same file again changes nothing; a changed file updates the facts it seeds,
    never what users recorded. Undo takes a load back.

    \b
    Example: hnreport plan load hengnan-2023.toml
    """
    app_ctx = app_context(ctx)
    from hnreport.domain.planfile import PlanFileProblems, file_digest, read_plan_file

    from hnreport.readers import open_bounded

    if file.is_dir():
        raise HnreportError("planfile_is_directory", path=file)
    with open_bounded(file) as fh:  # a regular file of a bounded size (never a pipe or device read without end)
        try:
            raw = fh.read()
        except OSError as err:
            raise HnreportError("import_cannot_read", path=file, reason=err.strerror or type(err).__name__) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HnreportError("planfile_not_utf8", path=file) from None
    parsed = read_plan_file(text)
    problems = list(parsed.problems) + ([] if accept_drafts else list(parsed.drafts))
    if problems:
        raise PlanFileProblems(str(file), problems, 0 if accept_drafts else len(parsed.drafts))
    store = app_ctx.store()
    digest = file_digest(raw)
    key = parsed.data["plan"]["plan"]["key"]
    if dry_run:
        existing = store.plans.find(key)
        unchanged = existing is not None and existing.seed_digest == digest
        say(Message("plan_would_be_unchanged" if unchanged else "plan_would_be_updated" if existing else "plan_would_be_added", plan=key, targets=len(parsed.data["targets"]["target"]),
                    milestones=len(parsed.data["milestones"]["milestone"])))  # fmt: skip
        return
    from hnreport.commands.data import path_text

    action, plan = store.plans.load(parsed.data, digest, path_text(file), raw)
    counts = store.plans.counts(plan)
    say(Message("plan_added" if action == "added" else "plan_updated" if action == "updated" else "plan_unchanged", plan=plan.key, name=plan.name_zh, targets=counts["targets"], milestones=counts["milestones"]))


@app.command("export")
def plan_export(
    ctx: typer.Context,
    key: PlanKeyArg,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="The plan file to write (.toml).")],
    force: ForceOpt = False,
) -> None:
    """Write a plan's facts as one plan file.

    `plan load` reads it back (under another key: the embedded plan follows data/).

    \b
    Example: hnreport plan export hengnan-2022 -o hengnan-2022.toml
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render.formats.toml import plan_file_text
    from hnreport.outfile import check_output, write_atomic

    plan = store.plans.get(key)
    check_output(output, app_ctx.db_path(), force=force)
    header = f"{plan.name_zh} ({plan.key}) — plan file written by hnreport plan export\nFormat: docs/plan-format.md"
    write_atomic(output, plan_file_text(store.plans.plan_data(plan), header))
    say(Message("plan_exported", plan=plan.key, path=output), err=True)


@app.command("remove")
def plan_remove(
    ctx: typer.Context,
    key: PlanKeyArg,
    force: ForceOpt = False,
    reason: Annotated[Optional[str], typer.Option("--reason", metavar="TEXT", help="Why, for the journal.")] = None,
) -> None:
    """Remove a plan; undo brings it back.

    A plan with figures or other records users made needs --force.

    \b
    Example: hnreport plan remove hengnan-2023-draft
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    plan = store.plans.get(key)
    held = store.plans.user_rows(plan.id)
    if held and not force:
        what = ", ".join(f"{table} {n}" for table, n in held.items())
        raise HnreportError("plan_has_user_rows", plan=plan.key, what=what)
    change = store.plans.remove(plan, reason.strip() if reason else None)
    say(Message("plan_removed", plan=plan.key, change=change))


def _unmatched(how: str) -> Message:
    """Why a result was left unmatched, in words."""
    if how == "kind":
        return Message("outcome_unmatched_kind")
    if how == "unit":
        return Message("outcome_unmatched_unit")
    if how == "ambiguous":
        return Message("outcome_unmatched_ambiguous")
    return Message("outcome_unmatched_no_target")


@app.command("outcomes")
def plan_outcomes(
    ctx: typer.Context,
    newer: Annotated[str, typer.Option("--from", metavar="NEWER", help="The later plan, whose review (part 一) states the results.")],
    older: Annotated[str, typer.Option("--for", metavar="OLDER", help="The plan whose targets those results are the outcomes of.")],
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Record next year's review as this year's outcomes.

    Each result of NEWER's part 一 becomes the year-end figure of OLDER's target measuring the
    same thing.

    Matched by key, name or alias, of a compatible kind and unit; preliminary unless the text
    says 最终核实; sourced to NEWER and its locator. Unmatched results are listed, never guessed.

    \b
    Example: hnreport plan outcomes --from hengnan-2023 --for hengnan-2022 --dry-run
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import common as render

    check_choice(fmt, FORMATS, Message("what_format"))
    new, old = store.plans.get(newer), store.plans.get(older)
    if new.id == old.id:
        raise HnreportError("outcomes_same_plan", plan=new.key)
    matches = store.plans.outcome_matches(new, old)
    matched = [m for m in matches if m.target is not None and m.how in ("key", "name", "alias")]
    made: list = [None] * len(matched)
    change = None
    if not dry_run and matched:
        change, made = store.plans.record_outcomes(new, old, matched)
    lang = app_ctx.message_lang
    recorded = dict(zip((id(m) for m in matched), made))
    rows = []
    for m in matches:
        ok = m.target is not None and m.how in ("key", "name", "alias")
        rows.append({
            "plan": old.key, "from": new.key, "result": m.result.key, "name": m.result.name_zh, "value": m.result.value,
            "unit": m.result.unit, "target": m.target.key if ok else None, "matched_by": m.how if ok else None,
            "unmatched": None if ok else m.how, "vintage": m.vintage, "locator": m.result.locator,
            "observation": recorded.get(id(m)) if ok else None,
        })  # fmt: skip
    from hnreport.words.labels import PLANS, pick

    headers = [pick(PLANS[c], app_ctx.lang) for c in ("result", "name", "number")] + [f"→ {old.key}"] + \
        [pick(PLANS[c], app_ctx.lang) for c in ("by", "vintage", "recorded")]  # fmt: skip
    body = []
    for r, m in zip(rows, matches):
        state = (Message("outcome_dry_run").text(lang) if dry_run else
                 (str(r["observation"]) if r["observation"] else Message("outcome_already").text(lang))) if r["target"] else \
            _unmatched(m.how).text(lang)  # fmt: skip
        body.append([r["result"], r["name"], f"{r['value']:g}{r['unit'] or ''}", r["target"] or "—", r["matched_by"] or "",
                     r["vintage"], state])  # fmt: skip
    render.emit(fmt, app_ctx.console, rows, headers, body, right=(2,), nowrap=(0, 3),
                title=f"{new.key} → {old.key}", fieldnames=tuple(rows[0]) if rows else (), about_plan=False)
    unmatched = [m for m in matches if not (m.target is not None and m.how in ("key", "name", "alias"))]
    if fmt == "table":
        if dry_run:
            say(Message("outcomes_would_record", count=len(matched), plan=old.key, unmatched=len(unmatched)), err=True)
        else:
            say(Message("outcomes_recorded", count=sum(1 for x in made if x), plan=old.key, unmatched=len(unmatched),
                        change=change or "—"), err=True)  # fmt: skip


@commands.command("ledger")
def ledger(
    ctx: typer.Context,
    county: Annotated[Optional[str], typer.Option("--county", metavar="NAME", help="The county (衡南县 or Hengnan County); default: the plan in use's.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", metavar="N", help="One year, across every county instead.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The promise ledger: targets and outcomes across years.

    Per indicator and year: the result before, the target, the outcome, its status and the next
    year's target — across a county's plans.

    With --year, that year's targets and outcomes across every county.

    \b
    Example: hnreport ledger --county 衡南县 --format csv -o ledger.csv
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from datetime import date

    from hnreport.commands.context import assessed_at
    from hnreport.domain.outcomes import LedgerPlan, ledger as make_ledger
    from hnreport.render import common as render
    from hnreport.words.labels import COMPARATOR, PLANS, pick, status_word

    fmt = _output_format(fmt, output)
    plans = store.plans.all()
    if year is None:
        wanted = county or (store.plans.current.county_zh if store.plans.current else "")
        names = {p.county_zh.casefold(): p.county_zh for p in plans} | {p.county_en.casefold(): p.county_zh for p in plans}
        chosen = names.get(wanted.strip().casefold())
        if chosen is None:
            raise HnreportError("unknown_county", county=wanted, counties=", ".join(sorted({p.county_zh for p in plans})) or "—")
        plans = [p for p in plans if p.county_zh == chosen]
    entries = []
    back = store.plans.current
    try:
        for p in plans:
            store.plans.switch(p)
            aliases: dict[str, set[str]] = {}
            for a in store.items.aliases():
                aliases.setdefault(a.key, set()).add(a.norm)
            year_end, today = date(p.year, 12, 31), app_ctx.today()
            # a year still running: each target's status so far too, for those without a year-end figure
            so_far = assessed_at(store, max(today, date(p.year, 1, 1))) if today < year_end else None
            entries.append(LedgerPlan(p.key, p.county_zh, p.county_en, p.year, assessed_at(store, year_end), aliases, so_far,
                                      today if so_far is not None else None))  # fmt: skip
    finally:
        store.plans.switch(back)
    rows = [r for r in make_ledger(entries) if year is None or r.year == year]
    lang = app_ctx.lang
    en = lang == "en"
    data = [r._asdict() for r in rows]
    columns = (("county",) if year is not None else ()) + ("indicator", "year", "result_before", "target", "outcome", "status", "next_target")
    headers = [pick(PLANS[c], lang) for c in columns]

    def show(value, unit):
        return "—" if value is None else render.with_unit(value, unit)

    body = []
    for r in rows:
        outcome = show(r.outcome, r.unit) + (" *" if r.outcome_from == "review" else "")
        nxt = "—" if r.next_target is None else pick(COMPARATOR[r.next_comparator], lang) + render.with_unit(r.next_target, r.unit)
        body.append(([r.county_en if en else r.county_zh] if year is not None else []) + [
            r.name_en if en else r.name_zh, str(r.year), show(r.result_before, r.unit),
            pick(COMPARATOR[r.comparator], lang) + render.with_unit(r.target, r.unit), outcome, status_word(r.status, lang)
            + (Message("ledger_so_far", day=r.status_as_of).text(lang) if r.status_as_of else ""), nxt])  # fmt: skip
    title = (f"{year}" if year is not None else (rows[0].county_en if en else rows[0].county_zh) if rows else "")
    from hnreport.domain.outcomes import LedgerRow

    fields = LedgerRow._fields
    _emit_to(app_ctx, fmt, output, force, data, headers, body, title, fields,
             empty=Message("ledger_empty").text(app_ctx.message_lang))
    if fmt == "table" and output is None and any(r.outcome_from == "review" for r in rows):
        say(Message("ledger_review_note"))


def _output_format(fmt: str, output: Path | None) -> str:
    from hnreport.render.formats import format_of

    check_choice(fmt, FORMATS, Message("what_format"))
    if output is None:
        return fmt
    by_name = format_of(output)
    if by_name not in ("json", "csv", "markdown"):
        raise HnreportError("unknown_choice", what=Message("what_format"), value=output.suffix or output.name, choices=".csv, .json, .md")
    if fmt != "table" and fmt != by_name:
        raise HnreportError("format_contradicts_extension", asked=fmt, name=output.name, fmt=by_name)
    return by_name


def _emit_to(app_ctx, fmt, output, force, rows, headers, body, title, fields, *, empty) -> None:
    """A listing on the screen, or (-o) into a file through the output guard."""
    from hnreport.render import common as render

    if output is None:
        render.emit(fmt, app_ctx.console, rows, headers, body, title=title, empty=empty, fieldnames=fields, nowrap=(0, 1), about_plan=False)
        return
    import io

    from rich.console import Console

    from hnreport.outfile import check_output, write_atomic

    check_output(output, app_ctx.db_path(), force=force)
    buffer = io.StringIO()
    render.emit(fmt, Console(file=buffer, width=200), rows, headers, body, title=title, empty=empty, fieldnames=fields, about_plan=False)
    write_atomic(output, buffer.getvalue())
    say(Message("wrote_file", path=output), err=True)
