"""Forms made from the mapper: one field per column type, validators from the schema, and the
view's form_* attributes (columns, sections, widget overrides, ajax refs)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from fasthx_core import CRUDView

from .models import Customer, Device, Route, Tag
from .support import SQLITE_ONLY, form_controls, form_labels


class DeviceView(CRUDView):
    model = Device


class CustomerView(CRUDView):
    model = Customer


class RouteView(CRUDView):
    model = Route


@pytest.fixture
def client(make_app):
    client = make_app(DeviceView, CustomerView, RouteView)
    client.seed()
    return client


def form_html(page: str) -> str:
    start = page.index('<form id="form-body"')
    return page[start:page.index("</form>", start)]


# --- one field per column type -------------------------------------------------------------

FIELD_TABLE = [
    # (view url, field id, tag, expected attributes)
    ("/devices", "hostname", "input", {"type": "text", "maxlength": "50", "required": ""}),
    ("/devices", "load", "input", {"type": "number", "step": "any"}),  # Float
    ("/devices", "price", "input", {"type": "number"}),  # Numeric
    ("/routes", "number", "input", {"type": "number", "required": ""}),  # Integer
    ("/devices", "description", "textarea", {}),  # Text
    ("/devices", "active", "input", {"type": "checkbox", "role": "switch"}),  # Boolean
    ("/devices", "last_seen", "input", {"type": "datetime-local"}),  # DateTime
    ("/devices", "installed_on", "input", {"type": "date"}),  # Date
    ("/devices", "maintenance_at", "input", {"type": "time"}),  # Time
    ("/devices", "status", "select", {}),  # Enum
    ("/devices", "customer_id", "select", {"required": ""}),  # FK
    ("/devices", "tags", "select", {"multiple": ""}),  # many-to-many
]


@SQLITE_ONLY
@pytest.mark.parametrize(("url", "field_id", "tag", "attrs"), FIELD_TABLE,
                         ids=[f[1] for f in FIELD_TABLE])
def test_each_column_type_gets_its_input(client, url: str, field_id: str, tag: str,
                                         attrs: dict[str, str]) -> None:
    control = form_controls(client.get(f"{url}/create").text)[field_id]
    assert control.tag == tag
    assert attrs.items() <= control.attrs.items()


@SQLITE_ONLY
def test_every_field_has_a_label_tied_to_it(client) -> None:
    page = client.get("/devices/create").text
    labels = form_labels(page)
    for field_id in ("hostname", "status", "active", "load", "customer_id", "tags"):
        assert labels[field_id], field_id
    assert labels["customer_id"] == "Customer *"  # FK labelled by its relationship
    assert "id" not in form_controls(page)  # autoincrement primary keys are not in the form


@SQLITE_ONLY
def test_enum_select_lists_members_and_preselects_the_default(client) -> None:
    status = form_controls(client.get("/devices/create").text)["status"]
    # NOT NULL with a default: no blank choice (it could only fail on save), default preselected
    assert [v for v, _, _ in status.options] == ["online", "offline", "maintenance"]
    assert status.labels == ["Online", "Offline", "Maintenance"]
    assert status.selected == ["offline"]


def test_related_selects_list_related_rows_by_their_str(client) -> None:
    controls = form_controls(client.get("/devices/create").text)
    assert controls["customer_id"].labels == ["—", "Acme Corp", "Globex", "Initech"]
    assert sorted(controls["tags"].labels) == ["edge", "lab", "prod"]


def test_edit_form_shows_the_stored_values(client) -> None:
    with client.db() as db:
        device = db.scalars(select(Device).where(Device.hostname == "acme-edge-01")).one()
        tag_ids = {str(t.id) for t in device.tags}
    controls = form_controls(client.get(f"/devices/{device.id}/edit").text)
    assert controls["hostname"].attrs["value"] == "acme-edge-01"
    assert controls["load"].attrs["value"] == "0.5"
    assert controls["price"].attrs["value"] == "199.00"
    assert controls["installed_on"].attrs["value"] == "2024-01-10"
    assert controls["last_seen"].attrs["value"] == "2024-06-01T12:00"
    assert controls["maintenance_at"].attrs["value"] == "02:00"
    assert controls["status"].selected == ["online"]
    assert controls["customer_id"].selected == [str(device.customer_id)]
    assert set(controls["tags"].selected) == tag_ids
    assert "checked" in controls["active"].attrs


@SQLITE_ONLY
def test_required_and_optional_follow_nullability_and_defaults(client) -> None:
    customer = form_controls(client.get("/customers/create").text)
    assert "required" in customer["name"].attrs  # NOT NULL, no default
    assert "required" not in customer["email"].attrs  # nullable
    assert "required" not in customer["notes"].attrs
    device = form_controls(client.get("/devices/create").text)
    assert "required" not in device["status"].attrs  # NOT NULL but has a default
    missing = client.submit("/customers/create", {"email": "x@y.test"})
    assert missing.status_code == 422
    assert "This field is required." in missing.text
    assert client.count(Customer) == 3


@SQLITE_ONLY
def test_string_length_is_validated(client) -> None:
    response = client.submit("/customers/create", {"name": "x" * 101})
    assert response.status_code == 422
    assert "Field cannot be longer than 100 characters." in response.text


# --- unique columns ------------------------------------------------------------------------

def test_unique_column_gives_an_already_exists_error(client) -> None:
    response = client.submit("/customers/create", {"name": "Acme Corp"})
    assert response.status_code == 422
    assert "A Customer with this name already exists." in response.text
    assert client.count(Customer) == 3


def test_unique_check_ignores_the_row_being_edited(client) -> None:
    with client.db() as db:
        acme = db.scalars(select(Customer).where(Customer.name == "Acme Corp")).one()
    same = client.submit(f"/customers/{acme.id}/edit", {"name": "Acme Corp",
                                                         "email": "new@acme.test"})
    assert same.status_code == 303
    clash = client.submit(f"/customers/{acme.id}/edit", {"name": "Globex"})
    assert clash.status_code == 422
    assert "already exists" in clash.text
    with client.db() as db:
        assert db.get(Customer, acme.id).email == "new@acme.test"


# --- form_columns and form_sections --------------------------------------------------------

@SQLITE_ONLY
def test_form_columns_choose_and_order_the_fields(make_app) -> None:
    class QuickEdit(CRUDView):
        model = Device
        form_columns = ["status", "hostname", "customer_id"]

    client = make_app(QuickEdit)
    fleet = client.seed()
    device = fleet.devices["acme-edge-02"]
    page = client.get(f"/devices/{device.id}/edit").text
    ids = re.findall(r'id="fx-field-([^"]+)"', page)
    assert ids == ["status", "hostname", "customer_id"]
    saved = client.submit(f"/devices/{device.id}/edit", {
        "status": "online", "hostname": "renamed", "customer_id": device.customer_id})
    assert saved.status_code == 303
    with client.db() as db:
        row = db.get(Device, device.id)
        assert (row.hostname, row.status.value) == ("renamed", "online")
        assert (row.load, row.description, row.active) == (2.5, None, False)  # untouched


@SQLITE_ONLY
def test_form_sections_make_an_accordion_with_the_first_open(make_app) -> None:
    class Sectioned(CRUDView):
        model = Device
        form_sections = {"Identity": ["hostname", "customer_id"],
                         "Hardware": ["load", "price"]}

    client = make_app(Sectioned)
    client.seed()
    page = client.get("/devices/create").text
    assert 'class="accordion mb-3" id="form-sections"' in page
    titles = re.findall(r'aria-controls="section-\d+">([^<]+)</button>', page)
    assert titles == ["Identity", "Hardware", "Other"]
    panels = re.findall(r'<div id="(section-\d+)" class="accordion-collapse collapse ?(show)?"',
                        page)
    assert panels == [("section-1", "show"), ("section-2", ""), ("section-3", "")]
    identity = page[page.index('id="section-1"'):page.index('id="section-2"')]
    assert 'id="hostname"' in identity and 'id="customer_id"' in identity
    other = page[page.index('id="section-3"'):]
    assert 'id="status"' in other and 'id="tags"' in other


@SQLITE_ONLY
def test_a_section_with_an_error_opens_on_re_render(make_app) -> None:
    class Sectioned(CRUDView):
        model = Device
        form_sections = [("Identity", ["hostname", "customer_id"]), ("Hardware", ["load"])]

    client = make_app(Sectioned)
    fleet = client.seed()
    page = client.submit("/devices/create", {
        "hostname": "h", "customer_id": fleet.customers["Globex"].id, "load": "heavy"}).text
    panels = dict(re.findall(r'<div id="(section-\d+)" class="accordion-collapse collapse ?'
                             r'(show)?"', page))
    assert panels["section-2"] == "show"
    assert "Not a valid float value." in page


# --- form_widget_overrides -----------------------------------------------------------------

class OverriddenDeviceView(CRUDView):
    model = Device
    form_columns = ["hostname", "description", "customer_id", "status"]
    form_widget_overrides = {
        "hostname": {"placeholder": "edge-01", "autocomplete": "off", "data_role": "host",
                     "label": "Host name", "description": "Lower case, no spaces"},
        "description": {"type": "select", "choices": [("rack", "In a rack"),
                                                      ("desk", "On a desk")]},
        # a dependent dropdown: choosing a region reloads the customer options
        "region": {"type": "select", "choices": [("eu", "Europe"), ("us", "Americas")],
                   "hx_get": "/devices/customers-by-region", "hx_target": "#customer_id",
                   "hx_trigger": "change"},
        "customer_id": {"hx_get": "/devices/sites", "hx_target": "#site"},
    }
    seen_form_data: list[dict] = []

    def on_model_change(self, item, form_data, is_new, db, request=None) -> None:
        self.seen_form_data.append(dict(form_data))


@SQLITE_ONLY
def test_widget_overrides_add_attributes_labels_and_help(make_app) -> None:
    client = make_app(OverriddenDeviceView)
    client.seed()
    page = client.get("/devices/create").text
    hostname = form_controls(page)["hostname"]
    assert hostname.attrs["placeholder"] == "edge-01"
    assert hostname.attrs["autocomplete"] == "off"
    assert hostname.attrs["data-role"] == "host"
    assert form_labels(page)["hostname"] == "Host name *"
    assert '<div class="form-text">Lower case, no spaces</div>' in page


@SQLITE_ONLY
def test_widget_override_type_select_with_choices(make_app) -> None:
    client = make_app(OverriddenDeviceView)
    fleet = client.seed()
    description = form_controls(client.get("/devices/create").text)["description"]
    assert description.tag == "select"
    assert description.options[1:] == [("rack", "In a rack", False), ("desk", "On a desk", False)]
    data = {"hostname": "h1", "customer_id": fleet.customers["Globex"].id, "status": "online"}
    bad = client.submit("/devices/create", {**data, "description": "garage"})
    assert bad.status_code == 422 and "Not a valid choice." in bad.text
    good = client.submit("/devices/create", {**data, "description": "desk"})
    assert good.status_code == 303
    with client.db() as db:
        assert db.scalars(select(Device.description).where(Device.hostname == "h1")).one() \
            == "desk"


@SQLITE_ONLY
def test_dependent_dropdown_attributes_are_rendered(make_app) -> None:
    client = make_app(OverriddenDeviceView)
    client.seed()
    controls = form_controls(client.get("/devices/create").text)
    region = controls["region"]
    assert region.tag == "select"
    assert region.attrs["hx-get"] == "/devices/customers-by-region"
    assert region.attrs["hx-target"] == "#customer_id"
    assert region.attrs["hx-trigger"] == "change"
    assert controls["customer_id"].attrs["hx-get"] == "/devices/sites"
    assert controls["customer_id"].attrs["hx-target"] == "#site"


@SQLITE_ONLY
def test_extra_override_fields_reach_the_hooks_but_not_the_model(make_app) -> None:
    client = make_app(OverriddenDeviceView)
    fleet = client.seed()
    OverriddenDeviceView.seen_form_data.clear()
    response = client.submit("/devices/create", {
        "hostname": "h2", "customer_id": fleet.customers["Acme Corp"].id, "region": "eu"})
    assert response.status_code == 303
    assert OverriddenDeviceView.seen_form_data[0]["region"] == "eu"
    assert not hasattr(Device, "region")


@SQLITE_ONLY
def test_select_choices_may_be_loaded_per_request(make_app) -> None:
    class TagChoice(CRUDView):
        model = Device
        form_columns = ["hostname", "customer_id", "description"]
        form_widget_overrides = {"description": {
            "type": "select",
            "choices": lambda db: [(t.name, t.name.upper()) for t in db.scalars(
                select(Tag).order_by(Tag.name))]}}

    client = make_app(TagChoice)
    client.seed()
    description = form_controls(client.get("/devices/create").text)["description"]
    assert description.labels == ["—", "EDGE", "LAB", "PROD"]


# --- related rows: ajax refs, and automatic ajax above the select limit --------------------

class AjaxDeviceView(CRUDView):
    model = Device
    form_ajax_refs = {"customer_id": {"fields": ["name", "email"], "page_size": 2,
                                      "placeholder": "Find a customer…"}}


@SQLITE_ONLY
def test_ajax_ref_renders_a_search_box_instead_of_options(make_app) -> None:
    client = make_app(AjaxDeviceView)
    client.seed()
    page = client.get("/devices/create").text
    controls = form_controls(page)
    assert controls["customer_id"].tag == "input"
    assert controls["customer_id"].attrs["type"] == "hidden"
    search = controls["customer_id-search"]
    assert search.attrs["placeholder"] == "Find a customer…"
    assert search.attrs["hx-get"] == "/devices/ajax/customer_id"
    assert "Acme Corp" not in form_html(page)


def test_ajax_ref_preselects_the_current_value_on_edit(make_app) -> None:
    client = make_app(AjaxDeviceView)
    fleet = client.seed()
    device = fleet.devices["globex-core"]
    controls = form_controls(client.get(f"/devices/{device.id}/edit").text)
    assert controls["customer_id"].attrs["value"] == str(fleet.customers["Globex"].id)
    assert controls["customer_id-search"].attrs["value"] == "Globex"


@SQLITE_ONLY
def test_ajax_urls_include_the_admin_url_prefix(make_app) -> None:
    client = make_app(AjaxDeviceView, url_prefix="/admin")
    client.seed()
    search = form_controls(client.get("/admin/devices/create").text)["customer_id-search"]
    assert search.attrs["hx-get"] == "/admin/devices/ajax/customer_id"
    assert client.get("/admin/devices/ajax/customer_id").status_code == 200


def test_fk_select_turns_into_ajax_above_the_limit(make_app) -> None:
    class SmallLimit(CRUDView):
        model = Device
        form_fk_select_limit = 3

    client = make_app(SmallLimit)
    fleet = client.seed()
    assert form_controls(client.get("/devices/create").text)["customer_id"].tag == "select"
    with client.db() as db:
        db.add_all([Customer(name=f"Customer {n:02}") for n in range(10)])
        db.commit()
    device = fleet.devices["initech-printer"]
    page = client.get(f"/devices/{device.id}/edit").text
    controls = form_controls(page)
    assert controls["customer_id"].attrs["type"] == "hidden"
    assert controls["customer_id-search"].attrs["value"] == "Initech"
    assert "Customer 09" not in page and "Acme Corp" not in form_html(page)


def test_fk_select_without_auto_ajax_stays_bounded_and_keeps_the_current_value(
        make_app) -> None:
    class NoAjax(CRUDView):
        model = Device
        form_fk_select_limit = 2
        form_ajax_auto = False

    client = make_app(NoAjax)
    fleet = client.seed()
    device = fleet.devices["initech-printer"]
    select_ = form_controls(client.get(f"/devices/{device.id}/edit").text)["customer_id"]
    assert select_.tag == "select"
    assert len(select_.options) == 3  # the current value, and 2 rows at most
    assert select_.selected == [str(fleet.customers["Initech"].id)]


def test_relationship_key_in_form_columns_saves_the_relationship(make_app) -> None:
    class ByRelationship(CRUDView):
        model = Device
        form_columns = ["hostname", "customer"]

    client = make_app(ByRelationship)
    fleet = client.seed()
    customer = form_controls(client.get("/devices/create").text)["customer"]
    assert customer.tag == "select" and "Globex" in customer.labels
    response = client.submit("/devices/create", {"hostname": "via-relationship",
                                                 "customer": fleet.customers["Globex"].id})
    assert response.status_code == 303
    with client.db() as db:
        row = db.scalars(select(Device).where(Device.hostname == "via-relationship")).one()
        assert row.customer.name == "Globex"


# --- the ajax route ------------------------------------------------------------------------

def ajax_values(html: str) -> list[str]:
    return re.findall(r'data-label="([^"]*)"', html)


def test_ajax_route_pages_through_options_as_html(make_app) -> None:
    client = make_app(AjaxDeviceView)
    client.seed()
    first = client.get("/devices/ajax/customer_id", params={"q": ""})
    assert first.status_code == 200
    assert ajax_values(first.text) == ["Acme Corp", "Globex"]  # ordered by the first field
    assert 'hx-get="/devices/ajax/customer_id?q=&amp;page=2"' in first.text
    assert 'hx-trigger="intersect once"' in first.text  # infinite scroll
    second = client.get("/devices/ajax/customer_id", params={"page": 2})
    assert ajax_values(second.text) == ["Initech"]
    assert "Loading more" not in second.text
    assert client.get("/devices/ajax/customer_id", params={"page": "abc"}).status_code == 200


def test_ajax_route_searches_every_configured_field(make_app) -> None:
    client = make_app(AjaxDeviceView)
    fleet = client.seed()
    by_name = client.get("/devices/ajax/customer_id", params={"q": "glob"}).text
    assert ajax_values(by_name) == ["Globex"]
    by_email = client.get("/devices/ajax/customer_id", params={"q": "initech.test"}).text
    assert ajax_values(by_email) == ["Initech"]
    assert f'data-value="{fleet.customers["Initech"].id}"' in by_email
    assert "No matches" in client.get("/devices/ajax/customer_id?q=zzz").text


def test_ajax_route_answers_json_when_asked(make_app) -> None:
    client = make_app(AjaxDeviceView)
    fleet = client.seed()
    body = client.get("/devices/ajax/customer_id", params={"page": 1},
                      headers={"Accept": "application/json"}).json()
    assert body["items"] == [
        {"value": str(fleet.customers["Acme Corp"].id), "label": "Acme Corp"},
        {"value": str(fleet.customers["Globex"].id), "label": "Globex"}]
    assert body["more"] is True
    assert body["next"] == "/devices/ajax/customer_id?q=&page=2"
    last = client.get(body["next"], headers={"Accept": "application/json"}).json()
    assert [i["label"] for i in last["items"]] == ["Initech"]
    assert (last["more"], last["next"]) == (False, None)
    assert json.dumps(last)  # plain JSON types only


@SQLITE_ONLY
def test_ajax_route_only_serves_related_fields(make_app) -> None:
    client = make_app(AjaxDeviceView)
    assert client.get("/devices/ajax/hostname").status_code == 404
    assert client.get("/devices/ajax/nope").status_code == 404


# --- form_args on a foreign key: the rows offered and their labels ------------------------------

class PickyDeviceView(CRUDView):
    model = Device
    name = "picky_devices"
    form_args = {"customer_id": {
        "query_factory": lambda: select(Customer).where(Customer.name != "Globex")
                                                 .order_by(Customer.name),
        "get_label": lambda c: f"{c.name} <{c.email or 'no mail'}>"}}


def test_query_factory_offers_only_its_rows_and_refuses_others(make_app):
    client = make_app(PickyDeviceView)
    fleet = client.seed()
    view = client.admin.get_view("picky_devices")
    page = client.get(view.urls.create()).text
    assert "Acme Corp &lt;ops@acme.test&gt;" in page and "Initech &lt;it@initech.test&gt;" in page
    assert "Globex" not in form_html(page)
    globex = fleet.customers["Globex"].id
    before = client.count(Device)
    refused = client.submit(view.urls.create(), {"hostname": "x-1", "status": "online",
                                                 "customer_id": str(globex)})
    assert refused.status_code == 422 and "Not a valid choice" in refused.text
    assert client.count(Device) == before
    acme = fleet.customers["Acme Corp"].id
    saved = client.submit(view.urls.create(), {"hostname": "x-1", "status": "online",
                                               "customer_id": str(acme)})
    assert saved.status_code in (302, 303)
    with client.db() as db:
        assert db.scalar(select(Device).where(Device.hostname == "x-1")).customer_id == acme
