"""Printer profiles: paper width in dots, resolution, and what the printer can do."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from printer.errors import BadPrinterUri

FONT_A_WIDTH = 12
FONT_A_HEIGHT = 24
FONT_B_WIDTH = 9
FONT_B_HEIGHT = 17


@dataclass(frozen=True)
class PrinterProfile:
    """A printer model's paper and abilities.

    ``width_dots`` is the printable width: python-escpos and the printers
    themselves refuse or cut images wider than it. ``native_qr`` uses the
    printer's ``GS ( k`` QR command; without it the QR goes as a raster image.
    ``raster_alignment`` says the printer applies ``ESC a`` to raster images,
    so strips can be sent no wider than their ink; without it they are padded
    to the full width, which costs bytes.
    """

    name: str
    width_dots: int
    dpi: int
    native_qr: bool = True
    raster_alignment: bool = True

    @property
    def columns(self) -> int:
        """Characters of font A (12 x 24 dots) on one line."""
        return self.width_dots // FONT_A_WIDTH

    @property
    def columns_font_b(self) -> int:
        """Characters of font B (9 x 17 dots) on one line."""
        return self.width_dots // FONT_B_WIDTH

    def dots(self, points: float) -> int:
        """A type size in points as dots on this printer."""
        return round(points * self.dpi / 72)


PROFILE_80MM = PrinterProfile("80mm", width_dots=576, dpi=203)
PROFILE_TM_T88 = PrinterProfile("tm-t88", width_dots=512, dpi=180)
PROFILE_58MM = PrinterProfile("58mm", width_dots=384, dpi=203)

PROFILES = {profile.name: profile for profile in (PROFILE_80MM, PROFILE_TM_T88, PROFILE_58MM)}


def profile_named(name: str) -> PrinterProfile:
    """A built-in profile (``80mm``, ``tm-t88``, ``58mm``) or a model python-escpos knows.

    python-escpos keeps a database of printer models (``TM-T20II``,
    ``POS-5890``...) with their dots per line, resolution and whether they draw
    QR codes; a model found there becomes a profile.
    """
    builtin = PROFILES.get(name.lower())
    if builtin is not None:
        return builtin
    model = _escpos_model(name)
    if model is not None:
        return model
    known = ", ".join(PROFILES)
    raise BadPrinterUri(
        f"unknown paper profile {name!r} (known: {known}, or a python-escpos model like TM-T20II)"
    )


def _escpos_model(name: str) -> PrinterProfile | None:
    # Imported only when asked: on import it writes a cache file and configures logging.
    capabilities = importlib.import_module("escpos.capabilities")
    models: dict[str, Any] = capabilities.CAPABILITIES["profiles"]
    found = next((model for model in models if model.lower() == name.lower()), None)
    if found is None or found in ("default", "simple"):
        return None
    model_profile = capabilities.get_profile(found)
    media = model_profile.profile_data.get("media", {})
    width = media.get("width", {}).get("pixels")
    dpi = media.get("dpi")
    if not isinstance(width, int) or not isinstance(dpi, int):
        raise BadPrinterUri(
            f"python-escpos does not know the paper width of {found}: "
            "use paper=80mm, tm-t88 or 58mm"
        )
    return PrinterProfile(
        found, width_dots=width, dpi=dpi, native_qr=model_profile.supports("qrCode")
    )
