"""sqladmin over the benchmark file (uvicorn, one process)."""

from __future__ import annotations

from sqladmin import Admin, ModelView
from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented

Customer, Order = build()
engine = create_engine(DB_URL, connect_args={"check_same_thread": False})
counter = StatementCounter(engine) if instrumented() else None


def sql_count(_request: object) -> PlainTextResponse:
    return PlainTextResponse(str(counter.take() if counter else -1))


app = Starlette(routes=[Route("/__sqlcount", sql_count)])
admin = Admin(app, engine)


class CustomerAdmin(ModelView, model=Customer):
    page_size = PAGE_SIZE
    column_list = [Customer.id, Customer.name, Customer.email, Customer.city,
                   Customer.created_at]
    column_default_sort = [(Customer.id, False)]


class OrderAdmin(ModelView, model=Order):
    page_size = PAGE_SIZE
    column_list = [Order.id, Order.number, Order.customer, Order.status, Order.amount,
                   Order.note, Order.created_at]
    column_default_sort = [(Order.id, False)]


admin.add_view(CustomerAdmin)
admin.add_view(OrderAdmin)
