"""Primary keys in URLs: ``7``, ``net~2Fdns`` and composite ``eu,7`` (Flask-Admin's form).

Values are escaped with ``~XX`` (UTF-8 bytes in hex) rather than ``%XX``: the result has no
character that a URL, a form value or a server's path decoding would change, so ``/`` and
``,`` inside values survive routing and the composite-key split however often the path is
decoded (servers decode it once, Starlette's TestClient twice).
"""

from __future__ import annotations

import re
import string
from typing import Any
from urllib.parse import quote

from sqlalchemy import inspect as sa_inspect

_SAFE = frozenset(string.ascii_letters + string.digits + "-._")
_ESCAPED = re.compile(r"(?:~[0-9A-Fa-f]{2})+")


class BadKey(ValueError):
    """The URL's id does not parse as this model's primary key (answered with 404)."""


def pk_columns(model: type) -> list[Any]:
    return list(sa_inspect(model).primary_key)


def escape_value(value: Any) -> str:
    """One key value as URL-proof text: letters, digits, ``-._`` kept, the rest ``~XX``."""
    text = "".join(c if c in _SAFE else "".join(f"~{b:02X}" for b in c.encode())
                   for c in str(value))
    if text and set(text) == {"."}:  # "." and ".." are dot segments, resolved away by clients
        text = "~2E" * len(text)
    return text


def unescape_value(text: str) -> str:
    try:
        return _ESCAPED.sub(lambda m: bytes.fromhex(m.group(0).replace("~", "")).decode(),
                            text)
    except UnicodeDecodeError as exc:
        raise BadKey(text) from exc


def to_url(model: type, obj: Any) -> str:
    """URL segment (also the batch checkbox value) for an object's primary key."""
    ident = sa_inspect(obj).identity
    if ident is None:
        ident = tuple(getattr(obj, c.key) for c in pk_columns(model))
    return ",".join(escape_value(v) for v in ident)


def quote_segment(item_id: str) -> str:
    """Quote a route's ``item_id`` (decoded by the server) to put it in a URL again."""
    return quote(str(item_id), safe=",~")


def from_url(model: type, raw: str) -> tuple[Any, ...]:
    """Parse a route's ``item_id`` into a tuple of typed primary key values, or raise BadKey."""
    cols = pk_columns(model)
    parts = raw.split(",") if len(cols) > 1 else [raw]
    if len(parts) != len(cols):
        raise BadKey(raw)
    values = []
    for col, part in zip(cols, parts, strict=True):
        text = unescape_value(part)
        if "\x00" in text:  # no key holds one; PostgreSQL refuses it in a query
            raise BadKey(raw)
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
