"""Where the database file lives: a read-only folder or file, a full disk (issue 11 #18), a
network drive (issue 11 #25). Reads work wherever the file can be read; only a write says it
cannot write, in one line naming the folder or the file.

Tests run as root in CI, where chmod takes nothing away. So "read-only" is what the store
decides from ``os.access`` (monkeypatched here; a real chmod test runs where it means something),
and a full disk is a process whose files cannot grow (RLIMIT_FSIZE of one byte, SIGXFSZ
ignored): SQLite then cannot make its -shm file, exactly as on a full disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import assert_refused, checkpointed_bytes, dump, env_for, execute, one

READS = [
    ("report",),
    ("report", "--format", "json"),
    ("targets", "list"),
    ("targets", "show", "gdp"),
    ("history", "gdp"),
    ("milestones", "list"),
    ("due",),
    ("log",),
    ("units",),
    ("config", "show"),
    ("db", "init"),  # nothing to set up: it only reads
    ("db", "check"),
]
RECORD = ("record", "gdp", "9.1", "--as-of", "2022-06-30")


def side_files(db: Path) -> list[Path]:
    return [p for p in (Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")) if p.exists()]


@pytest.fixture
def read_only_folder(world: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The world's folder is read-only, as far as hnreport can tell (``os.access``)."""
    real_access = os.access
    folder = world.parent.resolve()

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and Path(path).resolve() == folder:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    return world


@pytest.mark.parametrize("command", READS, ids=[" ".join(c) for c in READS])
def test_reads_work_in_a_read_only_folder_and_write_nothing(cli, read_only_folder, command) -> None:
    world = read_only_folder
    raw = world.read_bytes()
    assert not side_files(world)
    result = cli(*command)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert world.read_bytes() == raw and not side_files(world)  # not even a -wal or -shm


def test_a_write_in_a_read_only_folder_says_so_in_one_line(cli, read_only_folder) -> None:
    world = read_only_folder
    before = dump(world)
    folder = world.parent.resolve()
    line = (f"error: cannot write to {world}: the folder {folder} is read-only (SQLite writes its journal files beside "
            "the database); commands that only read still work")  # fmt: skip
    for command in (RECORD, ("undo",), ("config", "set", "due.within", "3"), ("units", "add", "县财政局")):
        assert_refused(cli(*command), before, world, line=line)
    result = cli("--lang", "zh", *RECORD)
    assert result.exit_code == 1 and dump(world) == before
    assert result.stderr == f"错误：无法写入 {world}：文件夹 {folder} 为只读（SQLite 要在数据库旁写入日志文件）；只读取的命令仍可使用\n"


def test_a_read_only_file_is_read_and_a_write_names_the_file(cli, world, monkeypatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if m & os.W_OK and Path(p).resolve() == world.resolve() else real_access(p, m, *a, **k))
    raw = world.read_bytes()
    cli.ok("report")
    before = dump(world)
    assert_refused(cli(*RECORD), before, world, line=(
        f"error: cannot write to {world}: the file itself is read-only; commands that only read still work"
    ))  # fmt: skip
    # no -wal or -shm left behind: made by this user, they would stand in the way of the file's writers
    assert world.read_bytes() == raw and not side_files(world)


@pytest.mark.parametrize(
    ("change", "needs"),
    [
        ("UPDATE plan SET seed_digest = 'an older data folder'", "needs its seeded facts brought up to date with this release's data/"),
        ("PRAGMA user_version = 3", "needs upgrading from schema 3 to {latest}"),
    ],
    ids=["stale-seed", "older-schema"],
)
def test_a_read_only_database_that_needs_a_write_to_open_says_so(cli, world, read_only_folder, change, needs) -> None:
    execute(world, change)
    checkpointed_bytes(world)
    before = dump(world)
    latest = one(world, "PRAGMA user_version") if "user_version" not in change else None
    from hnreport.store.migrations import latest_schema

    needs = needs.format(latest=latest or latest_schema())
    assert_refused(cli("report"), before, world, line=(
        f"error: {world} {needs}, but it cannot be written: the folder {world.parent.resolve()} is read-only "
        "(SQLite writes its journal files beside the database)"
    ))  # fmt: skip


def test_a_new_database_in_a_read_only_folder_is_refused_in_one_line(cli, tmp_path, monkeypatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if m & os.W_OK else real_access(p, m, *a, **k))
    db = tmp_path / "new.db"
    db.touch(mode=0o600)  # an empty file, as another process's first use leaves it for an instant
    result = cli("--db", str(db), "report")
    assert_refused(result)
    assert result.stderr.startswith(f"error: {db} is not set up yet, but it cannot be written: the folder ")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads and writes whatever the mode")
