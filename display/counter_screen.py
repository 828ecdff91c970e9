"""The screen over a counter, facing visitors: the counter's number and its ticket, bilingual."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QLayout, QVBoxLayout, QWidget

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType, TicketState
from centre.store.unit_of_work import Store
from display.follower import EventFollower
from display.following import LogFollowingViewModel, single_shot
from ui.fonts import FontBook
from ui.i18n import Bilingual, BilingualText
from ui.signals import emit
from ui.tasks import TaskRunner
from ui.widgets import BilingualLabel, load_style, named, resize_font, set_flag, text_label

HIGHLIGHT_SECONDS = 8.0


@dataclass(frozen=True)
class CounterCall:
    """The ticket at a counter: called to it, or being served there."""

    number: str
    service: str
    state: TicketState


class CounterScreenViewModel(LogFollowingViewModel[uc.CounterDesk]):
    """What the screen over one counter shows, kept current from the event log."""

    # CounterCall | None: the ticket at the counter now (None: no ticket)
    ticket_changed = Signal(object)
    # bool: whether the ticket is highlighted (for a few seconds after a call or recall)
    highlight_changed = Signal(bool)
    # bool: whether the counter is open
    open_changed = Signal(bool)
    # connection_changed and loaded: see LogFollowingViewModel

    def __init__(
        self,
        config: CentreConfig,
        store: Store,
        clock: Clock,
        follower: EventFollower,
        counter_id: str,
        *,
        highlight_seconds: float = HIGHLIGHT_SECONDS,
        runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        counter = uc.resolve_counter(config, counter_id)
        super().__init__(
            config,
            store,
            clock,
            follower,
            name=f"counter screen {counter.id}",
            loads=runner,
            loads_name=f"counter-screen-{counter.id}",
            parent=parent,
        )
        self._counter = counter
        self._ticket: CounterCall | None = None
        self._open = False
        self._highlighted = False
        self._highlight_timer = single_shot(
            self, int(highlight_seconds * 1000), lambda: self._set_highlight(False)
        )

    @property
    def counter_id(self) -> str:
        """The counter this screen is over."""
        return self._counter.id

    @property
    def ticket(self) -> CounterCall | None:
        """The ticket at the counter."""
        return self._ticket

    @property
    def is_open(self) -> bool:
        """Whether the counter is open."""
        return self._open

    @property
    def highlighted(self) -> bool:
        """Whether the ticket is highlighted."""
        return self._highlighted

    def stop(self) -> None:
        """Stop following."""
        self._highlight_timer.stop()
        super().stop()

    def _read_state(self, head: int) -> uc.CounterDesk:
        return uc.counter_desk(self._store, self._clock, self._config, self._counter.id)

    def _show_state(self, state: uc.CounterDesk) -> None:
        ticket = state.ticket
        self._set_open(state.is_open or ticket is not None)
        self._set_ticket(
            CounterCall(ticket.number, ticket.service, ticket.state) if ticket is not None else None
        )

    def _apply(self, events: list[Event]) -> None:
        mine = self._counter.id
        for event in events:
            kind = event.type
            if kind is EventType.TRANSFERRED:
                if event.data.get("from_counter") == mine:
                    self._set_ticket(None)
                continue
            if event.counter != mine:
                continue
            if kind is EventType.COUNTER_OPENED:
                self._set_open(True)
            elif kind is EventType.COUNTER_CLOSED:
                self._set_open(False)
                self._set_ticket(None)
            elif kind is EventType.CALLED and event.ticket_number and event.service:
                self._set_open(True)
                self._set_ticket(
                    CounterCall(event.ticket_number, event.service, TicketState.CALLED)
                )
                self._set_highlight(True)
            elif kind is EventType.RECALLED and self._ticket is not None:
                self._set_highlight(True)
            elif kind is EventType.SERVING and self._ticket is not None:
                self._set_ticket(
                    CounterCall(self._ticket.number, self._ticket.service, TicketState.SERVING)
                )
            elif kind in (EventType.SERVED, EventType.NO_SHOW):
                self._set_ticket(None)

    def _set_ticket(self, ticket: CounterCall | None) -> None:
        if ticket != self._ticket:
            self._ticket = ticket
            emit(self.ticket_changed, ticket)
        if ticket is None and self._highlighted:
            self._set_highlight(False)

    def _set_highlight(self, highlighted: bool) -> None:
        self._highlighted = highlighted
        if highlighted:
            self._highlight_timer.start()
        else:
            self._highlight_timer.stop()
        emit(self.highlight_changed, highlighted)

    def _set_open(self, is_open: bool) -> None:
        if is_open != self._open:
            self._open = is_open
            emit(self.open_changed, is_open)


class CounterScreenWindow(QWidget):
    """The counter's number and its ticket, large, in Arabic and English."""

    def __init__(
        self,
        view_model: CounterScreenViewModel,
        fonts: FontBook,
        texts: BilingualText | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._texts = texts or BilingualText()
        self.setObjectName("counterScreen")
        self.setWindowTitle(f"Taboor — counter {view_model.counter_id}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(load_style("counter_screen"))

        self._header = named(QFrame(), "header")
        self._header.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # Arabic on the right, English on the left, the counter's number between.
        header = QBoxLayout(QBoxLayout.Direction.RightToLeft, self._header)
        self._counter_ar = text_label(
            fonts, "ar", "counterWord", align=Qt.AlignmentFlag.AlignCenter
        )
        self._counter_en = text_label(
            fonts, "en", "counterWord", align=Qt.AlignmentFlag.AlignCenter
        )
        word = self._texts.translate("CounterScreenWindow", "Counter")
        self._counter_ar.setText(word.ar)
        self._counter_en.setText(word.en)
        self._counter_number = text_label(
            fonts, "en", "counterNumber", align=Qt.AlignmentFlag.AlignCenter
        )
        self._counter_number.setText(view_model.counter_id)
        header.addWidget(self._counter_ar, 1)
        header.addWidget(self._counter_number)
        header.addWidget(self._counter_en, 1)

        self._panel = named(QFrame(), "ticketPanel")
        self._number = text_label(fonts, "en", "ticketNumber", align=Qt.AlignmentFlag.AlignCenter)
        self._status = BilingualLabel(fonts, "status", align=Qt.AlignmentFlag.AlignCenter)
        panel = QVBoxLayout(self._panel)
        panel.addWidget(self._number, 1)
        panel.addWidget(self._status)

        self._connection = BilingualLabel(
            fonts, "connection", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )
        self._connection.set_text(
            self._texts.translate("CounterScreenWindow", "Reconnecting to the centre…")
        )

        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._header)
        root.addWidget(self._panel, 1)
        root.addWidget(self._connection)

        view_model.ticket_changed.connect(lambda _ticket: self._show())
        view_model.open_changed.connect(lambda _open: self._show())
        view_model.highlight_changed.connect(self._show_highlight)
        view_model.connection_changed.connect(self._show_connection)
        self._show()
        self._show_highlight(view_model.highlighted)
        self._show_connection(view_model.connected)
        self.resize(1280, 720)
        self._size_fonts()

    def shown_number(self) -> str:
        """The ticket number shown."""
        return self._number.text()

    def shown_status(self) -> Bilingual:
        """The status line shown."""
        return self._status.text()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Size every font to the screen."""
        self._size_fonts()
        super().resizeEvent(event)

    def _size_fonts(self) -> None:
        unit = min(self.width() / 1280, self.height() / 720)

        def px(pixels: float) -> int:
            return max(int(pixels * unit), 6)

        self._header.setFixedHeight(px(170))
        self._connection.setFixedHeight(px(48))
        resize_font(self._counter_ar, px(72), bold=True)
        resize_font(self._counter_en, px(64), bold=True)
        resize_font(self._counter_number, px(140), bold=True)
        resize_font(self._number, px(300), bold=True)
        self._status.set_pixel_size(px(44), px(38), bold=True)
        self._connection.set_pixel_size(px(26), px(24), bold=True)

    def _show(self) -> None:
        ticket = self._vm.ticket
        translate = self._texts.translate
        if not self._vm.is_open:
            number, status = "", translate("CounterScreenWindow", "This counter is closed")
        elif ticket is None:
            number, status = "—", translate("CounterScreenWindow", "Please wait for your number")
        elif ticket.state is TicketState.SERVING:
            number, status = ticket.number, translate("CounterScreenWindow", "Now serving")
        else:
            number, status = (
                ticket.number,
                translate("CounterScreenWindow", "Please come to this counter"),
            )
        self._number.setText(number)
        self._status.set_text(status)
        set_flag(self._panel, "closed", not self._vm.is_open)

    def _show_highlight(self, highlighted: bool) -> None:
        set_flag(self._panel, "highlighted", highlighted)

    def _show_connection(self, connected: bool) -> None:
        self._connection.setVisible(not connected)


__all__ = ["CounterCall", "CounterScreenViewModel", "CounterScreenWindow"]
