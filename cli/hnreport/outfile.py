"""Every file hnreport writes goes through here: one guard and one atomic write.

The guard refuses the database and its companions (-wal, -shm, -journal — after resolving
links: they are the database too), a folder where a file is meant, a missing folder, and an
existing file unless ``--force``. The write goes to a temporary file in the same folder, is
flushed to disk and renamed into place, so a full disk or a crash leaves the old file whole.
A file another program holds open (a document open in Word or WPS on Windows) gets one clear
line and the old file stays.
"""

from __future__ import annotations

import os
from pathlib import Path

from hnreport.errors import BadValue

COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def _same(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: Path, database: Path | None, *, force: bool = False, what: str = "file") -> None:
    """Refuse to write ``path`` where it would destroy something; see the module's rules."""
    if database is not None:
        for protected in (database, *(Path(f"{database}{s}") for s in COMPANION_SUFFIXES)):
            if _same(path, protected):
                raise BadValue(
                    f"refusing to write {path}: it is the database {database}"
                    + ("" if protected == database else f" (its {protected.name[len(database.name):]} file)")
                    + "; choose another file name"
                )
    if path.is_dir():
        raise BadValue(f"{path} is a directory; give a file name")
    if not path.parent.exists():
        raise BadValue(f"the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise BadValue(f"{path} exists; add --force to replace it")


def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write ``data`` (text as UTF-8, newlines as given) to ``path`` all at once or not at all.

    ``private``: readable by its owner only (exports carry every figure, like the database);
    otherwise the file gets the permissions a new file normally gets (documents are for sharing).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
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
            raise BadValue(
                f"cannot replace {path}: it is open in another program or read-only (close it and try again); "
                "the old file is unchanged"
            ) from err
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
