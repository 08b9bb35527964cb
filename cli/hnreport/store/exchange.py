"""The exchange repository: import of figures, export and restore of everything a user entered.

An import is one journalled change (so one undo reverts it), is validated completely before
anything is written, and is idempotent.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from bisect import bisect_left
from itertools import chain, compress, groupby, islice, repeat
from operator import and_, countOf, getitem, itemgetter, le, or_, sub
from typing import TYPE_CHECKING, Any

from hnreport.records import Record
from hnreport.store.figure_texts import add_figure_texts
from hnreport.store.sql import Repository, now_utc, visible
from hnreport.errors import BadPeriod, BadValue, HnreportError, Message
from hnreport.errors import stored as stored_message
from hnreport.domain.model import NONNEGATIVE_KINDS
from hnreport.domain.values import MAX_DECIMALS, format_number

if TYPE_CHECKING:
    from hnreport.readers import Table

EXPORT_FORMAT = "hnreport-export"
EXPORT_VERSION = 1


class _TooMuchHistory(Exception):
    """More recorded figures for the file's targets and periods than are held while reading."""


class _NothingToImport(Exception):
    """Rolls back the journal entry of an import that turned out to change nothing."""

    def __init__(self, counts: tuple[int, int, int, int]) -> None:
        self.counts = counts


class ImportSummary(Record):
    added: int
    revised: int
    unchanged: int
    retracted: int
    extra_columns: list[str]
    encoding: str
    change_id: int | None = None
    # Figures that look implausible among those the import writes (domain.plausibility): the
    # first ImportProblems.SHOWN as "line N: key: why", and how many in all. An import writes
    # them only with ``yes`` (flagged); a dry run lists them.
    implausible: tuple = ()
    implausible_count: int = 0


# Validated rows wait in a temporary table (the connection's own temp file, not the database)
# in batches of this many, so memory does not grow with the file; the write is then one
# set-based INSERT.
STAGE_BATCH = 5000
# Rows are staged this many to an INSERT (one multi-row VALUES, an executemany of those): a
# row of its own costs SQLite a statement step and Python a round of executemany's loop, more
# than binding its values (100k rows staged: 157 → 90 ms). 150 rows of at most 6 values stay
# within the 999 values a statement may bind in SQLite before 3.32.
ROWS_PER_INSERT = 150
# Distinct (key, period) cells resolved once each — target, period, plausible range — and kept
# while a file is read (a file has a few thousand; a hostile one is cleared and resolved again).
MAX_CACHED_CELLS = 100_000
# Figures already recorded for the targets and periods a file touches are held while it is
# read, to compare with; beyond this many the comparison is left to SQL after the file is read.
MAX_HISTORY_HELD = 100_000
# Checked rows are held in memory (a few hundred bytes each) up to this many, and written
# straight from there; a larger file's are staged in a temporary table as they are read.
MAX_ROWS_HELD = 200_000
MAX_WARNINGS_KEPT = 10_000  # implausible rows whose message is kept (the first listed; all are counted)

# A row's target and period as one number (``grp``): the target's rank (in temp.import_keys,
# which recorded figures are joined to as well) times DAYS, plus the period's day of the plan
# year. What there is to remember while a file is read is per grp: at most targets × days.
DAYS = 400
# A staged row is its group, its value, note and source, and one integer of bits (``bits``):
# what else the row says, packed, since every value handed to SQLite costs as much as
# storing it. Its key and period are its group's (temp.import_groups).
FINAL, RETRACTED, CHOSEN, FUTURE, IMPLAUSIBLE = 1, 2, 4, 8, 16
FLAG_BITS = {"future": FUTURE, "implausible": IMPLAUSIBLE}  # domain.plausibility.FLAGS
DECIMALS_SHIFT = 5  # bits >> 5: the decimals + 1 (0: not known)
_DECIMALS_BITS = tuple((places + 1) << DECIMALS_SHIFT for places in range(MAX_DECIMALS + 1))  # a row's decimals as bits
_TAIL_BITS = (0, *_DECIMALS_BITS)  # the same by decimals + 1
_STAGE = """CREATE TEMP TABLE import_stage (
    seq INTEGER PRIMARY KEY, grp INTEGER NOT NULL, value REAL NOT NULL, note TEXT, source TEXT,
    bits INTEGER NOT NULL, recorded_at TEXT)"""
_GROUPS = "CREATE TEMP TABLE import_groups (grp INTEGER PRIMARY KEY, key TEXT NOT NULL, as_of TEXT NOT NULL)"
_SAME = "CREATE TEMP TABLE import_same (grp INTEGER PRIMARY KEY)"  # targets and periods the file leaves as they are
_KEYS = "CREATE TEMP TABLE import_keys (key TEXT PRIMARY KEY COLLATE NOCASE, rank INTEGER NOT NULL)"
_SCRATCH = ("import_stage", "import_groups", "import_same", "import_keys")
# The staged rows the import writes, with their key, period, vintage, decimals and flag.
_WRITTEN = ("FROM temp.import_stage s JOIN temp.import_groups g ON g.grp = s.grp "
            "WHERE s.bits & 4 AND s.grp NOT IN (SELECT grp FROM temp.import_same)")  # fmt: skip

# A staged row's (s) vintage, decimals and flag, from its bits.
_VINTAGE = "CASE WHEN s.bits & 1 THEN 'final' ELSE 'preliminary' END"
_DECIMALS = "NULLIF(s.bits >> 5, 0) - 1"
_FLAG = "CASE (s.bits >> 3) & 3 WHEN 1 THEN 'future' WHEN 2 THEN 'implausible' WHEN 3 THEN 'future,implausible' END"
_NOT_LIVE = object()  # no figure of the group in the file is live (all are retracted)


class _Comparison:
    """Which rows of a file change anything, decided row by row as the file is read.

    A figure is the same when value, source, vintage and note agree. A target and period whose
    rows all match figures already recorded, and whose last live row is the current figure,
    changes nothing (so an export, superseded rows and all, re-imports as unchanged);
    otherwise its rows apply in order, each a revision of the figure current at that point.
    Per target and period it keeps the recorded figures (``history`` loads them), the figure
    current so far and counts — never the rows themselves.

    A target and period nothing is recorded for, while its rows are all live (the common case: new
    figures), keeps only the figure current (``fresh``): it cannot be left as it is, and each of its
    rows is written when it differs from the one before; its counts are kept for all such at once.
    """

    def __init__(self, history: Callable[[int], tuple[Any, set]]) -> None:
        self.history = history
        # grp → [current recorded, recorded signatures, current now, all rows known, last live
        #        row's signature, rows, added, revised, retracted]
        self.groups: dict[int, list] = {}
        self.fresh: dict[int, tuple] = {}  # grp → current signature (see above)
        self.fresh_counts = [0, 0, 0]  # rows, added, revised of the fresh groups

    def row(self, grp: int, signature: tuple, gone: bool) -> bool:
        """Whether this row is written (unless its whole group turns out unchanged)."""
        state = self.groups.get(grp)
        if state is None:
            current = self.fresh.pop(grp, None)
            if current is not None:  # no longer fresh: its counts so far stay with the fresh groups'
                state = self.groups[grp] = [None, frozenset(), current, False, current, 0, 0, 0, 0]
            else:
                recorded, known = self.history(grp)
                state = self.groups[grp] = [recorded, known, recorded, True, _NOT_LIVE, 0, 0, 0, 0]
        state[5] += 1
        if state[3] and signature not in state[1]:
            state[3] = False
        if not gone:
            state[4] = signature
            if signature == state[2]:
                return False
        if state[2] is None:
            state[6] += 1
        else:
            state[7] += 1
        if gone:
            state[8] += 1
        else:
            state[2] = signature
        return True

    def live(self, grps: Iterable[int], signatures: Iterable[tuple]) -> list[int]:
        """``row`` for a batch of live rows (none retracted), in one loop: CHOSEN or 0 for each
        (a call a row was a fifth of a plain import's checking)."""
        groups, history, fresh, out = self.groups, self.history, self.fresh, []
        append, get = out.append, fresh.get
        added = others = others_chosen = 0  # fresh groups begun; rows of the other groups, and those written
        for grp, signature in zip(grps, signatures):
            current = get(grp)
            if current is not None:  # (the common case: counted at the end, from ``out``)
                if signature == current:
                    append(0)
                else:
                    fresh[grp] = signature
                    append(CHOSEN)
                continue
            state = groups.get(grp)
            if state is None:
                recorded, known = history(grp)
                if recorded is None and not known:  # nothing recorded: fresh
                    fresh[grp] = signature
                    added += 1
                    append(CHOSEN)
                    continue
                state = groups[grp] = [recorded, known, recorded, True, _NOT_LIVE, 0, 0, 0, 0]
            others += 1
            state[5] += 1
            if state[3] and signature not in state[1]:
                state[3] = False
            state[4] = signature
            current = state[2]
            if signature == current:
                append(0)
                continue
            if current is None:
                state[6] += 1
            else:
                state[7] += 1
            state[2] = signature
            others_chosen += 1
            append(CHOSEN)
        counts = self.fresh_counts  # rows, added, revised of the fresh groups
        counts[0] += len(out) - others
        counts[1] += added
        counts[2] += countOf(out, CHOSEN) - others_chosen - added
        return out

    def result(self) -> tuple[list[int], tuple[int, int, int, int]]:
        """(the groups the file leaves as they are, (added, revised, unchanged, retracted))."""
        same: list[int] = []
        rows, added, revised = self.fresh_counts
        unchanged, retracted = rows - added - revised, 0
        for grp, (recorded, _, _, all_known, last_live, rows, a, r, x) in self.groups.items():
            if all_known and (last_live is _NOT_LIVE or last_live == recorded):
                same.append(grp)
                unchanged += rows
            else:
                added, revised, unchanged, retracted = added + a, revised + r, unchanged + rows - a - r, retracted + x
        return same, (added, revised, unchanged, retracted)


