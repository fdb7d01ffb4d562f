"""Inline child rows (`inline_models`): a customer's devices edited in the customer's form,
saved with it in one transaction, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fasthx_core import ConfigError, CRUDView, InlineModel, ValidationError

from .models import Customer, Device, Status
from .support import SQLITE_ONLY

SEEN: list[tuple[str, bool]] = []


class DeviceRows(InlineModel):
    model = Device
    form_columns = ["hostname", "status", "load"]

    def on_model_change(self, form, child, is_new):
        if child.hostname == "boom":
            raise RuntimeError("a child hook failed")
        SEEN.append((child.hostname, is_new))


class CustomerView(CRUDView):
    model = Customer
    form_columns = ["name", "email"]
    inline_models = [DeviceRows()]

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if item.name == "refuse":
            raise ValidationError("Refused by the hook.")


def devices_of(client, customer_id):
    with client.db() as db:
        return sorted((d.hostname, d.status.value, d.load) for d in db.scalars(
            select(Device).where(Device.customer_id == customer_id)))


def flagged(html, field_id):
    """Whether the field's block shows an error."""
    block = html.split(f'id="fx-field-{field_id}"', 1)[1].split('id="fx-field-', 1)[0]
    return "invalid-feedback" in block


def edit_post(fleet, name="Acme Corp", **rows):
    acme = fleet.customers["Acme Corp"]
    first, second = fleet.devices["acme-edge-01"], fleet.devices["acme-edge-02"]
    data = {"name": name, "email": "ops@acme.test",
            "devices-0-id": str(first.id), "devices-0-hostname": "acme-edge-01b",
            "devices-0-status": "maintenance", "devices-0-load": "3",
            "devices-1-id": str(second.id), "devices-1-hostname": "acme-edge-02",
            "devices-1-status": "offline", "devices-1-load": "",
            "del-devices-1": "y",
            "devices-2-id": "", "devices-2-hostname": "acme-new", "devices-2-status": "online",
            "devices-2-load": "1.5"}
    data.update(rows)
    return acme, data


