"""``create_modal`` / ``edit_modal`` / ``detail_modal``: the list's links load modal bodies
over HTMX (``?modal=1``); the pages stay reachable without JavaScript."""

from __future__ import annotations

from fasthx_core import CRUDView

from .models import Customer
from .support import SQLITE_ONLY, htmx_headers


class Modal(CRUDView):
    model = Customer
    form_columns = ["name", "email"]
    create_modal = edit_modal = detail_modal = True


class Pages(CRUDView):
    model = Customer
    name = "pages"


@SQLITE_ONLY
def test_list_links_target_the_modal(make_app) -> None:
    client = make_app(Modal, Pages)
    client.seed()
    page = client.get("/customers").text
    assert 'id="fx-modal"' in page and 'hx-get="/customers/create?modal=1"' in page
    assert page.count('data-bs-target="#fx-modal"') == 1 + 2 * 3  # create; view, edit per row
    assert "fx-modal" not in client.get("/pages").text


@SQLITE_ONLY
def test_modal_bodies_over_htmx_pages_otherwise(make_app) -> None:
    client = make_app(Modal)
    fleet = client.seed()
    acme = fleet.customers["Acme Corp"].id
    body = client.get("/customers/create?modal=1", headers=htmx_headers()).text
    assert '<div class="modal-header">' in body and "<html" not in body and 'id="name"' in body
    edit = client.get(f"/customers/{acme}/edit?modal=1", headers=htmx_headers()).text
    assert 'value="Acme Corp"' in edit and "<html" not in edit
    detail = client.get(f"/customers/{acme}?modal=1", headers=htmx_headers()).text
    assert "ops@acme.test" in detail and "<html" not in detail
    assert "<html" in client.get("/customers/create?modal=1").text


def test_save_from_the_modal(make_app) -> None:
    client = make_app(Modal)
    client.seed()
    refused = client.submit("/customers/create", {"name": ""}, htmx=True)
    assert refused.status_code == 200 and refused.text.lstrip().startswith('<form id="form-body"')
    saved = client.submit("/customers/create", {"name": "Modal Co"}, htmx=True)
    assert saved.headers.get("HX-Redirect") == "/customers"
    assert client.count(Customer) == 4