class Exchange(Repository):
    def import_table(
        self, table: Table, path: str, *, dry_run: bool = False, progress: Callable[[int], None] | None = None,
        known_from: str | None = None, today: date | None = None, force: bool = False, yes: bool = False,
    ) -> ImportSummary:
        """Import the figures of ``table`` as one journalled change, all or nothing.

        Every row is checked and compared with what is recorded as it is read; the checked rows
        are held in memory (a file of up to MAX_ROWS_HELD rows) or staged in a temporary table
        (a larger one: memory does not grow with the file); only when the file is whole and
        sound is anything written, in one transaction.

        ``today``: a figure for a period ending after it is refused, or with ``force`` written
        flagged. A figure that looks implausible (domain.plausibility) is listed in the summary
        and written, flagged, only with ``yes``: without it the import is refused."""
        # (the cycle collector paused throughout, not only while the rows are read and written:
        # the rows held between the two would be walked once more)
        return _without_gc(self._import_table, table, path, dry_run, progress, known_from, today, force, yes)

    def _import_table(
        self, table: Table, path: str, dry_run: bool, progress: Callable[[int], None] | None, known_from: str | None,
        today: date | None, force: bool, yes: bool,
    ) -> ImportSummary:
        conn = self.conn
        # A page cache the size of a large import's write: with SQLite's 2 MiB the pages spill
        # to the log mid-write and are read back (100k figures: 39k writes → 12k; ~8 % faster).
        conn.execute("PRAGMA cache_size = -32768")  # 32 MiB (negative: in KiB)
        for scratch in _SCRATCH:
            conn.execute(f"DROP TABLE IF EXISTS temp.{scratch}")
        for ddl in (_STAGE, _GROUPS, _SAME, _KEYS):
            conn.execute(ddl)
        try:
            counts, seen, warned, held, same = _without_gc(self._stage, table, path, progress, today, force)
            if dry_run:
                if counts is None:
                    conn.execute("BEGIN")  # one snapshot to compare with
                    counts = self._compare_staged()
                    conn.execute("COMMIT")
                return ImportSummary(*counts, table.extra_columns, table.encoding, None, *self._implausible(warned, held, same))
            # Foreign keys are checked once for the whole file below, not once a row by SQLite
            # (a tenth of the write): outside a transaction only, so nothing else goes
            # unchecked, and only while the tables the import writes have no other keys.
            unchecked = not conn.in_transaction and _only_known_keys(conn)
            if unchecked:
                conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.store.change("import", Message("j_import_started", path=path), reason=path, known_from=known_from) as (conn, change_id):
                    # Compared with what was recorded when the file was read; if anything has
                    # been recorded since (another import of the same file, say), compare again
                    # now, inside the write lock, so two imports cannot both add it.
                    latest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal WHERE id < ?", (change_id,)).fetchone()[0]
                    if counts is None or latest != seen:
                        if held is not None:
                            self._stage_held(held)
                            held = None
                        counts = self._compare_staged()
                    if not (counts[0] or counts[1]):  # added or revised (retracted rows are among them)
                        raise _NothingToImport(counts)
                    listed = implausible, how_many = self._implausible(warned, held, same)
                    if how_many and not yes:
                        from hnreport.readers import ImportProblems

                        raise ImportProblems(path, list(implausible), how_many, "import_implausible")
                    if unchecked:
                        _check_keys(conn)
                    # (main: with several plans, ``observations`` is this plan's, and another's may hold the last id)
                    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM main.observations").fetchone()[0]
                    # The rows' CHECK constraints, too, are checked once for the file (each
                    # period once, _check_values), not once a row (a fifth of SQLite's write).
                    checked = _only_known_checks(conn)
                    if checked:
                        _check_values(conn, held)
                        conn.execute("PRAGMA ignore_check_constraints = ON")
                    try:
                        if held is not None:
                            _without_gc(self._write_held, held, same, change_id, first, counts)
                        else:
                            self._write_staged(change_id, first, counts[3])
                    finally:
                        if checked:
                            conn.execute("PRAGMA ignore_check_constraints = OFF")
                    added, revised, unchanged, _ = counts
                    conn.execute(
                        "UPDATE journal SET summary = ? WHERE id = ?",
                        (stored_message(Message("j_imported", path=path, added=added, revised=revised, unchanged=unchanged)), change_id),
                    )
            except _NothingToImport as nothing:
                return ImportSummary(*nothing.counts, table.extra_columns, table.encoding)
            finally:
                if unchecked:
                    conn.execute("PRAGMA foreign_keys = ON")
            return ImportSummary(*counts, table.extra_columns, table.encoding, change_id, *listed)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for scratch in _SCRATCH:
                conn.execute(f"DROP TABLE IF EXISTS temp.{scratch}")
            conn.execute("PRAGMA cache_size = -2000")  # SQLite's default again (the store sets no other)

    def _write_staged(self, change_id: int, first: int, retracted: int) -> None:
        """Write the staged rows the import writes, with one INSERT … SELECT."""
        conn = self.conn
        # By target and period, in file order within each (so a revision's id is the larger):
        # the index on (key, period) is then written in order, far cheaper than at random
        # places; the ids (each the largest so far + 1) follow this order from ``first``.
        conn.execute(
            "INSERT INTO main.observations (plan_id, target_key, value, as_of, recorded_at, note, source, vintage, change_id, "
            f"decimals, flag) SELECT ?, g.key, s.value, g.as_of, COALESCE(s.recorded_at, ?), NULLIF(s.note, ''), NULLIF(s.source, ''), {_VINTAGE}, ?, "
            f"{_DECIMALS}, {_FLAG} {_WRITTEN} ORDER BY s.grp, s.seq",
            (self.store.plans.id, now_utc(), change_id),
        )
        if retracted:
            conn.execute(
                "INSERT INTO retractions (observation_id, change_id, reason) "
                "SELECT id, ?, 'retracted in the imported file' FROM (SELECT ? - 1 + row_number() OVER "
                f"(ORDER BY s.grp, s.seq) AS id, s.bits & 2 AS retracted {_WRITTEN}) WHERE retracted ORDER BY id",
                (change_id, first),
            )

    def _implausible(self, warned: dict[int, tuple], held: list[tuple] | None, same: set[int]) -> tuple[tuple[Message, ...], int]:
        """The implausible figures among those the import writes (once the rows are compared):
        the first ImportProblems.SHOWN of them, said, and how many in all. ``warned``: row (its
        seq, from 1 in file order) → (line, target, value, decimals, group), for the first
        MAX_WARNINGS_KEPT; only the few shown are made into messages. ``held``: the rows, when
        they are held in memory (else they are staged)."""
        from hnreport.domain.plausibility import implausible
        from hnreport.readers import ImportProblems

        if not warned:
            return (), 0
        # CHOSEN | IMPLAUSIBLE = 20: written, and implausible
        seqs: Iterable[tuple[int]]
        if held is not None:
            # every implausible row is in ``warned`` unless it is full: then look at them all
            candidates = sorted(warned) if len(warned) < MAX_WARNINGS_KEPT else range(1, len(held) + 1)
            found = [(seq,) for seq in candidates if held[seq - 1][4] & 20 == 20 and held[seq - 1][0] not in same]
            count, seqs = len(found), found
        else:
            where = "FROM temp.import_stage s WHERE s.bits & 20 = 20 AND s.grp NOT IN (SELECT grp FROM temp.import_same)"
            count = self.conn.execute(f"SELECT count(*) {where}").fetchone()[0]
            seqs = self.conn.execute(f"SELECT s.seq {where} ORDER BY s.seq")
        shown: list[Message] = []
        for (seq,) in seqs:
            if seq in warned:
                line, target, value, decimals, expected, last = warned[seq]
                reason = implausible(target, value, expected, last, format_number(value, decimals))
                shown.append(Message("import_line", line=line, problem=Message("implausible_in_row", key=target.key, reason=reason)))
                if len(shown) == ImportProblems.SHOWN:
                    break
        return tuple(shown), count

    def _stage(
        self, table: Table, path: str, progress: Callable[[int], None] | None, today: date | None, force: bool,
    ) -> tuple[tuple[int, int, int, int] | None, int, dict[int, tuple], list[tuple] | None, set[int]]:
        """Check every row of ``table``; keep the valid ones, each marked whether it changes
        anything: in memory while there are at most MAX_ROWS_HELD of them, else staged into
        temp.import_stage. Any problem (each reported with its line; the first 50 kept, the
        rest counted) stops the staging and raises ImportProblems once the whole file has been
        read.

        Returns the counts (None when the figures recorded for the file's targets and periods
        were too many to hold, and SQL must compare), the last journal entry they reflect, the
        figures that look implausible (see ``_implausible``), the rows held in memory (None:
        they are staged) and the groups the file leaves as they are."""
        from hnreport.readers import Problems

        conn = self.conn
        targets = self.store.items.targets()
        plan = self.store.items.plan()
        conn.executemany("INSERT INTO temp.import_keys (key, rank) VALUES (?, ?)", _ranks(targets).items())
        conn.execute("BEGIN")  # one snapshot of what is recorded; the staged rows commit in one go
        seen = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
        rows = _Rows(self, table, targets, plan, today, force, _Comparison(self._recorded_history(targets, plan)))
        problems = Problems()
        insert = ("INSERT INTO temp.import_stage (grp, value, note, source, bits, recorded_at)"
                  if rows.ri is not None else "INSERT INTO temp.import_stage (grp, value, note, source, bits)")  # fmt: skip
        source = iter(table.rows)
        batches = table.batches if table.batches is not None else iter(lambda: list(islice(source, STAGE_BATCH)), [])
        done = 0
        held: list[tuple] | None = []
        for batch in batches:
            if not batch:  # (a batch of blank lines)
                continue
            if progress is not None:
                progress(done)
            done += len(batch)
            staged = rows.stage(batch, problems)
            if not staged:
                continue
            if held is None:
                _insert_many(conn, insert, staged)
                continue
            held.extend(staged)
            if len(held) > MAX_ROWS_HELD:  # from here on, staged as they are read
                _insert_many(conn, insert, held)
                held = None
        if problems:
            raise problems.error(path)
        # in order of grp, the table's key: appended, not inserted at random places (16 → 5.5 ms)
        _insert_many(conn, "INSERT INTO temp.import_groups (grp, key, as_of)",
                     [(g, k, a) for g, (k, a) in sorted(rows.cells.groups.items())])  # fmt: skip
        if rows.compare is None:  # SQL compares, over the staged rows
            if held is not None:
                _insert_many(conn, insert, held)
            conn.execute("COMMIT")
            return None, seen, rows.warned, None, set()
        same, counts = rows.comparison.result()
        _insert_many(conn, "INSERT INTO temp.import_same (grp)", [(g,) for g in sorted(same)])
        conn.execute("COMMIT")
        return counts, seen, rows.warned, held, set(same)

    def _stage_held(self, held: list[tuple]) -> None:
        """The rows held in memory, staged after all (for SQL to compare them)."""
        _insert_many(self.conn, "INSERT INTO temp.import_stage (grp, value, note, source, bits"
                     + (", recorded_at)" if held and len(held[0]) == 6 else ")"), held)  # fmt: skip

    def _write_held(self, held: list[tuple], same: set[int], change_id: int, first: int, counts: tuple[int, int, int, int]) -> None:
        """Write the rows held in memory that the import writes, as the INSERT … SELECT over the
        staged rows does (same order, same columns), straight from memory: each statement's
        rows joined to their key and period (temp.import_groups) on the way in. ``held`` is
        sorted in place."""
        added, revised, _, retracted_rows = counts
        if added + revised == len(held):  # every row is written (the common case: new figures)
            written = held
        elif same:
            written = [r for r in held if r[4] & CHOSEN and r[0] not in same]
        else:
            written = list(compress(held, map(and_, map(itemgetter(4), held), repeat(CHOSEN))))
        if not written:
            return
        written.sort(key=itemgetter(0))  # by target and period; stable: file order within each
        # k: the values every row shares (numbered ?1 to ?3 before the rows' ? are, which follow);
        # CROSS JOIN: the statement's rows are the outer loop, read in order (so are the ids).
        if len(written[0]) == 6:
            staged, recorded = "s(grp, value, note, source, bits, recorded_at)", "COALESCE(s.recorded_at, k.recorded_at)"
        else:
            staged, recorded = "s(grp, value, note, source, bits)", "k.recorded_at"
        _insert_many(
            self.conn,
            f"WITH k(recorded_at, change_id, plan_id) AS (VALUES (?1, ?2, ?3)), {staged} AS (VALUES {{values}}) INSERT INTO main.observations "
            f"(plan_id, target_key, value, as_of, recorded_at, note, source, vintage, change_id, decimals, flag) SELECT k.plan_id, g.key, s.value, "
            f"g.as_of, {recorded}, NULLIF(s.note, ''), NULLIF(s.source, ''), {_VINTAGE}, k.change_id, {_DECIMALS}, {_FLAG} "
            "FROM s CROSS JOIN k CROSS JOIN temp.import_groups g ON g.grp = s.grp",
            written, (now_utc(), change_id, self.store.plans.id),
        )  # fmt: skip
        if retracted_rows:
            self.conn.executemany(
                "INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, 'retracted in the imported file')",
                [(first + i, change_id) for i, r in enumerate(written) if r[4] & RETRACTED],
            )
        # Their notes and sources for the search index, each text of a target once (a set over
        # each target's rows, which are side by side: far cheaper than SQLite looking each row's
        # up after the write).
        key_of = [key for (key,) in self.conn.execute("SELECT key FROM temp.import_keys ORDER BY rank")]
        grps, notes, sources = list(map(itemgetter(0), written)), list(map(itemgetter(2), written)), list(map(itemgetter(3), written))
        texts: list[tuple[str, str, str]] = []
        low = 0
        while low < len(grps):
            rank = grps[low] // DAYS
            high = bisect_left(grps, (rank + 1) * DAYS, low)
            texts += [(key_of[rank], "note", text) for text in set(notes[low:high]) if text]
            texts += [(key_of[rank], "source", text) for text in set(sources[low:high]) if text]
            low = high
        add_figure_texts(self.conn, self.store.plans.id, first, sorted(texts))

    def _recorded_history(self, targets: list, plan: Any) -> Callable[[int], tuple[Any, set]]:
        """For a target and period (a grp), the figure current and the signatures of every
        figure recorded — read when the file first names it, only where something is recorded
        (one query finds where), and at most MAX_HISTORY_HELD in all."""
        from hnreport.text import nocase

        rank = {nocase(key): i for key, i in _ranks(targets).items()}
        day_one = plan.start.toordinal()
        spellings: dict[int, list[str]] = {}  # grp → the spellings of its key recorded (NOCASE, like targets)
        for key, as_of in self.conn.execute(
            "SELECT DISTINCT target_key, as_of FROM observations WHERE as_of BETWEEN ? AND ?",
            (plan.start.isoformat(), plan.end.isoformat()),
        ):
            r = rank.get(nocase(key))
            try:
                day = date.fromisoformat(as_of).toordinal() - day_one
            except ValueError:
                continue
            if r is not None:
                spellings.setdefault(r * DAYS + day, []).append(key)
        held = 0
        nothing: set = set()

        def history(grp: int) -> tuple[Any, set]:
            nonlocal held
            keys = spellings.get(grp)
            if not keys:
                return None, nothing
            as_of = date.fromordinal(day_one + grp % DAYS).isoformat()
            current, known = None, set()
            for value, source, vintage, note, gone in self.conn.execute(
                "SELECT o.value, o.source, o.vintage = 'final', o.note, EXISTS (SELECT 1 FROM retractions x WHERE "
                f"x.observation_id = o.id AND {visible('x')}) FROM observations o WHERE o.target_key IN "
                f"({', '.join('?' * len(keys))}) AND o.as_of = ? AND {visible('o')} ORDER BY o.id",
                (*keys, as_of),
            ):
                signature = (value, source, vintage, note)
                known.add(signature)
                if not gone:
                    current = signature
            held += len(known)
            if held > MAX_HISTORY_HELD:
                raise _TooMuchHistory
            return current, known

        return history

    def _compare_staged(self) -> tuple[int, int, int, int]:
        """The comparison of _Comparison, done by SQL over the staged rows: both sides read in
        the same order (target and period, then file order or id) and walked together. For
        when the recorded figures were too many to hold, or changed while the file was read.
        Marks the staged rows that are written."""
        conn = self.conn
        conn.execute("UPDATE temp.import_stage SET bits = bits & ~4")  # none chosen (CHOSEN = 4)
        conn.execute("DELETE FROM temp.import_same")
        staged = conn.execute("SELECT grp, seq, value, NULLIF(source, ''), bits & 1, NULLIF(note, ''), bits & 2 FROM temp.import_stage "
                              "ORDER BY grp, seq")  # fmt: skip
        # The recorded figures of the same targets and periods, numbered the same way (the key
        # matched as SQLite's NOCASE does, as the targets table does).
        recorded = conn.execute(
            f"SELECT k.rank * {DAYS} + CAST(julianday(o.as_of) - julianday(?) AS INTEGER) AS grp, o.value, o.source, o.vintage = 'final', "
            f"o.note, EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o.id AND {visible('x')}) "
            "FROM observations o JOIN temp.import_keys k ON k.key = o.target_key "
            f"WHERE {visible('o')} AND o.as_of IN (SELECT as_of FROM temp.import_stage) AND julianday(o.as_of) IS NOT NULL "
            "ORDER BY grp, o.id",
            (self.store.items.plan().start.isoformat(),),
        )
        there = next(recorded, None)
        chosen: list[tuple[int]] = []
        added = revised = unchanged = retracted = 0
        for group, rows in groupby(staged, key=itemgetter(0)):
            while there is not None and there[0] < group:
                there = next(recorded, None)
            history: list[tuple[tuple, bool]] = []
            while there is not None and there[0] == group:
                history.append((there[1:5], bool(there[5])))
                there = next(recorded, None)
            live_history = [sig for sig, gone in history if not gone]
            current = live_history[-1] if live_history else None
            known = {sig for sig, _ in history}
            group_rows = [(r[1], r[2:6], bool(r[6])) for r in rows]  # (seq, signature, retracted)
            live_rows = [sig for _, sig, gone in group_rows if not gone]
            if all(sig in known for _, sig, _ in group_rows) and (not live_rows or live_rows[-1] == current):
                unchanged += len(group_rows)
                continue
            for seq, signature, gone in group_rows:
                if not gone and signature == current:
                    unchanged += 1
                    continue
                if current is None:
                    added += 1
                else:
                    revised += 1
                retracted += gone
                chosen.append((seq,))
                if len(chosen) >= STAGE_BATCH:
                    conn.executemany("UPDATE temp.import_stage SET bits = bits | 4 WHERE seq = ?", chosen)
                    chosen.clear()
                if not gone:
                    current = signature
        conn.executemany("UPDATE temp.import_stage SET bits = bits | 4 WHERE seq = ?", chosen)
        return added, revised, unchanged, retracted

    # ── export and restore ───────────────────────────────────────────────────────────────
    def _rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    def export_data(self) -> dict[str, Any]:
        """Everything a user entered, visible now, in a form ``restore`` reads back."""
        plan = self.store.items.plan()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "plan": plan.key,
            "observations": self._rows(
                "SELECT o.id, o.target_key AS key, o.value, o.as_of, o.vintage, o.recorded_at, o.note, o.source, "
                "o.supersedes, j.known_from, o.decimals, o.flag FROM observations o LEFT JOIN journal j ON j.id = o.change_id "
                f"WHERE {visible('o')} ORDER BY o.id"
            ),
            "retractions": self._rows(
                f"SELECT x.observation_id, x.reason FROM retractions x WHERE {visible('x')} ORDER BY x.id"
            ),
            "target_revisions": self._rows(
                f"SELECT r.target_key AS key, r.value, r.effective, r.reason FROM target_revisions r WHERE {visible('r')} ORDER BY r.id"
            ),
            "targets_added": self._rows(
                "SELECT key, name_zh, name_en, section, kind, comparator, value, unit, frequency, locator, phrase, note "
                f"FROM targets t WHERE origin = 'user' AND {visible('t')} ORDER BY ordinal"
            ),
            "milestones_added": self._rows(
                "SELECT key, name_zh, name_en, section, locator, phrase, strength, note "
                f"FROM milestones m WHERE origin = 'user' AND {visible('m')} ORDER BY ordinal"
            ),
            "milestone_status": self._rows(
                "SELECT milestone_key AS key, status, as_of, recorded_at, progress, problems, next_steps, source "
                f"FROM milestone_status s WHERE {visible('s')} ORDER BY id"
            ),
            "deadlines": self._rows(
                "SELECT milestone_key AS key, kind, due_date, text, reason, recorded_at "
                f"FROM deadlines d WHERE {visible('d')} ORDER BY id"
            ),
            "node_marks": self._rows(
                "SELECT milestone_key AS key, node_date, mark, note, recorded_at "
                f"FROM node_marks n WHERE {visible('n')} ORDER BY id"
            ),
            "units": [
                {"name": name, "aliases": aliases} for _uid, name, aliases in self.store.tracking.units()  # type: ignore[attr-defined]
            ],
            "assignments": self._rows(
                "SELECT a.item_key AS key, u.name AS unit, a.role, a.recorded_at FROM assignment_log a "
                f"JOIN units u ON u.id = a.unit_id WHERE {visible('a')} AND {visible('u')} ORDER BY a.id"
            ),
            "settings": self._rows(
                f"SELECT s.scope, s.key, s.value FROM setting_log s WHERE s.change_id IS NOT NULL AND {visible('s')} ORDER BY s.id"
            ),
            # the names a user added for statistical tables (the seeded ones come with data/)
            "target_aliases": self._rows(
                f"SELECT a.target_key AS key, a.alias FROM target_aliases a WHERE a.change_id IS NOT NULL AND {visible('a')} ORDER BY a.id"
            ),
            "unit_reports": self._rows(
                "SELECT r.id, u.name AS unit, r.period, r.sheet_id, r.file, r.collected_at FROM unit_reports r "
                f"JOIN units u ON u.id = r.unit_id WHERE {visible('r')} ORDER BY r.id"
            ),
            "unit_report_items": self._rows(
                "SELECT i.report_id AS report, i.item_key AS key, i.answer, i.status, i.value, i.value_as_of, i.progress, "
                f"i.problems, i.next_steps, i.source FROM unit_report_items i WHERE {visible('i')} ORDER BY i.id"
            ),
            **self._documents(),
        }

    def _documents(self) -> dict[str, list]:
        """The bulletins and orders issued, each as issued (its content), and the replies — with
        their contact details: an export is the office's own record, not a publication."""
        import json

        plan = self.store.items.plan().key
        bulletins = [
            {"year": y, "number": n, "issued_on": i, "as_of": a, "known_at": k, "title": t, "content": json.loads(c)}
            for y, n, i, a, k, t, c in self.conn.execute(
                "SELECT b.year, b.number, b.issued_on, b.as_of, b.known_at, b.title, b.content FROM bulletins b "
                f"WHERE b.plan_key = ? AND {visible('b')} ORDER BY b.id", (plan,))
        ]  # fmt: skip
        orders = [
            {"id": o.id, "year": o.year, "number": o.number, "unit": o.unit, "issued_on": o.issued_on.isoformat(),
             "as_of": o.as_of.isoformat(), "reply_due": o.reply_due.isoformat(), "content": o.content,
             "items": [{"key": k, "reason": r} for k, r in o.items]}
            for o in self.store.documents.orders()
        ]  # fmt: skip
        replies = [
            {"order": r.order_id, "replied_on": r.replied_on.isoformat(), "text": r.text, "source": r.source,
             "person": r.person, "phone": r.phone, "recorded_at": r.recorded_at}
            for o in self.store.documents.orders() for r in o.replies
        ]  # fmt: skip
        return {"bulletins": bulletins, "orders": orders, "order_replies": replies}

    def has_user_data(self) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM journal)").fetchone()[0] == 1

    def restore(self, data: dict[str, Any], path: str) -> dict[str, int]:
        """Restore an export into a database with nothing recorded yet, as one journalled change.

        The whole document is checked first against every hard rule the commands apply
        (domain.export); any problem is reported with where it is in the file, and nothing is
        written."""
        data = follow_renames(data, self.store.items.renamed_keys())
        checked = self.check_restore(data, path)
        from hnreport.domain.export import nocase

        item, units = checked.item, checked.units
        from hnreport.domain.plausibility import flag_codes, flag_text
        counts = {}
        with self.store.change("import", Message("j_restored_export", path=path), reason=path) as (conn, cid):
            try:
                for t in data.get("targets_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM targets").fetchone()[0]
                    conn.execute(
                        "INSERT INTO main.targets (plan_id, key, ordinal, name_zh, name_en, section, kind, comparator, value, unit, "
                        "frequency, locator, phrase, note, origin, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (t["key"], ordinal, t["name_zh"], t["name_en"], t["section"], t["kind"], t["comparator"], t["value"],
                         t.get("unit"), t["frequency"], t.get("locator") or "", t.get("phrase") or "", t.get("note"), cid),
                    )  # fmt: skip
                for m in data.get("milestones_added", []):
                    ordinal = conn.execute("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM milestones").fetchone()[0]
                    conn.execute(
                        "INSERT INTO main.milestones (plan_id, key, ordinal, name_zh, name_en, section, locator, phrase, strength, note, "
                        "origin, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, 'user', ?)",
                        (m["key"], ordinal, m["name_zh"], m["name_en"], m["section"], m.get("locator") or "", m.get("phrase") or "",
                         m.get("strength"), m.get("note"), cid),
                    )  # fmt: skip
                ids: dict[int, int] = {}
                back_filled = self._known_from_changes(conn, cid, path, data.get("observations", []))
                for o in data.get("observations", []):
                    cur = conn.execute(
                        "INSERT INTO main.observations (plan_id, target_key, value, as_of, recorded_at, note, source, vintage, supersedes, change_id, "
                        "decimals, flag) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item(o["key"]), float(o["value"]), o["as_of"], o["recorded_at"], o.get("note"), o.get("source"), o["vintage"],
                         ids[o["supersedes"]] if o.get("supersedes") is not None else None,
                         back_filled.get(o.get("known_from"), cid), o.get("decimals"), flag_text(flag_codes(o.get("flag")))),
                    )  # fmt: skip
                    ids[o["id"]] = cur.lastrowid  # type: ignore[assignment]
                for x in data.get("retractions", []):
                    conn.execute("INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                                 (ids[x["observation_id"]], cid, x["reason"]))  # fmt: skip
                for r in data.get("target_revisions", []):
                    conn.execute("INSERT INTO main.target_revisions (plan_id, target_key, value, effective, reason, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?)",
                                 (item(r["key"]), r["value"], r["effective"], r["reason"], cid))  # fmt: skip
                for st in data.get("milestone_status", []):
                    conn.execute(
                        "INSERT INTO main.milestone_status (plan_id, milestone_key, status, as_of, recorded_at, progress, problems, next_steps, "
                        "source, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item(st["key"]), st["status"], st["as_of"], st["recorded_at"], st.get("progress"), st.get("problems"),
                         st.get("next_steps"), st.get("source"), cid),
                    )  # fmt: skip
                for d in data.get("deadlines", []):
                    conn.execute(
                        "INSERT INTO main.deadlines (plan_id, milestone_key, kind, due_date, text, reason, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?)",
                        (item(d["key"]), d["kind"], d["due_date"], d.get("text"), d.get("reason"), d["recorded_at"], cid),
                    )  # fmt: skip
                for n in data.get("node_marks", []):
                    conn.execute(
                        "INSERT INTO main.node_marks (plan_id, milestone_key, node_date, mark, note, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?)",
                        (n["key"], n["node_date"], n["mark"], n["note"], n["recorded_at"], cid),
                    )  # fmt: skip
                unit_ids = {}
                for u in data.get("units", []):
                    name = u["name"].strip()
                    uid = conn.execute("INSERT INTO main.units (county, name, created_at, change_id) VALUES (hnreport_county(), ?, ?, ?)", (name, now_utc(), cid)).lastrowid
                    unit_ids[name] = uid
                    for alias in u.get("aliases", []):
                        conn.execute("INSERT INTO main.unit_aliases (alias, unit_id, change_id) VALUES (?, ?, ?)", (alias.strip(), uid, cid))
                for a in data.get("assignments", []):
                    conn.execute("INSERT INTO main.assignment_log (plan_id, item_key, unit_id, role, recorded_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?)",
                                 (item(a["key"]), unit_ids[units[nocase(a["unit"].strip())]], a["role"], a["recorded_at"], cid))  # fmt: skip
                for s, stored in zip(data.get("settings", []), checked.settings):
                    scope = item(s["scope"]) if s["scope"] else ""
                    conn.execute("INSERT INTO main.setting_log (plan_id, scope, key, value, change_id) "
                                 "VALUES (CASE WHEN ?1 = '' THEN NULL ELSE hnreport_plan() END, ?1, ?2, ?3, ?4)",
                                 (scope, s["key"], stored, cid))  # fmt: skip
                for key, alias, norm in checked.aliases:
                    conn.execute("INSERT INTO main.target_aliases (plan_id, target_key, alias, norm, source, change_id) VALUES (hnreport_plan(), ?, ?, ?, NULL, ?)",
                                 (key, alias, norm, cid))  # fmt: skip
                reports: dict[int, int] = {}
                for r in data.get("unit_reports", []):
                    reports[r["id"]] = conn.execute(
                        "INSERT INTO main.unit_reports (plan_id, unit_id, period, sheet_id, file, collected_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?)",
                        (unit_ids[units[nocase(r["unit"].strip())]], r["period"], r["sheet_id"], r["file"], r["collected_at"], cid),
                    ).lastrowid  # type: ignore[assignment]
                for i in data.get("unit_report_items", []):
                    conn.execute(
                        "INSERT INTO main.unit_report_items (plan_id, report_id, item_key, answer, status, value, value_as_of, progress, problems, "
                        "next_steps, source, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (reports[i["report"]], item(i["key"]), i["answer"], i.get("status"), i.get("value"), i.get("value_as_of"),
                         i.get("progress"), i.get("problems"), i.get("next_steps"), i.get("source"), cid),
                    )  # fmt: skip
                self._restore_documents(conn, data, cid, unit_ids, units, item)
            except sqlite3.IntegrityError as err:  # a rule of the schema the check does not know
                raise HnreportError("export_damaged", path=path, kind=type(err).__name__, reason=str(err)) from None
            for name in ("observations", "milestone_status", "deadlines", "node_marks", "units", "assignments", "settings",
                         "target_aliases", "unit_reports", "bulletins", "orders", "order_replies"):  # fmt: skip
                counts[name] = len(data.get(name, []))
        return counts

    def _restore_documents(self, conn, data: dict[str, Any], cid: int, unit_ids: dict, units: dict, item) -> None:
        """The bulletins, orders and replies of an export (checked already), in this change."""
        import json

        from hnreport.domain.export import nocase

        plan = self.store.items.plan().key
        for b in data.get("bulletins", []):
            conn.execute(
                "INSERT INTO bulletins (plan_key, year, number, issued_on, as_of, known_at, title, content, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan, b["year"], b["number"], b["issued_on"], b["as_of"], b["known_at"], b["title"],
                 json.dumps(b["content"], ensure_ascii=False), cid),
            )  # fmt: skip
        orders: dict[int, int] = {}
        for o in data.get("orders", []):
            orders[o["id"]] = conn.execute(
                "INSERT INTO orders (plan_key, year, number, unit_id, issued_on, as_of, reply_due, content, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan, o["year"], o["number"], unit_ids[units[nocase(o["unit"].strip())]], o["issued_on"], o["as_of"],
                 o["reply_due"], json.dumps(o["content"], ensure_ascii=False), cid),
            ).lastrowid  # fmt: skip
            conn.executemany("INSERT INTO order_items (order_id, item_key, reason, change_id) VALUES (?, ?, ?, ?)",
                             [(orders[o["id"]], item(i["key"]), i["reason"], cid) for i in o.get("items", [])])  # fmt: skip
        for r in data.get("order_replies", []):
            conn.execute(
                "INSERT INTO order_replies (order_id, replied_on, text, source, person, phone, recorded_at, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (orders[r["order"]], r["replied_on"], r["text"], r.get("source"), r.get("person"), r.get("phone"),
                 r["recorded_at"], cid),
            )  # fmt: skip

    def check_restore(self, data: dict[str, Any], path: str):
        """What ``restore`` checks before writing anything (``import --dry-run`` too): an export
        of this version and plan, a database with nothing recorded, and every hard rule."""
        if data.get("format") != EXPORT_FORMAT:
            raise HnreportError("not_an_export", path=path)
        if type(data.get("version")) is not int or data.get("version") != EXPORT_VERSION:
            raise HnreportError("export_version", path=path, version=repr(data.get("version")), supported=EXPORT_VERSION)
        if data.get("plan") != self.store.items.plan().key:
            raise HnreportError("export_other_plan", path=path, plan=data.get("plan"), expected=self.store.items.plan().key)
        if self.has_user_data():
            raise HnreportError("export_needs_empty_db")
        checked = self._check_export(follow_renames(data, self.store.items.renamed_keys()))
        if checked.problems:
            from hnreport.readers import Problems

            problems = Problems()
            for where, problem in checked.problems:
                problems.add(Message("export_problem", where=where, problem=problem))
            raise problems.error(path, "export_problems")
        return checked

    def _check_export(self, data: dict[str, Any]):
        """The export checked against what this database holds (domain.export)."""
        from hnreport.domain import settings as setting_rules
        from hnreport.domain.export import Known, check_export
        from hnreport.domain.model import plan_sections

        items = self.store.items
        presets = self.store.config.presets()  # type: ignore[attr-defined]
        known = Known(
            plan=items.plan(),
            sections=tuple(s.code for s in plan_sections(items.sections())),
            targets={t.key.lower(): (t.key, t.kind, t.name_zh) for t in items.targets()},
            milestones={m.key.lower(): m.key for m in items.milestones()},
            check_setting=lambda key, value, for_target: setting_rules.checked_setting(key, value, for_target, presets),
            names=items.indicator_names(),
        )
        return check_export(data, known)


    def _known_from_changes(self, conn: sqlite3.Connection, cid: int, path: str, observations: list) -> dict[str, int]:
        """For back-filled figures in an export: one journal entry per "known from" date, in the
        restore's batch (so one undo still reverts the whole restore). Date → its change id."""
        dates: dict[str, int] = {}
        for o in observations:
            when = o.get("known_from") if isinstance(o, dict) else None
            if when:
                dates[str(when)] = dates.get(str(when), 0) + 1
        if not dates:
            return {}
        conn.execute("UPDATE journal SET batch = ? WHERE id = ?", (cid, cid))
        out = {}
        for when, count in sorted(dates.items()):
            moment = datetime.fromisoformat(when).astimezone(timezone.utc).isoformat()  # ValueError: a damaged export
            out[when] = conn.execute(
                "INSERT INTO journal (at, user, action, summary, reason, known_from, batch, plan_id) VALUES (?, ?, 'import', ?, ?, ?, ?, ?)",
                (now_utc(), self.store.user, stored_message(Message("j_restored_export_backfilled", path=path, count=count)), path, moment, cid,
                 self.store.plans.id),
            ).lastrowid
        return out


