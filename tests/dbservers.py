"""Real database servers for the test suite: find one on 127.0.0.1 or start a throwaway one.

PostgreSQL: a server on 127.0.0.1:5432 with trust auth is used as it is; otherwise, when the
PostgreSQL binaries are installed, a cluster is created with ``initdb`` in a temp dir and started
with ``pg_ctl`` on a free port.  MariaDB: a server on 127.0.0.1:3306 (root, no password) is used;
otherwise ``mariadb-install-db`` + ``mariadbd`` start one in a temp dir on a free port.  Each
test session gets a freshly created, uniquely named database on each server, dropped at the end.

When a server can neither be found nor started, `ServerUnavailable` says why; the fixtures turn
that into a skip locally and into a failure when ``CI`` is set (CI must test for real).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class ServerUnavailable(RuntimeError):
    pass


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _port_open(port):
            return
        time.sleep(0.2)
    raise ServerUnavailable(f"server on 127.0.0.1:{port} did not start in {seconds:.0f}s")


@dataclass
class Server:
    """A reachable server and what to tear down afterwards."""

    admin_url: str
    cleanup: list = field(default_factory=list)

    def stop(self) -> None:
        for fn in reversed(self.cleanup):
            with contextlib.suppress(Exception):
                fn()


def _try_url(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def _own_servers() -> bool:
    """``FASTHX_TEST_OWN_SERVERS=1`` starts throwaway servers even when shared ones run."""
    return os.environ.get("FASTHX_TEST_OWN_SERVERS") == "1"


def _as_root_user() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def start_postgresql() -> Server:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    if not _own_servers() and _port_open(5432) and _try_url(url):
        return Server(url)
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        raise ServerUnavailable("no PostgreSQL on 127.0.0.1:5432 and no initdb installed "
                                "(scripts/test.sh installs the postgresql package as root)")
    bindir = Path(bins[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="fasthx-pg-"))
    port = _free_port()
    run_as: list[str] = []
    if _as_root_user():  # initdb refuses to run as root: use the postgres system user
        shutil.chown(tmp, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = tmp / "data"
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                    str(tmp / "log"), "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1",
                    "start"], check=True, capture_output=True)
    server = Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    server.cleanup.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
    server.cleanup.append(lambda: subprocess.run(
        [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
        capture_output=True))
    _wait_port(port)
    return server


def start_mariadb() -> Server:
    url = "mysql+pymysql://root@127.0.0.1:3306/mysql"
    if not _own_servers() and _port_open(3306) and _try_url(url):
        return Server(url)
    installer = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    daemon = shutil.which("mariadbd") or (Path("/usr/sbin/mariadbd").exists()
                                          and "/usr/sbin/mariadbd")
    if not installer or not daemon:
        raise ServerUnavailable("no MariaDB on 127.0.0.1:3306 and no mariadbd installed "
                                "(scripts/test.sh installs the mariadb-server package as root)")
    tmp = Path(tempfile.mkdtemp(prefix="fasthx-maria-"))
    port = _free_port()
    user = ["--user=root"] if _as_root_user() else []
    # --no-defaults: ignore /etc/mysql (its user, socket and port belong to the system server)
    subprocess.run([installer, "--no-defaults", f"--datadir={tmp / 'data'}",
                    "--auth-root-authentication-method=normal", *user],
                   check=True, capture_output=True)
    proc = subprocess.Popen([str(daemon), "--no-defaults", f"--datadir={tmp / 'data'}",
                             f"--port={port}",
                             "--bind-address=127.0.0.1", f"--socket={tmp / 'sock'}",
                             "--skip-log-bin", *user],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(f"mysql+pymysql://root@127.0.0.1:{port}/mysql")
    server.cleanup.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
    server.cleanup.append(lambda: (proc.terminate(), proc.wait(30)))
    _wait_port(port)
    return server


STARTERS = {"postgresql": start_postgresql, "mariadb": start_mariadb}


@contextlib.contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """Yield the URL of a new, uniquely named database on a server of `kind`; drop it after."""
    server = STARTERS[kind]()
    name = f"fasthx_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if kind == "mariadb":
                conn.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 "
                                  "COLLATE utf8mb4_unicode_ci"))
            else:
                conn.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(server.admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with contextlib.suppress(Exception), admin.connect() as conn:
            if kind == "postgresql":
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
        server.stop()
