"""The screen over a counter, facing visitors: its number, its ticket, and a rating when done.

When the counter marks its ticket done, the screen asks the visitor, in
Arabic and English at once, to rate the service with one of five faces.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial

from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from centre import usecases as uc
from centre.clock import Clock
from centre.config import CentreConfig
from centre.domain import Event, EventType, TicketState
from centre.errors import AlreadyRated, NotServed
from centre.store.unit_of_work import Store
from centre.supervision import record_feedback
from display.follower import EventFollower
from display.following import LogFollowingViewModel, single_shot
from ui.fonts import FontBook
from ui.i18n import Bilingual, BilingualText
from ui.signals import emit
from ui.tasks import TaskRunner
from ui.widgets import BilingualLabel, load_style, named, resize_font, set_flag, text_label

log = logging.getLogger(__name__)

HIGHLIGHT_SECONDS = 8.0
# How long the faces wait for a tap, and how long the thanks stay.
RATING_SECONDS = 20.0
THANKS_SECONDS = 3.0
# The faces stay at least this long, even when the clerk calls the next visitor at once
# ("done and call next"): the visitor who was served is still at the counter.
RATING_FLOOR_SECONDS = 8.0
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class CounterCall:
    """The ticket at a counter: called to it, or being served there."""

    number: str
    service: str
    state: TicketState


@dataclass(frozen=True)
class RatingPrompt:
    """The visitor just served is asked to rate the service (or thanked for it)."""

    ticket_id: str
    number: str
    # The ticket's language: it goes first, since the visitor's is not otherwise known.
    lang: str
    thanked: bool = False


class CounterScreenViewModel(LogFollowingViewModel[uc.CounterDesk]):
    """What the screen over one counter shows, kept current from the event log.

    A ticket marked done at the counter while the screen watches (never one
    found in the log on start) brings up the rating faces; a tap records the
    rating off the GUI thread. They go after ``rating_seconds`` untouched, on
    skip, a little after a tap, or at once when the counter calls again.
    """

    # CounterCall | None: the ticket at the counter now (None: no ticket)
    ticket_changed = Signal(object)
    # bool: whether the ticket is highlighted (for a few seconds after a call or recall)
    highlight_changed = Signal(bool)
    # bool: whether the counter is open
    open_changed = Signal(bool)
    # RatingPrompt | None: the rating asked for, or the thanks for it (None: neither shows)
    rating_changed = Signal(object)
    # int: a visitor's rating, 1 to 5, is in the store
    rating_recorded = Signal(int)
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
        rating_seconds: float = RATING_SECONDS,
        thanks_seconds: float = THANKS_SECONDS,
        rating_floor_seconds: float = RATING_FLOOR_SECONDS,
        runner: TaskRunner | None = None,
        ratings: TaskRunner | None = None,
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
        # Ratings are written apart from the reads, so a slow write delays no ticket.
        self._ratings = ratings or TaskRunner(f"counter-screen-{counter.id}-ratings", parent=self)
        self._rating: RatingPrompt | None = None
        # Moves on whenever the prompt closes, so a late answer cannot bring it back.
        self._prompt_token = 0
        self._rating_window = timedelta(seconds=rating_seconds)
        self._rating_timer = single_shot(self, int(rating_seconds * 1000), self.skip_rating)
        self._thanks_timer = single_shot(self, int(thanks_seconds * 1000), self._close_rating)
        self._rating_floor_s = rating_floor_seconds
        self._rating_since: float | None = None
        self._floor_timer = single_shot(self, 0, self._close_unless_thanked)

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

    @property
    def rating(self) -> RatingPrompt | None:
        """The rating asked for (or thanked for), if any."""
        return self._rating

    def stop(self) -> None:
        """Stop following; a rating not yet written is given a moment to finish."""
        for timer in (
            self._highlight_timer,
            self._rating_timer,
            self._thanks_timer,
            self._floor_timer,
        ):
            timer.stop()
        super().stop()
        self._ratings.shutdown()

    def rate(self, rating: int) -> None:
        """The visitor tapped a face: 1 (very unhappy) to 5 (very happy)."""
        prompt = self._rating
        if prompt is None or prompt.thanked or rating not in RATINGS:
            return
        self._rating_timer.stop()
        self._set_rating(replace(prompt, thanked=True))
        self._thanks_timer.start()
        store, clock, config = self._store, self._clock, self._config

        def job() -> int:
            record_feedback(store, clock, config, prompt.ticket_id, rating)
            return rating

        self._ratings.submit(job, lambda done: emit(self.rating_recorded, done), self._not_rated)

    def skip_rating(self) -> None:
        """The visitor would rather not rate (or did not, in time): the faces go."""
        if self._rating is not None and not self._rating.thanked:
            self._close_rating()

    def _not_rated(self, error: Exception) -> None:
        if isinstance(error, (AlreadyRated, NotServed)):
            # Rated already (twice tapped, or another way), or the ticket moved on: nothing to say.
            log.info("counter screen %s: rating not recorded: %s", self._counter.id, error)
        else:
            log.warning("counter screen %s cannot record a rating: %s", self._counter.id, error)

    def _ask_rating(self, event: Event) -> None:
        ticket_id, number = event.ticket_id, event.ticket_number
        if ticket_id is None or number is None:
            return
        if self._clock.now() - event.at > self._rating_window:
            # Caught up after a lost connection: that visitor has long gone.
            return
        self._close_rating()
        token = self._prompt_token
        self._rating_since = time.monotonic()
        store, clock, config = self._store, self._clock, self._config

        def language() -> str:
            return uc.find_ticket(store, clock, config, ticket_id).lang

        def ask(lang: str) -> None:
            if token == self._prompt_token and self._running:
                self._set_rating(RatingPrompt(ticket_id, number, lang))
                self._rating_timer.start()

        def ask_anyway(error: Exception) -> None:
            log.warning("counter screen %s cannot read %s: %s", self._counter.id, number, error)
            ask("ar")

        self._ratings.submit(language, ask, ask_anyway)

    def _close_rating(self) -> None:
        self._prompt_token += 1
        self._rating_since = None
        self._rating_timer.stop()
        self._thanks_timer.stop()
        self._floor_timer.stop()
        self._set_rating(None)

    def _rating_gives_way(self) -> None:
        # The next visitor is called: the faces go, but not before the floor.
        if self._rating_since is None:
            self._close_rating()
            return
        left = self._rating_floor_s - (time.monotonic() - self._rating_since)
        if left <= 0:
            self._close_rating()
        else:
            self._floor_timer.start(int(left * 1000))

    def _close_unless_thanked(self) -> None:
        # A visitor who just tapped a face sees the thanks to its end.
        if self._rating is None or not self._rating.thanked:
            self._close_rating()

    def _set_rating(self, prompt: RatingPrompt | None) -> None:
        if prompt != self._rating:
            self._rating = prompt
            emit(self.rating_changed, prompt)

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
                # The next visitor is called: the last one's rating gives way.
                self._rating_gives_way()
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
            elif kind is EventType.SERVED:
                self._set_ticket(None)
                self._ask_rating(event)
            elif kind is EventType.NO_SHOW:
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


# Rules for the rating faces, on top of assets/styles/counter_screen.qss.
EXTRA_STYLE = """
QFrame#ratingPanel {
    background: #10294b;
    border: 6px solid #ffcc00;
    border-radius: 24px;
    margin: 16px 24px;
}

