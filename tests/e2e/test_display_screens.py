"""The screens with the rest of Taboor: the hall follows other processes; every screen renders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from centre.clock import SystemClock
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from display.hall import HallViewModel
from tests.helpers import demo_config, run_cli
from tests.unit.display.helpers import guard_pytestqt_disconnects

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _whole_true_refcount(monkeypatch: pytest.MonkeyPatch) -> None:
    # PySide6 6.12 loses a reference to True on each disconnect pytest-qt makes.
    guard_pytestqt_disconnects(monkeypatch)


def test_the_hall_shows_a_call_made_by_the_taboor_command(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'centre.db'}"
    store = Store.open(url)
    centre = LocalCentre(store, SystemClock(), demo_config())
    hall = HallViewModel(centre, EventFollower.for_port(centre))
    try:
        with qtbot.waitSignal(hall.loaded, timeout=5000):
            hall.start()
        assert run_cli("issue", "licence-renewal", db=url, home=tmp_path).code == 0
        with qtbot.waitSignal(hall.call_shown, timeout=5000) as shown:
            called = run_cli("call", "2", db=url, home=tmp_path)
        assert called.code == 0
        assert (shown.args[0].number, shown.args[0].counter) == (called.json()["number"], "2")
        qtbot.waitUntil(
            lambda: any(q.code == "licence-renewal" and q.waiting == 0 for q in hall.queues)
        )
    finally:
        hall.stop()
        store.close()


@pytest.mark.slow
def test_every_screen_renders_in_both_languages(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "display.snapshots", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        # It plays five days through the use cases first: 33 s alone, 89 s on a 2-core
        # machine running the suite in three workers. A hang, not slowness, should fail it.
        timeout=400,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    sizes = {}
    for path in tmp_path.glob("*.png"):
        with Image.open(path) as image:
            sizes[path.name] = image.size
    assert sizes == {
        "hall-landscape.png": (1920, 1080),
        "hall-portrait.png": (1080, 1920),
        "counter-terminal-sign-in-ar.png": (1280, 800),
        "counter-terminal-sign-in-en.png": (1280, 800),
        "counter-terminal-ar.png": (1280, 800),
        "counter-terminal-en.png": (1280, 800),
        "counter-terminal-break-ar.png": (1280, 800),
        "counter-terminal-break-en.png": (1280, 800),
        "counter-screen.png": (1280, 720),
        "counter-screen-rating.png": (1280, 720),
        "supervisor-ar.png": (1920, 1080),
        "supervisor-en.png": (1920, 1080),
        "supervisor-health-en.png": (1920, 1080),
        "supervisor-reports-ar.png": (1920, 1080),
        "supervisor-reports-en.png": (1920, 1080),
        "supervisor-reports-map-en.png": (1920, 1080),
    }
    assert "Traceback" not in completed.stderr
