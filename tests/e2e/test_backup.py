"""scripts/backup: a consistent copy of the centre's database that Taboor can open."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup"


def backup(directory: Path, db: str, home: Path, keep: int = 14) -> str:
    env = {**os.environ, "TABOOR_DB": db, "TABOOR_HOME": str(home)}
    done = subprocess.run(
        [str(SCRIPT), str(directory), str(keep)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_a_sqlite_backup_opens_with_every_ticket_and_old_copies_go(
    tmp_path: Path, sqlite_url: str
) -> None:
    for _ in range(3):
        run_cli("issue", "A", db=sqlite_url, home=tmp_path)
    out = tmp_path / "backups"
    out.mkdir()
    for age, stale in enumerate(("taboor-20000102-000000.db", "taboor-20000101-000000.db")):
        (out / stale).write_bytes(b"")
        os.utime(out / stale, (1e9 - age * 86400, 1e9 - age * 86400))
    said = backup(out, sqlite_url, tmp_path, keep=2)
    copy = Path(said.split("wrote ")[1].strip())
    assert sorted(p.name for p in out.iterdir()) == sorted([copy.name, "taboor-20000102-000000.db"])
    tickets = run_cli("tickets", "--json", db=f"sqlite:///{copy}", home=tmp_path).json()
    assert [t["number"] for t in tickets] == ["A001", "A002", "A003"]


@pytest.mark.postgres
def test_a_postgresql_backup_is_a_pg_dump(tmp_path: Path, pg_url: str) -> None:
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing: install postgresql-client")
    run_cli("issue", "A", db=pg_url, home=tmp_path)
    said = backup(tmp_path / "pg", pg_url, tmp_path)
    dump = Path(said.split("wrote ")[1].strip())
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA" in listing
    assert "tickets" in listing
