"""The two routes of the authorization-code flow: go to the provider, come back from it.

``GET {prefix}/login/oidc?next=/path`` remembers where to return (a local path only) and
redirects to the provider; ``GET {prefix}/login/oidc/callback`` checks the answer, stores the
user and the tokens in the session and redirects to that path.  A failed login is the admin's
error page with the `AuthError`'s status (400 bad state, 401 invalid token, 403 outside the
allowed groups, 502 provider down), never a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .auth import AuthError, auth_disabled, login_user
from .redirects import safe_next

if TYPE_CHECKING:
    from .admin import Admin
    from .oidc import OIDCBackend

NEXT_KEY = "oidc_next"


def install_oidc_routes(admin: Admin, backend: OIDCBackend) -> None:
    if not backend.code_login:
        return

    def callback_url(request: Request) -> str:
        return backend.settings.redirect_uri or str(request.url_for("fasthx_oidc_callback"))

    async def start(request: Request) -> Response:
        nxt = safe_next(request.query_params.get("next"), admin.home_url)
        if auth_disabled():
            return RedirectResponse(nxt, status_code=303)
        request.session[NEXT_KEY] = nxt
        try:
            return await backend.start_login(request, callback_url(request))
        except AuthError as exc:
            return admin.auth_error_response(request, exc)

    async def callback(request: Request) -> Response:
        nxt = safe_next(request.session.get(NEXT_KEY), admin.home_url)
        try:
            user = await backend.finish_login(request)
        except AuthError as exc:
            return admin.auth_error_response(request, exc)
        login_user(request, user)
        backend.on_login(request, user)
        return RedirectResponse(nxt, status_code=303)

    prefix = admin.login_path
    admin.app.add_api_route(prefix + "/oidc", start, methods=["GET"], name="fasthx_oidc_login",
                            include_in_schema=False)
    admin.app.add_api_route(prefix + "/oidc/callback", callback, methods=["GET"],
                            name="fasthx_oidc_callback", include_in_schema=False)
