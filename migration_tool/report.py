"""What a run did: per file (rewrites, warnings, errors) and per view (converted or left, and
why), as JSON for ``--report`` and as the human summary printed at the end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .names import public
from .runner import FileResult


def build(results: Sequence[FileResult], plan: dict[str, Any], mode: str,
          rules: Sequence[str], write: bool) -> dict[str, Any]:
    views = []
    for q, info in plan.get("classes", {}).items():
        entry = {"view": info["name"], "qualname": public(q), "path": info["path"],
                 "line": info["line"]}
        if q in plan.get("convert", {}):
            conv = plan["convert"][q]
            entry.update(status="converted", model=conv.get("model"), reason=None)
        else:
            entry.update(status="left", model=None, reason=plan.get("left", {}).get(q))
        views.append(entry)
    files = [{k: v for k, v in asdict(r).items() if k != "diff"} for r in results]
    summary = {
        "files_scanned": len(results),
        "files_parsed": sum(r.parsed for r in results),
        "files_changed": sum(r.changed for r in results),
        "parse_errors": sum(r.error is not None for r in results),
        "views_converted": sum(v["status"] == "converted" for v in views),
        "views_left": sum(v["status"] == "left" for v in views),
        "warnings": sum(len(r.warnings) for r in results),
    }
    return {"mode": mode, "rules": list(rules), "written": write, "summary": summary,
            "files": files, "views": views}


def write_json(report: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def human(report: dict[str, Any], check: bool = False) -> str:
    s = report["summary"]
    verb = "would change" if (check or not report["written"]) else "changed"
    lines = []
    for f in report["files"]:
        if f["error"]:
            lines.append(f"error: {f['path']}: {f['error']}")
        for w in f["warnings"]:
            lines.append(f"warning: {w}")
    for v in report["views"]:
        if v["status"] == "left":
            lines.append(f"left on compat: {v['path']}:{v['line']} {v['view']}: {v['reason']}")
    lines.append(
        f"{s['files_scanned']} files scanned, {s['files_parsed']} parsed, "
        f"{s['files_changed']} {verb}; views: {s['views_converted']} converted, "
        f"{s['views_left']} left on compat; {s['warnings']} warnings, "
        f"{s['parse_errors']} errors")
    return "\n".join(lines)
