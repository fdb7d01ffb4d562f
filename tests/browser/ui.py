"""Reading the demo's pages the way a person does: rows, cells, toasts; plus request logs,
a no-reload check and screenshots.

Rows are located by what they show (a hostname), never by a database id, because the tests
share one server and its database.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, Request, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def rows(page: Page) -> Locator:
    """The data rows of the list on the page (not the "No … found." row)."""
    return page.locator("#table-body tr[id^='row-']")


def row(page: Page, text: str) -> Locator:
    """The list row whose cells show `text` (e.g. a hostname)."""
    return rows(page).filter(has=page.get_by_text(text, exact=True))


def search_list(page: Page, url: str, text: str, expect_rows: int = 1) -> None:
    """Open a list and type `text` into its search box; returns once the rows are filtered."""
    page.goto(url)
    page.get_by_placeholder("Search…").fill(text)
    expect(rows(page)).to_have_count(expect_rows)


def column(page: Page, key: str) -> list[str]:
    """The texts of one column of the list, top to bottom."""
    return [t.strip() for t in page.locator(f"#table-body td[data-col='{key}']").all_inner_texts()]


def toast(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.locator("#toast-container .toast").filter(has_text=text)


def stay_on_page(page: Page) -> None:
    """Mark the loaded document; `assert_not_reloaded` fails if it was replaced since.

    Waits for the document's load event first: a click that lands before htmx has bound the
    page submits the form the plain way (correct, but a full page load, not what is tested).
    """
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("window.__marker = 'still here'")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == "still here", "the page was reloaded"


class RequestLog:
    """The URLs of the requests a page makes whose path matches `pattern` (a regex)."""

    def __init__(self, page: Page, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        self.urls: list[str] = []
        page.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        if self.pattern.search(request.url):
            self.urls.append(request.url)

    def __len__(self) -> int:
        return len(self.urls)


def screenshot(page: Page, name: str) -> Path:
    """Save what the viewport shows to ``test-artifacts/screenshots/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path


__all__ = ["ARTIFACTS", "RequestLog", "assert_not_reloaded", "column", "expect", "row", "rows",
           "screenshot", "search_list", "stay_on_page", "toast"]
