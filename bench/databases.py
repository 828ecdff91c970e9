"""Throwaway databases for the benchmarks: a SQLite file, or a private PostgreSQL schema."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text


@contextmanager
def sqlite_url(name: str = "bench.db") -> Iterator[str]:
    """The URL of a SQLite file in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / name}"


@contextmanager
def pg_url(server: str) -> Iterator[str]:
    """A URL on ``server`` whose connections use a new schema, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


#: A database to bench on: its name, and what makes a throwaway one.
Database = tuple[str, Callable[[], AbstractContextManager[str]]]


def wanted_databases(names: str) -> list[Database]:
    """The databases named (``sqlite,postgresql``); PostgreSQL only with ``TABOOR_BENCH_PG``
    (or ``TABOOR_TEST_PG``) set, else it is skipped with a line on stderr."""
    wanted = names.split(",")
    databases: list[Database] = []
    if "sqlite" in wanted:
        databases.append(("sqlite", sqlite_url))
    server = os.environ.get("TABOOR_BENCH_PG") or os.environ.get("TABOOR_TEST_PG")
    if "postgresql" in wanted:
        if server:
            databases.append(("postgresql", lambda: pg_url(server)))
        else:
            print("postgresql skipped: set TABOOR_BENCH_PG to a server URL", file=sys.stderr)
    return databases


def print_each(
    bench: str,
    databases: list[Database],
    line: Callable[[str, Callable[[], AbstractContextManager[str]]], str],
    failures: tuple[type[BaseException], ...],
) -> int:
    """Print ``line(name, make)`` for each database; one line on stderr and 1 on a failure."""
    try:
        for name, make in databases:
            print(line(name, make), flush=True)
    except failures as error:
        said = str(error).splitlines() or [type(error).__name__]
        print(f"{bench}: {said[0]}", file=sys.stderr)
        return 1
    return 0
