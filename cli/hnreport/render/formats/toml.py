"""TOML text for plan files and drafts: tables and arrays of tables of plain values, written the
way data/*.toml is (one key a line, strings in basic quotes), so that tomllib reads it back."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML plan files hold finite numbers only")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return string_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def string_text(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    return '"' + _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text) + '"'


def table_text(name: str, row: dict[str, Any], *, array: bool, comment: str = "") -> str:
    lines = [f"# {comment}"] if comment else []
    lines.append(f"[[{name}]]" if array else f"[{name}]")
    for key, value in row.items():
        if value is None:
            continue
        lines.append(f"{key} = {value_text(value)}")
    return "\n".join(lines) + "\n"


PLAN_ORDER = ("key", "name_zh", "name_en", "county_zh", "county_en", "year", "delivered")


def plan_file_text(data: dict[str, Any], header: str = "") -> str:
    """``data`` (the seed's shape) as one plan file (what `plan export` writes)."""
    from hnreport.domain.planfile import ITEMS

    out = [f"# {line}".rstrip() for line in header.splitlines()] + ([""] if header else [])
    out.append("[plan]")
    plan = data["plan"]["plan"]
    for field in (*PLAN_ORDER, *(k for k in plan if k not in PLAN_ORDER)):
        if plan.get(field) is not None:
            out.append(f"{field} = {value_text(plan[field])}")
    for name, ((file, table), _) in ITEMS.items():
        for item in data.get(file, {}).get(table, []):
            out += ["", f"[[{name}]]"]
            out += [f"{field} = {value_text(value)}" for field, value in item.items() if value is not None and value != []]
    return "\n".join(out) + "\n"
