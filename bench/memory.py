"""Memory and start-up cost of registered views: the resident size of one worker with 50
registered views (each list page rendered once, so templates and statement caches are warm),
and the time to register 100 views.  Fifty distinct models (six columns and an FK each) on an
in-memory SQLite database.

    bench/.venvs/ours/bin/python bench/memory.py      # prints a markdown line per figure
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("AUTH_DISABLED", "1")
os.environ.setdefault("FASTHX_SECRET_KEY", "bench-secret")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def models(n: int, base: type) -> list[type]:
    from sqlalchemy import DateTime, ForeignKey, Integer, String
    from sqlalchemy.orm import mapped_column, relationship

    out: list[type] = []
    for i in range(n):
        attrs = {"__tablename__": f"t{i}", "id": mapped_column(Integer, primary_key=True),
                 "name": mapped_column(String(100), unique=True),
                 "email": mapped_column(String(200)), "city": mapped_column(String(50)),
                 "amount": mapped_column(Integer), "created_at": mapped_column(DateTime),
                 "__str__": lambda self: self.name}
        if out:
            attrs["parent_id"] = mapped_column(ForeignKey(f"t{i - 1}.id"), nullable=True)
            attrs["parent"] = relationship(out[-1])
        out.append(type(f"M{i}", (base,), attrs))
    return out


def resident_with_50_views() -> tuple[float, float]:
    """(MB before any model or view, MB with 50 views after each list page was rendered)."""
    from fastapi import FastAPI
    from sqlalchemy.orm import DeclarativeBase, Session
    from starlette.testclient import TestClient

    from fasthx_core import Admin, CRUDView, init_db

    gc.collect()
    before = rss_mb()

    class Base(DeclarativeBase):
        pass

    classes = models(50, Base)
    engine = init_db("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        for cls in classes:
            db.add_all(cls(name=f"{cls.__name__}-{j}", email="e@x.org", city="Oslo", amount=j,
                           created_at=dt.datetime(2024, 1, 1)) for j in range(30))
        db.commit()
    app = FastAPI()
    admin = Admin(app, title="Memory")
    for i, cls in enumerate(classes):
        admin.add_view(type(f"V{i}", (CRUDView,), {"model": cls}))
    client = TestClient(app)
    for i in range(50):
        assert client.get(f"/t{i}").status_code == 200
    gc.collect()
    return before, rss_mb()


def register_100_views() -> float:
    """Seconds to register 100 views (models mapped beforehand, as an app's imports do)."""
    from fastapi import FastAPI
    from sqlalchemy.orm import DeclarativeBase, configure_mappers

    from fasthx_core import Admin, CRUDView, init_db

    class Base(DeclarativeBase):
        pass

    classes = models(100, Base)
    init_db("sqlite://")
    configure_mappers()
    view_classes = [type(f"V{i}", (CRUDView,), {"model": cls}) for i, cls in enumerate(classes)]
    start = time.perf_counter()
    admin = Admin(FastAPI(), title="Memory")
    for view in view_classes:
        admin.add_view(view)
    return time.perf_counter() - start


def main() -> None:
    """Each figure in its own process, so neither counts the other's objects."""
    if sys.argv[1:] == ["--rss"]:
        print(*resident_with_50_views())
        return
    if sys.argv[1:] == ["--register"]:
        print(register_100_views())
        return
    import subprocess

    def child(flag: str) -> list[float]:
        out = subprocess.run([sys.executable, __file__, flag], capture_output=True, text=True,
                             check=True).stdout
        return [float(x) for x in out.split()]

    seconds = min(child("--register")[0] for _ in range(3))
    before, rss = child("--rss")
    print(f"| registering 100 views (best of 3) | {seconds:.2f} s | < 1 s | "
          f"{'met' if seconds < 1 else 'NOT met'} |")
    print(f"| resident size, one worker, 50 views (each list rendered once) | {rss:.0f} MB "
          f"(interpreter and imports before the views: {before:.0f} MB) | <= 100 MB | "
          f"{'met' if rss <= 100 else 'NOT met'} |")


if __name__ == "__main__":
    main()
