"""Adding a ``from module import name`` line to a module, after its last top-level import."""

from __future__ import annotations

import re

import libcst as cst

from ..names import dotted


def has_import(module: cst.Module, mod: str, name: str) -> bool:
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (isinstance(small, cst.ImportFrom) and not small.relative and small.module
                        and dotted(small.module) == mod
                        and not isinstance(small.names, cst.ImportStar)
                        and any(dotted(a.name) == name and a.asname is None
                                for a in small.names)):
                    return True
    return False


def _is_import(stmt: cst.CSTNode, relative: bool | None = None) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Import) and not relative:
            return True
        if isinstance(small, cst.ImportFrom) and (relative is None
                                                  or bool(small.relative) == relative):
            return True
    return False


def add_import(module: cst.Module, mod: str, name: str) -> cst.Module:
    """Insert ``from mod import name`` after the last absolute import (before relative ones)."""
    if has_import(module, mod, name):
        return module
    line = cst.parse_statement(f"from {mod} import {name}", config=module.config_for_parsing)
    body = list(module.body)
    last_abs = max((i for i, s in enumerate(body) if _is_import(s, relative=False)), default=-1)
    first_rel = min((i for i, s in enumerate(body) if _is_import(s, relative=True)), default=-1)
    if last_abs >= 0:
        at = last_abs + 1
    elif first_rel >= 0:
        at = first_rel
    else:
        at = 0
        if body and isinstance(body[0], cst.SimpleStatementLine) and isinstance(
                body[0].body[0], cst.Expr):
            at = 1  # after the docstring
    body.insert(at, line)
    return module.with_changes(body=body)


def drop_unused_from_import(module: cst.Module, local: str) -> cst.Module:
    """Remove ``local`` from a top-level ``from ... import`` when nothing else uses the name."""
    word = re.compile(rf"(?<![\w.]){re.escape(local)}\b")
    uses = 0

    class Count(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            nonlocal uses
            uses += node.value == local

    # only statements whose text mentions the name are walked (a visitor over the whole
    # module costs more than the rest of the rewrite)
    for stmt in module.body:
        if (isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(x, (cst.Import, cst.ImportFrom)) for x in stmt.body)) or not \
                word.search(module.code_for_node(stmt)):
            continue
        stmt.visit(Count())
        if uses:
            return module
    body = []
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(
                stmt.body[0], cst.ImportFrom) and not isinstance(stmt.body[0].names,
                                                                   cst.ImportStar):
            imp = stmt.body[0]
            keep = [a for a in imp.names
                    if (dotted(a.asname.name) if a.asname else dotted(a.name)) != local]
            if len(keep) != len(imp.names):
                if not keep:
                    continue
                keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                stmt = stmt.with_changes(body=[imp.with_changes(names=keep)])
        body.append(stmt)
    return module.with_changes(body=body)
