"""The centres head office watches: ``centres.toml``, read and checked.

::

    timezone = "Asia/Bahrain"          # the page's times (default)

    [[centres]]
    id = "traffic-dana"
    name = { ar = "فرع مجمع الدانة", en = "Dana Mall branch" }
    url = "https://dana.example:8080"  # the centre server (taboor serve)
    token_file = "tokens/traffic-dana.token"   # or token = "…": an integrator device's
    ca_file = "certs/dana.pem"         # its certificate, when it uses one of its own

Relative paths are taken from the file's folder. Every mistake is a
:class:`~centre.errors.ConfigError` whose one line names the file, the line
and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from centre.config import Names, locate_key, read_toml
from centre.errors import ConfigError

#: How many centres one head office may watch.
MOST_CENTRES = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CentreEntry(_Strict):
    """One ``[[centres]]`` entry."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    name: Names
    url: Annotated[
        str, StringConstraints(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$", max_length=300)
    ]
    token: Annotated[str, StringConstraints(min_length=8, max_length=512)] | None = None
    token_file: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    ca_file: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None

    @model_validator(mode="after")
    def _one_token(self) -> CentreEntry:
        if (self.token is None) == (self.token_file is None):
            raise ValueError("give token or token_file (one of them)")
        return self


class CentresFile(_Strict):
    """The whole file."""

    timezone: str = "Asia/Bahrain"
    centres: list[CentreEntry] = Field(min_length=1, max_length=MOST_CENTRES)

    @model_validator(mode="after")
    def _checked(self) -> CentresFile:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"no time zone {self.timezone[:60]!r}") from None
        seen: set[str] = set()
        for entry in self.centres:
            if entry.id in seen:
                raise ValueError(f"centre id {entry.id!r} is used twice")
            seen.add(entry.id)
        return self


@dataclass(frozen=True)
class Centre:
    """A centre server to watch, its token read."""

    id: str
    name_ar: str
    name_en: str
    url: str
    token: str = field(repr=False)
    ca_file: Path | None = None

    def name_json(self) -> dict[str, str]:
        """The centre's names as the page gets them."""
        return {"ar": self.name_ar, "en": self.name_en}


@dataclass(frozen=True)
class Centres:
    """Every centre of the file, and the time zone of the page's times."""

    centres: list[Centre]
    zone: ZoneInfo

    def by_id(self, centre_id: str) -> Centre | None:
        """The centre with this id (``None``: not one of ours)."""
        return next((c for c in self.centres if c.id == centre_id), None)


def load_centres(path: str | Path) -> Centres:
    """Read and check ``path`` (see the module); a :class:`ConfigError` names the first mistake."""
    path = Path(path)
    text, raw = read_toml(path)
    try:
        parsed = CentresFile.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(_first_problem(path, text, error)) from None
    folder = path.resolve().parent
    centres = [
        _centre(path, text, folder, index, entry) for index, entry in enumerate(parsed.centres)
    ]
    return Centres(centres, ZoneInfo(parsed.timezone))


def _centre(path: Path, text: str, folder: Path, index: int, entry: CentreEntry) -> Centre:
    token = entry.token
    if entry.token_file is not None:
        token_path = folder / Path(entry.token_file).expanduser()
        try:
            token = token_path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            where = _where(path, text, ("centres", index, "token_file"))
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise ConfigError(
                f"{where}: centres[{index}].token_file: {token_path}: {reason}"
            ) from None
        if not token:
            where = _where(path, text, ("centres", index, "token_file"))
            raise ConfigError(f"{where}: centres[{index}].token_file: {token_path} is empty")
    ca_file = None
    if entry.ca_file is not None:
        ca_file = folder / Path(entry.ca_file).expanduser()
        if not ca_file.is_file():
            where = _where(path, text, ("centres", index, "ca_file"))
            raise ConfigError(f"{where}: centres[{index}].ca_file: no such file {ca_file}")
    assert token is not None  # one of token and token_file, checked above
    return Centre(
        id=entry.id,
        name_ar=entry.name.ar,
        name_en=entry.name.en,
        url=entry.url.rstrip("/"),
        token=token,
        ca_file=ca_file,
    )


def _first_problem(path: Path, text: str, error: ValidationError) -> str:
    first: Any = error.errors()[0]
    loc = tuple(first["loc"])
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "missing"
    elif first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "string_pattern_mismatch":
        message = "not valid here" if loc[-1] != "url" else "not an http(s) address"
    return f"{_where(path, text, loc)}: {key or '(top level)'}: {message}"


def _where(path: Path, text: str, loc: tuple[Any, ...]) -> str:
    line = locate_key(text, loc)
    return f"{path}:{line}" if line else str(path)


__all__ = ["MOST_CENTRES", "Centre", "CentreEntry", "Centres", "CentresFile", "load_centres"]
