"""Helpers for the codemod tests: write a tree of files, read them back."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def read(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")

