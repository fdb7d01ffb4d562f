"""The bare limit: a plain Starlette app that runs each page's queries with SQLAlchemy Core
and renders a minimal Jinja2 table or form.  No admin framework: what a page costs at least."""

from __future__ import annotations

import math

import jinja2
from sqlalchemy import create_engine, func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from bench.apps.models import DB_URL, PAGE_SIZE, StatementCounter, build, instrumented

Customer, Order = build()
customers, orders = Customer.__table__, Order.__table__
engine = create_engine(DB_URL, connect_args={"check_same_thread": False})
counter = StatementCounter(engine) if instrumented() else None

env = jinja2.Environment(autoescape=True)
TABLE = env.from_string("""<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ total }} rows, page {{ page }} of {{ pages }}</p>
<table><thead><tr>{% for c in cols %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for r in rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table></body></html>""")
FORM = env.from_string("""<!doctype html><html><head><title>{{ title }}</title></head><body>
<form method="post">{% for k, v in fields %}<label>{{ k }}
<input name="{{ k }}" value="{{ v }}"></label>{% endfor %}<button>Save</button></form>
</body></html>""")


def _page(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def _list(request: Request, table, columns, title, join=None):  # noqa: ANN001
    page = _page(request)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(table)).scalar_one()
        stmt = select(*columns)
        if join is not None:
            stmt = stmt.select_from(join)
        rows = conn.execute(stmt.order_by(table.c.id).limit(PAGE_SIZE)
                            .offset((page - 1) * PAGE_SIZE)).all()
    html = TABLE.render(title=title, total=total, page=page,
                        pages=math.ceil(total / PAGE_SIZE), cols=[c.name for c in columns],
                        rows=rows)
    return HTMLResponse(html)


def customer_list(request: Request) -> HTMLResponse:
    return _list(request, customers, list(customers.c), "Customers")


def order_list(request: Request) -> HTMLResponse:
    cols = [orders.c.id, orders.c.number, customers.c.name, orders.c.status, orders.c.amount,
            orders.c.note, orders.c.created_at]
    return _list(request, orders, cols, "Orders",
                 join=orders.join(customers, orders.c.customer_id == customers.c.id))


def customer_edit(request: Request) -> HTMLResponse:
    with engine.connect() as conn:
        row = conn.execute(select(customers).where(
            customers.c.id == int(request.path_params["id"]))).one()
    return HTMLResponse(FORM.render(title="Edit customer", fields=row._mapping.items()))


def order_edit(request: Request) -> HTMLResponse:
    with engine.connect() as conn:
        row = conn.execute(select(orders, customers.c.name.label("customer")).join(
            customers, orders.c.customer_id == customers.c.id).where(
            orders.c.id == int(request.path_params["id"]))).one()
    return HTMLResponse(FORM.render(title="Edit order", fields=row._mapping.items()))


def sql_count(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(counter.take() if counter else -1))


app = Starlette(routes=[
    Route("/customers", customer_list), Route("/orders", order_list),
    Route("/customers/{id:int}/edit", customer_edit), Route("/orders/{id:int}/edit", order_edit),
    Route("/__sqlcount", sql_count),
])
