"""Database wiring: one engine, one session factory, one declarative base."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from api.config import get_settings

log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    """Timestamps are stored timezone-aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def _make_engine(url: str):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL: readers never block the writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


engine = _make_engine(get_settings().database_url)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


def init_db() -> None:
    # Import models so their tables are registered on Base.metadata.
    from api.admin import models as _s  # noqa: F401
    from api.analytics import models as _an  # noqa: F401
    from api.applications import models as _a  # noqa: F401
    from api.channels import models as _c  # noqa: F401
    from api.faq import models as _f  # noqa: F401
    from api.tickets import models as _t  # noqa: F401

    Base.metadata.create_all(engine)
    _add_missing_columns(engine, Base.metadata)


def _add_missing_columns(bind, metadata) -> list[str]:
    """Adds columns that a model has and its existing table lacks (databases made by an
    older version): `ALTER TABLE … ADD COLUMN`, with the column's server default, so old
    rows get that value. create_all only creates missing tables, never columns.

    Primary-key and unique columns cannot be added this way and are only reported.
    A NOT NULL column without a server default is added as nullable (SQLite refuses
    NOT NULL without a default). Returns the "table.column" names added.
    """
    added: list[str] = []
    with bind.begin() as conn:
        insp = inspect(conn)
        present = set(insp.get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {c["name"] for c in insp.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                if column.primary_key or column.unique:
                    log.warning("cannot add column %s.%s (primary key or unique)", table.name, column.name)
                    continue
                prep = conn.dialect.identifier_preparer
                ddl = f"ALTER TABLE {prep.quote(table.name)} ADD COLUMN {prep.quote(column.name)} " \
                      f"{column.type.compile(dialect=conn.dialect)}"
                default = column.server_default
                if default is not None and hasattr(default, "arg"):
                    arg = default.arg
                    value = arg.text if hasattr(arg, "text") else "'" + str(arg).replace("'", "''") + "'"
                    ddl += f" DEFAULT {value}"
                    if not column.nullable:
                        ddl += " NOT NULL"
                conn.execute(text(ddl))
                added.append(f"{table.name}.{column.name}")
                log.info("added column %s.%s", table.name, column.name)
    return added


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
