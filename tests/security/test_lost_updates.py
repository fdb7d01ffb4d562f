"""Two people edit the same row: the second save, made on a stale copy, is refused.

Each editor is a separate browser session (its own TestClient, logged in as the same user).
Both open the edit form; the first saves; the second's save is refused with a message and a
reload link, its input kept on the form, and the row keeps the first editor's values.  The
guard's three ways of telling versions apart are covered: SQLAlchemy's ``version_id_col``
(Ticket), a view's ``version_column`` (Page), and a digest of the edited values (Note, and
Device with every column type and a many-to-many).  Runs on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from fasthx_core import concurrency

from ..core.models import Device, Note
from ..core.support import AdminClient
from .apps import login
from .forms import form_data
from .models import Page, Ticket

STALE = html.escape(concurrency.STALE_MESSAGE, quote=True)


@pytest.fixture
def editors(native_app) -> Iterator[Callable[..., tuple[AdminClient, AdminClient]]]:
    """``editors(*views)``: two browsers on one app (``native_app(*views)``), both logged in
    as alice; the second one is closed after the test."""
    with contextlib.ExitStack() as browsers:
        def start(*views: Any) -> tuple[AdminClient, AdminClient]:
            first = native_app(*views)
            login(first, "alice")
            second = AdminClient(first.app, first.admin, first.engine)
            login(browsers.enter_context(second), "alice")
            return first, second

        yield start


def open_form(client: AdminClient, url: str) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200, page.text[:300]
    data = form_data(page.text)
    assert data[concurrency.FIELD_NAME], "the edit form carries the row's version"
    return data


def post(client: AdminClient, url: str, data: dict[str, Any], htmx: bool = False) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": data["csrf_token"]} if htmx else {}
    return client.post(url, data=data, headers=headers, follow_redirects=False)


CASES = [  # table, model, field edited, value of editor A, value of editor B, B uses htmx
    ("sec_tickets", Ticket, "title", "A's title", "B's title", False),
    ("sec_pages", Page, "title", "A's page", "B's page", True),
    ("core_test_notes", Note, "body", "A's body", "B's body", False),
    ("devices", Device, "hostname", "edge-a", "edge-b", True),
]


@pytest.mark.parametrize("table, model, field, mine, theirs, htmx", CASES,
                         ids=[c[0] for c in CASES])
def test_the_second_of_two_concurrent_edits_is_refused(editors, table, model, field, mine,
                                                       theirs, htmx):
    alice, bob = editors()
    url = f"/{table}/{alice.ids[table]}/edit"
    a, b = open_form(alice, url), open_form(bob, url)
    assert post(alice, url, {**a, field: mine}).status_code == 303
    refused = post(bob, url, {**b, field: theirs}, htmx)
    assert refused.status_code == (200 if htmx else 422)
    assert STALE in refused.text
    assert f'href="{url}">Reload the current version</a>' in refused.text
    kept = form_data(refused.text)
    assert kept[field] == theirs  # the user's input is kept
    assert kept[concurrency.FIELD_NAME] == b[concurrency.FIELD_NAME]  # still stale
    if htmx:
        toast = json.loads(refused.headers["HX-Trigger"])["showToast"]
        assert toast["type"] == "danger" and toast["message"] == concurrency.STALE_MESSAGE
        assert toast["title"] == concurrency.STALE_TITLE
    with alice.db() as db:
        row = db.get(model, int(alice.ids[table]))
        assert getattr(row, field) == mine  # nothing overwritten
    again = post(bob, url, kept)  # posting the stale form again changes nothing
    assert again.status_code == 422
    reloaded = open_form(bob, url)  # the reload link: the current version, then it saves
    assert reloaded[field] == mine
    assert post(bob, url, {**reloaded, field: theirs}).status_code == 303
    with alice.db() as db:
        assert getattr(db.get(model, int(alice.ids[table])), field) == theirs


def test_version_columns_advance_on_every_save(native_app):
    client = native_app()
    login(client, "alice")
    for table, model, column in [("sec_tickets", Ticket, "version"),
                                 ("sec_pages", Page, "revision")]:
        url = f"/{table}/{client.ids[table]}/edit"
        with client.db() as db:
            before = getattr(db.scalars(select(model)).first(), column)
        data = open_form(client, url)
        assert column not in data  # the version is the engine's, not the user's
        assert data[concurrency.FIELD_NAME] == f"v:{before}"
        assert post(client, url, {**data, "title": "changed"}).status_code == 303
        with client.db() as db:
            assert getattr(db.scalars(select(model)).first(), column) == before + 1


def test_a_change_to_a_many_to_many_relation_makes_the_copy_stale(editors):
    client, other = editors()
    url = f"/devices/{client.ids['devices']}/edit"
    a, b = open_form(client, url), open_form(other, url)
    assert post(client, url, {**a, "tags": a["tags"][:1]}).status_code == 303
    assert post(other, url, {**b, "description": "B"}).status_code == 422


def test_posts_without_a_version_are_saved_as_before(native_app):
    """Scripts and forms rendered before the guard existed carry no version: not checked."""
    client = native_app()
    login(client, "alice")
    url = f"/core_test_notes/{client.ids['core_test_notes']}/edit"
    data = open_form(client, url)
    data.pop(concurrency.FIELD_NAME)
    assert post(client, url, {**data, "title": "one"}).status_code == 303
    assert post(client, url, {**data, "title": "two"}).status_code == 303


def test_inline_cell_edits_are_guarded_too(editors):
    client, other = editors()
    url = f"/devices/{client.ids['devices']}/cell/hostname"
    cells = [form_data(c.get(url, headers={"HX-Request": "true"}).text)
             for c in (client, other)]
    token = {c: form_data(c.get("/devices/create").text)["csrf_token"] for c in (client, other)}
    assert all(e[concurrency.FIELD_NAME] for e in cells)
    first = client.post(url, data={**cells[0], "hostname": "cell-a"},
                        headers={"HX-Request": "true", "X-CSRF-Token": token[client]})
    assert "cell-a" in first.text and concurrency.FIELD_NAME not in first.text
    second = other.post(url, data={**cells[1], "hostname": "cell-b"},
                        headers={"HX-Request": "true", "X-CSRF-Token": token[other]})
    assert json.loads(second.headers["HX-Trigger"])["showToast"]["type"] == "danger"
    assert STALE in second.text and 'value="cell-b"' in second.text
    with client.db() as db:
        assert db.scalars(select(Device.hostname).where(
            Device.id == int(client.ids["devices"]))).one() == "cell-a"


def test_compat_edit_views_are_guarded_through_the_same_save(shop_app):
    """Flask-Admin's ``edit/?id=`` goes through the core save path: same guard."""
    first = shop_app()
    second = second_editor_plain(first)
    url = "/admin/customer/edit/?id=1"
    a, b = (form_data(c.get(url).text) for c in (first, second))
    assert a[concurrency.FIELD_NAME] == b[concurrency.FIELD_NAME]
    assert first.post(url, data={**a, "phone": "+49 1"},
                      follow_redirects=False).status_code == 302
    refused = second.post(url, data={**b, "phone": "+49 2"}, follow_redirects=False)
    assert refused.status_code == 200 and STALE in refused.text
    assert 'href="/admin/customer/edit/?id=1">Reload the current version</a>' in refused.text
    assert 'value="+49 1"' in first.get(url).text


