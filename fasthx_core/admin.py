"""`Admin`: the registry of views on a FastAPI app, its templates, statics, login and errors."""

from __future__ import annotations

import itertools
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .auth import (
    AuthBackend,
    AuthError,
    auth_disabled,
    get_current_user,
    login_user,
    logout_user,
    user_in_groups,
)
from .csrf import CSRFError, csrf_token, verify
from .guard import AccessDenied, LoginRequired, NotFound, is_htmx
from .redirects import safe_next
from .templating import AdminTemplates, make_environment
from .toasts import pop_flashes, toast_payload
from .view import CRUDView

log = logging.getLogger("fasthx_core")
STATIC_DIR = Path(__file__).parent / "static"


class Admin:
    """Registers `CRUDView` classes on a FastAPI app and renders the shared layout.

    ``Admin(app)`` works with no other argument: it mounts the vendored statics, adds a signed
    session cookie (HttpOnly, SameSite=Lax; key from ``FASTHX_SECRET_KEY``) unless the app has
    one, and serves ``/login`` and ``/logout``.
    """

    def __init__(self, app: FastAPI, templates: Jinja2Templates | None = None, *,
                 title: str = "Admin", static_url: str = "/static/fasthx",
                 mount_statics: bool = True, public_pages: Iterable[str] | None = None,
                 extra_templates_dirs: Iterable[str | Path] = (), url_prefix: str = "",
                 auth_backend: AuthBackend | None = None, secret_key: str | None = None,
                 https_only: bool | None = None, home_url: str | None = None,
                 session_factory: Callable[[], Any] | None = None) -> None:
        self.app = app
        # the sessions of views without their own `session_factory` (else init_db's)
        self.session_factory = session_factory
        self.title = title
        self.url_prefix = url_prefix.rstrip("/")
        self.static_url = static_url.rstrip("/")
        self.auth_backend = auth_backend
        app.state.fasthx_auth_backend = auth_backend  # the guard refreshes sessions through it
        self.home_url = home_url or (self.url_prefix + "/")
        self.login_path = self.url_prefix + "/login"
        #: ``(request, next_url) -> url or None`` of another login page (the Flask host sets
        #: it to Flask-Login's ``login_view``); None, or a None answer: the admin's own
        self.login_redirect: Callable[[Request, str], str | None] | None = None
        self.views: dict[str, CRUDView] = {}
        self.links: list[dict[str, Any]] = []
        #: callables giving more sidebar links when a page is drawn (built lazily by their
        #: owner, e.g. Flask-Admin menu links whose URLs need the request to be resolved)
        self.link_sources: list[Callable[[], Iterable[dict[str, Any]]]] = []
        loaders = [templates.env.loader] if templates is not None and templates.env.loader else []
        env = make_environment(extra_templates_dirs, loaders)
        self.templates = AdminTemplates(env, self._context, set(public_pages or {"login.html"}),
                                        self._login_redirect_url)
        env.globals.update(admin=self, static_url=self.static_url, admin_title=title)
        if mount_statics:
            app.mount(self.static_url, StaticFiles(directory=STATIC_DIR), name="fasthx_static")
        self._install_session(secret_key, https_only)
        self._install_security_headers()
        self._install_error_handlers()
        self._install_auth_routes()

    # -- registry ----------------------------------------------------------------------
    def add_view(self, view_class: type[CRUDView]) -> CRUDView:
        """Instantiate a view class, include its routes, and return the instance."""
        view = view_class(self)
        if view.name in self.views:
            raise ValueError(f"a view named {view.name!r} is already registered")
        self.views[view.name] = view
        self.app.include_router(view.router)
        return view

    def get_view(self, name: str) -> CRUDView | None:
        return self.views.get(name)

    def add_link(self, name: str, url: str, display_name: str | None = None, icon: str = "link",
                 category: str = "Other", allowed_users: Iterable[str] | None = None,
                 allowed_groups: Iterable[str] | None = None) -> None:
        """A sidebar entry that is not a view (a dashboard, a wizard, an external tool)."""
        self.links.append({"name": name, "url": url, "display_name": display_name or name,
                           "icon": icon, "category": category,
                           "allowed_users": list(allowed_users or []),
                           "allowed_groups": list(allowed_groups or [])})

    def get_nav_categories(self, user: dict[str, Any] | None = None,
                           request: Request | None = None) -> dict[str, list[dict[str, Any]]]:
        """Sidebar entries grouped by category, in registration order, filtered for `user`."""
        cats: dict[str, list[dict[str, Any]]] = {}
        for link in itertools.chain(self.links, *(source() for source in self.link_sources)):
            if user is not None and not user_in_groups(user, link["allowed_groups"],
                                                       link["allowed_users"]):
                continue
            if not all(check() for check in (link.get("_visible"), link.get("_accessible"))
                       if check is not None):
                continue
            cats.setdefault(link["category"], []).append(link)
        for view in self.views.values():
            if getattr(view, "shown_by_link", False):
                continue
            if user is not None and not view.is_accessible(request, user):  # type: ignore[arg-type]
                continue
            cats.setdefault(view.category, []).append(view.get_nav_info())
        return cats

    # -- templates ---------------------------------------------------------------------
    def _context(self, request: Request, ctx: dict[str, Any]) -> dict[str, Any]:
        user = getattr(request.state, "user", None) or get_current_user(request)
        view = ctx.get("view")
        extras = getattr(view, "template_extras", None)
        if extras is not None:
            for key, value in extras(request).items():
                ctx.setdefault(key, value)
        ctx.setdefault("request", request)
        ctx.setdefault("current_user", user)
        ctx.setdefault("active_page", "")
        ctx.setdefault("static_url", self.static_url)
        ctx.setdefault("admin_title", self.title)
        ctx.setdefault("admin", self)
        ctx.setdefault("csrf_token", csrf_token(request))
        if "nav_categories" not in ctx:
            ctx["nav_categories"] = self.get_nav_categories(user, request) if user else {}
        if "toasts" not in ctx and not is_htmx(request):
            ctx["toasts"] = pop_flashes(request)
        return ctx

    def _login_redirect_url(self, request: Request) -> str:
        from urllib.parse import urlencode

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        url = self.login_redirect(request, target) if self.login_redirect else None
        if url:  # a host's own login page
            return url
        return f"{self.login_path}?{urlencode({'next': target})}"

    def error_response(self, request: Request, status: int, title: str, message: str) -> Response:
        if is_htmx(request):
            from .toasts import add_trigger

            return add_trigger(HTMLResponse("", status_code=status), "showToast",
                               toast_payload(message, "danger", title))
        html = self.templates.render(request, "error.html",
                                     {"status": status, "title": title, "message": message})
        return HTMLResponse(html, status_code=status)

    AUTH_ERROR_TITLES = {400: "Login failed", 401: "Login failed", 403: "Access refused",
                         502: "Identity provider unavailable"}

    def auth_error_response(self, request: Request, exc: AuthError) -> Response:
        """A refused login (from a backend or the OIDC callback) as the error page."""
        title = self.AUTH_ERROR_TITLES.get(exc.status, "Login failed")
        return self.error_response(request, exc.status, title, str(exc) or "Login failed.")

    # -- wiring ------------------------------------------------------------------------
    def _install_session(self, secret_key: str | None, https_only: bool | None) -> None:
        if any(m.cls is SessionMiddleware for m in self.app.user_middleware):
            return
        key = secret_key or os.environ.get("FASTHX_SECRET_KEY") or os.environ.get("SECRET_KEY")
        if not key:
            key = secrets.token_urlsafe(32)
            log.warning("FASTHX_SECRET_KEY is not set: sessions use a random key and end when "
                        "this process stops (and are not shared between workers)")
        if https_only is None:
            https_only = os.environ.get("FASTHX_HTTPS_ONLY", "").lower() in ("1", "true", "yes")
        self.app.add_middleware(SessionMiddleware, secret_key=key, same_site="lax",
                                https_only=https_only, session_cookie="fasthx_session")

    def _install_security_headers(self) -> None:
        from .headers import SecurityHeaders

        self.app.add_middleware(SecurityHeaders, prefix=self.url_prefix,
                                static_url=self.static_url)

    def _install_error_handlers(self) -> None:
        app = self.app

        async def login_required(request: Request, exc: Exception) -> Response:
            url = self._login_redirect_url(request)
            if is_htmx(request):
                return Response(status_code=401, headers={"HX-Redirect": url})
            return RedirectResponse(url, status_code=303)

        async def access_denied(request: Request, exc: Exception) -> Response:
            return self.error_response(request, 403, "Access denied",
                                       "You do not have permission to use this page.")

        async def csrf_failed(request: Request, exc: Exception) -> Response:
            return self.error_response(request, 403, "Request refused",
                                       "The form has expired or was not sent by this site. "
                                       "Reload the page and try again.")

        async def not_found(request: Request, exc: Exception) -> Response:
            return self.error_response(request, 404, "Not found",
                                       "The page or record you asked for does not exist.")

        app.add_exception_handler(LoginRequired, login_required)
        app.add_exception_handler(AccessDenied, access_denied)
        app.add_exception_handler(CSRFError, csrf_failed)
        app.add_exception_handler(NotFound, not_found)
        app.add_exception_handler(AuthError, self.auth_error_response)  # type: ignore[arg-type]

    def _install_auth_routes(self) -> None:
        async def login_page(request: Request) -> Response:
            nxt = safe_next(request.query_params.get("next"), self.home_url)
            if auth_disabled():
                return RedirectResponse(nxt, status_code=303)
            error = None
            username = ""
            status = 200
            if request.method == "POST":
                try:
                    await verify(request)
                except CSRFError:
                    return self.error_response(request, 403, "Request refused",
                                               "The login form expired. Reload and try again.")
                form = await request.form()
                username = str(form.get("username", ""))[:200]
                password = str(form.get("password", ""))
                nxt = safe_next(str(form.get("next", "")), self.home_url)
                if self.auth_backend is None:
                    error = "No login backend is configured (set AUTH_DISABLED=1 for development)."
                else:
                    try:
                        user = await run_in_threadpool(self.auth_backend.authenticate,
                                                       username, password)
                    except AuthError as exc:
                        error = str(exc) or "Login failed."
                        status = exc.status
                    else:
                        login_user(request, user)
                        on_login = getattr(self.auth_backend, "on_login", None)
                        if on_login is not None:
                            on_login(request, user)
                        return RedirectResponse(nxt, status_code=303)
                status = 401 if status == 200 else status
            backend = self.auth_backend
            options = getattr(backend, "login_options", None)
            html = self.templates.render(request, "login.html", {
                "error": error, "username": username, "next": nxt, "current_user": None,
                "login_options": options(request, nxt) if options else [],
                "password_login": getattr(backend, "password_login", True)})
            return HTMLResponse(html, status_code=status)

        async def logout(request: Request) -> Response:
            if request.method == "GET":  # logging out changes state: only by POST with a token
                if get_current_user(request) is None or auth_disabled():
                    return RedirectResponse(self.login_path, status_code=303)
                html = self.templates.render(request, "logout.html", {"page_title": "Log out"})
                return HTMLResponse(html)
            try:
                await verify(request)
            except CSRFError:  # a forged logout is refused like any other forged post
                return self.error_response(request, 403, "Request refused",
                                           "The form has expired. Reload and try again.")
            target = None
            provider_logout = getattr(self.auth_backend, "logout_url", None)
            if provider_logout is not None:  # end the provider's session too, when it has one
                login_url = str(request.base_url).rstrip("/") + self.login_path
                target = await provider_logout(request, login_url)
            logout_user(request)
            return RedirectResponse(target or self.login_path, status_code=303)

        self.app.add_api_route(self.login_path, login_page, methods=["GET", "POST"],
                               include_in_schema=False)
        self.app.add_api_route(self.url_prefix + "/logout", logout, methods=["GET", "POST"],
                               include_in_schema=False)
        install = getattr(self.auth_backend, "install", None)
        if install is not None:  # a backend's own routes, e.g. an OAuth callback
            install(self)


__all__ = ["Admin"]
