"""Models only the security suite creates: rows that carry a version for the lost-update
guard, one per way of naming it."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class SecurityModel(DeclarativeBase):
    """The suite's own declarative base (its tables are created beside the core tests')."""


class Ticket(SecurityModel):
    """SQLAlchemy's own optimistic locking: ``version_id_col``."""

    __tablename__ = "sec_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.title


class Page(SecurityModel):
    """A plain integer the view names in ``version_column``; the engine increments it."""

    __tablename__ = "sec_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    revision: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    def __str__(self) -> str:
        return self.title
