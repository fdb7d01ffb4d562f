"""Fixtures of the core tests: fresh tables per test on every backend, and an app factory.

``make_app(*view_classes, **admin_kwargs)`` calls `init_db` on the test's database (`db_url`:
SQLite, PostgreSQL and MariaDB), creates the tables, registers the views on a new FastAPI app
and returns an `AdminClient` (a TestClient with ``.app``, ``.admin``, ``.engine``, ``.db()``,
``.seed()``, ``.csrf_token()`` and ``.submit()``).  Every call starts from empty tables; after
the test the clients are closed, the engines disposed and every table dropped (the server
databases are shared by the whole session).  ``AUTH_DISABLED=1`` is set for every test; auth
tests unset it.

Tests that use `make_app` (or `db_engine`) run on all three backends.  A test whose subject
is not the database runs on SQLite only: per test with `support.SQLITE_ONLY`, per module by
overriding ``db_url`` with `sqlite_url`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import pytest
from dbservers import fresh_tables
from fastapi import FastAPI
from sqlalchemy import Engine, MetaData, create_engine

import fasthx_core.db as fx_db
import fasthx_core.listing as fx_listing
from fasthx_core import Admin, CRUDView, init_db

from .models import SCHEMA
from .support import AdminClient, fast_sqlite

MakeApp = Callable[..., AdminClient]


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the whole run: every test builds a new Admin (and so a new
    Jinja environment), and compiling the same templates again for each one is most of the
    cost of a test.  Entries are keyed by template file and source checksum, so a user folder
    overriding a template never gets the built-in's code."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = SharedBytecodeCache()


@pytest.fixture(autouse=True)
def auth_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_DISABLED", "1")


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    """A SQLite file for modules that override ``db_url`` with it."""
    return f"sqlite:///{tmp_path}/test.db"


def _fast(engine: Engine) -> Engine:
    return fast_sqlite(engine) if engine.dialect.name == "sqlite" else engine


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A plain engine (no `init_db`) on fresh test tables, for the query layer's tests."""
    with fresh_tables(db_url, *SCHEMA):
        engine = _fast(create_engine(db_url))
        try:
            yield engine
        finally:
            engine.dispose()
            fx_listing._COUNT_CACHE.clear()


@contextlib.contextmanager
def app_factory(db_url: str, *schema: MetaData) -> Iterator[MakeApp]:
    """What `make_app` yields, for any set of tables (`schema`; a suite with tables of its own
    adds them to the core's): every call starts from empty tables; at exit the clients are
    closed, the engines disposed and the tables dropped."""
    engines: list[Engine] = []
    clients: list[AdminClient] = []
    stack = contextlib.ExitStack()

    def factory(*view_classes: type[CRUDView], app: FastAPI | None = None,
                **admin_kwargs: Any) -> AdminClient:
        stack.enter_context(fresh_tables(db_url, *schema))  # a second app: empty tables too
        engine = _fast(init_db(db_url))
        engines.append(engine)
        app = app or FastAPI()
        admin_kwargs.setdefault("secret_key", "core-tests-secret")
        admin = Admin(app, **admin_kwargs)
        admin.templates.env.bytecode_cache = BYTECODE_CACHE
        for view_class in view_classes:
            admin.add_view(view_class)
        client = AdminClient(app, admin, engine)
        clients.append(client.__enter__())  # one event loop for all of the test's requests
        return client

    try:
        yield factory
    finally:
        for client in clients:
            client.__exit__(None, None, None)
        for engine in engines:
            engine.dispose()  # before the DROPs: no pooled connection may hold a lock
        fx_db._engine = fx_db._session_factory = None  # no later test may use this engine
        fx_listing._COUNT_CACHE.clear()  # the next test's tables have the same names
        stack.close()


@pytest.fixture
def make_app(db_url: str) -> Iterator[MakeApp]:
    with app_factory(db_url, *SCHEMA) as factory:
        yield factory
