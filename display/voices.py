"""The hall's voice clips: their format, their sound, and their generation with espeak-ng.

Which clips exist and what each says is :mod:`centre.rules.speech` (the
browser's hall needs it too); the names are repeated here for the clips'
makers. ``python -m display.voices`` writes the whole set into ``assets/voice/``:
``chime.wav`` (synthesised here), then per language (``ar/``, ``en/``) the
phrases, the letters of ticket prefixes and the numbers that compose any
number from 0 to 999. Every clip is mono, 16-bit PCM at 22050 Hz with the
silence at its ends trimmed, the format :mod:`display.announcer` requires of
a centre's own recordings too. No Qt here: it runs on a build machine.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

from centre.rules.speech import (
    CHIME,
    LANGUAGES,
    LETTERS,
    VOICE_DIR,
    clip_names,
    clip_path,
    clip_texts,
    letter_clip,
)

#: The format of every clip: mono, 16-bit signed PCM, this many frames a second.
RATE = 22050
CHANNELS = 1
SAMPLE_WIDTH = 2
#: The espeak-ng voice and speed (words a minute) of each language.
ESPEAK_VOICES = {"ar": ("ar", 165), "en": ("en", 160)}

_FULL_SCALE = 32767
# Speech peaks at this share of full scale, so every clip is about as loud as the next.
_SPEECH_PEAK = 0.8
_CHIME_PEAK = 0.55
# Trimming: a sample this loud (share of full scale) is sound; keep a little before and after.
_SILENCE = 0.015
_MARGIN_S = 0.012
_FADE_S = 0.004


class VoiceError(Exception):
    """The clips cannot be generated: espeak-ng is missing or failed."""


# -- sound -----------------------------------------------------------------------


def chime_samples(rate: int = RATE) -> array[int]:
    """A soft three-tone chime: C5, E5 and G5 struck in turn, each ringing away like a bell."""
    notes = (523.25, 659.25, 783.99)
    spacing_s, ring_s, fade_s = 0.26, 1.1, 0.25
    total = int(rate * (spacing_s * (len(notes) - 1) + ring_s))
    mixed = [0.0] * total
    attack = int(rate * 0.006)
    # A bell: the fundamental and two fading partials; the higher ones die sooner.
    partials = ((1.0, 1.0, 0.42), (2.0, 0.28, 0.22), (3.0, 0.08, 0.12))
    for index, frequency in enumerate(notes):
        start = int(rate * spacing_s * index)
        for n in range(total - start):
            t = n / rate
            value = 0.0
            for ratio, level, decay in partials:
                value += (
                    level * math.exp(-t / decay) * math.sin(2 * math.pi * frequency * ratio * t)
                )
            mixed[start + n] += min(1.0, n / attack) * value
    # The last quarter second fades out, so the ring ends softly rather than stops.
    fade = int(rate * fade_s)
    for n in range(fade):
        mixed[total - fade + n] *= 1 - n / fade
    peak = max(abs(v) for v in mixed) or 1.0
    scale = _CHIME_PEAK * _FULL_SCALE / peak
    return array("h", (round(v * scale) for v in mixed))


def normalise(samples: array[int], rate: int, channels: int) -> array[int]:
    """Speech from espeak-ng as a clip: mono, :data:`RATE`, ends trimmed, peak levelled."""
    if channels > 1:
        samples = array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    if rate != RATE:
        samples = _resample(samples, rate, RATE)
    samples = _trim(samples, RATE)
    peak = max((abs(s) for s in samples), default=0)
    if peak:
        scale = _SPEECH_PEAK * _FULL_SCALE / peak
        samples = array(
            "h", (max(-_FULL_SCALE, min(_FULL_SCALE, round(s * scale))) for s in samples)
        )
    return samples


def _trim(samples: array[int], rate: int) -> array[int]:
    threshold = _SILENCE * _FULL_SCALE
    loud = [i for i, s in enumerate(samples) if abs(s) >= threshold]
    if not loud:
        return array("h")
    margin = int(rate * _MARGIN_S)
    kept = samples[max(0, loud[0] - margin) : loud[-1] + margin + 1]
    # A few milliseconds' fade at each end, so a clip never starts or stops with a click.
    fade = min(int(rate * _FADE_S), len(kept) // 2)
    for i in range(fade):
        factor = i / fade
        kept[i] = round(kept[i] * factor)
        kept[-1 - i] = round(kept[-1 - i] * factor)
    return kept


def _resample(samples: array[int], rate: int, target: int) -> array[int]:
    # Linear interpolation: espeak-ng speaks at 22050 Hz already; this is for other builds.
    if not samples:
        return array("h")
    count = max(1, round(len(samples) * target / rate))
    out = array("h")
    last = len(samples) - 1
    for i in range(count):
        position = i * rate / target
        low = min(int(position), last)
        high = min(low + 1, last)
        fraction = position - low
        out.append(round(samples[low] * (1 - fraction) + samples[high] * fraction))
    return out


def read_wav(path: Path) -> tuple[array[int], int, int]:
    """The 16-bit samples, frame rate and channel count of a WAV file."""
    with wave.open(str(path), "rb") as reader:
        if reader.getsampwidth() != SAMPLE_WIDTH:
            raise VoiceError(f"{path}: {8 * reader.getsampwidth()}-bit samples, not 16-bit")
        frames = reader.readframes(reader.getnframes())
        rate, channels = reader.getframerate(), reader.getnchannels()
    samples = array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples, rate, channels


def write_wav(path: Path, samples: array[int], rate: int = RATE) -> None:
    """Write ``samples`` as a mono 16-bit WAV file."""
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(CHANNELS)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(rate)
        writer.writeframes(data.tobytes())


# -- generation ------------------------------------------------------------------


def find_espeak(program: str = "espeak-ng") -> str:
    """The full path of espeak-ng; :class:`VoiceError` when it is not installed."""
    found = shutil.which(program)
    if found is None:
        raise VoiceError(f"{program} not found: install it (apt-get install espeak-ng)")
    return found


def speak(espeak: str, language: str, text: str, scratch: Path) -> array[int]:
    """``text`` said by espeak-ng's voice for ``language``, as a normalised clip."""
    voice, speed = ESPEAK_VOICES[language]
    out = scratch / "speech.wav"
    command = [espeak, "-v", voice, "-s", str(speed), "-w", str(out), text]
    done = subprocess.run(  # noqa: S603 - a fixed program, our own texts, no shell
        command, capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0 or not out.exists():
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise VoiceError(
            f"espeak-ng failed on {language} {text!r}: {reason[0] if reason else done.returncode}"
        )
    samples, rate, channels = read_wav(out)
    clip = normalise(samples, rate, channels)
    if not clip:
        raise VoiceError(f"espeak-ng said nothing for {language} {text!r}")
    return clip


def generate(
    out: Path = VOICE_DIR,
    languages: Sequence[str] = LANGUAGES,
    only: Iterable[str] | None = None,
    espeak: str = "espeak-ng",
) -> list[Path]:
    """Write the clips into ``out`` and return their paths.

    ``only`` limits it to some clips, named ``chime`` or ``<lang>/<clip>``
    (``en/23``); the chime needs no espeak-ng.
    """
    wanted = set(only) if only is not None else None
    unknown = (
        (wanted or set())
        - {CHIME}
        - {f"{lang}/{name}" for lang in languages for name in clip_names(lang)}
    )
    if unknown:
        raise VoiceError(f"no such clip: {', '.join(sorted(unknown))}")
    written: list[Path] = []
    if wanted is None or CHIME in wanted:
        path = clip_path(out, CHIME)
        write_wav(path, chime_samples())
        written.append(path)
    speech = [
        (lang, name, text)
        for lang in languages
        for name, text in clip_texts(lang).items()
        if wanted is None or f"{lang}/{name}" in wanted
    ]
    if speech:
        program = find_espeak(espeak)
        with tempfile.TemporaryDirectory(prefix="taboor-voice-") as scratch:
            for lang, name, text in speech:
                path = clip_path(out, f"{lang}/{name}")
                write_wav(path, speak(program, lang, text, Path(scratch)))
                written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m display.voices``: write the clip set; exit 2 when it cannot."""
    parser = argparse.ArgumentParser(
        prog="python -m display.voices",
        description="Write the hall's voice clips (chime, phrases, letters, numbers).",
    )
    parser.add_argument(
        "--out", type=Path, default=VOICE_DIR, help="folder (default: assets/voice)"
    )
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument(
        "--only", nargs="+", metavar="CLIP", help="just these clips: chime, ar/ticket, en/23 …"
    )
    parser.add_argument("--espeak", default="espeak-ng", help="the espeak-ng program")
    args = parser.parse_args(argv)
    try:
        written = generate(args.out, args.lang, args.only, args.espeak)
    except (VoiceError, OSError, wave.Error, subprocess.TimeoutExpired) as error:
        sys.stderr.write(f"voices: {error}\n")
        return 2
    size = sum(path.stat().st_size for path in written)
    sys.stdout.write(f"wrote {len(written)} clips ({size / 1e6:.1f} MB) into {args.out}\n")
    return 0


__all__ = [
    "CHANNELS",
    "CHIME",
    "LANGUAGES",
    "LETTERS",
    "RATE",
    "SAMPLE_WIDTH",
    "VOICE_DIR",
    "VoiceError",
    "chime_samples",
    "clip_names",
    "clip_path",
    "clip_texts",
    "generate",
    "letter_clip",
    "main",
    "normalise",
    "read_wav",
    "write_wav",
]


if __name__ == "__main__":
    sys.exit(main())
