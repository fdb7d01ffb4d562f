"""`CRUDView.login_required = False` (an open view, as Flask-Admin's are: `is_accessible`
alone decides) and `Admin(app, session_factory=...)` (the sessions of views without their own).
Both are what ``fasthx-migrate native`` writes for views it converts from Flask-Admin."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from fasthx_core import Admin, CRUDView


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "open_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


class OpenNotes(CRUDView):
    model = Note
    name = "open"
    login_required = False


class Restricted(OpenNotes):
    name = "restricted"
    allowed_users = ("ann",)


class Closed(CRUDView):
    model = Note
    name = "closed"


class Refusing(OpenNotes):
    name = "refusing"

    def is_accessible(self, request, user):
        return False


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTH_DISABLED", raising=False)
    engine = create_engine(f"sqlite:///{tmp_path}/open.db")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(Note.__table__.insert(), [{"text": "hello"}])
    app = FastAPI()
    admin = Admin(app, session_factory=sessionmaker(bind=engine), secret_key="x" * 32)
    for view in (OpenNotes, Restricted, Closed, Refusing):
        admin.add_view(view)
    with TestClient(app) as c:
        yield c
    engine.dispose()


def test_an_open_view_serves_anonymous_users_from_the_admins_sessions(client):
    page = client.get("/open")
    assert page.status_code == 200 and "hello" in page.text


def test_open_views_still_check_csrf(client):
    assert client.post("/open/1/delete").status_code == 403


def test_restrictions_and_is_accessible_still_apply(client):
    assert client.get("/restricted").status_code == 403  # allowed_users, no user
    assert client.get("/refusing").status_code == 403


def test_views_require_a_login_by_default(client):
    page = client.get("/closed", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]


def test_a_session_object_as_the_admins_source_gives_new_sessions_on_its_engine(tmp_path,
                                                                              monkeypatch):
    from sqlalchemy.orm import Session

    monkeypatch.delenv("AUTH_DISABLED", raising=False)
    engine = create_engine(f"sqlite:///{tmp_path}/one.db")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(Note.__table__.insert(), [{"text": "from a Session"}])
    handed = Session(engine)  # what Flask-Admin views are often given
    app = FastAPI()
    Admin(app, session_factory=handed, secret_key="x" * 32).add_view(OpenNotes)
    with TestClient(app) as client:
        assert "from a Session" in client.get("/open").text
    assert not handed.in_transaction()  # each request had a session of its own
    handed.close()
    engine.dispose()
