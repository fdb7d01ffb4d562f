"""The one access check every admin route runs: login, view permission, CSRF.

It is installed as a router dependency of each view (so custom endpoints, partials, polls,
ajax, export and batch routes get it too) and answers with exceptions the admin turns into
pages: `LoginRequired` -> login redirect, `AccessDenied` -> 403, `CSRFError` -> 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from .auth import get_current_user
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
    user = get_current_user(request)
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


async def guard_view(view: CRUDView, request: Request) -> None:
    user = await require_user(request)
    if not view.is_accessible(request, user):
        raise AccessDenied(view.display_name)
    await verify(request)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
