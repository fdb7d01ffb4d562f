"""Read queries shared by the admin views, the dashboard and the wizard."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Customer, DeviceStatus, EdgeDevice, Orchestrator


def parse_id(text: str | None) -> int | None:
    """A positive integer id from a form or query value, or None."""
    try:
        value = int(str(text or "").strip())
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def customer_options(db: Session) -> list[dict[str, Any]]:
    """Every customer as ``{"id", "label"}``, by name."""
    rows = db.scalars(select(Customer).order_by(Customer.name))
    return [{"id": c.id, "label": f"{c.name} ({c.sid})"} for c in rows]


def orchestrator_options(db: Session, customer_id: int | None) -> list[dict[str, Any]]:
    """The orchestrators of one customer as ``{"id", "label"}``; none without a customer."""
    if customer_id is None:
        return []
    rows = db.scalars(select(Orchestrator).where(Orchestrator.customer_id == customer_id)
                      .order_by(Orchestrator.address))
    return [{"id": o.id, "label": str(o)} for o in rows]


def status_counts(db: Session) -> dict[DeviceStatus, int]:
    """Edge devices per status, every status present (zero when none)."""
    counts = {status: n for status, n in db.execute(
        select(EdgeDevice.status, func.count()).group_by(EdgeDevice.status))}
    return {status: int(counts.get(status, 0)) for status in DeviceStatus}


def count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def hostname_taken(db: Session, hostname: str) -> bool:
    return db.scalar(select(EdgeDevice.id).where(EdgeDevice.hostname == hostname)) is not None


def serial_taken(db: Session, serial_number: str) -> bool:
    return db.scalar(select(EdgeDevice.id)
                     .where(EdgeDevice.serial_number == serial_number)) is not None
