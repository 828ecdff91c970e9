"""The hall's spoken calls in a real Chromium on a real centre server (``/p/announce.js``):
every clip of every call in order, none started before the one before it ended, the Qt hall's
silences, the brief form when calls back up, a recall said again, and sound blocked until a
touch without losing a call."""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.rules.speech import VOICE_DIR, Pause, clip_path, compose, required_clips
from centre.store.unit_of_work import Store
from tests.browser import BrowserFactory, console_log, page_errors, wait_for
from tests.live_server import LiveServer, live_server

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

#: Each clip cut to this long, so a call takes its silences and little more (about 3.5 s).
CLIP_MS = 40
#: Long enough for the calls on a loaded machine; the tests never assert how long they took.
PATIENCE = 25.0
#: A call as the tests expect it said: its seq, number, counter, and whether briefly.
Call = tuple[int, str, str, bool]
#: What a silence may come short by: Chromium's audio clock and performance.now() drift a little.
SLACK_MS = 30.0


@pytest.fixture
def short_voice(tmp_path: Path) -> Path:
    """The shipped voice with every clip cut to its first :data:`CLIP_MS` ms: a centre's
    own recordings, laid out as ``assets/voice`` is."""
    folder = tmp_path / "voice"
    for name in required_clips(["ar", "en"]):
        with wave.open(str(clip_path(VOICE_DIR, name)), "rb") as reader:
            params = reader.getparams()
            frames = reader.readframes(params.framerate * CLIP_MS // 1000)
        path = clip_path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as writer:
            writer.setparams(params)
            writer.writeframes(frames)
    return folder


@pytest.fixture
def hall(
    sqlite_store: Store, clock: FixedClock, config: CentreConfig, short_voice: Path
) -> Iterator[Callable[[list[str]], LiveServer]]:
    """Start the centre server, its hall speaking these languages with the short voice."""
    with ExitStack() as stack:

        def start(languages: list[str]) -> LiveServer:
            settings = config.announcements.model_copy(
                update={"voice_dir": str(short_voice), "languages": languages}
            )
            speaking = config.model_copy(update={"announcements": settings})
            return stack.enter_context(live_server(sqlite_store, clock, speaking))

        yield start


def open_announcer(driver: Chrome, live: LiveServer) -> None:
    """Load a page of the server, add ``/p/announce.js`` to it (its CSP allows the server's
    own scripts) and make ``window.announcer`` with a hall's token; ``window.changes`` lists
    ``blocked`` at each ``onchange``."""
    driver.get(f"{live.url}/t/no-such-ticket")
    console_log(driver)  # the page is a 404, as it should be: that is no error of the sound
    loaded = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const script = document.createElement("script");
        script.src = "/p/announce.js";
        script.onload = () => done(true);
        script.onerror = () => done(false);
        document.head.appendChild(script);
        """
    )
    assert loaded, "announce.js did not load"
    driver.execute_script(
        """
        window.changes = [];
        window.announcer = TaboorAnnouncer.create({
          token: arguments[0],
          onchange: (announcer) => window.changes.push(announcer.blocked),
        });
        """,
        live.enrol("hall"),
    )


def say(driver: Chrome, *calls: dict[str, Any]) -> None:
    """Hand the calls to the announcer at once (all in the same few milliseconds);
    ``window.said`` gets what each one's promise says: said (true) or not (false)."""
    driver.execute_script(
        """
        window.said = arguments[0].map(() => null);
        arguments[0].forEach((call, index) => {
          window.announcer.say(call).then((said) => { window.said[index] = said; });
        });
        """,
        list(calls),
    )


def said(driver: Chrome) -> list[bool | None]:
    """Whether each call handed over was said (None: not yet known)."""
    found: list[bool | None] = driver.execute_script("return window.said;")
    return found


def expected(languages: list[str], *calls: Call) -> list[tuple[int, str]]:
    """The clips the Qt hall says for these calls ``(seq, number, counter, brief)``, in order."""
    return [
        (seq, clip)
        for seq, number, counter, brief in calls
        for clip in compose(number, counter, languages, brief=brief).clips()
    ]


def silences_before(languages: list[str], *calls: Call) -> list[int]:
    """The silence before each clip of the calls, as the Qt hall leaves it (0 before the first)."""
    gaps: list[int] = []
    pending = 0
    for _seq, number, counter, brief in calls:
        for step in compose(number, counter, languages, brief=brief).timeline():
            if isinstance(step, Pause):
                pending += step.ms
            else:
                gaps.append(pending)
                pending = 0
    gaps[0] = 0
    return gaps


def played(driver: Chrome, count: int) -> list[dict[str, Any]]:
    """The announcer's log once ``count`` clips have been played to their end."""

    def finished(page: Chrome) -> list[dict[str, Any]] | None:
        log: list[dict[str, Any]] = page.execute_script("return window.announcer.log;")
        done = len(log) >= count and all(entry["ended"] is not None for entry in log)
        return log if done else None

    log = wait_for(driver, finished, PATIENCE, f"{count} clips were not played")
    assert log is not None
    return log


def assert_in_turn(log: list[dict[str, Any]], gaps: list[int]) -> None:
    """No clip started before the one before it ended, and each after its silence."""
    for before, after, gap in zip(log[:-1], log[1:], gaps[1:], strict=True):
        assert before["started"] <= before["ended"]
        waited = after["started"] - before["ended"]
        assert waited >= gap - SLACK_MS, (before, after, gap)


def test_calls_are_said_in_turn_each_clip_to_its_end(
    browser: BrowserFactory, hall: Callable[[list[str]], LiveServer]
) -> None:
    languages = ["ar", "en"]
    live = hall(languages)
    driver = browser(width=800, height=600, autoplay=True, mobile=False)
    open_announcer(driver, live)
    say(
        driver,
        {"seq": 1, "number": "A001", "counter": "1", "recall": False},
        {"seq": 2, "number": "A002", "counter": "2", "recall": False},
        # The first call is being said already: its recall is said again.
        {"seq": 3, "number": "A001", "counter": "1", "recall": True},
        # Two calls wait: this one is said briefly.
        {"seq": 4, "number": "B023", "counter": "3", "recall": False},
        # The stream catching up hands a call over again: not said twice.
        {"seq": 2, "number": "A002", "counter": "2", "recall": False},
        # Recalled while still waiting: said once, as the Qt hall does.
        {"seq": 5, "number": "A002", "counter": "2", "recall": True},
    )
    assert said(driver) == [None, None, None, None, False, False]
    queue = driver.execute_script(
        "const a = window.announcer;"
        "return [a.playing.seq, a.waiting.map((w) => [w.seq, w.brief]), a.blocked];"
    )
    assert queue == [1, [[2, False], [3, False], [4, True]], False]

    calls: tuple[Call, ...] = (
        (1, "A001", "1", False),
        (2, "A002", "2", False),
        (3, "A001", "1", False),
        (4, "B023", "3", True),
    )
    log = played(driver, len(expected(languages, *calls)))
    assert [(entry["seq"], entry["clip"]) for entry in log] == expected(languages, *calls)
    assert [entry["clip"] for entry in log[:3]] == ["chime", "ar/ticket", "ar/letter-a"]
    assert log[6]["clip"] == "en/ticket"  # Arabic, then English
    assert_in_turn(log, silences_before(languages, *calls))
    wait_for(driver, lambda d: d.execute_script("return window.announcer.playing === null;"))
    assert said(driver) == [True, True, True, True, False, False]
    assert driver.execute_script("return window.changes;") == []
    assert page_errors(driver) == []


def test_blocked_sound_keeps_the_calls_until_a_touch_plays_them(
    browser: BrowserFactory, hall: Callable[[list[str]], LiveServer]
) -> None:
    # One language: the calls are shorter, and the order of languages is tested above.
    languages = ["en"]
    live = hall(languages)
    driver = browser(width=800, height=600, autoplay=False, mobile=False)
    open_announcer(driver, live)
    wait_for(driver, lambda d: d.execute_script("return window.announcer.blocked;"), 5.0)
    assert driver.execute_script("return window.changes;") == [True]
    say(
        driver,
        {"seq": 7, "number": "A007", "counter": "2", "recall": False},
        {"seq": 8, "number": "C108", "counter": "B2", "recall": False},
    )
    # Its script fetched and its clips loaded, still nothing is said.
    driver.execute_async_script("setTimeout(arguments[arguments.length - 1], 500);")
    state = driver.execute_script(
        "const a = window.announcer; return [a.log.length, a.playing, a.waiting.length];"
    )
    assert state == [0, None, 2]
    assert said(driver) == [None, None]

    # A day's worth of calls while nobody touches the screen: the newest are kept.
    crowd = driver.execute_async_script(
        """
        const [token, done] = arguments;
        const crowd = TaboorAnnouncer.create({token});
        const said = [];
        for (let seq = 100; seq < 122; seq += 1) {
          crowd.say({seq, number: "D" + seq, counter: "1"}).then((s) => { said.push([seq, s]); });
        }
        const seqs = crowd.waiting.map((w) => w.seq);
        const dropped = crowd.dropped;
        setTimeout(() => { done([seqs, dropped, said.slice()]); crowd.close(); }, 0);
        """,
        live.enrol("hall"),
    )
    assert crowd == [list(range(102, 122)), 2, [[100, False], [101, False]]]

    driver.execute_script(
        """
        const button = document.createElement("button");
        button.id = "sound-on";
        button.textContent = "Sound on";
        button.style.cssText = "position:fixed;top:0;left:0;width:200px;height:80px;z-index:9";
        button.addEventListener("click", () => window.announcer.unlock());
        document.body.appendChild(button);
        """
    )
    driver.find_element("id", "sound-on").click()
    calls: tuple[Call, ...] = ((7, "A007", "2", False), (8, "C108", "B2", False))
    log = played(driver, len(expected(languages, *calls)))
    assert [(entry["seq"], entry["clip"]) for entry in log] == expected(languages, *calls)
    assert_in_turn(log, silences_before(languages, *calls))
    wait_for(driver, lambda d: d.execute_script("return window.said.every((s) => s === true);"))
    assert driver.execute_script("return [window.changes, window.announcer.blocked];") == [
        [True, False],
        False,
    ]
    assert page_errors(driver) == []
