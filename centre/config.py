"""The centre's configuration: one TOML file, validated; mistakes named by file, key and line."""

from __future__ import annotations

import os
import re
import string
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from centre.errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "demo-centre.toml"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Language = Literal["ar", "en"]
PriorityClass = Literal["elderly", "disabled", "pregnant", "urgent"]
BAHRAIN_WORKING_WEEK: tuple[Weekday, ...] = ("sun", "mon", "tue", "wed", "thu")
LANGUAGES: tuple[Language, ...] = ("ar", "en")
DEFAULT_PRIORITY_CLASSES: tuple[PriorityClass, ...] = ("elderly", "disabled", "pregnant")

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Names(_Strict):
    """A name in Arabic and English."""

    ar: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    en: Annotated[str, StringConstraints(min_length=1, max_length=120)]

    def get(self, lang: str) -> str:
        """The name in ``lang`` (``ar`` or ``en``)."""
        return self.ar if lang == "ar" else self.en


class OpeningHours(_Strict):
    """The days and hours the centre serves visitors, in centre time."""

    days: list[Weekday] = Field(default_factory=lambda: list(BAHRAIN_WORKING_WEEK))
    open: time = time(7, 0)
    close: time = time(14, 0)

    @model_validator(mode="after")
    def _open_before_close(self) -> OpeningHours:
        if self.open >= self.close:
            raise ValueError("open must be before close")
        return self


class CentreInfo(_Strict):
    """The ``[centre]`` table."""

    id: Code
    name: Names
    timezone: str = "Asia/Bahrain"
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES))
    hours: OpeningHours = Field(default_factory=OpeningHours)
    footer: Names | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The centre's time zone."""
        return ZoneInfo(self.timezone)


class CheckInWindow(_Strict):
    """How early before and how late after its slot an appointment may check in."""

    early_minutes: int = Field(30, ge=0, le=24 * 60)
    late_minutes: int = Field(15, ge=0, le=24 * 60)


class ServiceConfig(_Strict):
    """One ``[[services]]`` entry."""

    code: Code
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")]
    name: Names
    daily_quota: int | None = Field(None, ge=1, le=99_999)
    checkin: CheckInWindow = Field(default_factory=CheckInWindow)
    max_wait_minutes: int = Field(60, ge=1, le=24 * 60)
    service_minutes: float = Field(8.0, gt=0, le=240)
    walk_in: bool = True
    # A visitor following the ticket on a phone is alerted at this many people ahead
    # (None: [public] alert_ahead).
    alert_ahead: int | None = Field(None, ge=1, le=50)


