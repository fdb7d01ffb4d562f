"""Lost-update protection: an edit made on a stale copy of a row is refused, not saved.

An edit form (and an inline cell editor) carries the version of the row it was opened on in
the hidden field `FIELD_NAME`.  At save time the row is read again (locked ``FOR UPDATE``
where the database can) and its version compared with the one the form carries; when they
differ someone else saved the row in between, and the save is refused with `STALE_MESSAGE`
and a link to reload the current version.  The user's input is kept on the re-rendered form.

What "version" means, in this order:

1. the view's ``version_column`` attribute (a column whose value changes on every save: an
   integer the engine then increments itself, or e.g. an ``updated_at`` with ``onupdate``);
2. the mapper's ``version_id_col`` (``__mapper_args__ = {"version_id_col": ...}``), which
   SQLAlchemy increments and checks in the UPDATE itself;
3. else a digest of the row's loaded values of the form's model fields (the editable
   columns and relationships): any change to what the user could see or edit counts.

A post without the field (an old form, a script) is not checked: the guard protects people
editing in a browser, it is not an access control.  Callers may rely on `check` returning
None when the post may be saved, and a message otherwise.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import types as sat

from . import keys

if TYPE_CHECKING:
    from .view import CRUDView

FIELD_NAME = "_fasthx_version"
STALE_TITLE = "Changed by someone else"
STALE_MESSAGE = ("Someone else changed this record after you opened it, so your changes were "
                 "not saved. Reload it to see the current version, then make your changes "
                 "again.")


def version_key(view: CRUDView) -> str | None:
    """The attribute holding the row's version: ``view.version_column``, else the mapper's
    ``version_id_col``, else None (a digest of the values is used)."""
    named = getattr(view, "version_column", None)
    if named:
        return str(named)
    mapper = sa_inspect(view.model)
    col = mapper.version_id_col
    if col is None:
        return None
    return mapper.get_property_by_column(col).key


def _plain(value: Any) -> Any:
    """A value as JSON-able text that is equal exactly when the values are equal."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if hasattr(type(value), "__mapper__"):
        return "row:" + keys.to_url(type(value), value)
    return repr(value)


def _child(obj: Any) -> dict[str, Any]:
    """A one-to-many child as the parent's form shows it (inline rows): key and columns."""
    return {"row": keys.to_url(type(obj), obj),
            **{p.key: _plain(getattr(obj, p.key, None))
               for p in sa_inspect(type(obj)).column_attrs}}


def _field_value(item: Any, name: str) -> Any:
    value = getattr(item, name, None)
    rel = sa_inspect(type(item)).relationships.get(name) \
        if hasattr(type(item), "__mapper__") else None
    if rel is not None and rel.uselist and value is not None:  # a collection: order-free
        one_to_many = rel.direction.name == "ONETOMANY"  # inline rows: their values count
        return sorted((_child(v) if one_to_many else _plain(v) for v in value), key=repr)
    return _plain(value)


def current_version(view: CRUDView, item: Any, fields: Iterable[str] | None = None) -> str:
    """The version of `item` as a form carries it.  `fields` narrows the digest (an inline
    cell checks its own column); by default the edit form's model fields are digested."""
    key = version_key(view)
    if key is not None:
        return "v:" + str(_plain(getattr(item, key, None)))
    names = list(fields) if fields is not None else list(view.form_plan(False).model_fields)
    data = {name: _field_value(item, name) for name in sorted(names)}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)
    return "h:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def sent_version(formdata: Any) -> str | None:
    """The version a posted form carries, or None when it carries none."""
    value = formdata.get(FIELD_NAME) if formdata is not None else None
    return value if isinstance(value, str) and value else None


def lock(db: Any, item: Any) -> None:
    """Read the row again, locked until the commit where the database supports it, so the
    comparison and the save see the same row (SQLite serialises writers anyway)."""
    if item not in db:  # a row some override loaded elsewhere: compared as loaded
        return
    if db.get_bind().dialect.name != "sqlite":  # SQLite: loaded just now, in this session
        db.refresh(item, with_for_update=True)


def check(view: CRUDView, db: Any, item: Any, formdata: Any,
          fields: Iterable[str] | None = None) -> str | None:
    """None when the post may be saved; `STALE_MESSAGE` when the row changed since the form
    carrying ``formdata`` was opened."""
    sent = sent_version(formdata)
    if sent is None:
        return None
    lock(db, item)
    current = current_version(view, item, fields)
    if hmac.compare_digest(sent.encode("utf-8", "replace"), current.encode()):
        return None
    return STALE_MESSAGE


def bump(view: CRUDView, item: Any) -> None:
    """Advance an integer ``version_column`` the mapper does not manage itself (the mapper's
    ``version_id_col`` is incremented by SQLAlchemy; other kinds change on their own)."""
    named = getattr(view, "version_column", None)
    if not named:
        return
    mapper = sa_inspect(view.model)
    prop = mapper.attrs.get(named) if named in mapper.attrs else None
    col = getattr(prop, "columns", [None])[0]
    if col is None or col is mapper.version_id_col or not isinstance(col.type, sat.Integer):
        return
    setattr(item, named, (getattr(item, named, None) or 0) + 1)


__all__ = ["FIELD_NAME", "STALE_MESSAGE", "bump", "check", "current_version", "version_key"]
