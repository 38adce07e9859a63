"""The schema as Alembic migrations (api/migrations), on SQLite and on PostgreSQL alike:
a new database, a database made before migrations, a restart, workers starting together,
and the check that the models and the migrations agree.

PostgreSQL: the server at 127.0.0.1:5432 (user postgres), in a database of these tests'
own (madoguchi_alembic_test, made again for each test); skipped when it is unreachable.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, String, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.db import init_db, load_models, make_engine
from api.faq.models import Faq
from api.migrations import alembic_config
from api.migrations.legacy import BASELINE, adopt
from api.migrations.lock import ADVISORY_KEY

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DB = "madoguchi_alembic_test"
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture
def pg_url():
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        conn = admin.connect()
    except OperationalError as e:
        admin.dispose()
        pytest.skip(f"PostgreSQL unreachable at 127.0.0.1:5432 as postgres: {str(e.orig).strip()[:200]}")
    with conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {PG_DB}")
    yield f"{PG_SERVER}/{PG_DB}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'madoguchi.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(url):
    engine = make_engine(url)  # the api's own engine setup (SQLite: WAL, foreign keys on)
    yield engine
    engine.dispose()


def drift(engine, metadata=None) -> list:
    """What autogenerate would write into a new migration: empty when the database (after
    the migrations) and the models agree."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                metadata if metadata is not None else load_models())


def shape(engine) -> dict[str, list[tuple]]:
    """Each table's columns: name, type, NULL allowed."""
    insp = inspect(engine)
    return {name: [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)]
            for name in insp.get_table_names()}


def version(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]


# -- the models and the migrations agree ---------------------------------------------------------
def test_a_new_database_gets_every_migration_and_matches_the_models(engine):
    init_db(engine)
    assert version(engine) == [HEAD]
    assert drift(engine) == []


def test_the_check_fails_for_a_model_column_without_a_migration(engine):
    """The check above is able to fail: a model that gained a column (here a copy of the
    models with tickets.not_migrated) differs from what the migrations made."""
    init_db(engine)
    models = MetaData()
    for table in load_models().sorted_tables:
        table.to_metadata(models)
    models.tables["tickets"].append_column(Column("not_migrated", Integer, nullable=True))
    diffs = drift(engine, models)
    assert [(d[0], d[2], d[3].name) for d in diffs] == [("add_column", "tickets", "not_migrated")]


@contextmanager
def writes() -> Iterator[list[str]]:
    """The statements that change a database (DDL and DML), of any engine: SQLite is
    migrated on an engine of its own (api.migrations._sqlite_migration_engine)."""
    seen: list[str] = []

    def record(conn, cursor, statement, *_):
        if statement.lstrip().split(" ", 1)[0].upper() in ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_a_restart_changes_nothing(engine):
    init_db(engine)
    with writes() as seen:
        init_db(engine)
        init_db(engine)
    assert seen == []
    assert version(engine) == [HEAD]


# -- a database made by a version before migrations ---------------------------------------------
def last_version_before_migrations(engine) -> None:
    """The database the last version before migrations made (create_all of its models): the
    baseline revision's tables, without alembic_version."""
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), BASELINE)
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.commit()


def make_old_database(engine) -> None:
    """The shape an older version left: the last one's, less the columns added since
    (faqs.status and .pending, tickets.closed_at, staff_tokens.last_used_at), with the FAQ
    fields that were NOT NULL before cities could leave them empty, and without inbox_items
    (kept since); with rows in them."""
    last_version_before_migrations(engine)
    with engine.connect() as conn:
        ops = Operations(MigrationContext.configure(conn))
        ops.drop_table("inbox_items")
        with ops.batch_alter_table("faqs") as batch:
            batch.drop_column("status")
            batch.drop_column("pending")
            for name, length in (("category", 100), ("department", 200), ("phone", 40), ("url", 500)):
                batch.alter_column(name, nullable=False, existing_type=String(length))
        with ops.batch_alter_table("tickets") as batch:
            batch.drop_column("closed_at")
        with ops.batch_alter_table("staff_tokens") as batch:
            batch.drop_column("last_used_at")
        conn.commit()
    now = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone.utc)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO faqs (id, question, alternatives, answer, category, department, phone, url, verified, "
            "origin, corpus_hash, deleted, updated_at) VALUES ('a-1', '質問', '[\"言い換え\"]', '回答', '分類', '課', "
            "'012-345-6000', 'https://x.example/', :day, 'corpus', 'h', :no, :now)"),
            {"day": dt.date(2026, 1, 1), "no": False, "now": now})
        conn.execute(text(
            "INSERT INTO tickets (year, seq, sender, channel, question, transcript, status, created_at) "
            "VALUES (2026, 1, 'web:abc', 'web', '〔電話番号〕に電話が欲しい', '[]', 'open', :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO staff_users (login, display_name, role, password_hash, active, failed_logins, created_at) "
            "VALUES ('sato', '佐藤', 'editor', 'x', :yes, 0, :now)"), {"yes": True, "now": now})
        conn.execute(text(
            "INSERT INTO staff_tokens (token_hash, user_id, role, note, created_at, expires_at) "
            "SELECT 'h1', id, 'editor', '', :now, :now FROM staff_users WHERE login = 'sato'"), {"now": now})
        conn.execute(text(
            "INSERT INTO conversation_events (at, day, channel, sender_hash, kind, zone, faq_id, text) "
            "VALUES (:now, :day, 'web', 's1', 'question', 'none', NULL, '粗大ごみの予約')"),
            {"now": now, "day": dt.date(2026, 11, 30)})


