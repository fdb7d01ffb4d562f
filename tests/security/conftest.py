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
from fastapi.testclient import TestClient

import fasthx_core.db as fx_db
from fasthx_core import get_engine

from ..core.conftest import app_factory
from ..core.models import SCHEMA, ExtraModel
from ..core.support import AdminClient
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
    with app_factory(db_url, *SCHEMA, ExtraModel.metadata,
                     SecurityModel.metadata) as make_app:
        def factory(*views: Any) -> AdminClient:
            client = make_app(*(views or NATIVE_VIEWS), auth_backend=BACKEND,
                              secret_key="security-suite-secret")
            with client.db() as db:
                client.ids = seed_native(db)
            return client

        yield factory


@pytest.fixture
def demo_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Any]]:
    """A factory for the demo (examples/demo) on a fresh SQLite file; jobs run inline."""
    from ..core.test_demo import demo_client

    monkeypatch.delenv("DATABASE_URL", raising=False)
    with contextlib.ExitStack() as started:
        yield lambda: started.enter_context(demo_client(tmp_path / "demo.db"))
    get_engine().dispose()
    fx_db._engine = fx_db._session_factory = None


@pytest.fixture
def shop_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Any]]:
    """A factory for the legacy shop (compat views, FileAdmin) on a fresh SQLite file."""
    from examples.legacy_shop.app import create_app

    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.delenv("SHOP_MAINTENANCE", raising=False)

    with contextlib.ExitStack() as started:
        def factory() -> TestClient:
            app = create_app(f"sqlite:///{tmp_path}/shop.db")
            (tmp_path / "uploads" / "notes.txt").write_text("hello")
            # after the client stops (callbacks run last in, first out): the shop's engine
            started.callback(app.state.flask_admin_compat.index_view.session.get_bind().dispose)
            return started.enter_context(TestClient(app))

        yield factory
