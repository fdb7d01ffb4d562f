"""Flask-Admin's cell-value lookup (``get_list_value`` and friends), for views that override it.

Flask-Admin shows each list, details and export cell through ``get_list_value``,
``get_detail_value`` and ``get_export_value``, all ending in ``_get_list_value``.  When a view
overrides one of them, `flask_admin_compat.bridge` routes the matching cells through it; these
are the defaults such an override calls with ``super()``: the column's formatter (Flask-Admin
signature), else its value (dotted names follow relations), then its ``column_choices`` label,
else the formatter of the value's type.
"""

from __future__ import annotations

import inspect
from typing import Any


def field_value(model: Any, name: str) -> Any:
    value = model
    for part in name.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _by_key(view: Any, mapping: Any) -> dict[str, Any]:
    from ..bridge import attr_key

    return {attr_key(view.model, k): v for k, v in (mapping or {}).items()}


def _call_type_formatter(fn: Any, view: Any, value: Any, name: str) -> Any:
    try:
        takes_name = len(inspect.signature(fn).parameters) >= 3
    except (TypeError, ValueError):
        takes_name = False
    return fn(view, value, name) if takes_name else fn(view, value)


def list_value(view: Any, context: Any, model: Any, name: str, column_formatters: Any,
               column_type_formatters: Any) -> Any:
    """Flask-Admin's ``_get_list_value``."""
    formatter = _by_key(view, column_formatters).get(name)
    if formatter is not None:
        value = formatter(view, context, model, name)
    else:
        value = field_value(model, name)
    choices = dict((view.column_choices or {}).get(name) or ())
    if choices:
        return choices.get(value, value)
    for klass, type_formatter in (column_type_formatters or {}).items():
        if isinstance(value, klass):
            return _call_type_formatter(type_formatter, view, value, name)
    return value