def second_editor_plain(client: Any) -> Any:
    from fastapi.testclient import TestClient

    other = TestClient(client.app)
    other.__enter__()
    return other


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_misspelt_version_column_is_a_start_up_error(native_app):
    from fasthx_core.columns import ConfigError

    from .apps import PageView

    class Misspelt(PageView):
        version_column = "revison"

    with pytest.raises(ConfigError):
        native_app(Misspelt)


def test_a_change_to_an_inline_child_row_makes_the_parent_form_stale(editors):
    """The customer form edits its devices inline: a device saved meanwhile (from its own
    form) makes a customer form opened before it stale, so its old rows cannot win."""
    from fasthx_core import InlineModel

    from .apps import CustomerView, DeviceView

    class CustomerWithDevices(CustomerView):
        inline_models = [InlineModel(Device, form_columns=["hostname"])]

    client, other = editors(CustomerWithDevices, DeviceView)
    url = f"/customers/{client.ids['customers']}/edit"
    device_url = f"/devices/{client.ids['devices']}/edit"
    stale = open_form(other, url)
    device = open_form(client, device_url)
    assert post(client, device_url, {**device, "hostname": "renamed-meanwhile"}
                ).status_code == 303
    refused = post(other, url, {**stale, "name": "Acme B"})
    assert refused.status_code == 422 and STALE in refused.text
    with client.db() as db:
        assert db.get(Device, int(client.ids["devices"])).hostname == "renamed-meanwhile"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("forged", ["h:" + "0" * 32, "v:999", "é", "\x00", "x" * 5000])
def test_a_forged_version_is_refused_as_stale(native_app, forged):
    client = native_app()
    login(client, "alice")
    url = f"/core_test_notes/{client.ids['core_test_notes']}/edit"
    data = open_form(client, url)
    response = post(client, url, {**data, "title": "forged", concurrency.FIELD_NAME: forged})
    assert response.status_code == 422 and STALE in response.text
