"""The Flask host: the admin's ASGI app mounted inside an unchanged Flask application.

``Admin(flask_app)`` builds the admin on a FastAPI app of its own and mounts it into the Flask
WSGI app under the admin URL with a2wsgi (`AdminDispatcher`); every other URL still goes to the
Flask app, which keeps its routes, blueprints, error handlers and session.

Each admin request runs inside the Flask app context and a request context built from the
real incoming WSGI environ (`FlaskContext`), pushed for the whole ASGI request.  Context
variables are copied into the threadpool where user code runs, so ``flask.request``,
``flask.g``, ``flask.session``, ``flask_login.current_user``, Flask-SQLAlchemy's ``db.session``
(scoped to the app context and removed at its teardown), ``flask.url_for`` and ``flask.flash``
behave as under Flask-Admin.  The app's ``before_request`` and ``after_request`` functions run
too (a ``before_request`` that answers ends the request, as in Flask).

Nothing here imports Flask at module level: the module is loaded only for a Flask app.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENVIRON_KEY = "fasthx.flask_environ"
_SPOOL_IN_MEMORY = 1 << 20  # bodies above 1 MiB spill to a temporary file

#: Flask's flash categories -> toast types.
FLASH_CATEGORIES = {"message": "info", "error": "danger", "danger": "danger",
                    "warning": "warning", "success": "success", "info": "info"}


# -- one request body, two readers -------------------------------------------------------------
class SharedBody:
    """A request body read once from the socket and then by two readers: a2wsgi (feeding the
    ASGI app) and Werkzeug (``flask.request.form`` in user code), each at its own offset."""

    def __init__(self, stream: Any, length: int) -> None:
        self._buffer = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (closed by close())
        remaining = length
        while remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            self._buffer.write(chunk)
            remaining -= len(chunk)
        self.length = length - remaining
        self._lock = threading.Lock()

    def reader(self) -> BodyReader:
        return BodyReader(self)

    def read_at(self, offset: int, size: int, line: bool = False) -> bytes:
        with self._lock:
            self._buffer.seek(offset)
            return self._buffer.readline(size) if line else self._buffer.read(size)

    def close(self) -> None:
        self._buffer.close()


class BodyReader:
    """A file-like view of a `SharedBody` with its own position (what WSGI's
    ``wsgi.input`` must offer: ``read``, ``readline``, ``readlines``, iteration)."""

    def __init__(self, body: SharedBody) -> None:
        self._body, self._pos = body, 0

    def read(self, size: int | None = -1) -> bytes:
        left = self._body.length - self._pos
        size = left if size is None or size < 0 else min(size, left)
        data = self._body.read_at(self._pos, size) if size > 0 else b""
        self._pos += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        left = self._body.length - self._pos
        size = left if size is None or size < 0 else min(size, left)
        data = self._body.read_at(self._pos, size, line=True) if size > 0 else b""
        self._pos += len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


# -- WSGI: the admin's URLs go to the ASGI app ---------------------------------------------------
class AdminDispatcher:
    """WSGI middleware: requests under `prefix` go to the admin (through a2wsgi), the rest to
    the Flask app's own ``wsgi_app``.  The body of an admin request is buffered once so the
    Flask request context built for user code can read it too."""

    def __init__(self, flask_wsgi: Callable[..., Any], prefix: str, admin_wsgi: Callable[..., Any]
                 ) -> None:
        self.flask_wsgi, self.prefix, self.admin_wsgi = flask_wsgi, prefix.rstrip("/"), admin_wsgi

    def owns(self, path: str) -> bool:
        return not self.prefix or path == self.prefix or path.startswith(self.prefix + "/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if not self.owns(environ.get("PATH_INFO", "")):
            return self.flask_wsgi(environ, start_response)
        length = _content_length(environ)
        body = SharedBody(environ["wsgi.input"], length)
        environ = dict(environ, CONTENT_LENGTH=str(body.length))
        flask_environ = dict(environ)
        flask_environ["wsgi.input"] = body.reader()
        flask_environ.pop("wsgi.input_terminated", None)
        environ["wsgi.input"] = body.reader()
        environ[ENVIRON_KEY] = flask_environ
        return self._serve(environ, start_response, body)

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any],
               body: SharedBody) -> Iterable[bytes]:
        """Relay the admin's answer.  One of known length is read to its end before its first
        byte goes out, so the request (and its Flask teardown) is over by then, as in Flask;
        a streamed one (an export) flows chunk by chunk."""
        streamed: list[bool] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            streamed.append(not any(k.lower() == "content-length" for k, _ in headers))
            return start_response(status, headers, exc_info)

        chunks = self.admin_wsgi(environ, start)
        held: list[bytes] = []
        try:
            for chunk in chunks:
                if streamed and not streamed[-1]:
                    held.append(chunk)
                    continue
                if held:
                    yield b"".join(held)
                    held = []
                yield chunk
            if held:
                yield b"".join(held)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            body.close()


def _content_length(environ: dict[str, Any]) -> int:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 and environ.get("wsgi.input_terminated"):
        return 1 << 62  # chunked: read to the end of the stream
    return max(length, 0)


# -- ASGI: every admin request inside Flask's contexts ------------------------------------------
class FlaskContext:
    """ASGI middleware around the admin app: pushes the Flask request context for the request,
    runs the app's ``before_request`` functions, applies ``after_request`` (session cookie,
    Flask-Login's remember cookie, extra headers) to the admin's response, and pops the
    context (``teardown_request``/``teardown_appcontext``: Flask-SQLAlchemy's session
    removal) when the response is done."""

    def __init__(self, app: ASGIApp, flask_app: Any) -> None:
        self.app, self.flask_app = app, flask_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        environ = (scope.get("wsgi_environ") or {}).get(ENVIRON_KEY) if scope["type"] == "http" \
            else None
        if environ is None:
            await self.app(scope, receive, send)
            return
        flask_app = self.flask_app
        ctx = flask_app.request_context(environ)
        ctx.push()
        error: BaseException | None = None
        try:
            early = await run_in_threadpool(flask_app.preprocess_request)
            if early is not None:
                await _send_flask_response(flask_app, flask_app.make_response(early), scope,
                                           receive, send)
                return
            await self.app(scope, receive, self._after_request(send))
        except BaseException as exc:
            error = exc
            raise
        finally:
            _pop(ctx, error if isinstance(error, Exception) else None)

    def _after_request(self, send: Send) -> Send:
        flask_app = self.flask_app

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = await run_in_threadpool(_apply_after_request, flask_app, message)
            await send(message)

        return wrapped


def _pop(ctx: Any, error: Exception | None) -> None:
    """End the request context: teardown functions, then the context variables.  A response
    the client stopped reading is closed later from another context; the context is then
    pushed there once more so the teardown (Flask-SQLAlchemy's session removal) still runs."""
    from flask.globals import _cv_request

    if _cv_request.get(None) is not ctx:
        ctx.push()
    ctx.pop(error)


_STAND_IN_SKIP = {"content-type", "content-length"}


def _apply_after_request(flask_app: Any, message: Message) -> Message:
    """Run Flask's ``process_response`` on a stand-in response with the admin's status, then
    carry what it added (cookies, headers) over to the admin's response."""
    stand_in = flask_app.response_class(status=message["status"])
    before = {(k.lower(), v) for k, v in stand_in.headers.items()}
    stand_in = flask_app.process_response(stand_in)
    headers = list(message.get("headers", []))
    for name, value in stand_in.headers.items():
        if name.lower() in _STAND_IN_SKIP or (name.lower(), value) in before:
            continue
        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    return {**message, "headers": headers}


async def _send_flask_response(flask_app: Any, response: Any, scope: Scope, receive: Receive,
                               send: Send) -> None:
    response = flask_app.process_response(response)
    await from_werkzeug(response)(scope, receive, send)


def from_werkzeug(response: Any) -> Response:
    """A Werkzeug/Flask response -> a Starlette one, every header kept (repeated Set-Cookie
    too)."""
    out = Response(response.get_data(), status_code=response.status_code)
    out.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                       for k, v in response.headers.items()]
    return out


