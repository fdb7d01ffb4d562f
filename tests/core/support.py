"""Helpers shared by the core tests (and the security suite): a TestClient that knows its
admin, CSRF and HTMX helpers, plain views of the test models, and a small seeded fleet of
customers, tags and devices."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session
from starlette.requests import Request

from fasthx_core import Admin, CRUDView

from .models import Customer, Device, Route, Setting, Status, Tag

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""Run a test that uses the database on SQLite only: its subject is not the database."""


def fast_sqlite(engine: Engine) -> Engine:
    """No fsync on the test databases: still real SQLite files, but a test's commits cost
    microseconds instead of a disk flush each (tests never need the data after a crash)."""

    def pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()

    event.listen(engine, "connect", pragmas)
    return engine


def csrf_from(html: str) -> str:
    """The CSRF token of a rendered page (the hidden ``csrf_token`` input)."""
    match = CSRF_INPUT.search(html)
    assert match, "the page carries no csrf_token input"
    return match.group(1)


def htmx_headers(token: str | None = None, target: str | None = None) -> dict[str, str]:
    """The headers htmx sends: ``HX-Request``, optionally ``HX-Target`` and the CSRF header."""
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    if token:
        headers["X-CSRF-Token"] = token
    return headers


def view_of(model: type, base: type[CRUDView] = CRUDView, **config: Any) -> type[CRUDView]:
    """A view class of `model` with nothing set but `config`, named as a test would name it
    (``view_of(Customer)`` is a ``CustomerView``): for tests whose subject is not the view."""
    return type(f"{model.__name__}View", (base,), {"model": model, **config})


CustomerView, DeviceView, TagView, RouteView, SettingView = map(
    view_of, (Customer, Device, Tag, Route, Setting))


class RoutesDeviceView(CRUDView):
    """A device view with every kind of route: list, forms, delete, batch, export, an ajax
    lookup, a polled htmx column and a custom endpoint that answers with progress."""

    model = Device
    htmx_columns = {"status": {"url": "/{name}/{id}/status"}}
    form_ajax_refs = {"customer_id": {"fields": ["name"]}}

    @CRUDView.endpoint("/{name}/{id}/reboot", methods=["POST"])
    async def reboot(self, request: Request, item_id: str):
        with self.session() as db:
            device = self.get_item(db, item_id)
            device.description = "rebooted"
            db.commit()
        return self.progress_response(request, item_id, 100, "Rebooted")


