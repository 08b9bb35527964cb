"""The journal: every change with who, when, what and why; undo and redo (nothing deleted)."""

from __future__ import annotations

import sqlite3

from hnreport.domain.model import JournalEntry
from hnreport.errors import HnreportError
from hnreport.store.sql import Repository, now_utc


class Journal(Repository):
    # ── journal, undo and redo ───────────────────────────────────────────────────────────
    _J_SQL = "SELECT id, at, user, action, key, summary, reason, target_change, undone FROM journal"

    def entries(self, since: str | None = None, key: str | None = None) -> list[JournalEntry]:
        where, args = [], []
        if since:
            where.append("at >= ?")
            args.append(since)
        if key:
            where.append("key = ? COLLATE NOCASE")
            args.append(key)
        sql = self._J_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [JournalEntry(*r[:8], bool(r[8])) for r in self.conn.execute(sql, args)]

    def _undo(self, conn: sqlite3.Connection, entries: list[tuple[int, str, str | None]], reason: str | None) -> list[JournalEntry]:
        done: list[int] = []
        batch = None
        for change_id, summary, key in entries:
            conn.execute("UPDATE journal SET undone = 1 WHERE id = ?", (change_id,))
            cur = conn.execute(
                "INSERT INTO journal (at, user, action, key, summary, reason, target_change, batch) "
                "VALUES (?, ?, 'undo', ?, ?, ?, ?, ?)",
                (now_utc(), self.store.user, key, f"undid change {change_id}: {summary}", reason, change_id, batch),
            )
            if batch is None:
                batch = cur.lastrowid
                conn.execute("UPDATE journal SET batch = ? WHERE id = ?", (batch, batch))
            done.append(change_id)
        return [e for e in self.entries() if e.id in done]

    _UNDOABLE = "SELECT id, summary, key FROM journal WHERE undone = 0 AND action NOT IN ('undo', 'redo')"

    def _undoable(self, conn: sqlite3.Connection, to: str | None) -> list[tuple[int, str, str | None]]:
        if to is None:
            rows = conn.execute(self._UNDOABLE + " ORDER BY id DESC LIMIT 1").fetchall()
        else:
            rows = conn.execute(self._UNDOABLE + " AND at > ? ORDER BY id DESC", (to,)).fetchall()
        if not rows:
            raise HnreportError("nothing_to_undo_after", moment=to) if to else HnreportError("nothing_to_undo")
        return rows

    def to_undo(self, to: str | None = None) -> list[JournalEntry]:
        """What ``undo(to)`` would revert, newest first; nothing is written."""
        ids = [row[0] for row in self._undoable(self.conn, to)]
        wanted = set(ids)
        by_id = {e.id: e for e in self.entries() if e.id in wanted}
        return [by_id[i] for i in ids]

    def undo(self, to: str | None = None, reason: str | None = None, *, expected: list[int] | None = None) -> list[JournalEntry]:
        """Undo the last change, or (``to``) every change made after that moment. Nothing is deleted.

        ``expected``: the changes the user was shown and confirmed (``to_undo``); if the journal
        has moved since (someone recorded meanwhile), nothing is undone.
        """
        with self.store.write() as conn:
            rows = self._undoable(conn, to)
            if expected is not None and [row[0] for row in rows] != list(expected):
                raise HnreportError("undo_journal_moved")
            return self._undo(conn, rows, reason)

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
                conn.execute(
                    "INSERT INTO journal (at, user, action, key, summary, target_change) VALUES (?, ?, 'redo', ?, ?, ?)",
                    (now_utc(), self.store.user, key, f"redid change {target}: {summary}", target),
                )
                redone.append(target)
        return [e for e in self.entries() if e.id in redone]

