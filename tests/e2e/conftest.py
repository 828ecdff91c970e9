"""Fixtures of the end-to-end tests: the ``taboor`` command run in this process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from taboor.cli import main

Taboor = Callable[..., tuple[int, str, str]]


@pytest.fixture
def taboor(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Taboor:
    """Run ``taboor`` on a fresh database (SQLite and PostgreSQL): (exit code, stdout, stderr)."""
    monkeypatch.setenv("TABOOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TABOOR_DB", db_url)
    monkeypatch.delenv("TABOOR_CONFIG", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
