"""A four-step wizard that deploys a new edge device: customer, orchestrator, device, review.

Each step is a WTForms form rendered by the built-in ``wizard.html`` /
``partials/wizard_step.html`` templates.  The answers of the other steps travel in hidden
inputs and are validated again on every POST (a hidden input is user input like any other),
so the finish step only creates the device when every step is valid.  Finishing starts the
deploy job and shows a progress bar that polls every 500 ms until 100 %.

Routes (logged-in users; every POST passes the CSRF check):
``GET|POST /wizard/deploy``, ``GET /wizard/deploy/{device_id}`` (the finished page) and
``GET /wizard/deploy/{device_id}/progress`` (the bar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms import Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, IPAddress, Length, Optional

from fasthx_core import Admin, get_progress, get_session_factory, set_progress
from fasthx_core.guard import NotFound, guard_view, is_htmx

from . import queries
from .models import FIRMWARE_VERSIONS, HOSTNAME_RULE, DeviceStatus, EdgeDevice, hostname_problem
from .tasks import deploy_device, runner_for

WIZARD_URL = "/wizard/deploy"
DEVICE_VIEW = "edge_devices"
MAX_VALUE = 200  # longer answers are cut before validation (the fields allow less anyway)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _int_or_none(value: Any) -> int | None:
    if value in ("", None):
        return None
    return int(value)


# -- the steps' forms -------------------------------------------------------------------------


class CustomerStep(Form):
    customer_id = SelectField("Customer", coerce=_int_or_none,
                              validators=[InputRequired("Choose a customer.")])


class OrchestratorStep(Form):
    orchestrator_id = SelectField(
        "Orchestrator", coerce=_int_or_none, validators=[InputRequired("Choose an orchestrator.")],
        description="Only the chosen customer's orchestrators are offered.")


class DeviceStep(Form):
    hostname = StringField("Hostname", [DataRequired(), Length(max=63)], filters=[_strip],
                           description=HOSTNAME_RULE,
                           render_kw={"placeholder": "acme-fra-04", "autocomplete": "off"})
    serial_number = StringField("Serial number", [DataRequired(), Length(max=32)],
                                filters=[_strip],
                                render_kw={"placeholder": "FGT60F0000000001",
                                           "autocomplete": "off"})
    firmware = SelectField("Firmware",
                           choices=[SelectChoice(v) for v in reversed(FIRMWARE_VERSIONS)],
                           default=FIRMWARE_VERSIONS[-1], validators=[InputRequired()])
    ip_address = StringField("Management IP", [Optional(), IPAddress(ipv4=True, ipv6=True)],
                             filters=[_strip], render_kw={"placeholder": "10.20.30.1"})


class ReviewStep(Form):
    """Nothing to enter: the review table and the Deploy button."""


# -- the steps' server-side rules -------------------------------------------------------------


def _bind_customer(form: Form, db: Session, state: dict[str, str]) -> None:
    form["customer_id"].choices = [SelectChoice("", "—")] + [
        SelectChoice(o["id"], o["label"]) for o in queries.customer_options(db)]


def _bind_orchestrator(form: Form, db: Session, state: dict[str, str]) -> None:
    options = queries.orchestrator_options(db, queries.parse_id(state.get("customer_id")))
    form["orchestrator_id"].choices = [SelectChoice("", "—")] + [
        SelectChoice(o["id"], o["label"]) for o in options]


def _check_orchestrator(form: Form, db: Session, state: dict[str, str]) -> None:
    if len(form["orchestrator_id"].choices) <= 1:
        form["orchestrator_id"].errors = [
            "This customer has no orchestrator yet: add one under Orchestrators first."]


def _check_device(form: Form, db: Session, state: dict[str, str]) -> None:
    hostname, serial = form["hostname"].data, form["serial_number"].data
    if hostname and (problem := hostname_problem(hostname)):
        form["hostname"].errors = [*form["hostname"].errors, problem]
    elif hostname and queries.hostname_taken(db, hostname):
        form["hostname"].errors = [*form["hostname"].errors, "This hostname is in use."]
    if serial and queries.serial_taken(db, serial):
        form["serial_number"].errors = [*form["serial_number"].errors,
                                        "A device with this serial number exists."]


def _no_op(form: Form, db: Session, state: dict[str, str]) -> None:
    """Steps without choices to load or rules beyond their validators."""


StepHook = Callable[[Form, Session, dict[str, str]], None]


@dataclass(frozen=True)
class Step:
    label: str
    title: str
    description: str
    form: type[Form]
    bind: StepHook = _no_op  # load choices (may depend on earlier answers)
    check: StepHook = _no_op  # rules that need the database, after the validators
    review: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.form()._fields)


STEPS: tuple[Step, ...] = (
    Step("Customer", "Who is the device for?",
         "The customer owns the device and decides which orchestrators may manage it.",
         CustomerStep, bind=_bind_customer),
    Step("Orchestrator", "Which orchestrator manages it?",
         "The orchestrator pushes the configuration and the firmware.",
         OrchestratorStep, bind=_bind_orchestrator, check=_check_orchestrator),
    Step("Device", "Device details",
         "The hostname must follow the naming convention; the serial number is on the box.",
         DeviceStep, check=_check_device),
    Step("Review", "Review and deploy",
         "Deploy creates the device and starts pushing its configuration.",
         ReviewStep, review=True),
)
FIELDS: tuple[str, ...] = tuple(name for step in STEPS for name in step.fields)


# -- one step: bind, validate, render ---------------------------------------------------------


def _form_for(index: int, db: Session, state: dict[str, str]) -> Form:
    step = STEPS[index]
    data = ImmutableMultiDict([(k, v) for k, v in state.items() if k in step.fields])
    form = step.form(formdata=data)
    step.bind(form, db, state)
    return form


def _validated(index: int, db: Session, state: dict[str, str]) -> Form:
    """The step's form, validated; errors are on its fields."""
    form = _form_for(index, db, state)
    if form.validate():
        STEPS[index].check(form, db, state)
    return form


