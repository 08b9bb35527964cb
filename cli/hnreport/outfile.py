"""Every file hnreport writes goes through here: one guard and one atomic write; and the
stream it writes to a console keeps to what that console's encoding can carry.

The guard refuses the database and its companions (-wal, -shm, -journal — after resolving
links: they are the database too), a folder where a file is meant, a missing folder, and an
existing file unless ``--force``. The write goes to a temporary file in the same folder, is
flushed to disk and renamed into place, so a full disk or a crash leaves the old file whole.
A file another program holds open (a document open in Word or WPS on Windows) gets one clear
line and the old file stays.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath, PureWindowsPath

from hnreport.errors import BadValue, Message, OutputEncodingError

# Chinese characters (the CJK Unified Ideographs block): text that holds them is refused, not
# escaped, on a console that cannot show Chinese at all. Compiled when first needed: compiling
# this class walks its 20,992 characters in Python, which every command would pay at start.
_CHINESE_CLASS = "[\u4e00-\u9fff]"
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
# Whether this platform's file names ignore letter case (macOS; Windows paths always do).
CASE_BLIND = sys.platform == "darwin"


def companions(database: PurePath) -> list[PurePath]:
    """The files SQLite keeps beside a database (same folder, same kind of path)."""
    return [database.with_name(database.name + suffix) for suffix in COMPANION_SUFFIXES]


def _same(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def name_key(path: PurePath) -> str:
    """A file name as the file system tells names apart. Windows ignores letter case and trailing
    dots and spaces, and reads ``a.db:x`` as a stream inside ``a.db``; macOS ignores case."""
    name = path.name
    if isinstance(path, PureWindowsPath):
        return name.split(":", 1)[0].rstrip(". ").casefold()
    return name.casefold() if CASE_BLIND else name


def one_file(a: PurePath, b: PurePath) -> bool:
    """Whether ``a`` and ``b`` spell the same file in the same folder (``A.DB-WAL``, ``a.db-wal.``
    on Windows), even while it does not exist yet; links are ``_same``'s part."""
    if name_key(a) != name_key(b):
        return False
    if a.parent == b.parent:  # Windows paths compare without regard to case
        return True
    return isinstance(a, Path) and isinstance(b, Path) and _same(a.parent, b.parent)


def temp_beside(path: PurePath, tag: str) -> PurePath:
    """The temporary file a write goes to first: hidden, in the same folder (so the rename that
    puts it in place stays on one file system), named after the file."""
    return path.with_name(f".{path.name}.{tag}.tmp")


def check_output(path: Path, database: Path | None, *, force: bool = False, what: str = "file") -> None:
    """Refuse to write ``path`` where it would destroy something; see the module's rules."""
    if database is not None:
        for protected in (database, *companions(database)):
            if _same(path, protected) or one_file(path, protected):
                which = "" if protected == database else Message("database_companion", suffix=protected.name[len(database.name):])
                raise BadValue("output_onto_database", path=path, database=database, which=which)
    if path.is_dir():
        raise BadValue("output_is_directory", path=path)
    if not path.parent.exists():
        raise BadValue("folder_missing", folder=path.parent)
    if path.exists() and not force:
        raise BadValue("output_exists", path=path)


def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write ``data`` (text as UTF-8, newlines as given) to ``path`` all at once or not at all.

    ``private``: readable by its owner only (exports carry every figure, like the database);
    otherwise the file gets the permissions a new file normally gets (documents are for sharing).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = Path(temp_beside(path, str(os.getpid())))
    mode = 0o600 if private else 0o666  # the umask applies to the second
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    except FileExistsError:
        tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.replace(tmp, path)
        except PermissionError as err:
            raise BadValue("output_locked", path=path) from err
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


# What a table shows when the console cannot carry a mark: one ASCII character each, so that
# columns stay aligned (box drawing, status marks, progress bars, separators).
ASCII_MARKS = str.maketrans({
    "┏": "+", "┓": "+", "┗": "+", "┛": "+", "┡": "+", "┩": "+", "┳": "+", "┻": "+", "╇": "+",
    "┴": "+", "┬": "+", "└": "+", "┘": "+", "┌": "+", "┐": "+", "├": "+", "┤": "+", "┼": "+",
    "━": "=", "─": "-", "┃": "|", "│": "|",
    "✓": "+", "✗": "x", "●": "*", "○": "o", "▼": "v", "▲": "^", "◇": "o", "▶": ">", "›": ">",
    "█": "#", "░": ".", "…": "~", "¶": "#", "⊘": "-", "−": "-",
    # and the East Asian ambiguous-width characters the views put in cells, which a terminal
    # drawing them two cells wide would misalign ("≥" and "≤" are written ">=" and "<=" before
    # the table is laid out: see words.comparator_mark)
    "—": "-", "·": ".", "←": "<", "→": ">", "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x", "°": "o",
    "±": "+", "§": "S", "≈": "~", "◆": "*", "△": "^", "※": "*",
})  # fmt: skip


