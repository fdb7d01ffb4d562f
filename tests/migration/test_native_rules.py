"""Native mode, per translation: before/after fixtures for hooks, literal conversions, the
add_view call's options, the session handed to the Admin, Flask-Admin's defaults, and the
reasons a view stays on compat.  The last test serves a converted view for real."""

from __future__ import annotations

import importlib
import json
import re
import sys
import textwrap

import pytest

from migration_tool.cli import main

from .support import MODELS, read, write

HEAD = '''
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import rules
from flask_login import current_user
from wtforms.validators import ValidationError

from .models import Item


def plain_fmt(view, context, model, name):
    return model.name.upper()


def view_fmt(view, context, model, name):
    return view.get_url(".details_view", id=model.id)
'''

APP = '''
from flask_admin import Admin

from .models import Item
from .views import V


def create(app, session):
    admin = Admin(app, name="Shop")
    admin.add_view(V(Item, session{kwargs}))
    return admin
'''


@pytest.fixture
def native(tmp_path, request):
    """native(class body, add_view kwargs="") -> (views.py after, the view's report entry)."""
    pkg = "nr_" + request.node.name.replace("[", "_").replace("]", "_").replace("-", "_")
    made = []

    def run(body: str, kwargs: str = "", files: dict[str, str] | None = None):
        root = tmp_path / f"r{len(made)}"
        cls = "class V(ModelView):\n" + textwrap.indent(textwrap.dedent(body).strip("\n"),
                                                          "    ") + "\n"
        write(root, {f"{pkg}/__init__.py": "", f"{pkg}/models.py": MODELS,
                     f"{pkg}/views.py": HEAD.lstrip("\n") + "\n\n" + cls,
                     f"{pkg}/app.py": APP.replace("{kwargs}", kwargs),
                     **{k.replace("{pkg}", pkg): v for k, v in (files or {}).items()}})
        rep = root / "report.json"
        assert main(["native", str(root), "--report", str(rep), "-q"]) == 0
        assert main(["native", str(root), "--check", "-q"]) == 0  # idempotent
        made.append(root)
        views = read(root, f"{pkg}/views.py")
        entry = json.loads(rep.read_text())["views"][0]
        return views[views.index("class V("):], entry, root, pkg

    yield run
    for name in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
        del sys.modules[name]


DEFAULTS = ("    can_view_details = False  # Flask-Admin's default\n"
            "    can_export = False  # Flask-Admin's default\n"
            "    column_searchable = ()  # Flask-Admin's default\n"
            "    newest_first = False  # Flask-Admin's default\n"
            "    login_required = False  # Flask-Admin's default\n")
HEADER = 'class V(CRUDView):\n    model = Item\n    name = "item"\n' + DEFAULTS

