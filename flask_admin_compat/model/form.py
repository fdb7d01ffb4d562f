"""``InlineFormAdmin``: accepted for imports; inline child forms are not rendered yet."""

from __future__ import annotations

from typing import Any


class InlineFormAdmin:
    form_columns: Any = None
    form_excluded_columns: Any = None
    form_args: Any = None
    form_label: Any = None

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        for key, value in kwargs.items():
            setattr(self, key, value)
