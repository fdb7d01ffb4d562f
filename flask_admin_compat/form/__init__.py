"""Flask-Admin's ``flask_admin.form``: form base classes and fields (real WTForms)."""

from wtforms import Form as BaseForm

from . import fields, rules
from .fields import DateTimeField, JSONField, Select2Field, Select2TagsField, TimeField
from .upload import FileUploadField, ImageUploadField


class SecureForm(BaseForm):
    """Flask-Admin's CSRF-protected form: every admin POST is already checked for the
    session's CSRF token, so this is a plain form that keeps imports working."""


__all__ = ["BaseForm", "DateTimeField", "FileUploadField", "ImageUploadField", "JSONField",
           "Select2Field", "Select2TagsField", "SecureForm", "TimeField", "fields", "rules"]
