"""Side-by-side benchmark: our admin against its peers and a bare limit, on one SQLite file.

``bash bench/run.sh`` (or ``python3 bench/peers.py``) does everything: it makes one venv per
peer under ``bench/.venvs/`` from PyPI, the data files, starts every app as one process, checks
every page's content (an error page is never timed), counts SQL statements per request in a
separate instrumented instance of each app, then runs wrk (closed loop, 4 connections) with a
warm-up per URL and ``--rounds`` rounds, the apps interleaved inside each round (their order
rotates from round to round).  The table goes into ``bench/README.md`` between the
``peers:<size>`` markers; raw numbers into ``bench/results/``.

Options: ``--sizes small,large``  ``--rounds 3``  ``--duration 4`` (seconds per wrk run)
``--apps bare,native,...``  ``--pages customers_list,...``  ``--no-write``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENVS = HERE / ".venvs"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
import data  # noqa: E402

# -- the contenders --------------------------------------------------------------------------
# venv name -> what pip installs into it (the marker file remembers the list: a change rebuilds)
REQUIREMENTS: dict[str, list[str]] = {
    "ours": ["-e", f"{ROOT}[server]", "httptools", "uvloop", "pyinstrument>=5,<6"],
    "flask_admin": ["flask-admin==2.2.1", "flask-sqlalchemy>=3.1", "gunicorn", "sqlalchemy>=2.0"],
    "sqladmin": ["sqladmin==0.32.0", "uvicorn", "httptools", "uvloop", "sqlalchemy[asyncio]>=2.0"],
    "starlette_admin": ["starlette-admin==1.0.3", "uvicorn", "httptools", "uvloop",
                        "sqlalchemy[asyncio]>=2.0"],
    # fasthx-admin 0.6.6 answers every page with a 500 on Starlette 1.x: pin one it runs on
    "fasthx_admin": ["fasthx-admin==0.6.6", "fastapi>=0.115,<0.117", "starlette<0.47",
                     "uvicorn", "httptools", "uvloop"],
}

UVICORN = ["-m", "uvicorn", "--host", "127.0.0.1", "--loop", "uvloop", "--http", "httptools",
           "--no-access-log", "--log-level", "warning", "--workers", "1"]


@dataclass
class App:
    name: str
    label: str
    venv: str
    module: str
    urls: dict[str, str]  # page key -> path ({deep} is the deep page's number)
    env: dict[str, str] = field(default_factory=dict)
    gunicorn: bool = False

    def command(self, port: int) -> list[str]:
        py = str(VENVS / self.venv / "bin" / "python")
        if self.gunicorn:
            return [py, "-m", "gunicorn", "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{port}",
                    "--timeout", "120", "--log-level", "warning", self.module]
        return [py, *UVICORN, "--port", str(port), self.module]


OURS_NATIVE = {
    "customers_list": "/customers", "customers_partial": "/customers",
    "orders_list": "/orders", "orders_partial": "/orders",
    "customer_edit": "/customers/{cid}/edit", "order_edit": "/orders/{oid}/edit",
    # what the "next" link of the page before it holds: the last key seen (keyset pagination)
    "orders_deep": "/orders?page={deep}&after={offset}",
    "orders_deep_offset": "/orders?page={deep}",  # the same page typed in: OFFSET
}
APPS = [
    App("bare", "bare limit", "ours", "bench.apps.bare:app", {
        "customers_list": "/customers", "customers_partial": "/customers",
        "orders_list": "/orders", "orders_partial": "/orders",
        "customer_edit": "/customers/{cid}/edit", "order_edit": "/orders/{oid}/edit",
        "orders_deep": "/orders?page={deep}", "orders_deep_offset": "/orders?page={deep}"}),
    App("native", "ours (native)", "ours", "bench.apps.ours:app", OURS_NATIVE,
        env={"BENCH_FACE": "native"}),
    App("compat", "ours (compat)", "ours", "bench.apps.ours:app", {
        "customers_list": "/admin/customer/", "orders_list": "/admin/order/",
        "customer_edit": "/admin/customer/edit/?id={cid}",
        "order_edit": "/admin/order/edit/?id={oid}",
        "orders_deep": "/admin/order/?page={deep0}&after={offset}",
        "orders_deep_offset": "/admin/order/?page={deep0}"}, env={"BENCH_FACE": "compat"}),
    App("flask_admin", "Flask-Admin 2.2.1", "flask_admin", "bench.apps.flask_admin_app:app", {
        "customers_list": "/admin/customer/", "orders_list": "/admin/order/",
        "customer_edit": "/admin/customer/edit/?id={cid}",
        "order_edit": "/admin/order/edit/?id={oid}",
        "orders_deep": "/admin/order/?page={deep0}"}, gunicorn=True),
    App("sqladmin", "sqladmin 0.32", "sqladmin", "bench.apps.sqladmin_app:app", {
        "customers_list": "/admin/customer/list", "orders_list": "/admin/order/list",
        "customer_edit": "/admin/customer/edit/{cid}", "order_edit": "/admin/order/edit/{oid}",
        "orders_deep": "/admin/order/list?page={deep}"}),
    App("starlette_admin", "starlette-admin 1.0.3", "starlette_admin",
        "bench.apps.starlette_admin_app:app", {
            "customers_list": "/admin/customer/list", "orders_list": "/admin/order/list",
            "customer_edit": "/admin/customer/edit?pk={cid}",
            "order_edit": "/admin/order/edit?pk={oid}",
            "orders_deep": "/admin/order/list?page={deep}"}),
    App("fasthx_admin", "fasthx-admin 0.6.6", "fasthx_admin", "bench.apps.fasthx_admin_app:app", {
        # its lists default to newest first: ask for the same order as the others
        "customers_list": "/customers?sort=id&order=asc",
        "orders_list": "/orders?sort=id&order=asc",
        "customer_edit": "/customers/{cid}/edit", "order_edit": "/orders/{oid}/edit",
        "orders_deep": "/orders?sort=id&order=asc&page={deep}"}),
]
PAGES = {
    "customers_list": "customers list, page 1",
    "customers_partial": "customers list, HTMX table-body partial",
    "orders_list": "orders list with the customer FK column",
    "orders_partial": "orders list, HTMX table-body partial",
    "customer_edit": "customer edit form",
    "order_edit": "order edit form (FK select to every customer)",
    "orders_deep": "orders deep page",
    "orders_deep_offset": "orders deep page by its number alone (ours: OFFSET, no seek key)",
}
PARTIAL_HEADERS = {"HX-Request": "true", "HX-Target": "list-results"}
CUSTOMER_ID, ORDER_ID = 500, 500
DEEP_OFFSET = {"small": 7_980, "large": 39_980}
# pages timed per size (the large set: the pages whose cost grows with the tables)
SIZE_PAGES = {"small": list(PAGES),
              "large": ["customers_list", "orders_list", "orders_partial", "order_edit",
                        "orders_deep", "orders_deep_offset"]}
BASE_PORT = 47_310
# a page slower than this for one request is not timed under load (4 connections of it would
# keep a one-worker server busy long after wrk stops): the table gives its one-request time
SLOW_MS = 1_000.0


# -- setup ------------------------------------------------------------------------------------
def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install wrk (as root), then run again")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk did not install")


def ensure_venv(name: str) -> None:
    reqs = REQUIREMENTS[name]
    marker = VENVS / name / ".bench-requirements"
    wanted = hashlib.sha256("\n".join(reqs).encode()).hexdigest()
    if marker.exists() and marker.read_text() == wanted:
        return
    print(f"[venv] {name}: {' '.join(reqs)}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENVS / name)], check=True)
    pip = [str(VENVS / name / "bin" / "python"), "-m", "pip", "install", "-q"]
    result = subprocess.run([*pip, *reqs], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"[venv] {name}: install failed:\n{result.stderr[-2000:]}", flush=True)
        return
    marker.write_text(wanted)


def venv_ok(name: str) -> bool:
    return (VENVS / name / ".bench-requirements").exists()


def versions() -> dict[str, str]:
    out: dict[str, str] = {}
    probe = ("import importlib.metadata as m, sys, json\nout = {}\n"
             "for n in sys.argv[1:]:\n"
             "    try: out[n] = m.version(n)\n"
             "    except m.PackageNotFoundError: pass\nprint(json.dumps(out))")
    names = {"ours": ["fastapi", "starlette", "sqlalchemy", "jinja2", "uvicorn"],
             "flask_admin": ["flask-admin", "flask", "gunicorn", "sqlalchemy"],
             "sqladmin": ["sqladmin", "starlette"], "starlette_admin": ["starlette-admin"],
             "fasthx_admin": ["fasthx-admin", "starlette", "fastapi"]}
    for venv, pkgs in names.items():
        if not venv_ok(venv):
            continue
        res = subprocess.run([str(VENVS / venv / "bin" / "python"), "-c", probe, *pkgs],
                             capture_output=True, text=True)
        if res.returncode == 0:
            for k, v in json.loads(res.stdout).items():
                out[f"{k} ({venv})" if k in ("starlette", "fastapi", "sqlalchemy") else k] = v
    return out


# -- processes --------------------------------------------------------------------------------
class Server:
    def __init__(self, app: App, port: int, size: str, instrument: bool, extra_env: dict):
        self.app, self.port = app, port
        env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_DB=str(data.db_path(size)),
                   AUTH_DISABLED="1", FASTHX_SECRET_KEY="bench-secret", **app.env, **extra_env)
        if instrument:
            env["BENCH_INSTRUMENT"] = "1"
        self.log = open(RESULTS / f"{app.name}-{port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(app.command(port), cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, timeout: float = 60) -> bool:
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                return False
            try:
                urllib.request.urlopen(self.url("/__sqlcount"), timeout=2).read()
                return True
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, float]:
    req = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            body = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return status, body.decode("utf-8", "replace"), time.perf_counter() - start


# -- what each page must show -----------------------------------------------------------------
def expectations(size: str, page: str) -> list[str]:
    """Texts a correct page contains: the rows of page 1 (id ascending), the FK's label, the
    edited row's values, the deep page's rows."""
    conn = sqlite3.connect(data.db_path(size))

    def customer_of(order_id: int) -> str:
        return conn.execute("SELECT c.name FROM orders o JOIN customers c ON c.id = o.customer_id"
                            " WHERE o.id = ?", (order_id,)).fetchone()[0]

    try:
        if page.startswith("customers_"):
            return [data.customer_name(1), data.customer_name(20)]
        if page.startswith("orders_") and not page.startswith("orders_deep"):
            return [data.order_number(1), data.order_number(20), customer_of(1), customer_of(20)]
        if page == "customer_edit":
            return [data.customer_name(CUSTOMER_ID), f"c{CUSTOMER_ID}@example.org"]
        if page == "order_edit":
            return [data.order_number(ORDER_ID)]
        first, last = DEEP_OFFSET[size] + 1, DEEP_OFFSET[size] + 20
        return [data.order_number(first), data.order_number(last), customer_of(first)]
    finally:
        conn.close()


def page_path(app: App, page: str, size: str) -> str | None:
    path = app.urls.get(page)
    if path is None:
        return None
    offset = DEEP_OFFSET[size]
    return path.format(cid=CUSTOMER_ID, oid=ORDER_ID, deep=offset // 20 + 1,
                       deep0=offset // 20, offset=offset)


def headers_for(page: str) -> dict[str, str]:
    return PARTIAL_HEADERS if page.endswith("_partial") else {}


def check(app: App, page: str, size: str, status: int, body: str) -> str | None:
    """None when the page is right, else why not."""
    if status != 200:
        return f"HTTP {status}"
    missing = [t for t in expectations(size, page) if t not in body]
    if missing:
        return "missing " + ", ".join(missing[:3])
    if page.endswith("_partial") and app.name != "bare" and "<html" in body.lower():
        return "a full page, not a partial"
    return None


# -- wrk --------------------------------------------------------------------------------------
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def wrk(wrk_bin: str, url: str, seconds: float, headers: dict[str, str]) -> dict:
    cmd = [wrk_bin, "-t1", "-c4", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "60s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0,
            "p50": _ms(p50.group(1)) if p50 else float("nan"),
            "p99": _ms(p99.group(1)) if p99 else float("nan"),
            "non2xx": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else ""}


# -- one size ---------------------------------------------------------------------------------
def run_size(size: str, apps: list[App], pages: list[str], rounds: int, duration: float,
             wrk_bin: str) -> dict:
    data.make(size)
    extra = {"BENCH_COUNT_MODE": "estimate"} if size == "large" else {}
    result: dict = {"size": size, "facts": {}, "rounds": [], "invalid": {}}
    # 1. an instrumented instance per app: content, SQL statements, size, one request's time
    for i, app in enumerate(apps):
        srv = Server(app, BASE_PORT + 50 + i, size, True, extra)
        try:
            if not srv.wait():
                result["invalid"][app.name] = "did not start (see bench/results/*.log)"
                continue
            for page in pages:
                path = page_path(app, page, size)
                if path is None:
                    continue
                fetch(srv.url("/__sqlcount"))
                status, body, secs = fetch(srv.url(path), headers_for(page))
                _, count, _ = fetch(srv.url("/__sqlcount"))
                status2, body2, secs2 = fetch(srv.url(path), headers_for(page))  # warm
                fetch(srv.url("/__sqlcount"))
                problem = check(app, page, size, status, body)
                result["facts"][f"{app.name}/{page}"] = {
                    "status": status, "bytes": len(body.encode()), "sql": int(count),
                    "first_ms": secs * 1e3, "single_ms": secs2 * 1e3, "problem": problem}
                print(f"[{size}] {app.name:16} {page:18} {status} {len(body):>9} B "
                      f"sql={count:>3} {secs2 * 1e3:8.1f} ms {problem or 'ok'}", flush=True)
        finally:
            srv.stop()
    # 2. one timing instance per app, all up at once, measured one at a time
    servers = {}
    for i, app in enumerate(apps):
        if app.name in result["invalid"]:
            continue
        servers[app.name] = Server(app, BASE_PORT + i, size, False, extra)
    try:
        for name, srv in list(servers.items()):
            if not srv.wait():
                result["invalid"][name] = "did not start"
                srv.stop()
                del servers[name]
        facts = result["facts"]
        targets = [(page, app) for page in pages for app in apps if app.name in servers
                   and page_path(app, page, size) is not None
                   and not facts.get(f"{app.name}/{page}", {}).get("problem")
                   and facts.get(f"{app.name}/{page}", {}).get("single_ms", 0) <= SLOW_MS]

        def settle(app: App, page: str) -> None:
            """Let the requests wrk left in flight finish before the next app is timed."""
            time.sleep(min(5.0, 4 * facts[f"{app.name}/{page}"]["single_ms"] / 1e3 + 0.05))

        for page, app in targets:  # warm-up per URL
            wrk(wrk_bin, servers[app.name].url(page_path(app, page, size)), 1, headers_for(page))
            settle(app, page)
        for r in range(rounds):
            this_round: dict = {}
            for page in pages:
                order = [a for a in apps if (page, a) in targets]
                shift = r % max(1, len(order))
                for app in order[shift:] + order[:shift]:
                    m = wrk(wrk_bin, servers[app.name].url(page_path(app, page, size)), duration,
                            headers_for(page))
                    this_round[f"{app.name}/{page}"] = m
                    settle(app, page)
                    print(f"[{size} r{r + 1}] {app.name:16} {page:18} {m['rps']:9.1f} req/s "
                          f"p50 {m['p50']:8.2f} ms p99 {m['p99']:8.2f} ms"
                          + (f" non2xx={m['non2xx']}" if m["non2xx"] else ""), flush=True)
            result["rounds"].append(this_round)
    finally:
        for srv in servers.values():
            srv.stop()
    return result


# -- report -----------------------------------------------------------------------------------
def summarize(result: dict, apps: list[App], pages: list[str]) -> list[dict]:
    rows = []
    for page in pages:
        bare_page = page
        for app in apps:
            key = f"{app.name}/{page}"
            fact = result["facts"].get(key)
            if fact is None:
                continue
            runs = [r[key] for r in result["rounds"] if key in r]
            ratios = [r[key]["rps"] / r[f"bare/{bare_page}"]["rps"] for r in result["rounds"]
                      if key in r and r.get(f"bare/{bare_page}", {}).get("rps")]
            rows.append({
                "page": page, "app": app.label, "name": app.name,
                "rps": statistics.median([m["rps"] for m in runs]) if runs else None,
                "p50": statistics.median([m["p50"] for m in runs]) if runs else None,
                "p99": statistics.median([m["p99"] for m in runs]) if runs else None,
                "ratio": statistics.median(ratios) if ratios else None,
                "ratios": ratios, "non2xx": sum(m["non2xx"] for m in runs),
                "sql": fact["sql"], "bytes": fact["bytes"], "single_ms": fact["single_ms"],
                "problem": fact["problem"]})
    return rows


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None or value != value else format(value, fmt)


def markdown(size: str, rows: list[dict], meta: dict, invalid: dict) -> str:
    counts = data.SIZES[size]
    lines = [f"### {size} set: {counts[0]:,} customers / {counts[1]:,} orders",
             "", f"Run {meta['date']} on {meta['machine']}; {meta['rounds']} rounds of "
             f"{meta['duration']} s per URL, wrk closed loop, 4 connections, apps interleaved; "
             "ratio = req/s over the bare limit's in the same round (median of rounds).",
             "", "| page | app | req/s | ratio to bare | p50 ms | p99 ms | SQL/request | "
             "KiB | one request ms | note |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        note = r["problem"] or ("non-2xx during timing" if r["non2xx"] else "")
        if not note and r["single_ms"] > SLOW_MS:
            note = f"not timed: one request takes {r['single_ms'] / 1e3:.1f} s"
        lines.append(
            f"| {PAGES[r['page']]} | {r['app']} | {_num(r['rps'], '.0f')} | "
            f"{_num(r['ratio'], '.2f')} | {_num(r['p50'], '.1f')} | {_num(r['p99'], '.1f')} | "
            f"{r['sql']} | {r['bytes'] / 1024:.1f} | {r['single_ms']:.1f} | {note} |")
    for name, why in invalid.items():
        lines.append(f"| (all) | {name} | - | - | - | - | - | - | - | {why} |")
    return "\n".join(lines)


def write_readme(size: str, text: str) -> None:
    readme = HERE / "README.md"
    content = readme.read_text()
    begin, end = f"<!-- peers:{size}:begin -->", f"<!-- peers:{size}:end -->"
    block = f"{begin}\n{text}\n{end}"
    if begin in content and end in content:
        content = content[:content.index(begin)] + block + content[content.index(end) + len(end):]
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    readme.write_text(content)


def machine() -> str:
    cpu = platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in
                     Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,large")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=4.0)
    ap.add_argument("--apps", default=",".join(a.name for a in APPS))
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--no-write", action="store_true", help="leave bench/README.md alone")
    args = ap.parse_args()
    RESULTS.mkdir(exist_ok=True)
    VENVS.mkdir(exist_ok=True)
    wrk_bin = ensure_wrk()
    wanted = [a for a in APPS if a.name in args.apps.split(",")]
    if "bare" not in [a.name for a in wanted]:
        wanted.insert(0, APPS[0])
    for venv in sorted({a.venv for a in wanted}):
        ensure_venv(venv)
    apps = [a for a in wanted if venv_ok(a.venv)]
    skipped = {a.name: "its venv did not install" for a in wanted if a not in apps}
    meta = {"date": dt.date.today().isoformat(), "machine": machine(), "rounds": args.rounds,
            "duration": args.duration, "versions": versions()}
    for size in args.sizes.split(","):
        pages = [p for p in args.pages.split(",") if p in SIZE_PAGES[size]]
        started = time.time()
        result = run_size(size, apps, pages, args.rounds, args.duration, wrk_bin)
        result["invalid"].update(skipped)
        rows = summarize(result, apps, pages)
        (RESULTS / f"{size}.json").write_text(json.dumps(
            {"meta": meta, "result": result, "rows": rows}, indent=1, default=str))
        text = markdown(size, rows, meta, result["invalid"])
        print("\n" + text + f"\n\n({size}: {time.time() - started:.0f} s)\n", flush=True)
        if not args.no_write:
            write_readme(size, text)
    print("versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))


if __name__ == "__main__":
    main()
