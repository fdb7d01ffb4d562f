"""Every state-changing route refuses a request without this session's CSRF token.

The routes are walked from ``app.routes`` (every POST/PUT/PATCH/DELETE of the native app, the
demo and the legacy shop, FileAdmin and login/logout included).  A logged-in user's browser
is tricked into posting: with no token, a made-up token, or the token of another session
(another user's, from a page they loaded), as a plain form and as htmx.  Each is refused
with 403 and the database (and the shop's upload folder) is unchanged.  Then the same posts
with the session's own token pass the CSRF gate, so the refusals are the token's doing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fasthx_core import get_engine

from .apps import BACKEND, csrf_of, login
from .snapshot import snapshot
from .test_routes import FORM, demo_fill, native_fill, shop_probes
from .walker import Probe, enumerate_routes

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_BUT_GUARDED = {"/login", "/logout", "/admin/login", "/admin/logout"}


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


def forged_variants(own: str, foreign: str) -> list[tuple[str, dict, dict]]:
    """(name, extra form fields, headers) of each forgery."""
    hx = {"HX-Request": "true"}
    return [
        ("form without token", {}, {}),
        ("form with a made-up token", {"csrf_token": "x" * 43}, {}),
        ("form with another session's token", {"csrf_token": foreign}, {}),
        ("htmx without header", {}, hx),
        ("htmx with a made-up header", {}, {**hx, "X-CSRF-Token": own[::-1]}),
        ("htmx with another session's token", {"csrf_token": foreign},
         {**hx, "X-CSRF-Token": foreign}),
        ("empty header, token in form of another session", {"csrf_token": foreign},
         {**hx, "X-CSRF-Token": ""}),
    ]


def attack(client: Any, probes: list[Probe], own: str, foreign: str) -> int:
    sent = 0
    for probe in probes:
        for name, fields, headers in forged_variants(own, foreign):
            response = client.request(probe.method, probe.url, data={**FORM, **fields},
                                      headers=headers, follow_redirects=False)
            assert response.status_code == 403, (str(probe), name, response.status_code)
            sent += 1
    return sent


def pass_the_gate(client: Any, probes: list[Probe], own: str) -> None:
    """With the session's own token no route answers the CSRF refusal."""
    for probe in probes:
        response = client.request(probe.method, probe.url, data={**FORM, "csrf_token": own},
                                  headers={"X-CSRF-Token": own}, follow_redirects=False)
        refused = response.status_code == 403 and (
            "Request refused" in response.text or "expired" in response.text)
        assert not refused, str(probe)


def posts(probes: list[Probe]) -> list[Probe]:
    return [p for p in probes if p.method in STATE_CHANGING]


def foreign_token(app: Any, login_path: str, username: str = "alice") -> str:
    from fastapi.testclient import TestClient

    with TestClient(app) as other:
        login(other, username, login_path)
        return csrf_of(other, login_path.replace("login", "logout"))


def test_native_app(native_app):
    client = native_app()
    probes, _, _ = enumerate_routes(client.app, native_fill(client), {})
    targets = posts(probes)
    assert len(targets) >= 5 * 9 + 3 and {p.template for p in targets} >= PUBLIC_BUT_GUARDED & {
        "/login", "/logout"}
    login(client, "alice")
    own, foreign = csrf_of(client, "/logout"), foreign_token(client.app, "/login")
    before = snapshot(client.engine)
    sent = attack(client, [p for p in targets if p.template != "/login"], own, foreign)
    assert snapshot(client.engine) == before
    assert client.get("/devices", follow_redirects=False).status_code == 200  # still in
    pass_the_gate(client, [p for p in targets if p.template not in PUBLIC_BUT_GUARDED], own)
    print(f"\nnative app: {len(targets)} state-changing routes, {sent} forged requests")


def test_demo(demo_app):
    client = demo_app()
    probes, _, _ = enumerate_routes(client.app, demo_fill(client), {})
    targets = [p for p in posts(probes) if p.template != "/login"]
    assert len(targets) >= 5 * 4
    _demo_login(client)
    own = csrf_of(client, "/logout")
    from fastapi.testclient import TestClient

    with TestClient(client.app) as other:
        _demo_login(other)
        foreign = csrf_of(other, "/logout")
    engine = get_engine()  # the demo binds its views with init_db
    before = snapshot(engine)
    sent = attack(client, targets, own, foreign)
    assert snapshot(engine) == before
    print(f"\ndemo: {len(targets)} state-changing routes, {sent} forged requests")


def _demo_login(client: Any) -> None:
    from ..core.test_demo import demo_module

    token = csrf_of(client, "/login")
    response = client.post("/login", data={"username": "admin", "csrf_token": token,
                                           "password": demo_module("app").demo_password()},
                           follow_redirects=False)
    assert response.status_code == 303


def test_legacy_shop_and_its_file_admin(shop_app, tmp_path: Path):
    client = shop_app()
    client.app.state.flask_admin_compat.core.auth_backend = BACKEND
    targets = [p for p in posts(shop_probes(client)) if p.template != "/admin/login"]
    assert len(targets) >= 6 * 5 + 6  # six posts per model view, FileAdmin forms
    login(client, "alice", "/admin/login")
    own = csrf_of(client, "/admin/logout")
    foreign = foreign_token(client.app, "/admin/login")
    uploads = tmp_path / "uploads"
    files_before = sorted((p.name, p.read_bytes()) for p in uploads.rglob("*") if p.is_file())
    engine = client.app.state.flask_admin_compat._views[0].session.get_bind()
    before = snapshot(engine)
    sent = attack(client, targets, own, foreign)
    assert snapshot(engine) == before
    assert sorted((p.name, p.read_bytes()) for p in uploads.rglob("*") if p.is_file()) == \
        files_before
    print(f"\nlegacy shop: {len(targets)} state-changing routes, {sent} forged requests")
