"""What a call says aloud: the voice clips that exist, and a call composed into them.

Pure, so that every hall says a call the same way: the Qt hall
(:mod:`display.announcer`) joins the clips into one sound, the browser's hall
(``server/web/static/announce.js``) plays them one by one as the server lists
them (``GET /api/v1/hall/announcement``). A call is a :class:`Script` (maybe
the chime, then a :class:`Sentence` per language, ``repeat`` times); its
:meth:`Script.timeline` is the clips with the silences between them. The
clips are named ``chime`` or ``<lang>/<clip>`` (``ar/and-20``, ``en/letter-a``),
each a WAV file of that name in the voice folder (:func:`voice_folder`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from centre.config import AnnouncementsConfig

#: Where the shipped clips live (``assets/voice``).
VOICE_DIR = Path(__file__).resolve().parents[2] / "assets" / "voice"
#: The languages clips exist for.
LANGUAGES = ("ar", "en")
#: The clip of the chime, shared by every language.
CHIME = "chime"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Announcements waiting at most; past it the oldest waiting one is dropped.
MAX_QUEUED = 20
#: From this many calls waiting their turn, a new call is said briefly (see :func:`compose`).
BRIEF_AFTER = 2
# Silences, in milliseconds: after the chime, between the words of a number,
# between the parts of a sentence, between languages, and after the last word
# (so two announcements never run into each other).
AFTER_CHIME_MS = 350
WORD_GAP_MS = 50
PART_GAP_MS = 220
SENTENCE_GAP_MS = 700
TAIL_MS = 500
_LARGEST_NUMBER = 999
_TICKET = re.compile(r"([A-Za-z]*)([0-9]+)")


# -- composing -------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """A silence between clips, in milliseconds."""

    ms: int


@dataclass(frozen=True)
class Sentence:
    """One language's sentence: its parts, each a run of clip names said close together."""

    language: str
    parts: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Script:
    """What an announcement says: maybe the chime, then its sentences in order."""

    chime: bool
    sentences: tuple[Sentence, ...]

    def clips(self) -> list[str]:
        """Every clip in the order said: ``chime``, then ``<lang>/<clip>`` names."""
        names = [CHIME] if self.chime else []
        for sentence in self.sentences:
            names.extend(f"{sentence.language}/{clip}" for part in sentence.parts for clip in part)
        return names

    def timeline(self) -> list[str | Pause]:
        """What is heard, in order: each clip by name, and the silences between them.

        After the chime, between languages, between the parts of a sentence and
        the words of a part, and a last one so that the next call never runs into it.
        """
        steps: list[str | Pause] = [CHIME, Pause(AFTER_CHIME_MS)] if self.chime else []
        for index, sentence in enumerate(self.sentences):
            if index:
                steps.append(Pause(SENTENCE_GAP_MS))
            for part_index, part in enumerate(sentence.parts):
                if part_index:
                    steps.append(Pause(PART_GAP_MS))
                for clip_index, clip in enumerate(part):
                    if clip_index:
                        steps.append(Pause(WORD_GAP_MS))
                    steps.append(f"{sentence.language}/{clip}")
        steps.append(Pause(TAIL_MS))
        return steps


def number_clips(number: int, language: str) -> list[str]:
    """The clips saying ``number`` (0 to 999) in ``language``.

    English says the tens before the units ("twenty", "three"); Arabic the
    units first, joined by "and" ("ثلاثة", "وعشرون"), after the hundreds.
    """
    if not 0 <= number <= _LARGEST_NUMBER:
        raise ValueError(f"{number} is not between 0 and {_LARGEST_NUMBER}")
    hundreds, rest = divmod(number, 100)
    below = [rest] if rest < 20 else [rest - rest % 10, rest % 10]
    if language == "ar":
        words = [str(hundreds * 100)] if hundreds else []
        if rest or not hundreds:
            # Units before tens, and every number after the first joined by "and" (و).
            for part in reversed([n for n in below if n] or below):
                words.append(f"and-{part}" if words else str(part))
        return words
    if language == "en":
        words = [str(hundreds), "hundred"] if hundreds else []
        if rest or not hundreds:
            if hundreds:
                words.append("and")
            words += [str(n) for n in below if n] or [str(rest)]
        return words
    raise ValueError(f"no voice for language {language!r}")


