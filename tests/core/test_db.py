"""`init_db`, `get_db` and `get_engine`: one engine per process, sessions that always close.

The transaction and threading tests run on every backend; the SQLite specifics on SQLite."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from dbservers import fresh_tables
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import fasthx_core
import fasthx_core.db as fx_db
from fasthx_core import get_db, get_engine, get_progress, init_db, set_progress

from .models import SCHEMA, Customer, Device, Model, Note
from .support import fast_sqlite


@pytest.fixture
def fresh_db_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the engine made by earlier tests; monkeypatch restores it afterwards."""
    monkeypatch.setattr(fx_db, "_engine", None)
    monkeypatch.setattr(fx_db, "_session_factory", None)


@pytest.fixture
def initialised(db_url: str, fresh_db_module: None) -> Iterator[Engine]:
    """`init_db` on fresh tables on the test's backend; disposed afterwards."""
    with fresh_tables(db_url, *SCHEMA):
        engine = init_db(db_url)
        try:
            yield engine
        finally:
            engine.dispose()


def test_public_api_is_importable_from_the_package() -> None:
    for name in ("Admin", "CRUDView", "Base", "init_db", "get_db", "get_engine",
                 "toast_response", "ValidationError"):
        assert hasattr(fasthx_core, name), name


def test_get_engine_raises_before_init_db(fresh_db_module: None) -> None:
    with pytest.raises(RuntimeError, match="init_db"):
        get_engine()
    with pytest.raises(RuntimeError, match="init_db"):
        next(get_db())


def test_init_db_returns_the_engine_get_engine_gives_back(fresh_db_module: None,
                                                          tmp_path) -> None:
    engine = init_db(f"sqlite:///{tmp_path}/app.db", echo=False)
    try:
        assert isinstance(engine, Engine)
        assert get_engine() is engine
        assert engine.url.database.endswith("app.db")
    finally:
        engine.dispose()


def test_sqlite_enforces_foreign_keys(fresh_db_module: None, tmp_path) -> None:
    engine = init_db(f"sqlite:///{tmp_path}/fk.db")
    Model.metadata.create_all(engine)
    with Session(engine) as db:
        db.add(Device(hostname="orphan", customer_id=999))
        with pytest.raises(IntegrityError):
            db.commit()
    engine.dispose()


def test_any_declarative_base_works_and_so_does_fasthx_core_base(initialised: Engine) -> None:
    assert Note.metadata is fasthx_core.Base.metadata and Customer.metadata is Model.metadata
    with Session(initialised) as db:
        db.add_all([Customer(name="Acme"), Note(title="hello")])
        db.commit()
        assert db.scalar(select(Note.title)) == "hello"
        assert db.scalar(select(Customer.name)) == "Acme"


def _app_with_db_routes() -> tuple[FastAPI, list[Session]]:
    app = FastAPI()
    seen: list[Session] = []

    @app.post("/customers")
    def create(name: str, fail: bool = False, db: Session = Depends(get_db)) -> dict:
        seen.append(db)
        db.add(Customer(name=name))
        db.flush()
        if fail:
            raise RuntimeError("boom after the flush")
        db.commit()
        return {"ok": True}

    return app, seen


def test_get_db_commits_through_a_route_and_closes_the_session(initialised: Engine) -> None:
    engine = initialised
    app, seen = _app_with_db_routes()
    client = TestClient(app)
    assert client.post("/customers", params={"name": "Acme"}).status_code == 200
    with Session(engine) as db:
        assert db.scalars(select(Customer.name)).all() == ["Acme"]
    assert not seen[0].in_transaction()
    assert engine.pool.checkedout() == 0


def test_get_db_rolls_back_on_error_and_still_closes(initialised: Engine) -> None:
    engine = initialised
    app, seen = _app_with_db_routes()
    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/customers", params={"name": "Ghost", "fail": True}).status_code == 500
    with Session(engine) as db:
        assert db.scalar(select(func.count()).select_from(Customer)) == 0
    assert not seen[0].in_transaction()
    assert engine.pool.checkedout() == 0


def test_get_db_generator_rolls_back_when_the_request_fails(initialised: Engine) -> None:
    engine = initialised
    dependency = get_db()
    session = next(dependency)
    session.add(Customer(name="Half done"))
    session.flush()
    with pytest.raises(ValueError):
        dependency.throw(ValueError("the handler failed"))
    assert not session.in_transaction()
    with Session(engine) as db:
        assert db.scalar(select(func.count()).select_from(Customer)) == 0


def test_the_database_works_from_many_threads(initialised: Engine) -> None:
    """FastAPI runs sync handlers in a threadpool: one engine, many threads (on SQLite
    a file opened with ``check_same_thread=False``)."""
    factory = fx_db.get_session_factory()

    def work(n: int) -> int:
        with factory() as db:
            db.add(Customer(name=f"customer-{n}"))
            db.commit()
            return db.scalar(select(func.count()).select_from(Customer)) or 0

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(work, range(12)))
    assert max(counts) == 12


def test_in_memory_sqlite_is_shared_by_all_threads(fresh_db_module: None) -> None:
    engine = init_db("sqlite://")
    Model.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customers (name) VALUES ('Acme')"))

    def read() -> list[str]:
        with fx_db.get_session_factory()() as db:
            return list(db.scalars(select(Customer.name)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert pool.submit(read).result() == ["Acme"]
    engine.dispose()


def test_progress_store_follows_each_new_engine(fresh_db_module: None, tmp_path) -> None:
    """The progress table is created on every engine init_db makes, even when Python reuses
    the memory (and so the ``id()``) of an engine that was disposed and collected."""
    seen: set[int] = set()
    for n in range(30):
        engine = fast_sqlite(init_db(f"sqlite:///{tmp_path}/progress-{n}.db"))
        reused = id(engine) in seen
        seen.add(id(engine))
        set_progress("deploy:1", n, "running")
        assert get_progress("deploy:1")["percent"] == min(n, 100)
        engine.dispose()
        del engine
        gc.collect()
        if reused:
            break
