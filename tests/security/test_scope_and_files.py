"""Rows a view does not show, fields a form does not have, files outside the root: out of
reach on every route.

* Scoping (insecure direct object references): a view whose ``get_query`` hides rows is
  attacked on every route it registers with the id of a hidden row (detail, edit and its
  post, delete, batch, inline cell, poll, progress, export, search); the hidden row's data
  never appears and the row is unchanged.  Native (`get_query`) and Flask-Admin (the legacy
  shop hides archived orders).
* Mass assignment: posting columns that the form does not have (the key, the version,
  excluded columns, a relation) changes none of them.
* FileAdmin: paths that climb out of the upload folder, in the URL and in forms, never read,
  write, rename or delete a file outside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ..core.models import Customer, Device, Status
from .apps import NATIVE_VIEWS, SECRET, DeviceView, csrf_of, login
from .models import Ticket
from .snapshot import snapshot
from .test_routes import FORM, native_fill
from .walker import enumerate_routes


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


class GlobexDevices(DeviceView):
    """Only Globex's devices: Acme's edge-01 (whose description is the secret) is hidden."""

    def get_query(self, db):
        return select(Device).join(Device.customer).where(Customer.name == "Globex")


def test_a_hidden_row_is_out_of_reach_on_every_native_route(native_app):
    client = native_app(*(v for v in NATIVE_VIEWS if v is not DeviceView), GlobexDevices)
    login(client, "alice")
    token = csrf_of(client, "/logout")
    hidden = client.ids["devices"]
    probes, _, _ = enumerate_routes(client.app, native_fill(client), {})
    probes = [p for p in probes if p.template.startswith("/devices")]
    assert len(probes) >= 14
    before = snapshot(client.engine)
    for probe in probes:
        data = {**FORM, "csrf_token": token, "ids": hidden, "hostname": "taken"} \
            if probe.method == "POST" else None
        for headers in ({}, {"HX-Request": "true", "X-CSRF-Token": token}):
            response = client.request(probe.method, probe.url, data=data, headers=headers,
                                      follow_redirects=False)
            assert response.status_code < 500, str(probe)
            assert SECRET not in response.text, str(probe)
            if "{item_id}" in probe.template or "{id}" in probe.template:
                assert response.status_code == 404, (str(probe), response.status_code)
    for url in ("/devices?q=the-secret", "/devices/export/csv", "/devices/export/csv?q=edge"):
        assert SECRET not in client.get(url).text
    after = snapshot(client.engine)
    assert after["devices"] == before["devices"]


def test_archived_orders_are_out_of_reach_in_the_legacy_shop(shop_app):
    from examples.legacy_shop.models import Order

    client = shop_app()
    session = client.app.state.flask_admin_compat._views[0].session
    order = Order(customer_id=1, status="archived", note=SECRET)
    session.add(order)
    session.commit()
    hidden = str(order.id)
    session.remove()
    token = csrf_of(client, "/admin/order/new/")
    engine = client.app.state.flask_admin_compat._views[0].session.get_bind()
    before = snapshot(engine)
    attempts = [
        ("GET", f"/admin/order/details/?id={hidden}", None),
        ("GET", f"/admin/order/edit/?id={hidden}", None),
        ("POST", f"/admin/order/edit/?id={hidden}", {"customer": "1", "status": "new",
                                                     "note": "taken"}),
        ("POST", "/admin/order/delete/", {"id": hidden}),
        ("POST", "/admin/order/action/", {"action": "delete", "rowid": hidden}),
        ("GET", f"/admin/order/cell/?id={hidden}&column=note", None),
        ("POST", f"/admin/order/cell/?id={hidden}&column=status", {"status": "new"}),
        ("POST", "/admin/order/ajax/update/", {"list_form_pk": hidden, "status": "new"}),
        ("GET", f"/admin/order/progress/?id={hidden}", None),
        ("GET", "/admin/order/?search=the-secret", None),
        ("GET", "/admin/order/export/csv/", None),
        ("GET", "/admin/order/?flt0_0=archived", None),
    ]
    for method, url, data in attempts:
        for headers in ({}, {"HX-Request": "true", "X-CSRF-Token": token}):
            body = {**data, "csrf_token": token} if data is not None else None
            response = client.request(method, url, data=body, headers=headers)
            assert response.status_code < 500, url
            assert SECRET not in response.text, url
    assert snapshot(engine)["order"] == before["order"]


def test_posted_fields_the_form_does_not_have_are_ignored(native_app):
    class NarrowDevices(DeviceView):
        form_columns = ["hostname", "customer_id"]

    client = native_app(*(v for v in NATIVE_VIEWS if v is not DeviceView), NarrowDevices)
    login(client, "alice")
    token = csrf_of(client, "/logout")
    device, ticket = client.ids["devices"], client.ids["sec_tickets"]
    extra = {"id": "999", "description": "assigned", "status": "maintenance",
             "active": "", "tags": ["999"], "customer": "2", "price": "0.01"}
    response = client.post(f"/devices/{device}/edit", data={
        "csrf_token": token, "hostname": "renamed", "customer_id": client.ids["customers"],
        **extra}, follow_redirects=False)
    assert response.status_code == 303
    created = client.post("/devices/create", data={
        "csrf_token": token, "hostname": "new-one", "customer_id": client.ids["customers"],
        **extra}, follow_redirects=False)
    assert created.status_code == 303
    with client.db() as db:
        saved = db.get(Device, int(device))
        assert saved.hostname == "renamed"
        assert (saved.description, saved.status, saved.active) == (SECRET, Status.online, True)
        assert len(saved.tags) == 2 and db.get(Device, 999) is None
        new = db.scalars(select(Device).where(Device.hostname == "new-one")).one()
        assert new.description is None and new.tags == [] and new.price is None
    with client.db() as db:
        version = db.get(Ticket, int(ticket)).version
    client.post(f"/sec_tickets/{ticket}/edit", data={
        "csrf_token": token, "title": "t", "version": "999", "id": "77"})
    with client.db() as db:
        row = db.get(Ticket, int(ticket))
        assert row.version == version + 1 and db.get(Ticket, 77) is None


TRAVERSALS = ("../secret.txt", "..%2Fsecret.txt", "%2e%2e/secret.txt", "%2e%2e%2fsecret.txt",
              "....//secret.txt", "..\\secret.txt", "/../secret.txt", "notes.txt/../../secret.txt",
              "sub/../../secret.txt", "%252e%252e%252fsecret.txt", "..%5csecret.txt",
              "%c0%ae%c0%ae/secret.txt", "..%00/secret.txt", "/etc/passwd", "//etc/passwd",
              "..", "../", "./../secret.txt")


def outside(tmp_path: Path) -> list[tuple[str, bytes]]:
    """Every file of the test's folder that is not in the upload root."""
    return sorted((str(p.relative_to(tmp_path)), p.read_bytes())
                  for p in tmp_path.rglob("*") if p.is_file() and "uploads" not in p.parts
                  and p.suffix not in (".db", ".db-journal"))