# -- the pieces Flask-Admin code reaches for -------------------------------------------------
def active_flask_app() -> Any:
    """The Flask app whose request context is pushed: None outside a Flask request (the
    FastAPI host), or when Flask is not even loaded."""
    import sys

    if "flask" not in sys.modules:
        return None
    from flask import current_app, has_request_context

    return current_app._get_current_object() if has_request_context() else None


def flask_flashes(request: Request) -> list[dict[str, Any]]:
    """Drain ``flask.flash`` messages as toasts (a flash source of `fasthx_core.toasts`)."""
    if active_flask_app() is None:
        return []
    from flask import get_flashed_messages

    from fasthx_core.toasts import toast_payload

    return [toast_payload(str(message), FLASH_CATEGORIES.get(category, "info"))
            for category, message in get_flashed_messages(with_categories=True)]


def flask_login_user(request: Request) -> dict[str, Any] | None:
    """Flask-Login's ``current_user`` as the admin's user dict (a user source of
    `fasthx_core.auth`), so native views and ``allowed_groups`` accept users who logged in
    through the Flask app.  Groups come from a ``groups`` attribute (names or objects) or
    ``roles``, when the user model has one."""
    import sys

    if "flask_login" not in sys.modules or active_flask_app() is None:
        return None
    from flask_login import current_user

    if not getattr(current_user, "is_authenticated", False):
        return None
    groups = getattr(current_user, "groups", None) or getattr(current_user, "roles", None) or []
    username = getattr(current_user, "username", None) or current_user.get_id()
    return {"username": str(username), "name": str(current_user),
            "groups": [str(getattr(g, "name", g)) for g in groups]}


