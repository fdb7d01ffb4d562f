"""Stored and reflected markup is escaped wherever it is shown.

Every payload of `payloads.XSS_PAYLOADS` is stored in every column type the native app has
(string, text, JSON, a many-to-one label, many-to-many labels, `column_choices` labels of an
enum, a formatter's plain-string output) and sent as every list parameter.  Then the raw HTML
of the list (full and htmx partial), detail, edit form, inline cell editor, poll cell, ajax
options, filters, error messages and toasts (flashed, and the HX-Trigger JSON) must not
contain any payload unescaped; a formatter's output is raw only when it returns ``Markup``.
The legacy shop (Flask-Admin views) gets the same treatment through its own URLs.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from markupsafe import Markup
from sqlalchemy import select

from ..core.models import Customer, Device, Reading, Status, Tag
from .apps import NATIVE_VIEWS, DeviceView, csrf_of, login
from .payloads import XSS_PAYLOADS, assert_not_reflected

HTMX = {"HX-Request": "true"}
TEMPLATE_PAYLOAD = "{{7*7}}{{ config }}"


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


class PayloadDeviceView(DeviceView):
    """Enum labels and formatters that carry the payloads."""

    column_choices = {"status": [(Status.online, XSS_PAYLOADS[0]),
                                 (Status.offline, XSS_PAYLOADS[3]),
                                 (Status.maintenance, XSS_PAYLOADS[4])]}
    column_formatters = {
        "description": lambda value, obj: f"<b>{value}</b>",  # a plain str: escaped
        "active": lambda value, obj: Markup("<em class='opt-in'>{}</em>").format(obj.hostname),
    }


def seed_payloads(client: Any) -> dict[str, list[int]]:
    """A customer, tag, device and reading per payload; returns their ids."""
    out: dict[str, list[int]] = {"customers": [], "devices": [], "readings": []}
    with client.db() as db:
        for i, payload in enumerate(XSS_PAYLOADS):
            customer = Customer(name=f"{payload} #{i}", email=payload, notes=payload)
            tag = Tag(name=f"{payload[:24]}#{i}")
            device = Device(hostname=payload, description=payload, customer=customer,
                            status=list(Status)[i % 3], tags=[tag])
            reading = Reading(sensor=payload, payload={"html": payload, payload: [payload]})
            db.add_all([customer, tag, device, reading])
            db.flush()
            out["customers"].append(customer.id)
            out["devices"].append(device.id)
            out["readings"].append(reading.id)
        db.commit()
    return out


def pages(client: Any, ids: dict[str, list[int]]) -> dict[str, Any]:
    """Every page that shows the stored payloads, by a name for the failure message."""
    out: dict[str, Any] = {}
    for table in ("customers", "devices", "readings", "tags"):
        out[f"{table} list"] = client.get(f"/{table}?page_size=100")
        out[f"{table} partial"] = client.get(f"/{table}", headers={**HTMX,
                                                                   "HX-Target": "list-results"})
    for table, row_ids in ids.items():
        for row_id in row_ids[:len(XSS_PAYLOADS)]:
            out[f"{table}/{row_id} detail"] = client.get(f"/{table}/{row_id}")
            out[f"{table}/{row_id} edit"] = client.get(f"/{table}/{row_id}/edit")
    for row_id in ids["devices"]:
        out[f"device {row_id} cell"] = client.get(f"/devices/{row_id}/cell/hostname",
                                                  headers=HTMX)
        out[f"device {row_id} cell shown"] = client.get(
            f"/devices/{row_id}/cell/hostname?show=1", headers=HTMX)
        out[f"device {row_id} poll"] = client.get(f"/devices/{row_id}/status", headers=HTMX)
    for payload in XSS_PAYLOADS:
        out[f"ajax {payload!r}"] = client.get("/devices/ajax/customer_id",
                                              params={"q": payload[:8]}, headers=HTMX)
    out["create form (FK options)"] = client.get("/devices/create")
    return out


def test_stored_payloads_are_escaped_on_every_page(native_app):
    client = native_app(*(v for v in NATIVE_VIEWS if v is not DeviceView), PayloadDeviceView)
    login(client, "alice")
    ids = seed_payloads(client)
    shown = pages(client, ids)
    for name, response in shown.items():
        assert response.status_code in (200, 286), (name, response.status_code)
        assert_not_reflected(response.text, where=name)
    devices = shown["devices list"].text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in devices  # shown, as text
    assert devices.count("<em class='opt-in'>") == len(XSS_PAYLOADS) + 2  # Markup: opt-in
    assert "&lt;b&gt;" in devices and "<b>&lt;script" not in devices  # plain str: escaped
    assert TEMPLATE_PAYLOAD in shown["customers list"].text  # shown, never evaluated
    assert TEMPLATE_PAYLOAD in shown[f"readings/{ids['readings'][11]} edit"].text
    print(f"\n{len(XSS_PAYLOADS)} payloads x {len(shown)} pages checked")


def test_reflected_parameters_are_escaped(native_app):
    client = native_app()
    login(client, "alice")
    checked = 0
    for payload in XSS_PAYLOADS:
        params = {"q": payload, "sort": payload, "desc": payload, "page": payload,
                  "page_size": payload, "flt_hostname_equals": payload,
                  "flt_status_equals": payload, "flt_customer.name_contains": payload,
                  payload: payload}
        for headers in ({}, {**HTMX, "HX-Target": "list-results"}):
            response = client.get("/devices", params=params, headers=headers)
            assert response.status_code == 200
            assert_not_reflected(response.text, where=f"list {payload!r}")
            checked += 1
        for url in (f"/devices/{payload}", f"/devices/{payload}/edit",
                    f"/devices/ajax/{payload}", f"/devices/export/{payload}"):
            response = client.get(url.replace("#", "%23").replace("?", "%3F"))
            assert response.status_code in (404, 422), (url, response.status_code)
            assert_not_reflected(response.text, where=url)
            checked += 1
    print(f"\n{checked} reflected responses checked")


def test_error_messages_and_toasts_escape_the_payloads(native_app):
    client = native_app()
    login(client, "alice")
    token = csrf_of(client, "/logout")
    customer = client.ids["customers"]
    for i, payload in enumerate(XSS_PAYLOADS):
        data = {"csrf_token": token, "hostname": payload * 5,  # too long: an error
                "customer_id": payload, "load": payload, "price": payload,
                "installed_on": payload, "status": payload, "tags": [payload]}
        refused = client.post("/devices/create", data=data)
        assert refused.status_code == 422
        assert_not_reflected(refused.text, where=f"refused create {payload!r}")
        hx = client.post("/devices/create", data=data, headers={**HTMX,
                                                               "X-CSRF-Token": token})
        assert_not_reflected(hx.text, where="htmx refused create")
        json.loads(hx.headers["HX-Trigger"])  # still valid JSON
        with client.db() as db:  # a row named with the payload, deleted: the toast names it
            row = Device(hostname=payload, customer_id=int(customer))
            db.add(row)
            db.commit()
            row_id = row.id
        if i % 2:
            deleted = client.post(f"/devices/{row_id}/delete", data={"csrf_token": token},
                                  headers={**HTMX, "X-CSRF-Token": token,
                                           "HX-Target": f"row-{row_id}"})
            toast = json.loads(deleted.headers["HX-Trigger"])["showToast"]
            assert payload in toast["message"]  # the client shows it with textContent
        else:
            client.post(f"/devices/{row_id}/delete", data={"csrf_token": token},
                        follow_redirects=False)
            page = client.get("/devices").text
            toasts = re.search(r"data-toasts='([^']*)'", page).group(1)
            assert payload in json.loads(toasts.replace("&#39;", "'"))[0]["message"]
            assert_not_reflected(page, where="flashed toast")
        cell = client.post(f"/devices/{client.ids['devices']}/cell/load",
                           data={"load": payload}, headers={**HTMX, "X-CSRF-Token": token})
        assert_not_reflected(cell.text, where="inline cell error")
    with client.db() as db:
        assert db.scalars(select(Device.hostname)).all() == ["edge-01", "edge-02"]


def test_the_toast_script_sets_text_not_html():
    """The HX-Trigger and data-toasts JSON is shown by fasthx.js: only with textContent."""
    from pathlib import Path

    import fasthx_core

    script = (Path(fasthx_core.__file__).parent / "static" / "fasthx.js").read_text()
    toast = script[script.index("function showToast"):script.index("function", script.index(
        "function showToast") + 10)]
    assert "textContent" in toast and "innerHTML" not in toast


# -- the legacy shop -----------------------------------------------------------------------

def test_legacy_shop_escapes_stored_payloads(shop_app, monkeypatch):
    from examples.legacy_shop import views
    from examples.legacy_shop.models import Customer as ShopCustomer
    from examples.legacy_shop.models import Order, Product
    from examples.legacy_shop.models import Tag as ShopTag

    monkeypatch.setattr(views.ProductView, "column_formatters", {  # Flask-Admin's signature
        "name": lambda view, context, model, name: f"<b>{model.name}</b>",  # plain str
        "price": views.price_formatter})  # Markup: opted in
    client = shop_app()
    session = client.app.state.flask_admin_compat._views[0].session
    for i, payload in enumerate(XSS_PAYLOADS):
        customer = ShopCustomer(name=payload, email=f"{i}{payload}@x.test", phone=payload,
                                country=payload[:2])
        session.add_all([customer, Order(customer=customer, note=payload, status="new"),
                         ShopTag(name=f"{payload} #{i}")])
    product = session.get(Product, 1)
    product.name, product.description = XSS_PAYLOADS[3], XSS_PAYLOADS[0]
    session.commit()
    session.remove()
    urls = ["/admin/customer/", "/admin/order/", "/admin/product/", "/admin/tag/",
            "/admin/product/edit/?id=1", "/admin/product/details/?id=1",
            "/admin/customer/?search=%3Cscript", "/admin/reports/"]
    urls += [f"/admin/order/edit/?id={n}" for n in range(1, 9)]
    urls += [f"/admin/customer/details/?id={n}" for n in range(1, 25)]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_reflected(response.text, where=url)
        checked += 1
    products = client.get("/admin/product/").text
    assert "&lt;b&gt;" in products and '<span class="text-nowrap">' in products
    lookup = client.get("/admin/order/ajax/lookup/?name=customer&query=script")
    assert lookup.headers["content-type"].startswith("application/json")
    assert any("<script>" in label for _pk, label in lookup.json())  # data, served as JSON
    for payload in XSS_PAYLOADS:
        response = client.get("/admin/customer/", params={"search": payload, "sort": payload,
                                                         "flt0_0": payload, "page": payload,
                                                         "url": payload})
        assert response.status_code == 200
        assert_not_reflected(response.text, where=f"shop list {payload!r}")
        checked += 1
    print(f"\nlegacy shop: {checked} pages checked")
