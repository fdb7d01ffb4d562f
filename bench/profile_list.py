"""Where our list page spends its time: pyinstrument over N requests of a list page, in process
and in one thread (the ASGI app called directly, the threadpool hop replaced by a plain call:
pyinstrument samples one thread), on the benchmark's small file.

    bench/.venvs/ours/bin/python bench/profile_list.py [--url /orders] [--n 300] [--partial]
        [--time] [--app native|compat|bare]

``--time`` only times the requests; ``--app bare`` times the bare limit the same way (the
in-process counterpart of the wrk ratio, without the server, the network and wrk itself);
``--app compat`` the compat face (its URLs: ``/admin/customer/``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DB", str(ROOT / "bench" / "bench_small.db"))
os.environ.setdefault("AUTH_DISABLED", "1")
os.environ.setdefault("FASTHX_SECRET_KEY", "bench-secret")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="/customers")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--partial", action="store_true")
    ap.add_argument("--time", action="store_true", help="only time the requests (no profiler)")
    ap.add_argument("--app", default="native", choices=["native", "compat", "bare"])
    args = ap.parse_args()
    if args.app != "bare":
        os.environ["BENCH_FACE"] = args.app
    import asyncio

    from pyinstrument import Profiler

    import fasthx_core.routes as routes

    if args.app == "bare":
        from bench.apps.bare import app
    else:
        from bench.apps.ours import app

    async def inline(fn, *a, **kw):  # noqa: ANN001, ANN202
        return fn(*a, **kw)

    routes.run_in_threadpool = routes.run_page = inline
    try:  # the compat face hops to the threadpool in its own module
        import flask_admin_compat.model_routes as compat_routes

        compat_routes.run_in_threadpool = compat_routes.run_page = inline
    except ImportError:
        pass
    path, _, query = args.url.partition("?")
    headers = [(b"host", b"bench")]
    if args.partial:
        headers += [(b"hx-request", b"true"), (b"hx-target", b"list-results")]

    async def get() -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": query.encode(), "headers": headers, "root_path": "",
                 "client": ("127.0.0.1", 1), "server": ("bench", 80)}
        status = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        return status[0]

    async def run() -> None:
        assert await get() == 200
        if args.time:
            import time

            best = float("inf")
            for _ in range(5):  # best of 5 runs of CPU time: other work on the machine
                start = time.process_time()  # stretches the wall clock, less the CPU time
                for _ in range(args.n):
                    await get()
                best = min(best, (time.process_time() - start) / args.n * 1e3)
            print(f"{args.app} {args.url}{' (partial)' if args.partial else ''}: "
                  f"{best:.3f} ms CPU per request (best of 5 x {args.n})")
            return
        profiler = Profiler(interval=0.0002, async_mode="disabled")
        profiler.start()
        for _ in range(args.n):
            await get()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))

    asyncio.run(run())


if __name__ == "__main__":
    main()
