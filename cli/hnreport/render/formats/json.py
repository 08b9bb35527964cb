"""JSON: UTF-8 as written (not \\u escapes), indented."""

from __future__ import annotations

import json
from typing import Any, TextIO


def write_json(out: TextIO, data: Any) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
