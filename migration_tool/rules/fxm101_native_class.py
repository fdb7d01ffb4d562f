"""FXM101: a ModelView subclass the pre-scan cleared becomes a native ``CRUDView``: the base
``ModelView`` -> ``fasthx_core.CRUDView``; ``model = X`` and ``category``/``display_name``/
``name`` from its ``admin.add_view`` call; attributes, literal ``convert`` rows and hooks
rewritten by `flask_admin_compat.translation` (see `migration_tool.native`); Flask-Admin's
defaults stated where the native ones differ."""

from __future__ import annotations

import libcst as cst

from .. import access, native
from ..names import COMPAT, MODELVIEW_ROOTS, dotted, normalise, resolve
from ..scan import module_of
from ._imports import add_import, drop_unused_from_import
from .base import FileContext, Rule, RuleTransformer


class NativeClass(RuleTransformer):
    rule_id = "FXM101"

    def visit_Module(self, node: cst.Module) -> bool:
        self.convert, _ = module_of(self.ctx.plan, self.ctx.modname)
        self.r = native.Resolver(self.ctx.imports(node), self.ctx.modname, self.ctx.defs(node), {
            st.name.value: st for st in node.body if isinstance(st, cst.FunctionDef)})
        self.imports: list[tuple[str, str]] = []
        self.replaced: set[str] = set()
        return bool(self.convert)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False  # top-level classes are rewritten whole in leave_ClassDef

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        entry = self.convert.get(f"{self.ctx.modname}.{original.name.value}")
        if entry is None:
            return updated
        name = original.name.value
        bases = []
        for arg in updated.bases:
            if resolve(arg.value, self.r.imap, self.ctx.modname, self.r.defs) in MODELVIEW_ROOTS:
                if isinstance(arg.value, cst.Name):
                    self.replaced.add(arg.value.value)
                elif isinstance(arg.value, cst.Attribute):  # sqla.ModelView: maybe `sqla` goes
                    self.replaced.add((dotted(arg.value) or "").split(".")[0])
                arg = arg.with_changes(value=cst.Name("CRUDView"))
                self.imports.append(("fasthx_core", "CRUDView"))
                self.record(original, f"class {name}: base ModelView -> fasthx_core.CRUDView")
            bases.append(arg)
        if entry.get("model") and entry.get("import"):
            self.imports.append(tuple(entry["import"]))
        if entry.get("session_import"):
            self.imports.append(tuple(entry["session_import"]))
        # Flask-Admin names the class used (``rules`` of rules.FieldSet): their imports may
        # have no other use once the class is native
        # and what a login check and its redirect used (current_user, redirect, url_for,
        # request), when they were their only use
        self.replaced.update(n for n in native.names_in(original)
                             if normalise(self.r.imap.get(n, "")).startswith(COMPAT + ".")
                             or self.r.imap.get(n) in access.DROPPED_WITH_LOGIN_CHECKS)
        new = native.convert_body(updated.with_changes(bases=bases), self.r, entry, self.record)
        return new

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for local in sorted(self.replaced):
            updated = drop_unused_from_import(updated, local)
        for mod, name in dict.fromkeys(self.imports):
            updated = add_import(updated, mod, name)
        return updated


def _wants(data: bytes, ctx: FileContext) -> bool:
    return bool(module_of(ctx.plan, ctx.modname)[0])


RULE = Rule("FXM101", "native: ModelView subclasses whose attributes and hooks the translation "
            "table carries -> fasthx_core.CRUDView (base, model = X, renamed attributes, "
            "literal conversions, native hook signatures)", "native", NativeClass, _wants)