def write_exact(out, text: str, *, errors: str = "backslashreplace") -> None:
    """Write a document or data to ``out`` as it is. On a console whose encoding lacks a
    character (a GBK console and a "•" pasted from Word) ``errors`` says what becomes of it:
    ``backslashreplace`` (the default: Markdown, text and tables shown on the screen) shows it as
    ``\\u2022``, as messages are; ``xmlcharrefreplace`` (HTML) writes ``&#8226;``, which a
    browser shows as the character; ``strict`` (data piped to a file, e.g. CSV) refuses it in one
    line rather than alter the data. A file written with -o is UTF-8 and never meets this."""
    method = getattr(out, "write_exact", None)
    if method is None:
        out.write(text)
    else:
        method(text, errors=errors)


def _unicode(encoding: str | None) -> bool:
    return (encoding or "utf-8").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig", "utf16", "utf32")


def _carries_chinese(encoding: str) -> bool:
    try:
        "中文".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class EncodingSafeWriter:
    """A text stream that keeps to what its encoding can carry.

    On a UTF-8 stream it passes text through. Elsewhere (a Chinese Windows console or a
    redirect in cp936/GBK, an ASCII terminal) marks the encoding lacks become ``ASCII_MARKS``;
    any other character it lacks — in the data itself: a "•" pasted from Word, a "€" — is shown
    as an escape (``\\u2022``), as messages show it; data bound for a file (CSV piped) and
    Chinese on a console without Chinese are refused with one line that says how to get them.
    Never half-garbled, never a traceback.
    """

    def __init__(self, stream) -> None:
        self._stream = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self.unicode = _unicode(self.encoding)
        self.chinese = self.unicode or _carries_chinese(self.encoding)
        # Plain output (piped, or colour off) carries no escape sequences of rich's own, so the
        # guard against stored text driving a terminal is one pass over what is written; a
        # colour terminal gets rich's render hook instead (render/terminal.py).
        self.escape = False
        # ASCII marks and borders asked for (--ascii, display.symbols = ascii) on any stream.
        self.ascii = False
        # The key of the plan the output is about: JSON objects written here name it (``plan``).
        self.plan: str | None = None
        # Its name as tables and documents head it (the report's title, in the output language).
        self.plan_title: str | None = None

    def write(self, text: str) -> int:
        """Tables: on a stream that is not Unicode, or when ASCII is asked for, every mark and
        border becomes ASCII (one set, so a table never mixes the two); what the encoding still
        cannot carry (a "€" in a unit's name) is shown as an escape."""
        if self.escape:
            from hnreport.text import one_line

            text = "\n".join(one_line(line) for line in text.split("\n"))
        if not self.unicode:
            text = self.shown(text.translate(ASCII_MARKS))
        elif self.ascii:
            text = text.translate(ASCII_MARKS)
        return self._stream.write(text)

    def write_exact(self, text: str, *, errors: str = "backslashreplace") -> int:
        """Documents and data (Markdown, HTML, CSV, JSON): written as they are; what the encoding
        cannot carry is replaced as ``errors`` says (see ``outfile.write_exact``)."""
        if not self.unicode:
            text = self.shown(text, errors)
        return self._stream.write(text)

    def shown(self, text: str, errors: str = "backslashreplace") -> str:
        """``text`` as this stream's encoding can carry it: each character it lacks replaced as
        ``errors`` says (``\\u20ac``), or with ``strict`` refused (OutputEncodingError). A console
        that cannot show Chinese at all (ASCII) is refused Chinese text shown as escapes too: a
        page of them helps nobody, and the message says how to get it (lossless escapes — JSON's,
        HTML's — are written)."""
        try:
            text.encode(self.encoding)
            return text
        except UnicodeEncodeError as err:
            if errors == "strict" or (errors == "backslashreplace" and not self.chinese and re.search(_CHINESE_CLASS, text)):
                raise OutputEncodingError("output_encoding", encoding=self.encoding, chars=err.object[err.start : err.end]) from None
        return text.encode(self.encoding, errors).decode(self.encoding)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
