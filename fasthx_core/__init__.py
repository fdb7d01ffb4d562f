"""fasthx_core: an HTMX CRUD admin for SQLAlchemy models on FastAPI.

Public API: `Admin`, `CRUDView`, `Base`, `init_db`, `get_db`, `get_engine`,
`toast_response`, `ValidationError`, plus the helpers re-exported below.
"""

from .admin import Admin
from .auth import AuthError, StaticUsersBackend, get_current_user, hash_password
from .columns import ConfigError
from .db import Base, get_db, get_engine, get_session_factory, init_db
from .errors import ValidationError
from .inline import InlineModel
from .progress import get_progress, set_progress
from .toasts import flash, toast_response
from .view import CRUDView

__version__ = "0.1.0"

__all__ = [
    "Admin",
    "AuthError",
    "Base",
    "CRUDView",
    "ConfigError",
    "InlineModel",
    "StaticUsersBackend",
    "ValidationError",
    "flash",
    "get_current_user",
    "get_db",
    "get_engine",
    "get_progress",
    "get_session_factory",
    "hash_password",
    "init_db",
    "set_progress",
    "toast_response",
]
