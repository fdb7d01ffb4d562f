"""Database wiring: one engine and one session factory per process.

`init_db` must be called once at start-up; everything else (the CRUD views, `get_db`,
the progress store) reads the engine and factory made here.  Sessions are short-lived:
one per request, always closed, rolled back when the request fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    """Declarative base for admin models (any DeclarativeBase works as well)."""


_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None


def init_db(url: str, **kwargs: Any) -> Engine:
    """Create the engine and the session factory; return the engine.

    SQLite is made safe for FastAPI's threadpool (``check_same_thread=False``), an
    in-memory SQLite database is shared by all threads (``StaticPool``) and foreign keys
    are enforced.  Extra keyword arguments go to ``sqlalchemy.create_engine``.
    """
    global _engine, _session_factory
    if url.startswith("sqlite"):
        connect_args = dict(kwargs.pop("connect_args", {}) or {})
        connect_args.setdefault("check_same_thread", False)
        kwargs["connect_args"] = connect_args
        if url in ("sqlite://", "sqlite:///:memory:", "sqlite+pysqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if _engine is not None and _engine is not engine:
        _engine.dispose()
    _engine = engine
    _session_factory = sessionmaker(bind=engine, expire_on_commit=False)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def get_engine() -> Engine:
    """The engine made by `init_db`; RuntimeError before it was called."""
    if _engine is None:
        raise RuntimeError("fasthx_core.init_db(url) has not been called yet")
    return _engine


def get_session_factory() -> sessionmaker[Session]:
    """The session factory made by `init_db`; RuntimeError before it was called."""
    if _session_factory is None:
        raise RuntimeError("fasthx_core.init_db(url) has not been called yet")
    return _session_factory


def as_session_factory(source: Any) -> Any:
    """What a view may be given as its sessions' source -> a callable returning a Session:
    a sessionmaker or scoped_session as it is; a Session object (what Flask-Admin views are
    often handed) -> new sessions on its engine; a Flask-SQLAlchemy ``db`` -> ``db.session``."""
    if isinstance(source, Session):
        return sessionmaker(bind=source.get_bind(), expire_on_commit=source.expire_on_commit)
    if not callable(source) and hasattr(source, "session") and hasattr(source, "Model"):
        return source.session
    return source


def get_db() -> Iterator[Session]:
    """FastAPI dependency: a session that is rolled back on error and always closed."""
    session = get_session_factory()()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
