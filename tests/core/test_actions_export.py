"""Batch actions, row actions, polling cells, progress bars and the CSV export."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from markupsafe import Markup
from sqlalchemy import select, update
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fasthx_core import CRUDView, ValidationError, set_progress, toast_response

from .models import Customer, Device, Status, Tag
from .support import SQLITE_ONLY, htmx_headers


class DeviceOpsView(CRUDView):
    model = Device
    column_list = ["hostname", "status", "customer", "load"]
    column_formatters = {
        "status": lambda value, obj: Markup('<span class="badge">{}</span>').format(value.value),
    }
    row_actions = [
        {"label": "Build", "icon": "hammer", "hx_post": "/{name}/{id}/build",
         "confirm": "Build this device?", "class": "btn-build"},
        {"label": "Logs", "icon": "journal", "hx_get": "/{name}/{id}/logs",
         "hx_target": "#logs", "hx_swap": "innerHTML"},
        {"label": "Docs", "icon": "book", "href": "https://docs.example.test/devices/{id}",
         "target": "_blank"},
    ]
    htmx_columns = {"status": {"url": "/{name}/{id}/status", "trigger": "every 5s",
                               "terminal_states": ["online", "maintenance"]}}

    @CRUDView.action("deactivate", "Deactivate", confirm="Deactivate {count} devices?",
                     icon="power")
    def deactivate(self, db, items, request):
        for device in items:
            device.active = False
        return f"Deactivated {len(items)} devices."

    @CRUDView.action("forbid", "Forbid")
    def forbid(self, db, items, request):
        for device in items:
            device.active = False
        raise ValidationError("Devices in maintenance cannot be changed.")

    @CRUDView.action("report", "Report")
    def report(self, db, items, request):
        return HTMLResponse(f"<p>{len(items)} devices</p>")

    @CRUDView.endpoint("/{name}/{id}/build", methods=["POST"])
    async def build(self, request: Request, item_id: str):
        return self.progress_response(request, item_id, 10, "Building…")


@pytest.fixture
def client(make_app):
    client = make_app(DeviceOpsView)
    client.fleet = client.seed()
    return client


def active_hostnames(client) -> set[str]:
    with client.db() as db:
        return set(db.scalars(select(Device.hostname).where(Device.active.is_(True))))


def all_hostnames(client) -> set[str]:
    with client.db() as db:
        return set(db.scalars(select(Device.hostname)))


def ids_of(client, *hostnames: str) -> list[str]:
    return [str(client.fleet.devices[h].id) for h in hostnames]


# --- batch actions -------------------------------------------------------------------------

def test_batch_delete_removes_the_selected_rows(client) -> None:
    chosen = ids_of(client, "acme-edge-01", "globex-core")
    response = client.submit("/devices/batch", {"action": "delete", "ids": ",".join(chosen)})
    assert response.status_code == 303 and response.headers["location"] == "/devices"
    assert all_hostnames(client) == {"acme-edge-02", "globex-lab-7", "initech-printer"}


def test_batch_over_htmx_takes_repeated_ids_and_refreshes_the_list(client) -> None:
    chosen = ids_of(client, "acme-edge-02", "initech-printer")
    response = client.submit("/devices/batch", {"action": "delete", "ids": chosen}, htmx=True)
    assert response.status_code == 200
    events = json.loads(response.headers["HX-Trigger"])
    assert events["showToast"] == {"message": "Deleted 2 rows.", "type": "success"}
    assert events["refreshList"] is True
    assert all_hostnames(client) == {"acme-edge-01", "globex-core", "globex-lab-7"}


@SQLITE_ONLY
def test_batch_answers_go_back_to_a_local_referer_only(client) -> None:
    chosen = ids_of(client, "globex-core")
    back = client.submit("/devices/batch", {"action": "deactivate", "ids": chosen},
                         headers={"referer": "http://testserver/devices?q=globex"})
    assert back.headers["location"] == "http://testserver/devices?q=globex"
    away = client.submit("/devices/batch", {"action": "deactivate", "ids": chosen},
                         headers={"referer": "https://evil.example/devices"})
    assert away.headers["location"] == "/devices"


def test_custom_batch_action_changes_only_the_selected_rows(client) -> None:
    chosen = ids_of(client, "acme-edge-01", "globex-lab-7")
    response = client.submit("/devices/batch", {"action": "deactivate", "ids": chosen},
                             htmx=True)
    assert json.loads(response.headers["HX-Trigger"])["showToast"] == {
        "message": "Deactivated 2 devices.", "type": "success"}
    assert active_hostnames(client) == {"globex-core", "initech-printer"}


def test_batch_action_refusing_rolls_back(client) -> None:
    response = client.submit("/devices/batch", {"action": "forbid",
                                                "ids": ids_of(client, "globex-core")},
                             htmx=True)
    assert json.loads(response.headers["HX-Trigger"])["showToast"] == {
        "message": "Devices in maintenance cannot be changed.", "type": "danger"}
    assert "globex-core" in active_hostnames(client)


@SQLITE_ONLY
def test_batch_action_may_answer_with_its_own_response(client) -> None:
    response = client.submit("/devices/batch", {"action": "report",
                                                "ids": ids_of(client, "globex-core")})
    assert response.text == "<p>1 devices</p>"


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "explode", "ids": "1"}, "Unknown action."),
    ({"action": "delete", "ids": ""}, "No rows selected."),
    ({"action": "delete", "ids": "abc,,x"}, "No rows selected."),
])
def test_bad_batch_requests_are_refused_with_a_message(client, data, message) -> None:
    response = client.submit("/devices/batch", data, htmx=True)
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"])["showToast"] == {
        "message": message, "type": "danger"}
    assert len(all_hostnames(client)) == 5


@SQLITE_ONLY
def test_batch_buttons_are_rendered_with_confirmation(client) -> None:
    page = client.get("/devices").text
    button = re.search(r'<button[^>]*hx-vals=\'\{"action": "deactivate"\}\'[^>]*>', page)
    assert button, "no Deactivate batch button"
    assert 'hx-post="/devices/batch"' in button.group(0)
    assert 'hx-confirm="Deactivate {count} devices?"' in button.group(0)
    assert 'hx-confirm="Delete {count} selected rows?"' in page
    assert f'name="ids" value="{client.fleet.devices["globex-core"].id}"' in page


# --- row actions ---------------------------------------------------------------------------

@SQLITE_ONLY
def test_row_actions_are_rendered_with_the_row_id(client) -> None:
    device_id = client.fleet.devices["globex-core"].id
    page = client.get("/devices").text
    row = re.search(rf'<tr id="row-{device_id}">(.*?)</tr>', page, re.S).group(1)
    build = re.search(r'<button[^>]*btn-build[^>]*>', row, re.S).group(0)
    assert f'hx-post="/devices/{device_id}/build"' in build
    assert 'hx-target="closest tr"' in build and 'hx-swap="afterend"' in build
    assert 'hx-confirm="Build this device?"' in build
    assert f'hx-get="/devices/{device_id}/logs"' in row
    assert 'hx-target="#logs" hx-swap="innerHTML"' in row
    assert (f'href="https://docs.example.test/devices/{device_id}" target="_blank" '
            'rel="noopener"') in row
    assert '<span class="visually-hidden">Build</span>' in row  # buttons have text


@SQLITE_ONLY
def test_row_action_urls_get_the_admin_prefix(make_app) -> None:
    client = make_app(DeviceOpsView, url_prefix="/admin")
    fleet = client.seed()
    device_id = fleet.devices["acme-edge-02"].id
    page = client.get("/admin/devices").text
    assert f'hx-post="/admin/devices/{device_id}/build"' in page
    assert f'hx-get="/admin/devices/{device_id}/status"' in page
    assert client.submit(f"/admin/devices/{device_id}/build").status_code == 200


@SQLITE_ONLY
def test_row_action_endpoint_starts_a_progress_bar_that_stops_at_100(client) -> None:
    device_id = client.fleet.devices["globex-core"].id
    started = client.submit(f"/devices/{device_id}/build", htmx=True)
    assert started.status_code == 200
    assert started.text.lstrip().startswith('<tr class="progress-row"')
    assert f'hx-get="/devices/{device_id}/progress" hx-trigger="every 500ms"' in started.text
    assert 'aria-valuenow="10"' in started.text and "Building…" in started.text
    assert f'colspan="{client.admin.get_view("devices").get_colspan()}"' in started.text
    set_progress(f"devices:{device_id}", 60, "Copying image")
    polled = client.get(f"/devices/{device_id}/progress")
    assert 'aria-valuenow="60"' in polled.text and "hx-get" in polled.text
    set_progress(f"devices:{device_id}", 100, "Done")
    done = client.get(f"/devices/{device_id}/progress")
    assert 'aria-valuenow="100"' in done.text and "Done" in done.text
    assert "hx-get" not in done.text and "hx-trigger" not in done.text
    assert "bg-success" in done.text


# --- polling cells -------------------------------------------------------------------------

@SQLITE_ONLY
def test_htmx_column_polls_until_a_terminal_state(client) -> None:
    page = client.get("/devices").text
    offline = client.fleet.devices["acme-edge-02"].id
    online = client.fleet.devices["acme-edge-01"].id
    assert (f'<span id="htmx-status-{offline}" hx-get="/devices/{offline}/status" '
            'hx-trigger="every 5s" hx-swap="innerHTML">') in page
    assert f'id="htmx-status-{online}"' not in page  # online is terminal: no polling


def test_polling_route_is_registered_and_answers_the_formatted_value(client) -> None:
    paths = {r.path for r in client.admin.get_view("devices").router.routes}
    assert "/devices/{item_id}/status" in paths
    device_id = client.fleet.devices["acme-edge-02"].id
    pending = client.get(f"/devices/{device_id}/status")
    assert pending.status_code == 200
    assert pending.text.strip() == '<span class="badge">offline</span>'
    with client.db() as db:
        db.execute(update(Device).where(Device.id == device_id).values(status=Status.online))
        db.commit()
    finished = client.get(f"/devices/{device_id}/status")
    assert finished.status_code == 286  # htmx stops polling on 286
    assert finished.text.strip() == '<span class="badge">online</span>'
    assert client.get("/devices/9999/status").status_code == 404


@SQLITE_ONLY
def test_polling_route_defaults_to_the_column_name(make_app) -> None:
    class Polled(CRUDView):
        model = Device
        htmx_columns = {"load": {"trigger": "every 2s"}}

    client = make_app(Polled)
    fleet = client.seed()
    device_id = fleet.devices["acme-edge-02"].id
    assert f'hx-get="/devices/{device_id}/load" hx-trigger="every 2s"' in \
        client.get("/devices").text
    assert client.get(f"/devices/{device_id}/load").text.strip() == "2.5"


# --- CSV export ----------------------------------------------------------------------------

def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_export_streams_csv_of_the_list_columns(client) -> None:
    response = client.get("/devices/export/csv", params={"sort": "hostname"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="devices.csv"'
    assert "content-length" not in response.headers  # streamed, not built in memory
    rows = read_csv(response.text)
    assert rows[0] == ["Hostname", "Status", "Customer", "Load"]
    assert rows[1] == ["acme-edge-01", "online", "Acme Corp", "0.5"]
    assert [r[0] for r in rows[1:]] == ["acme-edge-01", "acme-edge-02", "globex-core",
                                        "globex-lab-7", "initech-printer"]
    assert rows[3] == ["globex-core", "maintenance", "Globex", ""]


def test_export_respects_search_and_filters(make_app) -> None:
    class Filterable(DeviceOpsView):
        column_filters = ["status"]

    client = make_app(Filterable)
    client.seed()
    searched = read_csv(client.get("/devices/export/csv?q=acme").text)
    assert sorted(r[0] for r in searched[1:]) == ["acme-edge-01", "acme-edge-02"]
    filtered = read_csv(client.get("/devices/export/csv?flt_status_equals=online").text)
    assert sorted(r[0] for r in filtered[1:]) == ["acme-edge-01", "globex-lab-7"]
    page = client.get("/devices?q=acme&flt_status_equals=online").text
    assert 'href="/devices/export/csv?q=acme&amp;flt_status_equals=online"' in page


def test_export_reads_in_batches_with_to_many_columns(make_app, monkeypatch) -> None:
    """Rows are streamed in batches while a to-many column loads its members with its own
    query: every row arrives, on every database (MySQL drivers stream on the connection
    that the member query needs too)."""
    import fasthx_core.export

    class WithTags(CRUDView):
        model = Device
        column_export_list = ["hostname", "tags.name"]

    monkeypatch.setattr(fasthx_core.export, "BATCH", 2)
    client = make_app(WithTags)
    client.seed()
    rows = read_csv(client.get("/devices/export/csv?sort=hostname").text)
    assert [r[0] for r in rows[1:]] == ["acme-edge-01", "acme-edge-02", "globex-core",
                                        "globex-lab-7", "initech-printer"]
    assert sorted(rows[-1][1].split(", ")) == ["lab", "prod"]


def test_export_max_rows_bounds_the_export(make_app) -> None:
    class Bounded(DeviceOpsView):
        export_max_rows = 2

    client = make_app(Bounded)
    client.seed()
    assert len(read_csv(client.get("/devices/export/csv").text)) == 1 + 2


def test_export_columns_and_export_formatters(make_app) -> None:
    class Exported(CRUDView):
        model = Device
        column_export_list = ["hostname", "customer.name", "tags.name", "price"]
        column_formatters_export = {"price": lambda v, o: f"EUR {v}" if v else "n/a"}

    client = make_app(Exported)
    client.seed()
    rows = read_csv(client.get("/devices/export/csv?sort=hostname").text)
    assert rows[0] == ["Hostname", "Customer Name", "Tags Name", "Price"]
    by_host = {r[0]: r for r in rows[1:]}
    assert by_host["acme-edge-02"] == ["acme-edge-02", "Acme Corp", "edge", "EUR 249.50"]
    assert by_host["globex-core"][3] == "n/a"


def test_export_neutralises_spreadsheet_formulas(make_app) -> None:
    class CustomerExport(CRUDView):
        model = Customer
        column_list = ["name", "notes"]

    client = make_app(CustomerExport)
    values = ["=cmd|' /C calc'!A0", "+1+1", "-x", "@SUM(A1)", "-42", "-1.5", "\tTab",
              "plain"]
    with client.db() as db:
        db.add_all([Customer(name=f"c{i}", notes=v) for i, v in enumerate(values)])
        db.commit()
    rows = read_csv(client.get("/customers/export/csv?sort=name").text)
    notes = [r[1] for r in rows[1:]]
    assert notes == ["'=cmd|' /C calc'!A0", "'+1+1", "'-x", "'@SUM(A1)", "-42", "-1.5",
                     "'\tTab", "plain"]


@SQLITE_ONLY
def test_unknown_export_format_is_404(client) -> None:
    assert client.get("/devices/export/xlsx").status_code == 404


@SQLITE_ONLY
def test_batch_and_row_action_names_need_the_htmx_header_for_partial_answers(client) -> None:
    """Plain form posts (no JavaScript) still work: they get a redirect and a flashed toast."""
    response = client.submit("/devices/batch", {"action": "deactivate",
                                                "ids": ids_of(client, "globex-core")})
    assert response.status_code == 303
    page = client.get("/devices", headers={}).text
    assert "Deactivated 1 devices." in page
    assert "HX-Trigger" not in client.get("/devices", headers=htmx_headers()).headers


def test_multi_row_actions_post_the_selected_ids_to_the_views_own_url(make_app) -> None:
    class Selectable(CRUDView):
        model = Device
        multi_row_actions = [{"label": "Tag as lab", "icon": "tag",
                              "hx_post": "/devices/tag-lab", "confirm": "Tag them?"}]

        @CRUDView.endpoint("/{name}/tag-lab", methods=["POST"])
        async def tag_lab(self, request: Request):
            form = await request.form()
            with self.session() as db:
                lab = db.scalars(select(Tag).where(Tag.name == "lab")).one()
                devices = [self.get_item(db, raw) for raw in form.getlist("ids")]
                for device in devices:
                    device.tags.append(lab)
                db.commit()
            return toast_response("Tagged.", "success", refresh=True)

    client = make_app(Selectable)
    fleet = client.seed()
    page = client.get("/devices").text
    button = re.search(r'<button[^>]*hx-post="/devices/tag-lab"[^>]*>', page).group(0)
    assert 'hx-include="#list-results .fx-row-select:checked"' in button
    assert 'hx-confirm="Tag them?"' in button
    chosen = [str(fleet.devices[h].id) for h in ("acme-edge-01", "globex-core")]
    assert client.submit("/devices/tag-lab", {"ids": chosen}, htmx=True).status_code == 200
    with client.db() as db:
        tagged = set(db.scalars(select(Device.hostname).where(
            Device.tags.any(Tag.name == "lab"))))
    assert tagged == {"acme-edge-01", "globex-core", "globex-lab-7", "initech-printer"}
