"""Schemathesis over the native app's OpenAPI schema, as a logged-in user.

The admin's routes are in FastAPI's schema (``include_in_schema`` is left on for the native
views: list, create, edit, detail, delete, batch, export, ajax, cells, progress; the login,
logout and compat routes are left out of it).  They answer HTML and read their forms from
the request, so the schema describes their paths and path parameters but no bodies: what
Schemathesis can attack is every operation with generated path parameters (ids, export
formats, field and column names), with the session's CSRF token so posts reach the handlers.
The property checked is the one the guide promises: never a 500.  Response conformance is not
checked (the schema does not describe the HTML answers or their redirects).
"""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from .apps import csrf_of, login

EXAMPLES = 4


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def logged_in(native_app):
    client = native_app()
    login(client, "alice")
    token = csrf_of(client, "/logout")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return client, {"Cookie": cookie, "X-CSRF-Token": token}


def load_schema(app) -> object:
    with warnings.catch_warnings():  # FastAPI warns of duplicate ids for GET+POST routes
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_operation_answers_500(logged_in):
    """Each operation of the schema gets `EXAMPLES` generated cases (the pytest plugin's
    lazy fixture loader does not run under this pytest, so operations are walked here)."""
    client, headers = logged_in
    schema = load_schema(client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13 * len(client.admin.views)
    calls: list[int] = []

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def attempt(case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path,
                                                response.text[:300])
            calls.append(response.status_code)

        attempt()
    statuses = {code: calls.count(code) for code in sorted(set(calls))}
    print(f"\nschemathesis: {len(operations)} operations, {len(calls)} calls, {statuses}")
    assert len(calls) >= len(operations)
    assert statuses.get(200, 0) >= len(operations) // 3  # logged in: the handlers ran
    assert 303 not in statuses or statuses[303] < len(calls) // 2
