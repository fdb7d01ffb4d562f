"""FXM001: imports of ``flask_admin`` (and legacy ``flask.ext.admin``) -> ``flask_admin_compat``.

Forms handled: ``import flask_admin`` (its uses ``flask_admin.x`` follow), ``import flask_admin as
fa``, ``import flask_admin.contrib.sqla``, ``from flask_admin[.sub] import ...`` (parenthesised,
commented, star), ``from flask.ext import admin`` (beside other extensions too: ``admin`` gets
its own line), ``flask_admin.contrib.sqlamodel``.  Only the module name node is replaced, so
comments and layout inside the statement stay.  An import compat will not satisfy is rewritten
with a warning (`migration_tool.provided`).  String literals
(template names, ``importlib.import_module("flask_admin")``) and relative imports are untouched.
"""

from __future__ import annotations

import re

import libcst as cst

from .. import provided
from ..names import COMPAT, code, dotted, to_compat
from .base import Rule, RuleTransformer

_PLAIN_IMPORT = re.compile(rb"(?:^|;)[ \t]*import[ \t\\][^\n]*(?:flask_admin|flask\.ext)", re.M)


def _expr(name: str) -> cst.Attribute | cst.Name:
    return cst.parse_expression(name)  # type: ignore[return-value]


class ImportRewrite(RuleTransformer):
    rule_id = "FXM001"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # bare names bound by `import flask_admin[...]` / `import flask.ext.admin[...]`
        self.rebound: set[str] = set()
        self.split: cst.SimpleStatementLine | None = None  # see visit_SimpleStatementLine

    def visit_Module(self, node: cst.Module) -> bool:
        # `import flask_admin[...]` without `as`: its uses must follow.  A bytes test first:
        # most modules only use `from flask_admin... import`, and need no scan at all.
        if not _PLAIN_IMPORT.search(self.ctx.data or node.bytes):
            return True
        rebound = self.rebound

        class Scan(cst.CSTVisitor):
            def on_visit(self, n: cst.CSTNode) -> bool:
                return not isinstance(n, cst.BaseExpression) and super().on_visit(n)

            def visit_Import(self, imp: cst.Import) -> None:
                for alias in imp.names:
                    full = dotted(alias.name) or ""
                    if alias.asname is None and to_compat(full) is not None:
                        rebound.add(full.split(".")[0])

        node.visit(Scan())
        return True

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Without a rebound module name only import statements change, and no expression
        # holds one: skip them (most of a module), and simple lines without an import.
        if not self.rebound:
            if isinstance(node, cst.BaseExpression):
                return False
            if isinstance(node, cst.SimpleStatementLine) and not any(
                    isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body):
                return False
        return super().on_visit(node)

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # the module names are rewritten in leave_Import, not as uses

    # `from flask.ext import admin, login` (a common Flask 0.x line): `admin` becomes its own
    # `import flask_admin_compat as admin` line, the other names stay on theirs
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        if len(node.body) == 1 and _admin_among_others(node.body[0]):
            self.split = node
        return True

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if self.split is not original:
            return updated
        self.split = None
        imp = updated.body[0]
        assert isinstance(imp, cst.ImportFrom) and not isinstance(imp.names, cst.ImportStar)
        admin = next(a for a in imp.names if dotted(a.name) == "admin")
        local = dotted(admin.asname.name) if admin.asname else "admin"
        rest = [a for a in imp.names if a is not admin]
        if imp.names[-1] is admin:  # the new last name takes its comma (and layout after it)
            rest[-1] = rest[-1].with_changes(comma=admin.comma)
        self.record(original, f"from flask.ext import admin, ... -> import {COMPAT} as {local}"
                    " on its own line")
        first = updated.with_changes(
            body=[cst.Import(names=[cst.ImportAlias(name=cst.Name(COMPAT),
                                                     asname=cst.AsName(name=cst.Name(local)))])],
            trailing_whitespace=cst.TrailingWhitespace())
        return cst.FlattenSentinel([first, updated.with_changes(
            body=[imp.with_changes(names=rest)], leading_lines=[])])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            full = dotted(alias.name) or ""
            new = to_compat(full)
            if new is None:
                names.append(alias)
                continue
            names.append(alias.with_changes(name=_expr(new)))
            self.record(original, f"import {full} -> import {new}")
            self.warn_unprovided(original, new)
        return updated.with_changes(names=names)

    def warn_unprovided(self, node: cst.CSTNode, module: str,
                        imported: list[str] | None = None) -> None:
        """A warning for an import that will fail once rewritten (a backend compat does not
        provide, a module or name it lacks): the rewrite still happens, the user is told."""
        for problem in provided.problems(module, imported):
            self.ctx.warnings.append(f"{self.ctx.path}:{self.line(node)}: {problem}")

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom
                         ) -> cst.BaseSmallStatement:
        if updated.relative or updated.module is None:
            return updated
        full = dotted(updated.module) or ""
        new = to_compat(full)
        if new is not None:
            self.record(original, f"from {full} import -> from {new} import")
            self.warn_unprovided(original, new, None if isinstance(updated.names, cst.ImportStar)
                                 else [dotted(a.name) or "" for a in updated.names])
            return updated.with_changes(module=_expr(new))
        # `from flask.ext import admin [as x]`: the package itself under a local name
        if full == "flask.ext" and not isinstance(updated.names, cst.ImportStar):
            names = list(updated.names)
            if len(names) == 1 and dotted(names[0].name) == "admin":
                local = (dotted(names[0].asname.name) if names[0].asname else None) or "admin"
                self.record(original, f"from flask.ext import admin -> import {COMPAT} as {local}")
                return cst.Import(names=[cst.ImportAlias(
                    name=cst.Name(COMPAT), asname=cst.AsName(name=cst.Name(local)))],
                    semicolon=updated.semicolon)
            if self.split is not None and original is self.split.body[0]:
                return updated  # split in leave_SimpleStatementLine
            if any(dotted(n.name) == "admin" for n in names):
                self.ctx.warnings.append(
                    f"{self.ctx.path}:{self.line(original)}: `from flask.ext import admin, ...` "
                    "left alone; split it and run again")
        return updated

    # uses of a rebound module name: `flask_admin.Admin` -> `flask_admin_compat.Admin`,
    # `flask.ext.admin.Admin` -> `flask_admin_compat.Admin`
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute
                        ) -> cst.BaseExpression:
        if "flask" in self.rebound and dotted(updated) == "flask.ext.admin":
            return cst.Name(COMPAT, lpar=updated.lpar, rpar=updated.rpar)
        value = updated.value
        if ("flask_admin" in self.rebound and isinstance(value, cst.Name)
                and value.value == "flask_admin"):
            return updated.with_changes(value=value.with_changes(value=COMPAT))
        return updated

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if "flask_admin" in self.rebound:
            updated = updated.visit(_BareName())
        return updated


def _admin_among_others(small: cst.BaseSmallStatement) -> bool:
    """``from flask.ext import admin, x`` with no comment on `admin` (which a split would
    lose)."""
    if not (isinstance(small, cst.ImportFrom) and not small.relative and small.module
            and dotted(small.module) == "flask.ext"
            and not isinstance(small.names, cst.ImportStar) and len(small.names) > 1):
        return False
    admin = [a for a in small.names if dotted(a.name) == "admin"]
    return len(admin) == 1 and "#" not in code(admin[0])


class _BareName(cst.CSTTransformer):
    """A bare ``flask_admin`` used as a value (``x = flask_admin``) after ``import flask_admin``;
    attribute names, keywords, parameters and imports are not values and are kept."""

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return False  # chains were rewritten already; `obj.flask_admin` is an attribute name

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)

    def visit_Param(self, node: cst.Param) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_FunctionDef(self, original, updated):
        return updated.with_changes(name=original.name)

    def leave_ClassDef(self, original, updated):
        return updated.with_changes(name=original.name)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=COMPAT) if updated.value == "flask_admin" else updated


RULE = Rule("FXM001", "rewrite flask_admin / flask.ext.admin imports (and their uses) to "
            "flask_admin_compat", "compat", ImportRewrite)
