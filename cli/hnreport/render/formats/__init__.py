"""One module per output format. Each writes to the stream it is given (the console's file,
or a file opened for ``-o``), never to ``sys.stdout`` directly."""

from __future__ import annotations

from pathlib import Path

# What --format accepts for listings; documents add their own with -o (by extension).
FORMATS = ("table", "json", "csv", "markdown")

# -o FILE: the extension picks the format.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".svg": "svg",
            ".csv": "csv", ".json": "json"}  # fmt: skip


def format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())
