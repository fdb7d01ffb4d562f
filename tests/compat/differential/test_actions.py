"""Batch actions: ``@action(name, text, confirmation)`` run on the posted ``rowid`` values,
their flashes and redirects, the built-in ``delete``, ``action_disallowed_list`` and an
``is_action_allowed`` override, and posts naming no or unknown actions."""

from __future__ import annotations

import re

import pytest

from .conftest import module_pair
from .harness import sub
from .models import Product


def build(fa, session):
    from flask import redirect  # a Werkzeug response, as Flask-Admin code returns

    ModelView = sub(fa, "contrib.sqla").ModelView
    action = sub(fa, "actions").action
    flash = sub(fa, "helpers").flash

    class ProductView(ModelView):
        column_list = ["name", "in_stock"]
        action_disallowed_list = ["hide"]

        @action("restock", "Restock", "Restock the selected products?")
        def action_restock(self, ids):
            products = self.session.query(Product).filter(Product.id.in_([int(i) for i in ids]))
            count = 0
            for product in products:
                product.in_stock = True
                count += 1
            self.session.commit()
            flash(f"{count} products restocked", "success")

        @action("hide", "Hide")
        def action_hide(self, ids):
            raise AssertionError("a disallowed action ran")

        @action("elsewhere", "Elsewhere")
        def action_elsewhere(self, ids):
            return redirect(f"/admin/product/?search={'+'.join(sorted(ids))}")

    class NoBatchDelete(ModelView):
        column_list = ["name"]

        def is_action_allowed(self, name):
            return name != "delete" and super().is_action_allowed(name)

    class ReadOnly(ModelView):
        can_delete = False

    return [ProductView(Product, session),
            NoBatchDelete(Product, session, name="No batch delete", endpoint="nobatch"),
            ReadOnly(Product, session, name="Read only", endpoint="readonly")]


actions = module_pair("actions", build, fresh=True)


def offered(side, url):
    """Names of the batch actions a list page offers."""
    html = side.get(url).text
    return sorted(set(re.findall(r"modelActions\.execute\('(\w+)'\)", html))
                  | set(re.findall(r'hx-vals=\'\{"action": "(\w+)"\}\'', html)))


def run(side, data, view="product"):
    page = side.post(f"/admin/{view}/action/", data)
    return {"status": page.status, "location": page.location,
            "messages": side.follow(page).messages,
            "rows": side.products("id", "in_stock", where=Product.id.in_([1, 2, 4, 7, 10]))}


def test_actions_offered(actions):
    actions.same_each("offered", lambda s: {
        "with disallowed list": offered(s, "/admin/product/"),
        "is_action_allowed override": offered(s, "/admin/nobatch/"),
        "can_delete off": offered(s, "/admin/readonly/"),
    })


CASES = {
    "custom action": {"action": "restock", "rowid": ["1", "4", "7"], "url": "/admin/product/"},
    "custom action, return url": {"action": "restock", "rowid": ["10"],
                                  "url": "/admin/product/?page=1"},
    "action returning a redirect": {"action": "elsewhere", "rowid": ["2", "1"]},
    "built-in delete": {"action": "delete", "rowid": ["2", "4"], "url": "/admin/product/"},
    "disallowed action": {"action": "hide", "rowid": ["1"], "url": "/admin/product/"},
    "unknown action": {"action": "explode", "rowid": ["1"], "url": "/admin/product/"},
    "no rows selected": {"action": "restock", "url": "/admin/product/"},
}


@pytest.mark.parametrize("case", CASES)
def test_run_action(actions, case):
    actions.same_each(case, lambda s: run(s, CASES[case]))


def test_delete_refused_by_is_action_allowed(actions):
    actions.same_each("delete refused by is_action_allowed", lambda s: run(
        s, {"action": "delete", "rowid": ["1"], "url": "/admin/nobatch/"}, "nobatch"))
