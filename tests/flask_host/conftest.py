"""The legacy Flask shop (examples/legacy_shop_flask) twice: as written, on the real
Flask-Admin, and after ``fasthx-migrate compat`` rewrote its imports, on flask_admin_compat
inside the same Flask app.  Every test in this folder that takes `shop` runs on both."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "legacy_shop_flask"
MIGRATED_PACKAGE = "shop_migrated"


@pytest.fixture(scope="session")
def migrated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example whose imports the codemod rewrote (the CLI, as a team runs it)."""
    root = tmp_path_factory.mktemp("migrated")
    target = root / MIGRATED_PACKAGE
    shutil.copytree(EXAMPLE, target)
    done = subprocess.run([sys.executable, "-m", "migration_tool", "compat", str(target)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for source in target.glob("*.py"):
        assert "flask_admin " not in source.read_text() and \
            "from flask_admin." not in source.read_text(), source
    sys.path.insert(0, str(root))
    return root


def load(flavour: str, migrated_dir: Path) -> Any:
    name = "examples.legacy_shop_flask" if flavour == "flask_admin" else MIGRATED_PACKAGE
    return importlib.import_module(f"{name}.app")


@dataclass
class Shop:
    """One running shop: its Flask app, a test client and its database."""

    flavour: str
    app: Any
    module: Any
    client: Any

    @property
    def db(self) -> Any:
        return importlib.import_module(self.module.__name__.rsplit(".", 1)[0] + ".models")

    def query(self, fn: Any) -> Any:
        with self.app.app_context():
            return fn(self.db)

    def login(self, username: str = "admin", password: str | None = None) -> Any:
        return self.client.post("/login", data={"username": username,
                                                "password": password or username})

    def post_form(self, url: str, data: dict[str, Any], page: str | None = None) -> Any:
        """Submit a form as the browser does from the page it is on: a ``csrf_token`` the
        page carries (a hidden field, or the token the page's script adds to its POST forms)
        goes along; Flask-Admin's pages carry none."""
        token = page_token(self.client.get(page or url).get_data(as_text=True))
        payload = dict(data)
        if token:
            payload.setdefault("csrf_token", token)
        return self.client.post(url, data=payload)


def page_token(html: str) -> str | None:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', html) or \
        re.search(r'value="([^"]*)"[^>]*name="csrf_token"', html)
    if m:
        return m.group(1)
    m = re.search(r"hx-headers='([^']*)'", html)
    return json.loads(m.group(1).replace("&#34;", '"')).get("X-CSRF-Token") if m else None


@pytest.fixture(params=["flask_admin", "fasthx"])
def shop(request: pytest.FixtureRequest, migrated_dir: Path, tmp_path: Path) -> Shop:
    module = load(request.param, migrated_dir)
    app = module.create_app(f"sqlite:///{tmp_path}/shop.db")
    app.config["TESTING"] = True
    return Shop(request.param, app, module, app.test_client())
