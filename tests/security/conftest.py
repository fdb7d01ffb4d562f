"""Fixtures of the security suite: the three apps under attack, with real logins.

``native_app()`` builds the every-column-type app (tests/security/apps.py) on the test's
database (`db_url`: modules about HTTP override it with SQLite; the lost-update tests run on
SQLite, PostgreSQL and MariaDB), seeded, with logins on (``AUTH_DISABLED`` unset).
``demo_app()`` and ``shop_app()`` start the two example apps on SQLite files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dbservers import fresh_tables
from fastapi import FastAPI
from fastapi.testclient import TestClient

import fasthx_core.db as fx_db
import fasthx_core.listing as fx_listing
from fasthx_core import Admin, get_engine, init_db

from ..core.conftest import BYTECODE_CACHE
from ..core.models import SCHEMA, ExtraModel
from ..core.support import AdminClient, fast_sqlite
from .apps import BACKEND, NATIVE_VIEWS, seed_native
from .models import SecurityModel


@pytest.fixture(autouse=True)
def logins_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app of the suite asks who you are."""
    monkeypatch.delenv("AUTH_DISABLED", raising=False)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/security.db"


@pytest.fixture
def native_app(db_url: str) -> Iterator[Callable[..., AdminClient]]:
    """A factory: ``native_app()`` -> an `AdminClient` with ``.ids`` (first row id per
    table); every call starts from empty, freshly seeded tables."""
    stack = contextlib.ExitStack()
    clients: list[AdminClient] = []

    def factory(*views: Any) -> AdminClient:
        stack.enter_context(fresh_tables(db_url, *SCHEMA, ExtraModel.metadata,
                                         SecurityModel.metadata))
        engine = init_db(db_url)
        if engine.dialect.name == "sqlite":
            fast_sqlite(engine)
        app = FastAPI()
        admin = Admin(app, auth_backend=BACKEND, secret_key="security-suite-secret")
        admin.templates.env.bytecode_cache = BYTECODE_CACHE
        for view in views or NATIVE_VIEWS:
            admin.add_view(view)
        client = AdminClient(app, admin, engine)
        client.__enter__()
        clients.append(client)
        with client.db() as db:
            client.ids = seed_native(db)
        return client

    try:
        yield factory
    finally:
        for client in clients:
            client.__exit__(None, None, None)
            client.engine.dispose()
        fx_db._engine = fx_db._session_factory = None
        fx_listing._COUNT_CACHE.clear()
        stack.close()


@pytest.fixture
def demo_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Any]]:
    """A factory for the demo (examples/demo) on a fresh SQLite file; jobs run inline."""
    from ..core.test_demo import demo_module

    monkeypatch.delenv("DATABASE_URL", raising=False)
    clients: list[TestClient] = []

    def factory() -> TestClient:
        app_module, tasks = demo_module("app"), demo_module("tasks")
        runner = tasks.TaskRunner(delay=0, inline=True)
        app = app_module.create_app(f"sqlite:///{tmp_path}/demo.db", task_runner=runner)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
    get_engine().dispose()
    fx_db._engine = fx_db._session_factory = None


@pytest.fixture
def shop_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Any]]:
    """A factory for the legacy shop (compat views, FileAdmin) on a fresh SQLite file."""
    from examples.legacy_shop.app import create_app

    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.delenv("SHOP_MAINTENANCE", raising=False)
    clients: list[TestClient] = []

    def factory() -> TestClient:
        app = create_app(f"sqlite:///{tmp_path}/shop.db")
        (tmp_path / "uploads" / "notes.txt").write_text("hello")
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
        client.app.state.flask_admin_compat.index_view.session.get_bind().dispose()
