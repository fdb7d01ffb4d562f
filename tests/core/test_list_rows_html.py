"""List rows and the pager written in Python (`fasthx_core.rows_html`, `fasthx_core.pager`)
give the markup of the templates' loops, for every kind of cell, key and button; a team's
own table body still gets the row dicts.

Each comparison renders the same page twice: as served, and with `rows_plan` answering None
(what an overridden table body gets: the template's loop over `rows`).  The two may differ
only in the whitespace between tags and in the CSRF token.
"""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

import fasthx_core.rendering as rendering
from fasthx_core import CRUDView

from .models import Customer, Device, Route, Setting, Tag
from .support import SQLITE_ONLY, htmx_headers

pytestmark = SQLITE_ONLY


def normalized(html: str) -> str:
    html = re.sub(r'(name="csrf_token" value=|"X-CSRF-Token": )"[^"]*"', r"\1-", html)
    html = re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html))
    return re.sub(r"\s+", " ", html)


def both_ways(client, monkeypatch, url: str, **kwargs) -> tuple[str, str]:
    """(the page as served, the page through the templates' row loop)."""
    original, plans = rendering.rows_plan, []
    with monkeypatch.context() as patch:  # as served: the rows are written in Python
        patch.setattr(rendering, "rows_plan", lambda view, template: plans.append(
            planned := original(view, template)) or planned)
        fast = client.get(url, **kwargs)
    assert fast.status_code == 200 and plans and plans[0] is not None
    with monkeypatch.context() as patch:
        patch.setattr(rendering, "rows_plan", lambda view, template: None)
        slow = client.get(url, **kwargs)
    return fast.text, slow.text


class EveryCellView(CRUDView):
    """Formatters giving Markup, text to escape, None and numbers; enums, booleans, floats,
    decimals, dates, times, a relationship, a dotted path, a to-many list; a polled column
    (terminal for some rows), editable columns, row actions of every kind, modals."""

    model = Device
    column_list = ["hostname", "status", "active", "load", "price", "installed_on",
                   "last_seen", "maintenance_at", "customer", "customer.email", "tags",
                   "description"]
    column_formatters = {
        "hostname": lambda value, obj: Markup("<code>{}</code>").format(value),
        "description": lambda value, obj: None if value is None else f"<i>{value}</i> & co",
        "load": lambda value, obj: None if value is None else int(value * 10),
    }
    column_editable_list = ["price", "customer.email", "installed_on"]
    htmx_columns = {"status": {"url": "/{name}/{id}/status", "trigger": "every 3s",
                               "terminal_states": ["offline"]}}
    row_actions = [
        {"label": "Build <now>", "icon": "hammer", "hx_post": "/{name}/{id}/build",
         "confirm": "Build \"this\"?"},
        {"label": "Docs", "href": lambda item_id, obj: f"https://docs.test/{obj.hostname}?a&b",
         "target": "_blank"},
    ]
    detail_modal = True
    edit_modal = True
    page_size = 10


@pytest.mark.parametrize("partial", [False, True], ids=["full page", "htmx partial"])
def test_every_kind_of_cell_and_button_is_written_as_the_template_writes_it(
        make_app, monkeypatch, partial) -> None:
    client = make_app(EveryCellView)
    client.seed()
    with client.db() as db:  # a value to escape in a plain cell and in a related one
        device = db.get(Device, 1)
        device.description = '<script>alert("x")</script>'
        device.customer.email = "a&b@<acme>.test"
        db.commit()
    headers = htmx_headers(target="list-results") if partial else {}
    fast, slow = both_ways(client, monkeypatch, "/devices", headers=headers)
    assert normalized(fast) == normalized(slow)
    assert fast.count('<tr id="row-') == 5
    assert "&lt;script&gt;" in fast and "<script>alert" not in fast
    assert 'hx-trigger="every 3s"' in fast and "fx-editable" in fast


