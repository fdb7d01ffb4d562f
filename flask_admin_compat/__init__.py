"""flask_admin_compat: Flask-Admin's API on the fasthx_core engine.

Swap ``flask_admin`` for ``flask_admin_compat`` in imports; the views, their attributes, hooks,
templates extending ``admin/master.html`` and URLs keep working.  Imports nothing from
Flask-Admin.
"""

from .base import Admin, AdminIndexView, BaseView, expose, expose_plugview

__version__ = "0.1.0"

__all__ = ["Admin", "AdminIndexView", "BaseView", "expose", "expose_plugview"]
