"""Forms: scaffolded fields, WTForms validators in ``form_args``, required and unique columns,
``form_choices``/``form_excluded_columns``/``form_extra_fields``, what is saved, the errors
shown with the input kept, and where each save button leads."""

from __future__ import annotations

import pytest
from wtforms import StringField, validators

from .conftest import module_pair
from .harness import sub
from .models import Maker, Product

FEATURE = "forms"
BLANK = ("", "__None")  # a select's empty choice (Flask-Admin names it __None)
FIELDS = ("name", "sku", "price", "in_stock", "released", "kind", "maker", "notes")
SAVED = ("name", "sku", "price", "in_stock", "released", "kind", "maker_id", "notes")


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView

    class ProductView(ModelView):
        form_columns = list(FIELDS)
        form_args = {
            "name": {"validators": [validators.Length(min=3, max=40)]},
            "price": {"validators": [validators.NumberRange(min=0, max=1000)]},
            "notes": {"label": "Remarks",
                      "validators": [validators.Optional(),
                                     validators.Regexp(r"^[a-z ]*$", message="lower case only")]},
        }

    class Defaults(ModelView):
        pass

    class Trimmed(ModelView):
        form_excluded_columns = ["notes", "maker", "released"]
        form_extra_fields = {"comment": StringField("Comment")}
        form_choices = {"sku": [("A-1", "A one"), ("B-2", "B two")]}

    return [ProductView(Product, session),
            Defaults(Product, session, name="Defaults", endpoint="defaults"),
            Trimmed(Product, session, name="Trimmed", endpoint="trimmed"),
            ModelView(Maker, session)]


forms = module_pair(FEATURE, build, fresh=True)


def filled(side, url="/admin/product/new/", **changes):
    """A valid product as a person fills the form at `url` (options picked by their label)."""
    page = side.get(url)
    data = {"name": "Widget", "sku": "W-1", "price": "12", "in_stock": "y",
            "released": "2024-02-03", "kind": page.option("kind", "game"),
            "maker": page.option("maker", "Globex"), "notes": "fine"}
    data.update(changes)
    return data


def outcome(side, page, where=None):
    """What a submission did: status, redirect, field errors, kept input, rows saved."""
    return {"status": page.status, "location": page.location,
            "errors": page.field_errors,
            "kept": page.field_values("name", "sku", "price") if page.status == 200 else None,
            "rows": side.products(*SAVED, where=where if where is not None
                                  else Product.id > 45)}


def test_fields_of_the_forms(forms):
    forms.same_each("fields", lambda s: {
        "form_columns": s.get("/admin/product/new/").form.visible,
        "scaffolded (mapper order)": s.get("/admin/defaults/new/").form.visible,
        "excluded and extra": s.get("/admin/trimmed/new/").form.visible,
        "related model": s.get("/admin/maker/new/").form.visible,
        "form_choices options": [o for o in s.get("/admin/trimmed/new/").form.options["sku"]
                                 if o[0] not in BLANK],
        "form_choices blank option (nullable column)": any(
            o[0] in BLANK for o in s.get("/admin/trimmed/new/").form.options["sku"]),
        "enum options (by value)": [v.upper() for v, _ in s.get(
            "/admin/product/new/").form.options["kind"] if v not in BLANK],
        "enum option labels": [label for v, label in s.get(
            "/admin/product/new/").form.options["kind"] if v not in BLANK],
    })


def labels(side, url):
    """Each field's label and whether it is marked required (``*``)."""
    return {name: (text.rstrip("* ").strip(), text.endswith("*"))
            for name, text in side.get(url).form.labels.items() if name in FIELDS}


def test_labels_and_required_marks(forms):
    forms.same_each("labels", lambda s: {
        "form_columns with form_args label": labels(s, "/admin/product/new/"),
        "scaffolded": labels(s, "/admin/defaults/new/"),
    })


def test_create_valid(forms):
    forms.same_each("create valid", lambda s: outcome(
        s, s.submit("/admin/product/new/", filled(s))))


