"""The benchmark's data: one SQLite file per size, customers and their orders.

Written with the standard library's sqlite3 (fast, and readable by every peer's SQLAlchemy).
The schema is plain on purpose: integer primary keys, an indexed FK, a unique customer name
(the label an FK column shows), text, an integer amount and a timestamp.  A file is made only
when it is missing or was made for other counts; ``python bench/data.py small large`` makes both.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"small": (1_000, 10_000), "large": (100_000, 1_000_000)}
CITIES = ["Berlin", "Lisbon", "Oslo", "Quito", "Osaka", "Lagos", "Perth", "Tunis", "Lima", "Riga"]
STATUSES = ["new", "paid", "shipped", "delivered", "cancelled"]

SCHEMA = """
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL UNIQUE,
    email VARCHAR(200) NOT NULL,
    city VARCHAR(50) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number VARCHAR(20) NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    status VARCHAR(20) NOT NULL,
    amount INTEGER NOT NULL,
    note VARCHAR(200) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
CREATE TABLE bench_meta (customers INTEGER, orders INTEGER);
"""


def customer_name(i: int) -> str:
    return f"Customer {i:06d}"


def order_number(i: int) -> str:
    return f"ORD-{i:07d}"


def db_path(size: str) -> Path:
    return HERE / f"bench_{size}.db"


def make(size: str) -> Path:
    n_customers, n_orders = SIZES[size]
    path = db_path(size)
    if path.exists():
        try:
            with sqlite3.connect(path) as conn:
                if conn.execute("SELECT customers, orders FROM bench_meta").fetchone() == (
                        n_customers, n_orders):
                    return path
        except sqlite3.Error:
            pass
        path.unlink()
    rnd = random.Random(7)
    start = dt.datetime(2024, 1, 1)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?)", (
        (i, customer_name(i), f"c{i}@example.org", rnd.choice(CITIES),
         (start + dt.timedelta(minutes=i)).isoformat(" "))
        for i in range(1, n_customers + 1)))
    conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)", (
        (i, order_number(i), rnd.randint(1, n_customers), rnd.choice(STATUSES),
         rnd.randint(100, 99_999), f"note {i}",
         (start + dt.timedelta(seconds=30 * i)).isoformat(" "))
        for i in range(1, n_orders + 1)))
    conn.execute("INSERT INTO bench_meta VALUES (?, ?)", (n_customers, n_orders))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    tmp.rename(path)
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or ["small"]:
        print(make(name))
