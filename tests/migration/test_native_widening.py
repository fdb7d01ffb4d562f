"""Native mode on shapes real Flask-Admin projects use a lot: an ``is_accessible`` that only
asks Flask-Login whether someone is logged in becomes the native hook's
``return user is not None`` (Flask-Admin's 403 for anonymous visitors kept), while checks
that ask more (``is_active``, roles, a redirect of their own) stay on compat.  The last tests
serve a converted view inside a Flask app, next to the same app migrated to compat only.
Column lists given as attributes of the view's own model (``Item.name``) become keys."""

from __future__ import annotations

import importlib
import json
import sys
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from migration_tool.cli import main

from .support import MODELS, read, write

VIEWS = '''
import flask_login as login
from flask import flash, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from .models import Item, Tag


class ItemView(ModelView):
{body}
'''

APP = '''
from flask_admin import Admin

from .models import Item
from .views import ItemView


def create(app, session):
    admin = Admin(app, name="Shop")
    admin.add_view(ItemView(Item, session))
    return admin
'''


def migrate(tmp_path, body: str) -> tuple[str, dict]:
    """(views.py after ``fasthx-migrate native``, the view's report entry)."""
    write(tmp_path, {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/app.py": APP,
                     "shop/views.py": VIEWS.replace("{body}", body)})
    report = tmp_path / "report.json"
    assert main(["native", str(tmp_path), "--report", str(report), "-q"]) == 0
    assert main(["native", str(tmp_path), "--check", "-q"]) == 0  # a second run: nothing
    (entry,) = json.loads(report.read_text())["views"]
    return read(tmp_path, "shop/views.py"), entry


LOGIN_ONLY = {
    "the property": "current_user.is_authenticated",
    "through a module alias": "login.current_user.is_authenticated",
    "the pre-0.3 Flask-Login method": "current_user.is_authenticated()",
    "not anonymous": "not current_user.is_anonymous",
}


@pytest.mark.parametrize("check", LOGIN_ONLY.values(), ids=LOGIN_ONLY.keys())
def test_a_login_check_becomes_the_native_user_check(tmp_path, check):
    views, entry = migrate(tmp_path, f'''
    column_list = ("name",)

    def is_accessible(self):
        """Staff only."""
        return {check}
''')
    assert entry["status"] == "converted", entry["reason"]
    assert "class ItemView(CRUDView):\n" in views
    assert "    login_required = False  # Flask-Admin's default\n" in views
    assert views.rstrip("\n") + "\n" == views[:views.index("        # Flask-Admin:")] + (
        f"        # Flask-Admin: return {check}\n"
        "        # in the Flask host, Flask-Login's logged-in user is the admin's `user`;\n"
        "        # login_required = False keeps Flask-Admin's 403 for anonymous visitors\n"
        "        return user is not None\n")
    assert '    def is_accessible(self, request, user):\n        """Staff only."""\n' in views


def test_current_user_import_goes_once_unused_and_a_module_alias_stays(tmp_path):
    views, entry = migrate(tmp_path, '''
    def is_accessible(self):
        return current_user.is_authenticated
''')
    assert entry["status"] == "converted"
    assert "from flask_login import current_user" not in views
    assert "import flask_login as login\n" in views  # an import of a module is left alone


def test_a_hook_reading_only_the_model_keeps_its_body_under_the_native_signature(tmp_path):
    views, entry = migrate(tmp_path, '''
    def on_model_change(self, form, model, is_created):
        model.name = model.name.strip()
''')
    assert entry["status"] == "converted", entry["reason"]
    assert ("    def on_model_change(self, model, form_data, is_created, db, request=None):\n"
            "        model.name = model.name.strip()\n") in views


STAYS = {
    "also is_active, which the admin's user source does not check": (
        "return current_user.is_active and current_user.is_authenticated",
        "is_accessible() uses current_user"),
    "a role": ('return current_user.has_role("admin")', "is_accessible() uses current_user"),
    "more than a return": (
        "if current_user.is_authenticated:\n            return True\n        return False",
        "is_accessible() uses current_user"),
    "an argument to the flag": ("return current_user.is_authenticated(1)",
                                "is_accessible() uses current_user"),
    "a name that is not Flask-Login's": ("return self.is_authenticated",
                                         "reads self.is_authenticated"),
}


