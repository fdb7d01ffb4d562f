"""Formatters and labels: ``column_labels``, ``column_formatters`` with Flask-Admin's
``(view, context, model, name)`` signature (escaped unless Markup), ``column_type_formatters``
built from ``typefmt.BASE_FORMATTERS``, ``column_choices``, ``column_descriptions``, and the
details page (``column_details_list``, ``column_formatters_detail``)."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from .conftest import module_pair
from .harness import sub
from .models import Product


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView
    typefmt = sub(fa, "model.typefmt")

    formatters = dict(typefmt.BASE_FORMATTERS)
    formatters.update({type(None): typefmt.null_formatter,
                       dt.date: lambda view, value, name: value.strftime("%d.%m.%Y")})

    class Formatted(ModelView):
        column_list = ["name", "sku", "price", "in_stock", "released", "kind", "maker",
                       "notes", "maker.country"]
        column_labels = {"name": "Product", "maker": "Made by", "in_stock": "Available"}
        column_formatters = {
            "price": lambda view, context, model, name: f"€{model.price}",
            "name": lambda view, context, model, name: Markup("<b>{}</b>").format(model.name),
            "notes": lambda view, context, model, name: f"<i>{model.notes or '-'}</i>",
        }
        column_type_formatters = formatters
        column_choices = {"sku": [("SKU-000", "first"), ("SKU-001", "second")]}
        column_descriptions = {"price": "in cents"}
        can_view_details = True
        column_details_list = ["name", "price", "in_stock", "released", "kind", "maker"]
        column_formatters_detail = {
            "price": lambda view, context, model, name: f"{model.price} cents"}

    class Plain(ModelView):
        can_view_details = True
        column_list = ["name", "maker.name", "in_stock"]

    return [Formatted(Product, session),
            Plain(Product, session, name="Plain", endpoint="plain")]


fmt = module_pair("formatters", build)


CHECKS = {
    "header labels": lambda s: s.get("/admin/product/").labels,
    "default labels (dotted, underscores)": lambda s: s.get("/admin/plain/").labels,
    "cells": lambda s: [{k: v for k, v in row.items() if k != "sku"}
                        for row in s.get("/admin/product/").cells()[:10]],
    "column_choices cells": lambda s: s.get("/admin/product/").column("sku")[:8],
    "plain type formatting": lambda s: s.get("/admin/plain/").cells()[:6],
    "description shown": lambda s: "in cents" in s.get("/admin/product/").text,
    "details labels and values": lambda s: s.get("/admin/product/details/?id=5").details,
    "details with empty values": lambda s: s.get("/admin/product/details/?id=4").details,
    "details default columns": lambda s: s.get("/admin/plain/details/?id=2").details,
    "details of a missing record": lambda s: (lambda p: (p.status, p.location))(
        s.get("/admin/product/details/?id=999")),
}


@pytest.mark.parametrize("check", CHECKS)
def test_formatters(fmt, check):
    fmt.same(check, CHECKS[check])
