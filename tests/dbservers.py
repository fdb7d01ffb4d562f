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
from typing import Any

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


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
        _forget_tables_engine(make_url(server.admin_url).set(database=name)
                              .render_as_string(hide_password=False))
        with contextlib.suppress(Exception), admin.connect() as conn:
            if kind == "postgresql":
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
        server.stop()


# --- tables inside a test database ----------------------------------------------------------

_table_engines: dict[str, Any] = {}


def _tables_engine(url: str) -> Any:
    """One engine per server database for creating and dropping the tests' tables: its idle
    connections stay open (they hold no locks) so each test's DDL skips the connection set-up.
    SQLite files are per test: a throwaway engine each time."""
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_no_fsync)
        return engine
    if url not in _table_engines:
        _table_engines[url] = create_engine(url, pool_size=1, max_overflow=0)
    return _table_engines[url]


def _sqlite_no_fsync(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA synchronous=OFF")  # test files: no disk flush per DDL


def _forget_tables_engine(url: str) -> None:
    engine = _table_engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def drop_all_tables(url: str) -> None:
    """Drop every table (and, on PostgreSQL, every enum type) in the database at `url`.

    The server databases are shared by a test session, so each test leaves them empty.  On
    PostgreSQL a connection still inside a transaction would block the DROP forever: a lock
    timeout turns that into an error naming the connections that hold the locks.
    """
    engine = _tables_engine(url)
    try:
        with engine.begin() as conn:
            kind = conn.dialect.name
            if kind == "postgresql":
                names = conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                ).scalars().all()
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                try:
                    if names:
                        conn.execute(text("DROP TABLE IF EXISTS "
                                          + ", ".join(f'"{n}"' for n in names) + " CASCADE"))
                except Exception as exc:
                    raise RuntimeError(f"could not drop the test tables: {exc}; "
                                       f"other connections: {_pg_blockers(url)}") from exc
                types = conn.execute(text(
                    "SELECT t.typname FROM pg_type t JOIN pg_namespace n "
                    "ON n.oid = t.typnamespace WHERE t.typtype = 'e' "
                    "AND n.nspname = current_schema()")).scalars().all()
                if types:
                    conn.execute(text("DROP TYPE IF EXISTS "
                                      + ", ".join(f'"{t}"' for t in types) + " CASCADE"))
            elif kind in ("mysql", "mariadb"):
                names = conn.execute(text("SHOW TABLES")).scalars().all()
                if names:
                    conn.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
                    conn.execute(text("DROP TABLE IF EXISTS "
                                      + ", ".join(f"`{n}`" for n in names)))
                    conn.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
            elif inspect(conn).get_table_names():
                meta = MetaData()
                meta.reflect(conn)
                meta.drop_all(conn)
    finally:
        if url.startswith("sqlite"):
            engine.dispose()


def _pg_blockers(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [f"pid {pid} ({state}): {query[:120]}" for pid, state, query in conn.execute(
                text("SELECT pid, state, query FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()"))]
    except Exception as exc:  # only for the message
        return [repr(exc)]
    finally:
        engine.dispose()


@contextlib.contextmanager
def fresh_tables(url: str, *schema: Any) -> Iterator[None]:
    """Create `schema` (MetaData objects and single Tables) on the database at `url`, dropping
    whatever an earlier test left first; on a (shared) server database drop every table
    afterwards, including those the code under test made on its own (the progress store's).
    A SQLite file belongs to its test (``tmp_path``) and is left as it is.  Dispose the
    engines that used the tables before leaving the block: on PostgreSQL a connection left
    inside a transaction would block the DROP."""
    drop_all_tables(url)
    engine = _tables_engine(url)
    try:
        with engine.begin() as conn:
            for item in schema:  # MetaData.create_all or Table.create
                (getattr(item, "create_all", None) or item.create)(conn, checkfirst=False)
    finally:
        if url.startswith("sqlite"):
            engine.dispose()
    try:
        yield
    finally:
        if not url.startswith("sqlite"):  # a SQLite file is the test's own (in tmp_path)
            drop_all_tables(url)
