"""Filters: ``column_filters`` by name (string, int, bool, date, enum, a relation, a related
column), addressed as Flask-Admin numbers them (``flt<pos>_<index>``) and, with
``named_filter_urls``, by name; filter objects from ``contrib.sqla.filters``; bad values."""

from __future__ import annotations

import pytest

from .conftest import module_pair

# Flask-Admin's filter indices for ProductView.column_filters (what its own UI links to):
# name 0-6, price 7-13, in_stock 14-15, released 16-22, kind 23-27,
# maker -> maker.name 28-34 and maker.country 35-41, "maker.name" 42-48, sku 49-55
NAME, PRICE, STOCK, RELEASED, KIND, MAKER_NAME, MAKER_COUNTRY, DOTTED, SKU = (
    0, 7, 14, 16, 23, 28, 35, 42, 49)
OPS = {"string": ("contains", "not_contains", "equals", "not_equal", "empty", "in_list",
                  "not_in_list"),
       "number": ("equals", "not_equal", "greater", "smaller", "empty", "in_list",
                  "not_in_list"),
       "date": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
       "enum": ("equals", "not_equal", "empty", "in_list", "not_in_list"),
       "bool": ("equals", "not_equal")}


flt = module_pair("filters")  # apps/filters.py


def op(base, kind, name):
    return base + OPS[kind].index(name)


def ids(query, view="product"):
    return lambda side: side.get(f"/admin/{view}/?{query}").ids


CHECKS = {
    "string contains": ids(f"flt0_{op(NAME, 'string', 'contains')}=red"),
    "string not contains": ids(f"flt0_{op(NAME, 'string', 'not_contains')}=red"),
    "string equals": ids(f"flt0_{op(NAME, 'string', 'equals')}=Fox apple 08"),
    "string not equal (nullable column)": ids(f"flt0_{op(SKU, 'string', 'not_equal')}=SKU-000"),
    "string not contains (nullable column)": ids(
        f"flt0_{op(SKU, 'string', 'not_contains')}=SKU-00"),
    "string empty": ids(f"flt0_{op(SKU, 'string', 'empty')}=1"),
    "string not empty": ids(f"flt0_{op(SKU, 'string', 'empty')}=0"),
    "string in list": ids(f"flt0_{op(SKU, 'string', 'in_list')}=SKU-001,SKU-004"),
    "string not in list (nullable)": ids(f"flt0_{op(SKU, 'string', 'not_in_list')}=SKU-001"),
    "int equals": ids(f"flt0_{op(PRICE, 'number', 'equals')}=37"),
    "int not equal": ids(f"flt0_{op(PRICE, 'number', 'not_equal')}=37"),
    "int greater": ids(f"flt0_{op(PRICE, 'number', 'greater')}=80"),
    "int smaller": ids(f"flt0_{op(PRICE, 'number', 'smaller')}=10"),
    "int in list": ids(f"flt0_{op(PRICE, 'number', 'in_list')}=0,11,48"),
    "int not in list": ids(f"flt0_{op(PRICE, 'number', 'not_in_list')}=0,11,48"),
    "int bad value ignored": ids(f"flt0_{op(PRICE, 'number', 'equals')}=abc"),
    "bool equals yes": ids(f"flt0_{STOCK}=1"),
    "bool equals no": ids(f"flt0_{STOCK}=0"),
    "bool not equal yes": ids(f"flt0_{STOCK + 1}=1"),
    "date equals": ids(f"flt0_{op(RELEASED, 'date', 'equals')}=2020-01-12"),
    "date not equal (nullable)": ids(f"flt0_{op(RELEASED, 'date', 'not_equal')}=2020-01-12"),
    "date greater": ids(f"flt0_{op(RELEASED, 'date', 'greater')}=2021-01-01"),
    "date smaller": ids(f"flt0_{op(RELEASED, 'date', 'smaller')}=2020-03-01"),
    "date between": ids(f"flt0_{op(RELEASED, 'date', 'between')}=2020-02-01+to+2020-05-01"),
    "date not between (nullable)": ids(
        f"flt0_{op(RELEASED, 'date', 'not_between')}=2020-02-01+to+2021-05-01"),
    "date empty": ids(f"flt0_{op(RELEASED, 'date', 'empty')}=1"),
    "date bad value ignored": ids(f"flt0_{op(RELEASED, 'date', 'equals')}=yesterday"),
    "enum equals (by name)": ids(f"flt0_{op(KIND, 'enum', 'equals')}=GAME"),
    "enum not equal (nullable)": ids(f"flt0_{op(KIND, 'enum', 'not_equal')}=GAME"),
    "enum empty": ids(f"flt0_{op(KIND, 'enum', 'empty')}=1"),
    "enum in list": ids(f"flt0_{op(KIND, 'enum', 'in_list')}=BOOK,TOOL"),
    "relation: related name contains": ids(f"flt0_{op(MAKER_NAME, 'string', 'contains')}=glob"),
    "relation: related name equals": ids(f"flt0_{op(MAKER_NAME, 'string', 'equals')}=Acme"),
    "relation: related country equals": ids(
        f"flt0_{op(MAKER_COUNTRY, 'string', 'equals')}=UK"),
    "relation: related country empty": ids(f"flt0_{op(MAKER_COUNTRY, 'string', 'empty')}=1"),
    "dotted related column contains": ids(f"flt0_{op(DOTTED, 'string', 'contains')}=umb"),
    "two filters combined": ids(f"flt0_{op(PRICE, 'number', 'greater')}=50"
                                f"&flt1_{STOCK}=1"),
    "two filters on one column": ids(f"flt0_{op(PRICE, 'number', 'greater')}=20"
                                     f"&flt1_{op(PRICE, 'number', 'smaller')}=60"),
    "filter with search-less sort": ids(f"flt0_{STOCK}=1&sort=2&desc=1"),
    "unknown filter index ignored": ids("flt0_999=1"),
    "named: name contains": ids("flt0_name_contains=red", "named"),
    "named: price greater than": ids("flt0_price_greater_than=80", "named"),
    "named: in stock equals": ids("flt0_in_stock_equals=0", "named"),
    "named: released between": ids("flt0_released_between=2020-02-01+to+2020-05-01", "named"),
    "named: kind in list": ids("flt0_kind_in_list=BOOK,GAME", "named"),
    "named: maker name equals": ids("flt0_maker_maker_name_equals=Globex", "named"),
    "objects: like (index 0)": ids("flt0_0=berry", "objects"),
    "objects: int greater (index 1)": ids("flt0_1=90", "objects"),
    "objects: bool equals (index 2)": ids("flt0_2=0", "objects"),
    "objects: date between (index 3)": ids("flt0_3=2020-01-01+to+2020-02-15", "objects"),
    "objects: second filter on a column (index 4)": ids("flt0_4=37", "objects"),
}


@pytest.mark.parametrize("check", CHECKS)
def test_filters(flt, check):
    flt.same(check, CHECKS[check])
