"""Primary keys in URLs: ``7``, ``a%2Fb`` and composite ``1,2`` (Flask-Admin's form)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import inspect as sa_inspect


class BadKey(ValueError):
    """The URL's id does not parse as this model's primary key (answered with 404)."""


def pk_columns(model: type) -> list[Any]:
    return list(sa_inspect(model).primary_key)


def to_url(model: type, obj: Any) -> str:
    """URL segment for an object's primary key; commas and slashes inside values are quoted."""
    ident = sa_inspect(obj).identity
    if ident is None:
        ident = tuple(getattr(obj, c.key) for c in pk_columns(model))
    return ",".join(quote(str(v), safe="") for v in ident)


def from_url(model: type, raw: str) -> tuple[Any, ...]:
    """Parse a URL id into a tuple of typed primary key values, or raise BadKey."""
    cols = pk_columns(model)
    parts = raw.split(",") if len(cols) > 1 else [raw]
    if len(parts) != len(cols):
        raise BadKey(raw)
    values = []
    for col, part in zip(cols, parts, strict=True):
        text = unquote(part)
        try:
            py = col.type.python_type
        except NotImplementedError:
            py = str
        try:
            if py is int:
                value: Any = int(text)
                if not -(2**63) <= value < 2**63:
                    raise BadKey(raw)
            elif py is str:
                value = text
            else:
                value = py(text)
        except (TypeError, ValueError) as exc:
            raise BadKey(raw) from exc
        values.append(value)
    return tuple(values)


def where_pk(model: type, values: tuple[Any, ...]) -> Any:
    from sqlalchemy import and_

    return and_(*(col == v for col, v in zip(pk_columns(model), values, strict=True)))
