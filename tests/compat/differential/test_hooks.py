"""Hooks: ``on_model_change``/``after_model_change``/``on_model_delete``/``after_model_delete``
with Flask-Admin's signatures, ``on_form_prefill``, a ``ValidationError`` raised from a hook,
``get_query``/``get_count_query`` scoping the list, and ``create_model``/``update_model``/
``delete_model`` overrides."""

from __future__ import annotations

from wtforms.validators import ValidationError

from .conftest import module_pair
from .harness import sub
from .models import Product


def build(fa, session):
    ModelView = sub(fa, "contrib.sqla").ModelView
    calls: list[tuple] = []

    class Audited(ModelView):
        column_list = ["name", "sku", "price"]
        form_columns = ["name", "sku", "price", "notes"]

        def on_model_change(self, form, model, is_created):
            calls.append(("on_model_change", is_created, form.name.data))
            model.name = model.name.strip().title()
            if model.price is not None and model.price > 500:
                raise ValidationError("Too expensive")

        def after_model_change(self, form, model, is_created):
            calls.append(("after_model_change", is_created, model.id is not None))

        def on_model_delete(self, model):
            calls.append(("on_model_delete", model.name))
            if model.name.startswith("Red"):
                raise ValidationError("Red products stay")

        def after_model_delete(self, model):
            calls.append(("after_model_delete", model.name))

        def on_form_prefill(self, form, id):
            form.notes.data = f"prefilled for {id}"

    class InStock(ModelView):
        column_list = ["name", "in_stock"]

        def get_query(self):
            return super().get_query().filter(Product.in_stock.is_(True))

        def get_count_query(self):
            return super().get_count_query().filter(Product.in_stock.is_(True))

    class Custom(ModelView):
        form_columns = ["name"]

        def create_model(self, form):
            model = Product(name=form.name.data.upper(), price=1, in_stock=True)
            self.session.add(model)
            self.session.commit()
            calls.append(("create_model", model.name))
            return model

        def update_model(self, form, model):
            model.name = form.name.data + "!"
            self.session.commit()
            calls.append(("update_model", model.name))
            return True

        def delete_model(self, model):
            model.in_stock = False  # a soft delete
            self.session.commit()
            calls.append(("delete_model", model.id))
            return True

    views = [Audited(Product, session),
             InStock(Product, session, name="In stock", endpoint="instock"),
             Custom(Product, session, name="Custom", endpoint="custom")]
    for view in views:
        view.calls = calls
    return views


hooks = module_pair("hooks", build, fresh=True)


def calls(side):
    return list(side.views[0].calls)


def run(side, action):
    """`action(side)` -> its page; then what happened: status, redirect, hook calls, rows."""
    side.views[0].calls.clear()
    page = action(side)
    return {"status": page.status, "location": page.location, "calls": calls(side),
            "messages": page.messages if page.status == 200 else side.follow(page).messages,
            "rows": side.products("name", "price", "in_stock", where=Product.id > 43)}


def test_create_runs_change_hooks(hooks):
    hooks.same_each("create", lambda s: run(s, lambda s: s.submit(
        "/admin/product/new/", {"name": "  new gadget ", "price": "10"})))


def test_edit_runs_change_hooks(hooks):
    hooks.same_each("edit", lambda s: run(s, lambda s: s.submit(
        "/admin/product/edit/?id=44", {"name": "edited one", "price": "3"})))


def test_hook_validation_error_refuses_the_save(hooks):
    hooks.same_each("hook raises ValidationError", lambda s: run(s, lambda s: s.submit(
        "/admin/product/new/", {"name": "Gold", "price": "900"})))


def test_delete_runs_delete_hooks(hooks):
    hooks.same_each("delete", lambda s: run(s, lambda s: s.post(
        "/admin/product/delete/", {"id": "45", "url": "/admin/product/"})))


def test_delete_hook_refusal(hooks):
    hooks.same_each("delete refused by hook", lambda s: run(s, lambda s: s.post(
        "/admin/product/delete/", {"id": "1", "url": "/admin/product/"}))
        | {"kept": s.products("name", where=Product.id == 1)})


def test_on_form_prefill(hooks):
    hooks.same("on_form_prefill", lambda s: s.get("/admin/product/edit/?id=7").field_values(
        "name", "notes"))


def test_get_query_scopes_the_list(hooks):
    hooks.same_each("get_query", lambda s: {
        "ids page 0": s.get("/admin/instock/").ids,
        "ids page 1": s.get("/admin/instock/?page=1").ids,
        "values": s.get("/admin/instock/?page=1").column("in_stock"),
    })


def test_create_model_override(hooks):
    hooks.same_each("create_model", lambda s: run(s, lambda s: s.submit(
        "/admin/custom/new/", {"name": "loud"})))


def test_update_model_override(hooks):
    hooks.same_each("update_model", lambda s: run(s, lambda s: s.submit(
        "/admin/custom/edit/?id=45", {"name": "quiet"})))


def test_delete_model_override(hooks):
    hooks.same_each("delete_model", lambda s: run(s, lambda s: s.post(
        "/admin/custom/delete/", {"id": "44", "url": "/admin/custom/"})))
