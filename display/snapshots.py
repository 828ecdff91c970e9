"""Renders every screen, in both languages, to PNG: ``python -m display.snapshots DIR``.

A temporary SQLite centre is filled through the real use cases (walk-ins, a
checked-in appointment, calls at several counters, a recall), and each
screen follows it as it would in a centre.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.domain import Appointment
from centre.rules.cpr import cpr_digest
from centre.store.unit_of_work import Store
from display.counter_screen import CounterScreenViewModel, CounterScreenWindow
from display.counter_terminal import CounterViewModel, CounterWindow
from display.follower import EventFollower
from display.hall import HallViewModel, HallWindow
from ui.app import application
from ui.fonts import FontBook
from ui.i18n import Translations

#: An invented CPR (month 00 never occurs in a real one).
SAMPLE_CPR = "990012345"
# A working Sunday morning in Manama, so every picture shows the same day.
SAMPLE_TIME = datetime(2026, 11, 22, 9, 41, tzinfo=ZoneInfo("Asia/Bahrain"))
TERMINAL_COUNTER = "1"
SCREEN_COUNTER = "7"


def fill_sample_centre(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """A morning's worth of tickets and calls, made through the use cases."""
    slot = SAMPLE_TIME.replace(minute=30)
    booking = Appointment(
        id="sample-appointment-1",
        reference="BK-7Q2M9C",
        service="licence-renewal",
        slot_start=slot,
        slot_end=slot + timedelta(minutes=15),
        business_day=slot.date(),
        cpr_digest=cpr_digest(SAMPLE_CPR, store.cpr_key()),
        cpr_last4=SAMPLE_CPR[-4:],
        name_ar="مريم أحمد الدوسري",
        name_en="Maryam Ahmed Al-Dosari",
        updated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    uc.store_appointments(store, [booking])
    clock.set(SAMPLE_TIME - timedelta(minutes=50))
    walk_ins = ["licence-renewal", "traffic-fines", "vehicle-registration", "licence-lost"]
    walk_ins += ["ownership-transfer", "traffic-fines", "licence-renewal"]
    for index in range(40):
        uc.issue_ticket(store, clock, config, walk_ins[index % len(walk_ins)])
        clock.advance(timedelta(seconds=50))
    uc.check_in_by_cpr(store, clock, config, SAMPLE_CPR, lang="en")
    for counter in ("2", "3", "4", "5", "6"):
        uc.call_next(store, clock, config, counter)
        clock.advance(timedelta(seconds=40))
        uc.start_serving(store, clock, config, counter)
        clock.advance(timedelta(minutes=4))
        uc.finish(store, clock, config, counter)
        uc.call_next(store, clock, config, counter)
        uc.start_serving(store, clock, config, counter)
    clock.set(SAMPLE_TIME - timedelta(minutes=3))
    uc.call_next(store, clock, config, TERMINAL_COUNTER)  # the appointment, due at 09:30
    clock.advance(timedelta(seconds=50))
    uc.start_serving(store, clock, config, TERMINAL_COUNTER)
    clock.set(SAMPLE_TIME - timedelta(seconds=40))
    uc.call_next(store, clock, config, SCREEN_COUNTER)


def render_screens(out_dir: Path) -> list[Path]:
    """Render the hall (landscape and portrait), the counter terminal (Arabic and English)
    and the counter screen to PNG files in ``out_dir``; returns their paths."""
    app = application()
    out_dir.mkdir(parents=True, exist_ok=True)
    config = load_config(DEFAULT_CONFIG, environ={})
    clock = FixedClock(SAMPLE_TIME)
    fonts = FontBook.load()
    translations = Translations(app)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'sample.db'}")
        try:
            fill_sample_centre(store, clock, config)
            clock.set(SAMPLE_TIME)

            hall = HallViewModel(config, store, clock, EventFollower.for_store(store))
            hall_window = HallWindow(hall, fonts)
            _started(hall.start, hall.loaded)
            # A recall now, while the hall follows: the number is highlighted.
            _started(lambda: uc.recall(store, clock, config, SCREEN_COUNTER), hall.call_shown)
            written.append(_grab(app, hall_window, (1920, 1080), out_dir / "hall-landscape.png"))
            written.append(_grab(app, hall_window, (1080, 1920), out_dir / "hall-portrait.png"))
            hall.stop()

            translations.use("ar")
            counter = CounterViewModel(
                config, store, clock, EventFollower.for_store(store), TERMINAL_COUNTER, lang="ar"
            )
            counter.language_changed.connect(translations.use)
            counter_window = CounterWindow(counter, fonts)
            _started(counter.start, counter.loaded)
            _settle(app, 400)  # the queue figures arrive after the desk
            for lang in ("ar", "en"):
                counter.set_language(lang)
                path = out_dir / f"counter-terminal-{lang}.png"
                written.append(_grab(app, counter_window, (1280, 800), path))
            counter.stop()

            screen = CounterScreenViewModel(
                config, store, clock, EventFollower.for_store(store), SCREEN_COUNTER
            )
            screen_window = CounterScreenWindow(screen, fonts)
            _started(screen.start, screen.loaded)
            _started(
                lambda: uc.recall(store, clock, config, SCREEN_COUNTER), screen.highlight_changed
            )
            written.append(_grab(app, screen_window, (1280, 720), out_dir / "counter-screen.png"))
            screen.stop()
            for window in (hall_window, counter_window, screen_window):
                window.deleteLater()
        finally:
            store.close()
    return written


def _started(start: Callable[[], object], ready: SignalInstance, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    ready.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()


def _settle(app: QApplication, ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _grab(app: QApplication, window: QWidget, size: tuple[int, int], path: Path) -> Path:
    window.resize(*size)
    # Fonts follow the size (resizeEvent); lay out again with them before drawing.
    app.sendPostedEvents()
    app.processEvents()
    layout = window.layout()
    if layout is not None:
        layout.activate()
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    """Render the screens into the directory given (offscreen unless a display is chosen)."""
    parser = argparse.ArgumentParser(prog="python -m display.snapshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="directory for the PNG files")
    args: Any = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in render_screens(args.out_dir):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