def test_create_then_list_flash(forms):
    forms.same("create: flash on the next page", lambda s: s.follow(
        s.submit("/admin/product/new/", filled(s))).messages)


@pytest.mark.parametrize("case, changes", [
    ("required missing", {"name": ""}),
    ("length", {"name": "ab"}),
    ("number range", {"price": "-5"}),
    ("not a number", {"price": "abc"}),
    ("bad date", {"released": "2024-13-45"}),
    ("regexp", {"notes": "Not Lower"}),
    ("unique column", {"sku": "SKU-001"}),
])
def test_create_invalid(forms, case, changes):
    forms.same_each(f"create invalid: {case}", lambda s: outcome(
        s, s.submit("/admin/product/new/", filled(s, **changes))))


def test_create_unique_on_default_form(forms):
    forms.same_each("create invalid: unique on a scaffolded form", lambda s: {
        "status": (page := s.submit("/admin/maker/new/", {"name": "Acme",
                                                          "country": "FR"})).status,
        "errors": page.field_errors, "makers": s.makers()})


def test_create_with_empty_optional_fields(forms):
    forms.same_each("create with optional fields empty", lambda s: outcome(
        s, s.submit("/admin/product/new/", filled(s, sku="", released="", kind="", maker="",
                                                  notes=""))))


def test_create_minimal_keeps_column_defaults(forms):
    forms.same_each("create minimal", lambda s: outcome(
        s, s.submit("/admin/defaults/new/", {"name": "Bare"})))


@pytest.mark.parametrize("button, value", [("_add_another", "Save and Add Another"),
                                           ("_continue_editing", "Save and Continue Editing")])
def test_save_buttons(forms, button, value):
    forms.same_each(f"create with {button}", lambda s: outcome(
        s, s.submit("/admin/product/new/", {**filled(s), button: value})))


def test_return_url_is_followed(forms):
    forms.same_each("create with ?url=", lambda s: outcome(
        s, s.submit("/admin/product/new/?url=/admin/product/?page%3D1", filled(s))))


def test_edit_form_prefilled(forms):
    def shown(side):
        values = side.get("/admin/product/edit/?id=3").shown(*FIELDS)
        return {**values, "kind": values["kind"].upper()}  # labels: "enum option labels"

    forms.same("edit: values shown", shown)


def test_enum_posted_by_member_name(forms):
    forms.same_each("create: enum posted by member name", lambda s: outcome(
        s, s.submit("/admin/product/new/", filled(s, kind="TOOL"))))


def test_edit_valid(forms):
    forms.same_each("edit valid", lambda s: outcome(
        s, s.submit("/admin/product/edit/?id=5",
                    filled(s, "/admin/product/edit/?id=5", name="Renamed", sku="SKU-004",
                           in_stock=None)),
        where=Product.id == 5))


def test_edit_invalid_keeps_row(forms):
    forms.same_each("edit invalid", lambda s: outcome(
        s, s.submit("/admin/product/edit/?id=5",
                    filled(s, "/admin/product/edit/?id=5", name="", sku="SKU-004")),
        where=Product.id == 5))


def test_edit_unique_own_value_allowed(forms):
    forms.same_each("edit keeps its own unique value", lambda s: outcome(
        s, s.submit("/admin/product/edit/?id=2",
                    filled(s, "/admin/product/edit/?id=2", sku="SKU-001")),
        where=Product.id == 2))


def test_edit_continue_editing(forms):
    forms.same_each("edit with _continue_editing", lambda s: outcome(
        s, s.submit("/admin/product/edit/?id=5",
                    {**filled(s, "/admin/product/edit/?id=5", sku="SKU-004"),
                     "_continue_editing": "Save and Continue Editing"}),
        where=Product.id == 5))


def test_edit_missing_record(forms):
    forms.same_each("edit a missing record", lambda s: {
        "status": (page := s.get("/admin/product/edit/?id=999")).status,
        "location": page.location})
