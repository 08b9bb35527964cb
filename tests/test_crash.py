"""An import killed at random moments is all or nothing. bench/crash.py is the full version, run
by hand; both write their import files with csvgen.write_figures_csv.
"""

from __future__ import annotations

import ast
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import csvgen
from csvgen import write_figures_csv
from helpers import REPO, env_for, one, q, run_hnreport


def _import_state(db: Path, csv: Path) -> tuple[int, list[int]]:
    """(observations, ids of 'import' journal entries for this file)."""
    return (one(db, "SELECT count(*) FROM observations"),
            [j for (j,) in q(db, "SELECT id FROM journal WHERE action = 'import' AND reason = ?", (str(csv),))])  # fmt: skip


def test_an_import_killed_at_random_moments_is_all_or_nothing(tmp_path) -> None:
    db = tmp_path / "crash.db"
    env = env_for(db)
    assert run_hnreport("db", "init", env=env).returncode == 0
    rows = 20_000
    # calibrate: one import run to the end
    first = tmp_path / "run-0.csv"
    write_figures_csv(first, rows, "run-0")
    t0 = time.monotonic()
    # The generated figures run through the whole year and are arbitrary: --force and --yes let
    # the periods not ended and the implausible magnitudes in (flagged).
    done = run_hnreport("import", str(first), "--force", "--yes", env=env)
    full = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    assert _import_state(db, first)[0] == rows

    seed = int(os.environ.get("HNREPORT_CRASH_SEED", "20220715"))
    rng = random.Random(seed)
    kills = [rng.uniform(0.35, 1.0) * full for _ in range(6)]
    outcomes = []
    for n, delay in enumerate(kills, start=1):
        csv = tmp_path / f"run-{n}.csv"
        write_figures_csv(csv, rows, f"run-{n}")
        before, _ = _import_state(db, csv)
        proc = subprocess.Popen([sys.executable, "-m", "hnreport", "import", str(csv), "--force", "--yes"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert q(db, "PRAGMA integrity_check") == [("ok",)], (seed, n, delay)
        count, entries = _import_state(db, csv)
        added = count - before
        assert added in (0, rows), (seed, n, delay, added)
        assert (len(entries) == 1) == (added == rows) and len(entries) <= 1, (seed, n, delay, added, entries)
        if entries:
            assert one(db, "SELECT count(*) FROM observations WHERE change_id = ?", (entries[0],)) == rows
        outcomes.append(proc.returncode == -signal.SIGKILL and added == 0)
    check = run_hnreport("db", "check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert sum(outcomes) >= 1, f"no kill landed before the import finished (seed {seed}, full run {full:.2f} s)"



def test_the_import_file_builder_shared_with_bench_needs_only_the_standard_library() -> None:
    # bench/crash.py imports csvgen and must run with nothing but hnreport installed (no pytest,
    # no hypothesis), so csvgen may import the standard library only.
    tree = ast.parse(Path(csvgen.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {name.split(".")[0] for name in imported} <= sys.stdlib_module_names | {"__future__"}
    assert "from csvgen import write_figures_csv" in (REPO / "bench" / "crash.py").read_text(encoding="utf-8")
