"""Flask-Admin's ``InlineBaseFormAdmin`` / ``InlineFormAdmin``: the options of one entry of
``inline_models``.  `flask_admin_compat.bridge` turns each into a native
`fasthx_core.InlineModel` (child rows edited inside the parent's form)."""

from __future__ import annotations

from typing import Any


class InlineBaseFormAdmin:
    """Options of an inline form, set as class attributes or keyword arguments:
    ``form_columns``, ``form_excluded_columns``, ``form_args``, ``form_label``,
    ``form_extra_fields``, ``form_base_class``, ``form_widget_args``, ``form_overrides``;
    override `on_model_change`, `get_form` or `postprocess_form` as in Flask-Admin."""

    _defaults = ("form_base_class", "form_columns", "form_excluded_columns", "form_args",
                 "form_extra_fields")

    def __init__(self, **kwargs: Any) -> None:
        for key in self._defaults:
            if not hasattr(self, key):
                setattr(self, key, None)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_form(self) -> Any:
        """A form class of your own for each row, or None to generate it."""
        return None

    def postprocess_form(self, form_class: Any) -> Any:
        """Change the generated row form class (e.g. add a field)."""
        return form_class

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        """Called for each child row saved, before the commit."""


class InlineFormAdmin(InlineBaseFormAdmin):
    """``InlineFormAdmin(Model, form_columns=[...])`` or a subclass setting its options."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)
