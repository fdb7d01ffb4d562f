"""Every kind of page loads whole from 127.0.0.1: styles, icons and scripts included.

The `page` fixture already fails a test on a console error or on any request that leaves
127.0.0.1; here each page also shows that what it loaded was there and took effect.
"""

from __future__ import annotations

from ui import expect

PAGES = {
    "/dashboard": "Network operations",
    "/orchestrators": "Orchestrators",
    "/edge_devices/1": "acme-fra-01",
    "/edge_devices/1/edit": "Edit",
    "/customers/create": "Create",
    "/wizard/deploy": "Deploy an edge device",
}

LOADED = """async () => {
  await document.fonts.ready;
  const css = getComputedStyle(document.body);
  return {
    bootstrap: css.getPropertyValue("--bs-primary").trim() !== "",
    icons: document.fonts.check("1em bootstrap-icons"),
    htmx: typeof window.htmx === "object",
    bootstrapJs: typeof window.bootstrap === "object",
  };
}"""


def test_every_page_loads_its_assets_locally(page):
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    for url, heading in PAGES.items():
        page.goto(url)
        expect(page.locator(".navbar-brand")).to_contain_text(heading)
        assert page.evaluate(LOADED) == {"bootstrap": True, "icons": True, "htmx": True,
                                         "bootstrapJs": True}, url
    assert failed == []
