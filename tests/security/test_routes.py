"""Every route every app registers refuses strangers.

The routes are read from ``app.routes`` (`walker.enumerate_routes`), not listed by hand, so a
route added later is attacked too; path parameters are filled with real ids.  For each route
and method, plain and as htmx:

* an anonymous request is sent to the login page (303, or 401 with ``HX-Redirect``), and
  never gets the data (a sentinel value seeded in the rows never appears);
* a logged-in user whose group the view does not allow gets 403 (posts carry a valid CSRF
  token, so the access check, not the token check, is what refuses them);
* nothing in the database changes.

Counts are asserted (and printed with ``-s``) so that a walker that finds nothing fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from fasthx_core import get_engine, hash_password
from fasthx_core.auth import get_current_user

from .apps import BACKEND, PASSWORDS, SECRET, csrf_of, login
from .snapshot import snapshot
from .walker import Probe, enumerate_routes, is_login_redirect

HTMX = {"HX-Request": "true"}
FORM = {"name": "intruder", "hostname": "intruder", "title": "intruder", "action": "delete",
        "ids": "1", "rowid": "1", "id": "1", "list_form_pk": "1"}

NATIVE_PUBLIC = {
    "/login": "the login form",
    "/logout": "asks, then logs out by POST with a token",
    "/openapi.json": "FastAPI's schema: route shapes, no rows",
    "/docs": "FastAPI's schema viewer", "/docs/oauth2-redirect": "FastAPI's schema viewer",
    "/redoc": "FastAPI's schema viewer",
}


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


def request(client: Any, probe: Probe, token: str | None, htmx: bool) -> Any:
    data = dict(FORM, csrf_token=token or "") if probe.method != "GET" else None
    headers = dict(HTMX, **({"X-CSRF-Token": token} if token else {})) if htmx else {}
    return client.request(probe.method, probe.url, data=data, headers=headers,
                          follow_redirects=False)


def attack(client: Any, probes: list[Probe], expect: Any, token: str | None = None) -> int:
    """Send every probe plain and as htmx; `expect(response)` must hold for each."""
    sent = 0
    for probe in probes:
        for htmx in (False, True):
            response = request(client, probe, token, htmx)
            assert expect(response), (str(probe), htmx, response.status_code,
                                      response.text[:200])
            assert SECRET not in response.text, str(probe)
            sent += 1
    return sent


def forbidden(response: Any) -> bool:
    return response.status_code == 403


# -- the native app ------------------------------------------------------------------------

def native_fill(client: Any) -> Any:
    def fill(template: str, param: str) -> str:
        table = template.strip("/").split("/")[0]
        view = client.admin.views[table]
        values = {"item_id": client.ids[table], "id": client.ids[table], "fmt": "csv",
                  "field": next(iter(view.form_ajax_refs or {}), "customer_id"),
                  "column": (list(view.column_editable_list) or ["id"])[0]}
        return values[param]

    return fill


def test_native_app_refuses_every_route_to_anonymous_and_unprivileged_users(native_app):
    client = native_app()
    probes, public, mounts = enumerate_routes(client.app, native_fill(client), NATIVE_PUBLIC)
    assert mounts == ["/static/fasthx"]
    assert sorted(public) == sorted(NATIVE_PUBLIC)
    views = len(client.admin.views)
    assert views == 9 and len(probes) >= 14 * views, len(probes)
    before = snapshot(client.engine)
    anonymous_token = csrf_of(client, "/login")
    sent = attack(client, probes, lambda r: is_login_redirect(r, "/login"), anonymous_token)
    login(client, "guest")
    guest_token = csrf_of(client, "/logout")
    sent += attack(client, probes, forbidden, guest_token)
    assert snapshot(client.engine) == before
    print(f"\nnative app: {len(probes)} route-methods, {sent} refused requests")


def test_native_routes_answer_their_own_users(native_app):
    """The walker's ids are real: the allowed user gets pages, not 404s or errors."""
    client = native_app()
    login(client, "alice")
    probes, _, _ = enumerate_routes(client.app, native_fill(client), NATIVE_PUBLIC)
    gets = [p for p in probes if p.method == "GET"]
    statuses = {str(p): client.get(p.url, follow_redirects=False).status_code for p in gets}
    assert all(status < 500 for status in statuses.values()), statuses
    missing = {p for p, status in statuses.items() if status not in (200, 286)}
    # only views without related fields or inline cells have nothing at ajax/ and cell/
    assert all(statuses[p] == 404 and ("/ajax/" in p or "/cell/" in p) for p in missing), \
        {p: statuses[p] for p in missing}
    assert len(gets) - len(missing) >= 60


# -- the demo ------------------------------------------------------------------------------

DEMO_PUBLIC = {**NATIVE_PUBLIC, "/": "redirects to the dashboard"}
DEMO_ANY_USER = {"/dashboard": "the overview every logged-in user sees"}