@dataclass
class Element:
    """One form control of a rendered page: tag, attributes, and options for selects."""

    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, str, bool]] = field(default_factory=list)
    text: str = ""

    @property
    def selected(self) -> list[str]:
        return [value for value, _label, chosen in self.options if chosen]

    @property
    def labels(self) -> list[str]:
        return [label for _value, label, _chosen in self.options]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, Element] = {}
        self.labels: dict[str, str] = {}
        self._select: Element | None = None
        self._option: list[Any] | None = None
        self._textarea: Element | None = None
        self._label_for: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag in ("input", "select", "textarea") and "id" in a:
            el = Element(tag, a)
            self.controls.setdefault(a["id"], el)
            if tag == "select":
                self._select = el
            elif tag == "textarea":
                self._textarea = el
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value", ""), "", "selected" in a]
        elif tag == "label" and "for" in a:
            self._label_for, self._label_text = a["for"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value, label, chosen = self._option
            self._select.options.append((value, label.strip(), chosen))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea.text += data
        if self._label_for:
            self._label_text.append(data)


def form_controls(html: str) -> dict[str, Element]:
    """Every input, select and textarea of a page with an ``id``, by id."""
    parser = _FormParser()
    parser.feed(html)
    return parser.controls


def form_labels(html: str) -> dict[str, str]:
    """``<label for=...>`` texts by the id they point to."""
    parser = _FormParser()
    parser.feed(html)
    return parser.labels


class AdminClient(TestClient):
    """A TestClient for an app with one `Admin`; knows the admin, its engine and CSRF token."""

    def __init__(self, app: FastAPI, admin: Admin, engine: Engine) -> None:
        super().__init__(app)
        self.admin = admin
        self.engine = engine
        self._token: str | None = None

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A session on the test database, for seeding and for checking what was saved."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def seed(self) -> Fleet:
        """Fill the database with the standard fleet (see `seed_fleet`)."""
        with self.db() as db:
            return seed_fleet(db)

    def count(self, model: type) -> int:
        with self.db() as db:
            return db.scalar(select(func.count()).select_from(model)) or 0

    def csrf_token(self, *, fresh: bool = False) -> str:
        """This client's session token, read from the first page that renders one.

        The token lives as long as the session, so it is read once; a login or logout starts
        a new session: pass ``fresh=True`` after one.
        """
        if self._token and not fresh:
            return self._token
        urls = [v.url for v in self.admin.views.values()][:1] + [self.admin.login_path]
        for url in urls:
            match = CSRF_INPUT.search(self.get(url).text)
            if match:
                self._token = match.group(1)
                return self._token
        raise AssertionError("no page rendered a CSRF token")

    def submit(self, url: str, data: dict[str, Any] | None = None, *, htmx: bool = False,
               target: str | None = None, csrf: bool = True, **kwargs: Any) -> Any:
        """POST a form as a browser would (token in the form) or as htmx would (in a header)."""
        data = dict(data or {})
        headers = dict(kwargs.pop("headers", {}) or {})
        token = self.csrf_token() if csrf else None
        if htmx:
            headers.update(htmx_headers(token, target))
        elif token:
            data.setdefault("csrf_token", token)
        kwargs.setdefault("follow_redirects", False)
        return self.post(url, data=data, headers=headers, **kwargs)


@dataclass
class Fleet:
    customers: dict[str, Customer] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)


def seed_fleet(db: Session) -> Fleet:
    """Three customers, three tags and five devices with varied values."""
    fleet = Fleet()
    for name, email in [("Acme Corp", "ops@acme.test"), ("Globex", None),
                        ("Initech", "it@initech.test")]:
        fleet.customers[name] = Customer(name=name, email=email)
    for name in ("prod", "lab", "edge"):
        fleet.tags[name] = Tag(name=name)
    c, t = fleet.customers, fleet.tags
    rows = [
        dict(hostname="acme-edge-01", status=Status.online, active=True, load=0.5,
             price=decimal.Decimal("199.00"), installed_on=dt.date(2024, 1, 10),
             last_seen=dt.datetime(2024, 6, 1, 12, 0), maintenance_at=dt.time(2, 0),
             customer=c["Acme Corp"], tags=[t["prod"], t["edge"]]),
        dict(hostname="acme-edge-02", status=Status.offline, active=False, load=2.5,
             price=decimal.Decimal("249.50"), installed_on=dt.date(2024, 3, 5),
             last_seen=dt.datetime(2024, 5, 1, 8, 30), maintenance_at=dt.time(4, 30),
             customer=c["Acme Corp"], tags=[t["edge"]]),
        dict(hostname="globex-core", status=Status.maintenance, active=True, load=None,
             price=None, installed_on=None, customer=c["Globex"], tags=[]),
        dict(hostname="globex-lab-7", status=Status.online, active=True, load=1.25,
             installed_on=dt.date(2023, 11, 20), customer=c["Globex"], tags=[t["lab"]]),
        dict(hostname="initech-printer", status=Status.offline, active=True, load=0.0,
             description="Prints TPS reports", customer=c["Initech"],
             tags=[t["lab"], t["prod"]]),
    ]
    for row in rows:
        fleet.devices[row["hostname"]] = Device(**row)
    db.add_all([*fleet.customers.values(), *fleet.tags.values(), *fleet.devices.values()])
    db.commit()
    return fleet


def ids(fleet: Fleet, *hostnames: str) -> set[int]:
    return {fleet.devices[h].id for h in hostnames}
