"""Listing: columns, default and explicit sort, paging (checks: test_listing.py)."""

from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView

from tests.compat.differential.models import Maker, Product


class ProductView(ModelView):
    column_list = ["name", "sku", "price", "in_stock", "released", "kind", "maker"]


class ByPrice(ModelView):
    column_list = ["name", "price", "maker.name"]
    column_default_sort = ("price", True)
    column_sortable_list = ["name", "price", ("maker.name", "maker.name")]
    page_size = 10


class Plain(ModelView):
    column_display_pk = True
    column_exclude_list = ["notes"]


class Makers(ModelView):
    column_default_sort = "name"


class TwoKeys(ModelView):
    column_list = ["name", "in_stock", "price"]
    column_default_sort = [("in_stock", True), ("price", False)]
    can_set_page_size = True
    page_size_options = (10, 20, 50)


class Simple(ModelView):
    column_list = ["name", "price"]
    simple_list_pager = True
    page_size = 15


def create_admin(app, session):
    admin = Admin(app, name="Shop")
    admin.add_view(ProductView(Product, session))
    admin.add_view(ByPrice(Product, session, name="By price", endpoint="byprice"))
    admin.add_view(Plain(Product, session, name="Plain", endpoint="plain"))
    admin.add_view(Makers(Maker, session))
    admin.add_view(TwoKeys(Product, session, name="Two keys", endpoint="twokeys"))
    admin.add_view(Simple(Product, session, name="Simple", endpoint="simple"))
    return admin
