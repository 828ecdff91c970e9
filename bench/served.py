"""``taboor serve`` as its own process for the benchmarks: started, enrolled into, measured.

The server runs as deployed (real uvicorn, ``taboor serve``) on a throwaway
database with the demo centre without quotas; the bench opens the same store
to enrol devices and sign clerks in, and reads the server's memory and CPU
from ``/proc``. Every process reads CLOCK_MONOTONIC (:func:`now`), one clock
for the whole machine.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from centre import devices, staff
from centre.clock import SystemClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.store.unit_of_work import Store
from taboor.launcher import answering

ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1"
PIN = "2468"  # the invented clerks' PIN, for the benchmarks only
#: Services issued in turn (the walk-in ones of the demo centre).
SERVICES = ["licence-renewal", "licence-lost", "vehicle-registration", "traffic-fines"]


def now() -> float:
    """CLOCK_MONOTONIC, the same clock in every process of the machine."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def percentile(samples: list[float], share: float) -> float:
    """The sample at ``share`` (0 to 1) of the sorted samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def unlimited_toml(folder: Path, public_url: str | None = None) -> Path:
    """The demo centre without daily quotas, nobody overdue within a day: a config file;
    with ``public_url``, the phones' pages on (``[public] url``)."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^daily_quota = \d+\n", "", text)
    text = re.sub(r"(?m)^max_wait_minutes = \d+$", "max_wait_minutes = 1440", text)
    if public_url is not None:
        text += f'\n[public]\nurl = "{public_url}"\n'
    path = folder / "unlimited.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Rotation:
    """Requests from several devices in turn, each on its own keep-alive connection."""

    def __init__(self, clients: list[httpx.Client]) -> None:
        self._clients = itertools.cycle(clients)

    def post(self, path: str, **options: Any) -> httpx.Response:
        return next(self._clients).post(path, **options)


@dataclass
class Served:
    """``taboor serve`` running on a database, and what the bench made on it."""

    db: str
    url: str
    process: subprocess.Popen[bytes]
    config: CentreConfig
    store: Store
    _names: int = 0
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def enrol(self, role: str, counter: str | None = None) -> str:
        """A new device of ``role``; its token."""
        self._names += 1
        name = f"bench-{role}-{self._names}"
        made = devices.add_device(self.store, SystemClock(), self.config, name, role, counter)
        assert made.token is not None
        return made.token

    def client(self, token: str) -> httpx.Client:
        """A keep-alive client with ``token``."""
        client = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self._clients.append(client)
        return client

    def devices(self, role: str, count: int, counter: str | None = None) -> Rotation:
        """``count`` devices of ``role`` asking in turn (a counter's: a clerk signed in there).

        A device may ask 50 times a second (200 at once); the bench asks faster.
        """
        clients = [self.client(self.enrol(role, counter)) for _ in range(count)]
        if counter is not None:
            staff_id = f"b{counter}"
            if staff.staff_member(self.store, staff_id) is None:
                staff.add_staff(
                    self.store, SystemClock(), staff_id, name_ar="موظف", name_en="Clerk", pin=PIN
                )
            body = {"staff": staff_id, "pin": PIN}
            clients[0].post(f"{API}/counters/{counter}/sign-in", json=body).raise_for_status()
        return Rotation(clients)

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.store.close()


@contextmanager
def serving(
    make_db: Callable[[], AbstractContextManager[str]], *, public: bool = False
) -> Iterator[Served]:
    """``taboor serve`` on a fresh database of the kind ``make_db`` makes, until the block ends;
    with ``public``, its ``[public] url`` is its own address (tickets carry phone links)."""
    with make_db() as db, tempfile.TemporaryDirectory() as home:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        config_path = unlimited_toml(Path(home), url if public else None)
        config = load_config(config_path, environ={})
        store = Store.open(db)  # the schema, before the server and the bench share it
        env = {**os.environ, "TABOOR_HOME": home, "TABOOR_DB": db}
        env.pop("TABOOR_CONFIG", None)
        command = [sys.executable, "-m", "taboor", "--config", str(config_path)]
        log = (Path(home) / "serve.log").open("w")
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--quiet"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        served = Served(db, url, process, config, store)
        try:
            _wait_until_up(url, process)
            yield served
        finally:
            served.close()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
            said = (Path(home) / "serve.log").read_text(encoding="utf-8", errors="replace")
            if "Traceback" in said or process.returncode not in (0, -signal.SIGKILL):
                print(f"taboor serve said:\n{said[-3000:]}", file=sys.stderr)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    health = f"{url}{API}/health"
    if answering(health, 60, lambda: process.poll() is None):
        if httpx.get(health, timeout=5).status_code != 200:
            raise RuntimeError(f"{url} is not a centre server")
        return
    if process.poll() is not None:
        raise RuntimeError(f"taboor serve exited with {process.returncode}")
    raise RuntimeError(f"nothing answered on {url}")


def issue(kiosk: Rotation, service: str) -> dict[str, Any]:
    """A walk-in ticket of ``service`` through the API; its Ticket JSON."""
    answer = kiosk.post(f"{API}/tickets", json={"service": service})
    if answer.status_code != 201:
        raise RuntimeError(f"issue: {answer.status_code} {answer.text}")
    body: dict[str, Any] = answer.json()
    return body


def rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU time so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


__all__ = [
    "API",
    "PIN",
    "ROOT",
    "SERVICES",
    "Rotation",
    "Served",
    "cpu_seconds",
    "issue",
    "now",
    "percentile",
    "rss_mb",
    "serving",
    "unlimited_toml",
]
