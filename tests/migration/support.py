"""Helpers for the codemod tests: write a tree of files, read them back, and the models module
of the projects they migrate."""

from __future__ import annotations

import textwrap
from pathlib import Path

MODELS = '''
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(String(200))


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
'''
"""``models.py`` of a project under migration: what its Flask-Admin views are views of."""


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

