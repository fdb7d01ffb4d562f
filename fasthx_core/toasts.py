"""Toasts: short messages shown bottom-right.

Over HTMX a toast travels in the ``HX-Trigger`` header as ``{"showToast": {...}}``; across a
redirect (or for a plain form post) it is kept in the signed session and shown on the next
page.  ``showToast({message, type, title})`` shows one from JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

TOAST_TYPES = ("success", "danger", "warning", "info")
_SESSION_KEY = "_toasts"

#: Other places messages wait in (a host framework's own flash store, e.g. ``flask.flash``
#: under the Flask host): each takes the request and returns its pending toasts, removed.
FlashSource = Callable[[Request], list[dict[str, Any]]]
_flash_sources: list[FlashSource] = []


def add_flash_source(source: FlashSource) -> None:
    """Show the messages `source` holds wherever the admin shows flashed toasts."""
    if source not in _flash_sources:
        _flash_sources.append(source)


def toast_payload(message: str, type: str = "info", title: str | None = None) -> dict[str, Any]:
    if type not in TOAST_TYPES:
        type = "info"
    payload: dict[str, Any] = {"message": str(message), "type": type}
    if title:
        payload["title"] = str(title)
    return payload


def add_trigger(response: Response, event: str, detail: Any) -> Response:
    """Merge an event into the response's HX-Trigger header."""
    current = response.headers.get("HX-Trigger")
    events: dict[str, Any] = {}
    if current:
        try:
            events = json.loads(current)
        except ValueError:
            events = {name.strip(): None for name in current.split(",")}
    events[event] = detail
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def flash(request: Request, message: str, type: str = "info", title: str | None = None) -> None:
    """Keep a toast for the next full page this session renders."""
    if "session" not in request.scope:
        return
    pending = list(request.session.get(_SESSION_KEY, []))[-9:]
    pending.append(toast_payload(message, type, title))
    request.session[_SESSION_KEY] = pending


def pop_flashes(request: Request) -> list[dict[str, Any]]:
    """The toasts waiting for this session (and in the registered flash sources), removed."""
    pending: list[dict[str, Any]] = []
    if "session" in request.scope:
        pending = list(request.session.pop(_SESSION_KEY, []) or [])
    for source in _flash_sources:
        pending.extend(source(request))
    return pending


def toast_response(message: str | None = None, type: str = "info", title: str | None = None,
                   redirect: str | None = None, status_code: int = 200,
                   request: Request | None = None, refresh: bool = False,
                   content: str = "") -> HTMLResponse:
    """An HTMX answer that shows a toast.

    With ``redirect`` the browser navigates (``HX-Redirect``) and the toast is kept in the
    session (when ``request`` is given) so it shows on the next page.  With ``refresh=True``
    the list the request came from reloads its rows (``refreshList`` event).
    """
    response = HTMLResponse(content, status_code=status_code)
    if redirect:
        response.headers["HX-Redirect"] = redirect
        if message and request is not None:
            flash(request, message, type, title)
            return response
    if message:
        add_trigger(response, "showToast", toast_payload(message, type, title))
    if refresh:
        add_trigger(response, "refreshList", True)
    return response
