"""How teams attach the admin to a Flask app: ``Admin(app)`` or ``Admin()`` then
``init_app(app)`` (an app factory), under ``/admin`` or another URL."""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker

from flask_admin_compat import Admin, BaseView, expose
from flask_admin_compat.contrib.sqla import ModelView


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "hosting_notes"
    id = Column(Integer, primary_key=True)
    text = Column(String(100), nullable=False)


class HelloView(BaseView):
    @expose("/")
    def index(self):
        return f"hello {request.args.get('who', 'nobody')}"  # flask.request in user code


def factory_app(tmp_path) -> tuple[Flask, Admin]:
    engine = create_engine(f"sqlite:///{tmp_path}/notes.db")
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(bind=engine))
    session.add(Note(text="first note"))
    session.commit()
    admin = Admin(name="Later", url="/manage")  # made before the app, as in an app factory
    admin.add_view(ModelView(Note, session))
    admin.add_view(HelloView(name="Hello", endpoint="hello"))
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"

    @app.route("/")
    def home():
        return "home"

    admin.init_app(app)
    return app, admin


def test_init_app_mounts_the_admin_under_its_url(tmp_path):
    app, _admin = factory_app(tmp_path)
    client = app.test_client()
    assert client.get("/").get_data(as_text=True) == "home"
    assert client.get("/admin/").status_code == 404  # not the admin's URL: Flask answers
    page = client.get("/manage/note/")
    assert page.status_code == 200 and "first note" in page.get_data(as_text=True)
    assert client.get("/manage/hello/?who=flask").get_data(as_text=True) == "hello flask"
    assert client.get("/manage/").status_code == 200


def test_flask_url_for_reaches_views_of_an_admin_made_before_the_app(tmp_path):
    app, _admin = factory_app(tmp_path)
    with app.test_request_context("/"):
        from flask import url_for

        assert url_for("note.index_view") == "/manage/note/"
        assert url_for("note.edit_view", id=1) == "/manage/note/edit/?id=1"
        assert url_for("hello.index", who="x") == "/manage/hello/?who=x"
        assert app.extensions["admin"][0].url == "/manage"


def test_menu_links_to_flask_endpoints_resolve_when_a_page_is_drawn(tmp_path):
    from flask_admin_compat.menu import MenuLink

    engine = create_engine(f"sqlite:///{tmp_path}/notes.db")
    Base.metadata.create_all(engine)
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"
    admin = Admin(app, name="Links")
    admin.add_view(ModelView(Note, scoped_session(sessionmaker(bind=engine))))
    # added before the route exists, outside any request: as module-level setup does
    admin.add_link(MenuLink("Sign out", endpoint="logout", category="Account"))
    admin.add_link(MenuLink("Docs", url="https://docs.example.org/"))

    @app.route("/bye")
    def logout():
        return "bye"

    client = app.test_client()
    for url in ("/admin/", "/admin/note/"):
        page = client.get(url).get_data(as_text=True)
        assert 'href="/bye"' in page and "Sign out" in page, url
        assert 'href="https://docs.example.org/"' in page, url
