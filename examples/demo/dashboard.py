"""The dashboard page: fleet counts, a status breakdown, recent devices and quick actions.

Rendered with the built-in ``dashboard.html`` through the admin's templates, so it gets the
sidebar, the login check and the CSRF token like every other page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from starlette.requests import Request
from starlette.responses import Response

from fasthx_core import Admin, get_session_factory
from fasthx_core.guard import require_user

from . import queries
from .models import Customer, DeviceStatus, EdgeDevice, Orchestrator

DASHBOARD_URL = "/dashboard"
RECENT_DEVICES = 8


def build_router(admin: Admin) -> APIRouter:
    """``GET /dashboard`` for logged-in users."""
    router = APIRouter(dependencies=[Depends(require_user)])

    @router.get(DASHBOARD_URL, name="dashboard", include_in_schema=False)
    def dashboard(request: Request) -> Response:
        with get_session_factory()() as db:
            context = dashboard_context(db)
        context.update(page_title="Network operations", active_page="dashboard")
        return admin.templates.TemplateResponse(request, "dashboard.html", context)

    return router


def dashboard_context(db: Session) -> dict[str, Any]:
    """Everything ``dashboard.html`` shows, read in one session."""
    statuses = queries.status_counts(db)
    return {
        "dashboard_cards": _cards(db, statuses),
        "dashboard_table": _recent_devices(db),
        "dashboard_stats": {"title": "Edge devices by status",
                            "status_breakdown": {s.value.title(): n for s, n in statuses.items()}},
        "dashboard_actions": [
            {"url": "/wizard/deploy", "label": "Deploy a new edge device", "icon": "magic",
             "class": "btn-primary"},
            {"url": "/edge_devices?flt_status_equals=error", "label": "Devices in error",
             "icon": "exclamation-triangle", "class": "btn-outline-danger"},
            {"url": "/orchestrators/create", "label": "Add an orchestrator",
             "icon": "diagram-3"},
            {"url": "/customers/create", "label": "Add a customer", "icon": "building-add"},
        ],
    }


def _cards(db: Session, statuses: dict[DeviceStatus, int]) -> list[dict[str, Any]]:
    devices = sum(statuses.values())
    return [
        {"label": "Customers", "value": queries.count(db, Customer), "icon": "building",
         "color": "primary", "link": "/customers"},
        {"label": "Orchestrators", "value": queries.count(db, Orchestrator),
         "icon": "diagram-3", "color": "info", "link": "/orchestrators"},
        {"label": f"Edge devices ({statuses[DeviceStatus.online]} online)", "value": devices,
         "icon": "router", "color": "success", "link": "/edge_devices"},
        {"label": "Need attention", "value": statuses[DeviceStatus.error]
         + statuses[DeviceStatus.offline], "icon": "exclamation-triangle", "color": "danger",
         "link": "/edge_devices?flt_status_in_list=error,offline"},
    ]


def _recent_devices(db: Session) -> dict[str, Any]:
    rows = db.scalars(select(EdgeDevice).options(joinedload(EdgeDevice.customer))
                      .order_by(EdgeDevice.created_at.desc(), EdgeDevice.id.desc())
                      .limit(RECENT_DEVICES))
    return {
        "title": "Recently added edge devices",
        "link": "/edge_devices",
        "link_text": "All edge devices",
        "columns": [
            {"key": "hostname", "label": "Hostname", "link": "/edge_devices/{id}"},
            {"key": "customer", "label": "Customer"},
            {"key": "status", "label": "Status"},
            {"key": "firmware", "label": "Firmware"},
            {"key": "created", "label": "Added"},
        ],
        "rows": [{"id": d.id, "hostname": d.hostname, "customer": d.customer.name,
                  "status": d.status.value, "firmware": d.firmware,
                  "created": d.created_at.strftime("%Y-%m-%d %H:%M")} for d in rows],
    }
