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
*means* beyond its role is the caller's business (``domain.statsheet`` for bureau tables).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any

from hnreport.records import Record

# What a role is known by: header names (compared as ``header_key`` gives them) or a test of
# the header's key.
RoleNames = Collection[str] | Callable[[str], bool]
RoleOf = Callable[[Any], str | None]  # a header cell → the role it names, if any

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


class FoundTable(Record):
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

    A header cell names one role at most: the first in ``roles`` whose names match it, so the
    order of ``roles`` is part of a vocabulary (a role for the columns a caller leaves alone,
    such as 牵头县领导, listed before the lead unit's 牵头).

    A header may take two rows. The row above it is part of it when it holds text over at least
    two other columns and nothing in the columns the header row names (a group label such as
    ``1-6月`` over ``累计 | 同比``). The row below is, when it holds text but no number and is
    either empty in those columns (the sub-headers under a merged cell) or made of header cells
    with a group label over some of them (``牵头单位 | 配合单位`` under a ``责任单位`` merged over
    both, a label that names a role itself; see ``_sub_row``). A row that names only some of
    ``needs`` is the header's upper row when the row below it is such a row and the two name the
    rest between them (``工作任务`` in one, ``牵头单位`` under a merged ``责任主体`` in the other).
    A group label merged over several columns reads in its first column only: it is filled
    forward over the columns whose lower cell is filled, as long as the column to its left is
    part of a group.

    A column's role is the one named by its lowest header cell that names one (``配合单位`` under
    ``责任单位``), else by its cells read together (``计量`` over ``单位``).

    Returns None when no header is found within ``scan`` rows."""
    wanted = set(needs or roles)
    tests = [(role, _matcher(names)) for role, names in roles.items()]

    def role_of(value: Any) -> str | None:
        key = header_key(value) if not _is_number(value) else ""
        return next((role for role, match in tests if match(key)), None) if key else None

    source = iter(rows)
    seen: list[tuple[int, list[Any]]] = []
    header_at = pair_at = None
    for line, cells in source:
        seen.append((line, list(cells)))
        if wanted <= {role_of(c) for c in cells}:
            header_at = len(seen) - 1
            break
        above = _last_filled(seen[:-1])
        if above is not None and any(_text(c) for c in cells) and _names_with(seen[above][1], seen[-1][1], wanted, role_of):
            pair_at = above
            break
        if len(seen) >= scan:
            break
    upper: list[Any] | None = None
    lower: list[Any] | None = None
    rest: Iterator[tuple[int, list[Any]]] = iter(())
    if header_at is not None:
        line, main = seen[header_at]
        named = {i for i, c in enumerate(main) if role_of(c) in wanted}
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
            if below is not None and _sub_row(main, below[1], named, role_of):
                lower = below[1]
                lines.append(below[0])
            elif below is not None:
                rest = iter([below])
            top, bottom = main, lower
        else:
            top, bottom = upper, main
    elif pair_at is not None:
        (line, top), (below_line, bottom) = seen[pair_at], seen[-1]
        lines = [line, below_line]
        title_rows = seen[:pair_at]
    else:
        return None
    headers = _combine(top, bottom)
    found_roles: dict[str, list[int]] = {role: [] for role in roles}
    for i, parts in enumerate(headers):
        role = _column_role(parts, role_of)
        if role is not None:
            found_roles[role].append(i)
    title = [" ".join(t for t in map(_text, cells) if t) for _, cells in title_rows if any(_text(c) for c in cells)]
    return FoundTable(tuple(lines), title, headers, found_roles, chain(rest, source))


def _column_role(parts: Sequence[str], role_of: RoleOf) -> str | None:
    """The role a column's header cells name: its lowest cell that names one decides, else the
    cells read together (``计量`` over ``单位``)."""
    for part in reversed(parts):
        role = role_of(part) if part else None
        if role is not None:
            return role
    return role_of("".join(parts))


def _names_with(top: Sequence[Any], low: Sequence[Any], wanted: set[str], role_of: RoleOf) -> bool:
    """Whether ``top`` and ``low`` below it make a two-row header naming every ``wanted`` role
    between them, ``low`` not by itself (then it is a header of its own)."""
    if wanted <= {role_of(c) for c in low}:
        return False
    named = {i for i, c in enumerate(top) if role_of(c) in wanted}
    if not _sub_row(top, low, named, role_of):
        return False
    return wanted <= {_column_role(parts, role_of) for parts in _combine(top, low)}


def _sub_row(top: Sequence[Any], low: Sequence[Any], named: set[int], role_of: RoleOf) -> bool:
    """Whether ``low`` is the lower row of a header whose upper row is ``top`` (``named``: the
    columns whose ``top`` cell names a wanted role): text only, and either empty under ``named``
    (sub-headers under a group label: ``累计 | 同比`` under ``1-6月``), or header cells only —
    each under a group label (a label merged over several columns, which reads in its first
    column, or the same label written over each), a repeat of the cell above (a label merged
    down, written again), or the name of a role —, at least one of them under a group label or
    every one a repeat (``牵头单位 | 配合单位`` under ``责任单位``)."""
    if _group_row(low, named, min_cells=1):
        return True
    if any(_is_number(c) for c in low):
        return False
    width = max(len(top), len(low))
    upper = [_text(top[i]) if i < len(top) else "" for i in range(width)]
    lower = [_text(low[i]) if i < len(low) else "" for i in range(width)]
    filled = [i for i in range(width) if lower[i]]
    grouped: set[int] = set()
    if len({u for u in upper if u}) >= 2:  # a header row, not a title over the table
        for i in range(1, width):
            merged = not upper[i] and lower[i] and lower[i - 1] and (upper[i - 1] or i - 1 in grouped)
            if merged or (upper[i] and upper[i] == upper[i - 1]):
                grouped.update((i - 1, i))
    repeats = {i for i in filled if lower[i] == upper[i]}
    if not filled or not (grouped.intersection(filled) or repeats == set(filled)):
        return False
    return all(i in grouped or i in repeats or role_of(lower[i]) is not None for i in filled)


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
