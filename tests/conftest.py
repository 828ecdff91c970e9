"""Fixtures shared by every test: real stores on SQLite files and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from tests.helpers import PG_DEFAULT, clock_at, demo_config

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pg_base_url() -> str:
    """The PostgreSQL server the suite uses (``TABOOR_TEST_PG``)."""
    return os.environ.get("TABOOR_TEST_PG", PG_DEFAULT)


def _pg_unavailable(reason: str) -> None:
    message = f"PostgreSQL not reachable at {make_url(pg_base_url()).render_as_string()}: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the PostgreSQL suite)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The base URL of a reachable PostgreSQL server."""
    engine = create_engine(pg_base_url())
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        _pg_unavailable(str(error.orig).splitlines()[0])
    finally:
        engine.dispose()
    return pg_base_url()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped afterwards)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of a new SQLite file."""
    return f"sqlite:///{tmp_path / 'taboor.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'taboor.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened store on a fresh database (both engines)."""
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Store]:
    """An opened store on a fresh SQLite file."""
    opened = Store.open(sqlite_url)
    yield opened
    opened.close()


@pytest.fixture
def config() -> CentreConfig:
    """The demo centre's configuration."""
    return demo_config()


@pytest.fixture
def clock() -> FixedClock:
    """A clock frozen on a Sunday morning in Manama."""
    return clock_at()
