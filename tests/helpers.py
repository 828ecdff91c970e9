"""Shared test helpers: clocks, sample appointments, store URLs, running the real CLI."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import Appointment, AppointmentStatus
from centre.rules.cpr import cpr_digest
from centre.store.unit_of_work import Store

BAHRAIN = ZoneInfo("Asia/Bahrain")
# Sunday 22 November 2026, 09:00 in Manama: a working morning.
MORNING = datetime(2026, 11, 22, 9, 0, tzinfo=BAHRAIN)
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def central_appointment_json(**changes: Any) -> dict[str, Any]:
    """One appointment as the central API sends it (invented person), with ``changes``."""
    item: dict[str, Any] = {
        "id": "a-1",
        "reference": "TD-261122-0001",
        "cpr": "990012345",
        "name": {"ar": "مريم أحمد", "en": "Maryam Ahmed"},
        "service": "licence-renewal",
        "slot_start": "2026-11-22T09:00:00+03:00",
        "slot_end": "2026-11-22T09:10:00+03:00",
        "status": "booked",
        "updated_at": "2026-11-21T18:00:00+03:00",
    }
    item.update(changes)
    return item


def demo_config() -> CentreConfig:
    """The shipped demo centre."""
    return load_config(DEFAULT_CONFIG, environ={})


def unlimited_config() -> CentreConfig:
    """The demo centre with no daily quotas, for runs that issue thousands of tickets."""
    config = demo_config()
    services = [s.model_copy(update={"daily_quota": None}) for s in config.services]
    return config.model_copy(update={"services": services})


def clock_at(at: datetime = MORNING) -> FixedClock:
    """A frozen clock at ``at``."""
    return FixedClock(at)


def make_appointment(
    store: Store,
    *,
    cpr: str,
    service: str,
    slot: datetime,
    reference: str | None = None,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
    minutes: int = 15,
) -> Appointment:
    """An invented booking for ``cpr`` as the store keeps it (digest, last four)."""
    return Appointment(
        id=str(uuid.uuid4()),
        reference=reference or f"BK-{uuid.uuid4().hex[:8].upper()}",
        service=service,
        slot_start=slot,
        slot_end=slot + timedelta(minutes=minutes),
        business_day=slot.astimezone(BAHRAIN).date(),
        status=status,
        cpr_digest=cpr_digest(cpr, store.cpr_key()),
        cpr_last4=cpr[-4:],
        name_ar="مريم أحمد",
        name_en="Maryam Ahmed",
        updated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def day(at: datetime = MORNING) -> date:
    """The business day of ``at`` in Bahrain."""
    return at.astimezone(BAHRAIN).date()


@dataclass
class CliResult:
    """What a ``taboor`` process did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """Standard output parsed as JSON."""
        return json.loads(self.out)


def run_cli(*args: str, db: str, home: Path, env: dict[str, str] | None = None) -> CliResult:
    """Run the real ``taboor`` command in a child process."""
    environ = {
        **os.environ,
        "TABOOR_HOME": str(home),
        "TABOOR_DB": db,
        **(env or {}),
    }
    environ.pop("TABOOR_CONFIG", None)
    completed = subprocess.run(
        [sys.executable, "-m", "taboor", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def require_socat() -> str:
    """The socat command, or a skip naming it (a failure under CI, which must have it)."""
    socat = shutil.which("socat")
    if socat is None:
        message = "socat is not installed (apt-get install socat): no serial line to test on"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return socat


@contextmanager
def socat_pair(first: Path, second: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A serial line: two pseudo-terminals at ``first`` and ``second`` linked by socat."""
    socat = require_socat()
    process = subprocess.Popen(
        [socat, "-d", "-d", f"pty,raw,echo=0,link={first}", f"pty,raw,echo=0,link={second}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    while not (first.exists() and second.exists()):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("socat did not make its pseudo-terminals within 5 s")
        time.sleep(0.01)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=5)


class LoopbackServer:
    """A real HTTP server on 127.0.0.1 (an ephemeral port) in a thread; ``with`` runs it."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A self-signed CA certificate for 127.0.0.1 and its key, written into ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "taboor test central")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "central.pem", folder / "central.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