def test_an_old_database_keeps_its_rows_and_gets_the_baseline_then_head(engine):
    make_old_database(engine)
    init_db(engine)
    assert version(engine) == [HEAD]
    assert drift(engine) == []  # columns added, NULL allowed, inbox_items made: the models' shape
    with Session(engine) as session:
        faq = session.get(Faq, "a-1")
        assert (faq.question, faq.alternatives, faq.category, faq.phone, faq.verified, faq.corpus_hash) == (
            "質問", ["言い換え"], "分類", "012-345-6000", dt.date(2026, 1, 1), "h")
        assert (faq.status, faq.pending) == ("published", None)  # the new column's server default
    with engine.connect() as conn:
        assert conn.execute(text("SELECT question, closed_at FROM tickets")).one() == ("〔電話番号〕に電話が欲しい", None)
        token = conn.execute(text("SELECT t.token_hash, u.login, t.last_used_at FROM staff_tokens t "
                                  "JOIN staff_users u ON u.id = t.user_id")).one()
        assert tuple(token) == ("h1", "sato", None)
        # the inbox of the events recorded before it was kept
        assert conn.execute(text("SELECT reason, text FROM inbox_items")).all() == [("none", "粗大ごみの予約")]
    with engine.begin() as conn:  # a city's entry without the optional fields
        conn.execute(text("INSERT INTO faqs (id, question, alternatives, answer, origin, deleted, updated_at) "
                          "VALUES ('b-1', '質問だけ', '[]', '回答だけ', 'staff', :no, :now)"),
                     {"no": False, "now": dt.datetime.now(dt.timezone.utc)})
        assert conn.execute(text("SELECT status, category FROM faqs WHERE id = 'b-1'")).one() == ("published", None)
    assert "_alembic_tmp_faqs" not in inspect(engine).get_table_names()
    init_db(engine)  # a restart: nothing more to do
    assert version(engine) == [HEAD] and drift(engine) == []


