"""A small, realistic model set for the core tests: customers own devices, devices carry tags.

The models use their own `DeclarativeBase` subclass (not `fasthx_core.Base`) to show that any
declarative base works; `Note` is the one model on `fasthx_core.Base`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

import fasthx_core


class Model(DeclarativeBase):
    """The application's own declarative base."""


class Status(enum.Enum):
    online = "online"
    offline = "offline"
    maintenance = "maintenance"


device_tags = Table(
    "device_tags", Model.metadata,
    Column("device_id", ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Customer(Model):
    __tablename__ = "customers"
    __admin_category__ = "CRM"
    __admin_icon__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    devices: Mapped[list[Device]] = relationship(back_populates="customer")

    def __str__(self) -> str:
        return self.name


class Tag(Model):
    __tablename__ = "tags"
    __admin_category__ = "Fleet"
    __admin_icon__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)

    def __str__(self) -> str:
        return self.name


class Device(Model):
    __tablename__ = "devices"
    __admin_category__ = "Fleet"
    __admin_icon__ = "hdd-network"
    __admin_name__ = "Edge Devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(50))
    status: Mapped[Status] = mapped_column(Enum(Status), default=Status.offline)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    load: Mapped[float | None] = mapped_column(Float)
    price: Mapped[decimal.Decimal | None] = mapped_column(Numeric(10, 2))
    description: Mapped[str | None] = mapped_column(Text)
    installed_on: Mapped[dt.date | None] = mapped_column(Date)
    last_seen: Mapped[dt.datetime | None] = mapped_column(DateTime)
    maintenance_at: Mapped[dt.time | None] = mapped_column(Time)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    customer: Mapped[Customer] = relationship(back_populates="devices")
    tags: Mapped[list[Tag]] = relationship(secondary=device_tags)

    def __str__(self) -> str:
        return self.hostname


class AuditEntry(Model):
    """Written by save hooks, to show that a failed save rolls back the hook's writes too."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(String(200))


class Setting(Model):
    """A string primary key (values may contain slashes and commas)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(200))

    def __str__(self) -> str:
        return self.key


class Route(Model):
    """A composite primary key: (region, number)."""

    __tablename__ = "routes"

    region: Mapped[str] = mapped_column(String(20), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(100))

    def __str__(self) -> str:
        return f"{self.region}-{self.number}"


class Note(fasthx_core.Base):
    """The one model on fasthx_core's own Base."""

    __tablename__ = "core_test_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.title


class ExtraModel(DeclarativeBase):
    """Models only some tests create (``ExtraModel.metadata.create_all``): every test's
    fresh tables stay few."""


class Reading(ExtraModel):
    """Values that databases store differently: JSON, exact decimals, date-times with
    fractions of a second (MySQL/MariaDB keep them only with ``fsp``), 32- and 64-bit
    integers."""

    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    sensor: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict | None] = mapped_column(JSON)
    amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(12, 4))
    taken_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb"))
    counter: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(BigInteger)

    def __str__(self) -> str:
        return self.sensor


SCHEMA = (Model.metadata, Note.__table__)
"""What the core tests create on their database (Note: the one table on fasthx_core.Base)."""
