"""Flask-Admin's ``flask_admin.contrib.sqla``: `ModelView` on SQLAlchemy models."""

from .view import ModelView

__all__ = ["ModelView"]
