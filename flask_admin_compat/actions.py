"""Flask-Admin's ``flask_admin.actions``: ``@action(name, text, confirmation)`` batch actions.

The decorated method receives the list of selected ids (strings), as in Flask-Admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class DeclaredAction(NamedTuple):
    """One ``@action`` method of a view class: its attribute and what the decorator said."""

    attr: str
    name: str
    text: str
    confirmation: str | None


def action(name: str, text: str, confirmation: str | None = None) -> Callable[[Any], Any]:
    def wrap(fn: Any) -> Any:
        fn._action = (name, text, confirmation)
        return fn

    return wrap


def declared_actions(cls: type) -> list[DeclaredAction]:
    """The ``@action`` methods of `cls` (inherited ones too), in attribute-name order: the
    one scan behind the actions a page lists, a model view offers and a file view runs."""
    found = []
    for attr in dir(cls):
        meta = getattr(getattr(cls, attr, None), "_action", None)
        if meta:
            found.append(DeclaredAction(attr, *meta))
    return found


class ActionsMixin:
    """Kept for imports (``from flask_admin.actions import ActionsMixin``)."""

    def get_actions_list(self) -> tuple[list[tuple[str, str]], dict[str, str]]:
        actions, confirmations = [], {}
        for found in declared_actions(type(self)):
            if self.is_action_allowed(found.name):  # type: ignore[attr-defined]
                actions.append((found.name, found.text))
                if found.confirmation:
                    confirmations[found.name] = found.confirmation
        return actions, confirmations
