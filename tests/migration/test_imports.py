"""FXM001 on before/after fixtures: every import form, and what must stay untouched."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migration_tool.rules import FXM001, FileContext
from migration_tool.runner import process

CASES = {
    "plain import and uses": (
        """
        import flask_admin

        admin = flask_admin.Admin(app)
        mod = flask_admin
        """,
        """
        import flask_admin_compat

        admin = flask_admin_compat.Admin(app)
        mod = flask_admin_compat
        """),
    "alias": (
        """
        import flask_admin as fa
        admin = fa.Admin(app)
        """,
        """
        import flask_admin_compat as fa
        admin = fa.Admin(app)
        """),
    "from import": (
        "from flask_admin import Admin, expose\n",
        "from flask_admin_compat import Admin, expose\n"),
    "submodule then attribute": (
        """
        from flask_admin.contrib import sqla

        class V(sqla.ModelView):
            pass
        """,
        """
        from flask_admin_compat.contrib import sqla

        class V(sqla.ModelView):
            pass
        """),
    "dotted import and chain": (
        """
        import flask_admin.contrib.sqla

        class V(flask_admin.contrib.sqla.ModelView):
            pass
        """,
        """
        import flask_admin_compat.contrib.sqla

        class V(flask_admin_compat.contrib.sqla.ModelView):
            pass
        """),
    "deep from import": (
        "from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike\n",
        "from flask_admin_compat.contrib.sqla.filters import FilterEqual, FilterLike\n"),
    "star import": (
        "from flask_admin.contrib.sqla import *\n",
        "from flask_admin_compat.contrib.sqla import *\n"),
    "multi-line with comments": (
        """
        from flask_admin import (  # the admin
            Admin,  # the app
            # the decorator
            expose,
        )
        """,
        """
        from flask_admin_compat import (  # the admin
            Admin,  # the app
            # the decorator
            expose,
        )
        """),
    "legacy flask.ext.admin": (
        """
        from flask.ext.admin import Admin
        from flask.ext.admin.contrib.sqla import ModelView
        """,
        """
        from flask_admin_compat import Admin
        from flask_admin_compat.contrib.sqla import ModelView
        """),
    "legacy flask.ext import admin": (
        "from flask.ext import admin\nx = admin.Admin()\n",
        "import flask_admin_compat as admin\nx = admin.Admin()\n"),
    "legacy import flask.ext.admin and chain": (
        "import flask.ext.admin\nx = flask.ext.admin.Admin()\n",
        "import flask_admin_compat\nx = flask_admin_compat.Admin()\n"),
    "sqlamodel": (
        "from flask_admin.contrib.sqlamodel import ModelView\n",
        "from flask_admin_compat.contrib.sqlamodel import ModelView\n"),
    "conditional and try": (
        """
        try:
            import flask_admin
        except ImportError:  # optional
            flask_admin = None
        if flask_admin:
            from flask_admin import Admin
        """,
        """
        try:
            import flask_admin_compat
        except ImportError:  # optional
            flask_admin_compat = None
        if flask_admin_compat:
            from flask_admin_compat import Admin
        """),
    # a plain import nested in a function, in a list and after a semicolon: its uses follow
    "nested plain import in a function": (
        """
        def make(app):
            import os, flask_admin
            return flask_admin.Admin(app, name=os.name)
        """,
        """
        def make(app):
            import os, flask_admin_compat
            return flask_admin_compat.Admin(app, name=os.name)
        """),
    "plain import after a semicolon": (
        "import os; import flask_admin.contrib.sqla\nv = flask_admin.contrib.sqla.ModelView\n",
        "import os; import flask_admin_compat.contrib.sqla\n"
        "v = flask_admin_compat.contrib.sqla.ModelView\n"),
    "imports inside a class body and a with block": (
        """
        class Views:
            from flask_admin.contrib.sqla import ModelView  # here
        with ctx:
            from flask_admin import expose
        """,
        """
        class Views:
            from flask_admin_compat.contrib.sqla import ModelView  # here
        with ctx:
            from flask_admin_compat import expose
        """),
}

UNTOUCHED = {
    "template names and strings": """
        from flask_admin_compat import BaseView
        TEMPLATE = "flask_admin/list.html"
        mod = importlib.import_module("flask_admin")
        """,
    "relative import": """
        from . import flask_admin
        from .flask_admin import views
        from ..flask_admin.contrib import sqla
        """,
    "attribute named flask_admin": """
        import flask_admin_compat
        app.extensions.flask_admin = 1
        f(flask_admin=2)
        """,
    "similar names": """
        import flask_admin_extras
        from flask_admin_extras import thing
        """,
}


def rewrite(src: str, tmp_path) -> str:
    p = tmp_path / "m.py"
    p.write_text(textwrap.dedent(src).lstrip("\n"))
    res = process(p, [FXM001])
    assert res.error is None
    return p.read_text()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fxm001_rewrites(name, tmp_path):
    before, after = CASES[name]
    out = rewrite(before, tmp_path)
    assert out == textwrap.dedent(after).lstrip("\n")
    # idempotent: a second pass changes nothing
    assert rewrite(out, tmp_path) == out


@pytest.mark.parametrize("name", sorted(UNTOUCHED))
def test_fxm001_leaves_alone(name, tmp_path):
    src = textwrap.dedent(UNTOUCHED[name]).lstrip("\n")
    assert rewrite(src, tmp_path) == src


def test_fxm001_records_each_rewrite(tmp_path):
    p = tmp_path / "m.py"
    p.write_text("import os\nfrom flask_admin import Admin\nimport flask_admin as fa\n")
    res = process(p, [FXM001], write=False)
    assert [(c["rule"], c["line"]) for c in res.changes] == [("FXM001", 2), ("FXM001", 3)]
    assert p.read_text().startswith("import os\nfrom flask_admin import")  # write=False


def test_transformer_alone_on_a_module(tmp_path):
    ctx = FileContext(tmp_path / "x.py", "x", False)
    mod = cst.MetadataWrapper(cst.parse_module("from flask_admin import Admin\n"))
    assert mod.visit(FXM001.transformer(ctx)).code == "from flask_admin_compat import Admin\n"
