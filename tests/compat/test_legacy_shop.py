"""The legacy shop (examples/legacy_shop): a Flask-Admin app whose view classes are unchanged
but for their imports, served by FastAPI.  Every check goes through HTTP, as a user would."""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from examples.legacy_shop.app import create_app
from examples.legacy_shop.models import Customer, Order, Product

from .conftest import csrf


@pytest.fixture
def shop(tmp_path, monkeypatch):
    """(client, admin, db): the shop on a fresh SQLite file, and a session to check it."""
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.delenv("SHOP_MAINTENANCE", raising=False)
    url = f"sqlite:///{tmp_path}/shop.db"
    app = create_app(url)
    engine = create_engine(url)
    with TestClient(app) as client, Session(engine) as db:
        yield client, app.state.flask_admin_compat, db
    app.state.flask_admin_compat.index_view.session.get_bind().dispose()
    engine.dispose()


def rows(html: str) -> list[tuple[str, dict[str, str]]]:
    """(row id, {column key: cell HTML}) for each row of a list page."""
    out = []
    for row_id, body in re.findall(r'<tr id="row-([^"]+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'<td class="[^"]*" data-col="([^"]+)">(.*?)</td>', body, re.S))
        out.append((row_id, cells))
    return out


def ids(html: str) -> list[str]:
    return [row_id for row_id, _ in rows(html)]


def text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def toasts(html: str) -> list[dict[str, str]]:
    return json.loads(re.search(r"data-toasts='([^']*)'", html).group(1))


# -- list -------------------------------------------------------------------------------
def test_list_shows_relation_columns_and_formatters(shop):
    client, _, _ = shop
    page = client.get("/admin/order/")
    assert page.status_code == 200
    listed = dict(rows(page.text))
    assert list(listed) == ["4", "3", "2", "1"]  # column_default_sort = ("created", True)
    first = listed["1"]
    # a (view, context, model, name) formatter returning Markup, linking via view.get_url
    assert first["customer"] == '<a href="/admin/customer/details/?id=1">Ann Lee</a>'
    assert first["status"] == '<span class="badge text-bg-success">Shipped</span>'
    assert first["customer.email"] == "ann@example.org"  # a dotted relation column
    assert re.search(r"col-customer-email\"\s*>\s*Customer e-mail\s*</th>", page.text)
    products = dict(rows(client.get("/admin/product/").text))
    dune = products["1"]
    assert dune["price"] == '<span class="text-nowrap">9.99 &euro;</span>'
    assert text(products["2"]["tags"]) == "bestseller, vinyl"  # many-to-many column
    customers = dict(rows(client.get("/admin/customer/").text))
    assert customers["1"]["country"] == "Germany"  # column_choices


def test_search_including_related_columns(shop):
    client, _, _ = shop
    by_tag = client.get("/admin/product/?search=vinyl").text  # "tags.name", many-to-many
    assert {text(c["name"]) for _, c in rows(by_tag)} == {"Abbey Road", "Kind of Blue"}
    by_customer = client.get("/admin/order/?search=ann").text  # "customer.name"
    assert ids(by_customer) == ["3", "1"]
    assert ids(client.get("/admin/order/?search=gift").text) == ["3"]  # "note"
    assert ids(client.get("/admin/customer/?search=nobody").text) == []


def test_filters_by_flask_admin_index(shop):
    client, _, _ = shop
    # Indexes as real Flask-Admin numbers them: status (enum) 0-4, created 5-11,
    # customer.name 12-18 for orders; category 0-4, in_stock 5-6, price 7-13 for products.
    assert ids(client.get("/admin/order/?flt0_0=paid").text) == ["2"]
    assert ids(client.get("/admin/order/?flt0_12=ann").text) == ["3", "1"]
    assert ids(client.get("/admin/order/?flt0_7=2024-02-01 00:00:00").text) == ["4", "3", "2"]
    out_of_stock = rows(client.get("/admin/product/?flt0_5=0").text)
    assert [text(c["name"]) for _, c in out_of_stock] == ["Tetris cartridge"]
    games_over_30 = rows(client.get("/admin/product/?flt0_0=games&flt1_9=30").text)
    assert [text(c["name"]) for _, c in games_over_30] == ["Chess set"]
    assert ids(client.get("/admin/customer/?flt0_2=DE").text) == ["1"]


def test_sort_by_column_index(shop):
    client, _, _ = shop
    # column_list = (id, created, customer, customer.email, status, note);
    # "customer" sorts by customer.name through column_sortable_list's tuple
    by_customer = client.get("/admin/order/?sort=2").text
    assert [text(c["customer"]) for _, c in rows(by_customer)] == [
        "Ann Lee", "Ann Lee", "Bob Marsh", "Chloé Dubois"]
    assert ids(client.get("/admin/order/?sort=0&desc=1").text) == ["4", "3", "2", "1"]
    assert ids(client.get("/admin/order/?sort=0").text) == ["1", "2", "3", "4"]
    by_price = client.get("/admin/product/?sort=3&desc=1").text  # price
    assert [text(c["name"]) for _, c in rows(by_price)][:2] == ["Chess set", "Tetris cartridge"]
    # customer.email is not sortable: the default sort stays
    assert ids(client.get("/admin/order/?sort=3").text) == ["4", "3", "2", "1"]


def test_get_query_scope_hides_archived_orders_everywhere(shop):
    client, _, db = shop
    assert db.get(Order, 5).status == "archived"
    page = client.get("/admin/order/").text
    assert "5" not in ids(page)
    assert re.search(r"data-fx-total>\s*4 ", page)  # get_count_query agrees
    assert ids(client.get("/admin/order/?search=dan").text) == []
    for url in ("/admin/order/details/?id=5", "/admin/order/edit/?id=5"):
        hidden = client.get(url, follow_redirects=False)
        assert hidden.status_code == 302 and hidden.headers["location"] == "/admin/order/"
    assert "Record does not exist." in [t["message"] for t in toasts(
        client.get("/admin/order/").text)]
    export = list(csv.reader(io.StringIO(client.get("/admin/order/export/csv/").text)))
    assert [r[0] for r in export[1:]] == ["4", "3", "2", "1"]
    token = csrf(client, "/admin/order/new/")
    client.post("/admin/order/delete/", data={"id": "5", "csrf_token": token})
    client.post("/admin/order/action/", data={"action": "delete", "rowid": ["5"],
                                              "csrf_token": token})
    db.expire_all()
    assert db.get(Order, 5) is not None  # neither delete could reach the hidden row


# -- forms ------------------------------------------------------------------------------
def test_create_through_fieldsets_with_a_failing_then_passing_validator(shop):
    client, _, db = shop
    form = client.get("/admin/customer/new/").text
    assert ">Identity</button>" in form and ">Contact</button>" in form  # rules.FieldSet
    assert 'name="created"' not in form  # not in form_create_rules
    assert 'placeholder="+49 30 1234567"' in form  # form_widget_args
    assert '<option value="FR">France</option>' in form  # form_choices
    token = csrf(client, "/admin/customer/new/")
    refused = client.post("/admin/customer/new/", data={
        "name": "Eve Adams", "email": "eve-at-example", "country": "FR", "csrf_token": token})
    assert refused.status_code == 200
    assert "Not a valid e-mail address." in refused.text  # form_args' WTForms Regexp
    assert 'value="Eve Adams"' in refused.text and 'value="eve-at-example"' in refused.text
    assert '<option selected value="FR">France</option>' in refused.text
    assert db.query(Customer).filter(Customer.name.like("Eve%")).count() == 0
    saved = client.post("/admin/customer/new/", data={
        "name": "  Eve   Adams ", "email": "Eve.Adams@Example.ORG", "country": "FR",
        "phone": "", "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 302 and saved.headers["location"] == "/admin/customer/"
    eve = db.query(Customer).filter(Customer.name.like("Eve%")).one()
    # on_model_change normalised both values before the commit
    assert (eve.name, eve.email, eve.country, eve.phone) == (
        "Eve Adams", "eve.adams@example.org", "FR", None)
    assert eve.created is not None  # the column default, as the create form has no field
    assert "Record was successfully created." in [
        t["message"] for t in toasts(client.get("/admin/customer/").text)]


def test_product_validators_and_many_to_many(shop):
    client, _, db = shop
    token = csrf(client, "/admin/product/new/")
    data = {"name": "OK Computer", "sku": "mus 3", "category": "music", "price": "0",
            "tags": ["4"], "csrf_token": token}
    refused = client.post("/admin/product/new/", data=data)
    assert "Use three letters, a dash and three digits (ABC-123)." in refused.text
    assert "Number must be between 0.01 and 10000." in refused.text
    assert 'value="mus 3"' in refused.text
    data.update(sku="mus-003", price="21.50", in_stock="y")
    assert client.post("/admin/product/new/", data=data,
                       follow_redirects=False).status_code == 302
    product = db.query(Product).filter_by(name="OK Computer").one()
    assert product.sku == "MUS-003"  # on_model_change upper-cased it
    assert str(product.price) == "21.50" and product.in_stock is True
    assert [t.name for t in product.tags] == ["sale"]
    duplicate = client.post("/admin/product/new/", data=dict(data, name="Again",
                                                             sku="MUS-003"))
    assert "Already exists." in duplicate.text  # the unique sku, checked before the INSERT
    # a clash that only on_model_change creates is refused by the database, and reported
    late = client.post("/admin/product/new/", data=dict(data, name="Again"))
    assert "Could not save: a value conflicts with another row" in late.text
    assert db.query(Product).filter_by(name="Again").count() == 0


def test_edit_form_has_every_field_and_after_model_change_runs(shop, caplog):
    client, _, db = shop
    edit = client.get("/admin/customer/edit/?id=2").text
    assert 'name="created"' in edit and ">Customer since<" in edit  # no edit rules
    assert ">Identity</button>" not in edit  # the FieldSets belong to the create form
    assert 'value="Bob Marsh"' in edit
    token = csrf(client, "/admin/order/new/")
    order_form = client.get("/admin/order/edit/?id=3").text
    assert 'rows="3"' in order_form and 'placeholder="Internal note"' in order_form
    assert '<option value="archived">' not in order_form  # form_choices leaves it out
    with caplog.at_level(logging.INFO, logger="examples.legacy_shop.views"):
        saved = client.post("/admin/order/edit/?id=3&url=/admin/order/?sort=2", data={
            "customer": "2", "status": "paid", "note": "Gift wrap, please",
            "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 302
    assert saved.headers["location"] == "/admin/order/?sort=2"  # the safe return URL
    assert "order 3 updated (status paid)" in caplog.text
    order = db.get(Order, 3)
    assert (order.customer.name, order.status) == ("Bob Marsh", "paid")
    again = client.post("/admin/order/edit/?id=3", data={
        "customer": "2", "status": "archived", "csrf_token": token})
    assert again.status_code == 200 and "Not a valid choice" in again.text
    db.expire_all()
    assert db.get(Order, 3).status == "paid"


def test_details_page(shop):
    client, _, _ = shop
    page = client.get("/admin/order/details/?id=1")
    assert page.status_code == 200
    fields = dict(re.findall(r"<td class=\"w-25\"><b>(.*?)</b></td><td[^>]*>(.*?)</td>",
                             page.text))
    # Flask-Admin's default details columns: no primary key, no to-many relations
    assert list(fields) == ["Customer", "Created", "Status", "Note"]
    assert fields["Customer"] == '<a href="/admin/customer/details/?id=1">Ann Lee</a>'
    assert fields["Created"] == "2024-01-05 10:00:00"
    no_details = client.get("/admin/product/details/?id=1", follow_redirects=False)
    assert no_details.status_code == 302  # can_view_details is off for products


def test_delete(shop):
    client, _, db = shop
    db.add(Customer(name="Fay Orr", email="fay@example.org"))
    db.commit()
    fay = db.query(Customer).filter_by(name="Fay Orr").one()
    token = csrf(client, "/admin/customer/new/")
    gone = client.post("/admin/customer/delete/", data={"id": str(fay.id), "csrf_token": token},
                       follow_redirects=False)
    assert gone.status_code == 302 and gone.headers["location"] == "/admin/customer/"
    db.expire_all()
    assert db.query(Customer).filter_by(name="Fay Orr").count() == 0
    kept = client.post("/admin/customer/delete/", data={"id": "1", "csrf_token": token},
                       follow_redirects=False)
    assert kept.status_code == 302
    assert db.get(Customer, 1) is not None  # orders still refer to Ann
    messages = [t["message"] for t in toasts(client.get("/admin/customer/").text)]
    assert messages == ["Record was successfully deleted.",
                        "Cannot delete Ann Lee: other rows still refer to it."]
    assert client.post("/admin/customer/delete/", data={"id": "2"}).status_code == 403


# -- actions and export -----------------------------------------------------------------
def test_batch_action_flashes_a_toast(shop):
    client, _, db = shop
    token = csrf(client, "/admin/product/new/")
    listing = client.get("/admin/product/").text
    assert "Mark out of stock" in listing
    assert 'hx-confirm="Mark the selected products out of stock?"' in listing
    out = client.post("/admin/product/action/", data={
        "action": "out_of_stock", "rowid": ["1", "2"], "csrf_token": token},
        headers={"HX-Request": "true"})
    assert out.status_code == 200
    trigger = json.loads(out.headers["HX-Trigger"])
    assert trigger["showToast"] == {"message": "2 products were marked out of stock.",
                                    "type": "success"}
    assert trigger["refreshList"] is True
    assert [p.in_stock for p in db.query(Product).filter(Product.id.in_([1, 2]))] == [
        False, False]
    plain = client.post("/admin/product/action/", data={
        "action": "out_of_stock", "rowid": ["3"], "csrf_token": token},
        follow_redirects=False)  # a plain form post: flash, then redirect
    assert plain.status_code == 302 and plain.headers["location"] == "/admin/product/"
    assert toasts(client.get("/admin/product/").text) == [
        {"message": "Product was marked out of stock.", "type": "success"}]


def test_batch_action_toast_carries_only_its_own_flashes(shop):
    client, _, _ = shop
    token = csrf(client, "/admin/product/new/")
    client.post("/admin/product/delete/", data={"id": "999", "csrf_token": token},
                follow_redirects=False)  # flashes "Record does not exist." for later
    out = client.post("/admin/product/action/", data={
        "action": "out_of_stock", "rowid": ["1"], "csrf_token": token},
        headers={"HX-Request": "true"})
    assert json.loads(out.headers["HX-Trigger"])["showToast"]["message"] == \
        "Product was marked out of stock."
    assert [t["message"] for t in toasts(client.get("/admin/product/").text)] == [
        "Record does not exist."]


def test_csv_export(shop):
    client, _, _ = shop
    orders = list(csv.reader(io.StringIO(client.get("/admin/order/export/csv/").text)))
    assert orders[0] == ["Order", "Created", "Customer", "Status"]  # column_export_list
    assert orders[1][0] == "4" and len(orders) == 5
    customers = list(csv.reader(io.StringIO(
        client.get("/admin/customer/export/csv/?search=example.com").text)))
    assert customers == [["Name", "E-mail", "Country"],
                         ["Bob Marsh", "bob@example.com", "United Kingdom"],
                         ["Dan Wu", "dan@example.com", "United States"]]
    assert client.get("/admin/tag/export/csv/").status_code == 404  # can_export is off


# -- pages, URLs and access -------------------------------------------------------------
def test_index_view_subclass_renders_its_template(shop):
    client, _, _ = shop
    page = client.get("/admin/").text
    assert 'id="shop-dashboard"' in page and 'id="sidebar"' in page
    counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', page))
    assert counts == {"new": "1", "paid": "1", "shipped": "1"}
    assert 'href="/admin/order/?flt0_0=paid"' in page  # url_for with list arguments


def test_base_view_renders_inside_the_admin_layout(shop):
    client, _, _ = shop
    page = client.get("/admin/reports/")
    assert page.status_code == 200
    assert 'id="sidebar"' in page.text  # the admin layout around admin/master.html
    assert 'aria-current="page"><i class="bi bi-table" aria-hidden="true"></i><span>Sales ' \
        'report</span>' in page.text  # the view is the active sidebar entry
    assert "<title>Revenue - Reports - Sales report - Legacy Shop</title>" in page.text
    report = re.search(r'<table class="table" id="sales-report">.*?</table>', page.text, re.S)
    cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", report.group(0), re.S)]
    assert cells == ["Bob Marsh", "45.00 €", "Ann Lee", "39.88 €"]  # paid and shipped only
    assert 'href="/admin/reports/customer/1/"' in page.text  # url_for('.customer', ...)
    detail = client.get("/admin/reports/customer/1/")
    assert detail.status_code == 200 and "<h1 class=\"h3 mb-3\">Ann Lee</h1>" in detail.text
    assert 'href="/admin/order/edit/?id=1&amp;url=%2Fadmin%2Freports%2Fcustomer%2F1%2F"' in \
        detail.text
    assert client.get("/admin/reports/customer/99/").status_code == 404


def test_base_view_pages_end_their_scoped_session(shop):
    client, admin, _ = shop
    engine = admin.index_view.session.get_bind()
    for url in ("/admin/", "/admin/reports/", "/admin/reports/customer/1/"):
        assert client.get(url).status_code == 200
        assert engine.pool.checkedout() == 0, url  # no transaction left open


def test_url_for_resolves_flask_admin_endpoints(shop):
    client, admin, _ = shop
    views = {view.endpoint: view for view in admin._views}
    assert admin.url_for("order.edit_view", id=3) == "/admin/order/edit/?id=3"
    assert views["order"].get_url(".edit_view", id=3, url="/admin/order/") == \
        "/admin/order/edit/?id=3&url=%2Fadmin%2Forder%2F"
    assert views["reports"].get_url(".customer", customer_id=2) == "/admin/reports/customer/2/"
    assert admin.url_for("reports.index") == "/admin/reports/"
    assert admin.url_for("admin.index") == "/admin/"
    listing = client.get("/admin/order/").text  # get_url('.edit_view', ...) in list.html
    assert 'href="/admin/order/edit/?id=3&amp;url=%2Fadmin%2Forder%2F"' in listing


def test_is_accessible_refuses_and_hides_the_view(shop, monkeypatch):
    client, _, _ = shop
    assert client.get("/admin/orderline/").status_code == 403
    assert client.get("/admin/orderline/edit/?id=1").status_code == 403
    assert client.get("/admin/orderline/export/csv/").status_code == 403
    assert 'href="/admin/orderline/"' not in client.get("/admin/").text
    monkeypatch.setenv("SHOP_MAINTENANCE", "1")  # is_accessible is asked on every request
    page = client.get("/admin/orderline/")
    assert page.status_code == 200 and len(rows(page.text)) == 6
    assert 'href="/admin/orderline/"' in client.get("/admin/").text


def test_seeding_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    url = f"sqlite:///{tmp_path}/twice.db"
    for _ in range(2):
        app = create_app(url)
        app.state.flask_admin_compat.index_view.session.get_bind().dispose()
    engine = create_engine(url)
    with Session(engine) as db:
        assert db.query(Customer).count() == 4 and db.query(Order).count() == 5
    engine.dispose()


def test_views_import_only_from_the_compat_package():
    from pathlib import Path

    import examples.legacy_shop as pkg

    source = (Path(pkg.__file__).parent / "views.py").read_text()
    imports = re.findall(r"^(?:from|import) (\S+)", source, re.M)
    assert not [m for m in imports if m.split(".")[0] in ("flask", "flask_admin")]
    assert "flask_admin_compat.contrib.sqla" in imports


# -- the same view classes under the real Flask-Admin ------------------------------------
# The migration, inverted: how views.py read before its imports were swapped.
ORIGINAL_IMPORTS = (("from flask_admin_compat.helpers import flash", "from flask import flash"),
                    ("flask_admin_compat", "flask_admin"))
SAME_ROWS = ["/admin/order/", "/admin/order/?flt0_0=paid", "/admin/order/?flt0_12=ann",
             "/admin/order/?sort=0&desc=1", "/admin/order/?search=gift",
             "/admin/product/", "/admin/product/?search=vinyl", "/admin/product/?flt0_5=0",
             "/admin/product/?flt0_0=games&flt1_9=30", "/admin/product/?sort=3&desc=1",
             "/admin/customer/?flt0_2=DE", "/admin/customer/?search=example.com"]


def original_views():
    """views.py with its original imports, as a module (the class bodies are the file's)."""
    import types
    from pathlib import Path

    import examples.legacy_shop as pkg

    source = (Path(pkg.__file__).parent / "views.py").read_text()
    for new, old in ORIGINAL_IMPORTS:
        source = source.replace(new, old)
    module = types.ModuleType("examples.legacy_shop.original_views")
    module.__package__ = "examples.legacy_shop"
    exec(compile(source, "original_views.py", "exec"), module.__dict__)  # noqa: S102
    return module


def flask_admin_shop(url):
    """The original app on Flask and Flask-Admin 2.x (``theme=`` for 1.x's template_mode)."""
    import warnings
    from pathlib import Path

    from flask import Flask
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
    from flask_admin.theme import Bootstrap4Theme
    from sqlalchemy.orm import scoped_session, sessionmaker

    import examples.legacy_shop as pkg
    from examples.legacy_shop.models import Base, OrderLine, Tag
    from examples.legacy_shop.seed import seed

    views = original_views()
    engine = create_engine(url)
    db_session = scoped_session(sessionmaker(bind=engine))
    Base.metadata.create_all(engine)
    seed(db_session)
    db_session.remove()
    app = Flask(__name__, template_folder=str(Path(pkg.__file__).parent / "templates"))
    app.config["SECRET_KEY"] = "test"
    app.teardown_appcontext(lambda exc: db_session.remove())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 2.x prefers ModelView(M, db)
        admin = Admin(app, name="Legacy Shop", theme=Bootstrap4Theme(),
                      index_view=views.ShopIndexView(db_session, name="Dashboard"))
        admin.add_view(views.CustomerView(Customer, db_session, category="Sales"))
        admin.add_view(views.OrderView(Order, db_session, category="Sales"))
        admin.add_view(views.OrderLineView(OrderLine, db_session, name="Order lines",
                                           category="Sales"))
        admin.add_view(views.ProductView(Product, db_session, category="Catalogue"))
        admin.add_view(ModelView(Tag, db_session, category="Catalogue"))
        admin.add_view(views.SalesReportView(db_session, name="Sales report",
                                             endpoint="reports", category="Reports"))
    return app, engine


@pytest.mark.filterwarnings("ignore:Fields missing from ruleset")  # Flask-Admin's own nag
def test_the_same_views_list_the_same_rows_under_flask_admin(shop, tmp_path):
    pytest.importorskip("flask_admin")
    client, _, _ = shop
    app, engine = flask_admin_shop(f"sqlite:///{tmp_path}/original.db")
    original = app.test_client()
    rowids = re.compile(r'name="rowid"[^>]*value="([^"]+)"')
    try:
        for url in SAME_ROWS:
            theirs = original.get(url)
            assert theirs.status_code == 200, url
            assert rowids.findall(client.get(url).text) == \
                rowids.findall(theirs.get_data(as_text=True)), url
        for url in ("/admin/", "/admin/reports/", "/admin/reports/customer/1/"):
            assert original.get(url).status_code == client.get(url).status_code == 200, url
        assert original.get("/admin/orderline/").status_code == \
            client.get("/admin/orderline/").status_code == 403
    finally:
        engine.dispose()


def test_order_lines_are_edited_inline(shop):
    """``inline_models``: the order's lines in its form, saved with it (Flask-Admin's names)."""
    from examples.legacy_shop.models import OrderLine

    client, _, db = shop
    form = client.get("/admin/order/edit/?id=3").text
    assert ">Lines</legend>" in form and 'name="lines-0-quantity"' in form
    line_ids = [line.id for line in db.get(Order, 3).lines]
    assert re.search(rf'name="lines-0-id" type="hidden" value="{line_ids[0]}"', form)
    token = csrf(client, "/admin/order/new/")
    data = {"customer": "2", "status": "paid", "csrf_token": token,
            "lines-0-id": str(line_ids[0]), "lines-0-product": "1", "lines-0-quantity": "5",
            "lines-0-unit_price": "2.50",
            "lines-1-id": "", "lines-1-product": "2", "lines-1-quantity": "1",
            "lines-1-unit_price": "9.99"}
    refused = client.post("/admin/order/edit/?id=3", data={**data, "lines-1-quantity": "0"})
    assert refused.status_code == 200 and 'value="9.99"' in refused.text
    db.expire_all()
    assert [line.id for line in db.get(Order, 3).lines] == line_ids  # nothing saved
    saved = client.post("/admin/order/edit/?id=3", data=data, follow_redirects=False)
    assert saved.status_code == 302
    db.expire_all()
    lines = {(line.product_id, line.quantity, str(line.unit_price))
             for line in db.get(Order, 3).lines}
    assert {(1, 5, "2.50"), (2, 1, "9.99")} <= lines
    assert len(lines) == len(line_ids) + 1
    blank = client.get("/admin/order/-inline/lines?index=7").text
    assert 'name="lines-7-product"' in blank and 'name="lines-7-id"' in blank
    assert db.query(OrderLine).count() >= len(lines)
