"""Screenshots of the main kinds of page, in the light and the dark theme (1280x800).

They are saved to ``test-artifacts/screenshots/<page>-<theme>.png`` (not committed).  Run with
``UPDATE_DOCS_SCREENSHOTS=1`` to also refresh the README's copies in ``docs/screenshots/``
(one theme per page, listed in `DOCS`).
"""

from __future__ import annotations

import os
import shutil

import pytest
from ui import ROOT, expect, screenshot

DOCS_DIR = ROOT / "docs" / "screenshots"
DOCS = {"dashboard": "dark", "list": "light", "form": "light", "detail": "dark",
        "wizard": "dark"}


def show_dashboard(page) -> None:
    page.goto("/dashboard")
    expect(page.get_by_text("Recently added edge devices")).to_be_visible()


def show_list(page) -> None:
    page.goto("/edge_devices")
    expect(page.locator("#table-body tr").first).to_be_visible()


def show_form(page) -> None:
    page.goto("/edge_devices/1/edit")  # acme-fra-01, which no other test changes
    page.get_by_role("button", name="Placement").click()
    expect(page.get_by_label("Orchestrator")).to_have_value("1")  # refilled for the customer


def show_detail(page) -> None:
    page.goto("/edge_devices/1")
    expect(page.locator("td[data-col='hostname']")).to_have_text("acme-fra-01")


def show_wizard(page) -> None:
    page.goto("/wizard/deploy")
    page.get_by_label("Customer").select_option(label="Acme Logistics (SID-10042)")
    page.get_by_role("button", name="Next ›").click()
    page.get_by_label("Orchestrator").select_option(label="fmg-acme-01.netops.example "
                                                          "(fortimanager)")
    page.get_by_role("button", name="Next ›").click()
    page.get_by_label("Hostname").fill("acme-ham-01")
    page.get_by_label("Serial number").fill("FGT60F7301234567")
    expect(page.locator("#wizard-indicators [aria-current='step']")).to_have_text("3 Device")


PAGES = {"dashboard": show_dashboard, "list": show_list, "form": show_form,
         "detail": show_detail, "wizard": show_wizard}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_of_every_kind_of_page(open_page, theme):
    page = open_page(color_scheme=theme, viewport={"width": 1280, "height": 800})
    for name, show in PAGES.items():
        show(page)
        expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
        page.mouse.move(0, 0)  # no hover effect or focus ring in the picture
        page.evaluate("document.activeElement && document.activeElement.blur()")
        path = screenshot(page, f"{name}-{theme}")
        assert path.stat().st_size > 10_000  # a rendered page, not a blank one
        if os.environ.get("UPDATE_DOCS_SCREENSHOTS") and DOCS[name] == theme:
            DOCS_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_DIR / f"{name}.png")