# The foreign keys of the tables an import writes, as (parent table, column, parent column):
# the import checks them itself (_check_keys) while these are all there are.
_KNOWN_KEYS = {
    # (migration 0012: the plan the row belongs to, and its target within that plan)
    "observations": {("observations", "supersedes", "id"), ("journal", "change_id", "id"), ("targets", "target_key", "key"),
                     ("targets", "plan_id", "plan_id"), ("plans", "plan_id", "id")},
    "retractions": {("journal", "change_id", "id"), ("observations", "observation_id", "id")},
    "journal": {("journal", "target_change", "id"), ("plans", "plan_id", "id")},
}


def _only_known_keys(conn: sqlite3.Connection) -> bool:
    return all(set(conn.execute('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?, \'main\')', (table,))) == keys
               for table, keys in _KNOWN_KEYS.items())  # fmt: skip


def _check_keys(conn: sqlite3.Connection) -> None:
    """What SQLite's foreign key on observations.target_key would say, for every target the
    file names at once: the keys were read before the write lock was taken, and a target
    could have been renamed since. (The rows' other keys are the import's own: its journal
    entry, and the rows it writes; its plan is the plan in use, whose targets ``targets`` reads.)"""
    # (each key once: targets has no index on the key alone, and a file has thousands of groups)
    if conn.execute("SELECT 1 FROM (SELECT DISTINCT key FROM temp.import_groups) g "
                    "WHERE NOT EXISTS (SELECT 1 FROM targets t WHERE t.key = g.key) LIMIT 1").fetchone():  # fmt: skip
        raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")


