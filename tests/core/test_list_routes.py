"""``GET /{name}``: the list page, its HTMX partial, and the column configuration."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup
from sqlalchemy import select

from fasthx_core import ConfigError, CRUDView

from .models import Customer, Device
from .support import SQLITE_ONLY, htmx_headers


def cells(html: str, column: str) -> list[str]:
    """The text of one column's cells, top to bottom (tags stripped)."""
    found = re.findall(rf'<td data-col="{re.escape(column)}">\s*(.*?)\s*</td>', html, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in found]


def headers(html: str) -> list[str]:
    thead = html[html.index("<thead>"):html.index("</thead>")]
    found = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', thead, re.S)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in found][1:-1]  # minus select, actions


class DeviceView(CRUDView):
    model = Device
    column_list = ["hostname", "status", "customer", "customer.name", "tags", "load", "active"]
    column_searchable = ["hostname", "customer.name"]
    column_filters = ["status", "customer", "load", "active", "tags"]
    column_labels = {"customer.name": "Owner", "load": "CPU load"}
    column_formatters = {
        "hostname": lambda value, obj: Markup('<code class="host">{}</code>').format(value),
        "status": lambda value, obj: f"<b>{value.value}</b>",  # a str: shown escaped
    }
    page_size = 2


@pytest.fixture
def client(make_app):
    client = make_app(DeviceView)
    client.seed()
    return client


# --- full page and HTMX partial ------------------------------------------------------------

@SQLITE_ONLY
def test_full_page_has_the_layout_the_controls_and_the_rows(client) -> None:
    page = client.get("/devices", params={"page_size": 5})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.lstrip().startswith("<!doctype html>")
    assert '<div id="list-results"' in page.text
    assert 'id="list-search"' in page.text
    assert "<title>Edge Devices · Admin</title>" in page.text
    assert len(cells(page.text, "hostname")) == 5


@SQLITE_ONLY
def test_htmx_request_targeting_the_results_gets_only_the_table(client) -> None:
    partial = client.get("/devices", headers=htmx_headers(target="list-results"))
    assert partial.status_code == 200
    assert "<html" not in partial.text and "<body" not in partial.text
    assert '<tbody id="table-body">' in partial.text
    assert len(cells(partial.text, "hostname")) == 2
    assert "<html" not in client.get("/devices?partial=1", headers=htmx_headers()).text


@SQLITE_ONLY
def test_other_htmx_requests_and_history_restores_get_the_full_page(client) -> None:
    assert "<html" in client.get("/devices", headers=htmx_headers()).text
    restore = htmx_headers(target="list-results")
    restore["HX-History-Restore-Request"] = "true"
    assert "<html" in client.get("/devices", headers=restore).text


@SQLITE_ONLY
def test_list_responses_vary_on_htmx_headers(client) -> None:
    for hdrs in ({}, htmx_headers(target="list-results")):
        vary = client.get("/devices", headers=hdrs).headers["vary"]
        assert {"HX-Request", "HX-Target"} <= {v.strip() for v in vary.split(",")}


@SQLITE_ONLY
def test_list_links_push_their_url_so_reload_and_back_work(client) -> None:
    page = client.get("/devices?q=acme").text
    assert 'hx-get="/devices" hx-target="#list-results" hx-push-url="true"' in page
    sort_link = re.search(r'<a class="fx-sort[^"]*" href="([^"]+)" hx-get="([^"]+)"[^>]*'
                          r'hx-push-url="true"', page)
    assert sort_link and sort_link.group(1) == sort_link.group(2)
    assert "q=acme" in sort_link.group(1)


@SQLITE_ONLY
def test_trailing_slash_is_the_same_list(client) -> None:
    assert cells(client.get("/devices/").text, "hostname") == \
        cells(client.get("/devices").text, "hostname")


# --- search, sort, filter, paginate over HTTP ----------------------------------------------

def test_search_over_http(client) -> None:
    page = client.get("/devices", params={"q": "globex"}).text
    assert sorted(cells(page, "hostname")) == ["globex-core", "globex-lab-7"]
    assert 'value="globex"' in page  # the search box keeps the term
    by_owner = client.get("/devices", params={"q": "initech", "page_size": 10}).text
    assert cells(by_owner, "hostname") == ["initech-printer"]


def test_sort_over_http_marks_the_sorted_header(client) -> None:
    page = client.get("/devices", params={"sort": "hostname", "order": "desc",
                                          "page_size": 5}).text
    assert cells(page, "hostname") == ["initech-printer", "globex-lab-7", "globex-core",
                                       "acme-edge-02", "acme-edge-01"]
    assert 'aria-sort="descending"' in page
    owners = client.get("/devices", params={"sort": "customer.name", "page_size": 5}).text
    assert cells(owners, "customer.name")[:2] == ["Acme Corp", "Acme Corp"]


