"""``taboor serve`` as a real process: a graceful stop, TLS from the configuration, the CLI."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
import pytest

from centre import devices
from centre.clock import FixedClock, SystemClock
from centre.config import CentreConfig, load_config
from centre.errors import CentreUnreachable
from centre.store.unit_of_work import Store
from server.client import RemoteCentre
from tests.helpers import demo_config, run_cli, self_signed
from tests.live_server import live_server, serve_process


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'taboor.db'}"


def enrol(db: str, role: str, name: str) -> str:
    store = Store.open(db)
    try:
        enrolled = devices.add_device(store, SystemClock(), demo_config(), name, role)
    finally:
        store.close()
    assert enrolled.token is not None
    return enrolled.token


def test_a_stop_ends_the_streams_and_the_server_exits_cleanly(db: str, tmp_path: Path) -> None:
    with serve_process(db, tmp_path) as (process, url):
        token = enrol(db, "hall", "tv-1")
        opened = threading.Event()
        ended = threading.Event()

        def follow() -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.stream(
                "GET", f"{url}/api/v1/events/stream", headers=headers, timeout=60
            ) as r:
                opened.set()
                for _line in r.iter_lines():
                    pass
            ended.set()

        threading.Thread(target=follow, daemon=True).start()
        assert opened.wait(30)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert ended.wait(30), "the stream was not ended by the stop"
        assert process.stdout is not None
        output = process.stdout.read()
        assert "Traceback" not in output


def test_device_commands_reach_a_running_server_at_once(db: str, tmp_path: Path) -> None:
    with serve_process(db, tmp_path) as (_process, url):
        added = run_cli(
            "device", "add", "kiosk-7", "--role", "kiosk", "--json", db=db, home=tmp_path
        )
        assert added.code == 0, added.err
        token = added.json()["token"]
        assert len(token) >= 43 + 4
        kiosk = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
        assert kiosk.post("/api/v1/tickets", json={"service": "A"}).status_code == 201
        listed = run_cli("device", "list", "--json", db=db, home=tmp_path).json()
        assert [d["device"] for d in listed] == ["kiosk-7"]
        assert listed[0]["last_seen"] is not None
        assert token not in run_cli("device", "list", db=db, home=tmp_path).out
        revoked = run_cli("device", "revoke", "kiosk-7", db=db, home=tmp_path)
        assert revoked.code == 0
        statuses = [kiosk.get("/api/v1/status").status_code for _ in range(100)]
        assert statuses[-1] == 401
        kiosk.close()


def test_a_pairing_link_is_spent_once(db: str, tmp_path: Path) -> None:
    made = run_cli("device", "add", "tv-2", "--role", "hall", "--link", db=db, home=tmp_path)
    assert made.code == 0, made.err
    link = made.out.strip()
    assert link.startswith("http://127.0.0.1:8080/display/hall#pair=")
    code = link.split("#pair=")[1]
    with serve_process(db, tmp_path) as (_process, url):
        first = httpx.post(f"{url}/api/v1/pair", json={"code": code})
        assert first.status_code == 200
        token = first.json()["token"]
        second = httpx.post(f"{url}/api/v1/pair", json={"code": code})
        assert second.status_code == 401
        hall = httpx.get(f"{url}/api/v1/queue", headers={"Authorization": f"Bearer {token}"})
        assert hall.status_code == 200


# -- TLS ---------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the centre's own, which devices trust)."""
    cert, key = self_signed(tmp_path)
    return cert.rename(tmp_path / "centre.crt"), key.rename(tmp_path / "centre.key")


def test_tls_from_the_configuration(
    sqlite_store: Store,
    clock: FixedClock,
    tmp_path: Path,
    certificate: tuple[Path, Path],
) -> None:
    cert, _key = certificate
    source = Path(__file__).resolve().parents[2] / "config" / "demo-centre.toml"
    text = source.read_text(encoding="utf-8")
    text += '\n[server]\ncertificate = "centre.crt"\nkey = "centre.key"\n'
    (tmp_path / "centre.toml").write_text(text, encoding="utf-8")
    config: CentreConfig = load_config(tmp_path / "centre.toml", environ={})
    assert config.server.certificate == str(cert)
    assert config.server.address().startswith("https://")
    settings = config.server
    options = {"ssl_certfile": settings.certificate, "ssl_keyfile": settings.key}
    with live_server(sqlite_store, clock, config, uvicorn_options=options) as live:
        token = live.enrol("kiosk")
        secure = live.url.replace("http://", "https://")
        kiosk = RemoteCentre.connect(secure, token, ca_file=cert)
        assert kiosk.issue_ticket("A").ticket.number == "A001"
        kiosk.close()
        with pytest.raises(CentreUnreachable):
            RemoteCentre.connect(secure, token)  # a device that does not trust the centre
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{live.url}/api/v1/health", timeout=5)  # plain HTTP on the TLS port
