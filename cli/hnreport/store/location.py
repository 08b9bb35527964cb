"""Where the database file lives and how hnreport creates it: the one definition of the
default location, the owner-only file, the SQLite header check and the busy timeout, shared by
the store (opening) and ``dbfile`` (check, backup, restore)."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from hnreport.errors import DatabaseError, Message
from hnreport.outfile import COMPANION_SUFFIXES

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60.0
BUSY_TIMEOUT_MS = int(BUSY_TIMEOUT_S * 1000)


def default_db_path() -> Path:
    """The platform's per-user data directory; never the current directory."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hnreport" / "hnreport.db"


def resolve_db_path(option: str | None) -> tuple[Path, bool]:
    """The database in use and whether it is the default (whose folder hnreport may create)."""
    if option:
        return Path(option).expanduser(), False
    env = os.environ.get("HNREPORT_DB")
    if env:
        return Path(env).expanduser(), False
    return default_db_path(), True


def prepare_location(path: Path, create_parent: bool) -> None:
    """Refuse a directory where the database file should be, and a missing folder (created
    only for the default location)."""
    if path.is_dir():
        raise DatabaseError("db_is_directory", path=path)
    if not path.parent.exists():
        if not create_parent:
            raise DatabaseError("folder_missing", folder=path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)


def create_private(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only (whatever the umask): it
    is a county's record. FileExistsError if it exists, so a race is never lost silently."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as err:
        raise DatabaseError("cannot_write_folder", folder=path.parent, reason=str(err.strerror)) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def create_database_file(path: Path) -> None:
    """Create the database file at ``path`` owner-only, like ``create_private``. A symbolic link
    that points nowhere yet (a dangling link) is followed: the file is created where it points —
    SQLite would follow it too, and create it with the umask's mode."""
    target = path
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if target.is_symlink():  # a loop of links: nothing to create
            raise DatabaseError("db_link_loop", path=path)
        if not target.parent.is_dir():
            raise DatabaseError("db_link_folder_missing", path=path, target=target, folder=target.parent)
    create_private(target)


def companions(path: Path) -> list[Path]:
    """The files SQLite keeps beside a database; they are the database too."""
    return [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def not_sqlite(path: Path) -> Message | None:
    """Why ``path`` cannot be an SQLite database (said after its path), or None if its first
    bytes say it is one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as err:
        return Message("file_unreadable", reason=str(err.strerror))
    if not head:
        return Message("file_empty_not_db")
    if head != SQLITE_HEADER:
        hint = Message("hint_export_goes_to_import") if head.lstrip()[:1] == b"{" else ""
        return Message("file_not_sqlite", hint=hint)
    return None


def refuse_truncated(path: Path) -> None:
    """Refuse a database file cut short: its size is not a whole number of its pages."""
    try:
        size = path.stat().st_size
        if size < 100:
            return  # empty (first use) or too short to be anything: SQLite says which
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return
    if not header.startswith(SQLITE_HEADER):
        return
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    if page and size % page:
        raise DatabaseError("db_truncated", path=path, size=size, page=page)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# ── reading without writing ──────────────────────────────────────────────────────────────────
# SQLite's primary result codes that say "cannot write here" (no permission, read-only file or
# folder, no room, an I/O error on a side file) rather than "this is no database".
CANNOT_WRITE = {3: "SQLITE_PERM", 8: "SQLITE_READONLY", 10: "SQLITE_IOERR", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN"}
NO_ROOM = {10, 13}  # an I/O error or a full disk


def cannot_write(err: BaseException) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in CANNOT_WRITE


def why_cannot_write(err: BaseException) -> Message:
    """What SQLite said, as the reason a database cannot be written."""
    code = getattr(err, "sqlite_errorcode", 0) & 0xFF
    return Message("why_no_room" if code in NO_ROOM else "why_sqlite", reason=str(err))


def real_path(path: Path) -> Path:
    """The file itself, links followed: its folder is where SQLite writes the -wal and -shm."""
    return Path(os.path.realpath(path))


def why_not_writable(path: Path) -> Message | None:
    """Why the database at ``path`` cannot be written (its folder or the file is read-only), or
    None if the operating system says it can."""
    real = real_path(path)
    if not os.access(real.parent, os.W_OK):
        return Message("why_folder_read_only", folder=real.parent)
    if real.exists() and not os.access(real, os.W_OK):
        return Message("why_file_read_only")
    return None


def in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (bytes 18 and 19 of an SQLite header are 2)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2


def wal_has_frames(path: Path) -> bool:
    """Whether committed changes may wait in the database's -wal file (not yet in the file itself)."""
    try:
        return os.path.getsize(f"{real_path(path)}-wal") > 0
    except OSError:
        return False


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write (``mode=ro``).

    A WAL database is read through its -shm file. When there is none, SQLite would create it (and
    a -wal) beside the file — owned by this user, left behind because a read-only connection
    cannot remove them, and in the way of the file's writers later — or fail to create it (a
    read-only folder, a full disk). So when there is no -shm and nothing waits in the -wal (the
    file itself holds every committed change) the file is read as ``immutable``: no locks, no
    side files. The same when ``mode=ro`` fails for want of writing and nothing waits in the -wal.
    The price of no locks: a write another user makes at that very moment (through a folder
    writable to them) may be missed, or make the read fail — rare, and said in the README.
    """
    from urllib.request import pathname2url  # only when reading read-only: it imports much

    real = real_path(path)
    uri = f"file:{pathname2url(str(real))}?mode=ro"
    if in_wal_mode(real) and not Path(f"{real}-shm").exists() and not wal_has_frames(real):
        return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as err:
        if cannot_write(err) and not wal_has_frames(real):
            conn.close()
            return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        # anything else (a damaged file …) is met by the caller's first query, as it would be
    return conn


# ── a database on a network drive ────────────────────────────────────────────────────────────
# SQLite's WAL mode needs memory shared by every process using the database (the -shm file,
# mapped into memory): on a network file system processes on different computers do not share
# it, and the database can be corrupted. There hnreport uses the rollback journal (DELETE).
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "coda", "ceph", "glusterfs", "lustre",
    "gpfs", "ocfs2", "gfs2", "9p", "davfs", "sshfs", "fuse.sshfs", "fuse.davfs2", "fuse.glusterfs", "fuse.cephfs",
    "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.smbnetfs",
})  # fmt: skip
DRIVE_REMOTE = 4  # GetDriveTypeW: a network (mapped) drive


def _unescape_mount(field: str) -> str:
    """A mountinfo path: spaces, tabs, newlines and backslashes are written as \\ooo."""
    import re

    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mount_of(path: str, mountinfo: str) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount holding ``path`` (absolute, links resolved),
    from the text of Linux's /proc/self/mountinfo: the longest mount point containing it, the
    last mounted if several are stacked there."""
    best: tuple[str, str] | None = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if not sep or len(fields) < 5 or not rest:
            continue
        point = _unescape_mount(fields[4])
        inside = point == "/" or path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, rest[0])
    return best


