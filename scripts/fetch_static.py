#!/usr/bin/env python3
"""Vendor pinned, unmodified front-end assets into ``fasthx_core/static/vendor``.

Why this script exists
----------------------
The admin UI needs htmx, Bootstrap and Bootstrap Icons in the browser. We ship
them inside the Python package instead of loading them from a CDN so that:

* the admin works offline, on air-gapped hosts and behind strict CSPs;
* no third party sees admin traffic or can alter the code we serve;
* exactly which third-party code we serve is reviewable in git.

To keep that trustworthy, the files are never edited by hand. This script
fetches each package at an exact pinned version with the ``npm`` client
(``npm pack NAME@VERSION``, so npm's own configured registry, proxy and auth
settings are used; no registry address is hard-coded here), verifies the
tarball against the ``dist.integrity`` (SHA-512 SRI) that ``npm view`` reports,
and copies only the listed files (plus each package's LICENSE) byte for byte.
Source maps are deliberately not vendored. It then records every package,
version, integrity string and per-file SHA-256 in ``VERSIONS.json``.

Usage
-----
``python scripts/fetch_static.py``
    Fetch, verify and (re)write the vendored files and ``VERSIONS.json``.
    All packages are fetched and verified before anything on disk changes.

``python scripts/fetch_static.py --check``
    Offline: verify that ``VERSIONS.json`` matches the table below and that
    every file on disk has its recorded SHA-256 (and nothing unlisted sits in
    a package directory). Exits 1 on any mismatch.

To upgrade a package, change its version in ``PACKAGES`` and rerun the script.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO_ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = REPO_ROOT / "fasthx_core" / "static" / "vendor"
VERSIONS_FILE = VENDOR_DIR / "VERSIONS.json"

NPM_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Package:
    """One npm package to vendor.

    ``files`` maps a path inside the package tarball (relative to the package
    root) to a destination relative to ``VENDOR_DIR / name``.
    """

    name: str
    version: str
    files: tuple[tuple[str, str], ...]


# The whole policy is this table: exact versions, and which files to copy.
PACKAGES: tuple[Package, ...] = (
    Package(
        name="htmx.org",
        version="2.0.11",
        files=(
            ("dist/htmx.min.js", "htmx.min.js"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    Package(
        name="bootstrap",
        version="5.3.9",
        files=(
            ("dist/css/bootstrap.min.css", "bootstrap.min.css"),
            ("dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    Package(
        name="bootstrap-icons",
        version="1.13.2",
        files=(
            # The CSS refers to url("fonts/..."), so keep fonts/ beside it.
            ("font/bootstrap-icons.min.css", "bootstrap-icons.min.css"),
            ("font/fonts/bootstrap-icons.woff2", "fonts/bootstrap-icons.woff2"),
            ("font/fonts/bootstrap-icons.woff", "fonts/bootstrap-icons.woff"),
            ("LICENSE", "LICENSE"),
        ),
    ),
)


class VendorError(Exception):
    """A fetch or verification step failed; nothing should be trusted."""


def _safe_relpath(value: str) -> PurePosixPath:
    """Return ``value`` as a relative POSIX path, rejecting escapes."""
    path = PurePosixPath(value)
    if not value or path.is_absolute() or ".." in path.parts or "\\" in value:
        raise VendorError(f"unsafe path in package table: {value!r}")
    return path


def _validate_table() -> None:
    seen: set[str] = set()
    for pkg in PACKAGES:
        _safe_relpath(pkg.name)
        if "/" in pkg.name or pkg.name in seen:
            raise VendorError(f"bad or duplicate package name: {pkg.name!r}")
        seen.add(pkg.name)
        dests = [dest for _, dest in pkg.files]
        if len(set(dests)) != len(dests):
            raise VendorError(f"{pkg.name}: duplicate destination paths")
        if "LICENSE" not in dests:
            raise VendorError(f"{pkg.name}: LICENSE must be vendored")
        for src, dest in pkg.files:
            _safe_relpath(src)
            _safe_relpath(dest)
            if src.endswith(".map") or dest.endswith(".map"):
                raise VendorError(f"{pkg.name}: source maps are not vendored")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _npm(args: list[str], cwd: Path) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("the `npm` client is required but was not found on PATH")
    proc = subprocess.run(  # fixed argv, no shell
        [npm, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise VendorError(
            f"`npm {' '.join(args)}` failed with exit code {proc.returncode}:\n"
            f"{proc.stderr.strip()}"
        )
    return proc.stdout


def _registry_integrity(pkg: Package, workdir: Path) -> str:
    """Ask npm for the published ``dist.integrity`` of the exact version."""
    spec = f"{pkg.name}@{pkg.version}"
    out = _npm(["view", spec, "version", "dist.integrity", "--json"], workdir)
    try:
        info = json.loads(out)
    except json.JSONDecodeError as exc:
        raise VendorError(f"unexpected `npm view {spec}` output: {out!r}") from exc
    if not isinstance(info, dict) or info.get("version") != pkg.version:
        raise VendorError(f"`npm view {spec}` did not resolve to exactly {pkg.version}")
    integrity = info.get("dist.integrity")
    if not isinstance(integrity, str) or not integrity:
        raise VendorError(f"`npm view {spec}` reported no dist.integrity")
    return integrity


def _verify_sri(data: bytes, integrity: str, what: str) -> None:
    """Require ``data`` to match a sha512 entry of the SRI string ``integrity``."""
    expected = [
        token.split("?", 1)[0].removeprefix("sha512-")
        for token in integrity.split()
        if token.startswith("sha512-")
    ]
    if not expected:
        raise VendorError(f"{what}: no sha512 in integrity {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual not in expected:
        raise VendorError(
            f"INTEGRITY MISMATCH for {what}: registry says {integrity}, "
            f"downloaded tarball is sha512-{actual}"
        )


def _extract(tarball: Path, pkg: Package) -> dict[str, bytes]:
    """Read the wanted regular files out of an npm tarball (no extractall)."""
    wanted = {src for src, _ in pkg.files}
    found: dict[str, bytes] = {}
    with tarfile.open(tarball, mode="r:gz") as tar:
        for member in tar:
            # npm tarballs have one top-level dir (normally "package/").
            parts = PurePosixPath(member.name).parts
            rel = "/".join(parts[1:])
            if rel not in wanted:
                continue
            if not member.isfile():
                raise VendorError(f"{pkg.name}: {rel} is not a regular file")
            if rel in found:
                raise VendorError(f"{pkg.name}: {rel} appears twice in tarball")
            fileobj = tar.extractfile(member)
            if fileobj is None:
                raise VendorError(f"{pkg.name}: cannot read {rel}")
            found[rel] = fileobj.read()
    missing = sorted(wanted - found.keys())
    if missing:
        raise VendorError(f"{pkg.name}@{pkg.version}: missing from tarball: {missing}")
    return found


def _fetch(pkg: Package) -> tuple[str, dict[str, bytes]]:
    """Download, verify and extract one package; return (integrity, files)."""
    spec = f"{pkg.name}@{pkg.version}"
    with tempfile.TemporaryDirectory(prefix="fetch_static-") as tmp:
        workdir = Path(tmp)
        integrity = _registry_integrity(pkg, workdir)
        _npm(
            ["pack", spec, "--ignore-scripts", "--pack-destination", str(workdir)],
            workdir,
        )
        tarballs = list(workdir.glob("*.tgz"))
        if len(tarballs) != 1:
            raise VendorError(f"`npm pack {spec}` produced {len(tarballs)} tarballs")
        _verify_sri(tarballs[0].read_bytes(), integrity, spec)
        return integrity, _extract(tarballs[0], pkg)


def fetch() -> int:
    _validate_table()
    fetched: list[tuple[Package, str, dict[str, bytes]]] = []
    for pkg in PACKAGES:
        print(f"fetching {pkg.name}@{pkg.version} ...")
        integrity, contents = _fetch(pkg)
        print(f"  integrity OK ({integrity[:23]}...)")
        fetched.append((pkg, integrity, contents))

    # Everything verified: only now touch the working tree.
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    current = {pkg.name for pkg in PACKAGES}
    for old in _recorded_package_names():
        if old not in current:
            _remove_package_dir(old)

    manifest: list[dict[str, object]] = []
    for pkg, integrity, contents in fetched:
        _remove_package_dir(pkg.name)
        files: list[dict[str, str]] = []
        for src, dest in pkg.files:
            target = VENDOR_DIR / pkg.name / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[src])
            files.append(
                {
                    "path": f"{pkg.name}/{dest}",
                    "source": src,
                    "sha256": _sha256(contents[src]),
                }
            )
        manifest.append(
            {
                "name": pkg.name,
                "version": pkg.version,
                "integrity": integrity,
                "files": files,
            }
        )

    document = {
        "_comment": "Generated by scripts/fetch_static.py; do not edit by hand.",
        "packages": manifest,
    }
    VERSIONS_FILE.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {VERSIONS_FILE.relative_to(REPO_ROOT)}")
    return 0


def _recorded_package_names() -> list[str]:
    try:
        document = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
        return [str(entry["name"]) for entry in document["packages"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _remove_package_dir(name: str) -> None:
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise VendorError(f"refusing to remove vendor dir for {name!r}")
    target = VENDOR_DIR / name
    if target.is_dir():
        shutil.rmtree(target)


def _check_package(name: str, entry: dict, pkg: Package | None) -> list[str]:
    """Problems with one VERSIONS.json entry (``pkg`` is its table row, if any)."""
    errors: list[str] = []
    recorded = {f["path"]: f for f in entry.get("files", [])}
    if pkg is not None:
        if entry.get("version") != pkg.version:
            errors.append(
                f"{name}: VERSIONS.json has {entry.get('version')}, "
                f"table pins {pkg.version} (rerun the fetch)"
            )
        if set(recorded) != {f"{name}/{dest}" for _, dest in pkg.files}:
            errors.append(f"{name}: file list differs from the PACKAGES table")
    for rel, info in recorded.items():
        _safe_relpath(rel)
        path = VENDOR_DIR / rel
        if not path.is_file():
            errors.append(f"{rel}: missing")
        elif _sha256(path.read_bytes()) != info.get("sha256"):
            errors.append(f"{rel}: sha256 does not match VERSIONS.json")
    pkg_dir = VENDOR_DIR / name
    if pkg_dir.is_dir():
        for path in sorted(pkg_dir.rglob("*")):
            rel = path.relative_to(VENDOR_DIR).as_posix()
            if path.is_file() and rel not in recorded:
                errors.append(f"{rel}: unexpected file (not in VERSIONS.json)")
    return errors


def check() -> int:
    """Offline verification of the vendored files against VERSIONS.json."""
    _validate_table()
    try:
        document = json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))
        entries = {entry["name"]: entry for entry in document["packages"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"FAIL cannot read {VERSIONS_FILE}: {exc}", file=sys.stderr)
        return 1

    table = {pkg.name: pkg for pkg in PACKAGES}
    errors = [
        f"{name}: in VERSIONS.json but not in the PACKAGES table"
        for name in sorted(entries.keys() - table.keys())
    ] + [
        f"{name}: in the PACKAGES table but not in VERSIONS.json"
        for name in sorted(table.keys() - entries.keys())
    ]
    for name, entry in entries.items():
        errors += _check_package(name, entry, table.get(name))

    if errors:
        for error in errors:
            print(f"FAIL {error}", file=sys.stderr)
        return 1
    count = sum(len(entry.get("files", [])) for entry in entries.values())
    print(f"OK: {count} vendored files in {len(entries)} packages match VERSIONS.json")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="verify files on disk against VERSIONS.json (no network); exit 1 on drift",
    )
    args = parser.parse_args(argv)
    try:
        return check() if args.check else fetch()
    except (VendorError, subprocess.TimeoutExpired) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
