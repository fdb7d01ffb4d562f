"""Typed list filters: which operations a column type offers, how a URL value is parsed, and
the SQL each operation produces.  All of it is tables; the list query only looks them up.

URL form (fasthx-admin's): ``flt{idx}_{column}_{op}=value`` (the index is optional and only
keeps several filters on one column apart).  ``between`` takes ``a,b``; ``in_list`` takes
``a,b,c``; ``empty`` takes ``1`` (is empty) or ``0`` (is not empty).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, String, cast, or_
from sqlalchemy import types as sat
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .columns import ColumnRef, humanize


class BadValue(ValueError):
    """A filter value that does not parse for its column type (the filter is ignored)."""


LIKE_ESCAPE = "/"


def escape_like(value: str) -> str:
    return (value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
            .replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_"))


def contains(expr: Any, value: str, dialect: str | None = None) -> Any:
    """Case-insensitive substring match, the same on every database (`ci_like`).
    Non-string columns (enums, numbers) are compared as their text.  `dialect` is accepted
    for older callers and not needed."""
    return ci_like(as_text(expr), f"%{escape_like(value)}%")


class ci_like(FunctionElement):  # noqa: N801  (a SQL construct, named like SQLAlchemy's)
    """``expr`` matches the LIKE `pattern` (escape character `LIKE_ESCAPE`) ignoring case.

    The SQL is chosen when the statement is compiled for its database (so a query built
    without knowing it is still right), each database's own case-insensitive match without
    ``lower()`` where it has one: PostgreSQL ``ILIKE``; SQLite plain ``LIKE`` (which ignores
    ASCII case, exactly as far as SQLite's ``lower()`` folds: about 3x faster than
    ``lower(x) LIKE lower(p)``); MySQL/MariaDB (and others) ``lower(x) LIKE lower(p)``, which
    also holds for columns with a case-sensitive (``_bin``/``_cs``) collation.
    """

    type = Boolean()
    name = "ci_like"
    inherit_cache = True


@compiles(ci_like)
def _ci_like_default(element: ci_like, compiler: Any, **kw: Any) -> str:
    expr, pattern = element.clauses
    return "(" + compiler.process(expr.ilike(pattern, escape=LIKE_ESCAPE), **kw) + ")"


@compiles(ci_like, "sqlite")
def _ci_like_sqlite(element: ci_like, compiler: Any, **kw: Any) -> str:
    expr, pattern = element.clauses
    return "(" + compiler.process(expr.like(pattern, escape=LIKE_ESCAPE), **kw) + ")"


def as_text(expr: Any) -> Any:
    """The column as text: non-string columns (enums, numbers) are cast."""
    if not isinstance(getattr(expr, "type", None), sat.String) or isinstance(expr.type, sat.Enum):
        return cast(expr, String)
    return expr


# A search word's prefix -> the LIKE pattern it makes (`search_match` with ``prefixes``).
SEARCH_PREFIXES: dict[str, str] = {"^": "{}%", "=": "{}"}


def search_match(expr: Any, term: str, prefixes: bool = False) -> Any:
    """One search word against one column: a case-insensitive substring match.  With
    `prefixes` (Flask-Admin's search syntax), ``^word`` matches the start of the value and
    ``=word`` the whole value, still case-insensitively and with wildcards taken literally."""
    if prefixes and len(term) > 1 and term[0] in SEARCH_PREFIXES:
        pattern = SEARCH_PREFIXES[term[0]].format(escape_like(term[1:]))
        return ci_like(as_text(expr), pattern)
    return contains(expr, term)


# --- value parsers -------------------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}


def _parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise BadValue("expected yes or no")


def _parse_int(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError as exc:
        raise BadValue("expected a whole number") from exc
    if not -(2**63) <= value < 2**63:
        raise BadValue("number out of range")
    return value


def _parse_float(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError as exc:
        raise BadValue("expected a number") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue("expected a finite number")
    return value


def _parse_decimal(text: str) -> decimal.Decimal:
    try:
        value = decimal.Decimal(text.strip())
    except decimal.InvalidOperation as exc:
        raise BadValue("expected a number") from exc
    if not value.is_finite():
        raise BadValue("expected a finite number")
    return value


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        raise BadValue("expected a date (YYYY-MM-DD)") from exc


def _parse_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadValue("expected a date and time (YYYY-MM-DD HH:MM)") from exc


def _parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadValue("expected a time (HH:MM)") from exc


def _parse_str(text: str) -> str:
    if len(text) > 1000:
        raise BadValue("value too long")
    if "\x00" in text:  # no text column holds one (PostgreSQL refuses it outright)
        raise BadValue("contains a NUL character")
    return text


# SQLAlchemy type -> (kind, parser).  Looked up along the type's MRO, so subclasses
# (BigInteger, Text, DOUBLE, ...) find their family; Float is listed on its own because on
# SQLAlchemy 2.1 it is no longer a Numeric subclass.
TYPE_KINDS: dict[type, tuple[str, Callable[[str], Any]]] = {
    sat.Boolean: ("bool", _parse_bool),
    sat.Enum: ("enum", _parse_str),
    sat.Integer: ("number", _parse_int),
    sat.Float: ("number", _parse_float),
    sat.Numeric: ("number", _parse_decimal),
    sat.DateTime: ("datetime", _parse_datetime),
    sat.Date: ("date", _parse_date),
    sat.Time: ("time", _parse_time),
    sat.String: ("string", _parse_str),
}

# kind -> operations offered, in menu order.
KIND_OPS: dict[str, tuple[str, ...]] = {
    "string": ("contains", "not_contains", "equals", "not_equal", "empty", "in_list",
               "not_in_list"),
    "enum": ("equals", "not_equal", "empty", "in_list", "not_in_list"),
    "number": ("equals", "not_equal", "greater", "smaller", "between", "empty", "in_list",
               "not_in_list"),
    "date": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "datetime": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "time": ("equals", "not_equal", "greater", "smaller", "between", "not_between", "empty"),
    "bool": ("equals", "not_equal"),
    "relation": ("equals", "not_equal", "empty", "in_list", "not_in_list"),
    "other": ("equals", "not_equal", "empty"),
}

OP_LABELS: dict[str, str] = {
    "contains": "contains", "not_contains": "does not contain", "equals": "equals",
    "not_equal": "not equal", "greater": "greater than", "smaller": "smaller than",
    "between": "between", "not_between": "not between", "empty": "empty",
    "in_list": "in list", "not_in_list": "not in list",
}


def _op_sql(op: str, expr: Any, value: Any, dialect: str, kind: str) -> Any:
    if op == "equals":
        return expr == value
    if op == "not_equal":
        return or_(expr != value, expr.is_(None))
    if op == "contains":
        return contains(expr, value, dialect)
    if op == "not_contains":
        return or_(~contains(expr, value, dialect), expr.is_(None))
    if op == "greater":
        return expr > value
    if op == "smaller":
        return expr < value
    if op == "between":
        return expr.between(value[0], value[1])
    if op == "not_between":
        return or_(~expr.between(value[0], value[1]), expr.is_(None))
    if op == "in_list":
        return expr.in_(value)
    if op == "not_in_list":
        return or_(~expr.in_(value), expr.is_(None))
    if op == "empty":
        if kind == "string":
            return or_(expr.is_(None), expr == "") if value else (expr.is_not(None) & (expr != ""))
        return expr.is_(None) if value else expr.is_not(None)
    raise BadValue(f"unknown operation {op!r}")


def kind_of(ref: ColumnRef) -> tuple[str, Callable[[str], Any]]:
    if ref.is_relation:
        return "relation", _parse_str
    t = ref.sa_type
    if t is None:
        return "other", _parse_str
    for klass in type(t).__mro__:
        if klass in TYPE_KINDS:
            return TYPE_KINDS[klass]
    return "other", _parse_str


@dataclass
class FilterDef:
    """One filterable column: its operations, how values parse, and its choices if any."""

    ref: ColumnRef
    label: str
    kind: str
    parse_one: Callable[[str], Any]
    ops: tuple[str, ...]
    choices: list[tuple[str, str]] | None = None
    expression: Any = None
    alias: str | None = None  # the URL name when a column has several filter definitions
    # a custom filter changes the statement itself: apply(stmt, value) -> stmt
    apply: Callable[[Any, Any], Any] | None = None

    @property
    def key(self) -> str:
        return self.alias or self.ref.key

    def parse(self, op: str, raw: str) -> Any:
        if op == "empty":
            return _parse_bool(raw)
        if op in ("between", "not_between"):
            parts = [p for p in raw.split(",")]
            if len(parts) != 2:
                raise BadValue("expected two values: from,to")
            return tuple(self._one(p) for p in parts)
        if op in ("in_list", "not_in_list"):
            items = [p for p in (s.strip() for s in raw.split(",")) if p]
            if not items or len(items) > 500:
                raise BadValue("expected a comma-separated list")
            return [self._one(p) for p in items]
        return self._one(raw)

    def _one(self, raw: str) -> Any:
        value = self.parse_one(raw)
        if self.kind == "enum":
            return _enum_value(self.ref.sa_type, value)
        return value

    def condition(self, op: str, value: Any, dialect: str) -> Any:
        if isinstance(self.ref, _RelationMember):
            return self.ref.membership(op, value)
        kind = "string" if self.kind in ("string",) else self.kind
        return self.ref.where(_op_sql(op, self.expression, value, dialect, kind))


def _enum_value(sa_type: Any, text: str) -> Any:
    """Accept an enum member by value or by name; store what the column stores."""
    enum_class = getattr(sa_type, "enum_class", None)
    if enum_class is None:
        if text not in (sa_type.enums or []):
            raise BadValue("not one of the choices")
        return text
    for member in enum_class:
        if text in (str(member.value), member.name):
            return member
    raise BadValue("not one of the choices")


def build_filter(ref: ColumnRef, label: str | None = None) -> FilterDef:
    """Make the FilterDef for a column, or for a to-one/to-many relationship (by primary key)."""
    kind, parser = kind_of(ref)
    expression = ref.expression if not ref.is_relation else None
    choices = None
    if ref.is_relation:
        rel = ref.prop
        target_pk = list(rel.mapper.primary_key)[0]
        parser = _pk_parser(target_pk)
        if rel.uselist:
            expression = target_pk
            ref = _RelationMember(ref, rel, target_pk)  # type: ignore[assignment]
        else:
            local = list(rel.local_columns)[0]
            expression = getattr(rel.parent.class_, local.key)
    elif kind == "enum":
        choices = enum_choices(ref.sa_type)
    elif kind == "bool":
        choices = [("1", "Yes"), ("0", "No")]
    return FilterDef(ref=ref, label=label or humanize(ref.key), kind=kind, parse_one=parser,
                     ops=KIND_OPS[kind], choices=choices, expression=expression)


class _RelationMember:
    """A to-many relationship filtered by its members' primary key: EXISTS, never a join."""

    def __init__(self, ref: ColumnRef, rel: Any, target_pk: Any) -> None:
        self._ref, self._rel, self.key = ref, rel, ref.key
        self._pk = target_pk
        self.is_relation = True

    def membership(self, op: str, value: Any) -> Any:
        """equals / in list: some member matches; not equal: no member matches;
        empty: no members at all (``1``) or at least one (``0``)."""
        members = getattr(self._rel.parent.class_, self._rel.key)
        if op == "empty":
            cond = ~members.any() if value else members.any()
        elif op == "not_equal":
            cond = ~members.any(self._pk == value)
        elif op == "in_list":
            cond = members.any(self._pk.in_(value))
        elif op == "not_in_list":
            cond = ~members.any(self._pk.in_(value))
        elif op == "equals":
            cond = members.any(self._pk == value)
        else:
            raise BadValue(f"unknown operation {op!r}")
        return self._ref.where(cond)


def _pk_parser(col: Any) -> Callable[[str], Any]:
    try:
        py = col.type.python_type
    except NotImplementedError:
        py = str
    return _parse_int if py is int else _parse_str


def enum_choices(sa_type: Any) -> list[tuple[str, str]]:
    enum_class = getattr(sa_type, "enum_class", None)
    if enum_class is not None:
        return [(str(m.value), humanize(str(m.value))) for m in enum_class]
    return [(v, v) for v in (getattr(sa_type, "enums", None) or [])]


@dataclass
class ActiveFilter:
    key: str
    op: str
    raw: str
    value: Any
    label: str = ""
    param: str = ""


_OPS_LONGEST_FIRST = sorted(OP_LABELS, key=len, reverse=True)
_PARAM = re.compile(r"^flt\d*_(.+)$")


def split_filter_param(name: str, defs: dict[str, FilterDef]) -> tuple[str, str] | None:
    """``flt0_hostname_not_contains`` -> ``("hostname", "not_contains")``.

    An operation name can end another one (``contains``/``not_contains``) and a column name
    can contain one, so every split is tried and the one naming a filterable column wins;
    otherwise the longest operation is assumed (its column is then reported as unknown).
    """
    m = _PARAM.match(name)
    if not m:
        return None
    rest = m.group(1)
    fallback = None
    for op in _OPS_LONGEST_FIRST:
        if rest.endswith("_" + op) and len(rest) > len(op) + 1:
            key = rest[: -len(op) - 1]
            if key in defs:
                return key, op
            fallback = fallback or (key, op)
    return fallback


@dataclass
class FilterParseResult:
    active: list[ActiveFilter] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_filter_params(items: Iterable[tuple[str, str]],
                        defs: dict[str, FilterDef]) -> FilterParseResult:
    """Read ``flt…`` params; unknown columns, unknown ops and bad values are ignored with a
    message (never an exception), empty values are skipped."""
    result = FilterParseResult()
    for name, raw in items:
        if not name.startswith("flt"):
            continue
        split = split_filter_param(name, defs)
        if split is None:
            result.errors.append(f"Ignored filter {name!r}: not a filter parameter")
            continue
        key, op = split
        fdef = defs.get(key)
        if fdef is None:
            result.errors.append(f"Ignored filter on {key!r}: not a filterable column")
            continue
        if op not in fdef.ops:
            result.errors.append(f"Ignored filter on {fdef.label}: '{op}' is not offered")
            continue
        if raw == "" and op != "empty":
            continue
        try:
            value = fdef.parse(op, raw)
        except BadValue as exc:
            result.errors.append(f"Ignored filter on {fdef.label}: {exc}")
            continue
        result.active.append(ActiveFilter(key=key, op=op, raw=raw, value=value,
                                          label=f"{fdef.label} {OP_LABELS[op]}", param=name))
    return result
