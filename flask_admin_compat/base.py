"""Flask-Admin's ``flask_admin`` module: `Admin`, `BaseView`, `AdminIndexView`, `expose`.

A compat `Admin` wraps a `fasthx_core.Admin`: Flask-Admin views are translated into core views
(one engine), plain `BaseView`s get their ``@expose`` routes, and everything shares one sidebar.
Endpoint names resolve as in Flask-Admin (``url_for("user.index_view")``, ``".edit_view"``).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ._context import current_request
from .helpers import prettify_class_name
from .menu import MenuCategory, MenuLink, MenuView

log = logging.getLogger("flask_admin_compat")

current_view: ContextVar[Any] = ContextVar("fasthx_compat_view", default=None)
_capturing: ContextVar[bool] = ContextVar("fasthx_compat_capture_render", default=False)
_admins: list[Admin] = []


def expose(url: str = "/", methods: Iterable[str] = ("GET",)) -> Callable[[Any], Any]:
    """Make a BaseView method a route under the view's URL (Werkzeug rule syntax)."""

    def wrap(fn: Any) -> Any:
        urls = list(getattr(fn, "_urls", []))
        urls.append((url, tuple(methods)))
        fn._urls = urls
        return fn

    return wrap


def expose_plugview(url: str = "/") -> Callable[[Any], Any]:
    """Expose a Flask pluggable view class: its ``get``/``post``/... methods become routes."""

    def wrap(view_class: Any) -> Any:
        view_class._plugview_url = url
        return view_class

    return wrap


_CONVERTERS = {"int": "int", "float": "float", "path": "path", "string": "str", "uuid": "str",
               "any": "str"}
_RULE_PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def werkzeug_rule_to_path(rule: str) -> str:
    """``/<int:id>/edit/`` -> ``/{id:int}/edit/`` (Starlette's path syntax)."""
    def repl(m: re.Match[str]) -> str:
        conv = _CONVERTERS.get(m.group(1) or "string", "str")
        return "{" + m.group(2) + ("" if conv == "str" else f":{conv}") + "}"

    return _RULE_PART.sub(repl, rule)



def _nav_in_request(core_nav: Callable[..., Any]) -> Callable[..., Any]:
    """The core's sidebar builder, publishing the request while it runs: Flask-Admin's
    ``is_accessible``/``is_visible`` read it (``flask_login.current_user``), and the sidebar is
    also built where no compat route published it (error pages, the login page)."""

    def nav(user: Any = None, request: Request | None = None) -> Any:
        if request is None or current_request.get() is not None:
            return core_nav(user, request)
        token = current_request.set(request)
        try:
            return core_nav(user, request)
        finally:
            current_request.reset(token)

    return nav

@functools.cache
def _exposed_of(cls: type) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(attr, rule, methods) for attr in dir(cls)
            for rule, methods in getattr(getattr(cls, attr, None), "_urls", [])]


