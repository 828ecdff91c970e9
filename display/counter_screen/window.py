"""The screen over a counter, facing visitors: its number, its ticket, and a rating when done."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
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

from centre.domain import TicketState
from display.counter_screen.viewmodel import (
    RATINGS,
    CounterScreenViewModel,
    RatingPrompt,
)
from ui.fonts import FontBook
from ui.i18n import Bilingual, BilingualText
from ui.signals import emit
from ui.widgets import BilingualLabel, load_style, named, resize_font, set_flag, text_label

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


__all__ = ["CounterScreenWindow", "FaceButton", "RatingPanel"]
