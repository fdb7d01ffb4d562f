"""The rules, one transformer per module, in the order they run."""

from __future__ import annotations

from .base import FileContext, Rule, RuleTransformer
from .fxm001_imports import RULE as FXM001
from .fxm101_native_class import RULE as FXM101
from .fxm102_add_view import RULE as FXM102
from .fxm103_todo import RULE as FXM103

RULES: tuple[Rule, ...] = (FXM001, FXM101, FXM102, FXM103)
BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def select(mode: str, only: list[str] | None = None, skip: list[str] | None = None
           ) -> list[Rule]:
    """The rules a run applies: those of the mode, narrowed by --only and --skip."""
    unknown = [r for r in (only or []) + (skip or []) if r.upper() not in BY_ID]
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(unknown)} (see --list-rules)")
    chosen = [r for r in RULES if mode == "native" or r.mode == "compat"]
    if only:
        wanted = {r.upper() for r in only}
        chosen = [r for r in chosen if r.id in wanted]
    if skip:
        dropped = {r.upper() for r in skip}
        chosen = [r for r in chosen if r.id not in dropped]
    return chosen


__all__ = ["RULES", "BY_ID", "FileContext", "Rule", "RuleTransformer", "select"]