def test_a_folder_made_read_only_with_chmod(cli, world) -> None:
    folder = world.parent
    raw = world.read_bytes()
    os.chmod(folder, 0o555)
    try:
        cli.ok("report")
        cli.ok("history", "gdp")
        result = cli(*RECORD)
        assert_refused(result)
        assert f"the folder {folder.resolve()} is read-only" in result.stderr
        assert world.read_bytes() == raw and not side_files(world)
    finally:
        os.chmod(folder, 0o755)


# ── a full disk ──────────────────────────────────────────────────────────────────────────────
def _no_room() -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_reads_work_on_a_full_disk_and_a_write_says_why_it_cannot(world) -> None:
    # Was: every command failed with "not a usable hnreport database (cannot commit - no
    # transaction is active)": SQLite could not make the -shm file a WAL read needs, ended the
    # read transaction itself, and the COMMIT after it hid the real error.
    raw = world.read_bytes()
    env = env_for(world)
    for command in (("report",), ("targets", "list"), ("history", "gdp"), ("db", "check")):
        proc = subprocess.run([sys.executable, "-m", "hnreport", *command], env=env, capture_output=True, text=True,
                              timeout=120, preexec_fn=_no_room)  # fmt: skip
        assert proc.returncode == 0, (command, proc.stderr)
        assert proc.stderr == "" and proc.stdout.strip()
    proc = subprocess.run([sys.executable, "-m", "hnreport", "--lang", "en", *RECORD], env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=_no_room)  # fmt: skip
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith(f"error: cannot write to {world}: SQLite says: ")
    assert lines[0].endswith(" (is the disk full?); commands that only read still work")
    assert world.read_bytes() == raw


# ── a network drive ──────────────────────────────────────────────────────────────────────────
MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
23 22 0:21 / /proc rw,nosuid - proc proc rw
30 22 0:40 / /mnt/share rw,relatime shared:7 - nfs4 fileserver:/export/office rw,vers=4.2
31 30 8:17 / /mnt/share/local rw,relatime - ext4 /dev/sdb1 rw
32 22 0:42 / /mnt/county\\040docs rw,relatime - cifs //fileserver/docs rw,vers=3.1.1
33 22 0:43 / /home/clerk/remote rw,nosuid - fuse.sshfs clerk@fileserver:/srv rw
34 22 0:44 / /media/usb rw - vfat /dev/sdc1 rw
35 22 0:45 / /mnt/share2 rw - tmpfs tmpfs rw
36 35 0:46 / /mnt/share2 rw - smb3 //fileserver/two rw
"""


@pytest.mark.parametrize(
    ("folder", "drive"),
    [
        ("/home/clerk", None),
        ("/mnt/share", "nfs4"),  # the mount point itself
        ("/mnt/share/科室/统计", "nfs4"),
        ("/mnt/shared/x", None),  # a name that starts like a mount point is not inside it
        ("/mnt/share/local/x", None),  # a local disk mounted inside a network share
        ("/mnt/county docs/2022", "cifs"),  # \040 in mountinfo is a space
        ("/home/clerk/remote/db", "fuse.sshfs"),
        ("/media/usb", None),
        ("/mnt/share2/x", "smb3"),  # stacked on one mount point: the last mounted counts
    ],
)
def test_a_network_drive_is_known_by_its_file_system_on_linux(folder, drive) -> None:
    from hnreport.store.location import network_drive

    assert network_drive(folder, platform="linux", mountinfo=MOUNTINFO) == drive


@pytest.mark.parametrize(
    ("folder", "remote", "drive"),
    [
        ("\\\\fileserver\\office\\统计", False, "\\\\fileserver\\office"),  # a UNC path
        ("\\\\?\\UNC\\fileserver\\office\\统计", False, "\\\\fileserver\\office"),
        ("Z:\\统计", True, "Z:"),  # a mapped drive
        ("C:\\Users\\clerk", False, None),
        ("\\\\?\\C:\\Users\\clerk", False, None),
    ],
)
def test_a_network_drive_is_known_by_its_drive_on_windows(folder, remote, drive) -> None:
    from hnreport.store.location import DRIVE_REMOTE, network_drive

    asked = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return DRIVE_REMOTE if remote else 3  # DRIVE_FIXED

    assert network_drive(folder, platform="win32", drive_type=drive_type) == drive
    assert all(root.endswith(":\\") for root in asked)


def test_elsewhere_a_network_drive_is_not_detected() -> None:
    from hnreport.store.location import network_drive

    assert network_drive("/Volumes/share", platform="darwin") is None


def test_this_machines_own_folders_are_looked_up_without_error(tmp_path) -> None:
    from hnreport.store.location import NETWORK_FILESYSTEMS, network_drive

    assert network_drive(tmp_path) in (None, *NETWORK_FILESYSTEMS)


@pytest.fixture
def on_network(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every folder is on an NFS share, as far as hnreport can tell."""
    from hnreport.store import location

    monkeypatch.setattr(location, "network_drive", lambda folder, **kw: "nfs4")
    return "nfs4"


