"""Import files of figures, for the suite and for bench/crash.py.

Standard library only: bench/ scripts import it (bench/crash.py puts tests/ on its path) and
must run with nothing but hnreport installed.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

TARGETS_TOML = Path(__file__).resolve().parent.parent / "data" / "targets.toml"


def write_figures_csv(path: Path, rows: int, run: str) -> None:
    """``rows`` figures (key,value,as_of,source), all new for run ``run``: every seeded target in
    turn, then the next day of 2022; ``run`` is the source of every row. The figures are
    arbitrary (most are implausible, many for periods after a mid-year today): import them with
    --yes --force."""
    with open(TARGETS_TOML, "rb") as fh:
        keys = [t["key"] for t in tomllib.load(fh)["target"]]
    start = date(2022, 1, 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("key,value,as_of,source\n")
        for i in range(rows):
            fh.write(f"{keys[i % len(keys)]},{i + 0.5},{start + timedelta(days=(i // len(keys)) % 365)},{run}\n")
