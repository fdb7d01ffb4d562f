"""What flask_admin_compat provides, read from its source files without importing it (the
package pulls in FastAPI and the engine, see `table`): whether a module exists, whether it is a
stub whose import raises ``ImportError`` (the backends not provided: mongoengine, pymongo...),
and which names it binds at top level.  FXM001 uses this to warn when a rewritten import will
fail, instead of leaving the user to find out when the app starts."""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .names import COMPAT


@dataclass(frozen=True)
class Module:
    exists: bool
    stub: str | None = None  # the ImportError message of a module that refuses to load
    names: frozenset[str] | None = None  # top-level bindings; None: not knowable statically


@cache
def _root() -> Path | None:
    spec = importlib.util.find_spec(COMPAT)  # finds, does not import
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _file(module: str) -> Path | None:
    root = _root()
    if root is None or not (module == COMPAT or module.startswith(COMPAT + ".")):
        return None
    parts = module.split(".")[1:]
    base = root.joinpath(*parts)
    candidates = [base / "__init__.py"] + ([base.with_suffix(".py")] if parts else [])
    return next((c for c in candidates if c.is_file()), None)


def _bindings(body: list[ast.stmt]) -> set[str] | None:
    """Names a module body binds at top level (through if/try too); None if it has a star
    import or a module ``__getattr__``."""
    out: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if stmt.name == "__getattr__":
                return None
            out.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for a in stmt.names:
                if a.name == "*":
                    return None
                out.add(a.asname or a.name.split(".")[0])
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                out.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            blocks = [stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])]
            blocks += [h.body for h in getattr(stmt, "handlers", [])]
            for block in blocks:
                inner = _bindings(block)
                if inner is None:
                    return None
                out |= inner
    return out


def _stub(body: list[ast.stmt]) -> str | None:
    """The message of a top-level ``raise ImportError("...")``, if the module has one."""
    for stmt in body:
        if (isinstance(stmt, ast.Raise) and isinstance(stmt.exc, ast.Call)
                and isinstance(stmt.exc.func, ast.Name) and stmt.exc.func.id == "ImportError"):
            args = stmt.exc.args
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                return args[0].value
            return "ImportError"
    return None


@cache
def module(name: str) -> Module:
    """What flask_admin_compat has under the module name `name` (``flask_admin_compat.x``)."""
    path = _file(name)
    if path is None:
        return Module(exists=_root() is None)  # compat not installed: nothing to say
    try:
        body = ast.parse(path.read_bytes()).body
    except (OSError, SyntaxError, ValueError):
        return Module(exists=True)
    names = _bindings(body)
    return Module(True, _stub(body), frozenset(names) if names is not None else None)


def problems(name: str, imported: list[str] | None = None) -> list[str]:
    """Why ``import name`` / ``from name import <imported>`` will fail, if it will."""
    m = module(name)
    if not m.exists:
        return [f"{name} does not exist: flask_admin_compat does not provide this module"]
    if m.stub is not None:
        return [f"{name} raises ImportError: {m.stub.split('. ')[0]}"]
    if m.names is None or not imported:
        return []
    missing = [n for n in imported if n not in m.names and not _file(f"{name}.{n}")]
    return [f"{name} has no {', '.join(missing)}: flask_admin_compat does not provide "
            + ("it" if len(missing) == 1 else "them")] if missing else []
