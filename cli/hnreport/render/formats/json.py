"""JSON: UTF-8 as written (not \\u escapes), indented."""

from __future__ import annotations

from typing import Any, TextIO


def write_json(out: TextIO, data: Any) -> None:
    import json  # loaded only when JSON is asked for

    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
