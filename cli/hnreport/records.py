"""Record: a typed, immutable tuple with named fields, as ``typing.NamedTuple`` makes, for a
quarter of its cost at import.

Every command imports some forty of these classes before it does anything. ``typing.NamedTuple``
compiles a new constructor from source for each class and checks each field's type; together
that was about 4 ms of a read command's start, which the commands' speed goal (≤ 1.3 × the bare
typer and rich start) cannot spare. Here the constructor is one of the templates below, compiled
once into this module's byte code, renamed for the class's fields; nothing is compiled at import.

A record is what a NamedTuple is: a tuple (equal to a tuple of the same values, hashable,
unpacked like one, pickled by its class), with ``_fields``, ``_field_defaults``, ``_make``,
``_replace``, ``_asdict``, the same ``repr`` and the same constructor signature (positional or
keyword; fields with a default after those without)::

    class Unit(Record):
        id: int
        name: str
        short: str = ""
"""

from __future__ import annotations

from collections import _tuplegetter  # type: ignore[attr-defined]  # what namedtuple's fields use
from types import FunctionType
from typing import Any

_tuple_new = tuple.__new__
_NAMESPACE = {"_tuple_new": _tuple_new}

# Constructors for 1 to 20 fields; a class's copy is renamed for its fields (its keywords).
# fmt: off
def _1(_cls, a): return _tuple_new(_cls, (a,))
def _2(_cls, a, b): return _tuple_new(_cls, (a, b))
def _3(_cls, a, b, c): return _tuple_new(_cls, (a, b, c))
def _4(_cls, a, b, c, d): return _tuple_new(_cls, (a, b, c, d))
def _5(_cls, a, b, c, d, e): return _tuple_new(_cls, (a, b, c, d, e))
def _6(_cls, a, b, c, d, e, f): return _tuple_new(_cls, (a, b, c, d, e, f))
def _7(_cls, a, b, c, d, e, f, g): return _tuple_new(_cls, (a, b, c, d, e, f, g))
def _8(_cls, a, b, c, d, e, f, g, h): return _tuple_new(_cls, (a, b, c, d, e, f, g, h))
def _9(_cls, a, b, c, d, e, f, g, h, i): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i))
def _10(_cls, a, b, c, d, e, f, g, h, i, j): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j))
def _11(_cls, a, b, c, d, e, f, g, h, i, j, k): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k))
def _12(_cls, a, b, c, d, e, f, g, h, i, j, k, l): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l))  # noqa: E741
def _13(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m))  # noqa: E741
def _14(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n))  # noqa: E741
def _15(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o))  # noqa: E741
def _16(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p))  # noqa: E741
def _17(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q))  # noqa: E741
def _18(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r))  # noqa: E741
def _19(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s))  # noqa: E741
def _20(_cls, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t): return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t))  # noqa: E741
# fmt: on

_CONSTRUCTORS = (None, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20)


class _RecordType(type):
    """Makes each ``class X(Record)`` a tuple type with X's annotated names as its fields."""

    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any]):
        if bases == (tuple,):  # Record itself
            return super().__new__(mcls, name, bases, ns)
        if bases != (Record,):
            raise TypeError(f"{name}: a record's only base is Record")
        fields = tuple(ns.get("__annotations__", ()))
        if not 0 < len(fields) < len(_CONSTRUCTORS):
            raise TypeError(f"{name}: a record has 1 to {len(_CONSTRUCTORS) - 1} fields, not {len(fields)}")
        given = [field in ns for field in fields]
        if given != sorted(given):  # False (no default) … then True (a default)
            raise TypeError(f"{name}: a field without a default follows a field with one")
        defaults = tuple(ns.pop(field) for field in fields if field in ns)
        with_default = fields[len(fields) - len(defaults):]
        template = _CONSTRUCTORS[len(fields)].__code__
        code = template.replace(co_varnames=("_cls", *fields), co_name="__new__", co_qualname=f"{name}.__new__")
        ns["__new__"] = FunctionType(code, _NAMESPACE, "__new__", defaults or None)
        ns["__slots__"] = ()
        ns["_fields"] = fields
        ns["_field_defaults"] = dict(zip(with_default, defaults))
        ns["__match_args__"] = fields
        for index, field in enumerate(fields):
            ns[field] = _tuplegetter(index, f"Alias for field number {index}")
        return super().__new__(mcls, name, bases, ns)


class Record(tuple, metaclass=_RecordType):
    """The base of every record (see the module's text)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _field_defaults: dict[str, Any] = {}

    @classmethod
    def _make(cls, iterable):
        made = _tuple_new(cls, iterable)
        if len(made) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
        return made

    def _replace(self, **changes):
        made = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise TypeError(f"Got unexpected field names: {list(changes)!r}")
        return made

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self))})"

    def __getnewargs__(self):
        return tuple(self)
