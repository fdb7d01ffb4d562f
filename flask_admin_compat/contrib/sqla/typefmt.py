"""``flask_admin.contrib.sqla.typefmt``: the SQLAlchemy views' default type formatters."""

from __future__ import annotations

from ...model.typefmt import BASE_FORMATTERS, EXPORT_FORMATTERS, list_formatter

# Relationship collections are lists, so `list_formatter` already covers them.
DEFAULT_FORMATTERS = dict(BASE_FORMATTERS)
EXPORT_FORMATTERS = dict(EXPORT_FORMATTERS)

__all__ = ["DEFAULT_FORMATTERS", "EXPORT_FORMATTERS", "list_formatter"]
