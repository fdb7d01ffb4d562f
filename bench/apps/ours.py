"""Our admin over the benchmark file: ``BENCH_FACE=native`` (CRUDView classes) or ``compat``
(flask_admin_compat ModelViews on the FastAPI host), the same columns and page size either way.
``BENCH_COUNT_MODE`` (exact/estimate/none) sets the native views' count mode."""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented
from fasthx_core import CRUDView, init_db

os.environ.setdefault("AUTH_DISABLED", "1")
FACE = os.environ.get("BENCH_FACE", "native")
COUNT_MODE = os.environ.get("BENCH_COUNT_MODE", "exact")

Customer, Order = build()
engine = init_db(DB_URL)
counter = StatementCounter(engine) if instrumented() else None
app = FastAPI()


def native() -> None:
    from fasthx_core import Admin

    admin = Admin(app, title="Bench")

    class CustomerView(CRUDView):
        model = Customer
        page_size = PAGE_SIZE
        newest_first = False
        count_mode = COUNT_MODE

    class OrderView(CRUDView):
        model = Order
        page_size = PAGE_SIZE
        newest_first = False
        count_mode = COUNT_MODE

    admin.add_view(CustomerView)
    admin.add_view(OrderView)


def compat() -> None:
    from sqlalchemy.orm import scoped_session

    from fasthx_core.db import get_session_factory
    from flask_admin_compat import Admin
    from flask_admin_compat.contrib.sqla import ModelView

    session = scoped_session(get_session_factory())
    admin = Admin(app, name="Bench")

    class CustomerAdmin(ModelView):
        page_size = PAGE_SIZE
        simple_list_pager = COUNT_MODE == "none"
        count_mode = COUNT_MODE  # the engine's option, accepted on compat views too

    class OrderAdmin(ModelView):
        page_size = PAGE_SIZE
        simple_list_pager = COUNT_MODE == "none"
        count_mode = COUNT_MODE

    admin.add_view(CustomerAdmin(Customer, session))
    admin.add_view(OrderAdmin(Order, session))


{"native": native, "compat": compat}[FACE]()


@app.get("/__sqlcount")
def sql_count() -> PlainTextResponse:
    return PlainTextResponse(str(counter.take() if counter else -1))
