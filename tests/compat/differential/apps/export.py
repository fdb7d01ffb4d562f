"""CSV export (checks: test_export.py)."""

try:
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
except ImportError:  # very old installs
    from flask.ext.admin import Admin
    from flask.ext.admin.contrib.sqla import ModelView

from tests.compat.differential.models import Product


class ProductView(ModelView):
    can_export = True
    column_list = ["name", "sku", "price", "in_stock", "released", "kind", "maker"]
    column_labels = {"sku": "Code"}
    column_filters = ["price"]
    column_searchable_list = ["name"]


class Chosen(ModelView):
    can_export = True
    column_export_list = ["name", "price", "maker.name", "notes"]
    column_formatters_export = {
        "price": lambda view, context, model, name: f"{model.price / 100:.2f} EUR"}
    export_max_rows = 7


class Excluded(ModelView):
    can_export = True
    column_list = ["name", "sku", "price", "in_stock"]
    column_export_exclude_list = ["sku"]


class NoExport(ModelView):
    column_list = ["name"]


def create_admin(app, session):
    admin = Admin(app, name="Shop")
    admin.add_view(ProductView(Product, session))
    admin.add_view(Chosen(Product, session, name="Chosen", endpoint="chosen"))
    admin.add_view(Excluded(Product, session, name="Excluded", endpoint="excluded"))
    admin.add_view(NoExport(Product, session, name="No export", endpoint="noexport"))
    return admin
