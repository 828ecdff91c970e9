"""A centre on a real network: the database, the centre server and each device on a host of its own.

Network namespaces are the hosts and veth pairs their cables; the test makes
them and removes them (``ip netns``, as root), under names unique to the run:

    db (PostgreSQL) ──10.77.0.0/30── srv (taboor serve) ──┐
                                                          lan: a bridge, the centre's switch
              kiosk, hall, desk (counter 1 and 4), office ┘   10.77.1.0/24

The devices share one switch, as a centre's do, rather than a cable each to
the server: the server has one address on the LAN, and pulling one device's
cable (its veth) leaves the others alone. The server forwards nothing between
its two networks (``ip_forward`` stays 0) and no device has a route beyond
its LAN, so only the server reaches PostgreSQL. The database is a PostgreSQL
of its own, started here from Debian's binaries as the ``postgres`` user,
listening on the db host's address alone, with ``pg_hba.conf`` letting in the
server's address alone; the machine's own PostgreSQL is not used.

Each device is a real screen or keeper run in its host's namespace with
``--server`` and a token (``tests/lan_devices.py``; the LED-board keeper is
the ``taboor led-board`` command itself). Missing ``ip``, root or
PostgreSQL's binaries skip the module, or fail it under ``CI``.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from PIL import Image

from centre.config import DEFAULT_CONFIG
from display.hall.viewmodel import RECENT_CALLS
from ledboard import TEXT_FORMAT
from tests.helpers import BoardEmulator, require_socat, socat_pair
from tests.unit.printer.fakes import decode_qr_codes

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Generous: the hall needs 12 s of silence to know its link is gone, and the
# machine running the suite may be busy with other work.
DEADLINE_S = 60.0

DB = "10.77.0.1"
SERVER_TO_DB = "10.77.0.2"
SERVER = "10.77.1.1"
DEVICES = {
    "kiosk": "10.77.1.11",
    "hall": "10.77.1.12",
    "desk": "10.77.1.13",
    "office": "10.77.1.14",
}
PORT = 8080

# Invented people: a CPR starting 9900 belongs to nobody; the PIN is for tests only.
CPR = "990077001"
PIN = "2468"
STAFF = {
    "c101": ("مريم أحمد", "Maryam Ahmed", "clerk"),
    "c104": ("علي حسن", "Ali Hasan", "clerk"),
    "s100": ("فاطمة يوسف", "Fatima Yousif", "supervisor"),
}
# Each device's enrolment: name -> (role, counter).
ENROLMENTS = {
    "kiosk-door": ("kiosk", None),
    "hall-tv": ("hall", None),
    "counter-1": ("counter", "1"),
    "counter-1-screen": ("counter", "1"),
    "counter-4": ("counter", "4"),
    "led-line": ("hall", None),
    "office": ("supervisor", None),
}


def _cannot(what: str) -> NoReturn:
    message = f"no namespaced network to run the centre on: {what}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the LAN test)")
    pytest.skip(message)


def postgres_binaries() -> Path:
    """Debian's PostgreSQL server binaries, once ``ip``, root and the postgres user are here."""
    if shutil.which("ip") is None:
        _cannot("the ip command is missing (apt-get install iproute2)")
    if os.geteuid() != 0:
        _cannot("ip netns needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); this runs as a user")
    if shutil.which("runuser") is None:
        _cannot("runuser is missing (util-linux), to run PostgreSQL as its own user")
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: float(initdb.parts[-3]) if initdb.parts[-3][0].isdigit() else 0,
    )
    if not found:
        _cannot("PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin)")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _cannot("there is no postgres user to run PostgreSQL as")
    return found[-1].parent


