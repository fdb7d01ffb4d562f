"""The demo app (``examples/demo``) against a temporary SQLite file.

Deploy and build jobs run through an injected `TaskRunner`: inline without pauses (a job
finishes inside the request that starts it), or recorded and run by the test when it wants,
so progress is checked step by step without sleeping.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fasthx_core import get_engine, get_progress, get_session_factory, set_progress

REPO_ROOT = Path(__file__).resolve().parents[2]
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
HTMX = {"HX-Request": "true"}


def demo_module(name: str) -> ModuleType:
    """``examples.demo.<name>``; the examples live in the repository, not in the package."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    return importlib.import_module(f"examples.demo.{name}")


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(HIDDEN_INPUT.findall(html))


def csrf(client: TestClient) -> str:
    return hidden_inputs(client.get("/edge_devices/create").text)["csrf_token"]


class DemoClient(TestClient):
    """A TestClient that can hold back the demo's jobs: `jobs` are run by `run_jobs`."""

    def __init__(self, app: Any, runner: Any, hold_jobs: bool) -> None:
        super().__init__(app)
        self.runner = runner
        self.jobs: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        if hold_jobs:
            runner.submit = lambda job, *args: self.jobs.append((job, args))

    def run_jobs(self) -> None:
        jobs, self.jobs = self.jobs, []
        for job, args in jobs:
            job(self.runner, *args)


def demo_client(path: Path, hold_jobs: bool = False) -> DemoClient:
    """A client of the demo on the SQLite file `path`, not started yet (entering it runs the
    lifespan: tables and seed); jobs run inline unless `hold_jobs`."""
    app_module, tasks = demo_module("app"), demo_module("tasks")
    runner = tasks.TaskRunner(delay=0, inline=True)
    app = app_module.create_app(f"sqlite:///{path}", task_runner=runner)
    return DemoClient(app, runner, hold_jobs)


@pytest.fixture
def make_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[Callable[..., DemoClient]]:
    """Start the demo on a fresh database file; jobs run inline unless ``hold_jobs=True``."""
    monkeypatch.setenv("AUTH_DISABLED", "1")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with contextlib.ExitStack() as started:
        yield lambda hold_jobs=False: started.enter_context(
            demo_client(tmp_path / "demo.db", hold_jobs))
    get_engine().dispose()


@pytest.fixture
def demo(make_demo: Callable[..., DemoClient]) -> DemoClient:
    return make_demo()


def db_scalar(statement: Any) -> Any:
    with get_session_factory()() as db:
        return db.scalar(statement)


# -- seeded pages --------------------------------------------------------------------------


def test_seed_writes_the_demo_fleet_once(make_demo: Callable[..., DemoClient]) -> None:
    make_demo()
    models = demo_module("models")
    counts = {m.__name__: db_scalar(select(func.count()).select_from(m))
              for m in (models.Customer, models.Orchestrator, models.EdgeDevice, models.Tag)}
    assert counts == {"Customer": 12, "Orchestrator": 8, "EdgeDevice": 30, "Tag": 5}
    make_demo()  # a second start on the same database adds nothing
    assert db_scalar(select(func.count()).select_from(models.EdgeDevice)) == 30


