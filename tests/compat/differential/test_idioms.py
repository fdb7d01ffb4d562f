"""Idioms of real Flask-Admin code bases, each run on real Flask-Admin and on the compat layer:
``super()`` calls into ``scaffold_form``/``create_form``/``edit_form``/``validate_form``/
``create_model``/``update_model``/``delete_model``/``get_one``/``get_save_return_url``, a
``form`` class of one's own, ``form_args`` with a ``query_factory``, ``form_widget_args``,
``form_overrides``, ``form_ajax_refs``, formatters building links with ``get_url``, attribute
objects in column lists, ``get_query`` with a join, ``get_list`` decorating rows,
``_handle_view`` refusing with a flash, actions flashing and redirecting, x-editable cells,
``@expose`` pages calling ``self.render``, ``index_view``/``edit_view`` overridden with
``@expose`` and ``_template_args``, a ``render`` override, templates extending
``admin/master.html``, ``admin/base.html`` (the theme's ``base_template``) and the model
pages, and ``Admin(index_view=...)`` with a home page of one's own.

The pages of one's own need templates: both sides read them from one folder (Flask's
``template_folder``; the compat admin's ``template_folders``)."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from wtforms import Form, IntegerField, StringField, TextAreaField, validators

from .harness import Pair, sub
from .models import Maker, Product

FEATURE = "idioms"
BLANK = ("", "__None")  # a select's empty choice (Flask-Admin names it __None)

TEMPLATES = {
    "idioms/panel_list.html": """{% extends 'admin/model/list.html' %}
{% block body %}<p id="panel">{{ panel }}</p>{{ super() }}{% endblock %}""",
    "idioms/panel_edit.html": """{% extends 'admin/model/edit.html' %}
{% block body %}<p id="panel">{{ panel }}</p>{{ super() }}{% endblock %}""",
    "idioms/master.html": """{% extends 'admin/base.html' %}
{% block access_control %}<span id="who">signed in as staff</span>{% endblock %}
{% block head_tail %}{{ super() }}<meta name="idioms" content="own master">{% endblock %}""",
    "idioms/home.html": """{% extends 'admin/master.html' %}
{% block body %}<p id="greeting">Welcome: {{ products }} products</p>{% endblock %}""",
    "idioms/report.html": """{% extends 'admin/master.html' %}
{% block body %}<p id="report">Report {{ year }}: {{ total }}</p>
<a id="next" href="{{ url_for('.report', year=year + 1) }}">next</a>{% endblock %}""",
    "idioms/stats.html": """{% extends 'admin/master.html' %}
{% block body %}<p id="stats">{{ admin_view.name }}: {{ count }} in stock</p>
<a id="back" href="{{ get_url('.index_view') }}">back</a>{% endblock %}""",
    "idioms/list.html": """{% extends 'admin/model/list.html' %}
{% block body %}<p id="list-note">Prices in cents</p>{{ super() }}{% endblock %}""",
    "idioms/details.html": """{% extends 'admin/model/details.html' %}
{% block tail %}{{ super() }}<p id="details-note">About {{ model.name }}</p>{% endblock %}""",
    "idioms/edit.html": """{% extends 'admin/model/edit.html' %}
{% block tail %}{{ super() }}<p id="edit-note">Editing {{ model.name }}</p>
<p id="hint">{{ hint }}</p>{% endblock %}""",
    "idioms/wrapped.html": """{% extends 'admin/model/list.html' %}
{% block body %}<p id="banner">{{ banner }}</p>{{ super() }}{% endblock %}""",
}


def build(fa, session):
    from flask import redirect

    ModelView = sub(fa, "contrib.sqla").ModelView
    flash = sub(fa, "helpers").flash
    calls: list[tuple] = []

    class Makers(ModelView):
        """scaffold_form adding a field; on_model_change reading it, after super()."""

        form_columns = ["name", "country"]

        def scaffold_form(self):
            form_class = super().scaffold_form()
            form_class.code = StringField("Country code", [validators.Optional(),
                                                           validators.Length(2, 2)])
            return form_class

        def on_model_change(self, form, model, is_created):
            super().on_model_change(form, model, is_created)
            if form.code.data:
                model.country = form.code.data.upper()

    class Forms(ModelView):
        """create_form/edit_form wrapping super(): a default, a label, a readonly field."""

        form_columns = ["name", "sku", "price", "notes"]

        def create_form(self, obj=None):
            form = super().create_form(obj)
            if not form.notes.data:
                form.notes.data = "fresh"
            return form

        def edit_form(self, obj=None):
            form = super().edit_form(obj)
            form.name.label.text = "Title"
            form.sku.render_kw = {"readonly": True}
            return form

    class OwnForm(Form):
        name = StringField("Name", [validators.InputRequired(), validators.Length(max=20)])
        price = IntegerField("Price", [validators.NumberRange(min=1)])

    class Own(ModelView):
        form = OwnForm

    class Guarded(ModelView):
        """super() persistence calls wrapped; validate_form refusing a name."""

        form_columns = ["name", "price"]

        def validate_form(self, form):
            if hasattr(form, "name") and form.name.data == "forbidden":
                flash("That name is not allowed", "error")
                return False
            return super().validate_form(form)

        def create_model(self, form):
            model = super().create_model(form)
            calls.append(("create_model", bool(model) and model.name))
            return model

        def update_model(self, form, model):
            model.notes = "touched"
            ok = super().update_model(form, model)
            calls.append(("update_model", ok, model.name))
            return ok

        def delete_model(self, model):
            ok = super().delete_model(model)
            calls.append(("delete_model", ok))
            return ok

    class Widgets(ModelView):
        form_columns = ["name", "sku", "price", "notes", "maker"]
        form_widget_args = {"notes": {"rows": 7}, "sku": {"readonly": True},
                            "price": {"style": "width: 5em", "placeholder": "cents"}}
        form_args = {"maker": {"label": "Brand", "query_factory": lambda: session.query(
            Maker).filter(Maker.country.isnot(None)).order_by(Maker.name)}}

    class Ajax(ModelView):
        form_columns = ["name", "maker"]
        form_ajax_refs = {"maker": {"fields": ["name"], "page_size": 10}}

    class Linked(ModelView):
        column_list = [Product.name, "maker", "maker.country"]
        column_searchable_list = [Product.name, Maker.name]
        column_sortable_list = ["name", ("maker", "maker.name")]
        column_formatters = {
            "maker": lambda view, context, model, name: Markup('<a href="{}">{}</a>').format(
                view.get_url("maker.edit_view", id=model.maker_id), model.maker)
            if model.maker else ""}

    class Joined(ModelView):
        column_list = ["name", "maker.name"]
        page_size = 5

        def get_query(self):
            return super().get_query().join(Maker).filter(Maker.country == "US")

        def get_count_query(self):
            return super().get_count_query().join(Maker).filter(Maker.country == "US")

    class Decorated(ModelView):
        column_list = ["name", "price"]
        column_formatters = {
            "name": lambda view, context, model, name: model.name + getattr(model, "badge", "")}

        def get_list(self, page, sort_column, sort_desc, search, filters, execute=True,
                     page_size=None):
            count, rows = super().get_list(page, sort_column, sort_desc, search, filters,
                                           execute, page_size)
            for row in rows:
                row.badge = " (cheap)" if row.price < 20 else ""
            return count, rows

    class Locked(ModelView):
        locked = False

        def _handle_view(self, name, **kwargs):
            if self.locked:
                flash("Closed for inventory", "warning")
                return redirect("/admin/")
            return super()._handle_view(name, **kwargs)

    class Templated(ModelView):
        column_list = ["name", "price"]
        list_template = "idioms/list.html"
        edit_template = "idioms/edit.html"
        details_template = "idioms/details.html"
        can_view_details = True
        column_editable_list = ["price"]
        form_overrides = {"notes": TextAreaField}
        form_args = {"notes": {"render_kw": {"rows": 3}}}

        def after_model_change(self, form, model, is_created):
            flash(f"Saved {model.name}", "info")

        @sub(fa, "actions").action("discount", "Discount")
        def action_discount(self, ids):
            count = 0
            for product in self.session.query(Product).filter(Product.id.in_(ids)):
                product.price = max(0, product.price - 10)
                count += 1
            self.session.commit()
            flash(sub(fa, "babel").ngettext("One product discounted.",
                                            "%(count)s products discounted.", count, count=count))
            return redirect(self.get_url(".index_view", sort=1))

        @sub(fa, "base").expose("/stats/")
        def stats(self):
            count = self.session.query(Product).filter(Product.in_stock.is_(True)).count()
            return self.render("idioms/stats.html", count=count)

    class Wrapped(ModelView):
        """index_view/edit_view overridden with @expose, adding template arguments."""

        column_list = ["name", "price"]
        list_template = "idioms/wrapped.html"
        edit_template = "idioms/edit.html"

        @sub(fa, "base").expose("/")
        def index_view(self):
            self._template_args["banner"] = f"{self.get_query().count()} products"
            return super().index_view()

        @sub(fa, "base").expose("/edit/", methods=("GET", "POST"))
        def edit_view(self):
            self._template_args["hint"] = "Prices in cents"
            return super().edit_view()

    class Scoped(ModelView):
        """get_one wrapping super() to hide rows; on_model_change comparing old and new."""

        form_columns = ["name", "price"]

        def get_save_return_url(self, model, is_created=False):
            if is_created:
                return super().get_save_return_url(model, is_created)
            return self.get_url(".edit_view", id=model.id)

        def get_one(self, id):
            product = super().get_one(id)
            return product if product is not None and product.in_stock else None

        def on_model_change(self, form, model, is_created):
            if not is_created and form.price.object_data != form.price.data:
                model.notes = f"price was {form.price.object_data}"

    class Rendered(ModelView):
        """render(template, **kwargs) overridden to add an argument to every page."""

        column_list = ["name"]
        list_template = "idioms/panel_list.html"
        edit_template = "idioms/panel_edit.html"

        def render(self, template, **kwargs):
            kwargs["panel"] = f"panel for {template}"
            if kwargs.get("model") is not None:
                kwargs["panel"] += f" of {kwargs['model'].name}"
            return super().render(template, **kwargs)

    class Reports(sub(fa, "base").BaseView):
        @sub(fa, "base").expose("/")
        def index(self):
            return self.render("idioms/report.html", year=2020, total=0)

        @sub(fa, "base").expose("/<int:year>/")
        def report(self, year):
            total = session.query(Product).filter(Product.released.isnot(None)).count()
            return self.render("idioms/report.html", year=year, total=total + year % 10)

    products = {"forms": Forms, "own": Own, "guarded": Guarded, "widgets": Widgets,
                "ajax": Ajax, "linked": Linked, "joined": Joined, "decorated": Decorated,
                "locked": Locked, "templated": Templated, "wrapped": Wrapped, "scoped": Scoped,
                "rendered": Rendered}
    views = [Makers(Maker, session),
             *(cls(Product, session, name=endpoint.title(), endpoint=endpoint)
               for endpoint, cls in products.items()),
             Reports(name="Reports", endpoint="reports")]
    for view in views:
        view.calls = calls
    return views


def home_view(fa, session):
    """``Admin(index_view=...)``: a home page of one's own, rendered by ``@expose('/')``."""
    base = sub(fa, "base")

    class Home(base.AdminIndexView):
        @base.expose("/")
        def index(self):
            self._template_args["products"] = session.query(Product).count()
            return super().index()

    return Home(name="Dashboard", url="/admin", template="idioms/home.html")