def run(argv: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """Run a command to its end; fail the test with its output if it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, **options)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


def stop(process: subprocess.Popen[Any]) -> int:
    """Stop a process this test started (SIGTERM; killed after 20 s); its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


class Device:
    """A device program on a host: command lines in, what it shows (JSON lines) out."""

    def __init__(self, name: str, process: subprocess.Popen[str], log: Path) -> None:
        self.name = name
        self.process = process
        self.log = log
        self.lines: list[dict[str, Any]] = []
        self._cursor = 0
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name=f"{name}-out", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                line = {"event": "stray", "text": raw.rstrip()}
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def send(self, *words: str) -> None:
        """One command line, as a visitor, clerk or supervisor would tap it."""
        assert self.process.stdin is not None
        self.process.stdin.write(" ".join(words) + "\n")
        self.process.stdin.flush()

    def told(self, event: str) -> list[dict[str, Any]]:
        """Every line telling ``event``, in order."""
        with self._changed:
            return [line for line in self.lines if line["event"] == event]

    def wait(self, condition: Callable[[list[dict[str, Any]]], bool], what: str) -> None:
        """Until ``condition`` holds of the lines told so far (fail after DEADLINE_S, or on an
        error or exit of the device)."""
        deadline = time.monotonic() + DEADLINE_S
        with self._changed:
            while not condition(self.lines):
                errors = [line for line in self.lines if line["event"] == "error"]
                left = deadline - time.monotonic()
                if errors or self._ended or left <= 0:
                    why = f"it failed: {errors}" if errors else "it ended" if self._ended else ""
                    self._fail(f"{what} ({why or f'not within {DEADLINE_S:g} s'})")
                self._changed.wait(min(left, 1.0))

    def expect(self, *events: str, **fields: Any) -> dict[str, Any]:
        """The next line (after the last one expected) telling one of ``events`` with ``fields``."""
        found: list[dict[str, Any]] = []

        def seen(lines: list[dict[str, Any]]) -> bool:
            for index in range(self._cursor, len(lines)):
                line = lines[index]
                if line["event"] in events and all(line.get(k) == v for k, v in fields.items()):
                    found.append(line)
                    self._cursor = index + 1
                    return True
            return False

        self.wait(seen, f"{' or '.join(events)} {fields or ''}")
        return found[0]

    def finish(self) -> int:
        """End its standard input, as the end of the day; its exit code."""
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self._fail("did not stop when its input ended")
        self._reader.join(10)
        return code

    def close(self) -> None:
        """Stop it if it still runs, and close the pipes."""
        stop(self.process)
        self._reader.join(10)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()

    def _fail(self, what: str) -> NoReturn:
        told = "\n".join(json.dumps(line, ensure_ascii=False) for line in self.lines[-30:])
        errors = self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"{self.name}: {what}\ntold:\n{told}\nstderr:\n{errors}")


