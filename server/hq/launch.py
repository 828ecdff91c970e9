"""Head office on this machine, watching centre servers: its centres file and its process.

What the head-office pictures (:mod:`server.hq.snapshots`) and the end-to-end
test bring up: a ``centres.toml`` naming centre servers and the integrator
tokens they gave head office (:func:`write_centres`), and ``taboor hq`` run
as its own process on a free loopback port (:func:`head_office`), optionally
with Debian's ``libfaketime`` so that its clock starts at a given instant.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

#: Seconds ``taboor hq`` may take to answer its first request.
START_SECONDS = 60.0
#: Seconds it may take to stop once asked to.
STOP_SECONDS = 30.0
#: Debian's libfaketime for processes with threads, wherever the architecture puts it.
LIBFAKETIME = "/usr/lib/*/faketime/libfaketimeMT.so.1"


@dataclass(frozen=True)
class Watched:
    """A centre server for head office to watch: its id, names, address and token."""

    id: str
    name_ar: str
    name_en: str
    url: str
    token: str = field(repr=False)


def write_centres(folder: Path, centres: Sequence[Watched], zone: str = "Asia/Bahrain") -> Path:
    """``folder/centres.toml`` naming ``centres``, each token in a file of its own beside it
    (readable by this account alone); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"timezone = {_string(zone)}"]
    for centre in centres:
        token = folder / f"{centre.id}.token"
        token.write_text(centre.token + "\n", encoding="utf-8")
        token.chmod(0o600)
        lines += [
            "",
            "[[centres]]",
            f"id = {_string(centre.id)}",
            f"name = {{ ar = {_string(centre.name_ar)}, en = {_string(centre.name_en)} }}",
            f"url = {_string(centre.url)}",
            f"token_file = {_string(token.name)}",
        ]
    path = folder / "centres.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def head_office(
    centres_file: Path, home: Path, *, every: float, starting_at: datetime | None = None
) -> Iterator[str]:
    """``taboor hq --centres centres_file`` as its own process on a free loopback port, polling
    every ``every`` seconds, until the block ends; yields its URL once it answers.

    ``home``: its ``TABOOR_HOME`` (its output goes to ``home/hq.log``). ``starting_at``: its
    clock starts at that instant and runs on from there (Debian's ``libfaketime``). It must
    stop cleanly when asked (exit code 0, no traceback), or a RuntimeError says how it did.
    """
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [sys.executable, "-m", "taboor", "hq", "--centres", str(centres_file)]
    command += ["--port", str(port), "--every", f"{every:g}"]
    env = {**os.environ, "TABOOR_HOME": str(home)}
    if starting_at is not None:
        env.update(faketime(starting_at))
    log = home / "hq.log"
    with log.open("w", encoding="utf-8") as output:
        # This interpreter, our own command.
        process = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        if not _answering(f"{url}/api/health", process):
            raise RuntimeError(f"taboor hq did not start: {_tail(log)}")
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    said = _tail(log)
    if process.returncode != 0 or "Traceback" in said:
        raise RuntimeError(f"taboor hq stopped with exit code {process.returncode}: {said}")


def faketime(at: datetime) -> dict[str, str]:
    """The environment of a process whose clock starts at ``at`` and runs on from there
    (Debian's libfaketime, loaded into it: no wrapper process between it and its signals)."""
    found = sorted(Path("/").glob(LIBFAKETIME.lstrip("/")))
    if not found:
        raise RuntimeError("no libfaketime: apt-get install faketime")
    return {
        "LD_PRELOAD": str(found[0]),
        # "@": the clock starts there and runs; the instant is read in the zone TZ names.
        "FAKETIME": "@" + at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "TZ": "UTC",
    }


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answering(url: str, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-4000:]


def _string(text: str) -> str:
    # A JSON string is a TOML basic string: the same quotes and escapes.
    return json.dumps(text, ensure_ascii=False)


__all__ = ["Watched", "faketime", "free_port", "head_office", "write_centres"]
