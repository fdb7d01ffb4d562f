"""Listing: columns, default and explicit sort (column index, ``desc=1``), 0-based paging."""

from __future__ import annotations

import pytest

from .conftest import module_pair

listing = module_pair("listing")  # apps/listing.py


def page_rows(url):
    return lambda side: [tuple(sorted(r.cells.items())) for r in side.get(url).rows]


def ids(url):
    return lambda side: side.get(url).ids


def column(url, name):
    return lambda side: side.get(url).column(name)


def filled(url, name, pages=5):
    """The non-empty values of a column over every page (what NULL placement leaves alike)."""
    def probe(side):
        sep = "&" if "?" in url else "?"
        values = [v for p in range(pages) for v in side.get(f"{url}{sep}page={p}").column(name)]
        return [v for v in values if v]
    return probe


CHECKS = {
    "header columns": lambda s: s.get("/admin/product/").header,
    "sortable columns": lambda s: s.get("/admin/product/").sortable,
    "sortable columns (sortable list)": lambda s: s.get("/admin/byprice/").sortable,
    "default columns (display pk, exclude)": lambda s: s.get("/admin/plain/").header,
    "default columns of a related model": lambda s: s.get("/admin/maker/").header,
    "page 0 rows": page_rows("/admin/product/"),
    "page 1 ids": ids("/admin/product/?page=1"),
    "page 2 ids (last, partial)": ids("/admin/product/?page=2"),
    "page beyond the last": ids("/admin/product/?page=9"),
    "negative page": ids("/admin/product/?page=-1"),
    "non-numeric page": ids("/admin/product/?page=abc"),
    "sort by name": column("/admin/product/?sort=0", "name"),
    "sort by name desc": column("/admin/product/?sort=0&desc=1", "name"),
    "sort by price (ties) values": column("/admin/product/?sort=2", "price"),
    "sort by price desc values": column("/admin/product/?sort=2&desc=1", "price"),
    "sort by bool values": column("/admin/product/?sort=3", "in_stock"),
    "sort by date with NULLs": column("/admin/product/?sort=4", "released"),
    "sort by date desc with NULLs": column("/admin/product/?sort=4&desc=1", "released"),
    "sort by enum values": column("/admin/product/?sort=5", "kind"),
    "sort by date, dated rows over all pages": filled("/admin/product/?sort=4", "released", 3),
    "sort by date desc, dated rows over all pages": filled("/admin/product/?sort=4&desc=1",
                                                           "released", 3),
    "sort by enum, rows with a kind over all pages": filled("/admin/product/?sort=5", "kind", 3),
    "sort by related name, rows with a maker": filled("/admin/byprice/?sort=2", "maker.name"),
    "sort by relation column index (not sortable)": ids("/admin/product/?sort=6"),
    "sort index out of range": ids("/admin/product/?sort=42"),
    "sort by page 1 desc": column("/admin/product/?sort=0&desc=1&page=1", "name"),
    "default sort (price desc) values": column("/admin/byprice/", "price"),
    "default sort page 3 values": column("/admin/byprice/?page=3", "price"),
    "sort by related name (sortable tuple)": column("/admin/byprice/?sort=2", "maker.name"),
    "related name cells": column("/admin/byprice/?sort=0", "maker.name"),
    "default sort by name (string)": column("/admin/maker/", "name"),
    "pk column shown": column("/admin/plain/", "id"),
    "page_size ignored without can_set_page_size": ids("/admin/product/?page_size=5"),
    "relation cells (str of related)": column("/admin/product/", "maker"),
    "default sort on two columns": ids("/admin/twokeys/"),
    "page_size from the options": ids("/admin/twokeys/?page_size=10"),
    "page_size not in the options": ids("/admin/twokeys/?page_size=7"),
    "page_size and page": ids("/admin/twokeys/?page_size=10&page=2"),
    "simple pager page 2": ids("/admin/simple/?page=2"),
    "simple pager last page": ids("/admin/simple/?page=3"),
}


@pytest.mark.parametrize("check", CHECKS)
def test_listing(listing, check):
    listing.same(check, CHECKS[check])
