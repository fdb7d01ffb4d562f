"""Secure by default: CSRF on every state change, escaping everywhere, login with safe
redirects, a signed HttpOnly session cookie, and one access check on every route.  Nothing
here depends on the database: SQLite only."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from starlette.requests import Request

import fasthx_core.auth
from fasthx_core import StaticUsersBackend, hash_password

from .models import Customer, Device
from .support import CustomerView, RoutesDeviceView, csrf_from, htmx_headers

PASSWORDS = {"alice": "wonderland", "bob": "builder"}
USERS = StaticUsersBackend({
    "alice": {"password_hash": hash_password(PASSWORDS["alice"]), "name": "Alice Admin",
              "groups": ["admin"]},
    "bob": {"password_hash": hash_password(PASSWORDS["bob"]), "name": "Bob Support",
            "groups": ["support"]},
})


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


class AdminOnlyDeviceView(RoutesDeviceView):
    allowed_groups = ["admin"]


def login(client, username: str, password: str, next_url: str | None = None):
    """Log in through the login form, as a browser would."""
    token = csrf_from(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def auth_app(make_app, monkeypatch):
    """An app with real logins (AUTH_DISABLED unset) and two users."""
    monkeypatch.delenv("AUTH_DISABLED")

    def factory(*views, **kwargs):
        client = make_app(*views, auth_backend=USERS, **kwargs)
        client.fleet = client.seed()
        return client

    return factory


# --- CSRF ----------------------------------------------------------------------------------

def state_changing_routes(fleet) -> list[tuple[str, dict]]:
    device = fleet.devices["globex-core"].id
    customer = fleet.customers["Globex"].id
    return [
        ("/devices/create", {"hostname": "forged", "customer_id": str(customer)}),
        (f"/devices/{device}/edit", {"hostname": "forged", "customer_id": str(customer)}),
        (f"/devices/{device}/delete", {}),
        ("/devices/batch", {"action": "delete", "ids": str(device)}),
        (f"/devices/{device}/reboot", {}),
    ]


def assert_nothing_changed(client) -> None:
    with client.db() as db:
        hostnames = set(db.scalars(select(Device.hostname)))
        descriptions = set(db.scalars(select(Device.description)))
    assert "forged" not in hostnames and "globex-core" in hostnames and len(hostnames) == 5
    assert "rebooted" not in descriptions


@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["missing", "wrong"])
def test_form_posts_without_a_valid_token_are_refused(make_app, token) -> None:
    client = make_app(RoutesDeviceView)
    fleet = client.seed()
    client.csrf_token()  # the session has a token; the forged posts do not send it
    for url, data in state_changing_routes(fleet):
        if token:
            data = {**data, "csrf_token": token}
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, url
        assert "Request refused" in response.text
    assert_nothing_changed(client)


@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["missing", "wrong"])
def test_htmx_posts_without_a_valid_header_are_refused(make_app, token) -> None:
    client = make_app(RoutesDeviceView)
    fleet = client.seed()
    real = client.csrf_token()
    for url, data in state_changing_routes(fleet):
        response = client.post(url, data={**data, "csrf_token": real if token else ""},
                               headers=htmx_headers(token), follow_redirects=False)
        assert response.status_code == 403, url
        toast = json.loads(response.headers["HX-Trigger"])["showToast"]
        assert toast["type"] == "danger" and toast["title"] == "Request refused"
    assert_nothing_changed(client)


def test_json_posts_need_the_header_too(make_app) -> None:
    client = make_app(RoutesDeviceView)
    fleet = client.seed()
    client.csrf_token()
    response = client.post("/devices/batch", json={"action": "delete",
                                                   "ids": str(fleet.devices["globex-core"].id)})
    assert response.status_code == 403
    assert_nothing_changed(client)


def test_the_same_posts_with_the_token_go_through(make_app) -> None:
    client = make_app(RoutesDeviceView)
    fleet = client.seed()
    device = fleet.devices["globex-core"].id
    assert client.submit(f"/devices/{device}/reboot", htmx=True).status_code == 200
    assert client.submit(f"/devices/{device}/delete").status_code == 303


def test_logout_without_a_token_is_refused_and_keeps_the_session(auth_app) -> None:
    client = auth_app(CustomerView)
    login(client, "alice", PASSWORDS["alice"])
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert client.get("/customers", follow_redirects=False).status_code == 200
    token = client.csrf_token(fresh=True)
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/customers", follow_redirects=False).status_code == 303


def test_get_logout_only_asks_and_never_logs_out(auth_app) -> None:
    client = auth_app(CustomerView)
    login(client, "alice", PASSWORDS["alice"])
    page = client.get("/logout")
    assert page.status_code == 200 and 'action="/logout"' in page.text
    assert client.get("/customers", follow_redirects=False).status_code == 200


def test_login_post_needs_the_token(auth_app) -> None:
    client = auth_app(CustomerView)
    response = client.post("/login", data={"username": "alice",
                                           "password": PASSWORDS["alice"]})
    assert response.status_code == 403
    assert client.get("/customers", follow_redirects=False).status_code == 303


# --- escaping ------------------------------------------------------------------------------

XSS = "<script>alert('x')</script>"


def assert_escaped(text: str) -> None:
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text or "\\u003cscript\\u003e" in text


def test_script_values_are_escaped_in_list_detail_form_and_ajax(make_app) -> None:
    client = make_app(CustomerView, RoutesDeviceView)
    fleet = client.seed()
    with client.db() as db:
        evil = Customer(name=XSS, notes=XSS)
        db.add(evil)
        db.flush()
        db.get(Device, fleet.devices["globex-core"].id).customer_id = evil.id
        db.commit()
    assert_escaped(client.get("/customers").text)
    assert_escaped(client.get(f"/customers/{evil.id}").text)
    edit = client.get(f"/customers/{evil.id}/edit").text
    assert_escaped(edit)
    assert 'value="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"' in edit
    assert_escaped(client.get("/devices").text)  # the related row's label
    device_form = client.get(f"/devices/{fleet.devices['globex-core'].id}/edit").text
    assert_escaped(device_form)  # the ajax box shows the current label
    ajax = client.get("/devices/ajax/customer_id", params={"q": "script"}).text
    assert_escaped(ajax)
    assert 'data-label="&lt;script&gt;' in ajax


def test_script_values_are_escaped_in_toasts(make_app) -> None:
    client = make_app(CustomerView)
    with client.db() as db:
        db.add(Customer(name=XSS))
        db.commit()
        cid = db.scalars(select(Customer.id)).one()
    assert client.submit(f"/customers/{cid}/delete").status_code == 303
    page = client.get("/customers").text
    toasts = re.search(r"data-toasts='([^']*)'", page).group(1)
    assert "\\u003cscript\\u003e" in toasts and "<script>alert" not in page


def test_reflected_parameters_are_escaped(make_app) -> None:
    client = make_app(CustomerView)
    page = client.get("/customers", params={"q": XSS, "sort": XSS,
                                            "flt_name_equals": XSS}).text
    assert_escaped(page)


def test_validation_errors_echo_input_escaped(make_app) -> None:
    client = make_app(CustomerView)
    response = client.submit("/customers/create", {"name": XSS * 10})  # too long
    assert response.status_code == 422
    assert_escaped(response.text)


# --- login, redirects and the session cookie -----------------------------------------------

def test_anonymous_users_are_sent_to_the_login_page(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    response = client.get("/devices?q=acme", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdevices%3Fq%3Dacme"
    hx = client.get("/devices", headers=htmx_headers(target="list-results"))
    assert hx.status_code == 401
    assert hx.headers["HX-Redirect"] == "/login?next=%2Fdevices"
    for url in ("/devices/create", "/devices/1", "/devices/export/csv",
                "/devices/ajax/customer_id", "/devices/1/status", "/devices/1/progress"):
        assert client.get(url, follow_redirects=False).status_code == 303, url
    assert client.post("/devices/1/delete", follow_redirects=False).status_code == 303


def test_login_page_is_public_and_has_a_labelled_form(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    page = client.get("/login?next=/devices")
    assert page.status_code == 200
    assert '<label class="form-label" for="username">Username</label>' in page.text
    assert '<input type="hidden" name="next" value="/devices">' in page.text
    assert 'id="sidebar"' not in page.text  # no navigation for anonymous users


def test_wrong_password_shows_an_error_and_keeps_the_username(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    for username, password in [("alice", "guess"), ("mallory", "anything"), ("", "")]:
        response = login(client, username, password)
        assert response.status_code == 401
        assert "Invalid username or password." in response.text
        assert f'id="username" name="username" value="{username}"' in response.text
    assert client.get("/devices", follow_redirects=False).status_code == 303


def test_good_password_logs_in_and_follows_next(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    before = client.csrf_token(fresh=True)
    response = login(client, "alice", PASSWORDS["alice"], next_url="/devices?q=acme")
    assert response.status_code == 303
    assert response.headers["location"] == "/devices?q=acme"
    page = client.get("/devices?q=acme")
    assert page.status_code == 200 and "Alice Admin" in page.text
    assert client.csrf_token(fresh=True) != before  # a new login is a new session


@pytest.mark.parametrize("target", [
    "//evil.com", "https://evil.com", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)",
    "///evil.com", "/\t/evil.com", " //evil.com", "http:/evil.com",
])
def test_next_never_leaves_the_site(auth_app, target: str) -> None:
    client = auth_app(RoutesDeviceView)
    response = login(client, "bob", PASSWORDS["bob"], next_url=target)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location == "/", location
    assert not urlsplit(location).netloc


def test_next_from_the_login_url_is_checked_too(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    page = client.get("/login", params={"next": "https://evil.com"}).text
    assert '<input type="hidden" name="next" value="/">' in page
    redirected = client.get("/devices?q=x", follow_redirects=False).headers["location"]
    assert parse_qs(urlsplit(redirected).query)["next"] == ["/devices?q=x"]


def test_session_cookie_is_httponly_and_samesite_lax(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    response = login(client, "alice", PASSWORDS["alice"])
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("fasthx_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


def test_session_cookie_can_be_https_only(auth_app) -> None:
    client = auth_app(RoutesDeviceView, https_only=True)
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie


def test_a_tampered_session_cookie_is_anonymous(auth_app) -> None:
    client = auth_app(RoutesDeviceView)
    login(client, "alice", PASSWORDS["alice"])
    cookie = next(c for c in client.cookies.jar if c.name == "fasthx_session")
    cookie.value = cookie.value[:-6] + ("AAAAAA" if not cookie.value.endswith("AAAAAA")
                                        else "BBBBBB")  # break the signature
    assert client.get("/devices", follow_redirects=False).status_code == 303


def test_no_backend_configured_explains_itself(make_app, monkeypatch) -> None:
    monkeypatch.delenv("AUTH_DISABLED")
    client = make_app(CustomerView)
    response = login(client, "alice", "x")
    assert response.status_code == 401
    assert "No login backend is configured" in response.text


def test_auth_disabled_serves_a_dev_user_and_warns(make_app, monkeypatch, caplog) -> None:
    monkeypatch.setattr(fasthx_core.auth, "_warned", False)
    client = make_app(CustomerView)
    with caplog.at_level(logging.WARNING, logger="fasthx_core.auth"):
        page = client.get("/customers")
        client.get("/customers")
    assert page.status_code == 200 and "Developer" in page.text
    warnings = [r for r in caplog.records if "AUTH_DISABLED" in r.getMessage()]
    assert len(warnings) == 1
    assert client.get("/login", follow_redirects=False).headers["location"] == "/"


# --- allowed_groups: one access check on every route --------------------------------------

def every_route(fleet) -> list[tuple[str, str]]:
    device = fleet.devices["globex-core"].id
    return [
        ("GET", "/devices"), ("GET", "/devices/create"), ("POST", "/devices/create"),
        ("GET", f"/devices/{device}"), ("GET", f"/devices/{device}/edit"),
        ("POST", f"/devices/{device}/edit"), ("POST", f"/devices/{device}/delete"),
        ("POST", "/devices/batch"), ("GET", "/devices/export/csv"),
        ("GET", "/devices/ajax/customer_id"), ("GET", f"/devices/{device}/status"),
        ("GET", f"/devices/{device}/progress"), ("POST", f"/devices/{device}/reboot"),
    ]


def test_allowed_groups_refuse_every_route_to_other_users(auth_app) -> None:
    client = auth_app(CustomerView, AdminOnlyDeviceView)
    login(client, "bob", PASSWORDS["bob"])
    token = client.csrf_token(fresh=True)
    for method, url in every_route(client.fleet):
        data = {"csrf_token": token, "hostname": "bob-was-here", "action": "delete",
                "ids": str(client.fleet.devices["globex-core"].id)}
        response = client.request(method, url, data=data if method == "POST" else None,
                                  follow_redirects=False)
        assert response.status_code == 403, (method, url)
        assert "Access denied" in response.text
        hx = client.request(method, url, headers=htmx_headers(token))
        assert hx.status_code == 403, (method, url)
        assert json.loads(hx.headers["HX-Trigger"])["showToast"]["title"] == "Access denied"
    assert_nothing_changed(client)


def test_allowed_groups_let_members_in(auth_app) -> None:
    client = auth_app(CustomerView, AdminOnlyDeviceView)
    login(client, "alice", PASSWORDS["alice"])
    for method, url in every_route(client.fleet):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_allowed_users_let_named_users_in(auth_app) -> None:
    class BobsDevices(RoutesDeviceView):
        allowed_users = ["bob"]

    client = auth_app(BobsDevices)
    login(client, "bob", PASSWORDS["bob"])
    assert client.get("/devices").status_code == 200


def test_views_and_links_a_user_may_not_use_are_hidden_from_the_sidebar(auth_app) -> None:
    client = auth_app(CustomerView, AdminOnlyDeviceView)
    client.admin.add_link("Audit log", "/audit", icon="journal", category="Admin",
                          allowed_groups=["admin"])
    client.admin.add_link("Help", "/help", icon="question", category="Admin")
    login(client, "bob", PASSWORDS["bob"])
    sidebar = client.get("/customers").text
    sidebar = sidebar[sidebar.index('id="sidebar"'):sidebar.index("</nav>")]
    assert 'href="/customers"' in sidebar and 'href="/help"' in sidebar
    assert 'href="/devices"' not in sidebar and 'href="/audit"' not in sidebar
    client.post("/logout", data={"csrf_token": client.csrf_token(fresh=True)})
    login(client, "alice", PASSWORDS["alice"])
    sidebar = client.get("/customers").text
    assert 'href="/devices"' in sidebar and 'href="/audit"' in sidebar


# --- TemplateResponse for the user's own pages ---------------------------------------------

def add_dashboard_routes(client) -> None:
    templates = client.admin.templates

    async def dashboard(request: Request):
        return templates.TemplateResponse(request, "dashboard.html", {
            "dashboard_cards": [{"label": "Devices", "value": 5, "icon": "hdd"}]})

    async def legacy(request: Request):
        return templates.TemplateResponse("dashboard.html", {
            "request": request, "dashboard_cards": [{"label": "Legacy", "value": 1}]})

    client.app.add_api_route("/dashboard", dashboard)
    client.app.add_api_route("/legacy", legacy)


def test_template_response_redirects_anonymous_users_in_both_signatures(auth_app) -> None:
    client = auth_app(CustomerView)
    add_dashboard_routes(client)
    for url in ("/dashboard", "/legacy"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next=%2F{url[1:]}"
    login(client, "bob", PASSWORDS["bob"])
    assert '<div class="fs-3 fw-semibold">5</div>' in client.get("/dashboard").text
    assert "Legacy" in client.get("/legacy").text


def test_public_pages_render_for_anonymous_users(auth_app) -> None:
    client = auth_app(CustomerView, public_pages={"login.html", "dashboard.html"})
    add_dashboard_routes(client)
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 200 and "Devices" in response.text


def test_is_accessible_can_decide_per_request(auth_app) -> None:
    class WorkingHours(CustomerView):
        def is_accessible(self, request, user) -> bool:
            return user is not None and request.headers.get("X-Shift") == "day"

    client = auth_app(WorkingHours)
    login(client, "alice", PASSWORDS["alice"])
    assert client.get("/customers").status_code == 403
    assert client.get("/customers", headers={"X-Shift": "day"}).status_code == 200
