"""How a browser logs in: the password form, and the authorization-code round trip."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def csrf_token(client: httpx.Client, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def password_login(client: httpx.Client, username: str, password: str,
                   next_url: str = "/auth_notes") -> httpx.Response:
    """Post the admin's own login form (the password grant behind it)."""
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": password, "next": next_url})


def start_code_login(client: httpx.Client, next_url: str = "/auth_notes",
                     prefix: str = "") -> httpx.Response:
    """Click "Sign in with ...": the provider's login form, after the redirect."""
    return client.get(prefix + "/login/oidc?" + urlencode({"next": next_url}))


def code_login(client: httpx.Client, username: str, password: str,
               next_url: str = "/auth_notes", prefix: str = "") -> httpx.Response:
    """The whole round trip: admin -> provider's form -> provider -> callback -> `next_url`
    (`prefix`: the admin's URL prefix, ``/admin`` for a Flask-Admin compat admin)."""
    form_page = start_code_login(client, next_url, prefix)
    assert form_page.status_code == 200, form_page.text
    fields = {unescape(k): unescape(v) for k, v in HIDDEN.findall(form_page.text)}
    fields.update(username=username, password=password)
    return client.post(str(form_page.url.copy_with(query=None)), data=fields)


def logged_in(client: httpx.Client, path: str = "/auth_notes") -> bool:
    response = client.get(path, follow_redirects=False)
    return response.status_code == 200
