"""fasthx-admin 0.6.6 over the benchmark file (uvicorn, one process; its venv pins a
Starlette before 1.0, which it needs)."""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fasthx_admin import Admin, Base, CRUDView, init_db
from starlette.middleware.sessions import SessionMiddleware

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented

os.environ.setdefault("AUTH_DISABLED", "1")
engine = init_db(DB_URL, connect_args={"check_same_thread": False})
counter = StatementCounter(engine) if instrumented() else None
Customer, Order = build(Base)

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="bench")


@app.get("/__sqlcount")
def sql_count() -> PlainTextResponse:
    return PlainTextResponse(str(counter.take() if counter else -1))


admin = Admin(app, title="Bench")


class CustomerView(CRUDView):
    model = Customer
    page_size = PAGE_SIZE
    column_list = ["id", "name", "email", "city", "created_at"]


class OrderView(CRUDView):
    model = Order
    page_size = PAGE_SIZE
    # a bare relationship name shows nothing here: its dotted form shows the customer's name
    column_list = ["id", "number", "customer.name", "status", "amount", "note", "created_at"]


admin.add_view(CustomerView)
admin.add_view(OrderView)
