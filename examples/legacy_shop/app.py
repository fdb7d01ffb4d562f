"""The legacy shop's admin, served by FastAPI through flask_admin_compat.

``python -m examples.legacy_shop`` serves it on http://127.0.0.1:8001 (``HOST``/``PORT``
override); the database is ``./legacy_shop.db`` unless ``DATABASE_URL`` names another.
Compared with the Flask-Admin original (see ORIGINAL.md) only the import lines, the lines
creating and serving the app object, and the templates folder (FastAPI has none of its own)
changed; ``views.py`` and ``models.py`` are the team's own code.  Sessions are signed with
``FASTHX_SECRET_KEY`` (Flask's ``SECRET_KEY``); without it a random key is used per process.
"""

import os
import tempfile
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

from flask_admin_compat import Admin
from flask_admin_compat.contrib.fileadmin import FileAdmin
from flask_admin_compat.contrib.sqla import ModelView

from .models import Base, Customer, Order, OrderLine, Product, Tag
from .seed import seed
from .views import (
    CustomerView,
    OrderLineView,
    OrderView,
    ProductView,
    SalesReportView,
    ShopIndexView,
)

DEFAULT_DATABASE_URL = "sqlite:///./legacy_shop.db"
TEMPLATES = Path(__file__).parent / "templates"


def create_app(database_url=None):
    engine = create_engine(database_url or os.environ.get("DATABASE_URL",
                                                          DEFAULT_DATABASE_URL))
    db_session = scoped_session(sessionmaker(bind=engine))
    Base.metadata.create_all(engine)
    seed(db_session)
    db_session.remove()

    app = FastAPI(title="Legacy shop")

    admin = Admin(app, name="Legacy Shop", template_mode="bootstrap4",
                  index_view=ShopIndexView(db_session, name="Dashboard"),
                  template_folders=[TEMPLATES])
    admin.add_view(CustomerView(Customer, db_session, category="Sales"))
    admin.add_view(OrderView(Order, db_session, category="Sales"))
    admin.add_view(OrderLineView(OrderLine, db_session, name="Order lines",
                                 category="Sales"))
    admin.add_view(ProductView(Product, db_session, category="Catalogue"))
    admin.add_view(ModelView(Tag, db_session, category="Catalogue"))
    admin.add_view(SalesReportView(db_session, name="Sales report", endpoint="reports",
                                   category="Reports"))
    uploads = Path(os.environ.get("UPLOADS_DIR")
                   or Path(tempfile.gettempdir()) / "legacy_shop_uploads")
    uploads.mkdir(parents=True, exist_ok=True)
    admin.add_view(FileAdmin(str(uploads), name="Uploads", category="Catalogue"))
    return app


def main():
    import uvicorn

    uvicorn.run(create_app(), host=os.environ.get("HOST", "127.0.0.1"),
                port=int(os.environ.get("PORT", "8001")))
