"""The three apps the security suite attacks, and what it needs to know about each.

* ``native``: a fasthx_core app over every column type the engine knows (string, text, enum,
  bool, int, big int, float, numeric, date, date-time, time, JSON, many-to-one, many-to-many,
  string and composite primary keys) with every kind of route (custom endpoint, poll, ajax,
  inline cells, export, batch, progress); every view is limited to the ``admin`` group.
* ``demo``: examples/demo as shipped.
* ``shop``: examples/legacy_shop (Flask-Admin views on the compat layer, FileAdmin included).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from fastapi.testclient import TestClient

from fasthx_core import CRUDView, StaticUsersBackend, hash_password, keys

from ..core.models import Customer, Device, Note, Reading, Route, Setting, Status, Tag
from ..core.support import RoutesDeviceView, csrf_from, view_of
from .models import Page, Ticket

PASSWORDS = {"alice": "wonderland-7", "guest": "guest-pass-7"}
USERS = {
    "alice": {"password_hash": hash_password(PASSWORDS["alice"]), "name": "Alice",
              "groups": ["admin"]},
    "guest": {"password_hash": hash_password(PASSWORDS["guest"]), "name": "Guest",
              "groups": ["guest"]},
}
BACKEND = StaticUsersBackend(USERS)
SECRET = "the-secret-sentinel-row"  # a value that must never reach an anonymous response


class Restricted(CRUDView):
    """Every native view of the suite: members of ``admin`` only."""

    allowed_groups = ["admin"]


class CustomerView(Restricted):
    model = Customer
    column_filters = ["name", "email"]


class DeviceView(Restricted, RoutesDeviceView):
    column_list = ["hostname", "status", "active", "load", "price", "installed_on",
                   "last_seen", "maintenance_at", "customer", "tags", "description"]
    column_filters = ["hostname", "status", "active", "load", "price", "installed_on",
                      "last_seen", "customer.name"]
    column_editable_list = ["hostname", "status", "load"]
    column_export_list = ["hostname", "status", "description", "customer", "tags"]


class ReadingView(Restricted):
    model = Reading
    column_filters = ["sensor", "amount", "taken_at", "counter", "total"]
    column_editable_list = ["sensor"]


class PageView(Restricted):
    model = Page
    version_column = "revision"
    column_editable_list = ["title"]


TagView, SettingView, RouteView, NoteView, TicketView = (
    view_of(model, Restricted) for model in (Tag, Setting, Route, Note, Ticket))

NATIVE_VIEWS = (CustomerView, TagView, DeviceView, ReadingView, SettingView, RouteView,
                NoteView, TicketView, PageView)


def seed_native(db: Any) -> dict[str, Any]:
    """One or more rows in every table; returns the ids the route walker fills in."""
    acme = Customer(name="Acme", email="ops@acme.test", notes=SECRET)
    globex = Customer(name="Globex")
    prod, lab = Tag(name="prod"), Tag(name="lab")
    device = Device(hostname="edge-01", status=Status.online, active=True, load=0.5,
                    price=decimal.Decimal("9.50"), description=SECRET,
                    installed_on=dt.date(2024, 1, 2), last_seen=dt.datetime(2024, 5, 6, 7, 8),
                    maintenance_at=dt.time(3, 0), customer=acme, tags=[prod, lab])
    other = Device(hostname="edge-02", status=Status.offline, customer=globex, tags=[lab])
    reading = Reading(sensor="temp", payload={"k": [1, 2]}, amount=decimal.Decimal("1.5"),
                      taken_at=dt.datetime(2024, 1, 1, 0, 0, 0, 5000), counter=3, total=2**40)
    rows = [acme, globex, prod, lab, device, other, reading,
            Setting(key="a/b,c", value="x"), Route(region="north", number=7, label="N7"),
            Note(title="hello", body="world"), Ticket(title="first ticket", body="b"),
            Page(title="home page", revision=0)]
    db.add_all(rows)
    db.commit()
    first = {}
    for row in rows:  # the first row of each table names the ids the route walker uses
        first.setdefault(row.__tablename__, keys.quote_segment(keys.to_url(type(row), row)))
    return first


def csrf_of(client: TestClient, url: str) -> str:
    """The CSRF token a page renders for this client's session."""
    return csrf_from(client.get(url).text)


def login(client: TestClient, username: str, login_path: str = "/login") -> None:
    """Log `username` in through the login form, as a browser would."""
    token = csrf_of(client, login_path)
    response = client.post(login_path, data={"username": username, "csrf_token": token,
                                             "password": PASSWORDS[username]},
                           follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