CONVERTED = {
    "hooks with Flask-Admin's signatures": (
        """
        def on_model_change(self, form, model, is_created):
            model.name = model.name.strip()
            super().on_model_change(form, model, is_created)

        def after_model_delete(self, model):
            print("gone", model.id)
        """,
        HEADER + "\n"
        "    def on_model_change(self, model, form_data, is_created, db, request=None):\n"
        "        model.name = model.name.strip()\n"
        "        super().on_model_change(model, form_data, is_created, db, request)\n\n"
        "    def after_model_delete(self, model, db):\n"
        '        print("gone", model.id)\n'),
    "get_query, and a get_count_query with the same scope": (
        """
        def get_query(self):
            return super().get_query().filter(Item.name != "x")

        def get_count_query(self):
            return super().get_count_query().filter(Item.name != "x")
        """,
        HEADER + "\n"
        "    def get_query(self, db):\n"
        '        return super().get_query(db).filter(Item.name != "x")\n'),
    "is_accessible without Flask": (
        """
        def is_accessible(self):
            return self.can_edit
        """,
        HEADER + "\n    def is_accessible(self, request, user):\n        return self.can_edit\n"),
    "rules with FieldSets and loose fields": (
        """
        form_create_rules = ("notes", rules.FieldSet(("name",), "Main"), rules.Field("id"))
        """,
        HEADER.replace(DEFAULTS, DEFAULTS) +
        '    form_create_columns = ("notes", "name", "id")\n'
        "    form_create_sections = [\n"
        '        ("", ("notes",)),\n        ("Main", ("name",)),\n        ("", ("id",)),\n'
        "    ]\n"),
    "form_rules without FieldSets": (
        'form_rules = ["name", "notes"]\n',
        HEADER + '    form_columns = ("name", "notes")\n'),
    "widget args and choices merged": (
        """
        form_widget_args = {"notes": {"rows": 3}, "name": {"placeholder": "N"}}
        form_choices = {"name": [("a", "A")]}
        """,
        HEADER + "    form_widget_overrides = {\n"
        '        "notes": {"rows": 3},\n'
        '        "name": {"placeholder": "N", "type": "select", "choices": [("a", "A")]},\n'
        "    }\n"),
    "literal list options renamed": (
        """
        column_list = ("name", "notes")
        column_searchable_list = ["name"]
        column_sortable_list = ("name", ("notes", "notes"))
        column_default_sort = [("name", True), "id"]
        column_filters = ("name",)
        """,
        'class V(CRUDView):\n    model = Item\n    name = "item"\n'
        "    can_view_details = False  # Flask-Admin's default\n"
        "    can_export = False  # Flask-Admin's default\n"
        "    login_required = False  # Flask-Admin's default\n"
        '    column_list = ("name", "notes")\n    column_searchable = ["name"]\n'
        '    column_sortable = ("name", ("notes", "notes"))\n'
        '    column_default_sort = [("name", True), "id"]\n    column_filters = ("name",)\n'),
    "a formatter that reads neither view nor context": (
        'column_formatters = {"name": plain_fmt}\n',
        HEADER + "    column_formatters = {\n"
        '        "name": lambda value, obj: plain_fmt(None, None, obj, "name"),\n    }\n'),
    "set defaults are not restated": (
        "can_export = True\ncan_view_details = True  # kept\n",
        'class V(CRUDView):\n    model = Item\n    name = "item"\n'
        "    column_searchable = ()  # Flask-Admin's default\n"
        "    newest_first = False  # Flask-Admin's default\n"
        "    login_required = False  # Flask-Admin's default\n"
        "    can_export = True\n    can_view_details = True  # kept\n"),
}


@pytest.mark.parametrize("case", CONVERTED)
def test_converts(native, case):
    body, expected = CONVERTED[case]
    after, entry, _, _ = native(body)
    assert entry["status"] == "converted", entry["reason"]
    assert after == expected


def test_add_view_options_become_class_attributes_and_the_session_goes_to_admin(native):
    after, entry, root, pkg = native("page_size = 5\n",
                                     ', category="Shop", name="Things", endpoint="things"')
    assert entry["status"] == "converted"
    assert after.startswith('class V(CRUDView):\n    model = Item\n    category = "Shop"\n'
                            '    name = "things"\n    display_name = "Things"\n')
    app = read(root, f"{pkg}/app.py")
    assert 'admin = Admin(app, name="Shop", session_factory=session)\n' in app
    assert "admin.add_view(V)\n" in app


