"""Flask-Admin's ``flask_admin.form``: form base classes and fields (real WTForms)."""

from wtforms import Form as BaseForm
from wtforms.fields import DateTimeLocalField as DateTimeField
from wtforms.fields import SelectField as Select2Field
from wtforms.fields import TimeField

from fasthx_core.fields import JSONField

from . import rules
from .upload import FileUploadField, ImageUploadField


class SecureForm(BaseForm):
    """Flask-Admin's CSRF-protected form: every admin POST is already checked for the
    session's CSRF token, so this is a plain form that keeps imports working."""


class Select2TagsField(Select2Field):
    """Select2's tags input: a text input of comma-separated values on Bootstrap 5."""


__all__ = ["BaseForm", "DateTimeField", "FileUploadField", "ImageUploadField", "JSONField",
           "Select2Field", "Select2TagsField", "SecureForm", "TimeField", "rules"]
