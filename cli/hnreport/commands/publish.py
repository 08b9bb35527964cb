"""The record in the open: ``search``, ``scorecard``, ``publish`` (a publication database built
with sqlite-utils, and a static site) and ``serve`` (Datasette on a publication)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from hnreport.commands.context import AsOfOpt, ForceOpt, KnownAtOpt, app_context, apply_known_at, assessed_at, check_choice, say
from hnreport.errors import BadValue, HnreportError, Message

if TYPE_CHECKING:
    from hnreport.commands.context import AppContext
    from hnreport.domain.publication import Publication
    from hnreport.store import Store

commands = typer.Typer()

MAX_LIMIT = 1000
LISTING_FORMATS = ("table", "json", "csv", "markdown", "html")
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

PlanOpt = Annotated[Optional[str], typer.Option("--plan", metavar="PLAN", help="Only this plan (its key: hengnan-2022).")]


def _check_plan(store: Store, plan: str | None) -> str:
    key = store.items.plan().key
    if plan is not None and plan.strip().lower() != key.lower():
        raise BadValue("unknown_plan", plan=plan, plans=key)
    return key


# ── search ───────────────────────────────────────────────────────────────────────────────
@commands.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What to look for: 土谷塘, 棚户区, 双碳 (several words: all of them).")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json, csv or markdown.")] = "table",
    plan: PlanOpt = None,
    kind: Annotated[
        Optional[list[str]], typer.Option("--kind", metavar="KIND", help="Only hits of this kind (repeatable): target, milestone, result, term, note, figure.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="At most this many hits (default 50).")] = 50,
    known_at: KnownAtOpt = None,
) -> None:
    """Full-text search of the report and of what was recorded.

    Target, result and milestone names and 原文, progress notes (进展情况/存在问题/下一步措施),
    figure notes and sources, and the glossary; best first, the match marked 【】.

    \b
    Example: hnreport search 棚户区 --format json
    """
    app_ctx = app_context(ctx)
    from hnreport.domain.search import KINDS

    check_choice(fmt, ("table", "json", "csv", "markdown"), Message("what_format"))
    for k in kind or ():
        check_choice(k, KINDS, Message("what_search_kind"))
    if not text.strip():
        raise BadValue("search_needs_text")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadValue("limit_range", max=MAX_LIMIT)
    store = app_ctx.store()
    apply_known_at(store, known_at)
    _check_plan(store, plan)
    hits = store.search.find(text.strip(), kinds=tuple(kind or ()), limit=limit)
    from hnreport.render import public

    public.search_hits(text.strip(), hits, fmt, app_ctx.lang, app_ctx.console)


# ── scorecard ────────────────────────────────────────────────────────────────────────────
def _scorecard(store: Store, day: date) -> tuple[list, list, list]:
    from hnreport.domain.scorecard import scorecard

    assessed = assessed_at(store, day)
    states = store.tracking.milestone_states(day)
    leads, _supports = store.tracking.assignment_map()
    return scorecard(assessed, states, leads, store.items.plan().key), assessed, states


@commands.command("scorecard")
def scorecard_command(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json, csv, markdown or html.")] = "table",
    plan: PlanOpt = None,
    verdict: Annotated[
        Optional[str], typer.Option("--verdict", metavar="VERDICT", help="Only this verdict: kept, missed, in_progress, not_rated (or 已兑现 …).")
    ] = None,
    known_at: KnownAtOpt = None,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="Write to a file; .html .md .csv .json pick the format.")
    ] = None,
    force: ForceOpt = False,
) -> None:
    """The promise scorecard: which promises were kept.

    Each target and commitment kept, missed, in progress or not yet rated — with the report's words (原文), final or preliminary, the margin and the source of the verdict.

    \b
    Example: hnreport scorecard --as-of 2022-12-31 -o 记分卡.html
    """
    app_ctx = app_context(ctx)
    from hnreport import words
    from hnreport.domain.scorecard import count_verdicts

    check_choice(fmt, LISTING_FORMATS, Message("what_format"))
    if output is not None:
        fmt = _format_of_file(output, fmt)
    from hnreport.commands.context import choose

    wanted = choose(verdict, words.VERDICT, Message("what_verdict"))
    store = app_ctx.store()
    apply_known_at(store, known_at)
    _check_plan(store, plan)
    day = app_ctx.as_of(as_of, store.items.plan())
    entries, _, _ = _scorecard(store, day)
    counts = count_verdicts(entries)
    if wanted:
        entries = [e for e in entries if e.verdict == wanted]
    details = _plan_row(store, day)
    from hnreport.render import public

    if output is None:
        with app_ctx.console as console:
            public.scorecard(details, day, entries, counts, fmt, app_ctx.lang, console)
        return
    _write_listing(app_ctx, output, force, lambda console: public.scorecard(details, day, entries, counts, fmt, app_ctx.lang, console), fmt)


def _format_of_file(output: Path, asked: str) -> str:
    fmt = SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise BadValue("output_format_unknown", name=output.name)
    if asked != "table" and asked != fmt:
        raise BadValue("format_contradicts_extension", asked=asked, name=output.name, fmt=fmt)
    return fmt


def _write_listing(app_ctx: AppContext, output: Path, force: bool, draw, fmt: str) -> None:
    """A listing drawn into ``output`` through the output guard, written all at once."""
    import io

    from rich.console import Console

    from hnreport.outfile import check_output, write_atomic
    from hnreport.render.formats.screen import RECORD_WIDTH

    check_output(output, app_ctx.db_path(), force=force)
    buffer = io.StringIO()
    draw(Console(file=buffer, width=RECORD_WIDTH, markup=False))
    text = buffer.getvalue()
    if fmt == "csv":
        text = "\ufeff" + text  # Excel/WPS read UTF-8 by its BOM
    write_atomic(output, text)
    say(Message("n_wrote", path=output), err=True)


# ── publish ──────────────────────────────────────────────────────────────────────────────
def _plan_row(store: Store, day: date) -> dict:
    from hnreport.words.publication import SOURCE

    row = store.items.plan_details()
    row.update(as_of=day.isoformat(), source_title=SOURCE["title"], source_issuer=SOURCE["issuer"], source_occasion=SOURCE["occasion"])
    return row


def build_publication(store: Store, day: date, *, notes: bool = True) -> Publication:
    """What ``publish`` writes, from the record as it stands at ``day``."""
    from hnreport.domain import publication
    from hnreport.domain.scorecard import rank_units

    entries, assessed, states = _scorecard(store, day)
    plan = store.items.plan()
    history = {k: [c for c in changes if c.as_of <= day] for k, changes in store.tracking.status_changes().items()}
    figures: dict[str, list] = {}
    for o in store.figures.every_standing(day):
        figures.setdefault(o.target_key, []).append(o)
    leads, supports = store.tracking.assignment_map()
    assignments = [(k, u, "lead") for k, u in leads.items()] + [(k, u, "support") for k, us in supports.items() for u in us]
    units = sorted({u for _, u, _ in assignments})
    ranking = rank_units(units, entries, plan.key)
    return publication.build(
        _plan_row(store, day), day, store.items.sections(), assessed, states, history, figures, entries, ranking,
        sorted(assignments), store.items.results(), store.items.glossary(), notes=notes,
    )  # fmt: skip


def metadata_path(database: Path) -> Path:
    """The Datasette metadata written beside a publication: site.db → site.metadata.json."""
    return database.with_name(database.stem + ".metadata.json")


def write_publication(pub: Publication, output: Path, database: Path | None, force: bool) -> Path:
    """The publication database and its metadata, each through the output guard."""
    import json

    from hnreport.outfile import check_output, write_atomic
    from hnreport.store.publication import database_bytes, metadata

    if output.suffix.lower() != ".db":
        raise BadValue("publication_suffix", name=output.name)
    meta = metadata_path(output)
    check_output(output, database, force=force)
    check_output(meta, database, force=force)
    write_atomic(output, database_bytes(pub))
    write_atomic(meta, json.dumps(metadata(pub, output.stem), ensure_ascii=False, indent=2) + "\n")
    return meta


def write_site(pub: Publication, folder: Path, database: Path | None, force: bool) -> int:
    """The static site's files, each through the output guard: all checked before any is written."""
    from hnreport.outfile import check_output, write_atomic
    from hnreport.render.site import site_pages

    if folder.exists() and not folder.is_dir():
        raise BadValue("site_folder_is_file", folder=folder)
    if not folder.parent.exists():
        raise BadValue("folder_missing", folder=folder.parent)
    pages = site_pages(pub)
    subfolders = {folder / Path(name).parent for name in pages}
    for name in pages:
        path = folder / name
        if path.parent.exists():
            check_output(path, database, force=force)
    for sub in sorted(subfolders):
        sub.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        write_atomic(folder / name, text)
    return len(pages)


