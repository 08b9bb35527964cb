"""JSON: UTF-8 as written (not \\u escapes), indented."""

from __future__ import annotations

import codecs
from typing import Any, TextIO

from hnreport.outfile import write_exact


def write_json(out: TextIO, data: Any) -> None:
    import json  # loaded only when JSON is asked for

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    encoding = getattr(out, "encoding", None)
    if not getattr(out, "unicode", True) and encoding:
        # A stream that is not UTF-8 (a GBK console): what it cannot carry becomes a JSON
        # \\uXXXX escape — lossless, still valid JSON.
        text = text.encode(encoding, _JSON_ESCAPE).decode(encoding)
    write_exact(out, text)


def _json_escape(err: UnicodeEncodeError) -> tuple[str, int]:
    out = []
    for ch in err.object[err.start : err.end]:
        code = ord(ch)
        if code > 0xFFFF:  # outside the BMP: a surrogate pair, as JSON writes it
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), err.end


_JSON_ESCAPE = "hnreport-json-escape"
codecs.register_error(_JSON_ESCAPE, _json_escape)
