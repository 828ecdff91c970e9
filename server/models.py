"""The bodies the centre server accepts and the answers it gives, as its OpenAPI shows them.

Bodies refuse unknown fields and overlong values (422). The answers of the
screens' own reads are the core's dataclasses themselves.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


Language = Literal["ar", "en"]


class IssueBody(_Body):
    """A walk-in ticket: the service (code or prefix), priority class and language."""

    service: str = Field(min_length=1, max_length=64, examples=["licence-renewal", "A"])
    priority: str = Field("normal", min_length=1, max_length=16, examples=["normal", "elderly"])
    lang: Language = "ar"


class CheckinBody(_Body):
    """A check-in by CPR (optionally which appointment, or offline the service) or by QR."""

    cpr: str | None = Field(None, min_length=1, max_length=40, examples=["990012345"])
    qr: str | None = Field(None, min_length=1, max_length=4096, examples=["BK-7Q2M9C"])
    appointment: str | None = Field(None, min_length=1, max_length=128)
    service: str | None = Field(None, min_length=1, max_length=64)
    lang: Language = "ar"

    @model_validator(mode="after")
    def _one_way(self) -> CheckinBody:
        if (self.cpr is None) == (self.qr is None):
            raise ValueError("give either cpr or qr")
        if self.qr is not None and (self.appointment or self.service):
            raise ValueError("appointment and service go with cpr")
        if self.appointment and self.service:
            raise ValueError("give appointment or service, not both")
        return self


class CprBody(_Body):
    """A typed CPR."""

    cpr: str = Field(min_length=1, max_length=40, examples=["990012345"])


class SignInBody(_Body):
    """A staff id and PIN."""

    staff: str = Field(min_length=1, max_length=32, examples=["c101"])
    pin: str = Field(min_length=1, max_length=16, examples=["1234"])


class ActionBody(_Body):
    """The ticket the clerk saw when acting (optional)."""

    ticket: str | None = Field(None, min_length=1, max_length=64)


class TransferBody(ActionBody):
    """The service to send the counter's ticket to."""

    service: str = Field(min_length=1, max_length=64, examples=["traffic-fines"])


class ReasonBody(_Body):
    """Why (optional, short)."""

    reason: str = Field("", max_length=200)


class FeedbackBody(_Body):
    """A visitor's rating."""

    rating: int = Field(ge=1, le=5)


class PrintFailureBody(_Body):
    """Which printer failed, and why."""

    printer: str = Field("", max_length=200)
    reason: str = Field(min_length=1, max_length=64)


class DeviceStatusBody(_Body):
    """A device's state (a kiosk's printer)."""

    kind: str = Field(min_length=1, max_length=16, examples=["printer"])
    state: str = Field(min_length=1, max_length=16, examples=["ok", "paper_low"])
    detail: str = Field("", max_length=200)


class MessageBody(_Body):
    """The hall message, in Arabic and English (both empty: back to the footer)."""

    ar: str = Field("", max_length=1000)
    en: str = Field("", max_length=1000)


class ServicesBody(_Body):
    """The services a counter calls today (``null``: its configured ones)."""

    services: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(max_length=64)


class PairBody(_Body):
    """A pairing code from a one-time link."""

    code: str = Field(min_length=1, max_length=128)


# -- answers, for the OpenAPI document -------------------------------------------


class ErrorOut(BaseModel):
    """An error: one line, and its code."""

    error: str
    code: str
    params: dict[str, Any] | None = None


class TicketOut(BaseModel):
    """The contract's Ticket JSON, with the ticket's language and booking slot."""

    id: str
    number: str
    service: str
    state: str
    source: str
    priority: str
    issued_at: str
    counter: str | None
    appointment_id: str | None
    ahead: int
    eta_minutes: int | None
    lang: str
    slot_start: str | None
    link: str | None = None


class TicketsOut(BaseModel):
    """A day's tickets."""

    tickets: list[TicketOut]


class EventTicketOut(BaseModel):
    """The ticket an event is about."""

    id: str
    number: str | None
    service: str | None


class EventOut(BaseModel):
    """The contract's Event JSON."""

    id: str
    seq: int
    type: str
    at: str
    ticket: EventTicketOut | None
    appointment_id: str | None
    counter: str | None
    data: dict[str, Any]


class EventsOut(BaseModel):
    """Events, oldest first."""

    events: list[EventOut]


class HeadOut(BaseModel):
    """The seq of the newest event."""

    seq: int


class ServiceStatusOut(BaseModel):
    """One queue in the status JSON."""

    service: str
    name: dict[str, str]
    waiting: int
    eta_minutes: int | None
    longest_wait_s: int
    paused: bool


class CounterStatusOut(BaseModel):
    """One counter in the status JSON."""

    counter: str
    state: str
    ticket: str | None


class SyncOut(BaseModel):
    """The central link in the status JSON."""

    link: str
    pending: int
    last_ok: str | None


class StatusOut(BaseModel):
    """The contract's status JSON."""

    centre: str
    services: list[ServiceStatusOut]
    counters: list[CounterStatusOut]
    sync: SyncOut


class StaffOut(BaseModel):
    """A clerk or supervisor signed in."""

    counter: str | None = None
    staff: str
    name: dict[str, str]
    role: str


class PairedOut(BaseModel):
    """A browser display paired: its token, given once."""

    device: str
    role: str
    counter: str | None
    token: str


class DeviceOut(BaseModel):
    """A device of the centre server, as ``taboor device list --json`` shows it (no token)."""

    device: str
    role: str
    counter: str | None
    paired: bool
    created_at: str
    revoked_at: str | None
    last_seen: str | None


class AccountsOut(BaseModel):
    """Whether any staff account exists."""

    accounts: bool


class MessageOut(BaseModel):
    """The hall message (``null`` texts: none set)."""

    ar: str | None
    en: str | None


class ChangedOut(BaseModel):
    """Whether something changed."""

    changed: bool


class NumberBody(BaseModel):
    """A visitor's mobile number for texts about a ticket, and the texts' language."""

    model_config = ConfigDict(extra="forbid")
    phone: str = Field(min_length=1, max_length=40)
    lang: str = Field("en", max_length=8)


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 403, 404, 409, 413, 422, 429)
}


__all__ = [
    "ERRORS",
    "AccountsOut",
    "ActionBody",
    "ChangedOut",
    "CheckinBody",
    "CounterStatusOut",
    "CprBody",
    "DeviceOut",
    "DeviceStatusBody",
    "ErrorOut",
    "EventOut",
    "EventTicketOut",
    "EventsOut",
    "FeedbackBody",
    "HeadOut",
    "IssueBody",
    "Language",
    "MessageBody",
    "MessageOut",
    "NumberBody",
    "PairBody",
    "PairedOut",
    "PrintFailureBody",
    "ReasonBody",
    "ServiceStatusOut",
    "ServicesBody",
    "SignInBody",
    "StaffOut",
    "StatusOut",
    "SyncOut",
    "TicketOut",
    "TicketsOut",
    "TransferBody",
]