@commands.command()
def publish(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="FILE", help="The publication database to write (site.db; its Datasette metadata goes beside it as site.metadata.json).")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", metavar="FOLDER", help="Write the static site into this folder.")] = None,
    as_of: AsOfOpt = None,
    plan: PlanOpt = None,
    no_notes: Annotated[bool, typer.Option("--no-notes", help="Leave out what units wrote (进展情况, 存在问题, 下一步措施, figure notes).")] = False,
    known_at: KnownAtOpt = None,
    force: ForceOpt = False,
) -> None:
    """Publish the record as a database and a static site.

    A database for Datasette (-o) and/or a static site (--html).
    Statuses at the as-of date, figures with sources, milestones with their latest status,
    units and their ranking, the glossary and a search table — nothing private (no journal,
    user names, settings or contact details).

    \b
    Example: hnreport publish -o site.db --html 网站/ --as-of 2022-06-30
    """
    app_ctx = app_context(ctx)
    if output is None and html is None:
        raise BadValue("publish_needs_output")
    if output is not None and output.suffix.lower() != ".db":
        raise BadValue("publication_suffix", name=output.name)
    store = app_ctx.store()
    apply_known_at(store, known_at)
    _check_plan(store, plan)
    day = app_ctx.as_of(as_of, store.items.plan())
    pub = build_publication(store, day, notes=not no_notes)
    database = app_ctx.db_path()
    if output is not None:
        meta = write_publication(pub, output, database, force)
        say(Message("wrote_publication", path=output, metadata=meta, as_of=day.isoformat()), err=True)
    if html is not None:
        count = write_site(pub, html, database, force)
        say(Message("wrote_site", folder=html, count=count, index=html / "index.html"), err=True)


