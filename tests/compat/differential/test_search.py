"""Search: ``column_searchable_list`` over own and related columns, several words, Flask-Admin's
``^`` (starts with) and ``=`` (exact) prefixes, LIKE wildcards taken literally, with paging and
sort."""

from __future__ import annotations

import pytest

from .conftest import module_pair

search = module_pair("search")  # apps/search.py


def ids(url):
    return lambda side: side.get(url).ids


def names(url):
    return lambda side: side.get(url).column("name")


CHECKS = {
    "one word": ids("/admin/product/?search=berry"),
    "case-insensitive": ids("/admin/product/?search=RED"),
    "two words (all must match)": ids("/admin/product/?search=red+01"),
    "words in any column": ids("/admin/product/?search=apple+SKU-0"),
    "related column": ids("/admin/product/?search=globex"),
    "no result": ids("/admin/product/?search=zebra"),
    "page 1 of a search": ids("/admin/product/?search=e&page=1"),
    "search and sort desc": names("/admin/product/?search=e&sort=0&desc=1"),
    "surrounding spaces": ids("/admin/product/?search=++fox++"),
    "percent is literal": ids("/admin/notes/?search=100%25"),
    "underscore is literal": ids("/admin/notes/?search=n_b"),
    "underscore in data": ids("/admin/notes/?search=on_b"),
    "starts with (^)": names("/admin/maker/?search=%5Eum"),
    "exact (=)": names("/admin/maker/?search=%3Dacme"),
    "exact (=) on a substring": names("/admin/maker/?search=%3Dacm"),
    "search a nullable column": names("/admin/maker/?search=u"),
    "empty search": ids("/admin/product/?search="),
    "underscore as a wildcard": ids("/admin/product/?search=a_p"),
    "search box offered": lambda s: 'name="search"' in s.get("/admin/product/").text,
}


@pytest.mark.parametrize("check", CHECKS)
def test_search(search, check):
    search.same(check, CHECKS[check])
