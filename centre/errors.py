"""Taboor's exception tree: bad input (exit 2) and refusals by the rules (exit 3)."""

from __future__ import annotations

from typing import Any, ClassVar


class TaboorError(Exception):
    """Base of every error Taboor raises on purpose.

    ``code`` names the reason for screens that translate it; ``params`` carry
    what the message needs. ``str(error)`` is a one-line English message.
    """

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params = params


class BadInput(TaboorError):
    """Input that is malformed: a CPR, a QR, a name that does not exist."""

    code = "bad_input"
    exit_code = 2


class InvalidCpr(BadInput):
    """A CPR that is not nine digits."""

    code = "invalid_cpr"


class InvalidQr(BadInput):
    """A scanned payload that is neither a booking reference nor a valid signed QR."""

    code = "invalid_qr"


class UnknownService(BadInput):
    """A service code or prefix this centre does not have."""

    code = "unknown_service"


class UnknownCounter(BadInput):
    """A counter id this centre does not have."""

    code = "unknown_counter"


class UnknownTicket(BadInput):
    """A ticket id or number that is not in the store."""

    code = "unknown_ticket"


class UnknownDevice(BadInput):
    """A device name the centre has never enrolled."""

    code = "unknown_device"


class ConfigError(BadInput):
    """A centre configuration that cannot be used; ``problems`` lists each mistake."""

    code = "config_error"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class Refused(TaboorError):
    """Well-formed input that the centre's rules refuse."""

    code = "refused"
    exit_code = 3


class NoAppointment(Refused):
    """No appointment today at this centre matches."""

    code = "no_appointment"


class WrongDay(Refused):
    """The appointment exists but is on another day."""

    code = "wrong_day"


class OutsideWindow(Refused):
    """Too early or too late to check in; ``params['when']`` is ``early`` or ``late``."""

    code = "outside_window"


class AlreadyCheckedIn(Refused):
    """The appointment already has its ticket."""

    code = "already_checked_in"


class AppointmentCancelled(Refused):
    """The appointment was cancelled."""

    code = "appointment_cancelled"


class SeveralAppointments(Refused):
    """One CPR has several appointments open now; the visitor must choose one."""

    code = "several_appointments"


class ServicePaused(Refused):
    """The service is paused by the supervisor."""

    code = "service_paused"


class QuotaReached(Refused):
    """The service's daily quota of walk-in tickets is used up."""

    code = "quota_reached"


class NoCurrentTicket(Refused):
    """The counter has no ticket to act on."""

    code = "no_current_ticket"


class CounterBusy(Refused):
    """The counter still has a current ticket and must finish it first."""

    code = "counter_busy"


class IllegalTransition(Refused):
    """A ticket cannot make that move from its present state."""

    code = "illegal_transition"


class TicketMoved(Refused):
    """The counter's ticket is not the one the clerk acted on: another terminal moved it on."""

    code = "ticket_moved"


class InvalidPin(BadInput):
    """A PIN that is not 4 to 8 digits."""

    code = "invalid_pin"


class UnknownStaff(BadInput):
    """No staff member has that id."""

    code = "unknown_staff"


class WrongPin(Refused):
    """The PIN does not match; the same answer whether the id or the PIN was wrong."""

    code = "wrong_pin"


class SignInLocked(Refused):
    """Too many wrong PINs: sign-in waits ``seconds`` before the next try."""

    code = "sign_in_locked"


class NotAllowed(Refused):
    """The staff member's role does not allow this (a clerk at the supervisor's screen)."""

    code = "not_allowed"


class NotServed(Refused):
    """Only a served ticket can be rated."""

    code = "not_served"


class AlreadyRated(Refused):
    """The visitor already rated this ticket's service."""

    code = "already_rated"


class MoreTimeUsedUp(Refused):
    """The visitor already asked for more time as often as the centre allows."""

    code = "more_time_used_up"


class NobodyBehind(Refused):
    """More time was asked, but nobody waits behind the ticket to go first."""

    code = "nobody_behind"


class AlreadyHasTicket(Refused):
    """This phone already holds an open ticket of that service (``ticket_id`` in params)."""

    code = "already_has_ticket"


class ServiceClosed(Refused):
    """The service gives no tickets now: outside opening hours, or by appointment only."""

    code = "service_closed"


class TextsOff(Refused):
    """The centre sends no texts (no ``[sms]`` gateway)."""

    code = "texts_off"


class BadPhone(BadInput):
    """A mobile number that cannot be texted."""

    code = "bad_phone"


class CounterNotOpen(Refused):
    """The counter is not open (a break needs an open counter)."""

    code = "counter_not_open"


class NoClerk(Refused):
    """A counter action, or a sign-out, with no clerk signed in at the counter."""

    code = "no_clerk"


class OwnDevice(Refused):
    """Revoking the very device the request came through: its supervisor would be locked out."""

    code = "own_device"


class RateLimited(Refused):
    """Too many requests from this device: try again in ``seconds``."""

    code = "rate_limited"


class CentreUnreachable(TaboorError):
    """The centre (its server) cannot be reached now; nothing was done."""

    code = "centre_unreachable"


class DeviceRefused(TaboorError):
    """The centre does not accept this device: unknown, revoked, or not allowed to do that."""

    code = "device_refused"
