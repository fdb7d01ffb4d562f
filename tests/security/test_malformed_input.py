"""Malformed input never gives a 500, and a refused post saves nothing (Hypothesis).

* List parameters: page, page_size, sort, desc/order, search, the keyset ``after``, filters
  ``flt*_{column}_{op}`` (real and made-up columns and operators) and unknown parameters, on
  the native list (every column type) and on a Flask-Admin list (``flt{n}_{m}``, index sort).
* Form posts: valid data with any fields replaced by junk for their type (integers beyond
  64 bits, NaN and infinities, malformed dates and times, unknown enum members, broken JSON,
  unknown or ill-typed foreign keys, strings past the column length, NUL and unpaired
  characters) on create, edit and inline cells; the answer is a save (303) or a refusal
  (422 / the cell's message), and after a refusal every table is as it was.

Form fuzzing runs on SQLite, PostgreSQL and MariaDB (the servers refuse different things);
the list fuzzing on SQLite.  Examples are counted and printed (``-s``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fasthx_core.filters import OP_LABELS

from .apps import csrf_of, login
from .snapshot import snapshot

SETTINGS = {"deadline": None, "derandomize": True, "database": None,
            "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow]}
LIST_EXAMPLES = 60
FORM_EXAMPLES = {"sqlite": 60, "postgresql": 25, "mariadb": 25}
COUNT: dict[str, int] = {}

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
ints = st.integers(min_value=-(2**80), max_value=2**80).map(str)
numbers = st.one_of(ints, st.floats().map(repr), st.decimals(allow_nan=True).map(str),
                    st.sampled_from(["1e309", "-1e309", "nan", "inf", "1" * 400, "0x10", "1_0",
                                     "١٢", "½", " 7 ", "--1"]))
dates = st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()),
                  st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31T23:59:60",
                                   "2024-13-01", "24:00", "23:59:61", "12:00:00+25:00",
                                   "2024-01-01T10:00Z", "-1-01-01", "T", ""]))
junk = st.one_of(text, ints, numbers, dates, st.just(""), st.just("\x00"))


@pytest.fixture
def sqlite_only(sqlite_url: str) -> str:
    return sqlite_url


# -- list parameters ----------------------------------------------------------------------

DEVICE_COLUMNS = ["hostname", "status", "active", "load", "price", "installed_on",
                  "last_seen", "customer.name", "customer", "tags", "id", "nope", ""]
filter_names = st.builds(lambda idx, col, op: f"flt{idx}_{col}_{op}",
                         st.sampled_from(["", "0", "1", "99", "-1"]),
                         st.sampled_from(DEVICE_COLUMNS), st.sampled_from([*OP_LABELS, "x"]))
list_params = st.dictionaries(
    st.one_of(st.sampled_from(["page", "page_size", "sort", "desc", "order", "q", "search",
                               "after", "partial"]), filter_names, text),
    st.one_of(junk, st.sampled_from(DEVICE_COLUMNS)), max_size=8)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_list_parameters_never_break_the_native_list(native_app):
    client = native_app()
    login(client, "alice")

    @settings(max_examples=LIST_EXAMPLES, **SETTINGS)
    @given(params=list_params, htmx=st.booleans())
    def attempt(params: dict[str, str], htmx: bool) -> None:
        headers = {"HX-Request": "true", "HX-Target": "list-results"} if htmx else {}
        for url in ("/devices", "/readings", "/devices/export/csv"):
            response = client.get(url, params=params, headers=headers)
            assert response.status_code in (200, 400, 422), (url, params, response.text[:300])
        COUNT["native list"] = COUNT.get("native list", 0) + 1

    attempt()
    print(f"\nnative list: {COUNT['native list']} examples x 3 URLs")


def test_list_parameters_never_break_a_flask_admin_list(shop_app):
    client = shop_app()
    compat_params = st.dictionaries(
        st.one_of(st.sampled_from(["page", "page_size", "sort", "desc", "search", "url"]),
                  st.builds(lambda i, j: f"flt{i}_{j}", st.integers(-2, 30),
                            st.integers(-2, 30)), text),
        junk, max_size=8)

    @settings(max_examples=LIST_EXAMPLES, **SETTINGS)
    @given(params=compat_params)
    def attempt(params: dict[str, str]) -> None:
        for url in ("/admin/product/", "/admin/order/", "/admin/customer/export/csv/"):
            response = client.get(url, params=params)
            assert response.status_code in (200, 400, 422), (url, params, response.text[:300])
        COUNT["compat list"] = COUNT.get("compat list", 0) + 1

    attempt()
    print(f"\ncompat list: {COUNT['compat list']} examples x 3 URLs")


# -- form posts -------------------------------------------------------------------------

def device_form(customer: str, tag: str) -> dict[str, Any]:
    return {"hostname": "fuzzed", "status": "online", "active": "y", "load": "1.5",
            "price": "10.00", "description": "d", "installed_on": "2024-01-02",
            "last_seen": "2024-01-02T03:04", "maintenance_at": "05:06",
            "customer_id": customer, "tags": [tag]}


READING_FORM = {"sensor": "fuzzed", "payload": '{"a": 1}', "amount": "1.2345",
                "taken_at": "2024-01-02T03:04:05", "counter": "7", "total": "9"}
DEVICE_JUNK = {
    "hostname": st.one_of(text, st.text(min_size=51, max_size=400)),
    "status": st.one_of(text, st.sampled_from(["ONLINE", "Status.online", "0", "deploying"])),
    "active": junk, "load": numbers, "price": st.one_of(numbers, st.just("123456789.999")),
    "installed_on": dates, "last_seen": dates, "maintenance_at": dates,
    "customer_id": st.one_of(ints, text, st.just("999999")),
    "tags": st.lists(st.one_of(ints, text), max_size=3),
    "_fasthx_version": st.one_of(text, st.just("h:" + "0" * 32), st.just("v:1")),
}
READING_JUNK = {
    "sensor": st.one_of(text, st.text(min_size=41, max_size=200)),
    "payload": st.one_of(text, st.sampled_from(["{", "[1,", '{"a": NaN}', "1e999", '"\\ud800"',
                                                "null", "[]" * 300])),
    "amount": numbers, "taken_at": dates, "counter": st.one_of(ints, numbers),
    "total": st.one_of(ints, numbers),
}


def mutated(base: dict[str, Any], fields: dict[str, Any]) -> Any:
    return st.dictionaries(st.sampled_from(sorted(fields)), st.nothing(), max_size=0).flatmap(
        lambda _: st.fixed_dictionaries({}, optional=fields)).map(lambda junk: {**base, **junk})


def test_form_posts_never_break_and_refusals_save_nothing(native_app, db_url):
    client = native_app()
    login(client, "alice")
    token = csrf_of(client, "/logout")
    ids = client.ids
    device_base = device_form(ids["customers"], ids["tags"])
    targets = [
        ("/devices/create", mutated(device_base, DEVICE_JUNK)),
        (f"/devices/{ids['devices']}/edit", mutated(device_base, DEVICE_JUNK)),
        ("/readings/create", mutated(READING_FORM, READING_JUNK)),
        (f"/readings/{ids['readings']}/edit", mutated(READING_FORM, READING_JUNK)),
    ]
    backend = client.engine.dialect.name
    examples = FORM_EXAMPLES.get(backend, FORM_EXAMPLES["mariadb"])
    outcomes = {"saved": 0, "refused": 0}

    @settings(max_examples=examples, **SETTINGS)
    @given(target=st.sampled_from(range(len(targets))).flatmap(
        lambda i: st.tuples(st.just(targets[i][0]), targets[i][1])), htmx=st.booleans())
    def attempt(target: tuple[str, dict[str, Any]], htmx: bool) -> None:
        url, data = target
        before = snapshot(client.engine)
        headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
        response = client.post(url, data={**data, "csrf_token": token}, headers=headers,
                               follow_redirects=False)
        saved = response.status_code == 303 or (htmx and "HX-Redirect" in response.headers)
        assert saved or response.status_code == (200 if htmx else 422), (
            url, data, response.status_code, response.text[:300])
        if saved:
            outcomes["saved"] += 1
        else:
            outcomes["refused"] += 1
            assert snapshot(client.engine) == before, (url, data)

    attempt()
    assert outcomes["refused"] > 0
    print(f"\n{backend} forms: {sum(outcomes.values())} examples, {outcomes}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_inline_cells_never_break_and_refusals_save_nothing(native_app):
    client = native_app()
    login(client, "alice")
    token = csrf_of(client, "/logout")
    device, reading = client.ids["devices"], client.ids["readings"]
    cells = st.one_of(
        st.tuples(st.just(f"/devices/{device}/cell/hostname"), st.just("hostname"),
                  DEVICE_JUNK["hostname"]),
        st.tuples(st.just(f"/devices/{device}/cell/status"), st.just("status"),
                  DEVICE_JUNK["status"]),
        st.tuples(st.just(f"/devices/{device}/cell/load"), st.just("load"), numbers),
        st.tuples(st.just(f"/readings/{reading}/cell/sensor"), st.just("sensor"),
                  READING_JUNK["sensor"]),
        st.tuples(st.just(f"/devices/{device}/cell/{'x' * 5}"), st.just("x"), text))
    runs = {"n": 0}

    @settings(max_examples=LIST_EXAMPLES, **SETTINGS)
    @given(cell=cells)
    def attempt(cell: tuple[str, str, str]) -> None:
        url, name, value = cell
        before = snapshot(client.engine)
        response = client.post(url, data={name: value}, headers={
            "HX-Request": "true", "X-CSRF-Token": token})
        assert response.status_code in (200, 404), (url, value, response.text[:300])
        if response.status_code == 404 or '"danger"' in response.headers.get("HX-Trigger",
                                                                              ""):
            assert snapshot(client.engine) == before
        runs["n"] += 1

    attempt()
    print(f"\ninline cells: {runs['n']} examples")


PRODUCT_FORM = {"name": "Fuzzed", "sku": "ABC-123", "category": "books", "price": "9.99",
                "in_stock": "y", "tags": ["1"], "description": "d"}
PRODUCT_JUNK = {
    "name": st.one_of(text, st.text(min_size=101, max_size=300)),
    "sku": st.one_of(text, st.sampled_from(["abc-123", "ABC-1234", "DUN-001"])),
    "category": st.one_of(text, st.sampled_from(["Books", "Category.books", "0"])),
    "price": numbers, "in_stock": junk, "tags": st.lists(st.one_of(ints, text), max_size=3),
}


def test_flask_admin_form_posts_never_break_and_refusals_save_nothing(shop_app):
    """The compat create and edit views (Flask-Admin's ``new/`` and ``edit/?id=``): a save
    redirects (302), a refusal re-renders the form (200), and saves nothing."""
    client = shop_app()
    token = csrf_of(client, "/admin/product/new/")
    engine = client.app.state.flask_admin_compat._views[0].session.get_bind()
    outcomes = {"saved": 0, "refused": 0}

    @settings(max_examples=LIST_EXAMPLES, **SETTINGS)
    @given(url=st.sampled_from(["/admin/product/new/", "/admin/product/edit/?id=2"]),
           data=mutated(PRODUCT_FORM, PRODUCT_JUNK))
    def attempt(url: str, data: dict[str, Any]) -> None:
        before = snapshot(engine)
        if "new" in url:
            data = {**data, "sku": data["sku"] if data["sku"] != "ABC-123" else
                    f"ZZZ-{outcomes['saved'] % 1000:03}"}
        response = client.post(url, data={**data, "csrf_token": token},
                                follow_redirects=False)
        assert response.status_code in (200, 302), (url, data, response.text[:300])
        if response.status_code == 302:
            outcomes["saved"] += 1
        else:
            outcomes["refused"] += 1
            assert snapshot(engine) == before, (url, data)

    attempt()
    assert outcomes["refused"] > 0
    print(f"\ncompat forms: {sum(outcomes.values())} examples, {outcomes}")
