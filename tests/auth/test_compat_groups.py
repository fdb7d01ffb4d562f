"""``allowed_groups`` on a Flask-Admin compat view (a fasthx extension): the groups of the
admin's OIDC user hide it from the menu and refuse every one of its routes."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from fasthx_core.oidc import OIDCBackend

from .conftest import Base, Note, Secret, Served
from .flows import code_login


@pytest.fixture
def compat_site(oidc_env, tmp_path):
    from flask_admin_compat import Admin
    from flask_admin_compat.contrib.sqla import ModelView

    class SecretAdmin(ModelView):
        allowed_groups = ["admins"]
        can_export = True

    engine = create_engine(f"sqlite:///{tmp_path}/compat.db")
    Base.metadata.create_all(engine)
    session = sessionmaker(engine)()
    note = Note(title="compat note")
    session.add_all([note, Secret(label="compat secret", note=note)])
    session.commit()
    app = FastAPI()
    admin = Admin(app, name="Compat", auth_backend=OIDCBackend(), secret_key="compat-secret")
    admin.add_view(ModelView(Note, session, name="Notes"))
    admin.add_view(SecretAdmin(Secret, session, name="Secrets"))
    served = Served(app)
    try:
        yield served.url, app
    finally:
        served.stop()
        session.close()
        engine.dispose()


def all_routes(routes: list) -> list[APIRoute]:
    """The app's routes, those of included routers too."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += all_routes(route.original_router.routes)
    return found


def secret_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes = []
    for route in all_routes(app.routes):
        if route.path.startswith("/admin/secret/"):
            url = re.sub(r"\{[^}]+\}", "1", route.path)
            routes += [(m, url) for m in sorted(route.methods)]
    return routes


def test_compat_view_with_allowed_groups(compat_site) -> None:
    url, app = compat_site
    with httpx.Client(base_url=url, follow_redirects=True, timeout=20) as anonymous:
        page = anonymous.get("/admin/secret/")
        assert urlsplit_path(page.url) == "/admin/login"  # anonymous: log in first
    with httpx.Client(base_url=url, follow_redirects=True, timeout=20) as bob:
        page = code_login(bob, "bob", "bob-pw", "/admin/note/", prefix="/admin")
        assert page.status_code == 200 and "compat note" in page.text
        assert 'href="/admin/note/"' in page.text and 'href="/admin/secret/"' not in page.text
        routes = secret_routes(app)
        assert len(routes) >= 8
        for method, path in routes:
            response = bob.request(method, path, follow_redirects=False)
            assert response.status_code == 403, (method, path, response.status_code)
            assert "compat secret" not in response.text
    with httpx.Client(base_url=url, follow_redirects=True, timeout=20) as alice:
        page = code_login(alice, "alice", "alice-pw", "/admin/secret/", prefix="/admin")
        assert page.status_code == 200 and "compat secret" in page.text
        assert 'href="/admin/secret/"' in page.text


def urlsplit_path(url: httpx.URL) -> str:
    return url.path
