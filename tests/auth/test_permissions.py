"""Per-view permissions from the provider's groups: ``allowed_groups`` on a view hides it
from the sidebar and refuses every one of its routes (list, partial, detail, forms, delete,
batch, export, ajax, cells, progress, custom endpoints) with a 403."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

from .flows import code_login

SIDEBAR = re.compile(r'id="sidebar".*?</nav>', re.S)


def every_route(site, view_name: str) -> list[tuple[str, str]]:
    """(method, URL) for each route the view registered, its path parameters filled in."""
    view = site.admin.views[view_name]
    values = {"item_id": str(site.ids["secret"]), "fmt": "csv", "field": "note_id",
              "column": "label"}
    routes = []
    for route in view.router.routes:
        assert isinstance(route, APIRoute)
        url = route.path
        for name, value in values.items():
            url = url.replace("{" + name + "}", value)
        assert "{" not in url, f"fill in the parameter of {route.path}"
        routes += [(method, url) for method in sorted(route.methods)]
    return routes


def sidebar(page_html: str) -> str:
    match = SIDEBAR.search(page_html)
    assert match, "no sidebar"
    return match.group(0)


def test_the_view_is_hidden_from_users_outside_its_groups(oidc_env, make_site) -> None:
    site = make_site()
    page = code_login(site.client, "bob", "bob-pw")  # staff: may log in, not see secrets
    assert page.status_code == 200
    nav = sidebar(page.text)
    assert 'href="/auth_notes"' in nav and 'href="/auth_secrets"' not in nav


def test_every_route_of_the_view_is_a_403_for_them(oidc_env, make_site) -> None:
    site = make_site()
    code_login(site.client, "bob", "bob-pw")
    token = re.search(r'name="csrf_token" value="([^"]*)"',
                      site.client.get("/auth_notes").text).group(1)
    routes = every_route(site, "auth_secrets")
    assert len(routes) >= 14  # list, create, detail, edit, delete, batch, export, ajax, ...
    assert ("POST", f"/auth_secrets/{site.ids['secret']}/reveal") in routes  # custom endpoint
    for method, url in routes:
        data = {"csrf_token": token, "label": "bob was here", "action": "delete",
                "ids": str(site.ids["secret"])} if method == "POST" else None
        page = site.client.request(method, url, data=data, follow_redirects=False)
        assert page.status_code == 403, (method, url, page.status_code)
        assert "Access denied" in page.text
        hx = site.client.request(method, url, data=data, headers={
            "HX-Request": "true", "X-CSRF-Token": token}, follow_redirects=False)
        assert hx.status_code == 403, (method, url, "htmx")
    detail = site.client.get(f"/auth_secrets/{site.ids['secret']}")
    assert "launch codes" not in detail.text


def test_members_of_the_group_see_and_use_the_view(oidc_env, make_site) -> None:
    site = make_site()
    page = code_login(site.client, "alice", "alice-pw", "/auth_secrets")
    assert page.status_code == 200 and "launch codes" in page.text
    assert 'href="/auth_secrets"' in sidebar(page.text)
    for method, url in every_route(site, "auth_secrets"):
        if method == "GET" and "/progress" not in url and "/cell/" not in url:
            assert site.client.get(url).status_code == 200, url
