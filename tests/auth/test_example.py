"""The README's Authentication example is real: examples/oidc/app.py, served by uvicorn in a
process of its own, logs users in through the live test provider."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .flows import code_login, password_login

ROOT = Path(__file__).resolve().parents[2]


def test_readme_block_is_the_example() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Authentication"):]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert block in (ROOT / "examples" / "oidc" / "app.py").read_text()


@pytest.fixture
def example_url(oidc_env, tmp_path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/helpdesk.db",
           "FASTHX_SECRET_KEY": "example-tests"}
    env.pop("AUTH_DISABLED", None)
    log = open(tmp_path / "uvicorn.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "examples.oidc.app:app",
                             "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "uvicorn.log").read_text()[-2000:])
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_example_logs_in_with_both_flows(example_url) -> None:
    with httpx.Client(base_url=example_url, follow_redirects=True, timeout=20) as client:
        login_page = client.get("/helpdesk_tickets")
        assert str(login_page.url).startswith(example_url + "/login")
        assert "Sign in with Test Keycloak" in login_page.text
        page = code_login(client, "alice", "alice-pw", "/helpdesk_audit")
        assert page.status_code == 200 and "Audit log" in page.text
    with httpx.Client(base_url=example_url, follow_redirects=True, timeout=20) as client:
        page = password_login(client, "bob", "bob-pw", "/helpdesk_tickets")
        assert page.status_code == 200 and "Bob Staff" in page.text
        assert 'href="/helpdesk_audit"' not in page.text
        assert client.get("/helpdesk_audit").status_code == 403
        assert password_login(client, "carol", "carol-pw").status_code == 403
