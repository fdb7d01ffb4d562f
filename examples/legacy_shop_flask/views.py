from flask import abort, flash, g, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from werkzeug.security import generate_password_hash
from wtforms import PasswordField
from wtforms.validators import ValidationError

from .models import AuditEntry, Category, Product, User, db


class AdminOnly:
    """Only logged-in administrators; everybody else is sent to the login page."""

    def is_accessible(self):
        return current_user.is_authenticated and current_user.is_admin

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("login", next=request.url))


class ShopIndexView(AdminOnly, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/shop_index.html",
                           products=db.session.query(Product).count(),
                           users=db.session.query(User).count())


class UserView(AdminOnly, ModelView):
    column_list = ["username", "is_admin"]
    column_searchable_list = ["username"]
    form_columns = ["username", "is_admin", "password"]
    form_extra_fields = {"password": PasswordField("Password")}

    def on_model_change(self, form, model, is_created):
        if form.password.data:
            model.password_hash = generate_password_hash(form.password.data)
        elif is_created:
            raise ValidationError("A new user needs a password.")
        db.session.add(AuditEntry(text=f"user {model.username} saved by {current_user.username}"))


class ProductView(AdminOnly, ModelView):
    column_list = ["name", "price", "in_stock", "category"]
    column_searchable_list = ["name"]
    column_filters = ["in_stock", "price"]
    column_default_sort = "name"
    form_columns = ["name", "price", "in_stock", "category"]
    form_args = {"category": {
        "query_factory": lambda: Category.query.filter(Category.name != "Archive")
                                               .order_by(Category.name)}}

    def on_model_change(self, form, model, is_created):
        if model.price is not None and model.price < 0:
            raise ValidationError("The price cannot be negative.")
        db.session.add(AuditEntry(text=f"product {model.name} saved ({g.request_tag})"))

    @action("out_of_stock", "Mark out of stock", "Mark the selected products out of stock?")
    def action_out_of_stock(self, ids):
        products = Product.query.filter(Product.id.in_(ids)).all()
        for product in products:
            product.in_stock = False
        db.session.commit()
        flash(f"{len(products)} products marked out of stock.", "success")


class CategoryView(AdminOnly, ModelView):
    column_list = ["name"]


class ReportView(AdminOnly, BaseView):
    @expose("/")
    def index(self):
        out = Product.query.filter_by(in_stock=False).count()
        return self.render("admin/report.html", out_of_stock=out)

    @expose("/audit", methods=["POST"])
    def audit(self):
        note = request.form.get("note", "")
        db.session.add(AuditEntry(text=f"note: {note}"))
        db.session.commit()
        entries = db.session.query(AuditEntry).count()
        flash(f"Noted ({entries} audit entries).", "info")
        return redirect(url_for(".index"))

    @expose("/limited")
    def limited(self):
        abort(403)

    @expose("/whoami")
    def whoami(self):
        return {"user": current_user.username, "tag": g.request_tag,
                "arg": request.args.get("n", "")}
