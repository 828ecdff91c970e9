"""`taboor demo`: a whole centre on one machine, each part in its own process.

The centre server, the reference central, the sync agent, and every screen in
its own window run as the same ``taboor`` commands a real centre runs on its
devices: the server holds the demo's SQLite file, and each screen reaches it
over HTTP with a device token of its own, as on a LAN. With ``tabs`` the
screens are instead the tabs of one window in one more process
(``taboor tabs``), for a small screen.
Closing every window, Ctrl-C or SIGTERM stops them all; a part that fails is
named with the last line it wrote.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from centre.errors import BadInput
from centre.process import stop_on_signals

# Every screen the demo can open, in the order they open.
SCREENS = ("kiosk", "hall", "counter:1", "counter:2", "counter-screen:1", "supervisor")
ROLES = ("kiosk", "hall", "counter", "counter-screen", "supervisor")
CENTRAL_START_S = 15.0
STOP_GRACE_S = 5.0
# Below this (in Qt's device-independent pixels) the screens' windows do not fit side by side.
ROOMY_SCREEN = (1600, 900)
SCREEN_PROBE_S = 10.0
# Prints the primary screen's size, in a child so that a display that fails
# cannot take the launcher down with it.
_PROBE = (
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication([])\n"
    "size = app.primaryScreen().size()\n"
    "print(size.width(), size.height())\n"
)


@dataclass
class Part:
    """One process of the demo."""

    name: str
    argv: list[str]
    window: bool
    log: Path
    process: subprocess.Popen[bytes] | None = None
    handle: IO[bytes] | None = field(default=None, repr=False)
    reported: bool = False

    def start(self, env: dict[str, str]) -> None:
        """Start it, its output going to its log file."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            self.argv, env=env, stdout=self.handle, stderr=subprocess.STDOUT
        )

    @property
    def code(self) -> int | None:
        """Its exit code, or ``None`` while it runs."""
        return None if self.process is None else self.process.poll()

    def last_line(self) -> str:
        """The last line it wrote (what a failing part said)."""
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def stop(self) -> None:
        """Ask it to stop."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def reap(self, deadline: float) -> None:
        """Wait for it until ``deadline``, then kill it."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.handle is not None:
            self.handle.close()


def parse_screens(text: str | None) -> list[str]:
    """The screens named in ``--screens`` (comma-separated; ``none`` for none)."""
    if text is None:
        return list(SCREENS)
    if text.strip() in ("", "none"):
        return []
    chosen: list[str] = []
    for raw in text.split(","):
        name = raw.strip()
        role, _, counter = name.partition(":")
        if role in ("counter", "counter-screen") and not counter:
            raise BadInput(f"screen {name!r} needs a counter, e.g. {role}:1")
        if role not in ROLES:
            raise BadInput(
                f"no screen {name!r} (screens: kiosk, hall, counter:N, counter-screen:N, "
                "supervisor)"
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def taboor_argv(config: Path, *args: str) -> list[str]:
    """The ``taboor`` command line for a part, run by this same Python."""
    return [sys.executable, "-m", "taboor", "--config", str(config), *args]


def tabs_by_default(platform: str, measure: Callable[[], tuple[int, int] | None]) -> bool:
    """Whether the screens open as tabs of one window when neither ``--tabs`` nor
    ``--no-tabs`` is given: on a primary screen (``measure()``) smaller than
    :data:`ROOMY_SCREEN`.

    Never offscreen, where nobody sees them (and nothing is measured), nor when
    the size cannot be read.
    """
    if platform in ("offscreen", "minimal"):
        return False
    size = measure()
    return size is not None and (size[0] < ROOMY_SCREEN[0] or size[1] < ROOMY_SCREEN[1])


def primary_screen_size(env: dict[str, str]) -> tuple[int, int] | None:
    """The primary screen's size as Qt sees it (``None`` when it cannot be read)."""
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _PROBE],
            env=env,
            capture_output=True,
            text=True,
            timeout=SCREEN_PROBE_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = done.stdout.split()
    if done.returncode != 0 or len(words) != 2 or not all(w.isdigit() for w in words):
        return None
    return int(words[0]), int(words[1])


