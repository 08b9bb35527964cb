"""Every test gets its own database, a pinned 'today' and a fixed terminal width.

No test touches a real user's data or depends on the real date.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from hnreport.commands.app import app

# No per-example deadline: CI machines are shared and noisy; correctness is what is tested.
settings.register_profile("hnreport", deadline=None)
settings.load_profile("hnreport")

PINNED_TODAY = "2022-07-15"  # inside the plan year, so defaults are exercised deterministically


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "hnreport.db"
    monkeypatch.setenv("HNREPORT_DB", str(db))
    monkeypatch.setenv("HNREPORT_TODAY", PINNED_TODAY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return db


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated


class Cli:
    """Runs hnreport in-process and returns click's Result (exit_code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None):
        return self.runner.invoke(app, list(args), env=env, input=input)

    def ok(self, *args: str, **kw):
        result = self(*args, **kw)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}\n{result.exception!r}"
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


def dump(path: Path) -> list[str]:
    """The whole database content as SQL text, to compare before and after a refused command."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def seeded(cli: Cli, db_path: Path) -> Path:
    cli.ok("db", "init")
    return db_path


def as_json(result):
    return json.loads(result.stdout)


def by_key(rows):
    return {r["key"]: r for r in rows}


def assert_refused(result, before=None, db=None):
    """Exit 1, one 'error:' line on stderr, no traceback, and (if given) the database unchanged."""
    out = result.stdout + result.stderr
    assert result.exit_code == 1, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    assert lines[0][len("error:"):].strip()
    if before is not None:
        assert dump(db) == before
