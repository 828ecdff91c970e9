"""Engines for SQLite (embedded, WAL) and PostgreSQL, and creating or upgrading the schema."""

from __future__ import annotations

import fcntl
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, make_url, select, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import StaticPool

from centre.errors import BadInput
from centre.store import schema

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0007"
# Any fixed number: the key PostgreSQL's advisory lock takes while upgrading.
_SCHEMA_LOCK_KEY = 0x7AB0_0001
SQLITE_BUSY_TIMEOUT_S = 30.0


def normalise_url(url: str) -> URL:
    """Parse a database URL, choosing psycopg 3 for plain ``postgresql://`` URLs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput(f"not a database URL: {url!r}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise BadInput(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine with Taboor's settings for the URL's database."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    # Opened as needed, so a command line uses one; the centre server keeps up to
    # eight open for its request threads, since a connection opened and closed
    # per request (the overflow's fate) costs more than the request.
    return create_engine(parsed, pool_size=8, max_overflow=8, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself (the driver's own
        # implicit transactions cannot say IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock up front, so two processes never both
        # read a queue and then race to update it.
        write = connection.get_execution_options().get("taboor_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def schema_is_current(engine: Engine) -> bool:
    """Whether the database already has the schema this code expects (one cheap query)."""
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            connection.rollback()
    except DBAPIError:
        return False
    return version == HEAD_REVISION


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema unless it is current; safe with several processes at once."""
    if schema_is_current(engine):
        return
    with _schema_lock(engine), engine.connect() as plain:
        connection = plain.execution_options(taboor_write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY}
                )
            _run_alembic(connection)
            seed(connection)


def _run_alembic(connection: Connection) -> None:
    # Alembic is imported only here: a current schema never pays for it.
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def seed(connection: Connection) -> None:
    """The rows a new database starts with: the event head, its CPR key, the sync state."""
    if connection.execute(select(schema.event_head.c.id)).first() is None:
        connection.execute(insert(schema.event_head).values(id=1, last_seq=0))
    has_key = connection.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "cpr_key")
    ).first()
    if has_key is None:
        # The key of the CPR digests: random per database, never leaves it.
        connection.execute(insert(schema.meta).values(key="cpr_key", value=secrets.token_hex(32)))
    if connection.execute(select(schema.sync_state.c.id)).first() is None:
        connection.execute(insert(schema.sync_state).values(id=1, link="off", acked_seq=0))


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    # SQLite takes its write lock only inside the transaction; a lock file
    # also keeps two processes from both running Alembic's first CREATE.
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).expanduser().with_suffix(".schema-lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
