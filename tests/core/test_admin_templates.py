"""`Admin`: the view registry, the sidebar, templates and their context, toasts, custom
endpoints, and local-only assets.  Nothing here depends on the database: SQLite only (the
progress store, which does, is tested in test_progress.py on every backend)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse

from fasthx_core import Admin, CRUDView, toast_response

from .models import Customer, Device
from .support import CustomerView, DeviceView, RouteView, TagView, htmx_headers


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


# --- the registry --------------------------------------------------------------------------

def test_add_view_returns_the_instance_and_get_view_finds_it(make_app) -> None:
    client = make_app()
    view = client.admin.add_view(CustomerView)
    assert isinstance(view, CustomerView)
    assert client.admin.get_view("customers") is view
    assert client.admin.get_view("nope") is None
    assert view.url == "/customers"
    with pytest.raises(ValueError, match="already registered"):
        client.admin.add_view(CustomerView)


def test_model_metadata_gives_names_categories_and_icons(make_app) -> None:
    client = make_app(CustomerView, DeviceView, RouteView)
    customers, devices, routes = (client.admin.get_view(n)
                                  for n in ("customers", "devices", "routes"))
    assert (customers.display_name, customers.category, customers.icon) == \
        ("Customers", "CRM", "people")
    assert (devices.display_name, devices.category, devices.icon) == \
        ("Edge Devices", "Fleet", "hdd-network")
    assert (routes.display_name, routes.category, routes.icon) == ("Routes", "Other", "table")


def test_view_attributes_override_model_metadata(make_app) -> None:
    class ClientView(CRUDView):
        model = Customer
        name = "clients"
        display_name = "Clients"
        category = "Sales"
        icon = "person-badge"

    client = make_app(ClientView)
    client.seed()
    view = client.admin.get_view("clients")
    assert (view.url, view.display_name, view.category, view.icon) == \
        ("/clients", "Clients", "Sales", "person-badge")
    page = client.get("/clients").text
    assert "Acme Corp" in page and "<title>Clients · Admin</title>" in page
    assert client.get("/customers").status_code == 404


def test_nav_categories_group_views_and_links_in_order(make_app) -> None:
    client = make_app(CustomerView, DeviceView, TagView, RouteView)
    client.admin.add_link("Dashboard", "/dashboard", icon="speedometer2", category="CRM")
    client.admin.add_link("Status page", "https://status.example.test")
    cats = client.admin.get_nav_categories()
    assert list(cats) == ["CRM", "Other", "Fleet"]
    assert [e["display_name"] for e in cats["CRM"]] == ["Dashboard", "Customers"]
    assert [e["display_name"] for e in cats["Fleet"]] == ["Edge Devices", "Tags"]
    assert [e["display_name"] for e in cats["Other"]] == ["Status page", "Routes"]
    assert cats["Fleet"][0] == {"name": "devices", "display_name": "Edge Devices",
                                "category": "Fleet", "icon": "hdd-network", "url": "/devices"}
    link = cats["Other"][0]
    assert (link["icon"], link["url"], link["name"]) == \
        ("link", "https://status.example.test", "Status page")


def test_sidebar_renders_categories_icons_and_the_active_page(make_app) -> None:
    client = make_app(CustomerView, DeviceView)
    page = client.get("/devices").text
    sidebar = page[page.index('<nav id="sidebar"'):page.index("</nav>")]
    assert re.findall(r'fx-nav-category[^>]*>([^<]+)</li>', sidebar) == ["CRM", "Fleet"]
    assert ('<a class="nav-link d-flex align-items-center gap-2 active" href="/devices" '
            'aria-current="page">') in sidebar
    assert '<i class="bi bi-people" aria-hidden="true"></i><span>Customers</span>' in sidebar
    assert 'aria-label="Open menu"' in page  # the sidebar collapses on small screens


def test_get_colspan_counts_the_selection_and_actions_columns(make_app) -> None:
    class Narrow(CRUDView):
        model = Device
        column_list = ["hostname", "status", "customer"]

    client = make_app(Narrow)
    assert client.admin.get_view("devices").get_colspan() == 5
    assert 'colspan="5"' in client.get("/devices").text  # the "no rows" line spans it all


# --- templates -----------------------------------------------------------------------------

def test_user_template_folder_overrides_list_and_base_by_name(make_app, tmp_path) -> None:
    folder = tmp_path / "my_templates"
    folder.mkdir()
    (folder / "base.html").write_text(
        '{% extends "fasthx/base.html" %}{% block brand %}ACME Control{% endblock %}')
    (folder / "list.html").write_text(
        '{% extends "fasthx/list.html" %}{% block content %}'
        '<div id="custom-banner">Read the runbook first</div>{{ super() }}{% endblock %}')
    client = make_app(CustomerView, extra_templates_dirs=[folder])
    client.seed()
    listing = client.get("/customers").text
    assert '<div id="custom-banner">Read the runbook first</div>' in listing
    assert "<span>ACME Control</span>" in listing and "Acme Corp" in listing
    form = client.get("/customers/create").text  # base.html re-skins every page
    assert "<span>ACME Control</span>" in form and "custom-banner" not in form


def test_templates_argument_takes_the_users_jinja2templates(make_app, tmp_path) -> None:
    (tmp_path / "list.html").write_text(
        '{% extends "fasthx/list.html" %}{% block content %}<p id="mine">mine</p>'
        '{{ super() }}{% endblock %}')
    client = make_app(CustomerView, templates=Jinja2Templates(directory=str(tmp_path)))
    assert '<p id="mine">mine</p>' in client.get("/customers").text


def test_a_view_may_name_its_own_templates(make_app, tmp_path) -> None:
    (tmp_path / "customer_detail.html").write_text(
        '{% extends "detail.html" %}{% block content %}<h2 id="fancy">{{ title }}</h2>'
        '{{ super() }}{% endblock %}')

    class FancyDetail(CRUDView):
        model = Customer
        detail_template = "customer_detail.html"

    client = make_app(FancyDetail, extra_templates_dirs=[tmp_path])
    fleet = client.seed()
    page = client.get(f"/customers/{fleet.customers['Globex'].id}").text
    assert '<h2 id="fancy">Globex</h2>' in page


def test_template_context_has_the_admin_variables(make_app, tmp_path) -> None:
    (tmp_path / "context.html").write_text(
        "user={{ current_user.username }};cats={{ nav_categories|list|join(',') }};"
        "active={{ active_page }};static={{ static_url }};title={{ admin_title }};"
        "csrf={{ csrf_token|length > 20 }}")
    client = make_app(CustomerView, DeviceView, extra_templates_dirs=[tmp_path],
                      title="Fleet Admin", static_url="/assets")

    async def context_page(request: Request):
        return client.admin.templates.TemplateResponse(request, "context.html",
                                                       {"active_page": "reports"})

    client.app.add_api_route("/context", context_page)
    assert client.get("/context").text == (
        "user=dev;cats=CRM,Fleet;active=reports;static=/assets;title=Fleet Admin;csrf=True")


def test_static_url_and_mounting(make_app) -> None:
    client = make_app(CustomerView, static_url="/assets")
    page = client.get("/customers").text
    assert '<script src="/assets/vendor/htmx.org/htmx.min.js"></script>' in page
    assert client.get("/assets/vendor/htmx.org/htmx.min.js").status_code == 200
    assert client.get("/assets/fasthx.css").status_code == 200
    unmounted = make_app(CustomerView, mount_statics=False)
    assert unmounted.get("/static/fasthx/fasthx.css").status_code == 404


class _AssetRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")


def test_rendered_pages_load_no_asset_from_a_cdn(make_app) -> None:
    client = make_app(CustomerView, DeviceView)
    fleet = client.seed()
    device = fleet.devices["acme-edge-01"].id
    for url in ("/devices", "/devices/create", f"/devices/{device}",
                f"/devices/{device}/edit", "/devices/999"):
        refs = _AssetRefs()
        refs.feed(client.get(url).text)
        assert refs.urls, url
        for ref in refs.urls:
            assert ref.startswith(("/static/fasthx/", "data:")), (url, ref)


def test_theme_is_applied_before_the_first_paint(make_app) -> None:
    page = make_app(CustomerView).get("/customers").text
    head = page[:page.index("</head>")]
    assert head.index('localStorage.getItem("theme")') < head.index('rel="stylesheet"')
    assert 'data-fx-theme-toggle aria-label="Toggle dark and light theme"' in page


class _Buttons(HTMLParser):
    """Collects each button's aria-label and text (accessible names)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button":
            self._open = [dict(attrs).get("aria-label") or ""]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._open is not None:
            self.names.append(" ".join("".join(self._open).split()))
            self._open = None


