"""What a call says: its timeline of clips and silences, and clips only from the voice's list."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from centre.config import AnnouncementsConfig
from centre.rules.speech import (
    AFTER_CHIME_MS,
    PART_GAP_MS,
    SENTENCE_GAP_MS,
    TAIL_MS,
    VOICE_DIR,
    WORD_GAP_MS,
    Pause,
    compose,
    required_clips,
    voice_folder,
)


def test_the_timeline_puts_the_halls_silences_between_the_clips() -> None:
    script = compose("A023", "5", ["ar", "en"])
    chime, part, word = Pause(AFTER_CHIME_MS), Pause(PART_GAP_MS), Pause(WORD_GAP_MS)
    assert script.timeline() == [
        "chime",
        chime,
        "ar/ticket",
        part,
        "ar/letter-a",
        word,
        "ar/3",
        word,
        "ar/and-20",
        part,
        "ar/counter",
        part,
        "ar/5",
        Pause(SENTENCE_GAP_MS),
        "en/ticket",
        part,
        "en/letter-a",
        word,
        "en/20",
        word,
        "en/3",
        part,
        "en/counter",
        part,
        "en/5",
        Pause(TAIL_MS),
    ]
    assert [step for step in script.timeline() if isinstance(step, str)] == script.clips()


def test_the_brief_form_starts_on_the_number_and_still_ends_with_a_silence() -> None:
    part = Pause(PART_GAP_MS)
    steps = compose("B7", "12", ["en"], brief=True).timeline()
    number = ["en/letter-b", Pause(WORD_GAP_MS), "en/7"]
    assert steps == [*number, part, "en/counter", part, "en/12", Pause(TAIL_MS)]


@given(
    number=st.from_regex(r"[A-Za-z0-9]{1,16}", fullmatch=True),
    counter=st.from_regex(r"[A-Za-z0-9-]{1,16}", fullmatch=True),
    languages=st.sampled_from([["ar", "en"], ["en", "ar"], ["ar"], ["en"]]),
    brief=st.booleans(),
)
def test_every_call_is_made_of_clips_the_voice_has(
    number: str, counter: str, languages: list[str], brief: bool
) -> None:
    # The server serves only required_clips: a call must never name another.
    script = compose(number, counter, languages, brief=brief)
    assert set(script.clips()) <= set(required_clips(languages))


def test_the_voice_folder_is_the_centres_or_the_shipped_one() -> None:
    assert voice_folder(AnnouncementsConfig()) == VOICE_DIR
    assert voice_folder(AnnouncementsConfig(voice_dir="/srv/voice")).as_posix() == "/srv/voice"
