"""Forms: create (a rule broken, then kept), edit, delete with a confirmation, the dependent
dropdown and the searchable customer select that loads more as you scroll.
"""

from __future__ import annotations

import re

from ui import (
    RequestLog,
    assert_not_reloaded,
    expect,
    row,
    rows,
    search_list,
    stay_on_page,
    toast,
)


def find_in_list(page, url: str, text: str):
    """Open a list, search for `text` and return its row."""
    search_list(page, url, text)
    return row(page, text)


def test_create_shows_the_broken_rule_keeps_the_input_then_saves(page):
    page.goto("/edge_devices")
    page.get_by_role("link", name="Create").click()
    expect(page).to_have_url(re.compile(r"/edge_devices/create$"))
    page.get_by_label("Hostname").fill("Acme Munich 7")
    page.get_by_label("Serial").fill("FGT60F5550000001")
    page.get_by_label("IP address").fill("10.10.99.1")
    page.get_by_role("button", name="Placement").click()
    page.get_by_label("Customer").select_option(label="Acme Logistics")
    stay_on_page(page)

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#form-body").get_by_role("alert")).to_have_text(
        "The hostname 'Acme Munich 7' does not follow the naming convention.")
    hostname = page.get_by_label("Hostname")
    expect(hostname).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#fx-field-hostname .invalid-feedback")).to_have_text(
        re.compile(r"Use lower-case letters, digits and dashes"))
    expect(toast(page, "Validation Error")).to_be_visible()
    expect(hostname).to_have_value("Acme Munich 7")  # nothing typed is lost
    expect(page.get_by_label("Serial")).to_have_value("FGT60F5550000001")
    expect(page.get_by_label("IP address")).to_have_value("10.10.99.1")
    expect(page.get_by_label("Customer")).to_have_value(re.compile(r"\d+"))
    assert_not_reloaded(page)

    hostname.fill("acme-muc-07")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/edge_devices$"))
    expect(toast(page, "created")).to_be_visible()
    page.get_by_placeholder("Search…").fill("acme-muc-07")
    created = row(page, "acme-muc-07")
    expect(created).to_contain_text("FGT60F5550000001")
    expect(created).to_contain_text("Acme Logistics")


def test_edit_changes_what_the_list_shows(page):
    found = find_in_list(page, "/edge_devices", "evergreen-dub-01")
    found.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/edge_devices/\d+/edit$"))
    expect(page.get_by_label("Hostname")).to_have_value("evergreen-dub-01")

    page.get_by_label("IP address").fill("10.14.200.1")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(toast(page, "saved")).to_be_visible()
    edited = find_in_list(page, "/edge_devices", "evergreen-dub-01")
    expect(edited.locator("td[data-col='ip_address']")).to_have_text("10.14.200.1")


def test_delete_asks_first_and_removes_the_row(page):
    target = find_in_list(page, "/edge_devices", "evergreen-cork-02")
    stay_on_page(page)
    deletes = RequestLog(page, r"/edge_devices/\d+/delete$")
    questions = []

    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    target.get_by_role("button", name="Delete").click()
    assert questions == ["Delete this edge device?"]
    expect(target).to_be_visible()

    page.once("dialog", lambda d: d.accept())
    target.get_by_role("button", name="Delete").click()

    expect(target).to_have_count(0)
    expect(toast(page, "deleted")).to_be_visible()
    assert len(deletes) == 1, "the dismissed question sent nothing"
    assert_not_reloaded(page)
    page.reload()
    expect(page.get_by_text("No edge devices found.")).to_be_visible()  # gone for good


def test_choosing_a_customer_refills_the_orchestrator_dropdown(page):
    page.goto("/edge_devices/create")
    page.get_by_role("button", name="Placement").click()
    customer, orchestrator = page.get_by_label("Customer"), page.get_by_label("Orchestrator")
    options = orchestrator.locator("option")
    expect(options).to_have_text(["—"])  # no customer yet, no orchestrator to offer

    customer.select_option(label="Borealis Energy")
    expect(options).to_have_text(["—", "fmg-borealis-01.netops.example (fortimanager)"])

    customer.select_option(label="Cobalt Retail Group")
    expect(options).to_have_text(["—", "nso-cobalt.netops.example (nso)",
                                  "tf-cobalt.netops.example (terraform)"])
    orchestrator.select_option(label="tf-cobalt.netops.example (terraform)")

    customer.select_option(label="Granite Telecom")  # onboarding: no orchestrator yet
    expect(options).to_have_text(["—"])


def test_customer_search_finds_and_scrolls_to_a_second_page(page):
    page.goto("/orchestrators/create")
    page.get_by_label("Address").fill("awx-lumen.netops.example")
    page.get_by_label("Type").select_option(label="Ansible")
    page.get_by_label("Version").fill("24.6.1")
    search = page.get_by_role("combobox", name="Search Customer")
    menu = page.get_by_role("listbox", name="Customer options")
    pages = RequestLog(page, r"/orchestrators/ajax/customer_id\?.*page=2")

    search.press_sequentially("hotels", delay=30)
    expect(menu.get_by_role("option")).to_have_text(["Juniper Hotels"])

    search.fill("SID-10")  # every customer's service id: more than one page
    expect(menu.get_by_role("option")).to_have_count(10)
    expect(menu.get_by_role("option", name="Lumen Media")).to_have_count(0)
    assert len(pages) == 0, "the second page loads only when scrolled to"

    menu.hover()
    page.mouse.wheel(0, 600)
    lumen = menu.get_by_role("option", name="Lumen Media")
    expect(lumen).to_be_visible()
    expect(menu.get_by_role("option")).to_have_count(12)
    assert len(pages) == 1
    lumen.click()

    expect(search).to_have_value("Lumen Media")
    expect(menu.get_by_role("option")).to_have_count(0)  # the menu closed
    page.get_by_role("button", name="Save", exact=True).click()

    expect(toast(page, "created")).to_be_visible()
    page.get_by_placeholder("Search…").fill("awx-lumen")
    expect(row(page, "awx-lumen.netops.example")).to_contain_text("Lumen Media")
    expect(rows(page)).to_have_count(1)
