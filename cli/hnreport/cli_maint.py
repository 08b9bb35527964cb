"""Commands that look after the database file: db check, db backup, db restore.

Registered on the ``db`` group of the main app by ``cli.py``. The logic is in ``maintenance``;
these commands resolve the database path without opening it through the store, so checking or
backing up never creates, migrates or seeds anything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from hnreport.cli import _check_choice, _ctx, db_app


def _db_path(ctx: typer.Context) -> tuple[Path, bool]:
    from hnreport.store import resolve_db_path

    return resolve_db_path(_ctx(ctx).db_option)


@db_app.command("check")
def db_check(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table (one line per problem) or json.")] = "table",
) -> None:
    """Check integrity, foreign keys and the seeded plan against data/; exit 1 lists each problem.

    \b
    Example: hnreport db check --format json
    """
    from hnreport import maintenance

    _check_choice(fmt, ("table", "json"), "format")
    path, _ = _db_path(ctx)
    report = maintenance.check(path)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    elif report.ok:
        names = {"plan": "plan", "glossary": "glossary terms"}
        counts = ", ".join(f"{n} {names.get(name, name)}" for name, n in report.checked.items() if name in maintenance.LABELS)
        older = (
            f"; schema {report.schema_version} (the next hnreport command migrates it to {report.latest_schema})"
            if report.schema_version < report.latest_schema
            else ""
        )
        typer.echo(f"ok: {path}: integrity and foreign keys sound, seeded plan matches data/ ({counts}){older}")
    else:
        for problem in report.problems:
            typer.echo(problem.line())
    if not report.ok:
        raise typer.Exit(1)


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a new file; readable by you only).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE, consistently, even while others record figures.

    \b
    Example: hnreport db backup ~/backups/hnreport-2022-07-15.db
    """
    from hnreport import maintenance

    path, _ = _db_path(ctx)
    result = maintenance.backup(path, file, force=force)
    typer.echo(
        f"backed up {path} to {result.path} (schema {result.schema_version}, "
        f"{result.observations if result.observations is not None else 'no'} observations, {result.size} bytes)"
    )


@db_app.command("restore")
def db_restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An hnreport database, e.g. one written by 'hnreport db backup'.")],
) -> None:
    """Replace the database with FILE (migrated if older), first saving it as <db>.before-restore-<UTC time>.db.

    \b
    Example: hnreport db restore ~/backups/hnreport-2022-07-15.db
    """
    from hnreport import maintenance

    path, is_default = _db_path(ctx)
    result = maintenance.restore(path, file, create_parent=is_default)
    if result.saved_to is not None:
        how = " (byte for byte: it is damaged)" if result.saved_raw else ""
        typer.echo(f"saved the database it replaces to {result.saved_to}{how}")
    else:
        typer.echo(f"there was no database at {path}; nothing needed saving")
    migrated = f", migrated from schema {result.schema_from}" if result.schema_to != result.schema_from else ""
    typer.echo(
        f"restored {file} into {path} (schema {result.schema_to}{migrated}; {result.observations} observations, "
        f"{result.journal_entries} journal entries)"
    )
