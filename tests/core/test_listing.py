"""The list query layer on its own: query string -> `ListParams` -> `ListQuery` -> rows.

No HTTP here: a `ListSpec` says what may be searched, sorted, filtered and shown, and the
query runs on a plain SQLAlchemy session.  The tests that query run on SQLite, PostgreSQL and
MariaDB (`db_url`); the parsing tests need no database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, joinedload

from fasthx_core.columns import resolve
from fasthx_core.filters import build_filter
from fasthx_core.listing import MAX_PAGE, ListParams, ListQuery, ListResult, ListSpec

from .models import Customer, Device, Model, Status
from .support import SQLITE_ONLY, Fleet, seed_fleet

ALL = {"acme-edge-01", "acme-edge-02", "globex-core", "globex-lab-7", "initech-printer"}


def make_spec(*, columns: Sequence[str] = ("hostname", "status", "customer", "customer.name",
                                           "tags", "load"),
              searchable: Sequence[str] = ("hostname", "customer.name"),
              sortable: Sequence[str] = ("hostname", "load", "customer", "customer.name"),
              filters: Sequence[str] = (), page_size: int = 20, count_mode: str = "exact",
              default_sort: tuple[str, bool] | None = None,
              page_size_options: tuple[int, ...] = ()) -> ListSpec:
    """What a view would resolve from its column_* attributes, spelled out by hand."""
    return ListSpec(
        model=Device,
        columns=[resolve(Device, k) for k in columns],
        searchable=[resolve(Device, k) for k in searchable],
        sortable={k: resolve(Device, k) for k in sortable},
        filters={k: build_filter(resolve(Device, k)) for k in filters},
        default_sort=default_sort, page_size=page_size,
        page_size_options=page_size_options, count_mode=count_mode)


def parse(spec: ListSpec, query_string: str) -> ListParams:
    return ListParams.parse(spec, parse_qsl(query_string, keep_blank_values=True))


def run(db: Session, spec: ListSpec, query_string: str = "") -> tuple[ListResult, ListParams]:
    params = parse(spec, query_string)
    return ListQuery(spec, params).run(db), params


def hostnames(result: ListResult) -> list[str]:
    return [d.hostname for d in result.rows]


@pytest.fixture
def db(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def fleet(db: Session) -> Fleet:
    return seed_fleet(db)


# --- ListParams.parse: whitelisting and clamping -------------------------------------------

def test_unknown_sort_is_ignored_with_a_note() -> None:
    params = parse(make_spec(), "sort=password_hash&order=desc")
    assert params.sort is None
    assert params.notes == ["Ignored sort 'password_hash': not a sortable column"]


def test_sort_prefix_and_order_parameter() -> None:
    spec = make_spec()
    assert (parse(spec, "sort=-hostname").sort, parse(spec, "sort=-hostname").desc) == \
        ("hostname", True)
    assert parse(spec, "sort=load&order=desc").desc is True
    assert parse(spec, "sort=load&order=sideways").desc is False


def test_default_sort_applies_when_no_sort_is_asked() -> None:
    spec = make_spec(default_sort=("load", True))
    params = parse(spec, "")
    assert (params.sort, params.desc) == ("load", True)


@pytest.mark.parametrize(("query", "page"), [
    ("page=-1", 1), ("page=0", 1), ("page=abc", 1), ("page=", 1), ("page=3", 3),
    (f"page={10**12}", MAX_PAGE),
])
def test_page_is_clamped(query: str, page: int) -> None:
    assert parse(make_spec(), query).page == page


@pytest.mark.parametrize(("query", "size"), [
    ("page_size=lots", 20), ("page_size=0", 1), ("page_size=7", 7), ("page_size=999999", 500),
])
def test_page_size_is_clamped(query: str, size: int) -> None:
    assert parse(make_spec(), query).page_size == size


def test_page_size_options_whitelist_sizes() -> None:
    spec = make_spec(page_size=20, page_size_options=(10, 50))
    assert parse(spec, "page_size=50").page_size == 50
    assert parse(spec, "page_size=13").page_size == 20


def test_query_items_keep_the_state_for_links() -> None:
    spec = make_spec(filters=["status"])
    params = parse(spec, "q=acme&sort=hostname&order=desc&flt0_status_equals=online&page=2")
    assert params.query_items(page=3) == [
        ("q", "acme"), ("sort", "hostname"), ("order", "desc"),
        ("flt0_status_equals", "online"), ("page", "3")]


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "expected"), [
    ("acme", {"acme-edge-01", "acme-edge-02"}),
    ("ACME", {"acme-edge-01", "acme-edge-02"}),
    ("corp", {"acme-edge-01", "acme-edge-02"}),  # only in customer.name "Acme Corp"
    ("acme 02", {"acme-edge-02"}),  # every term must match somewhere
    ("lab globex", {"globex-lab-7"}),
    ("nothing-like-this", set()),
    ("", ALL),
])
def test_search_across_columns_and_a_relation_column(db: Session, fleet: Fleet, q: str,
                                                     expected: set[str]) -> None:
    result, _ = run(db, make_spec(), f"q={q}")
    assert set(hostnames(result)) == expected
    assert result.total == len(expected)


def test_search_escapes_like_wildcards(db: Session, fleet: Fleet) -> None:
    acme = fleet.customers["Acme Corp"]
    for host in ("100%-load", "1000-load", "a_b", "axb", "rack/1", "rack1"):
        db.add(Device(hostname=host, customer=acme))
    db.commit()
    spec = make_spec()
    assert hostnames(run(db, spec, "q=%25")[0]) == ["100%-load"]
    assert hostnames(run(db, spec, "q=_")[0]) == ["a_b"]
    assert hostnames(run(db, spec, "q=rack/")[0]) == ["rack/1"]


def test_search_through_a_to_many_column_never_duplicates_rows(db: Session,
                                                               fleet: Fleet) -> None:
    spec = make_spec(searchable=["hostname", "tags.name"])
    result, _ = run(db, spec, "q=a")  # in hostnames, and in the tags "lab" (twice) ...
    assert sorted(hostnames(result)) == sorted(ALL - {"globex-core"})
    assert result.total == 4
    result, _ = run(db, spec, "q=prod")
    assert set(hostnames(result)) == {"acme-edge-01", "initech-printer"}


# --- filters, one operation per type -------------------------------------------------------

FILTERABLE = ["hostname", "description", "status", "load", "price", "installed_on",
              "last_seen", "maintenance_at", "active", "customer", "customer.name", "tags"]

FILTER_CASES = [
    # strings
    ("flt_hostname_contains", "edge", {"acme-edge-01", "acme-edge-02"}),
    ("flt_hostname_not_contains", "acme", {"globex-core", "globex-lab-7", "initech-printer"}),
    ("flt_hostname_equals", "globex-core", {"globex-core"}),
    ("flt_hostname_not_equal", "globex-core", ALL - {"globex-core"}),
    ("flt_hostname_in_list", "globex-core, initech-printer", {"globex-core", "initech-printer"}),
    ("flt_description_empty", "1", ALL - {"initech-printer"}),
    ("flt_description_empty", "0", {"initech-printer"}),
    # enums, by value or by member name
    ("flt_status_equals", "online", {"acme-edge-01", "globex-lab-7"}),
    ("flt_status_equals", "maintenance", {"globex-core"}),
    ("flt_status_not_equal", "offline", {"acme-edge-01", "globex-core", "globex-lab-7"}),
    ("flt_status_in_list", "online,maintenance", {"acme-edge-01", "globex-core", "globex-lab-7"}),
    ("flt_status_empty", "1", set()),
    # numbers (Float and Numeric)
    ("flt_load_greater", "1", {"acme-edge-02", "globex-lab-7"}),
    ("flt_load_smaller", "1", {"acme-edge-01", "initech-printer"}),
    ("flt_load_between", "0.4,1.3", {"acme-edge-01", "globex-lab-7"}),
    ("flt_load_equals", "2.5", {"acme-edge-02"}),
    ("flt_load_not_equal", "2.5", ALL - {"acme-edge-02"}),
    ("flt_load_in_list", "0.5,2.5", {"acme-edge-01", "acme-edge-02"}),
    ("flt_load_empty", "1", {"globex-core"}),
    ("flt_price_greater", "200", {"acme-edge-02"}),
    # dates, date-times, times
    ("flt_installed_on_between", "2024-01-01,2024-12-31", {"acme-edge-01", "acme-edge-02"}),
    ("flt_installed_on_greater", "2024-02-01", {"acme-edge-02"}),
    ("flt_installed_on_smaller", "2024-01-01", {"globex-lab-7"}),
    ("flt_installed_on_equals", "2024-01-10", {"acme-edge-01"}),
    ("flt_installed_on_empty", "1", {"globex-core", "initech-printer"}),
    ("flt_last_seen_greater", "2024-05-15T00:00", {"acme-edge-01"}),
    ("flt_maintenance_at_smaller", "03:00", {"acme-edge-01"}),
    # booleans
    ("flt_active_equals", "0", {"acme-edge-02"}),
    ("flt_active_equals", "yes", ALL - {"acme-edge-02"}),
    ("flt_active_not_equal", "1", {"acme-edge-02"}),
    # a foreign key (by the related row's primary key) and a column across it
    ("flt_customer_equals", "{acme}", {"acme-edge-01", "acme-edge-02"}),
    ("flt_customer_not_equal", "{acme}", {"globex-core", "globex-lab-7", "initech-printer"}),
    ("flt_customer_in_list", "{globex},{initech}",
     {"globex-core", "globex-lab-7", "initech-printer"}),
    ("flt_customer_empty", "0", ALL),
    ("flt_customer.name_contains", "glob", {"globex-core", "globex-lab-7"}),
    # many-to-many (by the members' primary keys)
    ("flt_tags_equals", "{lab}", {"globex-lab-7", "initech-printer"}),
    ("flt_tags_in_list", "{lab},{edge}",
     {"acme-edge-01", "acme-edge-02", "globex-lab-7", "initech-printer"}),
    ("flt_tags_not_equal", "{prod}", {"acme-edge-02", "globex-core", "globex-lab-7"}),
    ("flt_tags_empty", "1", {"globex-core"}),
    ("flt_tags_empty", "0", ALL - {"globex-core"}),
    # several filters combine with AND; an index keeps two on one column apart
    ("flt0_load_greater", "0.1", {"acme-edge-01", "acme-edge-02", "globex-lab-7"}),
]


def _ids(fleet: Fleet) -> dict[str, int]:
    return {"acme": fleet.customers["Acme Corp"].id, "globex": fleet.customers["Globex"].id,
            "initech": fleet.customers["Initech"].id,
            **{name: tag.id for name, tag in fleet.tags.items()}}


@pytest.mark.parametrize(("param", "value", "expected"), FILTER_CASES,
                         ids=[f"{p}={v}" for p, v, _ in FILTER_CASES])
def test_filter_operations(db: Session, fleet: Fleet, param: str, value: str,
                           expected: set[str]) -> None:
    spec = make_spec(filters=FILTERABLE)
    result, params = run(db, spec, f"{param}={value.format(**_ids(fleet))}")
    assert params.notes == []
    assert len(params.filters) == 1
    assert set(hostnames(result)) == expected
    assert result.total == len(expected)


def test_filters_combine_with_and(db: Session, fleet: Fleet) -> None:
    spec = make_spec(filters=FILTERABLE)
    result, _ = run(db, spec, "flt0_load_greater=0.1&flt1_load_smaller=2&flt_status_equals=online")
    assert set(hostnames(result)) == {"acme-edge-01", "globex-lab-7"}


BAD_FILTERS = [
    ("flt_load_greater=zz", "Ignored filter on Load: expected a number"),
    ("flt_load_greater=nan", "Ignored filter on Load: expected a finite number"),
    ("flt_load_between=1", "Ignored filter on Load: expected two values: from,to"),
    ("flt_installed_on_greater=yesterday",
     "Ignored filter on Installed On: expected a date (YYYY-MM-DD)"),
    ("flt_active_equals=maybe", "Ignored filter on Active: expected yes or no"),
    ("flt_status_equals=exploded", "Ignored filter on Status: not one of the choices"),
    ("flt_customer_equals=abc", "Ignored filter on Customer: expected a whole number"),
    (f"flt_customer_equals={10**20}", "Ignored filter on Customer: number out of range"),
    ("flt_secret_equals=1", "Ignored filter on 'secret': not a filterable column"),
    ("flt_active_greater=1", "Ignored filter on Active: 'greater' is not offered"),
    ("flt_whatever=1", "Ignored filter 'flt_whatever': not a filter parameter"),
]


@pytest.mark.parametrize(("query", "note"), BAD_FILTERS, ids=[q for q, _ in BAD_FILTERS])
def test_bad_filter_values_are_ignored_with_a_note(db: Session, fleet: Fleet, query: str,
                                                   note: str) -> None:
    result, params = run(db, make_spec(filters=FILTERABLE), query)
    assert params.filters == []
    assert params.notes == [note]
    assert set(hostnames(result)) == ALL


def test_empty_filter_values_are_skipped_silently() -> None:
    params = parse(make_spec(filters=FILTERABLE), "flt_hostname_contains=&flt_load_greater=")
    assert params.filters == [] and params.notes == []


# --- sorting -------------------------------------------------------------------------------

def test_sort_by_column_ascending_and_descending(db: Session, fleet: Fleet) -> None:
    spec = make_spec()
    assert hostnames(run(db, spec, "sort=hostname")[0]) == sorted(ALL)
    assert hostnames(run(db, spec, "sort=hostname&order=desc")[0]) == sorted(ALL, reverse=True)
    loads = [d.load for d in run(db, spec, "sort=load&order=desc")[0].rows]
    assert loads[:4] == [2.5, 1.25, 0.5, 0.0]


def test_sort_by_a_dotted_relation_column(db: Session, fleet: Fleet) -> None:
    spec = make_spec()
    rows = run(db, spec, "sort=customer.name&order=desc")[0].rows
    assert [d.customer.name for d in rows] == ["Initech", "Globex", "Globex", "Acme Corp",
                                                "Acme Corp"]
    rows = run(db, spec, "sort=customer.name")[0].rows
    assert [d.customer.name for d in rows][0] == "Acme Corp"


def test_empty_values_sort_last_in_both_directions(db: Session, fleet: Fleet) -> None:
    """Databases disagree on where NULL sorts (PostgreSQL: as the largest value); the list
    puts empty cells last whichever way it is sorted, the same on every backend."""
    spec = make_spec(sortable=["load", "customer.email"])
    assert [d.load for d in run(db, spec, "sort=load")[0].rows] == [0.0, 0.5, 1.25, 2.5, None]
    assert [d.load for d in run(db, spec, "sort=-load")[0].rows] == [2.5, 1.25, 0.5, 0.0, None]
    by_email = [d.hostname for d in run(db, spec, "sort=customer.email")[0].rows]
    assert by_email == ["initech-printer", "acme-edge-01", "acme-edge-02", "globex-core",
                        "globex-lab-7"]  # Globex has no email: last
    by_email = [d.hostname for d in run(db, spec, "sort=-customer.email")[0].rows]
    assert by_email == ["acme-edge-02", "acme-edge-01", "initech-printer", "globex-lab-7",
                        "globex-core"]
    # the same when SQLAlchemy wraps the page in a subquery (a joined collection with LIMIT)
    joined = make_spec(columns=["hostname", "load"], sortable=["load"])
    base = select(Device).options(joinedload(Device.tags))
    for order, loads in (("asc", [0.0, 0.5, 1.25, 2.5, None]),
                         ("desc", [2.5, 1.25, 0.5, 0.0, None])):
        params = parse(joined, f"sort=load&order={order}")
        assert [d.load for d in ListQuery(joined, params, base=base).run(db).rows] == loads


def test_enums_sort_in_declaration_order(db: Session, fleet: Fleet) -> None:
    """PostgreSQL and MariaDB sort native enums by declaration; SQLite stores text: the list
    sorts by declaration (online, offline, maintenance) everywhere."""
    spec = make_spec(sortable=["status"])
    statuses = [d.status for d in run(db, spec, "sort=status")[0].rows]
    assert statuses == [Status.online, Status.online, Status.offline, Status.offline,
                        Status.maintenance]
    statuses = [d.status for d in run(db, spec, "sort=-status")[0].rows]
    assert statuses[0] is Status.maintenance and statuses[-1] is Status.online


def test_unsorted_list_shows_newest_rows_first(db: Session, fleet: Fleet) -> None:
    result, _ = run(db, make_spec())
    assert [d.id for d in result.rows] == sorted((d.id for d in result.rows), reverse=True)


# --- paging and counting -------------------------------------------------------------------

def test_exact_count_and_pages(db: Session, fleet: Fleet) -> None:
    spec = make_spec(page_size=2)
    first, _ = run(db, spec, "sort=hostname")
    assert (first.total, first.pages, first.has_next, first.has_prev) == (5, 3, True, False)
    last, _ = run(db, spec, "sort=hostname&page=3")
    assert hostnames(last) == ["initech-printer"]
    assert (last.has_next, last.has_prev) == (False, True)


def test_a_page_past_the_end_shows_the_last_page(db: Session, fleet: Fleet) -> None:
    result, _ = run(db, make_spec(page_size=2), f"sort=hostname&page={10**12}")
    assert result.page == 3
    assert hostnames(result) == ["initech-printer"]


def test_the_deepest_page_without_a_count_is_empty_not_an_error(db: Session,
                                                                fleet: Fleet) -> None:
    spec = make_spec(page_size=500, count_mode="none")  # OFFSET ~5 * 10**11: a BIGINT
    result, params = run(db, spec, f"page={MAX_PAGE}&page_size=500")
    assert params.page == MAX_PAGE
    assert result.rows == [] and result.has_next is False


def test_count_mode_none_skips_the_count_and_peeks_one_row_ahead(db: Session,
                                                                 fleet: Fleet) -> None:
    spec = make_spec(page_size=2, count_mode="none")
    first, _ = run(db, spec, "sort=hostname")
    assert first.total is None and first.pages is None
    assert first.has_next is True and len(first.rows) == 2
    last, _ = run(db, spec, "sort=hostname&page=3")
    assert last.has_next is False and hostnames(last) == ["initech-printer"]
    exact_fit, _ = run(db, make_spec(page_size=5, count_mode="none"))
    assert exact_fit.has_next is False and len(exact_fit.rows) == 5


@SQLITE_ONLY
def test_count_mode_estimate_on_sqlite_counts_once_then_reuses_it(db: Session,
                                                                  fleet: Fleet) -> None:
    spec = make_spec(page_size=2, count_mode="estimate")
    first, _ = run(db, spec)
    assert (first.total, first.total_is_estimate) == (5, False)
    db.add(Device(hostname="new-one", customer=fleet.customers["Globex"]))
    db.commit()
    again, _ = run(db, spec)
    assert (again.total, again.total_is_estimate) == (5, True)  # cached: "about 5"
    assert again.has_next is True
    filtered, _ = run(db, make_spec(count_mode="estimate", filters=["status"]),
                      "flt_status_equals=online")
    assert (filtered.total, filtered.total_is_estimate) == (2, False)  # filters count exactly


def _analyze(db: Session, table: str) -> None:
    """Refresh the statistics the estimate reads."""
    mysql = db.get_bind().dialect.name in ("mysql", "mariadb")
    db.execute(text(f"{'ANALYZE TABLE' if mysql else 'ANALYZE'} {table}"))
    db.commit()


def test_count_mode_estimate_reads_the_statistics_of_the_database(db: Session,
                                                                  fleet: Fleet) -> None:
    """PostgreSQL: ``pg_class.reltuples``; MariaDB: ``information_schema.tables``; SQLite:
    an exact count, cached.  Filtered lists always count exactly."""
    on_server = db.get_bind().dialect.name != "sqlite"
    _analyze(db, "devices")
    spec = make_spec(page_size=2, count_mode="estimate")
    first, _ = run(db, spec)
    assert (first.total, first.total_is_estimate) == (5, on_server)
    assert first.has_next and len(first.rows) == 2
    last, _ = run(db, spec, "page=3")
    assert hostnames(last) == ["acme-edge-01"] and last.has_next is False
    filtered, _ = run(db, make_spec(count_mode="estimate", filters=["status"]),
                      "flt_status_equals=online")
    assert (filtered.total, filtered.total_is_estimate) == (2, False)


def test_an_estimate_below_the_rows_seen_is_raised_to_them(db: Session, fleet: Fleet) -> None:
    """Statistics lag behind inserts; the pager never claims fewer rows than it has shown."""
    _analyze(db, "devices")
    acme = fleet.customers["Acme Corp"]
    db.add_all([Device(hostname=f"late-{i}", customer_id=acme.id) for i in range(6)])
    db.commit()
    first, _ = run(db, make_spec(page_size=20, count_mode="estimate"))
    assert len(first.rows) == 11
    assert first.total is not None and first.total >= 11


def test_a_count_base_statement_is_used_for_the_count(db: Session, fleet: Fleet) -> None:
    spec = make_spec()
    params = parse(spec, "")
    acme_only = select(Device).where(Device.customer_id == fleet.customers["Acme Corp"].id)
    result = ListQuery(spec, params, base=acme_only, count_base=acme_only).run(db)
    assert result.total == 2
    assert set(hostnames(result)) == {"acme-edge-01", "acme-edge-02"}


# --- no N+1 --------------------------------------------------------------------------------

def _many_devices(db: Session, n: int) -> None:
    customers = [Customer(name=f"Customer {i}") for i in range(5)]
    tags = list(db.scalars(select(Model.registry._class_registry["Tag"])))  # type: ignore
    for i in range(n):
        db.add(Device(hostname=f"host-{i:03}", status=Status.online,
                      customer=customers[i % 5], tags=tags[: i % 3 + 1]))
    db.commit()


def _statements_for_one_page(db: Session, spec: ListSpec, query_string: str) -> int:
    engine = db.get_bind()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    db.expunge_all()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result, _ = run(db, spec, query_string)
        for obj in result.rows:  # read every cell, as the table does
            for ref in spec.columns:
                ref.get_value(obj)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(result.rows) > 0
    return len(statements)


def test_a_list_page_runs_a_bounded_number_of_statements(db: Session, fleet: Fleet) -> None:
    _many_devices(db, 60)
    columns = ("hostname", "status", "customer", "customer.name", "tags", "tags.name")
    small = _statements_for_one_page(db, make_spec(columns=columns, page_size=5), "")
    large = _statements_for_one_page(db, make_spec(columns=columns, page_size=50), "")
    assert small == large
    assert large <= 4  # count + page (to-one joined) + one selectin per to-many path
    searched = _statements_for_one_page(
        db, make_spec(columns=columns, page_size=50, filters=["tags"]),
        f"q=host&sort=customer.name&flt_tags_equals={fleet.tags['lab'].id}")
    assert searched == large
