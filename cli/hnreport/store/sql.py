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


def standing(alias: str) -> str:
    """SQL: the figure at ``alias`` stands — made by a change that counts (``visible``) and not
    retracted by one."""
    r = f"r_{alias}"
    return (f"{visible(alias)} AND NOT EXISTS (SELECT 1 FROM retractions {r} WHERE {r}.observation_id = {alias}.id "
            f"AND {visible(r)})")


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Repository:
    """One subject's queries, sharing the store's connection, transactions and journal."""

    def __init__(self, store) -> None:  # store: hnreport.store.core.Store (not imported: a cycle)
        self.store = store
        self.conn = store.conn

    def grouped(self, sql: str, column: str, key: str | None, order: str, make, *, at: int = 1) -> dict:
        """The rows of ``sql`` (a SELECT whose WHERE is already written), only those whose
        ``column`` is ``key`` when one is given, in ``order``, each made with ``make`` and grouped
        by its column ``at`` (the item's key): the milestone histories, deadlines, node marks and
        target revisions are all read this way."""
        args: tuple = ()
        if key:
            sql += f" AND {column} = ?"
            args = (key,)
        out: dict = {}
        for r in self.conn.execute(f"{sql} ORDER BY {order}", args):
            out.setdefault(r[at], []).append(make(r))
        return out