class BaseView:
    """A page of the admin with ``@expose`` routes (Flask-Admin's ``BaseView``)."""

    extra_css: list[str] | None = None
    extra_js: list[str] | None = None

    def __init__(self, name: str | None = None, category: str | None = None,
                 endpoint: str | None = None, url: str | None = None,
                 static_folder: str | None = None, static_url_path: str | None = None,
                 menu_class_name: str | None = None, menu_icon_type: str | None = None,
                 menu_icon_value: str | None = None) -> None:
        self.name = name or prettify_class_name(type(self).__name__)
        self.category = category
        self.endpoint = endpoint or type(self).__name__.lower()
        self.url = url
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        self.menu_class_name = menu_class_name
        self.menu_icon_type = menu_icon_type
        self.menu_icon_value = menu_icon_value
        self.admin: Admin | None = None

    # -- Flask-Admin's overridables ----------------------------------------------------
    def is_accessible(self) -> bool:
        return True

    def is_visible(self) -> bool:
        return True

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        from .errors import abort

        abort(403)

    # fasthx extension: only members of these groups (of the admin's logged-in user) may use
    # the view; anyone else gets the login page, or inaccessible_callback (403) when logged in
    allowed_groups: list[str] | None = None

    def _in_allowed_groups(self, login: bool = False) -> bool:
        if not self.allowed_groups:
            return True
        from fasthx_core.auth import get_current_user, user_in_groups

        request = current_request.get()
        user = get_current_user(request) if request is not None else None
        if user is None and login:
            from fasthx_core.guard import LoginRequired

            raise LoginRequired()
        return user_in_groups(user, self.allowed_groups)

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not self._in_allowed_groups(login=True) or not self.is_accessible():
            return self.inaccessible_callback(name, **kwargs)
        return None

    def get_url(self, endpoint: str, **kwargs: Any) -> str:
        return url_for(endpoint, _view=self, **kwargs)

    @property
    def request(self) -> Request | None:
        return current_request.get()

    @property
    def _template_args(self) -> dict[str, Any]:
        """Flask-Admin's extra template arguments of this request (``self._template_args[k] =
        v`` before ``render`` or ``super().index_view()``): kept on the request, so requests
        never see each other's."""
        request = current_request.get()
        if request is None:
            return {}
        args = getattr(request.state, "fx_template_args", None)
        if args is None:
            args = request.state.fx_template_args = {}
        return args

    def render(self, template: str, **kwargs: Any) -> Any:
        """Render a template with Flask-Admin's context (``admin_view``, ``get_url``, ...)."""
        if _capturing.get():  # see `render_arguments`
            return _Captured(kwargs)
        assert self.admin is not None, "the view is not registered with an Admin"
        request = current_request.get()
        ctx = self.admin.template_context(self, request, kwargs)
        return self.admin.core.templates.render(request, template, ctx)

    # -- registration ------------------------------------------------------------------
    def _resolve_url(self, admin: Admin) -> str:
        if self.url is None:
            return f"{admin.url}/{self.endpoint}"
        if self.url.startswith("/"):
            return self.url.rstrip("/") or "/"
        return f"{admin.url}/{self.url}".rstrip("/")

    def _exposed(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(method, rule, HTTP methods) of every ``@expose``d method (found once per class:
        ``url_for`` asks on every call)."""
        return _exposed_of(type(self))

    def _register(self, admin: Admin) -> None:
        self.admin = admin
        self.url = self._resolve_url(admin)
        self._add_exposed_routes(admin)

    def _add_exposed_routes(self, admin: Admin) -> None:
        for attr, rule, methods in self._exposed():
            path = self.url.rstrip("/") + werkzeug_rule_to_path(rule)
            admin.core.app.add_api_route(path, self._route(attr), methods=list(methods),
                                         name=f"{self.endpoint}.{attr}", include_in_schema=False)

    def _route(self, attr: str) -> Callable[..., Any]:
        view = self

        async def handler(request: Request) -> Response:
            return await view._dispatch(request, attr, dict(request.path_params))

        return handler

    async def _dispatch(self, request: Request, attr: str, kwargs: dict[str, Any]) -> Response:
        from .errors import HTTPAbort

        if request.method not in ("GET", "HEAD", "OPTIONS"):
            from fasthx_core.csrf import CSRFError, verify

            try:
                await verify(request)
            except CSRFError:
                return self.admin.core.error_response(  # type: ignore[union-attr]
                    request, 403, "Request refused", "The form has expired. Reload and retry.")
        token_req = current_request.set(request)
        token_view = current_view.set(self)
        try:
            if request.method == "POST":
                await request.form()  # parsed once; user code reads it synchronously
            result = await run_in_threadpool(self._call, attr, kwargs)
        except HTTPAbort as exc:
            return self.admin.core.error_response(  # type: ignore[union-attr]
                request, exc.code, exc.title, exc.description)
        finally:
            current_view.reset(token_view)
            current_request.reset(token_req)
        return to_response(result)

    def _call(self, attr: str, kwargs: dict[str, Any]) -> Any:
        try:
            denied = self._handle_view(attr, **kwargs)
            if denied is not None:
                return denied
            return getattr(self, attr)(**kwargs)
        finally:
            if self.admin is not None:
                self.admin.end_scoped_sessions()


class _Captured(dict):
    """The arguments an overridden ``render`` passed on to ``BaseView.render``."""


def render_arguments(view: BaseView, template: str, kwargs: dict[str, Any]
                     ) -> dict[str, Any] | None:
    """The template arguments a view's own ``render(template, **kwargs)`` override passes on
    to ``super().render``: how the engine's pages (list, forms, details), which do not render
    through the view, honour such an override.  None when the override rendered something
    else itself."""
    token = _capturing.set(True)
    try:
        result = view.render(template, **kwargs)
    finally:
        _capturing.reset(token)
    return dict(result) if isinstance(result, _Captured) else None


def to_response(result: Any) -> Response:
    """What a Flask view may return -> a Starlette response."""
    if isinstance(result, Response):
        return result
    if result is None:
        return HTMLResponse("")
    from .flask_host import flask_make_response, from_werkzeug

    made = flask_make_response(result)  # under the Flask host, Flask's own rules
    if made is not None:
        return from_werkzeug(made)
    if isinstance(result, tuple):
        body, status = result[0], result[1]
        response = to_response(body)
        response.status_code = int(status)
        return response
    if hasattr(result, "status_code") and hasattr(result, "get_data"):  # a Werkzeug response
        return from_werkzeug(result)
    return HTMLResponse(str(result))


def request_form(request: Request | None = None) -> FormData:
    """The POST form of `request` (default: the request being served), read synchronously:
    Flask's ``request.form`` and ``request.files`` in one ``FormData`` (file fields hold
    Starlette ``UploadFile`` objects).

    `BaseView._dispatch` awaits ``request.form()`` before it runs a view method in the
    threadpool, so the parsed form is already cached on the request; for a GET, or a request
    whose form was not parsed, the result is an empty ``FormData``.
    """
    request = request if request is not None else current_request.get()
    form = getattr(request, "_form", None) if request is not None else None
    return form if isinstance(form, FormData) else FormData()


class AdminIndexView(BaseView):
    """The admin's home page (``admin/index.html``)."""

    def __init__(self, name: str | None = None, category: str | None = None,
                 endpoint: str | None = None, url: str | None = None,
                 template: str = "admin/index.html", menu_class_name: str | None = None,
                 menu_icon_type: str | None = None, menu_icon_value: str | None = None) -> None:
        super().__init__(name or "Home", category, endpoint or "admin", url or "/admin",
                         menu_class_name=menu_class_name, menu_icon_type=menu_icon_type,
                         menu_icon_value=menu_icon_value)
        self._template = template

    @expose("/")
    def index(self) -> str:
        return self.render(self._template)