QLabel#ratingNumber {
    color: #ffcc00;
}

QPushButton#skipRating {
    color: #ffffff;
    background: #1d3f6e;
    border: 3px solid #4a6a96;
    border-radius: 16px;
    padding: 8px 28px;
}

QPushButton#skipRating:pressed {
    background: #2b4f82;
}
"""

# Very unhappy red to very happy green, each face's colour and how much it smiles.
FACE_COLOURS = ("#d7263d", "#f46036", "#f6c90e", "#8cc63f", "#2e9e44")
FACE_SMILES = (-1.0, -0.5, 0.0, 0.5, 1.0)
FACE_INK = "#0a1a30"


class FaceButton(QAbstractButton):
    """One of the five faces, drawn (the bundled fonts have no emoji): a large touch target."""

    def __init__(self, rating: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rating = rating
        self.setObjectName(f"face{rating}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(72, 72)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Square, and large."""
        return QSize(190, 190)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """A round face in its colour, with eyes and a mouth that smiles as much as the rating."""
        side = min(self.width(), self.height()) * 0.92
        left, top = (self.width() - side) / 2, (self.height() - side) / 2
        centre_x = left + side / 2
        colour = QColor(FACE_COLOURS[self.rating - 1])
        ink = QColor(FACE_INK)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QColor("#ffffff") if self.isDown() else ink
        painter.setPen(QPen(ring, side * (0.06 if self.isDown() else 0.03)))
        painter.setBrush(colour.darker(115) if self.isDown() else colour)
        inset = side * 0.03
        painter.drawEllipse(QRectF(left + inset, top + inset, side - 2 * inset, side - 2 * inset))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        eye_y, eye_dx, eye_r = top + side * 0.38, side * 0.16, side * 0.065
        for eye_x in (centre_x - eye_dx, centre_x + eye_dx):
            painter.drawEllipse(QPointF(eye_x, eye_y), eye_r, eye_r * 1.25)
        smile = FACE_SMILES[self.rating - 1]
        pen = QPen(ink, side * 0.055)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if smile < -0.75:
            # Frowning brows for the unhappiest face.
            painter.setPen(pen)
            brow_y = top + side * 0.24
            for sign in (-1, 1):
                inner = QPointF(centre_x + sign * side * 0.07, brow_y + side * 0.04)
                outer = QPointF(centre_x + sign * side * 0.25, brow_y - side * 0.02)
                painter.drawLine(inner, outer)
        mouth_y, half, curve = top + side * 0.7, side * 0.2, smile * side * 0.16
        mouth = QPainterPath(QPointF(centre_x - half, mouth_y - curve / 2))
        mouth.quadTo(
            QPointF(centre_x, mouth_y + curve * 1.5), QPointF(centre_x + half, mouth_y - curve / 2)
        )
        painter.setPen(pen)
        if smile > 0.75:
            # The happiest face grins: the mouth is open.
            mouth.closeSubpath()
            painter.setBrush(ink)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(mouth)
        painter.end()


