"""starlette-admin over the benchmark file (uvicorn, one process)."""

from __future__ import annotations

from sqlalchemy import create_engine
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette_admin.contrib.sqla import Admin, ModelView

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented

Customer, Order = build()
# how it labels a related row (the others use __str__)
Customer.__admin_repr__ = lambda self, request: self.name
engine = create_engine(DB_URL, connect_args={"check_same_thread": False})
counter = StatementCounter(engine) if instrumented() else None


def sql_count(_request: object) -> PlainTextResponse:
    return PlainTextResponse(str(counter.take() if counter else -1))


app = Starlette(routes=[Route("/__sqlcount", sql_count)])
admin = Admin(engine, title="Bench")


class CustomerAdmin(ModelView):
    page_size = PAGE_SIZE
    fields_default_sort = ["id"]


class OrderAdmin(ModelView):
    page_size = PAGE_SIZE
    fields_default_sort = ["id"]
    fields = ["id", "number", "customer", "status", "amount", "note", "created_at"]


admin.add_view(CustomerAdmin(Customer))
admin.add_view(OrderAdmin(Order))
admin.mount_to(app)
