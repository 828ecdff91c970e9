"""QR codes drawn on screen: a ticket's on the kiosk, the hall's paperless-ticket address."""

from __future__ import annotations

import qrcode
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

#: The white margin a reader needs around a symbol, in modules (the standard's four).
QUIET_MODULES = 4


def qr_image(text: str, size: int) -> QImage:
    """A QR code of ``text``, black on white with its quiet zone, at most ``size`` pixels square.

    Every module is a whole number of pixels (at least one), so the symbol stays
    sharp: it comes out a little smaller than ``size`` rather than blurred.
    """
    code = qrcode.QRCode(border=QUIET_MODULES, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    cells = len(matrix)
    scale = max(size // cells, 1)
    image = QImage(cells * scale, cells * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                painter.fillRect(col * scale, row * scale, scale, scale, black)
    painter.end()
    return image


def qr_pixmap(text: str, size: int) -> QPixmap:
    """:func:`qr_image` as a pixmap for a label (needs a GUI application)."""
    return QPixmap.fromImage(qr_image(text, size))


__all__ = ["QUIET_MODULES", "qr_image", "qr_pixmap"]
