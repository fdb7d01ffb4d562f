"""FXM101: a ModelView subclass the pre-scan cleared becomes a native ``CRUDView``: the base
``ModelView`` -> ``fasthx_core.CRUDView``, ``model = X`` from its ``admin.add_view`` call site,
attributes renamed by ``flask_admin_compat.translation.renames()``."""

from __future__ import annotations

import libcst as cst

from flask_admin_compat import translation

from ..names import MODELVIEW_ROOTS, import_map, resolve
from ..scan import local_definitions, module_of
from ._imports import add_import, drop_unused_from_import
from .base import Rule, RuleTransformer


class NativeClass(RuleTransformer):
    rule_id = "FXM101"

    def visit_Module(self, node: cst.Module) -> bool:
        self.convert, _ = module_of(self.ctx.plan, self.ctx.modname)
        self.imap = import_map(node, self.ctx.modname, self.ctx.is_pkg)
        self.defs = local_definitions(node)
        self.imports: list[tuple[str, str]] = []
        self.replaced: set[str] = set()
        self.depth = 0
        return bool(self.convert)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.depth -= 1
        if self.depth:
            return updated
        entry = self.convert.get(f"{self.ctx.modname}.{original.name.value}")
        if entry is None:
            return updated
        name = original.name.value
        bases = []
        for arg in updated.bases:
            if resolve(arg.value, self.imap, self.ctx.modname, self.defs) in MODELVIEW_ROOTS:
                if isinstance(arg.value, cst.Name):
                    self.replaced.add(arg.value.value)
                arg = arg.with_changes(value=cst.Name("CRUDView"))
                self.imports.append(("fasthx_core", "CRUDView"))
                self.record(original, f"class {name}: base ModelView -> fasthx_core.CRUDView")
            bases.append(arg)
        renames = translation.renames()
        body = list(updated.body.body)
        has_model = False
        for i, stmt in enumerate(body):
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            smalls = []
            for small in stmt.body:
                target = None
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                elif isinstance(small, cst.AnnAssign):
                    target = small.target
                if isinstance(target, cst.Name):
                    has_model = has_model or target.value == "model"
                    new = renames.get(target.value)
                    if new and new != target.value:
                        self.record(stmt, f"class {name}: {target.value} -> {new}")
                        newt = target.with_changes(value=new)
                        if isinstance(small, cst.Assign):
                            small = small.with_changes(
                                targets=[small.targets[0].with_changes(target=newt)])
                        else:
                            small = small.with_changes(target=newt)
                smalls.append(small)
            body[i] = stmt.with_changes(body=smalls)
        if entry.get("model") and not has_model:
            at = 0
            first = body[0] if body else None
            if (isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr)
                    and isinstance(first.body[0].value, (cst.SimpleString,
                                                         cst.ConcatenatedString))):
                at = 1
            body = [s for s in body
                    if not (isinstance(s, cst.SimpleStatementLine)
                            and all(isinstance(x, cst.Pass) for x in s.body))] or body
            body.insert(at, cst.parse_statement(f"model = {entry['model']}"))
            self.record(original, f"class {name}: model = {entry['model']} (from its "
                        "admin.add_view call site)")
            if entry.get("import"):
                self.imports.append(tuple(entry["import"]))
        return updated.with_changes(bases=bases,
                                    body=updated.body.with_changes(body=body))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for local in sorted(self.replaced):
            updated = drop_unused_from_import(updated, local)
        for mod, name in dict.fromkeys(self.imports):
            updated = add_import(updated, mod, name)
        return updated


RULE = Rule("FXM101", "native: ModelView subclasses with only same/rename attributes -> "
            "fasthx_core.CRUDView (base, model = X, renamed attributes)", "native", NativeClass)