def test_edit_updates_adds_and_deletes_rows_in_one_save(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    SEEN.clear()
    acme, data = edit_post(fleet)
    page = client.get(f"/customers/{acme.id}/edit").text
    assert 'name="devices-0-hostname"' in page and 'value="acme-edge-01"' in page
    assert f'name="devices-0-id" type="hidden" value="{fleet.devices["acme-edge-01"].id}"' in page
    assert 'name="del-devices-1"' in page
    saved = client.submit(f"/customers/{acme.id}/edit", data)
    assert saved.status_code == 303, saved.text
    assert devices_of(client, acme.id) == [("acme-edge-01b", "maintenance", 3.0),
                                           ("acme-new", "online", 1.5)]
    assert sorted(SEEN) == [("acme-edge-01b", False), ("acme-new", True)]
    with client.db() as db:  # the deleted row is gone, not orphaned
        assert db.get(Device, fleet.devices["acme-edge-02"].id) is None


def test_create_saves_parent_and_children_together(make_app) -> None:
    client = make_app(CustomerView)
    client.seed()
    saved = client.submit("/customers/create", {
        "name": "Hooli", "devices-0-hostname": "hooli-1", "devices-0-status": "online",
        "devices-3-hostname": "hooli-2", "devices-3-status": "offline",
        "devices-5-hostname": "left-out", "devices-5-status": "offline",
        "del-devices-5": "y"})
    assert saved.status_code == 303, saved.text
    with client.db() as db:
        hooli = db.scalars(select(Customer).where(Customer.name == "Hooli")).one()
        hooli_id = hooli.id
    assert devices_of(client, hooli_id) == [("hooli-1", "online", None),
                                            ("hooli-2", "offline", None)]


def test_invalid_row_saves_nothing_and_keeps_every_input(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme, data = edit_post(fleet, name="Acme Renamed", **{"devices-2-hostname": "",
                                                         "devices-0-load": "lots"})
    before = devices_of(client, acme.id)
    page = client.submit(f"/customers/{acme.id}/edit", data)
    assert page.status_code in (200, 422)
    assert devices_of(client, acme.id) == before
    with client.db() as db:
        assert db.get(Customer, acme.id).name == "Acme Corp"
    html = page.text
    assert 'value="Acme Renamed"' in html and 'value="acme-edge-01b"' in html
    assert re.search(r'name="devices-0-load"[^>]*value="lots"', html)
    assert re.search(r'name="del-devices-1" [^>]*checked', html)  # the delete mark is kept
    assert flagged(html, "devices-2-hostname") and flagged(html, "devices-0-load")
    assert not flagged(html, "devices-0-hostname")


def test_hook_refusal_rolls_back_children(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme, data = edit_post(fleet, name="refuse")
    before = devices_of(client, acme.id)
    page = client.submit(f"/customers/{acme.id}/edit", data)
    assert "Refused by the hook." in page.text
    assert devices_of(client, acme.id) == before
    assert 'value="acme-new"' in page.text  # the new row is still on the form


def test_a_failing_child_hook_rolls_back_everything(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme, data = edit_post(fleet, name="Acme Renamed", **{"devices-2-hostname": "boom"})
    page = client.submit(f"/customers/{acme.id}/edit", data)
    assert page.status_code != 303
    assert devices_of(client, acme.id) == [("acme-edge-01", "online", 0.5),
                                           ("acme-edge-02", "offline", 2.5)]
    with client.db() as db:
        assert db.get(Customer, acme.id).name == "Acme Corp"
    assert 'value="boom"' in page.text


def test_a_key_of_another_parents_row_makes_a_new_row(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme = fleet.customers["Acme Corp"]
    theirs = fleet.devices["globex-core"]
    saved = client.submit(f"/customers/{acme.id}/edit", {
        "name": "Acme Corp", "devices-0-id": str(theirs.id), "devices-0-hostname": "stolen",
        "devices-0-status": "online"})
    assert saved.status_code == 303
    with client.db() as db:
        other = db.get(Device, theirs.id)
        assert (other.hostname, other.customer_id) == ("globex-core",
                                                       fleet.customers["Globex"].id)
    assert ("stolen", "online", None) in devices_of(client, acme.id)


def test_a_delete_mark_for_another_parents_row_deletes_nothing(make_app) -> None:
    client = make_app(CustomerView)
    fleet = client.seed()
    acme = fleet.customers["Acme Corp"]
    theirs = fleet.devices["globex-core"]
    saved = client.submit(f"/customers/{acme.id}/edit", {
        "name": "Acme Corp", "devices-0-id": str(theirs.id), "devices-0-hostname": "x",
        "devices-0-status": "online", "del-devices-0": "y"})
    assert saved.status_code == 303
    with client.db() as db:
        assert db.get(Device, theirs.id) is not None


@SQLITE_ONLY
def test_add_row_route_gives_a_numbered_blank_row_and_the_next_button(make_app) -> None:
    client = make_app(CustomerView)
    client.seed()
    row = client.get("/customers/-inline/devices?index=4")
    assert row.status_code == 200
    assert 'name="devices-4-hostname"' in row.text and 'value="acme' not in row.text
    assert 'name="devices-4-id" type="hidden" value=""' in row.text
    assert 'hx-swap-oob="true"' in row.text and "index=5" in row.text
    for bad in ("?index=abc", "?index=-3", "?index=99999999999"):
        assert client.get("/customers/-inline/devices" + bad).status_code == 200
    assert client.get("/customers/-inline/nope").status_code == 404
    create = client.get("/customers/create").text
    assert 'hx-get="/customers/-inline/devices?index=0"' in create


@SQLITE_ONLY
def test_many_posted_rows_are_bounded(make_app) -> None:
    from fasthx_core.inline import MAX_ROWS

    client = make_app(CustomerView)
    client.seed()
    data = {"name": "Bulk"}
    for i in range(MAX_ROWS + 20):
        data[f"devices-{i}-hostname"] = f"bulk-{i}"
    saved = client.submit("/customers/create", data)
    assert saved.status_code == 303
    assert client.count(Device) == 5 + MAX_ROWS


def test_bad_configuration_is_a_startup_error() -> None:
    from fastapi import FastAPI

    from fasthx_core import Admin

    class Wrong(CRUDView):
        model = Customer
        inline_models = [InlineModel(Device, relationship="tags")]

    class NotAChild(CRUDView):
        model = Device
        name = "not_a_child"
        inline_models = [InlineModel(Customer)]

    admin = Admin(FastAPI(), secret_key="x")
    for view in (Wrong, NotAChild):
        with pytest.raises(ConfigError):
            admin.add_view(view)
    with pytest.raises(TypeError):
        InlineModel(Device, colums=["x"])


@SQLITE_ONLY
def test_model_class_alone_uses_every_child_column_but_the_parent_key(make_app) -> None:
    class Plain(CRUDView):
        model = Customer
        name = "plain"
        inline_models = [Device]

    client = make_app(Plain)
    fleet = client.seed()
    page = client.get(f"/plain/{fleet.customers['Globex'].id}/edit").text
    names = set(re.findall(r'name="devices-0-([a-z_]+)"', page))
    assert {"hostname", "status", "tags", "id"} <= names
    assert "customer_id" not in names and "customer" not in names
    assert Status.maintenance.value in page


@SQLITE_ONLY
def test_add_row_route_runs_the_views_access_check(make_app) -> None:
    class Hidden(CustomerView):
        name = "hidden"
        allowed_users = ["somebody-else"]

    class ReadOnly(CustomerView):
        name = "readonly"
        can_create = can_edit = False

    client = make_app(Hidden, ReadOnly)
    client.seed()
    assert client.get("/hidden/-inline/devices?index=0").status_code == 403
    assert client.get("/readonly/-inline/devices?index=0").status_code == 404
