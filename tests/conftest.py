"""Suite-wide fixtures: the database backends every database-facing test runs on.

``db_url`` is parametrized over SQLite, PostgreSQL and MariaDB.  The server-backed ones get a
fresh database per test session (see tests/dbservers.py).  Where a server cannot be found or
started the test is skipped with the reason — except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dbservers import fresh_database  # noqa: E402
from tiers import unavailable  # noqa: E402

BACKENDS = ("sqlite", "postgresql", "mariadb")


@pytest.fixture(scope="session")
def _server_databases() -> Iterator[dict[str, str | Exception]]:
    opened: dict[str, str | Exception] = {}
    stack = []
    try:
        for kind in ("postgresql", "mariadb"):
            cm = fresh_database(kind)
            try:
                opened[kind] = cm.__enter__()
                stack.append(cm)
            except Exception as exc:  # reported by the tests that need it
                opened[kind] = exc
        yield opened
    finally:
        for cm in reversed(stack):
            cm.__exit__(None, None, None)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for one backend; server databases are shared by a session, so tests
    create their tables and drop them afterwards (see `dbservers.fresh_tables`)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/test.db"
    opened = request.getfixturevalue("_server_databases")
    value = opened[request.param]
    if isinstance(value, Exception):
        unavailable(f"{request.param}: {value}")
    return str(value)
