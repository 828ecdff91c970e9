"""The kiosk's view-model: what the visitor sees next, and what it asks the centre for it.

It holds a :class:`centre.port.CentrePort` and nothing else of the centre, so
the same kiosk runs beside the store or on a LAN through the centre server.

A ticket prints unless the visitor asked, on the services screen, for it on
their phone instead (offered when the centre has a public address, so that
tickets carry a link): then the ticket screen shows the link's QR, and no paper.

A ticket with a link may also be followed by texts: "Text me when my turn is
near" on the ticket screen opens a number pad, and the number goes to the
centre's ``keep_number``. The kiosk cannot know beforehand whether the centre
sends texts (a LAN device's configuration leaves out ``[sms]``), so it offers
them for every linked ticket until the centre answers that it sends none, and
then no more while it runs. The typed number is forgotten as soon as it is sent
or the visitor cancels: the screen then shows only its last four digits.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from centre import usecases as uc
from centre.errors import (
    BadPhone,
    CentreUnreachable,
    DeviceRefused,
    IllegalTransition,
    NoAppointment,
    QuotaReached,
    ServicePaused,
    TaboorError,
    TextsOff,
)
from centre.port import CentrePort
from centre.rules.cpr import mask_cpr
from centre.rules.hours import opens_next
from centre.rules.link import ONLINE
from centre.rules.phone import MAX_DIGITS as PHONE_MAX_DIGITS
from centre.rules.phone import normalise_phone
from kiosk.messages import describe, offers_walk_in
from kiosk.printing import TicketPrinter, describe_failure
from kiosk.scanner import clean_scan
from printer import PrintSpooler, TicketSlip
from ui.i18n import check_language
from ui.signals import emit
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CPR_DIGITS = 9
IDLE_MS = 30_000
TICKET_IDLE_MS = 10_000
CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0


class Screen(StrEnum):
    """The kiosk's screens."""

    HOME = "home"
    CPR = "cpr"
    CHOOSE = "choose"
    SERVICES = "services"
    TICKET = "ticket"
    MESSAGE = "message"
    CLOSED = "closed"
    PIN = "pin"
    TEXTS = "texts"  # the number pad for a mobile number to text about the ticket


class TextsNote(StrEnum):
    """What the kiosk says of texts about the ticket on screen."""

    NONE = "none"
    KEPT = "kept"  # the number is kept: texts will come (its last four digits are shown)
    BAD_PHONE = "bad_phone"  # on the pad: that number cannot get texts
    OFF = "off"  # the centre sends no texts: said calmly, and the offer goes
    UNREACHABLE = "unreachable"  # the centre cannot be reached now; the ticket stands
    ENDED = "ended"  # the ticket has ended: there is nothing to text about
    FAILED = "failed"  # any other refusal; the ticket stands


@dataclass(frozen=True)
class ServiceChoice:
    """A walk-in service as the kiosk offers it."""

    code: str
    name_ar: str
    name_en: str
    available: bool
    reason: str = ""  # "", "paused" or "quota"


@dataclass(frozen=True)
class Message:
    """A sentence for the visitor and, when the rules allow, the walk-in it offers."""

    text: str
    walk_in_service: str | None = None
    walk_in: bool = False


@dataclass(frozen=True)
class _BookingUnreachable:
    """No booking here for a CPR while the central booking system cannot be reached."""


