"""The list page: live search, sorting by a column header, the back button, pagination.

Every change happens in place (HTMX swaps the rows and pushes the URL); a marker set on the
window before acting shows that the page was never reloaded.
"""

from __future__ import annotations

import re

from ui import RequestLog, assert_not_reloaded, column, expect, rows, stay_on_page


def test_live_search_narrows_the_rows_as_you_type(page):
    page.goto("/edge_devices")
    all_rows = rows(page).count()
    assert all_rows == 20  # the first page of 30 seeded devices
    stay_on_page(page)
    searches = RequestLog(page, r"/edge_devices\?(.*&)?q=")

    page.get_by_placeholder("Search…").press_sequentially("borealis", delay=40)

    expect(page).to_have_url(re.compile(r"/edge_devices\?q=borealis(&|$)"))
    expect(rows(page).first).to_contain_text("borealis")
    hostnames = column(page, "hostname")
    assert 0 < len(hostnames) < all_rows
    assert all(h.startswith("borealis-") for h in hostnames), hostnames
    assert len(searches) < len("borealis"), "typing is debounced, not one request a key"
    assert re.search(r"q=borealis(&|$)", searches.urls[-1])
    assert_not_reloaded(page)

    page.get_by_placeholder("Search…").fill("no-such-device")
    expect(page.get_by_text("No edge devices found.")).to_be_visible()
    page.get_by_placeholder("Search…").fill("")
    expect(rows(page)).to_have_count(all_rows)
    assert_not_reloaded(page)


def test_a_column_header_sorts_and_the_back_button_restores_the_order(page):
    page.goto("/edge_devices")
    by_hostname = column(page, "hostname")
    assert by_hostname == sorted(by_hostname)  # the view's default order
    stay_on_page(page)
    header = page.get_by_role("columnheader", name="Serial")

    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=serial_number&order=asc"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = column(page, "serial_number")
    assert ascending == sorted(ascending)

    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=serial_number&order=desc"))
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = column(page, "serial_number")
    assert descending == sorted(descending, reverse=True) and descending != ascending

    page.go_back()
    expect(page).to_have_url(re.compile(r"sort=serial_number&order=asc"))
    expect(page.locator("#table-body td[data-col='serial_number']").first
           ).to_have_text(ascending[0])
    assert column(page, "serial_number") == ascending

    page.go_back()
    expect(page).to_have_url(re.compile(r"/edge_devices$"))
    expect(page.locator("#table-body td[data-col='hostname']").first).to_have_text(by_hostname[0])
    assert column(page, "hostname") == by_hostname
    assert_not_reloaded(page)


def test_pagination_moves_between_pages_in_place(page):
    page.goto("/edge_devices")
    first_page = column(page, "hostname")
    total = page.locator("[data-fx-total]")
    expect(total).to_contain_text(re.compile(r"page 1 of 2"))
    expect(page.get_by_label("Previous page")).to_have_count(0)  # disabled: no link
    stay_on_page(page)

    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(total).to_contain_text("page 2 of 2")
    second_page = column(page, "hostname")
    assert second_page and not set(second_page) & set(first_page)
    assert second_page == sorted(second_page) and first_page[-1] < second_page[0]
    expect(page.locator(".pagination .active")).to_have_text("2")

    page.get_by_role("link", name="Previous page").click()
    expect(total).to_contain_text("page 1 of 2")
    assert column(page, "hostname") == first_page
    assert_not_reloaded(page)