def app(templates: Path):
    def for_package(fa):
        def create_admin(host, session):
            options = {}
            if fa.__name__ == "flask_admin":
                host.template_folder = str(templates)
            else:
                options["template_folders"] = [str(templates)]
            theme = sub(fa, "theme").Bootstrap4Theme(base_template="idioms/master.html")
            admin = fa.Admin(host, name="Shop", index_view=home_view(fa, session),
                             theme=theme, **options)
            admin.add_views(*build(fa, session))
            return admin
        return create_admin
    return for_package


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    templates = tmp_path_factory.mktemp("idiom_templates")
    for name, text in TEMPLATES.items():
        (templates / name).parent.mkdir(parents=True, exist_ok=True)
        (templates / name).write_text(text)
    with warnings.catch_warnings():  # the get_list override: see test_get_list_decorates_rows
        warnings.filterwarnings("ignore", message=".*get_list is not called")
        return Pair.build(FEATURE, app(templates), tmp_path_factory.mktemp(FEATURE))


@pytest.fixture
def pair(served):
    served.reset()
    return served


def view(side, endpoint):
    return next(v for v in side.views if v.endpoint == endpoint)


# -- reading pages -------------------------------------------------------------------------
class _Attrs(HTMLParser):
    """The attributes of every form control, by name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag in ("input", "textarea", "select") and named.get("name"):
            self.controls.setdefault(named["name"], named)


def control(page, name, *attrs):
    """Which of `attrs` the control `name` carries, and their values (style without spaces)."""
    reader = _Attrs()
    reader.feed(page.text)
    found = reader.controls.get(name, {})
    return {a: (found[a] or "").replace(" ", "") if a in found else "<absent>" for a in attrs}


def text_of(page, element_id):
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page.text, re.S)
    return m.group(1).strip() if m else None


def href_of(page, element_id):
    m = re.search(rf'<a id="{element_id}" href="([^"]*)"', page.text)
    return m.group(1) if m else None


def outcome(side, page):
    """What a submission did: status, redirect, the messages shown next, field errors."""
    return {"status": page.status, "location": page.location,
            "messages": page.messages if page.status == 200 else side.follow(page).messages,
            "errors": page.field_errors}


def newest(side, *names):
    return side.products(*names, where=Product.id > 45)


# -- forms -----------------------------------------------------------------------------------
def test_scaffold_form_adds_a_field(pair):
    pair.same_each("scaffold_form + super()", lambda s: {
        "fields": s.get("/admin/maker/new/").form.visible,
        "create": outcome(s, s.submit("/admin/maker/new/", {"name": "Hooli", "code": "fr"})),
        "saved": s.makers()[-1],
        "bad code": s.submit("/admin/maker/new/", {"name": "Pied", "code": "xyz"}).field_errors,
    })


def test_create_form_and_edit_form_wrap_super(pair):
    def probe(s):
        edit = s.get("/admin/forms/edit/?id=3")
        return {
            "create shows the default": s.get("/admin/forms/new/").field_values("notes"),
            "create saves the default": outcome(s, s.submit(
                "/admin/forms/new/", {"name": "Boxed", "price": "4"})),
            "saved": newest(s, "name", "notes"),
            "edit label": edit.form.labels.get("name"),
            "edit readonly": control(edit, "sku", "readonly"),
            "edit keeps values": edit.field_values("name", "sku", "notes"),
        }
    pair.same_each("create_form/edit_form + super()", probe)


def test_own_form_class(pair):
    pair.same_each("form = OwnForm", lambda s: {
        "fields": s.get("/admin/own/new/").form.visible,
        "create": outcome(s, s.submit("/admin/own/new/", {"name": "Plain", "price": "12"})),
        "saved": newest(s, "name", "price"),
        "refused": s.submit("/admin/own/new/", {"name": "", "price": "0"}).field_errors,
        "edit prefilled": s.get("/admin/own/edit/?id=2").field_values("name", "price"),
    })


def test_persistence_overrides_wrap_super(pair):
    def probe(s):
        s.views[0].calls.clear()
        return {
            "create": outcome(s, s.submit("/admin/guarded/new/", {"name": "Kept", "price": "5"})),
            "edit": outcome(s, s.submit("/admin/guarded/edit/?id=2",
                                        {"name": "Renamed", "price": "6"})),
            "delete": outcome(s, s.post("/admin/guarded/delete/",
                                        {"id": "3", "url": "/admin/guarded/"})),
            "calls": list(s.views[0].calls),
            "rows": s.products("id", "name", "notes", where=Product.id.in_([2, 3, 46])),
        }
    pair.same_each("create/update/delete_model + super()", probe)


def test_validate_form_refuses(pair):
    pair.same_each("validate_form + super()", lambda s: {
        "refused": outcome(s, s.submit("/admin/guarded/new/",
                                       {"name": "forbidden", "price": "5"})),
        "invalid": outcome(s, s.submit("/admin/guarded/new/", {"name": "", "price": "5"})),
        "saved": newest(s, "name"),
    })


def test_form_widget_args_and_query_factory(pair):
    def probe(s):
        page = s.get("/admin/widgets/new/")
        return {
            "notes rows": control(page, "notes", "rows"),
            "sku readonly": control(page, "sku", "readonly"),
            "price style": control(page, "price", "style", "placeholder"),
            "maker label": page.form.labels.get("maker"),
            "maker options": [label for value, label in page.form.options.get("maker", [])
                              if value not in BLANK],
        }
    pair.same_each("form_widget_args and form_args query_factory", probe)


def test_form_ajax_refs_lookup(pair):
    def lookup(s, query):
        page = s.get(f"/admin/ajax/ajax/lookup/?name=maker&query={query}")
        return page.status, json.loads(page.text) if page.status == 200 else None

    pair.same_each("form_ajax_refs lookup", lambda s: {
        "matching": lookup(s, "glo"), "all": lookup(s, ""), "none": lookup(s, "zzz"),
        "create by id": outcome(s, s.submit("/admin/ajax/new/", {"name": "Via", "maker": "2"})),
        "saved": newest(s, "name", "maker"),
    })


# -- lists -----------------------------------------------------------------------------------
def test_attribute_columns_and_get_url_formatter(pair):
    def probe(s):
        page = s.get("/admin/linked/?sort=0")
        return {
            "labels": page.labels, "sortable": page.sortable,
            "cells": [list(cells.values()) for cells in page.cells()[:6]],
            "maker links": sorted({u for u in page.reader.urls if "/admin/maker/edit/" in u}),
            "search across the relation": s.get("/admin/linked/?search=initech").ids[:5],
        }
    pair.same_each("attribute columns, get_url formatter", probe)


def test_get_query_with_a_join(pair):
    pair.same_each("get_query with a join", lambda s: {
        "ids": s.get("/admin/joined/").ids,
        "makers": s.get("/admin/joined/").column("maker.name"),
        "page 1": s.get("/admin/joined/?page=1").ids,
        "sorted by maker": s.get("/admin/joined/?sort=0&desc=1").ids[:5],
    })


def test_get_list_decorates_rows(pair):
    pair.same("get_list + super() decorating rows",
              lambda s: s.get("/admin/decorated/").column("name")[:6])


# -- access ----------------------------------------------------------------------------------
def test_handle_view_refuses_with_a_flash(pair):
    def probe(s):
        locked = view(s, "locked")
        locked.locked = True
        try:
            refused = s.get("/admin/locked/")
            post = s.post("/admin/locked/new/", {"name": "x"})
            answer = {"status": refused.status, "location": refused.location,
                      "messages": s.follow(refused).messages,
                      "post": (post.status, post.location), "saved": newest(s, "name")}
        finally:
            locked.locked = False
        answer["open again"] = s.get("/admin/locked/").status
        return answer
    pair.same_each("_handle_view + super()", probe)


# -- pages and templates of one's own -------------------------------------------------------
def test_index_view_of_ones_own(pair):
    pair.same_each("Admin(index_view=...)", lambda s: {
        "status": s.get("/admin/").status,
        "greeting": text_of(s.get("/admin/"), "greeting"),
    })


def test_exposed_base_view_renders(pair):
    pair.same_each("BaseView @expose + render", lambda s: {
        "index": (s.get("/admin/reports/").status, text_of(s.get("/admin/reports/"), "report")),
        "with an argument": text_of(s.get("/admin/reports/2021/"), "report"),
        "relative url_for": href_of(s.get("/admin/reports/2021/"), "next"),
        "bad argument": s.get("/admin/reports/abc/").status,
    })


def test_exposed_model_view_page(pair):
    pair.same_each("ModelView @expose + render", lambda s: {
        "status": s.get("/admin/templated/stats/").status,
        "text": text_of(s.get("/admin/templated/stats/"), "stats"),
        "back link": href_of(s.get("/admin/templated/stats/"), "back"),
    })


def test_list_template_extends_list_html(pair):
    pair.same_each("list_template extending admin/model/list.html", lambda s: {
        "note": text_of(s.get("/admin/templated/"), "list-note"),
        "ids": s.get("/admin/templated/").ids,
        "header": s.get("/admin/templated/").header,
    })


def test_edit_template_extends_edit_html(pair):
    pair.same_each("edit_template extending admin/model/edit.html", lambda s: {
        "note": text_of(s.get("/admin/templated/edit/?id=5"), "edit-note"),
        "values": s.get("/admin/templated/edit/?id=5").field_values("name", "price"),
    })



def test_details_template_extends_details_html(pair):
    pair.same_each("details_template extending admin/model/details.html", lambda s: {
        "note": text_of(s.get("/admin/templated/details/?id=6"), "details-note"),
    })


def test_after_model_change_flashes(pair):
    pair.same_each("after_model_change flashing", lambda s: outcome(s, s.submit(
        "/admin/templated/edit/?id=4", {"name": "Shiny", "price": "9", "notes": "x"}))
        | {"saved": s.products("name", "price", "notes", where=Product.id == 4)})


def test_form_overrides_with_render_kw(pair):
    pair.same_each("form_overrides + form_args render_kw", lambda s: {
        "notes": control(s.get("/admin/templated/edit/?id=4"), "notes", "rows"),
        "value": s.get("/admin/templated/edit/?id=9").field_values("notes"),
    })


def test_action_flashes_ngettext_and_redirects(pair):
    def probe(s):
        page = s.post("/admin/templated/action/", {"action": "discount", "rowid": ["1", "2"],
                                                    "url": "/admin/templated/"})
        return {"status": page.status, "location": page.location,
                "messages": s.follow(page).messages,
                "prices": s.products("id", "price", where=Product.id.in_([1, 2]))}
    pair.same_each("action: flash(ngettext) + redirect(get_url)", probe)


def test_editable_list_ajax_update(pair):
    def probe(s):
        ok = s.post("/admin/templated/ajax/update/", {"list_form_pk": "3", "price": "77"})
        return {"status": ok.status, "text": ok.text,
                "saved": s.products("price", where=Product.id == 3),
                "editable cell offered": "price" in s.get("/admin/templated/").text}
    pair.same_each("column_editable_list ajax update", probe)


def test_standard_views_overridden_with_expose(pair):
    def probe(s):
        listing = s.get("/admin/wrapped/?sort=0&desc=1")
        edit = s.get("/admin/wrapped/edit/?id=8")
        saved = s.submit("/admin/wrapped/edit/?id=8", {"name": "Wrapped one", "price": "3"})
        return {"banner": text_of(listing, "banner"), "ids": listing.ids[:5],
                "hint": text_of(edit, "hint"), "values": edit.field_values("name", "price"),
                "save": outcome(s, saved),
                "saved": s.products("name", "price", where=Product.id == 8),
                "refused": text_of(s.submit("/admin/wrapped/edit/?id=8", {"name": ""}), "hint")}
    pair.same_each("index_view/edit_view + @expose + _template_args + super()", probe)


def test_get_one_and_object_data(pair):
    def probe(s):
        hidden = s.get("/admin/scoped/edit/?id=1")
        return {"hidden row": (hidden.status, hidden.location, s.follow(hidden).messages),
                "another hidden row": s.get("/admin/scoped/edit/?id=4").status,
                "shown": s.get("/admin/scoped/edit/?id=2").field_values("name", "price"),
                "save": outcome(s, s.submit("/admin/scoped/edit/?id=2",
                                            {"name": "Blue", "price": "50"})),
                "saved": s.products("name", "price", "notes", where=Product.id == 2),
                "delete hidden": outcome(s, s.post("/admin/scoped/delete/",
                                                   {"id": "1", "url": "/admin/scoped/"})),
                "kept": s.products("id", where=Product.id == 1)}
    pair.same_each("get_one + super(), object_data in on_model_change", probe)


def test_base_template_of_ones_own(pair):
    def probe(s):
        pages = {"home": s.get("/admin/"), "list": s.get("/admin/forms/"),
                 "edit": s.get("/admin/forms/edit/?id=2"), "page": s.get("/admin/reports/")}
        return {name: (text_of(page, "who"), 'content="own master"' in page.text)
                for name, page in pages.items()}
    pair.same_each("Admin(theme=...(base_template=...)) extending admin/base.html", probe)


def test_render_override_reaches_every_page(pair):
    pair.same_each("render(template, **kwargs) override + super()", lambda s: {
        "list": text_of(s.get("/admin/rendered/"), "panel"),
        "edit": text_of(s.get("/admin/rendered/edit/?id=3"), "panel"),
    })


def test_get_save_return_url(pair):
    pair.same_each("get_save_return_url + super()", lambda s: {
        "edit saved": s.submit("/admin/scoped/edit/?id=5&url=/admin/scoped/?page=1",
                               {"name": "Back", "price": "1"}).location,
        "created": s.submit("/admin/scoped/new/?url=/admin/scoped/?page=1",
                            {"name": "New", "price": "1"}).location,
        "continue editing": s.submit("/admin/scoped/edit/?id=5", {
            "name": "Again", "price": "1", "_continue_editing": "Save and Continue"}).location,
    })