def test_filter_over_http(client) -> None:
    page = client.get("/devices", params={"flt0_status_equals": "online"}).text
    assert sorted(cells(page, "hostname")) == ["acme-edge-01", "globex-lab-7"]
    assert '<option value="online" selected>' in page  # the filter form shows it
    with client.db() as db:
        acme = db.query(Customer).filter_by(name="Acme Corp").one()
    page = client.get("/devices", params={"flt_customer_equals": acme.id,
                                          "flt_active_equals": "1"}).text
    assert cells(page, "hostname") == ["acme-edge-01"]


def test_paginate_over_http(client) -> None:
    first = client.get("/devices", params={"sort": "hostname"}).text
    assert cells(first, "hostname") == ["acme-edge-01", "acme-edge-02"]
    assert "page 1 of 3" in first
    assert 'href="/devices?sort=hostname&amp;order=asc&amp;page=2"' in first
    second = client.get("/devices", params={"sort": "hostname", "page": 2}).text
    assert cells(second, "hostname") == ["globex-core", "globex-lab-7"]
    last = client.get("/devices", params={"sort": "hostname", "page": 10**12}).text
    assert cells(last, "hostname") == ["initech-printer"]
    assert "page 3 of 3" in last


BAD_QUERIES = [
    "sort=nope", "sort=tags", "sort=customer.password", "order=sideways&sort=hostname",
    "page=-1", f"page={10**12}", "page=abc", "page_size=-5", "page_size=x",
    "flt_load_greater=zz", "flt_nope_equals=1", "flt_load_between=a,b",
    f"flt_customer_equals={10**30}", "flt_tags_in_list=,,,", "flt_active_equals=maybe",
    "flt_status_equals=%3Cscript%3E", "flt_=1", "flt", "q=" + "x" * 5000, "q=%00",
    "q=%25%25%25", "sort=-", "flt_installed_on_greater=2024-99-99",
]


def test_bad_query_parameters_never_give_a_500(client) -> None:
    answers = {}
    for query in BAD_QUERIES:
        for hdrs in ({}, htmx_headers(target="list-results")):
            answers[query, bool(hdrs)] = client.get(f"/devices?{query}", headers=hdrs).status_code
    assert {key: status for key, status in answers.items() if status != 200} == {}


@SQLITE_ONLY
def test_ignored_parameters_are_explained_on_the_page(client) -> None:
    page = client.get("/devices?sort=nope&flt_load_greater=zz&page_size=5").text
    assert "Ignored sort &#39;nope&#39;: not a sortable column" in page
    assert "Ignored filter on CPU load: expected a number" in page  # filters use the labels
    assert len(cells(page, "hostname")) == 5


# --- columns: formatters, labels, list and exclude -----------------------------------------

@SQLITE_ONLY
def test_formatter_markup_is_rendered_and_strings_are_escaped(client) -> None:
    page = client.get("/devices", params={"sort": "hostname"}).text
    assert '<code class="host">acme-edge-01</code>' in page
    assert "&lt;b&gt;online&lt;/b&gt;" in page
    assert "<b>online</b>" not in page


@SQLITE_ONLY
def test_column_labels_and_default_labels(client) -> None:
    assert headers(client.get("/devices").text) == [
        "Hostname", "Status", "Customer", "Owner", "Tags", "CPU load", "Active"]


def test_relations_show_their_str_and_collections_are_joined(client) -> None:
    page = client.get("/devices", params={"sort": "hostname", "page_size": 1}).text
    assert cells(page, "customer") == ["Acme Corp"]
    assert [set(c.split(", ")) for c in cells(page, "tags")] == [{"prod", "edge"}]


@SQLITE_ONLY
def test_default_columns_show_foreign_keys_as_their_relationship(make_app) -> None:
    class Plain(CRUDView):
        model = Device

    client = make_app(Plain)
    client.seed()
    cols = headers(client.get("/devices").text)
    assert cols[:3] == ["Id", "Hostname", "Status"]
    assert "Customer" in cols and "Customer Id" not in cols


@SQLITE_ONLY
def test_column_exclude_hides_columns(make_app) -> None:
    class Slim(CRUDView):
        model = Device
        column_exclude = ["id", "description", "price", "last_seen", "maintenance_at"]

    client = make_app(Slim)
    client.seed()
    page = client.get("/devices").text
    assert headers(page) == ["Hostname", "Status", "Active", "Load", "Installed On", "Customer"]
    assert "Prints TPS reports" not in page


@SQLITE_ONLY
@pytest.mark.parametrize("attrs", [
    {"column_list": ["hostname", "nope"]},
    {"column_list": ["hostname.length"]},
    {"column_list": ["customer.nope"]},
    {"column_exclude": ["passwrd"]},
    {"column_searchable": ["nope"]},
    {"column_sortable": ["nope"]},
    {"column_filters": ["nope"]},
    {"column_default_sort": "nope"},
    {"column_formatters": {"nope": str}},
    {"htmx_columns": {"nope": {"trigger": "every 5s"}}},
    {"form_columns": ["hostname", "nope"]},
    {"count_mode": "sometimes"},
    {"column_list": ["hostname"], "column_exclude": ["load"]},
])
def test_bad_configuration_is_a_start_up_error(make_app, attrs: dict) -> None:
    view_class = type("BadView", (CRUDView,), {"model": Device, **attrs})
    with pytest.raises(ConfigError):
        make_app(view_class)