def spelled_clips(text: str, language: str) -> list[str]:
    """The clips saying ``text`` character by character: letters by name, digits as numbers."""
    clips: list[str] = []
    for char in text.upper():
        if "A" <= char <= "Z":
            clips.append(letter_clip(char))
        elif "0" <= char <= "9":
            clips.extend(number_clips(int(char), language))
    return clips


def ticket_clips(number: str, language: str) -> list[str]:
    """The clips saying a ticket number: ``A023`` is "A", then 23."""
    match = _TICKET.fullmatch(number)
    if match is None or int(match.group(2)) > _LARGEST_NUMBER:
        return spelled_clips(number, language)
    prefix, digits = match.groups()
    return spelled_clips(prefix, language) + number_clips(int(digits), language)


def counter_clips(counter: str, language: str) -> list[str]:
    """The clips saying a counter id: ``12`` as a number, ``B2`` or ``VIP`` letter by letter."""
    if counter.isascii() and counter.isdigit() and int(counter) <= _LARGEST_NUMBER:
        return number_clips(int(counter), language)
    return spelled_clips(counter, language)


def compose(
    number: str,
    counter: str,
    languages: Sequence[str],
    *,
    chime: bool = True,
    repeat: int = 1,
    brief: bool = False,
) -> Script:
    """What to say when ticket ``number`` is called to ``counter``: each language, ``repeat`` times.

    "Ticket A 23, please go to counter 5" and "التذكرة رقم A ٢٣، يرجى التوجه إلى الشباك رقم ٥".
    ``brief`` (calls backing up): no chime, no "ticket" and said once, "A 23, please go to
    counter 5", about a third shorter, so the hall keeps up.
    """
    sentences = []
    for _ in range(1 if brief else max(repeat, 1)):
        for language in languages:
            parts = (
                () if brief else ("ticket",),
                tuple(ticket_clips(number, language)),
                ("counter",),
                tuple(counter_clips(counter, language)),
            )
            sentences.append(Sentence(language, tuple(part for part in parts if part)))
    return Script(chime and not brief, tuple(sentences))


# -- the clips -------------------------------------------------------------------

# Pointed text (with harakat) so espeak-ng pronounces the Arabic as written.
_AR_UNITS = {
    0: "صِفْر",
    1: "وَاحِد",
    2: "اِثْنَان",
    3: "ثَلَاثَة",
    4: "أَرْبَعَة",
    5: "خَمْسَة",
    6: "سِتَّة",
    7: "سَبْعَة",
    8: "ثَمَانِيَة",
    9: "تِسْعَة",
    10: "عَشَرَة",
    11: "أَحَدَ عَشَر",
    12: "اِثْنَا عَشَر",
    13: "ثَلَاثَةَ عَشَر",
    14: "أَرْبَعَةَ عَشَر",
    15: "خَمْسَةَ عَشَر",
    16: "سِتَّةَ عَشَر",
    17: "سَبْعَةَ عَشَر",
    18: "ثَمَانِيَةَ عَشَر",
    19: "تِسْعَةَ عَشَر",
}
_AR_TENS = {
    20: "عِشْرُون",
    30: "ثَلَاثُون",
    40: "أَرْبَعُون",
    50: "خَمْسُون",
    60: "سِتُّون",
    70: "سَبْعُون",
    80: "ثَمَانُون",
    90: "تِسْعُون",
}
_AR_HUNDREDS = {
    100: "مِئَة",
    200: "مِئَتَان",
    300: "ثَلَاثُمِئَة",
    400: "أَرْبَعُمِئَة",
    500: "خَمْسُمِئَة",
    600: "سِتُّمِئَة",
    700: "سَبْعُمِئَة",
    800: "ثَمَانِمِئَة",
    900: "تِسْعُمِئَة",
}
# "And" before a number: وَ joins the word it precedes.
_AR_AND = {1: "وَوَاحِد", 2: "وَاثْنَان"}
# Latin letters as Arabic speakers in the Gulf name them ("إيه" for A).
_AR_LETTERS = {
    "A": "إِيه",
    "B": "بِي",
    "C": "سِي",
    "D": "دِي",
    "E": "إِي",
    "F": "إِف",
    "G": "جِي",
    "H": "إِتْش",
    "I": "آي",
    "J": "جِيه",
    "K": "كِيه",
    "L": "إِل",
    "M": "إِم",
    "N": "إِن",
    "O": "أُو",
    "P": "پِي",
    "Q": "كِيُو",
    "R": "آر",
    "S": "إِس",
    "T": "تِي",
    "U": "يُو",
    "V": "فِي",
    "W": "دَبْلِيُو",
    "X": "إِكْس",
    "Y": "وَاي",
    "Z": "زِد",
}
_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def letter_clip(letter: str) -> str:
    """The name of the clip saying the Latin ``letter``."""
    return f"letter-{letter.lower()}"