def test_a_failed_upgrade_leaves_the_database_as_it_was(tmp_path):
    """One transaction for the whole upgrade, also on SQLite (whose driver would commit each
    DDL statement): an event the inbox derivation cannot read stops the upgrade after the FAQ
    table was copied and altered; the old database is left exactly as it was."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    make_old_database(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO conversation_events (at, day, channel, sender_hash, kind, text) "
                          "VALUES ('not a time', '2026-11-30', 'web', 's2', 'question', '')"))
    before = shape(engine)
    with pytest.raises(ValueError):
        init_db(engine)
    assert shape(engine) == before  # no alembic_version, no inbox_items, faqs without status and still NOT NULL
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM faqs")).scalar() == 1
    engine.dispose()


def test_an_old_database_at_the_baseline_shape_is_only_stamped(engine):
    """A database of the last version before migrations (nothing missing): stamped, no table
    rebuilt, its rows kept."""
    last_version_before_migrations(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO lookup_throttle (key, tries, next_at, last_at) VALUES ('k', 3, 1.5, 1.0)"))
    with engine.connect() as conn, writes() as seen:
        adopt(conn, ScriptDirectory.from_config(alembic_config(conn)))
        conn.commit()
    assert [s.split("(")[0].strip() for s in seen] == ["CREATE TABLE alembic_version", "INSERT INTO alembic_version"]
    init_db(engine)
    assert version(engine) == [HEAD] and drift(engine) == []
    with engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT key, tries FROM lookup_throttle")).one()) == ("k", 3)


def test_a_missing_not_null_column_without_default_is_added_allowing_null(tmp_path):
    """An FAQ table of an early version, with only a few of today's columns: the missing ones
    are added (as the old start-up upgrader did), those without a value for the old rows
    allowing NULL; the row is kept and is 'published'."""
    engine = make_engine(f"sqlite:///{tmp_path / 'early.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE faqs (id VARCHAR(64) NOT NULL PRIMARY KEY, category VARCHAR(100), "
                          "question TEXT NOT NULL, verified DATE)"))
        conn.execute(text("INSERT INTO faqs VALUES ('a-1', 'c', 'q', '2026-01-01')"))
    init_db(engine)
    assert version(engine) == [HEAD]
    with engine.connect() as conn:
        row = conn.execute(text("SELECT question, status, pending, answer, deleted FROM faqs WHERE id = 'a-1'")).one()
    assert tuple(row) == ("q", "published", None, None, None)
    relaxed = sorted(d[0][3] for d in drift(engine) if isinstance(d, list) and d[0][0] == "modify_nullable")
    assert relaxed == ["alternatives", "answer", "deleted", "origin", "updated_at"]
    assert [d for d in drift(engine) if not isinstance(d, list)] == []  # nothing else differs
    engine.dispose()


# -- workers starting together ------------------------------------------------------------------
STARTER = """
from api.db import init_db
print("ready", flush=True)
init_db()
print("done", flush=True)
"""


def start_api_processes(url: str, var, n: int) -> list[subprocess.Popen]:
    """n processes that each upgrade the database of MADOGUCHI_DB_URL as the api does at start."""
    env = {**os.environ, "MADOGUCHI_DB_URL": url, "MADOGUCHI_VAR": str(var), "PYTHONPATH": ROOT}
    return [subprocess.Popen([sys.executable, "-c", STARTER], env=env, cwd=str(var), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(n)]


def test_workers_starting_together_on_postgresql_upgrade_once(pg_url, tmp_path):
    """Two api processes start while a third holds the upgrade lock: both wait on it (seen in
    pg_locks), then upgrade one after the other; the second finds the database at head."""
    holder = create_engine(pg_url)
    with holder.connect() as lock_conn:
        lock_conn.exec_driver_sql(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
        lock_conn.commit()
        procs = start_api_processes(pg_url, tmp_path, 2)
        deadline = time.monotonic() + 60
        waiting = 0
        while time.monotonic() < deadline and waiting < 2:
            time.sleep(0.2)
            waiting = lock_conn.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objid = :key AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {"key": ADVISORY_KEY}).scalar()
            lock_conn.commit()
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        assert waiting == 2, "both processes should be waiting for the upgrade lock"
        assert not inspect(lock_conn).has_table("alembic_version")  # nothing done while the lock is held
        lock_conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
        lock_conn.commit()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.split() == ["ready", "done"]
    engine = make_engine(pg_url)
    try:
        assert version(engine) == [HEAD]
        assert drift(engine) == []
    finally:
        engine.dispose()
        holder.dispose()


def test_workers_starting_together_on_sqlite_upgrade_once(tmp_path):
    """The same on SQLite, whose lock is a file beside the database: while it is held, no
    process gets on; when it is released, both finish and the database is at head."""
    import fcntl

    db = tmp_path / "madoguchi.db"
    url = f"sqlite:///{db}"
    fd = os.open(f"{db}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        procs = start_api_processes(url, tmp_path, 2)
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        assert not db.exists() or not inspect(create_engine(url)).has_table("alembic_version")
    finally:
        os.close(fd)
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.split() == ["done"]
    engine = make_engine(url)
    try:
        assert version(engine) == [HEAD] and drift(engine) == []
    finally:
        engine.dispose()


def test_the_command_line_works_from_any_directory(tmp_path):
    """python -m api.migrations, run outside the project on the database of MADOGUCHI_VAR:
    upgrade, then Alembic's own check that the models need no new migration."""
    env = {**os.environ, "MADOGUCHI_VAR": str(tmp_path / "var"), "PYTHONPATH": ROOT}
    env.pop("MADOGUCHI_DB_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "api.migrations", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("upgrade", "head").returncode == 0
    current = run("current")
    assert current.stdout.split() == [HEAD, "(head)"], current.stderr
    check = run("check")
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout, check.stderr
    assert run("no-such-command").returncode == 2
