"""The announcer: calls composed in Arabic and English, clips checked, a queue never cut off."""

from __future__ import annotations

import logging
import shutil
import wave
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from centre.config import DEFAULT_CONFIG, AnnouncementsConfig, load_config
from centre.errors import ConfigError
from display.announcer import (
    Announcement,
    Announcer,
    FileSpeaker,
    QtSpeaker,
    SilentSpeaker,
    Speaker,
    Voice,
    compose,
    counter_clips,
    hall_announcer,
    number_clips,
    speaker_from_env,
    ticket_clips,
)
from display.voices import VOICE_DIR, write_wav
from tests.helpers import demo_config
from tests.unit.display.helpers import assert_said, pcm_of, written

# What the multimedia backend says on a machine with no sound server (as in CI).
NO_SOUND_SERVER = [
    "Couldn't (load|resolve) .* (library|symbols)",
    "PulseAudioService",
    "No audio device",
    "FFmpeg",
]

CALL_A023_AT_5 = [
    "chime",
    "ar/ticket",
    "ar/letter-a",
    "ar/3",
    "ar/and-20",
    "ar/counter",
    "ar/5",
    "en/ticket",
    "en/letter-a",
    "en/20",
    "en/3",
    "en/counter",
    "en/5",
]


@pytest.fixture(scope="module")
def voice() -> Voice:
    """The shipped voice, both languages."""
    return Voice.load(VOICE_DIR, ["ar", "en"])


@pytest.fixture
def voice_copy(tmp_path: Path) -> Path:
    """A copy of the shipped clips to spoil."""
    folder = tmp_path / "voice"
    shutil.copytree(VOICE_DIR, folder)
    return folder


# -- composing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "arabic", "english"),
    [
        (0, ["0"], ["0"]),
        (7, ["7"], ["7"]),
        (10, ["10"], ["10"]),
        (13, ["13"], ["13"]),
        (20, ["20"], ["20"]),
        # Arabic says the units first: ثلاثة وعشرون.
        (23, ["3", "and-20"], ["20", "3"]),
        (99, ["9", "and-90"], ["90", "9"]),
        (100, ["100"], ["1", "hundred"]),
        (105, ["100", "and-5"], ["1", "hundred", "and", "5"]),
        (111, ["100", "and-11"], ["1", "hundred", "and", "11"]),
        # مئة وثلاثة وعشرون.
        (123, ["100", "and-3", "and-20"], ["1", "hundred", "and", "20", "3"]),
        (200, ["200"], ["2", "hundred"]),
        (340, ["300", "and-40"], ["3", "hundred", "and", "40"]),
        (999, ["900", "and-9", "and-90"], ["9", "hundred", "and", "90", "9"]),
    ],
)
def test_numbers_are_composed_in_each_language(
    number: int, arabic: list[str], english: list[str]
) -> None:
    assert number_clips(number, "ar") == arabic
    assert number_clips(number, "en") == english


def test_numbers_out_of_range_or_unknown_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="1000"):
        number_clips(1000, "en")
    with pytest.raises(ValueError, match="fr"):
        number_clips(3, "fr")


def test_a_call_says_the_ticket_then_the_counter_in_each_language() -> None:
    assert compose("A023", "5", ["ar", "en"]).clips() == CALL_A023_AT_5
    # English first when the centre says so, no chime, said twice.
    script = compose("B7", "12", ["en"], chime=False, repeat=2)
    once = ["en/ticket", "en/letter-b", "en/7", "en/counter", "en/12"]
    assert script.clips() == once + once


def test_numeric_counters_are_numbers_and_others_are_spelled() -> None:
    assert counter_clips("12", "en") == ["12"]
    assert counter_clips("12", "ar") == ["12"]
    assert counter_clips("B2", "en") == ["letter-b", "2"]
    assert counter_clips("vip-1", "ar") == ["letter-v", "letter-i", "letter-p", "1"]
    # Leading zeros change nothing; a ticket past 999 is said digit by digit.
    assert ticket_clips("A007", "en") == ["letter-a", "7"]
    assert ticket_clips("AB1234", "en") == ["letter-a", "letter-b", "1", "2", "3", "4"]


# -- clips -----------------------------------------------------------------------


def test_the_shipped_voice_renders_a_call_as_its_clips_in_order(voice: Voice) -> None:
    script = compose("A023", "5", ["ar", "en"])
    assert_said(voice.render(script), voice, CALL_A023_AT_5)


