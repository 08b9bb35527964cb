"""Small pieces every store module shares."""

from __future__ import annotations

from datetime import datetime, timezone


def visible(alias: str) -> str:
    """SQL: the row at ``alias`` was made by no change, or by one that counts (not undone).

    ``visible_changes`` is a temporary view per connection — every active change, or, for
    ``--known-at``, those made and not undone by a given moment.
    """
    # An EXISTS probe, not `IN visible_changes`: SQLite would materialise the whole list of
    # changes for every statement (a million ids on a large database).
    return f"({alias}.change_id IS NULL OR EXISTS (SELECT 1 FROM visible_changes v WHERE v.id = {alias}.change_id))"


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def prepare_location(path, create_parent: bool) -> None:
    """Refuse a directory where the database file should be, and a missing folder (created
    only for the default location)."""
    from hnreport.errors import DatabaseError

    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if not path.parent.exists():
        if not create_parent:
            raise DatabaseError(f"the folder {path.parent} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True)
