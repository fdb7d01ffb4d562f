"""Permissions: ``can_create``/``can_edit``/``can_delete``/``can_view_details`` (what a page
offers, what a direct request does), ``is_accessible`` with the default and a redirecting
``inaccessible_callback``, and ``is_visible`` in the menu."""

from __future__ import annotations

import re

import pytest

from .conftest import module_pair
from .harness import sub
from .models import Product


def build(fa, session):
    from flask import redirect

    ModelView = sub(fa, "contrib.sqla").ModelView

    class ReadOnly(ModelView):
        can_create = can_edit = can_delete = False
        can_view_details = True
        column_list = ["name", "price"]

    class Full(ModelView):
        column_list = ["name", "price"]

    class Locked(ModelView):
        def is_accessible(self):
            return False

    class ToLogin(ModelView):
        def is_accessible(self):
            return False

        def inaccessible_callback(self, name, **kwargs):
            return redirect("/login/?next=/admin/tologin/")

    class Hidden(ModelView):
        column_list = ["name"]

        def is_visible(self):
            return False

    return [ReadOnly(Product, session, name="Read only", endpoint="readonly"),
            Full(Product, session, name="Full", endpoint="full"),
            Locked(Product, session, name="Locked", endpoint="locked"),
            ToLogin(Product, session, name="To login", endpoint="tologin"),
            Hidden(Product, session, name="Hidden", endpoint="hidden")]


perms = module_pair("permissions", build, fresh=True)


def offers(side, url):
    """What a list page lets one do, as links and forms it carries."""
    page = side.get(url)
    return {what: page.offers(fragment) for what, fragment in (
        ("create", "/new/"), ("edit", "/edit/?id="), ("details", "/details/?id="),
        ("delete", "/delete/"))}


def answer(page):
    return {"status": page.status, "location": page.location}


def rows(side):
    return side.products("id", "name", where=Product.id.in_([1, 46]))


CHECKS = {
    "read-only list offers": lambda s: offers(s, "/admin/readonly/"),
    "full list offers": lambda s: offers(s, "/admin/full/"),
    "create page refused": lambda s: answer(s.get("/admin/readonly/new/")),
    "create post refused": lambda s: answer(s.post("/admin/readonly/new/", {"name": "x"}))
    | {"rows": rows(s)},
    "edit page refused": lambda s: answer(s.get("/admin/readonly/edit/?id=1")),
    "edit post refused": lambda s: answer(s.post("/admin/readonly/edit/?id=1",
                                                 {"name": "x", "price": "1"}))
    | {"rows": rows(s)},
    "delete refused": lambda s: answer(s.post("/admin/readonly/delete/",
                                              {"id": "1", "url": "/admin/readonly/"}))
    | {"rows": rows(s)},
    "details page shown": lambda s: {**answer(page := s.get("/admin/readonly/details/?id=3")),
                                     "details": page.details},
    "details disabled": lambda s: answer(s.get("/admin/full/details/?id=3")),
    "inaccessible list": lambda s: answer(s.get("/admin/locked/")),
    "inaccessible create page": lambda s: answer(s.get("/admin/locked/new/")),
    "inaccessible delete": lambda s: answer(s.post("/admin/locked/delete/", {"id": "1"}))
    | {"rows": rows(s)},
    "inaccessible export": lambda s: answer(s.get("/admin/locked/export/csv/")),
    "inaccessible_callback redirect": lambda s: answer(s.get("/admin/tologin/")),
    "inaccessible_callback on a post": lambda s: answer(s.post("/admin/tologin/new/",
                                                               {"name": "x"})),
    "hidden view still served": lambda s: s.get("/admin/hidden/?page=1").ids,
    "menu entries": lambda s: sorted({u for u in s.get("/admin/").reader.urls
                                      if re.fullmatch(r"/admin/\w+/", u)}),
}


@pytest.mark.parametrize("check", CHECKS)
def test_permissions(perms, check):
    perms.same(check, CHECKS[check])