LEFT = {
    "a hook reading the form": (
        "def on_model_change(self, form, model, is_created):\n    model.name = form.name.data\n",
        "on_model_change() reads `form`"),
    "a hook that raises": (
        "def on_model_delete(self, model):\n    raise ValidationError('no')\n",
        "on_model_delete() raises"),
    "a hook using self.session": (
        "def after_model_change(self, form, model, is_created):\n    self.session.commit()\n",
        "reads self.session"),
    "is_accessible with flask_login": (
        "def is_accessible(self):\n"
        "    return current_user.is_authenticated and current_user.is_active\n",
        "is_accessible() uses current_user"),
    "a count query of its own": (
        "def get_query(self):\n    return super().get_query()\n\n"
        "def get_count_query(self):\n    return super().get_count_query().limit(3)\n",
        "hook get_count_query() has another native signature"),
    "a hook reading a name a native parameter would hide": (
        "def after_model_change(self, form, model, is_created):\n    db.session.flush()\n",
        "reads `db`, which the native hook's parameters"),
    "a formatter that reads view": (
        'column_formatters = {"name": view_fmt}\n',
        "column_formatters is a 'convert' row"),
    "rules with a text block": (
        "form_create_rules = (rules.Text('hello'), 'name')\n",
        "form_create_rules is a 'convert' row"),
    "a column list of computed attributes": (  # Item.name converts: test_native_widening
        "column_list = (getattr(Item, 'name'),)\n", "column_list is a 'convert' row"),
    "an action method": (
        "def action_x(self, ids):\n    pass\n", "method action_x() has no native equivalent"),
}


@pytest.mark.parametrize("case", LEFT)
def test_stays_on_compat_and_says_why(native, case):
    body, why = LEFT[case]
    after, entry, _, _ = native(body)
    assert entry["status"] == "left"
    assert why in entry["reason"]
    assert after.startswith("class V(ModelView):")


def test_a_non_literal_add_view_option_keeps_the_view_on_compat(native):
    _, entry, _, _ = native("page_size = 5\n", ", category=CATEGORY")
    assert entry["status"] == "left"
    assert "passes more than (model, session)" in entry["reason"]


def test_an_endpoint_used_in_a_template_keeps_the_view_on_compat(native):
    _, entry, _, _ = native("page_size = 5\n", files={
        "templates/home.html": "<a href=\"{{ url_for('item.edit_view', id=1) }}\">edit</a>\n"})
    assert entry["status"] == "left"
    assert "endpoint 'item' is used by url_for/get_url at" in entry["reason"]
    assert "home.html:1" in entry["reason"]


def test_an_admin_made_elsewhere_keeps_the_view_on_compat(native):
    app = ("from .models import Item\nfrom .views import V\n\n\n"
           "def register(admin, session):\n    admin.add_view(V(Item, session))\n")
    _, entry, _, _ = native("page_size = 5\n", files={"{pkg}/app.py": app})
    assert entry["status"] == "left"
    assert "is not created in the same function" in entry["reason"]