def flask_login_redirect(request: Request, target: str) -> str | None:
    """Where a logged-out visitor of a native view goes: Flask-Login's ``login_view`` with
    ``next``, when the app has one (None: the admin's own login page)."""
    app = active_flask_app()
    manager = getattr(app, "login_manager", None) if app is not None else None
    view = getattr(manager, "login_view", None)
    if not view:
        return None
    from flask import url_for

    return url_for(view, next=target)


def flask_make_response(result: Any) -> Any:
    """What a Flask view may return (str, tuple, dict, Response) made into a Werkzeug response
    by the active Flask app, as Flask itself does; None outside a Flask request."""
    app = active_flask_app()
    return app.make_response(result) if app is not None else None


def flask_template_context() -> dict[str, Any]:
    """What a Flask template sees besides its own arguments: ``config``, ``g``, ``session``,
    ``get_flashed_messages`` and the app's context processors (Flask-Login's
    ``current_user``).  Empty outside a Flask request."""
    app = active_flask_app()
    if app is None:
        return {}
    from flask import get_flashed_messages

    ctx: dict[str, Any] = {}
    app.update_template_context(ctx)
    ctx.pop("request", None)  # admin templates read the Starlette request
    ctx.setdefault("config", app.config)
    ctx["get_flashed_messages"] = get_flashed_messages
    return ctx


def install(admin: Any, flask_app: Any) -> Any:
    """Make the FastAPI app `admin` is built on, and mount it into `flask_app`.

    Returns the FastAPI app.  The Flask app gets: its ``wsgi_app`` wrapped by
    `AdminDispatcher`, a URL-build handler so ``flask.url_for("user.index_view")`` builds
    admin URLs, and ``app.extensions["admin"]`` listing its admins (as Flask-Admin does).
    """
    from a2wsgi import ASGIMiddleware
    from fastapi import FastAPI
    from werkzeug.exceptions import HTTPException

    from fasthx_core.auth import add_user_source
    from fasthx_core.toasts import add_flash_source

    asgi = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    async def werkzeug_error(request: Request, exc: Exception) -> Response:
        return answer_http_exception(admin, request, exc)

    asgi.add_exception_handler(HTTPException, werkzeug_error)
    add_flash_source(flask_flashes)
    add_user_source(flask_login_user)
    flask_app.wsgi_app = AdminDispatcher(flask_app.wsgi_app, admin.url,
                                         ASGIMiddleware(FlaskContext(asgi, flask_app)))

    def build_admin_url(error: Exception, endpoint: str, values: dict[str, Any]) -> str | None:
        anchor = values.pop("_anchor", None)
        external = values.pop("_external", None)
        for key in ("_method", "_scheme"):
            values.pop(key, None)
        url = _admin_url(admin, endpoint, values)
        if url is None:
            return None
        if external:
            from flask import has_request_context, request

            root = request.host_url.rstrip("/") if has_request_context() else ""
            url = root + url
        return url + (f"#{anchor}" if anchor else "")

    flask_app.url_build_error_handlers.append(build_admin_url)
    flask_app.extensions.setdefault("admin", []).append(admin)
    return asgi


def _admin_url(admin: Any, endpoint: str, values: dict[str, Any]) -> str | None:
    """An admin endpoint's URL, or None.  Flask turns ``url_for(".index")`` into ``"index"``
    when the request has no blueprint (admin requests have none), so inside a view a bare
    name is first tried relative to it."""
    from .base import current_view

    names = [endpoint]
    if "." not in endpoint and current_view.get() is not None:
        names.insert(0, "." + endpoint)
    for name in names:
        try:
            return admin.url_for(name, **values)
        except LookupError:
            continue
    return None


def answer_http_exception(admin: Any, request: Request, exc: Any) -> Response:
    """``abort(...)`` in user code: the Flask app's own error handler answers when it has one
    (``@app.errorhandler(403)``), else the admin's error page with the exception's text."""
    app = active_flask_app()
    if getattr(exc, "response", None) is not None:
        return from_werkzeug(exc.response)
    if app is not None:
        rv = app.handle_http_exception(exc)
        if rv is not exc:
            return from_werkzeug(app.make_response(rv))
    return admin.core.error_response(request, exc.code or 500, exc.name, exc.description or "")


def secret_key_of(flask_app: Any) -> str | None:
    key = flask_app.secret_key or flask_app.config.get("SECRET_KEY")
    return str(key) if key else None


def app_templates(flask_app: Any) -> Any:
    """Templates found through the Flask app's loader (its folder, then its blueprints'),
    searched before the compat templates so a team's ``admin/index.html`` override wins."""
    import jinja2
    from starlette.templating import Jinja2Templates

    return Jinja2Templates(env=jinja2.Environment(loader=flask_app.create_global_jinja_loader(),
                                                  autoescape=True))
