"""The list query: query-string parameters -> one SQL page of rows, and how many there are.

Pure SQLAlchemy: no Request here.  A `ListSpec` is made once per view (what may be searched,
sorted, filtered and shown); `ListParams.parse` reads a query string against it, ignoring
anything not whitelisted; `ListQuery` turns both into at most three statements (count, page,
and one selectin load per to-many column shown).

Deep pages: on the default order, when its key is one unique, indexed, non-NULL column (the
primary key, or a unique default sort column), the "next" link carries the last row's key as
``after=`` and the page is read with ``WHERE key > :after`` (keyset, or seek, pagination: as
fast on page 2,000 as on page 1).  A page number without ``after`` (typed in, or any other
order) is read with OFFSET, as before; an ``after`` that does not parse is ignored with a note.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from sqlalchemy import Select, UniqueConstraint, case, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from .columns import ColumnRef
from .filters import ActiveFilter, FilterDef, parse_filter_params, search_match

MAX_PAGE = 10**9
MAX_SEARCH = 200
MAX_SEEK = 200  # characters of an ``after=`` seek value
MAX_KEPT_STATEMENTS = 64  # per view (`ListSpec.statements`)
COUNT_MODES = ("exact", "estimate", "none")


@dataclass
class ListSpec:
    """Everything a view allows the list to do, resolved once at start-up."""

    model: type
    columns: list[ColumnRef]
    searchable: list[ColumnRef]
    sortable: dict[str, ColumnRef]
    filters: dict[str, FilterDef]
    default_sort: tuple[str, bool] | None = None  # (key, descending)
    then_sort: tuple[tuple[ColumnRef, bool], ...] = ()  # break the default sort's ties
    page_size: int = 20
    page_size_options: tuple[int, ...] = ()
    max_page_size: int = 500
    count_mode: str = "exact"
    newest_first: bool = True  # with no sort: primary key descending (else ascending)
    search_prefixes: bool = False  # ``^word`` starts with, ``=word`` exact (`search_match`)
    # statements of unfiltered lists, built once per base and sort (`ListQuery`): building
    # them is a good part of a list request's CPU time
    statements: dict[tuple[Any, ...], Select] = field(default_factory=dict, repr=False,
                                                      compare=False)


@dataclass
class ListParams:
    """Validated list parameters; `notes` tells the user what was ignored and why."""

    q: str = ""
    sort: str | None = None
    desc: bool = False
    page: int = 1
    page_size: int = 20
    filters: list[ActiveFilter] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    default_sorted: bool = False  # the sort is the view's default (its `then_sort` applies)
    after: str | None = None  # keyset: the previous page's last key (raw; checked by ListQuery)
    next_after: str | None = None  # keyset: what the "next" link carries (set after the query)

    @property
    def order(self) -> str:
        return "desc" if self.desc else "asc"

    @classmethod
    def parse(cls, spec: ListSpec, items: Iterable[tuple[str, str]]) -> ListParams:
        items = list(items)
        data: Mapping[str, str] = {}
        for k, v in items:
            data.setdefault(k, v)  # type: ignore[attr-defined]
        p = cls(page_size=spec.page_size)
        p.q = search_text(data.get("q") or data.get("search") or "")
        sort = data.get("sort")
        if sort:
            desc_prefix = sort.startswith("-")
            key = sort[1:] if desc_prefix else sort
            if key in spec.sortable:
                p.sort, p.desc = key, desc_prefix
            else:
                p.notes.append(f"Ignored sort {key[:60]!r}: not a sortable column")
        order = (data.get("order") or "").lower()
        if order in ("asc", "desc") and p.sort:
            p.desc = order == "desc"
        if p.sort is None and spec.default_sort:
            p.sort, p.desc = spec.default_sort
            p.default_sorted = True
        p.page = _int_in(data.get("page"), 1, 1, MAX_PAGE)
        after = data.get("after")
        if after and p.page > 1:
            p.after = after[:MAX_SEEK]
        wanted = _int_in(data.get("page_size"), spec.page_size, 1, spec.max_page_size)
        if spec.page_size_options:
            if wanted in spec.page_size_options or wanted == spec.page_size:
                p.page_size = wanted
        elif "page_size" in data:
            p.page_size = wanted
        parsed = parse_filter_params(items, spec.filters)
        p.filters, p.notes = parsed.active, p.notes + parsed.errors
        return p

    def query_items(self, **changes: Any) -> list[tuple[str, str]]:
        """This state as query-string pairs (for links), with some values changed."""
        get = changes.get  # (a page asks for a dozen links: no intermediate dict)
        q, sort, page = get("q", self.q), get("sort", self.sort), get("page", self.page)
        page_size = get("page_size", self.page_size)
        out: list[tuple[str, str]] = []
        if q:
            out.append(("q", str(q)))
        if sort:
            out.append(("sort", str(sort)))
            out.append(("order", str(get("order", self.order))))
        for f in self.filters:
            out.append((f.param, f.raw))
        if page_size != get("_default_page_size", page_size):
            out.append(("page_size", str(page_size)))
        if int(page) > 1:
            out.append(("page", str(page)))
            if get("after"):
                out.append(("after", str(changes["after"])))
        return out


@functools.lru_cache(maxsize=4096)
def quote_text(text: str) -> str:
    """``quote_plus`` (what ``urlencode`` uses), memoized: a page quotes the same few strings
    (column names, the search, the return URL) many times."""
    return quote_plus(text)


def encode_items(items: Iterable[tuple[str, str]]) -> str:
    """``urlencode(items)`` for the text pairs of `ListParams.query_items`, with the quoting
    of each text memoized (a page writes a dozen links from the same few values)."""
    return "&".join([f"{quote_text(key)}={quote_text(value)}" for key, value in items])


def search_text(raw: str, limit: int = MAX_SEARCH) -> str:
    """A search box's text, ready for SQL: trimmed, bounded, without NUL characters (no
    stored text contains one, and PostgreSQL refuses them in a query)."""
    return raw.replace("\x00", "").strip()[:limit]


def _int_in(raw: str | None, default: int, lo: int, hi: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        return default
    return min(max(value, lo), hi)


@dataclass
class ListResult:
    rows: list[Any]
    page: int
    page_size: int
    total: int | None
    total_is_estimate: bool = False
    has_next: bool = False
    next_after: str | None = None  # keyset position of the next page (None: use the offset)
    keyset: bool = False  # this page was read by seeking, not by OFFSET

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1


class ListQuery:
    """Builds and runs the statements of one list page."""

    def __init__(self, spec: ListSpec, params: ListParams, *, base: Select | None = None,
                 count_base: Select | None = None, dialect: str | None = None) -> None:
        # `dialect` is informational: every dialect difference (case-insensitive search,
        # NULL and enum ordering) is settled when the statement is compiled for its database.
        self.spec, self.params, self.dialect = spec, params, dialect
        self.base = base if base is not None else select(spec.model)
        self.count_base = count_base
        # the statements of an unfiltered list are kept in the spec (`ListSpec.statements`)
        # under the base's structure, when it holds no value (no bound parameter: a base
        # scoped to this request's user or tenant is built again every time) and no
        # execution option, and the count is derived from it
        self._base_key: Any = None
        if base is None and count_base is None:
            self._base_key = "select(model)"
        elif count_base is None and not self.base._execution_options:
            found = self.base._generate_cache_key()
            if found is not None and not found.bindparams:
                self._base_key = found.key
        self._conditions: list[Any] | None = None
        self._seek: Any = False  # not worked out yet

    # -- WHERE -------------------------------------------------------------------------
    def conditions(self) -> list[Any]:
        """The WHERE conditions of search and filters (built once per query)."""
        if self._conditions is None:
            self._conditions = self._build_conditions()
        return self._conditions

    def _build_conditions(self) -> list[Any]:
        conds: list[Any] = []
        terms = [t for t in self.params.q.split() if t][:10]
        if terms and self.spec.searchable:
            for term in terms:
                conds.append(or_(*(
                    ref.where(search_match(ref.expression, term, self.spec.search_prefixes))
                    for ref in self.spec.searchable)))
        for f in self.params.filters:
            fdef = self.spec.filters[f.key]
            if fdef.apply is None:
                conds.append(fdef.condition(f.op, f.value, self.dialect))
        return conds

    def _custom(self, stmt: Select) -> Select:
        """Custom filters (``FilterDef.apply``) rewrite the statement themselves."""
        for f in self.params.filters:
            fdef = self.spec.filters[f.key]
            if fdef.apply is not None:
                stmt = fdef.apply(stmt, f.value)
        return stmt

    # -- ORDER BY ----------------------------------------------------------------------
    def _ordered(self, stmt: Select) -> Select:
        pk = list(_pk_cols(self.spec.model))
        order: list[Any] = []
        if self.params.sort:
            keys = [(self.spec.sortable[self.params.sort], self.params.desc)]
            if self.params.default_sorted:
                keys += self.spec.then_sort
            for ref, desc in keys:
                expr, stmt = self._sort_expression(ref, stmt)
                order.extend(order_terms(ref, expr, desc, self.dialect))
            order.extend(c.desc() if self.params.desc else c.asc() for c in pk)
        else:
            order.extend(c.desc() if self.spec.newest_first else c.asc() for c in pk)
        return stmt.order_by(*order)

    def _sort_expression(self, ref: ColumnRef, stmt: Select) -> tuple[Any, Select]:
        if not ref.path:
            if ref.is_relation:
                local = list(ref.prop.local_columns)
                return getattr(self.spec.model, local[0].key), stmt
            return ref.expression, stmt
        current: Any = self.spec.model
        for rel in ref.path:
            alias = aliased(rel.mapper.class_)
            stmt = stmt.outerjoin(alias, getattr(current, rel.key).of_type(alias))
            current = alias
        return getattr(current, ref.attr_name), stmt

    # -- keyset ------------------------------------------------------------------------
    def seek_key(self) -> tuple[Any, bool, type] | None:
        """(column attribute, descending, value type) when this order can be paged by
        seeking: the default order (primary key, or the default sort without tie-breakers),
        on one unique, indexed, non-NULL integer or text column; else None (use OFFSET)."""
        if self._seek is False:
            self._seek = self._seek_key()
        return self._seek

    def _seek_key(self) -> tuple[Any, bool, type] | None:
        p, spec = self.params, self.spec
        if p.sort is None:
            pk = list(_pk_cols(spec.model))
            if len(pk) != 1:
                return None
            attr, desc = pk[0], spec.newest_first
        elif p.default_sorted and not spec.then_sort:
            ref = spec.sortable[p.sort]
            if ref.path or not ref.is_column or ref.is_enum or not _unique_indexed(ref.column):
                return None
            attr, desc = ref.expression, p.desc
        else:
            return None
        column = attr.property.columns[0]
        try:
            kind = column.type.python_type
        except NotImplementedError:
            return None
        if kind not in (int, str) or (column.nullable and not column.primary_key):
            return None
        return attr, desc, kind

    def seek_value(self) -> Any:
        """The parsed ``after`` value, or None (no keyset page; a bad value adds a note)."""
        if self.params.after is None:
            return None
        key = self.seek_key()
        if key is None:
            return None
        try:
            value = key[2](self.params.after)
            if key[2] is int and not -(2**63) <= value < 2**63:  # beyond every BIGINT
                raise ValueError(value)
            return value
        except (TypeError, ValueError):
            self.params.notes.append("Ignored 'after': not a position in this list")
            return None

    # -- statements --------------------------------------------------------------------
    def _reusable(self) -> bool:
        """May this query's statements be kept in / taken from the spec?"""
        return self._base_key is not None and not self.conditions() and \
            not self.params.filters

    def _keep(self, key: tuple[Any, ...], stmt: Select) -> None:
        if len(self.spec.statements) >= MAX_KEPT_STATEMENTS:  # bases built anew each time
            self.spec.statements.clear()
        self.spec.statements[key] = stmt

    def rows_statement(self, *, limit: int, offset: int, after: Any = None) -> Select:
        p = self.params
        key = ("rows", self._base_key, self.dialect, p.sort, p.desc, p.default_sorted)
        stmt = self.spec.statements.get(key) if self._reusable() else None
        if stmt is None:
            stmt = self._ordered_rows()
            if self._reusable():
                self._keep(key, stmt)
        if after is not None:
            attr, desc, _ = self.seek_key()  # type: ignore[misc]
            stmt = stmt.where(attr < after if desc else attr > after)
            offset = 0
        elif not offset and self._reusable():  # the first page, the one asked for most
            first = self.spec.statements.get((*key, limit))
            if first is None:
                first = stmt.limit(limit)
                self._keep((*key, limit), first)
            return first
        return stmt.limit(limit).offset(offset) if offset else stmt.limit(limit)

    def _ordered_rows(self) -> Select:
        """The rows' statement without its page: conditions, order, eager loads."""
        conds = self.conditions()
        stmt = self.base.where(*conds) if conds else self.base
        stmt = self._ordered(self._custom(stmt))
        opts = [o for o in (ref.loader_option() for ref in self.spec.columns) if o is not None]
        return stmt.options(*opts) if opts else stmt

    def count_statement(self) -> Select:
        key = ("count", self._base_key)
        stmt = self.spec.statements.get(key) if self._reusable() else None
        if stmt is None:
            base = self.count_base if self.count_base is not None else self.base
            conds = self.conditions()
            if conds:
                base = base.where(*conds)
            base = self._custom(base)
            stmt = base.with_only_columns(func.count(), maintain_column_froms=True) \
                .order_by(None)
            if self._reusable():
                self._keep(key, stmt)
        return stmt

    def run(self, session: Session) -> ListResult:
        p = self.params
        if self.dialect is None:  # the ORDER BY is written for the session's database
            self.dialect = session.get_bind().dialect.name
        total: int | None = None
        estimate = False
        if self.spec.count_mode == "exact":
            total = int(session.execute(self.count_statement()).scalar() or 0)
        elif self.spec.count_mode == "estimate":
            if self.conditions() or self.params.filters or self.count_base is not None:
                total = int(session.execute(self.count_statement()).scalar() or 0)
            else:
                total, estimate = estimate_count(session, self.spec.model, self.count_statement())
        page = p.page
        if total is not None:
            last = max(1, math.ceil(total / p.page_size))
            page = min(page, last)
        offset = (page - 1) * p.page_size
        after = self.seek_value() if page > 1 else None
        fetch = p.page_size + 1 if total is None or estimate or after is not None \
            else p.page_size
        rows = list(session.scalars(
            self.rows_statement(limit=fetch, offset=offset, after=after)).unique())
        if fetch > p.page_size:
            has_next = len(rows) > p.page_size
        else:
            has_next = page * p.page_size < (total or 0)
        rows = rows[: p.page_size]
        if estimate and total is not None and total < offset + len(rows):
            total = offset + len(rows) + (1 if has_next else 0)
        next_after = None
        seek = self.seek_key() if has_next and rows else None
        if seek is not None:
            next_after = str(getattr(rows[-1], seek[0].key))
        return ListResult(rows=rows, page=page, page_size=p.page_size, total=total,
                          total_is_estimate=estimate, has_next=has_next,
                          next_after=next_after, keyset=after is not None)


