"""The deploy wizard, step by step, ending on a progress bar that stops at 100 %."""

from __future__ import annotations

import re

from ui import RequestLog, assert_not_reloaded, expect, stay_on_page

QUIET = 1_100  # ms: two poll intervals of 500 ms


def current_step(page):
    return page.locator("#wizard-indicators [aria-current='step']")


def test_wizard_deploys_a_device_and_the_bar_stops_at_100(page):
    page.goto("/dashboard")
    page.get_by_role("link", name="Deploy a new edge device").click()
    expect(current_step(page)).to_have_text("1 Customer")
    stay_on_page(page)
    next_step = page.get_by_role("button", name="Next ›")

    next_step.click()  # nothing chosen
    expect(page.locator("#wizard-body")).to_contain_text("Choose a customer.")
    page.get_by_label("Customer").select_option(label="Cobalt Retail Group (SID-10103)")
    next_step.click()

    expect(current_step(page)).to_have_text("2 Orchestrator")
    expect(page.get_by_label("Orchestrator").locator("option")).to_have_text(
        ["—", "nso-cobalt.netops.example (nso)", "tf-cobalt.netops.example (terraform)"])
    page.get_by_label("Orchestrator").select_option(label="nso-cobalt.netops.example (nso)")
    next_step.click()

    expect(current_step(page)).to_have_text("3 Device")
    page.get_by_label("Hostname").fill("cobalt-par-01")  # a seeded device has it
    page.get_by_label("Serial number").fill("FGT60F9990000001")
    page.get_by_label("Management IP").fill("10.12.250.1")
    next_step.click()
    expect(page.locator("#wizard-body")).to_contain_text("This hostname is in use.")
    expect(page.get_by_label("Serial number")).to_have_value("FGT60F9990000001")
    page.get_by_label("Hostname").fill("cobalt-nce-01")
    next_step.click()

    expect(current_step(page)).to_have_text("4 Review")
    review = page.locator("#wizard-body table")
    for label, value in [("Customer", "Cobalt Retail Group (SID-10103)"),
                         ("Orchestrator", "nso-cobalt.netops.example (nso)"),
                         ("Hostname", "cobalt-nce-01"), ("Management IP", "10.12.250.1")]:
        expect(review.get_by_role("row", name=label)).to_contain_text(value)
    polls = RequestLog(page, r"/wizard/deploy/\d+/progress$")
    page.get_by_role("button", name="Deploy").click()

    expect(page.get_by_role("heading", name="Deploying cobalt-nce-01")).to_be_visible()
    bar = page.get_by_role("progressbar", name="Deploy progress of cobalt-nce-01")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=10_000)
    expect(bar).to_have_text("100%")
    expect(page.locator("#deploy-progress")).to_contain_text("Online")
    assert len(polls) >= 2, "the bar polled its way up"
    after_done = len(polls)
    page.wait_for_timeout(QUIET)
    assert len(polls) == after_done, "a finished bar keeps polling"
    assert_not_reloaded(page)

    page.get_by_role("link", name="View the device").click()
    expect(page).to_have_url(re.compile(r"/edge_devices/\d+$"))
    expect(page.locator("td[data-col='status']")).to_have_text("online")