class KioskViewModel(QObject):
    """Owns the kiosk's state; every call to the centre runs on a worker thread and reports here.

    When the centre cannot be reached, or no longer accepts this kiosk, the
    visitor is told in one sentence where to go, and nothing of a ticket shows.
    """

    # screen_changed(name): a Screen value to show now
    screen_changed = Signal(str)
    # language_changed(lang): "ar" or "en"
    language_changed = Signal(str)
    # busy_changed(busy): a use case is running; taps and scans are ignored meanwhile
    busy_changed = Signal(bool)
    # cpr_changed(masked): the typed CPR as shown, ``*****1234`` style
    cpr_changed = Signal(str)
    # appointments_listed(options): list[AppointmentOption] the visitor chooses from
    appointments_listed = Signal(list)
    # services_listed(choices): list[ServiceChoice] for walk-in tickets
    services_listed = Signal(list)
    # ticket_issued(view): the TicketView just issued
    ticket_issued = Signal(object)
    # ticket_printed(view): the TicketView whose paper came out
    ticket_printed = Signal(object)
    # print_failed(view): the TicketView that did not print; show its QR on screen
    print_failed = Signal(object)
    # sent_to_phone(view): the TicketView taken on the visitor's phone: show its link's QR;
    # nothing prints
    sent_to_phone = Signal(object)
    # on_phone_changed(on): whether the next ticket goes to the visitor's phone, not to paper
    on_phone_changed = Signal(bool)
    # message_shown(message): a Message for the visitor
    message_shown = Signal(object)
    # accessibility_changed(on): larger text, high contrast, controls low
    accessibility_changed = Signal(bool)
    # priority_changed(name): "normal" or a priority class
    priority_changed = Signal(str)
    # exit_granted(): staff gave the right PIN; the kiosk may close
    exit_granted = Signal()
    # phone_changed(shown): the mobile number typed on the texts pad, grouped ("3600 1234")
    phone_changed = Signal(str)
    # texts_changed(note): a TextsNote value; texts_offered or texts_masked may have changed too
    texts_changed = Signal(str)

    def __init__(
        self,
        centre: CentrePort,
        *,
        make_slip: Callable[[uc.TicketView], TicketSlip] | None = None,
        spooler: PrintSpooler | None = None,
        printer_name: str = "",
        exit_pin: str | None = None,
        idle_ms: int = IDLE_MS,
        ticket_idle_ms: int = TICKET_IDLE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._centre = centre
        self.config = config = centre.config
        self._clock = centre.clock
        self._exit_pin = exit_pin if exit_pin is not None else os.environ.get("TABOOR_KIOSK_PIN")
        self._runner = TaskRunner("kiosk", parent=self)
        self._lang = check_language(config.centre.languages[0])
        self._screen = Screen.HOME
        self._busy = False
        self._digits = ""
        self._pin = ""
        self._priority = "normal"
        self._on_phone = False
        self._ticket_on_phone = False
        self._accessible = False
        # The mobile number being typed on the texts pad (ASCII digits); never logged.
        self._phone = ""
        self._texts_note = TextsNote.NONE
        self._texts_masked = ""
        # The centre answered that it sends no texts: offered no more while the kiosk runs.
        self._texts_off = False
        self._unavailable: dict[str, str] = {}
        # The CPR whose booking could not be checked (link down): its service is asked next.
        self._unverified_cpr: str | None = None
        self._ticket: uc.TicketView | None = None
        self._corner_taps: list[float] = []
        self._idle_ms = idle_ms
        self._ticket_idle_ms = ticket_idle_ms
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.go_home)
        self._hours = QTimer(self)
        self._hours.setInterval(30_000)
        self._hours.timeout.connect(self.check_hours)
        self.printer = TicketPrinter(centre, make_slip, spooler, printer_name, parent=self)
        self.printer.printed.connect(lambda view: emit(self.ticket_printed, view))
        self.printer.failed.connect(self._on_print_failed)

    # -- state -------------------------------------------------------------

    @property
    def language(self) -> str:
        """The visitor's language."""
        return self._lang

    @property
    def screen(self) -> Screen:
        """The screen shown."""
        return self._screen

    @property
    def busy(self) -> bool:
        """Whether a use case is running."""
        return self._busy

    @property
    def accessible(self) -> bool:
        """Whether accessibility mode is on."""
        return self._accessible

    @property
    def priority(self) -> str:
        """The priority class chosen for the next walk-in ticket."""
        return self._priority

    @property
    def ticket(self) -> uc.TicketView | None:
        """The ticket on the ticket screen."""
        return self._ticket

    @property
    def phone_offered(self) -> bool:
        """Whether a visitor may take the ticket on their phone (tickets carry a link)."""
        return self.config.public.enabled

    @property
    def on_phone(self) -> bool:
        """Whether the next ticket goes to the visitor's phone instead of paper."""
        return self._on_phone

    @property
    def ticket_on_phone(self) -> bool:
        """Whether the ticket on the ticket screen was taken on the phone (and not printed)."""
        return self._ticket_on_phone

    @property
    def texts_offered(self) -> bool:
        """Whether the ticket on screen may be followed by texts (it has a link, the centre is
        not known to send none, and no number is kept for it yet)."""
        ticket = self._ticket
        return (
            ticket is not None
            and ticket.link is not None
            and not self._texts_off
            and self._texts_note not in (TextsNote.KEPT, TextsNote.ENDED)
        )

    @property
    def texts_note(self) -> TextsNote:
        """What the kiosk says of texts about the ticket on screen."""
        return self._texts_note

    @property
    def texts_masked(self) -> str:
        """The number texts will go to, all but its last four digits masked (``****1234``)."""
        return self._texts_masked

    @property
    def shown_phone(self) -> str:
        """The mobile number typed on the texts pad as the pad shows it (``3600 1234``)."""
        return group_digits(self._phone)

    @property
    def booking_unreachable(self) -> bool:
        """Whether the services screen asks for the service of a booking the kiosk cannot see."""
        return self._unverified_cpr is not None

    @property
    def masked_cpr(self) -> str:
        """The typed CPR as the screen shows it."""
        return mask_typed(self._digits)

    @property
    def pending(self) -> int:
        """Use cases submitted and not yet answered."""
        return self._runner.pending

    # -- life --------------------------------------------------------------

    def start(self) -> None:
        """Show home (or the closed screen) and begin watching hours and idleness."""
        self._hours.start()
        self.check_hours()

    def stop(self) -> None:
        """Stop timers and the worker; the spooler is stopped by whoever made it."""
        self._idle.stop()
        self._hours.stop()
        self._runner.shutdown()
        self.printer.stop()

    def touch(self) -> None:
        """The visitor did something: restart the idle countdown."""
        if self._screen in (Screen.HOME, Screen.CLOSED):
            self._idle.stop()
            return
        # A printed ticket is in the visitor's hand; one on the phone needs time to scan.
        paper = self._screen is Screen.TICKET and not self._ticket_on_phone
        self._idle.start(self._ticket_idle_ms if paper else self._idle_ms)

    def check_hours(self) -> None:
        """Show the closed screen outside opening hours, home when the centre opens."""
        closed = opens_next(self.config, self._clock.now()) is not None
        if closed and self._screen is not Screen.CLOSED and not self._busy:
            self._show(Screen.CLOSED)
        elif not closed and self._screen is Screen.CLOSED:
            self._show(Screen.HOME)
        elif self._screen is Screen.HOME:
            emit(self.screen_changed, Screen.HOME.value)

    def opens_at(self) -> datetime | None:
        """When the centre next opens, while it is closed."""
        return opens_next(self.config, self._clock.now())

    def set_language(self, lang: str) -> None:
        """Speak ``lang`` ("ar" or "en")."""
        check_language(lang)
        if lang != self._lang:
            self._lang = lang
            emit(self.language_changed, lang)
        self.touch()

    def toggle_accessibility(self) -> None:
        """Turn accessibility mode on or off."""
        self._accessible = not self._accessible
        emit(self.accessibility_changed, self._accessible)

    def go_home(self) -> None:
        """Back to the start, forgetting the visitor."""
        if self._busy:
            # A use case is answering: go home when it has.
            self._idle.start(1000)
            return
        self._digits = ""
        self._pin = ""
        self._priority = "normal"
        self._set_on_phone(False)
        self._ticket = None
        self._ticket_on_phone = False
        self._unverified_cpr = None
        self._set_texts(TextsNote.NONE, "")
        emit(self.cpr_changed, "")
        self._show(Screen.HOME)
        self.check_hours()

    # -- CPR ---------------------------------------------------------------

    def start_cpr(self) -> None:
        """The visitor has an appointment: ask for the CPR."""
        if self._blocked():
            return
        self._digits = ""
        emit(self.cpr_changed, "")
        self._show(Screen.CPR)

    def press_digit(self, digit: str) -> None:
        """A digit of the CPR (Arabic-Indic digits too)."""
        if self._blocked() or len(digit) != 1 or not digit.isdigit():
            return
        if len(self._digits) < CPR_DIGITS:
            self._digits += str(int(digit))
            emit(self.cpr_changed, self.masked_cpr)
        self.touch()

    def backspace(self) -> None:
        """Remove the last digit."""
        if self._blocked():
            return
        self._digits = self._digits[:-1]
        emit(self.cpr_changed, self.masked_cpr)
        self.touch()

    def clear_cpr(self) -> None:
        """Remove every digit."""
        if self._blocked():
            return
        self._digits = ""
        emit(self.cpr_changed, "")
        self.touch()

    def submit_cpr(self) -> None:
        """Look up the typed CPR's appointments: check in one, or list several to choose from."""
        if self._blocked():
            return
        if len(self._digits) != CPR_DIGITS:
            self._tell(Message(describe_invalid_cpr()), stay=True)
            return
        cpr = self._digits
        centre, config, lang = self._centre, self.config, self._lang

        def look_up() -> uc.TicketView | list[uc.AppointmentOption] | _BookingUnreachable:
            options = centre.appointments_for_cpr(cpr)
            if len([o for o in options if o.verdict == "open"]) > 1:
                return options
            try:
                return centre.check_in_by_cpr(cpr, lang=lang)
            except NoAppointment:
                # Offline, the booking may exist centrally without having been pulled.
                if options or not config.central.url:
                    raise
                if centre.queue_status().sync.link == ONLINE:
                    raise
                return _BookingUnreachable()

        self._run(look_up, self._looked_up)

    def choose_appointment(self, appointment_id: str) -> None:
        """Check in the appointment the visitor chose."""
        if self._blocked() or len(self._digits) != CPR_DIGITS:
            return
        cpr = self._digits
        centre, lang = self._centre, self._lang
        self._run(
            lambda: centre.check_in_by_cpr(cpr, appointment_id=appointment_id, lang=lang),
            self._issued,
        )

    # -- QR ----------------------------------------------------------------

    def scan(self, raw: str | bytes) -> None:
        """A scanned or typed booking QR: check it in, from whatever screen is showing."""
        if self._busy or self._screen in (Screen.PIN, Screen.CLOSED):
            log.info("scan ignored: the kiosk is busy or closed")
            return
        payload = clean_scan(raw)
        if payload is None:
            self._tell(Message(describe_unreadable()))
            return
        centre, lang = self._centre, self._lang
        self._digits = ""
        self._run(lambda: centre.check_in_by_qr(payload, lang=lang), self._issued)

    def unreadable_scan(self) -> None:
        """A scanner read something that is not text: ask for the QR again."""
        if self._busy or self._screen in (Screen.PIN, Screen.CLOSED):
            return
        self._tell(Message(describe_unreadable()))

    # -- walk-in -----------------------------------------------------------

    def start_walk_in(self) -> None:
        """The visitor wants a ticket: list the walk-in services and which are open now."""
        if self._blocked():
            return
        self._unverified_cpr = None
        centre = self._centre
        self._run(centre.queue_status, self._listed)

    def set_priority(self, name: str) -> None:
        """Choose a priority class ("normal" or one of the config's)."""
        if name != "normal" and name not in self.config.policy.priority_classes:
            return
        self._priority = name
        emit(self.priority_changed, name)
        self.touch()

    def toggle_phone(self) -> None:
        """The visitor wants the next ticket on their phone instead of paper, or paper again."""
        if self._blocked() or not self.phone_offered:
            return
        self._set_on_phone(not self._on_phone)
        self.touch()

    def choose_service(self, code: str) -> None:
        """Issue a walk-in ticket for ``code`` (or check in the unseen booking for it)."""
        if self._blocked() or code in self._unavailable:
            return
        centre, priority, lang = self._centre, self._priority, self._lang
        cpr = self._unverified_cpr
        if cpr is not None:
            self._run(
                lambda: centre.check_in_unverified(cpr, code, lang=lang),
                self._issued,
                service=code,
            )
            return
        self._run(
            lambda: centre.issue_ticket(code, priority=priority, lang=lang),
            self._issued,
            service=code,
        )

    def service_choices(self) -> list[ServiceChoice]:
        """The walk-in services with what is known of their availability."""
        return [
            ServiceChoice(
                s.code,
                s.name.ar,
                s.name.en,
                s.code not in self._unavailable,
                self._unavailable.get(s.code, ""),
            )
            for s in self.config.services
            if s.walk_in or self._unverified_cpr is not None
        ]

    # -- texts -------------------------------------------------------------

    def start_texts(self) -> None:
        """The visitor wants a text when their turn nears: open the number pad."""
        if self._blocked() or self._screen is not Screen.TICKET or not self.texts_offered:
            return
        self._set_texts(TextsNote.NONE, "")
        self._show(Screen.TEXTS)

    def press_phone_digit(self, digit: str) -> None:
        """A digit of the mobile number (Arabic-Indic digits too)."""
        if self._blocked() or self._screen is not Screen.TEXTS:
            return
        if len(digit) != 1 or not digit.isdigit():
            return
        if len(self._phone) < PHONE_MAX_DIGITS:
            self._phone += str(int(digit))
        self._typed_phone()

    def phone_backspace(self) -> None:
        """Remove the mobile number's last digit."""
        if self._blocked() or self._screen is not Screen.TEXTS:
            return
        self._phone = self._phone[:-1]
        self._typed_phone()

    def clear_phone(self) -> None:
        """Remove every digit of the mobile number."""
        if self._blocked() or self._screen is not Screen.TEXTS:
            return
        self._phone = ""
        self._typed_phone()

    def cancel_texts(self) -> None:
        """No texts after all: back to the ticket, the number forgotten."""
        if self._busy or self._screen is not Screen.TEXTS:
            return
        self._set_texts(TextsNote.NONE, "")
        self._show(Screen.TICKET)

    def send_number(self) -> None:
        """Give the typed mobile number to the centre, to text about the ticket on screen.

        A number the rules refuse stays on the pad to be corrected, and is not sent;
        one sent is forgotten here at once, whatever the centre answers.
        """
        ticket = self._ticket
        if self._blocked() or self._screen is not Screen.TEXTS or ticket is None:
            return
        typed = self._phone
        try:
            normalise_phone(typed)
        except ValueError:
            self._set_texts(TextsNote.BAD_PHONE, "")
            self.touch()
            return
        masked = mask_phone(typed)
        self._forget_phone()
        centre, lang, ticket_id = self._centre, self._lang, ticket.ticket.id
        self._run(
            lambda: centre.keep_number(ticket_id, typed, lang),
            lambda _none: self._number_kept(ticket_id, masked),
            refused=lambda error: self._number_refused(ticket_id, error),
        )

    # -- staff exit --------------------------------------------------------

    def corner_tapped(self) -> None:
        """A tap in the hidden corner; five within a few seconds ask staff for the PIN."""
        now = time.monotonic()
        self._corner_taps = [t for t in self._corner_taps if now - t < CORNER_WINDOW_S]
        self._corner_taps.append(now)
        if len(self._corner_taps) >= CORNER_TAPS and not self._busy:
            self._corner_taps.clear()
            self._pin = ""
            self._show(Screen.PIN)

    def enter_pin(self, pin: str) -> bool:
        """Staff's PIN: the right one grants the exit; a wrong one (or none set) is refused."""
        if self._exit_pin and pin == self._exit_pin:
            emit(self.exit_granted)
            return True
        self._tell(Message(describe_wrong_pin()))
        return False

    # -- internals ---------------------------------------------------------

    def _blocked(self) -> bool:
        return self._busy or self._screen is Screen.CLOSED

    def _show(self, screen: Screen) -> None:
        if screen is not Screen.TEXTS:
            # Whatever took the visitor off the pad (a scan, the hours), the number goes.
            self._forget_phone()
        self._screen = screen
        emit(self.screen_changed, screen.value)
        self.touch()

    def _forget_phone(self) -> None:
        if self._phone:
            self._phone = ""
            emit(self.phone_changed, "")

    def _typed_phone(self) -> None:
        # A refusal shown on the pad goes with the next key: the number is being corrected.
        if self._texts_note is TextsNote.BAD_PHONE:
            self._set_texts(TextsNote.NONE, "")
        emit(self.phone_changed, self.shown_phone)
        self.touch()

    def _set_texts(self, note: TextsNote, masked: str) -> None:
        if (note, masked) != (self._texts_note, self._texts_masked):
            self._texts_note = note
            self._texts_masked = masked
            emit(self.texts_changed, note.value)

    def _on_this_ticket(self, ticket_id: str) -> bool:
        return self._ticket is not None and self._ticket.ticket.id == ticket_id

    def _number_kept(self, ticket_id: str, masked: str) -> None:
        if not self._on_this_ticket(ticket_id):
            return
        self._set_texts(TextsNote.KEPT, masked)
        self._show(Screen.TICKET)

    def _number_refused(self, ticket_id: str, error: Exception) -> None:
        if not self._on_this_ticket(ticket_id):
            return
        if isinstance(error, BadPhone):
            # The centre's own rules refused it: the pad again, empty, to type it anew.
            self._set_texts(TextsNote.BAD_PHONE, "")
            self.touch()
            return
        _log_failure(error)
        if isinstance(error, TextsOff):
            log.info("the centre sends no texts: the kiosk offers them no more")
            self._texts_off = True
            note = TextsNote.OFF
        elif isinstance(error, IllegalTransition):
            note = TextsNote.ENDED
        elif isinstance(error, CentreUnreachable):
            note = TextsNote.UNREACHABLE
        else:
            note = TextsNote.FAILED
        self._set_texts(note, "")
        self._show(Screen.TICKET)

    def _set_on_phone(self, on: bool) -> None:
        if on != self._on_phone:
            self._on_phone = on
            emit(self.on_phone_changed, on)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            emit(self.busy_changed, busy)

    def _run(
        self,
        job: Callable[[], object],
        done: Callable[[object], None],
        service: str | None = None,
        refused: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``job`` on the worker; ``done`` its result, or ``refused`` (by default a message
        screen) its error."""
        self._set_busy(True)

        def finished(result: object) -> None:
            self._set_busy(False)
            try:
                done(result)
            except Exception as error:
                log.exception("the kiosk could not show a result")
                self._refused(error)

        def failed(error: Exception) -> None:
            self._set_busy(False)
            if refused is not None:
                refused(error)
                return
            if isinstance(error, QuotaReached | ServicePaused) and service is not None:
                self._unavailable[service] = (
                    "quota" if isinstance(error, QuotaReached) else "paused"
                )
                emit(self.services_listed, self.service_choices())
            self._refused(error)

        self._runner.submit(job, finished, failed)

    def _refused(self, error: Exception) -> None:
        _log_failure(error)
        service = error.params.get("service") if isinstance(error, TaboorError) else None
        walk_in = offers_walk_in(error)
        self._digits = ""
        emit(self.cpr_changed, "")
        self._tell(
            Message(
                describe(error, self.config, self._lang),
                walk_in_service=str(service) if walk_in and service else None,
                walk_in=walk_in,
            )
        )

    def _tell(self, message: Message, *, stay: bool = False) -> None:
        emit(self.message_shown, message)
        if not stay:
            self._show(Screen.MESSAGE)
        else:
            self.touch()

    def _looked_up(self, result: object) -> None:
        if isinstance(result, _BookingUnreachable):
            self._unverified_cpr = self._digits
            self._digits = ""
            emit(self.cpr_changed, "")
            emit(self.services_listed, self.service_choices())
            self._show(Screen.SERVICES)
            return
        if isinstance(result, list):
            emit(self.appointments_listed, [o for o in result if o.verdict == "open"])
            self._show(Screen.CHOOSE)
        else:
            self._issued(result)

    def _listed(self, result: object) -> None:
        assert isinstance(result, uc.QueueStatus)
        self._unavailable = {k: v for k, v in self._unavailable.items() if v == "quota"}
        for status in result.services:
            if status.paused:
                self._unavailable[status.service.code] = "paused"
        emit(self.services_listed, self.service_choices())
        self._show(Screen.SERVICES)

    def _issued(self, result: object) -> None:
        assert isinstance(result, uc.TicketView)
        self._digits = ""
        self._unverified_cpr = None
        self._priority = "normal"
        self._ticket = result
        self._set_texts(TextsNote.NONE, "")
        # Without a link (no public address) the phone cannot follow it: it prints.
        self._ticket_on_phone = self._on_phone and result.link is not None
        self._set_on_phone(False)
        emit(self.cpr_changed, "")
        emit(self.ticket_issued, result)
        self._show(Screen.TICKET)
        if self._ticket_on_phone:
            emit(self.sent_to_phone, result)
        else:
            self.printer.print_ticket(result)

    def _on_print_failed(self, view: uc.TicketView, _reason: str) -> None:
        # Only the ticket on screen can show its QR instead.
        if self._ticket is not None and self._ticket.ticket.id == view.ticket.id:
            emit(self.print_failed, view)


def _log_failure(error: Exception) -> None:
    """Tell staff, in the log, what they can act on; a refusal by the rules is the visitor's."""
    if isinstance(error, DeviceRefused):
        # For staff: the visitor is only sent to the desk.
        log.error("the centre refuses this kiosk (%s): enrol it again", describe_failure(error))
    elif isinstance(error, CentreUnreachable):
        log.warning("the centre cannot be reached (%s)", describe_failure(error))
    elif not isinstance(error, TaboorError):
        log.error("kiosk use case failed: %s", type(error).__name__)


def mask_typed(digits: str) -> str:
    """A partly typed CPR as shown: stars for all but the last four of nine digits."""
    if len(digits) <= CPR_DIGITS - 4:
        return "*" * len(digits)
    return mask_cpr(digits) if len(digits) == CPR_DIGITS else "*" * (CPR_DIGITS - 4) + digits[5:]


def group_digits(digits: str) -> str:
    """Digits in groups of four, as a number is read out: ``3600 1234``."""
    return " ".join(digits[start : start + 4] for start in range(0, len(digits), 4))


def mask_phone(digits: str) -> str:
    """A mobile number as the screen may show it once sent: ``****1234``."""
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def describe_invalid_cpr() -> str:
    """The sentence for a CPR not fully typed."""
    return QCoreApplication.translate(
        "KioskMessages", "A CPR number has 9 digits. Please type all of them."
    )


def describe_unreadable() -> str:
    """The sentence for a scan that is not text."""
    return QCoreApplication.translate(
        "KioskMessages", "The code could not be read. Please scan your booking QR again."
    )


def describe_wrong_pin() -> str:
    """The sentence for a wrong staff PIN."""
    return QCoreApplication.translate("KioskMessages", "Wrong PIN.")


__all__ = [
    "KioskViewModel",
    "Message",
    "Screen",
    "ServiceChoice",
    "TextsNote",
    "group_digits",
    "mask_phone",
    "mask_typed",
]