class RatingPanel(QFrame):
    """Five faces to rate the service, the question in both languages, and a way to skip."""

    # int: the rating tapped, 1 to 5
    rated = Signal(int)
    # (no arguments) the visitor skipped
    skipped = Signal()

    def __init__(
        self, fonts: FontBook, texts: BilingualText, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPanel")
        translate = texts.translate
        self._skip_text = translate("CounterScreenWindow", "Skip")
        self._number = text_label(fonts, "en", "ratingNumber")
        self._arabic = text_label(fonts, "ar", "ratingQuestion", align=Qt.AlignmentFlag.AlignCenter)
        self._english = text_label(
            fonts, "en", "ratingQuestion", align=Qt.AlignmentFlag.AlignCenter
        )
        question = translate("CounterScreenWindow", "How was our service today?")
        self._arabic.setText(question.ar)
        self._english.setText(question.en)
        # The ticket's language on top: the visitor's is not otherwise known.
        self._question = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._question.setSpacing(0)
        self._question.addWidget(self._arabic)
        self._question.addWidget(self._english)
        self._faces = self._build_faces(fonts, texts)
        self.thanks = BilingualLabel(fonts, "ratingThanks", align=Qt.AlignmentFlag.AlignCenter)
        self.thanks.set_text(translate("CounterScreenWindow", "Thank you"))
        self._pages = QStackedWidget()
        self._pages.addWidget(self._faces)
        self._pages.addWidget(self.thanks)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 16)
        layout.addWidget(self._pages, 1)

    def _build_faces(self, fonts: FontBook, texts: BilingualText) -> QWidget:
        translate = texts.translate
        captions = [
            translate("CounterScreenWindow", "Very unhappy"),
            translate("CounterScreenWindow", "Unhappy"),
            translate("CounterScreenWindow", "Neither"),
            translate("CounterScreenWindow", "Happy"),
            translate("CounterScreenWindow", "Very happy"),
        ]
        self.faces: dict[int, FaceButton] = {}
        self._captions: list[BilingualLabel] = []
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._row.setSpacing(20)
        for rating, caption in zip(RATINGS, captions, strict=True):
            face = FaceButton(rating)
            face.clicked.connect(partial(self._tapped, rating))
            label = BilingualLabel(fonts, "faceCaption", align=Qt.AlignmentFlag.AlignCenter)
            label.set_text(caption)
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(face, 1)
            column.addWidget(label)
            self._row.addLayout(column, 1)
            self.faces[rating] = face
            self._captions.append(label)
        self.skip = named(QPushButton(), "skipRating")
        self.skip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.skip.setFont(fonts.font("ar", 28, bold=True))
        self.skip.clicked.connect(lambda: emit(self.skipped))
        faces = QWidget()
        asking = QVBoxLayout(faces)
        asking.setContentsMargins(0, 0, 0, 0)
        asking.setSpacing(8)
        asking.addLayout(self._question)
        asking.addLayout(self._row, 1)
        # The ticket's number, small, at the start; skip in the middle.
        self._bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._bottom.addWidget(self._number, 1)
        self._bottom.addWidget(self.skip)
        self._bottom.addStretch(1)
        asking.addLayout(self._bottom)
        return faces

    def show_prompt(self, prompt: RatingPrompt) -> None:
        """Ask for ``prompt``'s rating, or thank for it."""
        arabic_first = prompt.lang == "ar"
        first, second = ("ar", "en") if arabic_first else ("en", "ar")
        self._number.setText(prompt.number)
        self._question.setDirection(
            QBoxLayout.Direction.TopToBottom if arabic_first else QBoxLayout.Direction.BottomToTop
        )
        # The scale reads the visitor's way: very unhappy where their reading starts.
        reading = (
            QBoxLayout.Direction.RightToLeft if arabic_first else QBoxLayout.Direction.LeftToRight
        )
        self._row.setDirection(reading)
        self._bottom.setDirection(reading)
        start = Qt.AlignmentFlag.AlignRight if arabic_first else Qt.AlignmentFlag.AlignLeft
        self._number.setAlignment(start | Qt.AlignmentFlag.AlignVCenter)
        # Laid out in the first language's direction, so that one reads first.
        self.skip.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if arabic_first else Qt.LayoutDirection.LeftToRight
        )
        self.skip.setText(f"{self._skip_text.get(first)}  ·  {self._skip_text.get(second)}")
        self._pages.setCurrentWidget(self.thanks if prompt.thanked else self._faces)

    @property
    def thanking(self) -> bool:
        """Whether the thanks show (rather than the faces)."""
        return self._pages.currentWidget() is self.thanks

    def question(self) -> tuple[str, str]:
        """The question as shown, top line first."""
        lines = (self._arabic.text(), self._english.text())
        return (
            lines if self._question.direction() == QBoxLayout.Direction.TopToBottom else lines[::-1]
        )

    def size_to(self, px: Callable[[float], int]) -> None:
        """Size texts and faces by ``px``, which turns design pixels into the screen's."""
        resize_font(self._number, px(34), bold=True)
        resize_font(self._arabic, px(44), bold=True)
        resize_font(self._english, px(36), bold=True)
        for label in self._captions:
            label.set_pixel_size(px(22), px(18), bold=True)
        self.thanks.set_pixel_size(px(110), px(90), bold=True)
        font = self.skip.font()
        font.setPixelSize(px(28))
        self.skip.setFont(font)
        self.skip.setMinimumSize(px(260), px(68))
        for face in self.faces.values():
            face.setMinimumSize(px(110), px(110))

    def _tapped(self, rating: int) -> None:
        emit(self.rated, rating)


