"""Flask-Admin's ``flask_admin.helpers``: URLs, safe return targets and messages.

``flash`` keeps a message for the next page, shown as a toast; ``get_url`` resolves
Flask-Admin endpoint names (``"user.index_view"``, ``".edit_view"``) to the admin's URLs.
"""

from __future__ import annotations

from typing import Any

from fasthx_core.redirects import is_local_url
from fasthx_core.toasts import flash as _flash

from ._context import get_request

# Flask-Admin categories -> toast types
_CATEGORIES = {"error": "danger", "danger": "danger", "warning": "warning",
               "success": "success", "info": "info", "message": "info"}


def flash(message: str, category: str = "message") -> None:
    """Show `message` as a toast on the next page (Flask's ``flash`` on the FastAPI host)."""
    request = get_request()
    if request is not None:
        _flash(request, str(message), _CATEGORIES.get(category, "info"))


def is_safe_url(target: str | None) -> bool:
    """Flask-Admin's name for the engine's one return-URL check (local paths only)."""
    return is_local_url(target)


def get_redirect_target(param_name: str = "url") -> str | None:
    """The request's ``url`` (or `param_name`) return target, when it is safe."""
    request = get_request()
    if request is None:
        return None
    target = request.query_params.get(param_name)
    return target if is_safe_url(target) else None


def get_url(endpoint: str, **kwargs: Any) -> str:
    """Resolve a Flask-Admin endpoint name to a URL (see `Admin.url_for`)."""
    from .base import url_for

    return url_for(endpoint, **kwargs)


def prettify_class_name(name: str) -> str:
    """``UserProfile`` -> ``User Profile`` (Flask-Admin's default view names)."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append(" ")
        out.append(ch)
    return "".join(out)
