"""Databases made by versions before migrations: create_all made their tables, and two
upgraders at every start added the columns a model had gained and let NULL into columns a
model had relaxed. Such a database is brought to the baseline's shape once, then stamped
with the baseline's revision; from there on only migrations change it.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

BASELINE = "0001"
# Every table a version before migrations could have made: a database with one of them and
# no alembic_version table was made by such a version. Frozen here, not read from the models,
# because later models add tables that no old database has.
LEGACY_TABLES = frozenset({
    "applications", "application_events", "lookup_attempts", "lookup_throttle", "lookup_alerts", "notify",
    "web_outbox", "staff_users", "staff_sessions", "audit_log", "staff_tokens", "conversation_events",
    "inbox_decisions", "inbox_items", "line_events", "faqs", "faq_revisions", "faq_feedback",
    "gomi_datasets", "gomi_items", "tickets",
})


def is_legacy(conn: Connection) -> bool:
    names = set(sa.inspect(conn).get_table_names())
    return "alembic_version" not in names and bool(names & LEGACY_TABLES)


def adopt(conn: Connection, script: ScriptDirectory) -> set[str]:
    """Runs the baseline revision's upgrade() with DDL that creates what is missing and
    completes what exists (_Adopting), then stamps the baseline. The baseline itself stays
    plain op.create_table and op.create_index calls. Returns the names of the tables created."""
    context = MigrationContext.configure(conn)
    adopting = _Adopting(context.impl, conn)
    context.impl = adopting  # op.create_table/create_index end in impl.create_table/create_index
    try:
        with Operations.context(context):
            script.get_revision(BASELINE).module.upgrade()
    finally:
        context.impl = adopting.impl
    context.stamp(script, BASELINE)
    log.info("database made before migrations: brought to revision %s (tables created: %s)",
             BASELINE, ", ".join(sorted(adopting.created)) or "none")
    return adopting.created


class _Adopting:
    """The baseline's DDL on an old database, in place of Alembic's own (`impl`, to which
    everything else is passed on). A missing table or index is created as the baseline says;
    a table that exists keeps its rows and gets the baseline's columns it lacks (with their
    server defaults, so old rows get those values) and NULL allowed where the baseline allows
    it (on SQLite by a batch copy of the table, which keeps its other columns, indexes and rows).

    Left as they are, with a warning: a missing column that is part of the primary key or of
    a unique constraint (no value could be given to the old rows). A missing NOT NULL column
    without a server default is added allowing NULL (the old rows have no value).
    """

    def __init__(self, impl, conn: Connection):
        self.impl = impl
        self.conn = conn
        self.created: set[str] = set()

    def __getattr__(self, name):
        return getattr(self.impl, name)

    def create_table(self, table: sa.Table, **kw) -> None:
        insp = sa.inspect(self.conn)
        if not insp.has_table(table.name):
            self.created.add(table.name)
            self.impl.create_table(table, **kw)
            return
        have = {c["name"]: c for c in insp.get_columns(table.name)}
        unique = {c.name for con in table.constraints if isinstance(con, sa.UniqueConstraint) for c in con.columns}
        add, relax = [], []
        for column in table.columns:
            if column.name not in have:
                if column.primary_key or column.unique or column.name in unique:
                    log.warning("cannot add column %s.%s (primary key or unique)", table.name, column.name)
                    continue
                column = column._copy()
                if not column.nullable and column.server_default is None:
                    log.warning("column %s.%s added allowing NULL: the old rows have no value", table.name, column.name)
                    column.nullable = True
                add.append(column)
            elif column.nullable and not column.primary_key and not have[column.name]["nullable"]:
                relax.append(column)
        if not (add or relax):
            return
        # Alembic's plain operations on their own context: a batch copy creates a scratch table
        # that must not pass through create_table above.
        ops = Operations(MigrationContext.configure(self.conn))
        with ops.batch_alter_table(table.name) as batch:
            for column in add:
                batch.add_column(column)
            for column in relax:
                batch.alter_column(column.name, nullable=True, existing_type=column.type)
        done = ([f"added {', '.join(c.name for c in add)}"] if add else []) + \
            ([f"NULL allowed in {', '.join(c.name for c in relax)}"] if relax else [])
        log.info("completed table %s: %s", table.name, "; ".join(done))

    def create_index(self, index: sa.Index, **kw) -> None:
        existing = {i["name"] for i in sa.inspect(self.conn).get_indexes(index.table.name)}
        if index.name not in existing:
            self.impl.create_index(index, **kw)
