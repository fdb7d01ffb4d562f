from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from .models import Base, Post, User


@pytest.fixture
def db(db_url):
    """A seeded plain Session on SQLite, PostgreSQL or MariaDB (the suite's `db_url`)."""
    from dbservers import fresh_tables

    with fresh_tables(db_url, Base.metadata):
        engine = create_engine(db_url)
        if engine.dialect.name == "sqlite":
            @event.listens_for(engine, "connect")
            def _fast(conn, _):
                conn.execute("PRAGMA synchronous=OFF")

        session = sessionmaker(bind=engine)()
        users = [User(name=f"user{i:02}", email=f"u{i}@example.org", active=i % 2 == 0)
                 for i in range(30)]
        session.add_all(users)
        session.flush()
        session.add_all([Post(title=f"post {i}", user=users[i % 3]) for i in range(5)])
        session.commit()
        try:
            yield session
        finally:
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
