"""JSON: UTF-8 as written (not \\u escapes), indented — except what a terminal would obey."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Any, TextIO

from hnreport.outfile import write_exact
from hnreport.text import INVISIBLE


def json_text(data: Any, indent: int = 2) -> str:
    """``data`` as JSON text, Chinese as written. json escapes control characters C0; DEL, C1
    (\\x9b is a CSI), bidi overrides, zero-width and other invisible characters and lone
    surrogates are escaped too (``\\u202e``): the same data, and nothing a terminal obeys."""
    text = _indented(data, " " * indent)
    if text is None:
        import json  # for what _indented leaves to it

        text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _escape_beyond_c0(text + "\n")


class _NotPlain(Exception):
    """A value _indented leaves to json.dumps."""


def _indented(data: Any, step: str, pad: str = "") -> str | None:
    """``data`` as ``json.dumps(data, ensure_ascii=False, indent=len(step))`` writes it, nested
    ``pad`` deep: several times faster than the pure-Python encoder json falls back to when asked
    to indent, and without loading json at all. None when ``data`` holds anything but dicts with
    text keys, lists, tuples, text, numbers, booleans and None (or is nested too deep):
    json.dumps writes those, or says why it cannot."""
    quote = _quote
    out: list[str] = []
    add = out.append

    def put(value: Any, pad: str) -> None:
        kind = type(value)
        if kind is str:
            add(quote(value))
        elif value is None:
            add("null")
        elif kind is bool:
            add("true" if value else "false")
        elif kind is int:
            add(int.__repr__(value))
        elif kind is float:
            add("NaN" if value != value else _FLOAT_WORDS.get(value) or float.__repr__(value))
        elif kind is dict:
            if not value:
                add("{}")
                return
            inner = pad + step
            sep = "{\n" + inner
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                add(sep + quote(key) + ": ")
                put(item, inner)
                sep = ",\n" + inner
            add("\n" + pad + "}")
        elif kind is list or kind is tuple:
            if not value:
                add("[]")
                return
            inner = pad + step
            sep = "[\n" + inner
            for item in value:
                add(sep)
                put(item, inner)
                sep = ",\n" + inner
            add("\n" + pad + "]")
        else:
            raise _NotPlain

    try:
        put(data, pad)
    except (_NotPlain, RecursionError):
        return None
    return "".join(out)


_FLOAT_WORDS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}
# What json escapes inside a string (ensure_ascii=False): the quote, the backslash and C0.
_STRING_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x20)} | {
    ord('"'): '\\"', ord("\\"): "\\\\", ord("\b"): "\\b", ord("\f"): "\\f", ord("\n"): "\\n", ord("\r"): "\\r",
    ord("\t"): "\\t",
}


def _quote_in_python(text: str) -> str:
    """``text`` as a JSON string, as json.dumps(ensure_ascii=False) writes it."""
    if re.search(r'[\x00-\x1f"\\]', text) is None:  # nothing to escape (most text)
        return f'"{text}"'
    return f'"{text.translate(_STRING_ESCAPES)}"'


try:  # json's own C string encoder, without loading the json package (its parsers and patterns)
    from _json import encode_basestring as _quote
except ImportError:  # a Python built without it
    _quote = _quote_in_python


# text.UNSAFE less C0 (inside strings json has escaped it; outside, it is the indentation's
# newlines); compiled by re's cache on first use, only when the text holds such a character.
_BEYOND_C0 = f"[\x7f-\x9f{INVISIBLE}]"


def _escape_beyond_c0(text: str) -> str:
    if text.replace("\n", "").isprintable():  # every such character is unprintable: no regex
        return text
    return re.sub(_BEYOND_C0, _u_escape, text)


def _u_escape(match: re.Match) -> str:
    return _escaped(match.group())


def _escaped(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:  # outside the BMP: a surrogate pair, as JSON writes it
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def with_plan(data: Any, plan: str | None) -> Any:
    """Every JSON object names the plan it is about: ``plan`` first in an object, or in each
    object of an array (arrays keep their shape); one that already says is left as it is."""
    if not plan:
        return data
    if isinstance(data, dict):
        return data if "plan" in data else {"plan": plan, **data}
    if isinstance(data, list):
        return [with_plan(x, plan) if isinstance(x, dict) else x for x in data]
    return data


def write_json(out: TextIO, data: Any) -> None:
    text = json_text(with_plan(data, getattr(out, "plan", None)))
    encoding = getattr(out, "encoding", None)
    if not getattr(out, "unicode", True) and encoding:
        # A stream that is not UTF-8 (a GBK console): what it cannot carry becomes a JSON
        # \\uXXXX escape — lossless, still valid JSON.
        text = text.encode(encoding, _JSON_ESCAPE).decode(encoding)
    write_exact(out, text)


def write_json_rows(out: TextIO, rows: Iterable[Any]) -> None:
    """A JSON array written element by element as ``rows`` yields them: the same text as
    ``write_json(out, list(rows))``, without holding the list or the whole text."""
    encoding = getattr(out, "encoding", None) if not getattr(out, "unicode", True) else None
    plan = getattr(out, "plan", None)
    if plan:
        rows = (with_plan(row, plan) for row in rows)
    chunk: list[str] = []
    size, first = 0, True
    for row in rows:
        text = _indented(row, "  ", "  ")
        if text is None:
            import json  # for what _indented leaves to it

            text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        chunk.append(("[\n  " if first else ",\n  ") + text)
        first = False
        size += len(text)
        if size >= 1 << 16:
            _write_json_text(out, "".join(chunk), encoding)
            chunk.clear()
            size = 0
    chunk.append("[]\n" if first else "\n]\n")
    _write_json_text(out, "".join(chunk), encoding)


def _write_json_text(out: TextIO, text: str, encoding: str | None) -> None:
    text = _escape_beyond_c0(text)  # as json_text: nothing a terminal would obey
    if encoding:
        text = text.encode(encoding, _JSON_ESCAPE).decode(encoding)
    write_exact(out, text)


def _json_escape(err: UnicodeEncodeError) -> tuple[str, int]:
    return _escaped(err.object[err.start : err.end]), err.end


_JSON_ESCAPE = JSON_ESCAPE = "hnreport-json-escape"  # an error handler: ``text.encode("gbk", JSON_ESCAPE)``
codecs.register_error(_JSON_ESCAPE, _json_escape)
