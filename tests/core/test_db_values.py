"""Values that databases store differently, through the forms and pages, on every backend:
JSON, exact decimals, date-times with seconds and fractions, 32- and 64-bit integers, text
beyond the Basic Multilingual Plane, text no column can hold, and uniqueness as the
database's collation sees it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from fasthx_core import CRUDView

from .models import Customer, ExtraModel, Reading, Route
from .support import form_controls


class ReadingView(CRUDView):
    model = Reading


class CustomerView(CRUDView):
    model = Customer


class RouteView(CRUDView):
    model = Route


@pytest.fixture
def client(make_app):
    client = make_app(ReadingView, CustomerView, RouteView)
    ExtraModel.metadata.create_all(client.engine)  # dropped with the rest after the test
    return client


def dialect(client) -> str:
    return client.engine.dialect.name


def test_json_decimals_date_times_and_big_integers_round_trip(client) -> None:
    payload = {"levels": [1, 2.5, "x"], "ok": True, "note": "grüße", "none": None}
    response = client.submit("/readings/create", {
        "sensor": "s1", "payload": json.dumps(payload), "amount": "1234.5678",
        "taken_at": "2024-02-03T04:05:06", "counter": str(2**31 - 1), "total": str(2**53 + 1)})
    assert response.status_code == 303, response.text
    with client.db() as db:
        row = db.scalars(select(Reading)).one()
    assert row.payload == payload
    assert row.amount == Decimal("1234.5678")
    assert row.taken_at == dt.datetime(2024, 2, 3, 4, 5, 6)
    assert (row.counter, row.total) == (2**31 - 1, 2**53 + 1)
    controls = form_controls(client.get(f"/readings/{row.id}/edit").text)
    assert controls["amount"].attrs["value"] == "1234.5678"  # not rounded to 2 places
    assert controls["taken_at"].attrs["value"] == "2024-02-03T04:05:06"
    assert json.loads(controls["payload"].text) == payload
    assert controls["total"].attrs["value"] == str(2**53 + 1)


def test_an_edit_keeps_what_the_inputs_cannot_show(client) -> None:
    """A date-time input shows seconds at most: editing another field must not cut off
    the stored microseconds (MySQL/MariaDB keep them in a ``DATETIME(6)``)."""
    taken = dt.datetime(2024, 6, 1, 12, 0, 30, 123456)
    with client.db() as db:
        reading = Reading(sensor="s2", amount=Decimal("0.0001"), taken_at=taken)
        db.add(reading)
        db.commit()
    controls = form_controls(client.get(f"/readings/{reading.id}/edit").text)
    assert controls["taken_at"].attrs["value"] == "2024-06-01T12:00:30"
    assert controls["amount"].attrs["value"] == "0.0001"
    response = client.submit(f"/readings/{reading.id}/edit", {
        "sensor": "s2-renamed", "taken_at": controls["taken_at"].attrs["value"],
        "amount": controls["amount"].attrs["value"]})
    assert response.status_code == 303, response.text
    with client.db() as db:
        row = db.get(Reading, reading.id)
        assert (row.sensor, row.taken_at, row.amount) == ("s2-renamed", taken, Decimal("0.0001"))
    client.submit(f"/readings/{reading.id}/edit", {"sensor": "s2", "taken_at": "2024-06-01T12:01"})
    with client.db() as db:  # a changed value is taken as entered
        assert db.get(Reading, reading.id).taken_at == dt.datetime(2024, 6, 1, 12, 1)


OUT_OF_RANGE = [
    ("/routes/create", {"region": "eu", "number": str(2**31), "label": "x"},
     "Number must be between -2147483648 and 2147483647."),
    ("/readings/create", {"sensor": "s", "counter": str(-(2**31) - 1)},
     "Number must be between -2147483648 and 2147483647."),
    ("/readings/create", {"sensor": "s", "total": str(2**63)},
     "Number must be between -9223372036854775808 and 9223372036854775807."),
    ("/readings/create", {"sensor": "s", "amount": "123456789.5"},
     "At most 8 digits before the decimal point."),
    ("/readings/create", {"sensor": "s", "amount": "99999999.99999"},  # rounds up to 10**8
     "At most 8 digits before the decimal point."),
    ("/customers/create", {"name": "Nul\x00Corp"}, "Contains a NUL character"),
    ("/customers/create", {"name": "Nul Corp", "notes": "a\x00b"}, "Contains a NUL character"),
]


@pytest.mark.parametrize(("url", "data", "message"), OUT_OF_RANGE,
                         ids=["int32-route", "int32", "int64", "numeric", "numeric-rounded",
                              "nul-string", "nul-text"])
def test_values_no_column_can_hold_are_form_errors_on_every_database(client, url, data,
                                                                      message) -> None:
    """PostgreSQL and MySQL/MariaDB would refuse these at the INSERT (SQLite would keep
    them): the form refuses them first, the same everywhere, with the input kept."""
    response = client.submit(url, data)
    assert response.status_code == 422
    assert message in response.text
    assert client.count(Reading) == client.count(Customer) == client.count(Route) == 0


def test_long_text_is_stored_where_the_database_can_hold_it(client) -> None:
    """A plain ``Text`` column is a TEXT of at most 65,535 bytes on MySQL/MariaDB, and has no
    such limit on PostgreSQL and SQLite: the form says so instead of a database error."""
    notes = "ü" * 40_000  # 80,000 bytes of UTF-8
    response = client.submit("/customers/create", {"name": "Verbose", "notes": notes})
    if dialect(client) in ("mysql", "mariadb"):
        assert response.status_code == 422
        assert "Too long: this column stores at most 65,535 bytes" in response.text
        assert client.count(Customer) == 0
    else:
        assert response.status_code == 303
        with client.db() as db:
            assert db.scalars(select(Customer.notes)).one() == notes


def test_text_beyond_the_basic_multilingual_plane_round_trips(client) -> None:
    name = "Café 🚀 Ωmega 𝄞"
    assert client.submit("/customers/create", {"name": name}).status_code == 303
    with client.db() as db:
        assert db.scalars(select(Customer.name)).one() == name
    page = client.get("/customers", params={"q": "Café"}).text
    assert name in page


def test_the_unique_check_sees_equal_values_as_the_database_does(client) -> None:
    """MariaDB's default collation is case-insensitive, so its unique index refuses
    "ACME CORP" next to "Acme Corp"; PostgreSQL and SQLite compare exactly and accept it.
    Either way the check before the INSERT agrees with the index: the user gets the
    field's "already exists", never a failed INSERT."""
    assert client.submit("/customers/create", {"name": "Acme Corp"}).status_code == 303
    response = client.submit("/customers/create", {"name": "ACME CORP"})
    assert "conflicts with another row" not in response.text
    if dialect(client) in ("mysql", "mariadb"):
        assert response.status_code == 422
        assert "A Customer with this name already exists." in response.text
        assert client.count(Customer) == 1
    else:
        assert response.status_code == 303
        assert client.count(Customer) == 2