@pytest.mark.parametrize(("body", "why"), STAYS.values(), ids=STAYS.keys())
def test_an_access_check_asking_more_than_a_login_stays_on_compat(tmp_path, body, why):
    views, entry = migrate(tmp_path, f'''
    def is_accessible(self):
        {body}
''')
    assert entry["status"] == "left"
    assert why in entry["reason"]
    assert "class ItemView(ModelView):" in views


REDIRECTING = '''
    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.sign_in", next=request.url))
'''


def test_a_redirect_to_the_apps_login_view_becomes_the_native_login_requirement(tmp_path):
    write(tmp_path, {"shop/login.py": '''
        from flask_login import LoginManager

        manager = LoginManager()
        manager.login_view = "auth.sign_in"
        '''})
    views, entry = migrate(tmp_path, REDIRECTING)
    assert entry["status"] == "converted", entry["reason"]
    assert "login_required = False" not in views
    assert "def is_accessible" not in views and "def inaccessible_callback" not in views
    assert "from flask import flash\n" in views  # what only the methods used is gone
    assert views.rstrip("\n").endswith(
        "    # Flask-Admin: is_accessible() asked Flask-Login for a logged-in user and\n"
        "    # inaccessible_callback() redirected to 'auth.sign_in', the app's login_view: a "
        "native\n"
        "    # view requires a login and sends anonymous visitors to that login_view\n"
        "    login_required = True")


LOGIN_VIEWS = {
    "no login_view in the project": {},
    "another login_view": {"shop/login.py": 'manager.login_view = "auth.login"\n'},
    "Flask-Security's, under another blueprint name": {"shop/security.py": '''
        from flask_security import Security

        SECURITY_BLUEPRINT_NAME = "auth"
        security = Security()
        '''},
}


@pytest.mark.parametrize("files", LOGIN_VIEWS.values(), ids=LOGIN_VIEWS.keys())
def test_a_redirect_elsewhere_than_the_login_view_stays_on_compat(tmp_path, files):
    write(tmp_path, files)
    views, entry = migrate(tmp_path, REDIRECTING)
    assert entry["status"] == "left"
    assert "inaccessible_callback() redirects to 'auth.sign_in'" in entry["reason"]
    assert "def inaccessible_callback(self, name, **kwargs):" in views


def test_flask_securitys_own_login_view_is_known(tmp_path):
    write(tmp_path, {"shop/security.py": '''
        from flask_security import Security

        security = Security()
        '''})
    views, entry = migrate(tmp_path, REDIRECTING.replace("auth.sign_in", "security.login"))
    assert entry["status"] == "converted", entry["reason"]
    assert "    login_required = True" in views


def test_a_callback_doing_more_than_redirecting_stays_on_compat(tmp_path):
    write(tmp_path, {"shop/login.py": 'manager.login_view = "auth.sign_in"\n'})
    views, entry = migrate(tmp_path, REDIRECTING.replace(
        "return redirect(", 'flash("Sign in first")\n        return redirect('))
    assert entry["status"] == "left"
    assert "method inaccessible_callback() has no native equivalent" in entry["reason"]


def test_attributes_of_the_views_model_become_their_keys(tmp_path):
    views, entry = migrate(tmp_path, '''
    column_list = (Item.name, "notes")
    column_searchable_list = [Item.name]
    column_filters = (Item.name, Item.notes)
''')
    assert entry["status"] == "converted", entry["reason"]
    assert '    column_list = ("name", "notes")\n' in views
    assert '    column_searchable = ["name"]\n' in views
    assert '    column_filters = ("name", "notes")\n' in views
    assert "Item.name" not in views


def test_attributes_of_another_model_stay_on_compat(tmp_path):
    # Flask-Admin joins to Tag for these; the key "label" would name Item's own column
    views, entry = migrate(tmp_path, '''
    column_filters = (Item.name, Tag.label)
''')
    assert entry["status"] == "left"
    assert "its column lists name attributes of shop.models.Tag, not of the one model" \
        in entry["reason"]
    assert "    column_filters = (Item.name, Tag.label)\n" in views