# ── serve ────────────────────────────────────────────────────────────────────────────────
def datasette_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("datasette") is not None


@commands.command()
def serve(
    ctx: typer.Context,
    source: Annotated[Optional[Path], typer.Option("--from", metavar="FILE", help="A publication made by 'hnreport publish -o' (default: a fresh one).")] = None,
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="The address to listen on (default 127.0.0.1: this computer only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", metavar="PORT", help="The port (default 8001).")] = 8001,
    as_of: AsOfOpt = None,
    no_notes: Annotated[bool, typer.Option("--no-notes", help="A fresh publication without the units' notes.")] = False,
) -> None:
    """Browse a publication in Datasette.

    Needs the web extra: pip install 'hnreport[web]'.
    Read-only (immutable), on this computer only unless --host says otherwise; without --from,
    a fresh publication is made in a temporary folder first.

    \b
    Example: hnreport serve --from site.db
    """
    app_ctx = app_context(ctx)
    if not datasette_available():
        raise HnreportError("serve_needs_datasette")
    import shutil
    import tempfile

    temp = None
    try:
        if source is None:
            store = app_ctx.store()
            day = app_ctx.as_of(as_of, store.items.plan())
            temp = Path(tempfile.mkdtemp(prefix="hnreport-serve-"))
            source = temp / "site.db"
            write_publication(build_publication(store, day, notes=not no_notes), source, None, False)
            app_ctx.close()  # the record is not needed while serving
        elif not source.is_file():
            raise BadValue("no_such_file", path=source)
        args = ["serve", "-i", str(source), "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]
        meta = metadata_path(source)
        if meta.is_file():
            args += ["--metadata", str(meta)]
        else:
            app_ctx.notice(Message("serve_missing_metadata", path=source, metadata=meta.name))
        say(Message("serving", host=host, port=port, path=source), err=True)
        # In this process: Ctrl+C or a SIGTERM stops the server and the temporary folder goes
        # with it; no child is left behind.
        import signal

        from datasette.cli import cli as datasette_cli

        # uvicorn stops on SIGTERM and then raises it again with the handler found before it
        # started: this one, which ends the command normally (so the finally below runs).
        signal.signal(signal.SIGTERM, _stop)
        try:
            datasette_cli.main(args=args, prog_name="datasette", standalone_mode=False)
        except KeyboardInterrupt:
            pass
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def _stop(_signum, _frame) -> None:
    raise SystemExit(0)
