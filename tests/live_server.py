"""A real centre server on loopback for tests: uvicorn in a thread over a real store.

Devices are enrolled through the core (as ``taboor device add`` does) and
reach the server with real HTTP: raw ``httpx`` clients for the API's own
tests, :class:`server.client.RemoteCentre` for the screens' port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from centre import devices, staff
from centre.clock import Clock
from centre.config import CentreConfig
from centre.rules.qr import QrVerifier
from centre.store.unit_of_work import Store
from server.client import RemoteCentre
from server.serve import make_server, public_config, uvicorn_config
from server.state import CentreServer
from taboor.launcher import answering

#: The PIN of every clerk and supervisor made here (invented, for tests only).
PIN = "2468"


@dataclass
class LiveServer:
    """A centre server answering on ``url``, with helpers to enrol devices and reach it."""

    url: str
    state: CentreServer
    _clients: list[httpx.Client] = field(default_factory=list)
    _remotes: list[RemoteCentre] = field(default_factory=list)
    _names: int = 0

    @property
    def store(self) -> Store:
        """The server's store."""
        return self.state.store

    @property
    def clock(self) -> Clock:
        """The server's clock."""
        return self.state.clock

    @property
    def config(self) -> CentreConfig:
        """The server's configuration."""
        return self.state.config

    def enrol(self, role: str, counter: str | None = None, name: str | None = None) -> str:
        """A new device of ``role`` (``counter``: its counter); returns its token."""
        self._names += 1
        name = name or f"{role}-{counter or ''}-{self._names}".replace("--", "-")
        enrolled = devices.add_device(self.store, self.clock, self.config, name, role, counter)
        assert enrolled.token is not None
        return enrolled.token

    def client(self, token: str | None = None, **options: Any) -> httpx.Client:
        """An HTTP client of the API, with ``token`` as its bearer (none: no token)."""
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        options.setdefault("timeout", 10)
        client = httpx.Client(base_url=self.url, headers=headers, **options)
        self._clients.append(client)
        return client

    def remote(self, role: str, counter: str | None = None) -> RemoteCentre:
        """The HTTP adapter of the port, for a new device of ``role``."""
        centre = RemoteCentre.connect(self.url, self.enrol(role, counter))
        self._remotes.append(centre)
        return centre

    def remote_of(self, token: str) -> RemoteCentre:
        """The HTTP adapter of the port, for the device holding ``token``."""
        centre = RemoteCentre.connect(self.url, token)
        self._remotes.append(centre)
        return centre

    def clerk_at(self, counter: str, staff_id: str | None = None) -> str:
        """A counter device with a clerk signed in; returns its token."""
        token = self.enrol("counter", counter)
        staff_id = staff_id or f"c{counter}01"
        if staff.staff_member(self.store, staff_id) is None:
            staff.add_staff(
                self.store, self.clock, staff_id, name_ar="موظف", name_en="Clerk", pin=PIN
            )
        answer = self.client(token).post(
            f"/api/v1/counters/{counter}/sign-in", json={"staff": staff_id, "pin": PIN}
        )
        assert answer.status_code == 200, answer.text
        return token

    def supervisor(self, staff_id: str = "s100") -> str:
        """A supervisor device with a supervisor signed in on it; returns its token."""
        token = self.enrol("supervisor")
        if staff.staff_member(self.store, staff_id) is None:
            staff.add_staff(
                self.store,
                self.clock,
                staff_id,
                name_ar="مشرف",
                name_en="Supervisor",
                role=staff.SUPERVISOR,
                pin=PIN,
            )
        answer = self.client(token).post(
            "/api/v1/supervisor/sign-in", json={"staff": staff_id, "pin": PIN}
        )
        assert answer.status_code == 200, answer.text
        return token

    def close(self) -> None:
        """Close every client made here."""
        for client in self._clients:
            client.close()
        for remote in self._remotes:
            remote.close()


def free_socket(port: int = 0) -> socket.socket:
    """A listening-ready socket bound to a loopback port (0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@contextmanager
def live_server(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    *,
    verifier: QrVerifier | None = None,
    port: int = 0,
    send_buffer: int | None = None,
    uvicorn_options: dict[str, Any] | None = None,
    **server_options: Any,
) -> Iterator[LiveServer]:
    """Serve ``store`` on a loopback port (0: a free one) until the block ends.

    ``send_buffer``: the kernel's send buffer of every connection, in bytes (a
    small one makes a client that stops reading felt sooner).
    """
    state = CentreServer(store, clock, config, verifier, **server_options)
    sock = free_socket(port)
    if send_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    port = sock.getsockname()[1]
    options = {"log_level": "warning", **(uvicorn_options or {})}
    main = uvicorn_config(state, "127.0.0.1", port, **options)
    server = make_server(state, main, public_config(state, main))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the centre server did not start")
        time.sleep(0.01)
    live = LiveServer(f"http://127.0.0.1:{port}", state)
    try:
        yield live
    finally:
        live.close()
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@contextmanager
def serve_process(
    db: str,
    home: Path,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    config: Path | None = None,
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``taboor serve`` as its own process on ``db`` (``config``: the centre's file, the demo
    centre's by default); yields it and its URL once it answers."""
    if port is None:
        with free_socket() as probe:
            port = int(probe.getsockname()[1])
    environ = {
        **os.environ,
        "TABOOR_HOME": str(home),
        "TABOOR_DB": db,
        **(env or {}),
    }
    environ.pop("TABOOR_CONFIG", None)
    centre = ["--config", str(config)] if config is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "taboor", *centre, "serve", "--port", str(port), "--quiet"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def wait_until_up(url: str, process: subprocess.Popen[str] | None = None) -> None:
    """Until ``GET /api/v1/health`` answers 200 (or the process has died)."""
    health = f"{url}/api/v1/health"
    if answering(health, 60, lambda: process is None or process.poll() is None):
        assert httpx.get(health, timeout=5).status_code == 200, "not a centre server"
        return
    if process is not None and process.poll() is not None:
        output = process.stdout.read() if process.stdout is not None else ""
        raise RuntimeError(f"taboor serve exited with {process.returncode}: {output[-2000:]}")
    raise RuntimeError(f"nothing answered on {url}")


__all__ = [
    "PIN",
    "LiveServer",
    "free_socket",
    "live_server",
    "serve_process",
    "wait_until_up",
]
