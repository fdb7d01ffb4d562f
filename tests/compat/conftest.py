from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from .models import Base, Post, User


@pytest.fixture
def db(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/compat.db")

    @event.listens_for(engine, "connect")
    def _fast(conn, _):
        conn.execute("PRAGMA synchronous=OFF")

    Base.metadata.create_all(engine)
    session = sessionmaker(bind=engine)()
    users = [User(name=f"user{i:02}", email=f"u{i}@example.org", active=i % 2 == 0)
             for i in range(30)]
    session.add_all(users)
    session.add_all([Post(title=f"post {i}", user=users[i % 3]) for i in range(5)])
    session.commit()
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def make_admin(db):
    """Build a FastAPI app with a compat Admin and the given views; return (admin, client)."""
    from flask_admin_compat import Admin

    def make(*views, **admin_kwargs):
        app = FastAPI()
        admin = Admin(app, name="Shop", **admin_kwargs)
        for view in views:
            admin.add_view(view)
        return admin, TestClient(app)

    return make


def csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