def order_terms(ref: ColumnRef, expr: Any, desc: bool, dialect: str | None) -> list[Any]:
    """ORDER BY terms for one sort column: enums in declaration order, and empty (NULL)
    values after all others in both directions, on every database.

    They disagree on NULL: PostgreSQL sorts it as the largest value, SQLite and MySQL/MariaDB
    as the smallest, and MySQL/MariaDB have no ``NULLS LAST``.  PostgreSQL gets
    ``expr ASC|DESC NULLS LAST``; SQLite/MySQL/MariaDB sorting descending need nothing
    (``expr DESC``, index-friendly); otherwise ``CASE WHEN expr IS NULL THEN 1 ELSE 0 END``
    comes first, which every database understands (also when `dialect` is unknown).  Plain
    terms only, so SQLAlchemy can carry them into a subquery (eager-loaded collections with
    LIMIT).
    """
    nullable = _may_be_null(ref, expr)
    if ref.is_enum:
        expr = enum_order(expr, ref.sa_type)
    ordered = expr.desc() if desc else expr.asc()
    if not nullable:
        return [ordered]
    if dialect == "postgresql":
        return [ordered.nulls_last()]
    if desc and dialect in _NULLS_SMALLEST:
        return [ordered]
    return [case((expr.is_(None), 1), else_=0).asc(), ordered]


