"""Modals: with ``create_modal``/``edit_modal``/``details_modal`` the ``?modal=True`` pages are
modal bodies (Flask-Admin's script loads them into its modal; the compat list loads them over
HTMX, so the compat side asks as HTMX does): the same fields, values and details, and only
for views that set the flag."""

from __future__ import annotations

from .conftest import module_pair
from .harness import sub
from .models import Product
from .pages import Page


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView

    class Modal(ModelView):
        create_modal = edit_modal = details_modal = True
        can_view_details = True
        form_columns = ["name", "sku", "price", "maker"]
        column_details_list = ["name", "price", "maker"]

    class Paged(ModelView):
        form_columns = ["name", "sku"]

    return [Modal(Product, session), Paged(Product, session, name="Paged", endpoint="paged")]


pair = module_pair("modals", build)


def fetch(side, url):
    """What the modal link loads (compat: an HTMX request, as its list makes)."""
    if not side.is_compat:
        return side.get(url)
    r = side.client.get(url, headers={"HX-Request": "true"}, follow_redirects=False)
    return Page.of(r.status_code, r.headers.get("location"), r.text,
                   r.headers.get("content-type", ""))


def is_modal_body(page):
    return "modal-header" in page.text and "<html" not in page.text.lower()


def test_modal_bodies(pair):
    pair.same_each("modal bodies", lambda s: {
        "create: fields": fetch(s, "/admin/product/new/?modal=True").form.visible,
        "create: a modal body": is_modal_body(fetch(s, "/admin/product/new/?modal=True")),
        "edit: values": fetch(s, "/admin/product/edit/?id=3&modal=True").shown(
            "name", "sku", "price", "maker"),
        "edit: a modal body": is_modal_body(fetch(s, "/admin/product/edit/?id=3&modal=True")),
        "details: rows": fetch(s, "/admin/product/details/?id=3&modal=True").details,
        "details: a modal body": is_modal_body(
            fetch(s, "/admin/product/details/?id=3&modal=True")),
        "without the flag: the page": is_modal_body(fetch(s, "/admin/paged/new/?modal=True")),
    })
