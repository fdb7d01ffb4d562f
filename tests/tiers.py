"""How a test tier reacts to a missing system dependency (browser, database server)."""

from __future__ import annotations

import os

import pytest


def unavailable(reason: str) -> None:
    """Skip with the reason locally; fail in CI (``CI`` set), where every tier must run."""
    if os.environ.get("CI"):
        pytest.fail(f"required test dependency missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)
