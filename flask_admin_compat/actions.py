"""Flask-Admin's ``flask_admin.actions``: ``@action(name, text, confirmation)`` batch actions.

The decorated method receives the list of selected ids (strings), as in Flask-Admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def action(name: str, text: str, confirmation: str | None = None) -> Callable[[Any], Any]:
    def wrap(fn: Any) -> Any:
        fn._action = (name, text, confirmation)
        return fn

    return wrap


class ActionsMixin:
    """Kept for imports (``from flask_admin.actions import ActionsMixin``)."""

    def get_actions_list(self) -> tuple[list[tuple[str, str]], dict[str, str]]:
        actions, confirmations = [], {}
        for attr in dir(type(self)):
            meta = getattr(getattr(type(self), attr, None), "_action", None)
            if meta and self.is_action_allowed(meta[0]):  # type: ignore[attr-defined]
                actions.append((meta[0], meta[1]))
                if meta[2]:
                    confirmations[meta[0]] = meta[2]
        return actions, confirmations
