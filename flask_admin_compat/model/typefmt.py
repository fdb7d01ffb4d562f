"""``flask_admin.model.typefmt``: how a value of a given type is shown.

Type formatters have Flask-Admin's signature ``fn(view, value, name)``; a view's
``column_type_formatters`` maps a type to one (looked up along the value's type hierarchy).
``BASE_FORMATTERS`` is what a list shows when the view sets none, ``EXPORT_FORMATTERS`` and
``DETAIL_FORMATTERS`` what exports and details use.  Icons are Bootstrap Icons.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from markupsafe import Markup


def null_formatter(view: Any, value: Any, name: str = "") -> str:
    """Show ``NULL`` for None."""
    return Markup("<i>NULL</i>")


def empty_formatter(view: Any, value: Any, name: str = "") -> str:
    """Show nothing for None."""
    return ""


def bool_formatter(view: Any, value: Any, name: str = "") -> str:
    """A check or a dash icon, titled ``name: true`` / ``name: false``."""
    icon = "check-circle text-success" if value else "dash-circle text-secondary"
    label = f"{name}: {'true' if value else 'false'}" if name else \
        ("true" if value else "false")
    return Markup('<i class="bi bi-{}" title="{}" aria-label="{}"></i>').format(
        icon, label, "yes" if value else "no")


def list_formatter(view: Any, values: Any, name: str = "") -> str:
    """Comma-separated values."""
    return ", ".join(str(v) for v in values)


def enum_formatter(view: Any, value: Enum, name: str = "") -> str:
    """The member's name."""
    return value.name


def dict_formatter(view: Any, value: Any, name: str = "") -> str:
    """JSON, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False)


BASE_FORMATTERS: dict[type, Any] = {
    type(None): empty_formatter,
    bool: bool_formatter,
    list: list_formatter,
    dict: dict_formatter,
    Enum: enum_formatter,
}
EXPORT_FORMATTERS: dict[type, Any] = {
    type(None): empty_formatter,
    list: list_formatter,
    dict: dict_formatter,
    Enum: enum_formatter,
}
DETAIL_FORMATTERS: dict[type, Any] = dict(EXPORT_FORMATTERS)

__all__ = ["BASE_FORMATTERS", "DETAIL_FORMATTERS", "EXPORT_FORMATTERS", "bool_formatter",
           "dict_formatter", "empty_formatter", "enum_formatter", "list_formatter",
           "null_formatter"]
