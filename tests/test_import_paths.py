"""The import's shortcuts give what the long way gives (issue 13, speed): observations' CHECK
constraints checked once for the file, new figures compared in the light loop (and taken over
by the full one when a later row needs it), and a batch's cells looked up by key rank and
period day once those are known."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import fresh_db_bytes, q

_FRESH: bytes | None = None


def _fresh(folder) -> object:
    global _FRESH
    if _FRESH is None:
        _FRESH = fresh_db_bytes()
    db = folder / "import.db"
    for suffix in ("", "-wal", "-shm"):
        (folder / f"import.db{suffix}").unlink(missing_ok=True)
    db.write_bytes(_FRESH)
    return db


def _import(db, rows: list[list[str]], columns: dict[str, int], **options) -> object:
    from hnreport.readers import Table
    from hnreport.store import Store

    store = Store.open(db)
    try:
        table = Table(columns, iter([(i + 2, list(r)) for i, r in enumerate(rows)]), [])
        try:
            summary = store.exchange.import_table(table, "f.csv", today=date(2022, 12, 31), yes=True, **options)
            said: object = (tuple(summary[:4]), tuple(str(m) for m in summary.implausible), summary.implausible_count)
        except Exception as err:  # the same refusal, said the same way
            said = (type(err).__name__, str(err))
    finally:
        store.close()
    return said, q(db, "SELECT id, target_key, value, as_of, note, source, vintage, decimals, flag FROM observations ORDER BY id")


# ── CHECK constraints ───────────────────────────────────────────────────────────────────────
def test_the_checks_the_import_makes_itself_are_the_tables_own(tmp_path):
    from hnreport.store import exchange

    db = _fresh(tmp_path)
    conn = sqlite3.connect(db)
    try:
        assert exchange._only_known_checks(conn)  # a database as made today: the import checks them itself
    finally:
        conn.close()
    other = sqlite3.connect(":memory:")
    other.execute("CREATE TABLE observations (as_of TEXT CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'), "
                  "vintage TEXT CHECK (vintage IN ('preliminary', 'final')), value REAL CHECK (value > 0), "
                  "decimals INTEGER CHECK (decimals IS NULL OR decimals BETWEEN 0 AND 15))")  # fmt: skip
    assert not exchange._only_known_checks(other)  # one it does not know: SQLite checks every row


def test_the_import_refuses_what_the_checks_would_refuse():
    from hnreport.store import exchange

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TEMP TABLE import_groups (grp INTEGER PRIMARY KEY, key TEXT NOT NULL, as_of TEXT NOT NULL)")
    conn.execute("CREATE TEMP TABLE import_stage (seq INTEGER PRIMARY KEY, grp INTEGER, bits INTEGER)")
    conn.execute("INSERT INTO temp.import_groups VALUES (1, 'gdp', '2022-06-30')")
    exchange._check_values(conn, [(1, 5.0, "", "", 16 << exchange.DECIMALS_SHIFT)])  # 15 decimals
    with pytest.raises(sqlite3.IntegrityError, match="decimals"):
        exchange._check_values(conn, [(1, 5.0, "", "", 17 << exchange.DECIMALS_SHIFT)])
    conn.execute("INSERT INTO temp.import_stage VALUES (1, 1, ?)", (17 << exchange.DECIMALS_SHIFT,))
    with pytest.raises(sqlite3.IntegrityError, match="decimals"):
        exchange._check_values(conn, None)  # (the staged rows)
    conn.execute("INSERT INTO temp.import_groups VALUES (2, 'gdp', '2022-6-30')")
    with pytest.raises(sqlite3.IntegrityError, match="as_of"):
        exchange._check_values(conn, [])


ROW = st.tuples(
    # (keys and periods as a sheet may spell them: by name, in capitals, with spaces — each
    # taken the same whether by the pair or by the key's rank and the period's day)
    st.sampled_from(["gdp", "industry", "地区生产总值增长", "key-project-investment", "GDP", " industry "]),
    st.sampled_from(["8.7", "5.0", "8.70", "60", "7000", "1.25", "-3", "1,200"]),
    st.sampled_from(["2022-03-31", "2022Q1", "2022-06", "2022-09", " 2022-06 ", "2022年3月"]),
    st.sampled_from(["", "a", "月报"]),
    st.sampled_from(["", "月报", "统计局"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=10), st.booleans())
def test_the_import_writes_the_same_with_sqlite_checking_every_row(tmp_path_factory, monkeypatch, rows, twice):
    from hnreport.store import exchange

    outcomes = []
    for sqlite_checks in (False, True):
        folder = tmp_path_factory.mktemp("checks")
        db = _fresh(folder)
        if sqlite_checks:
            monkeypatch.setattr(exchange, "_only_known_checks", lambda conn: False)
        columns = {"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4}
        outcome = [_import(db, [list(r) for r in rows], columns) for _ in range(2 if twice else 1)]
        monkeypatch.undo()
        outcomes.append(outcome)
    assert outcomes[0] == outcomes[1]


# ── the light comparison and the cells by rank and day, over several batches ───────────────
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=14), st.sampled_from([1, 2, 3]), st.booleans())
def test_batches_of_plain_and_other_rows_are_imported_as_row_by_row(tmp_path_factory, monkeypatch, rows, batch, twice):
    """Rows of one target and period in a plain batch (the light loop, cells by rank and day once
    known) and in one read row by row (a sign or a grouping comma: the full comparison takes the
    group over), in batches of one to three rows, give what reading every row one by one gives."""
    from hnreport.store import exchange

    outcomes = []
    for whole_batches in (True, False):
        folder = tmp_path_factory.mktemp("batches")
        db = _fresh(folder)
        monkeypatch.setattr(exchange, "STAGE_BATCH", batch)
        if not whole_batches:
            monkeypatch.setattr(exchange._Rows, "_plain", lambda self, b: None)
        columns = {"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4}
        outcome = [_import(db, [list(r) for r in rows], columns) for _ in range(2 if twice else 1)]
        monkeypatch.undo()
        outcomes.append(outcome)
    assert outcomes[0] == outcomes[1]


def test_a_target_and_period_begun_in_a_plain_batch_is_compared_on_row_by_row(tmp_path, monkeypatch):
    from hnreport.store import exchange

    db = _fresh(tmp_path)
    monkeypatch.setattr(exchange, "STAGE_BATCH", 2)
    columns = {"key": 0, "value": 1, "as_of": 2, "note": 3, "source": 4}
    rows = [
        ["gdp", "5.0", "2022-06-30", "", "月报"], ["gdp", "5.0", "2022-06-30", "", "月报"],  # plain: added, then the same
        ["gdp", "+5.0", "2022-06-30", "", "月报"], ["gdp", "+5.2", "2022-06-30", "", "月报"],  # row by row: the same, a revision
        ["gdp", "5.2", "2022-06-30", "", "月报"], ["gdp", "5.3", "2022-06-30", "", "月报"],  # plain again: the same, a revision
    ]
    said, written = _import(db, rows, columns)
    assert said[0] == (1, 2, 3, 0)
    assert [(key, value) for _, key, value, *_ in written] == [("gdp", 5.0), ("gdp", 5.2), ("gdp", 5.3)]
    said, written_again = _import(db, rows, columns)  # a second time: nothing new
    assert said[0] == (0, 0, 6, 0) and written_again == written