def test_home_redirects_to_the_dashboard(demo: TestClient) -> None:
    response = demo.get("/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/dashboard"


def test_dashboard_shows_counts_recent_devices_and_links(demo: TestClient) -> None:
    html = demo.get("/dashboard").text
    assert "Recently added edge devices" in html
    assert "Edge devices by status" in html
    assert 'href="/wizard/deploy"' in html  # quick action and sidebar link
    assert ">Dashboard</span>" in html and ">Deploy wizard</span>" in html
    assert re.search(r'<div class="fs-3 fw-semibold">30</div>', html)  # edge devices card
    assert re.search(r'href="/edge_devices/\d+">[a-z0-9-]+</a>', html)  # recent rows link


@pytest.mark.parametrize("url", ["/customers", "/orchestrators", "/edge_devices", "/tags",
                                 "/customers/1", "/orchestrators/1", "/edge_devices/1",
                                 "/tags/1", "/customers/1/edit", "/orchestrators/1/edit",
                                 "/edge_devices/1/edit", "/edge_devices/create",
                                 "/wizard/deploy"])
def test_seeded_pages_render(demo: TestClient, url: str) -> None:
    response = demo.get(url)
    assert response.status_code == 200, url
    assert "<html" in response.text


def test_edge_list_uses_formatters_filters_and_polling(demo: TestClient) -> None:
    html = demo.get("/edge_devices?flt_status_equals=online").text
    assert '<span class="badge text-bg-success">online</span>' in html
    assert '<a href="/customers/1">Acme Logistics</a>' in html
    assert re.search(r"<code>FGT60F\d{10}</code>", html)
    assert "text-bg-danger\">error" not in html  # the filter applied
    pending = demo.get("/edge_devices?flt_status_equals=pending").text
    assert re.search(r'hx-get="/edge_devices/\d+/status" hx-trigger="every 2s"', pending)


def test_formatters_escape_user_data(demo: TestClient) -> None:
    models = demo_module("models")
    with get_session_factory()() as db:
        customer = db.get(models.Customer, 1)
        customer.name = '<img src=x onerror="alert(1)">'
        db.commit()
    html = demo.get("/edge_devices?flt_customer_equals=1").text
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</a>" in html


def test_edge_form_has_sections_and_a_dependent_customer_select(demo: TestClient) -> None:
    html = demo.get("/edge_devices/1/edit").text
    for section in ("Identity", "Placement", "Software", "Notes"):
        assert f">{section}</button>" in html
    select_tag = re.search(r'<select[^>]*name="customer_id"[^>]*>', html).group(0)
    assert 'hx-get="/edge_devices/orchestrator-options"' in select_tag
    assert 'hx-target="#orchestrator_id"' in select_tag
    assert 'placeholder="acme-fra-04"' in html
    assert '<option selected value="7.6.0">7.6.0</option>' in html  # firmware select


def test_orchestrator_form_searches_customers_by_ajax(demo: TestClient) -> None:
    html = demo.get("/orchestrators/create").text
    assert 'hx-get="/orchestrators/ajax/customer_id"' in html
    response = demo.get("/orchestrators/ajax/customer_id?q=SID-10077",
                        headers={"accept": "application/json"})
    assert response.json()["items"] == [{"value": "2", "label": "Borealis Energy"}]


# -- dependent dropdown ----------------------------------------------------------------------


def test_dependent_dropdown_offers_the_chosen_customers_orchestrators_only(
        demo: TestClient) -> None:
    models = demo_module("models")
    with get_session_factory()() as db:
        expected = set(db.scalars(select(models.Orchestrator.id)
                                  .where(models.Orchestrator.customer_id == 3)))
        others = set(db.scalars(select(models.Orchestrator.id)
                                .where(models.Orchestrator.customer_id != 3)))
    assert expected and others
    html = demo.get("/edge_devices/orchestrator-options?customer_id=3").text
    offered = {int(v) for v in re.findall(r'<option value="(\d+)"', html)}
    assert offered == expected
    assert '<option value="">—</option>' in html

    kept = min(expected)
    html = demo.get(f"/edge_devices/orchestrator-options?customer_id=3&orchestrator_id={kept}"
                    ).text
    assert f'<option value="{kept}" selected>' in html
    for bad in ("", "abc", "999"):
        html = demo.get(f"/edge_devices/orchestrator-options?customer_id={bad}").text
        assert re.findall(r'<option value="(\d+)"', html) == []


# -- wizard ----------------------------------------------------------------------------------


def wizard_post(client: TestClient, page: str, nav: str = "next", **fields: str) -> str:
    response = client.post("/wizard/deploy", data={**hidden_inputs(page), "_nav": nav, **fields},
                           headers=HTMX)
    assert response.status_code == 200
    return response.text


def walk_to_review(client: TestClient) -> str:
    page = client.get("/wizard/deploy").text
    page = wizard_post(client, page, customer_id="3")
    page = wizard_post(client, page, orchestrator_id="4")
    return wizard_post(client, page, hostname="cobalt-nce-01", serial_number="FGT60F0000000999",
                       firmware="7.4.5", ip_address="10.12.99.1")


def test_wizard_walks_four_steps_to_a_deployed_device(demo: TestClient) -> None:
    models = demo_module("models")
    page = demo.get("/wizard/deploy").text
    assert 'name="_step" value="0"' in page and 'name="customer_id"' in page

    page = wizard_post(demo, page, customer_id="")
    assert "Choose a customer." in page and 'name="_step" value="0"' in page

    page = wizard_post(demo, page, customer_id="3")
    assert 'name="_step" value="1"' in page and 'hx-swap-oob="true"' in page
    assert set(re.findall(r'<option value="(\d+)"', page)) == {"4", "5"}  # Cobalt's only

    page = wizard_post(demo, page, orchestrator_id="4")
    assert 'name="_step" value="2"' in page
    bad = wizard_post(demo, page, hostname="Cobalt_NCE", serial_number="FGT60F0000000999",
                      firmware="7.4.5")
    assert "acme-fra-01" in bad and 'value="Cobalt_NCE"' in bad
    assert 'name="_step" value="2"' in bad

    page = wizard_post(demo, page, hostname="cobalt-nce-01", serial_number="FGT60F0000000999",
                       firmware="7.4.5", ip_address="10.12.99.1")
    assert 'name="_step" value="3"' in page
    assert "<td>Cobalt Retail Group (SID-10103)</td>" in page
    assert "<td>nso-cobalt.netops.example (nso)</td>" in page
    assert "<td>cobalt-nce-01</td>" in page
    back = wizard_post(demo, page, nav="back")
    assert 'value="cobalt-nce-01"' in back and 'name="_step" value="2"' in back

    done = wizard_post(demo, page, nav="finish")
    with get_session_factory()() as db:
        device = db.scalars(select(models.EdgeDevice)
                            .where(models.EdgeDevice.hostname == "cobalt-nce-01")).one()
        assert (device.customer_id, device.orchestrator_id) == (3, 4)
        assert (device.serial_number, device.firmware) == ("FGT60F0000000999", "7.4.5")
        assert device.status is models.DeviceStatus.online  # the inline runner finished it
        assert device.deploy_progress == 100
    assert "Deploying cobalt-nce-01" in done
    assert f'href="/edge_devices/{device.id}"' in done
    progress = demo.get(f"/wizard/deploy/{device.id}/progress").text
    assert "100%" in progress and "hx-trigger" not in progress  # stops polling at 100 %
    assert demo.get(f"/wizard/deploy/{device.id}").status_code == 200


def test_wizard_progress_polls_every_500ms_until_done(make_demo: Callable[..., DemoClient]
                                                     ) -> None:
    client = make_demo(hold_jobs=True)
    done = wizard_post(client, walk_to_review(client), nav="finish")
    device_id = int(re.search(r'href="/edge_devices/(\d+)"', done).group(1))
    assert 'hx-trigger="every 500ms"' in done and "0%" in done
    set_progress(f"edge_devices:{device_id}", 45, "Pushing base configuration")
    bar = client.get(f"/wizard/deploy/{device_id}/progress").text
    assert "45%" in bar and "Pushing base configuration" in bar and "every 500ms" in bar
    client.run_jobs()
    bar = client.get(f"/wizard/deploy/{device_id}/progress").text
    assert "100%" in bar and "hx-trigger" not in bar


def test_wizard_rechecks_earlier_answers_on_finish(demo: TestClient) -> None:
    models = demo_module("models")
    page = walk_to_review(demo)
    tampered = hidden_inputs(page) | {"orchestrator_id": "1"}  # Acme's, not Cobalt's
    response = demo.post("/wizard/deploy", data={**tampered, "_nav": "finish"}, headers=HTMX)
    assert 'name="_step" value="1"' in response.text
    assert "Not a valid choice" in response.text
    assert db_scalar(select(models.EdgeDevice.id)
                     .where(models.EdgeDevice.hostname == "cobalt-nce-01")) is None


def test_wizard_refuses_taken_hostnames_and_missing_csrf(demo: TestClient) -> None:
    page = demo.get("/wizard/deploy").text
    page = wizard_post(demo, page, customer_id="1")
    page = wizard_post(demo, page, orchestrator_id="1")
    taken = wizard_post(demo, page, hostname="acme-fra-01", serial_number="NEW-SERIAL-1",
                        firmware="7.6.0")
    assert "This hostname is in use." in taken
    state = {k: v for k, v in hidden_inputs(page).items() if k != "csrf_token"}
    response = demo.post("/wizard/deploy", data={**state, "_nav": "next"})
    assert response.status_code == 403


# -- row actions, batch actions, hooks ---------------------------------------------------------


def test_deploy_row_action_answers_a_progress_row_that_reaches_100(
        make_demo: Callable[..., DemoClient]) -> None:
    client = make_demo(hold_jobs=True)
    models = demo_module("models")
    token = csrf(client)
    response = client.post("/edge_devices/2/deploy", headers=HTMX | {"X-CSRF-Token": token})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<tr class="progress-row"')
    assert 'hx-get="/edge_devices/2/progress" hx-trigger="every 500ms"' in response.text
    assert get_progress("edge_devices:2")["status"] == "Queued"
    assert db_scalar(select(models.EdgeDevice.status).where(models.EdgeDevice.id == 2)) \
        is models.DeviceStatus.deploying

    set_progress("edge_devices:2", 60, "Installing firmware")
    row = client.get("/edge_devices/2/progress").text
    assert "60%" in row and "Installing firmware" in row and "every 500ms" in row

    client.run_jobs()
    row = client.get("/edge_devices/2/progress").text
    assert "100%" in row and "hx-trigger" not in row
    with get_session_factory()() as db:
        device = db.get(models.EdgeDevice, 2)
        assert (device.status, device.deploy_progress) == (models.DeviceStatus.online, 100)
    poll = client.get("/edge_devices/2/status")
    assert poll.status_code == 286 and "online" in poll.text  # terminal: polling stops


def test_reset_row_action_puts_the_device_back_to_pending(demo: TestClient) -> None:
    models = demo_module("models")
    response = demo.post("/edge_devices/1/reset", headers=HTMX | {"X-CSRF-Token": csrf(demo)})
    assert response.status_code == 200
    assert "refreshList" in response.headers["HX-Trigger"]
    assert db_scalar(select(models.EdgeDevice.status).where(models.EdgeDevice.id == 1)) \
        is models.DeviceStatus.pending
    assert demo.post("/edge_devices/1/reset", headers=HTMX).status_code == 403  # no CSRF
    assert demo.post("/edge_devices/9999/reset",
                     headers=HTMX | {"X-CSRF-Token": csrf(demo)}).status_code == 404


def test_build_row_action_and_build_status_polling(demo: TestClient) -> None:
    models = demo_module("models")
    response = demo.post("/orchestrators/2/build", headers=HTMX | {"X-CSRF-Token": csrf(demo)})
    assert response.status_code == 200 and "Building" in response.headers["HX-Trigger"]
    assert db_scalar(select(models.Orchestrator.build_status)
                     .where(models.Orchestrator.id == 2)) is models.BuildStatus.success
    poll = demo.get("/orchestrators/2/build_status")
    assert poll.status_code == 286 and "success" in poll.text


def test_mark_offline_batch_action(demo: TestClient) -> None:
    models = demo_module("models")
    assert 'hx-vals=\'{"action": "mark_offline"}\'' in demo.get("/edge_devices").text
    response = demo.post("/edge_devices/batch", data={"action": "mark_offline", "ids": "1,2,7"},
                         headers=HTMX | {"X-CSRF-Token": csrf(demo)})
    assert "3 devices marked offline." in response.headers["HX-Trigger"]
    with get_session_factory()() as db:
        statuses = set(db.scalars(select(models.EdgeDevice.status)
                                  .where(models.EdgeDevice.id.in_([1, 2, 7]))))
    assert statuses == {models.DeviceStatus.offline}


def new_device_form(token: str, **changes: str) -> dict[str, str]:
    data = {"csrf_token": token, "hostname": "acme-new-01", "serial_number": "FGT60FNEW000001",
            "customer_id": "1", "orchestrator_id": "1", "firmware": "7.6.0",
            "status": "pending", "ip_address": "", "notes": ""}
    data.update(changes)
    return data


def test_validate_hook_message_is_shown_and_the_input_kept(demo: TestClient) -> None:
    models = demo_module("models")
    token = csrf(demo)
    response = demo.post("/edge_devices/create",
                         data=new_device_form(token, hostname="Bad Host!", notes="rack 4"))
    assert response.status_code == 422
    assert "The hostname &#39;Bad Host!&#39; does not follow the naming convention." \
        in response.text
    assert "like acme-fra-01." in response.text  # the field error under the hostname
    assert 'value="Bad Host!"' in response.text and "rack 4</textarea>" in response.text
    assert db_scalar(select(func.count()).select_from(models.EdgeDevice)) == 30

    htmx = demo.post("/edge_devices/create", data=new_device_form(token, hostname="Bad Host!"),
                     headers=HTMX)
    assert htmx.status_code == 200 and "naming convention" in htmx.headers["HX-Trigger"]

    ok = demo.post("/edge_devices/create", data=new_device_form(token),
                   follow_redirects=False)
    assert ok.status_code == 303
    assert db_scalar(select(func.count()).select_from(models.EdgeDevice)) == 31


def test_orchestrator_of_another_customer_is_refused(demo: TestClient) -> None:
    response = demo.post("/edge_devices/create",
                         data=new_device_form(csrf(demo), orchestrator_id="3"))
    assert response.status_code == 422
    assert "The orchestrator belongs to another customer." in response.text


# -- login -------------------------------------------------------------------------------------


def test_login_uses_the_demo_password(make_demo: Callable[..., DemoClient],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTH_DISABLED", raising=False)
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")
    client = make_demo()
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/wizard/deploy", follow_redirects=False).status_code == 303
    token = hidden_inputs(client.get("/login").text)["csrf_token"]
    wrong = client.post("/login", data={"username": "admin", "password": "admin",
                                        "csrf_token": token})
    assert wrong.status_code == 401
    right = client.post("/login", data={"username": "admin", "password": "s3cret-demo",
                                        "csrf_token": token}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
