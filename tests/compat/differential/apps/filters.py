"""Filters by name, related column and filter object (checks: test_filters.py)."""

from flask_admin import (  # one statement, several lines, a comment inside
    Admin,
)
from flask_admin.contrib.sqla import ModelView, filters

from tests.compat.differential.models import Product


class ProductView(ModelView):
    column_list = ["name", "sku", "price", "in_stock", "released", "kind", "maker"]
    column_filters = ["name", "price", "in_stock", "released", "kind", "maker",
                      "maker.name", "sku"]
    page_size = 50


class Named(ProductView):
    named_filter_urls = True


class Objects(ModelView):
    column_list = ["name", "price", "in_stock", "released"]
    column_filters = [filters.FilterLike(Product.name, "Name"),
                      filters.IntGreaterFilter(Product.price, "Price"),
                      filters.BooleanEqualFilter(Product.in_stock, "In stock"),
                      filters.DateBetweenFilter(Product.released, "Released"),
                      filters.FilterEqual(Product.price, "Price")]
    page_size = 50


def create_admin(app, session):
    admin = Admin(app, name="Shop")
    admin.add_view(ProductView(Product, session))
    admin.add_view(Named(Product, session, name="Named", endpoint="named"))
    admin.add_view(Objects(Product, session, name="Objects", endpoint="objects"))
    return admin
