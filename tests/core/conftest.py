"""Fixtures of the core tests: a fresh SQLite file per test and an app factory.

``make_app(*view_classes, **admin_kwargs)`` calls `init_db` on a file in ``tmp_path``, creates
the tables, registers the views on a new FastAPI app and returns an `AdminClient` (a
TestClient with ``.app``, ``.admin``, ``.engine``, ``.db()``, ``.seed()``, ``.csrf_token()``
and ``.submit()``).  ``AUTH_DISABLED=1`` is set for every test; auth tests unset it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import pytest
from fastapi import FastAPI

from fasthx_core import Admin, CRUDView, init_db

from .models import Model, Note
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
def make_app(tmp_path: Any) -> Iterator[MakeApp]:
    numbers = itertools.count(1)
    engines = []
    clients: list[AdminClient] = []

    def factory(*view_classes: type[CRUDView], app: FastAPI | None = None,
                **admin_kwargs: Any) -> AdminClient:
        engine = fast_sqlite(init_db(f"sqlite:///{tmp_path}/t{next(numbers)}.db"))
        engines.append(engine)
        Model.metadata.create_all(engine)
        Note.__table__.create(engine)
        app = app or FastAPI()
        admin_kwargs.setdefault("secret_key", "core-tests-secret")
        admin = Admin(app, **admin_kwargs)
        admin.templates.env.bytecode_cache = BYTECODE_CACHE
        for view_class in view_classes:
            admin.add_view(view_class)
        client = AdminClient(app, admin, engine)
        clients.append(client.__enter__())  # one event loop for all of the test's requests
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
    for engine in engines:
        engine.dispose()
