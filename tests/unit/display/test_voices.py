"""The voice clips: generated with the real espeak-ng, the chime, the catalogue and its README."""

from __future__ import annotations

import os
import shutil
import wave
from array import array
from pathlib import Path

import pytest

from display.announcer import compose, number_clips
from display.voices import (
    CHIME,
    LANGUAGES,
    LETTERS,
    RATE,
    VOICE_DIR,
    VoiceError,
    chime_samples,
    clip_names,
    generate,
    main,
    normalise,
    read_wav,
)

SOME_CLIPS = ["chime", "ar/ticket", "ar/3", "ar/and-20", "ar/letter-a", "en/counter", "en/20"]


@pytest.fixture
def espeak() -> str:
    """The real espeak-ng (scripts/test installs it; CI must have it)."""
    found = shutil.which("espeak-ng")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("espeak-ng is not installed (CI must run the voice generator)")
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    return found


def wav_format(path: Path) -> tuple[int, int, int, int]:
    with wave.open(str(path), "rb") as reader:
        return (
            reader.getnchannels(),
            reader.getsampwidth(),
            reader.getframerate(),
            reader.getnframes(),
        )


def test_the_generator_writes_valid_clips_with_the_real_espeak(espeak: str, tmp_path: Path) -> None:
    written = generate(tmp_path, only=SOME_CLIPS, espeak=espeak)
    assert sorted(written) == sorted(tmp_path / f"{name}.wav" for name in SOME_CLIPS)
    for path in written:
        channels, width, rate, frames = wav_format(path)
        assert (channels, width, rate) == (1, 2, RATE), path
        # Something is said, in well under five seconds, and the ends are trimmed quiet.
        assert RATE // 20 < frames < 5 * RATE, path
        samples, _, _ = read_wav(path)
        assert max(abs(s) for s in samples) > 10_000, path
        assert abs(samples[0]) < 2000, path
        assert abs(samples[-1]) < 2000, path
    # The number clips are whole words of their own.
    assert (
        wav_format(tmp_path / "ar" / "and-20.wav")[3] > wav_format(tmp_path / "ar" / "3.wav")[3] / 2
    )


def test_the_command_line_writes_a_subset_and_refuses_unknown_clips(
    espeak: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--out", str(tmp_path), "--only", "en/ticket", "chime"]) == 0
    assert "wrote 2 clips" in capsys.readouterr().out
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.wav")) == [
        "chime.wav",
        "en/ticket.wav",
    ]
    assert main(["--out", str(tmp_path), "--only", "en/thousand"]) == 2
    assert "no such clip: en/thousand" in capsys.readouterr().err


def test_a_missing_espeak_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="install it"):
        generate(tmp_path, only=["en/ticket"], espeak="no-such-espeak-ng")
    # The chime needs no espeak.
    assert generate(tmp_path, only=[CHIME], espeak="no-such-espeak-ng") == [tmp_path / "chime.wav"]


def test_the_chime_rings_softly_away() -> None:
    samples = chime_samples()
    seconds = len(samples) / RATE
    assert 1.0 < seconds < 2.5
    peak = max(abs(s) for s in samples)
    assert 0.4 * 32767 < peak < 0.7 * 32767
    # Struck quickly, then fading: the last tenth is far quieter than the first.
    tenth = len(samples) // 10
    assert max(abs(s) for s in samples[-tenth:]) < peak / 10
    assert samples[-1] == 0


def test_normalising_makes_mono_22050_hz_trimmed_and_levelled() -> None:
    quiet = array("h", [0] * 1000 + [1000, -1000] * 2000 + [0] * 1000)
    stereo = array("h", (s for s in quiet for _ in range(2)))
    clip = normalise(stereo, 44100, 2)
    # Half the frames (44100 -> 22050): 2000 of sound, the silence around it cut to 12 ms a side.
    assert len(clip) == 2000 + 2 * 264
    assert max(abs(s) for s in clip) == round(0.8 * 32767)


def test_every_number_and_letter_is_made_of_clips_that_exist() -> None:
    for language in LANGUAGES:
        names = set(clip_names(language))
        for number in range(1000):
            assert set(number_clips(number, language)) <= names, (language, number)
        for letter in LETTERS:
            script = compose(f"{letter}{letter}999", f"{letter}7", [language])
            assert {c.split("/", 1)[1] for c in script.clips() if c != CHIME} <= names


def test_the_readme_lists_every_clip_and_the_shipped_set_is_whole() -> None:
    readme = (VOICE_DIR / "README.md").read_text(encoding="utf-8")
    assert "`chime.wav`" in readme
    for language in LANGUAGES:
        for name in clip_names(language):
            assert f"`{name}.wav`" in readme, f"{language}/{name} is not in the README"
            channels, width, rate, frames = wav_format(VOICE_DIR / language / f"{name}.wav")
            assert (channels, width, rate) == (1, 2, RATE)
            assert frames > 0
    # Small enough to keep in the repository.
    size = sum(p.stat().st_size for p in VOICE_DIR.rglob("*.wav"))
    assert size < 6_000_000