def test_a_converted_view_serves_next_to_compat_views(native, tmp_path):
    """The rewritten app runs: the converted view lists, creates through its native hook and
    sections, on the session the Admin was handed."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, scoped_session, sessionmaker

    _, entry, root, pkg = native("""
        form_create_rules = (rules.FieldSet(("name",), "Main"), rules.FieldSet(("notes",), "More"))
        column_searchable_list = ("name",)

        def on_model_change(self, form, model, is_created):
            model.name = model.name.strip().title()
        """, ', category="Shop"')
    assert entry["status"] == "converted"
    sys.path.insert(0, str(root))
    try:
        app_mod = importlib.import_module(f"{pkg}.app")
        models = importlib.import_module(f"{pkg}.models")
    finally:
        sys.path.remove(str(root))
    engine = create_engine(f"sqlite:///{tmp_path}/n.db")
    models.Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(bind=engine))
    app = FastAPI()
    app_mod.create(app, session)
    with TestClient(app) as client:
        form = client.get("/admin/item/create")
        assert form.status_code == 200 and ">Main</button>" in form.text  # a FieldSet
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
        saved = client.post("/admin/item/create", data={"name": "  red box ", "notes": "",
                                                        "csrf_token": csrf},
                            follow_redirects=False)
        assert saved.status_code in (302, 303), saved.text
        listed = client.get("/admin/item?q=red")
        assert listed.status_code == 200 and "Red Box" in listed.text
    with Session(engine) as db:
        assert [i.name for i in db.query(models.Item)] == ["Red Box"]
    engine.dispose()


def test_every_literal_shape_and_hook_row_of_the_table_is_one_the_codemod_knows():
    from flask_admin_compat import translation
    from migration_tool import native

    for row in translation.ROWS:
        assert not row.literal or row.literal in native.SHAPES, row
        assert not row.literal or row.kind == "convert", row
    for row in translation.HOOKS:
        if row.carry:
            assert row.params, row
        for target in native._split(row.carry):
            assert target == "-" or target in [p.split("=")[0]
                                               for p in native._split(row.params)], row
    for attr, value, fa_attr in translation.FA_DEFAULTS:
        from fasthx_core import CRUDView

        assert hasattr(CRUDView, attr) and getattr(CRUDView, attr) != eval(value), attr
        assert not fa_attr or fa_attr in translation.BY_NAME, fa_attr


def test_native_keeps_crlf_and_the_encoding_and_drops_imports_left_unused(tmp_path):
    """New statements follow the file's line endings; a PEP 263 cookie is honoured."""
    pkg = tmp_path / "crlfpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_bytes(b"")
    (pkg / "models.py").write_bytes(b"class Item:\r\n    pass\r\n")
    src = ("# -*- coding: latin-1 -*-\r\n"
           "from flask_admin import Admin\r\n"
           "from flask_admin.contrib.sqla import ModelView\r\n"
           "from flask_admin.form import rules\r\n"
           "from .models import Item\r\n\r\n\r\n"
           "class V(ModelView):\r\n"
           "    \"\"\"Caf\xe9 items.\"\"\"\r\n"
           "    form_create_rules = (rules.FieldSet((\"a\",), \"A\"),\r\n"
           "                         rules.FieldSet((\"b\",), \"B\"))\r\n"
           "\r\n\r\n"
           "def make(app, s):\r\n    admin = Admin(app)\r\n    admin.add_view(V(Item, s))\r\n")
    (pkg / "views.py").write_bytes(src.encode("latin-1"))
    assert main(["native", str(tmp_path), "-q"]) == 0
    out = (pkg / "views.py").read_bytes()
    assert out.count(b"\r\n") == out.count(b"\n")  # no bare LF anywhere
    text = out.decode("latin-1")
    assert '"""Caf\xe9 items."""' in text and "class V(CRUDView):" in text
    assert "form_create_sections = [\r\n        (\"A\", (\"a\",)),\r\n" in text
    assert "import rules" not in text and "import ModelView" not in text
    assert main(["native", str(tmp_path), "--check", "-q"]) == 0


def test_an_admin_made_in_another_module_gets_the_session_on_the_class(tmp_path):
    """``admin.add_view(V(Item, db_session))`` at module level, the Admin made elsewhere: the
    class names its session itself (imported where it lives)."""
    write(tmp_path, {
        "extpkg/__init__.py": "",
        "extpkg/models.py": MODELS,
        "extpkg/ext.py": '''
            from flask_admin import Admin
            from sqlalchemy.orm import scoped_session, sessionmaker

            admin = Admin(name="Shop")
            db_session = scoped_session(sessionmaker())
            ''',
        "extpkg/views.py": '''
            from flask_admin.contrib.sqla import ModelView


            class V(ModelView):
                page_size = 5
            ''',
        "extpkg/setup.py": '''
            from .ext import admin, db_session
            from .models import Item
            from .views import V

            admin.add_view(V(Item, db_session))
            ''',
    })
    rep = tmp_path / "r.json"
    assert main(["native", str(tmp_path), "--report", str(rep), "-q"]) == 0
    views = read(tmp_path, "extpkg/views.py")
    assert "from extpkg.ext import db_session\n" in views
    assert "class V(CRUDView):\n    model = Item\n    name = \"item\"\n" \
        "    session_factory = db_session\n" in views
    assert "admin.add_view(V)\n" in read(tmp_path, "extpkg/setup.py")
    assert json.loads(rep.read_text())["summary"]["views_converted"] == 1
    assert main(["native", str(tmp_path), "--check", "-q"]) == 0