_NULLS_SMALLEST = ("sqlite", "mysql", "mariadb")


def enum_order(expr: Any, enum_type: Any) -> Any:
    """Sort an enum column by the declaration order of its members on every database.

    PostgreSQL and MySQL/MariaDB native enums sort that way by themselves; an enum stored
    as text (SQLite, ``native_enum=False``) would sort alphabetically without this.
    """
    members = list(getattr(enum_type, "enum_class", None) or getattr(enum_type, "enums", ()))
    if not members:
        return expr
    return case(*((expr == member, position) for position, member in enumerate(members)))


def _may_be_null(ref: ColumnRef, expr: Any) -> bool:
    """Could the sort expression be NULL?  Always across a relationship (outer joins)."""
    if ref.path:
        return True
    column = getattr(expr, "expression", expr)
    return bool(getattr(column, "nullable", True))


def _unique_indexed(column: Any) -> bool:
    """Is this column alone unique (and so indexed) in its table?"""
    if column is None:
        return False
    if column.primary_key:
        return len(column.table.primary_key.columns) == 1
    if column.unique:
        return True
    table = column.table
    return any(len(c.columns) == 1 and c.columns.contains_column(column)
               for c in table.constraints
               if isinstance(c, UniqueConstraint)) or any(
        ix.unique and list(ix.columns) == [column] for ix in table.indexes)