class Lan:
    """The hosts of one run, the centre served on them, and ways to run things on each."""

    def __init__(self, folder: Path) -> None:
        # Unique per run: a crashed earlier run's namespaces cannot collide with these.
        self.run = secrets.token_hex(3)
        self.folder = folder
        self.hosts: list[str] = []
        self.processes: list[subprocess.Popen[Any]] = []
        self.db_url = ""
        self.url = f"http://{SERVER}:{PORT}"
        self.tokens: dict[str, str] = {}
        self._logs = 0

    def namespace(self, host: str) -> str:
        """The name of ``host``'s network namespace."""
        return f"taboor-{self.run}-{host}"

    def on(self, host: str, *argv: str) -> list[str]:
        """``argv`` run on ``host``."""
        return ["ip", "netns", "exec", self.namespace(host), *argv]

    def ip(self, host: str, *args: str) -> None:
        """``ip`` on ``host``'s network."""
        run(["ip", "-n", self.namespace(host), *args])

    def environment(self, host: str, **extra: str) -> dict[str, str]:
        """The environment of a Taboor process on ``host`` (its own data directory)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("TABOOR_")}
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{path}" if path else str(ROOT)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["TABOOR_HOME"] = str(self.folder / host / "home")
        if host == "srv":
            env["TABOOR_DB"] = self.db_url
            env["TABOOR_CONFIG"] = str(self.folder / "centre.toml")
        return {**env, **extra}

    def next_log(self, name: str) -> Path:
        """A new file for a process's standard error."""
        self._logs += 1
        return self.folder / f"{self._logs:02d}-{name}.log"

    # -- the hosts ------------------------------------------------------------

    def make_hosts(self) -> None:
        """The namespaces, their cables and addresses."""
        for host in ("db", "srv", "lan", *DEVICES):
            added = subprocess.run(
                ["ip", "netns", "add", self.namespace(host)],
                check=False,
                capture_output=True,
                text=True,
            )
            if added.returncode != 0:
                _cannot(f"ip netns add failed: {added.stderr.strip()}")
            self.hosts.append(host)
            self.ip(host, "link", "set", "lo", "up")
        # The database's own network: one cable, db to srv.
        self.cable("db", "eth0", "srv", "eth1")
        self.ip("db", "addr", "add", f"{DB}/30", "dev", "eth0")
        self.ip("srv", "addr", "add", f"{SERVER_TO_DB}/30", "dev", "eth1")
        # The LAN: a switch, and a cable to it from srv and from each device.
        self.ip("lan", "link", "add", "br0", "type", "bridge")
        self.ip("lan", "link", "set", "br0", "up")
        for host, address in {"srv": SERVER, **DEVICES}.items():
            self.cable(host, "eth0", "lan", host)
            self.ip("lan", "link", "set", host, "master", "br0")
            self.ip(host, "addr", "add", f"{address}/24", "dev", "eth0")
        for host in ("db", "srv", *DEVICES):
            self.ip(host, "link", "set", "eth0", "up")
        self.ip("srv", "link", "set", "eth1", "up")
        for port in ("srv", *DEVICES):
            self.ip("lan", "link", "set", port, "up")

    def cable(self, host: str, name: str, other: str, other_name: str) -> None:
        """A veth pair: ``name`` on ``host`` to ``other_name`` on ``other``."""
        run(
            [
                "ip", "link", "add", name, "netns", self.namespace(host), "type", "veth",
                "peer", "name", other_name, "netns", self.namespace(other),
            ]
        )  # fmt: skip

    def remove_hosts(self) -> None:
        """Every namespace made (their cables go with them)."""
        for host in reversed(self.hosts):
            subprocess.run(
                ["ip", "netns", "del", self.namespace(host)], check=False, capture_output=True
            )
        self.hosts.clear()

    # -- processes ------------------------------------------------------------

    def taboor(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The ``taboor`` command on the server's host (its administration tool)."""
        argv = self.on("srv", sys.executable, "-m", "taboor", *args)
        return run(argv, input=stdin, env=self.environment("srv"), cwd=ROOT)

    def start(
        self, host: str, log: Path, argv: list[str], *, talks: bool = False, **env: str
    ) -> subprocess.Popen[str]:
        """A process on ``host``, stopped before the hosts go; what it writes goes to ``log``.

        ``talks``: its standard input and output are pipes to this test.
        """
        with log.open("w", encoding="utf-8") as written:
            process = subprocess.Popen(
                self.on(host, *argv),
                stdin=subprocess.PIPE if talks else subprocess.DEVNULL,
                stdout=subprocess.PIPE if talks else written,
                stderr=written,
                text=True,
                env=self.environment(host, **env),
                cwd=ROOT,
            )
        self.processes.append(process)
        return process

    @contextmanager
    def device(self, host: str, program: str, *args: str, token: str) -> Iterator[Device]:
        """A device program of ``tests.lan_devices`` on ``host`` with the device's ``token``."""
        argv = [sys.executable, "-m", "tests.lan_devices", program, "--server", self.url, *args]
        log = self.next_log(program)
        process = self.start(host, log, argv, talks=True, **self._device_env(host, token))
        device = Device(f"{program} on {host}", process, log)
        try:
            yield device
        finally:
            device.close()

    def once(self, host: str, program: str, *args: str, token: str = "") -> list[dict[str, Any]]:
        """A one-shot program of ``tests.lan_devices`` on ``host``: the lines it told.

        With a device's ``token``, it reaches the server as that device.
        """
        server = ["--server", self.url] if token else []
        argv = [sys.executable, "-m", "tests.lan_devices", program, *server, *args]
        env = self.environment(host, **self._device_env(host, token))
        done = run(self.on(host, *argv), env=env, cwd=ROOT)
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]

    def _device_env(self, host: str, token: str) -> dict[str, str]:
        env = {"TABOOR_DEVICE_TOKEN": token} if token else {}
        if host == "kiosk":
            env["TABOOR_PRINTER"] = f"virtual:{self.folder / 'kiosk' / 'paper'}"
        return env

    def stop_processes(self) -> None:
        """Every process started on the hosts."""
        for process in reversed(self.processes):
            stop(process)

    def events(self, since: int) -> list[dict[str, Any]]:
        """The centre's event log after ``since``, as ``taboor events --json`` prints it."""
        events: list[dict[str, Any]] = json.loads(
            self.taboor("events", "--since", str(since), "--json").stdout
        )
        return events

    # -- the centre -------------------------------------------------------------

    def write_config(self) -> None:
        """The demo centre, open every day all day: the server runs on the real clock."""
        text = DEFAULT_CONFIG.read_text(encoding="utf-8")
        hours = (
            "[centre.hours]\n"
            'days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]\n'
            'open = "00:00"\nclose = "23:59:59"\n'
        )
        text, replaced = re.subn(r"\[centre\.hours\]\n(?:[^\[\n][^\n]*\n)*", hours, text)
        assert replaced == 1
        (self.folder / "centre.toml").write_text(text, encoding="utf-8")

    def set_up_centre(self) -> None:
        """The schema, the staff and the devices, made with ``taboor`` on the server's host."""
        self.write_config()
        self.taboor("init")
        staff = [
            ["staff", "add", staff_id, "--name-ar", name_ar, "--name-en", name_en, "--role", role]
            for staff_id, (name_ar, name_en, role) in STAFF.items()
        ]
        enrolments = {
            name: ["device", "add", name, "--role", role, "--json"]
            + (["--counter", counter] if counter is not None else [])
            for name, (role, counter) in ENROLMENTS.items()
        }
        # A process each, all at once: the database takes them in turn.
        with ThreadPoolExecutor(max_workers=len(staff) + len(enrolments)) as pool:
            added = [
                pool.submit(self.taboor, *args, "--pin-stdin", stdin=f"{PIN}\n") for args in staff
            ]
            enrolled = {name: pool.submit(self.taboor, *args) for name, args in enrolments.items()}
        for done in added:
            done.result()
        self.tokens = {
            name: json.loads(done.result().stdout)["token"] for name, done in enrolled.items()
        }

    def serve(self) -> None:
        """``taboor serve`` on the server's host, on every address; until it answers the LAN."""
        every_address = "0.0.0.0"  # noqa: S104 - the server's host serves the centre's LAN
        serve = ["serve", "--host", every_address, "--port", str(PORT), "--quiet"]
        self.start("srv", self.next_log("serve"), [sys.executable, "-m", "taboor", *serve])
        [answer] = self.once("kiosk", "wait-up", self.url)
        assert answer["event"] == "up", f"the server did not answer on {self.url}"


