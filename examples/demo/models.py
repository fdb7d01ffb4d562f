"""The demo's data model: customers, their orchestrators, and the edge devices they deploy.

Plain SQLAlchemy 2 typed models on `fasthx_core.Base`; the ``__admin_*__`` attributes tell the
admin where each model sits in the sidebar, and ``__str__`` is the label used wherever a row is
shown as a relation (selects, list cells, the detail page).
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fasthx_core import Base


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (SQLite keeps no time zone)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class OrchestratorType(enum.Enum):
    fortimanager = "fortimanager"
    ansible = "ansible"
    nso = "nso"
    terraform = "terraform"


class BuildStatus(enum.Enum):
    idle = "idle"
    building = "building"
    success = "success"
    failed = "failed"


class DeviceStatus(enum.Enum):
    online = "online"
    offline = "offline"
    deploying = "deploying"
    error = "error"
    pending = "pending"


class Customer(Base):
    __tablename__ = "customers"
    __admin_category__ = "Customers"
    __admin_icon__ = "building"
    __admin_name__ = "Customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sid: Mapped[str] = mapped_column(String(20), unique=True, doc="Service id, e.g. SID-10042")
    adom: Mapped[str] = mapped_column(String(60), doc="FortiManager administrative domain")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    orchestrators: Mapped[list[Orchestrator]] = relationship(back_populates="customer")
    edge_devices: Mapped[list[EdgeDevice]] = relationship(back_populates="customer")

    def __str__(self) -> str:
        return self.name


class Orchestrator(Base):
    __tablename__ = "orchestrators"
    __admin_category__ = "Network"
    __admin_icon__ = "diagram-3"
    __admin_name__ = "Orchestrators"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(120))
    type: Mapped[OrchestratorType] = mapped_column(Enum(OrchestratorType),
                                                   default=OrchestratorType.fortimanager)
    version: Mapped[str] = mapped_column(String(20))
    build_status: Mapped[BuildStatus] = mapped_column(Enum(BuildStatus), default=BuildStatus.idle)
    dedicated: Mapped[bool] = mapped_column(default=False)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))

    customer: Mapped[Customer] = relationship(back_populates="orchestrators")
    edge_devices: Mapped[list[EdgeDevice]] = relationship(back_populates="orchestrator")

    def __str__(self) -> str:
        return f"{self.address} ({self.type.value})" if self.type else self.address


edge_device_tags = Table(
    "edge_device_tags", Base.metadata,
    Column("edge_device_id", ForeignKey("edge_devices.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"
    __admin_category__ = "Network"
    __admin_icon__ = "tags"
    __admin_name__ = "Tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    color: Mapped[str] = mapped_column(String(20), default="secondary",
                                       doc="A Bootstrap colour: primary, success, danger…")

    edge_devices: Mapped[list[EdgeDevice]] = relationship(secondary=edge_device_tags,
                                                          back_populates="tags")

    def __str__(self) -> str:
        return self.name


class EdgeDevice(Base):
    __tablename__ = "edge_devices"
    __admin_category__ = "Network"
    __admin_icon__ = "router"
    __admin_name__ = "Edge Devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(63), unique=True)
    serial_number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[DeviceStatus] = mapped_column(Enum(DeviceStatus),
                                                 default=DeviceStatus.pending)
    firmware: Mapped[str] = mapped_column(String(20))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    notes: Mapped[str | None] = mapped_column(Text)
    deploy_progress: Mapped[int] = mapped_column(Integer, default=0)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    orchestrator_id: Mapped[int | None] = mapped_column(ForeignKey("orchestrators.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="edge_devices")
    orchestrator: Mapped[Orchestrator | None] = relationship(back_populates="edge_devices")
    tags: Mapped[list[Tag]] = relationship(secondary=edge_device_tags,
                                           back_populates="edge_devices")

    def __str__(self) -> str:
        return self.hostname


# -- rules shared by the admin views, the wizard and the seed --------------------------------

FIRMWARE_VERSIONS: tuple[str, ...] = ("7.0.15", "7.2.8", "7.2.10", "7.4.4", "7.4.5", "7.6.0")
"""Firmware images the orchestrators can push (newest last)."""

HOSTNAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
HOSTNAME_RULE = ("Use lower-case letters, digits and dashes, in at least two parts, "
                 "like acme-fra-01.")


def hostname_problem(hostname: str | None) -> str | None:
    """Why a hostname breaks the naming convention, or None when it follows it."""
    if not hostname or not HOSTNAME_RE.match(hostname):
        return HOSTNAME_RULE
    return None