def test_every_button_has_text_or_an_aria_label(make_app) -> None:
    class WithActions(CRUDView):
        model = Device
        row_actions = [{"label": "Deploy", "icon": "rocket", "hx_post": "/{name}/{id}/deploy"}]

    client = make_app(WithActions)
    fleet = client.seed()
    for url in ("/devices", "/devices/create",
                f"/devices/{fleet.devices['globex-core'].id}"):
        buttons = _Buttons()
        buttons.feed(client.get(url).text)
        assert buttons.names, url
        assert all(buttons.names), (url, buttons.names)


# --- toasts --------------------------------------------------------------------------------

def test_toast_response_puts_the_toast_in_hx_trigger() -> None:
    response = toast_response("Build started", "success", title="Build")
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"]) == {
        "showToast": {"message": "Build started", "type": "success", "title": "Build"}}
    odd = toast_response("Hello", "sparkly", status_code=202, refresh=True)
    assert odd.status_code == 202
    assert json.loads(odd.headers["HX-Trigger"]) == {
        "showToast": {"message": "Hello", "type": "info"}, "refreshList": True}


def test_toast_with_redirect_is_shown_on_the_next_page(make_app) -> None:
    client = make_app(CustomerView)

    async def deploy(request: Request):
        return toast_response("Deploy queued", "success", redirect="/customers",
                              request=request)

    client.app.add_api_route("/deploy", deploy, methods=["POST"])
    response = client.post("/deploy", headers=htmx_headers())
    assert response.headers["HX-Redirect"] == "/customers"
    assert "HX-Trigger" not in response.headers
    page = client.get("/customers").text
    toasts = json.loads(re.search(r"data-toasts='([^']*)'", page).group(1))
    assert toasts == [{"message": "Deploy queued", "type": "success"}]
    partial = client.get("/customers", headers=htmx_headers(target="list-results"))
    assert "data-toasts" not in partial.text


