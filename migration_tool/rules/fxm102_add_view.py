"""FXM102: ``admin.add_view(XView(X, db.session, category="C"))`` -> ``admin.add_view(XView)``
for the views FXM101 converts (the model and the call's literal options moved into the class),
and the session they were given -> ``session_factory=`` of the ``admin = Admin(...)`` in the
same function, so the native views use the same sessions as before."""

from __future__ import annotations

import libcst as cst

from ..names import add_view_call
from ..scan import ADMIN_CLASSES
from .base import FileContext, Rule, RuleTransformer


class AddViewCall(RuleTransformer):
    rule_id = "FXM102"

    def visit_Module(self, node: cst.Module) -> bool:
        self.convert = self.ctx.plan.get("convert", {})
        self.imap = self.ctx.imports(node)
        self.defs = self.ctx.defs(node)
        prefix = self.ctx.modname + ":"
        self.sessions = {k[len(prefix):]: v for k, v in self.ctx.plan.get("sessions", {}).items()
                         if k.startswith(prefix)}
        self.scope: list[str] = []
        return bool(self.convert)

    def _resolve(self, expr: cst.BaseExpression) -> str | None:
        from ..names import resolve

        return resolve(expr, self.imap, self.ctx.modname, self.defs)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.append(node.name.value)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef
                          ) -> cst.FunctionDef:
        self.scope.pop()
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not (len(updated.targets) == 1 and isinstance(updated.targets[0].target, cst.Name)
                and isinstance(updated.value, cst.Call)):
            return updated
        key = f"{'.'.join(self.scope)}:{updated.targets[0].target.value}"
        if key not in self.sessions or self._resolve(updated.value.func) not in ADMIN_CLASSES:
            return updated
        session = self.sessions[key]
        call = updated.value
        if session is None or any(a.keyword is not None and a.keyword.value == "session_factory"
                                  for a in call.args):
            return updated
        args = list(call.args)
        last = args[-1] if args else None
        new = cst.Arg(cst.parse_expression(session), keyword=cst.Name("session_factory"),
                      equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        if last is not None:
            comma = last.comma if last.comma is not cst.MaybeSentinel.DEFAULT else cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" "))
            trailing = last.comma is not cst.MaybeSentinel.DEFAULT
            args[-1] = last.with_changes(comma=comma)
            if trailing:  # keep a trailing comma where the call had one
                new = new.with_changes(comma=last.comma)
        args.append(new)
        self.record(original, f"Admin(...): session_factory={session} (the session the "
                    "converted views were given)")
        return updated.with_changes(value=call.with_changes(args=args))

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Only statement lines change (an add_view(...) expression statement or an
        # ``admin = Admin(...)`` assignment): no expression is walked.
        if isinstance(node, cst.BaseExpression):
            return False
        return super().on_visit(node)

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.Expr:
        inner = add_view_call(updated)
        if inner is None:
            return updated
        q = self._resolve(inner.func)
        if q not in self.convert:
            return updated
        view = q.rpartition(".")[2]
        self.record(original, f"add_view({view}(...)) -> add_view({view}); model, options "
                    "and session moved into the class or to Admin(session_factory=)")
        call = updated.value
        return updated.with_changes(value=call.with_changes(  # type: ignore[attr-defined]
            args=[call.args[0].with_changes(value=inner.func)]))  # type: ignore[attr-defined]


def _wants(data: bytes, ctx: FileContext) -> bool:
    return b"add_view" in data and bool(ctx.plan.get("convert"))


RULE = Rule("FXM102", "native: admin.add_view(XView(X, session, ...)) -> admin.add_view(XView) "
            "for converted views; the session -> Admin(session_factory=)", "native",
            AddViewCall, _wants)
