"""Vendored front-end assets are pinned, unmodified, licensed and CDN-free.

The files under ``fasthx_core/static/vendor`` are written by
``scripts/fetch_static.py``; these tests need no network.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO_ROOT / "fasthx_core"
VENDOR_DIR = PACKAGE_DIR / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.json"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FETCH_SCRIPT = REPO_ROOT / "scripts" / "fetch_static.py"

# <script ... src="https://..."> or <link ... href="//..."> (any quoting).
REMOTE_ASSET_RE = re.compile(
    r"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


def _packages() -> dict[str, dict]:
    document = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in document["packages"]}


def _file_entries() -> list[dict]:
    return [f for entry in _packages().values() for f in entry["files"]]


def test_versions_file_lists_expected_packages() -> None:
    packages = _packages()
    assert {"htmx.org", "bootstrap", "bootstrap-icons"} <= packages.keys()
    for name, entry in packages.items():
        assert entry["version"], name
        assert entry["integrity"].startswith("sha512-"), name
        assert entry["files"], name


def test_pinned_major_versions() -> None:
    packages = _packages()
    assert packages["htmx.org"]["version"].startswith("2.")
    assert packages["bootstrap"]["version"].startswith("5.3.")
    assert packages["bootstrap-icons"]["version"].startswith("1.")


@pytest.mark.parametrize("entry", _file_entries(), ids=lambda f: f["path"])
def test_vendored_file_matches_recorded_sha256(entry: dict) -> None:
    path = VENDOR_DIR / entry["path"]
    assert path.resolve().is_relative_to(VENDOR_DIR.resolve())
    assert path.is_file(), f"missing vendored file: {entry['path']}"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], (
        f"{entry['path']} was modified; rerun `python scripts/fetch_static.py`"
    )


@pytest.mark.parametrize("name", sorted(_packages()))
def test_each_package_ships_its_license(name: str) -> None:
    license_file = VENDOR_DIR / name / "LICENSE"
    assert license_file.is_file(), f"{name} has no LICENSE"
    assert license_file.stat().st_size > 0
    recorded = {f["path"] for f in _packages()[name]["files"]}
    assert f"{name}/LICENSE" in recorded


def test_no_source_maps_vendored() -> None:
    assert not list(VENDOR_DIR.rglob("*.map"))


def test_icon_fonts_sit_where_the_css_expects_them() -> None:
    css = (VENDOR_DIR / "bootstrap-icons" / "bootstrap-icons.min.css").read_text(
        encoding="utf-8"
    )
    urls = re.findall(r"url\(\s*[\"']?([^\"')?#]+)", css)
    assert urls
    for url in urls:
        assert (VENDOR_DIR / "bootstrap-icons" / url).is_file(), url


def test_fetch_script_check_passes() -> None:
    """The offline ``--check`` also catches table/VERSIONS.json drift."""
    result = subprocess.run(
        [sys.executable, str(FETCH_SCRIPT), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_templates_do_not_load_assets_from_cdn() -> None:
    templates = (
        [p for p in TEMPLATES_DIR.rglob("*") if p.is_file()]
        if TEMPLATES_DIR.is_dir()
        else []
    )
    if not templates:
        pytest.skip("no templates yet")
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {match.group(0)}"
        for path in templates
        for match in REMOTE_ASSET_RE.finditer(
            path.read_text(encoding="utf-8", errors="replace")
        )
    ]
    assert not offenders, "templates load remote assets:\n" + "\n".join(offenders)
