"""Line numbers for report entries without LibCST's position metadata (which re-generates the
whole module with position tracking): a node's first code line is searched for in the
original source, forward from the last hit, so repeated statements get their own lines."""

from __future__ import annotations

import re

import libcst as cst

from .names import code as node_code


class LineFinder:
    def __init__(self, source: str) -> None:
        self.source = source
        self._cursor: dict[str, int] = {}
        self._lines: dict[int, int | None] = {}

    def line_of(self, node: cst.CSTNode, stream: str = "") -> int | None:
        """The 1-based line where `node` starts in the source, or None.  `stream` names an
        independent search cursor (one per rule: each records in source order)."""
        if not self.source:
            return None
        if id(node) not in self._lines:
            self._lines[id(node)] = self._find(node, stream)
        return self._lines[id(node)]

    def _find(self, node: cst.CSTNode, stream: str) -> int | None:
        if isinstance(node, (cst.ClassDef, cst.FunctionDef)):
            kind = "class" if isinstance(node, cst.ClassDef) else "def"
            pattern = re.compile(rf"^[ \t]*(?:async[ \t]+)?{kind}[ \t]+{node.name.value}\b", re.M)
        else:
            code = node_code(node)
            first = next((ln.strip() for ln in code.splitlines()
                          if ln.strip() and not ln.strip().startswith("#")), "")
            if not first:
                return None
            pattern = re.compile(re.escape(first))
        start = self._cursor.get(stream, 0)
        m = pattern.search(self.source, start) or pattern.search(self.source)
        if m is None:
            return None
        self._cursor[stream] = m.start() + 1
        return self.source.count("\n", 0, m.start()) + 1
