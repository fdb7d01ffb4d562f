"""Every admin response says: no MIME sniffing, no framing by other sites, no Referer to other
sites; the app's own pages outside the admin are left as they are."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from fasthx_core import Admin
from fasthx_core.headers import SECURITY_HEADERS

EXPECTED = {"x-content-type-options": "nosniff", "x-frame-options": "SAMEORIGIN",
            "referrer-policy": "same-origin"}


def test_the_table_says_what_the_suite_expects():
    assert SECURITY_HEADERS == EXPECTED


def test_demo_pages_partials_statics_and_errors_carry_the_headers(demo_app):
    client = demo_app()
    answers = [client.get("/login"), client.get("/static/fasthx/fasthx.js"),
               client.get("/no-such-page"), client.get("/dashboard", follow_redirects=False),
               client.post("/logout", follow_redirects=False)]
    for answer in answers:
        for name, value in EXPECTED.items():
            assert answer.headers.get(name) == value, (answer.url, name)


def test_compat_pages_carry_them(shop_app):
    client = shop_app()
    for url in ("/admin/", "/admin/customer/", "/admin/customer/export/csv/"):
        answer = client.get(url)
        assert answer.headers.get("x-frame-options") == "SAMEORIGIN", url


def test_pages_outside_the_admin_prefix_are_untouched_and_stricter_values_kept():
    app = FastAPI()

    @app.get("/public")
    def public() -> dict:
        return {"ok": True}

    @app.get("/admin/strict")
    def strict() -> object:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("x", headers={"X-Frame-Options": "DENY"})

    Admin(app, url_prefix="/admin")
    client = TestClient(app)
    assert "x-frame-options" not in client.get("/public").headers
    assert client.get("/admin/strict").headers["x-frame-options"] == "DENY"
    assert client.get("/admin/login").headers["x-content-type-options"] == "nosniff"
