"""Where the seed data and migrations live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # A wheel carries data/ and migrations/ inside the package (hatch force-include); an editable
    # install or a source checkout does not, so fall back to the repository root (cli/hnreport/..).
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"hnreport is missing its {name}/ folder; reinstall the package")


def data_dir() -> Path:
    return _find("data")


def migrations_dir() -> Path:
    return _find("migrations")
