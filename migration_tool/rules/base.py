"""What every rule is: a stable id, a one-line description, a mode, and one LibCST transformer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst


@dataclass
class FileContext:
    """What a rule's transformer knows about the file it rewrites, and where it records."""

    path: Path
    modname: str
    is_pkg: bool
    plan: dict[str, Any] = field(default_factory=dict)  # native mode: see migration_tool.scan
    changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self, rule: str, node_line: int | None, message: str) -> None:
        self.changes.append({"rule": rule, "line": node_line, "message": message})


class RuleTransformer(cst.CSTTransformer):
    """Base for rule transformers: positions available, a context to record into."""

    METADATA_DEPENDENCIES = (cst.metadata.PositionProvider,)
    rule_id = ""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    def line(self, node: cst.CSTNode) -> int | None:
        try:
            return self.get_metadata(cst.metadata.PositionProvider, node).start.line
        except KeyError:
            return None

    def record(self, node: cst.CSTNode, message: str) -> None:
        self.ctx.record(self.rule_id, self.line(node), message)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    mode: str  # "compat" rules run in both modes; "native" rules only in native mode
    transformer: type[RuleTransformer]
