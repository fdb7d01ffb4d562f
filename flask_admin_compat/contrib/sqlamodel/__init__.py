"""Flask-Admin 1.x's old module path ``flask_admin.contrib.sqlamodel``: the SQLAlchemy views."""

from ..sqla import ModelView

__all__ = ["ModelView"]
