"""The Flask-Admin menu in the sidebar: its entries are built at the first page after views,
links or categories are added (not on every page), and each entry's ``is_visible`` /
``is_accessible`` is asked on every request."""

from __future__ import annotations

from flask_admin_compat import BaseView, expose
from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.menu import MenuLink

from .models import User


class CountingLink(MenuLink):
    """A link that counts how often its URL is worked out."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.url_calls = 0

    def get_url(self) -> str | None:
        self.url_calls += 1
        return super().get_url()


class Reports(BaseView):
    shown = True
    allowed = True

    @expose("/")
    def index(self) -> str:
        return "reports"

    def is_visible(self) -> bool:
        return self.shown

    def is_accessible(self) -> bool:
        return self.allowed


def test_menu_is_built_when_it_changes_not_on_every_page(make_admin, db):
    admin, client = make_admin(ModelView(User, db))
    docs = CountingLink("Docs", url="/docs", category="Help")
    admin.add_link(docs)
    for _ in range(3):
        assert 'href="/docs"' in client.get("/admin/user/").text
    assert docs.url_calls == 1  # at the first page after the change, not on every page

    admin.add_link(MenuLink("Status", url="/status", category="Help"))
    page = client.get("/admin/user/").text
    assert page.index('href="/docs"') < page.index('href="/status"')
    admin.add_view(ModelView(User, db, name="People", endpoint="people", category="Help"))
    assert 'href="/admin/people/"' in client.get("/admin/user/").text


def test_visibility_and_access_are_asked_on_every_request(make_admin, db):
    reports = Reports(name="Reports", endpoint="reports")
    _, client = make_admin(ModelView(User, db), reports)
    assert 'href="/admin/reports/"' in client.get("/admin/user/").text
    reports.shown = False
    assert 'href="/admin/reports/"' not in client.get("/admin/user/").text
    reports.shown, reports.allowed = True, False
    assert 'href="/admin/reports/"' not in client.get("/admin/user/").text
    reports.allowed = True
    assert 'href="/admin/reports/"' in client.get("/admin/user/").text
