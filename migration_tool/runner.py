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
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from . import scan
from .names import module_name
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


def discover(paths: Sequence[str | Path], exclude: Sequence[str] = ()) -> list[Path]:
    """The .py files under `paths`, sorted, minus ``--exclude`` globs (matched against the path
    relative to the argument it came from, its full path, and its name)."""
    out: list[Path] = []

    def excluded(p: Path, root: Path) -> bool:
        rel = p.relative_to(root).as_posix() if p != root else p.name
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(p.as_posix(), g)
                   or fnmatch.fnmatch(p.name, g) for g in exclude)

    for arg in paths:
        root = Path(arg)
        if root.is_file():
            if not excluded(root, root):
                out.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            d = Path(dirpath)
            dirnames[:] = sorted(n for n in dirnames
                                 if n not in SKIP_DIRS and not excluded(d / n, root))
            out.extend(d / f for f in sorted(filenames)
                       if f.endswith(".py") and not excluded(d / f, root))
    return sorted(dict.fromkeys(out))


def mentions(data: bytes, extra: Iterable[bytes] = ()) -> bool:
    return any(m in data for m in MARKERS) or any(m in data for m in extra)


def prescan(files: Sequence[Path]) -> tuple[dict[str, Any], list[FileResult]]:
    """Native mode: scan the files that mention Flask-Admin, then those that mention a view class
    found so far, until nothing new turns up; return the plan and any parse errors."""
    infos: dict[Path, scan.ModuleInfo] = {}
    errors: list[FileResult] = []
    data = {}
    for f in files:
        try:
            data[f] = f.read_bytes()
        except OSError as exc:
            errors.append(FileResult(str(f), error=f"cannot read: {exc}"))
    names: set[bytes] = set()
    pending = [f for f in data if mentions(data[f])]
    seen: set[Path] = set()
    while pending:
        for f in pending:
            seen.add(f)
            try:
                infos[f] = scan.scan_module(f, parse(data[f]))
            except cst.ParserSyntaxError as exc:
                errors.append(FileResult(str(f), error=_syntax(exc)))
        p = scan.plan(list(infos.values()))
        names = {c["name"].encode() for c in p["classes"].values()}
        pending = [f for f in data if f not in seen and mentions(data[f], names)]
    plan = scan.plan(list(infos.values()))
    plan["names"] = sorted(n.decode() for n in names)
    return plan, errors


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
    extra = [n.encode() for n in (plan or {}).get("names", [])]
    if not mentions(data, extra):
        return res
    res.parsed = True
    try:
        module = parse(data)
    except cst.ParserSyntaxError as exc:
        res.error = _syntax(exc)
        return res
    modname, is_pkg = module_name(path)
    ctx = FileContext(path, modname, is_pkg, plan or {})
    new = module
    for rule in rules:
        new = cst.MetadataWrapper(new).visit(rule.transformer(ctx))
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


def _process_star(args: tuple[Path, Sequence[Rule], dict[str, Any] | None, bool, bool]
                  ) -> FileResult:
    return process(*args)


def run(paths: Sequence[str | Path], mode: str, rules: Sequence[Rule], *, write: bool = True,
        want_diff: bool = False, jobs: int = 1, exclude: Sequence[str] = ()
        ) -> tuple[list[FileResult], dict[str, Any]]:
    """Apply `rules` to every file under `paths`; (per-file results, native plan or {})."""
    files = discover(paths, exclude)
    plan: dict[str, Any] = {}
    pre_errors: list[FileResult] = []
    if mode == "native":
        plan, pre_errors = prescan(files)
    failed = {r.path for r in pre_errors}
    todo = [f for f in files if str(f) not in failed]
    args = [(f, list(rules), plan, write, want_diff) for f in todo]
    if jobs > 1 and len(args) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_process_star, args, chunksize=max(1, len(args) // (jobs * 4))))
    else:
        results = [_process_star(a) for a in args]
    for r in pre_errors:
        r.parsed = True
    results = sorted(results + pre_errors, key=lambda r: r.path)
    return results, plan