# The CHECK constraints of observations (migrations), as SQLite keeps them: while these are all
# there are, the import checks them itself (_check_values) and turns SQLite's off for its write.
_KNOWN_CHECKS = {
    "as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'",
    "vintage IN ('preliminary', 'final')",
    "decimals IS NULL OR decimals BETWEEN 0 AND 15",
}


def _only_known_checks(conn: sqlite3.Connection) -> bool:
    """Whether observations' CHECK constraints are exactly _KNOWN_CHECKS (and nothing else
    in the tables the import writes to with them turned off: only observations)."""
    (sql,) = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = 'observations'").fetchone()
    checks, at = set(), sql.find("CHECK")
    while at >= 0:
        start = sql.index("(", at)
        depth, end = 0, start
        for end in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        checks.add(sql[start + 1 : end].strip())
        at = sql.find("CHECK", end)
    return checks == _KNOWN_CHECKS


def _check_values(conn: sqlite3.Connection, held: list[tuple] | None) -> None:
    """What observations' CHECK constraints would say of the rows the import writes, said once
    for the file: every period (temp.import_groups, which the rows take theirs from) a date
    as the constraint spells it, and every row's decimals (bits >> 5: decimals + 1, or 0) at
    most 15. (Vintage is 'final' or 'preliminary' by how the write spells it.)"""
    if conn.execute("SELECT 1 FROM temp.import_groups WHERE NOT (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]') LIMIT 1").fetchone():
        raise sqlite3.IntegrityError("CHECK constraint failed: as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'")
    if held is not None:
        most = max(map(itemgetter(4), held), default=0)
    else:
        most = conn.execute("SELECT COALESCE(MAX(bits), 0) FROM temp.import_stage").fetchone()[0]
    if most >> DECIMALS_SHIFT > 16:
        raise sqlite3.IntegrityError("CHECK constraint failed: decimals IS NULL OR decimals BETWEEN 0 AND 15")


