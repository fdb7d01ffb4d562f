"""Inline child rows and modal forms in a real browser: the demo's customer form edits its
orchestrators ("Add" fetches numbered blank rows over HTMX, a refused row keeps every input,
one save stores the new rows and deletes the marked one), and the tags' create form opens in
a modal over the list."""

from __future__ import annotations

import re

from ui import expect, row, search_list, stay_on_page


def test_add_rows_refuse_then_save_and_delete(page):
    search_list(page, "/customers", "Granite Telecom")
    row(page, "Granite Telecom").get_by_role("link", name=re.compile("Edit")).first.click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/edit$"))
    rows = page.locator("#fx-inline-orchestrators .fx-inline-row")
    before = rows.count()
    add = page.get_by_role("button", name="Add Orchestrators")
    stay_on_page(page)

    add.click()
    expect(rows).to_have_count(before + 1)
    add.click()  # the button swapped in by the first answer asks for the next number
    expect(rows).to_have_count(before + 2)
    first, second = (f"#orchestrators-{before}", f"#orchestrators-{before + 1}")
    page.locator(f"{first} input[name$='-address']").fill("fmg.granite.example")
    page.locator(f"{second} input[name$='-address']").fill("second.granite.example")
    page.locator(f"{second} input[name$='-version']").fill("7.4.2")
    page.get_by_role("button", name="Save", exact=True).click()

    # the first new row has no version: refused, nothing lost, the error under that field
    expect(page.locator(f"#fx-field-orchestrators-{before}-version .invalid-feedback")
           ).to_be_visible()
    expect(page.locator(f"{first} input[name$='-address']")).to_have_value(
        "fmg.granite.example")
    expect(page.locator(f"{second} input[name$='-version']")).to_have_value("7.4.2")

    page.locator(f"{first} input[name$='-version']").fill("7.2.8")
    page.locator(f"{second} input[type=checkbox][name^='del-']").check()  # leave it out
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/customers$"))

    search_list(page, "/customers", "Granite Telecom")
    row(page, "Granite Telecom").get_by_role("link", name=re.compile("Edit")).first.click()
    addresses = page.locator("#fx-inline-orchestrators input[name$='-address']")
    expect(addresses).to_have_count(before + 1)
    values = [addresses.nth(i).input_value() for i in range(before + 1)]
    assert "fmg.granite.example" in values and "second.granite.example" not in values


def test_create_in_a_modal_refused_then_saved(page):
    """The demo's tags open their forms in a modal over the list (``create_modal``)."""
    page.goto("/tags")
    stay_on_page(page)
    page.get_by_role("link", name="Create").click()
    modal = page.locator("#fx-modal")
    expect(modal).to_be_visible()
    expect(modal.get_by_role("heading", name="Create Tag")).to_be_visible()
    modal.get_by_role("button", name="Save", exact=True).click()
    expect(modal.locator("#fx-field-name .invalid-feedback")).to_be_visible()  # still open
    modal.get_by_label("Name").fill("modal-tag")
    modal.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tags$"))
    expect(modal).to_be_hidden()
    search_list(page, "/tags", "modal-tag")