def test_toasts_show_bottom_right(make_app) -> None:
    page = make_app(CustomerView).get("/customers").text
    assert ('<div id="toast-container" class="toast-container position-fixed bottom-0 end-0 '
            'p-3"') in page


# --- custom endpoints ----------------------------------------------------------------------

class ReportingCustomerView(CRUDView):
    model = Customer

    @CRUDView.endpoint("/{name}/summary", methods=["GET"])
    async def summary(self, request: Request):
        with self.session() as db:
            count = db.scalar(select(func.count()).select_from(self.model))
        return JSONResponse({"view": self.display_name, "count": count})

    @CRUDView.endpoint("{prefix}/{id}/ping", methods=["POST"], name="customer-ping")
    async def ping(self, request: Request, item_id: str):
        with self.session() as db:
            customer = self.get_item(db, item_id)
            return toast_response(f"Pinged {customer}", "info")

    def setup_endpoints(self) -> None:
        async def legacy(request: Request):
            return JSONResponse({"legacy": self.name})

        self.router.add_api_route(f"{self.url}/legacy-style", legacy, methods=["GET"])


@pytest.mark.parametrize("prefix", ["", "/admin"])
def test_custom_endpoints_substitute_the_name_and_see_self(make_app, prefix: str) -> None:
    client = make_app(ReportingCustomerView, url_prefix=prefix)
    fleet = client.seed()
    assert client.get(f"{prefix}/customers/summary").json() == {"view": "Customers",
                                                               "count": 3}
    ping = client.submit(f"{prefix}/customers/{fleet.customers['Globex'].id}/ping", htmx=True)
    assert json.loads(ping.headers["HX-Trigger"])["showToast"]["message"] == "Pinged Globex"
    assert client.submit(f"{prefix}/customers/999/ping", htmx=True).status_code == 404
    names = {r.name for r in client.admin.get_view("customers").router.routes}
    assert "customer-ping" in names  # route keyword arguments are passed on


def test_setup_endpoints_override_is_honoured(make_app) -> None:
    client = make_app(ReportingCustomerView)
    assert client.get("/customers/legacy-style").json() == {"legacy": "customers"}


def test_custom_endpoints_do_not_shadow_the_crud_routes(make_app) -> None:
    client = make_app(ReportingCustomerView)
    fleet = client.seed()
    assert client.get(f"/customers/{fleet.customers['Initech'].id}").status_code == 200
    assert client.get("/customers").status_code == 200


def test_admin_on_an_app_with_its_own_routes(make_app) -> None:
    app = FastAPI()

    @app.get("/health")
    def health() -> dict:
        return {"ok": True}

    client = make_app(CustomerView, app=app)
    assert client.get("/health").json() == {"ok": True}
    assert client.get("/customers").status_code == 200
    assert isinstance(client.admin, Admin) and client.admin.app is app
