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
    select,
    update,
)
from sqlalchemy.engine import Engine
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
    Column("updated_at", DateTime, nullable=False),
)
_ready: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose table exists
_lock = threading.Lock()


def _engine() -> Engine:
    from .db import get_engine

    engine = get_engine()
    if engine not in _ready:  # by identity of a live engine, never by a reusable id()
        with _lock:
            if engine not in _ready:
                metadata.create_all(engine, checkfirst=True)
                _ready.add(engine)
    return engine


def set_progress(key: str, percent: int, status: str = "", failed: bool = False) -> None:
    """Record a task's progress (0-100); safe to call from any thread or process."""
    percent = max(0, min(int(percent), 100))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    values = {"percent": percent, "status": status[:200], "failed": int(failed),
              "updated_at": now}
    with _engine().begin() as conn:
        done = conn.execute(update(progress_table).where(progress_table.c.key == key)
                            .values(**values)).rowcount
        if not done:
            conn.execute(progress_table.insert().values(key=key, **values))


def get_progress(key: str) -> dict[str, Any]:
    """``{"percent", "status", "failed", "done"}``; an unknown key is 0 % 'Waiting…'."""
    with _engine().connect() as conn:
        row = conn.execute(select(progress_table).where(progress_table.c.key == key)).first()
    if row is None:
        return {"percent": 0, "status": "Waiting…", "failed": False, "done": False}
    return {"percent": row.percent, "status": row.status, "failed": bool(row.failed),
            "done": row.percent >= 100 or bool(row.failed)}


def progress_row_response(view: CRUDView, request: Request, item_id: Any) -> Response:
    from .keys import quote_segment

    state = get_progress(view.progress_key(item_id))
    html = view.admin.templates.env.get_template("partials/progress_bar.html").render({
        "progress": state, "poll_url": view.urls.progress(quote_segment(str(item_id))),
        "colspan": view.get_colspan(), "item_id": item_id, "view_name": view.name})
    return HTMLResponse(html)
