"""The shop's admin views, as the team wrote them for Flask-Admin.

Only the import lines changed in the migration (``flask_admin`` -> ``flask_admin_compat``,
``flask.flash`` -> ``flask_admin_compat.helpers.flash``); every class below is untouched.
"""

import logging
import os

from markupsafe import Markup
from sqlalchemy import func
from wtforms import validators

from flask_admin_compat import AdminIndexView, BaseView, expose
from flask_admin_compat.actions import action
from flask_admin_compat.babel import gettext, ngettext
from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.form import rules
from flask_admin_compat.helpers import flash

from .models import ORDER_STATUSES, Customer, Order, OrderLine, Product

log = logging.getLogger(__name__)

COUNTRIES = [("DE", "Germany"), ("FR", "France"), ("GB", "United Kingdom"),
             ("US", "United States")]
STATUS_CHOICES = [(s, s.title()) for s in ORDER_STATUSES]
STATUS_BADGES = {"new": "secondary", "paid": "info", "shipped": "success",
                 "cancelled": "danger", "archived": "dark"}


def maintenance_mode():
    """Order lines are corrected by hand only during a maintenance window."""
    return os.environ.get("SHOP_MAINTENANCE") == "1"


# -- formatters (Flask-Admin's signature: view, context, model, name) ----------------------
def price_formatter(view, context, model, name):
    value = getattr(model, name)
    if value is None:
        return ""
    return Markup('<span class="text-nowrap">{} &euro;</span>').format(f"{value:,.2f}")


def status_formatter(view, context, model, name):
    badge = STATUS_BADGES.get(model.status, "secondary")
    return Markup('<span class="badge text-bg-{}">{}</span>').format(badge,
                                                                     model.status.title())


def customer_link_formatter(view, context, model, name):
    if model.customer is None:
        return ""
    url = view.get_url("customer.details_view", id=model.customer_id)
    return Markup('<a href="{}">{}</a>').format(url, model.customer.name)


# -- pages ---------------------------------------------------------------------------------
class ShopIndexView(AdminIndexView):
    """The admin home: open orders at a glance."""

    def __init__(self, session, **kwargs):
        super().__init__(**kwargs)
        self.session = session

    @expose("/")
    def index(self):
        counts = dict(self.session.query(Order.status, func.count(Order.id))
                      .group_by(Order.status).all())
        return self.render("admin/shop_index.html", counts=counts,
                           products=self.session.query(Product).count())


class SalesReportView(BaseView):
    """Revenue per customer, and one customer's orders."""

    def __init__(self, session, **kwargs):
        super().__init__(**kwargs)
        self.session = session

    @expose("/")
    def index(self):
        revenue = func.sum(OrderLine.quantity * OrderLine.unit_price)
        rows = (self.session.query(Customer, revenue.label("revenue"))
                .join(Order, Order.customer_id == Customer.id)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .filter(Order.status.in_(("paid", "shipped")))
                .group_by(Customer.id).order_by(revenue.desc()).all())
        return self.render("reports/sales.html", rows=rows)

    @expose("/customer/<int:customer_id>/")
    def customer(self, customer_id):
        customer = self.session.get(Customer, customer_id)
        if customer is None:
            return "No such customer", 404
        return self.render("reports/customer.html", customer=customer)


# -- model views ---------------------------------------------------------------------------
class CustomerView(ModelView):
    column_list = ("name", "email", "country", "created")
    column_searchable_list = ("name", "email")
    column_filters = ("country", "created")
    column_default_sort = "name"
    column_labels = {"email": "E-mail", "created": "Customer since"}
    column_choices = {"country": COUNTRIES}
    can_view_details = True
    can_export = True
    column_export_list = ("name", "email", "country")

    form_excluded_columns = ("orders",)
    form_choices = {"country": COUNTRIES}
    form_args = {
        "name": {"validators": [validators.Length(min=2, max=100)]},
        "email": {"label": "E-mail address",
                  "validators": [validators.Regexp(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$",
                                                   message="Not a valid e-mail address.")]},
    }
    form_widget_args = {"phone": {"placeholder": "+49 30 1234567"}}
    form_create_rules = (  # "created" is set on create; the edit form shows every field
        rules.FieldSet(("name", "email"), "Identity"),
        rules.FieldSet(("country", "phone"), "Contact"),
    )

    def on_model_change(self, form, model, is_created):
        model.name = " ".join(model.name.split())
        model.email = model.email.strip().lower()


