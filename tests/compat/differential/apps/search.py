"""Search over own and related columns (checks: test_search.py)."""

import flask_admin as admin_pkg
from flask_admin.contrib import sqla

from tests.compat.differential.models import Maker, Product


class ProductView(sqla.ModelView):
    column_list = ["name", "sku", "price", "maker"]
    column_searchable_list = ["name", "sku", Maker.name]
    page_size = 10


class Notes(sqla.ModelView):
    column_list = ["name", "notes"]
    column_searchable_list = ["notes", "name"]


class Makers(sqla.ModelView):
    column_searchable_list = ["name", "country"]


def create_admin(app, session):
    admin = admin_pkg.Admin(app, name="Shop")
    admin.add_view(ProductView(Product, session))
    admin.add_view(Notes(Product, session, name="Notes", endpoint="notes"))
    admin.add_view(Makers(Maker, session))
    return admin
