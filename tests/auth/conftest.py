"""Fixtures of the auth tests: a live OIDC provider, and the admin served by uvicorn.

Both run on 127.0.0.1 on free ports in threads of this process and talk real HTTP over the
loopback; the tests drive them with an httpx client that follows the redirects between them
the way a browser does (cookies per host, the session cookie signed by the admin).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import ForeignKey, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker
from starlette.requests import Request

from fasthx_core import Admin, CRUDView
from fasthx_core.oidc import OIDCBackend

from .provider import Provider

ALLOWED = "admins,staff"


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "auth_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))

    def __str__(self) -> str:
        return self.title


class Secret(Base):
    __tablename__ = "auth_secrets"
    __admin_name__ = "Secrets"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("auth_notes.id"))
    note: Mapped[Note | None] = relationship()


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    p = Provider()
    p.start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture(autouse=True)
def _provider_reset(provider: Provider) -> Iterator[None]:
    yield
    provider.fault = None
    provider.access_token_lifetime = 300
    provider.logouts.clear()
    provider.token_requests.clear()


@pytest.fixture
def secrets_file(provider: Provider, tmp_path: Path) -> Path:
    path = tmp_path / "client_secrets.json"
    path.write_text(json.dumps(provider.client_secrets()))
    return path


@pytest.fixture
def oidc_env(monkeypatch: pytest.MonkeyPatch, secrets_file: Path) -> Path:
    """Real logins against the provider: OIDC_SECRETS and ALLOWED_GROUPS set."""
    monkeypatch.delenv("AUTH_DISABLED", raising=False)
    monkeypatch.setenv("OIDC_SECRETS", str(secrets_file))
    monkeypatch.setenv("ALLOWED_GROUPS", ALLOWED)
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "Test Keycloak")
    for name in ("OIDC_FLOWS", "OIDC_ISSUER", "OIDC_DISCOVERY_URL", "OIDC_REDIRECT_URI"):
        monkeypatch.delenv(name, raising=False)
    return secrets_file


class Served:
    """uvicorn serving an ASGI app on a free loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class AdminSite:
    """The served admin: its URL, the FastAPI app, the Admin and a browser-like client."""

    def __init__(self, url: str, app: FastAPI, admin: Admin, ids: dict[str, int]) -> None:
        self.url = url
        self.app = app
        self.admin = admin
        self.ids = ids
        self.client = httpx.Client(base_url=url, follow_redirects=True, timeout=20)

    def new_client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=True, timeout=20)


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[Callable[..., AdminSite]]:
    """``make_site(*views, backend=None)``: the admin (Notes, Secrets) with `backend` (default:
    `OIDCBackend()` from the environment), served by uvicorn on a fresh SQLite file."""
    started: list[tuple[Served, AdminSite]] = []
    engine = create_engine(f"sqlite:///{tmp_path}/auth.db")
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine)
    with factory() as db:
        note = Note(title="first note")
        db.add(note)
        db.flush()
        secret = Secret(label="launch codes", note_id=note.id)
        db.add(secret)
        db.commit()
        ids = {"note": note.id, "secret": secret.id}

    def make(*views: type[CRUDView], backend: Any = None) -> AdminSite:
        app = FastAPI()
        admin = Admin(app, title="Auth tests", secret_key="auth-tests-secret",
                      auth_backend=backend if backend is not None else OIDCBackend())
        for view in views or default_views():
            view.session_factory = factory
            admin.add_view(view)
        served = Served(app)
        site = AdminSite(served.url, app, admin, ids)
        started.append((served, site))
        return site

    try:
        yield make
    finally:
        for served, site in started:
            site.client.close()
            served.stop()
        engine.dispose()


def default_views() -> tuple[type[CRUDView], ...]:
    class NoteView(CRUDView):
        model = Note

    class SecretView(CRUDView):
        model = Secret
        allowed_groups = ["admins"]

        @CRUDView.endpoint("/{name}/{item_id}/reveal", methods=["POST"])
        async def reveal(self, request: Request, item_id: str) -> dict[str, str]:
            return {"revealed": str(item_id)}

    return NoteView, SecretView
