"""``flask_admin.form.fields``: the fields Flask-Admin adds to WTForms, as plain WTForms fields.

Flask-Admin draws them with Select2; here they render as Bootstrap 5 inputs, and what they
accept and store is Flask-Admin's: `Select2Field` may offer an empty choice (``allow_blank``,
posted as ``__None``, stored as None); `Select2TagsField` takes comma-separated tags, stored as
the text itself or, with ``save_as_list=True``, as a list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from wtforms.fields import DateTimeLocalField as DateTimeField
from wtforms.fields import SelectField, StringField, TimeField
from wtforms.fields.choices import Choice

from fasthx_core.fields import JSONField

BLANK = "__None"  # what Flask-Admin's empty option posts


class Select2Field(SelectField):
    """A select; ``allow_blank=True`` adds an empty first option (``blank_text``) that
    stores None."""

    def __init__(self, label: str | None = None, validators: Any = None,
                 coerce: Callable[[Any], Any] = str, choices: Any = None,
                 allow_blank: bool = False, blank_text: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, coerce, choices, **kwargs)
        self.allow_blank = allow_blank
        self.blank_text = blank_text or " "

    def iter_choices(self) -> Iterator[Choice]:  # type: ignore[override]
        if self.allow_blank:
            yield Choice(value=BLANK, label=self.blank_text, selected=self.data is None,
                         render_kw={})
        yield from super().iter_choices()

    def process_formdata(self, valuelist: Any) -> None:
        if valuelist and valuelist[0] == BLANK:
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form: Any) -> None:
        if self.allow_blank and self.data is None:
            return
        super().pre_validate(form)


class Select2TagsField(StringField):
    """Comma-separated tags in one text input; ``save_as_list=True`` stores a list of the
    tags (each passed through `coerce`), else the text as typed."""

    def __init__(self, label: str | None = None, validators: Any = None,
                 save_as_list: bool = False, coerce: Callable[[Any], Any] = str,
                 allow_duplicates: bool = False, **kwargs: Any) -> None:
        self.save_as_list = save_as_list
        self.coerce = coerce
        self.allow_duplicates = allow_duplicates
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: Any) -> None:
        if not valuelist:
            return
        text = valuelist[0]
        if not self.save_as_list:
            self.data = self.coerce(text)
            return
        # duplicates are kept, as Flask-Admin keeps them (its widget is what avoids them)
        self.data = [self.coerce(part.strip())  # type: ignore[assignment]
                     for part in text.split(",") if part.strip()]

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return ",".join(str(tag) for tag in self.data)
        return str(self.data) if self.data else ""


__all__ = ["DateTimeField", "JSONField", "Select2Field", "Select2TagsField", "TimeField"]
