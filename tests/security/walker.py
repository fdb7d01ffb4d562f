"""Walk every route an app registers, with its path parameters filled from real rows.

`enumerate_routes` reads ``app.routes`` (what the app really serves, not a list kept by hand):
each method of each route is one `Probe`; ``HEAD`` is left out (Starlette answers it like
``GET``).  Routes named in `public` are returned apart with the reason they are public;
mounted static folders are listed too, so a test can assert they are the only mounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount, Route

PARAM = re.compile(r"{(\w+)(?::\w+)?}")


@dataclass(frozen=True)
class Probe:
    method: str
    template: str  # the route's path as registered
    url: str  # with its parameters filled in

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


def enumerate_routes(app: FastAPI, fill: Callable[[str, str], str],
                     public: dict[str, str]) -> tuple[list[Probe], list[str], list[str]]:
    """(probes, public paths seen, mount paths).  `fill(template, param)` gives a value for
    one path parameter of a route."""
    probes: list[Probe] = []
    seen_public: list[str] = []
    mounts: list[str] = []
    for path, route in _flatten(app.routes, ""):
        if isinstance(route, Mount):
            mounts.append(path)
            continue
        if path in public:
            seen_public.append(path)
            continue
        url = PARAM.sub(lambda m, t=path: fill(t, m.group(1)), path)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            probes.append(Probe(method, path, url))
    return probes, seen_public, mounts


def _flatten(routes: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
    """(full path, route) of every route and mount, descending into included routers
    (FastAPI keeps an included router as one entry with the router inside)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _flatten(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Mount | Route):
            yield prefix + route.path, route


def is_login_redirect(response, login_path: str) -> bool:
    """A refusal that sends an anonymous browser to the login page (htmx: ``HX-Redirect``)."""
    if response.status_code in (302, 303, 307):
        return response.headers["location"].startswith(login_path + "?next=")
    if response.status_code == 401:
        return response.headers.get("HX-Redirect", "").startswith(login_path + "?next=")
    return False
