"""Bootstrap: the one place that reads the configuration, opens the store and wires adapters."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from centre.clock import Clock, SystemClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.rules.qr import QrVerifier
from centre.store.unit_of_work import Store

if TYPE_CHECKING:
    from centre.local import LocalCentre


def data_dir() -> Path:
    """The per-user data directory (``TABOOR_HOME`` overrides it)."""
    override = os.environ.get("TABOOR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # noqa: PLC0415 - only when no override

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
        from centre.local import LocalCentre  # noqa: PLC0415 - screens only; keeps the CLI light

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
    import socket  # noqa: PLC0415 - only for devices

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
    from sync.qr import Ed25519QrVerifier  # noqa: PLC0415 - cryptography loads only when needed

    return Ed25519QrVerifier(key)