def _check_text(field: str, text: str) -> None:
    """BadValue if ``text`` cannot be stored as ``field`` (domain.values.text_problem)."""
    from hnreport.domain.values import text_problem

    problem = text_problem(field, text)
    if problem is not None:
        raise BadValue.saying(problem)


def _insert_many(conn: sqlite3.Connection, insert: str, rows: Iterable[tuple], head: tuple = ()) -> None:
    """``insert`` (up to VALUES, or with ``{values}`` where they go) of every row of ``rows``
    (all as wide as the first), in order, ROWS_PER_INSERT rows to a statement; ``head``: the
    values of parameters ?1 … numbered before the rows', the same in every statement."""
    rows = list(rows)
    if not rows:
        return
    if "{values}" not in insert:
        insert += " VALUES {values}"
    width = len(rows[0])
    one = "(" + ", ".join("?" * width) + ")"
    full = len(rows) - len(rows) % ROWS_PER_INSERT
    if full:
        # every value in one flat list, each statement's a slice of it
        flat, step, first = list(chain.from_iterable(rows[:full])), width * ROWS_PER_INSERT, list(head)
        conn.executemany(insert.format(values=", ".join(one for _ in range(ROWS_PER_INSERT))),
                         (first + flat[i : i + step] for i in range(0, len(flat), step)))  # fmt: skip
    if full < len(rows):
        rest = insert.format(values=one)
        conn.executemany(rest, (head + row for row in rows[full:]) if head else rows[full:])