def plan(
    config: Path,
    home: Path,
    screens: Sequence[str],
    *,
    simulate: float | None,
    fullscreen: bool,
    robot_counters: Sequence[str],
    central_port: int | None = None,
    tabs: bool = False,
    server_port: int | None = None,
    tokens: dict[str, Path] | None = None,
    robot_tokens: Path | None = None,
    bookings: Path | None = None,
) -> list[Part]:
    """The parts to start, in order; with ``tabs``, the screens are one part, ``tabs``.

    With ``server_port`` the centre server starts first, and each screen with a
    token file in ``tokens`` (by screen) reaches it over HTTP, as the simulator
    does with the folder of ``robot_tokens`` and the day's ``bookings`` file.
    """
    logs = home / "logs"
    full = ["--fullscreen"] if fullscreen else []
    parts: list[Part] = []
    tokens = tokens or {}
    if server_port is not None:
        argv = taboor_argv(config, "serve", "--port", str(server_port), "--quiet")
        parts.append(Part("server", argv, False, logs / "server.log"))
    if central_port is not None:
        argv = taboor_argv(config, "central-sim", "--port", str(central_port))
        parts.append(Part("central", argv, False, logs / "central.log"))
        parts.append(Part("sync", taboor_argv(config, "sync"), False, logs / "sync.log"))
    if tabs and screens:
        args = ["tabs", ",".join(screens), *full]
        if server_port is not None and tokens:
            folder = next(iter(tokens.values())).parent
            args += ["--server", f"http://127.0.0.1:{server_port}", "--token-dir", str(folder)]
        parts.append(Part("tabs", taboor_argv(config, *args), True, logs / "tabs.log"))
    else:
        for screen in screens:
            role, _, counter = screen.partition(":")
            args = [role, *([counter] if counter else []), *full]
            if server_port is not None and screen in tokens:
                url = f"http://127.0.0.1:{server_port}"
                args += ["--server", url, "--token-file", str(tokens[screen])]
            log = logs / f"{screen.replace(':', '-')}.log"
            parts.append(Part(screen, taboor_argv(config, *args), True, log))
    if simulate is not None:
        args = ["simulate", "--live", "--speed", f"{simulate:g}"]
        if robot_counters:
            args += ["--robots", ",".join(robot_counters)]
        if server_port is not None and robot_tokens is not None and bookings is not None:
            # Its visitors and robot clerks are devices too (taboor.demo.enrol_robots).
            url = f"http://127.0.0.1:{server_port}"
            args += ["--server", url, "--token-dir", str(robot_tokens)]
            args += ["--bookings", str(bookings)]
        parts.append(Part("simulator", taboor_argv(config, *args), False, logs / "simulator.log"))
    return parts


class Demo:
    """Starts the parts, watches them, and stops them all together."""

    def __init__(
        self, parts: list[Part], env: dict[str, str], out: Callable[[str], None] = print
    ) -> None:
        self.parts = parts
        self.env = env
        self.out = out
        self.failed: list[str] = []
        self._stopping = False

    def run(
        self,
        central_url: str | None,
        exit_after: float | None = None,
        server_url: str | None = None,
    ) -> int:
        """Run until every window is closed, a signal, or ``exit_after`` seconds."""
        # A second Ctrl-C while the parts stop must not cut their stopping short.
        with stop_on_signals(self._request_stop, name="demo-stop"):
            try:
                self._run_parts(central_url, exit_after, server_url)
            finally:
                self.stop()
        return 1 if self.failed else 0

    def _run_parts(
        self, central_url: str | None, exit_after: float | None, server_url: str | None
    ) -> None:
        for part in self.parts:
            part.start(self.env)
            if part.name == "central" and central_url is not None:
                self._wait_until_healthy(part, f"{central_url}/v1/health")
            if part.name == "server" and server_url is not None:
                self._wait_until_healthy(part, f"{server_url}/api/v1/health")
        self.out(f"demo running: {', '.join(p.name for p in self.parts)}; Ctrl-C stops it")
        started = time.monotonic()
        while not self._stopping:
            self._note_exits()
            windows = [p for p in self.parts if p.window]
            if windows and all(p.code is not None for p in windows):
                break
            if exit_after is not None and time.monotonic() - started >= exit_after:
                break
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop every part (SIGTERM, then SIGKILL after a grace period)."""
        for part in reversed(self.parts):
            part.stop()
        deadline = time.monotonic() + STOP_GRACE_S
        for part in self.parts:
            part.reap(deadline)
        self._note_exits(stopping=True)

    def _request_stop(self) -> None:
        self._stopping = True

    def _note_exits(self, *, stopping: bool = False) -> None:
        for part in self.parts:
            code = part.code
            if code is None or part.reported:
                continue
            part.reported = True
            if stopping and code in (0, -signal.SIGTERM, 130, 143):
                continue
            if code == 0:
                self.out(f"{part.name} closed")
                continue
            self.failed.append(part.name)
            self.out(f"{part.name} stopped (exit {code}): {part.last_line()} — log: {part.log}")

    def _wait_until_healthy(self, part: Part, url: str) -> None:
        answering(url, CENTRAL_START_S, lambda: part.code is None)


def answering(url: str, seconds: float, running: Callable[[], bool]) -> bool:
    """Wait until ``url`` answers (True), or ``seconds`` pass or ``running`` turns false.

    Any answer but a server error means up: the reference central answers its
    health check only with its token (a 401 without it), as it does every route.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and running():
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def fresh_home(home: Path, keep: bool) -> None:
    """The demo's data directory; its database starts a new day unless ``keep``."""
    home.mkdir(parents=True, exist_ok=True)
    if keep:
        return
    for name in ("taboor.db", "taboor.db-wal", "taboor.db-shm"):
        (home / name).unlink(missing_ok=True)
    shutil.rmtree(home / "tickets", ignore_errors=True)
    shutil.rmtree(home / "logs", ignore_errors=True)


__all__ = [
    "SCREENS",
    "Demo",
    "Part",
    "free_port",
    "fresh_home",
    "parse_screens",
    "plan",
    "primary_screen_size",
    "tabs_by_default",
]
