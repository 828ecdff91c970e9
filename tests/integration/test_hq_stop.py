"""Head office stopped while it waits on a centre: what was asked ends cleanly, at once."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.hq.launch import Watched, head_office, write_centres


class Silent:
    """A centre server that takes every connection and never answers: what it was asked."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.asked: list[bytes] = []
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._held.append(connection)
            connection.settimeout(5)
            try:
                self.asked.append(connection.recv(65536))
            except OSError:
                continue

    def asked_for(self, *parts: str) -> bool:
        """Whether a request holding every one of ``parts`` came."""
        return any(all(p.encode() in request for p in parts) for request in list(self.asked))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept
        self._listener.close()
        self._thread.join(timeout=10)
        for connection in self._held:
            connection.close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    made = Silent()
    yield made
    made.close()


def test_a_comparison_waiting_on_a_silent_centre_ends_when_head_office_stops(
    tmp_path: Path, silent: Silent
) -> None:
    centres = write_centres(tmp_path, [Watched("quiet", "هادئ", "Quiet", silent.url, "t" * 16)])
    answers: dict[str, httpx.Response | Exception] = {}

    def ask(name: str, url: str) -> None:
        try:
            answers[name] = httpx.get(url, params=period, timeout=60)
        except httpx.HTTPError as error:
            answers[name] = error

    period = {"from": "2026-11-01", "to": "2026-11-07"}
    # head_office raises if it exits other than 0 or writes a traceback.
    with head_office(centres, tmp_path / "home", every=0.3) as url:
        askers = [
            threading.Thread(target=ask, args=("period", f"{url}/api/period")),
            threading.Thread(target=ask, args=("drill", f"{url}/api/centres/quiet/report")),
        ]
        for asker in askers:
            asker.start()
        deadline = time.monotonic() + 30
        # The comparison asks by service, the drill-down by day; neither is answered.
        while not all(
            silent.asked_for("/api/v1/reports?", f"by={by}") for by in ("service", "day")
        ):
            assert time.monotonic() < deadline, (
                f"head office did not ask the centre: {silent.asked}"
            )
            time.sleep(0.05)
    for asker in askers:
        asker.join(timeout=30)
    for name in ("period", "drill"):
        answer = answers[name]
        assert isinstance(answer, httpx.Response), (name, answer)
        assert answer.status_code == 503, (name, answer.text)
        assert answer.json()["code"] == "stopping"
