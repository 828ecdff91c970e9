"""Bootstrap: the one place that reads the configuration, opens the store and wires adapters."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from centre.clock import Clock, SystemClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.errors import BadInput
from centre.rules.qr import QrVerifier
from centre.store.unit_of_work import Store

if TYPE_CHECKING:
    from centre.local import LocalCentre
    from centre.port import CentrePort


def data_dir() -> Path:
    """The per-user data directory (``TABOOR_HOME`` overrides it)."""
    override = os.environ.get("TABOOR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("taboor", appauthor=False))


def default_db_url() -> str:
    """The embedded default: a SQLite file in the per-user data directory."""
    return f"sqlite:///{data_dir() / 'taboor.db'}"


def config_path(given: str | None) -> Path:
    """The configuration file: ``--config``, else ``TABOOR_CONFIG``, else the demo centre."""
    chosen = given or os.environ.get("TABOOR_CONFIG")
    return Path(chosen) if chosen else DEFAULT_CONFIG


def db_url(given: str | None) -> str:
    """The database URL: ``--db``, else ``TABOOR_DB``, else the embedded SQLite file."""
    return given or os.environ.get("TABOOR_DB") or default_db_url()


def open_config(given: str | None = None) -> CentreConfig:
    """The centre's configuration, without opening the store."""
    return load_config(config_path(given))


def central_token_file(config: CentreConfig) -> Path | None:
    """Where the central token is kept: ``[central] token_file``, relative to the data directory."""
    name = config.central.token_file
    if not name:
        return None
    path = Path(name).expanduser()
    return path if path.is_absolute() else data_dir() / path


@dataclass
class Centre:
    """Everything a command or screen needs: configuration, store, clock, QR verifier."""

    config: CentreConfig
    store: Store
    clock: Clock
    verifier: QrVerifier | None = None

    def port(self, device: str | None = None) -> LocalCentre:
        """The in-process adapter of the centre port on this store, acting as ``device``."""
        from centre.local import LocalCentre

        return LocalCentre(
            self.store, self.clock, self.config, verifier=self.verifier, device=device
        )

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()

    def __enter__(self) -> Centre:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def device_name(role: str) -> str:
    """This machine's name as a device of ``role`` (``kiosk@hall-pc-1``), as the centre files it."""
    import socket

    return f"{role}@{socket.gethostname()}"[:64]


def open_centre(
    config: str | None = None, db: str | None = None, clock: Clock | None = None
) -> Centre:
    """Read the configuration, open (and if needed create) the store, wire the adapters."""
    centre_config = open_config(config)
    store = Store.open(db_url(db))
    return Centre(
        config=centre_config,
        store=store,
        clock=clock or SystemClock(),
        verifier=qr_verifier(centre_config),
    )


def qr_verifier(config: CentreConfig) -> QrVerifier | None:
    """The signed-QR verifier when ``[central] qr_public_key`` is set."""
    key = config.central.qr_public_key
    if not key:
        return None
    from sync.qr import Ed25519QrVerifier

    return Ed25519QrVerifier(key)


def server_url(given: str | None = None) -> str | None:
    """The centre server a device talks to: ``--server``, else ``TABOOR_SERVER`` (``None``:
    this machine's own store)."""
    url = given or os.environ.get("TABOOR_SERVER") or None
    return url.rstrip("/") if url else None


def device_token(token_file: str | None = None) -> str:
    """This device's token: ``TABOOR_DEVICE_TOKEN``, else the file ``--token-file`` or
    ``TABOOR_DEVICE_TOKEN_FILE`` names (its first line)."""
    token = os.environ.get("TABOOR_DEVICE_TOKEN", "").strip()
    if token:
        return token
    path = token_file or os.environ.get("TABOOR_DEVICE_TOKEN_FILE")
    if not path:
        raise BadInput(
            "no device token: set TABOOR_DEVICE_TOKEN or give --token-file "
            "(taboor device add on the server machine makes one)"
        )
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot read the device token file {path}: {error.strerror}") from None
    token = text.strip().splitlines()[0].strip() if text.strip() else ""
    if not token:
        raise BadInput(f"the device token file {path} is empty")
    return token


@contextmanager
def device_port(
    config: str | None,
    db: str | None,
    *,
    device: str,
    server: str | None = None,
    token_file: str | None = None,
    ca_file: str | None = None,
) -> Iterator[CentrePort]:
    """The centre port of a screen or device, closed afterwards.

    Given a server (``--server`` or ``TABOOR_SERVER``) it is the HTTP adapter
    with this device's token, and no database is opened; the centre's
    configuration comes from the server (kept in the data directory for a
    start while the server is away), with this machine's printer, scanner and
    voice folder from its own configuration file. Otherwise it is the
    in-process adapter on this machine's store, acting as ``device``.
    """
    url = server_url(server)
    if url is None:
        with open_centre(config, db) as centre:
            from centre.usecases import roll_day

            roll_day(centre.store, centre.clock, centre.config)
            yield centre.port(device)
        return
    from server.client import RemoteCentre

    local = open_config(config)
    remote = RemoteCentre.connect(
        url,
        device_token(token_file),
        ca_file=ca_file or os.environ.get("TABOOR_SERVER_CA") or None,
        cache=data_dir() / "server-config.json",
        device_settings=local,
    )
    try:
        yield remote
    finally:
        remote.close()


def token_dir_ports(
    stack: ExitStack,
    folder: Path,
    *,
    config: str | None,
    db: str | None,
    server: str | None,
    ca_file: str | None,
) -> Callable[[str], CentrePort]:
    """Ports for several devices of one process, each with its token in ``folder``:
    ``counter:1`` (or ``counter-1``) reads ``folder/counter-1.token``. Each port is
    closed with ``stack``."""

    def port_of(device: str) -> CentrePort:
        name = device.replace(":", "-")
        return stack.enter_context(
            device_port(
                config,
                db,
                device=device_name(name),
                server=server,
                token_file=str(folder / f"{name}.token"),
                ca_file=ca_file,
            )
        )

    return port_of
