"""The task runner: jobs off the GUI thread, in order, results back on it."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from ui.tasks import TaskRunner


def test_jobs_run_in_order_off_the_gui_thread_and_report_on_it(qtbot: QtBot) -> None:
    runner = TaskRunner("test")
    gui = threading.current_thread()
    ran_on: list[threading.Thread] = []
    results: list[tuple[int, threading.Thread]] = []

    def job(value: int) -> int:
        ran_on.append(threading.current_thread())
        return value

    for value in range(5):
        runner.submit(
            lambda value=value: job(value),
            lambda result: results.append((result, threading.current_thread())),
            lambda error: None,
        )
    qtbot.waitUntil(lambda: len(results) == 5)
    assert [value for value, _ in results] == [0, 1, 2, 3, 4]
    assert all(thread is gui for _, thread in results)
    assert all(thread is not gui for thread in ran_on)
    assert runner.pending == 0
    runner.shutdown()


def test_a_failure_comes_back_as_a_value(qtbot: QtBot) -> None:
    runner = TaskRunner("test")
    errors: list[Exception] = []

    def broken() -> None:
        raise ConnectionError("database gone")

    runner.submit(broken, lambda _result: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], ConnectionError)
    runner.shutdown()


def test_nothing_is_delivered_after_shutdown(qtbot: QtBot) -> None:
    runner = TaskRunner("test")
    release = threading.Event()
    delivered: list[int] = []
    runner.submit(lambda: release.wait(5), lambda _result: delivered.append(1), lambda _e: None)
    runner.submit(lambda: 2, delivered.append, lambda _e: None)
    release.set()
    runner.shutdown()
    qtbot.wait(100)
    assert delivered == []
