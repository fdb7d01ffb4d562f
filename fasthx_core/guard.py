"""The one access check every admin route runs: login, view permission, CSRF.

It is installed as a router dependency of each view (so custom endpoints, partials, polls,
ajax, export and batch routes get it too) and answers with exceptions the admin turns into
pages: `LoginRequired` -> login redirect, `AccessDenied` -> 403, `CSRFError` -> 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from .auth import auth_disabled, get_current_user, logout_user, store_user
from .csrf import verify

if TYPE_CHECKING:
    from .view import CRUDView


class LoginRequired(Exception):
    """Nobody is logged in."""


class AccessDenied(Exception):
    """The user may not use this view."""


class NotFound(Exception):
    """No such row (or not visible to this view): answered with the admin's 404 page."""


async def require_user(request: Request) -> dict[str, Any]:
    """The logged-in user, after the auth backend had its say on the session (an OIDC
    backend refreshes an expired access token here, or ends the session)."""
    user = get_current_user(request)
    if user is not None and not auth_disabled():
        user = await _refreshed(request, user)
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


async def _refreshed(request: Request, user: dict[str, Any]) -> dict[str, Any] | None:
    backend = getattr(request.app.state, "fasthx_auth_backend", None)
    refresh = getattr(backend, "refresh_session", None)
    if refresh is None:
        return user
    fresh = await refresh(request, user)
    if fresh is None:
        logout_user(request)
    elif fresh is not user:
        store_user(request, fresh)  # the same session: CSRF token and tokens are kept
        fresh = get_current_user(request)
    return fresh


async def guard_view(view: CRUDView, request: Request) -> None:
    if getattr(view, "login_required", True):
        user = await require_user(request)
    else:  # an explicitly open view (as Flask-Admin's are): is_accessible alone decides
        user = get_current_user(request)
        request.state.user = user
    if not view.is_accessible(request, user):
        raise AccessDenied(view.display_name)
    await verify(request)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
