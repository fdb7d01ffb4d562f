"""Create, edit, delete: round trips checked in the database, validation, hooks, permissions,
scoping with `get_query`, and primary keys in URLs."""

from __future__ import annotations

import datetime as dt
import decimal
import html
import json
import re

import pytest
from sqlalchemy import select

from fasthx_core import CRUDView, ValidationError

from .models import AuditEntry, Customer, Device, Note, Route, Setting, Status
from .support import (
    SQLITE_ONLY,
    CustomerView,
    DeviceView,
    RouteView,
    SettingView,
    form_controls,
    htmx_headers,
)


def toasts_on(page: str) -> list[dict]:
    """The toasts a full page will show (flashed by the previous request)."""
    raw = re.search(r"data-toasts='([^']*)'", page).group(1)
    return json.loads(raw.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&"))


def hx_toast(response) -> dict:
    return json.loads(response.headers["HX-Trigger"])["showToast"]


def view_link(page: str, column: str, value: str) -> str:
    """The "View" link of the list row whose `column` cell shows `value`."""
    for row in re.findall(r'<tr id="row-[^"]+">(.*?)</tr>', page, re.S):
        cell = re.search(rf'<td data-col="{column}">\s*(.*?)\s*</td>', row, re.S)
        if cell and html.unescape(cell.group(1)) == value:
            return html.unescape(re.search(r'href="([^"]+)" title="View"', row).group(1))
    raise AssertionError(f"no row shows {value!r}")


def device_by_hostname(client, hostname: str) -> Device | None:
    with client.db() as db:
        return db.scalars(select(Device).where(Device.hostname == hostname)).first()


# --- round trips ---------------------------------------------------------------------------

def test_create_saves_the_row_and_redirects_to_the_list_with_a_toast(make_app) -> None:
    client = make_app(CustomerView)
    response = client.submit("/customers/create", {"name": "Umbrella", "email": "",
                                                   "notes": "Long\nnotes"})
    assert response.status_code == 303
    assert response.headers["location"] == "/customers"
    with client.db() as db:
        row = db.scalars(select(Customer)).one()
        assert (row.name, row.email, row.notes) == ("Umbrella", None, "Long\nnotes")
    page = client.get("/customers").text
    assert {"message": "Customer created.", "type": "success"} in toasts_on(page)
    assert toasts_on(client.get("/customers").text) == []  # shown once


def test_create_converts_every_field_type(make_app) -> None:
    client = make_app(DeviceView)
    fleet = client.seed()
    response = client.submit("/devices/create", {
        "hostname": "typed-1", "status": "maintenance", "load": "1.5", "price": "12.30",
        "description": "Racked", "installed_on": "2024-02-03", "last_seen": "2024-02-03T04:05",
        "maintenance_at": "06:07", "customer_id": str(fleet.customers["Initech"].id),
        "tags": [str(fleet.tags["lab"].id), str(fleet.tags["edge"].id)],
    })  # "active" unchecked: the browser sends nothing
    assert response.status_code == 303
    with client.db() as db:
        row = db.scalars(select(Device).where(Device.hostname == "typed-1")).one()
        assert row.status is Status.maintenance
        assert row.load == 1.5 and row.price == decimal.Decimal("12.30")
        assert row.installed_on == dt.date(2024, 2, 3)
        assert row.last_seen == dt.datetime(2024, 2, 3, 4, 5)
        assert row.maintenance_at == dt.time(6, 7)
        assert row.active is False
        assert row.customer.name == "Initech"
        assert sorted(t.name for t in row.tags) == ["edge", "lab"]


def test_edit_saves_changes(make_app) -> None:
    client = make_app(DeviceView)
    fleet = client.seed()
    device = fleet.devices["acme-edge-01"]
    response = client.submit(f"/devices/{device.id}/edit", {
        "hostname": "acme-edge-01b", "status": "offline", "active": "y", "load": "",
        "customer_id": str(fleet.customers["Globex"].id), "tags": []})
    assert response.status_code == 303 and response.headers["location"] == "/devices"
    with client.db() as db:
        row = db.get(Device, device.id)
        assert (row.hostname, row.status, row.load) == ("acme-edge-01b", Status.offline, None)
        assert row.customer.name == "Globex" and row.tags == []
    assert {"message": "Edge Device saved.", "type": "success"} in toasts_on(
        client.get("/devices").text)


def test_delete_removes_the_row(make_app) -> None:
    client = make_app(CustomerView)
    client.submit("/customers/create", {"name": "Temporary"})
    with client.db() as db:
        cid = db.scalars(select(Customer.id)).one()
    response = client.submit(f"/customers/{cid}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/customers"
    assert client.count(Customer) == 0
    assert {"message": "Customer Temporary deleted.", "type": "success"} in toasts_on(
        client.get("/customers").text)


def test_delete_refused_by_the_database_keeps_the_row_and_says_why(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme = fleet.customers["Acme Corp"]
    response = client.submit(f"/customers/{acme.id}/delete")
    assert response.headers["location"] == f"/customers/{acme.id}"
    assert client.count(Customer) == 3
    page = client.get(f"/customers/{acme.id}").text
    assert {"message": "Cannot delete Acme Corp: other rows still refer to it.",
            "type": "danger"} in toasts_on(page)


def test_htmx_delete_from_a_row_answers_with_a_toast(make_app) -> None:
    client = make_app(DeviceView)
    fleet = client.seed()
    device = fleet.devices["globex-core"]
    response = client.submit(f"/devices/{device.id}/delete", htmx=True,
                             target=f"row-{device.id}")
    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers
    assert hx_toast(response) == {"message": "Edge Device globex-core deleted.",
                                  "type": "success"}
    assert device_by_hostname(client, "globex-core") is None


@SQLITE_ONLY
def test_htmx_delete_from_the_detail_page_redirects_to_the_list(make_app) -> None:
    client = make_app(DeviceView)
    fleet = client.seed()
    response = client.submit(f"/devices/{fleet.devices['globex-core'].id}/delete", htmx=True)
    assert response.headers["HX-Redirect"] == "/devices"


def test_detail_page_shows_every_column_and_to_many_relations(make_app) -> None:
    client = make_app(DeviceView)
    fleet = client.seed()
    device = fleet.devices["initech-printer"]
    page = client.get(f"/devices/{device.id}").text
    assert "<title>Edge Device: initech-printer · Admin</title>" in page
    assert re.search(r'<th scope="row" class="w-25">Description</th>'
                     r'<td data-col="description">Prints TPS reports</td>', page)
    assert '<td data-col="customer">Initech</td>' in page
    assert re.search(r'<td data-col="tags">(lab, prod|prod, lab)</td>', page)
    assert f'href="/devices/{device.id}/edit"' in page
    assert f'action="/devices/{device.id}/delete"' in page


# --- validation keeps the user's input -----------------------------------------------------

INVALID_POSTS = [
    ("/routes/create", {"region": "eu", "number": "twelve", "label": "Main"},
     "number", "twelve", "Not a valid integer value."),
    ("/customers/create", {"name": "N" * 101, "email": "kept@example.test"},
     "email", "kept@example.test", "Field cannot be longer than 100 characters."),
    ("/customers/create", {"name": "", "email": "still-here@example.test"},
     "email", "still-here@example.test", "This field is required."),
]


@pytest.mark.parametrize(("url", "data", "field", "kept", "error"), INVALID_POSTS,
                         ids=["bad-integer", "too-long", "missing-required"])
def test_invalid_plain_post_re_renders_the_form_with_422(make_app, url, data, field, kept,
                                                         error) -> None:
    client = make_app(CustomerView, RouteView)
    response = client.submit(url, data)
    assert response.status_code == 422
    assert "<html" in response.text
    assert form_controls(response.text)[field].attrs["value"] == kept
    assert error in response.text
    assert '<div class="alert alert-danger" role="alert">Please correct the errors below.' \
        in response.text
    assert client.count(Customer) == 0 and client.count(Route) == 0


@SQLITE_ONLY
@pytest.mark.parametrize(("url", "data", "field", "kept", "error"), INVALID_POSTS,
                         ids=["bad-integer", "too-long", "missing-required"])
def test_invalid_htmx_post_swaps_the_form_and_shows_a_toast(make_app, url, data, field, kept,
                                                            error) -> None:
    client = make_app(CustomerView, RouteView)
    response = client.submit(url, data, htmx=True)
    assert response.status_code == 200
    assert "<html" not in response.text and response.text.startswith('<form id="form-body"')
    assert form_controls(response.text)[field].attrs["value"] == kept
    assert error in response.text
    assert hx_toast(response) == {"message": "Please correct the errors below.",
                                  "type": "danger", "title": "Validation Error"}


@SQLITE_ONLY
def test_htmx_post_that_saves_redirects_with_the_toast_on_the_next_page(make_app) -> None:
    client = make_app(CustomerView)
    response = client.submit("/customers/create", {"name": "Via htmx"}, htmx=True)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/customers"
    assert {"message": "Customer created.", "type": "success"} in toasts_on(
        client.get("/customers").text)


# --- hooks ---------------------------------------------------------------------------------

class AuditedDeviceView(CRUDView):
    """Records every hook call; refuses some saves from `validate` and from a hook."""

    model = Device

    def __init__(self, admin) -> None:
        super().__init__(admin)
        self.calls: list[tuple] = []

    def validate(self, item, form_data, is_new) -> None:
        if form_data["hostname"].startswith("bad"):
            raise ValidationError("Hostnames may not start with 'bad'.",
                                  {"hostname": "Pick another name."})

    def on_model_change(self, item, form_data, is_new, db, request=None) -> None:
        self.calls.append(("on_model_change", item.hostname, item.id, is_new,
                           form_data["hostname"], request is not None))
        db.add(AuditEntry(message=f"saving {item.hostname}"))
        if item.hostname == "explode":
            db.flush()  # the audit row and the device are written...
            raise ValidationError("The deploy system refused this device.")  # ...then undone

    def after_model_change(self, item, form_data, is_new, db, request=None) -> None:
        self.calls.append(("after_model_change", item.hostname, item.id, is_new))
        if item.hostname == "late-failure":
            raise RuntimeError("notification service down")

    def on_model_delete(self, item, db) -> None:
        self.calls.append(("on_model_delete", item.hostname))
        if item.hostname == "globex-core":
            raise ValidationError("globex-core is protected.")

    def after_model_delete(self, item, db) -> None:
        self.calls.append(("after_model_delete", item.hostname))


@pytest.fixture
def audited(make_app):
    client = make_app(AuditedDeviceView)
    fleet = client.seed()
    return client, client.admin.get_view("devices"), fleet


def test_validate_hook_refuses_the_save_and_keeps_the_input(audited) -> None:
    client, view, fleet = audited
    data = {"hostname": "bad-host", "customer_id": fleet.customers["Globex"].id,
            "description": "keep me"}
    response = client.submit("/devices/create", data)
    assert response.status_code == 422
    assert "Hostnames may not start with &#39;bad&#39;." in response.text
    assert "Pick another name." in response.text
    controls = form_controls(response.text)
    assert controls["hostname"].attrs["value"] == "bad-host"
    assert controls["description"].text.strip() == "keep me"
    assert device_by_hostname(client, "bad-host") is None
    assert view.calls == []
    hx = client.submit("/devices/create", data, htmx=True)
    assert hx.status_code == 200
    assert hx_toast(hx) == {"message": "Hostnames may not start with 'bad'.",
                            "type": "danger", "title": "Validation Error"}


def test_save_hooks_get_the_item_form_data_and_is_new(audited) -> None:
    client, view, fleet = audited
    client.submit("/devices/create", {"hostname": "fresh",
                                      "customer_id": fleet.customers["Globex"].id})
    new_id = device_by_hostname(client, "fresh").id
    assert view.calls == [("on_model_change", "fresh", None, True, "fresh", True),
                          ("after_model_change", "fresh", new_id, True)]
    view.calls.clear()
    client.submit(f"/devices/{new_id}/edit", {"hostname": "fresh-2",
                                              "customer_id": fleet.customers["Globex"].id})
    assert view.calls == [("on_model_change", "fresh-2", new_id, False, "fresh-2", True),
                          ("after_model_change", "fresh-2", new_id, False)]
    with client.db() as db:
        assert db.scalars(select(AuditEntry.message).order_by(AuditEntry.id)).all() == [
            "saving fresh", "saving fresh-2"]


def test_delete_hooks_get_the_item(audited) -> None:
    client, view, fleet = audited
    client.submit(f"/devices/{fleet.devices['acme-edge-02'].id}/delete")
    assert view.calls == [("on_model_delete", "acme-edge-02"),
                          ("after_model_delete", "acme-edge-02")]
    assert device_by_hostname(client, "acme-edge-02") is None


def test_a_hook_refusing_mid_save_rolls_everything_back(audited) -> None:
    client, view, fleet = audited
    response = client.submit("/devices/create", {
        "hostname": "explode", "customer_id": fleet.customers["Globex"].id})
    assert response.status_code == 422
    assert "The deploy system refused this device." in response.text
    assert device_by_hostname(client, "explode") is None
    assert client.count(AuditEntry) == 0
    assert [c[0] for c in view.calls] == ["on_model_change"]


def test_a_database_error_inside_a_hook_rolls_back_and_says_why(make_app) -> None:
    class DuplicatingView(CRUDView):
        model = Device

        def on_model_change(self, item, form_data, is_new, db, request=None) -> None:
            db.add(Customer(name="Acme Corp"))  # unique clash at commit

    client = make_app(DuplicatingView)
    fleet = client.seed()
    response = client.submit("/devices/create", {
        "hostname": "clash", "customer_id": fleet.customers["Globex"].id})
    assert response.status_code == 422
    assert "Could not save: a value conflicts with another row" in response.text
    assert device_by_hostname(client, "clash") is None
    assert client.count(Customer) == 3


def test_an_unexpected_error_in_a_hook_rolls_back_and_keeps_the_input(make_app) -> None:
    class BrokenHookView(CRUDView):
        model = Device

        def on_model_change(self, item, form_data, is_new, db, request=None) -> None:
            db.add(Customer(name="half-saved"))
            raise RuntimeError("boom")

    client = make_app(BrokenHookView)
    fleet = client.seed()
    response = client.submit("/devices/create", {
        "hostname": "kept-input", "customer_id": fleet.customers["Globex"].id})
    assert response.status_code == 422
    assert "unexpected error; nothing was changed" in response.text
    assert 'value="kept-input"' in response.text
    assert device_by_hostname(client, "kept-input") is None
    assert client.count(Customer) == 3


@SQLITE_ONLY
def test_a_failing_after_model_change_does_not_hide_the_saved_row(audited) -> None:
    client, view, fleet = audited
    response = client.submit("/devices/create", {
        "hostname": "late-failure", "customer_id": fleet.customers["Globex"].id})
    assert response.status_code == 303
    assert device_by_hostname(client, "late-failure") is not None


def test_on_model_delete_may_refuse_a_delete(audited) -> None:
    client, view, fleet = audited
    device = fleet.devices["globex-core"]
    response = client.submit(f"/devices/{device.id}/delete")
    assert response.headers["location"] == f"/devices/{device.id}"
    assert device_by_hostname(client, "globex-core") is not None
    assert {"message": "globex-core is protected.", "type": "danger"} in toasts_on(
        client.get(f"/devices/{device.id}").text)
    hx = client.submit(f"/devices/{device.id}/delete", htmx=True, target=f"row-{device.id}")
    assert hx.status_code == 200 and hx_toast(hx)["type"] == "danger"
    assert ("after_model_delete", "globex-core") not in view.calls


# --- save buttons --------------------------------------------------------------------------

@SQLITE_ONLY
def test_save_and_add_another_and_save_and_continue_editing(make_app) -> None:
    client = make_app(CustomerView)
    another = client.submit("/customers/create", {"name": "First", "_add_another": "1"})
    assert another.headers["location"] == "/customers/create"
    cont = client.submit("/customers/create", {"name": "Second", "_continue_editing": "1"})
    with client.db() as db:
        second = db.scalars(select(Customer).where(Customer.name == "Second")).one()
    assert cont.headers["location"] == f"/customers/{second.id}/edit"
    hx = client.submit(f"/customers/{second.id}/edit", {"name": "Second!",
                                                        "_continue_editing": "1"}, htmx=True)
    assert hx.headers["HX-Redirect"] == f"/customers/{second.id}/edit"
    page = client.get("/customers/create").text
    assert 'name="_add_another"' in page
    assert 'name="_continue_editing"' in client.get(f"/customers/{second.id}/edit").text


# --- permissions: can_* --------------------------------------------------------------------

@SQLITE_ONLY
def test_can_create_false_refuses_creating(make_app) -> None:
    class ReadOnlyCreate(CRUDView):
        model = Customer
        can_create = False

    client = make_app(ReadOnlyCreate)
    assert client.get("/customers/create").status_code == 403
    assert client.submit("/customers/create", {"name": "Nope"}).status_code == 403
    hx = client.submit("/customers/create", {"name": "Nope"}, htmx=True)
    assert hx.status_code == 403 and hx_toast(hx)["type"] == "danger"
    assert client.count(Customer) == 0
    assert 'href="/customers/create"' not in client.get("/customers").text


@SQLITE_ONLY
def test_can_edit_false_refuses_editing(make_app) -> None:
    class NoEdit(CRUDView):
        model = Customer
        can_edit = False

    client = make_app(NoEdit)
    fleet = client.seed()
    acme = fleet.customers["Acme Corp"]
    assert client.get(f"/customers/{acme.id}/edit").status_code == 403
    assert client.submit(f"/customers/{acme.id}/edit", {"name": "Changed"}).status_code == 403
    with client.db() as db:
        assert db.get(Customer, acme.id).name == "Acme Corp"
    assert f'href="/customers/{acme.id}/edit"' not in client.get("/customers").text


@SQLITE_ONLY
def test_can_delete_false_refuses_deleting_one_or_many(make_app) -> None:
    class NoDelete(CRUDView):
        model = Customer
        can_delete = False

    client = make_app(NoDelete)
    client.submit("/customers/create", {"name": "Keeper"})
    with client.db() as db:
        cid = db.scalars(select(Customer.id)).one()
    assert client.submit(f"/customers/{cid}/delete").status_code == 403
    client.submit("/customers/batch", {"action": "delete", "ids": str(cid)})
    assert client.count(Customer) == 1
    page = client.get("/customers").text
    assert f'hx-post="/customers/{cid}/delete"' not in page
    assert '"action": "delete"' not in page


@SQLITE_ONLY
def test_can_view_details_false_sends_to_the_edit_form(make_app) -> None:
    class NoDetails(CRUDView):
        model = Customer
        can_view_details = False

    client = make_app(NoDetails)
    fleet = client.seed()
    cid = fleet.customers["Globex"].id
    response = client.get(f"/customers/{cid}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/customers/{cid}/edit"
    assert 'title="View"' not in client.get("/customers").text


@SQLITE_ONLY
def test_can_export_false_hides_and_refuses_the_export(make_app) -> None:
    class NoExport(CRUDView):
        model = Customer
        can_export = False

    client = make_app(NoExport)
    assert client.get("/customers/export/csv").status_code == 404
    assert "/customers/export/csv" not in client.get("/customers").text


# --- get_query scoping ---------------------------------------------------------------------

class AcmeDevices(CRUDView):
    """Only Acme's devices exist for this view."""

    model = Device
    name = "acme-devices"
    htmx_columns = {"status": {"url": "/{name}/{id}/status"}}

    def get_query(self, db):
        return select(Device).join(Device.customer).where(Customer.name == "Acme Corp")


@pytest.fixture
def scoped(make_app):
    client = make_app(AcmeDevices)
    fleet = client.seed()
    return client, fleet, fleet.devices["globex-core"].id, fleet.devices["acme-edge-01"].id


def test_scoped_list_shows_only_visible_rows_and_counts_them(scoped) -> None:
    client, fleet, hidden, visible = scoped
    page = client.get("/acme-devices").text
    assert "acme-edge-01" in page and "acme-edge-02" in page
    assert "globex" not in page and "initech" not in page
    assert "2 edge devices" in page


def test_scoped_detail_edit_and_delete_answer_404_for_hidden_rows(scoped) -> None:
    client, fleet, hidden, visible = scoped
    assert client.get(f"/acme-devices/{visible}").status_code == 200
    assert client.get(f"/acme-devices/{hidden}").status_code == 404
    assert client.get(f"/acme-devices/{hidden}/edit").status_code == 404
    edit = client.submit(f"/acme-devices/{hidden}/edit", {
        "hostname": "hijacked", "customer_id": fleet.customers["Acme Corp"].id})
    assert edit.status_code == 404
    assert client.submit(f"/acme-devices/{hidden}/delete").status_code == 404
    assert client.get(f"/acme-devices/{hidden}/status").status_code == 404
    assert device_by_hostname(client, "globex-core") is not None
    assert device_by_hostname(client, "hijacked") is None


def test_scoped_export_and_batch_never_touch_hidden_rows(scoped) -> None:
    client, fleet, hidden, visible = scoped
    csv_text = client.get("/acme-devices/export/csv").text
    assert "acme-edge-01" in csv_text and "globex-core" not in csv_text
    client.submit("/acme-devices/batch", {"action": "delete", "ids": f"{visible},{hidden}"})
    assert device_by_hostname(client, "acme-edge-01") is None
    assert device_by_hostname(client, "globex-core") is not None


# --- unknown ids and primary keys in URLs --------------------------------------------------

@pytest.mark.parametrize("path", [
    "/customers/999", "/customers/abc", f"/customers/{10**30}", "/customers/999/edit",
    "/routes/eu", "/routes/eu,x", "/routes/eu,1,2",
])
def test_unknown_ids_get_the_404_page(make_app, path: str) -> None:
    client = make_app(CustomerView, RouteView)
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1 class=\"h3\">Not found</h1>" in response.text


@SQLITE_ONLY
def test_unknown_ids_on_posts_and_htmx_get_404_too(make_app) -> None:
    client = make_app(CustomerView)
    assert client.submit("/customers/999/edit", {"name": "x"}).status_code == 404
    assert client.submit("/customers/999/delete").status_code == 404
    hx = client.get("/customers/999", headers=htmx_headers())
    assert hx.status_code == 404 and hx_toast(hx)["title"] == "Not found"
    assert client.count(Customer) == 0


def test_composite_primary_keys_in_urls(make_app) -> None:
    client = make_app(RouteView)
    for number in (7, 8):
        created = client.submit("/routes/create", {"region": "eu", "number": str(number),
                                                   "label": f"Route {number}"})
        assert created.status_code == 303, created.text
    page = client.get("/routes").text
    assert 'href="/routes/eu,7/edit"' in page
    assert "Route 7" in client.get("/routes/eu,7").text
    assert client.submit("/routes/eu,7/edit", {"region": "eu", "number": "7",
                                               "label": "Renamed"}).status_code == 303
    assert client.submit("/routes/eu,8/delete").status_code == 303
    with client.db() as db:
        assert [(r.region, r.number, r.label) for r in db.scalars(select(Route))] == \
            [("eu", 7, "Renamed")]
    duplicate = client.submit("/routes/create", {"region": "eu", "number": "7", "label": "x"})
    assert duplicate.status_code == 422 and "already exists" in duplicate.text


@pytest.mark.parametrize("key", ["net/dns", "a,b", "50% off", "x/edit", "a b?c#d", "100%41",
                                 "..", "café~1"])
def test_string_primary_keys_with_slashes_and_commas_in_urls(make_app, key: str) -> None:
    client = make_app(SettingView)
    with client.db() as db:
        db.add_all([Setting(key=key, value="on"), Setting(key="x", value="decoy")])
        db.commit()
    detail_url = view_link(client.get("/settings").text, "key", key)
    assert detail_url.startswith("/settings/") and detail_url.count("/") == 2
    detail = client.get(detail_url)
    assert detail.status_code == 200
    assert '<td data-col="value">on</td>' in detail.text
    edit = client.submit(f"{detail_url}/edit", {"key": key, "value": "off"})
    assert edit.status_code == 303, edit.text
    with client.db() as db:
        assert db.get(Setting, key).value == "off"
        assert db.get(Setting, "x").value == "decoy"
    assert client.submit(f"{detail_url}/delete").status_code == 303
    with client.db() as db:
        assert db.get(Setting, key) is None and db.get(Setting, "x") is not None


@SQLITE_ONLY
def test_create_item_prepares_new_rows(make_app) -> None:
    class QuickAdd(CRUDView):
        model = Device
        form_columns = ["hostname", "customer_id"]

        def create_item(self):
            return Device(description="Added from the admin", status=Status.maintenance)

    client = make_app(QuickAdd)
    fleet = client.seed()
    client.submit("/devices/create", {"hostname": "quick",
                                      "customer_id": fleet.customers["Globex"].id})
    row = device_by_hostname(client, "quick")
    assert (row.description, row.status) == ("Added from the admin", Status.maintenance)


def test_models_on_fasthx_core_base_work_the_same(make_app) -> None:
    class NoteView(CRUDView):
        model = Note

    client = make_app(NoteView)
    assert client.submit("/core_test_notes/create", {"title": "Hello", "body": "World"}) \
        .status_code == 303
    page = client.get("/core_test_notes").text
    assert "Hello" in page and "<title>Core Test Notes · Admin</title>" in page


def test_composite_keys_whose_values_contain_commas_and_slashes(make_app) -> None:
    client = make_app(RouteView)
    with client.db() as db:
        db.add_all([Route(region="us,east/1", number=3, label="Tricky"),
                    Route(region="us", number=3, label="Decoy")])
        db.commit()
    url = view_link(client.get("/routes").text, "label", "Tricky")
    assert url == "/routes/us~2Ceast~2F1,3"
    assert "Tricky" in client.get(url).text
    assert client.submit(f"{url}/delete").status_code == 303
    with client.db() as db:
        assert [r.label for r in db.scalars(select(Route))] == ["Decoy"]
