"""The migrated shop served for real: a threaded Werkzeug server with 8 concurrent clients,
``flask run`` and ``gunicorn``; and the FastAPI host never imports Flask."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from werkzeug.serving import make_server

from .conftest import MIGRATED_PACKAGE, load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def logged_in(base: str, username: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        answer = client.post("/login", data={"username": username, "password": username})
        assert answer.status_code == 302, answer.text
        yield client


def test_concurrent_requests_do_not_share_request_state(migrated_dir: Path, tmp_path: Path):
    app = load("fasthx", migrated_dir).create_app(f"sqlite:///{tmp_path}/shop.db")
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        def client_run(i: int) -> list[tuple[dict, dict]]:
            user = ("admin", "clerk")[i % 2]
            seen = []
            with logged_in(base, user) as client:
                for round_ in range(4):
                    n = f"{i}-{round_}"
                    # the slow before_request keeps 8 requests in flight at once
                    got = client.get(f"/admin/report/whoami?n={n}&slow=0.05").json()
                    seen.append((got, {"user": user, "tag": n, "arg": n}))
            return seen

        with ThreadPoolExecutor(8) as pool:
            results = [pair for run in pool.map(client_run, range(8)) for pair in run]
    finally:
        server.shutdown()
    assert len(results) == 32
    assert all(got == want for got, want in results), [r for r in results if r[0] != r[1]]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.mark.parametrize("server", ["flask run", "gunicorn"])
def test_the_migrated_shop_runs_under_flask_run_and_gunicorn(server, migrated_dir, tmp_path):
    port = free_port()
    bindir = Path(sys.executable).parent
    command = {
        "flask run": [str(bindir / "flask"), "--app", f"{MIGRATED_PACKAGE}.wsgi", "run",
                      "--host", "127.0.0.1", "--port", str(port)],
        "gunicorn": [str(bindir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                     "--threads", "4", f"{MIGRATED_PACKAGE}.wsgi:app"],
    }[server]
    env = dict(os.environ, PYTHONPATH=str(migrated_dir),
               DATABASE_URL=f"sqlite:///{tmp_path}/served.db", SECRET_KEY="test-secret")
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc)
        assert httpx.get(base + "/admin/product/").status_code == 302
        with logged_in(base, "admin") as client:
            page = client.get("/admin/product/")
            assert page.status_code == 200 and "Hammer" in page.text
            assert "htmx" in page.text  # the HTMX admin, not Flask-Admin's pages
            static = client.get("/admin/static/fasthx/fasthx.js")
            assert static.status_code == 200 and "showToast" in static.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_fastapi_host_never_imports_flask():
    code = (
        "import sys\n"
        "from fastapi import FastAPI\n"
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import sessionmaker\n"
        "from examples.legacy_shop.app import create_app\n"
        "create_app('sqlite://')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'flask_sqlalchemy', 'flask_login', 'a2wsgi'))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