def demo_fill(client: Any) -> Any:
    admin = client.app.state.admin

    def first_id(view: Any) -> str:
        with view.session() as db:
            pk = view.pk_columns[0]
            return str(db.scalar(select(pk).order_by(pk).limit(1)))

    def fill(template: str, param: str) -> str:
        name = template.strip("/").split("/")[0]
        view = admin.views.get(name) or admin.views["edge_devices"]  # the wizard's ids
        values = {"item_id": first_id(view), "device_id": first_id(view), "fmt": "csv",
                  "field": next(iter(view.form_ajax_refs or {}), "customer_id"),
                  "column": (list(view.column_editable_list) or ["name"])[0],
                  "relation": "orchestrators"}  # the customers form's inline rows
        return values[param]

    return fill


def test_demo_refuses_every_route_to_anonymous_and_unprivileged_users(demo_app):
    client = demo_app()
    admin = client.app.state.admin
    admin.auth_backend.users["guest"] = {  # a user of another team
        "password_hash": hash_password(PASSWORDS["guest"]),
        "groups": ["guest"]}
    for view in admin.views.values():
        view.allowed_groups = ["admin"]
    probes, public, mounts = enumerate_routes(client.app, demo_fill(client), DEMO_PUBLIC)
    assert mounts == ["/static/fasthx"]
    assert len(probes) >= 14 * len(admin.views), len(probes)
    engine = get_engine()  # the demo binds its views with init_db
    before = snapshot(engine)
    sent = attack(client, probes, lambda r: is_login_redirect(r, "/login"),
                  csrf_of(client, "/login"))
    login(client, "guest")
    token = csrf_of(client, "/logout")
    restricted = [p for p in probes if p.template not in DEMO_ANY_USER]
    sent += attack(client, restricted, forbidden, token)
    for probe in set(probes) - set(restricted):
        assert client.get(probe.url).status_code == 200
    assert snapshot(engine) == before
    print(f"\ndemo: {len(probes)} route-methods, {sent} refused requests")


# -- the legacy shop (Flask-Admin views on the compat layer) -------------------------------

SHOP_PUBLIC = {**{k: v for k, v in NATIVE_PUBLIC.items() if k.startswith(("/doc", "/red",
                                                                          "/open"))},
               "/admin/login": "the login form", "/admin/logout": "asks, then logs out"}
COMPAT_ID_PAGES = ("/edit/", "/details/", "/delete/", "/cell/", "/progress/")


def shop_fill(template: str, param: str) -> str:
    return {"export_type": "csv", "path": "notes.txt", "customer_id": "1",
            "relation": "lines"}[param]


def shop_probes(client: Any) -> list[Probe]:
    probes, public, mounts = enumerate_routes(client.app, shop_fill, SHOP_PUBLIC)
    assert mounts == ["/static/fasthx"] and sorted(public) == sorted(SHOP_PUBLIC)
    out = []
    for probe in probes:  # Flask-Admin names the row in the query string
        url = probe.url
        if url.endswith(COMPAT_ID_PAGES):
            url += "?id=1&column=name"
        elif "/fileadmin/" in url and url.endswith(("/edit/", "/rename/")):
            url += "?path=notes.txt"
        out.append(Probe(probe.method, probe.template, url))
    return out


def fa_views(client: Any) -> list[Any]:
    compat = client.app.state.flask_admin_compat
    return [compat.index_view, *compat._views]


def test_shop_refuses_every_route_when_views_are_inaccessible(shop_app):
    """Flask-Admin's rule: a view whose ``is_accessible`` is False refuses every route it has
    (model views, FileAdmin, ``@expose`` pages, the index), plain and htmx."""
    client = shop_app()
    for view in fa_views(client):
        view.is_accessible = lambda: False
    probes = shop_probes(client)
    assert len(probes) >= 90, len(probes)
    engine = fa_views(client)[1].session.get_bind()
    before = snapshot(engine)
    sent = attack(client, probes, forbidden, csrf_of(client, "/admin/login"))
    assert snapshot(engine) == before
    print(f"\nlegacy shop: {len(probes)} route-methods, {sent} refused requests")


def test_shop_with_a_login_rule_refuses_anonymous_users_everywhere(shop_app):
    """The usual Flask-Admin guard (``is_accessible``: somebody is logged in) holds on every
    route, and the same routes open once that somebody logs in."""
    from flask_admin_compat._context import current_request

    client = shop_app()
    client.app.state.flask_admin_compat.core.auth_backend = BACKEND
    for view in fa_views(client):
        view.is_accessible = lambda: get_current_user(current_request.get()) is not None
    probes = shop_probes(client)
    sent = attack(client, probes, forbidden, csrf_of(client, "/admin/login"))
    login(client, "alice", "/admin/login")
    pages = [p for p in probes if p.method == "GET"]
    statuses = {str(p): client.get(p.url, follow_redirects=False).status_code for p in pages}
    assert all(s < 500 and s != 403 for s in statuses.values()), statuses
    assert sum(s == 200 for s in statuses.values()) >= len(pages) // 2, statuses
    print(f"\nlegacy shop (login rule): {sent} refused requests")
