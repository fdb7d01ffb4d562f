"""A Flask-Admin ModelView, unchanged but for its import, served by the fasthx engine."""

import re

from flask_admin_compat import BaseView, expose
from flask_admin_compat.actions import action
from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.helpers import flash, is_safe_url

from .conftest import csrf
from .models import Post, User


class UserView(ModelView):
    column_searchable_list = ["name", User.email]
    column_filters = ["name", "active"]
    column_default_sort = "name"
    can_view_details = True
    can_export = True
    column_formatters = {"name": lambda view, context, model, name: model.name.upper()}

    def on_model_change(self, form, model, is_created):
        if model.email:
            model.email = model.email.lower()

    @action("deactivate", "Deactivate", "Deactivate the selected users?")
    def action_deactivate(self, ids):
        users = self.session.query(User).filter(User.id.in_([int(i) for i in ids]))
        for user in users:
            user.active = False
        self.session.commit()
        flash(f"{len(ids)} users deactivated", "success")


def names(html: str) -> list[str]:
    return re.findall(r"USER\d\d", html)


def test_list_uses_flask_admin_params(make_admin, db):
    _, client = make_admin(UserView(User, db))
    page = client.get("/admin/user/")
    assert page.status_code == 200
    assert names(page.text)[:2] == ["USER00", "USER01"]  # column_default_sort = "name"
    page = client.get("/admin/user/?search=user0&sort=0&desc=1")
    assert names(page.text)[:3] == ["USER09", "USER08", "USER07"]
    page = client.get("/admin/user/?page=1")  # pages count from 0
    assert names(page.text)[0] == "USER20"
    assert client.get("/admin/user").status_code == 200  # redirected to the trailing slash


def test_filters_by_index_and_by_name(make_admin, db):
    _, client = make_admin(UserView(User, db))
    by_index = names(client.get("/admin/user/?flt0_0=user1").text)  # name contains
    assert sorted(set(by_index)) == [f"USER1{i}" for i in range(10)]
    active = client.get("/admin/user/?flt0_7=1").text  # active equals (after 7 string ops)
    assert "USER01" not in names(active) and "USER00" in names(active)


def test_bad_params_never_fail(make_admin, db):
    _, client = make_admin(UserView(User, db))
    for query in ("sort=99", "sort=x", "page=-4", "page=abc", "flt0_99=1", "flt0_x=1",
                  "page_size=10000000", "desc=yes"):
        assert client.get(f"/admin/user/?{query}").status_code == 200, query


