"""``hnreport db …``: where the database is, setting it up, and looking after the file (check,
backup, restore). Check, backup and restore resolve the path without opening the store, so they
never create, migrate or seed anything; the logic is in ``hnreport.dbfile``."""

from pathlib import Path
from typing import Annotated

import typer

from hnreport.commands.context import app_context, check_choice, say
from hnreport.errors import Message, Word

app = typer.Typer(help="Where the database is, and setting it up.\n\nExample: hnreport db path", no_args_is_help=True)


def _db_path(ctx: typer.Context) -> tuple[Path, bool]:
    from hnreport.store.location import resolve_db_path

    return resolve_db_path(app_context(ctx).db_option)


@app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the database file in use.

    On stderr it also says whether the file is on a network drive.

    \b
    Example: hnreport db path
    """
    path = _db_path(ctx)[0]
    import sys

    from hnreport.outfile import EncodingSafeWriter

    EncodingSafeWriter(sys.stdout).write_exact(f"{path}\n")  # (a character the console lacks: its escape)
    _say_if_on_network(ctx, path)


@app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Create, migrate and seed the database.

    Safe to run again: it changes nothing then.

    \b
    Example: hnreport --db county.db db init
    """
    store = app_context(ctx).store()
    say(Message("n_db_ready", path=store.path, version=store.schema_version, targets=len(store.items.targets()),
                results=len(store.items.results()), observations=store.figures.observation_count()))


@app.command("check")
def db_check(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table (one line per problem) or json.")] = "table",
) -> None:
    """Check the database: integrity, schema, seeded plan.

    Check integrity, foreign keys and the seeded plan against data/; exit 1 lists each problem.

    \b
    Example: hnreport db check --format json
    """
    from hnreport.dbfile import check as maintenance
    from hnreport.render.formats.json import write_json

    check_choice(fmt, ("table", "json"), Message("what_format"))
    path, _ = _db_path(ctx)
    report = maintenance.check(path)
    if fmt == "json":
        write_json(app_context(ctx).console.file, report.as_dict())
    elif report.ok:
        counts = tuple(Message("n_checked", count=n, what=Word("CHECKED", name)) for name, n in report.checked.items()
                       if name in maintenance.LABELS)
        older = (
            Message("n_check_older", version=report.schema_version, latest=report.latest_schema)
            if report.schema_version < report.latest_schema
            else ""
        )
        several = report.checked.get("plan", 0) > 1
        say(Message("n_check_ok_plans" if several else "n_check_ok", path=path, counts=counts, older=older))
        if report.checked.get("plans_not_checked"):
            say(Message("n_check_plans_not_checked", count=report.checked["plans_not_checked"]))
    else:
        for problem in report.problems:
            say(problem.line())
    if not report.ok:
        raise typer.Exit(1)


@app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (a new file; readable by you only).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to a file, safely.

    Consistent even while others record figures; the copy is readable by you only.

    \b
    Example: hnreport db backup ~/backups/hnreport-2022-07-15.db
    """
    from hnreport.dbfile import backup

    path, _ = _db_path(ctx)
    result = backup.backup(path, file, force=force)
    say(Message("n_backed_up", path=path, copy=result.path, version=result.schema_version,
                observations=result.observations if result.observations is not None else 0, size=result.size))


@app.command("restore")
def db_restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An hnreport database, e.g. one written by 'hnreport db backup'.")],
) -> None:
    """Replace the database with a backup or an export.

    An older file is migrated; the database it replaces is first saved as <db>.before-restore-<UTC time>.db.

    The restore is journalled in the restored database; 'hnreport undo' right after it puts back
    the database it replaced.

    \b
    Example: hnreport db restore ~/backups/hnreport-2022-07-15.db
    """
    from hnreport.dbfile import restore

    path, is_default = _db_path(ctx)
    result = restore.restore(path, file, create_parent=is_default, user=app_context(ctx).user)
    if result.saved_to is not None:
        say(Message("n_restore_saved", path=result.saved_to, how=Message("n_restore_saved_raw") if result.saved_raw else ""))
    else:
        say(Message("n_restore_nothing_saved", path=path))
    migrated = Message("n_migrated_from", version=result.schema_from) if result.schema_to != result.schema_from else ""
    say(Message("n_restored_db", source=file, path=path, version=result.schema_to, migrated=migrated,
                observations=result.observations, entries=result.journal_entries))
    say(Message("n_restore_journalled", change=result.change_id,
                undo=Message("n_restore_undo_hint") if result.saved_to is not None else ""))
    _say_if_on_network(ctx, path)


def _say_if_on_network(ctx: typer.Context, path: Path) -> None:
    from hnreport.store.location import network_drive

    drive = network_drive(path.parent)
    if drive:  # on stderr: `$(hnreport db path)` stays the path alone
        app_context(ctx).notice(Message("db_on_network", path=path, what=drive))
