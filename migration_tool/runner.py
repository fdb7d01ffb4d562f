"""Find the files, pre-scan (native mode), apply the rules to each file, write what changed.

A file that does not contain ``flask_admin`` or ``flask.ext`` (or, in native mode, the name
of a view class found by the pre-scan) is never parsed.  A file that fails to parse is reported
and skipped; a rewrite that does not parse again is never written.  Encoding (PEP 263 cookie) and
line endings are kept: LibCST reads and writes the bytes.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from . import access, scan
from .names import module_name, namespaces
from .rules import FileContext, Rule

MARKERS = (b"flask_admin", b"flask.ext")  # `flask.ext.admin`, `from flask.ext import admin`
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".tox",
             ".mypy_cache", ".ruff_cache", "build", "dist"}


def parse(data: bytes) -> cst.Module:
    """The one place files are parsed (tests count calls here)."""
    return cst.parse_module(data)


@dataclass
class FileResult:
    path: str
    changed: bool = False
    parsed: bool = False
    changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    diff: str = ""


TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt")


def discover(paths: Sequence[str | Path], exclude: Sequence[str] = (),
             suffixes: tuple[str, ...] = (".py",)) -> list[Path]:
    """The .py files (or other `suffixes`) under `paths`, sorted, minus ``--exclude`` globs
    (matched against the path relative to the argument it came from, its full path, and its
    name)."""
    out: list[Path] = []

    def excluded(p: Path, root: Path) -> bool:
        rel = p.relative_to(root).as_posix() if p != root else p.name
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(p.as_posix(), g)
                   or fnmatch.fnmatch(p.name, g) for g in exclude)

    for arg in paths:
        root = Path(arg)
        if root.is_file():
            if (suffixes == (".py",) or root.name.endswith(suffixes)) and not excluded(root, root):
                out.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            d = Path(dirpath)
            dirnames[:] = sorted(n for n in dirnames
                                 if n not in SKIP_DIRS and not excluded(d / n, root))
            out.extend(d / f for f in sorted(filenames)
                       if f.endswith(suffixes) and not excluded(d / f, root))
    return sorted(dict.fromkeys(out))


_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def mentions(data: bytes, extra: Iterable[bytes] | frozenset[bytes] = ()) -> bool:
    """Does the file mention Flask-Admin (a bytes test, before any decoding or parsing), or
    one of the `extra` names (the view classes the pre-scan found)?"""
    if any(m in data for m in MARKERS):
        return True
    if not extra:
        return False
    names = extra if isinstance(extra, frozenset) else frozenset(extra)
    return not names.isdisjoint(_WORD.findall(data))


# Modules the pre-scan parsed, for `process` to reuse when it runs in the same process (a
# serial run): path -> (the bytes parsed, the module).  Each entry is used once.
_PARSED: dict[str, tuple[bytes, cst.Module]] = {}


def _scan_one(path: Path, data: bytes, tops: dict[str, str] | None = None
              ) -> tuple[Path, scan.ModuleInfo | None, str | None]:
    """Scan one module from the bytes the pre-scan read (a file is read once per run)."""
    try:
        module = parse(data)
        _PARSED[str(path)] = (data, module)
        return path, scan.scan_module(path, module, data.decode(module.encoding, "replace"),
                                      tops), None
    except cst.ParserSyntaxError as exc:
        return path, None, _syntax(exc)


def prescan(files: Sequence[Path], pool: ProcessPoolExecutor | None = None,
            templates: Sequence[Path] = ()) -> tuple[dict[str, Any], list[FileResult]]:
    """Native mode: scan the files that mention Flask-Admin, then those that mention a view class
    found so far, until nothing new turns up; return the plan and any parse errors.  With a
    `pool`, each round's files are scanned in parallel.  `templates` (and the files not
    scanned) are searched for Flask-Admin endpoint names (``url_for('user.edit_view')``)."""
    infos: dict[Path, scan.ModuleInfo] = {}
    errors: list[FileResult] = []
    data = {}
    for f in files:
        try:
            data[f] = f.read_bytes()
        except OSError as exc:
            errors.append(FileResult(str(f), error=f"cannot read: {exc}"))
    names: frozenset[bytes] = frozenset()
    spaces = namespaces(files)  # modules of one name under several roots are kept apart
    pending = [f for f in data if mentions(data[f])]
    seen: set[Path] = set()
    while pending:
        seen.update(pending)
        tops = [spaces.get(str(f)) for f in pending]
        texts = [data[f] for f in pending]
        scanned = (pool.map(_scan_one, pending, texts, tops,
                            chunksize=_chunk(len(pending), pool))
                   if pool is not None and len(pending) > 1
                   else map(_scan_one, pending, texts, tops))
        for f, info, error in scanned:
            if info is not None:
                infos[f] = info
            else:
                errors.append(FileResult(str(f), error=error))
        classes = {c.qual: c for info in infos.values() for c in info.classes}
        names = frozenset(classes[q].name.encode() for q in scan.view_family(classes))
        pending = [f for f in data if f not in seen and mentions(data[f], names)]
    # Flask-Admin endpoints named anywhere else (templates, modules that were not scanned)
    refs = {str(f): r for f in data if f not in infos and (r := scan.endpoint_refs(data[f]))}
    for t in templates:
        try:
            if r := scan.endpoint_refs(t.read_bytes()):
                refs[str(t)] = r
        except OSError:
            pass
    views = {v for d in data.values() for v in access.login_views(d)}  # Flask-Login's
    plan = scan.plan(list(infos.values()), refs, views)
    plan["names"] = sorted(n.decode() for n in names)
    plan["namespaces"] = spaces
    return plan, errors


def _chunk(n: int, pool: Any) -> int:
    return max(1, n // (pool._max_workers * 4))


def _syntax(exc: cst.ParserSyntaxError) -> str:
    return f"parse error at line {exc.raw_line}, column {exc.raw_column}: {exc.message}"


def process(path: Path, rules: Sequence[Rule], plan: dict[str, Any] | None = None,
            write: bool = True, want_diff: bool = False) -> FileResult:
    res = FileResult(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        res.error = f"cannot read: {exc}"
        return res
    if not mentions(data, _names(plan)):
        return res
    res.parsed = True
    cached = _PARSED.pop(str(path), None)
    try:
        module = cached[1] if cached is not None and cached[0] == data else parse(data)
    except cst.ParserSyntaxError as exc:
        res.error = _syntax(exc)
        return res
    modname, is_pkg = module_name(path, (plan or {}).get("namespaces", {}).get(str(path)))
    ctx = FileContext(path, modname, is_pkg, plan or {},
                      source=data.decode(module.encoding, errors="replace"), data=data)
    new = module
    for rule in rules:
        if rule.wants(data, ctx):  # a cheap test: most rules have nothing to do in most files
            new = new.visit(rule.transformer(ctx))
    res.changes, res.warnings = ctx.changes, ctx.warnings
    out = new.bytes
    if out == data:
        return res
    try:
        parse(out)
    except cst.ParserSyntaxError as exc:  # never write a file that does not parse
        res.error = "the rewrite did not parse again, file left unchanged: " + _syntax(exc)
        return res
    res.changed = True
    if want_diff:
        enc = module.encoding
        res.diff = "".join(difflib.unified_diff(
            data.decode(enc).splitlines(keepends=True), out.decode(enc).splitlines(keepends=True),
            fromfile="a/" + path.as_posix().lstrip("/"), tofile="b/" + path.as_posix().lstrip("/")))
    if write:
        path.write_bytes(out)
    return res


_NAMES: list[Any] = [None, frozenset()]  # (the plan's name list, as bytes)


def _names(plan: dict[str, Any] | None) -> frozenset[bytes]:
    """The pre-scan's view class names as bytes, made once per plan."""
    if not plan or not plan.get("names"):
        return frozenset()
    if _NAMES[0] is not plan["names"]:
        _NAMES[:] = [plan["names"], frozenset(n.encode() for n in plan["names"])]
    return _NAMES[1]


