"""Serve one app twice, real Flask-Admin and flask_admin_compat, and compare outcomes.

An app is what a team wrote for Flask-Admin, run against either package (`fa` is
``flask_admin`` or ``flask_admin_compat``), so the very same view code runs on both: a module
of ``apps/`` (a real Flask-Admin module with ``create_admin(app, session)``; the compat side
runs it with its imports swapped, step 1 of a migration) or a builder
``build(fa, session) -> list of views``.  `Pair` serves it on two SQLite files seeded alike:
Flask-Admin inside ``flask.Flask`` with its test client, the compat layer inside
``fastapi.FastAPI`` with Starlette's.  A probe is a function of a `Side` that returns plain data
(rows, saved values, a status, a redirect target); `Pair.same` runs it on both, records whether
they agree (`RESULTS`, reported at the end of the session) and fails unless they agree or the
difference is listed in `known.KNOWN`.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from .known import KNOWN
from .models import Base, Maker, Product, seed
from .pages import Page

Factory = Callable[[ModuleType, Any], list[Any]]
AdminMaker = Callable[[Any, Any], Any]  # create_admin(app, session) -> the admin
App = Callable[[ModuleType], AdminMaker]  # the package -> its create_admin
Probe = Callable[["Side"], Any]
APPS = Path(__file__).resolve().with_name("apps")


def sub(fa: ModuleType, name: str) -> ModuleType:
    """``sub(fa, "contrib.sqla")`` is ``flask_admin.contrib.sqla`` or its compat twin."""
    return importlib.import_module(f"{fa.__name__}.{name}")


# -- the apps ----------------------------------------------------------------------------------
def load_app(feature: str, fa: ModuleType) -> ModuleType:
    """``apps/<feature>.py`` run against `fa`: as written, or with every ``flask_admin`` import
    swapped for `fa` (what a team does by hand before the codemod).  A fresh module each call,
    so each side has classes of its own."""
    path = APPS / f"{feature}.py"
    source = re.sub(r"\bflask_admin\b", fa.__name__, path.read_text())
    module = ModuleType(f"{__package__}.apps.{feature}_on_{fa.__name__}")
    module.__file__ = str(path)
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def app_module(feature: str) -> App:
    """The app of module ``apps/<feature>.py``."""
    return lambda fa: load_app(feature, fa).create_admin


def app_of(build: Factory) -> App:
    """The app of a builder: an admin named "Shop" holding the views `build` returns."""
    def app(fa: ModuleType) -> AdminMaker:
        def create_admin(flask_or_fastapi: Any, session: Any) -> Any:
            admin = fa.Admin(flask_or_fastapi, name="Shop")
            admin.add_views(*build(fa, session))
            return admin
        return create_admin
    return app


# -- the record of every comparison ----------------------------------------------------------
@dataclass
class Outcome:
    feature: str
    check: str
    agreed: bool
    known: str | None = None


RESULTS: list[Outcome] = []


def report() -> str:
    """feature -> agreed/total as a Markdown table, then the known differences met."""
    features: dict[str, list[Outcome]] = {}
    for o in RESULTS:
        features.setdefault(o.feature, []).append(o)
    lines = ["# Differential checks: Flask-Admin 2.x vs flask_admin_compat", "",
             "| feature | agreed | total | known differences |", "|---|---:|---:|---:|"]
    for name, outs in sorted(features.items()):
        agreed = sum(o.agreed for o in outs)
        known = sum(o.known is not None for o in outs)
        lines.append(f"| {name} | {agreed} | {len(outs)} | {known} |")
    total = len(RESULTS)
    agreed = sum(o.agreed for o in RESULTS)
    lines.append(f"| **all** | **{agreed}** | **{total}** | "
                 f"**{sum(o.known is not None for o in RESULTS)}** |")
    known = [o for o in RESULTS if o.known]
    if known:
        lines += ["", "## Known, intentional differences", ""]
        lines += [f"- {o.feature} / {o.check}: {o.known}" for o in known]
    return "\n".join(lines) + "\n"


# -- one served admin --------------------------------------------------------------------------
class Side:
    """One admin under test.  `get`/`post` return a `Page`; `rows` reads the database;
    `views` are the admin's model views, in the order they were added."""

    def __init__(self, name: str, client: Any, engine: Any, admin: Any) -> None:
        self.name, self.client, self.engine, self.admin = name, client, engine, admin
        self.views = [v for v in admin._views if v is not admin.index_view]
        self._token: str | None = None

    @property
    def is_compat(self) -> bool:
        return self.name == "compat"

    def get(self, url: str) -> Page:
        if self.is_compat:
            r = self.client.get(url, follow_redirects=False)
            return Page.of(r.status_code, r.headers.get("location"), r.text,
                           r.headers.get("content-type", ""))
        r = self.client.get(url)
        return Page.of(r.status_code, r.headers.get("Location"), r.get_data(as_text=True),
                       r.headers.get("Content-Type", ""))

    def post(self, url: str, data: dict[str, Any] | list[tuple[str, str]]) -> Page:
        """POST form data; the compat side adds its session's CSRF token."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        pairs = [(k, v) for k, v in pairs if v is not None]
        if self.is_compat:
            pairs.append(("csrf_token", self.token()))
            r = self.client.post(url, data=_multi(pairs), follow_redirects=False)
            return Page.of(r.status_code, r.headers.get("location"), r.text,
                           r.headers.get("content-type", ""))
        r = self.client.post(url, data=_multi(pairs))
        return Page.of(r.status_code, r.headers.get("Location"), r.get_data(as_text=True),
                       r.headers.get("Content-Type", ""))

    def submit(self, url: str, data: dict[str, Any]) -> Page:
        """Open the form at `url` (its CSRF token comes from the page), then post `data`."""
        page = self.get(url)
        if self.is_compat and page.status == 200:
            self._token = page.form.values.get("csrf_token") or self._token
        return self.post(url, data)

    def token(self) -> str:
        if self._token is None:
            html = self.client.get("/admin/", follow_redirects=True).text
            m = re.search(r'"X-CSRF-Token": "([^"]+)"', html)
            self._token = m.group(1) if m else ""
        return self._token

    def follow(self, page: Page) -> Page:
        """The page a redirect leads to (where Flask-Admin shows its flashes)."""
        return self.get(page.location) if page.location else page

    # -- the database ---------------------------------------------------------------------
    def db(self) -> Session:
        return Session(self.engine)

    def products(self, *names: str, where: Any = None) -> list[tuple[Any, ...]]:
        """Rows of `product` as tuples of `names` (enums by name), ordered by id."""
        with self.db() as s:
            stmt = select(Product).order_by(Product.id)
            if where is not None:
                stmt = stmt.where(where)
            return [tuple(_plain(getattr(p, n)) for n in names) for p in s.scalars(stmt)]

    def makers(self) -> list[tuple[Any, ...]]:
        with self.db() as s:
            return [(m.id, m.name, m.country) for m in s.scalars(select(Maker).order_by(Maker.id))]


def _plain(value: Any) -> Any:
    if hasattr(value, "name") and hasattr(value, "value"):
        return value.name
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return value.id
    return value


def _multi(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            out[k] = [*out[k], v] if isinstance(out[k], list) else [out[k], v]
        else:
            out[k] = v
    return out


def _engine(path: Path) -> Any:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _fast(conn: Any, _: Any) -> None:
        conn.execute("PRAGMA synchronous=OFF")

    _create(engine)
    return engine


def _create(engine: Any) -> None:
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        seed(s)


def _database(path: Path) -> tuple[Any, Any]:
    """(engine, scoped session) of a database at `path` seeded with the suite's rows."""
    engine = _engine(path)
    return engine, scoped_session(sessionmaker(bind=engine))


