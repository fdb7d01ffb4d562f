"""Demo data: 12 customers, 8 orchestrators, 30 edge devices and 5 tags, written once.

`seed(session)` does nothing when the database already has customers, so it is safe to call
on every start.  The data is fixed (no randomness), so screenshots and tests stay stable.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import (
    FIRMWARE_VERSIONS,
    BuildStatus,
    Customer,
    DeviceStatus,
    EdgeDevice,
    Orchestrator,
    OrchestratorType,
    Tag,
    utcnow,
)

log = logging.getLogger("examples.demo.seed")

# name, sid, adom, site codes
CUSTOMERS = (
    ("Acme Logistics", "SID-10042", "acme", ("fra", "ams", "lon")),
    ("Borealis Energy", "SID-10077", "borealis", ("osl", "trd")),
    ("Cobalt Retail Group", "SID-10103", "cobalt", ("par", "lyo", "mrs")),
    ("Delta Health Partners", "SID-10145", "delta-health", ("muc", "ber")),
    ("Evergreen Schools", "SID-10188", "evergreen", ("dub", "cork")),
    ("Fjord Maritime", "SID-10210", "fjord", ("brg", "sta")),
)

# Customers still being onboarded: no orchestrator or device yet (name, sid, adom).  With
# them the orchestrator form's customer search has a second page to scroll to.
PROSPECTS = (
    ("Granite Telecom", "SID-10233", "granite"),
    ("Harbor Foods", "SID-10251", "harbor"),
    ("Iris Pharmaceuticals", "SID-10268", "iris"),
    ("Juniper Hotels", "SID-10274", "juniper"),
    ("Kestrel Aviation", "SID-10290", "kestrel"),
    ("Lumen Media", "SID-10307", "lumen"),
)

# customer index, address, type, version, build status, dedicated
ORCHESTRATORS = (
    (0, "fmg-acme-01.netops.example", OrchestratorType.fortimanager, "7.4.5",
     BuildStatus.success, True),
    (0, "awx-acme.netops.example", OrchestratorType.ansible, "24.6.1", BuildStatus.idle, False),
    (1, "fmg-borealis-01.netops.example", OrchestratorType.fortimanager, "7.2.10",
     BuildStatus.success, True),
    (2, "nso-cobalt.netops.example", OrchestratorType.nso, "6.3.2", BuildStatus.success, False),
    (2, "tf-cobalt.netops.example", OrchestratorType.terraform, "1.9.8", BuildStatus.failed,
     False),
    (3, "fmg-delta-01.netops.example", OrchestratorType.fortimanager, "7.4.4",
     BuildStatus.success, True),
    (4, "fmg-shared-eu.netops.example", OrchestratorType.fortimanager, "7.4.5",
     BuildStatus.idle, False),
    (5, "awx-fjord.netops.example", OrchestratorType.ansible, "24.6.1", BuildStatus.success,
     True),
)

TAGS = (("branch", "primary"), ("datacenter", "dark"), ("lte-backup", "warning"),
        ("pci", "danger"), ("pilot", "info"))

# Status of the n-th device (cycled): mostly online, a few needing attention.
STATUS_CYCLE = (DeviceStatus.online, DeviceStatus.online, DeviceStatus.online,
                DeviceStatus.offline, DeviceStatus.online, DeviceStatus.pending,
                DeviceStatus.online, DeviceStatus.error, DeviceStatus.online,
                DeviceStatus.online)

DEVICE_COUNT = 30


def seed(db: Session) -> bool:
    """Write the demo rows unless there are customers already; True when it wrote them."""
    if db.scalar(select(Customer.id).limit(1)) is not None:
        return False
    try:
        _write(db)
        db.commit()
    except IntegrityError:  # another worker seeded at the same moment
        db.rollback()
        log.info("demo data was seeded by another process")
        return False
    return True


def _write(db: Session) -> None:
    now = utcnow()
    tags = [Tag(name=name, color=color) for name, color in TAGS]
    customers = [Customer(name=name, sid=sid, adom=adom,
                          created_at=now - dt.timedelta(days=400 - 45 * i))
                 for i, (name, sid, adom, _sites) in enumerate(CUSTOMERS)]
    orchestrators = [Orchestrator(customer=customers[c], address=address, type=kind,
                                  version=version, build_status=status, dedicated=dedicated)
                     for c, address, kind, version, status, dedicated in ORCHESTRATORS]
    prospects = [Customer(name=name, sid=sid, adom=adom,
                          created_at=now - dt.timedelta(days=60 - 8 * i))
                 for i, (name, sid, adom) in enumerate(PROSPECTS)]
    db.add_all(tags + customers + prospects + orchestrators)
    for n in range(DEVICE_COUNT):
        db.add(_device(n, customers, orchestrators, tags, now))


def _device(n: int, customers: list[Customer], orchestrators: list[Orchestrator],
            tags: list[Tag], now: dt.datetime) -> EdgeDevice:
    c = n % len(CUSTOMERS)
    sites = CUSTOMERS[c][3]
    site = sites[(n // len(CUSTOMERS)) % len(sites)]
    own = [o for o in orchestrators if o.customer is customers[c]]
    status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
    device_tags = [tags[0] if n % 4 else tags[1]]
    if n % 3 == 0:
        device_tags.append(tags[2])
    if c == 2:
        device_tags.append(tags[3])
    return EdgeDevice(
        hostname=f"{CUSTOMERS[c][2]}-{site}-{n // len(CUSTOMERS) + 1:02d}",
        serial_number=f"FGT60F{7_300_000_000 + n * 7919:010d}",
        status=status,
        firmware=FIRMWARE_VERSIONS[-1 - (n % 3)],
        ip_address=f"10.{c + 10}.{n}.1",
        notes="Seeded demo device." if n % 5 else "Rack B2, circuit 4411-XZ.",
        deploy_progress=0 if status is DeviceStatus.pending else 100,
        customer=customers[c],
        orchestrator=own[n % len(own)] if own else None,
        tags=device_tags,
        created_at=now - dt.timedelta(hours=7 * (DEVICE_COUNT - n)),
    )