def test_attributes_in_a_shared_base_class_stay_on_compat(tmp_path):
    # the base has no model of its own: which model X.attr should be is not known
    write(tmp_path, {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/views.py": '''
        from flask_admin.contrib.sqla import ModelView

        from .models import Item


        class Base(ModelView):
            column_searchable_list = (Item.name,)


        class ItemView(Base):
            page_size = 5
        ''', "shop/app.py": APP})
    report = tmp_path / "report.json"
    assert main(["native", str(tmp_path), "--report", str(report), "-q"]) == 0
    views = {v["view"]: v for v in json.loads(report.read_text())["views"]}
    assert views["Base"]["status"] == views["ItemView"]["status"] == "left"
    assert "attributes of shop.models.Item" in views["Base"]["reason"]


# -- served inside a Flask app ------------------------------------------------------------------
FLASK_APP = '''
from flask import Flask, redirect, request, url_for
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_login import LoginManager, UserMixin, current_user, login_user
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

from .models import Base, Item


class Person(UserMixin):
    def __init__(self, uid):
        self.id = uid


class ItemView(ModelView):
    column_list = ("name",)
    column_searchable_list = (Item.name,)

    def is_accessible(self):
        return current_user.is_authenticated
{callback}

def create_app(url):
    app = Flask(__name__)
    app.secret_key = "widening-test"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(bind=engine))
    session.add_all([Item(name="Desk lamp"), Item(name="Armchair")])
    session.commit()
    manager = LoginManager(app)
{login_view}

    @manager.user_loader
    def load(uid):
        return Person(uid)

    @app.route("/sign-in")
    def sign_in():
        login_user(Person("ann"))
        return "signed in"

    admin = Admin(app, name="Shop")
    admin.add_view(ItemView(Item, session))
    return app
'''


REDIRECT_CALLBACK = '''
    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("sign_in", next=request.url))
'''


@pytest.fixture
def flask_shop(tmp_path, monkeypatch):
    """flask_shop(mode) -> (Flask test client, the item list's URL) of the app above after
    ``fasthx-migrate <mode>``."""
    monkeypatch.delenv("AUTH_DISABLED", raising=False)
    loaded: list[str] = []

    def make(mode: str, redirecting: bool = False):
        pkg = f"widen_{mode}_{uuid.uuid4().hex[:10]}"
        root = tmp_path / mode
        app = FLASK_APP.replace("{callback}", REDIRECT_CALLBACK if redirecting else "").replace(
            "{login_view}", '    manager.login_view = "sign_in"' if redirecting else "")
        write(root, {f"{pkg}/__init__.py": "", f"{pkg}/models.py": MODELS, f"{pkg}/app.py": app})
        assert main([mode, str(root), "-q"]) == 0
        source = read(root, f"{pkg}/app.py")
        assert ("class ItemView(CRUDView):" in source) == (mode == "native")
        monkeypatch.syspath_prepend(str(root))
        loaded.append(pkg)
        app = importlib.import_module(f"{pkg}.app").create_app(f"sqlite:///{root}/shop.db")
        return app.test_client(), "/admin/item" + ("/" if mode == "compat" else "")

    yield make
    for name in [m for m in sys.modules if m.split(".")[0] in loaded]:
        del sys.modules[name]


@pytest.mark.parametrize("mode", ["compat", "native"])
def test_served_the_view_refuses_anonymous_visitors_and_lists_and_searches_for_a_user(
        flask_shop, mode):
    client, url = flask_shop(mode)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Desk lamp" not in refused.get_data(as_text=True)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert url.rstrip("/") not in home.get_data(as_text=True)  # not in the sidebar

    assert client.get("/sign-in").status_code == 200
    page = client.get(url)
    assert page.status_code == 200
    assert "Desk lamp" in page.get_data(as_text=True)
    assert url.rstrip("/") in client.get("/admin/").get_data(as_text=True)

    found = client.get(url, query_string={"search" if mode == "compat" else "q": "lamp"})
    assert "Desk lamp" in found.get_data(as_text=True)
    assert "Armchair" not in found.get_data(as_text=True)


@pytest.mark.parametrize("mode", ["compat", "native"])
def test_served_an_anonymous_visitor_is_sent_to_the_login_view_and_back(flask_shop, mode):
    client, url = flask_shop(mode, redirecting=True)
    sent = client.get(url)
    assert sent.status_code in (302, 303)
    where = urlsplit(sent.headers["Location"])
    assert where.path == "/sign-in"
    assert urlsplit(parse_qs(where.query)["next"][0]).path == url

    assert client.get("/sign-in").status_code == 200
    assert "Desk lamp" in client.get(url).get_data(as_text=True)
