"""Flask-Admin idioms where the compat layer deliberately parts from Flask-Admin, or that a
differential check cannot show: a field replaced in ``scaffold_form`` that names a column is
saved into it, the unique check of a scaffolded column survives ``scaffold_form``, a related
row that ``form_args``' ``query_factory`` does not offer is refused (Flask-Admin quietly saves
the row without it), ``super().create_form()`` from a page of one's own, and a ``get_list``
override, which the engine's list never calls, is named in a warning at start-up."""

from __future__ import annotations

import re

import pytest
from wtforms import SelectField

from flask_admin_compat import expose
from flask_admin_compat.contrib.sqla import ModelView

from .conftest import csrf
from .models import Post, User


class UserView(ModelView):
    form_columns = ["name", "email", "active"]

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.name = SelectField("Name", choices=["ann", "bob"])
        return form_class

    @expose("/draft/", methods=("GET", "POST"))
    def draft(self):
        form = self.create_form()
        return f"name={form.name.data} valid={form.validate()}"


def post_form(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf(client, url)},
                       follow_redirects=False)


def test_a_field_replaced_in_scaffold_form_saves_into_its_column(make_admin, db):
    _, client = make_admin(UserView(User, db))
    page = client.get("/admin/user/new/")
    assert re.search(r'<select[^>]*name="name"', page.text)
    response = post_form(client, "/admin/user/new/", {"name": "bob", "email": "b@x.org"})
    assert response.status_code == 302
    db.expire_all()
    assert db.query(User).filter_by(email="b@x.org").one().name == "bob"


def test_scaffolded_unique_check_survives_scaffold_form(make_admin, db):
    _, client = make_admin(UserView(User, db))
    response = post_form(client, "/admin/user/new/", {"name": "ann",
                                                      "email": "u1@example.org"})
    assert response.status_code == 200
    assert "Already exists." in response.text


def test_create_form_from_a_page_of_ones_own(make_admin, db):
    _, client = make_admin(UserView(User, db))
    assert client.get("/admin/user/draft/").text == "name=None valid=False"
    response = client.post("/admin/user/draft/", data={
        "name": "ann", "email": "", "csrf_token": csrf(client, "/admin/user/new/")})
    assert response.text == "name=ann valid=True"


def test_query_factory_refuses_a_row_it_does_not_offer(make_admin, db):
    class PostView(ModelView):
        form_columns = ["title", "user"]
        form_args = {"user": {"query_factory": lambda: db.query(User).filter(
            User.active.is_(True))}}

    _, client = make_admin(PostView(Post, db))
    active = {u.id for u in db.query(User).filter(User.active.is_(True))}
    offered = {int(i) for i in re.findall(r'<option value="(\d+)"',
                                          client.get("/admin/post/new/").text)}
    assert offered == active
    inactive = db.query(User).filter_by(name="user01").one()
    response = post_form(client, "/admin/post/new/", {"title": "sneaky",
                                                      "user": str(inactive.id)})
    assert response.status_code == 200
    assert db.query(Post).filter_by(title="sneaky").count() == 0


class DecoratedUsers(ModelView):
    """Flask-Admin's way to post-process a list page: ``get_list`` over ``super()``."""

    column_list = ["name", "email"]
    column_sortable_list = ["name", "email"]
    column_searchable_list = ["name"]
    column_formatters = {"name": lambda v, c, model, n: model.name + getattr(model, "badge", "")}
    calls: list[tuple] = []

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                 page_size=None):
        self.calls.append((page, sort_column, sort_desc, search, filters, page_size))
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters,
                                       execute, page_size)
        for row in rows:
            row.badge = " (active)" if row.active else ""
        return count, rows


def names(html: str) -> list[str]:
    return re.findall(r'data-col="name">([^<]*)</td>', html)


def test_get_list_override_decorates_the_rows_shown(make_admin, db):
    DecoratedUsers.calls = []
    _, client = make_admin(DecoratedUsers(User, db))
    shown = names(client.get("/admin/user/").text)
    assert shown[:3] == ["user00 (active)", "user01", "user02 (active)"]
    # Flask-Admin's arguments: 0-based page, the sort column's name, the search text
    client.get("/admin/user/?search=user1&sort=0&desc=1&page=0")
    assert DecoratedUsers.calls[-1] == (0, "name", True, "user1", [], 20)


def test_get_list_override_may_drop_rows_and_change_the_count(make_admin, db):
    class ActiveOnly(DecoratedUsers):
        def get_list(self, *args, **kwargs):
            count, rows = super().get_list(*args, **kwargs)
            kept = [row for row in rows if row.active]
            return len(kept), kept

    _, client = make_admin(ActiveOnly(User, db))
    page = client.get("/admin/user/").text
    assert names(page) == [f"user{i:02} (active)" for i in range(0, 20, 2)]


def test_get_list_outside_a_list_page_says_how_it_is_meant(make_admin, db):
    view = DecoratedUsers(User, db)
    make_admin(view)
    with pytest.raises(RuntimeError, match="called by the list page"):
        ModelView.get_list(view, 0, None, False, "", [])


def test_standard_view_overridden_with_expose_on_the_flask_host(tmp_path):
    """``@expose('/') def index_view(self): ...; return super().index_view()`` (and the edit
    view) under Flask: the override runs in Flask's request context, then the engine page."""
    import flask
    from sqlalchemy import create_engine
    from sqlalchemy.orm import scoped_session, sessionmaker

    from flask_admin_compat import Admin

    from .models import Base

    engine = create_engine(f"sqlite:///{tmp_path}/idioms.db")
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(bind=engine))
    session.add(User(name="ann", email="ann@example.org"))
    session.commit()
    seen = []

    class Wrapped(ModelView):
        form_columns = ["name"]

        @expose("/")
        def index_view(self):
            seen.append(("index", flask.request.args.get("search")))
            return super().index_view()

        @expose("/edit/", methods=("GET", "POST"))
        def edit_view(self):
            seen.append(("edit", flask.request.method))
            return super().edit_view()

    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY="idioms", WTF_CSRF_ENABLED=False)
    Admin(app).add_view(Wrapped(User, session))
    client = app.test_client()
    page = client.get("/admin/user/?search=ann")
    assert page.status_code == 200 and "ann@example.org" in page.get_data(as_text=True)
    form = client.get("/admin/user/edit/?id=1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    saved = client.post("/admin/user/edit/?id=1", data={"name": "anna", "csrf_token": token})
    assert saved.status_code == 302
    assert session.get(User, 1).name == "anna"
    assert seen == [("index", "ann"), ("edit", "GET"), ("edit", "POST")]
