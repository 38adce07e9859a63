"""Database wiring: one engine, one session factory, one declarative base."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from sqlalchemy import Column, MetaData, Table, create_engine, event, insert, inspect, select, text
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
            cur.execute("PRAGMA secure_delete=ON")  # deleted rows (retention, forget) leave no trace in the file
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
    from api.gomi import models as _g  # noqa: F401
    from api.linequeue import models as _q  # noqa: F401
    from api.tickets import models as _t  # noqa: F401

    Base.metadata.create_all(engine)
    _add_missing_columns(engine, Base.metadata)
    _relax_not_null(engine, Base.metadata)


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


def _relax_not_null(bind, metadata) -> list[str]:
    """Rebuilds the tables whose model now allows NULL in a column that the existing
    table (made by an older version) declares NOT NULL, e.g. the FAQ fields a city may
    leave empty. Returns the names of the tables rebuilt.

    SQLite cannot drop a NOT NULL constraint in place, so the table is rebuilt with
    SQLAlchemy's own constructs, on any database: its rows are copied to a scratch
    table, the table is dropped and created again from the model (columns, defaults,
    indexes), and the rows are copied back. A table that other tables reference by
    foreign key, or that has columns its model lacks, is only reported: a rebuild would
    break those references or lose that data.
    """
    rebuilt: list[str] = []
    with bind.begin() as conn:
        insp = inspect(conn)
        present = set(insp.get_table_names())
        referenced = {fk["referred_table"] for name in present for fk in insp.get_foreign_keys(name)}
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {c["name"]: c for c in insp.get_columns(table.name)}
            relax = [c.name for c in table.columns
                     if c.name in have and c.nullable and not c.primary_key and not have[c.name]["nullable"]]
            if not relax:
                continue
            extra = set(have) - set(table.columns.keys())
            if table.name in referenced or extra:
                log.warning("cannot allow NULL in %s.%s: the table is referenced or has other columns (%s)",
                            table.name, ", ".join(relax), ", ".join(sorted(extra)))
                continue
            names = [c.name for c in table.columns if c.name in have]
            scratch = Table(f"{table.name}__upgrade", MetaData(), *(Column(n, table.c[n].type) for n in names))
            old = Table(table.name, MetaData(), *(Column(n, table.c[n].type) for n in have))
            scratch.drop(conn, checkfirst=True)  # an empty one left by an interrupted start
            scratch.create(conn)
            conn.execute(insert(scratch).from_select(names, select(*(old.c[n] for n in names))))
            old.drop(conn)
            table.create(conn)
            conn.execute(insert(table).from_select(names, select(*(scratch.c[n] for n in names))))
            scratch.drop(conn)
            rebuilt.append(table.name)
            log.info("rebuilt table %s: %s may now be NULL", table.name, ", ".join(relax))
    return rebuilt


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
