"""FXM103: a ModelView subclass that stays on the compat base gets a
``# TODO[fasthx-migrate]: <why>`` comment above it (once), so the module still runs and the
reason is in the code."""

from __future__ import annotations

import textwrap

import libcst as cst

from ..scan import module_of
from .base import FileContext, Rule, RuleTransformer

MARK = "TODO[fasthx-migrate]"


class TodoComment(RuleTransformer):
    rule_id = "FXM103"

    def visit_Module(self, node: cst.Module) -> bool:
        _, self.left = module_of(self.ctx.plan, self.ctx.modname)
        return bool(self.left)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        why = self.left.get(f"{self.ctx.modname}.{original.name.value}")
        if why is None or any(line.comment and MARK in line.comment.value
                              for line in updated.leading_lines):
            return updated
        self.record(original, f"class {original.name.value} stays on compat: {why}")
        text = textwrap.wrap(f"{MARK}: stays on compat: {why}", width=94,
                             break_on_hyphens=False)
        comments = [cst.EmptyLine(comment=cst.Comment(("# " if i == 0 else "#   ") + t))
                    for i, t in enumerate(text)]
        return updated.with_changes(leading_lines=[*updated.leading_lines, *comments])


def _wants(data: bytes, ctx: FileContext) -> bool:
    return bool(module_of(ctx.plan, ctx.modname)[1])


RULE = Rule("FXM103", "native: a TODO[fasthx-migrate] comment above each ModelView subclass "
            "that stays on compat, saying why", "native", TodoComment, _wants)