class CounterScreenWindow(QWidget):
    """The counter's number and its ticket, large, in Arabic and English; the rating faces."""

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
        self.setStyleSheet(load_style("counter_screen") + EXTRA_STYLE)

        self._header = self._build_header(fonts)
        self._panel = named(QFrame(), "ticketPanel")
        self._number = text_label(fonts, "en", "ticketNumber", align=Qt.AlignmentFlag.AlignCenter)
        self._status = BilingualLabel(fonts, "status", align=Qt.AlignmentFlag.AlignCenter)
        panel = QVBoxLayout(self._panel)
        panel.addWidget(self._number, 1)
        panel.addWidget(self._status)

        self._rating = RatingPanel(fonts, self._texts)
        self._rating.rated.connect(view_model.rate)
        self._rating.skipped.connect(view_model.skip_rating)
        self._body = QStackedWidget()
        self._body.addWidget(self._panel)
        self._body.addWidget(self._rating)

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
        root.addWidget(self._body, 1)
        root.addWidget(self._connection)

        view_model.ticket_changed.connect(lambda _ticket: self._show())
        view_model.open_changed.connect(lambda _open: self._show())
        view_model.highlight_changed.connect(self._show_highlight)
        view_model.connection_changed.connect(self._show_connection)
        view_model.rating_changed.connect(self._show_rating)
        self._show()
        self._show_highlight(view_model.highlighted)
        self._show_connection(view_model.connected)
        self._show_rating(view_model.rating)
        self.resize(1280, 720)
        self._size_fonts()

    def _build_header(self, fonts: FontBook) -> QFrame:
        frame = named(QFrame(), "header")
        frame.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # Arabic on the right, English on the left, the counter's number between.
        header = QBoxLayout(QBoxLayout.Direction.RightToLeft, frame)
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
        self._counter_number.setText(self._vm.counter_id)
        header.addWidget(self._counter_ar, 1)
        header.addWidget(self._counter_number)
        header.addWidget(self._counter_en, 1)
        return frame

    def shown_number(self) -> str:
        """The ticket number shown."""
        return self._number.text()

    def shown_status(self) -> Bilingual:
        """The status line shown."""
        return self._status.text()

    @property
    def rating_panel(self) -> RatingPanel | None:
        """The rating faces (or the thanks), while they show."""
        return self._rating if self._body.currentWidget() is self._rating else None

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
        self._rating.size_to(px)

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

    def _show_rating(self, prompt: RatingPrompt | None) -> None:
        if prompt is not None:
            self._rating.show_prompt(prompt)
        self._body.setCurrentWidget(self._rating if prompt is not None else self._panel)

    def _show_highlight(self, highlighted: bool) -> None:
        set_flag(self._panel, "highlighted", highlighted)

    def _show_connection(self, connected: bool) -> None:
        self._connection.setVisible(not connected)


__all__ = [
    "CounterCall",
    "CounterScreenViewModel",
    "CounterScreenWindow",
    "FaceButton",
    "RatingPanel",
    "RatingPrompt",
]