def _without_gc(work: Callable, *args: Any) -> Any:
    """``work(*args)`` with the cycle collector paused: reading a file makes hundreds of
    thousands of short-lived lists and tuples (no cycles: reference counting frees them), and
    the collector would walk every one of them again and again — a fifth of an import's time."""
    import gc

    if not gc.isenabled():
        return work(*args)
    gc.disable()
    try:
        return work(*args)
    finally:
        gc.enable()


def _ranks(targets: list) -> dict[str, int]:
    """Each target's rank in a group number: by key as the observations index orders keys, so
    the import writes the index in order (much cheaper than at random places)."""
    return {key: i for i, key in enumerate(sorted(t.key for t in targets))}


class _PeriodProblem(Record):
    """A (key, period) pair whose period cannot be taken: the row says so once its value is
    checked (each row reports its first problem, in column order)."""

    target: Any
    problem: HnreportError


_INF = float("inf")
_BLANK: dict[str, None] = {"": None}


def _fill_in(cells: list, made: Callable[[int], Any]) -> None:
    """Each None in ``cells`` replaced by ``made(its index)``, visiting only those (a batch's
    cells are mostly known already)."""
    find, i = cells.index, -1
    try:
        while True:
            i = find(None, i + 1)
            cells[i] = made(i)
    except ValueError:  # (none left)
        pass


class _RulesOnce:
    """Light rules (domain.rules.Rules) whose ``for_target`` is worked out once per target (by
    key and kind, all it depends on), not once per period of it a file names."""

    def __init__(self, rules: Any) -> None:
        self.rules, self.once = rules, {}

    def for_target(self, target: Any) -> Any:
        key = (target.key, target.kind)
        found = self.once.get(key)
        if found is None:
            found = self.once[key] = self.rules.for_target(target)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rules, name)


