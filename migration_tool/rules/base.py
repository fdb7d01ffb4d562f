"""What every rule is: a stable id, a one-line description, a mode, one LibCST transformer, and
a cheap test of whether it has anything to do in a file (so it is not run at all otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from ..lines import LineFinder
from ..names import import_map, local_definitions


@dataclass
class FileContext:
    """What a rule's transformer knows about the file it rewrites, and where it records.

    ``source`` is the file's original text; line numbers in the report are found by searching
    it for the recorded node's first line (in source order, per rule), which costs a small
    codegen instead of LibCST's position metadata over the whole module."""

    path: Path
    modname: str
    is_pkg: bool
    plan: dict[str, Any] = field(default_factory=dict)  # native mode: see migration_tool.scan
    changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    data: bytes = b""

    def __post_init__(self) -> None:
        self.lines = LineFinder(self.source)
        self._imap: dict[str, str] | None = None
        self._defs: set[str] | None = None

    def imports(self, module: cst.Module) -> dict[str, str]:
        """Local name -> qualified name of the file's imports (worked out once per file: the
        rules only rename import modules, which resolving normalises anyway)."""
        if self._imap is None:
            self._imap = import_map(module, self.modname, self.is_pkg,
                                    self.plan.get("namespaces", {}).get(str(self.path)))
        return self._imap

    def defs(self, module: cst.Module) -> set[str]:
        if self._defs is None:
            self._defs = local_definitions(module)
        return self._defs

    def record(self, rule: str, node_line: int | None, message: str) -> None:
        self.changes.append({"rule": rule, "line": node_line, "message": message})

    def line_of(self, rule: str, node: cst.CSTNode) -> int | None:
        """The 1-based line where `node` starts in the original source, or None."""
        return self.lines.line_of(node, rule)


class RuleTransformer(cst.CSTTransformer):
    """Base for rule transformers: a context to record into (with line numbers)."""

    rule_id = ""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    def line(self, node: cst.CSTNode) -> int | None:
        return self.ctx.line_of(self.rule_id, node)

    def record(self, node: cst.CSTNode, message: str) -> None:
        self.ctx.record(self.rule_id, self.line(node), message)


def always(data: bytes, ctx: FileContext) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    mode: str  # "compat" rules run in both modes; "native" rules only in native mode
    transformer: type[RuleTransformer]
    # a cheap test on the file's bytes and context: False -> the rule is not run on the file
    wants: Callable[[bytes, FileContext], bool] = always
