"""The frame around every page: the theme toggle and the sidebar on a phone."""

from __future__ import annotations

import re
import time

import pytest
from ui import expect

PHONE = {"width": 375, "height": 740}
FIRST_PAINTED = "performance.getEntriesByType('paint').length > 0"


def wait_until(page, condition, timeout: float = 5.0) -> None:
    """Let the page's events arrive until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(20)


@pytest.mark.parametrize(("system", "chosen"), [("dark", "light"), ("light", "dark")])
def test_the_chosen_theme_survives_a_reload_without_a_flash(open_page, system, chosen):
    page = open_page(color_scheme=system)
    page.goto("/dashboard")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", system)  # follows the system at first

    page.get_by_role("button", name="Toggle dark and light theme").click()
    expect(html).to_have_attribute("data-bs-theme", chosen)

    # Reload holding Bootstrap's stylesheet back: until it arrives nothing can be painted,
    # so the theme the page has by then is the one the first paint uses.
    held = []
    page.route("**/bootstrap.min.css", lambda route: held.append(route))
    page.reload(wait_until="commit")
    page.wait_for_function("document.querySelector('link[href$=\"fasthx.css\"]') !== null")
    wait_until(page, lambda: held)  # the parser is past the theme script and the links
    assert page.evaluate("performance.getEntriesByType('paint').length") == 0, "painted early"
    assert page.evaluate("document.documentElement.dataset.bsTheme") == chosen
    for route in held:
        route.continue_()  # straight on (it is for 127.0.0.1)
    page.unroute("**/bootstrap.min.css")
    page.wait_for_function(FIRST_PAINTED)
    expect(html).to_have_attribute("data-bs-theme", chosen)

    page.goto("/edge_devices")  # and on every other page of the admin
    expect(html).to_have_attribute("data-bs-theme", chosen)


def test_on_a_phone_the_sidebar_folds_into_a_menu_button(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/dashboard")
    sidebar = page.locator("#sidebar")  # a navigation, shown as a dialog while open
    menu = page.get_by_role("button", name="Open menu")
    expect(sidebar).to_be_hidden()
    expect(menu).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], \
        "the page scrolls sideways"

    menu.tap()
    expect(sidebar).to_be_visible()
    for name in ("Dashboard", "Deploy wizard", "Customers", "Orchestrators", "Edge Devices",
                 "Tags"):
        expect(sidebar.get_by_role("link", name=name, exact=True)).to_be_visible()

    sidebar.get_by_role("link", name="Edge Devices").tap()
    expect(page).to_have_url(re.compile(r"/edge_devices$"))
    expect(sidebar).to_be_hidden()
    expect(menu).to_be_visible()


def test_on_a_desktop_the_sidebar_stays_open(page):
    page.goto("/dashboard")
    sidebar = page.get_by_role("navigation", name="Main navigation")
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Open menu")).to_be_hidden()