@contextmanager
def database(lan: Lan, binaries: Path) -> Iterator[None]:
    """PostgreSQL on the db host, as the postgres user; its URL as the server reaches it."""
    # Not under pytest's folder: that is root's alone (0700), and PostgreSQL refuses to run as root.
    home = Path(tempfile.mkdtemp(prefix=f"taboor-lan-{lan.run}-pg-"))
    data = home / "data"
    as_postgres = ["runuser", "-u", "postgres", "--"]
    try:
        shutil.chown(home, "postgres", "postgres")
        password = secrets.token_urlsafe(18)
        secret = home / "password"
        secret.write_text(password + "\n", encoding="utf-8")
        shutil.chown(secret, "postgres", "postgres")
        run(
            [
                *as_postgres, str(binaries / "initdb"), "-D", str(data), "-U", "taboor",
                f"--pwfile={secret}", "--auth-host=scram-sha-256", "--auth-local=trust",
                "--no-sync", "--encoding=UTF8", "--locale=C",
            ]
        )  # fmt: skip
        secret.unlink()
        # The server's address alone, with the password; the socket (in this folder) for set-up.
        (data / "pg_hba.conf").write_text(
            f"local all all trust\nhost all taboor {SERVER_TO_DB}/32 scram-sha-256\n",
            encoding="utf-8",
        )
        options = f"-c listen_addresses={DB} -c unix_socket_directories={home} -c fsync=off"
        run(
            lan.on(
                "db", *as_postgres, str(binaries / "pg_ctl"), "-D", str(data),
                "-l", str(home / "postgres.log"), "-o", options, "-w", "-t", "30", "start",
            )
        )  # fmt: skip
        try:
            run(
                lan.on(
                    "db",
                    *as_postgres,
                    str(binaries / "createdb"),
                    "-h",
                    str(home),
                    "-U",
                    "taboor",
                    "taboor",
                )
            )
            lan.db_url = f"postgresql+psycopg://taboor:{password}@{DB}:5432/taboor"
            yield
        finally:
            stopped = subprocess.run(
                lan.on(
                    "db",
                    *as_postgres,
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "stop",
                ),
                check=False,
                capture_output=True,
            )
            pid_file = data / "postmaster.pid"
            if stopped.returncode != 0 and pid_file.exists():
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def lan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lan]:
    """The hosts, PostgreSQL on db, the centre set up and served on srv; all gone afterwards."""
    binaries = postgres_binaries()
    started = time.monotonic()
    network = Lan(tmp_path_factory.mktemp("lan"))
    with ExitStack() as stack:
        stack.callback(network.remove_hosts)
        network.make_hosts()
        stack.enter_context(database(network, binaries))
        stack.callback(network.stop_processes)
        network.set_up_centre()
        network.serve()
        print(f"\nthe LAN was up in {time.monotonic() - started:.1f} s")
        yield network