class _Cells:
    """What a row's (key, period) pair of cells means, worked out once per distinct pair: the
    target, the period's group, the bits it gives the row (FUTURE: a period not ended, let in by
    --force) and the range a plausible figure lies in (``main``; ``more``: other ranges) — a
    tuple; or a _PeriodProblem; or the problem with the key."""

    def __init__(self, exchange: Exchange, targets: list, plan: Any, today: date | None, force: bool) -> None:
        from hnreport.domain.periods import parse_period
        from hnreport.domain.plausibility import amount_references, is_rate, not_ended, plausible_bands, references_point

        self.parse_period, self.amount_references, self.not_ended, self.plausible_bands, self.is_rate, self.references_point = (
            parse_period, amount_references, not_ended, plausible_bands, is_rate, references_point)  # fmt: skip
        self.items = exchange.store.items
        self.rules = _RulesOnce(exchange.store.config.rules())  # type: ignore[attr-defined]
        self.by_key = {t.key.lower(): t for t in targets}
        self.by_name = {t.name_zh: t for t in targets}
        self.rank = _ranks(targets)
        self.by_rank = sorted(targets, key=lambda t: self.rank[t.key])
        self.plan, self.today, self.force = plan, today, force
        self.first, self.last = plan.start.isoformat(), plan.end.isoformat()
        self.day_one = plan.start.toordinal()
        self.cache: dict[tuple, Any] = {}
        self.periods: dict[str, Any] = {}  # period text → (its last day, …) or why not (_period)
        self.rate_ranges: dict[tuple, tuple] = {}  # (a rate's key, its value in force) → (ranges, references)
        self.amount_ranges: dict[tuple, tuple] = {}  # (an amount's key, references_point) → (ranges, references)
        self.unknown: dict[str, HnreportError] = {}
        self.groups: dict[int, tuple[str, str]] = {}  # grp → (key, period)
        self.references: dict[int, tuple[float | None, float | None]] = {}  # grp → (expected, last year's)
        self.ranges: dict[int, tuple] = {}  # grp → (main low, main high, more)
        # The same, the other way round, for a batch's lookups (_Rows._plain): a key cell's text
        # → its target's rank, a period cell's text → its day of the plan year, and the cell of
        # each rank and day — small tables, each lookup a cheaper one than of the pair.
        self.key_ranks: dict[str, int] = {}
        self.period_days: dict[str, int] = {}
        self.places: list[list[Any]] = [[None] * DAYS for _ in targets]
        self.day_periods: dict[int, tuple] = {}  # a day of the plan year → its period (_period), once taken

    def resolve(self, key_cell: Any, as_of_cell: Any) -> Any:
        key = key_cell if key_cell.__class__ is str else str(key_cell)
        target = self.by_key.get(key)  # the common case: an exact key
        if target is None:
            key = key.strip()
            target = self.by_key.get(key.lower()) or self.by_name.get(key)
        if target is None:
            out = self.unknown.get(key)
            if out is None:
                if len(self.unknown) >= MAX_CACHED_CELLS:
                    self.unknown.clear()
                out = self.unknown[key] = self.items.unknown_key(key)  # (a close match is looked for once per key)
        else:
            out = self._cell(target, as_of_cell if as_of_cell.__class__ is str else str(as_of_cell))
            if out.__class__ is tuple and key_cell.__class__ is str and as_of_cell.__class__ is str:
                if len(self.key_ranks) >= MAX_CACHED_CELLS or len(self.period_days) >= MAX_CACHED_CELLS:
                    self.key_ranks.clear()
                    self.period_days.clear()
                rank, day = divmod(out[1], DAYS)
                self.key_ranks[key_cell], self.period_days[as_of_cell] = rank, day
                self.places[rank][day] = out
        if len(self.cache) >= MAX_CACHED_CELLS:
            self.cache.clear()
        try:
            self.cache[key_cell, as_of_cell] = out
        except TypeError:  # cells that cannot be a dict key (a JSON list): resolved every time
            pass
        return out

    def _cell(self, target: Any, text: str) -> Any:
        period = self.periods.get(text)
        if period is None:
            period = self._period(text)
            if len(self.periods) >= MAX_CACHED_CELLS:
                self.periods.clear()
            self.periods[text] = period
        if period.__class__ is not tuple:
            return _PeriodProblem(target, period)
        self.day_periods[period[2]] = period
        return self._made(target, self.rank[target.key], period)

    def at(self, rank: int, day: int) -> tuple:
        """The cell of a target's rank and a day of the plan year, each met before (in a pair
        ``resolve`` took): the same as its pair's, without reading any text again."""
        cell = self.places[rank][day]
        if cell is None:
            cell = self.places[rank][day] = self._made(self.by_rank[rank], rank, self.day_periods[day])
        return cell

    def _made(self, target: Any, rank: int, period: tuple) -> tuple:
        iso, day, index, bits = period
        grp = rank * DAYS + index
        ranges = self.ranges.get(grp)
        if ranges is None:
            ranges, self.references[grp] = self._ranges(target, day)
            self.ranges[grp] = ranges
            self.groups[grp] = (target.key, iso)
        return target, grp, bits, ranges[0], ranges[1], ranges[2]

    def _period(self, text: str) -> Any:
        """(the period's last day as text and as a date, its day of the plan year, the bits it
        gives a row) — or why it cannot be taken."""
        try:
            day = self.parse_period(text.strip())
        except BadPeriod as err:
            # the accepted forms are said once, not on every row
            return BadPeriod("bad_period_in_row", text=err.fields["text"], reason=err.fields["reason"])
        iso = day.isoformat()
        if not self.first <= iso <= self.last:
            return BadValue("period_outside_year", period=iso, year=self.plan.year)
        bits = 0
        if self.today is not None and self.not_ended(day, self.today):
            if not self.force:
                return BadPeriod("period_not_ended", as_of=iso, today=self.today.isoformat())
            bits = FUTURE
        return iso, day, day.toordinal() - self.day_one, bits

    def _ranges(self, target: Any, day: date) -> tuple[tuple, tuple]:
        """The (low, high, other ranges) a plausible figure of ``target`` for the period ending
        ``day`` lies in, and its references (expected, last year's: for the message) — a rate's
        the same all year, an amount's the same for the days of one schedule point."""
        in_force = target.in_force(day) if target.revisions else target
        if self.is_rate(in_force):
            key = (in_force.key, in_force.value)
            found = self.rate_ranges.get(key)
            if found is None:
                found = self.rate_ranges[key] = (self._merged(self.plausible_bands(in_force)), (None, None))
            return found
        if target.revisions:  # (its value in force changes with the day)
            references = self.amount_references(in_force, day, self.plan, self.rules)
            return self._merged(self.plausible_bands(in_force, *references)), references
        # the same for every day with the same point (a month's days, where 序时进度 counts months)
        point = (target.key, self.references_point(target, day, self.plan, self.rules))
        found = self.amount_ranges.get(point)
        if found is None:
            references = self.amount_references(target, day, self.plan, self.rules)
            found = self.amount_ranges[point] = (self._merged(self.plausible_bands(target, *references)), references)
        return found

    @staticmethod
    def _merged(bands: tuple) -> tuple:
        ordered = sorted(bands) or [(-_INF, _INF)]
        return ordered[-1][0], ordered[-1][1], tuple(ordered[:-1])


