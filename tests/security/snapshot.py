"""What the database holds, table by table, to prove a refused request changed nothing."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine, MetaData, inspect, select

_reflected: weakref.WeakKeyDictionary[Engine, MetaData] = weakref.WeakKeyDictionary()


def _tables(engine: Engine) -> MetaData:
    """The engine's tables, reflected again only when a table came or went."""
    meta = _reflected.get(engine)
    names = set(inspect(engine).get_table_names())
    if meta is None or set(meta.tables) != names:
        meta = MetaData()
        meta.reflect(engine)
        _reflected[engine] = meta
    return meta


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), as plain tuples."""
    meta = _tables(engine)
    with engine.connect() as conn:
        return {name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for name, table in sorted(meta.tables.items())}
