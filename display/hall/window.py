"""The hall screen: the number called now, the last calls and every queue, in Arabic and English.

With a public address it also shows the paperless-ticket QR (a new one every
``[public] join_seconds``): beside the last calls, in both orientations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from centre.config import Names
from centre.phones import JoinLink
from display.hall.viewmodel import RECENT_CALLS, Call, HallViewModel, Message
from display.views import ServiceQueue, service_name
from ui.fonts import FontBook
from ui.i18n import Bilingual, BilingualText, direction
from ui.qr import qr_pixmap
from ui.widgets import BilingualLabel, load_style, named, resize_font, set_flag, text_label

# -- the window ----------------------------------------------------------------

_ARABIC_LOCALE = QLocale(QLocale.Language.Arabic, QLocale.Country.Bahrain)
_ENGLISH_LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


class HallWindow(QWidget):
    """The hall screen: landscape (1920 x 1080) or portrait, readable from across the hall."""

    def __init__(
        self,
        view_model: HallViewModel,
        fonts: FontBook,
        texts: BilingualText | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm = view_model
        self._fonts = fonts
        self._texts = texts or BilingualText()
        self._portrait: bool | None = None
        config = view_model.config
        self.setObjectName("hall")
        self.setWindowTitle(f"Taboor — {config.centre.name.en}")
        # Both languages are shown; the layout follows the centre's first one.
        self.setLayoutDirection(direction(config.centre.languages[0]))
        self.setStyleSheet(load_style("hall"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        self._build_header()
        self._build_now()
        self._build_recent()
        self._build_queues()
        self._build_join()
        self._build_footer()
        self._root = QVBoxLayout(self)
        # A screen is the size it is: text is sized to fit it, never the other way round.
        self._root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._root.setContentsMargins(0, 0, 0, 0)
        self._root.setSpacing(0)
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._root.addWidget(self._header)
        self._root.addLayout(self._body, 1)
        self._root.addWidget(self._queues)
        self._root.addWidget(self._connection)
        self._root.addWidget(self._message)
        # The last calls and the paperless-ticket QR share a row in both orientations:
        # beside the call shown large (landscape) or under it (portrait).
        self._side = QHBoxLayout()
        self._side.setSpacing(0)
        self._side.addWidget(self._recent, 1)
        self._side.addWidget(self._join)
        self._body.addWidget(self._now, 11)
        self._body.addLayout(self._side, 9)
        self.resize(1920, 1080)
        self._arrange(portrait=False)

        view_model.calls_changed.connect(self._show_calls)
        view_model.current_changed.connect(self._show_current)
        view_model.highlight_changed.connect(self._show_highlight)
        view_model.queues_changed.connect(self._show_queues)
        view_model.message_changed.connect(self._show_message)
        view_model.time_changed.connect(self._show_time)
        view_model.connection_changed.connect(self._show_connection)
        view_model.join_changed.connect(self._show_join)
        self._show_current(view_model.current)
        self._show_queues(view_model.queues)
        self._show_message(view_model.message)
        self._show_time(view_model.local_time())
        self._show_connection(view_model.connected)
        self._show_highlight(view_model.highlighted)
        self._show_join(view_model.join)

    # -- what tests and the bench read -------------------------------------

    def shown_number(self) -> str:
        """The number shown large."""
        return self._now_number.text()

    def shown_counter(self) -> str:
        """The counter shown with it."""
        return self._now_counter.text()

    def shows_highlight(self) -> bool:
        """Whether the call shown large is highlighted."""
        return bool(self._now.property("highlighted") == "true")

    def shown_recent(self) -> list[tuple[str, str]]:
        """The other calls listed: (number, counter), newest first."""
        return [(n.text(), c.text()) for n, c in self._recent_rows if n.text()]

    def shows_offline(self) -> bool:
        """Whether the "reconnecting" band is shown."""
        return self._connection.isVisibleTo(self)

    def is_portrait(self) -> bool:
        """Whether the portrait arrangement is in use."""
        return bool(self._portrait)

    def shown_join(self) -> str | None:
        """The address the paperless-ticket QR holds, while one is shown."""
        return self._join_url if self._join.isVisibleTo(self) else None

    def join_caption(self) -> Bilingual:
        """The words beside the paperless-ticket QR."""
        return self._join_caption.text()

    def areas(self) -> dict[str, QRect]:
        """Where the call shown large ("now"), the last calls ("recent") and the
        paperless-ticket QR ("join") are drawn, in the window's coordinates."""
        parts = {"now": self._now, "recent": self._recent, "join": self._join_qr}
        return {
            name: QRect(part.mapTo(self, part.rect().topLeft()), part.size())
            for name, part in parts.items()
        }

    # -- building ------------------------------------------------------------

    def _build_header(self) -> None:
        config = self._vm.config
        self._header = named(QFrame(), "header")
        # Arabic on the right and English on the left, as on the centre's signs,
        # whatever the window's direction; the clock between them.
        self._header.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        layout = QBoxLayout(QBoxLayout.Direction.RightToLeft, self._header)
        self._centre_ar = text_label(self._fonts, "ar", "centreName", wrap=True)
        self._centre_ar.setText(config.centre.name.ar)
        self._centre_en = text_label(self._fonts, "en", "centreName", wrap=True)
        self._centre_en.setText(config.centre.name.en)
        self._time = text_label(self._fonts, "en", "time", align=Qt.AlignmentFlag.AlignCenter)
        self._date = BilingualLabel(self._fonts, "date", align=Qt.AlignmentFlag.AlignCenter)
        clock = QVBoxLayout()
        clock.setSpacing(0)
        clock.addWidget(self._time)
        clock.addWidget(self._date)
        layout.addWidget(self._centre_ar, 1)
        layout.addLayout(clock)
        layout.addWidget(self._centre_en, 1)

    def _build_now(self) -> None:
        self._now = named(QFrame(), "now")
        layout = QVBoxLayout(self._now)
        self._now_title = BilingualLabel(
            self._fonts, "nowTitle", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )
        self._now_title.set_text(self._texts.translate("HallWindow", "Now calling"))
        self._now_number = text_label(
            self._fonts, "en", "nowNumber", align=Qt.AlignmentFlag.AlignCenter
        )
        self._now_counter_title = BilingualLabel(self._fonts, "nowCounterTitle")
        self._now_counter_title.set_text(self._texts.translate("HallWindow", "Counter"))
        self._now_counter = text_label(
            self._fonts, "en", "nowCounter", align=Qt.AlignmentFlag.AlignCenter
        )
        where = QHBoxLayout()
        where.addStretch(1)
        where.addWidget(self._now_counter_title)
        where.addSpacing(24)
        where.addWidget(self._now_counter)
        where.addStretch(1)
        self._now_service = BilingualLabel(
            self._fonts, "nowService", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )
        layout.addWidget(self._now_title)
        layout.addStretch(1)
        layout.addWidget(self._now_number)
        layout.addLayout(where)
        layout.addStretch(1)
        layout.addWidget(self._now_service)

    def _build_recent(self) -> None:
        self._recent = named(QFrame(), "recent")
        layout = QGridLayout(self._recent)
        title = BilingualLabel(
            self._fonts, "recentTitle", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )
        title.set_text(self._texts.translate("HallWindow", "Last calls"))
        ticket = BilingualLabel(self._fonts, "columnTitle", align=Qt.AlignmentFlag.AlignCenter)
        ticket.set_text(self._texts.translate("HallWindow", "Ticket"))
        counter = BilingualLabel(self._fonts, "columnTitle", align=Qt.AlignmentFlag.AlignCenter)
        counter.set_text(self._texts.translate("HallWindow", "Counter"))
        self._recent_titles = [title, ticket, counter]
        layout.addWidget(title, 0, 0, 1, 2)
        layout.addWidget(ticket, 1, 0)
        layout.addWidget(counter, 1, 1)
        self._recent_rows: list[tuple[QLabel, QLabel]] = []
        for row in range(RECENT_CALLS):
            number = text_label(
                self._fonts, "en", "recentNumber", align=Qt.AlignmentFlag.AlignCenter
            )
            where = text_label(
                self._fonts, "en", "recentCounter", align=Qt.AlignmentFlag.AlignCenter
            )
            for label in (number, where):
                set_flag(label, "odd", row % 2 == 1)
                label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            layout.addWidget(number, row + 2, 0)
            layout.addWidget(where, row + 2, 1)
            self._recent_rows.append((number, where))
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)

    def _build_queues(self) -> None:
        self._queues = named(QFrame(), "queues")
        self._queue_grid = QGridLayout(self._queues)
        self._queue_cards: dict[str, _QueueCard] = {}
        for service in self._vm.config.services:
            card = _QueueCard(self._fonts, self._texts, service.name)
            self._queue_cards[service.code] = card

    def _build_join(self) -> None:
        self._join = named(QFrame(), "join")
        layout = QVBoxLayout(self._join)
        self._join_caption = BilingualLabel(
            self._fonts, "joinCaption", align=Qt.AlignmentFlag.AlignCenter, wrap=True
        )
        self._join_caption.set_text(
            self._texts.translate("HallWindow", "Take your ticket on your phone")
        )
        self._join_qr = named(QLabel(), "joinQr")
        self._join_qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self._join_caption)
        layout.addStretch(1)
        layout.addWidget(self._join_qr, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self._join_url: str | None = None
        # The pixmap drawn last, and for which address and size: redrawn only when either changes.
        self._join_drawn: tuple[str, int] | None = None
        self._join.hide()

    def _build_footer(self) -> None:
        self._connection = BilingualLabel(
            self._fonts, "connection", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )
        self._connection.set_text(
            self._texts.translate("HallWindow", "Reconnecting to the centre… numbers may be late")
        )
        self._message = BilingualLabel(
            self._fonts, "message", stacked=False, align=Qt.AlignmentFlag.AlignCenter
        )

    # -- arranging and sizing ------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Arrange for the screen's orientation and size every font to it."""
        size = event.size()
        self._arrange(portrait=size.height() > size.width())
        super().resizeEvent(event)

    def _arrange(self, *, portrait: bool) -> None:
        if portrait != self._portrait:
            self._portrait = portrait
            self._body.setDirection(
                QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
            )
            for card in self._queue_cards.values():
                self._queue_grid.removeWidget(card)
            columns = 2 if portrait else max(len(self._queue_cards), 1)
            self._message.set_stacked(portrait)
            for index, card in enumerate(self._queue_cards.values()):
                self._queue_grid.addWidget(card, index // columns, index % columns)
            self._stretch_body()
        self._size_fonts()

    def _size_fonts(self) -> None:
        width, height = max(self.width(), 1), max(self.height(), 1)
        # One unit is a pixel on a 1920 x 1080 screen (1080 x 1920 when portrait).
        if self._portrait:
            unit = min(width / 1080, height / 1920)
        else:
            unit = min(width / 1920, height / 1080)

        def px(size: float) -> int:
            return max(int(size * unit), 6)

        # Fixed bands; the calls take what is left.
        self._header.setFixedHeight(px(150))
        # The QR panel: a fixed width; the QR as large as its panel allows (a phone
        # reads it from two or three metres), never so large it crowds the calls.
        self._join.setFixedWidth(px(320 if self._portrait else 360))
        caption = (26, 24) if self._portrait else (32, 28)
        self._join_caption.set_pixel_size(px(caption[0]), px(caption[1]), bold=True)
        self._draw_join(px(264 if self._portrait else 300))
        self._queues.setFixedHeight(px(3 * 170 if self._portrait else 230))
        self._message.setFixedHeight(px(120 if self._portrait else 72))
        self._connection.setFixedHeight(px(56))
        resize_font(self._centre_ar, px(34 if self._portrait else 40), bold=True)
        resize_font(self._centre_en, px(28 if self._portrait else 34), bold=True)
        resize_font(self._time, px(64), bold=True)
        self._date.set_pixel_size(px(24), px(22))
        self._now_title.set_pixel_size(px(50), px(46), bold=True)
        resize_font(self._now_number, px(230), bold=True)
        self._now_counter_title.set_pixel_size(px(44), px(38), bold=True)
        resize_font(self._now_counter, px(140), bold=True)
        self._now_service.set_pixel_size(px(28), px(26))
        self._recent_titles[0].set_pixel_size(px(44), px(40), bold=True)
        for title in self._recent_titles[1:]:
            title.set_pixel_size(px(26), px(24))
        for number, where in self._recent_rows:
            resize_font(number, px(62), bold=True)
            resize_font(where, px(62), bold=True)
        for card in self._queue_cards.values():
            card.size_fonts(px)
        self._connection.set_pixel_size(px(30), px(28), bold=True)
        self._message.set_pixel_size(px(34), px(30))

    # -- showing -----------------------------------------------------------

    def _show_current(self, current: Call | None) -> None:
        self._now_number.setText(current.number if current else "—")
        self._now_counter.setText(self._counter_text(current.counter) if current else "")
        self._now_counter_title.setVisible(current is not None)
        self._now_counter.setVisible(current is not None)
        name = service_name(self._vm.config, current.service) if current else None
        self._now_service.set_text(Bilingual(name.ar, name.en) if name else Bilingual("", ""))
        self._show_calls(self._vm.calls)

    def _show_calls(self, calls: list[Call]) -> None:
        # Every call but the one shown large, those waiting for their turn included.
        current = self._vm.current
        earlier = [c for c in calls if c != current]
        for index, (number, where) in enumerate(self._recent_rows):
            call = earlier[index] if index < len(earlier) else None
            number.setText(call.number if call else "")
            where.setText(self._counter_text(call.counter) if call else "")

    def _counter_text(self, counter_id: str) -> str:
        return counter_id

    def _show_highlight(self, highlighted: bool) -> None:
        set_flag(self._now, "highlighted", highlighted)
        for label in (self._now_number, self._now_counter):
            set_flag(label, "highlighted", highlighted)

    def _show_queues(self, queues: list[ServiceQueue]) -> None:
        for queue in queues:
            card = self._queue_cards.get(queue.code)
            if card is not None:
                card.show_queue(queue)

    def _show_message(self, message: Message) -> None:
        self._message.set_text(Bilingual(message.ar, message.en))
        self._message.setVisible(bool(message.ar or message.en))

    def _show_time(self, now: datetime) -> None:
        self._time.setText(now.strftime("%H:%M"))
        day = QDate(now.year, now.month, now.day)
        pattern = "dddd d MMMM yyyy"
        self._date.set_text(
            Bilingual(_ARABIC_LOCALE.toString(day, pattern), _ENGLISH_LOCALE.toString(day, pattern))
        )

    def _show_connection(self, connected: bool) -> None:
        self._connection.setVisible(not connected)

    def _show_join(self, link: JoinLink | None) -> None:
        self._join_url = link.url if link is not None else None
        self._join.setVisible(link is not None)
        self._stretch_body()
        self._size_fonts()

    def _draw_join(self, size: int) -> None:
        url = self._join_url
        if url is None or self._join_drawn == (url, size):
            return
        self._join_drawn = (url, size)
        self._join_qr.setPixmap(qr_pixmap(url, size))

    def _stretch_body(self) -> None:
        # Landscape: the QR's panel sits at the end of the last calls, and the call shown
        # large gives up some width so the list keeps most of its own. Portrait: the call
        # spans the width above; the list beneath gives the QR its panel.
        if self._join.isVisibleTo(self) and not self._portrait:
            self._body.setStretch(0, 8)
            self._body.setStretch(1, 11)
        else:
            self._body.setStretch(0, 11)
            self._body.setStretch(1, 9)


class _QueueCard(QFrame):
    """One service on the hall screen: its name, people waiting, estimated wait."""

    def __init__(self, fonts: FontBook, texts: BilingualText, name: Names) -> None:
        super().__init__()
        self.setObjectName("queueCard")
        self._texts = texts
        layout = QVBoxLayout(self)
        self._name = BilingualLabel(
            fonts, "queueName", align=Qt.AlignmentFlag.AlignCenter, wrap=True
        )
        self._name.set_text(Bilingual(name.ar, name.en))
        self._waiting = text_label(fonts, "en", "queueWaiting", align=Qt.AlignmentFlag.AlignCenter)
        self._detail = BilingualLabel(fonts, "queueDetail", align=Qt.AlignmentFlag.AlignCenter)
        figures = QHBoxLayout()
        figures.addWidget(self._waiting)
        figures.addWidget(self._detail, 1)
        layout.addWidget(self._name, 1)
        layout.addLayout(figures)
        self._waiting.setText("-")

    def show_queue(self, queue: ServiceQueue) -> None:
        """Show the queue's figures."""
        self._waiting.setText(str(queue.waiting))
        waiting = self._texts.translate("HallWindow", "waiting")
        if queue.paused:
            wait = self._texts.translate("HallWindow", "paused for now")
        elif queue.waiting == 0:
            wait = self._texts.translate("HallWindow", "no wait")
        elif queue.eta_minutes is None:
            wait = Bilingual("", "")
        else:
            wait = self._texts.translate("HallWindow", "about %1 min").filled(queue.eta_minutes)
        self._detail.set_text(
            Bilingual(
                " · ".join(t for t in (waiting.ar, wait.ar) if t),
                " · ".join(t for t in (waiting.en, wait.en) if t),
            )
        )
        set_flag(self, "paused", queue.paused)

    def size_fonts(self, px: Callable[[float], int]) -> None:
        """Size the card's text with ``px`` (design pixels to screen pixels)."""
        self._name.set_pixel_size(px(23), px(19), bold=True)
        resize_font(self._waiting, px(68), bold=True)
        self._detail.set_pixel_size(px(20), px(18))


__all__ = ["HallWindow"]