def network_drive(folder: Path | str, *, platform: str = sys.platform, mountinfo: str | None = None,
                  drive_type=None) -> str | None:  # fmt: skip
    """What network drive ``folder`` is on — a file system type (``nfs4``), a share
    (``\\\\server\\share``) or a mapped drive (``Z:``) — or None: local, or not known.

    Linux: the file system type of the folder's mount (/proc/self/mountinfo). Windows: a UNC
    path, or a drive GetDriveTypeW calls remote. Elsewhere (macOS …) it is not detected.
    """
    if platform == "win32":
        import ntpath

        text = ntpath.abspath(str(folder)) if platform == sys.platform else str(folder)
        if text.startswith("\\\\?\\UNC\\"):
            text = "\\" + text[len("\\\\?\\UNC"):]
        elif text.startswith("\\\\?\\"):
            text = text[len("\\\\?\\"):]
        drive = ntpath.splitdrive(text)[0]
        if drive.startswith("\\\\") and not drive.startswith("\\\\.\\"):
            return drive  # \\server\share
        if drive:
            kind = (drive_type or _drive_type)(drive + "\\")
            return drive if kind == DRIVE_REMOTE else None
        return None
    if platform.startswith("linux"):
        if mountinfo is None:
            try:
                with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
                    mountinfo = fh.read()
            except OSError:
                return None
            folder = os.path.realpath(folder)
        mount = mount_of(str(folder), mountinfo)
        return mount[1] if mount and mount[1] in NETWORK_FILESYSTEMS else None
    return None


def _drive_type(root: str) -> int:
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]


def journal_mode_for(path: Path) -> str:
    """WAL (readers and a writer at once), except on a network drive: DELETE."""
    return "delete" if network_drive(path.parent) else "wal"


def set_journal_mode(conn: sqlite3.Connection, mode: str, *, wait: bool = True) -> None:
    """Switch ``conn``'s database to ``mode`` (``journal_mode_for``) if it is not in it already.

    The switch reads page 1 and then asks for the write lock. SQLite refuses that upgrade at once,
    without the busy handler, when another connection holds the lock: two processes setting up
    one new file at the same moment would see "database is locked" whatever the busy timeout.
    So a busy switch is tried again, each time reading the mode first (the other process has
    usually made the same switch), until the busy timeout; with ``wait`` false, not at all.
    """
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.002
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == mode:
                return
            conn.execute("PRAGMA journal_mode = DELETE" if mode == "delete" else "PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            busy = (getattr(err, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
            if not (wait and busy) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
