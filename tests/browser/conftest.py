"""Browser tier: the demo served by uvicorn on 127.0.0.1, driven by Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (never a downloaded browser), headless, sandbox and
background networking off.  Every page records console errors and any request to a host other
than 127.0.0.1 (which is aborted): a test fails if either happened.  Screenshots go to
``test-artifacts/screenshots/`` (not committed).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tiers import unavailable

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        unavailable("chromium is not installed (scripts/install_test_deps.sh installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo app under uvicorn with a fresh seeded SQLite database; stopped by PID."""
    port = _free_port()
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "AUTH_DISABLED": "1",
           "FASTHX_SECRET_KEY": "browser-tests", "HOST": "127.0.0.1", "PORT": str(port),
           "DEMO_DEPLOY_STEP_SECONDS": "0.2"}
    log = open(tmp_path_factory.mktemp("logs") / "uvicorn.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "examples.demo.app:app",
                             "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"demo server exited with {proc.returncode}; see {log.name}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("demo server did not start within 30 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class PageProbe:
    """What the page did that a test must not allow: console errors and outside requests."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []


@pytest.fixture
def probe() -> PageProbe:
    return PageProbe()


def make_context(browser, base_url: str, probe: PageProbe, **kwargs):
    ctx = browser.new_context(base_url=base_url, **kwargs)

    def route(r):
        host = urlsplit(r.request.url).hostname
        if host in ("127.0.0.1",) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            probe.outside_requests.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx


def watch(page, probe: PageProbe) -> None:
    page.on("console", lambda m: probe.console_errors.append(m.text) if m.type == "error"
            else None)
    page.on("pageerror", lambda e: probe.console_errors.append(str(e)))


@pytest.fixture
def open_page(browser, demo_server: str, probe: PageProbe) -> Iterator[Callable[..., object]]:
    """``open_page(**context_options)``: a fresh page (own cookies and storage) on the demo;
    e.g. ``open_page(viewport={"width": 375, "height": 740}, color_scheme="dark")``."""
    contexts = []

    def open_(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 860})
        ctx = make_context(browser, demo_server, probe, **kwargs)
        contexts.append(ctx)
        pg = ctx.new_page()
        watch(pg, probe)
        return pg

    yield open_
    for ctx in contexts:
        ctx.close()
    assert probe.outside_requests == [], "requests left 127.0.0.1"
    assert probe.console_errors == [], "console errors"


@pytest.fixture
def page(open_page):
    return open_page()
