"""Fixtures shared by every test: real stores on SQLite and PostgreSQL, headless Chromium."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.engine import HEAD_REVISION, seed
from centre.store.schema import metadata
from centre.store.unit_of_work import Store
from tests.browser import BrowserFactory, browser_missing, chromium
from tests.helpers import PG_DEFAULT, clock_at, demo_config
from ui.app import GuiThreadCollector

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication
    from selenium.webdriver import Chrome

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


class SchemaChanged(Exception):
    """A test left its schema other than migrated: it is not given to another."""


class SchemaPool:
    """PostgreSQL schemas for the tests, migrated once and emptied for the next test.

    Migrating a new schema is some fifty DDL statements (0.2 s); emptying one
    is a ``TRUNCATE`` and the first rows again. A schema comes back only when
    it still has exactly the tables it was migrated with, at the head
    revision, and nothing holds a lock on them; otherwise it is dropped and
    the next test gets a new one.
    """

    def __init__(self, server: str) -> None:
        self.server = server
        self.admin = create_engine(server)
        self.spare: list[str] = []
        self.made: set[str] = set()

    def url(self, schema: str) -> str:
        url = make_url(self.server).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def take(self) -> str:
        if self.spare:
            return self.spare.pop()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.made.add(schema)
        Store.open(self.url(schema)).close()  # migrated to the head
        return schema

    def give_back(self, schema: str) -> None:
        try:
            self._empty(schema)
        except (DBAPIError, SchemaChanged):
            self.drop(schema)
        else:
            self.spare.append(schema)

    def _empty(self, schema: str) -> None:
        expected = {table.name for table in metadata.sorted_tables} | {"alembic_version"}
        with self.admin.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '2s'"))
            tables = set(
                connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
                ).scalars()
            )
            version = connection.execute(
                text(f'SELECT version_num FROM "{schema}".alembic_version')
            ).scalar()
            if tables != expected or version != HEAD_REVISION:
                raise SchemaChanged(schema)
            listed = ", ".join(f'"{schema}"."{t}"' for t in sorted(tables - {"alembic_version"}))
            connection.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
            connection.execute(text(f'SET LOCAL search_path = "{schema}"'))
            seed(connection)

    def drop(self, schema: str) -> None:
        self.made.discard(schema)
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    def close(self) -> None:
        for schema in list(self.made):
            self.drop(schema)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_schemas(pg_server: str) -> Iterator[SchemaPool]:
    """The suite's pool of migrated PostgreSQL schemas, dropped at the end."""
    pool = SchemaPool(pg_server)
    yield pool
    pool.close()


@pytest.fixture
def pg_url(pg_schemas: SchemaPool) -> Iterator[str]:
    """A URL whose connections use a schema of their own, at the head revision with no
    rows but a new database's first ones (a new CPR key each time)."""
    schema = pg_schemas.take()
    try:
        yield pg_schemas.url(schema)
    finally:
        pg_schemas.give_back(schema)


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


@pytest.fixture
def browser() -> Iterator[BrowserFactory]:
    """A factory of headless Chromiums (``tests.browser.chromium``), all quit afterwards.

    Without Chromium, its driver or Selenium the test skips naming what is missing; it
    fails instead under ``TABOOR_REQUIRE_BROWSER`` (``scripts/test`` sets it) or in CI.
    """
    missing = browser_missing()
    if missing is not None:
        if os.environ.get("TABOOR_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(f"{missing} (the browser tests must run here)")
        pytest.skip(missing)
    with ExitStack() as quits:  # every browser is quit, even when quitting one fails

        def make(
            *,
            width: int = 360,
            height: int = 740,
            lang: str = "en",
            autoplay: bool = False,
            mobile: bool = True,
        ) -> Chrome:
            driver = chromium(
                width=width, height=height, lang=lang, autoplay=autoplay, mobile=mobile
            )
            quits.callback(driver.quit)
            return driver

        yield make


@pytest.fixture(scope="session")
def qapp(qapp: QApplication) -> QApplication:
    """pytest-qt's application, collecting garbage in its GUI thread only, as the screens'
    (``ui.app.GuiThreadCollector``): a QObject collected in a test's worker thread can
    freeze the test for good."""
    GuiThreadCollector.install(qapp)
    return qapp


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """With the collector on, what Python would have collected meanwhile is collected
    after each test, in this (the GUI) thread, even by tests that never run Qt's loop."""
    collector = GuiThreadCollector._installed
    if collector is not None:
        collector.collect_if_due()
