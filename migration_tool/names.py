"""Dotted names: module names for files, import maps, and resolving expressions to the
qualified names they refer to (``sqla.ModelView`` -> ``flask_admin.contrib.sqla.ModelView``)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

LEGACY_PREFIXES = ("flask.ext.admin", "flask_admin")
COMPAT = "flask_admin_compat"
MODELVIEW_ROOTS = frozenset({
    "flask_admin_compat.contrib.sqla.ModelView",
    "flask_admin_compat.contrib.sqla.view.ModelView",
    "flask_admin_compat.contrib.sqlamodel.ModelView",
})


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


def module_name(path: Path) -> tuple[str, bool]:
    """(dotted module name, is_package) from the package directories above `path`."""
    path = path.resolve()
    is_pkg = path.name == "__init__.py"
    parts = [] if is_pkg else [path.stem]
    d = path.parent
    while (d / "__init__.py").exists():
        parts.insert(0, d.name)
        d = d.parent
    return ".".join(parts), is_pkg


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


def import_map(module: cst.Module, modname: str, is_pkg: bool) -> dict[str, str]:
    """Local name -> qualified name, for the module-level (and nested) imports of `module`."""
    out: dict[str, str] = {}

    class V(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None:
                    out[dotted(alias.asname.name) or ""] = full
                else:
                    head = full.split(".")[0]
                    out[head] = head

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            base = absolute_from(node, modname, is_pkg)
            if base is None or isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                name = dotted(alias.name) or ""
                local = dotted(alias.asname.name) if alias.asname else name
                out[local or name] = f"{base}.{name}"

    module.visit(V())
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
