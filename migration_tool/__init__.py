"""`fasthx-migrate`: a LibCST codemod that moves Flask-Admin code onto flask_admin_compat
(``compat`` mode) or onto native `fasthx_core.CRUDView` classes (``native`` mode)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
