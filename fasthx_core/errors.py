"""Errors a view's hooks may raise to refuse a save with a message for the user."""

from __future__ import annotations


class ValidationError(Exception):
    """Raised by `CRUDView.validate` (or any save hook) to refuse a save.

    The form is re-rendered with the user's input, ``message`` is shown as a danger toast,
    and ``field_errors`` (field name -> message) are shown under the fields they name.
    """

    def __init__(self, message: str = "Please correct the errors below.",
                 field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = dict(field_errors or {})