class CounterConfig(_Strict):
    """One ``[[counters]]`` entry: which services it serves, with weights."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,16}$")]
    name: Names | None = None
    services: list[Code] = Field(min_length=1)
    weights: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _weights_name_served_services(self) -> CounterConfig:
        for code, weight in self.weights.items():
            if code not in self.services:
                raise ValueError(f"weight for {code!r}, which this counter does not serve")
            if weight < 0:
                raise ValueError(f"weight for {code!r} is negative")
        return self

    def weight(self, service: str) -> float:
        """The weight this counter gives ``service`` (1 unless configured)."""
        return self.weights.get(service, 1.0)


class PolicyConfig(_Strict):
    """The ``[policy]`` table: how counters choose the next ticket."""

    priority_share: float = Field(0.34, ge=0, le=1)
    priority_classes: list[PriorityClass] = Field(
        default_factory=lambda: list(DEFAULT_PRIORITY_CLASSES)
    )
    appointment_due_minutes: int = Field(0, ge=0, le=120)


class PrivacyConfig(_Strict):
    """The ``[privacy]`` table: how long personal data of past appointments is kept."""

    retention_days: int = Field(7, ge=0, le=3650)


class CentralConfig(_Strict):
    """The ``[central]`` table: the central booking API."""

    url: str | None = None
    token_file: str | None = None
    qr_public_key: str | None = None
    pull_seconds: float = Field(5.0, gt=0, le=3600)


class PrinterConfig(_Strict):
    """The ``[printer]`` table."""

    uri: str | None = None
    native_qr: bool = True
    profile: str | None = None


class ScannerConfig(_Strict):
    """The ``[scanner]`` table."""

    scanner: str | None = None


class AnnouncementsConfig(_Strict):
    """The ``[announcements]`` table: the hall screen says each call aloud.

    ``voice_dir`` holds the voice clips (``None``: the ones shipped in
    ``assets/voice``); a relative folder is taken from the configuration
    file's folder. ``repeat`` is how many times each call is said; ``volume``
    is a percentage of the clips' own loudness.
    """

    enabled: bool = True
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    voice_dir: Annotated[str, StringConstraints(min_length=1)] | None = None
    chime: bool = True
    repeat: int = Field(1, ge=1, le=3)
    volume: int = Field(100, ge=0, le=100)

    @field_validator("languages")
    @classmethod
    def _each_language_once(cls, value: list[Language]) -> list[Language]:
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value


class ServerConfig(_Strict):
    """The ``[server]`` table: where ``taboor serve`` listens, and how devices reach it.

    ``url`` is the address devices reach the server at (pairing links are made
    from it; default: the listening address). ``certificate`` and ``key`` are
    PEM files (relative ones beside the configuration file); given, the server
    speaks HTTPS only.
    """

    host: Annotated[str, StringConstraints(min_length=1, max_length=255)] = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    url: HttpUrl | None = None
    certificate: Annotated[str, StringConstraints(min_length=1)] | None = None
    key: Annotated[str, StringConstraints(min_length=1)] | None = None
    # Reverse proxies whose X-Forwarded-For is believed (their addresses), so that each
    # phone behind one is limited on its own address, not the proxy's.
    trusted_proxies: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list
    )

    @model_validator(mode="after")
    def _certificate_with_key(self) -> ServerConfig:
        if (self.certificate is None) != (self.key is None):
            raise ValueError("certificate and key go together")
        return self

    @property
    def tls(self) -> bool:
        """Whether the server speaks HTTPS."""
        return self.certificate is not None

    def address(self) -> str:
        """The address devices reach the server at."""
        if self.url:
            return self.url.rstrip("/")
        scheme = "https" if self.tls else "http"
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        if ":" in host:
            host = f"[{host}]"
        return f"{scheme}://{host}:{self.port}"


class PublicConfig(_Strict):
    """The ``[public]`` table: the visitor's phone (CONTRACTS.md section 7).

    ``url`` is the address visitors' phones reach (the centre's public address
    behind a reverse proxy, or its guest Wi-Fi); unset, tickets carry no link
    and the hall shows no paperless-ticket code. ``alert_ahead``: the page
    alerts at this many people ahead (a service may set its own).
    ``more_time_places``: "I need more time" moves a ticket back behind this
    many people, at most ``more_time_max`` times. ``join_seconds``: how long
    each hall code is shown (the current and the previous one work).
    ``joins_per_hour``: paperless tickets one address may take in an hour;
    ``requests_per_second`` (in bursts of ``burst``) and ``streams_per_address``:
    what one address may ask of the public pages.
    ``host``/``port``: a listener of the public pages' own (none by default:
    they are served on the server's address too).
    """

    url: HttpUrl | None = None
    alert_ahead: int = Field(3, ge=1, le=50)
    more_time_places: int = Field(3, ge=1, le=20)
    more_time_max: int = Field(2, ge=0, le=5)
    join_seconds: int = Field(60, ge=15, le=3600)
    joins_per_hour: int = Field(10, ge=1, le=1000)
    requests_per_second: float = Field(5.0, gt=0, le=1000)
    burst: int = Field(60, ge=1, le=10_000)
    streams_per_address: int = Field(50, ge=1, le=100_000)
    host: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    port: int | None = Field(None, ge=1, le=65535)

    @property
    def enabled(self) -> bool:
        """Whether phones can reach the centre (tickets carry a link)."""
        return self.url is not None

    def address(self) -> str:
        """The public address, without a trailing slash ('' when unset)."""
        return (self.url or "").rstrip("/")


class SmsConfig(_Strict):
    """The ``[sms]`` table: an HTTP SMS gateway to tell visitors their turn nears.

    The server POSTs JSON ``{"to": number, "text": message, "sender": sender}``
    to ``url``, with ``Authorization: Bearer`` the contents of ``token_file``
    (or basic auth with ``username`` and the contents of ``password_file``).
    Templates take ``{number}`` (the ticket), ``{service}``, ``{counter}`` and
    ``{ahead}``; ``near_*`` is sent at the alert count, ``called_*`` at the call.
    """

    url: HttpUrl | None = None
    token_file: str | None = None
    username: str | None = None
    password_file: str | None = None
    sender: Annotated[str, StringConstraints(max_length=32)] = "Taboor"
    timeout_seconds: float = Field(5.0, gt=0, le=60)
    near_ar: Annotated[str, StringConstraints(min_length=1, max_length=300)] = (
        "تذكرتك {number}: أمامك {ahead} أشخاص في {service}. يرجى العودة إلى القاعة."
    )
    near_en: Annotated[str, StringConstraints(min_length=1, max_length=300)] = (
        "Ticket {number}: {ahead} people ahead of you for {service}. Please return to the hall."
    )
    called_ar: Annotated[str, StringConstraints(min_length=1, max_length=300)] = (
        "تذكرتك {number}: تفضل إلى الكاونتر {counter}."
    )
    called_en: Annotated[str, StringConstraints(min_length=1, max_length=300)] = (
        "Ticket {number}: please go to counter {counter} now."
    )

    @property
    def enabled(self) -> bool:
        """Whether a gateway is configured."""
        return self.url is not None

    @field_validator("near_ar", "near_en", "called_ar", "called_en")
    @classmethod
    def _known_placeholders(cls, template: str) -> str:
        # A template is filled in on the path that calls a ticket: a mistake in one must
        # stop the server's start, not a call. Only bare names: "{number.__class__}" and
        # "{0}" are refused too.
        known = ("number", "service", "counter", "ahead")
        try:
            names = [
                name for _, name, _, _ in string.Formatter().parse(template) if name is not None
            ]
        except ValueError:
            raise ValueError(
                "a template's braces do not match; write {{ and }} for a brace"
            ) from None
        for name in names:
            if name not in known:
                raise ValueError(
                    f"unknown placeholder {{{name}}}: a template may use "
                    + ", ".join(f"{{{k}}}" for k in known)
                )
        try:
            template.format(number="A001", service="service", counter="1", ahead=3)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            raise ValueError(f"the template cannot be filled in: {error}") from None
        return template


class CentreConfig(_Strict):
    """A whole centre's configuration."""

    centre: CentreInfo
    policy: PolicyConfig = Field(default_factory=PolicyConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    central: CentralConfig = Field(default_factory=CentralConfig)
    printer: PrinterConfig = Field(default_factory=PrinterConfig)
    scanner: ScannerConfig = Field(default_factory=ScannerConfig)
    announcements: AnnouncementsConfig = Field(default_factory=AnnouncementsConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    public: PublicConfig = Field(default_factory=PublicConfig)
    sms: SmsConfig = Field(default_factory=SmsConfig)

    def alert_ahead(self, service: str) -> int:
        """How many people ahead a phone following a ticket of ``service`` is alerted at."""
        own = self.service(service).alert_ahead
        return own if own is not None else self.public.alert_ahead

    @model_validator(mode="after")
    def _references_hold(self) -> CentreConfig:
        codes = [s.code for s in self.services]
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                raise ValueError(f"service code {code!r} is used twice")
            seen.add(code)
        counter_ids: set[str] = set()
        for counter in self.counters:
            if counter.id in counter_ids:
                raise ValueError(f"counter id {counter.id!r} is used twice")
            counter_ids.add(counter.id)
            for code in counter.services:
                if code not in seen:
                    raise ValueError(f"counter {counter.id!r} serves unknown service {code!r}")
        return self

    def service(self, code: str) -> ServiceConfig:
        """The service with this code (exact)."""
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(code)

    def counter(self, counter_id: str) -> CounterConfig:
        """The counter with this id (exact)."""
        for counter in self.counters:
            if counter.id == counter_id:
                return counter
        raise KeyError(counter_id)


def with_device_settings(centre: CentreConfig, device: CentreConfig) -> CentreConfig:
    """The centre's configuration (as its server gives it) with this device's own settings.

    A device on a LAN takes the centre (services, counters, names, hours,
    announcements) from the server, and keeps what belongs to the machine it
    runs on: its printer, its scanner, its folder of voice clips.
    """
    announcements = centre.announcements.model_copy(
        update={"voice_dir": device.announcements.voice_dir}
    )
    return centre.model_copy(
        update={
            "printer": device.printer,
            "scanner": device.scanner,
            "announcements": announcements,
        }
    )


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and its tables; a :class:`ConfigError` says in one line why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_config(path: str | Path, environ: dict[str, str] | None = None) -> CentreConfig:
    """Read and validate a centre configuration; raise :class:`ConfigError` listing every mistake.

    The environment overrides ``[central] url`` (``TABOOR_CENTRAL_URL``),
    ``[printer] uri`` (``TABOOR_PRINTER``), ``[public] url``
    (``TABOOR_PUBLIC_URL``) and the public listener's ``host:port``
    (``TABOOR_PUBLIC_LISTEN``). A relative ``[announcements]
    voice_dir`` is taken from the configuration file's folder.
    """
    path = Path(path)
    env = os.environ if environ is None else environ
    text, raw = read_toml(path)
    try:
        config = CentreConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe(path, text, error) for error in exc.errors()]
        raise ConfigError(problems[0], problems) from None
    overrides: dict[str, dict[str, Any]] = {}
    if env.get("TABOOR_CENTRAL_URL"):
        overrides["central"] = {"url": env["TABOOR_CENTRAL_URL"]}
    if env.get("TABOOR_PRINTER"):
        overrides["printer"] = {"uri": env["TABOOR_PRINTER"]}
    public = _public_overrides(env)
    if public:
        overrides["public"] = public
    voice_dir = config.announcements.voice_dir
    if voice_dir and not Path(voice_dir).expanduser().is_absolute():
        # A centre's own recordings sit beside its configuration file.
        overrides["announcements"] = {"voice_dir": str(path.resolve().parent / voice_dir)}
    server = config.server
    if server.certificate and server.key:
        # So do the server's certificate and key.
        overrides["server"] = {
            name: str(path.resolve().parent / Path(value).expanduser())
            for name, value in (("certificate", server.certificate), ("key", server.key))
        }
    if overrides:
        update = {
            key: getattr(config, key).model_copy(update=value) for key, value in overrides.items()
        }
        config = config.model_copy(update=update)
    return config


def _public_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """``[public]`` as the environment sets it (the demo puts the phones' pages on the LAN)."""
    public: dict[str, Any] = {}
    url = env.get("TABOOR_PUBLIC_URL")
    if url:
        try:
            public["url"] = PublicConfig.model_validate({"url": url}).url
        except ValidationError:
            raise ConfigError(f"TABOOR_PUBLIC_URL: not an http(s) address: {url[:80]!r}") from None
    listen = env.get("TABOOR_PUBLIC_LISTEN")
    if listen:
        host, _, port = listen.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"TABOOR_PUBLIC_LISTEN: host:port, not {listen[:80]!r}")
        public.update(host=host.strip("[]"), port=int(port))
    return public


