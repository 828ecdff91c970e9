"""Spoken calls for the browser's hall: a call's script of voice clips, and the clips themselves.

``GET /api/v1/hall/announcement`` composes a call exactly as the Qt hall does
(:func:`centre.rules.speech.compose`, its full and its brief form) and lists
what is heard: each clip's URL, and the silences between them as
``{"silence": ms}``. The page's ``/p/announce.js`` plays them in order.

``GET /display/voice/{name}`` serves the clips. No token: a voice clip is no
secret. Only the names :func:`centre.rules.speech.required_clips` gives for the
configured languages are served, each from a path made of that name (never of
the request), in the centre's voice folder (``[announcements] voice_dir``) or
the shipped ``assets/voice``; anything else is 404.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path as FilePath
from types import MappingProxyType
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from centre import devices
from centre.config import AnnouncementsConfig
from centre.rules.speech import Pause, Script, clip_path, compose, required_clips, voice_folder
from server.access import Caller, allowed, known_query
from server.errors import ApiError, json_response
from server.routes.contract import API
from server.routes.public import NO_STORE, Visitor

log = logging.getLogger("taboor.server.announcements")

#: Where the voice clips are served: ``/display/voice/ar/and-20.wav``.
VOICE_PATH: Final = "/display/voice/"
VOICE_HEADERS: Final = {
    "Cache-Control": "public, max-age=86400",
    "X-Content-Type-Options": "nosniff",
}
_NO_CLIP: Final = "no such voice clip"

router = APIRouter(tags=["screens"])

#: Who may ask how a call is said: the hall, a counter's screen, a supervisor's (reading).
Hearing = Annotated[
    Caller,
    Depends(allowed(devices.HALL, devices.COUNTER, devices.SUPERVISOR, reading=True)),
]
TicketNumber = Annotated[
    str,
    Query(
        min_length=1,
        max_length=16,
        pattern=r"^[A-Za-z0-9]+$",
        description="The ticket number called (`A023`).",
    ),
]
CounterName = Annotated[
    str,
    Query(
        min_length=1,
        max_length=16,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The counter it is called to (`5`, `B2`).",
    ),
]


class SilenceOut(BaseModel):
    """A silence between two clips."""

    silence: int = Field(ge=0, description="Milliseconds.")


class AnnouncementOut(BaseModel):
    """How a call is said: clip URLs and silences, in order, in the full and the brief form."""

    number: str
    counter: str
    recall: bool
    full: list[str | SilenceOut] = Field(
        description="The call as said normally: the chime, then each language, `repeat` times."
    )
    brief: list[str | SilenceOut] = Field(
        description="The call when calls back up: no chime, no 'ticket', said once."
    )
    volume: float = Field(ge=0, le=1, description="The gain to play the clips at.")
    repeat: int = Field(ge=1, description="How many times `full` says the call.")


@router.get(
    f"{API}/hall/announcement",
    response_model=AnnouncementOut,
    dependencies=[Depends(known_query)],
)
def announcement(
    caller: Hearing,
    number: TicketNumber,
    counter: CounterName,
    recall: Annotated[bool, Query(description="The call is a recall.")] = False,
) -> Response:
    """How to say the call of ``number`` to ``counter``, clip by clip, as the Qt hall says it.

    404 ``announcements_off`` when the centre's ``[announcements]`` are off.
    """
    settings = caller.server.config.announcements
    if not settings.enabled:
        raise ApiError(404, "the hall's announcements are off", "announcements_off")
    said = {
        form: compose(
            number,
            counter,
            settings.languages,
            chime=settings.chime,
            repeat=settings.repeat,
            brief=form == "brief",
        )
        for form in ("full", "brief")
    }
    body = {
        "number": number,
        "counter": counter,
        "recall": recall,
        **{form: heard(script) for form, script in said.items()},
        "volume": settings.volume / 100,
        "repeat": settings.repeat,
    }
    return json_response(200, body, NO_STORE)


@router.get(f"{VOICE_PATH}{{name:path}}", include_in_schema=False)
def voice_clip(name: str, server: Visitor) -> Response:
    """A voice clip (``chime.wav``, ``en/letter-a.wav``), if the configured voice may say it."""
    path = voice_files(server.config.announcements).get(name)
    if path is None:
        raise ApiError(404, _NO_CLIP, "not_found")
    try:
        content = path.read_bytes()
    except OSError as error:
        log.warning("voice clip %s cannot be read: %s", path, type(error).__name__)
        raise ApiError(404, _NO_CLIP, "not_found") from None
    return Response(content, media_type="audio/wav", headers=VOICE_HEADERS)


def heard(script: Script) -> list[str | dict[str, int]]:
    """What ``script`` sounds like, as the page plays it: clip URLs and ``{"silence": ms}``."""
    return [
        {"silence": step.ms} if isinstance(step, Pause) else f"{VOICE_PATH}{step}.wav"
        for step in script.timeline()
    ]


def voice_files(settings: AnnouncementsConfig) -> Mapping[str, FilePath]:
    """Every clip that may be served, by its name under ``/display/voice/``, and its file."""
    if not settings.enabled:
        return MappingProxyType({})
    return _voice_files(voice_folder(settings), tuple(settings.languages), settings.chime)


@lru_cache(maxsize=8)
def _voice_files(
    folder: FilePath, languages: tuple[str, ...], chime: bool
) -> Mapping[str, FilePath]:
    # The paths are made of the clip names the centre's rules give, never of a request.
    return MappingProxyType(
        {f"{name}.wav": clip_path(folder, name) for name in required_clips(languages, chime=chime)}
    )


__all__ = [
    "VOICE_PATH",
    "AnnouncementOut",
    "SilenceOut",
    "heard",
    "router",
    "voice_clip",
    "voice_files",
]