class Admin:
    """Flask-Admin's ``Admin`` on the fasthx engine.

    ``Admin(app)`` accepts a FastAPI app (the native host).  Options that only choose a look
    in Flask-Admin (``template_mode``, ``theme``, ``base_template``'s Bootstrap version) are
    accepted; the pages use Bootstrap 5.
    """

    def __init__(self, app: Any = None, name: str | None = None, url: str | None = None,
                 subdomain: str | None = None, index_view: AdminIndexView | None = None,
                 translations_path: str | None = None, endpoint: str | None = None,
                 static_url_path: str | None = None, base_template: str | None = None,
                 template_mode: str | None = None, category_icon_classes: dict | None = None,
                 theme: Any = None, host: str | None = None,
                 csp_nonce_generator: Callable[[], str] | None = None, **core_options: Any
                 ) -> None:
        self.name = name or "Admin"
        self.url = (url or (index_view.url if index_view and index_view.url else "/admin"))
        self.url = "/" + self.url.strip("/") if self.url.strip("/") else ""
        self.endpoint = endpoint or (index_view.endpoint if index_view else "admin")
        # Flask-Admin 2.x names the master template in the theme (1.x: ``base_template``)
        self.base_template = (base_template or getattr(theme, "base_template", None)
                              or "admin/base.html")
        self.template_mode = template_mode
        self.theme = theme
        self.category_icon_classes = dict(category_icon_classes or {})
        self.index_view = index_view or AdminIndexView(endpoint=self.endpoint, url=self.url)
        self._views: list[BaseView] = []
        self._menu: list[MenuCategory | MenuView | MenuLink] = []
        self._categories: dict[str, MenuCategory] = {}
        self._nav_entries: list[tuple[Any, dict[str, Any]]] | None = None
        self._endpoints: dict[str, BaseView] = {}
        self._core_options = core_options
        self.core: Any = None
        self.app: Any = None
        self.flask_app: Any = None  # set under the Flask host
        _admins.append(self)
        if app is not None:
            self.init_app(app)

    # -- hosting -----------------------------------------------------------------------
    def init_app(self, app: Any, index_view: AdminIndexView | None = None,
                 endpoint: str | None = None, url: str | None = None) -> None:
        if index_view is not None:
            self.index_view = index_view
        if endpoint:
            self.endpoint = endpoint
        if url:
            self.url = "/" + url.strip("/")
        self.app = app
        from pathlib import Path

        from fasthx_core import Admin as CoreAdmin

        compat_templates = Path(__file__).parent / "templates"
        user_dirs = list(self._core_options.pop("template_folders", []) or [])
        options: dict[str, Any] = {"title": self.name, "url_prefix": self.url,
                                   "home_url": (self.url or "") + "/",
                                   "extra_templates_dirs": [*user_dirs, compat_templates]}
        if _is_flask(app):  # the Flask host: our own ASGI app, mounted inside Flask's
            from . import flask_host

            self.flask_app = app
            app = flask_host.install(self, app)
            options.update(static_url=self.url + "/static/fasthx",
                           secret_key=flask_host.secret_key_of(self.flask_app),
                           templates=flask_host.app_templates(self.flask_app))
        options.update(self._core_options)
        self.core = CoreAdmin(app, **options)
        self.core.compat = self
        self.core.link_sources.append(self._core_links)
        if self.flask_app is not None:
            from .flask_host import flask_login_redirect

            self.core.login_redirect = flask_login_redirect
        self.core.get_nav_categories = _nav_in_request(self.core.get_nav_categories)
        from .model_routes import GuardResponse

        async def guard_response(request: Request, exc: Exception) -> Response:
            return exc.response  # type: ignore[attr-defined]

        app.add_exception_handler(GuardResponse, guard_response)
        self.core.templates.env.globals.update(_compat_admin=self)
        app.state.flask_admin_compat = self
        pending = [self.index_view, *self._views]
        self._views = []
        for view in pending:
            if isinstance(view, type):
                self._add_native(view)
            else:
                self._add(view)

    # -- registry ----------------------------------------------------------------------
    def add_view(self, view: Any) -> Any:
        """Add a Flask-Admin view (an instance), or a native `fasthx_core.CRUDView` subclass:
        both share this admin, its sidebar and its session handling, so views can be ported
        one at a time."""
        if self.core is None:
            self._views.append(view)
            return view
        if isinstance(view, type):
            return self._add_native(view)
        self._add(view)
        return view

    def _add_native(self, view_class: type) -> Any:
        from fasthx_core import CRUDView

        if not issubclass(view_class, CRUDView):
            raise TypeError(f"add_view takes a view instance or a CRUDView subclass, "
                            f"not {view_class!r}")
        return self.core.add_view(view_class)

    def add_views(self, *views: BaseView) -> None:
        for view in views:
            self.add_view(view)

    def _add(self, view: BaseView) -> None:
        if view.endpoint in self._endpoints:
            raise ValueError(f"an admin view with endpoint {view.endpoint!r} is already "
                             "registered; give one of them another endpoint=")
        self._endpoints[view.endpoint] = view
        view._register(self)
        if view is not self.index_view:
            self._views.append(view)
        entry = MenuView(view.name, view)
        if view.category:
            self._category(view.category).children.append(entry)
        elif view is not self.index_view:
            self._menu.append(entry)
        self._menu_changed()

    def _category(self, name: str, parent: str | None = None) -> MenuCategory:
        cat = self._categories.get(name)
        if cat is None:
            cat = MenuCategory(name)
            self._categories[name] = cat
            if parent:
                self._category(parent).children.append(cat)
            else:
                self._menu.append(cat)
        return cat

    def add_category(self, name: str, class_name: str | None = None,
                     icon_type: str | None = None, icon_value: str | None = None) -> None:
        cat = self._category(name)
        cat.class_name, cat.icon_type, cat.icon_value = class_name, icon_type, icon_value
        self._menu_changed()

    def add_sub_category(self, name: str, parent_name: str) -> None:
        self._category(name, parent=parent_name)
        self._menu_changed()

    def add_link(self, link: MenuLink) -> None:
        if link.category:
            self._category(link.category).children.append(link)
        else:
            self._menu.append(link)
        self._menu_changed()

    def add_links(self, *links: MenuLink) -> None:
        for link in links:
            self.add_link(link)

    def add_menu_item(self, menu_item: Any, target_category: str | None = None) -> None:
        if target_category:
            self._category(target_category).children.append(menu_item)
        else:
            self._menu.append(menu_item)
        self._menu_changed()

    def end_scoped_sessions(self) -> None:
        """End this thread's scoped sessions (those the views were given), as the
        ``teardown_appcontext`` of a Flask app with a plain ``scoped_session`` does: an
        ``@expose`` page that queried through one keeps no transaction or pooled connection
        open after the request.  Runs in the thread that served the page."""
        for source in _scoped_sessions([self.index_view, *self._views]):
            source.remove()

    def menu(self) -> list[Any]:
        return list(self._menu)

    def menu_links(self) -> list[MenuLink]:
        return [m for m in self._menu if isinstance(m, MenuLink)]

    def _menu_changed(self) -> None:
        """The menu changed: its sidebar entries are built again at the next page (once,
        not per page)."""
        self._nav_entries = None

    def _core_links(self) -> list[dict[str, Any]]:
        """The menu as links of the core sidebar (native pages show it too); visibility and
        access are checked per request."""
        return [{**link, "allowed_users": [], "allowed_groups": [],
                 "_visible": entry.is_visible, "_accessible": entry.is_accessible}
                for entry, link in self._menu_entries()]

    def _menu_entries(self) -> list[tuple[Any, dict[str, Any]]]:
        """Each menu entry with a URL and its sidebar link (name, url, display name, icon,
        category), built at the first page after the menu changed, inside that request: a
        ``MenuLink(endpoint="login")`` of a Flask app resolves then, whenever its route was
        defined.  A URL that cannot be built yet leaves the entry out of this page and the
        menu is built again for the next one."""
        entries = self._nav_entries
        if entries is None:  # built whole, then published: a concurrent page sees all or none
            entries, complete = [], True
            for entry, category in self._walk_menu():
                try:
                    url = entry.get_url()
                except Exception as exc:  # e.g. werkzeug's BuildError, no Flask request
                    log.warning("menu entry %r: no URL yet (%s)", entry.name, exc)
                    complete = False
                    continue
                if url:
                    icon = entry.icon_name() or ("house" if entry.is_index(self) else "table")
                    entries.append((entry, {"name": entry.endpoint_name(), "url": url,
                                            "display_name": entry.name, "icon": icon,
                                            "category": category or self.name}))
            if complete:
                self._nav_entries = entries
        return entries

    def _walk_menu(self) -> Iterable[tuple[Any, str | None]]:
        def walk(items: list[Any], category: str | None) -> Iterable[tuple[Any, str | None]]:
            for item in items:
                if isinstance(item, MenuCategory):
                    yield from walk(item.children, item.name)
                else:
                    yield item, category

        yield (MenuView(self.index_view.name, self.index_view), None)
        yield from walk(self._menu, None)

    def nav(self, request: Request | None) -> dict[str, list[dict[str, Any]]]:
        """The sidebar: Flask-Admin's menu (visible and accessible entries), then the native
        views of the same core admin for a logged-in user (and open ones, ``login_required =
        False``, for anyone) that are accessible."""
        cats: dict[str, list[dict[str, Any]]] = {}
        for entry, link in self._menu_entries():
            if entry.is_visible() and entry.is_accessible():
                cats.setdefault(link["category"], []).append(link)
        if request is not None and self.core is not None:
            from fasthx_core.auth import get_current_user

            user = get_current_user(request)
            for view in self.core.views.values():
                if (user is not None or not getattr(view, "login_required", True)) and \
                        not getattr(view, "shown_by_link", False) and \
                        view.is_accessible(request, user):
                    cats.setdefault(view.category, []).append(view.get_nav_info())
        return cats

    # -- templates and URLs --------------------------------------------------------------
    def template_context(self, view: BaseView, request: Request | None,
                         extra: dict[str, Any]) -> dict[str, Any]:
        from .babel import gettext, ngettext
        from .list_links import CellOpenings, RowHtml, blocks_overridden

        def get_url(endpoint: str, **kw: Any) -> str:
            return url_for(endpoint, _view=view, **kw)

        ctx: dict[str, Any] = {
            "admin_view": view, "admin_base_template": self.base_template,
            "get_url": get_url, "url_for": get_url,
            # the list page: row markup rendered once per render, filled in per row
            "fx_row_html": RowHtml, "fx_cell_openings": CellOpenings,
            "fx_blocks_overridden": blocks_overridden,
            "h": _TemplateHelpers(self, view), "_gettext": gettext, "_ngettext": ngettext,
            "admin": self.core, "compat_admin": self, "active_page": view.endpoint,
            "nav_categories": self.nav(request),
            "return_url": (request.url.path + (f"?{request.url.query}" if request
                                               and request.url.query else "")) if request
            else None,
        }
        if self.flask_app is not None:
            from .flask_host import flask_template_context

            for key, value in flask_template_context().items():
                ctx.setdefault(key, value)
        ctx.update(extra)
        if request is not None:  # the view's ``_template_args`` win, as in Flask-Admin
            ctx.update(getattr(request.state, "fx_template_args", None) or {})
        return ctx

    def url_for(self, endpoint: str, _view: BaseView | None = None, **values: Any) -> str:
        """Flask-Admin endpoint names -> URLs: ``"user.index_view"``, ``".edit_view"``,
        ``"admin.index"``; extra values become query parameters."""
        values = {k: v for k, v in values.items() if v is not None}
        if endpoint.startswith("."):
            view = _view or current_view.get()
            if view is None:
                raise LookupError(f"relative endpoint {endpoint!r} outside a view")
            name, method = view.endpoint, endpoint[1:]
        elif "." in endpoint:
            name, method = endpoint.split(".", 1)
        else:
            name, method = endpoint, "index"
        view = self._endpoints.get(name)
        if view is None:
            raise LookupError(f"no admin endpoint named {endpoint!r}")
        builder = getattr(view, "_build_url", None)
        if builder is not None:
            url = builder(method, values)
            if url is not None:
                return url
        return _exposed_url(view, method, values)


