"""Alembic's environment for madoguchi's migrations (api.migrations.alembic_config).

Runs on the connection api.migrations.upgrade passes, or, for the `python -m api.migrations`
commands, on the api's own database (MADOGUCHI_DB_URL): both through
api.migrations.migration_connection (the upgrade lock; SQLite DDL in the transaction).
The target of autogenerate is the models' metadata (api.db.load_models). render_as_batch: ALTERs are written as batch operations, which SQLite can run (a copy of
the table) and PostgreSQL runs as plain ALTER TABLE.
"""
from __future__ import annotations

from alembic import context

from api.db import load_models

target_metadata = load_models()


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from api.db import engine
    from api.migrations import migration_connection

    with migration_connection(engine) as conn:
        run(conn)
        conn.commit()


def run_offline() -> None:
    """`upgrade --sql`: the SQL for a database of the configured URL's kind, not run."""
    from api.config import get_settings

    context.configure(url=get_settings().database_url, target_metadata=target_metadata, render_as_batch=True,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