def _admin(create_admin: AdminMaker, app: Any, session: Any) -> Any:
    with warnings.catch_warnings():
        # Flask-Admin 2.x deprecates a plain session in favour of a Flask-SQLAlchemy db;
        # teams' code bases pass sessions, so the apps here do too.
        warnings.filterwarnings("ignore", message="Passing a session object directly",
                                category=DeprecationWarning)
        return create_admin(app, session)


def serve_flask_admin(create_admin: AdminMaker, path: Path) -> Side:
    import flask

    engine, session = _database(path)
    app = flask.Flask(f"differential_{path.stem}")
    app.config.update(SECRET_KEY="differential", TESTING=True)
    app.teardown_appcontext(lambda exc: session.remove())
    return Side("flask_admin", app.test_client(), engine, _admin(create_admin, app, session))


def serve_compat(create_admin: AdminMaker, path: Path) -> Side:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    engine, session = _database(path)
    app = FastAPI()
    return Side("compat", TestClient(app), engine, _admin(create_admin, app, session))


# -- the pair --------------------------------------------------------------------------------
@dataclass
class Pair:
    feature: str
    real: Side
    compat: Side
    seen: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, feature: str, app: App, directory: Path) -> Pair:
        import flask_admin

        import flask_admin_compat

        return cls(feature, serve_flask_admin(app(flask_admin), directory / "flask_admin.db"),
                   serve_compat(app(flask_admin_compat), directory / "compat.db"))

    def reset(self) -> None:
        """Both databases back to the seeded data."""
        for side in (self.real, self.compat):
            Base.metadata.drop_all(side.engine)
            _create(side.engine)

    def same(self, check: str, probe: Probe) -> None:
        """Run `probe` on both sides; record and require agreement (or a known difference)."""
        self._judge({check: (probe(self.real), probe(self.compat))})

    def same_each(self, check: str, probe: Callable[[Side], dict[str, Any]]) -> None:
        """Like `same` for a probe returning several named outcomes: one check per name."""
        real, compat = probe(self.real), probe(self.compat)
        self._judge({f"{check}: {key}": (value, compat.get(key, "<missing>"))
                     for key, value in real.items()})

    def _judge(self, outcomes: dict[str, tuple[Any, Any]]) -> None:
        """Record every check; fail on a disagreement nobody explained (or on a listed one
        that now agrees), xfail with the table's reasons on known ones."""
        failures, known = [], []
        for check, (real, compat) in outcomes.items():
            assert check not in self.seen, f"check {check!r} recorded twice"
            self.seen.add(check)
            agreed = real == compat
            reason = KNOWN.get((self.feature, check))
            RESULTS.append(Outcome(self.feature, check, agreed, None if agreed else reason))
            if agreed and reason:
                failures.append(f"{self.feature} / {check} is listed in known.KNOWN but now "
                                "agrees: remove it from the table")
            elif not agreed and reason:
                known.append(f"{check}: {reason}")
            elif not agreed:
                failures.append(f"{self.feature} / {check} disagrees\n  flask_admin: {real!r}"
                                f"\n  compat:      {compat!r}")
        if failures:
            pytest.fail("\n".join(failures), pytrace=False)
        if known:
            pytest.xfail("known difference: " + "; ".join(known))