def network_note(db: Path) -> str:
    return (f"note: {db} is on a network drive (nfs4): SQLite's WAL mode is unsafe there, so hnreport uses "
            "journal_mode=DELETE; do not write from several computers at once, and back up often\n")  # fmt: skip


def test_a_new_database_on_a_network_drive_uses_the_rollback_journal_and_says_so_once(cli, db_path, on_network) -> None:
    result = cli.ok(*RECORD)  # first use: created, migrated, seeded, then the figure — one note
    created = (f"created the database {db_path} (with the 2022 plan of 衡南县 loaded); "
               "'hnreport db path' shows where it is\n")  # fmt: skip
    assert result.stderr in (network_note(db_path) + created, created + network_note(db_path))
    assert one(db_path, "PRAGMA journal_mode") == "delete"
    assert not Path(f"{db_path}-wal").exists()
    assert cli.ok("report").stderr == ""  # a read writes nothing, so says nothing
    assert cli.ok("record", "gdp", "9.2", "--as-of", "2022-06-30").stderr == network_note(db_path)
    assert one(db_path, "PRAGMA journal_mode") == "delete"


def test_a_wal_database_on_a_network_drive_leaves_wal_on_its_first_write(cli, world, on_network) -> None:
    assert one(world, "PRAGMA journal_mode") == "wal"
    cli.ok("report")
    assert one(world, "PRAGMA journal_mode") == "wal"  # reading changes nothing
    assert cli.ok(*RECORD).stderr == network_note(world)
    assert one(world, "PRAGMA journal_mode") == "delete"


def test_db_path_says_the_database_is_on_a_network_drive(cli, db_path, on_network) -> None:
    result = cli.ok("db", "path")
    assert result.stdout == f"{db_path}\n"  # `$(hnreport db path)` is still the path alone
    assert result.stderr == network_note(db_path)
    assert cli("--lang", "zh", "db", "path").stderr.startswith(f"注意：{db_path} 位于网络驱动器上（nfs4）")


def test_db_path_says_nothing_more_on_a_local_disk(cli, db_path, monkeypatch) -> None:
    from hnreport.store import location

    monkeypatch.setattr(location, "network_drive", lambda folder, **kw: None)
    result = cli.ok("db", "path")
    assert (result.stdout, result.stderr) == (f"{db_path}\n", "")


def test_a_restore_and_its_undo_on_a_network_drive_keep_the_rollback_journal(cli, world, tmp_path, on_network) -> None:
    cli.ok("db", "backup", str(tmp_path / "b.db"))
    cli.ok(*RECORD)
    assert cli.ok("db", "restore", str(tmp_path / "b.db")).stderr == network_note(world)
    assert one(world, "PRAGMA journal_mode") == "delete"
    cli.ok("undo")
    assert one(world, "PRAGMA journal_mode") == "delete"
    new = tmp_path / "new.db"
    cli.ok("--db", str(new), "db", "restore", str(tmp_path / "b.db"))
    assert one(new, "PRAGMA journal_mode") == "delete"


def test_a_seeding_that_finds_the_disk_full_says_a_write_is_needed(cli, world, monkeypatch) -> None:
    import sqlite3

    from hnreport.store import seed

    def no_room(*args, **kwargs):
        err = sqlite3.OperationalError("database or disk is full")
        err.sqlite_errorcode, err.sqlite_errorname = 13, "SQLITE_FULL"
        raise err

    execute(world, "UPDATE plan SET seed_digest = 'an older data folder'")
    before = dump(world)
    monkeypatch.setattr(seed, "apply", no_room)
    assert_refused(cli("report"), before, world, line=(
        f"error: {world} needs its seeded facts brought up to date with this release's data/, but it cannot be written: "
        "SQLite says: database or disk is full (is the disk full?)"
    ))  # fmt: skip


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("win32", {"LOCALAPPDATA": r"C:\Users\张三\AppData\Local"}, r"C:\Users\张三\AppData\Local/hnreport/hnreport.db"),
    ("linux", {"XDG_DATA_HOME": "/home/zs/.data"}, "/home/zs/.data/hnreport/hnreport.db"),
])  # fmt: skip
def test_the_default_database_is_in_the_platforms_per_user_data_folder(monkeypatch, platform, env, expected):
    from hnreport.store import location

    monkeypatch.setattr(location.sys, "platform", platform)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert location.default_db_path().as_posix() == expected