def _scoped_sessions(views: Iterable[BaseView]) -> list[Any]:
    """The distinct scoped_sessions the views were given or keep as attributes (a
    Flask-SQLAlchemy ``db`` counts by its ``db.session``)."""
    from sqlalchemy.orm import scoped_session

    found: dict[int, Any] = {}
    for view in views:
        for value in [getattr(view, "_session_source", None), *vars(view).values()]:
            value = getattr(value, "session", value) if hasattr(value, "Model") else value
            if isinstance(value, scoped_session):
                found[id(value)] = value
    return list(found.values())


def _exposed_url(view: BaseView, method: str, values: dict[str, Any]) -> str:
    """Build the URL of an ``@expose`` method: the first of its rules whose placeholders are
    all given; the other values become the query string (everything URL-encoded)."""
    from urllib.parse import quote

    rules = [rule for attr, rule, _m in view._exposed() if attr == method]
    if not rules:
        raise LookupError(f"{view.endpoint!r} has no exposed method {method!r}")
    for rule in rules:
        placeholders = [m.group(2) for m in _RULE_PART.finditer(rule)]
        if all(p in values for p in placeholders):
            rest = dict(values)

            def fill(m: re.Match[str], rest: dict[str, Any] = rest) -> str:
                safe = "/" if m.group(1) == "path" else ""
                return quote(str(rest.pop(m.group(2))), safe=safe)

            path = _RULE_PART.sub(fill, rule)
            url = (view.url or "").rstrip("/") + path
            return url + ("?" + urlencode(rest, doseq=True) if rest else "")
    raise LookupError(f"{view.endpoint}.{method} needs {placeholders}")


