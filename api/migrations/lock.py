"""One schema upgrade at a time: api workers that start together on one database wait for
the first to finish its upgrade, then find the database at head and do nothing."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

# The key of PostgreSQL's session advisory lock: any fixed bigint every madoguchi process
# agrees on ("mado" in ASCII). Other applications of the same database are unlikely to use it.
ADVISORY_KEY = 0x6D61646F


@contextmanager
def migration_lock(conn: Connection) -> Iterator[None]:
    """Holds the upgrade lock on `conn`'s database for the block.

    PostgreSQL: pg_advisory_lock, held by the connection's session (not a transaction, so
    the migrations may commit as they go; the server drops it if the process dies).
    SQLite: an flock on a file beside the database (a command such as create_user may start
    while the api does). Other databases, and SQLite in memory: no lock.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
        conn.commit()
        try:
            yield
        finally:
            conn.rollback()  # a failed migration leaves its transaction aborted
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
            conn.commit()
        return
    path = conn.engine.url.database if conn.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    fd = os.open(f"{path}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when the file is closed, also by a dying process
        yield
    finally:
        os.close(fd)
