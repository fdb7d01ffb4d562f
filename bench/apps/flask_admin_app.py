"""Flask-Admin 2.2.1 over the benchmark file (served by gunicorn, one sync worker)."""

from __future__ import annotations

from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented

Customer, Order = build()
engine = create_engine(DB_URL, connect_args={"check_same_thread": False})
counter = StatementCounter(engine) if instrumented() else None
session = scoped_session(sessionmaker(bind=engine))

app = Flask(__name__)
app.secret_key = "bench"
admin = Admin(app, name="Bench")


class CustomerAdmin(ModelView):
    page_size = PAGE_SIZE
    column_default_sort = "id"


class OrderAdmin(ModelView):
    page_size = PAGE_SIZE
    column_default_sort = "id"
    column_list = ["id", "number", "customer", "status", "amount", "note", "created_at"]


admin.add_view(CustomerAdmin(Customer, session))
admin.add_view(OrderAdmin(Order, session))


@app.teardown_appcontext
def _remove_session(_exc: object) -> None:
    session.remove()


@app.route("/__sqlcount")
def sql_count() -> str:
    return str(counter.take() if counter else -1)
