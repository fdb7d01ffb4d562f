"""Inline editing of list cells: one field saved through the normal form, hooks and checks."""

from sqlalchemy import select

from fasthx_core import CRUDView, ValidationError

from .models import Device
from .support import htmx_headers


class EditableDevices(CRUDView):
    model = Device
    column_list = ["hostname", "load", "customer"]
    column_editable_list = ["hostname", "load"]
    changes: list = []

    def on_model_change(self, item, form_data, is_new, db, request=None):
        if item.hostname == "forbidden":
            raise ValidationError("That name is reserved.")
        self.changes.append((item.hostname, is_new))


def first_device(client):
    with client.db() as db:
        return db.scalars(select(Device).order_by(Device.id)).first()


def test_editable_cells_open_an_editor_and_save_one_field(make_app):
    client = make_app(EditableDevices)
    client.seed()
    device = first_device(client)
    page = client.get("/devices").text
    assert f'hx-get="/devices/{device.id}/cell/hostname"' in page
    assert f"/devices/{device.id}/cell/customer" not in page  # not editable
    editor = client.get(f"/devices/{device.id}/cell/hostname", headers=htmx_headers())
    assert editor.status_code == 200 and 'name="hostname"' in editor.text
    token = client.csrf_token()
    saved = client.post(f"/devices/{device.id}/cell/hostname", data={"hostname": "renamed-01"},
                        headers=htmx_headers(token))
    assert saved.status_code == 200 and "renamed-01" in saved.text
    assert "successfully saved" in saved.headers["HX-Trigger"]
    assert first_device(client).hostname == "renamed-01"
    assert first_device(client).customer_id == device.customer_id  # other fields untouched
    assert ("renamed-01", False) in EditableDevices.changes


def test_refused_cell_values_keep_the_editor_and_save_nothing(make_app):
    client = make_app(EditableDevices)
    client.seed()
    device = first_device(client)
    token = client.csrf_token()
    bad = client.post(f"/devices/{device.id}/cell/load", data={"load": "abc"},
                      headers=htmx_headers(token))
    assert 'value="abc"' in bad.text and "danger" in bad.headers["HX-Trigger"]
    hooked = client.post(f"/devices/{device.id}/cell/hostname", data={"hostname": "forbidden"},
                         headers=htmx_headers(token))
    assert "That name is reserved." in hooked.text
    assert first_device(client).hostname == device.hostname
    assert first_device(client).load == device.load


def test_cells_not_listed_as_editable_are_refused(make_app):
    client = make_app(EditableDevices)
    client.seed()
    device = first_device(client)
    token = client.csrf_token()
    out = client.post(f"/devices/{device.id}/cell/customer_id", data={"customer_id": "1"},
                      headers=htmx_headers(token))
    assert out.status_code == 404
    assert client.post(f"/devices/{device.id}/cell/hostname",
                       data={"hostname": "x"}).status_code == 403  # no CSRF token


class BrokenHookDevices(EditableDevices):
    name = "broken_devices"

    def on_model_change(self, item, form_data, is_new, db, request=None):
        raise RuntimeError("the audit service is down")


def test_a_failing_hook_on_a_cell_is_a_message_not_a_server_error(make_app):
    client = make_app(BrokenHookDevices)
    client.seed()
    device = first_device(client)
    url = client.admin.get_view("broken_devices").urls.cell(str(device.id), "hostname")
    answer = client.post(url, data={"hostname": "renamed-02"},
                         headers=htmx_headers(client.csrf_token()))
    assert answer.status_code != 500 and 'value="renamed-02"' in answer.text
    assert "unexpected error" in answer.headers["HX-Trigger"]
    assert first_device(client).hostname == device.hostname
