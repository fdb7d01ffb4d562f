"""Form rules that render Jinja macros: ``rules.Macro`` (from the compat ``admin/lib.html`` or
a module the view's form template imports) and ``rules.Container`` (a macro around fields),
and ``admin/lib.html``'s form macros in a user template."""

from __future__ import annotations

from flask_admin_compat.contrib.sqla import ModelView
from flask_admin_compat.form import rules

from .conftest import csrf
from .models import User

MACROS = """{% macro note(text, level='info') -%}
<div class="alert alert-{{ level }} fx-note">{{ text }}</div>
{%- endmacro %}
{% macro boxed(title) -%}
<section class="fx-box"><h4>{{ title }}</h4>{{ caller() }}</section>
{%- endmacro %}
"""

CREATE = """{% extends 'admin/model/create.html' %}
{% import 'my_macros.html' as mine %}
"""

CUSTOM_FORM = """{% extends 'admin/master.html' %}
{% import 'admin/lib.html' as lib with context %}
{% block body %}{{ lib.render_form(form, '/admin/user/') }}{% endblock %}
"""


def templates(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "my_macros.html").write_text(MACROS)
    (folder / "user_create.html").write_text(CREATE)
    return folder


class Ruled(ModelView):
    create_template = "user_create.html"
    form_create_rules = [
        rules.Macro("lib.render_header", form=None, text="Account"),
        rules.Macro("mine.note", text="Pick <a> name", level="warning"),
        "name",
        rules.Container("mine.boxed", rules.NestedRule(["email", "active"]), title="Contact"),
    ]


def test_macro_and_container_rules_render_in_order(make_admin, db, tmp_path):
    _, client = make_admin(Ruled(User, db), template_folders=[str(templates(tmp_path))])
    page = client.get("/admin/user/new/").text
    order = [page.index(s) for s in (
        '<h3 class="h5 mt-3 mb-2">Account</h3>',
        '<div class="alert alert-warning fx-note">Pick &lt;a&gt; name</div>', 'id="name"',
        '<section class="fx-box"><h4>Contact</h4>', 'id="email"', 'id="active"', "</section>")]
    assert order == sorted(order)
    assert page.count('id="email"') == 1  # wrapped, not shown again below


def test_fields_inside_a_container_are_saved_and_errors_shown_inside(make_admin, db, tmp_path):
    _, client = make_admin(Ruled(User, db), template_folders=[str(templates(tmp_path))])
    token = csrf(client, "/admin/user/new/")
    saved = client.post("/admin/user/new/", data={"name": "boxed", "email": "b@x.org",
                                                  "active": "y", "csrf_token": token},
                        follow_redirects=False)
    assert saved.status_code == 302
    assert db.query(User).filter_by(name="boxed").one().email == "b@x.org"
    refused = client.post("/admin/user/new/", data={"name": "", "email": "x" * 500,
                                                    "csrf_token": token})
    assert refused.status_code == 200
    box = refused.text.split('<section class="fx-box">', 1)[1].split("</section>", 1)[0]
    assert "invalid-feedback" in box and 'value="xxx' in box


def test_an_unknown_macro_is_a_startup_error(make_admin, db, tmp_path):
    import pytest

    from fasthx_core import ConfigError

    class Broken(ModelView):
        form_create_rules = [rules.Macro("nowhere.thing"), "name"]

    class Misspelt(ModelView):
        form_edit_rules = [rules.Container("lib.no_such_macro", "name")]

    for view in (Broken(User, db), Misspelt(User, db, endpoint="misspelt")):
        with pytest.raises(ConfigError, match="macro"):
            make_admin(view, template_folders=[str(templates(tmp_path))])


def test_lib_render_form_in_a_user_template(make_admin, db, tmp_path):
    folder = templates(tmp_path)
    (folder / "plain_create.html").write_text(CUSTOM_FORM)

    class Plain(ModelView):
        create_template = "plain_create.html"
        form_columns = ["name", "email"]

    _, client = make_admin(Plain(User, db), template_folders=[str(folder)])
    page = client.get("/admin/user/new/").text
    assert '<form action="" method="POST"' in page and 'name="csrf_token" value="' in page
    assert 'id="name"' in page and 'id="email"' in page and 'href="/admin/user/"' in page
    token = csrf(client, "/admin/user/new/")
    saved = client.post("/admin/user/new/", data={"name": "plain", "email": "p@x.org",
                                                  "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 302


def test_macro_context_is_built_once_per_page(make_admin, db, tmp_path):
    """The page's context, then one more for all its rule macros and wrapped fields (not one
    per macro or field): the sidebar's access checks run twice, not six times."""
    admin, client = make_admin(Ruled(User, db), template_folders=[str(templates(tmp_path))])
    built = []
    page_context = admin.template_context

    def counted(view, request, extra):
        built.append(view.endpoint)
        return page_context(view, request, extra)

    admin.template_context = counted
    for _ in range(2):
        page = client.get("/admin/user/new/").text
        assert '<section class="fx-box"><h4>Contact</h4>' in page and 'id="email"' in page
    assert built == ["user"] * 4