class _Rows:
    """The rows of a file, checked and made into staged rows a batch at a time.

    A batch of plain rows — text cells, each value a plain decimal number, no optional column
    but note and source, no problem — is done with a few passes of C-level ``map``/``zip`` over
    the whole batch: the import's cost is this loop, and the common file is plain. Anything
    else (a sign, a unit, a grouping comma, a number cell, a vintage column, a problem …) goes
    row by row through ``row``, which says every problem; both stage the same rows."""

    def __init__(self, exchange: Exchange, table: Table, targets: list, plan: Any, today: date | None, force: bool,
                 comparison: _Comparison) -> None:  # fmt: skip
        from hnreport.domain.plausibility import flag_codes, flag_problem
        from hnreport.domain.values import read_figure
        from hnreport.text import storable, unneutralise

        self.flag_codes, self.flag_problem, self.read_figure = flag_codes, flag_problem, read_figure
        self.storable, self.unneutralise = storable, unneutralise
        self.cells = _Cells(exchange, targets, plan, today, force)
        self.comparison = comparison
        self.compare: Callable | None = comparison.row
        columns = table.columns
        self.ki, self.vi, self.ai = columns["key"], columns["value"], columns["as_of"]
        self.ni, self.si, self.ti = columns.get("note"), columns.get("source"), columns.get("vintage")
        self.xi, self.ri, self.di, self.fi = columns.get("state"), columns.get("recorded_at"), columns.get("decimals"), columns.get("flag")
        self.mi = columns.get("value_format") if self.di is None else None  # a sheet's number formats (readers.read_xlsx)
        self.plain = all(columns.get(name) is None for name in ("vintage", "state", "recorded_at", "decimals", "flag", "value_format"))
        self.formats: dict[str, int | None] = {}  # number format → the decimals it shows
        self.staged = 0  # rows staged so far: a staged row's seq in temp.import_stage
        self.warned: dict[int, tuple] = {}  # staged row → (line, target, value, decimals, expected, last)

    def stage(self, batch: list, problems: Any) -> Iterable[tuple]:
        """The staged rows of ``batch`` (none once a problem is found: then every row is only
        checked, to say every problem)."""
        if self.plain and not problems.count:
            staged = self._plain(batch)
            if staged is not None:
                return staged
        out = []
        for line, values in batch:
            row = self.row(line, values, problems)
            if row is not None and not problems.count:
                out.append(row)
        return out if not problems.count else []

    def _warn(self, line: int, target: Any, value: float, decimals: int | None, grp: int) -> None:
        if len(self.warned) < MAX_WARNINGS_KEPT:
            self.warned[self.staged] = (line, target, value, decimals, *self.cells.references[grp])

    def _chosen(self, grp: int, signature: tuple, gone: int) -> bool:
        """Whether a row is written, as the comparison sees it (all are once it is left to SQL)."""
        if self.compare is not None:
            try:
                return self.compare(grp, signature, gone)
            except _TooMuchHistory:
                self.compare = None  # SQL compares once the file is read
        return True

    # ── a batch of plain rows ──────────────────────────────────────────────────────────────
    def _plain(self, batch: list) -> Iterable[tuple] | None:
        """``batch`` staged in whole-batch passes, or None when it is not plain (nothing of the
        comparison is touched before it is known to be)."""
        from hnreport.text import MAX_TEXT_CHARS

        rows = list(map(itemgetter(1), batch))  # (the line numbers: batch[i][0], for the few rows warned of)
        try:
            columns = list(zip(*rows))  # the batch's cells, a field at a time
            keys, periods = columns[self.ki], columns[self.ai]
            values = columns[self.vi]
            written = "".join(values)  # TypeError: a cell that is not text
        except (TypeError, IndexError):  # (IndexError: a row narrower than the fields, said row by row)
            return None
        if not written.replace(".", "").isdecimal():  # a sign, a blank, an exponent, a unit …
            return None
        # each row's cell by its key's rank and its period's day, where both texts are known
        try:
            ranks, days = list(map(self.cells.key_ranks.get, keys)), list(map(self.cells.period_days.get, periods))
        except TypeError:  # (cells that cannot be a dict key: JSON)
            ranks = days = [None]
        if None not in ranks and None not in days:
            cells = list(map(getitem, map(self.cells.places.__getitem__, ranks), days))  # (tuples or None)
            if None in cells:  # a target and day each met before, not yet together
                at = self.cells.at
                _fill_in(cells, lambda i: at(ranks[i], days[i]))
        else:  # by the pair
            try:
                cells = list(map(self.cells.cache.get, zip(keys, periods)))
            except TypeError:  # (cells that cannot be a dict key: JSON)
                return None
            if set(map(type, cells)) - {tuple, type(None)}:  # an unknown key or a period that cannot be taken
                return None
        if None in cells:  # worked out where new
            known, resolve = self.cells.cache.get, self.cells.resolve
            _fill_in(cells, lambda i: known((keys[i], periods[i])) or resolve(keys[i], periods[i]))
            if set(map(type, cells)) != {tuple}:  # an unknown key or a period that cannot be taken
                return None
        try:
            numbers = list(map(float, values))
        except ValueError:  # 1.2.3, an empty cell
            return None
        # each value's decimals + 1 (its characters from the point on; one: float took them all)
        points = list(map(str.rfind, values, repeat(".")))
        if -1 not in points:  # a point in each
            tails = list(map(sub, map(len, values), points))
        else:
            tails = [len(text) - point if point >= 0 else 1 for text, point in zip(values, points)]
        if max(tails) > MAX_DECIMALS + 1 or max(numbers) == _INF:
            return None
        # the texts as stored (blank: '', which the write makes NULL: a None costs pysqlite far
        # more to pass than a text), and as compared (blank: None, as recorded)
        notes, sources = self._texts(columns, self.ni, len(rows), MAX_TEXT_CHARS), self._texts(columns, self.si, len(rows), MAX_TEXT_CHARS)
        if notes is None or sources is None:
            return None
        # The batch is plain: from here on it is staged.
        groups = list(map(itemgetter(1), cells))
        chosen: Any = repeat(CHOSEN)
        if self.compare is not None:
            try:
                chosen = self.comparison.live(groups, zip(numbers, map(_BLANK.get, sources, sources), repeat(0),
                                                          map(_BLANK.get, notes, notes)))  # fmt: skip
            except _TooMuchHistory:
                self.compare = None  # SQL compares once the file is read (and decides every row again)
        bits = list(map(or_, map(_TAIL_BITS.__getitem__, tails), chosen))
        if any(map(itemgetter(2), cells)):  # periods not ended (--force)
            bits = list(map(or_, bits, map(itemgetter(2), cells)))
        # plausible: within the main range (one C-level pass each way), else within another
        inside = list(map(and_, map(le, map(itemgetter(3), cells), numbers), map(le, numbers, map(itemgetter(4), cells))))
        first = self.staged
        i = -1
        while True:
            try:
                i = inside.index(False, i + 1)
            except ValueError:
                break
            number, cell = numbers[i], cells[i]
            if not any(low <= number <= high for low, high in cell[5]):
                bits[i] |= IMPLAUSIBLE
                self.staged = first + i + 1
                self._warn(batch[i][0], cell[0], number, tails[i] - 1, cell[1])
        self.staged = first + len(batch)
        return zip(groups, numbers, notes, sources, bits)  # type: ignore[return-value]

    def _texts(self, columns: list, i: int | None, size: int, limit: int) -> list[str] | None:
        """A text column of a batch (its cells: ``columns[i]``), as the row-by-row check takes
        it: stripped, an apostrophe a CSV export put before a formula-like cell taken off (blank
        as ''); None when a cell is not text or not one a field takes. Each text is one object
        for every row that gives it: hashed, compared and encoded for SQLite once, not once a
        row — and checked once, where a column is mostly a few texts (one source for a month's
        figures)."""
        if i is None:
            return [""] * size
        try:
            texts = list(map(str.strip, columns[i]))
        except TypeError:  # a cell that is not text
            return None
        once: dict[str, str] = {}
        texts = list(map(once.setdefault, texts, texts))
        few = len(once) * 4 <= size  # (else the texts are mostly their own: checked all at once)
        whole = list(once) if few else ["".join(texts)]
        if not all(text.isascii() or self.storable(text) for text in whole):
            return None
        if any("'" in text for text in whole):
            unneutralise = self.unneutralise
            undone = {text: unneutralise(text) for text in once}
            texts = list(map(undone.__getitem__, texts))
            once = undone
        if max(map(len, once.values() if few else texts)) > limit:
            return None
        return texts

    # ── one row ────────────────────────────────────────────────────────────────────────────
    def text_of(self, i: int | None, values: Any) -> str | None:
        if i is None:
            return None
        text = values[i]
        text = (text if text.__class__ is str else str(text)).strip()
        return (self.unneutralise(text) if text[:1] == "'" else text) or None

    def row(self, line: int, values: Any, problems: Any) -> tuple | None:
        """One row checked: its staged row, or None with its problem added to ``problems``."""
        from hnreport.text import MAX_TEXT_CHARS

        try:
            cell = self.cells.cache[values[self.ki], values[self.ai]]
        except (KeyError, TypeError):  # a pair not seen yet, or cells that are not text (JSON)
            cell = self.cells.resolve(values[self.ki], values[self.ai])
        if cell.__class__ is _PeriodProblem:
            target, period_problem = cell
        elif cell.__class__ is tuple:
            target, period_problem = cell[0], None
        else:
            problems.add(Message("import_line", line=line, problem=cell))
            return None
        raw = values[self.vi]
        text_of = self.text_of
        try:
            if raw.__class__ is str and raw.replace(".", "", 1).isdecimal():  # a plain number: 8.7, 70
                value = float(raw)
                point = raw.find(".")
                decimals = len(raw) - point - 1 if point >= 0 else 0
                if decimals > MAX_DECIMALS:
                    decimals = None
                if value == _INF:
                    value, decimals = _figure(raw, target, self.read_figure)  # too large: said so
            else:
                value, decimals = _figure(raw, target, self.read_figure)
            if period_problem is not None:
                raise period_problem
            bits = cell[2]
            if self.ti is not None:
                vintage = _VINTAGES.get(str(values[self.ti]).strip())
                if vintage is None:
                    raise BadValue("unknown_vintage_in_row", vintage=str(values[self.ti]))
                bits |= vintage
            note, source = text_of(self.ni, values), text_of(self.si, values)
            if note is not None and (len(note) > MAX_TEXT_CHARS or not (note.isascii() or self.storable(note))):
                _check_text("note", note)
            if source is not None and (len(source) > MAX_TEXT_CHARS or not (source.isascii() or self.storable(source))):
                _check_text("source", source)
            if self.di is not None and (given := text_of(self.di, values)) is not None:
                decimals = _decimals_cell(given, value)
            elif self.mi is not None and values[self.mi]:
                decimals = _format_decimals(values[self.mi], value, self.formats)
            if self.fi is not None and (flag := text_of(self.fi, values)) is not None:
                if (problem := self.flag_problem(flag)) is not None:
                    raise BadValue.saying(problem)
                for code in self.flag_codes(flag):
                    bits |= FLAG_BITS[code]
        except (BadValue, BadPeriod) as err:
            problems.add(Message("import_line", line=line, problem=err))
            return None
        if problems.count:
            return None  # nothing will be written: only look for more problems
        grp = cell[1]
        if self.xi is not None and str(values[self.xi]).strip() == "retracted":
            bits |= RETRACTED
        if decimals is not None:
            bits |= (decimals + 1) << DECIMALS_SHIFT
        if self._chosen(grp, (value, source, bits & FINAL, note), bits & RETRACTED):
            bits |= CHOSEN
        self.staged += 1
        if not cell[3] <= value <= cell[4] and not any(low <= value <= high for low, high in cell[5]):
            bits |= IMPLAUSIBLE
            self._warn(line, target, value, decimals, grp)
        if self.ri is None:
            return grp, value, note, source, bits
        recorded = values[self.ri]
        return grp, value, note, source, bits, _iso_or_none(recorded) if recorded else None


_VINTAGES = {"": 0, "preliminary": 0, "final": FINAL, "初步": 0, "最终核实": FINAL, "最终": FINAL}


def _figure(raw: Any, target: Any, read_figure: Callable) -> tuple[float, int | None]:
    """A value cell that is not a plain decimal number: a number cell (no decimals known), or
    text with a sign, grouping, an exponent or a unit (domain.values.read_figure)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:  # an integer beyond any float
            raise BadValue("value_too_large", raw=str(raw)[:40]) from None
        if math.isfinite(value):
            if value < 0 and target.kind in NONNEGATIVE_KINDS:
                raise BadValue("figure_negative", key=target.key, value=value)
            return value + 0.0, None
    figure = read_figure(str(raw), target.unit)
    if figure.value < 0 and target.kind in NONNEGATIVE_KINDS:
        raise BadValue("figure_negative", key=target.key, value=figure.value)
    return figure.value, figure.decimals


def _format_decimals(fmt: str, value: float, formats: dict[str, int | None]) -> int | None:
    """The decimals a number cell shows by its number format (0.0 → 1; a percentage cell's,
    read as the percentage it shows, 0.0% → 1); None where it says none (General) or would hide
    digits the value holds (5.123 shown as 5.1 is 5.123)."""
    from hnreport.domain.values import decimals_of

    places = formats.get(fmt, -1)
    if places == -1:
        places = decimals_of(fmt)
        if len(formats) < 1000:
            formats[fmt] = places
    if places is None or round(value, places) != value:
        return None
    return places


def _decimals_cell(text: str, value: float) -> int:
    """A decimals column (JSON lines, a sheet with one): a whole number from 0 to MAX_DECIMALS,
    and enough to show ``value`` whole (decimals that hid digits would show another figure)."""
    from hnreport.domain.values import MAX_DECIMALS, decimals_problem

    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not (number.is_integer() and 0 <= number <= MAX_DECIMALS):
        raise BadValue("bad_decimals", decimals=text, limit=MAX_DECIMALS)
    problem = decimals_problem(value, int(number))
    if problem is not None:
        raise BadValue.saying(problem)
    return int(number)


def _iso_or_none(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None


# Where an export names items by key: section → the field holding a target or milestone key.
KEYED_SECTIONS = {
    "observations": "key", "target_revisions": "key", "milestone_status": "key", "deadlines": "key",
    "node_marks": "key", "assignments": "key", "settings": "scope", "target_aliases": "key", "unit_report_items": "key",
}  # fmt: skip


def follow_renames(data: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """An export made before a release renamed some keys (``renamed_from`` in data/), with
    those keys changed to today's — as a seed update changes them in a database."""
    if not renamed:
        return data
    out = dict(data)
    for section, field in KEYED_SECTIONS.items():
        rows = data.get(section)
        if isinstance(rows, list):
            out[section] = [
                {**row, field: renamed.get(row.get(field), row.get(field))} if isinstance(row, dict) else row
                for row in rows
            ]
    return out
