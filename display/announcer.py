"""Spoken calls in the hall: a chime, then ticket and counter in each language, one call at a time.

An announcement is composed into clip names (:func:`centre.rules.speech.compose`,
as the browser's hall composes it too), made of the voice clips checked at
start (:class:`Voice`) into one PCM buffer, and played by a :class:`Speaker`
from the :class:`Announcer`'s queue: the next one starts only when the one
playing has been said to the end. Speakers: the sound card through
QtMultimedia (:class:`QtSpeaker`, paced silently when the machine has no
audio output), numbered WAV files in a folder
(:class:`FileSpeaker`, ``TABOOR_SPEAKER=file:DIR``) and silence
(:class:`SilentSpeaker`, ``TABOOR_SPEAKER=none``). A missing or malformed
clip is a :class:`centre.errors.ConfigError` naming the file, raised when
the voice is loaded, never in the middle of the day.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import wave
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QObject, Signal

from centre.config import AnnouncementsConfig
from centre.errors import ConfigError
from centre.rules.speech import (
    BRIEF_AFTER,
    MAX_QUEUED,
    Pause,
    Script,
    Sentence,
    clip_path,
    compose,
    counter_clips,
    number_clips,
    required_clips,
    spelled_clips,
    ticket_clips,
    voice_folder,
)
from display.following import single_shot
from display.voices import CHANNELS, RATE, SAMPLE_WIDTH
from ui.signals import disconnect, emit
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioSink

log = logging.getLogger(__name__)

#: The environment variable choosing where announcements go (see :func:`speaker_from_env`).
SPEAKER_ENV = "TABOOR_SPEAKER"
# A speaker that has not finished this long after an announcement's length is
# given up on (a sound card gone silent must not stop the hall's calls).
OVERRUN_MS = 5000
_BYTES_PER_SECOND = RATE * CHANNELS * SAMPLE_WIDTH
_MAX_PROBLEMS_SHOWN = 5


# -- the clips -------------------------------------------------------------------


class Voice:
    """The clips of some languages, checked and loaded, ready to be joined into announcements."""

    def __init__(self, directory: Path, clips: Mapping[str, bytes]) -> None:
        self.directory = directory
        self._clips = dict(clips)

    @classmethod
    def load(cls, directory: Path, languages: Sequence[str], *, chime: bool = True) -> Voice:
        """Read every clip ``languages`` need from ``directory``.

        Raises :class:`ConfigError` naming each missing or malformed file
        (the format is mono, 16-bit PCM, 22050 Hz; see ``assets/voice/README.md``).
        """
        if not directory.is_dir():
            raise ConfigError(f"{directory}: no such folder of voice clips")
        clips: dict[str, bytes] = {}
        problems: list[str] = []
        for name in required_clips(languages, chime=chime):
            path = clip_path(directory, name)
            try:
                clips[name] = read_clip(path)
            except ConfigError as error:
                problems.append(str(error))
        if problems:
            shown = problems[:_MAX_PROBLEMS_SHOWN]
            if len(problems) > len(shown):
                shown.append(f"{directory}: and {len(problems) - len(shown)} more clips like these")
            raise ConfigError(shown[0], shown)
        return cls(directory, clips)

    def render(self, script: Script) -> bytes:
        """The PCM of ``script`` (mono, 16-bit, 22050 Hz): its clips joined by short silences."""
        return b"".join(
            silence(step.ms) if isinstance(step, Pause) else self._clips[step]
            for step in script.timeline()
        )

    def pcm(self, name: str) -> bytes:
        """The samples of clip ``name`` (``chime``, ``en/23`` …)."""
        return self._clips[name]


def read_clip(path: Path) -> bytes:
    """The PCM frames of the clip at ``path``; :class:`ConfigError` naming it if unusable."""
    try:
        with wave.open(str(path), "rb") as reader:
            channels, width, rate = (
                reader.getnchannels(),
                reader.getsampwidth(),
                reader.getframerate(),
            )
            frames = reader.readframes(reader.getnframes())
    except FileNotFoundError:
        raise ConfigError(f"{path}: voice clip missing") from None
    except (wave.Error, EOFError, OSError) as error:
        raise ConfigError(f"{path}: not a readable WAV file ({error})") from None
    if (channels, width, rate) != (CHANNELS, SAMPLE_WIDTH, RATE):
        layout = "mono" if channels == 1 else f"{channels} channels"
        raise ConfigError(
            f"{path}: {layout}, {8 * width}-bit, {rate} Hz; "
            f"voice clips must be mono, 16-bit, {RATE} Hz"
        )
    if not frames:
        raise ConfigError(f"{path}: the clip is empty")
    return frames


def silence(milliseconds: int) -> bytes:
    """That long a silence, as PCM."""
    return bytes(SAMPLE_WIDTH * CHANNELS * (RATE * milliseconds // 1000))


def duration_ms(pcm: bytes) -> int:
    """How long ``pcm`` plays, in milliseconds."""
    return len(pcm) * 1000 // _BYTES_PER_SECOND


# -- speakers --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Announcement:
    """One call to be said: the ticket, the counter, what is said and its sound."""

    number: str
    counter: str
    recall: bool
    script: Script
    pcm: bytes

    @property
    def duration_ms(self) -> int:
        """How long it plays."""
        return duration_ms(self.pcm)

    @property
    def title(self) -> str:
        """A short name of it, for files and the log (``A023-counter-5``)."""
        return f"{self.number}-counter-{self.counter}"


class Speaker(Protocol):
    """Where announcements are played, one at a time, on the GUI thread."""

    def play(self, announcement: Announcement, done: Callable[[], None]) -> None:
        """Start playing; call ``done`` (later, never from within) once it has been said."""
        ...

    def stop(self) -> None:
        """Stop playing; ``done`` is not called for what was playing. It may play again."""
        ...

    def close(self) -> None:
        """Stop for good and release what it holds."""
        ...


class SilentSpeaker(QObject):
    """Plays nothing, but takes as long as the announcement would: the hall keeps its pace."""

    def __init__(self, *, pace: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pace = pace
        self._done: Callable[[], None] | None = None
        self._timer = single_shot(self, 0, self._finish)

    def play(self, announcement: Announcement, done: Callable[[], None]) -> None:
        """Wait the announcement's length, then call ``done``."""
        self._done = done
        self._timer.setInterval(int(announcement.duration_ms * self._pace))
        self._timer.start()

    def stop(self) -> None:
        """Forget what was playing."""
        self._timer.stop()
        self._done = None

    def close(self) -> None:
        """As :meth:`stop`."""
        self.stop()

    def _finish(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()


class FileSpeaker(QObject):
    """Writes each announcement as a numbered WAV file (``0001-A023-counter-5.wav``) in a folder.

    For a hall with no speakers attached, and for tests. It takes as long as
    the announcement would play (times ``pace``), so the calls keep their
    pace; the file is written off the GUI thread. Numbering goes on after the
    highest number already in the folder.
    """

    def __init__(
        self, directory: Path, *, pace: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"{SPEAKER_ENV}: cannot write into {directory}: {error}") from None
        self.directory = directory
        numbers = (re.match(r"\d+", path.name) for path in directory.glob("*.wav"))
        self._next = 1 + max((int(m.group()) for m in numbers if m), default=0)
        self._pace = pace
        self._writes = TaskRunner("file-speaker", parent=self)
        # Each play is a new turn: what a stopped one reports later counts for nothing.
        self._turn = 0
        self._waiting: set[str] = set()
        self._done: Callable[[], None] | None = None
        self._timer = single_shot(self, 0, lambda: self._settle(self._turn, "paced"))

    def play(self, announcement: Announcement, done: Callable[[], None]) -> None:
        """Write the file and wait the announcement's length; then call ``done``."""
        path = self.directory / f"{self._next:04d}-{announcement.title}.wav"
        self._next += 1
        self._turn += 1
        turn = self._turn
        self._done = done
        self._waiting = {"written", "paced"}
        pcm = announcement.pcm

        def failed(error: Exception) -> None:
            log.warning("file speaker cannot write %s: %s", path, error)
            self._settle(turn, "written")

        self._writes.submit(
            lambda: write_pcm(path, pcm), lambda _: self._settle(turn, "written"), failed
        )
        self._timer.setInterval(int(announcement.duration_ms * self._pace))
        self._timer.start()

    def stop(self) -> None:
        """Stop pacing; a file being written is still written."""
        self._timer.stop()
        self._turn += 1
        self._done = None

    def close(self) -> None:
        """Stop, and give a file being written a moment to be finished."""
        self.stop()
        self._writes.shutdown()

    def _settle(self, turn: int, what: str) -> None:
        if turn != self._turn:
            return
        self._waiting.discard(what)
        if not self._waiting and self._done is not None:
            done, self._done = self._done, None
            done()


def write_pcm(path: Path, pcm: bytes) -> None:
    """Write ``pcm`` (mono, 16-bit, 22050 Hz) as a WAV file."""
    partial = path.with_name(path.name + ".part")
    with wave.open(str(partial), "wb") as writer:
        writer.setnchannels(CHANNELS)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(RATE)
        writer.writeframes(pcm)
    # Whoever watches the folder sees whole files only.
    partial.replace(path)


class QtSpeaker(QObject):
    """Plays announcements on the default audio output through QtMultimedia.

    With no audio output (none attached, no sound server, no QtMultimedia)
    each announcement is paced silently by its length instead, and that is
    logged once; an output that appears later is used from the next call on.
    QtMultimedia is loaded at the first announcement, not before: it looks
    for its sound backends as it loads, and says so in Qt's log.
    """

    def __init__(
        self, *, volume: float = 1.0, pace: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._volume = volume
        # Without a sound card, announcements take as long (times ``pace``) all the same.
        self._silent = SilentSpeaker(pace=pace, parent=self)
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None
        self._done: Callable[[], None] | None = None
        self._silent_reason: str | None = None

    def play(self, announcement: Announcement, done: Callable[[], None]) -> None:
        """Play it on the sound card, or pace it silently when there is none."""
        try:
            # Only now: see the class docstring.
            from PySide6.QtMultimedia import (  # noqa: PLC0415
                QAudioFormat,
                QAudioSink,
                QMediaDevices,
                QtAudio,
            )
        except ImportError as error:  # PySide6-Addons missing, or the libpulse it links to
            self._play_silently(announcement, done, f"QtMultimedia cannot load ({error})")
            return
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._play_silently(announcement, done, "no audio output device")
            return
        audio_format = QAudioFormat()
        audio_format.setSampleRate(RATE)
        audio_format.setChannelCount(CHANNELS)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(audio_format):
            reason = f"{device.description()} cannot play {RATE} Hz 16-bit mono"
            self._play_silently(announcement, done, reason)
            return
        sink = QAudioSink(device, audio_format, self)
        sink.setVolume(self._volume)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(announcement.pcm))
        buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        self._sink, self._buffer = sink, buffer
        sink.start(buffer)
        if sink.error() != QtAudio.Error.NoError:
            reason = f"{device.description()} refused to play ({sink.error().name})"
            self._release()
            self._play_silently(announcement, done, reason)
            return
        # Connected only now: whatever start() reported on its way is not the end. No
        # argument taken: PySide6 6.11 cannot hand the QAudio::State of this signal over.
        self._done = done
        sink.stateChanged.connect(self._state_changed)
        if self._silent_reason is not None:
            log.info("announcements are heard again, on %s", device.description())
            self._silent_reason = None

    def stop(self) -> None:
        """Stop the sound now."""
        self._done = None
        self._silent.stop()
        self._release()

    def close(self) -> None:
        """As :meth:`stop`."""
        self.stop()

    def _play_silently(
        self, announcement: Announcement, done: Callable[[], None], reason: str
    ) -> None:
        if self._silent_reason != reason:
            log.warning("%s: announcements are paced by their length, unheard", reason)
            self._silent_reason = reason
        self._silent.play(announcement, done)

    def _state_changed(self) -> None:
        from PySide6.QtMultimedia import QtAudio  # noqa: PLC0415 - loaded by play() already

        sink = self._sink
        # Idle: every sample was handed to the device (the tail is silence); Stopped: an error.
        if sink is not None and sink.state() in (
            QtAudio.State.IdleState,
            QtAudio.State.StoppedState,
        ):
            done, self._done = self._done, None
            self._release()
            if done is not None:
                done()

    def _release(self) -> None:
        sink, buffer = self._sink, self._buffer
        self._sink = self._buffer = None
        if sink is not None:
            # Not connected when it failed to start.
            with contextlib.suppress(RuntimeError, TypeError):
                disconnect(sink.stateChanged, self._state_changed)
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()


def speaker_from_env(
    environ: Mapping[str, str] | None = None,
    *,
    volume: float = 1.0,
    parent: QObject | None = None,
) -> Speaker:
    """The speaker ``TABOOR_SPEAKER`` names: unset for the sound card, ``file:DIR``, or ``none``.

    Raises :class:`ConfigError` for anything else, or a folder it cannot write into.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(SPEAKER_ENV, "").strip()
    if chosen in ("", "default"):
        return QtSpeaker(volume=volume, parent=parent)
    if chosen == "none":
        return SilentSpeaker(parent=parent)
    scheme, _, folder = chosen.partition(":")
    if scheme == "file" and folder:
        return FileSpeaker(Path(folder).expanduser(), parent=parent)
    raise ConfigError(f"{SPEAKER_ENV}={chosen}: unknown speaker (use file:DIR or none)")


# -- the queue -------------------------------------------------------------------


class Announcer(QObject):
    """Says calls aloud one after another: the next starts only once the one before has ended."""

    # Announcement: it starts to play
    started = Signal(object)
    # Announcement: it has been said to the end (or given up on, its speaker gone silent)
    finished = Signal(object)

    def __init__(
        self,
        voice: Voice,
        speaker: Speaker,
        *,
        languages: Sequence[str],
        chime: bool = True,
        repeat: int = 1,
        max_queued: int = MAX_QUEUED,
        brief_after: int = BRIEF_AFTER,
        overrun_ms: int = OVERRUN_MS,
        patience: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._voice = voice
        self._speaker = speaker
        self._languages = tuple(languages)
        self._chime = chime
        self._repeat = repeat
        self._max_queued = max_queued
        self._brief_after = brief_after
        self._queue: deque[Announcement] = deque()
        self._playing: Announcement | None = None
        self._running = True
        # A speaker has patience x the announcement's length + overrun_ms to finish it.
        self._overrun_ms = overrun_ms
        self._patience = patience
        self._overrun = single_shot(self, 0, self._give_up)

    @property
    def playing(self) -> Announcement | None:
        """The announcement being said now."""
        return self._playing

    @property
    def queued(self) -> list[Announcement]:
        """The announcements waiting their turn, first first."""
        return list(self._queue)

    def compose(
        self, number: str, counter: str, *, recall: bool = False, brief: bool = False
    ) -> Announcement:
        """The announcement of ticket ``number`` called to ``counter``, not queued."""
        script = compose(
            number,
            counter,
            self._languages,
            chime=self._chime,
            repeat=self._repeat,
            brief=brief,
        )
        return Announcement(number, counter, recall, script, self._voice.render(script))

    def announce(self, number: str, counter: str, *, recall: bool = False) -> Announcement | None:
        """Queue the call of ``number`` to ``counter``; it plays after those before it.

        Returns the announcement, or ``None`` when the same call already waits
        its turn (a recall pressed twice is said once) or the announcer is stopped.
        """
        if not self._running:
            return None
        if any(a.number == number and a.counter == counter for a in self._queue):
            log.info("%s at counter %s is waiting to be said already", number, counter)
            return None
        # Calls backing up are said briefly, so the hall catches up.
        brief = len(self._queue) >= self._brief_after
        announcement = self.compose(number, counter, recall=recall, brief=brief)
        if len(self._queue) >= self._max_queued:
            dropped = self._queue.popleft()
            log.warning("too many calls to say: %s is not said", dropped.title)
        self._queue.append(announcement)
        if self._playing is None:
            self._play_next()
        return announcement

    def stop(self) -> None:
        """Stop saying anything: the queue is dropped and the speaker silenced."""
        self._running = False
        self._queue.clear()
        self._playing = None
        self._overrun.stop()
        self._speaker.close()

    def _play_next(self) -> None:
        if not self._queue or not self._running:
            return
        announcement = self._queue.popleft()
        self._playing = announcement
        emit(self.started, announcement)
        self._overrun.setInterval(int(announcement.duration_ms * self._patience) + self._overrun_ms)
        self._overrun.start()
        self._speaker.play(announcement, lambda: self._ended(announcement))

    def _ended(self, announcement: Announcement) -> None:
        if announcement is not self._playing:
            return
        self._overrun.stop()
        self._playing = None
        emit(self.finished, announcement)
        self._play_next()

    def _give_up(self) -> None:
        playing = self._playing
        if playing is not None:
            log.warning("the speaker did not finish %s: going on without it", playing.title)
            self._speaker.stop()
            self._ended(playing)


def hall_announcer(
    settings: AnnouncementsConfig,
    environ: Mapping[str, str] | None = None,
    parent: QObject | None = None,
) -> Announcer | None:
    """The hall's announcer as configured (``None`` when announcements are off).

    Loads and checks every clip now: a missing or malformed one raises
    :class:`ConfigError` naming its file before the hall opens.
    """
    if not settings.enabled:
        return None
    voice = Voice.load(voice_folder(settings), settings.languages, chime=settings.chime)
    speaker = speaker_from_env(environ, volume=settings.volume / 100)
    announcer = Announcer(
        voice,
        speaker,
        languages=settings.languages,
        chime=settings.chime,
        repeat=settings.repeat,
        parent=parent,
    )
    if isinstance(speaker, QObject):
        speaker.setParent(announcer)
    return announcer


__all__ = [
    "BRIEF_AFTER",
    "MAX_QUEUED",
    "OVERRUN_MS",
    "SPEAKER_ENV",
    "Announcement",
    "Announcer",
    "FileSpeaker",
    "QtSpeaker",
    "Script",
    "Sentence",
    "SilentSpeaker",
    "Speaker",
    "Voice",
    "compose",
    "counter_clips",
    "duration_ms",
    "hall_announcer",
    "number_clips",
    "read_clip",
    "required_clips",
    "silence",
    "speaker_from_env",
    "spelled_clips",
    "ticket_clips",
    "voice_folder",
    "write_pcm",
]