@pytest.mark.parametrize("config", [
    {},
    {"can_delete": False, "can_view_details": False},
    {"can_edit": False, "column_editable_list": ["hostname"]},
    {"column_list": ["hostname"], "can_edit": False, "can_delete": False,
     "can_view_details": False},
], ids=["defaults", "no view or delete", "editable but no edit", "no buttons at all"])
def test_button_sets_and_sorted_pages_match(make_app, monkeypatch, config) -> None:
    client = make_app(type("DeviceView", (CRUDView,), {"model": Device, "page_size": 2,
                                                       **config}))
    client.seed()
    for url in ("/devices", "/devices?sort=hostname&order=desc&page=2", "/devices?q=acme",
                "/devices?q=nothing-matches"):
        fast, slow = both_ways(client, monkeypatch, url)
        assert normalized(fast) == normalized(slow), url


def test_text_and_composite_keys_are_written_into_ids_and_links(make_app, monkeypatch) -> None:
    client = make_app(type("SettingView", (CRUDView,), {"model": Setting}),
                      type("RouteView", (CRUDView,), {"model": Route}))
    with client.db() as db:
        db.add_all([Setting(key="net/dns,primary", value="<1.1.1.1>"),
                    Setting(key="..", value=None),
                    Route(region="eu west", number=7, label="A & B")])
        db.commit()
    for url in ("/settings", "/routes"):
        fast, slow = both_ways(client, monkeypatch, url)
        assert normalized(fast) == normalized(slow), url
    page = client.get("/settings").text
    assert 'id="row-net~2Fdns~2Cprimary"' in page and 'href="/settings/~2E~2E/edit"' in page


def test_the_pager_matches_the_template_on_every_page(make_app, monkeypatch) -> None:
    client = make_app(type("TagView", (CRUDView,), {"model": Tag, "page_size": 1}))
    with client.db() as db:
        db.add_all(Tag(name=f"tag{n:02}") for n in range(12))
        db.commit()
    env = client.admin.templates.env
    template = env.get_template("partials/_pagination.html")
    for page in (1, 2, 3, 4, 6, 9, 11, 12):
        served = client.get(f"/tags?page={page}&q=tag").text
        view = client.admin.views["tags"]
        params = view.urls.parse_list([("page", str(page)), ("q", "tag")])
        ctx = rendering.list_context(view, None, params)
        written = str(ctx["pager_html"]())
        del ctx["pager_html"]
        assert normalized(template.render(ctx)) == normalized(written)
        assert normalized(written) in normalized(served)


def test_an_overridden_table_body_gets_the_row_dicts(make_app, tmp_path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "table_body.html").write_text(
        "{% for row in rows %}<p class='mine'>{{ row['id'] }}: "
        "{{ row['cells'][0]['value'] }} ({{ row['obj'].hostname }})</p>{% endfor %}"
        "{{ rows_html is defined }}")
    client = make_app(type("DeviceView", (CRUDView,), {"model": Device,
                                                       "column_list": ["hostname"]}),
                      extra_templates_dirs=[tmp_path])
    client.seed()
    page = client.get("/devices").text
    assert page.count("<p class='mine'>") == 5 and "(acme-edge-01)</p>" in page
    assert "False" in page  # no rows written in Python for a table body that is not ours
    partial = client.get("/devices", headers=htmx_headers(target="list-results")).text
    assert partial.count("<p class='mine'>") == 5


def test_an_overridden_row_buttons_macro_is_used_for_every_row(make_app, tmp_path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "row_actions.html").write_text(
        "{% macro row_actions(row, links) %}<a class='go' href='/go/{{ row.id }}'>"
        "{{ row.obj.hostname if row.obj else '' }}</a>{% endmacro %}")
    client = make_app(type("DeviceView", (CRUDView,), {"model": Device}),
                      extra_templates_dirs=[tmp_path])
    client.seed()
    page = client.get("/devices").text
    links = re.findall(r"<a class='go' href='/go/(\d+)'>([^<]*)</a>", page)
    assert len(links) == 5 and all(host for _id, host in links)  # called per row, with obj


def test_customers_page_reuses_its_statements_across_requests(make_app) -> None:
    client = make_app(type("CustomerView", (CRUDView,), {"model": Customer}))
    client.seed()
    view = client.admin.views["customers"]
    client.get("/customers")
    kept = dict(view.list_spec.statements)
    assert {key[0] for key in kept} == {"count", "rows"}  # of the default order
    client.get("/customers?page=1")
    assert view.list_spec.statements == kept
    client.get("/customers?q=acme")  # a search is built for its request, never kept
    assert view.list_spec.statements == kept
