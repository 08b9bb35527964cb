"""The journal: every change with who, when, what and why; undo and redo (nothing deleted)."""

from __future__ import annotations

import sqlite3

from hnreport.records import Record
from hnreport.domain.model import JournalEntry
from hnreport.errors import HnreportError, Message, from_stored, stored
from hnreport.store.sql import Repository, now_utc

RESTORE = "db.restore"  # the journal action of a restore: the whole database replaced by a file


class RestoreRecord(Record):
    """A restore, as the restored database's journal keeps it."""

    change_id: int
    at: str
    source: str  # the file restored from
    saved_to: str | None  # the before-restore copy of the database it replaced; None if there was none
    schema_from: int


class RestoreToUndo(HnreportError):
    """The change to undo is a restore: undoing it puts back the whole database file it replaced
    (``dbfile.restore.undo_restore``), which no transaction inside this database can do."""

    def __init__(self, record: RestoreRecord) -> None:
        super().__init__("undo_is_a_restore", change=record.change_id)
        self.record = record


class Journal(Repository):
    # ── journal, undo and redo ───────────────────────────────────────────────────────────
    _J_SQL = ("SELECT j.id, j.at, j.user, j.action, j.key, j.summary, j.reason, j.target_change, j.undone, j.known_from, "
              "p.key FROM journal j LEFT JOIN main.plans p ON p.id = j.plan_id")

    def entries(self, since: str | None = None, key: str | None = None, plan_id: int | None = None) -> list[JournalEntry]:
        where, args = [], []
        if plan_id is not None:
            where.append("j.plan_id = ?")
            args.append(plan_id)
        if since:
            where.append("j.at >= ?")
            args.append(since)
        if key:
            where.append("j.key = ? COLLATE NOCASE")
            args.append(key)
        sql = self._J_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY j.id"
        return [JournalEntry(*r[:8], bool(r[8]), r[9], r[10]) for r in self.conn.execute(sql, args)]

    def _undo(self, conn: sqlite3.Connection, entries: list[tuple[int, str, str | None]], reason: str | None) -> list[JournalEntry]:
        done: list[int] = []
        batch = None
        for change_id, summary, key in entries:
            conn.execute("UPDATE journal SET undone = 1 WHERE id = ?", (change_id,))
            _put_back(conn, change_id, "before")
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, key, summary, reason, target_change, batch, plan_id) "
                "VALUES (?, ?, 'undo', ?, ?, ?, ?, ?, (SELECT plan_id FROM journal WHERE id = ?6))",
                (now_utc(), self.store.user, key, stored(Message("j_undid", change=change_id, summary=from_stored(summary))), reason,
                 change_id, batch),
            )
            if batch is None:
                batch = cur.lastrowid
                conn.execute("UPDATE journal SET batch = ? WHERE id = ?", (batch, batch))
            done.append(change_id)
        return [e for e in self.entries() if e.id in done]

    _UNDOABLE = "SELECT id, summary, key, action FROM journal WHERE undone = 0 AND action NOT IN ('undo', 'redo')"

    def _undoable(self, conn: sqlite3.Connection, to: str | None) -> list[tuple[int, str, str | None, str]]:
        if to is None:
            rows = conn.execute(self._UNDOABLE + " ORDER BY id DESC LIMIT 1").fetchall()
            batch = rows and conn.execute("SELECT batch FROM journal WHERE id = ?", (rows[0][0],)).fetchone()[0]
            if batch:  # the entries one command wrote together (a restore) are one change
                rows = conn.execute(self._UNDOABLE + " AND batch = ? ORDER BY id DESC", (batch,)).fetchall()
        else:
            rows = conn.execute(self._UNDOABLE + " AND at > ? ORDER BY id DESC", (to,)).fetchall()
        if not rows:
            raise HnreportError("nothing_to_undo_after", moment=to) if to else HnreportError("nothing_to_undo")
        return rows

    def to_undo(self, to: str | None = None) -> list[JournalEntry]:
        """What ``undo(to)`` would revert, newest first; nothing is written. ``to`` reaching back
        past a restore is refused here already, before anyone is asked to confirm."""
        rows = self._undoable(self.conn, to)
        restores = [r[0] for r in rows if r[3] == RESTORE]
        if restores and to is not None:
            raise HnreportError("undo_to_crosses_restore", moment=to, change=restores[0], source=self.restore(restores[0]).source)
        ids = [row[0] for row in rows]
        wanted = set(ids)
        by_id = {e.id: e for e in self.entries() if e.id in wanted}
        return [by_id[i] for i in ids]

    def undo(self, to: str | None = None, reason: str | None = None, *, expected: list[int] | None = None) -> list[JournalEntry]:
        """Undo the last change, or (``to``) every change made after that moment. Nothing is deleted.

        ``expected``: the changes the user was shown and confirmed (``to_undo``); if the journal
        has moved since (someone recorded meanwhile), nothing is undone. A restore is never undone
        here (its rows are the whole restored file): the last change being one raises
        ``RestoreToUndo``; ``to`` reaching back past one is refused.
        """
        with self.store.write() as conn:
            rows = self._undoable(conn, to)
            if expected is not None and [row[0] for row in rows] != list(expected):
                raise HnreportError("undo_journal_moved")
            restores = [r[0] for r in rows if r[3] == RESTORE]
            if restores and to is None:
                raise RestoreToUndo(self.restore(restores[0]))
            if restores:
                raise HnreportError("undo_to_crosses_restore", moment=to, change=restores[0], source=self.restore(restores[0]).source)
            return self._undo(conn, [r[:3] for r in rows], reason)
    # ── restores ─────────────────────────────────────────────────────────────────────────
    def restore(self, change_id: int) -> RestoreRecord:
        row = self.conn.execute(
            "SELECT j.id, j.at, r.source, r.saved_to, r.schema_from FROM journal j JOIN restores r ON r.change_id = j.id "
            "WHERE j.id = ?", (change_id,)
        ).fetchone()  # fmt: skip
        if row is None:  # a journal entry without its row: written outside hnreport
            raise HnreportError("restore_record_missing", change=change_id)
        return RestoreRecord(*row)

    def record_restore(self, source: str, saved_to: str | None, schema_from: int) -> int:
        """Journal a restore into the restored database (it is the database from now on): who,
        when, from which file, and where the database it replaced was saved."""
        summary = (Message("j_restored_db", source=source, saved_to=saved_to) if saved_to
                   else Message("j_restored_db_fresh", source=source))  # fmt: skip
        with self.store.change(RESTORE, summary) as (conn, change_id):
            conn.execute(
                "INSERT INTO restores (change_id, source, saved_to, schema_from) VALUES (?, ?, ?, ?)",
                (change_id, source, saved_to, schema_from),
            )
        return change_id

    def record_restore_undone(self, restore: RestoreRecord, saved_to: str, reason: str | None) -> int:
        """Journal, in the database put back, that the restore which had replaced it was undone —
        an undo entry of its own (a later ``undo`` goes on to this database's own changes)."""
        summary = stored(Message("j_restore_undone", source=restore.source, at=restore.at, change=restore.change_id,
                                 saved_from=restore.saved_to, saved_to=saved_to))
        with self.store.write() as conn:
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, summary, reason, plan_id) VALUES (?, ?, 'undo', ?, ?, ?)",
                (now_utc(), self.store.user, summary, reason, self.store.plans.id),
            )
            conn.execute("UPDATE journal SET batch = id WHERE id = ?", (cur.lastrowid,))
        return cur.lastrowid  # type: ignore[return-value]

    def redo(self) -> list[JournalEntry]:
        """Re-apply what the most recent undo (not yet redone) reverted, if nothing changed since.

        Repeated, it walks back through earlier undos: undo, undo, redo, redo restores both.
        """
        with self.store.write() as conn:
            last_change = conn.execute(
                "SELECT COALESCE(MAX(id), 0) FROM journal WHERE action NOT IN ('undo', 'redo')"
            ).fetchone()[0]
            batch = None
            for (candidate,) in conn.execute(
                "SELECT DISTINCT batch FROM journal WHERE action = 'undo' AND batch > ? ORDER BY batch DESC", (last_change,)
            ).fetchall():
                pending = conn.execute(
                    "SELECT 1 FROM journal u JOIN journal t ON t.id = u.target_change "
                    "WHERE u.action = 'undo' AND u.batch = ? AND t.undone = 1 LIMIT 1", (candidate,)
                ).fetchone()
                if pending:
                    batch = candidate
                    break
            if batch is None:
                raise HnreportError("nothing_to_redo")
            redone = []
            for target, summary, key in conn.execute(
                "SELECT t.id, t.summary, t.key FROM journal u JOIN journal t ON t.id = u.target_change "
                "WHERE u.action = 'undo' AND u.batch = ? AND t.undone = 1 ORDER BY t.id", (batch,)
            ).fetchall():
                conn.execute("UPDATE journal SET undone = 0 WHERE id = ?", (target,))
                _put_back(conn, target, "after")
                conn.execute(
                    "INSERT INTO journal (at, user, action, key, summary, target_change, plan_id) "
                    "VALUES (?, ?, 'redo', ?, ?, ?, (SELECT plan_id FROM journal WHERE id = ?5))",
                    (now_utc(), self.store.user, key, stored(Message("j_redid", change=target, summary=from_stored(summary))), target),
                )
                redone.append(target)
        return [e for e in self.entries() if e.id in redone]



def _put_back(conn: sqlite3.Connection, change_id: int, side: str) -> None:
    """A change that updated rows in place (a `plan load` over a plan already there) kept them as
    they were and as it left them: undo writes back the first, redo the second."""
    if conn.execute("SELECT 1 FROM journal WHERE id = ? AND action = 'plan.load'", (change_id,)).fetchone():
        from hnreport.store import seed_images

        seed_images.put_back(conn, change_id, side)
