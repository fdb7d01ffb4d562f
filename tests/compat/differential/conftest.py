"""Differential suite: the same Flask-Admin apps on real Flask-Admin 2.x and on the compat
layer.  Writes ``test-artifacts/differential.md`` (feature -> agreed/total) at session end."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import RESULTS, Pair, app_module, app_of, report

ARTIFACT = Path(__file__).resolve().parents[3] / "test-artifacts" / "differential.md"
_PAIRS: dict[str, Pair] = {}

try:  # the real Flask-Admin is a test-only dependency (the ``dev`` extra)
    import flask_admin  # noqa: F401
except ImportError:
    collect_ignore_glob = ["test_*.py"]


def module_pair(feature, build=None, fresh=False):
    """A fixture serving `build` (``build(fa, session) -> views``) on both sides, or without it
    the app module ``apps/<feature>.py``; made once per module (pages compile once).  With
    `fresh`, every test starts from the seeded data again (for checks that change it)."""
    app = app_module(feature) if build is None else app_of(build)

    @pytest.fixture
    def fixture(request, tmp_path_factory):
        key = f"{request.module.__name__}:{feature}"
        if key not in _PAIRS:
            _PAIRS[key] = Pair.build(feature, app, tmp_path_factory.mktemp(feature))
        pair = _PAIRS[key]
        if fresh:
            pair.reset()
        return pair

    return fixture


def pytest_collection_modifyitems(items):
    """Flask-Admin 2.x still hands WTForms 3.3 tuple choices: not ours to fix."""
    for item in items:
        if "differential" in item.nodeid:
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Passing SelectField choices as tuples:DeprecationWarning"))
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Yielding raw tuples:DeprecationWarning"))


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    text = report()
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(text)
    terminalreporter.write_sep("-", f"differential report ({ARTIFACT.name})")
    terminalreporter.write(text)