class ProductView(ModelView):
    column_list = ("name", "sku", "category", "price", "in_stock", "tags")
    column_searchable_list = ("name", "sku", "tags.name")
    column_filters = ("category", "in_stock", "price")
    column_sortable_list = ("name", "sku", "price", "in_stock")
    column_default_sort = ("name", False)
    column_labels = {"sku": "SKU", "in_stock": "In stock"}
    column_formatters = {"price": price_formatter}
    can_export = True
    page_size = 50

    form_columns = ("name", "sku", "category", "price", "in_stock", "tags", "description")
    form_args = {
        "sku": {"label": "SKU",
                "validators": [validators.Regexp(r"^[A-Za-z]{3}-\d{3}$",
                                                 message="Use three letters, a dash and "
                                                         "three digits (ABC-123).")]},
        "price": {"validators": [validators.NumberRange(min=0.01, max=10000)]},
    }
    form_widget_args = {"description": {"rows": 6}, "sku": {"placeholder": "ABC-123"}}

    def on_model_change(self, form, model, is_created):
        model.sku = model.sku.strip().upper()

    @action("out_of_stock", "Mark out of stock", "Mark the selected products out of stock?")
    def action_out_of_stock(self, ids):
        try:
            query = self.session.query(Product).filter(Product.id.in_([int(i) for i in ids]))
            count = 0
            for product in query.all():
                product.in_stock = False
                count += 1
            self.session.commit()
            flash(ngettext("Product was marked out of stock.",
                           "%(count)s products were marked out of stock.", count, count=count),
                  "success")
        except Exception as ex:
            if not self.handle_view_exception(ex):
                raise
            flash(gettext("Failed to update products. %(error)s", error=str(ex)), "error")


class OrderView(ModelView):
    """Orders; archived ones are kept for accounting but never shown here."""

    column_list = ("id", "created", "customer", "customer.email", "status", "note")
    column_searchable_list = ("customer.name", "note")
    column_filters = ("status", "created", "customer.name")
    column_sortable_list = ("id", "created", ("customer", "customer.name"), "status")
    column_default_sort = ("created", True)
    column_labels = {"id": "Order", "customer.email": "Customer e-mail"}
    column_choices = {"status": STATUS_CHOICES}
    column_formatters = {"status": status_formatter, "customer": customer_link_formatter}
    column_export_list = ("id", "created", "customer", "status")
    can_view_details = True
    can_export = True

    form_columns = ("customer", "status", "note")
    form_choices = {"status": STATUS_CHOICES[:-1]}  # archiving is done by the nightly job
    form_widget_args = {"note": {"rows": 3, "placeholder": "Internal note"}}
    inline_models = [(OrderLine, {
        "form_columns": ("id", "product", "quantity", "unit_price"), "form_label": "Lines",
        "form_args": {"quantity": {"validators": [validators.NumberRange(min=1)]}}})]

    def get_query(self):
        return super().get_query().filter(Order.status != "archived")

    def get_count_query(self):
        return super().get_count_query().filter(Order.status != "archived")

    def after_model_change(self, form, model, is_created):
        log.info("order %s %s (status %s)", model.id, "created" if is_created else "updated",
                 model.status)


class OrderLineView(ModelView):
    column_list = ("order", "product", "quantity", "unit_price")
    column_formatters = {"unit_price": price_formatter}
    form_args = {"quantity": {"validators": [validators.NumberRange(min=1)]}}

    def is_accessible(self):
        return maintenance_mode()
