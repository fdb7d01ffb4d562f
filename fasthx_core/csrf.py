"""CSRF protection: one random token per session, required on every state-changing request.

Forms carry it as the ``csrf_token`` field; HTMX requests carry it in the ``X-CSRF-Token``
header (set once on ``<body hx-headers=...>``).  Comparison is constant-time.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
_SESSION_KEY = "_csrf"


class CSRFError(Exception):
    """The request changes state and carries no valid token (answered with 403)."""


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    if "session" not in request.scope:
        return ""
    token = request.session.get(_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


async def verify(request: Request) -> None:
    """Raise CSRFError unless a safe method or a matching token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(_SESSION_KEY) if "session" in request.scope else None
    sent = request.headers.get(HEADER_NAME)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FIELD_NAME)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        raise CSRFError("CSRF token missing or invalid")