def _step_index(raw: Any) -> int:
    """The posted ``_step``, clamped to the wizard's steps."""
    try:
        index = int(str(raw))
    except ValueError:
        return 0
    return min(max(index, 0), len(STEPS) - 1)


def _has_errors(form: Form) -> bool:
    return any(f.errors for f in form)


def _normalised(form: Form) -> dict[str, str]:
    return {f.name: "" if f.data is None else str(f.data) for f in form}


def _review(db: Session, state: dict[str, str]) -> list[tuple[str, str]]:
    customer = {o["id"]: o["label"] for o in queries.customer_options(db)}
    orchestrators = {o["id"]: o["label"] for o in queries.orchestrator_options(
        db, queries.parse_id(state.get("customer_id")))}
    return [
        ("Customer", customer.get(queries.parse_id(state.get("customer_id")), "—")),
        ("Orchestrator", orchestrators.get(queries.parse_id(state.get("orchestrator_id")), "—")),
        ("Hostname", state.get("hostname", "")),
        ("Serial number", state.get("serial_number", "")),
        ("Firmware", state.get("firmware", "")),
        ("Management IP", state.get("ip_address") or "—"),
    ]


def wizard_context(index: int, form: Form, state: dict[str, str], review: list[Any],
                   error: str | None = None) -> dict[str, Any]:
    """The context ``wizard.html`` and ``partials/wizard_step.html`` expect."""
    steps = [{"label": s.label, "title": s.title, "description": s.description,
              "form_fields": list(form) if i == index else [], "review": s.review}
             for i, s in enumerate(STEPS)]
    hidden = {k: v for k, v in state.items() if k not in STEPS[index].fields}
    return {"wizard": {"title": "Deploy an edge device", "steps": steps, "current": index,
                       "action": WIZARD_URL, "hidden": hidden, "review": review,
                       "finish_label": "Deploy", "finish_icon": "rocket-takeoff"},
            "error_message": error, "active_page": "deploy_wizard"}


@dataclass
class Outcome:
    """What a POST led to: a step to show (maybe with errors), or a created device."""

    index: int = 0
    context: dict[str, Any] | None = None
    device_id: int | None = None
    invalid: bool = False


def advance(db: Session, index: int, nav: str, state: dict[str, str]) -> Outcome:
    """Move from step `index` by `nav` ("back", "next" or "finish"), validating as needed."""
    if nav == "back":
        target = max(index - 1, 0)
        return _show(db, target, _form_for(target, db, state), state)
    last = len(STEPS) - 1
    upto = last if nav == "finish" else index
    for i in range(upto + 1):  # earlier answers are re-checked: hidden inputs are input too
        form = _validated(i, db, state)
        if _has_errors(form):
            return _show(db, i, form, state, "Please correct the errors below.", invalid=True)
        state.update(_normalised(form))
    if nav == "finish" and index == last:
        return _create(db, state)
    target = min(index + 1, last)
    return _show(db, target, _form_for(target, db, state), state)


def _show(db: Session, index: int, form: Form, state: dict[str, str], error: str | None = None,
          invalid: bool = False) -> Outcome:
    review = _review(db, state) if STEPS[index].review else []
    return Outcome(index=index, context=wizard_context(index, form, state, review, error),
                   invalid=invalid)