def url_for(endpoint: str, _view: BaseView | None = None, **values: Any) -> str:
    """Resolve an endpoint against the admin serving this request (or the last one made)."""
    admin = None
    request = current_request.get()
    if request is not None:
        admin = getattr(request.app.state, "flask_admin_compat", None)
    if admin is None and _view is not None and _view.admin is not None:
        admin = _view.admin
    if admin is None and _admins:
        admin = _admins[-1]
    if admin is None:
        raise LookupError("no flask_admin_compat.Admin exists")
    try:
        return admin.url_for(endpoint, _view=_view, **values)
    except LookupError:
        if admin.flask_app is None:
            raise
        import flask  # the Flask host: the app's own endpoints (``url_for("login")``)

        return flask.url_for(endpoint, **values)


class _TemplateHelpers:
    """What Flask-Admin templates call as ``h.*``."""

    def __init__(self, admin: Admin, view: BaseView) -> None:
        self._admin, self._view = admin, view

    def get_url(self, endpoint: str, **kwargs: Any) -> str:
        return url_for(endpoint, _view=self._view, **kwargs)

    def is_safe_url(self, target: str) -> bool:
        from .helpers import is_safe_url

        return is_safe_url(target)

    def get_current_view(self) -> BaseView:
        return self._view


def _is_flask(app: Any) -> bool:
    return any(c.__module__.startswith("flask") and c.__name__ == "Flask"
               for c in type(app).__mro__)


__all__ = ["Admin", "AdminIndexView", "BaseView", "expose", "expose_plugview", "url_for"]