@functools.lru_cache(maxsize=1024)
def _pk_cols(model: type) -> tuple[Any, ...]:
    """The model's primary key attributes (worked out once per model)."""
    from sqlalchemy import inspect as sa_inspect

    mapper = sa_inspect(model)
    return tuple(getattr(model, mapper.get_property_by_column(c).key)
                 for c in mapper.primary_key)


_COUNT_CACHE: dict[tuple[str, str], tuple[float, int]] = {}
_COUNT_LOCK = threading.Lock()
COUNT_CACHE_SECONDS = 30.0


def estimate_count(session: Session, model: type, exact_stmt: Select) -> tuple[int, bool]:
    """A cheap row count for an unfiltered table.

    PostgreSQL: the planner's ``reltuples``; MySQL/MariaDB: ``information_schema``'s
    ``table_rows``; elsewhere (SQLite): an exact count cached for `COUNT_CACHE_SECONDS`.
    Falls back to the exact count when the statistics are missing.
    """
    table = model.__table__  # type: ignore[attr-defined]
    bind = session.get_bind()
    dialect = bind.dialect.name
    try:
        if dialect == "postgresql":  # -1 (never analysed) or missing: count instead
            value = session.execute(
                text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:t)"),
                {"t": bind.dialect.identifier_preparer.format_table(table)}).scalar()
            if value is not None and value >= 0:
                return int(value), True
        elif dialect in ("mysql", "mariadb"):
            value = session.execute(
                text("SELECT table_rows FROM information_schema.tables "
                     "WHERE table_schema = COALESCE(:s, DATABASE()) AND table_name = :t"),
                {"s": table.schema, "t": table.name}).scalar()
            if value is not None:
                return int(value), True
    except Exception:  # statistics unavailable: fall through to a counted value
        session.rollback()
    key = (str(session.get_bind().url), table.fullname)
    now = time.monotonic()
    with _COUNT_LOCK:
        hit = _COUNT_CACHE.get(key)
    if hit and now - hit[0] < COUNT_CACHE_SECONDS:
        return hit[1], True
    value = int(session.execute(exact_stmt).scalar() or 0)
    with _COUNT_LOCK:
        _COUNT_CACHE[key] = (now, value)
    return value, dialect != "sqlite" or bool(hit)

