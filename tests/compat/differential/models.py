"""The schema every differential app uses: classic declarative models, one plain session.

Seeded identically on both sides (`seed`), so any difference in what a page lists, saves or
exports comes from the admin, never from the data.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Column, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()


class Kind(enum.Enum):
    BOOK = "book"
    GAME = "game"
    TOOL = "tool"


class Maker(Base):
    __tablename__ = "maker"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, unique=True)
    country = Column(String(30))

    def __str__(self) -> str:
        return self.name


class Product(Base):
    __tablename__ = "product"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    sku = Column(String(20), unique=True)
    price = Column(Integer, nullable=False, default=0)
    in_stock = Column(Boolean, nullable=False, default=True)
    released = Column(Date)
    kind = Column(Enum(Kind))
    notes = Column(Text)
    maker_id = Column(ForeignKey("maker.id"))
    maker = relationship(Maker, backref="products")

    def __str__(self) -> str:
        return self.name


MAKERS = (("Acme", "US"), ("Globex", "DE"), ("Initech", None), ("Umbrella", "UK"))
WORDS = ("Red", "blue", "Green", "apple", "Berry", "cherry", "Delta", "echo", "Fox")


def seed(session: Session, products: int = 45) -> None:
    """Four makers and `products` products with repeats, NULLs and mixed case."""
    makers = [Maker(name=n, country=c) for n, c in MAKERS]
    session.add_all(makers)
    kinds = (Kind.BOOK, Kind.GAME, Kind.TOOL, None)
    for i in range(products):
        session.add(Product(
            name=f"{WORDS[i % len(WORDS)]} {WORDS[(i * 4) % len(WORDS)].lower()} {i:02}",
            sku=None if i % 7 == 3 else f"SKU-{i:03}",
            price=(i * 37) % 100,
            in_stock=i % 3 != 0,
            released=None if i % 5 == 4 else dt.date(2020, 1, 1) + dt.timedelta(days=i * 11),
            kind=kinds[i % 4],
            notes="100% cotton_blend" if i == 8 else None,
            maker=makers[i % 5] if i % 5 < 4 else None,
        ))
    session.commit()