def test_a_missing_clip_is_named_at_load(voice_copy: Path) -> None:
    (voice_copy / "en" / "and-20.wav").unlink(missing_ok=True)  # not an English clip
    (voice_copy / "ar" / "and-20.wav").unlink()
    with pytest.raises(ConfigError) as raised:
        Voice.load(voice_copy, ["ar", "en"])
    message = str(raised.value)
    assert message == f"{voice_copy / 'ar' / 'and-20.wav'}: voice clip missing"
    assert "\n" not in message
    # An English-only centre does not need the Arabic clips.
    Voice.load(voice_copy, ["en"])


@pytest.mark.parametrize(
    ("channels", "width", "rate", "complaint"),
    [
        (2, 2, 22050, "2 channels, 16-bit, 22050 Hz"),
        (1, 2, 44100, "mono, 16-bit, 44100 Hz"),
        (1, 1, 22050, "mono, 8-bit, 22050 Hz"),
    ],
)
def test_a_clip_in_another_format_is_named_with_what_is_wrong(
    voice_copy: Path, channels: int, width: int, rate: int, complaint: str
) -> None:
    path = voice_copy / "en" / "counter.wav"
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(b"\x10\x20" * 2000)
    with pytest.raises(ConfigError) as raised:
        Voice.load(voice_copy, ["ar", "en"])
    assert str(raised.value) == (f"{path}: {complaint}; voice clips must be mono, 16-bit, 22050 Hz")


def test_broken_empty_and_absent_clips_are_each_named(voice_copy: Path) -> None:
    (voice_copy / "chime.wav").write_bytes(b"ID3 an mp3, not a wav")
    write_wav(voice_copy / "ar" / "7.wav", array("h"))
    with pytest.raises(ConfigError) as raised:
        Voice.load(voice_copy, ["ar", "en"])
    assert raised.value.problems == [
        f"{voice_copy / 'chime.wav'}: not a readable WAV file (file does not start with RIFF id)",
        f"{voice_copy / 'ar' / '7.wav'}: the clip is empty",
    ]
    # Without the chime, it is not read at all.
    with pytest.raises(ConfigError, match=r"7\.wav"):
        Voice.load(voice_copy, ["ar"], chime=False)
    with pytest.raises(ConfigError, match="no such folder of voice clips"):
        Voice.load(voice_copy / "nowhere", ["ar"])


def test_an_empty_folder_is_summed_up_not_listed_clip_by_clip(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        Voice.load(tmp_path, ["ar", "en"])
    problems = raised.value.problems
    assert len(problems) == 6
    assert problems[0] == f"{tmp_path / 'chime.wav'}: voice clip missing"
    assert problems[-1] == f"{tmp_path}: and 146 more clips like these"


# -- configuration ---------------------------------------------------------------


def test_the_demo_centre_announces_in_arabic_then_english() -> None:
    settings = demo_config().announcements
    assert settings == AnnouncementsConfig()
    assert (settings.enabled, settings.languages, settings.chime) == (True, ["ar", "en"], True)
    assert (settings.repeat, settings.volume, settings.voice_dir) == (1, 100, None)


def test_check_config_names_file_line_and_key_of_announcement_mistakes(tmp_path: Path) -> None:
    centre, announcements = DEFAULT_CONFIG.read_text(encoding="utf-8").split("[announcements]")
    announcements = (
        announcements.replace("repeat = 1\n", "repeat = 0\n")
        .replace('languages = ["ar", "en"]', 'languages = ["ar", "ar"]')
        .replace("\nchime = true\n", '\nchime = "loud"\n')
    )
    source = f"{centre}[announcements]{announcements}"
    path = tmp_path / "centre.toml"
    path.write_text(source, encoding="utf-8")
    lines = source.splitlines()

    def line(text: str) -> int:
        return lines.index(text) + 1

    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    languages, chime = 'languages = ["ar", "ar"]', 'chime = "loud"'
    assert sorted(raised.value.problems) == sorted(
        [
            f"{path}:{line(languages)}: announcements.languages: a language is listed twice",
            f"{path}:{line(chime)}: announcements.chime: "
            "Input should be a valid boolean, unable to interpret input",
            f"{path}:{line('repeat = 0')}: "
            "announcements.repeat: Input should be greater than or equal to 1",
        ]
    )


def test_announcements_can_be_turned_off_or_pointed_at_other_clips(tmp_path: Path) -> None:
    assert hall_announcer(AnnouncementsConfig(enabled=False)) is None
    settings = AnnouncementsConfig(voice_dir=str(tmp_path / "recordings"))
    with pytest.raises(ConfigError, match="recordings: no such folder of voice clips"):
        hall_announcer(settings, environ={"TABOOR_SPEAKER": "none"})


def test_the_speaker_is_chosen_by_the_environment(qtbot: QtBot, tmp_path: Path) -> None:
    assert isinstance(speaker_from_env({"TABOOR_SPEAKER": "none"}), SilentSpeaker)
    files = speaker_from_env({"TABOOR_SPEAKER": f"file:{tmp_path / 'calls'}"})
    assert isinstance(files, FileSpeaker)
    assert files.directory == tmp_path / "calls"
    assert (tmp_path / "calls").is_dir()
    files.close()
    with pytest.raises(ConfigError, match="TABOOR_SPEAKER=bluetooth: unknown speaker"):
        speaker_from_env({"TABOOR_SPEAKER": "bluetooth"})
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigError, match="cannot write into"):
        speaker_from_env({"TABOOR_SPEAKER": f"file:{tmp_path / 'a-file' / 'calls'}"})


