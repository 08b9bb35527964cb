#!/usr/bin/env python3
"""Kill `hnreport import` of a large file at random moments (run by hand, not in the suite).

    python bench/crash.py                      # 100,000 rows, 20 kills
    python bench/crash.py --rows 20000 --kills 5 --seed 7

A calibration run imports the file to the end, measuring how long an import takes and when it
starts writing (the -wal file grows). Then each kill point imports a new file (new figures) and
sends SIGKILL after a random delay — half spread over the whole run, half inside the writing
phase. After every kill: PRAGMA integrity_check must be ok, the import must be all or nothing
(0 or N more observations), and the journal must agree with the data (an 'import' entry for that
file exists exactly when its rows do). Prints each kill point and the totals; exits 1 on any
partial import or failed check.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from csvgen import write_figures_csv  # noqa: E402  (tests/csvgen.py: standard library only, shared with the suite)


def state(db: Path, csv: Path) -> tuple[int, list[int]]:
    conn = sqlite3.connect(db)
    try:
        count = conn.execute("SELECT count(*) FROM observations").fetchone()[0]
        entries = [r[0] for r in conn.execute("SELECT id FROM journal WHERE action = 'import' AND reason = ?", (str(csv),))]
        return count, entries
    finally:
        conn.close()


def rows_of(db: Path, change_id: int) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM observations WHERE change_id = ?", (change_id,)).fetchone()[0]
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def start_import(csv: Path, env: dict[str, str]) -> subprocess.Popen:
    # The generated figures run through the whole year and are arbitrary: --force and --yes let
    # the periods not ended and the implausible magnitudes in (flagged).
    return subprocess.Popen([sys.executable, "-m", "hnreport", "import", str(csv), "--force", "--yes"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="hnreport-crash-"))
    db = folder / "crash.db"
    env = {**os.environ, "HNREPORT_DB": str(db), "HNREPORT_TODAY": "2022-07-15"}
    subprocess.run([sys.executable, "-m", "hnreport", "db", "init"], env=env, check=True, capture_output=True)
    print(f"hnreport crash: import of {args.rows:,} rows killed at {args.kills} random moments (seed {seed}); in {folder}")

    # calibration: a whole import, watching when the -wal file starts to grow
    csv = folder / "run-0.csv"
    write_figures_csv(csv, args.rows, "run-0")
    wal = Path(f"{db}-wal")
    size0 = wal.stat().st_size if wal.exists() else 0
    t0 = time.monotonic()
    proc = start_import(csv, env)
    writing = None
    while proc.poll() is None:
        if writing is None and wal.exists() and wal.stat().st_size > size0:
            writing = time.monotonic() - t0
        time.sleep(0.002)
    full = time.monotonic() - t0
    count, entries = state(db, csv)
    if proc.returncode != 0 or count != args.rows or len(entries) != 1:
        print(f"calibration import failed: exit {proc.returncode}, {count} rows, {proc.stderr.read()[-300:]}")
        return 1
    writing = writing if writing is not None else full * 0.8
    print(f"calibration: a whole import takes {full:.2f} s; writing starts after about {writing:.2f} s")
    print(f"{'kill':>4}  {'after':>7}  {'phase':<10} {'outcome':<22} {'integrity':<10} journal")

    partial = failures = landed_writing = completed = nothing = 0
    for n in range(1, args.kills + 1):
        csv = folder / f"run-{n}.csv"
        write_figures_csv(csv, args.rows, f"run-{n}")
        before, _ = state(db, csv)
        delay = rng.uniform(0.02, 1.05) * full if n % 2 else rng.uniform(writing, 1.02 * full)
        phase = "writing" if delay >= writing else "reading"
        proc = start_import(csv, env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check = integrity(db)
        count, entries = state(db, csv)
        added = count - before
        if added == args.rows:
            outcome, completed = "complete (finished)", completed + 1
        elif added == 0:
            outcome, nothing = "nothing (rolled back)", nothing + 1
        else:
            outcome, partial = f"PARTIAL: {added} rows", partial + 1
        agrees = (len(entries) == 1) == (added == args.rows) and len(entries) <= 1
        if entries:
            agrees = agrees and rows_of(db, entries[0]) == args.rows
        landed_writing += phase == "writing" and proc.returncode == -signal.SIGKILL
        failures += check != "ok" or not agrees
        print(f"{n:>4}  {delay:6.2f}s  {phase:<10} {outcome:<22} {check[:10]:<10} {'agrees' if agrees else 'DISAGREES'}")

    dbcheck = subprocess.run([sys.executable, "-m", "hnreport", "db", "check"], env=env, capture_output=True, text=True)
    print(f"kill points: {args.kills} ({landed_writing} while writing); imports complete {completed}, rolled back {nothing}")
    print(f"integrity failures or journal disagreements: {failures}")
    print(f"partial imports found: {partial}")
    print(f"hnreport db check: exit {dbcheck.returncode}: {(dbcheck.stdout + dbcheck.stderr).strip().splitlines()[0][:110]}")
    ok = partial == 0 and failures == 0 and dbcheck.returncode == 0
    print("RESULT:", "pass" if ok else "FAIL")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
