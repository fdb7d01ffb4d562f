"""The README's quick start is real code: it is kept in examples/quickstart/app.py and run here."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quickstart_matches_readme():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start\n\n```python\n(.*?)```", readme, re.S).group(1)
    example = (ROOT / "examples" / "quickstart" / "app.py").read_text()
    assert block in example


def test_quickstart_serves_its_views(tmp_path):
    # In a fresh interpreter: the example declares tables on fasthx_core.Base, as users do,
    # and must not collide with other tests' models.
    script = (
        "import runpy\n"
        "from fastapi.testclient import TestClient\n"
        f"ns = runpy.run_path({str(ROOT / 'examples' / 'quickstart' / 'app.py')!r})\n"
        "client = TestClient(ns['app'])\n"
        "page = client.get('/devices')\n"
        "assert page.status_code == 200, page.status_code\n"
        "assert 'Hostname' in page.text and 'Customer Name' in page.text\n"
        "assert client.get('/customers/create').status_code == 200\n"
        "print('ok')\n"
    )
    env = {**os.environ, "AUTH_DISABLED": "1"}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
    assert (tmp_path / "app.db").exists()
