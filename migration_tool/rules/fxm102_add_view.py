"""FXM102: ``admin.add_view(XView(X, db.session))`` -> ``admin.add_view(XView)`` for the views
FXM101 converts (the model moved into the class; the native admin owns the session)."""

from __future__ import annotations

import libcst as cst

from ..names import import_map, resolve
from ..scan import local_definitions
from .base import Rule, RuleTransformer


class AddViewCall(RuleTransformer):
    rule_id = "FXM102"

    def visit_Module(self, node: cst.Module) -> bool:
        self.convert = self.ctx.plan.get("convert", {})
        self.imap = import_map(node, self.ctx.modname, self.ctx.is_pkg)
        self.defs = local_definitions(node)
        return bool(self.convert)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_view"
                and len(updated.args) == 1 and isinstance(updated.args[0].value, cst.Call)):
            return updated
        inner = updated.args[0].value
        q = resolve(inner.func, self.imap, self.ctx.modname, self.defs)
        if q not in self.convert:
            return updated
        session = cst.Module([]).code_for_node(inner.args[1].value) if len(inner.args) > 1 else ""
        self.record(original, f"add_view({q.rpartition('.')[2]}(...)) -> add_view("
                    f"{q.rpartition('.')[2]}); session {session} dropped: the native admin's "
                    "session is used")
        return updated.with_changes(args=[updated.args[0].with_changes(value=inner.func)])


RULE = Rule("FXM102", "native: admin.add_view(XView(X, session)) -> admin.add_view(XView) "
            "for converted views", "native", AddViewCall)
