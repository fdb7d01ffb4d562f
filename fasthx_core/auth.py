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
from collections.abc import Iterable
from typing import Any, Protocol

from starlette.requests import Request

log = logging.getLogger("fasthx_core.auth")

DEV_USER: dict[str, Any] = {"username": "dev", "name": "Developer", "groups": ["admin"]}
_SESSION_KEY = "user"
_warned = False


class AuthError(Exception):
    """Login refused; the message is safe to show to the user."""


class AuthBackend(Protocol):
    def authenticate(self, username: str, password: str) -> dict[str, Any]:
        """Return the user dict, or raise AuthError."""


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
    if "session" not in request.scope:
        return None
    user = request.session.get(_SESSION_KEY)
    return user if isinstance(user, dict) else None


def login_user(request: Request, user: dict[str, Any]) -> None:
    """Store the user and rotate the CSRF token (a new login is a new session)."""
    request.session.clear()
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
