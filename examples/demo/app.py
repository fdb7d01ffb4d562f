"""The demo app: a network-operations admin on fasthx_core.

``python -m examples.demo`` serves it on http://127.0.0.1:8000 (``HOST`` and ``PORT``
override); the database is ``./demo.db`` unless ``DATABASE_URL`` names another.  Log in as
``admin`` with the password in ``DEMO_PASSWORD`` (default ``admin``), or set
``AUTH_DISABLED=1`` to skip the login.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import RedirectResponse

from fasthx_core import Admin, Base, StaticUsersBackend, hash_password, init_db
from fasthx_core.auth import auth_disabled

from . import dashboard, wizard
from .seed import seed
from .tasks import TaskRunner
from .views import ALL_VIEWS

log = logging.getLogger("examples.demo")

DEFAULT_DATABASE_URL = "sqlite:///./demo.db"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# A fixed key keeps demo logins valid across restarts and workers.  It is public, so it is
# for this demo only: set FASTHX_SECRET_KEY to a long random value anywhere that matters.
DEMO_SECRET_KEY = "fasthx-demo-insecure-secret-key-do-not-use-in-production"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or "admin"


def create_app(database_url: str | None = None, *, task_runner: TaskRunner | None = None,
               seed_data: bool = True) -> FastAPI:
    """Build the demo app.

    The database (``database_url``, else ``DATABASE_URL``, else ``./demo.db``) is bound now
    but first touched on start-up, when the tables are created and, on an empty database,
    the demo rows are written.  ``task_runner`` runs the deploy and build jobs (default: a
    daemon thread per job).  fasthx_core keeps one database per process, so the last app
    created is the one whose database the views use.
    """
    url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    engine = init_db(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        Base.metadata.create_all(engine)
        if seed_data:
            from fasthx_core import get_session_factory

            with get_session_factory()() as db:
                if seed(db):
                    log.info("seeded the demo database")
        yield

    app = FastAPI(title="fasthx demo: network operations", lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.task_runner = task_runner or TaskRunner()
    users = {"admin": {"password_hash": hash_password(demo_password()), "name": "Admin",
                       "groups": ["admin"]}}
    admin = Admin(app, title="NetOps Admin", auth_backend=StaticUsersBackend(users),
                  secret_key=os.environ.get("FASTHX_SECRET_KEY") or DEMO_SECRET_KEY,
                  home_url=dashboard.DASHBOARD_URL, extra_templates_dirs=[TEMPLATES_DIR])
    app.state.admin = admin
    admin.add_link("dashboard", dashboard.DASHBOARD_URL, "Dashboard", icon="speedometer2",
                   category="Overview")
    admin.add_link("deploy_wizard", wizard.WIZARD_URL, "Deploy wizard", icon="magic",
                   category="Overview")
    for view_class in ALL_VIEWS:
        admin.add_view(view_class)
    app.include_router(dashboard.build_router(admin))
    app.include_router(wizard.build_router(admin))

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(dashboard.DASHBOARD_URL, status_code=303)

    return app


app = create_app()


def main() -> None:
    """Serve the demo with uvicorn (``HOST``, ``PORT``)."""
    import uvicorn

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    url = f"http://{host}:{port}/"
    if auth_disabled():
        print(f"fasthx demo on {url} - AUTH_DISABLED is set, no login needed")
    elif os.environ.get("DEMO_PASSWORD"):
        print(f"fasthx demo on {url} - log in as 'admin' with the password in DEMO_PASSWORD")
    else:
        print(f"fasthx demo on {url} - log in as 'admin' / 'admin' "
              "(set DEMO_PASSWORD to choose the password, AUTH_DISABLED=1 to skip login)")
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    main()
