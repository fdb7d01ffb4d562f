"""A create form and an edit form with different fields and sections
(`form_create_columns`/`form_edit_columns`, `form_create_sections`/`form_edit_sections`), and
`column_choices` labels in the CSV export."""

from __future__ import annotations

import csv
import io
import re

from fasthx_core import CRUDView

from .models import Customer, Device
from .support import SQLITE_ONLY


def field_ids(page: str) -> list[str]:
    return re.findall(r'id="fx-field-([^"]+)"', page)


def section_titles(page: str) -> list[str]:
    return re.findall(r'aria-controls="section-\d+">([^<]+)</button>', page)


class Onboarding(CRUDView):
    """A short create form; the edit form has every field, in its own sections."""

    model = Device
    form_columns = ["hostname", "customer_id", "status", "load"]
    form_create_columns = ["hostname", "customer_id"]
    form_create_sections = [("Identity", ["hostname"]), ("Owner", ["customer_id"])]
    form_edit_sections = [("Runtime", ["status", "load"])]


@SQLITE_ONLY
def test_create_and_edit_forms_have_their_own_fields_and_sections(make_app) -> None:
    client = make_app(Onboarding)
    fleet = client.seed()
    create = client.get("/devices/create").text
    assert field_ids(create) == ["hostname", "customer_id"]
    assert section_titles(create) == ["Identity", "Owner"]
    device = fleet.devices["acme-edge-02"]
    edit = client.get(f"/devices/{device.id}/edit").text
    assert field_ids(edit) == ["status", "load", "hostname", "customer_id"]
    assert section_titles(edit) == ["Runtime", "Other"]
    acme = fleet.customers["Acme Corp"]
    saved = client.submit("/devices/create", {"hostname": "new-edge", "customer_id": acme.id})
    assert saved.status_code == 303
    with client.db() as db:
        new = db.query(Device).filter_by(hostname="new-edge").one()
        assert (new.status.value, new.load) == ("offline", None)  # defaults, not blanked
    saved = client.submit(f"/devices/{device.id}/edit", {
        "hostname": "acme-edge-02", "customer_id": acme.id, "status": "online", "load": "7"})
    assert saved.status_code == 303
    with client.db() as db:
        assert (db.get(Device, device.id).status.value, db.get(Device, device.id).load) == (
            "online", 7.0)


@SQLITE_ONLY
def test_export_shows_column_choices_labels(make_app) -> None:
    class Labelled(CRUDView):
        model = Customer
        column_list = ["name", "email"]
        column_choices = {"name": [("Acme Corp", "ACME Corporation")]}

    client = make_app(Labelled)
    client.seed()
    rows = list(csv.reader(io.StringIO(client.get("/customers/export/csv?sort=name").text)))
    assert rows[1] == ["ACME Corporation", "ops@acme.test"]
    assert rows[2][0] == "Globex"  # a value without a label is exported as it is
