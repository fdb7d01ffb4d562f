"""Return-to parameters never send the browser to another site or to a script URL.

Every disguise of `BAD_TARGETS` is sent where the admin takes a return target: the login's
``next`` (query and form), the referer of a batch post, and Flask-Admin's ``url`` on the
compat create, edit, details, delete and action routes (plain and htmx).  Wherever the answer
redirects (``Location``, ``HX-Redirect``) or links back (the form's Cancel button, the login's
hidden ``next``), the target is read the way a browser reads it (`browser_host`) and must
stay on this site.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from fasthx_core.redirects import is_local_url

from .apps import csrf_of

BAD_TARGETS = (
    "//evil.test", "https://evil.test/", "http:evil.test", "https:/evil.test", "///evil.test",
    "////evil.test", "/\\evil.test", "\\\\evil.test", "\\/evil.test", "/%2F/evil.test",
    "%2F%2Fevil.test", "/%5Cevil.test", "/%5C%5Cevil.test", "%20javascrip%0at:alert(1)",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " //evil.test", "\t//evil.test",
    "/\t/evil.test", "/%09/evil.test", "/\n/evil.test", "/%0d%0a/evil.test",
    "/\u3000/evil.test", "https://127.0.0.1@evil.test", "data:text/html,<script>alert(1)",
    "vbscript:msgbox(1)", "evil.test", "..//evil.test", "%68ttps://evil.test",
    "java%09script:alert(1)", "\x00//evil.test", "/%00/evil.test",
)


def browser_host(target: str) -> tuple[str, str]:
    """(scheme, host) a browser would go to for `target` in a Location: it drops tabs and
    newlines, trims spaces and control characters, reads ``\\`` as ``/`` and decodes once."""
    text = "".join(c for c in target if c not in "\t\n\r").strip("\x00 \x1f")
    text = text.replace("\\", "/")
    for candidate in (text, unquote(text)):
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or candidate.startswith("//"):
            return parts.scheme, parts.netloc or "?"
    return "", ""


def assert_local(target: str | None, where: str) -> None:
    assert target is not None, where
    assert browser_host(target) == ("", ""), f"{where}: {target!r}"
    assert target.startswith("/"), f"{where}: {target!r}"


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_the_one_check_refuses_every_disguise(target):
    assert not is_local_url(target)


@pytest.mark.parametrize("target", ["/", "/devices?q=a", "/devices/1/edit", "/a//b",
                                    "/admin/user/?url=%2F"])
def test_local_paths_pass(target):
    assert is_local_url(target)


def test_native_login_next_and_batch_referer(native_app):
    client = native_app()
    sent = 0
    for target in BAD_TARGETS:
        page = client.get("/login", params={"next": target}).text
        hidden = re.search(r'name="next" value="([^"]*)"', page).group(1)
        assert_local(hidden, f"login form next={target!r}")
        token = csrf_of(client, "/login")
        out = client.post("/login", data={"username": "alice", "password": "wonderland-7",
                                          "csrf_token": token, "next": target},
                          follow_redirects=False)
        assert out.status_code == 303
        assert_local(out.headers["location"], f"login next={target!r}")
        assert out.headers["location"] == "/"
        token = csrf_of(client, "/logout")
        if not (target.isascii() and target.isprintable()):  # no such header can be sent
            client.post("/logout", data={"csrf_token": token})
            sent += 2
            continue
        batch = client.post("/devices/batch", data={"csrf_token": token, "action": "delete",
                                                    "ids": "999999"},
                            headers={"Referer": target}, follow_redirects=False)
        assert_local(batch.headers["location"], f"batch referer={target!r}")
        batch = client.post("/devices/batch", data={"csrf_token": token, "action": "delete",
                                                    "ids": "999999"},
                            headers={"Referer": "http://testserver" + target},
                            follow_redirects=False)
        assert_local(batch.headers["location"], f"batch referer=testserver{target!r}")
        client.post("/logout", data={"csrf_token": token})
        sent += 4
    print(f"\nnative: {len(BAD_TARGETS)} targets, {sent} requests")


def test_compat_url_parameter(shop_app):
    client = shop_app()
    token = csrf_of(client, "/admin/customer/new/")
    sent = 0
    for target in BAD_TARGETS:
        def check(response: Any, where: str) -> None:
            if response.status_code in (301, 302, 303, 307, 308):
                assert_local(response.headers["location"], where)
            if "HX-Redirect" in response.headers:
                assert_local(response.headers["HX-Redirect"], where)
            for href in re.findall(r'<a class="btn btn-outline-secondary" href="([^"]*)"',
                                   response.text):
                assert_local(href.replace("&amp;", "&"), f"{where} cancel")

        q = {"url": target}
        check(client.get("/admin/customer/edit/", params={**q, "id": "1"}), "edit page")
        check(client.get("/admin/customer/details/", params={**q, "id": "999"}), "details")
        check(client.get("/admin/customer/edit/", params={**q, "id": "999"}), "missing row")
        data = {"csrf_token": token, "name": "Ann Lee", "email": "ann@example.org",
                "country": "DE"}
        check(client.post("/admin/customer/edit/", params={**q, "id": "1"}, data=data,
                          follow_redirects=False), "edit save")
        check(client.post("/admin/customer/edit/", params={**q, "id": "1"}, data=data,
                          headers={"HX-Request": "true"}, follow_redirects=False),
              "htmx edit save")
        check(client.post("/admin/tag/delete/", params=q, data={"csrf_token": token,
                                                                "id": "999"},
                          follow_redirects=False), "delete")
        check(client.post("/admin/product/action/", data={
            "csrf_token": token, "action": "out_of_stock", "rowid": "999", "url": target},
            follow_redirects=False), "action")
        sent += 7
    print(f"\ncompat: {len(BAD_TARGETS)} targets, {sent} requests")