def _describe(path: Path, text: str, error: Any) -> str:
    loc = tuple(error["loc"])
    key = _dotted(loc)
    line = locate_key(text, loc)
    where = f"{path}:{line}" if line else str(path)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{where}: {key or '(top level)'}: {message}"


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+(?:\s*\.\s*[A-Za-z0-9_\-\"]+)*)\s*=")


def locate_key(text: str, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line in a TOML text where the value at ``loc`` is written (best effort).

    ``loc`` is a pydantic error location such as ``("services", 2, "daily_quota")``.
    Falls back to the nearest enclosing table or array entry when the key itself
    is missing, and to ``None`` when nothing matches.
    """
    target = [str(p) for p in loc]
    best: tuple[int, int] | None = None  # (matched parts, line)
    table: list[str] = []
    array_counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            name = [p.strip().strip('"') for p in header.group(2).split(".")]
            if header.group(1) == "[[":
                joined = ".".join(name)
                index = array_counts.get(joined, -1) + 1
                array_counts[joined] = index
                table = [*name[:-1], name[-1], str(index)]
            else:
                table = _with_array_indices(name, array_counts)
            best = _better(best, _prefix_len(table, target), number)
            continue
        key = _KEY.match(line)
        if key:
            parts = [p.strip().strip('"') for p in key.group(1).split(".")]
            best = _better(best, _prefix_len([*table, *parts], target), number)
    return best[1] if best and best[0] > 0 else None


def _with_array_indices(name: list[str], array_counts: dict[str, int]) -> list[str]:
    # [services.checkin] after [[services]] belongs to the latest services entry.
    parts: list[str] = []
    for i, part in enumerate(name):
        parts.append(part)
        joined = ".".join(name[: i + 1])
        if joined in array_counts and i < len(name) - 1:
            parts.append(str(array_counts[joined]))
    return parts


def _prefix_len(have: list[str], want: list[str]) -> int:
    n = 0
    for a, b in zip(have, want, strict=False):
        if a != b:
            return n
        n += 1
    return n if len(have) <= len(want) else 0


def _better(best: tuple[int, int] | None, score: int, line: int) -> tuple[int, int] | None:
    if best is None or score > best[0]:
        return (score, line)
    return best
