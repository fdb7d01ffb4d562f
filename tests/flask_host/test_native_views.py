"""Porting one view at a time inside the Flask app: a native `CRUDView` added to the migrated
shop's admin shares its sidebar, its Flask-Login users and Flask-SQLAlchemy's session."""

from __future__ import annotations

from pathlib import Path

from fasthx_core import CRUDView

from .conftest import load, page_token


def shop_with_native_view(migrated_dir: Path, tmp_path: Path):
    module = load("fasthx", migrated_dir)
    app = module.create_app(f"sqlite:///{tmp_path}/shop.db")
    models = __import__(module.__name__.rsplit(".", 1)[0] + ".models", fromlist=["db"])

    class AuditView(CRUDView):
        model = models.AuditEntry
        name = "audit"
        display_name = "Audit log"
        session_factory = models.db.session  # Flask-SQLAlchemy's request session
        allowed_groups = []

    admin = app.extensions["admin"][0]
    admin.add_view(AuditView)
    return app, models


def test_a_native_view_uses_the_flask_login_user_and_login_page(migrated_dir, tmp_path):
    app, models = shop_with_native_view(migrated_dir, tmp_path)
    client = app.test_client()
    refused = client.get("/admin/audit")
    assert refused.status_code == 303
    assert refused.headers["Location"].startswith("/login?next=/admin/audit")
    client.post("/login", data={"username": "admin", "password": "admin"})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Audit log" in page
    assert "/admin/audit" in client.get("/admin/product/").get_data(as_text=True)  # sidebar


def test_a_native_view_saves_through_flask_sqlalchemy(migrated_dir, tmp_path):
    app, models = shop_with_native_view(migrated_dir, tmp_path)
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "admin"})
    token = page_token(client.get("/admin/audit/create").get_data(as_text=True))
    saved = client.post("/admin/audit/create", data={"text": "ported", "csrf_token": token})
    assert saved.status_code in (302, 303), saved.get_data(as_text=True)[:500]
    with app.app_context():
        assert [a.text for a in models.AuditEntry.query] == ["ported"]
    assert dict(models.db.session.registry.registry) == {}