def clip_texts(language: str) -> dict[str, str]:
    """Every clip of ``language``: its name (the file name without ``.wav``) and what it says."""
    if language == "ar":
        texts = {
            "ticket": "التَّذْكِرَة",
            "counter": "تَفَضَّل إِلَى الشُّبَّاك",
        }
        texts.update({letter_clip(k): v for k, v in _AR_LETTERS.items()})
        texts.update({str(n): word for n, word in {**_AR_UNITS, **_AR_TENS}.items()})
        texts.update({str(n): word for n, word in _AR_HUNDREDS.items()})
        for n, word in {**_AR_UNITS, **_AR_TENS}.items():
            if n:
                texts[f"and-{n}"] = _AR_AND.get(n, "وَ" + word)
        return texts
    if language == "en":
        texts = {"ticket": "Ticket", "counter": "please go to counter"}
        texts.update({letter_clip(k): k for k in LETTERS})
        texts.update({str(n): word for n, word in enumerate(_EN_UNITS)})
        texts.update({str(20 + 10 * i): word for i, word in enumerate(_EN_TENS)})
        texts.update({"hundred": "hundred", "and": "and"})
        return texts
    raise ValueError(f"no voice clips for language {language!r}")


def clip_names(language: str) -> list[str]:
    """The names of every clip of ``language`` (``ticket``, ``letter-a``, ``23`` …)."""
    return list(clip_texts(language))


def required_clips(languages: Sequence[str], *, chime: bool = True) -> list[str]:
    """Every clip an announcement in ``languages`` may need, by name."""
    names = [CHIME] if chime else []
    for language in languages:
        names.extend(f"{language}/{name}" for name in clip_names(language))
    return names


def clip_path(directory: Path, name: str) -> Path:
    """The file of clip ``name`` (``chime`` or ``<lang>/<clip>``) in ``directory``."""
    return directory / f"{name}.wav"


def voice_folder(settings: AnnouncementsConfig) -> Path:
    """The folder of the voice clips: ``voice_dir``, else the shipped ``assets/voice``."""
    # Absolute, so that an error names the very folder it looked in.
    return Path(settings.voice_dir).expanduser().absolute() if settings.voice_dir else VOICE_DIR


__all__ = [
    "AFTER_CHIME_MS",
    "BRIEF_AFTER",
    "CHIME",
    "LANGUAGES",
    "LETTERS",
    "MAX_QUEUED",
    "PART_GAP_MS",
    "SENTENCE_GAP_MS",
    "TAIL_MS",
    "VOICE_DIR",
    "WORD_GAP_MS",
    "Pause",
    "Script",
    "Sentence",
    "clip_names",
    "clip_path",
    "clip_texts",
    "compose",
    "counter_clips",
    "letter_clip",
    "number_clips",
    "required_clips",
    "spelled_clips",
    "ticket_clips",
    "voice_folder",
]
