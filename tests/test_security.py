"""Security: SQL is built from constants only, and the database, its -wal and every copy hnreport
makes are readable by their owner only.
"""

from __future__ import annotations

import ast
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from helpers import PACKAGE, env_for


class SqlSafety:
    """Finds SQL built from anything but constants in execute()/executemany()/executescript().

    The first argument of every such call in the package must be *safe*, where safe means one of:

    - a string literal;
    - an f-string, ``+`` concatenation, ``%`` or ``str.format`` whose every interpolated part is safe;
    - a call ``visible('x')`` or ``standing('x')`` with a literal alias (hnreport.store.sql: fixed
      SQL fragments);
    - ``'?' * n`` or ``', '.join('?' * n)`` — placeholders, however many;
    - ``int(...)`` — a number cannot carry SQL;
    - a name in UPPER_CASE (a module or class constant), which must itself be assigned a safe
      value where it is defined — ``self._OBS_COLUMNS`` and the like included;
    - ``CONSTANT[key]`` where CONSTANT is a module-level dict literal: any of its values;
    - a local name whose every binding in the function is safe: assignments, ``+=``, items
      ``.append``-ed to it, or a ``for`` loop / comprehension over a literal tuple, list or dict
      (keys) — e.g. ``for table in ("targets", "milestones")``;
    - a parameter whose argument is safe at every call site in the package (so ``_upsert(conn,
      "targets", "key", {...})`` makes ``table``, ``key`` and the dict's keys safe);
    - ``"sep".join(x)`` where every item of ``x`` is safe.

    Anything else — a value that reaches SQL from a user, a file or the database — is reported
    with its file and line. ``ALLOWED`` lists, with the reason, the few interpolations this
    analysis cannot follow but that are constant by construction.
    """

    ALLOWED = {  # (file under the package, function, expression)
        # The statements of migrations/*.sql, shipped with hnreport (schema code, not data), run
        # one by one so that a migration is one transaction (store/migrations.py split_statements).
        ("store/migrations.py", "apply_migration", "statement"),
        ("store/schema.py", "_objects_at", "statement"),
        # _check_plan_facts(): the table and column names of _seed_rows(), a literal mapping in the module.
        ("dbfile/check.py", "_check_plan_facts", "table"),
        ("dbfile/check.py", "_check_plan_facts", "', '.join(columns)"),
        # _kept_on_purpose(): table and column names from store/seed.py REFERENCES, a literal
        # mapping of the tables that refer to a target or milestone.
        ("dbfile/check.py", "_kept_on_purpose", "ref"),
        ("dbfile/check.py", "_kept_on_purpose", "column"),
        # database_bytes(): a publication's table names (store/publication.py LAYOUT) and the
        # column names of the rows domain/publication.py builds (literal keys), into a new database.
        ("store/publication.py", "database_bytes", "insert"),
        # put_back(): the column names of the imaged table's own schema (pragma_table_info of a
        # table named in the module's IMAGED literal), never a name read from the stored image.
        ("store/seed_images.py", "put_back", "sets"),
        ("store/seed_images.py", "put_back", "', '.join(columns)"),
    }
    EXECUTE = {"execute", "executemany", "executescript"}
    CONSTANT = re.compile(r"_?[A-Z][A-Z0-9_]*")

    def __init__(self, package: Path) -> None:
        self.package = package
        # every module, sub-packages included (store/, dbfile/ … hold the SQL)
        self.modules = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(package.rglob("*.py"))}
        self.functions: dict[str, list[tuple[Path, ast.FunctionDef]]] = {}
        self.constants: dict[str, list[tuple[Path, ast.expr]]] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for path, tree in self.modules.items():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.setdefault(node.name, []).append((path, node))
            for scope in [tree] + [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
                for stmt in scope.body:
                    if isinstance(stmt, ast.Assign):
                        for t in stmt.targets:
                            if isinstance(t, ast.Name) and self.CONSTANT.fullmatch(t.id):
                                self.constants.setdefault(t.id, []).append((path, stmt.value))
                    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                        if self.CONSTANT.fullmatch(stmt.target.id):
                            self.constants.setdefault(stmt.target.id, []).append((path, stmt.value))

    def where(self, path: Path) -> str:
        return path.relative_to(self.package).as_posix()

    def _function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def findings(self) -> list[str]:
        out = []
        for path, tree in self.modules.items():
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in self.EXECUTE and node.args):  # fmt: skip
                    fn = self._function_of(node)
                    bad = self.unsafe_parts(node.args[0], path, fn, {}, 0)
                    out += [f"{self.where(path)}:{node.lineno} in {fn.name if fn else '<module>'}(): {part}" for part in bad]
        return out

    # Each returns the unsafe sub-expressions (as source text); [] means safe.
    def unsafe_parts(self, e: ast.expr, path: Path, fn, local: dict, depth: int) -> list[str]:
        def safe(x, fn_=fn, local_=local, path_=path):
            return self.unsafe_parts(x, path_, fn_, local_, depth + 1)

        if depth > 12:
            return [ast.unparse(e)]
        if fn is not None and (self.where(path), fn.name, ast.unparse(e)) in self.ALLOWED:
            return []
        if isinstance(e, ast.Constant):
            return [] if isinstance(e.value, (str, int, float)) or e.value is None else [ast.unparse(e)]
        if isinstance(e, ast.JoinedStr):
            return [p for v in e.values if isinstance(v, ast.FormattedValue) for p in safe(v.value)]
        if isinstance(e, ast.BinOp):
            if isinstance(e.op, ast.Mult) and any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in (e.left, e.right)):
                return []  # '?' * n
            if isinstance(e.op, (ast.Add, ast.Mod)):
                return safe(e.left) + safe(e.right)
            return [ast.unparse(e)]
        if isinstance(e, ast.IfExp):
            return safe(e.body) + safe(e.orelse)
        if isinstance(e, (ast.Tuple, ast.List, ast.Set)):
            return [p for x in e.elts for p in safe(x)]
        if isinstance(e, ast.Call):
            f = e.func
            if isinstance(f, ast.Name) and f.id in ("visible", "standing") and all(isinstance(a, ast.Constant) for a in e.args):
                return []
            if isinstance(f, ast.Name) and f.id == "int":
                return []
            if isinstance(f, ast.Attribute) and f.attr == "join" and isinstance(f.value, ast.Constant) and len(e.args) == 1:
                return self.unsafe_items(e.args[0], path, fn, local, depth + 1)
            if isinstance(f, ast.Attribute) and f.attr == "format":  # a safe template (a literal, a constant), safe parts
                return safe(f.value) + [p for a in list(e.args) + [k.value for k in e.keywords] for p in safe(a)]
            return [ast.unparse(e)]
        if isinstance(e, ast.Attribute) and self.CONSTANT.fullmatch(e.attr):
            return self._constant(e.attr, path, depth)
        if isinstance(e, ast.Name):
            if e.id in local:
                return local[e.id]
            if self.CONSTANT.fullmatch(e.id) and e.id in self.constants:
                return self._constant(e.id, path, depth)
            return self._name(e.id, path, fn, depth)
        return [ast.unparse(e)]

    def _constant(self, name: str, path: Path, depth: int) -> list[str]:
        found = self.constants.get(name)
        if not found:
            return [name]
        return [p for where, value in found for p in self.unsafe_parts(value, where, None, {}, depth + 1)]

    def unsafe_items(self, e: ast.expr, path: Path, fn, local: dict, depth: int) -> list[str]:
        """The unsafe parts among the items of iterating ``e``."""
        if depth > 12:
            return [ast.unparse(e)]
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            return []
        if isinstance(e, (ast.Tuple, ast.List, ast.Set)):
            return [p for x in e.elts for p in self.unparts_item(x, path, fn, local, depth)]
        if isinstance(e, ast.Dict):
            return [p for k in e.keys if k is not None for p in self.unsafe_parts(k, path, fn, local, depth + 1)]
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult):
            return self.unsafe_parts(e, path, fn, local, depth + 1)
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id in ("list", "tuple", "sorted", "set") and e.args:
            return self.unsafe_items(e.args[0], path, fn, local, depth + 1)
        if isinstance(e, ast.Subscript) and isinstance(e.value, ast.Dict):
            return [p for v in e.value.values for p in self.unsafe_items(v, path, fn, local, depth + 1)]
        if (isinstance(e, ast.Subscript) and isinstance(e.value, ast.Name) and self.CONSTANT.fullmatch(e.value.id)
                and self.constants.get(e.value.id) and all(isinstance(v, ast.Dict) for _, v in self.constants[e.value.id])):  # fmt: skip
            # CONSTANT[key] of a module-level dict literal: any of its values
            return [p for where, d in self.constants[e.value.id] for v in d.values for p in self.unsafe_items(v, where, None, {}, depth + 1)]
        if isinstance(e, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            inner = dict(local)
            for gen in e.generators:
                bad = self.unsafe_items(gen.iter, path, fn, inner, depth + 1)
                for name in self._names(gen.target):
                    inner[name] = bad
            return self.unsafe_parts(e.elt, path, fn, inner, depth + 1)
        if isinstance(e, ast.Name):
            if e.id in local:
                return local[e.id]
            if self.CONSTANT.fullmatch(e.id) and e.id in self.constants:
                return [p for where, v in self.constants[e.id] for p in self.unsafe_items(v, where, None, {}, depth + 1)]
            return self._name(e.id, path, fn, depth, items=True)
        return [ast.unparse(e)]

    def unparts_item(self, x, path, fn, local, depth):
        if isinstance(x, (ast.Tuple, ast.List)):
            return self.unsafe_items(x, path, fn, local, depth + 1)
        return self.unsafe_parts(x, path, fn, local, depth + 1)

    @staticmethod
    def _names(target: ast.expr) -> list[str]:
        return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]

    def _name(self, name: str, path: Path, fn, depth: int, items: bool = False) -> list[str]:
        """A local name: every binding of it in ``fn`` must be safe; a parameter: every call site."""
        if fn is None:
            return [name]
        check = self.unsafe_items if items else self.unsafe_parts
        bad: list[str] = []
        bound = False
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name) and t.id == name:
                        bound = True
                        bad += check(node.value, path, fn, {}, depth + 1)
                    elif isinstance(t, ast.Tuple) and name in self._names(t):
                        bound = True
                        i = [x.id if isinstance(x, ast.Name) else None for x in t.elts].index(name)
                        if isinstance(node.value, ast.Tuple) and len(node.value.elts) == len(t.elts):
                            bad += check(node.value.elts[i], path, fn, {}, depth + 1)
                        else:
                            bad.append(ast.unparse(node.value))
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                bound = True
                bad += check(node.value, path, fn, {}, depth + 1)
            elif isinstance(node, (ast.For, ast.comprehension)) and name in self._names(node.target):
                bound = True
                bad += self.unsafe_items(node.iter, path, fn, {}, depth + 1)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend")
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == name):  # fmt: skip
                bad += (self.unsafe_parts if node.func.attr == "append" else self.unsafe_items)(node.args[0], path, fn, {}, depth + 1)
        params = [a.arg for a in fn.args.args + fn.args.kwonlyargs]
        if not bound and name in params:
            return self._parameter(name, fn, path, depth, items)
        if not bound:
            return [name]
        return bad

    def _refers_to(self, where: Path, name: str, defined_in: Path) -> bool:
        """Whether a bare ``name(...)`` in module ``where`` calls the function of ``defined_in``."""
        if where == defined_in:
            return True
        return any(
            isinstance(n, ast.ImportFrom) and (n.module or "").rsplit(".", 1)[-1] == defined_in.stem
            and any(a.name == name for a in n.names)
            for n in ast.walk(self.modules[where])
        )  # fmt: skip

    def _parameter(self, name: str, fn, path: Path, depth: int, items: bool) -> list[str]:
        positional = [a.arg for a in fn.args.args]
        index = positional.index(name) if name in positional else None
        method = bool(positional) and positional[0] in ("self", "cls")
        defaults = dict(zip(positional[len(positional) - len(fn.args.defaults):], fn.args.defaults))
        check = self.unsafe_items if items else self.unsafe_parts
        bad: list[str] = []
        calls = 0
        for where, tree in self.modules.items():
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                if called != fn.name:
                    continue
                if isinstance(f, ast.Name) and not self._refers_to(where, fn.name, path):
                    continue  # a function of the same name in another module
                calls += 1
                caller = self._function_of(node)
                arg = next((k.value for k in node.keywords if k.arg == name), None)
                if arg is None and index is not None:
                    i = index - (1 if method and isinstance(f, ast.Attribute) else 0)
                    if 0 <= i < len(node.args):
                        arg = node.args[i]
                if arg is None:
                    arg = defaults.get(name)
                if arg is None:
                    bad.append(f"{name} (at {where.name}:{node.lineno})")
                else:
                    bad += check(arg, where, caller, {}, depth + 1)
        return bad if calls else [f"{name} (a parameter of {fn.name}() that nothing in the package calls)"]


