#!/usr/bin/env python3
"""Many hnreport processes recording at once against one database (run by hand, not in the suite).

    python bench/stress.py                      # 8 writers x 250 records, both scenarios
    python bench/stress.py --writers 4 --records 50 --scenario new

Each writer runs its records one after another, every one a separate `python -m hnreport record`
process (open, migrate-check, write one journalled change, close), all writers at once. Two
scenarios: an existing, initialised database; and a database file that does not exist yet, so
the writers race to create, migrate and seed it (first use).

Prints, per scenario: writers x records, observations found (must equal their product), journal
entries, failures mentioning "locked" (must be 0), other failures, integrity check, `db check`,
and wall time. Exits 1 if any scenario misses its mark.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KEYS = ("key-project-investment", "gdp", "projects-100m", "industry")
MONTH_ENDS = ("2022-01-31", "2022-02-28", "2022-03-31", "2022-04-30", "2022-05-31", "2022-06-30")


def hnreport(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hnreport", *args], env=env, capture_output=True, text=True, timeout=600)


def run(db: Path, writers: int, records: int, label: str) -> bool:
    env = {**os.environ, "HNREPORT_DB": str(db), "HNREPORT_TODAY": "2022-07-15", "HNREPORT_USER": "stress"}
    start = threading.Barrier(writers)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        start.wait()
        for i in range(records):
            # (the figures are arbitrary, most implausible: --yes records them, flagged)
            proc = hnreport("record", KEYS[(w + i) % len(KEYS)], str(w * 10_000 + i), "--as-of", MONTH_ENDS[i % len(MONTH_ENDS)],
                            "--note", f"stress w{w} r{i}", "--yes", env=env)  # fmt: skip
            with lock:
                results.append((proc.returncode, proc.stderr.strip()))

    t0 = time.monotonic()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0

    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT count(*) FROM observations WHERE note LIKE 'stress w%'").fetchone()[0]
        journal = conn.execute("SELECT count(*) FROM journal WHERE action = 'record' AND user = 'stress'").fetchone()[0]
        joined = conn.execute(
            "SELECT count(*) FROM observations o JOIN journal j ON j.id = o.change_id WHERE o.note LIKE 'stress w%'"
        ).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    check = hnreport("db", "check", env=env)
    locked = [err for rc, err in results if "locked" in err.lower()]
    failed = [err for rc, err in results if rc != 0]
    expected = writers * records
    ok = found == expected and journal == expected and joined == expected and not locked and not failed and integrity == "ok"
    ok = ok and check.returncode == 0
    print(f"── {label}")
    print(f"   writers x records      {writers} x {records} = {expected}")
    print(f"   observations found     {found}{'' if found == expected else '   <-- MUST BE ' + str(expected)}")
    print(f"   journal entries        {journal} (each joined to its observation: {joined})")
    print(f"   'locked' failures      {len(locked)}{'' if not locked else '   <-- MUST BE 0'}")
    print(f"   other failures         {len(failed) - len(locked)}")
    print(f"   journal mode           {mode}")
    print(f"   integrity_check        {integrity}")
    print(f"   hnreport db check      exit {check.returncode}: {(check.stdout + check.stderr).strip().splitlines()[0][:110]}")
    print(f"   wall time              {wall:.1f} s ({expected / wall:.1f} records/s)")
    for err in (locked or failed)[:5]:
        print(f"   e.g. {err.splitlines()[-1][:160] if err else '(no message)'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--records", type=int, default=250)
    parser.add_argument("--scenario", choices=("existing", "new", "both"), default="both")
    parser.add_argument("--keep", action="store_true", help="keep the databases (their folder is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hnreport-stress-"))
    print(f"hnreport stress: {args.writers} writer processes x {args.records} `record` commands each; databases in {folder}")
    ok = True
    if args.scenario in ("existing", "both"):
        db = folder / "existing.db"
        env = {**os.environ, "HNREPORT_DB": str(db), "HNREPORT_TODAY": "2022-07-15"}
        init = hnreport("db", "init", env=env)
        assert init.returncode == 0, init.stderr
        ok &= run(db, args.writers, args.records, "existing database (initialised beforehand)")
    if args.scenario in ("new", "both"):
        db = folder / "new" / "first-use.db"
        db.parent.mkdir()
        ok &= run(db, args.writers, args.records, "database that does not exist yet (first-use creation race)")
    print("RESULT:", "pass" if ok else "FAIL")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