# What every worker process applies (set once per process by the pool initializer, inherited
# when processes fork, so the plan is not pickled once per file).
_JOB: dict[str, Any] = {}


def _set_job(rules: Sequence[Rule], plan: dict[str, Any], write: bool, want_diff: bool
             ) -> None:
    _JOB.update(rules=list(rules), plan=plan, write=write, want_diff=want_diff)


def _process_one(path: Path) -> FileResult:
    return process(path, _JOB["rules"], _JOB["plan"], _JOB["write"], _JOB["want_diff"])


def run(paths: Sequence[str | Path], mode: str, rules: Sequence[Rule], *, write: bool = True,
        want_diff: bool = False, jobs: int = 1, exclude: Sequence[str] = ()
        ) -> tuple[list[FileResult], dict[str, Any]]:
    """Apply `rules` to every file under `paths`; (per-file results, native plan or {})."""
    files = discover(paths, exclude)
    plan: dict[str, Any] = {}
    pre_errors: list[FileResult] = []
    parallel = jobs > 1 and len(files) > 1
    if mode == "native":
        templates = discover(paths, exclude, TEMPLATE_SUFFIXES)
        _PARSED.clear()
        if parallel:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                plan, pre_errors = prescan(files, pool, templates)
        else:
            plan, pre_errors = prescan(files, templates=templates)
    failed = {r.path for r in pre_errors}
    todo = [f for f in files if str(f) not in failed]
    job = (list(rules), plan, write, want_diff)
    if parallel and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_set_job, initargs=job) as pool:
            results = list(pool.map(_process_one, todo, chunksize=_chunk(len(todo), pool)))
    else:
        _set_job(*job)
        results = [_process_one(f) for f in todo]
    _PARSED.clear()
    for r in pre_errors:
        r.parsed = True
    results = sorted(results + pre_errors, key=lambda r: r.path)
    return results, plan
