"""The browser hall's spoken calls over real HTTP: a call's script is the Qt hall's composition,
full and brief; the voice clips are served from a strict list and nothing else."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from centre.config import AnnouncementsConfig, CentreConfig
from centre.rules import speech
from centre.rules.speech import VOICE_DIR, Pause, Script, compose, required_clips
from centre.store.unit_of_work import Store
from server import web
from server.routes.announcements import voice_files
from tests.helpers import clock_at, demo_config
from tests.live_server import LiveServer, live_server

ROUTE = "/api/v1/hall/announcement"


def heard(script: Script) -> list[Any]:
    """The steps of ``script`` as the API lists them."""
    return [
        {"silence": step.ms} if isinstance(step, Pause) else f"/display/voice/{step}.wav"
        for step in script.timeline()
    ]


def recorded(folder: Path) -> Path:
    """A centre's own recordings of the English clips in ``folder`` (each file's bytes name
    the clip)."""
    for name in required_clips(["en"]):
        path = folder / f"{name}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"RIFF {name}".encode())
    return folder


def english_config(recordings: Path) -> CentreConfig:
    """The demo centre saying calls in English only, twice, at 60 %, with ``recordings``."""
    settings = AnnouncementsConfig(
        languages=["en"], repeat=2, volume=60, voice_dir=str(recordings), chime=False
    )
    return demo_config().model_copy(update={"announcements": settings})


@contextmanager
def serving(folder: Path, config: CentreConfig, **options: Any) -> Iterator[LiveServer]:
    """A live server on a new SQLite store in ``folder``."""
    store = Store.open(f"sqlite:///{folder / 'taboor.db'}")
    try:
        with live_server(store, clock_at(), config, **options) as server:
            yield server
    finally:
        store.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo centre (Arabic and English, the chime, the shipped voice)."""
    # Some tests ask for every clip in a row: this file is not about the rate limits.
    with serving(tmp_path_factory.mktemp("demo"), demo_config(), public_burst=1e6) as server:
        yield server


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English centre's own recordings."""
    return recorded(tmp_path_factory.mktemp("recordings"))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory, recordings: Path) -> Iterator[LiveServer]:
    """A centre saying calls in English only, twice, at 60 %, with its own recordings."""
    with serving(tmp_path_factory.mktemp("english"), english_config(recordings)) as server:
        yield server