# -- the kiosk ---------------------------------------------------------------------------


def assert_no_route_to_the_database(lan: Lan, host: str) -> None:
    """A TCP connection from ``host`` to PostgreSQL fails at once: no route at all."""
    [probe] = lan.once(host, "probe", DB, "5432")
    assert probe["connected"] is False
    assert probe["errno"] == "ENETUNREACH", probe


def test_the_kiosk_has_no_route_to_the_database_and_still_issues_and_checks_in(lan: Lan) -> None:
    assert_no_route_to_the_database(lan, "kiosk")
    # Only the server's host reaches the database, and it routes nothing on.
    [from_server] = lan.once("srv", "probe", DB, "5432")
    assert from_server["connected"] is True
    forwarding = run(lan.on("srv", "cat", "/proc/sys/net/ipv4/ip_forward")).stdout
    assert forwarding.strip() == "0"

    [booked] = lan.once("srv", "book", CPR, "licence-renewal")
    with lan.device("kiosk", "kiosk", token=lan.tokens["kiosk-door"]) as kiosk:
        kiosk.send("walk-in", "licence-renewal")
        walk_in = kiosk.expect("printed", "print_failed", "message")
        kiosk.send("cpr", CPR)
        checked_in = kiosk.expect("printed", "print_failed", "message")
        assert kiosk.finish() == 0
    assert walk_in["event"] == "printed", walk_in
    assert walk_in["source"] == "walk_in"
    assert checked_in["event"] == "printed", checked_in
    assert checked_in["source"] == "appointment"
    assert checked_in["appointment"] == booked["appointment"]

    # The paper: each ticket's number and its QR (its id), and never the CPR.
    paper = lan.folder / "kiosk" / "paper"
    printed: dict[str, str] = {}
    for png in sorted(paper.glob("*.png")):
        with Image.open(png) as image:
            [code] = decode_qr_codes(image)
        ticket_bytes = png.with_suffix(".bin").read_bytes()
        assert CPR.encode() not in ticket_bytes
        printed[code] = png.stem
    assert set(printed) == {walk_in["ticket"], checked_in["ticket"]}
    for ticket in (walk_in, checked_in):
        number = ticket["number"].encode()
        assert number in (paper / f"{printed[ticket['ticket']]}.bin").read_bytes()
    # The centre has both, the second on the booking.
    tickets = {t["id"]: t for t in json.loads(lan.taboor("tickets", "--json").stdout)}
    assert tickets[walk_in["ticket"]]["number"] == walk_in["number"]
    assert tickets[checked_in["ticket"]]["appointment_id"] == booked["appointment"]


