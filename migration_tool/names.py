"""Dotted names: module names for files, import maps, and resolving expressions to the
qualified names they refer to (``sqla.ModelView`` -> ``flask_admin.contrib.sqla.ModelView``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import libcst as cst

LEGACY_PREFIXES = ("flask.ext.admin", "flask_admin")
COMPAT = "flask_admin_compat"
MODELVIEW_ROOTS = frozenset({
    "flask_admin_compat.contrib.sqla.ModelView",
    "flask_admin_compat.contrib.sqla.view.ModelView",
    "flask_admin_compat.contrib.sqlamodel.ModelView",
})


_EMPTY = cst.Module([])


def code(node: cst.CSTNode) -> str:
    """The source text of `node` (as LibCST writes it, outside any module)."""
    return _EMPTY.code_for_node(node)


def dotted(node: cst.BaseExpression | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def to_compat(name: str) -> str | None:
    """The flask_admin_compat module path for a Flask-Admin one, or None if it is not one."""
    for prefix in LEGACY_PREFIXES:
        if name == prefix or name.startswith(prefix + "."):
            return COMPAT + name[len(prefix):]
    return None


def normalise(name: str) -> str:
    return to_compat(name) or name


def _locate(path: Path) -> tuple[str, bool, Path]:
    """(dotted module name, is_package, import root: the directory above the top package)."""
    path = path.resolve()
    is_pkg = path.name == "__init__.py"
    parts = [] if is_pkg else [path.stem]
    d = path.parent
    while (d / "__init__.py").exists():
        parts.insert(0, d.name)
        d = d.parent
    return ".".join(parts), is_pkg, d


def module_name(path: Path, tops: dict[str, str] | None = None) -> tuple[str, bool]:
    """(dotted module name, is_package) from the package directories above `path`; with `tops`
    (see `namespaces`), a top-level name another import root also uses is qualified."""
    modname, is_pkg, _ = _locate(path)
    return qualify(modname, tops), is_pkg


# Qualified top-level names start with this (not a Python identifier: never emitted as code)
NAMESPACE_MARK = "@"


def namespaces(files: Sequence[Path]) -> dict[str, dict[str, str]]:
    """Keep apart modules that share a name under different import roots (``a/app.py`` and
    ``b/app.py``, two scripts each run from its own directory): path -> {top-level module name
    -> its name qualified by the file's root}, for the files whose root holds such a name.  An
    absolute import of a shared name resolves within the importing file's root (where Python,
    running that script, finds it); from any other root it does not resolve at all."""
    located = {str(f): _locate(f) for f in files}
    roots: dict[str, set[Path]] = {}
    for modname, _, root in located.values():
        roots.setdefault(modname.split(".")[0], set()).add(root)
    shared = {top: rs for top, rs in roots.items() if len(rs) > 1}
    if not shared:
        return {}
    tag = {r: f"{NAMESPACE_MARK}{i}" for i, r in enumerate(
        sorted({r for rs in shared.values() for r in rs}))}
    out: dict[str, dict[str, str]] = {}
    for f, (_, _, root) in located.items():
        if root in tag:
            out[f] = {top: f"{tag[root]}.{top}" for top, rs in shared.items() if root in rs}
    return out


def qualify(name: str, tops: dict[str, str] | None) -> str:
    """`name` with its top-level part qualified by `tops` (see `namespaces`)."""
    if not tops or not name:
        return name
    top, dot, rest = name.partition(".")
    return tops[top] + dot + rest if top in tops else name


def public(name: str) -> str:
    """A module name as code writes it (`namespaces`' qualification dropped)."""
    return name.partition(".")[2] if name.startswith(NAMESPACE_MARK) else name


def absolute_from(module: cst.ImportFrom, modname: str, is_pkg: bool) -> str | None:
    """The absolute module an ``ImportFrom`` names (relative ones resolved against `modname`)."""
    target = dotted(module.module) if module.module else ""
    level = len(module.relative)
    if not level:
        return target
    pkg = modname.split(".") if is_pkg else modname.split(".")[:-1]
    if level - 1 > len(pkg):
        return None
    base = pkg[: len(pkg) - (level - 1)]
    return ".".join([*base, target] if target else base) or None


_SUITES = ("body", "orelse", "handlers", "finalbody", "cases")


def small_statements(body: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseSmallStatement]:
    """Every simple statement under `body`, at any depth (inside if/try/with/def/class...),
    reached through statement suites only: no expression is walked, which is what makes this
    much cheaper than a LibCST visitor over the module."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        else:
            yield from _compound(stmt)


def _compound(node: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    for attr in _SUITES:
        sub = getattr(node, attr, None)
        if sub is None:
            continue
        if isinstance(sub, (list, tuple)):
            for part in sub:
                yield from _compound(part)
        elif isinstance(sub, cst.SimpleStatementSuite):
            yield from sub.body
        elif isinstance(sub, cst.IndentedBlock):
            yield from small_statements(sub.body)
        elif isinstance(sub, cst.CSTNode) and not isinstance(sub, cst.BaseExpression):
            yield from _compound(sub)  # else:, finally:, except:, elif (an If in orelse)


def import_map(module: cst.Module, modname: str, is_pkg: bool,
               tops: dict[str, str] | None = None) -> dict[str, str]:
    """Local name -> qualified name, for the module-level (and nested) imports of `module`
    (`tops`: see `namespaces`)."""
    out: dict[str, str] = {}
    for small in small_statements(module.body):
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None:
                    out[dotted(alias.asname.name) or ""] = qualify(full, tops)
                else:
                    head = full.split(".")[0]
                    out[head] = qualify(head, tops)
        elif isinstance(small, cst.ImportFrom):
            base = absolute_from(small, modname, is_pkg)
            if base is None or isinstance(small.names, cst.ImportStar):
                continue
            if not small.relative:
                base = qualify(base, tops)
            for alias in small.names:
                name = dotted(alias.name) or ""
                local = dotted(alias.asname.name) if alias.asname else name
                out[local or name] = f"{base}.{name}"
    return out


def local_definitions(module: cst.Module) -> set[str]:
    out: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
            out.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        if isinstance(t.target, cst.Name):
                            out.add(t.target.value)
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    out.add(small.target.value)
    return out


def resolve(expr: cst.BaseExpression, imap: dict[str, str], modname: str,
            local_defs: set[str]) -> str | None:
    """The normalised qualified name an expression refers to, if it can be told statically."""
    name = dotted(expr)
    if not name:
        return None
    head, _, rest = name.partition(".")
    if head in imap:
        full = imap[head] + ("." + rest if rest else "")
    elif head in local_defs:
        full = f"{modname}.{name}"
    else:
        return None
    return normalise(full)


def add_view_call(small: cst.BaseSmallStatement) -> cst.Call | None:
    """The ``View(...)`` of a statement ``something.add_view(View(...))``: the one form of
    registration native mode rewrites (the pre-scan and FXM102 both use this)."""
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        if (isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_view"
                and len(call.args) == 1 and call.args[0].keyword is None
                and not call.args[0].star and isinstance(call.args[0].value, cst.Call)):
            return call.args[0].value
    return None
