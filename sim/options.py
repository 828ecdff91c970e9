"""What a simulated day or a soak is asked to do: the options of ``taboor simulate``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SimOptions:
    """What ``taboor simulate`` was asked (``--processes``: a soak instead)."""

    scenario: str = "normal"
    seed: int = 1
    csv: Path | None = None
    charts: Path | None = None
    db: str | None = None
    speed: float = 60.0
    processes: bool = False
    config: Path | None = None
    kiosks: int = 10
    counters: int = 20
    minutes: float | None = None


SoakOptions = SimOptions


__all__ = ["SimOptions", "SoakOptions"]
