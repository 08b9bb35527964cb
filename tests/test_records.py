"""hnreport.records.Record behaves as typing.NamedTuple does, field for field: every typed tuple
of the package is one, so what a NamedTuple gave (keywords, defaults, _replace, equality, pickling)
must hold."""

from __future__ import annotations

import copy
import pickle
from collections import namedtuple
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnreport.records import Record


class Unit(Record):
    """A unit."""

    id: int
    name: str
    short: str = ""
    aliases: tuple = ()

    def label(self) -> str:
        return self.short or self.name


class UnitNT(NamedTuple):
    id: int
    name: str
    short: str = ""
    aliases: tuple = ()


def test_a_record_is_made_and_read_as_a_namedtuple_is() -> None:
    u = Unit(1, "县发改局", aliases=("发改局",))
    nt = UnitNT(1, "县发改局", aliases=("发改局",))
    assert u == nt == (1, "县发改局", "", ("发改局",))
    assert hash(u) == hash(nt)
    assert (u.id, u.name, u.short, u.aliases) == (1, "县发改局", "", ("发改局",))
    assert u[1] == "县发改局" and u[-1] == ("发改局",) and len(u) == 4
    ident, name, *_ = u
    assert (ident, name) == (1, "县发改局")
    assert repr(u) == "Unit(id=1, name='县发改局', short='', aliases=('发改局',))"
    assert repr(u) == repr(nt).replace("UnitNT", "Unit")
    assert u.label() == "县发改局" and Unit.__doc__ == "A unit."
    assert isinstance(u, tuple) and isinstance(u, Record)


def test_a_record_has_the_namedtuple_helpers() -> None:
    u = Unit(2, "县财政局", "财政局")
    assert Unit._fields == UnitNT._fields == ("id", "name", "short", "aliases")
    assert Unit._field_defaults == UnitNT._field_defaults == {"short": "", "aliases": ()}
    assert Unit.__match_args__ == UnitNT.__match_args__
    assert u._asdict() == {"id": 2, "name": "县财政局", "short": "财政局", "aliases": ()}
    changed = u._replace(short="", id=3)
    assert type(changed) is Unit and changed == (3, "县财政局", "", ())
    assert Unit._make([4, "a", "b", ()]) == Unit(4, "a", "b")
    with pytest.raises(TypeError, match="unexpected field names"):
        u._replace(nickname="x")
    with pytest.raises(TypeError, match="Expected 4 arguments, got 2"):
        Unit._make([1, "a"])
    match u:
        case Unit(2, name):
            assert name == "县财政局"
        case _:
            pytest.fail("positional pattern did not match")


def test_a_record_pickles_and_copies_and_stays_immutable() -> None:
    u = Unit(5, "县住建局", aliases=("住建局",))
    assert pickle.loads(pickle.dumps(u)) == u
    assert type(pickle.loads(pickle.dumps(u))) is Unit
    assert copy.copy(u) == u and copy.deepcopy(u) == u
    with pytest.raises(AttributeError):
        u.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        u.extra = 1  # type: ignore[attr-defined]


def test_a_record_refuses_the_calls_a_namedtuple_refuses() -> None:
    for cls in (Unit, UnitNT):
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
            cls(1)
        with pytest.raises(TypeError, match="unexpected keyword argument 'nickname'"):
            cls(1, "a", nickname="b")
        with pytest.raises(TypeError, match="multiple values for argument 'id'"):
            cls(1, "a", id=2)
        with pytest.raises(TypeError, match="takes from 3 to 5 positional arguments but 6 were given"):
            cls(1, "a", "b", (), "extra")


def test_a_record_is_declared_as_a_namedtuple_is() -> None:
    with pytest.raises(TypeError, match="without a default follows a field with one"):

        class Bad(Record):
            a: int = 0
            b: int

    with pytest.raises(TypeError, match="1 to 20 fields"):

        class Empty(Record):
            pass

    with pytest.raises(TypeError, match="only base is Record"):

        class Derived(Unit):
            more: int


@given(st.integers(min_value=1, max_value=20).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_every_size_makes_the_same_tuple_as_a_namedtuple(shape) -> None:
    n, with_default = shape
    fields = [f"f{i}" for i in range(n)]
    ns = {"__annotations__": {f: "int" for f in fields}}
    ns.update({f: -i for i, f in enumerate(fields) if i >= n - with_default})
    made = type(Record)("R", (Record,), dict(ns))
    reference = namedtuple("R", fields, defaults=[-i for i in range(n - with_default, n)])
    given_args = list(range(100, 100 + n - with_default))
    assert made(*given_args) == reference(*given_args)
    assert made(**dict(zip(fields, given_args))) == reference(**dict(zip(fields, given_args)))
    assert made._field_defaults == reference._field_defaults
