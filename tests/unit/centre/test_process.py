"""Stopping a long-running process on SIGTERM or SIGINT, and naming an OS error in one line."""

from __future__ import annotations

import os
import signal
import threading

import pytest
import serial

from centre.process import os_error_reason, stop_on_signals


def test_sigterm_and_sigint_set_the_stop_event() -> None:
    for number in (signal.SIGTERM, signal.SIGINT):
        stop = threading.Event()
        before = signal.getsignal(number)
        with stop_on_signals(stop.set):
            os.kill(os.getpid(), number)
            assert stop.wait(5)
        assert signal.getsignal(number) is before


def test_signals_are_left_alone_outside_the_main_thread() -> None:
    stop = threading.Event()
    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def inside() -> None:
        with stop_on_signals(stop.set):
            seen.append(signal.getsignal(signal.SIGTERM))

    worker = threading.Thread(target=inside)
    worker.start()
    worker.join(5)
    assert seen == [before]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (FileNotFoundError(2, "No such file or directory"), "no such file or directory"),
        (
            serial.SerialException("write failed: [Errno 5] Input/output error"),
            "write failed: [Errno 5] Input/output error",
        ),
        (OSError("[Errno 16] Device or resource busy"), "Device or resource busy"),
        (OSError("first line\n[Errno 13] Permission denied"), "Permission denied"),
        (TimeoutError(), "TimeoutError"),
    ],
)
def test_an_os_error_in_one_line(error: BaseException, reason: str) -> None:
    assert os_error_reason(error) == reason
