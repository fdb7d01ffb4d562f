"""CSV export: columns (``column_export_list``/``column_export_exclude_list``, labels), value
rendering per type, ``column_formatters_export``, the list's search/filter/sort carried into the
export, ``export_max_rows``, and refusals (``can_export`` off, an unknown type)."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import module_pair

export = module_pair("export")  # apps/export.py


def table(url):
    """The CSV at `url` as rows of cells (or the status when it is not a CSV)."""
    def probe(side):
        page = side.get(url)
        if page.status != 200 or "csv" not in page.content_type:
            return {"status": page.status, "location": page.location}
        return list(csv.reader(io.StringIO(page.text)))
    return probe


def header(url):
    return lambda side: table(url)(side)[0]


def column(url, index):
    return lambda side: [row[index] for row in table(url)(side)[1:]]


CHECKS = {
    "header (labels)": header("/admin/product/export/csv/"),
    "row count": lambda s: len(table("/admin/product/export/csv/")(s)),
    "text, number and NULL cells": lambda s: [r[:3] for r in table(
        "/admin/product/export/csv/")(s)[:12]],
    "boolean cells": column("/admin/product/export/csv/", 3),
    "date cells": column("/admin/product/export/csv/", 4),
    "enum cells": column("/admin/product/export/csv/", 5),
    "relation cells": column("/admin/product/export/csv/", 6),
    "search carried": table("/admin/product/export/csv/?search=red"),
    "filter and sort carried": column("/admin/product/export/csv/?flt0_2=60&sort=2&desc=1", 0),
    "export list, related column, formatter": table("/admin/chosen/export/csv/"),
    "export_max_rows": lambda s: len(table("/admin/chosen/export/csv/")(s)) - 1,
    "export exclude list": header("/admin/excluded/export/csv/"),
    "export link offered": lambda s: s.get("/admin/product/").offers("/export/csv/"),
    "no export link without can_export": lambda s: s.get("/admin/noexport/").offers("/export/"),
    "can_export off": lambda s: table("/admin/noexport/export/csv/")(s)["status"] >= 300,
    "unknown export type": lambda s: table("/admin/product/export/xls/")(s)["status"] >= 300,
}


@pytest.mark.parametrize("check", CHECKS)
def test_export(export, check):
    export.same(check, CHECKS[check])