def test_no_sql_is_built_from_anything_but_constants() -> None:
    scan = SqlSafety(PACKAGE)
    assert {"store/core.py", "store/figures.py", "dbfile/check.py"} <= {scan.where(p) for p in scan.modules}
    assert scan.findings() == []


def test_the_sql_safety_scan_catches_user_text(tmp_path) -> None:
    (tmp_path / "bad.py").write_text(
        "from hnreport.store.sql import visible\n"
        "TABLES = ('targets', 'milestones')\n"
        "def fine(conn, key):\n"
        "    for table in TABLES:\n"
        "        conn.execute(f'SELECT 1 FROM {table} t WHERE key = ? AND {visible(\"t\")}', (key,))\n"
        "    conn.execute('SELECT ' + ', '.join('?' * len(key)), key)\n"
        "def leaky(conn, key, note):\n"
        "    conn.execute(f\"SELECT * FROM targets WHERE key = '{key}'\")\n"
        "    sql = 'UPDATE observations SET note = '\n"
        "    sql += note\n"
        "    conn.execute(sql)\n"
        "    conn.execute('SELECT %s' % key)\n"
        "    conn.execute('SELECT {}'.format(note.strip()))\n"
        "def caller(conn, text):\n"
        "    fine(conn, 'gdp')\n"
        "    leaky(conn, text, input())\n",
        encoding="utf-8",
    )
    findings = SqlSafety(tmp_path).findings()
    assert len(findings) == 4, findings
    assert all("leaky()" in f for f in findings)
    assert any("text" in f for f in findings) and any("input()" in f for f in findings)


