"""Shared test helpers: clocks, bookings, store URLs, the real CLI, serial lines, LED boards."""

from __future__ import annotations

import ipaddress
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
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
from ledboard import Command, Frame, FrameError, FrameReader, ack_frame, encode_frame

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
def socat_pair(
    first: Path, second: Path, *, prefix: Sequence[str] = ()
) -> Iterator[subprocess.Popen[bytes]]:
    """A serial line: two pseudo-terminals at ``first`` and ``second`` linked by socat.

    ``prefix`` runs socat under another command (``ip netns exec HOST``: on that host).
    """
    socat = require_socat()
    process = subprocess.Popen(
        [
            *prefix,
            socat,
            "-d",
            "-d",
            f"pty,raw,echo=0,link={first}",
            f"pty,raw,echo=0,link={second}",
        ],
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


class BoardEmulator:
    """The boards' end of a serial line: decodes every frame and keeps what each board shows.

    Opened without ``answering`` boards it cannot even write: the boards of a
    write-only line. Boards in ``answering`` ACK every frame sent to them.
    """

    def __init__(self, device: Path, answering: Collection[int] = ()) -> None:
        self._answering = set(answering)
        # Not pyserial: its open() flushes what the host sent before the boards listened.
        access = os.O_RDWR if self._answering else os.O_RDONLY
        self._fd = os.open(device, access | os.O_NOCTTY | os.O_NONBLOCK)
        self.frames: list[Frame] = []
        self.errors: list[FrameError] = []
        self.shown: dict[int, str | None] = {}
        self.flashes: list[tuple[int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="board-emulator", daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self._fd)

    def _serve(self) -> None:
        reader = FrameReader()
        while not self._stop.is_set():
            ready, _, _ = select.select([self._fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._fd, 1024)
            except BlockingIOError:
                continue
            except OSError:
                return  # the line went away
            if not chunk:
                return
            for item in reader.feed(chunk):
                if isinstance(item, FrameError):
                    self.errors.append(item)
                else:
                    self._obey(item)

    def _obey(self, frame: Frame) -> None:
        self.frames.append(frame)
        if frame.command == Command.SHOW:
            self.shown[frame.address] = frame.data
        elif frame.command == Command.CLEAR:
            self.shown[frame.address] = None
        elif frame.command == Command.FLASH:
            self.flashes.append((frame.address, int(frame.data)))
        if frame.address in self._answering:
            os.write(self._fd, encode_frame(ack_frame(frame.address, frame.command)))


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


@dataclass(frozen=True)
class Delivery:
    """One request a :class:`WebhookReceiver` got, and the status it answered (0: none)."""

    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        """The body as JSON."""
        value: dict[str, Any] = json.loads(self.body)
        return value


class WebhookReceiver(LoopbackServer):
    """An integrator's webhook receiver on loopback, recording every request.

    ``mode`` says how it answers: ``ok`` (200, after ``delay`` seconds),
    ``fail`` (500), ``close`` (drops the connection without an answer) or
    ``stall`` (holds the request until :attr:`release` is set, then answers
    ``after_stall``). With ``stall_after`` = N, the first N requests are
    answered ``ok`` and the next ones stall.
    """

    def __init__(
        self,
        mode: str = "ok",
        *,
        stall_after: int | None = None,
        after_stall: int = 200,
        delay: float = 0.0,
    ) -> None:
        self.mode = mode
        self.stall_after = stall_after
        self.after_stall = after_stall
        self.delay = delay
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._requests: list[Delivery] = []
        self._arrived = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver._lock:
                    receiver._arrived += 1
                    arrived = receiver._arrived
                mode = receiver.mode
                if receiver.stall_after is not None:
                    mode = "stall" if arrived > receiver.stall_after else "ok"
                status = {"ok": 200, "fail": 500, "stall": receiver.after_stall}.get(mode, 0)
                if mode == "stall":
                    receiver.release.wait(60)
                elif mode == "ok":
                    time.sleep(receiver.delay)
                receiver._record(Delivery(headers, body, status))
                if status == 0:
                    self.close_connection = True
                    return
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    self.close_connection = True  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        super().__init__(Handler)

    def _record(self, delivery: Delivery) -> None:
        with self._lock:
            self._requests.append(delivery)

    @property
    def requests(self) -> list[Delivery]:
        """Every request answered (or dropped) so far, in the order they were answered."""
        with self._lock:
            return list(self._requests)

    @property
    def arrived(self) -> int:
        """How many requests arrived, answered or not yet."""
        with self._lock:
            return self._arrived

    def accepted(self) -> list[dict[str, Any]]:
        """The events it answered 2xx, as JSON, in the order they came."""
        return [d.event for d in self.requests if 200 <= d.status < 300]

    def wait_until(self, condition: Callable[[], bool], seconds: float = 30.0) -> None:
        """Wait for ``condition()`` to hold, failing the test after ``seconds``."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"the webhook receiver waited {seconds} s in vain")
            time.sleep(0.01)

    def __exit__(self, *exc_info: object) -> None:
        self.release.set()
        super().__exit__(*exc_info)


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
