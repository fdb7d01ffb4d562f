"""The progress store: task progress kept in the database, so every worker and process sees
the same bar; and the bar's polling route.  On every backend."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, select

from fasthx_core import CRUDView, get_progress, set_progress
from fasthx_core.progress import create_table, progress_table

from .models import Customer


class CustomerView(CRUDView):
    model = Customer


def test_progress_store_keeps_tasks_in_the_database(make_app) -> None:
    client = make_app(CustomerView)
    assert get_progress("deploy:7") == {"percent": 0, "status": "Waiting…", "failed": False,
                                        "done": False}
    set_progress("deploy:7", 40, "Uploading")
    assert get_progress("deploy:7") == {"percent": 40, "status": "Uploading",
                                        "failed": False, "done": False}
    set_progress("deploy:7", 150, "Finished")
    assert get_progress("deploy:7")["percent"] == 100 and get_progress("deploy:7")["done"]
    set_progress("deploy:8", -3, "Broken", failed=True)
    assert get_progress("deploy:8") == {"percent": 0, "status": "Broken", "failed": True,
                                        "done": True}
    other_worker = create_engine(client.engine.url)  # another process sees the same rows
    try:
        with other_worker.connect() as conn:
            rows = dict(conn.execute(select(progress_table.c.key,
                                            progress_table.c.percent)).all())
    finally:
        other_worker.dispose()
    assert rows == {"deploy:7": 100, "deploy:8": 0}


def test_progress_keeps_long_unicode_statuses_within_the_column(make_app) -> None:
    make_app(CustomerView)
    status = "Überprüfung läuft … " * 20  # 400 characters for a 200-character column
    set_progress("deploy:ü", 30, status)
    assert get_progress("deploy:ü") == {"percent": 30, "status": status[:200],
                                        "failed": False, "done": False}


def test_progress_route_polls_every_500ms_and_stops_when_done_or_failed(make_app) -> None:
    client = make_app(CustomerView)
    client.seed()  # customers 1-3; a row the view does not have has no progress (404)
    assert client.get("/customers/99/progress").status_code == 404
    set_progress("customers:3", 55, "Half way")
    running = client.get("/customers/3/progress").text
    assert 'hx-get="/customers/3/progress" hx-trigger="every 500ms" hx-swap="outerHTML"' \
        in running
    assert 'style="width: 55%"' in running and "Half way" in running
    set_progress("customers:3", 100, "Done")
    assert "hx-trigger" not in client.get("/customers/3/progress").text
    set_progress("customers:2", 20, "Disk full", failed=True)
    failed = client.get("/customers/2/progress").text
    assert "hx-trigger" not in failed and "bg-danger" in failed


def test_workers_reporting_the_same_new_task_at_once_all_succeed(make_app) -> None:
    """Several workers write the first progress of one task at the same moment: each finds
    no row, so each inserts; the losers of that race must update instead of failing."""
    make_app(CustomerView)
    workers = 4
    errors: list[BaseException] = []
    for round_ in range(5):
        key = f"race:{round_}"
        start = threading.Barrier(workers)

        def report(n: int, key: str = key, start: threading.Barrier = start) -> None:
            try:
                start.wait()
                set_progress(key, 10 + n, f"worker {n}")
            except BaseException as exc:  # collected and reported below
                errors.append(exc)

        threads = [threading.Thread(target=report, args=(n,)) for n in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        state = get_progress(key)
        assert state["percent"] in range(10, 10 + workers)
        assert state["status"] == f"worker {state['percent'] - 10}"
    assert errors == []


def test_workers_creating_the_progress_table_at_once_all_succeed(make_app) -> None:
    """The table is made on first use; two workers (processes, each with its own engine)
    may both find it missing and both CREATE it: the loser carries on."""
    client = make_app(CustomerView)
    workers = 4
    engines = [create_engine(client.engine.url) for _ in range(workers)]
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def create(engine) -> None:
        try:
            start.wait()
            create_table(engine)
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(e,)) for e in engines]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for engine in engines:
            engine.dispose()
    assert errors == []
    set_progress("after:1", 5, "ok")
    assert get_progress("after:1")["percent"] == 5