@SQLITE_ONLY
def test_a_view_without_a_model_is_a_start_up_error(make_app) -> None:
    with pytest.raises(ConfigError, match="model"):
        make_app(type("NoModel", (CRUDView,), {}))


# --- searchable, sortable, default sort, counting, detail columns --------------------------

def test_default_search_covers_every_string_and_text_column(make_app) -> None:
    class Plain(CRUDView):
        model = Device

    client = make_app(Plain)
    client.seed()
    assert cells(client.get("/devices?q=TPS").text, "hostname") == ["initech-printer"]


@SQLITE_ONLY
def test_column_sortable_whitelists_the_sort_links(make_app) -> None:
    class OnlyHostname(CRUDView):
        model = Device
        column_list = ["hostname", "load"]
        column_sortable = ["hostname"]

    client = make_app(OnlyHostname)
    client.seed()
    page = client.get("/devices?sort=load").text
    assert 'href="/devices?sort=hostname&amp;order=asc"' in page
    assert "sort=load" not in page.replace("Ignored sort &#39;load&#39;", "")
    assert "Ignored sort &#39;load&#39;: not a sortable column" in page


@pytest.mark.parametrize("default_sort", ["-load", ("load", True)])
def test_column_default_sort(make_app, default_sort) -> None:
    class HeaviestFirst(CRUDView):
        model = Device
        column_list = ["hostname", "load"]
        column_default_sort = default_sort

    client = make_app(HeaviestFirst)
    client.seed()
    assert cells(client.get("/devices").text, "hostname")[:2] == ["acme-edge-02",
                                                                  "globex-lab-7"]
    assert cells(client.get("/devices?sort=hostname").text, "hostname")[0] == "acme-edge-01"


@SQLITE_ONLY
def test_count_mode_none_shows_a_prev_next_pager(make_app) -> None:
    class Huge(CRUDView):
        model = Device
        page_size = 2
        count_mode = "none"

    client = make_app(Huge)
    client.seed()
    def pager(page: str) -> str:
        return " ".join(page[page.index("data-fx-total"):page.index("</nav>",
                                                                    page.index("data-fx-total"))]
                        .split())

    first = pager(client.get("/devices").text)
    assert first.startswith("data-fx-total> page 1 </div>")  # no total, no "of N"
    # the next link carries the keyset position (the last id shown: newest first, so id 4)
    assert 'href="/devices?page=2&amp;after=4"' in first
    assert 'aria-label="Next page">Next ›</a>' in first
    last = pager(client.get("/devices?page=3").text)
    assert '<li class="page-item disabled "> <span class="page-link" >Next ›</span>' in last


def test_count_mode_estimate_says_about(make_app) -> None:
    class Big(CRUDView):
        model = Device
        count_mode = "estimate"

    client = make_app(Big)
    client.seed()
    client.get("/devices")  # the first count is exact and cached
    assert "about 5 edge devices" in client.get("/devices").text


def test_get_count_query_is_used_for_the_total(make_app) -> None:
    class ActiveCount(CRUDView):
        model = Device

        def get_count_query(self, db):
            return select(Device.id).where(Device.active.is_(True))

    client = make_app(ActiveCount)
    client.seed()
    assert "4 edge devices" in client.get("/devices").text


@SQLITE_ONLY
def test_detail_columns_and_detail_columns_exclude(make_app) -> None:
    class Short(CRUDView):
        model = Device
        detail_columns = ["hostname", "customer.name"]

    class NoPrices(CRUDView):
        model = Device
        name = "devices-no-prices"
        detail_columns_exclude = ["price", "tags"]

    client = make_app(Short, NoPrices)
    fleet = client.seed()
    device = fleet.devices["acme-edge-02"].id
    short = client.get(f"/devices/{device}").text
    assert re.findall(r'<td data-col="([^"]+)"', short) == ["hostname", "customer.name"]
    full = client.get(f"/devices-no-prices/{device}").text
    shown = re.findall(r'<td data-col="([^"]+)"', full)
    assert "price" not in shown and "tags" not in shown and "load" in shown


@SQLITE_ONLY
def test_a_view_may_use_its_own_session_factory(make_app, tmp_path) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from .models import Model

    archive = create_engine(f"sqlite:///{tmp_path}/archive.db")
    Model.metadata.create_all(archive)
    with sessionmaker(bind=archive)() as db:
        db.add(Customer(name="Archived Ltd"))
        db.commit()

    class ArchiveView(CRUDView):
        model = Customer
        name = "archive"
        session_factory = sessionmaker(bind=archive)

    class LiveView(CRUDView):
        model = Customer

    client = make_app(ArchiveView, LiveView)
    client.seed()
    assert cells(client.get("/archive").text, "name") == ["Archived Ltd"]
    assert "Archived Ltd" not in client.get("/customers").text
    archive.dispose()