# -- the queue -------------------------------------------------------------------


def record(announcer: Announcer) -> list[tuple[str, str]]:
    """What the announcer does, in order: ("started" | "finished", title)."""
    seen: list[tuple[str, str]] = []
    announcer.started.connect(lambda a: seen.append(("started", a.title)))
    announcer.finished.connect(lambda a: seen.append(("finished", a.title)))
    return seen


@pytest.fixture
def make_announcer(qtbot: QtBot) -> Iterator[Callable[..., Announcer]]:
    """Announcers in both languages, stopped after the test."""
    made: list[Announcer] = []

    def make(voice: Voice, speaker: Speaker, **options: Any) -> Announcer:
        announcer = Announcer(voice, speaker, languages=["ar", "en"], **options)
        made.append(announcer)
        return announcer

    yield make
    for announcer in made:
        announcer.stop()


def test_a_second_call_waits_until_the_first_is_said_to_the_end(
    qtbot: QtBot, voice: Voice, tmp_path: Path, make_announcer: Callable[..., Announcer]
) -> None:
    folder = tmp_path / "said"
    announcer = make_announcer(voice, FileSpeaker(folder, pace=0.05))
    seen = record(announcer)
    first = announcer.announce("A023", "5")
    second = announcer.announce("C117", "12")
    assert first is not None
    assert second is not None
    # The first plays; the second waits its turn.
    assert announcer.playing is first
    assert announcer.queued == [second]
    qtbot.waitUntil(lambda: len(written(folder)) == 1)
    assert announcer.playing is first
    qtbot.waitUntil(lambda: announcer.playing is None and not announcer.queued)
    assert seen == [
        ("started", "A023-counter-5"),
        ("finished", "A023-counter-5"),
        ("started", "C117-counter-12"),
        ("finished", "C117-counter-12"),
    ]
    files = written(folder)
    assert [f.name for f in files] == ["0001-A023-counter-5.wav", "0002-C117-counter-12.wav"]
    assert_said(pcm_of(files[0]), voice, CALL_A023_AT_5)
    assert_said(
        pcm_of(files[1]),
        voice,
        [
            *["chime", "ar/ticket", "ar/letter-c", "ar/100", "ar/and-17", "ar/counter", "ar/12"],
            *["en/ticket", "en/letter-c", "en/1", "en/hundred", "en/and", "en/17"],
            *["en/counter", "en/12"],
        ],
    )
    assert pcm_of(files[0]) == first.pcm


def test_calls_backing_up_are_said_briefly_so_the_hall_catches_up(
    qtbot: QtBot, voice: Voice, tmp_path: Path, make_announcer: Callable[..., Announcer]
) -> None:
    folder = tmp_path / "said"
    announcer = make_announcer(voice, FileSpeaker(folder, pace=0.02), brief_after=2)
    calls = [announcer.announce(f"A00{n}", str(n)) for n in range(1, 6)]
    # One plays, two wait in full; from two waiting on, the next are brief.
    assert [a.script.chime for a in calls if a is not None] == [True, True, True, False, False]
    full, brief = calls[0], calls[3]
    assert full is not None
    assert brief is not None
    assert len(brief.pcm) < 0.8 * len(full.pcm)
    qtbot.waitUntil(lambda: announcer.playing is None and not announcer.queued)
    files = written(folder)
    assert len(files) == 5
    assert_said(
        pcm_of(files[3]),
        voice,
        [
            *["ar/letter-a", "ar/4", "ar/counter", "ar/4"],
            *["en/letter-a", "en/4", "en/counter", "en/4"],
        ],
    )
    # Once the hall has caught up, calls are said in full again.
    again = announcer.announce("A006", "6")
    assert again is not None
    assert again.script.chime


