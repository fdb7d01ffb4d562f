"""The admin views of the demo: one `CRUDView` per model, each showing off a few features.

Formatters return `markupsafe.Markup` built with ``Markup.format`` (which escapes its
arguments), never by interpolating user data into an f-string.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fasthx_core import CRUDView, InlineModel, ValidationError, set_progress, toast_response
from fasthx_core.progress import progress_row_response

from . import queries
from .models import (
    FIRMWARE_VERSIONS,
    HOSTNAME_RULE,
    BuildStatus,
    Customer,
    DeviceStatus,
    EdgeDevice,
    Orchestrator,
    Tag,
    hostname_problem,
)
from .tasks import build_orchestrator, deploy_device, runner_for

# -- formatters -------------------------------------------------------------------------------

BOOTSTRAP_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "dark")
STATUS_COLORS = {
    "online": "success", "offline": "secondary", "deploying": "info", "error": "danger",
    "pending": "warning", "idle": "secondary", "building": "info", "success": "success",
    "failed": "danger",
}
BUSY_STATES = {"deploying", "building"}


def status_badge(value: Any, obj: Any) -> Markup:
    """A coloured badge for a status enum; a spinner while the state is in progress."""
    if value is None:
        return Markup("")
    text = str(getattr(value, "value", value))
    color = STATUS_COLORS.get(text, "secondary")
    if text in BUSY_STATES:
        return Markup('<span class="badge text-bg-{}"><span class="spinner-border '
                      'spinner-border-sm me-1" aria-hidden="true"></span>{}</span>'
                      ).format(color, text)
    return Markup('<span class="badge text-bg-{}">{}</span>').format(color, text)


def monospace(value: Any, obj: Any) -> Markup:
    return Markup("<code>{}</code>").format(value) if value else Markup("")


def customer_link(value: Any, obj: Any) -> Markup:
    """The customer's name, linking to the customer's detail page."""
    if value is None or getattr(obj, "customer_id", None) is None:
        return Markup("")
    return Markup('<a href="{}">{}</a>').format(f"/customers/{int(obj.customer_id)}", value)


def progress_meter(value: Any, obj: Any) -> Markup:
    percent = max(0, min(int(value or 0), 100))
    return Markup('<div class="progress" style="width: 5rem; height: .6rem" role="progressbar" '
                  'aria-label="Deploy progress" aria-valuenow="{0}" aria-valuemin="0" '
                  'aria-valuemax="100"><div class="progress-bar" style="width: {0}%"></div>'
                  '</div>').format(percent)


def tag_badge(tag: Tag) -> Markup:
    color = tag.color if tag.color in BOOTSTRAP_COLORS else "secondary"
    return Markup('<span class="badge rounded-pill text-bg-{}">{}</span>').format(color, tag.name)


def tag_badges(value: Any, obj: Any) -> Markup:
    return Markup(" ").join(tag_badge(t) for t in (value or []))


def color_swatch(value: Any, obj: Any) -> Markup:
    return tag_badge(obj)


# -- views ------------------------------------------------------------------------------------


class CustomerView(CRUDView):
    model = Customer
    column_list = ["name", "sid", "adom", "created_at"]
    column_labels = {"sid": "SID", "adom": "ADOM", "created_at": "Customer since",
                     "edge_devices": "Edge devices"}
    column_searchable = ["name", "sid", "adom"]
    column_filters = ["name", "adom", "created_at"]
    column_default_sort = "name"
    column_formatters = {"sid": monospace}
    detail_columns = ["name", "sid", "adom", "created_at", "orchestrators", "edge_devices"]
    form_columns = ["name", "sid", "adom"]
    form_widget_overrides = {
        "name": {"placeholder": "Acme Logistics"},
        "sid": {"placeholder": "SID-10042", "description": "Service id from the CRM."},
        "adom": {"placeholder": "acme", "description": "FortiManager administrative domain."},
    }
    # the customer's orchestrators, edited (added, changed, deleted) in the customer's form
    inline_models = [InlineModel(Orchestrator, form_columns=["address", "type", "version",
                                                              "dedicated"])]


class OrchestratorView(CRUDView):
    model = Orchestrator
    column_list = ["address", "type", "version", "build_status", "dedicated", "customer"]
    column_labels = {"build_status": "Build", "customer_id": "Customer"}
    column_searchable = ["address", "version", "customer.name"]
    column_filters = ["type", "build_status", "dedicated", "customer"]
    column_default_sort = "address"
    column_formatters = {"address": monospace, "build_status": status_badge}
    form_columns = ["address", "type", "version", "dedicated", "customer_id"]
    form_widget_overrides = {
        "address": {"placeholder": "fmg-eu-01.netops.example"},
        "version": {"placeholder": "7.4.5"},
    }
    form_ajax_refs = {"customer_id": {"fields": ["name", "sid"], "page_size": 10,
                                      "placeholder": "Search customers by name or SID…"}}
    row_actions = [{"name": "build", "label": "Build", "icon": "hammer",
                    "hx_post": "/{name}/{id}/build", "hx_swap": "none"}]
    htmx_columns = {"build_status": {"trigger": "every 1s",
                                     "terminal_states": ["idle", "success", "failed"]}}

    @CRUDView.endpoint("/{name}/{item_id}/build", methods=["POST"])
    def build(self, request: Request, item_id: str) -> Response:
        """Start a configuration build; the list refreshes and the status cell polls."""
        with self.session() as db:
            orchestrator = self.get_item(db, item_id)
            label = str(orchestrator)
            if orchestrator.build_status is BuildStatus.building:
                return toast_response(f"{label} is already building.", "warning")
            orchestrator.build_status = BuildStatus.building
            db.commit()
            orchestrator_id = orchestrator.id
        key = self.progress_key(orchestrator_id)
        set_progress(key, 0, "Queued")
        runner_for(request).submit(build_orchestrator, orchestrator_id, key)
        return toast_response(f"Building {label}…", "info", refresh=True)


class EdgeDeviceView(CRUDView):
    model = EdgeDevice
    column_list = ["hostname", "serial_number", "status", "customer.name", "orchestrator",
                   "firmware", "ip_address", "tags", "deploy_progress"]
    column_labels = {"serial_number": "Serial", "customer.name": "Customer",
                     "ip_address": "IP address", "deploy_progress": "Deploy",
                     "customer": "Customer", "customer_id": "Customer",
                     "orchestrator_id": "Orchestrator"}
    column_searchable = ["hostname", "serial_number", "ip_address", "customer.name"]
    column_filters = ["status", "customer", "orchestrator", "firmware", "deploy_progress", "tags"]
    column_default_sort = "hostname"
    column_formatters = {"status": status_badge, "serial_number": monospace,
                         "customer.name": customer_link, "deploy_progress": progress_meter,
                         "tags": tag_badges}
    detail_columns = ["hostname", "serial_number", "status", "customer.name", "orchestrator",
                      "firmware", "ip_address", "tags", "deploy_progress", "notes", "created_at"]
    form_columns = ["hostname", "serial_number", "ip_address", "customer_id", "orchestrator_id",
                    "tags", "status", "firmware", "notes"]
    form_sections = {
        "Identity": ["hostname", "serial_number", "ip_address"],
        "Placement": ["customer_id", "orchestrator_id", "tags"],
        "Software": ["status", "firmware"],
        "Notes": ["notes"],
    }
    form_widget_overrides = {
        "hostname": {"placeholder": "acme-fra-04", "autocomplete": "off",
                     "description": HOSTNAME_RULE},
        "serial_number": {"placeholder": "FGT60F0000000001", "autocomplete": "off"},
        "ip_address": {"placeholder": "10.20.30.1"},
        "firmware": {"type": "select", "required": True,
                     "choices": [(v, v) for v in reversed(FIRMWARE_VERSIONS)]},
        # The dependent dropdown: choosing a customer refills the orchestrator select (and
        # on page load, so an edit form only offers the device's customer's orchestrators).
        "customer_id": {"hx_get": "/edge_devices/orchestrator-options",
                        "hx_trigger": "change, load", "hx_target": "#orchestrator_id",
                        "hx_swap": "innerHTML", "hx_include": "#orchestrator_id"},
        "orchestrator_id": {"description": "Only the chosen customer's orchestrators."},
        "notes": {"placeholder": "Site contact, rack position, circuit ids…"},
    }
    row_actions = [
        {"name": "deploy", "label": "Deploy", "icon": "rocket-takeoff",
         "hx_post": "/{name}/{id}/deploy", "class": "text-success"},
        {"name": "reset", "label": "Reset", "icon": "arrow-counterclockwise",
         "hx_post": "/{name}/{id}/reset", "hx_swap": "none",
         "confirm": "Reset this device to pending?"},
    ]
    htmx_columns = {"status": {"trigger": "every 2s",
                               "terminal_states": ["online", "offline", "error"]}}

    # -- hooks ----------------------------------------------------------------------------
    def validate(self, item: Any, form_data: dict[str, Any], is_new: bool) -> None:
        problem = hostname_problem(item.hostname)
        if problem:
            raise ValidationError(
                f"The hostname {item.hostname!r} does not follow the naming convention.",
                field_errors={"hostname": problem})

    def on_model_change(self, item: Any, form_data: dict[str, Any], is_new: bool,
                        db: Session, request: Request | None = None) -> None:
        if item.orchestrator_id is None:
            return
        orchestrator = db.get(Orchestrator, item.orchestrator_id)
        if orchestrator is not None and orchestrator.customer_id != item.customer_id:
            raise ValidationError(
                "The orchestrator belongs to another customer.",
                field_errors={"orchestrator_id": "Choose one of the customer's orchestrators."})

    # -- custom endpoints -------------------------------------------------------------------
    @CRUDView.endpoint("/{name}/orchestrator-options")
    def orchestrator_options(self, request: Request, customer_id: str = "",
                             orchestrator_id: str = "") -> HTMLResponse:
        """``<option>``s of the chosen customer's orchestrators (the dependent dropdown)."""
        with self.session() as db:
            options = queries.orchestrator_options(db, queries.parse_id(customer_id))
        html = self.admin.templates.render(request, "partials/dropdown_options.html", {
            "options": options, "placeholder": "—", "selected": orchestrator_id or None})
        return HTMLResponse(html)

    @CRUDView.endpoint("/{name}/{item_id}/deploy", methods=["POST"])
    def deploy(self, request: Request, item_id: str) -> Response:
        """Queue a deploy and answer with a progress row that polls until 100 %."""
        with self.session() as db:
            device = self.get_item(db, item_id)
            device_id = device.id
            if device.status is DeviceStatus.deploying:  # already running: show its bar
                return progress_row_response(self, request, device_id)
            device.status = DeviceStatus.deploying
            device.deploy_progress = 0
            db.commit()
        response = self.progress_response(request, device_id, 0, "Queued")
        runner_for(request).submit(deploy_device, device_id, self.progress_key(device_id))
        return response

    @CRUDView.endpoint("/{name}/{item_id}/reset", methods=["POST"])
    def reset(self, request: Request, item_id: str) -> Response:
        """Put a device back to pending (e.g. after a failed or interrupted deploy)."""
        with self.session() as db:
            device = self.get_item(db, item_id)
            device.status = DeviceStatus.pending
            device.deploy_progress = 0
            db.commit()
            device_id, label = device.id, device.hostname
        set_progress(self.progress_key(device_id), 0, "Reset")
        return toast_response(f"{label} is pending again.", "info", refresh=True)

    # -- batch actions ----------------------------------------------------------------------
    @CRUDView.action("mark_offline", "Mark offline", confirm="Mark {count} devices offline?",
                     icon="power")
    def mark_offline(self, db: Session, items: list[EdgeDevice], request: Request) -> str:
        for device in items:
            device.status = DeviceStatus.offline
        db.commit()
        return f"{len(items)} devices marked offline."


class TagView(CRUDView):
    model = Tag
    column_list = ["name", "color"]
    column_searchable = ["name"]
    column_default_sort = "name"
    column_formatters = {"color": color_swatch}
    detail_columns = ["name", "color", "edge_devices"]
    column_labels = {"edge_devices": "Edge devices"}
    form_columns = ["name", "color"]
    create_modal = edit_modal = True  # small forms: opened in a modal over the list
    form_widget_overrides = {
        "name": {"placeholder": "branch"},
        "color": {"type": "select", "required": True,
                  "choices": [(c, c.title()) for c in BOOTSTRAP_COLORS]},
    }


ALL_VIEWS: tuple[type[CRUDView], ...] = (CustomerView, OrchestratorView, EdgeDeviceView, TagView)
"""In sidebar order."""
