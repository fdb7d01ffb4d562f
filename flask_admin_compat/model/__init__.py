"""Flask-Admin's ``flask_admin.model``."""

from .base import BaseModelView
from .form import InlineFormAdmin

__all__ = ["BaseModelView", "InlineFormAdmin"]