def test_a_recall_is_said_again_but_once_while_it_waits(
    qtbot: QtBot, voice: Voice, tmp_path: Path, make_announcer: Callable[..., Announcer]
) -> None:
    folder = tmp_path / "said"
    announcer = make_announcer(voice, FileSpeaker(folder, pace=0.02))
    announcer.announce("A001", "1")
    assert announcer.announce("A002", "2") is not None
    # Pressed twice while it waits: said once.
    assert announcer.announce("A002", "2", recall=True) is None
    # The one playing now, recalled: said again after it.
    again = announcer.announce("A001", "1", recall=True)
    assert again is not None
    assert again.recall
    qtbot.waitUntil(lambda: announcer.playing is None and not announcer.queued)
    assert [f.name for f in written(folder)] == [
        "0001-A001-counter-1.wav",
        "0002-A002-counter-2.wav",
        "0003-A001-counter-1.wav",
    ]


def test_a_burst_of_calls_is_kept_bounded(
    voice: Voice,
    tmp_path: Path,
    make_announcer: Callable[..., Announcer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    announcer = make_announcer(voice, SilentSpeaker(pace=1.0), max_queued=5)
    with caplog.at_level(logging.WARNING, logger="display.announcer"):
        for n in range(1, 21):
            announcer.announce(f"A{n:03d}", str(n))
    # The first plays; of the 19 after it only the last five wait.
    assert announcer.playing is not None
    assert announcer.playing.number == "A001"
    assert [a.number for a in announcer.queued] == ["A016", "A017", "A018", "A019", "A020"]
    assert "too many calls to say: A002-counter-2 is not said" in caplog.text


def test_file_numbers_go_on_after_the_files_already_there(
    qtbot: QtBot, voice: Voice, tmp_path: Path, make_announcer: Callable[..., Announcer]
) -> None:
    folder = tmp_path / "said"
    folder.mkdir()
    (folder / "0041-B002-counter-3.wav").write_bytes(b"")
    announcer = make_announcer(voice, FileSpeaker(folder, pace=0))
    announcer.announce("B003", "3")
    qtbot.waitUntil(lambda: announcer.playing is None)
    assert (folder / "0042-B003-counter-3.wav").exists()


class StuckSpeaker:
    """A sound card that never says it has finished."""

    def __init__(self) -> None:
        self.played: list[Announcement] = []
        self.stopped = 0

    def play(self, announcement: Announcement, done: Callable[[], None]) -> None:
        self.played.append(announcement)

    def stop(self) -> None:
        self.stopped += 1

    def close(self) -> None:
        self.stop()


def test_a_speaker_gone_silent_does_not_stop_the_calls(
    qtbot: QtBot, voice: Voice, make_announcer: Callable[..., Announcer]
) -> None:
    speaker = StuckSpeaker()
    announcer = make_announcer(voice, speaker, patience=0, overrun_ms=10)
    first = announcer.announce("A001", "1")
    announcer.announce("A002", "2")
    assert first is not None
    assert first.duration_ms > 0
    qtbot.waitUntil(lambda: len(speaker.played) == 2)
    assert speaker.stopped >= 1


def test_a_stopped_announcer_says_nothing_more(qtbot: QtBot, voice: Voice, tmp_path: Path) -> None:
    folder = tmp_path / "said"
    announcer = Announcer(voice, FileSpeaker(folder, pace=0.01), languages=["en"])
    seen = record(announcer)
    announcer.announce("A001", "1")
    announcer.announce("A002", "2")
    announcer.stop()
    assert announcer.announce("A003", "3") is None
    qtbot.wait(50)
    assert seen == [("started", "A001-counter-1")]


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_with_no_audio_output_it_keeps_the_pace_and_says_so_once(
    qtbot: QtBot,
    voice: Voice,
    caplog: pytest.LogCaptureFixture,
    make_announcer: Callable[..., Announcer],
) -> None:
    from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - it loads the audio backend

    if not QMediaDevices.defaultAudioOutput().isNull():
        pytest.skip("this machine has an audio output")
    default = speaker_from_env({}, volume=0.5)
    assert isinstance(default, QtSpeaker)
    default.close()
    announcer = Announcer(voice, QtSpeaker(volume=0.5, pace=0.05), languages=["en"])
    seen = record(announcer)
    with caplog.at_level(logging.WARNING, logger="display.announcer"):
        announcer.announce("A001", "1")
        announcer.announce("A002", "2")
        qtbot.waitUntil(lambda: len(seen) == 4, timeout=10_000)
    announcer.stop()
    assert [what for what, _ in seen] == ["started", "finished", "started", "finished"]
    assert caplog.text.count("no audio output device") == 1
