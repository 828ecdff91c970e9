"""QR symbols as one-bit images, drawn as the printer's own QR command would draw them."""

from __future__ import annotations

import qrcode
from PIL import Image

from printer.commands import QrErrorCorrection

_LEVELS = {
    QrErrorCorrection.L: qrcode.constants.ERROR_CORRECT_L,
    QrErrorCorrection.M: qrcode.constants.ERROR_CORRECT_M,
    QrErrorCorrection.Q: qrcode.constants.ERROR_CORRECT_Q,
    QrErrorCorrection.H: qrcode.constants.ERROR_CORRECT_H,
}


def qr_image(
    data: bytes | str,
    module_dots: int,
    error_correction: QrErrorCorrection = QrErrorCorrection.M,
) -> Image.Image:
    """A model 2 QR symbol of the smallest version holding ``data``; black on white, no margin."""
    symbol = qrcode.QRCode(version=None, error_correction=_LEVELS[error_correction], border=0)
    symbol.add_data(data)
    symbol.make(fit=True)
    matrix: list[list[bool]] = symbol.get_matrix()
    size = len(matrix)
    modules = Image.new("1", (size, size), 1)
    modules.putdata([0 if dark else 1 for row in matrix for dark in row])
    return modules.resize((size * module_dots, size * module_dots), Image.Resampling.NEAREST)