def test_the_database_and_its_wal_are_created_readable_by_their_owner_only(tmp_path) -> None:
    db = tmp_path / "private.db"
    proc = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0o022); from hnreport.commands.app import main; sys.argv = ['hnreport', "
         "'record', 'gdp', '8.7', '--as-of', '2022-06-30']; main()"],
        env=env_for(db), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    holder = sqlite3.connect(db)  # keep the -wal and -shm files open to look at them
    try:
        holder.execute("SELECT count(*) FROM observations").fetchone()
        for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    finally:
        holder.close()


def test_backups_and_saved_copies_are_readable_by_their_owner_only(cli, seeded, tmp_path) -> None:
    old = os.umask(0o022)
    try:
        cli.ok("db", "backup", str(tmp_path / "b.db"))
        out = cli.ok("db", "restore", str(tmp_path / "b.db")).stdout
    finally:
        os.umask(old)
    saved = Path(re.search(r"to (.+\.db)$", out.splitlines()[0]).group(1))
    for path in (tmp_path / "b.db", saved, seeded):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path



def test_a_database_created_through_a_dangling_link_is_readable_by_its_owner_only(cli, seeded, tmp_path) -> None:
    # issue 11 #17: O_EXCL refuses an existing (if dangling) link, and SQLite then created the file
    # the link points to with the umask's mode (0644). hnreport creates it where the link points.
    folder = tmp_path / "synced"
    folder.mkdir()
    for command in (("record", "gdp", "8.7", "--as-of", "2022-06-30"), ("db", "restore", "BACKUP")):
        name = command[0]
        link, target = tmp_path / f"{name}-link.db", folder / f"{name}.db"
        link.symlink_to(target)
        if command[0] == "db":
            cli.ok("db", "backup", str(tmp_path / "b.db"))
            command = ("db", "restore", str(tmp_path / "b.db"))
        old = os.umask(0o022)
        try:
            cli.ok("--db", str(link), *command)
        finally:
            os.umask(old)
        assert link.is_symlink() and target.is_file()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, command


def test_a_dangling_link_into_a_missing_folder_is_refused_in_one_line(cli, tmp_path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "gone" / "county.db")
    result = cli("--db", str(link), "record", "gdp", "8.7", "--as-of", "2022-06-30")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {link} is a symbolic link to {tmp_path / 'gone' / 'county.db'}, but the folder {tmp_path / 'gone'} does not exist\n"
    )
    assert not (tmp_path / "gone").exists()
