"""What changes on its own: status cells that poll, the deploy progress bar, and the list
after a batch action.  Nothing here reloads the page.

The demo server runs its jobs with ``DEMO_DEPLOY_STEP_SECONDS=0.2``: a deploy takes about
1.2 s and a build 0.6 s.
"""

from __future__ import annotations

import re

from ui import (
    RequestLog,
    assert_not_reloaded,
    expect,
    row,
    search_list,
    stay_on_page,
    toast,
)

JOB_TIMEOUT = 10_000  # ms: a job plus a poll interval or two, with room for a slow machine
QUIET = 2_200  # ms: longer than the bar's (500 ms) and the cell's (2 s) poll interval


def test_deploy_fills_a_progress_bar_and_the_status_cell_follows(page):
    search_list(page, "/edge_devices", "delta-health-muc-03")  # a pending device
    device = row(page, "delta-health-muc-03")
    status = device.locator("td[data-col='status']")
    expect(status).to_have_text("pending")  # not a final state: the cell polls
    stay_on_page(page)
    bar_polls = RequestLog(page, r"/edge_devices/\d+/progress$")
    cell_polls = RequestLog(page, r"/edge_devices/\d+/status$")

    device.get_by_role("button", name="Deploy").click()

    bar = page.locator("tr.progress-row").get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=JOB_TIMEOUT)
    expect(bar).to_have_text("100%")
    expect(page.locator("tr.progress-row")).to_contain_text("Online")
    expect(status).to_have_text("online", timeout=JOB_TIMEOUT)
    expect(status.locator(".badge")).to_have_class(re.compile(r"text-bg-success"))
    assert len(bar_polls) >= 2, "the bar polled its way up"
    assert len(cell_polls) >= 1, "the cell polled"

    polled = len(bar_polls), len(cell_polls)
    page.wait_for_timeout(QUIET)
    assert (len(bar_polls), len(cell_polls)) == polled, "polling goes on after the end"
    assert_not_reloaded(page)


def test_build_button_shows_a_toast_and_the_build_cell_updates(page):
    search_list(page, "/orchestrators", "awx-acme.netops.example")
    orchestrator = row(page, "awx-acme.netops.example")
    build = orchestrator.locator("td[data-col='build_status']")
    expect(build).to_have_text("idle")
    stay_on_page(page)

    orchestrator.get_by_role("button", name="Build").click()

    expect(toast(page, "Building awx-acme.netops.example")).to_be_visible()
    expect(build).to_have_text("success", timeout=JOB_TIMEOUT)
    assert_not_reloaded(page)


def test_batch_action_marks_the_two_selected_rows(page):
    search_list(page, "/edge_devices", "fjord", expect_rows=5)
    chosen = ("fjord-sta-02", "fjord-brg-05")
    for hostname in chosen:
        expect(row(page, hostname).locator("td[data-col='status']")).to_have_text("online")
    untouched = row(page, "fjord-brg-03")
    expect(untouched.locator("td[data-col='status']")).to_have_text("error")
    mark_offline = page.get_by_role("button", name="Mark offline")
    expect(mark_offline).to_be_disabled()
    stay_on_page(page)

    for hostname in chosen:
        row(page, hostname).get_by_role("checkbox").check()
    expect(page.locator("[data-fx-selected-count]")).to_have_text("2")
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.accept()))
    mark_offline.click()

    expect(toast(page, "2 devices marked offline.")).to_be_visible()
    assert questions == ["Mark 2 devices offline?"]
    for hostname in chosen:
        expect(row(page, hostname).locator("td[data-col='status']")).to_have_text("offline")
    expect(untouched.locator("td[data-col='status']")).to_have_text("error")
    expect(page.locator("[data-fx-selected-count]")).to_have_text("0")  # fresh rows
    assert_not_reloaded(page)
