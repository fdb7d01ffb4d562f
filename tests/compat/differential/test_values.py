"""Value lookup overrides: a view overriding ``get_list_value``, ``get_detail_value`` and
``get_export_value`` (calling ``super()`` for the other columns), and one overriding
``_get_list_value``, which Flask-Admin's list, details and export all go through.  As in
Flask-Admin, an override of the first two carries ``@pass_context``."""

from __future__ import annotations

import csv
import io

import pytest
from jinja2 import pass_context

from .conftest import module_pair
from .harness import sub
from .models import Product


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView

    class Looked(ModelView):
        column_list = ["name", "price", "in_stock", "maker"]
        column_details_list = ["name", "price", "kind"]
        column_export_list = ["name", "price", "released"]
        column_formatters = {"price": lambda v, c, m, n: f"{m.price} ¢"}
        can_view_details = True
        can_export = True

        @pass_context  # Flask-Admin's templates call it with their context
        def get_list_value(self, context, model, name):
            if name == "name":
                return model.name.upper()
            return super().get_list_value(context, model, name)

        @pass_context
        def get_detail_value(self, context, model, name):
            if name == "kind":
                return f"kind={model.kind.name if model.kind else '?'}"
            return super().get_detail_value(context, model, name)

        def get_export_value(self, model, name):
            if name == "price":
                return model.price * 100
            return super().get_export_value(model, name)

    class Underneath(ModelView):
        column_list = ["name", "sku", "in_stock"]
        column_details_list = ["name", "sku"]
        column_export_list = ["name", "sku"]
        can_view_details = True
        can_export = True

        def _get_list_value(self, context, model, name, column_formatters,
                            column_type_formatters):
            value = super()._get_list_value(context, model, name, column_formatters,
                                            column_type_formatters)
            return f"[{value}]" if name == "sku" else value

    return [Looked(Product, session),
            Underneath(Product, session, name="Underneath", endpoint="under")]


pair = module_pair("value lookup", build)


def csv_rows(side, url):
    page = side.get(url)
    return list(csv.reader(io.StringIO(page.text)))[:8] if page.status == 200 else page.status


CHECKS = {
    "get_list_value cells": lambda s: s.get("/admin/product/").cells()[:8],
    "get_detail_value": lambda s: s.get("/admin/product/details/?id=4").details,
    "get_export_value": lambda s: csv_rows(s, "/admin/product/export/csv/"),
    "_get_list_value: list": lambda s: s.get("/admin/under/").cells()[:8],
    "_get_list_value: details": lambda s: s.get("/admin/under/details/?id=5").details,
    "_get_list_value: export": lambda s: csv_rows(s, "/admin/under/export/csv/"),
}


@pytest.mark.parametrize("check", list(CHECKS))
def test_value_lookup(pair, check):
    pair.same(check, CHECKS[check])
