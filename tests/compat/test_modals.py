"""``create_modal`` / ``edit_modal`` / ``details_modal``: list links load the modal body
(``?modal=True``) over HTMX into one Bootstrap modal; plain requests still get the pages."""

from __future__ import annotations

from flask_admin_compat.contrib.sqla import ModelView

from .conftest import csrf
from .models import User

HTMX = {"HX-Request": "true"}


class Modal(ModelView):
    create_modal = True
    edit_modal = True
    details_modal = True
    can_view_details = True


def test_list_links_open_the_modal(make_admin, db):
    _, client = make_admin(Modal(User, db), ModelView(User, db, endpoint="plain"))
    page = client.get("/admin/user/").text
    assert 'id="fx-modal"' in page and 'id="fx-modal-content"' in page
    assert 'hx-get="/admin/user/new/?url=%2Fadmin%2Fuser%2F&amp;modal=True"' in page
    assert page.count('data-bs-target="#fx-modal"') == 1 + 2 * page.count('name="rowid"')
    plain = client.get("/admin/plain/").text
    assert "fx-modal" not in plain


def test_modal_bodies_are_fragments_over_htmx_and_pages_otherwise(make_admin, db):
    _, client = make_admin(Modal(User, db))
    create = client.get("/admin/user/new/?modal=True", headers=HTMX).text
    assert '<div class="modal-header">' in create and "<html" not in create
    assert 'id="form-body"' in create and 'hx-post="/admin/user/new/' in create
    edit = client.get("/admin/user/edit/?id=3&modal=True", headers=HTMX).text
    assert 'value="user02"' in edit and "<html" not in edit
    details = client.get("/admin/user/details/?id=3&modal=True", headers=HTMX).text
    assert "fx-detail" in details and "user02" in details and "<html" not in details
    page = client.get("/admin/user/new/?modal=True").text
    assert "<html" in page and '<div class="modal-header">' not in page


def test_a_refused_save_stays_in_the_modal_and_a_good_one_leads_on(make_admin, db):
    _, client = make_admin(Modal(User, db))
    token = csrf(client, "/admin/user/new/")
    refused = client.post("/admin/user/new/", data={"name": "", "csrf_token": token},
                          headers=HTMX)
    assert refused.status_code == 200 and refused.text.startswith('<form id="form-body"')
    saved = client.post("/admin/user/new/", data={"name": "modal", "email": "m@x.org",
                                                  "csrf_token": token}, headers=HTMX)
    assert saved.status_code == 200
    assert saved.headers["HX-Redirect"] == "/admin/user/"  # the page follows, modal closed
    assert db.query(User).filter_by(name="modal").count() == 1