def test_file_admin_never_leaves_its_root(shop_app, tmp_path: Path):
    client = shop_app()
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "uploads" / "sub").mkdir()
    token = csrf_of(client, "/admin/fileadmin/")
    before = outside(tmp_path)
    sent = 0
    for bad in TRAVERSALS:
        requests: list[tuple[str, str, Any]] = [
            ("GET", f"/admin/fileadmin/download/{bad}", None),
            ("GET", f"/admin/fileadmin/b/{bad}", None),
            ("GET", f"/admin/fileadmin/old_b/{bad}", None),
            ("GET", f"/admin/fileadmin/edit/?path={bad}", None),
            ("POST", f"/admin/fileadmin/edit/?path={bad}", {"content": "overwritten"}),
            ("POST", "/admin/fileadmin/delete/", {"path": bad}),
            ("POST", f"/admin/fileadmin/rename/?path={bad}", {"path": bad, "name": "moved"}),
            ("POST", "/admin/fileadmin/rename/", {"path": "notes.txt", "name": bad}),
            ("POST", f"/admin/fileadmin/mkdir/{bad}", {"name": "made"}),
            ("POST", "/admin/fileadmin/mkdir/", {"name": bad}),
            ("POST", "/admin/fileadmin/action/", {"action": "delete", "rowid": bad}),
        ]
        for method, url, data in requests:
            body = {**data, "csrf_token": token} if data is not None else None
            response = client.request(method, url, data=body)
            assert response.status_code < 500, (url, data)
            assert SECRET not in response.text, (url, data)
            sent += 1
        upload = client.post("/admin/fileadmin/upload/", data={"csrf_token": token},
                             files={"upload": (bad, b"uploaded", "text/plain")})
        assert upload.status_code < 500
        sent += 1
    assert outside(tmp_path) == before
    assert not (tmp_path / "made").exists() and not (tmp_path / "moved").exists()
    print(f"\nFileAdmin: {len(TRAVERSALS)} traversals, {sent} requests")
