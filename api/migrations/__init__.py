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
    """Brings the database of `engine` to the newest revision (see the module's text)."""
    with engine.connect() as conn, migration_lock(conn), _sqlite_foreign_keys_off(conn):
        cfg = alembic_config(conn)
        created = adopt(conn, ScriptDirectory.from_config(cfg)) if is_legacy(conn) else set()
        command.upgrade(cfg, "head")
        if "inbox_items" in created:
            _derive_inbox(conn)
        conn.commit()


def _derive_inbox(conn: Connection) -> None:
    """A database made before the inbox items were kept: derive them from the events recorded
    so far. Done at head, not in the baseline, because it writes the model's current columns."""
    from api.analytics.service import rebuild_inbox

    log.info("derived %d inbox items from the recorded events", rebuild_inbox(conn))


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: foreign keys unchecked while migrating. A batch migration copies a table to a
    new one, drops the old and renames the copy; with checks on, dropping a table that others
    reference would delete or refuse their rows (Alembic's docs, "batch" mode). The pragma
    works only outside a transaction, so it is set before anything else and restored after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # the pooled connection goes back as the api set it up
        conn.commit()