# -- the hall ---------------------------------------------------------------------------


def serve(counter: Device, times: int) -> list[str]:
    """The clerk at ``counter`` calls, starts and finishes ``times`` visitors; their numbers."""
    numbers = []
    for _ in range(times):
        counter.send("serve")
        numbers.append(counter.expect("served", "nobody")["number"])
    return numbers


def numbers_shown(lines: list[dict[str, Any]]) -> list[str]:
    """The numbers of the calls the hall has shown, in turn."""
    return [line["number"] for line in lines if line["event"] == "shown"]


def test_the_hall_shows_every_call_once_in_order_across_a_pulled_cable(lan: Lan) -> None:
    assert_no_route_to_the_database(lan, "hall")
    issued = lan.once("kiosk", "issue", "vehicle-registration", "9", token=lan.tokens["kiosk-door"])
    assert len(issued) == 9
    with (
        lan.device("hall", "hall", token=lan.tokens["hall-tv"]) as hall,
        lan.device("desk", "counter", "4", token=lan.tokens["counter-4"]) as desk,
    ):
        head = hall.expect("loaded")["head"]
        desk.send("sign-in", "c104", PIN)
        desk.expect("signed_in")
        before = serve(desk, 3)
        hall.wait(lambda lines: numbers_shown(lines) == before, f"{before} shown")

        lan.ip("hall", "link", "set", "eth0", "down")
        during = serve(desk, 3)
        # The stream falls silent; the hall says it is not live (after 12 s without a word).
        hall.expect("connected", value=False)
        lan.ip("hall", "link", "set", "eth0", "up")
        hall.expect("connected", value=True)
        after = serve(desk, 3)
        hall.wait(lambda lines: after[-1] in numbers_shown(lines), f"{after[-1]} shown")
        assert hall.finish() == 0

    called = [e for e in lan.events(head) if e["type"] == "called"]
    assert [e["ticket"]["number"] for e in called] == before + during + after
    shown = hall.told("shown")
    assert [(s["ticket"], s["number"], s["counter"]) for s in shown] == [
        (e["ticket"]["id"], e["ticket"]["number"], e["counter"]) for e in called
    ]
    # Listed at the end: the call shown large and the ones before it, newest first.
    [listed] = hall.told("calls")
    newest_first = [e["ticket"]["number"] for e in reversed(called)]
    assert listed["calls"] == newest_first[: RECENT_CALLS + 1]


# -- a counter: the clerk's terminal, the screen over the counter, its LED board -------------


