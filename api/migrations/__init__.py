"""The database schema as Alembic migrations (versions/), applied at every start by
api.db.init_db; README "Database and migrations" tells how to add one.

upgrade() finds the state of the database under the upgrade lock (lock.py) and
- a new database: runs every migration from the baseline (0001) on;
- a database made by a version before migrations (its tables, no alembic_version): brings
  it to the baseline's shape once (legacy.py), stamps it 0001, then upgrades as below;
- a versioned database: runs the migrations it has not had (none: nothing is done).

The environment is found from this file's folder, so the api, the commands and the
tests need no alembic.ini and may run from any directory.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from api.migrations.legacy import adopt, is_legacy
from api.migrations.lock import migration_lock

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file; env.py runs on `connection` when given,
    else on the api's engine (the `python -m api.migrations` commands)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Brings the database of `engine` to the newest revision (see the module's text), in one
    transaction: a failed upgrade leaves the database as it was, also on SQLite."""
    with migration_connection(engine) as conn:
        cfg = alembic_config(conn)
        created = adopt(conn, ScriptDirectory.from_config(cfg)) if is_legacy(conn) else set()
        command.upgrade(cfg, "head")
        if "inbox_items" in created:
            _derive_inbox(conn)
        conn.commit()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection to `engine`'s database for migrating it, holding the upgrade lock (on
    SQLite from an engine of its own: _sqlite_migration_engine). The caller commits."""
    in_file = engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")
    migrating = _sqlite_migration_engine(engine) if in_file else engine  # a memory database is the engine's own
    try:
        with migrating.connect() as conn, migration_lock(conn):
            yield conn
    finally:
        if migrating is not engine:
            migrating.dispose()


def _derive_inbox(conn: Connection) -> None:
    """A database made before the inbox items were kept: derive them from the events recorded
    so far. Done at head, not in the baseline, because it writes the model's current columns."""
    from api.analytics.service import rebuild_inbox

    log.info("derived %d inbox items from the recorded events", rebuild_inbox(conn))


def _sqlite_migration_engine(engine: Engine) -> Engine:
    """An engine of its own for migrating an SQLite file, unlike the api's in two ways:
    - DDL inside the transaction: Python's sqlite3 begins a transaction only before
      INSERT/UPDATE/DELETE, so a CREATE or a batch copy (new table, copy, drop, rename) would
      be committed statement by statement, and a failure half-way would leave half a table
      change. Here the driver's own handling is off and every transaction starts with BEGIN
      (SQLAlchemy's documented recipe for pysqlite).
    - foreign keys unchecked: a batch copy drops the old table, which with checks on would
      delete or refuse the rows of tables that reference it (Alembic's "batch" docs). The
      pragma works only outside a transaction, so it is set when the connection opens.
    """
    from api.db import make_engine

    migrating = make_engine(engine.url.render_as_string(hide_password=False))

    @event.listens_for(migrating, "connect")
    def _connect(dbapi_conn, _record):  # after make_engine's own pragmas
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(migrating, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    return migrating
