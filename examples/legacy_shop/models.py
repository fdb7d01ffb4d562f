"""The shop's models: plain SQLAlchemy declarative classes, as the legacy app has them.

Nothing here knows about the admin; the file is the same before and after the migration.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Category(enum.Enum):
    books = "books"
    games = "games"
    music = "music"


ORDER_STATUSES = ("new", "paid", "shipped", "cancelled", "archived")

product_tags = Table(
    "product_tags", Base.metadata,
    Column("product_id", ForeignKey("product.id"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
)


class Customer(Base):
    __tablename__ = "customer"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(120), nullable=False, unique=True)
    country = Column(String(2))
    phone = Column(String(30))
    created = Column(DateTime, default=datetime.utcnow)
    orders = relationship("Order", back_populates="customer")

    def __str__(self) -> str:
        return self.name


class Tag(Base):
    __tablename__ = "tag"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, unique=True)

    def __str__(self) -> str:
        return self.name


class Product(Base):
    __tablename__ = "product"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    sku = Column(String(20), nullable=False, unique=True)
    price = Column(Numeric(10, 2), nullable=False)
    in_stock = Column(Boolean, nullable=False, default=True)
    category = Column(Enum(Category), nullable=False)
    description = Column(Text)
    tags = relationship(Tag, secondary=product_tags, backref="products")

    def __str__(self) -> str:
        return self.name


class Order(Base):
    __tablename__ = "order"
    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("customer.id"), nullable=False)
    customer = relationship(Customer, back_populates="orders")
    created = Column(DateTime, nullable=False, default=datetime.utcnow)
    status = Column(Enum(*ORDER_STATUSES, name="order_status"), nullable=False, default="new")
    note = Column(Text)
    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"Order #{self.id}"

    @property
    def total(self) -> Decimal:
        return sum((line.quantity * line.unit_price for line in self.lines), Decimal("0"))


class OrderLine(Base):
    __tablename__ = "order_line"
    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("order.id"), nullable=False)
    order = relationship(Order, back_populates="lines")
    product_id = Column(ForeignKey("product.id"), nullable=False)
    product = relationship(Product)
    quantity = Column(Integer, nullable=False, default=1)
    unit_price = Column(Numeric(10, 2), nullable=False)
