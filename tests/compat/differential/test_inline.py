"""Inline models: a maker's products edited in the maker's form (``inline_models`` as a model
class, a ``(Model, options)`` tuple and an ``InlineFormAdmin`` with its own hook), posted with
Flask-Admin's names (``products-<n>-<field>``, ``del-products-<n>``): the fields offered, what
is created, changed and deleted, and a refused row (nothing saved, input and errors kept)."""

from __future__ import annotations

from sqlalchemy import select

from .conftest import module_pair
from .harness import sub
from .models import Maker, Product

FEATURE = "inline models"
ROW = ("name", "sku", "price", "in_stock", "released", "kind", "notes")


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView
    InlineFormAdmin = sub(fa, "model").InlineFormAdmin

    class ShortRows(InlineFormAdmin):
        form_columns = ("id", "name", "price")
        form_label = "Items"

        def on_model_change(self, form, model, is_created):
            model.sku = f"{'NEW' if is_created else 'UPD'}-{model.name[:6].upper()}"

    class MakerView(ModelView):
        inline_models = (Product,)

    class TupleView(ModelView):
        inline_models = [(Product, {"form_columns": ["id", "name", "in_stock"]})]

    class AdminView(ModelView):
        inline_models = [ShortRows(Product)]

    return [MakerView(Maker, session),
            TupleView(Maker, session, name="Tuple", endpoint="tuple"),
            AdminView(Maker, session, name="Short", endpoint="short")]


pair = module_pair(FEATURE, build, fresh=True)


def products_of(side, maker_id):
    with side.db() as s:
        return [(p.name, p.sku, p.price, p.in_stock, p.kind.name if p.kind else None)
                for p in s.scalars(select(Product).where(Product.maker_id == maker_id)
                                   .order_by(Product.name))]


def product_count(side):
    with side.db() as s:
        return len(list(s.scalars(select(Product.id))))


def row_fields(side, url, row=0):
    prefix = f"products-{row}-"
    return sorted(k[len(prefix):] for k in side.get(url).form.values if k.startswith(prefix))


def shown_rows(side, url):
    values = side.get(url).form.values
    return sorted((v, values.get(k.replace("-name", "-price"))) for k, v in values.items()
                  if k.startswith("products-") and k.endswith("-name"))


def test_fields_offered(pair):
    pair.same_each("edit form", lambda s: {
        "row fields (model class)": row_fields(s, "/admin/maker/edit/?id=1"),
        "row fields (tuple with form_columns)": row_fields(s, "/admin/tuple/edit/?id=1"),
        "row fields (InlineFormAdmin)": row_fields(s, "/admin/short/edit/?id=1"),
        "rows shown": shown_rows(s, "/admin/maker/edit/?id=2"),
        "delete mark offered": "del-products-0" in s.get("/admin/maker/edit/?id=1").form.values,
        "create form has no rows": row_fields(s, "/admin/maker/new/"),
    })


def existing(side, url, row, **changes):
    """Row `row` of the edit form at `url` as the page shows it, with `changes`."""
    values = side.get(url).form.values
    prefix = f"products-{row}-"
    data = {k: v for k, v in values.items() if k.startswith(prefix)}
    for key, value in changes.items():
        data[prefix + key] = value
    if data.get(prefix + "in_stock") == "":
        del data[prefix + "in_stock"]  # an unticked box is not posted
    if data.get(prefix + "kind") == "":
        data[prefix + "kind"] = "__None" if not side.is_compat else ""
    return data


def new_row(row, name, price="7", kind="TOOL", **extra):
    prefix = f"products-{row}-"
    data = {prefix + "id": "", prefix + "name": name, prefix + "sku": "", prefix + "price": price,
            prefix + "in_stock": "y", prefix + "released": "", prefix + "kind": kind,
            prefix + "notes": ""}
    data.update({prefix + k: v for k, v in extra.items()})
    return data


def test_create_with_rows(pair):
    def probe(side):
        data = {"name": "Hooli", "country": "US", **new_row(0, "Phone", "9"),
                **new_row(1, "Tablet", "12", kind="BOOK")}
        page = side.submit("/admin/maker/new/", data)
        with side.db() as s:
            maker = s.scalars(select(Maker).where(Maker.name == "Hooli")).first()
            maker_id = maker.id if maker else None
        return {"status": page.status, "location": page.location,
                "rows": products_of(side, maker_id) if maker_id else None}

    pair.same_each("create with two rows", probe)


def test_edit_update_add_delete(pair):
    url = "/admin/maker/edit/?id=2"

    def probe(side):
        data = {"name": "Globex", "country": "DE"}
        data.update(existing(side, url, 0, name="Renamed row", price="55"))
        data.update(existing(side, url, 1))
        data["del-products-1"] = "y"
        data.update(new_row(2, "Added row", "3"))
        page = side.submit(url, data)
        return {"status": page.status, "location": page.location,
                "rows": products_of(side, 2), "all products": product_count(side)}

    pair.same_each("edit: change, delete and add rows", probe)


def test_edit_refused_row(pair):
    url = "/admin/maker/edit/?id=2"

    def probe(side):
        before = products_of(side, 2)
        data = {"name": "Globex Renamed", "country": "DE"}
        data.update(existing(side, url, 0, name="", price="abc"))
        data.update(new_row(1, "Kept input", "4"))
        page = side.submit(url, data)
        return {"status": page.status, "location": page.location,
                "nothing saved": products_of(side, 2) == before,
                "maker unchanged": side.makers()[1],
                "errors": sorted(k for k in page.field_errors if k.startswith("products-")),
                "input kept": page.field_values("name", "products-0-price",
                                                "products-1-name")}

    pair.same_each("edit: a refused row", probe)


def saved_rows(side, url, maker_id, *parts):
    """Post the edit form at `url` with `parts` merged in order; the status, and the rows of
    maker `maker_id` afterwards."""
    page = side.submit(url, {k: v for part in parts for k, v in part.items()})
    return {"status": page.status, "rows": products_of(side, maker_id)}


def test_inline_form_admin_options_and_hook(pair):
    url = "/admin/short/edit/?id=3"
    pair.same_each("InlineFormAdmin: form_columns and on_model_change", lambda side: saved_rows(
        side, url, 3, {"name": "Initech", "country": ""}, existing(side, url, 0, price="99"),
        {"products-1-id": "", "products-1-name": "Stapler", "products-1-price": "1"}))


def test_tuple_options_save(pair):
    url = "/admin/tuple/edit/?id=4"
    pair.same_each("tuple options: unticked and new rows", lambda side: saved_rows(
        side, url, 4, {"name": "Umbrella", "country": "UK"},
        existing(side, url, 0, in_stock=""),  # unticked: the box is not posted
        {"products-1-id": "", "products-1-name": "Vaccine", "products-1-in_stock": "y"}))