def test_create_edit_details_delete(make_admin, db):
    _, client = make_admin(UserView(User, db))
    token = csrf(client, "/admin/user/new/")
    created = client.post("/admin/user/new/", data={"name": "Zed", "email": "ZED@X.ORG",
                                                    "csrf_token": token},
                          follow_redirects=False)
    assert created.status_code == 302 and created.headers["location"] == "/admin/user/"
    user = db.query(User).filter_by(name="Zed").one()
    assert user.email == "zed@x.org"  # on_model_change(form, model, is_created) ran
    assert 'value="Zed"' in client.get(f"/admin/user/edit/?id={user.id}").text
    assert "zed@x.org" in client.get(f"/admin/user/details/?id={user.id}").text
    gone = client.post("/admin/user/delete/", data={"id": str(user.id), "csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 302
    db.rollback()  # end the read transaction: MariaDB reads a snapshot until then
    assert db.query(User).filter_by(name="Zed").count() == 0


def test_invalid_form_keeps_input_and_saves_nothing(make_admin, db):
    _, client = make_admin(UserView(User, db))
    token = csrf(client, "/admin/user/new/")
    page = client.post("/admin/user/new/", data={"name": "", "email": "kept@x.org",
                                                 "csrf_token": token})
    assert page.status_code == 200
    assert "This field is required." in page.text and 'value="kept@x.org"' in page.text
    assert db.query(User).filter_by(email="kept@x.org").count() == 0


def test_return_url_is_followed_only_when_local(make_admin, db):
    _, client = make_admin(UserView(User, db))
    token = csrf(client, "/admin/user/new/")
    for target, expected in (("/admin/user/?page=1", "/admin/user/?page=1"),
                             ("https://evil.example/", "/admin/user/"),
                             ("//evil.example/", "/admin/user/")):
        out = client.post(f"/admin/user/new/?url={target}",
                          data={"name": f"n{len(target)}", "csrf_token": token},
                          follow_redirects=False)
        assert out.headers["location"] == expected


def test_open_redirect_disguises_are_refused():
    for bad in ("//host", "\\\\host", "/\\host", "%20javascript:alert(1)", "javas\ncript:x",
                "https://host/", " //host", "/%09/host"):
        assert not is_safe_url(bad), bad
    assert is_safe_url("/admin/user/?page=2")


def test_batch_action_and_flash(make_admin, db):
    _, client = make_admin(UserView(User, db))
    token = csrf(client, "/admin/user/new/")
    out = client.post("/admin/user/action/", data={"action": "deactivate", "rowid": ["1", "3"],
                                                   "csrf_token": token},
                      headers={"HX-Request": "true"})
    assert "2 users deactivated" in out.headers["HX-Trigger"]
    db.rollback()  # end the read transaction: MariaDB reads a snapshot until then
    assert [u.active for u in db.query(User).filter(User.id.in_([1, 3]))] == [False, False]


def test_post_without_csrf_token_is_refused(make_admin, db):
    _, client = make_admin(UserView(User, db))
    assert client.post("/admin/user/new/", data={"name": "x"}).status_code == 403
    assert client.post("/admin/user/delete/", data={"id": "1"}).status_code == 403


def test_export_and_url_for(make_admin, db):
    admin, client = make_admin(UserView(User, db), ModelView(Post, db, category="Blog"))
    csv = client.get("/admin/user/export/csv/")
    assert csv.status_code == 200 and csv.text.splitlines()[0] == "Name,Email,Active"
    assert admin.url_for("user.index_view") == "/admin/user/"
    assert admin.url_for("user.edit_view", id=3, url="/admin/user/") == \
        "/admin/user/edit/?id=3&url=%2Fadmin%2Fuser%2F"
    assert admin.url_for("post.create_view") == "/admin/post/new/"
    assert admin.url_for("admin.index") == "/admin/"


def test_inaccessible_view_uses_its_callback(make_admin, db):
    from starlette.responses import RedirectResponse

    class Locked(ModelView):
        def is_accessible(self):
            return False

        def inaccessible_callback(self, name, **kwargs):
            return RedirectResponse("/login-page", status_code=302)

    class Hidden(ModelView):
        def is_accessible(self):
            return False

    _, client = make_admin(Locked(User, db), Hidden(Post, db))
    out = client.get("/admin/user/", follow_redirects=False)
    assert out.status_code == 302 and out.headers["location"] == "/login-page"
    assert client.get("/admin/post/").status_code == 403
    assert client.get("/admin/post/new/").status_code == 403


def test_base_view_expose_and_render(make_admin, db):
    class Reports(BaseView):
        @expose("/")
        def index(self):
            return self.render("admin/index.html")

        @expose("/<int:year>/")
        def year(self, year):
            return f"report {year}"

    admin, client = make_admin(Reports(name="Reports"), UserView(User, db))
    page = client.get("/admin/reports/")
    assert page.status_code == 200 and "Reports" in page.text
    assert client.get("/admin/reports/2024/").text == "report 2024"
    assert admin.url_for("reports.year", year=2023) == "/admin/reports/2023/"


def test_one_sidebar_for_all_views(make_admin, db):
    _, client = make_admin(UserView(User, db), ModelView(Post, db, category="Blog"))
    page = client.get("/admin/user/").text
    assert 'href="/admin/user/"' in page and 'href="/admin/post/"' in page
    assert "Blog" in page


def test_htmx_list_request_gets_the_results_only(make_admin, db):
    _, client = make_admin(UserView(User, db))
    part = client.get("/admin/user/?search=user1",
                      headers={"HX-Request": "true", "HX-Target": "list-results"})
    assert "<html" not in part.text and "USER10" in part.text


def test_filter_objects_standard_and_custom(make_admin, db):
    from flask_admin_compat.contrib.sqla.filters import BaseSQLAFilter, FilterEqual, FilterLike

    class ActiveOnly(BaseSQLAFilter):
        def apply(self, query, value, alias=None):
            return query.filter(User.active == (value == "yes"))

        def operation(self):
            return "equals"

    class FilteredView(ModelView):
        column_filters = [FilterLike(User.name, "Name"), FilterEqual(User.name, "Name"),
                          ActiveOnly(User.active, "Active")]

    _, client = make_admin(FilteredView(User, db))
    like = names_plain(client.get("/admin/user/?flt0_0=user1").text)
    assert sorted(set(like)) == [f"user1{i}" for i in range(10)]
    equal = names_plain(client.get("/admin/user/?flt0_1=user12").text)
    assert set(equal) == {"user12"}
    active = names_plain(client.get("/admin/user/?flt0_2=no").text)
    assert active and all(int(n[4:]) % 2 == 1 for n in active)


def names_plain(html: str) -> list[str]:
    return re.findall(r">(user\d\d)<", html)


def test_extra_row_actions_link_per_row(make_admin, db):
    from flask_admin_compat.model.template import EndpointLinkRowAction, LinkRowAction

    class WithActions(ModelView):
        column_extra_row_actions = [
            LinkRowAction("fa fa-envelope", "/mail?user={row_id}", "Mail"),
            EndpointLinkRowAction("glyphicon glyphicon-eye-open", ".details_view", "Show"),
        ]
        can_view_details = True

    _, client = make_admin(WithActions(User, db))
    page = client.get("/admin/user/").text
    assert 'href="/mail?user=1"' in page and "bi-envelope" in page
    assert 'href="/admin/user/details/?id=1"' in page and "bi-eye-open" in page


def test_column_editable_list_and_ajax_update(make_admin, db):
    class Editable(ModelView):
        column_editable_list = ["name"]

    _, client = make_admin(Editable(User, db))
    page = client.get("/admin/user/").text
    assert "/admin/user/cell/?id=1&amp;column=name" in page
    token = csrf(client, "/admin/user/new/")
    ok = client.post("/admin/user/ajax/update/", data={"list_form_pk": "1", "name": "renamed",
                                                      "csrf_token": token})
    assert ok.status_code == 200 and ok.text == "Record was successfully saved."
    bad = client.post("/admin/user/ajax/update/", data={"list_form_pk": "1", "name": "",
                                                       "csrf_token": token})
    assert bad.status_code == 400 and bad.text.startswith("Failed to update record.")
    db.rollback()
    assert db.get(User, 1).name == "renamed"


def test_cell_edits_go_through_update_model_with_a_one_field_form(make_admin, db):
    seen = []

    class Audited(ModelView):
        column_editable_list = ["name"]

        def update_model(self, form, model):
            seen.append(sorted(f.name for f in form))
            if form.name.data == "nobody":
                flash("Names must belong to somebody.", "error")
                return False
            form.populate_obj(model)
            model.name = model.name.title()
            self.session.commit()
            return True

    _, client = make_admin(Audited(User, db))
    token = csrf(client, "/admin/user/new/")
    ok = client.post("/admin/user/ajax/update/", data={"list_form_pk": "1", "name": "ada lovelace",
                                                      "csrf_token": token})
    assert ok.status_code == 200, ok.text
    assert seen == [["name"]]  # Flask-Admin's list form: the edited field only
    refused = client.post("/admin/user/ajax/update/", data={"list_form_pk": "1", "name": "nobody",
                                                           "csrf_token": token})
    assert refused.status_code == 400 and "Names must belong to somebody." in refused.text
    db.rollback()
    assert db.get(User, 1).name == "Ada Lovelace"


def test_native_and_compat_views_share_one_admin(make_admin, db, monkeypatch):
    from fasthx_core import CRUDView

    monkeypatch.setenv("AUTH_DISABLED", "1")

    class NativePosts(CRUDView):
        model = Post
        name = "native_posts"
        session_factory = staticmethod(lambda: type(db)(bind=db.get_bind()))

    admin, client = make_admin(UserView(User, db))
    admin.add_view(NativePosts)
    assert client.get("/admin/native_posts").status_code == 200
    sidebar = client.get("/admin/user/").text
    assert 'href="/admin/native_posts"' in sidebar and 'href="/admin/user/"' in sidebar


def test_form_rules_render_text_headers_and_fieldsets_in_order(make_admin, db):
    from flask_admin_compat.form import rules

    class Ruled(ModelView):
        form_create_rules = [rules.Header("Account"), "name",
                             rules.Text("Use the <work> address."),
                             rules.FieldSet(["email", rules.HTML("<hr>"), "active"], "Contact")]

    _, client = make_admin(Ruled(User, db))
    page = client.get("/admin/user/new/").text
    order = [page.index(s) for s in ('<h3 class="h5 mt-3 mb-2">Account</h3>', 'id="name"',
                                     "Use the &lt;work&gt; address.", ">Contact</button>",
                                     'id="email"', "<hr>", 'id="active"')]
    assert order == sorted(order)
    edit = client.get("/admin/user/edit/?id=1").text  # no edit rules: every field, no header
    assert "Account</h3>" not in edit and 'id="email"' in edit


def test_ajax_lookup_answers_flask_admin_pairs_by_offset(make_admin, db):
    class Posts(ModelView):
        form_ajax_refs = {"user": {"fields": ["name"], "page_size": 5}}

    _, client = make_admin(Posts(Post, db))
    first = client.get("/admin/post/ajax/lookup/?name=user&query=user1&offset=0&limit=3").json()
    assert [label for _pk, label in first] == ["user10", "user11", "user12"]
    more = client.get("/admin/post/ajax/lookup/?name=user&query=user1&offset=3&limit=3").json()
    assert [label for _pk, label in more] == ["user13", "user14", "user15"]
    assert client.get("/admin/post/ajax/lookup/?name=nope&query=x").status_code == 404


class GuardedUsers(ModelView):
    """Refuses to delete the users whose name ends in 0, as Flask-Admin's ``delete_model``
    does: a flashed reason and ``False``."""

    def delete_model(self, model):
        if model.name.endswith("0"):
            flash(f"{model.name} is kept.", "error")
            return False
        self.session.delete(model)
        self.session.commit()
        return True


def hx_toast(response) -> dict:
    import json

    return json.loads(response.headers["HX-Trigger"])["showToast"]


def test_htmx_delete_answers_like_the_native_route(make_admin, db):
    _, client = make_admin(GuardedUsers(User, db))
    token = csrf(client, "/admin/user/new/")
    hx = {"HX-Request": "true", "X-CSRF-Token": token}
    ids = {u.name: u.id for u in db.query(User)}  # user00-02 have posts: not these
    row = client.post(f"/admin/user/delete/?id={ids['user11']}",
                      headers={**hx, "HX-Target": f"row-{ids['user11']}"})
    assert row.status_code == 200 and "HX-Redirect" not in row.headers
    assert hx_toast(row)["type"] == "success"
    page = client.post(f"/admin/user/delete/?id={ids['user12']}&url=/admin/user/%3Fpage%3D1",
                       headers=hx)
    assert page.headers["HX-Redirect"] == "/admin/user/?page=1"
    assert "User user12 deleted." in client.get(page.headers["HX-Redirect"]).text
    kept = client.post(f"/admin/user/delete/?id={ids['user10']}",
                       headers={**hx, "HX-Target": f"row-{ids['user10']}"})
    assert kept.status_code == 200 and kept.text == "" and "HX-Redirect" not in kept.headers
    assert hx_toast(kept) == {"message": "user10 is kept.", "type": "danger"}
    plain = client.post("/admin/user/delete/?url=/admin/user/%3Fpage%3D1",
                        data={"id": str(ids["user20"]), "csrf_token": token},
                        follow_redirects=False)
    assert plain.status_code == 302 and plain.headers["location"] == "/admin/user/?page=1"
    assert "user20 is kept." in client.get("/admin/user/").text
    db.rollback()  # end the read transaction: MariaDB reads a snapshot until then
    left = {u.name for u in db.query(User)}
    assert {"user10", "user20"} <= left and not {"user11", "user12"} & left


class LoggedUserView(ModelView):
    """Overrides that add to Flask-Admin's persistence methods and call ``super()``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = []

    def on_model_change(self, form, model, is_created):
        if model.name == "refused":
            from wtforms.validators import ValidationError

            raise ValidationError("That name is refused.")

    def after_model_change(self, form, model, is_created):
        self.log.append(("after_change", model.name, is_created))

    def after_model_delete(self, model):
        self.log.append(("after_delete", model.name))

    def create_model(self, form):
        self.log.append(("create", form.name.data))
        return super().create_model(form)

    def update_model(self, form, model):
        self.log.append(("update", model.id))
        return super().update_model(form, model)

    def delete_model(self, model):
        self.log.append(("delete", model.name))
        return super().delete_model(model)


def test_persistence_overrides_may_call_super(make_admin, db):
    view = LoggedUserView(User, db)
    _, client = make_admin(view)
    token = csrf(client, "/admin/user/new/")
    created = client.post("/admin/user/new/", data={"name": "Ann", "csrf_token": token},
                          follow_redirects=False)
    assert created.status_code == 302
    ann = db.query(User).filter_by(name="Ann").one()
    edited = client.post(f"/admin/user/edit/?id={ann.id}", data={"name": "Anna",
                                                                  "csrf_token": token},
                         follow_redirects=False)
    assert edited.status_code == 302
    gone = client.post("/admin/user/delete/", data={"id": str(ann.id), "csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 302
    # each after_* hook ran once, from the super() implementation, as in Flask-Admin
    assert view.log == [("create", "Ann"), ("after_change", "Ann", True),
                        ("update", ann.id), ("after_change", "Anna", False),
                        ("delete", "Anna"), ("after_delete", "Anna")]
    db.rollback()
    assert db.query(User).filter(User.name.in_(["Ann", "Anna"])).count() == 0


def test_a_refusal_inside_super_is_rolled_back_and_shown(make_admin, db):
    view = LoggedUserView(User, db)
    _, client = make_admin(view)
    token = csrf(client, "/admin/user/new/")
    page = client.post("/admin/user/new/", data={"name": "refused", "email": "r@x.org",
                                                 "csrf_token": token})
    assert page.status_code == 200
    assert "That name is refused." in page.text and 'value="r@x.org"' in page.text
    assert ("after_change", "refused", True) not in view.log
    db.rollback()
    assert db.query(User).filter_by(name="refused").count() == 0