def _create(db: Session, state: dict[str, str]) -> Outcome:
    device = EdgeDevice(
        customer_id=int(state["customer_id"]), orchestrator_id=int(state["orchestrator_id"]),
        hostname=state["hostname"], serial_number=state["serial_number"],
        firmware=state["firmware"], ip_address=state.get("ip_address") or None,
        status=DeviceStatus.deploying, deploy_progress=0, notes="Created by the deploy wizard.")
    db.add(device)
    try:
        db.commit()
    except IntegrityError:  # someone took the hostname or serial since the check
        db.rollback()
        form = _validated(2, db, state)
        return _show(db, 2, form, state, "The hostname or serial number was just taken.",
                     invalid=True)
    return Outcome(index=len(STEPS), device_id=device.id)


# -- HTTP -------------------------------------------------------------------------------------


def build_router(admin: Admin) -> APIRouter:
    """The wizard's routes, behind the edge devices view's own checks (login, the view's
    allowed groups, CSRF): the wizard creates edge devices, so it is for whoever may."""

    async def may_add_devices(request: Request) -> None:
        await guard_view(admin.views["edge_devices"], request)

    router = APIRouter(dependencies=[Depends(may_add_devices)])
    factory = get_session_factory

    @router.get(WIZARD_URL, name="deploy_wizard", include_in_schema=False)
    def start(request: Request) -> Response:
        with factory()() as db:
            outcome = _show(db, 0, _form_for(0, db, {}), {})
        return _render_step(admin, request, outcome)

    @router.post(WIZARD_URL, include_in_schema=False)
    async def submit(request: Request) -> Response:
        form = await request.form()
        state = {k: v[:MAX_VALUE] for k in FIELDS if isinstance(v := form.get(k), str)}
        nav = str(form.get("_nav") or "next")
        return await run_in_threadpool(_submit, admin, request, _step_index(form.get("_step")),
                                       nav, state)

    @router.get(WIZARD_URL + "/{device_id}", name="deploy_wizard_done", include_in_schema=False)
    def done(request: Request, device_id: str) -> Response:
        return admin.templates.TemplateResponse(
            request, "demo/wizard_done_page.html", _done_context(admin, device_id))

    @router.get(WIZARD_URL + "/{device_id}/progress", include_in_schema=False)
    def progress(request: Request, device_id: str) -> Response:
        return admin.templates.TemplateResponse(
            request, "demo/deploy_progress.html", _progress_context(admin, device_id))

    return router


def _submit(admin: Admin, request: Request, index: int, nav: str,
            state: dict[str, str]) -> Response:
    with get_session_factory()() as db:
        outcome = advance(db, index, nav, state)
    if outcome.device_id is None:
        return _render_step(admin, request, outcome)
    view = admin.get_view(DEVICE_VIEW)
    assert view is not None
    key = view.progress_key(outcome.device_id)
    set_progress(key, 0, "Queued")
    runner_for(request).submit(deploy_device, outcome.device_id, key)
    if not is_htmx(request):  # post/redirect/get for a plain form post
        return RedirectResponse(f"{WIZARD_URL}/{outcome.device_id}", status_code=303)
    context = _done_context(admin, str(outcome.device_id))
    context["oob_indicators"] = True
    return admin.templates.TemplateResponse(request, "demo/wizard_done.html", context)


def _render_step(admin: Admin, request: Request, outcome: Outcome) -> Response:
    context = dict(outcome.context or {})
    if is_htmx(request):
        context["oob_indicators"] = True
        return admin.templates.TemplateResponse(request, "partials/wizard_step.html", context)
    return admin.templates.TemplateResponse(request, "wizard.html", context,
                                            status_code=422 if outcome.invalid else 200)


def _load_device(device_id: str) -> EdgeDevice:
    ident = queries.parse_id(device_id)
    with get_session_factory()() as db:
        device = db.get(EdgeDevice, ident, options=[
            joinedload(EdgeDevice.customer), joinedload(EdgeDevice.orchestrator)]) \
            if ident else None
    if device is None:
        raise NotFound(device_id)
    return device


def _progress_context(admin: Admin, device_id: str) -> dict[str, Any]:
    device = _load_device(device_id)
    view = admin.get_view(DEVICE_VIEW)
    assert view is not None
    return {"progress": get_progress(view.progress_key(device.id)), "device": device,
            "poll_url": f"{WIZARD_URL}/{device.id}/progress",
            "device_url": view.item_url(device)}


def _done_context(admin: Admin, device_id: str) -> dict[str, Any]:
    context = _progress_context(admin, device_id)
    steps = [{"label": s.label} for s in STEPS]
    context.update(wizard={"title": "Deploy an edge device", "steps": steps,
                           "current": len(STEPS)},
                   active_page="deploy_wizard", page_title="Deploy an edge device")
    return context
