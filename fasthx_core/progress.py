"""Progress of long tasks, kept in the database so every worker sees the same bar.

`set_progress(key, percent, status)` is called by the task (any process), the bar polls
``GET /{name}/{item_id}/progress`` every 500 ms, and stops itself at 100 % (or on error).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

if TYPE_CHECKING:
    from .view import CRUDView

metadata = MetaData()
progress_table = Table(
    "fasthx_progress", metadata,
    Column("key", String(200), primary_key=True),
    Column("percent", Integer, nullable=False, default=0),
    Column("status", String(200), nullable=False, default=""),
    Column("failed", Integer, nullable=False, default=0),
    # MySQL/MariaDB's DATETIME drops fractions of a second unless asked for them
    Column("updated_at", DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb"),
           nullable=False),
)
_ready: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose table exists
_lock = threading.Lock()


def _engine(engine: Engine | None = None) -> Engine:
    from .db import get_engine

    engine = engine or get_engine()
    if engine not in _ready:  # by identity of a live engine, never by a reusable id()
        with _lock:
            if engine not in _ready:
                create_table(engine)
                _ready.add(engine)
    return engine


def create_table(engine: Engine) -> None:
    """Create the progress table unless it exists.  Another process (a second worker) may
    create it between the check and the CREATE; the loser's error is then no error."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except DBAPIError:
        if not inspect(engine).has_table(progress_table.name):
            raise


def set_progress(key: str, percent: int, status: str = "", failed: bool = False) -> None:
    """Record a task's progress (0-100); safe to call from any thread or process, also when
    several report the first progress of the same task at once."""
    percent = max(0, min(int(percent), 100))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    values = {"percent": percent, "status": status[:200], "failed": int(failed),
              "updated_at": now}
    engine = _engine()
    for attempt in range(_ATTEMPTS):
        try:
            with engine.begin() as conn:
                _upsert(conn, key, values)
            return
        except (IntegrityError, OperationalError):
            # a racing writer won the insert (fallback path), or MySQL/MariaDB picked this
            # transaction as a deadlock victim: the next attempt finds the row and updates it
            if attempt == _ATTEMPTS - 1:
                raise


_ATTEMPTS = 3
_UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _upsert(conn: Connection, key: str, values: dict[str, Any]) -> None:
    """One atomic insert-or-update where the database has one: PostgreSQL and SQLite
    ``ON CONFLICT DO UPDATE``, MySQL/MariaDB ``ON DUPLICATE KEY UPDATE``; elsewhere an UPDATE,
    then an INSERT when no row was there (a racing insert is retried by the caller)."""
    dialect = conn.dialect.name
    if dialect in _UPSERT_INSERTS:
        stmt = _UPSERT_INSERTS[dialect](progress_table).values(key=key, **values)
        conn.execute(stmt.on_conflict_do_update(index_elements=[progress_table.c.key],
                                                set_=values))
    elif dialect in ("mysql", "mariadb"):
        stmt = mysql.insert(progress_table).values(key=key, **values)
        conn.execute(stmt.on_duplicate_key_update(**values))
    else:
        done = conn.execute(update(progress_table).where(progress_table.c.key == key)
                            .values(**values)).rowcount
        if not done:
            conn.execute(progress_table.insert().values(key=key, **values))


def get_progress(key: str, engine: Engine | None = None) -> dict[str, Any]:
    """``{"percent", "status", "failed", "done"}``; an unknown key is 0 % 'Waiting…'.
    `engine`: the database to read (default: `init_db`'s)."""
    with _engine(engine).connect() as conn:
        row = conn.execute(select(progress_table).where(progress_table.c.key == key)).first()
    if row is None:
        return {"percent": 0, "status": "Waiting…", "failed": False, "done": False}
    return {"percent": row.percent, "status": row.status, "failed": bool(row.failed),
            "done": row.percent >= 100 or bool(row.failed)}


def progress_row_response(view: CRUDView, request: Request, item_id: Any) -> Response:
    from .keys import quote_segment

    with view.session() as db:  # the view's database: compat apps never call init_db
        view.get_item(db, str(item_id))  # a row the view hides has no progress to show: 404
        engine = db.get_bind()
    state = get_progress(view.progress_key(item_id), engine)
    html = view.admin.templates.env.get_template("partials/progress_bar.html").render({
        "progress": state, "poll_url": view.urls.progress(quote_segment(str(item_id))),
        "colspan": view.get_colspan(), "item_id": item_id, "view_name": view.name})
    return HTMLResponse(html)
