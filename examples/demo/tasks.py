"""Background jobs of the demo: deploying an edge device and building an orchestrator.

A job is a plain function that takes a `TaskRunner` and ids, reports its progress with
`fasthx_core.set_progress` (stored in the database, so every worker's progress bar sees it),
and writes the outcome to the row.  The runner decides how jobs run: in a daemon thread with a
pause between steps (the server), or inline without pauses (tests, scripts).  The pause is
``DEMO_DEPLOY_STEP_SECONDS`` (default 0.8 s, so a deploy takes about five seconds).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from fasthx_core import get_session_factory, set_progress

from .models import BuildStatus, DeviceStatus, EdgeDevice, Orchestrator

log = logging.getLogger("examples.demo.tasks")

DEPLOY_STEPS: tuple[tuple[int, str], ...] = (
    (10, "Claiming serial number"),
    (25, "Registering with orchestrator"),
    (45, "Pushing base configuration"),
    (65, "Installing firmware"),
    (85, "Bringing up tunnels"),
    (100, "Online"),
)

BUILD_STEPS: tuple[str, ...] = ("Rendering templates", "Validating", "Committing")

DEFAULT_STEP_SECONDS = 0.8


def step_seconds() -> float:
    """The pause between two steps of a job: ``DEMO_DEPLOY_STEP_SECONDS`` when it is a number
    from 0 to 60 (the browser tests use 0.2), else `DEFAULT_STEP_SECONDS`."""
    try:
        value = float(os.environ.get("DEMO_DEPLOY_STEP_SECONDS", ""))
    except ValueError:
        return DEFAULT_STEP_SECONDS
    return value if 0 <= value <= 60 else DEFAULT_STEP_SECONDS


class TaskRunner:
    """Starts jobs; ``delay`` seconds (default: `step_seconds`) pass between two steps of a job.

    ``inline=True`` runs each job to its end inside `submit` (deterministic, for tests).
    """

    def __init__(self, delay: float | None = None, inline: bool = False) -> None:
        self.delay = step_seconds() if delay is None else delay
        self.inline = inline

    def submit(self, job: Callable[..., None], *args: Any) -> None:
        if self.inline:
            job(self, *args)
            return
        threading.Thread(target=job, args=(self, *args), daemon=True,
                         name=f"demo-{job.__name__}").start()

    def pause(self) -> None:
        if self.delay > 0:
            time.sleep(self.delay)


def deploy_device(runner: TaskRunner, device_id: int, progress_key: str) -> None:
    """Walk a device through `DEPLOY_STEPS`; it ends online, or in error if it vanished."""
    factory = get_session_factory()
    percent = 0
    try:
        for percent, status in DEPLOY_STEPS:
            runner.pause()
            with factory() as db:
                device = db.get(EdgeDevice, device_id)
                if device is None:
                    set_progress(progress_key, percent, "Device was deleted", failed=True)
                    return
                device.deploy_progress = percent
                if percent >= 100:
                    device.status = DeviceStatus.online
                db.commit()
            set_progress(progress_key, percent, status)
    except Exception:
        log.exception("deploying edge device %s failed", device_id)
        set_progress(progress_key, percent, "Deploy failed", failed=True)
        _mark_device_error(device_id)


def _mark_device_error(device_id: int) -> None:
    try:
        with get_session_factory()() as db:
            device = db.get(EdgeDevice, device_id)
            if device is not None:
                device.status = DeviceStatus.error
                db.commit()
    except Exception:
        log.exception("could not mark edge device %s as failed", device_id)


def build_orchestrator(runner: TaskRunner, orchestrator_id: int, progress_key: str) -> None:
    """Render and commit an orchestrator's configuration; it ends in success or failed."""
    factory = get_session_factory()
    outcome = BuildStatus.success
    try:
        for index, status in enumerate(BUILD_STEPS, start=1):
            runner.pause()
            set_progress(progress_key, index * 100 // (len(BUILD_STEPS) + 1), status)
    except Exception:
        log.exception("building orchestrator %s failed", orchestrator_id)
        outcome = BuildStatus.failed
    with factory() as db:
        orchestrator = db.get(Orchestrator, orchestrator_id)
        if orchestrator is not None:
            orchestrator.build_status = outcome
            db.commit()
    set_progress(progress_key, 100, "Built" if outcome is BuildStatus.success else "Failed",
                 failed=outcome is BuildStatus.failed)


def runner_for(request: Any) -> TaskRunner:
    """The app's runner (``app.state.task_runner``), or a default threaded one."""
    runner = getattr(request.app.state, "task_runner", None)
    return runner if isinstance(runner, TaskRunner) else TaskRunner()
