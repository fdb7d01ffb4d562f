"""The benchmark's two tables as SQLAlchemy models, built on whichever declarative base an app
needs (plain, or a peer's own `Base`), so every app maps the same file the same way."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

DB_PATH = os.environ.get("BENCH_DB", "bench/bench_small.db")
DB_URL = f"sqlite:///{DB_PATH}"
PAGE_SIZE = 20


def build(base: Any = None) -> tuple[type, type]:
    """(Customer, Order) mapped on `base` (a fresh DeclarativeBase when None)."""
    if base is None:
        class base(DeclarativeBase):  # noqa: N801
            pass

    class Customer(base):
        __tablename__ = "customers"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        name: Mapped[str] = mapped_column(String(100), unique=True)
        email: Mapped[str] = mapped_column(String(200))
        city: Mapped[str] = mapped_column(String(50))
        created_at: Mapped[dt.datetime] = mapped_column(DateTime)

        def __str__(self) -> str:
            return self.name

    class Order(base):
        __tablename__ = "orders"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        number: Mapped[str] = mapped_column(String(20), unique=True)
        customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
        customer: Mapped[Customer] = relationship()
        status: Mapped[str] = mapped_column(String(20))
        amount: Mapped[int] = mapped_column(Integer)
        note: Mapped[str] = mapped_column(String(200))
        created_at: Mapped[dt.datetime] = mapped_column(DateTime)

        def __str__(self) -> str:
            return self.number

    return Customer, Order


class StatementCounter:
    """Counts the SQL statements an engine runs (the instrumented instances' listener)."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_args: Any) -> None:
        self.count += 1

    def take(self) -> int:
        value, self.count = self.count, 0
        return value


def instrumented() -> bool:
    return os.environ.get("BENCH_INSTRUMENT") == "1"
