"""Finding the table in a sheet as it is printed: title rows above it, a header of one or two
rows with merged cells, and which column holds what.

Sheets made for people — a statistics bureau's 统计月报, a department's 责任分工方案 — open with a
title, a date or unit line, then the header, often in two rows with a merged cell over several
columns (``1-6月`` over ``累计 | 同比增长(%)``). openpyxl's read-only mode, which the bounds on
memory need, does not expose merged cells: a merged cell's text is in its top-left cell and the
others read empty. ``find_table`` fills them forward itself::

    found = find_table(rows, {"task": {"工作任务", "重点任务"}, "lead": {"牵头单位"}, "due": {"完成时限"}},
                       needs=("task",))
    found.roles["lead"]        # [2]: the columns whose header names the role, left to right
    found.header(4)            # "1-6月 累计": a column's header as printed, rows joined
    for line, cells in found.rows: ...   # the rows below the header, as read

``rows`` are (line number, cells) pairs, as ``readers`` gives them; only the first ``scan`` rows
are looked at and the rest are handed on unread. No database, no domain rules: what a column
*means* beyond its role is the caller's business (``domain.bulletin`` for bureau tables).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, NamedTuple

# What a role is known by: header names (compared as ``header_key`` gives them) or a test of
# the header's key.
RoleNames = Collection[str] | Callable[[str], bool]

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "［": "(", "］": ")",
                           "〈": "(", "〉": ")", "《": "(", "》": ")"})  # fmt: skip


def header_key(value: Any) -> str:
    """A cell's text as headers and names are compared: full-width forms as ASCII (NFKC: （） →
    (), ％ → %), every space removed (full-width ones too), every kind of bracket as ( ), ASCII
    letters in lower case. ``header_key(" 指标 名称 ") == header_key("指标名称")``."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value))
    return "".join(text.split()).translate(_BRACKETS).lower()


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Percent(float):
    """A number from a cell formatted as a percentage (``0.0%``): the percentage shown, 5.1 for
    the 0.051 the cell holds. ``stored`` and ``number_format`` keep what the cell holds."""

    stored: float
    number_format: str

    def __new__(cls, stored: float, number_format: str) -> Percent:
        self = super().__new__(cls, round(stored * 100, 10))  # 0.051 * 100 is 5.1000000000000005
        self.stored = stored
        self.number_format = number_format
        return self


class FoundTable(NamedTuple):
    """A table found in a sheet (see the module's docstring)."""

    header_lines: tuple[int, ...]  # the header's line numbers: one, or two for a two-row header
    title: list[str]  # each non-empty row above the header, its cells joined by a space
    headers: list[tuple[str, ...]]  # per column: its header cells top to bottom, merged ones filled in
    roles: dict[str, list[int]]  # role → the columns (0-based) whose header names it
    rows: Iterator[tuple[int, list[Any]]]  # the rows below the header, read as consumed

    def header(self, column: int) -> str:
        """Column ``column``'s header as printed, its rows joined by a space ("1-6月 累计")."""
        parts = self.headers[column] if column < len(self.headers) else ()
        return " ".join(dict.fromkeys(p for p in parts if p))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _matcher(names: RoleNames) -> Callable[[str], bool]:
    if callable(names):
        return lambda key: bool(key) and bool(names(key))
    keys = frozenset(header_key(n) for n in names)
    return keys.__contains__


def find_table(
    rows: Iterable[tuple[int, Sequence[Any]]],
    roles: Mapping[str, RoleNames],
    *,
    needs: Collection[str] = (),
    scan: int = 30,
) -> FoundTable | None:
    """The table in ``rows``: the first of the first ``scan`` rows that names every role in
    ``needs`` (all roles when ``needs`` is empty) is the header; the rows above it are the title.

    A header may take two rows: the row above it is part of it when it holds text over at
    least two other columns and nothing in the columns the header row names (a group label
    such as ``1-6月`` over ``累计 | 同比``); the row below is, when it is empty in those
    columns and holds text but no number (the sub-headers under a merged cell). A group label
    merged over several columns reads in its first column only: it is filled forward over the
    columns whose lower cell is filled, as long as the column to its left is part of a group.

    Returns None when no header is found within ``scan`` rows."""
    wanted = tuple(needs) or tuple(roles)
    test = {role: _matcher(names) for role, names in roles.items()}
    source = iter(rows)
    seen: list[tuple[int, list[Any]]] = []
    header_at = None
    for line, cells in source:
        seen.append((line, list(cells)))
        keys = [header_key(c) if not _is_number(c) else "" for c in cells]
        if all(any(test[r](k) for k in keys if k) for r in wanted):
            header_at = len(seen) - 1
            break
        if len(seen) >= scan:
            break
    if header_at is None:
        return None
    line, main = seen[header_at]
    named = {i for i, c in enumerate(main) if not _is_number(c) and any(test[r](header_key(c)) for r in wanted)}
    upper: list[Any] | None = None
    lower: list[Any] | None = None
    lines = [line]
    above = _last_filled(seen[:header_at])
    if above is not None and _group_row(seen[above][1], named, min_cells=2):
        upper = seen[above][1]
        lines.insert(0, seen[above][0])
        title_rows = seen[:above]
    else:
        title_rows = seen[:header_at]
    if upper is None:
        below = next(((ln, cells) for ln, cells in source if any(_text(c) for c in cells)), None)
        if below is not None and _group_row(below[1], named, min_cells=1):
            lower = below[1]
            lines.append(below[0])
            rest: Iterator[tuple[int, list[Any]]] = iter(())
        else:
            rest = iter([below]) if below is not None else iter(())
        top, bottom = main, lower
    else:
        rest = iter(())
        top, bottom = upper, main
    headers = _combine(top, bottom)
    found_roles = {
        role: [i for i, parts in enumerate(headers) if any(match(header_key(p)) for p in parts if p)
               or match(header_key("".join(parts)))]
        for role, match in test.items()
    }  # fmt: skip
    title = [" ".join(t for t in map(_text, cells) if t) for _, cells in title_rows if any(_text(c) for c in cells)]
    return FoundTable(tuple(lines), title, headers, found_roles, chain(rest, source))


def _last_filled(rows: list[tuple[int, list[Any]]]) -> int | None:
    for i in range(len(rows) - 1, -1, -1):
        if any(_text(c) for c in rows[i][1]):
            return i
    return None


def _group_row(cells: Sequence[Any], named: set[int], *, min_cells: int) -> bool:
    """Whether ``cells`` is the other row of a two-row header: text only, nothing over the
    columns the header row names, text over at least ``min_cells`` other columns."""
    if any(_is_number(c) for c in cells):
        return False
    filled = [i for i, c in enumerate(cells) if _text(c)]
    return len(filled) >= min_cells and not named.intersection(filled)


def _combine(top: Sequence[Any], bottom: Sequence[Any] | None) -> list[tuple[str, ...]]:
    if bottom is None:
        return [(_text(c),) for c in top]
    width = max(len(top), len(bottom))
    upper = [_text(top[i]) if i < len(top) else "" for i in range(width)]
    lower = [_text(bottom[i]) if i < len(bottom) else "" for i in range(width)]
    for i in range(1, width):
        # A merged group label reads in its first column only: carry it over the columns under it.
        if not upper[i] and lower[i] and upper[i - 1] and lower[i - 1]:
            upper[i] = upper[i - 1]
    return [(u, lo) for u, lo in zip(upper, lower)]
