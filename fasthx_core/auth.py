"""Who is logged in, and whether they may see a page.

The user lives in the signed session cookie as a small dict (``username``, ``name``,
``groups``).  ``AUTH_DISABLED=1`` replaces it with a development user and logs a warning.
How a user logs in is an `AuthBackend`: the admin ships a password backend for a static user
table (demo, tests) and accepts any object with ``authenticate(username, password)``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from starlette.requests import Request

log = logging.getLogger("fasthx_core.auth")

DEV_USER: dict[str, Any] = {"username": "dev", "name": "Developer", "groups": ["admin"]}
_SESSION_KEY = "user"
_warned = False

#: Where else a logged-in user may be found when the admin's session has none: a host's own
#: login (Flask-Login under the Flask host).  Each returns a user dict or None.
UserSource = Callable[[Request], "dict[str, Any] | None"]
_user_sources: list[UserSource] = []


def add_user_source(source: UserSource) -> None:
    """Accept the users `source` reports as logged in (after the admin's own session)."""
    if source not in _user_sources:
        _user_sources.append(source)


class AuthError(Exception):
    """Login refused; the message is safe to show to the user.

    ``status`` is the HTTP status of the page that shows it: 401 for bad credentials, 403 for
    a user outside the allowed groups, 400 for a broken login round trip, 502 when the
    identity provider cannot be reached or answers nonsense."""

    def __init__(self, message: str = "Login failed.", status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class AuthBackend(Protocol):
    """How users log in.  Only `authenticate` is required; a backend may also offer
    ``on_login(request, user)`` (called after the user is stored in the session),
    ``refresh_session(request, user)`` (async, on every guarded request: return the user,
    possibly updated, or None to end the session), ``logout_url(request, return_to)`` (async:
    where to send the browser after a local logout, e.g. the provider's end-session page, or
    None), ``login_options(request, next_url)`` (``[{"label", "url"}]``: extra sign-in buttons
    of the login page), ``password_login`` (False hides the password form) and
    ``install(admin)`` (add its own routes, e.g. an OAuth callback).  `fasthx_core.oidc`'s
    `OIDCBackend` has them all."""

    def authenticate(self, username: str, password: str) -> dict[str, Any]:
        """Return the user dict, or raise AuthError."""


def env_list(name: str) -> list[str]:
    """A comma separated environment variable as a list of non-empty, stripped items."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def check_allowed_groups(user: dict[str, Any], allowed: Iterable[str] | None) -> None:
    """Refuse a user in none of `allowed` (no restriction when `allowed` is empty)."""
    allowed = list(allowed or [])
    if allowed and not user_in_groups(user, allowed):
        raise AuthError(f"The account {user.get('username', '')!r} is not a member of a group "
                        "allowed to use this admin. Ask an administrator for access.", 403)


def auth_disabled() -> bool:
    return os.environ.get("AUTH_DISABLED", "").strip().lower() in ("1", "true", "yes", "on")


def get_current_user(request: Request) -> dict[str, Any] | None:
    """The logged-in user, the dev user when AUTH_DISABLED is set, else None."""
    global _warned
    if auth_disabled():
        if not _warned:
            log.warning("AUTH_DISABLED is set: every request is served as the dev user")
            _warned = True
        return dict(DEV_USER)
    user = request.session.get(_SESSION_KEY) if "session" in request.scope else None
    if isinstance(user, dict):
        return user
    for source in _user_sources:
        found = source(request)
        if found is not None:
            return found
    return None


def login_user(request: Request, user: dict[str, Any]) -> None:
    """Start a new session for `user`: everything else in the session goes, the CSRF token
    with it (a login is a new session, against session fixation)."""
    request.session.clear()
    store_user(request, user)


def store_user(request: Request, user: dict[str, Any]) -> None:
    """Put `user` into the current session, keeping the rest of it (tokens, CSRF): for a
    refreshed identity inside a session that goes on."""
    request.session[_SESSION_KEY] = {
        "username": str(user.get("username", "")),
        "name": str(user.get("name") or user.get("username", "")),
        "groups": [str(g) for g in user.get("groups", [])],
    }


def logout_user(request: Request) -> None:
    request.session.clear()


def user_in_groups(user: dict[str, Any] | None, groups: Iterable[str] | None,
                   users: Iterable[str] | None = None) -> bool:
    """True when no restriction is set, or the user is named or shares a group."""
    if user is None:
        return False
    if not groups and not users:
        return True
    if users and user.get("username") in set(users):
        return True
    if groups:
        mine = {g.strip("/") for g in user.get("groups", [])}
        return bool(mine & {g.strip("/") for g in groups})
    return False


def hash_password(password: str, salt: str | None = None) -> str:
    """PBKDF2-SHA256, ``pbkdf2$<iterations>$<salt>$<hex>``."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 200_000)
    return f"pbkdf2$200000${salt}${digest.hex()}"


def check_password(password: str, hashed: str) -> bool:
    try:
        _scheme, iterations, salt, hexdigest = hashed.split("$")
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(digest.hex(), hexdigest)


class StaticUsersBackend:
    """Users given in code: ``{"alice": {"password_hash": ..., "groups": [...]}}``."""

    def __init__(self, users: dict[str, dict[str, Any]]) -> None:
        self.users = users

    def authenticate(self, username: str, password: str) -> dict[str, Any]:
        record = self.users.get(username)
        if record is None or not check_password(password, record.get("password_hash", "")):
            raise AuthError("Invalid username or password.")
        return {"username": username, "name": record.get("name", username),
                "groups": list(record.get("groups", []))}