def test_a_clerk_serves_a_visitor_seen_on_the_counter_screen_and_the_led_board(lan: Lan) -> None:
    require_socat()
    assert_no_route_to_the_database(lan, "desk")
    lan.once("kiosk", "issue", "licence-lost", "1", token=lan.tokens["kiosk-door"])
    host_end, boards_end = lan.folder / "led-host", lan.folder / "led-boards"
    keeper_argv = [
        sys.executable, "-m", "taboor", "led-board", "--server", lan.url,
        "--port", f"serial:{host_end}?baudrate=9600", "1",
    ]  # fmt: skip
    with ExitStack() as stack:
        stack.enter_context(socat_pair(boards_end, host_end, prefix=lan.on("desk")))
        boards = stack.enter_context(BoardEmulator(boards_end))
        keeper = lan.start(
            "desk",
            lan.next_log("led-board"),
            keeper_argv,
            TABOOR_DEVICE_TOKEN=lan.tokens["led-line"],
        )
        stack.callback(stop, keeper)
        screen = stack.enter_context(
            lan.device("desk", "counter-screen", "1", token=lan.tokens["counter-1-screen"])
        )
        terminal = stack.enter_context(
            lan.device("desk", "terminal", "1", token=lan.tokens["counter-1"])
        )
        screen.expect("loaded")
        terminal.expect("loaded")
        wait_for(lambda: boards.shown == {1: None}, lambda: f"board frames {boards.frames}")

        terminal.send("sign-in", "c101", PIN)
        signed_in = terminal.expect("done", action="sign_in")
        assert signed_in["clerk"] == "Maryam Ahmed", signed_in
        terminal.send("call")
        called = terminal.expect("done", action="call_next")
        number = called["number"]
        assert number is not None, called
        assert called["state"] == "called"
        screen.expect("ticket", number=number, state="called")
        board_text = TEXT_FORMAT.format(number=number, counter="1")
        wait_for(lambda: boards.shown.get(1) == board_text, lambda: f"frames {boards.frames}")

        terminal.send("start")
        assert terminal.expect("done", action="start")["state"] == "serving"
        screen.expect("ticket", number=number, state="serving")
        terminal.send("finish")
        assert terminal.expect("done", action="finish")["number"] is None
        screen.expect("ticket", number=None)
        prompt = screen.expect("rating", number=number)
        screen.send("rate", "5")
        screen.expect("rated", rating=5)
        wait_for(lambda: boards.shown.get(1) is None, lambda: f"frames {boards.frames}")

        assert terminal.finish() == 0
        assert screen.finish() == 0
        assert stop(keeper) == 0
    assert boards.errors == []

    rated = [e for e in lan.events(0) if e["type"] == "feedback"]
    assert [(e["ticket"]["id"], e["data"]["rating"]) for e in rated] == [(prompt["ticket"], 5)]


def wait_for(condition: Callable[[], bool], what: Callable[[], str]) -> None:
    """Poll ``condition`` until it holds; fail saying ``what()`` after DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {DEADLINE_S:g} s: {what()}")
        time.sleep(0.02)


# -- the supervisor ---------------------------------------------------------------------


def test_the_supervisor_signs_in_pauses_and_resumes_a_service_and_gets_the_report(
    lan: Lan,
) -> None:
    assert_no_route_to_the_database(lan, "office")
    # The kiosk has been heard from its host, whichever of this module's tests ran first.
    lan.once("kiosk", "issue", "traffic-fines", "1", token=lan.tokens["kiosk-door"])
    with lan.device("office", "supervisor", token=lan.tokens["office"]) as office:
        office.expect("loaded")
        office.send("sign-in", "s100", PIN)
        office.expect("signed_in", staff="s100")
        report = office.expect("report")
        # Every device as the server heard it: the kiosk from its own host's address.
        assert report["devices"]["kiosk-door"] == DEVICES["kiosk"]
        assert report["devices"]["office"] == DEVICES["office"]
        office.send("pause", "driving-test")
        office.expect("done", action="pause")
        office.expect("report", paused=["driving-test"])
        office.send("resume", "driving-test")
        office.expect("done", action="resume")
        office.expect("report", paused=[])
        assert office.finish() == 0
    kinds = [e["type"] for e in lan.events(0) if e["type"].startswith("service_")]
    assert kinds == ["service_paused", "service_resumed"]
