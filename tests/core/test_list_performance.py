"""What keeps a list page cheap, checked on SQLite, PostgreSQL and MariaDB (`db_url`):

- keyset (seek) pagination: on the default order, the "next" link carries the last row's key
  (``after=``) and that page is read with ``WHERE key > :after`` and no OFFSET; the same rows
  as the offset page; page numbers without ``after`` and other orders still use OFFSET; a bad
  ``after`` is ignored with a note, never a 500;
- at most three SQL statements per list page whatever the page size and the FK columns shown
  (an SQLAlchemy event listener counts them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from fasthx_core import CRUDView
from fasthx_core.columns import resolve
from fasthx_core.listing import ListParams, ListQuery, ListSpec

from .models import Customer, Device, Status

ROWS = 45


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block."""
    seen: list[str] = []

    def one(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", one)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", one)


def skips_rows(sql: str, engine: Engine) -> bool:
    """Does this page statement skip rows (OFFSET; MariaDB's ``LIMIT skip, count``)?  SQLite
    always writes ``OFFSET ?`` (0 when seeking): there the statement tells nothing, and the
    rows compared with the offset page say it instead."""
    if engine.dialect.name == "sqlite":
        return "OFFSET" in sql.upper() and "LIMIT" in sql.upper() and not re.search(
            r"(>|<) \?", sql)
    return "OFFSET" in sql.upper() or bool(re.search(r"LIMIT \S+, ", sql))


def seed(db: Session) -> None:
    customers = [Customer(name=f"cust-{i:03}") for i in range(ROWS)]
    db.add_all(customers)
    db.flush()
    db.add_all(Device(hostname=f"host-{i:03}", status=Status.online, customer=customers[i % 7])
               for i in range(ROWS))
    db.commit()


def spec(**kw: Any) -> ListSpec:
    return ListSpec(model=Customer, columns=[resolve(Customer, "name")], searchable=[
        resolve(Customer, "name")], sortable={"name": resolve(Customer, "name"),
                                              "email": resolve(Customer, "email")},
                    filters={}, page_size=10, **kw)


def names(result: Any) -> list[str]:
    return [c.name for c in result.rows]


def run(engine: Engine, s: ListSpec, query: str) -> tuple[Any, list[str], ListParams]:
    params = ListParams.parse(s, [tuple(p.split("=", 1)) for p in query.split("&") if p])
    with Session(engine) as db, statements(engine) as sql:
        result = ListQuery(s, params).run(db)
    return result, sql, params


def test_next_page_seeks_by_key_and_matches_the_offset_page(db_engine: Engine) -> None:
    with Session(db_engine) as db:
        seed(db)
    for newest_first in (True, False):
        s = spec(newest_first=newest_first)
        first, _, _ = run(db_engine, s, "")
        assert first.next_after is not None and not first.keyset
        offset_page, offset_sql, _ = run(db_engine, s, "page=2")
        seek_page, seek_sql, _ = run(db_engine, s, f"page=2&after={first.next_after}")
        assert seek_page.keyset and not offset_page.keyset
        assert names(seek_page) == names(offset_page) and len(names(seek_page)) == 10
        assert ">" in seek_sql[-1] or "<" in seek_sql[-1]
        assert skips_rows(offset_sql[-1], db_engine) and not skips_rows(seek_sql[-1], db_engine)
        # walk every page by its "next" link: all rows once, in order, the last one has no next
        seen, after, page = [], None, 1
        while True:
            query = f"page={page}" + (f"&after={after}" if after else "")
            result, _, _ = run(db_engine, s, query)
            seen += names(result)
            if not result.has_next:
                assert result.next_after is None
                break
            after, page = result.next_after, page + 1
        assert sorted(seen, reverse=newest_first) == seen and len(set(seen)) == ROWS


def test_unique_default_sort_column_seeks_too(db_engine: Engine) -> None:
    with Session(db_engine) as db:
        seed(db)
    s = spec(default_sort=("name", True))
    first, _, _ = run(db_engine, s, "")
    assert first.next_after == names(first)[-1]  # the key is the unique name itself
    seek_page, sql, _ = run(db_engine, s, f"page=2&after={first.next_after}")
    offset_page, _, _ = run(db_engine, s, "page=2")
    assert seek_page.keyset and names(seek_page) == names(offset_page)
    assert not skips_rows(sql[-1], db_engine)


def test_other_orders_and_bad_positions_fall_back_to_offset(db_engine: Engine) -> None:
    with Session(db_engine) as db:
        seed(db)
    s = spec()
    # a non-unique (nullable) sort column: never seeks, `after` is left alone
    result, sql, _ = run(db_engine, s, "sort=email&page=2&after=5")
    assert not result.keyset and result.next_after is None and skips_rows(sql[-1], db_engine)
    offset_page, _, _ = run(db_engine, s, "page=3")
    for bad in ("x", "9" * 40, "1.5", "%00"):
        result, _, params = run(db_engine, s, f"page=3&after={bad}")
        assert not result.keyset and names(result) == names(offset_page)
        assert any("after" in note for note in params.notes)
    # page 1 never seeks, whatever `after` says
    result, _, _ = run(db_engine, s, "after=10")
    assert not result.keyset and result.page == 1


class CustomerView(CRUDView):
    model = Customer
    page_size = 10


class DeviceView(CRUDView):
    model = Device
    column_list = ["hostname", "status", "customer", "customer.name", "customer.email"]
    page_size_options = (10, 45)


def test_next_link_carries_the_seek_position_over_http(make_app: Any) -> None:
    client = make_app(CustomerView)
    with client.db() as db:
        seed(db)
    page = client.get("/customers")
    link = re.search(r'href="(/customers\?page=2&amp;after=(\d+))"', page.text)
    assert link, "the Next link carries after="
    second = client.get(link.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert second.text.count('name="ids"') == 10
    for bad in ("x", "", "-1", "9" * 400, "%00", "%ff"):
        assert client.get(f"/customers?page=2&after={bad}").status_code == 200


def test_list_page_runs_at_most_three_statements(make_app: Any) -> None:
    client = make_app(DeviceView)
    with client.db() as db:
        seed(db)
    for query in ("", "?page_size=45", "?page=2", "?sort=customer", "?q=host",
                  "?sort=customer.name&order=desc"):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "list-results"}):
            with statements(client.engine) as sql:
                page = client.get("/devices" + query, headers=headers)
            assert page.status_code == 200
            assert "cust-" in page.text  # the FK column is shown
            assert len(sql) <= 3, (query, sql)


def test_count_is_plain_and_search_ignores_case_without_lower(db_engine: Engine) -> None:
    """The count has no ORDER BY and no subquery; the search matches whatever the case, with
    the database's own case-insensitive LIKE where it has one (no ``lower()`` on SQLite or
    PostgreSQL; MySQL/MariaDB keep it for case-sensitive collations)."""
    with Session(db_engine) as db:
        seed(db)
    result, sql, _ = run(db_engine, spec(), "q=CUST-00")
    assert result.total == 10 and all(n.startswith("cust-00") for n in names(result))
    count = next(s for s in sql if "count(" in s.lower())
    assert "ORDER BY" not in count.upper() and count.upper().count("SELECT") == 1
    dialect = db_engine.dialect.name
    if dialect in ("sqlite", "postgresql"):
        assert all("lower(" not in s.lower() for s in sql)
        assert any(("ILIKE" if dialect == "postgresql" else "LIKE") in s.upper() for s in sql)
