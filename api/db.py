"""Database wiring: one engine, one session factory, one declarative base."""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
from collections.abc import Iterator

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from api.config import get_settings


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    """Timestamps are stored timezone-aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def make_engine(url: str):
    """The api's engine for `url`; SQLite with the pragmas every connection needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL: readers never block the writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")  # deleted rows (retention, forget) leave no trace in the file
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


engine = make_engine(get_settings().database_url)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


# pg_advisory_lock key of the start-up below; not the migrations' own (api/migrations/lock.py),
# which init_db takes inside it on another connection
STARTUP_LOCK_KEY = 0x6D616470


@contextlib.contextmanager
def startup_lock() -> Iterator[None]:
    """One api process at a time sets up the shared data (schema, demo rows, corpus import): a
    PostgreSQL advisory lock held on its own connection, or a file lock beside SQLite. The
    others wait, then find the work done (the corpus import skips what is unchanged)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": STARTUP_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": STARTUP_LOCK_KEY})
                conn.commit()
        return
    path = get_settings().var_dir / "startup.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when closed, also by a dying process
        yield


def load_models() -> MetaData:
    """Imports every model module, so that their tables are registered on Base.metadata
    (the migrations' target: api/migrations/env.py), and returns that metadata."""
    from api.admin import models as _s  # noqa: F401
    from api.analytics import models as _an  # noqa: F401
    from api.applications import models as _a  # noqa: F401
    from api.channels import models as _c  # noqa: F401
    from api.faq import models as _f  # noqa: F401
    from api.gomi import models as _g  # noqa: F401
    from api.handover import models as _h  # noqa: F401
    from api.linequeue import models as _q  # noqa: F401
    from api.tickets import models as _t  # noqa: F401

    return Base.metadata


def init_db(bind=None) -> None:
    """Brings the database (`bind`, else the api's engine) to the newest schema with the
    Alembic migrations of api/migrations/, under a lock that other processes starting at
    the same time wait for (api.migrations.upgrade)."""
    from api.migrations import upgrade

    load_models()
    upgrade(bind if bind is not None else engine)


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
