"""Small SQL pieces every repository shares."""

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


class Repository:
    """One subject's queries, sharing the store's connection, transactions and journal."""

    def __init__(self, store) -> None:  # store: hnreport.store.core.Store (not imported: a cycle)
        self.store = store
        self.conn = store.conn