def raw_get(server: LiveServer, path: str) -> tuple[int, bytes]:
    """``GET path`` sent byte for byte as written (no client normalises its dots or
    slashes); the status and the body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_a_call_is_said_as_the_qt_hall_composes_it(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    answer = hall.get(ROUTE, params={"number": "A023", "counter": "5", "recall": "false"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    languages = live.config.announcements.languages
    assert body == {
        "number": "A023",
        "counter": "5",
        "recall": False,
        "full": heard(compose("A023", "5", languages)),
        "brief": heard(compose("A023", "5", languages, brief=True)),
        "volume": 1.0,
        "repeat": 1,
    }
    clips = [step for step in body["full"] if isinstance(step, str)]
    assert clips == [
        f"/display/voice/{name}.wav" for name in compose("A023", "5", languages).clips()
    ]
    assert clips[:3] == [
        "/display/voice/chime.wav",
        "/display/voice/ar/ticket.wav",
        "/display/voice/ar/letter-a.wav",
    ]
    assert clips[-1] == "/display/voice/en/5.wav"
    # The silences are the Qt hall's: after the chime, between languages, and a tail.
    assert body["full"][1] == {"silence": speech.AFTER_CHIME_MS}
    assert {"silence": speech.SENTENCE_GAP_MS} in body["full"]
    assert body["full"][-1] == {"silence": speech.TAIL_MS}


def test_the_brief_form_has_no_chime_and_no_ticket_word(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    body = hall.get(ROUTE, params={"number": "B107", "counter": "VIP"}).json()
    brief = [step for step in body["brief"] if isinstance(step, str)]
    full = [step for step in body["full"] if isinstance(step, str)]
    assert "/display/voice/chime.wav" not in brief
    assert not any(step.endswith("/ticket.wav") for step in brief)
    assert len(brief) < len(full)
    assert brief[0] == "/display/voice/ar/letter-b.wav"
    # A counter that is not a number is spelled out.
    assert brief[-3:] == [f"/display/voice/en/letter-{c}.wav" for c in "vip"]
    assert body["recall"] is False


def test_repeat_volume_languages_and_recall_follow_the_centres_settings(
    english: LiveServer, recordings: Path
) -> None:
    hall = english.client(english.enrol("hall"))
    body = hall.get(ROUTE, params={"number": "C5", "counter": "12", "recall": "true"}).json()
    assert (body["volume"], body["repeat"], body["recall"]) == (0.6, 2, True)
    script = compose("C5", "12", ["en"], chime=False, repeat=2)
    assert body["full"] == heard(script)
    assert not any(
        "/ar/" in step or "chime" in step for step in body["full"] if isinstance(step, str)
    )
    # Said twice in full, once in brief.
    assert sum(step == "/display/voice/en/ticket.wav" for step in body["full"]) == 2
    assert body["brief"] == heard(compose("C5", "12", ["en"], chime=False, brief=True))
    # The centre's own recordings are the clips served.
    for url in {step for step in body["full"] if isinstance(step, str)}:
        clip = english.client().get(url)
        assert clip.status_code == 200, url
        name = url.removeprefix("/display/voice/").removesuffix(".wav")
        assert clip.content == (recordings / f"{name}.wav").read_bytes()


def test_who_may_ask_how_a_call_is_said(live: LiveServer) -> None:
    params = {"number": "A001", "counter": "1"}
    for token in (live.enrol("hall"), live.enrol("counter", "1"), live.enrol("supervisor")):
        assert live.client(token).get(ROUTE, params=params).status_code == 200
    for role in ("kiosk", "integrator"):
        answer = live.client(live.enrol(role)).get(ROUTE, params=params)
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    assert live.client().get(ROUTE, params=params).status_code == 401
    assert live.client("not-a-token").get(ROUTE, params=params).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"counter": "1"},
        {"number": "A001"},
        {"number": "", "counter": "1"},
        {"number": "A/1", "counter": "1"},
        {"number": "../chime", "counter": "1"},
        {"number": "A001", "counter": "1 2"},
        {"number": "A" * 17, "counter": "1"},
        {"number": "A001", "counter": "1", "recall": "perhaps"},
        {"number": "A001", "counter": "1", "lang": "en"},
    ],
)
def test_a_malformed_call_is_refused(live: LiveServer, params: dict[str, str]) -> None:
    answer = live.client(live.enrol("hall")).get(ROUTE, params=params)
    assert (answer.status_code, answer.json()["code"]) == (422, "bad_input")


def test_with_announcements_off_there_is_nothing_to_say_or_serve(tmp_path: Path) -> None:
    silent = demo_config().model_copy(update={"announcements": AnnouncementsConfig(enabled=False)})
    with serving(tmp_path, silent) as server:
        answer = server.client(server.enrol("hall")).get(
            ROUTE, params={"number": "A001", "counter": "1"}
        )
        assert (answer.status_code, answer.json()["code"]) == (404, "announcements_off")
        assert server.client().get("/display/voice/chime.wav").status_code == 404


def test_every_clip_a_script_names_is_served_as_cacheable_wav(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    body = hall.get(ROUTE, params={"number": "A023", "counter": "5"}).json()
    anyone = live.client()
    for url in {step for step in body["full"] + body["brief"] if isinstance(step, str)}:
        answer = anyone.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["content-type"] == "audio/wav"
        assert answer.headers["cache-control"] == "public, max-age=86400"
        assert answer.headers["x-content-type-options"] == "nosniff"
        name = url.removeprefix("/display/voice/")
        assert answer.content == (VOICE_DIR / name).read_bytes()
        assert answer.content[:4] == b"RIFF"


def test_every_clip_the_voice_may_need_is_there_to_serve(live: LiveServer) -> None:
    settings = live.config.announcements
    files = voice_files(settings)
    assert set(files) == {f"{name}.wav" for name in required_clips(settings.languages)}
    assert all(path.is_file() and path.parent.is_relative_to(VOICE_DIR) for path in files.values())
    anyone = live.client()
    for name in ("chime.wav", "ar/and-90.wav", "ar/900.wav", "en/letter-z.wav", "en/hundred.wav"):
        assert anyone.get(f"/display/voice/{name}").status_code == 200, name


@pytest.mark.parametrize(
    "path",
    [
        "/display/voice/../../pyproject.toml",
        "/display/voice/%2e%2e/%2e%2e/pyproject.toml",
        "/display/voice/..%2f..%2fpyproject.toml",
        "/display/voice/en/../../../README.md",
        "/display/voice/en/..%2F..%2F..%2FREADME.md",
        "/display/voice//etc/passwd",
        "/display/voice/%2fetc%2fpasswd",
        "/display/voice/README.md",
        "/display/voice/chime",
        "/display/voice/CHIME.wav",
        "/display/voice/chime.WAV",
        "/display/voice/en/ticket.mp3",
        "/display/voice/en/24.wav",
        "/display/voice/en/letter-aa.wav",
        "/display/voice/fr/ticket.wav",
        "/display/voice/en/ticket.wav/",
        "/display/voice/./chime.wav",
        "/display/voice/en//ticket.wav",
        "/display/voice/",
        "/display/voice/" + "a" * 70 + ".wav",
    ],
)
def test_nothing_but_a_listed_clip_is_served(live: LiveServer, path: str) -> None:
    status, body = raw_get(live, path)
    assert status == 404, path
    assert b"[tool." not in body
    assert b"root:" not in body


def test_a_clip_of_a_language_not_spoken_is_not_served(english: LiveServer) -> None:
    anyone = english.client()
    assert anyone.get("/display/voice/en/ticket.wav").status_code == 200
    assert anyone.get("/display/voice/ar/ticket.wav").status_code == 404
    # Without the chime in the settings, not even the chime.
    assert anyone.get("/display/voice/chime.wav").status_code == 404


def test_a_listed_clip_missing_from_the_centres_folder_is_404(tmp_path: Path) -> None:
    recordings = recorded(tmp_path / "recordings")
    (recordings / "en" / "7.wav").unlink()
    with serving(tmp_path, english_config(recordings)) as server:
        anyone = server.client()
        assert anyone.get("/display/voice/en/7.wav").status_code == 404
        assert anyone.get("/display/voice/en/8.wav").status_code == 200


def test_the_page_script_is_served_and_keeps_the_halls_rules() -> None:
    found = web.asset("announce.js")
    assert found is not None
    script, media_type = found
    assert media_type == "text/javascript; charset=utf-8"
    text = script.decode()
    # The queue's rules are the Qt hall's (centre.rules.speech).
    assert re.search(rf"\bvar BRIEF_AFTER = {speech.BRIEF_AFTER};", text)
    assert re.search(rf"\bvar MAX_QUEUED = {speech.MAX_QUEUED};", text)
