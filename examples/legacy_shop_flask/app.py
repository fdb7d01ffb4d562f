"""The shop's Flask application: its own pages (home, login, logout) and the admin."""

import os
import time

from flask import Flask, flash, g, redirect, render_template, request, url_for
from flask_admin import Admin
from flask_login import LoginManager, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from .models import Category, Product, User, db
from .views import CategoryView, ProductView, ReportView, ShopIndexView, UserView


def create_app(database_uri=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "change-me-in-production")
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri or os.environ.get(
        "DATABASE_URL", "sqlite:///legacy_shop_flask.db")
    db.init_app(app)

    login_manager = LoginManager(app)
    login_manager.login_view = "login"

    @login_manager.user_loader
    def load_user(user_id):
        return db.session.get(User, int(user_id))

    @app.before_request
    def tag_request():
        g.request_tag = request.args.get("n") or "web"
        if request.args.get("slow"):
            time.sleep(float(request.args["slow"]))

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("forbidden.html"), 403

    @app.route("/")
    def home():
        return render_template("home.html")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error = None
        if request.method == "POST":
            user = User.query.filter_by(username=request.form.get("username", "")).first()
            if user and check_password_hash(user.password_hash, request.form.get("password", "")):
                login_user(user)
                flash(f"Welcome, {user.username}.", "success")
                target = request.args.get("next") or ""
                if not target.startswith("/") or target.startswith("//"):
                    target = url_for("home")
                return redirect(target)
            error = "Wrong username or password."
        return render_template("login.html", error=error), (401 if error else 200)

    @app.route("/logout")
    def logout():
        logout_user()
        return redirect(url_for("home"))

    @app.route("/go-to-products")
    def go_to_products():
        return redirect(url_for("product.index_view"))

    admin = Admin(app, name="Shop", index_view=ShopIndexView(name="Dashboard"))
    admin.add_view(ProductView(Product, db.session))
    admin.add_view(CategoryView(Category, db.session))
    admin.add_view(UserView(User, db.session, name="Users"))
    admin.add_view(ReportView(name="Report", endpoint="report"))

    with app.app_context():
        db.create_all()
        seed()
    return app


def seed():
    if User.query.first() is not None:
        return
    db.session.add_all([
        User(username="admin", password_hash=generate_password_hash("admin"), is_admin=True),
        User(username="clerk", password_hash=generate_password_hash("clerk"), is_admin=True),
        User(username="guest", password_hash=generate_password_hash("guest"), is_admin=False),
    ])
    tools, toys = Category(name="Tools"), Category(name="Toys")
    db.session.add(Category(name="Archive"))  # not offered in product forms
    db.session.add_all([
        Product(name="Hammer", price=12, category=tools),
        Product(name="Saw", price=25, category=tools),
        Product(name="Kite", price=8, category=toys),
        Product(name="Yo-yo", price=3, in_stock=False, category=toys),
    ])
    db.session.commit()
