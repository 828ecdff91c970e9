"""What a printed ticket shows: a plain value the core hands to the printer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from printer.errors import LayoutError

LANGUAGES = ("ar", "en")


@dataclass(frozen=True)
class TicketSlip:
    """Everything a ticket shows, in Arabic and English; never a CPR.

    ``issued_at`` is aware and already in the centre's zone; ``lang`` is the
    visitor's language, which goes first; ``copy`` marks a reprint. The QR
    holds ``link`` (the ticket's phone page) when there is one, else the id.
    """

    ticket_id: str
    number: str
    centre_name: tuple[str, str]
    service_name: tuple[str, str]
    issued_at: datetime
    ahead: int
    eta_minutes: int | None
    slot: str | None = None
    footer: tuple[str, str] | None = None
    copy: bool = False
    lang: str = "ar"
    # The ticket's page for the visitor's phone: the QR holds it when there is one.
    link: str | None = None

    def __post_init__(self) -> None:
        if not self.ticket_id.strip():
            raise LayoutError("a ticket slip needs a ticket id")
        if not self.number.strip():
            raise LayoutError(f"ticket {self.ticket_id} has no number to print")
        if self.issued_at.tzinfo is None:
            raise LayoutError(f"ticket {self.number}: issued_at must carry its time zone")
        if self.lang not in LANGUAGES:
            raise LayoutError(f"ticket {self.number}: language {self.lang!r} is not ar or en")
        if self.ahead < 0:
            raise LayoutError(f"ticket {self.number}: {self.ahead} people ahead")


def sample_slip(*, copy: bool = False, lang: str = "ar") -> TicketSlip:
    """A realistic ticket of the demo centre, for print tests, previews and benchmarks."""
    return TicketSlip(
        ticket_id="traffic-dana-20250511-A023",
        number="A023",
        centre_name=(
            "الإدارة العامة للمرور - فرع مجمع الدانة",
            "General Directorate of Traffic - Dana Mall branch",
        ),
        service_name=("تجديد رخصة السياقة", "Driving licence renewal"),
        issued_at=datetime(2025, 5, 11, 9, 42, tzinfo=ZoneInfo("Asia/Bahrain")),
        ahead=7,
        eta_minutes=18,
        slot="10:30",
        footer=(
            "يرجى الانتظار حتى يظهر رقمك على الشاشة",
            "Please wait until your number is shown on the screen",
        ),
        copy=copy,
        lang=lang,
    )
